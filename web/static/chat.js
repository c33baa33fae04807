// The chat log: bubbles, and the live question's controls (quick replies, checklists,
// proposed findings, citations). Every text goes in as text or through the Markdown renderer.

import { el, markdownInto } from "./dom.js";
import { CHECKLIST_STATUSES, statusLabel, t } from "./i18n.js";

const ROLE_LABEL = { user: "you", assistant: "assistant", system: "system" };

/** A bubble; ``body`` is a node or, for the assistant, Markdown text. */
export function bubble(role, lang, body, { busy = false } = {}) {
  const content = el("div", { class: "msg-body" });
  if (typeof body === "string") {
    if (role === "assistant") markdownInto(content, body);
    else content.textContent = body;
  } else if (body) {
    content.append(body);
  }
  return el(
    "article",
    { class: `msg msg-${role}`, testid: `msg-${role}`, "aria-busy": busy ? "true" : null },
    el("span", { class: "sr-only" }, `${t(lang, ROLE_LABEL[role])}: `),
    content,
  );
}

export function bodyOf(article) {
  return article.querySelector(".msg-body");
}

// ------------------------------------------------------------------ citations

/**
 * The citations of an answer as chips: "[1] 指标目录 SO-4-05", each opening to its quote. The
 * number is the answer's marker [1]; the label names the document and the clause, never a
 * file (older stored replies without a label show the clause number).
 */
export function citationsBlock(citations, lang) {
  if (!citations || !citations.length) return null;
  const chips = citations.map((cite, index) => citationChip(cite, index + 1, lang));
  return el(
    "div",
    { class: "citations", testid: "citations" },
    el("span", { class: "citations-label" }, t(lang, "citations")),
    el("div", { class: "chips" }, chips),
  );
}

function citationChip(cite, number, lang) {
  const name = cite.label || cite.indicator_id || cite.clause || "?";
  const document = cite.document || t(lang, cite.rendition === "operator" ? "operator" : "reference");
  const quote = el("div", { class: "cite-text" });
  markdownInto(quote, cite.text || "");
  return el(
    "details",
    {
      class: "cite",
      testid: "citation-chip",
      "data-clause": cite.clause,
      "data-number": String(number),
    },
    el("summary", { title: cite.title || null }, `[${number}] ${name}`),
    el(
      "div",
      { class: "cite-body" },
      el("p", { class: "cite-title" }, cite.title || ""),
      el("blockquote", {}, quote),
      el("p", { class: "cite-source" }, document),
    ),
  );
}

/**
 * Put an answer's citations right under the answer: before the rule ("---") that separates it
 * from the interview question asked again, or at the end of the bubble when there is none.
 */
export function placeCitations(article, block) {
  if (!block) return;
  const rule = bodyOf(article)?.querySelector(":scope > hr");
  if (rule) rule.before(block);
  else article.append(block);
}

// ------------------------------------------------------------------ proposed findings

function proposalItem(f, lang) {
  return el(
    "li",
    {
      class: "proposal",
      testid: "proposed-finding",
      "data-indicator": f.indicator_id,
      "data-recorded": f.recorded ? "true" : "false",
    },
    el(
      "div",
      { class: "proposal-head" },
      el("code", { class: "ind-id" }, f.indicator_id),
      el("span", { class: `status-pill status-${f.status}` }, statusLabel(lang, f.status)),
      el(
        "span",
        { class: "confidence" },
        t(lang, "confidence", { pct: Math.round((Number(f.confidence) || 0) * 100) }),
      ),
    ),
    f.rationale ? el("p", { class: "proposal-why" }, f.rationale) : null,
  );
}

/**
 * The readings waiting for the user's yes. Recorded ones are not repeated here: they show
 * under the user's own words (``readingsStrip``), never between a question and its buttons.
 */
export function proposedBlock(findings, lang) {
  const waiting = (findings || []).filter((f) => !f.recorded);
  if (!waiting.length) return null;
  return el(
    "section",
    { class: "proposals" },
    el("h3", { class: "block-title" }, t(lang, "proposed")),
    el(
      "ul",
      { class: "proposal-list", testid: "proposed-findings", "data-recorded": "false" },
      waiting.map((f) => proposalItem(f, lang)),
    ),
  );
}

// ------------------------------------------------------------------ readings

/**
 * What one answer recorded, right under the user's bubble: "SS-1-01 记为 满足 · 改 · 撤销".
 * ``readings`` are one turn's (each with ``state``: current, changed or undone);
 * ``onUndo(reading)`` and ``onChange(reading, status)`` act on a current one.
 */
