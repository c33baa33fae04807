// Element building without HTML strings: text always goes in as text nodes. The one door for
// markup is ``markdownInto``, which takes the renderer's escaped output.

import { renderMarkdown } from "./markdown.js";

/**
 * ``el("button", {class: "x", testid: "send", type: "button", on: {click}}, "text", node)``.
 * Keys: class, testid, text, on (event map), hidden, and any other attribute (false/null
 * skip it, true sets it empty).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "testid") node.dataset.testid = value;
    else if (key === "text") node.textContent = value;
    else if (key === "on") {
      for (const [name, handler] of Object.entries(value)) node.addEventListener(name, handler);
    } else if (key === "hidden") node.hidden = Boolean(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace ``node``'s content with the rendered Markdown of ``text``. */
export function markdownInto(node, text) {
  node.innerHTML = renderMarkdown(text); // safe: the renderer escapes every source character
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

/** An inline SVG icon from a fixed set (no external files, no inline style). */
export function icon(name) {
  const paths = {
    send: "M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z",
    clip: "M16.5 6.5 8.6 14.4a2 2 0 1 0 2.8 2.8l8.5-8.5a4 4 0 0 0-5.7-5.7L5.6 11.6a6 6 0 0 0 8.5 8.5l6.4-6.4",
    chart: "M4 20V10M10 20V4M16 20v-7M22 20H2",
    close: "M6 6l12 12M18 6 6 18",
    plus: "M12 5v14M5 12h14",
    globe: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm-9 9h18M12 3c2.5 2.7 3.5 5.7 3.5 9s-1 6.3-3.5 9c-2.5-2.7-3.5-5.7-3.5-9s1-6.3 3.5-9Z",
    download: "M12 4v11m0 0 4.5-4.5M12 15l-4.5-4.5M4 19h16",
  };
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", `icon icon-${name}`);
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", paths[name] || "");
  svg.append(path);
  return svg;
}
