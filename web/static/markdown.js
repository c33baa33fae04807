// A small Markdown renderer for the chat: safe by construction.
//
// Every piece of source text is HTML-escaped before any markup is added, and the only markup
// added is a fixed set of tags. The one attribute that carries source text is a link's href,
// accepted only for http(s) URLs (already escaped, so it cannot close the attribute).
// Supported: ATX headings, paragraphs (single newlines become <br>), **bold**, *italic*,
// ~~strike~~, `code`, fenced code, [links](https://…), "-"/"*"/"+" and "1." lists (nested by
// indentation), > blockquotes (nested Markdown), pipe tables and horizontal rules.

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escape the five HTML-significant characters. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const HOLE = "\u0000"; // placeholder delimiter; stripped from the input first
const SAFE_URL = /^https?:\/\/[^\s\u0000]+$/i;

function stash(store, html) {
  store.push(html);
  return `${HOLE}${store.length - 1}${HOLE}`;
}

function unstash(text, store) {
  return text.replace(/\u0000(\d+)\u0000/g, (_, i) => store[Number(i)]);
}

function linkHtml(label, href) {
  return `<a href="${href}" target="_blank" rel="noopener noreferrer">${label}</a>`;
}

/** Inline Markdown of one block's text (not yet escaped) to safe HTML. */
export function renderInline(source) {
  const store = [];
  let text = escapeHtml(source);
  // Code spans first: nothing inside them is markup.
  text = text.replace(/`([^`\n]+)`/g, (_, code) => stash(store, `<code>${code}</code>`));
  text = text.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label, href) =>
    SAFE_URL.test(href) ? stash(store, linkHtml(label, href)) : whole,
  );
  text = text.replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, "<strong>$1</strong>");
  text = text.replace(/__(?=\S)([^_\n]*?\S)__/g, "<strong>$1</strong>");
  text = text.replace(/~~(?=\S)([^~\n]*?\S)~~/g, "<del>$1</del>");
  text = text.replace(/(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g, "$1<em>$2</em>");
  return unstash(text, store);
}

// ------------------------------------------------------------------ blocks

const FENCE = /^\s{0,3}(```|~~~)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function indentOf(line) {
  return line.length - line.trimStart().length;
}

function isBlank(line) {
  return line.trim() === "";
}

function splitRow(line) {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

function isTableStart(lines, i) {
  return lines[i].includes("|") && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1])
    && lines[i + 1].includes("-");
}

function alignClass(spec) {
  const s = spec.trim();
  if (s.startsWith(":") && s.endsWith(":")) return ' class="al-c"';
  if (s.endsWith(":")) return ' class="al-r"';
  return "";
}

function readTable(lines, start) {
  const head = splitRow(lines[start]);
  const aligns = splitRow(lines[start + 1]).map(alignClass);
  let i = start + 2;
  const rows = [];
  while (i < lines.length && !isBlank(lines[i]) && lines[i].includes("|")) {
    rows.push(splitRow(lines[i]));
    i += 1;
  }
  const cell = (tag, text, col) => `<${tag}${aligns[col] || ""}>${renderInline(text)}</${tag}>`;
  const headHtml = head.map((text, col) => cell("th", text, col)).join("");
  const bodyHtml = rows
    .map((row) => `<tr>${head.map((_, col) => cell("td", row[col] ?? "", col)).join("")}</tr>`)
    .join("");
  const body = rows.length ? `<tbody>${bodyHtml}</tbody>` : "";
  const html = `<div class="md-table"><table><thead><tr>${headHtml}</tr></thead>${body}</table></div>`;
  return { html, next: i };
}

function readFence(lines, start) {
  const marker = lines[start].trim().slice(0, 3);
  let i = start + 1;
  const body = [];
  while (i < lines.length && !lines[i].trim().startsWith(marker)) {
    body.push(lines[i]);
    i += 1;
  }
  const html = `<pre><code>${escapeHtml(body.join("\n"))}</code></pre>`;
  return { html, next: Math.min(i + 1, lines.length) };
}