export function readingsStrip(readings, lang, { onUndo, onChange }) {
  if (!readings || !readings.length) return null;
  return el(
    "ul",
    {
      class: "readings",
      testid: "readings",
      "data-turn": String(readings[0].turn),
      "aria-label": t(lang, "readingsLabel"),
    },
    readings.map((reading) => readingItem(reading, lang, { onUndo, onChange })),
  );
}

function readingItem(reading, lang, { onUndo, onChange }) {
  const id = reading.indicator_id;
  const state = reading.state || "current";
  const text =
    state === "undone"
      ? t(lang, "readingUndone", { id })
      : t(lang, "readingRecorded", { id, status: statusLabel(lang, reading.status) });
  const item = el(
    "li",
    {
      class: `reading reading-${state}`,
      testid: "reading",
      "data-indicator": id,
      "data-state": state,
      "data-status": reading.status,
    },
    el("span", { class: "reading-text" }, text),
  );
  if (state === "changed") item.append(el("span", { class: "reading-note" }, t(lang, "readingChangedSince")));
  if (state !== "current") return item;
  const choices = el(
    "span",
    { class: "reading-choices", testid: "reading-choices", hidden: true },
    CHECKLIST_STATUSES.filter((s) => s !== reading.status).map((status) =>
      el(
        "button",
        {
          type: "button",
          class: `status-btn status-${status}`,
          testid: "reading-choice",
          "data-status": status,
          on: { click: () => onChange(reading, status) },
        },
        statusLabel(lang, status),
      ),
    ),
  );
  const change = el(
    "button",
    {
      type: "button",
      class: "reading-btn",
      testid: "reading-change",
      "aria-expanded": "false",
      "aria-label": t(lang, "readingChangeLabel", { id }),
      on: {
        click: () => {
          choices.hidden = !choices.hidden;
          change.setAttribute("aria-expanded", String(!choices.hidden));
        },
      },
    },
    t(lang, "readingChange"),
  );
  const undo = el(
    "button",
    {
      type: "button",
      class: "reading-btn",
      testid: "reading-undo",
      "aria-label": t(lang, "readingUndoLabel", { id }),
      on: { click: () => onUndo(reading) },
    },
    t(lang, "readingUndo"),
  );
  item.append(" · ", change, " · ", undo, choices);
  return item;
}

// ------------------------------------------------------------------ quick replies

function quickLabel(reply, question) {
  const linked = /^link:(.+)$/.exec(reply.value);
  if (!linked || !question) return reply.label;
  const ref = (question.indicators || []).find((i) => i.id === linked[1]);
  return ref ? `${reply.label} ${ref.title}` : reply.label;
}

export function quickReplies(question, lang, onPick) {
  const replies = (question && question.quick_replies) || [];
  if (!replies.length) return null;
  if (question.kind === "evidence" && !replies.some((r) => r.value === "link:confirm")) {
    return evidenceLinks(question, lang, onPick);
  }
  const buttons = replies.map((reply) =>
    el(
      "button",
      {
        type: "button",
        class: "chip-btn",
        testid: "quick-reply",
        "data-value": reply.value,
        on: { click: () => onPick(reply) },
      },
      quickLabel(reply, question),
    ),
  );
  const label = t(lang, "quickReplies");
  return el("div", { class: "quick-replies", role: "group", "aria-label": label }, buttons);
}

// ------------------------------------------------------------------ evidence links

/**
 * Which indicators an upload backs: one box per suggestion, best match first and ticked.
 * Sends "link:ID,ID" (more than two are listed back by the server for a yes) or "link:none".
 */
export function evidenceLinks(question, lang, onPick) {
  const refs = question.indicators || [];
  const chosen = new Set(refs.length ? [refs[0].id] : []);
  const submit = el("button", { type: "submit", class: "btn btn-primary", testid: "link-submit" });
  const refresh = () => {
    submit.textContent = t(lang, "linkSelected", { n: chosen.size });
    submit.disabled = chosen.size === 0;
  };
  const rows = refs.map((ref, index) => linkRow(ref, lang, index === 0, chosen, refresh));
  const none = el(
    "button",
    {
      type: "button",
      class: "chip-btn chip-secondary",
      testid: "link-none",
      on: { click: () => onPick({ value: "link:none", label: t(lang, "linkNone") }) },
    },
    t(lang, "linkNone"),
  );
  refresh();
  const form = el(
    "form",
    { class: "evidence-links", testid: "evidence-links", novalidate: true },
    el("p", { class: "checklist-legend" }, t(lang, "linkLegend")),
    el("div", { class: "link-rows" }, rows),
    el("div", { class: "checklist-foot" }, none, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const ids = refs.map((ref) => ref.id).filter((id) => chosen.has(id));
    if (!ids.length) return;
    const label = t(lang, "linkEcho", { ids: ids.join(lang === "en" ? ", " : "、") });
    onPick({ value: `link:${ids.join(",")}`, label });
  });
  return form;
}

