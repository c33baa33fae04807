// The assessor console: sign in with a key (an HttpOnly cookie follows), the queue, one
// application at #/s/<id>, sign out. Chinese first, English by the switch.

import { el } from "../dom.js";
import { setVocabulary } from "../i18n.js";
import { renderApplication } from "./application.js";
import { ConsoleClient } from "./client.js";
import { renderQueue } from "./queue.js";
import { t } from "./strings.js";

const LANG_KEY = "smecmm.console.lang";
const SIGN_IN_HOURS = 8;

class Console {
  constructor(root) {
    this.root = root;
    this.lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh";
    this.client = new ConsoleClient(() => this.lang);
    this.client.onSignedOut = () => this.signedOut();
    this.me = null;
    this.queueState = { filters: {}, offset: 0 };
    this.status = el("p", { class: "c-status-line", role: "status", "aria-live": "polite", testid: "status" });
    this.main = el("main", { id: "main", class: "c-main", tabindex: -1 });
    window.addEventListener("hashchange", () => this.route());
  }

  context() {
    return {
      lang: this.lang,
      client: this.client,
      say: (text) => this.say(text),
      sayError: (error) => this.say(this.errorText(error), true),
      errorLine: (error) => el("p", { class: "c-error", role: "alert" }, this.errorText(error)),
      openApplication: (id) => {
        location.hash = `#/s/${encodeURIComponent(id)}`;
      },
      showQueue: () => {
        location.hash = "#/";
      },
    };
  }

  errorText(error) {
    if (error && error.status === 0) return t(this.lang, "networkError");
    return t(this.lang, "error", { message: (error && error.message) || String(error) });
  }

  say(text, isError = false) {
    this.status.textContent = text;
    this.status.classList.toggle("c-error", isError);
  }

  async start() {
    document.documentElement.lang = this.lang === "en" ? "en" : "zh-CN";
    // the labels of statuses, kinds, stars and areas; codes show until they are loaded
    const [vocabulary, me] = await Promise.all([
      this.client.json("GET", "vocabulary").catch(() => null),
      this.client.me().catch(() => null),
    ]);
    setVocabulary(vocabulary);
    this.me = me;
    this.draw();
    this.root.dataset.ready = "true";
  }

  header() {
    const lang = this.lang;
    const switcher = el(
      "button",
      { type: "button", class: "c-secondary", testid: "lang-switch", lang: lang === "en" ? "zh-CN" : "en", "aria-label": t(lang, "langSwitchLabel"), on: { click: () => this.switchLanguage() } },
      t(lang, "langSwitch"),
    );
    const who = this.me
      ? [
          el("span", { class: "c-who", testid: "signed-in-as" }, t(lang, "signedInAs", { label: this.me.label, role: t(lang, `role_${this.me.role}`) })),
          el("button", { type: "button", class: "c-secondary", testid: "sign-out", on: { click: () => this.signOut() } }, t(lang, "signOut")),
        ]
      : [];
    return el(
      "header",
      { class: "c-header" },
      el("div", {}, el("h1", {}, t(lang, "title")), el("p", { class: "c-muted" }, t(lang, "subtitle"))),
      el("div", { class: "c-actions" }, ...who, switcher),
    );
  }

  draw() {
    document.title = t(this.lang, "title");
    this.root.replaceChildren(this.header(), this.status, this.main);
    if (this.me) this.route();
    else this.signInForm();
  }

  signInForm() {
    const lang = this.lang;
    const key = el("input", { id: "console-key", name: "key", type: "password", required: true, autocomplete: "off", maxlength: 200, testid: "console-key", "aria-describedby": "key-hint" });
    const form = el(
      "form",
      { class: "c-card c-form c-signin", testid: "sign-in-form" },
      el("h2", { id: "view-heading", tabindex: -1 }, t(lang, "signInHeading")),
      el("div", { class: "c-field" }, el("label", { for: key.id }, t(lang, "keyLabel")), key),
      el("p", { id: "key-hint", class: "c-muted" }, t(lang, "keyHint", { hours: SIGN_IN_HOURS })),
      el("button", { type: "submit", class: "c-primary", testid: "sign-in" }, t(lang, "signIn")),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        this.me = await this.client.signIn(key.value.trim());
      } catch (error) {
        key.value = "";
        this.say(this.errorText(error), true);
        key.focus();
        return;
      }
      this.say("");
      this.draw();
    });
    this.main.replaceChildren(form);
    key.focus();
  }

  async route() {
    if (!this.me) return;
    const match = location.hash.match(/^#\/s\/([A-Za-z0-9_-]{1,64})$/);
    const ctx = this.context();
    const heading = match
      ? await renderApplication(ctx, this.main, decodeURIComponent(match[1]))
      : await renderQueue(ctx, this.main, this.queueState);
    if (heading) heading.focus();
  }

  async signOut() {
    try {
      await this.client.signOut();
    } catch (error) {
      if (error.status !== 401) {
        this.say(this.errorText(error), true);
        return;
      }
    }
    this.me = null;
    location.hash = "";
    this.draw();
  }

  signedOut() {
    const wasSignedIn = this.me !== null; // a first visit has no sign-in that could have ended
    this.me = null;
    this.draw();
    if (wasSignedIn) this.say(t(this.lang, "signedOut"), true);
  }

  switchLanguage() {
    this.lang = this.lang === "en" ? "zh" : "en";
    localStorage.setItem(LANG_KEY, this.lang);
    document.documentElement.lang = this.lang === "en" ? "en" : "zh-CN";
    this.draw();
    this.root.querySelector("[data-testid=lang-switch]")?.focus();
  }
}

new Console(document.getElementById("console")).start();
