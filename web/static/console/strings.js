// The assessor console's labels, Chinese first. Status, area and star names come from the
// chat page's tables (../i18n.js).

import { t as chatT } from "../i18n.js";
import { EN } from "./strings-en.js";
import { ZH } from "./strings-zh.js";

const STRINGS = { zh: ZH, en: EN };

/** The console string ``key`` in ``lang``, {placeholders} filled; falls back to the chat's. */
export function t(lang, key, vars = {}) {
  const table = STRINGS[lang] || STRINGS.zh;
  const text = table[key] ?? STRINGS.zh[key];
  if (text === undefined) return chatT(lang, key, vars);
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** The colon after a label: full-width in Chinese. */
export function colon(lang) {
  return lang === "en" ? ": " : "：";
}

/** A date-time as the reader's calendar shows it. */
export function when(lang, iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleString(lang === "en" ? "en-GB" : "zh-CN", {
    dateStyle: "medium",
    timeStyle: "short",
  });
}
