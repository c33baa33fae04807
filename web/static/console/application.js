// One application: its profile, the three readings, each area's level and blockers, then the
// findings, files, records, notes and sign-off (each in its own module).

import { el } from "../dom.js";
import { starLabel } from "../i18n.js";
import { renderFiles } from "./files.js";
import { renderFindings } from "./findings.js";
import { renderSignoff } from "./signoff.js";
import { t } from "./strings.js";
import { renderNotes, renderRecords } from "./work.js";

function profileSection(lang, profile) {
  const rows = [
    ["pName", profile.name],
    ["pType", profile.institution_type ? t(lang, `type_${profile.institution_type}`) : null],
    ["pFields", profile.service_fields],
    ["pSmes", profile.smes_served_per_year],
    ["pTarget", profile.target_stars ? starLabel(lang, profile.target_stars) : null],
  ];
  return el(
    "section",
    { class: "c-card", "aria-labelledby": "h-profile" },
    el("h3", { id: "h-profile" }, t(lang, "profile")),
    el(
      "dl",
      { class: "c-pairs" },
      rows.flatMap(([key, value]) => [el("dt", {}, t(lang, key)), el("dd", {}, value ?? "—")]),
    ),
  );
}

function readingsSection(lang, view) {
  const items = [
    ["rDeclared", view.verdict.declared.stars],
    ["rEvidenced", view.verdict.evidenced.stars],
    ["rConfirmed", view.confirmed_verdict.evidenced.stars],
  ];
  return el(
    "section",
    { class: "c-card", "aria-labelledby": "h-readings" },
    el("h3", { id: "h-readings" }, t(lang, "readings")),
    el(
      "ul",
      { class: "c-stars", testid: "readings" },
      items.map(([key, stars]) =>
        el("li", {}, el("span", { class: "c-muted" }, t(lang, key)), el("strong", {}, starLabel(lang, stars))),
      ),
    ),
    el("p", { class: "c-muted" }, view.verdict.coverage_text),
  );
}

function areaItem(lang, area, confirmed) {
  const blockers = area.blockers.length
    ? el(
        "ul",
        { class: "c-blockers" },
        area.blockers.map((line) => el("li", {}, line.line, line.lift ? ` ${line.lift}` : "")),
      )
    : el("p", { class: "c-muted" }, t(lang, "noBlockers"));
  const confirmedLevel = confirmed ? ` · ${t(lang, "rConfirmed")} ${confirmed.level_label}` : "";
  return el(
    "li",
    { class: "c-area", testid: `area-${area.area}` },
    el("strong", {}, t(lang, "areaLevel", { name: area.name, level: area.level_label })),
    el("span", { class: "c-muted" }, ` ${area.headline}${confirmedLevel}`),
    blockers,
  );
}

function areasSection(lang, view) {
  const confirmed = new Map(view.confirmed_verdict.evidenced.areas.map((a) => [a.area, a]));
  return el(
    "section",
    { class: "c-card", "aria-labelledby": "h-areas" },
    el("h3", { id: "h-areas" }, t(lang, "areas")),
    el("p", {}, view.verdict.evidenced.heading),
    el("ul", { class: "c-areas" }, view.verdict.evidenced.areas.map((a) => areaItem(lang, a, confirmed.get(a.area)))),
  );
}

function header(ctx, view) {
  const { lang } = ctx;
  const name = view.profile.name || t(lang, "unnamed");
  const lock = view.lock.locked
    ? el("p", { class: "c-notice", testid: "lock-note", role: "status" }, t(lang, "lockedNote", { version: view.lock.version }))
    : null;
  return [
    el("button", { type: "button", class: "c-link", testid: "back", on: { click: () => ctx.showQueue() } }, `← ${t(lang, "back")}`),
    el("h2", { tabindex: -1, id: "view-heading", testid: "application-name" }, name),
    el("p", { class: "c-muted" }, view.session_id),
    lock,
  ];
}

/** Load and draw one application; ``reload`` redraws it after a change. */
export async function renderApplication(ctx, root, id) {
  const { lang } = ctx;
  root.replaceChildren(el("p", { class: "c-muted", role: "status" }, t(lang, "loading")));
  let view;
  try {
    view = await ctx.client.view(id);
  } catch (error) {
    root.replaceChildren(ctx.errorLine(error));
    return null;
  }
  const app = { ...ctx, id, view, reload: (message) => reload(ctx, root, id, message) };
  root.replaceChildren(
    ...header(ctx, view).filter(Boolean),
    profileSection(lang, view.profile),
    readingsSection(lang, view),
    areasSection(lang, view),
    renderSignoff(app),
    renderFindings(app),
    renderFiles(app),
    renderRecords(app),
    renderNotes(app),
  );
  return root.querySelector("#view-heading");
}

async function reload(ctx, root, id, message) {
  const scroll = window.scrollY;
  const openIds = [...root.querySelectorAll("details[open]")].map((node) => node.id).filter(Boolean);
  await renderApplication(ctx, root, id);
  for (const openId of openIds) {
    const node = document.getElementById(openId);
    if (node) node.open = true;
  }
  window.scrollTo(0, scroll);
  if (message) ctx.say(message);
}
