// The side panel: progress by area, the provisional stars, what blocks the next star,
// report downloads and the uploaded evidence.

import { clear, el, icon } from "./dom.js";
import {
  AREAS,
  areaName,
  kindLabel,
  levelStateLabel,
  starLabel,
  statusLabel,
  t,
} from "./i18n.js";

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
    for (const code of AREAS) {
      const area = (progress.by_area || {})[code];
      if (!area) continue;
      const label = `${areaName(lang, code)}`;
      rows.push(progressRow(label, area.answered, area.total, "progress-area", code));
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
    el("span", { class: "stars-basis" }, t(lang, basis)),
    el("span", { class: "stars-glyphs", "aria-hidden": "true" }, glyphs),
    el("span", { class: "stars-label" }, reading ? starLabel(lang, stars) : "—"),
  );
}

export function starsCard(rating, lang) {
  const rows = [
    starsRow(rating?.declared, "declared", lang),
    starsRow(rating?.evidenced, "evidenced", lang),
  ];
  const done = rating?.completeness;
  const note = done
    ? el("p", { class: "muted", testid: "completeness" }, t(lang, "completeness", done))
    : null;
  return card("stars-panel", t(lang, "stars"), el("div", { class: "stars" }, rows), note);
}

// ------------------------------------------------------------------ blockers

function blockerItem(blocker, lang) {
  const message = lang === "en" ? blocker.message_en : blocker.message_zh;
  const lift = lang === "en" ? blocker.lift_en : blocker.lift_zh;
  return el(
    "li",
    {
      class: "blocker",
      testid: "blocker",
      "data-indicator": blocker.indicator_id,
      "data-code": blocker.code,
    },
    el(
      "div",
      { class: "blocker-head" },
      el("code", { class: "ind-id" }, blocker.indicator_id),
      el(
        "span",
        { class: `status-pill status-${blocker.status}` },
        statusLabel(lang, blocker.status),
      ),
    ),
    el("p", { class: "blocker-msg" }, message),
    lift ? el("p", { class: "blocker-lift" }, el("strong", {}, t(lang, "lift")), lift) : null,
  );
}

function areaBlockers(area, lang) {
  const items = area.blockers.map((b) => blockerItem(b, lang));
  const shown = items.slice(0, BLOCKERS_SHOWN);
  const rest = items.slice(BLOCKERS_SHOWN);
  const more = rest.length
    ? el(
        "details",
        { class: "more" },
        el("summary", {}, t(lang, "showMore", { n: rest.length })),
        el("ul", { class: "blocker-list" }, rest),
      )
    : null;
  const head = t(lang, "nextLevel", {
    area: areaName(lang, area.area),
    star: starLabel(lang, area.next_level),
  });
  return el(
    "div",
    { class: "blocker-area", "data-area": area.area },
    el(
      "h3",
      { class: "blocker-area-title" },
      head,
      area.next_state
        ? el("span", { class: "muted" }, ` · ${levelStateLabel(lang, area.next_state)}`)
        : null,
    ),
    el("ul", { class: "blocker-list" }, shown),
    more,
  );
}

function blockersBody(reading, lang) {
  if (!reading) return el("p", { class: "muted" }, "—");
  const next = reading.next_star;
  if (!next) return el("p", { class: "muted" }, t(lang, "blockersTop"));
  const areas = reading.areas.filter((a) => next.areas.includes(a.area) && a.blockers.length);
  return el(
    "div",
    { testid: "blockers-list", "data-next-star": next.level },
    el(
      "p",
      { class: "blockers-for" },
      t(lang, "blockersFor", { star: starLabel(lang, next.level) }),
    ),
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
        t(lang, name),
      ),
    ),
  );
  return card("blockers-panel", t(lang, "blockers"), toggle, blockersBody(rating?.[basis], lang));
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
