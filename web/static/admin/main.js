// The /admin page: sign in with an admin key (the console cookie), then the dashboard's
// totals, charts (server-drawn SVG as images) and tables, with filters and the Excel export.
import { chartUrl, dashboard, exportUrl, filterQuery, signIn, signOut, vocabulary, whoAmI } from "./api.js";
import { label, pickLanguage, t, translate } from "./i18n.js";
import {
  chartAlts,
  renderBlockers,
  renderLevels,
  renderMonths,
  renderStars,
  renderTotals,
  renderTypes,
} from "./render.js";

const LANG_KEY = "smecmm.admin.lang";
const $ = (id) => document.getElementById(id);

function storedLanguage() {
  try {
    return localStorage.getItem(LANG_KEY);
  } catch {
    return null;
  }
}

const state = {
  lang: pickLanguage(location.search, storedLanguage()),
  vocab: null,
  board: null,
  level: 1,
  csrf: null,
  query: new URLSearchParams(),
};

function show(signedIn) {
  $("sign-in").hidden = signedIn;
  $("board").hidden = !signedIn;
  $("sign-out").hidden = !signedIn;
}

function applyLanguage() {
  const { lang } = state;
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.title = `${t(lang, "title")} · ${lang === "en" ? "SME service maturity" : "服务机构能力成熟度"}`;
  translate(document, lang);
  const other = lang === "en" ? "zh-CN" : "en";
  $("lang").textContent = t(lang, "langSwitch");
  $("lang").setAttribute("lang", other);
  for (const option of document.querySelectorAll("option[data-type]")) {
    option.textContent = label(state.vocab, "institution_types", option.dataset.type, lang);
  }
}

function renderCharts() {
  const { board, lang, level, query, vocab } = state;
  const alts = chartAlts(board, vocab, lang, level);
  for (const name of ["stars", "months", "blockers"]) {
    const image = $(`chart-${name}`);
    image.alt = alts[name];
    image.src = chartUrl(name, query, lang, name === "blockers" ? level : null);
  }
}

function renderBlockerLevel() {
  const { board, lang, level, vocab } = state;
  renderLevels($("levels"), vocab, lang, level, (picked) => {
    state.level = picked;
    renderBlockerLevel();
    renderCharts();
  });
  renderBlockers($("blockers-table"), board.blockers[level - 1], vocab, lang);
}

function render() {
  const { board, lang, vocab } = state;
  if (!board) return;
  renderTotals(document.querySelector("[data-testid=totals]"), board, lang);
  renderStars($("stars-table"), board, vocab, lang);
  renderTypes($("types-table"), board, vocab, lang);
  renderMonths($("months-table"), board, lang);
  renderBlockerLevel();
  renderCharts();
  $("export").href = exportUrl(state.query);
  $("main").dataset.loaded = String(Number($("main").dataset.loaded ?? 0) + 1);
}

async function load() {
  const error = $("board-error");
  error.textContent = "";
  $("main").setAttribute("aria-busy", "true");
  try {
    state.query = filterQuery($("filters"));
    state.board = await dashboard(state.query, state.lang);
    render();
  } catch (failure) {
    if (failure.status === 401) {
      show(false);
    }
    error.textContent = failure.message;
  } finally {
    $("main").removeAttribute("aria-busy");
  }
}

async function enter(me) {
  if (me.role !== "admin") {
    await signOut(me.csrf_token, state.lang).catch(() => null);
    show(false);
    $("sign-in-error").textContent = t(state.lang, "notAdmin");
    return;
  }
  state.csrf = me.csrf_token;
  show(true);
  await load();
}

async function onSignIn(event) {
  event.preventDefault();
  const input = $("key");
  $("sign-in-error").textContent = "";
  try {
    const me = await signIn(input.value.trim(), state.lang);
    input.value = "";
    await enter(me);
  } catch (failure) {
    $("sign-in-error").textContent = failure.message;
    input.focus();
  }
}

async function onSignOut() {
  await signOut(state.csrf, state.lang).catch(() => null);
  state.csrf = null;
  state.board = null;
  show(false);
  $("key").focus();
}

function onLanguage() {
  state.lang = state.lang === "en" ? "zh" : "en";
  try {
    localStorage.setItem(LANG_KEY, state.lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  applyLanguage();
  render();
}

async function start() {
  $("sign-in-form").addEventListener("submit", onSignIn);
  $("sign-out").addEventListener("click", onSignOut);
  $("lang").addEventListener("click", onLanguage);
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  state.vocab = await vocabulary(state.lang).catch(() => null);
  applyLanguage();
  try {
    await enter(await whoAmI(state.lang));
  } catch {
    show(false);
  }
  $("main").dataset.ready = "true";
}

start();
