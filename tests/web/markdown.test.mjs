// The chat's Markdown renderer: what it renders, and that no input gets markup through.
// Run: node --test tests/web/

import assert from "node:assert/strict";
import { test } from "node:test";

import { escapeHtml, renderInline, renderMarkdown } from "../../web/static/markdown.js";

const ATTACKS = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "<svg onload=alert(1)>",
  "[click](javascript:alert(1))",
  "[click](JaVaScRiPt:alert(1))",
  "[click](data:text/html;base64,PHNjcmlwdD4=)",
  '[x](https://example.com/" onmouseover="alert(1))',
  "[x](https://e.com/a\"onclick=alert(1))",
  "**<b onclick=alert(1)>bold</b>**",
  "`<script>x</script>`",
  "```\n<script>alert(1)</script>\n```",
  "> <iframe src=https://evil.example>",
  "| a | <script> |\n|---|---|\n| <img src=x onerror=alert(1)> | b |",
  "- <a href=javascript:alert(1)>x</a>",
  "# <style>body{display:none}</style>",
  "\u0000 0\u0000 <script>",
  "[<img src=x onerror=alert(1)>](https://ok.example)",
];

/** Every tag in the output, as written. */
function tags(html) {
  return [...html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map((m) => ({
    closing: m[1] === "/",
    name: m[2].toLowerCase(),
    attrs: m[3],
  }));
}

const ALLOWED = new Set([
  "p", "br", "strong", "em", "del", "code", "pre", "a", "ul", "ol", "li", "blockquote",
  "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "div",
]);

for (const attack of ATTACKS) {
  test(`no markup gets through: ${JSON.stringify(attack).slice(0, 50)}`, () => {
    const html = renderMarkdown(attack);
    for (const tag of tags(html)) {
      assert.ok(ALLOWED.has(tag.name), `unexpected tag <${tag.name}> in ${html}`);
      assert.doesNotMatch(tag.attrs, /\son\w+\s*=/i, `event handler in ${html}`);
      if (tag.closing) {
        assert.equal(tag.attrs, "");
      } else if (tag.name === "a") {
        assert.match(tag.attrs, /^ href="https?:\/\/[^"]*" target="_blank" rel="noopener noreferrer"$/);
      } else {
        assert.match(tag.attrs, /^(\s+(class="al-[cr]"|class="md-table"|start="\d+"))?$/, html);
      }
    }
    assert.doesNotMatch(html, /javascript:/i.test(attack) ? /href="javascript/i : /(?!)/);
  });
}

test("escapeHtml escapes the five characters", () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});

test("script text shows as text", () => {
  assert.equal(renderMarkdown("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
});

test("headings map under the page's own", () => {
  assert.equal(renderMarkdown("# 标题"), "<h3>标题</h3>");
  assert.equal(renderMarkdown("## Sub ##"), "<h4>Sub</h4>");
  assert.equal(renderMarkdown("#### C# tips"), "<h6>C# tips</h6>");
  assert.equal(renderMarkdown("#nospace"), "<p>#nospace</p>");
});

test("inline emphasis, code and strike", () => {
  assert.equal(
    renderInline("**服务运营 · 一星** and *soft* and ~~old~~ and `SO-1-02`"),
    "<strong>服务运营 · 一星</strong> and <em>soft</em> and <del>old</del> and <code>SO-1-02</code>",
  );
});

test("no emphasis inside code spans", () => {
  assert.equal(renderInline("`**not bold**`"), "<code>**not bold**</code>");
});

test("snake_case and lone asterisks stay text", () => {
  assert.equal(renderInline("largely_met and partly_met"), "largely_met and partly_met");
  assert.equal(renderInline("2 * 3 * 4"), "2 * 3 * 4");
});

test("http(s) links open safely; other schemes stay text", () => {
  assert.equal(
    renderInline("[标准](https://example.com/a?b=1&c=2)"),
    '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">标准</a>',
  );
  assert.equal(renderInline("[x](javascript:alert(1))"), "[x](javascript:alert(1))");
  assert.equal(renderInline("[x](/relative)"), "[x](/relative)");
});

test("paragraphs keep single line breaks", () => {
  assert.equal(renderMarkdown("第一行\n第二行\n\n下一段"), "<p>第一行<br>第二行</p><p>下一段</p>");
});

test("unordered and ordered lists, nested", () => {
  assert.equal(renderMarkdown("- a\n- b\n  - b1\n- c"), "<ul><li>a</li><li>b<ul><li>b1</li></ul></li><li>c</li></ul>");
  assert.equal(renderMarkdown("1. one\n2. two"), "<ol><li>one</li><li>two</li></ol>");
  assert.equal(renderMarkdown("3. three\n4. four"), '<ol start="3"><li>three</li><li>four</li></ol>');
  assert.equal(renderMarkdown("- a\n\n- b"), "<ul><li>a</li><li>b</li></ul>");
});

test("a list after a paragraph line starts a list", () => {
  assert.equal(renderMarkdown("阻碍项：\n- SO-2-01"), "<p>阻碍项：</p><ul><li>SO-2-01</li></ul>");
});

test("blockquotes hold Markdown", () => {
  assert.equal(renderMarkdown("> **5.2.3** 引文\n> 第二行"), "<blockquote><p><strong>5.2.3</strong> 引文<br>第二行</p></blockquote>");
});

test("tables with alignment", () => {
  const html = renderMarkdown("| 能力域 | 申报 | 证据 |\n|---|:-:|--:|\n| 服务战略 | 二星 | 一星 |");
  assert.equal(
    html,
    '<div class="md-table"><table><thead><tr><th>能力域</th><th class="al-c">申报</th><th class="al-r">证据</th></tr></thead>'
      + '<tbody><tr><td>服务战略</td><td class="al-c">二星</td><td class="al-r">一星</td></tr></tbody></table></div>',
  );
});

test("a pipe in a sentence is not a table", () => {
  assert.equal(renderMarkdown("a | b"), "<p>a | b</p>");
});

test("fenced code is verbatim", () => {
  assert.equal(renderMarkdown("```\n**x** <y>\n```"), "<pre><code>**x** &lt;y&gt;</code></pre>");
});

test("horizontal rule", () => {
  assert.equal(renderMarkdown("a\n\n---\n\nb"), "<p>a</p><hr><p>b</p>");
});

test("empty and missing input", () => {
  assert.equal(renderMarkdown(""), "");
  assert.equal(renderMarkdown(null), "");
  assert.equal(renderMarkdown(undefined), "");
});

test("random Markdown-ish input never yields a tag outside the allowed set", () => {
  // A fixed-seed generator: the same strings on every run.
  let seed = 20240911;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pieces = [
    "<", ">", '"', "'", "&", "*", "**", "_", "`", "[", "]", "(", ")", "|", "#", "- ", "1. ",
    "> ", "\n", "\n\n", " ", "javascript:", "https://a.b/", "onerror=", "script", "img", "~~",
    "---", "|---|", "中文", "\u0000",
  ];
  for (let n = 0; n < 2000; n += 1) {
    let source = "";
    const length = 1 + Math.floor(next() * 30);
    for (let i = 0; i < length; i += 1) source += pieces[Math.floor(next() * pieces.length)];
    const html = renderMarkdown(source);
    for (const tag of tags(html)) {
      assert.ok(ALLOWED.has(tag.name), `<${tag.name}> from ${JSON.stringify(source)}`);
      assert.doesNotMatch(tag.attrs, /\son\w+\s*=/i, JSON.stringify(source));
      if (tag.name === "a" && !tag.closing) assert.match(tag.attrs, /^ href="https?:\/\//);
    }
    assert.doesNotMatch(html, /\u0000/);
  }
});
