// Following the end of the chat log. Whether the reader is at the end is decided by their own
// scrolling, never by measuring after the content has grown (a smooth scroll raced that check
// and new content landed off-screen); when they have scrolled up, a "new messages" button is
// offered instead of yanking the view.

const NEAR_BOTTOM_PX = 80;

export class LogFollower {
  constructor(log, newBelow) {
    this.log = log;
    this.newBelow = newBelow;
    this.pinned = true; // the reader follows the end of the log (not scrolled up)
    this.ownScrollTop = -1; // where the follower itself last scrolled the log to
  }

  /** After the log changed: follow its end when the reader was there, else offer the button. */
  keepInView() {
    if (this.pinned) this.scrollToEnd();
    else if (this.log.scrollHeight > this.log.clientHeight) this.newBelow.hidden = false;
  }

  scrollToEnd() {
    // instant: a smooth scroll would race the next change
    this.log.scrollTop = this.log.scrollHeight;
    this.ownScrollTop = this.log.scrollTop;
    this.pinned = true;
    this.newBelow.hidden = true;
  }

  onScroll() {
    const log = this.log;
    if (Math.abs(log.scrollTop - this.ownScrollTop) < 2) return; // our own scroll
    this.ownScrollTop = -1;
    this.pinned = log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX;
    if (this.pinned) this.newBelow.hidden = true;
  }
}
