// Every finding: the applicant's words, the reading's rationale and confidence, each evidence
// requirement met or not and why, the scoring guidance, and the assessor's own finding.

import { el } from "../dom.js";
import { statusLabel } from "../i18n.js";
import { colon, t, when } from "./strings.js";

const STATUSES = ["met", "largely_met", "partly_met", "not_met", "not_applicable"];

function title(lang, finding) {
  return lang === "en" ? finding.title_en || finding.title_zh : finding.title_zh;
}

function readingBlock(lang, reading) {
  const words = reading && (reading.words || reading.asked_words);
  const parts = [
    el("h4", {}, t(lang, "applicantWords")),
    el("blockquote", { class: "c-quote" }, words || t(lang, "noWords")),
  ];
  if (reading && (reading.rationale || reading.confidence !== null)) {
    const pct = reading.confidence === null || reading.confidence === undefined ? null : Math.round(reading.confidence * 100);
    parts.push(
      el("h4", {}, t(lang, "rationale")),
      el("p", {}, reading.rationale || "—", pct === null ? "" : ` (${t(lang, "confidence", { pct })})`),
    );
  }
  return parts;
}

function requirementLine(lang, line) {
  const outcome = line.outcome === "sufficient" ? "reqMet" : line.outcome === "stale" ? "reqStale" : "reqNotMet";
  const missing = lang === "en" ? line.missing_en : line.missing_zh;
  const kind = lang === "en" ? line.kind_en : line.kind_zh;
  return el(
    "li",
    { class: `c-req c-req-${outcome}` },
    el("strong", {}, `${t(lang, outcome)}${colon(lang)}`),
    `${kind} — ${line.description}`,
    missing && missing.length ? el("span", { class: "c-muted" }, ` (${missing.join(lang === "en" ? "; " : "；")})`) : null,
  );
}

function scoringBlock(lang, finding) {
  const scoring = (lang === "en" && finding.scoring_en) || finding.scoring;
  const rows = [
    ["sMet", scoring.met],
    ["sLargely", scoring.largely],
    ["sPartly", scoring.partly],
    ["sSample", scoring.sample],
  ];
  return [
    el("h4", {}, t(lang, "scoring")),
    el("dl", { class: "c-pairs" }, rows.flatMap(([key, text]) => [el("dt", {}, t(lang, key)), el("dd", {}, text)])),
  ];
}

function overrideForm(app, finding) {
  const { lang } = app;
  const prefix = `set-${finding.indicator_id}`;
  const status = el(
    "select",
    { id: `${prefix}-status`, name: "status", testid: "finding-status" },
    STATUSES.map((code) => el("option", { value: code, selected: code === finding.status }, statusLabel(lang, code))),
  );
  const reason = el("textarea", { id: `${prefix}-reason`, name: "reason", required: true, maxlength: 2000, rows: 2, testid: "finding-reason" });
  const form = el(
    "form",
    { class: "c-form", testid: "finding-form" },
    el("h4", {}, t(lang, "setFinding")),
    el("div", { class: "c-field" }, el("label", { for: status.id }, t(lang, "status")), status),
    el("div", { class: "c-field" }, el("label", { for: reason.id }, t(lang, "reasonRequired")), reason),
    el("button", { type: "submit", class: "c-primary", testid: "finding-save", disabled: app.view.lock.locked }, t(lang, "save")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = reason.value.trim();
    if (!text) {
      reason.focus();
      return;
    }
    try {
      await app.client.setFinding(app.id, finding.indicator_id, status.value, text);
      await app.reload(t(lang, "saved"));
    } catch (error) {
      app.sayError(error);
    }
  });
  return form;
}

function body(app, finding) {
  const { lang } = app;
  const who = finding.actor_name || (finding.actor ? finding.actor : null);
  return [
    ...readingBlock(lang, finding.reading),
    who || finding.reason
      ? el(
          "p",
          { class: "c-muted" },
          who ? t(lang, "setBy", { who }) : "",
          finding.updated_at ? ` · ${when(lang, finding.updated_at)}` : "",
          finding.reason ? ` · ${t(lang, "reason")}${colon(lang)}${finding.reason}` : "",
        )
      : null,
    el("h4", {}, t(lang, "requirements")),
    finding.requirements.length
      ? el("ul", { class: "c-reqs" }, finding.requirements.map((line) => requirementLine(lang, line)))
      : el("p", { class: "c-muted" }, "—"),
    finding.files.length
      ? [el("h4", {}, t(lang, "linkedFiles")), el("ul", {}, finding.files.map((f) => el("li", {}, f.evidence.filename)))]
      : null,
    ...scoringBlock(lang, finding),
    finding.notes.length
      ? [el("h4", {}, t(lang, "notes")), el("ul", {}, finding.notes.map((note) => el("li", {}, note.text)))]
      : null,
    overrideForm(app, finding),
  ];
}

function item(app, finding) {
  const { lang } = app;
  const badge = el("span", { class: `c-status c-status-${finding.status}` }, statusLabel(lang, finding.status));
  const details = el(
    "details",
    { id: `finding-${finding.indicator_id}`, class: "c-finding", testid: `finding-${finding.indicator_id}` },
    el(
      "summary",
      {},
      el("span", { class: "c-id" }, finding.indicator_id),
      ` ${title(lang, finding)} `,
      badge,
      finding.carried ? el("span", { class: "c-badge" }, t(lang, "carried")) : null,
      finding.assessor_confirmed ? el("span", { class: "c-badge" }, t(lang, "rConfirmed")) : null,
    ),
  );
  let built = false;
  details.addEventListener("toggle", () => {
    if (details.open && !built) {
      built = true;
      details.append(el("div", { class: "c-finding-body" }, body(app, finding)));
    }
  });
  return details;
}

/** The findings section, with a filter: all, answered, or holding the next star. */
export function renderFindings(app) {
  const { lang, view } = app;
  const holding = new Set(view.verdict.evidenced.areas.flatMap((area) => area.blockers.map((b) => b.indicator_id)));
  const list = el("div", { class: "c-findings", testid: "findings" });
  const show = (mode) => {
    const chosen = view.findings.filter((f) =>
      mode === "rated" ? f.status !== "not_rated" : mode === "holding" ? holding.has(f.indicator_id) : true,
    );
    list.replaceChildren(...chosen.map((finding) => item(app, finding)));
  };
  const filter = el(
    "select",
    { id: "findings-filter", on: { change: (event) => show(event.target.value) } },
    el("option", { value: "all" }, t(lang, "showAll")),
    el("option", { value: "rated" }, t(lang, "showRated")),
    el("option", { value: "holding" }, t(lang, "showHolding")),
  );
  show("all");
  return el(
    "section",
    { class: "c-card", "aria-labelledby": "h-findings" },
    el("h3", { id: "h-findings" }, t(lang, "findings")),
    el("div", { class: "c-field c-inline" }, el("label", { for: "findings-filter" }, t(lang, "findingsFilter")), filter),
    list,
  );
}
