/*
 * The embeddable chat: one script tag on any page adds a floating button that opens the
 * assessment chat in a panel.
 *
 *   <script src="https://HOST/widget.js" data-site-key="KEY" async></script>
 *
 * Optional attributes: data-site-token (a short-lived token the host site signs, naming its
 * logged-in institution), data-lang ("zh" or "en"; default: the page's lang, else Chinese).
 * The chat itself runs in an iframe of HOST/embed, so the host page's scripts and styles
 * never touch it; this script's own elements live in a shadow root. The only global is
 * window.SmecmmWidget {open, close, toggle, isOpen, setSiteToken, version}.
 */
(function () {
  "use strict";

  if (window.SmecmmWidget) return; // loaded twice: keep the first

  var script = document.currentScript;
  if (!script) {
    var candidates = document.querySelectorAll("script[data-site-key][src*='widget.js']");
    script = candidates[candidates.length - 1];
  }
  if (!script || !script.src) return;

  var siteKey = (script.getAttribute("data-site-key") || "").trim();
  var siteToken = (script.getAttribute("data-site-token") || "").trim();
  var pageLang = script.getAttribute("data-lang") || document.documentElement.lang || "zh";
  var lang = /^en/i.test(pageLang) ? "en" : "zh";

  var TEXT = {
    zh: {
      open: "打开服务机构能力成熟度自评助手",
      close: "关闭自评助手",
      title: "能力成熟度自评助手",
      frame: "服务机构能力成熟度自评对话",
      noKey: "自评助手未配置站点密钥（data-site-key）。",
      openPage: "在新窗口打开自评助手"
    },
    en: {
      open: "Open the maturity self-assessment assistant",
      close: "Close the assistant",
      title: "Maturity self-assessment",
      frame: "Service institution maturity self-assessment chat",
      noKey: "The assistant has no site key (data-site-key).",
      openPage: "Open the assistant in a new window"
    }
  }[lang];

  // When the chat cannot open here (a site its key does not allow, a page that failed),
  // the panel says so in both languages instead of showing the browser's error page.
  var REFUSED = [
    ["zh-CN", "自评助手暂时无法在本网站中打开。请在新窗口中使用，或联系网站管理员。"],
    [
      "en",
      "The assistant cannot open on this website. Use it in a new window, or tell the site's " +
        "webmaster."
    ]
  ];
  // The chat posts "smecmm:ready" as soon as its script runs, before the frame's load event.
  var READY_AFTER_LOAD_MS = 1500;
  var READY_TIMEOUT_MS = 15000; // a frame that never loads

  if (!siteKey && window.console) window.console.warn("[smecmm] " + TEXT.noKey);

  function embedUrl() {
    var url = new URL("embed", script.src);
    url.searchParams.set("site_key", siteKey);
    url.searchParams.set("lang", lang);
    // The token rides in the fragment: never sent to a server, never in a Referer.
    if (siteToken) url.hash = "site_token=" + encodeURIComponent(siteToken);
    return url.toString();
  }

  var CSS = [
    ":host{all:initial}",
    ".w{position:fixed;right:20px;bottom:20px;z-index:2147483000;" +
      "font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif}",
    ".bubble{display:flex;align-items:center;justify-content:center;width:58px;" +
      "height:58px;border:0;border-radius:50%;background:#14508c;color:#fff;" +
      "box-shadow:0 6px 18px rgba(16,24,40,.28);cursor:pointer;transition:transform .15s}",
    ".bubble:hover{transform:scale(1.06);background:#0d3a68}",
    ".bubble:focus-visible,.close:focus-visible{outline:3px solid #f2b705;outline-offset:3px}",
    ".bubble svg{width:28px;height:28px;fill:none;stroke:currentColor;stroke-width:2;" +
      "stroke-linecap:round;stroke-linejoin:round}",
    ".panel{position:absolute;right:0;bottom:72px;display:flex;flex-direction:column;" +
      "width:min(400px,calc(100vw - 24px));height:min(640px,calc(100vh - 110px));" +
      "border-radius:14px;background:#fff;box-shadow:0 12px 40px rgba(16,24,40,.3);" +
      "overflow:hidden}",
    ".panel[hidden]{display:none}",
    ".head{display:flex;align-items:center;justify-content:space-between;" +
      "padding:6px 6px 6px 14px;background:#14508c;color:#fff;font-size:14px;" +
      "font-weight:600}",
    ".close{display:flex;align-items:center;justify-content:center;width:34px;" +
      "height:34px;border:0;border-radius:8px;background:transparent;color:#fff;" +
      "cursor:pointer}",
    ".close:hover{background:rgba(255,255,255,.16)}",
    ".close svg{width:18px;height:18px;fill:none;stroke:currentColor;stroke-width:2.2;" +
      "stroke-linecap:round}",
    "iframe{flex:1;width:100%;border:0;background:#fff}",
    "iframe[hidden],.notice[hidden]{display:none}",
    ".notice{flex:1;display:flex;flex-direction:column;justify-content:center;gap:12px;" +
      "padding:24px;color:#1c2430;font-size:15px;line-height:1.6}",
    ".notice p{margin:0}",
    ".notice a{align-self:flex-start;display:inline-flex;align-items:center;min-height:44px;" +
      "padding:0 16px;border-radius:8px;background:#14508c;color:#fff;text-decoration:none}",
    ".notice a:focus-visible{outline:3px solid #f2b705;outline-offset:3px}",
    "@media (max-width:480px){.w{right:12px;bottom:12px}.panel{position:fixed;inset:0;" +
      "width:auto;height:auto;border-radius:0}.w.open .bubble{display:none}}",
    "@media (prefers-reduced-motion:reduce){.bubble{transition:none}}"
  ].join("\n");

  var SVG = "http://www.w3.org/2000/svg";

  function svgIcon(d) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    svg.appendChild(path);
    return svg;
  }

  var CHAT_ICON = "M21 12a8 8 0 0 1-11.8 7L4 20.5l1.5-4.7A8 8 0 1 1 21 12ZM8.5 11h7M8.5 14.5h4";
  var CLOSE_ICON = "M6 6l12 12M18 6 6 18";

  function styleInto(root) {
    // A constructed sheet also works on host pages whose CSP forbids inline <style>.
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (err) {
      var style = document.createElement("style");
      style.textContent = CSS;
      root.appendChild(style);
    }
  }

  function node(tag, attrs) {
    var element = document.createElement(tag);
    for (var name in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, name)) element.setAttribute(name, attrs[name]);
    }
    return element;
  }

  var host = node("div", { "data-smecmm-widget": "", "data-testid": "widget-host" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  styleInto(root);

  var panelId = "smecmm-panel";
  var wrap = node("div", { class: "w" });
  var panel = node("div", {
    class: "panel",
    id: panelId,
    role: "dialog",
    "aria-label": TEXT.title,
    "data-testid": "widget-panel"
  });
  panel.hidden = true;
  var head = node("div", { class: "head" });
  var heading = node("span", {});
  heading.textContent = TEXT.title;
  var closeButton = node("button", {
    type: "button",
    class: "close",
    "aria-label": TEXT.close,
    title: TEXT.close,
    "data-testid": "widget-close"
  });
  closeButton.appendChild(svgIcon(CLOSE_ICON));
  head.appendChild(heading);
  head.appendChild(closeButton);
  panel.appendChild(head);

  var bubble = node("button", {
    type: "button",
    class: "bubble",
    "aria-label": TEXT.open,
    title: TEXT.open,
    "aria-expanded": "false",
    "aria-controls": panelId,
    "data-testid": "widget-button"
  });
  bubble.appendChild(svgIcon(CHAT_ICON));
  wrap.appendChild(panel);
  wrap.appendChild(bubble);
  root.appendChild(wrap);

  var notice = node("div", { class: "notice", role: "alert", "data-testid": "widget-refused" });
  notice.hidden = true;
  REFUSED.forEach(function (line) {
    var text = node("p", { lang: line[0] });
    text.textContent = line[1];
    notice.appendChild(text);
  });
  var pageLink = node("a", {
    href: new URL("./?lang=" + lang, script.src).toString(),
    target: "_blank",
    rel: "noopener",
    "data-testid": "widget-open-page"
  });
  pageLink.textContent = TEXT.openPage;
  notice.appendChild(pageLink);
  panel.appendChild(notice);

  var frame = null;
  var ready = false;
  var readyTimer = null;

  function waitReady(ms) {
    clearTimeout(readyTimer);
    readyTimer = setTimeout(function () {
      if (ready || !frame) return;
      frame.hidden = true;
      notice.hidden = false;
    }, ms);
  }

  function ensureFrame() {
    if (frame) return;
    ready = false;
    notice.hidden = true;
    frame = node("iframe", {
      src: embedUrl(),
      title: TEXT.frame,
      "data-testid": "widget-frame",
      referrerpolicy: "strict-origin-when-cross-origin"
    });
    frame.addEventListener("load", function () {
      if (!ready) waitReady(READY_AFTER_LOAD_MS);
    });
    panel.insertBefore(frame, notice);
    waitReady(READY_TIMEOUT_MS);
  }

  function isOpen() {
    return !panel.hidden;
  }

  function open() {
    ensureFrame();
    panel.hidden = false;
    wrap.className = "w open";
    bubble.setAttribute("aria-expanded", "true");
    bubble.setAttribute("aria-label", TEXT.close);
    if (!notice.hidden) pageLink.focus();
    else if (frame) frame.focus();
  }

  function close(returnFocus) {
    if (!isOpen()) return;
    panel.hidden = true;
    wrap.className = "w";
    bubble.setAttribute("aria-expanded", "false");
    bubble.setAttribute("aria-label", TEXT.open);
    if (returnFocus !== false) bubble.focus();
  }

  function toggle() {
    if (isOpen()) close();
    else open();
  }

  bubble.addEventListener("click", toggle);
  closeButton.addEventListener("click", function () {
    close();
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) close();
  });
  window.addEventListener("message", function (event) {
    var fromFrame = frame && event.source === frame.contentWindow;
    if (!fromFrame || !event.data) return;
    if (event.data.type === "smecmm:ready") {
      ready = true; // a late answer still brings the chat back
      clearTimeout(readyTimer);
      frame.hidden = false;
      notice.hidden = true;
    }
    // Escape pressed inside the chat frame (keys there never reach this page).
    if (event.data.type === "smecmm:close") close();
  });

  function mount() {
    (document.body || document.documentElement).appendChild(host);
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.SmecmmWidget = {
    version: "1",
    // A host page that signed its token long before the chat is opened may sign a fresh
    // one; it is used when the chat starts a new session.
    setSiteToken: function (token) {
      siteToken = String(token || "").trim();
      if (frame && !isOpen()) {
        frame.remove();
        frame = null;
        clearTimeout(readyTimer);
      }
    },
    open: open,
    close: function () {
      close(false);
    },
    toggle: toggle,
    isOpen: isOpen
  };
})();