function linkRow(ref, lang, best, chosen, changed) {
  const box = el("input", {
    type: "checkbox",
    testid: "link-choice",
    "data-indicator": ref.id,
    checked: chosen.has(ref.id),
  });
  box.addEventListener("change", () => {
    if (box.checked) chosen.add(ref.id);
    else chosen.delete(ref.id);
    changed();
  });
  return el(
    "label",
    { class: "link-row", testid: "link-row", "data-indicator": ref.id },
    box,
    el("code", { class: "ind-id" }, ref.id),
    el("span", {}, ref.title),
    best ? el("span", { class: "badge-best", testid: "link-best" }, t(lang, "linkBest")) : null,
  );
}

// ------------------------------------------------------------------ checklist

/**
 * One row per indicator with status buttons, and a submit button. ``saved`` holds the
 * choices of a reloaded page; ``onChange(answers)`` stores them; ``onSubmit(answers)`` sends.
 */
export function checklist(question, lang, { saved = {}, onChange, onSubmit }) {
  const answers = {};
  const indicators = question.indicators || [];
  for (const ref of indicators) {
    if (CHECKLIST_STATUSES.includes(saved[ref.id])) answers[ref.id] = saved[ref.id];
  }
  const count = el("span", { class: "checklist-count", "aria-live": "polite" });
  const submit = el(
    "button",
    { type: "submit", class: "btn btn-primary", testid: "checklist-submit" },
    t(lang, "submitChecklist"),
  );
  const refresh = () => {
    const n = Object.keys(answers).length;
    count.textContent = t(lang, "checklistChosen", { n, total: indicators.length });
    submit.disabled = n === 0;
  };
  const rows = indicators.map((ref) =>
    checklistRow(ref, lang, answers, () => {
      refresh();
      if (onChange) onChange({ ...answers });
    }),
  );
  refresh();
  const form = el(
    "form",
    { class: "checklist", testid: "checklist", novalidate: true },
    el("p", { class: "checklist-legend" }, t(lang, "checklistLegend")),
    rows,
    el("div", { class: "checklist-foot" }, count, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (Object.keys(answers).length) onSubmit({ ...answers });
  });
  return form;
}

function checklistRow(ref, lang, answers, changed) {
  const titleId = `row-${ref.id}-${Math.random().toString(36).slice(2, 8)}`;
  const buttons = CHECKLIST_STATUSES.map((status) => {
    const button = el(
      "button",
      {
        type: "button",
        class: `status-btn status-${status}`,
        testid: "checklist-status",
        "data-status": status,
        "aria-pressed": answers[ref.id] === status ? "true" : "false",
      },
      statusLabel(lang, status),
    );
    button.addEventListener("click", () => {
      if (answers[ref.id] === status) delete answers[ref.id];
      else answers[ref.id] = status;
      for (const other of button.parentElement.children) {
        other.setAttribute("aria-pressed", String(answers[ref.id] === other.dataset.status));
      }
      changed();
    });
    return button;
  });
  return el(
    "div",
    { class: "check-row", testid: "checklist-row", "data-indicator": ref.id },
    el(
      "div",
      { class: "check-title", id: titleId },
      el("code", { class: "ind-id" }, ref.id),
      " ",
      el("span", {}, ref.title),
      ref.core ? el("span", { class: "badge-core", testid: "core-badge" }, t(lang, "core")) : null,
    ),
    el("div", { class: "status-buttons", role: "group", "aria-labelledby": titleId }, buttons),
  );
}

/** A short text for the user's bubble after a checklist was sent. */
export function answersSummary(answers, lang) {
  return Object.entries(answers)
    .map(([id, status]) => `${id} ${statusLabel(lang, status)}`)
    .join("；");
}

/** The key under which a checklist's unsent choices are kept: its indicators. */
export function questionKey(question) {
  if (!question) return "";
  return `${question.kind}:${(question.indicators || []).map((i) => i.id).join(",")}`;
}
