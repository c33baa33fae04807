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

/** The model's readings: those waiting for the user's yes first, then those recorded. */
export function proposedBlock(findings, lang) {
  if (!findings || !findings.length) return null;
  const groups = [
    ["proposed", findings.filter((f) => !f.recorded)],
    ["recordedFindings", findings.filter((f) => f.recorded)],
  ].filter(([, items]) => items.length);
  return el(
    "section",
    { class: "proposals" },
    groups.map(([key, items]) => [
      el("h3", { class: "block-title" }, t(lang, key)),
      el(
        "ul",
        {
          class: "proposal-list",
          testid: "proposed-findings",
          "data-recorded": String(key !== "proposed"),
        },
        items.map((f) => proposalItem(f, lang)),
      ),
    ]),
  );
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
