// Interview and observation records, and the assessor's notes.

import { el } from "../dom.js";
import { colon, t, when } from "./strings.js";

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function labelled(id, label, control) {
  return el("div", { class: "c-field" }, el("label", { for: id }, label), control);
}

function submitting(app, form, send) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await send();
      await app.reload(t(app.lang, "saved"));
    } catch (error) {
      app.sayError(error);
    }
  });
  return form;
}

export function renderRecords(app) {
  const { lang, view } = app;
  const records = view.evidence.filter((f) => f.evidence.kind === "interview" || f.evidence.kind === "observation");
  const kind = el(
    "select",
    { id: "rec-kind", name: "kind" },
    el("option", { value: "interview" }, t(lang, "kindInterview")),
    el("option", { value: "observation" }, t(lang, "kindObservation")),
  );
  const dated = el("input", { id: "rec-date", name: "dated", type: "date", required: true, value: today() });
  const ids = el("input", { id: "rec-ids", name: "indicator_ids", required: true, maxlength: 400, autocomplete: "off" });
  const text = el("textarea", { id: "rec-text", name: "text", required: true, rows: 4, maxlength: 8000 });
  const form = el(
    "form",
    { class: "c-form", testid: "record-form" },
    labelled(kind.id, t(lang, "recordKind"), kind),
    labelled(dated.id, t(lang, "recordDate"), dated),
    labelled(ids.id, t(lang, "recordIds"), ids),
    labelled(text.id, t(lang, "recordText"), text),
    el("button", { type: "submit", class: "c-primary", disabled: view.lock.locked }, t(lang, "addRecord")),
  );
  submitting(app, form, () =>
    app.client.addRecord(app.id, {
      kind: kind.value,
      dated: dated.value,
      indicator_ids: ids.value.split(/[,，\s]+/).filter(Boolean),
      text: text.value.trim(),
    }),
  );
  return el(
    "section",
    { class: "c-card", "aria-labelledby": "h-records" },
    el("h3", { id: "h-records" }, t(lang, "records")),
    records.length
      ? el("ul", {}, records.map((f) => el("li", {}, `${f.evidence.title || f.evidence.filename} · ${f.evidence.dated || ""} · ${f.evidence.indicator_ids.join(", ")}`)))
      : null,
    form,
  );
}

export function renderNotes(app) {
  const { lang, view } = app;
  const indicator = el("input", { id: "note-indicator", name: "indicator_id", maxlength: 16, autocomplete: "off" });
  const text = el("textarea", { id: "note-text", name: "text", required: true, rows: 3, maxlength: 4000 });
  const form = el(
    "form",
    { class: "c-form", testid: "note-form" },
    labelled(indicator.id, t(lang, "noteIndicator"), indicator),
    labelled(text.id, t(lang, "noteText"), text),
    el("button", { type: "submit", class: "c-primary", disabled: view.lock.locked }, t(lang, "addNote")),
  );
  submitting(app, form, () =>
    app.client.addNote(app.id, { text: text.value.trim(), indicator_id: indicator.value.trim() || null }),
  );
  return el(
    "section",
    { class: "c-card", "aria-labelledby": "h-notes" },
    el("h3", { id: "h-notes" }, t(lang, "notes")),
    view.notes.length
      ? el(
          "ul",
          { testid: "notes" },
          view.notes.map((note) =>
            el("li", {}, el("span", { class: "c-muted" }, `${note.indicator_id || "—"} · ${note.assessor} · ${when(lang, note.at)}${colon(lang)}`), note.text),
          ),
        )
      : el("p", { class: "c-muted" }, t(lang, "noNotes")),
    form,
  );
}
