// The side panel: progress by area, the provisional stars, what blocks the next star,
// report downloads and the uploaded evidence. The verdict's words, numbers and order come
// from the server's presenter (``rating.verdict``, assistant/verdict): nothing is sorted or
// worded here, so the panel says what the chat, the reports and the CLI say.

import { clear, el, icon } from "./dom.js";
import { areaName, basisLabel, kindLabel, starLabel, t } from "./i18n.js";

const BLOCKERS_SHOWN = 5;
export const REPORT_FORMATS = [
  ["pdf", "reportPdf"],
  ["docx", "reportDocx"],
  ["md", "reportMd"],
  ["json", "reportJson"],
];

function card(testid, title, ...children) {
  const heading = el("h2", { class: "card-title" }, title);
  return el("section", { class: "card", testid }, heading, children);
}

// ------------------------------------------------------------------ progress

function progressRow(label, value, total, testid, area) {
  const text = `${value}/${total}`;
  return el(
    "div",
    { class: "progress-row" },
    el("span", { class: "progress-label" }, label),
    el("progress", {
      class: "bar",
      testid,
      "data-area": area,
      max: Math.max(total, 1),
      value: Math.min(value, Math.max(total, 1)),
      "aria-label": `${label} ${text}`,
    }),
    el("span", { class: "progress-count" }, text),
  );
}

export function progressCard(progress, lang) {
  const rows = [];
  if (progress) {
    const overall = t(lang, "progressOverall");
    rows.push(progressRow(overall, progress.answered, progress.total, "progress-overall"));
    // the server lists the areas in the catalog's order
    for (const [code, area] of Object.entries(progress.by_area || {})) {
      rows.push(progressRow(areaName(lang, code), area.answered, area.total, "progress-area", code));
    }
  }
  return card("progress-panel", t(lang, "progress"), el("div", { class: "progress-list" }, rows));
}

// ------------------------------------------------------------------ stars

function starsRow(reading, basis, lang) {
  const stars = reading ? reading.stars : 0;
  const glyphs = [1, 2, 3, 4, 5].map((n) =>
    el("span", { class: n <= stars ? "star on" : "star" }, n <= stars ? "★" : "☆"),
  );
  return el(
    "div",
    { class: "stars-row", testid: `stars-${basis}`, "data-stars": reading ? stars : null },
    el("span", { class: "stars-basis" }, basisLabel(lang, basis)),
    el("span", { class: "stars-glyphs", "aria-hidden": "true" }, glyphs),
    el("span", { class: "stars-label" }, reading ? starLabel(lang, stars) : "—"),
  );
}

export function starsCard(rating, lang) {
  const rows = [
    starsRow(rating?.declared, "declared", lang),
    starsRow(rating?.evidenced, "evidenced", lang),
  ];
  // counted over the indicators in scope for this interview, as the progress bars count
  const coverage = rating?.verdict?.coverage_text;
  const note = coverage ? el("p", { class: "muted", testid: "completeness" }, coverage) : null;
  return card("stars-panel", t(lang, "stars"), el("div", { class: "stars" }, rows), note);
}

// ------------------------------------------------------------------ blockers

function blockerItem(line, lang) {
  return el(
    "li",
    {
      class: "blocker",
      testid: "blocker",
      "data-indicator": line.indicator_id,
      "data-code": line.code,
      "data-group": line.group,
    },
    el(
      "div",
      { class: "blocker-head" },
      el("code", { class: "ind-id" }, line.indicator_id),
      el("span", { class: "blocker-title" }, line.title),
      el("span", { class: `status-pill status-${line.status}` }, line.status_label),
    ),
    el("p", { class: "blocker-msg", testid: "blocker-text" }, line.text),
    line.lift ? el("p", { class: "blocker-lift" }, el("strong", {}, t(lang, "lift")), line.lift) : null,
  );
}

