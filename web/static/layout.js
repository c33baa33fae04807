// The page's skeleton, built once; app.js fills it. Both the chat page and the embedded
// widget use it (the widget in its compact form).

import { el, icon } from "./dom.js";

function logo() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 32 32");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "logo");
  const shapes = [
    ["rect", { x: "1", y: "1", width: "30", height: "30", rx: "8", class: "logo-bg" }],
    ["path", { d: "M16 6.5l2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L16 20.8l-5.6 2.9 1.1-6.2L7 13.1l6.2-.9z", class: "logo-star" }],
  ];
  for (const [tag, attrs] of shapes) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    svg.append(node);
  }
  return svg;
}

function button(testid, iconName, textClass, { extraClass = "", ...extra } = {}) {
  return el(
    "button",
    { type: "button", class: `btn btn-ghost ${extraClass}`.trim(), testid, ...extra },
    icon(iconName),
    el("span", { class: textClass }),
  );
}

/** Build the skeleton into ``root``; returns the parts app.js needs. */
export function buildLayout(root) {
  const title = el("h1", { class: "title" });
  const subtitle = el("p", { class: "subtitle" });
  const panelToggle = button("panel-toggle", "chart", "label", {
    extraClass: "only-compact",
    "aria-controls": "side-panel",
    "aria-expanded": "false",
  });
  const langSwitch = button("lang-switch", "globe", "label");
  const newSession = button("new-session", "plus", "label label-wide");

  const confirmText = el("span", { class: "confirm-text", id: "confirm-text" });
  const confirmYes = el("button", {
    type: "button",
    class: "btn btn-primary",
    testid: "new-session-confirm",
  });
  const confirmNo = el("button", {
    type: "button",
    class: "btn btn-ghost",
    testid: "new-session-cancel",
  });
  const confirmBar = el(
    "div",
    {
      class: "confirm-bar",
      testid: "new-session-bar",
      role: "alertdialog",
      "aria-labelledby": "confirm-text",
      hidden: true,
    },
    confirmText,
    el("span", { class: "confirm-actions" }, confirmYes, confirmNo),
  );

  const log = el("div", {
    class: "log",
    id: "chat-log",
    testid: "chat-log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    tabindex: "0",
  });
  const dropOverlay = el(
    "div",
    { class: "drop-overlay", testid: "drop-overlay", hidden: true },
    el("p", {}),
  );
  // Shown when something new arrived below while the reader had scrolled up.
  const newBelow = el(
    "button",
    { type: "button", class: "new-below", testid: "new-messages", hidden: true },
    el("span", { class: "label" }),
  );

  const inputLabel = el("label", { for: "chat-input", class: "sr-only" });
  const input = el("textarea", {
    id: "chat-input",
    class: "input",
    testid: "chat-input",
    rows: "2",
    autocomplete: "off",
    enterkeyhint: "send",
  });
  const fileInput = el("input", {
    type: "file",
    id: "file-input",
    class: "sr-only",
    testid: "upload-input",
    tabindex: "-1",
    "aria-hidden": "true",
    multiple: true,
    accept: ".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.txt,.md,application/pdf,image/png,image/jpeg,text/plain",
  });
  const uploadButton = el(
    "button",
    { type: "button", class: "btn btn-icon", testid: "upload-button" },
    icon("clip"),
    el("span", { class: "sr-only label" }),
  );
  const sendButton = el(
    "button",
    { type: "submit", class: "btn btn-send", testid: "send-button" },
    icon("send"),
    el("span", { class: "label" }),
  );
  const hint = el("p", { class: "hint", id: "composer-hint" });
  // Characters left, shown near the limit; over it, what to do (nothing is ever cut).
  const counter = el("p", {
    class: "counter",
    id: "composer-counter",
    testid: "input-counter",
    "aria-live": "polite",
    hidden: true,
  });
  input.setAttribute("aria-describedby", "composer-counter composer-hint");
  const account = buildAccount();
  const composer = el(
    "form",
    { class: "composer", testid: "composer", novalidate: true },
    inputLabel,
    el("div", { class: "composer-row" }, uploadButton, input, sendButton),
    counter,
    fileInput,
    hint,
    account.bar,
  );
  const logArea = el("div", { class: "log-area" }, log, newBelow);
  const chat = el(
    "section",
    { class: "chat", testid: "drop-zone" },
    logArea,
    dropOverlay,
    composer,
  );

  const panelTitle = el("h2", { class: "panel-title", id: "panel-title" });
  const panelClose = el(
    "button",
    { type: "button", class: "btn btn-icon panel-close only-compact", testid: "panel-close" },
    icon("close"),
    el("span", { class: "sr-only label" }),
  );
  const panelBody = el("div", { class: "panel-body" });
  const reportStatus = el(
    "p",
    { class: "report-status", testid: "report-status", role: "status", hidden: true },
    el("span", { class: "spinner", "aria-hidden": "true" }),
    el("span", { class: "label" }),
  );
  const panel = el(
    "aside",
    { class: "panel", id: "side-panel", testid: "side-panel", "aria-labelledby": "panel-title" },
    el("div", { class: "panel-head" }, panelTitle, panelClose),
    reportStatus,
    panelBody,
  );

  const header = el(
    "header",
    { class: "topbar" },
    el("div", { class: "brand" }, logo(), el("div", { class: "brand-text" }, title, subtitle)),
    el("nav", { class: "top-actions" }, panelToggle, langSwitch, newSession),
  );
  const signOutParts = buildSignOutBar();
  const resumeParts = buildResumeBar();
  root.replaceChildren(
    header,
    confirmBar,
    signOutParts.signOutBar,
    resumeParts.resumeBar,
    el("main", { class: "layout" }, chat, panel),
  );
  return {
    ...account,
    ...signOutParts,
    ...resumeParts,
    title,
    subtitle,
    panelToggle,
    langSwitch,
    newSession,
    confirmBar,
    confirmText,
    confirmYes,
    confirmNo,
    log,
    newBelow,
    chat,
    dropOverlay,
    composer,
    inputLabel,
    input,
    fileInput,
    uploadButton,
    sendButton,
    hint,
    counter,
    panel,
    panelTitle,
    panelClose,
    panelBody,
    reportStatus,
  };
}

