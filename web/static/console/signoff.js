// Sign-off (confirmed in the page's own dialog), reopening with a reason, the sign-offs with
// their reports, starting a re-assessment, and the comparison with the last assessment.

import { el } from "../dom.js";
import { starLabel, statusLabel } from "../i18n.js";
import { colon, t, when } from "./strings.js";

/** A modal dialog in the page: resolves true when confirmed (Escape or Cancel: false). */
export function confirmDialog(lang, { title, text, confirm, testid }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const dialog = el(
      "dialog",
      { class: "c-dialog", testid, "aria-labelledby": "dlg-title", "aria-describedby": "dlg-text" },
      el("h2", { id: "dlg-title" }, title),
      el("p", { id: "dlg-text" }, text),
    );
    const finish = (answer) => {
      dialog.close();
      dialog.remove();
      if (opener && opener.focus) opener.focus();
      resolve(answer);
    };
    const cancel = el("button", { type: "button", class: "c-secondary", testid: "dialog-cancel", on: { click: () => finish(false) } }, t(lang, "cancel"));
    const ok = el("button", { type: "button", class: "c-primary", testid: "dialog-confirm", on: { click: () => finish(true) } }, confirm);
    dialog.append(el("div", { class: "c-actions" }, cancel, ok));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

function signoffItem(app, signoff) {
  const { lang } = app;
  const download = (format) => async () => {
    app.say(t(lang, "downloading"));
    try {
      const name = await app.client.downloadReport(app.id, signoff.version, format);
      app.say(t(lang, "downloaded", { name }));
    } catch (error) {
      app.sayError(error);
    }
  };
  return el(
    "li",
    { class: "c-signoff", testid: `signoff-${signoff.version}` },
    el(
      "p",
      {},
      t(lang, "signoffLine", {
        version: signoff.version,
        by: signoff.signed_by,
        at: when(lang, signoff.signed_at),
        stars: starLabel(lang, signoff.confirmed_stars),
      }),
    ),
    signoff.reopened_at
      ? el("p", { class: "c-muted" }, t(lang, "reopenedLine", { at: when(lang, signoff.reopened_at), by: signoff.reopened_by, reason: signoff.reopen_reason }))
      : null,
    el(
      "div",
      { class: "c-actions" },
      el("button", { type: "button", class: "c-secondary", testid: "report-pdf", on: { click: download("pdf") } }, t(lang, "reportPdf")),
      el("button", { type: "button", class: "c-secondary", testid: "report-docx", on: { click: download("docx") } }, t(lang, "reportDocx")),
    ),
  );
}

function reopenForm(app) {
  const { lang, view } = app;
  const reason = el("input", { id: "reopen-reason", name: "reason", required: true, maxlength: 2000, autocomplete: "off" });
  const form = el(
    "form",
    { class: "c-form", testid: "reopen-form" },
    el("div", { class: "c-field" }, el("label", { for: reason.id }, t(lang, "reopenReason")), reason),
    el("button", { type: "submit", class: "c-secondary", testid: "reopen" }, t(lang, "reopen")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await app.client.reopen(app.id, view.lock.version, reason.value.trim());
      await app.reload(t(lang, "reopenedOk"));
    } catch (error) {
      app.sayError(error);
    }
  });
  return form;
}

async function signOff(app) {
  const { lang } = app;
  const yes = await confirmDialog(lang, {
    title: t(lang, "signDialogTitle"),
    text: t(lang, "signDialogText"),
    confirm: t(lang, "confirmSign"),
    testid: "signoff-dialog",
  });
  if (!yes) return;
  try {
    const signed = await app.client.signOff(app.id);
    await app.reload(t(lang, "signedOk", { version: signed.version }));
  } catch (error) {
    app.sayError(error);
  }
}

async function reassess(app, out) {
  const { lang } = app;
  try {
    const started = await app.client.reassess(app.id);
    out.replaceChildren(
      el("p", { role: "status" }, t(lang, "reassessed", { id: started.session_id, carried: started.carried })),
      el("code", { class: "c-token", testid: "reassess-token" }, started.token),
      el("button", { type: "button", class: "c-secondary", testid: "open-new", on: { click: () => app.openApplication(started.session_id) } }, t(lang, "openNew")),
    );
  } catch (error) {
    out.replaceChildren(app.errorLine(error));
  }
}