function areaBlockers(area, lang) {
  const items = area.blockers.map((line) => blockerItem(line, lang));
  const rest = items.slice(BLOCKERS_SHOWN);
  const more = rest.length
    ? el(
        "details",
        { class: "more" },
        el("summary", {}, t(lang, "showMore", { n: rest.length })),
        el("ul", { class: "blocker-list" }, rest),
      )
    : null;
  return el(
    "div",
    { class: "blocker-area", testid: "blocker-area", "data-area": area.area },
    el("h3", { class: "blocker-area-title", testid: "blocker-headline" }, area.headline),
    items.length ? el("ul", { class: "blocker-list" }, items.slice(0, BLOCKERS_SHOWN)) : null,
    more,
    area.notes.map((note) => el("p", { class: "muted", testid: "blocker-note" }, note)),
  );
}

function blockersBody(verdict, lang) {
  if (!verdict) return el("p", { class: "muted" }, "—");
  if (verdict.next_star === null) return el("p", { class: "muted" }, verdict.heading);
  const areas = verdict.areas.filter((a) => a.holding && (a.blockers.length || a.notes.length));
  return el(
    "div",
    { testid: "blockers-list", "data-next-star": verdict.next_star },
    el("p", { class: "blockers-for" }, verdict.heading),
    areas.length
      ? areas.map((a) => areaBlockers(a, lang))
      : el("p", { class: "muted" }, t(lang, "blockersNone")),
  );
}

/** ``basis`` is "declared" or "evidenced"; ``onBasis`` switches it. */
export function blockersCard(rating, lang, basis, onBasis) {
  const toggle = el(
    "div",
    { class: "segmented", role: "group", "aria-label": t(lang, "blockers") },
    ["declared", "evidenced"].map((name) =>
      el(
        "button",
        {
          type: "button",
          class: "seg-btn",
          testid: "blockers-basis",
          "data-basis": name,
          "aria-pressed": String(name === basis),
          on: { click: () => onBasis(name) },
        },
        basisLabel(lang, name),
      ),
    ),
  );
  const verdict = rating?.verdict?.[basis];
  return card("blockers-panel", t(lang, "blockers"), toggle, blockersBody(verdict, lang));
}

// ------------------------------------------------------------------ reports and evidence

export function reportsCard(lang, enabled, onDownload) {
  const buttons = REPORT_FORMATS.map(([format, key]) =>
    el(
      "button",
      {
        type: "button",
        class: "btn btn-outline",
        testid: `report-${format}`,
        "data-format": format,
        disabled: !enabled,
        on: { click: (event) => onDownload(format, event.currentTarget) },
      },
      icon("download"),
      t(lang, key),
    ),
  );
  return card("reports-panel", t(lang, "reports"), el("div", { class: "report-buttons" }, buttons));
}

function formatSize(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export function evidenceCard(records, lang) {
  const items = (records || []).map((r) =>
    el(
      "li",
      { class: "evidence-item", testid: "evidence-item", "data-id": r.id },
      el("span", { class: "evidence-name" }, r.filename),
      el(
        "span",
        { class: "muted" },
        [
          formatSize(r.size || 0),
          kindLabel(lang, r.kind),
          r.dated,
          r.valid_until ? t(lang, "validUntil", { date: r.valid_until }) : null,
        ]
          .filter(Boolean)
          .join(" · "),
      ),
      (r.indicator_ids || []).length
        ? el(
            "span",
            { class: "evidence-links" },
            r.indicator_ids.map((id) => el("code", { class: "ind-id" }, id)),
          )
        : null,
    ),
  );
  const body = items.length
    ? el("ul", { class: "evidence-list", testid: "evidence-list" }, items)
    : el("p", { class: "muted", testid: "evidence-list" }, t(lang, "evidenceNone"));
  return card("evidence-panel", t(lang, "evidenceList"), body);
}

/** Re-render the whole panel into ``root`` (keeps the compact header if any). */
export function renderPanel(root, view, lang, handlers) {
  clear(root);
  root.append(
    progressCard(view.progress, lang),
    starsCard(view.rating, lang),
    reportsCard(lang, Boolean(view.sessionId), handlers.onDownload),
    blockersCard(view.rating, lang, view.basis, handlers.onBasis),
    evidenceCard(view.evidence, lang),
  );
}
