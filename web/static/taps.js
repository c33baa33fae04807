// Taps on a question that has just appeared: the second tap of a quick double tap must not
// answer (or skip) the question that replaced the one tapped, and "skip" stands apart from the
// answers so a hurried thumb does not land on it.

// The browser tests set window.SMECMM_TAP_GUARD_MS to 0 except where they test the guard itself.
export const TAP_GUARD_MS = Number.isFinite(window.SMECMM_TAP_GUARD_MS)
  ? window.SMECMM_TAP_GUARD_MS
  : 800;
// Quick replies that leave the question unanswered: set apart from the answers.
const SECONDARY_REPLIES = new Set(["skip"]);

/** Ignore clicks inside ``node`` for ``ms`` after now; ``data-armed`` says when it listens. */
export function guardTaps(node, ms = TAP_GUARD_MS) {
  const until = performance.now() + ms;
  node.dataset.armed = ms > 0 ? "false" : "true";
  node.addEventListener(
    "click",
    (event) => {
      if (performance.now() >= until) return;
      event.preventDefault(); // also keeps a submit button from sending its form
      event.stopPropagation();
    },
    true,
  );
  if (ms > 0) setTimeout(() => (node.dataset.armed = "true"), ms);
}

/** Move "skip" out of the answers into a row of its own, styled as a secondary action. */
export function separateSecondary(quick, el) {
  const buttons = Array.from(quick.children);
  const secondary = buttons.filter((b) => SECONDARY_REPLIES.has(b.dataset.value));
  if (!secondary.length) return null;
  for (const button of secondary) button.classList.add("chip-secondary");
  const row = el("div", { class: "quick-secondary", testid: "quick-secondary" }, secondary);
  row.setAttribute("role", "group");
  row.setAttribute("aria-label", quick.getAttribute("aria-label") || "");
  if (!quick.children.length) quick.remove();
  return row;
}
