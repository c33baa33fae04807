// Signing out on this device, the one-time resume code, "remember me": the account part of
// the chat page and the widget.

import { bodyOf } from "./chat.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";

// The token stopped working (idle too long, signed out here or in another tab, revoked,
// replaced by a resume code on another device): the page signs out and says why.
export const TOKEN_GONE = new Set([
  "session_token_expired",
  "session_token_revoked",
  "invalid_session_token",
]);

function formatDate(iso, lang) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(lang === "en" ? "en-GB" : "zh-CN", {
    year: "numeric",
    month: "long",
    day: "numeric",
  });
}

export class Account {
  constructor(app) {
    this.app = app;
    this.codeExpires = null; // of the resume code on show before signing out
  }

  wire() {
    const ui = this.app.ui;
    ui.rememberMe.addEventListener("change", () => this.app.store.remember(ui.rememberMe.checked));
    ui.signOut.addEventListener("click", () => this.askSignOut());
    ui.signOutYes.addEventListener("click", () => this.confirmSignOut());
    ui.signOutNo.addEventListener("click", () => this.hideSignOut(true));
    ui.resumeOpen.addEventListener("click", () => this.showResume());
    ui.resumeBar.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submitResume();
    });
    ui.resumeCancel.addEventListener("click", () => this.hideResume(true));
  }

  applyStrings(compact) {
    const { ui, lang } = this.app;
    ui.rememberText.textContent = t(lang, compact ? "rememberMeShort" : "rememberMe");
    ui.remember.title = t(lang, "rememberMeHint");
    ui.rememberMe.setAttribute("aria-label", t(lang, "rememberMe"));
    ui.resumeOpen.querySelector(".label").textContent = t(lang, compact ? "resumeOpenShort" : "resumeOpen");
    ui.resumeOpen.setAttribute("aria-label", t(lang, "resumeOpen"));
    ui.signOut.querySelector(".label").textContent = t(lang, compact ? "signOutShort" : "signOut");
    ui.signOut.setAttribute("aria-label", t(lang, "signOut"));
    ui.signOutText.textContent = t(lang, "signOutAsk");
    ui.signOutYes.textContent = t(lang, "signOutConfirm");
    ui.signOutNo.textContent = t(lang, "cancel");
    if (this.codeExpires) {
      ui.signOutHelp.textContent = t(lang, "signOutHelp", { date: formatDate(this.codeExpires, lang) });
    }
    ui.resumeLabel.textContent = t(lang, "resumeLabel");
    ui.resumeSubmit.textContent = t(lang, "resumeSubmit");
    ui.resumeCancel.textContent = t(lang, "cancel");
  }

  setSignedOut(on) {
    const ui = this.app.ui;
    this.app.root.classList.toggle("signed-out", on);
    for (const control of [ui.input, ui.sendButton, ui.uploadButton, ui.signOut]) {
      control.disabled = on;
    }
  }

  /** First the resume code, shown with what to do with it; signing out comes on confirm. */
  async askSignOut() {
    if (this.app.busy || !this.app.session) return;
    this.hideResume(false);
    let issued;
    try {
      issued = await this.app.api.resumeCode(this.app.session.id);
    } catch (error) {
      if (TOKEN_GONE.has(error.code)) this.leave(error.message || t(this.app.lang, "signedOut"));
      else this.app.showError(error);
      return;
    }
    this.codeExpires = issued.expires_at;
    this.app.ui.resumeCodeText.textContent = issued.code;
    this.applyStrings(this.app.root.classList.contains("compact"));
    this.app.ui.signOutBar.hidden = false;
    this.app.ui.signOutYes.focus();
  }

  hideSignOut(returnFocus) {
    this.app.ui.signOutBar.hidden = true;
    this.app.ui.resumeCodeText.textContent = ""; // the code leaves the screen with the bar
    this.codeExpires = null;
    if (returnFocus) this.app.ui.signOut.focus();
  }

  async confirmSignOut() {
    if (!this.app.session || this.app.busy) return;
    try {
      await this.app.api.signOut(this.app.session.id);
    } catch (error) {
      if (!TOKEN_GONE.has(error.code)) {
        this.hideSignOut(false);
        this.app.showError(error); // still signed in: nothing on this device was dropped
        return;
      }
    }
    this.hideSignOut(false);
    this.leave(t(this.app.lang, "signedOut"));
  }

  /** Forget the session on this device (and "remember me": the next person at a shared
   * computer must tick it again) and show what can be done next. */
  leave(message) {
    if (this.app.session) this.app.store.forget(this.app.session.id);
    this.app.store.session = null;
    this.app.store.remember(false);
    this.app.ui.rememberMe.checked = false;
    this.app.session = null;
    this.app.api.token = "";
    this.app.resetView();
    this.setSignedOut(true);
    const note = this.app.system(message);
    note.dataset.testid = "signed-out";
    const again = el("button", { type: "button", class: "btn btn-outline", testid: "signed-out-new" });
    again.textContent = t(this.app.lang, "newSession");
    again.addEventListener("click", () => this.app.confirmNewSession());
    const resume = el("button", { type: "button", class: "btn btn-outline", testid: "signed-out-resume" });
    resume.textContent = t(this.app.lang, "resumeOpen");
    resume.addEventListener("click", () => this.showResume());
    bodyOf(note).append(el("div", { class: "signed-out-actions" }, again, resume));
  }

  showResume() {
    this.hideSignOut(false);
    this.app.ui.resumeError.textContent = "";
    this.app.ui.resumeInput.value = "";
    this.app.ui.resumeBar.hidden = false;
    this.app.ui.resumeInput.focus();
  }

  hideResume(returnFocus) {
    this.app.ui.resumeBar.hidden = true;
    this.app.ui.resumeInput.value = "";
    if (returnFocus) this.app.ui.resumeOpen.focus();
  }

  async submitResume() {
    const code = this.app.ui.resumeInput.value.trim();
    if (!code || this.app.busy) return;
    const current = this.app.session;
    this.app.api.token = ""; // the code is the credential here
    let resumed;
    try {
      resumed = await this.app.api.resume(code);
    } catch (error) {
      if (current) this.app.api.token = current.token;
      this.app.ui.resumeError.textContent =
        error.message || t(this.app.lang, error.status ? "errorGeneric" : "errorNetwork", error);
      this.app.ui.resumeInput.focus();
      return;
    }
    if (current) this.app.store.forget(current.id);
    const saved = { id: resumed.session_id, token: resumed.token };
    this.app.store.session = saved;
    this.hideResume(false);
    this.app.resetView();
    await this.app.restore(saved);
    this.app.system(t(this.app.lang, "resumed"));
    this.app.ui.input.focus();
  }
}