function levelText(lang, change) {
  const then = starLabel(lang, change.then);
  const now = change.now === null || change.now === undefined ? "—" : starLabel(lang, change.now);
  return `${then} → ${now}`;
}

function comparisonView(lang, c) {
  const rows = [
    ["rDeclared", c.declared],
    ["rEvidenced", c.evidenced],
    ["rConfirmed", c.confirmed],
  ];
  const changed = c.findings.filter((f) => f.status_then !== f.status_now || f.assessor_then);
  return el(
    "div",
    { class: "c-compare", testid: "comparison" },
    el("h4", {}, t(lang, "compareHeading", { version: c.version })),
    el("ul", {}, rows.map(([key, change]) => el("li", {}, `${t(lang, key)}${colon(lang)}${levelText(lang, change)}`))),
    el(
      "ul",
      {},
      c.areas.map((area) =>
        el("li", {}, `${lang === "en" ? area.name_en : area.name_zh}${colon(lang)}${t(lang, "rDeclared")} ${area.declared.then}→${area.declared.now ?? "—"} · ${t(lang, "rEvidenced")} ${area.evidenced.then}→${area.evidenced.now ?? "—"} · ${t(lang, "rConfirmed")} ${area.confirmed.then}→${area.confirmed.now ?? "—"}`),
      ),
    ),
    el("h4", {}, t(lang, "changedFindings")),
    c.totals.awaiting
      ? el("p", { testid: "comparison-awaiting" }, t(lang, "awaitingAgain", { n: c.totals.awaiting }))
      : null,
    changed.length
      ? el(
          "ul",
          { testid: "comparison-findings" },
          changed.map((f) =>
            el("li", { "data-indicator": f.indicator_id }, `${f.indicator_id} ${lang === "en" ? f.title_en : f.title_zh}${colon(lang)}${statusLabel(lang, f.status_then)} → ${statusLabel(lang, f.status_now)}${f.assessor_then ? ` (${t(lang, "role_assessor")})` : ""}`),
          ),
        )
      : el("p", {}, t(lang, "noChanges")),
    el("h4", {}, t(lang, "evidenceChanges")),
    el("ul", {}, c.evidence.map((e) => el("li", {}, `${t(lang, `fate_${e.fate}`)}${colon(lang)}${e.filename}`))),
  );
}

async function compare(app, out) {
  const { lang } = app;
  try {
    out.replaceChildren(comparisonView(lang, await app.client.comparison(app.id)));
  } catch (error) {
    out.replaceChildren(error.status === 409 ? el("p", {}, t(lang, "notReassessment")) : app.errorLine(error));
  }
}

export function renderSignoff(app) {
  const { lang, view } = app;
  const out = el("div", { "aria-live": "polite", testid: "signoff-out" });
  const signoffs = view.signoffs;
  return el(
    "section",
    { class: "c-card", "aria-labelledby": "h-signoff" },
    el("h3", { id: "h-signoff" }, t(lang, "signoff")),
    signoffs.length
      ? el("ul", { class: "c-list", testid: "signoffs" }, [...signoffs].reverse().map((s) => signoffItem(app, s)))
      : el("p", { class: "c-muted" }, t(lang, "noSignoffs")),
    el(
      "div",
      { class: "c-actions" },
      view.lock.locked
        ? null
        : el("button", { type: "button", class: "c-primary", testid: "signoff-open", on: { click: () => signOff(app) } }, t(lang, "signOffButton")),
      signoffs.length
        ? el("button", { type: "button", class: "c-secondary", testid: "reassess", on: { click: () => reassess(app, out) } }, t(lang, "reassess"))
        : null,
      el("button", { type: "button", class: "c-secondary", testid: "compare", on: { click: () => compare(app, out) } }, t(lang, "comparison")),
    ),
    view.lock.locked ? reopenForm(app) : null,
    out,
  );
}