/** Under the composer: "remember me", "continue with a code", "sign out on this device". */
function buildAccount() {
  const rememberMe = el("input", { type: "checkbox", id: "remember-me", testid: "remember-me" });
  const rememberText = el("span", { class: "remember-text" });
  const remember = el("label", { class: "remember", for: "remember-me" }, rememberMe, rememberText);
  const resumeOpen = el(
    "button",
    { type: "button", class: "btn btn-link", testid: "resume-open" },
    el("span", { class: "label" }),
  );
  const signOut = el(
    "button",
    { type: "button", class: "btn btn-link", testid: "sign-out" },
    el("span", { class: "label" }),
  );
  const bar = el(
    "div",
    { class: "account-bar", testid: "account-bar" },
    remember,
    el("span", { class: "account-actions" }, resumeOpen, signOut),
  );
  return { bar, rememberMe, remember, rememberText, resumeOpen, signOut };
}

/** Shown before signing out: the resume code, what to do with it, confirm or cancel. */
function buildSignOutBar() {
  const signOutText = el("span", { class: "confirm-text", id: "sign-out-text" });
  const resumeCodeText = el("code", { class: "resume-code", testid: "resume-code" });
  const signOutHelp = el("p", { class: "sign-out-help", id: "sign-out-help" });
  const signOutYes = el("button", {
    type: "button",
    class: "btn btn-primary",
    testid: "sign-out-confirm",
  });
  const signOutNo = el("button", { type: "button", class: "btn btn-ghost", testid: "sign-out-cancel" });
  const signOutBar = el(
    "div",
    {
      class: "confirm-bar sign-out-bar",
      testid: "sign-out-bar",
      role: "alertdialog",
      "aria-labelledby": "sign-out-text",
      "aria-describedby": "sign-out-help",
      hidden: true,
    },
    el("span", { class: "sign-out-code" }, signOutText, resumeCodeText),
    signOutHelp,
    el("span", { class: "confirm-actions" }, signOutYes, signOutNo),
  );
  return { signOutBar, signOutText, resumeCodeText, signOutHelp, signOutYes, signOutNo };
}

/** Continue on this device with a code noted elsewhere. */
function buildResumeBar() {
  const resumeLabel = el("label", { for: "resume-input", class: "confirm-text" });
  const resumeInput = el("input", {
    type: "text",
    id: "resume-input",
    class: "resume-input",
    testid: "resume-input",
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: "false",
    maxlength: "64",
    placeholder: "XXXX-XXXX-XXXX-XXXX-XXXX",
  });
  const resumeSubmit = el("button", { type: "submit", class: "btn btn-primary", testid: "resume-submit" });
  const resumeCancel = el("button", { type: "button", class: "btn btn-ghost", testid: "resume-cancel" });
  const resumeError = el("p", { class: "resume-error", testid: "resume-error", role: "alert" });
  const resumeBar = el(
    "form",
    { class: "confirm-bar resume-bar", testid: "resume-bar", novalidate: true, hidden: true },
    el("span", { class: "resume-field" }, resumeLabel, resumeInput),
    el("span", { class: "confirm-actions" }, resumeSubmit, resumeCancel),
    resumeError,
  );
  return { resumeBar, resumeLabel, resumeInput, resumeSubmit, resumeCancel, resumeError };
}
