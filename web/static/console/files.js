// The evidence files: a preview (PDF pages as pictures with a page switcher, images, the text
// of DOCX/XLSX/text files) and the assessor's check (sampled, verified or rejected, a note).

import { el } from "../dom.js";
import { kindLabel } from "../i18n.js";
import { t } from "./strings.js";

function describe(lang, file) {
  const e = file.evidence;
  return [
    e.kind ? kindLabel(lang, e.kind) : null,
    e.dated ? t(lang, "dated", { date: e.dated }) : null,
    e.valid_until ? t(lang, "validUntil", { date: e.valid_until }) : null,
    e.indicator_ids.length ? e.indicator_ids.join(", ") : null,
    t(lang, file.counted ? "counted" : "notCounted"),
  ]
    .filter(Boolean)
    .join(" · ");
}

function previewPane(app, file) {
  const { lang } = app;
  const name = file.evidence.filename;
  const pane = el("div", { class: "c-preview", testid: "preview", "aria-live": "polite" });
  let page = 1;
  const show = async () => {
    pane.replaceChildren(el("p", { class: "c-muted" }, t(lang, "loading")));
    let preview;
    try {
      preview = await app.client.preview(app.id, file.evidence.id, page);
    } catch (error) {
      pane.replaceChildren(app.errorLine(error));
      return;
    }
    if (preview.kind === "text") {
      pane.replaceChildren(
        el("pre", { class: "c-text", testid: "preview-text", tabindex: 0, "aria-label": t(lang, "previewText", { name }) }, preview.text),
        el("p", { class: "c-muted", hidden: !preview.truncated }, t(lang, "truncated")),
      );
      return;
    }
    const pages = preview.pages;
    const switcher = el(
      "div",
      { class: "c-pager" },
      el("button", { type: "button", class: "c-secondary", testid: "preview-prev", disabled: page <= 1, on: { click: () => go(-1) } }, t(lang, "prevPage")),
      el("span", { testid: "preview-page", "aria-live": "polite" }, t(lang, "pageOf", { page, pages })),
      el("button", { type: "button", class: "c-secondary", testid: "preview-next", disabled: page >= pages, on: { click: () => go(1) } }, t(lang, "nextPage")),
    );
    const image = el("img", { src: preview.dataUrl, alt: t(lang, "previewAlt", { name, page }), testid: "preview-image", class: "c-picture" });
    pane.replaceChildren(...(pages > 1 ? [switcher, image] : [image]));
  };
  const go = (delta) => {
    page += delta;
    show().then(() => pane.querySelector(delta > 0 ? "[data-testid=preview-next]" : "[data-testid=preview-prev]")?.focus());
  };
  show();
  return pane;
}

function checkForm(app, file) {
  const { lang } = app;
  const id = file.evidence.id;
  const check = file.check || { sampled: false, verified: null, note: null };
  const sampled = el("input", { type: "checkbox", id: `chk-${id}-sampled`, name: "sampled", checked: check.sampled, testid: "check-sampled" });
  const current = check.verified === true ? "verified" : check.verified === false ? "rejected" : "";
  const verdict = el(
    "select",
    { id: `chk-${id}-verdict`, name: "verdict", testid: "check-verdict" },
    [["", "notJudged"], ["verified", "verified"], ["rejected", "rejected"]].map(([value, key]) =>
      el("option", { value, selected: value === current }, t(lang, key)),
    ),
  );
  const note = el("textarea", { id: `chk-${id}-note`, name: "note", rows: 2, maxlength: 2000, testid: "check-note" });
  note.value = check.note || "";
  const form = el(
    "form",
    { class: "c-form c-check", testid: "check-form" },
    el("div", { class: "c-field c-inline" }, sampled, el("label", { for: sampled.id }, t(lang, "sampled"))),
    el("div", { class: "c-field" }, el("label", { for: verdict.id }, t(lang, "verdict")), verdict),
    el("div", { class: "c-field" }, el("label", { for: note.id }, t(lang, "checkNote")), note),
    el("button", { type: "submit", class: "c-primary", testid: "check-save", disabled: app.view.lock.locked }, t(lang, "saveCheck")),
  );
  verdict.addEventListener("change", () => {
    if (verdict.value) sampled.checked = true; // judging a file means it was sampled
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      sampled: sampled.checked,
      verified: verdict.value === "verified" ? true : verdict.value === "rejected" ? false : null,
      note: note.value.trim() || null,
    };
    try {
      await app.client.check(app.id, id, body);
      await app.reload(t(lang, "saved"));
    } catch (error) {
      app.sayError(error);
    }
  });
  return form;
}

function fileItem(app, file) {
  const { lang } = app;
  const slot = el("div", { class: "c-preview-slot" });
  const toggle = el(
    "button",
    { type: "button", class: "c-secondary", testid: "preview-open", "aria-expanded": "false" },
    t(lang, "preview"),
  );
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    toggle.textContent = t(lang, open ? "preview" : "closePreview");
    if (open) slot.replaceChildren();
    else slot.replaceChildren(previewPane(app, file));
  });
  const verdict = file.check && file.check.verified !== null && file.check.verified !== undefined
    ? el("span", { class: `c-badge ${file.check.verified ? "c-ok" : "c-bad"}`, testid: "check-state" }, t(lang, file.check.verified ? "verified" : "rejected"))
    : null;
  return el(
    "li",
    { class: "c-file", testid: `file-${file.evidence.id}`, "data-filename": file.evidence.filename },
    el("div", { class: "c-row-main" }, el("strong", {}, file.evidence.filename), verdict, el("span", { class: "c-muted" }, describe(lang, file))),
    el("div", { class: "c-actions" }, toggle),
    slot,
    checkForm(app, file),
  );
}

export function renderFiles(app) {
  const { lang, view } = app;
  return el(
    "section",
    { class: "c-card", "aria-labelledby": "h-files" },
    el("h3", { id: "h-files" }, t(lang, "files")),
    view.evidence.length
      ? el("ul", { class: "c-list", testid: "files" }, view.evidence.map((file) => fileItem(app, file)))
      : el("p", { class: "c-muted" }, t(lang, "noFiles")),
  );
}
