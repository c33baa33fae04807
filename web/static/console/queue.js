// The queue of applications: filters, a page of results with the total, paging.

import { el } from "../dom.js";
import { starLabel } from "../i18n.js";
import { t, when } from "./strings.js";

const PAGE = 20;
const STAGES = ["profile", "indicators", "done"];
const TYPES = ["public_service", "market", "nonprofit"];

function field(id, label, control) {
  return el("div", { class: "c-field" }, el("label", { for: id }, label), control);
}

function select(id, name, options, value) {
  const control = el("select", { id, name });
  for (const [optionValue, text] of options) {
    control.append(el("option", { value: optionValue, selected: optionValue === value }, text));
  }
  return control;
}

function starOptions(lang) {
  return [["", t(lang, "any")], ...[0, 1, 2, 3, 4, 5].map((n) => [String(n), starLabel(lang, n)])];
}

function filterForm(ctx, state, onSearch) {
  const { lang } = ctx;
  const f = state.filters;
  const form = el(
    "form",
    { class: "c-filters", testid: "queue-filters", "aria-label": t(lang, "filters") },
    field("q-text", t(lang, "fText"), el("input", { id: "q-text", name: "text", type: "search", maxlength: 100, value: f.text || "" })),
    field("q-declared", t(lang, "fDeclared"), select("q-declared", "declared_stars", starOptions(lang), f.declared_stars || "")),
    field("q-evidenced", t(lang, "fEvidenced"), select("q-evidenced", "evidenced_stars", starOptions(lang), f.evidenced_stars || "")),
    field(
      "q-signed",
      t(lang, "fSigned"),
      select("q-signed", "signed", [["", t(lang, "any")], ["true", t(lang, "fSignedYes")], ["false", t(lang, "fSignedNo")]], f.signed || ""),
    ),
    field("q-stage", t(lang, "fStage"), select("q-stage", "stage", [["", t(lang, "any")], ...STAGES.map((s) => [s, t(lang, `stage_${s}`)])], f.stage || "")),
    field(
      "q-type",
      t(lang, "fType"),
      select("q-type", "institution_type", [["", t(lang, "any")], ...TYPES.map((s) => [s, t(lang, `type_${s}`)])], f.institution_type || ""),
    ),
    field("q-from", t(lang, "fFrom"), el("input", { id: "q-from", name: "updated_from", type: "date", value: f.updated_from || "" })),
    field("q-to", t(lang, "fTo"), el("input", { id: "q-to", name: "updated_to", type: "date", value: f.updated_to || "" })),
    el(
      "div",
      { class: "c-actions" },
      el("button", { type: "submit", class: "c-primary", testid: "queue-search" }, t(lang, "apply")),
      el("button", { type: "reset", class: "c-secondary" }, t(lang, "reset")),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    state.filters = Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v).trim()]));
    state.offset = 0;
    onSearch();
  });
  form.addEventListener("reset", () => {
    state.filters = {};
    state.offset = 0;
    setTimeout(onSearch, 0);
  });
  return form;
}

function row(ctx, summary) {
  const { lang } = ctx;
  const name = summary.institution || t(lang, "unnamed");
  const stars = t(lang, "starsLine", {
    declared: summary.declared_stars === null ? "—" : starLabel(lang, summary.declared_stars),
    evidenced: summary.evidenced_stars === null ? "—" : starLabel(lang, summary.evidenced_stars),
  });
  return el(
    "li",
    { class: "c-row", testid: "queue-row", "data-session": summary.id },
    el(
      "div",
      { class: "c-row-main" },
      el("strong", { class: "c-row-name" }, name),
      el("span", { class: "c-muted" }, summary.id),
      el(
        "span",
        {},
        [
          t(lang, `stage_${summary.stage}`),
          t(lang, "answered", { n: summary.answered }),
          stars,
          summary.signed_stars === null || summary.signed_stars === undefined
            ? null
            : t(lang, "signedLine", { stars: starLabel(lang, summary.signed_stars) }),
          t(lang, "updated", { date: when(lang, summary.updated_at) }),
        ]
          .filter(Boolean)
          .join(" · "),
      ),
      summary.locked ? el("span", { class: "c-badge" }, t(lang, "locked")) : null,
    ),
    el(
      "button",
      {
        type: "button",
        class: "c-primary",
        testid: "queue-open",
        "aria-label": `${t(lang, "open")} ${name}`,
        on: { click: () => ctx.openApplication(summary.id) },
      },
      t(lang, "open"),
    ),
  );
}

/** Draw the queue into ``root``; ``state`` keeps the filters and page across visits. */
export async function renderQueue(ctx, root, state) {
  const { lang } = ctx;
  const results = el("div", { class: "c-results", "aria-live": "polite", testid: "queue-results" });
  const search = async () => {
    results.replaceChildren(el("p", { class: "c-muted" }, t(lang, "loading")));
    let page;
    try {
      page = await ctx.client.queue({ ...state.filters, limit: PAGE, offset: state.offset });
    } catch (error) {
      results.replaceChildren(ctx.errorLine(error));
      return;
    }
    results.replaceChildren(...pageOf(ctx, state, page, search));
  };
  const heading = el("h2", { tabindex: -1, id: "view-heading" }, t(lang, "queue"));
  root.replaceChildren(heading, filterForm(ctx, state, search), results);
  await search();
  return heading;
}

function pageOf(ctx, state, page, search) {
  const { lang } = ctx;
  if (!page.sessions.length) return [el("p", { testid: "queue-empty" }, t(lang, "none"))];
  const total = page.total ?? page.sessions.length;
  const first = page.offset + 1;
  const last = page.offset + page.sessions.length;
  const move = (delta) => {
    state.offset = Math.max(0, state.offset + delta);
    search();
  };
  return [
    el("p", { testid: "queue-total" }, t(lang, "total", { total, from: first, to: last })),
    el("ul", { class: "c-list" }, page.sessions.map((summary) => row(ctx, summary))),
    el(
      "nav",
      { class: "c-pager", "aria-label": t(lang, "queue") },
      el("button", { type: "button", class: "c-secondary", disabled: first <= 1, on: { click: () => move(-PAGE) } }, t(lang, "prev")),
      el("button", { type: "button", class: "c-secondary", disabled: last >= total, on: { click: () => move(PAGE) } }, t(lang, "next")),
    ),
  ];
}