function readQuote(lines, start) {
  const inner = [];
  let i = start;
  while (i < lines.length && QUOTE.test(lines[i])) {
    inner.push(lines[i].match(QUOTE)[1]);
    i += 1;
  }
  return { html: `<blockquote>${renderBlocks(inner)}</blockquote>`, next: i };
}

function sameList(line, indent, ordered) {
  const m = line.match(ITEM);
  return Boolean(m) && m[1].length === indent && /\d/.test(m[2]) === ordered;
}

function readList(lines, start) {
  const first = lines[start].match(ITEM);
  const indent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const items = [];
  let i = start;
  while (i < lines.length) {
    if (sameList(lines[i], indent, ordered)) {
      items.push([lines[i].match(ITEM)[3]]);
      i += 1;
      continue;
    }
    const continues = !isBlank(lines[i]) && indentOf(lines[i]) > indent && items.length;
    const blankThenMore = isBlank(lines[i]) && i + 1 < lines.length && !isBlank(lines[i + 1])
      && (indentOf(lines[i + 1]) > indent || sameList(lines[i + 1], indent, ordered));
    if (!continues && !blankThenMore) break;
    items[items.length - 1].push(lines[i].slice(Math.min(indentOf(lines[i]), indent + 2)));
    i += 1;
  }
  const tag = ordered ? "ol" : "ul";
  const start1 = ordered ? Number.parseInt(first[2], 10) : 1;
  const startAttr = ordered && start1 !== 1 ? ` start="${start1}"` : "";
  const body = items.map((item) => `<li>${renderItem(item)}</li>`).join("");
  return { html: `<${tag}${startAttr}>${body}</${tag}>`, next: i };
}

function renderItem(lines) {
  const html = renderBlocks(lines);
  // A one-paragraph item is shown without the paragraph margins ("tight" list).
  const tight = html.match(/^<p>([\s\S]*?)<\/p>/);
  if (tight && !html.slice(tight[0].length).startsWith("<p>")) {
    return tight[1] + html.slice(tight[0].length);
  }
  return html;
}

function startsBlock(lines, i) {
  const line = lines[i];
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line)
    || ITEM.test(line) || isTableStart(lines, i);
}

function readParagraph(lines, start) {
  const body = [lines[start].trim()];
  let i = start + 1;
  while (i < lines.length && !isBlank(lines[i]) && !startsBlock(lines, i)) {
    body.push(lines[i].trim());
    i += 1;
  }
  return { html: `<p>${body.map(renderInline).join("<br>")}</p>`, next: i };
}

function readHeading(lines, start) {
  const m = lines[start].match(HEADING);
  // Chat bubbles sit under the page's own headings: "#" renders as <h3>.
  const level = Math.min(m[1].length + 2, 6);
  return { html: `<h${level}>${renderInline(m[2])}</h${level}>`, next: start + 1 };
}

function readBlock(lines, i) {
  const line = lines[i];
  if (FENCE.test(line)) return readFence(lines, i);
  if (HEADING.test(line)) return readHeading(lines, i);
  if (RULE.test(line)) return { html: "<hr>", next: i + 1 };
  if (QUOTE.test(line)) return readQuote(lines, i);
  if (ITEM.test(line)) return readList(lines, i);
  if (isTableStart(lines, i)) return readTable(lines, i);
  return readParagraph(lines, i);
}

function renderBlocks(lines) {
  const out = [];
  let i = 0;
  while (i < lines.length) {
    if (isBlank(lines[i])) {
      i += 1;
      continue;
    }
    const block = readBlock(lines, i);
    out.push(block.html);
    i = block.next;
  }
  return out.join("");
}

/** Markdown source to safe HTML (no script, no event handler, no non-http link). */
export function renderMarkdown(text) {
  if (text === null || text === undefined) return "";
  const clean = String(text).replace(/\u0000/g, "").replace(/\r\n?/g, "\n").replace(/\t/g, "    ");
  return renderBlocks(clean.split("\n"));
}
