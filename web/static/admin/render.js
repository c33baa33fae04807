// Tables and totals of the dashboard, built with DOM calls (text is never parsed as HTML).
import { label, t } from "./i18n.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) node.append(child);
  return node;
}

const STARS = [0, 1, 2, 3, 4, 5];
const READINGS = [
  ["declared", "declared"],
  ["evidenced", "evidenced"],
  ["signed", "signedReading"],
];

function fill(table, caption, headers, rows, testid) {
  table.replaceChildren();
  table.append(el("caption", { text: caption }));
  const head = el("tr");
  headers.forEach((text, index) => head.append(el("th", { scope: "col", text, class: index ? "num" : null })));
  table.append(el("thead", {}, head));
  const body = el("tbody");
  for (const row of rows) {
    const line = el("tr", { "data-testid": testid });
    row.forEach((value, index) => {
      line.append(index ? el("td", { class: "num", text: value }) : el("th", { scope: "row", text: value }));
    });
    body.append(line);
  }
  table.append(body);
}

const stars = (vocab, n, lang) => label(vocab, "stars", n, lang);

export function renderTotals(container, board, lang) {
  const { totals } = board;
  const items = [
    ["sessions", totals.sessions],
    ["rated", totals.rated],
    ["signed", totals.signed],
  ];
  container.replaceChildren(
    ...items.map(([key, value]) =>
      el(
        "div",
        { class: "total", "data-testid": `total-${key}` },
        el("span", { class: "total-value", text: value }),
        el("span", { class: "total-label", text: t(lang, key) }),
      ),
    ),
  );
}

export function renderStars(table, board, vocab, lang) {
  const rows = STARS.map((n) => [stars(vocab, n, lang), ...READINGS.map(([key]) => board.stars[key][n])]);
  rows.push([t(lang, "notRated"), board.stars.not_rated, board.stars.not_rated, "—"]);
  rows.push([t(lang, "unsigned"), "—", "—", board.stars.unsigned]);
  const headers = [t(lang, "star"), ...READINGS.map(([, word]) => t(lang, word))];
  fill(table, t(lang, "starsTitle"), headers, rows, "stars-row");
}

export function renderTypes(table, board, vocab, lang) {
  const name = (row) =>
    row.institution_type ? label(vocab, "institution_types", row.institution_type, lang) : t(lang, "notGiven");
  const headers = [
    t(lang, "type"),
    t(lang, "sessions"),
    t(lang, "rated"),
    t(lang, "signed"),
    ...STARS.map((n) => `${t(lang, "evidenced")} ${stars(vocab, n, lang)}`),
  ];
  const rows = board.by_type.map((row) => [
    name(row),
    row.sessions,
    row.sessions - row.stars.not_rated,
    row.sessions - row.stars.unsigned,
    ...STARS.map((n) => row.stars.evidenced[n]),
  ]);
  fill(table, t(lang, "typesTitle"), headers, rows.length ? rows : [[t(lang, "none")]], "type-row");
}

export function renderMonths(table, board, lang) {
  const headers = [t(lang, "month"), t(lang, "sessions"), t(lang, "rated"), t(lang, "signed")];
  const rows = board.by_month.map((m) => [m.month, m.sessions, m.rated, m.signed]);
  fill(table, t(lang, "monthsTitle"), headers, rows.length ? rows : [[t(lang, "none")]], "month-row");
}

export function renderLevels(container, vocab, lang, current, onPick) {
  container.replaceChildren(
    ...[1, 2, 3, 4, 5].map((level) => {
      const button = el("button", {
        type: "button",
        class: "level",
        "aria-pressed": String(level === current),
        "data-testid": "level",
        "data-level": level,
        text: stars(vocab, level, lang),
      });
      button.addEventListener("click", () => onPick(level));
      return button;
    }),
  );
}

export function renderBlockers(table, level, vocab, lang) {
  const caption = t(lang, "levelApps", { star: stars(vocab, level.level, lang), n: level.applications });
  const headers = [t(lang, "indicator"), t(lang, "indicatorTitle"), t(lang, "count"), t(lang, "reasons")];
  const reasons = (row) =>
    Object.entries(row.reasons)
      .map(([code, n]) => `${label(vocab, "reasons", code, lang)} ${n}`)
      .join(t(lang, "sep"));
  const rows = level.blockers.map((row) => [
    row.core ? `${row.indicator_id} (${t(lang, "core")})` : row.indicator_id,
    lang === "en" ? row.title_en : row.title_zh,
    row.count,
    reasons(row),
  ]);
  fill(table, caption, headers, rows.length ? rows : [[t(lang, "none")]], "blocker-row");
  for (const cell of table.querySelectorAll("tbody td:nth-child(2), tbody td:nth-child(4)")) {
    cell.classList.remove("num");
  }
}

/** Text alternatives of the charts: what the bars say, in words. */
export function chartAlts(board, vocab, lang, level) {
  const sep = t(lang, "sep");
  const colon = lang === "en" ? ": " : "：";
  const starsDesc = STARS.map(
    (n) =>
      stars(vocab, n, lang) +
      colon +
      READINGS.map(([key, word]) => `${t(lang, word)} ${board.stars[key][n]}`).join(lang === "en" ? ", " : "，"),
  ).join(sep);
  const monthsDesc = board.by_month
    .map((m) => `${m.month}${colon}${t(lang, "sessions")} ${m.sessions}, ${t(lang, "signed")} ${m.signed}`)
    .join(sep);
  const found = board.blockers[level - 1];
  const blockersDesc = found.blockers.map((b) => `${b.indicator_id}${colon}${b.count}`).join(sep);
  return {
    stars: t(lang, "chartStarsAlt", { desc: starsDesc }),
    months: t(lang, "chartMonthsAlt", { desc: monthsDesc || t(lang, "none") }),
    blockers: t(lang, "chartBlockersAlt", {
      star: stars(vocab, level, lang),
      desc: blockersDesc || t(lang, "none"),
    }),
  };
}
