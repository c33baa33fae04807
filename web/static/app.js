// The chat page and the embedded widget: one app, two layouts (the widget is compact).

import { ApiClient } from "./api.js";
import {
  answersSummary,
  bodyOf,
  bubble,
  checklist,
  citationsBlock,
  placeCitations,
  proposedBlock,
  questionKey,
  quickReplies,
} from "./chat.js";
import { el, icon, markdownInto } from "./dom.js";
import { acceptLanguage, normalLanguage, setVocabulary, t } from "./i18n.js";
import { Account, TOKEN_GONE } from "./account.js";
import { buildLayout } from "./layout.js";
import { renderPanel } from "./panel.js";
import { LogFollower } from "./follow.js";
import { counterFor, MAX_TEXT_CHARS } from "./counter.js";
import { Readings } from "./readings.js";
import { readConfig, scrubToken } from "./config.js";
import { Store } from "./storage.js";
import { guardTaps, separateSecondary } from "./taps.js";

const COMPACT_QUERY = "(max-width: 820px)";
const STREAM_FAILURES = new Set(["stream_incomplete", "stream_broken"]);
const LOST_SESSION = new Set([401, 403, 404]);
function fileLine(name) {
  return el("span", { class: "file-name" }, icon("clip"), el("span", {}, name));
}

function hasFiles(event) {
  return Array.from(event.dataTransfer?.types || []).includes("Files");
}

// ------------------------------------------------------------------ the app

class App {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.ui = buildLayout(root);
    this.store = new Store(config.scope);
    this.lang = normalLanguage(config.lang || this.store.language || "zh");
    this.api = new ApiClient({
      base: new URL("api/v1/", window.location.href).toString(),
      language: () => acceptLanguage(this.lang),
      siteKey: config.siteKey,
      siteToken: config.siteToken,
    });
    this.session = null;
    this.reply = null;
    this.live = null; // the current question's controls
    this.rating = null;
    this.evidence = [];
    this.basis = "declared";
    this.busy = false;
    this.uploads = Promise.resolve();
    this.ratingTicket = 0;
    this.follower = new LogFollower(this.ui.log, this.ui.newBelow);
    this.generating = null; // the report format being made
    this.account = new Account(this);
    this.readings = new Readings(this); // what each answer recorded, under the user's words
  }

  async start() {
    this.wire();
    this.applyStrings();
    this.updateCompact();
    // the labels of statuses, kinds, stars and areas (GET /vocabulary); codes show until then
    setVocabulary(await this.api.vocabulary().catch(() => null));
    this.refreshPanel();
    this.ui.rememberMe.checked = this.store.remembered;
    const saved = this.store.session;
    if (saved && saved.id && saved.token) await this.restore(saved);
    else await this.begin();
  }

  // -------------------------------------------------------------- wiring

  wire() {
    const ui = this.ui;
    ui.composer.addEventListener("submit", (event) => {
      event.preventDefault();
      this.sendText();
    });
    ui.input.addEventListener("keydown", (event) => {
      const composing = event.isComposing || event.keyCode === 229;
      if (event.key === "Enter" && !event.shiftKey && !composing) {
        event.preventDefault();
        this.sendText();
      }
    });
    ui.input.addEventListener("input", () => {
      this.updateCounter();
      if (this.session) this.store.saveDraft(this.session.id, { text: ui.input.value });
    });
    ui.newBelow.addEventListener("click", () => {
      this.scrollToEnd();
      ui.input.focus({ preventScroll: true });
    });
    ui.log.addEventListener("scroll", () => this.follower.onScroll(), { passive: true });
    // A keyboard opening on a phone or the composer growing shrinks the log: keep its end.
    new ResizeObserver(() => this.keepInView()).observe(ui.log);
    ui.uploadButton.addEventListener("click", () => ui.fileInput.click());
    ui.fileInput.addEventListener("change", () => {
      const files = Array.from(ui.fileInput.files || []);
      ui.fileInput.value = "";
      this.uploadFiles(files);
    });
    ui.langSwitch.addEventListener("click", () => this.switchLanguage());
    ui.newSession.addEventListener("click", () => this.askNewSession());
    ui.confirmYes.addEventListener("click", () => this.confirmNewSession());
    ui.confirmNo.addEventListener("click", () => this.hideConfirm(true));
    ui.panelToggle.addEventListener("click", () => this.togglePanel());
    ui.panelClose.addEventListener("click", () => this.closePanel(true));
    this.account.wire();
    document.addEventListener("keydown", (event) => this.onKey(event));
    window.matchMedia(COMPACT_QUERY).addEventListener("change", () => this.updateCompact());
    this.wireDrop();
  }

  wireDrop() {
    const { chat, dropOverlay } = this.ui;
    let depth = 0;
    const show = (on) => {
      dropOverlay.hidden = !on;
      chat.classList.toggle("dragging", on);
    };
    chat.addEventListener("dragenter", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth += 1;
      show(true);
    });
    chat.addEventListener("dragover", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    });
    chat.addEventListener("dragleave", (event) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (!depth) show(false);
    });
    chat.addEventListener("drop", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      show(false);
      this.uploadFiles(Array.from(event.dataTransfer.files || []));
    });
    // A file dropped beside the chat must not make the browser leave the page.
    for (const name of ["dragover", "drop"]) {
      window.addEventListener(name, (event) => {
        if (hasFiles(event)) event.preventDefault();
      });
    }
  }

  onKey(event) {
    if (event.key !== "Escape") return;
    if (!this.ui.confirmBar.hidden) this.hideConfirm(true);
    else if (!this.ui.signOutBar.hidden) this.account.hideSignOut(true);
    else if (!this.ui.resumeBar.hidden) this.account.hideResume(true);
    else if (this.root.classList.contains("panel-open")) this.closePanel(true);
    else if (this.config.embed && window.parent !== window) {
      // Keys pressed in the frame never reach the host page: ask the widget to close.
      window.parent.postMessage({ type: "smecmm:close" }, "*");
    }
  }

  // -------------------------------------------------------------- language and layout

  applyStrings() {
    const { ui, lang } = this;
    document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    document.title = t(lang, "title");
    ui.title.textContent = t(lang, "title");
    ui.subtitle.textContent = t(lang, "subtitle");
    const compact = this.root.classList.contains("compact");
    ui.panelToggle.querySelector(".label").textContent = t(lang, compact ? "panelShort" : "panel");
    ui.panelToggle.setAttribute("aria-label", t(lang, "panelOpen"));
    ui.panelToggle.title = t(lang, "panelOpen");
    const switchLabel = ui.langSwitch.querySelector(".label");
    switchLabel.textContent = t(lang, "langSwitch");
    switchLabel.lang = lang === "en" ? "zh-CN" : "en";
    ui.langSwitch.setAttribute("aria-label", t(lang, "langSwitchLabel"));
    const newLabel = compact ? "newSessionShort" : "newSession";
    ui.newSession.querySelector(".label").textContent = t(lang, newLabel);
    ui.newSession.setAttribute("aria-label", t(lang, "newSession"));
    ui.newSession.title = t(lang, "newSession");
    ui.newBelow.querySelector(".label").textContent = t(lang, "newMessages");
    ui.confirmText.textContent = t(lang, "newSessionAsk");
    ui.confirmYes.textContent = t(lang, "newSessionConfirm");
    ui.confirmNo.textContent = t(lang, "cancel");
    ui.log.setAttribute("aria-label", t(lang, "chatLog"));
    ui.inputLabel.textContent = t(lang, "inputLabel");
    ui.input.placeholder = t(lang, compact ? "inputPlaceholderShort" : "inputPlaceholder");
    ui.uploadButton.querySelector(".label").textContent = t(lang, "upload");
    ui.uploadButton.title = t(lang, "upload");
    ui.sendButton.querySelector(".label").textContent = t(lang, "send");
    ui.hint.textContent = t(lang, "uploadHint");
    ui.dropOverlay.firstElementChild.textContent = t(lang, "dropHere");
    ui.panelTitle.textContent = t(lang, "panel");
    ui.panelClose.querySelector(".label").textContent = t(lang, "panelClose");
    this.updateCounter();
    this.showGenerating();
    this.account.applyStrings(compact);
  }

  setLanguage(lang) {
    if (lang === this.lang) return;
    this.lang = lang;
    this.store.language = lang;
    this.applyStrings();
    this.refreshPanel();
  }

  async switchLanguage() {
    if (this.busy) return;
    const next = this.lang === "zh" ? "en" : "zh";
    this.setLanguage(next);
    if (this.session) await this.sendTurn({ quick_reply: `lang:${next}` }, null);
  }

  updateCompact() {
    const compact = this.config.embed || window.matchMedia(COMPACT_QUERY).matches;
    this.root.classList.toggle("compact", compact);
    this.root.classList.toggle("embed", this.config.embed);
    if (!compact) this.closePanel(false);
    this.applyStrings();
  }

  togglePanel() {
    if (this.root.classList.contains("panel-open")) this.closePanel(true);
    else this.openPanel();
  }

  openPanel() {
    this.root.classList.add("panel-open");
    this.ui.panelToggle.setAttribute("aria-expanded", "true");
    this.ui.panelClose.focus();
  }

  closePanel(returnFocus) {
    const wasOpen = this.root.classList.contains("panel-open");
    this.root.classList.remove("panel-open");
    this.ui.panelToggle.setAttribute("aria-expanded", "false");
    if (wasOpen && returnFocus) this.ui.panelToggle.focus();
  }

  // -------------------------------------------------------------- sessions

  async begin(notice) {
    this.resetView();
    let created;
    try {
      created = await this.api.createSession(this.lang);
    } catch (error) {
      this.showError(error);
      return;
    }
    this.session = { id: created.session_id, token: created.token };
    this.api.token = created.token;
    this.store.session = this.session;
    this.account.setSignedOut(false);
    if (notice) this.system(notice);
    this.showReply(created.reply, { record: true });
    this.refreshEvidence();
  }

  async restore(saved) {
    this.api.token = saved.token;
    let view;
    try {
      view = await this.api.getSession(saved.id);
    } catch (error) {
      if (error.code === "session_token_expired" || error.code === "session_token_revoked") {
        this.account.leave(error.message || t(this.lang, "signedOut"));
      } else if (LOST_SESSION.has(error.status)) {
        this.store.forget(saved.id);
        this.store.session = null;
        await this.begin(t(this.lang, "sessionLost"));
      } else {
        this.showError(error);
      }
      return;
    }
    this.session = { id: saved.id, token: saved.token };
    this.account.setSignedOut(false);
    this.setLanguage(normalLanguage(view.language));
    const history = this.store.history(saved.id);
    const last = history[history.length - 1];
    const repeated = last && last.role === "assistant" && last.text === view.reply.text;
    for (const entry of repeated ? history.slice(0, -1) : history) this.showEntry(entry);
    this.showReply(view.reply, { record: !repeated });
    this.readings.refresh(); // from the server: what each answer recorded, and what stands
    this.evidence = view.evidence || [];
    this.refreshPanel();
    this.ui.input.value = this.store.draft(saved.id).text || "";
    this.updateCounter();
    this.scrollToEnd(); // after restoring many bubbles at once, show the question
  }

  resetView() {
    this.ui.log.replaceChildren();
    this.reply = null;
    this.live = null;
    this.rating = null;
    this.evidence = [];
    this.ui.input.value = "";
    this.updateCounter();
    this.scrollToEnd();
    this.refreshPanel();
  }

  askNewSession() {
    this.ui.confirmBar.hidden = false;
    this.ui.confirmYes.focus();
  }

  hideConfirm(returnFocus) {
    this.ui.confirmBar.hidden = true;
    if (returnFocus) this.ui.newSession.focus();
  }

  async confirmNewSession() {
    this.hideConfirm(false);
    if (this.busy) return;
    if (this.session) this.store.forget(this.session.id);
    this.store.session = null;
    this.session = null;
    this.api.token = "";
    await this.begin();
    this.ui.input.focus();
  }

  // -------------------------------------------------------------- the log

  append(node) {
    this.ui.log.append(node);
    if (node.classList.contains("msg-user")) this.scrollToEnd(); // the user's own words
    else this.keepInView();
    return node;
  }

  keepInView() {
    this.follower.keepInView();
  }

  scrollToEnd() {
    this.follower.scrollToEnd();
  }

  record(entry) {
    if (this.session) this.store.addHistory(this.session.id, entry);
  }

  showEntry(entry) {
    const body = entry.kind === "file" ? fileLine(entry.text) : entry.text || "";
    const article = bubble(entry.role, this.lang, body);
    if (entry.turn !== undefined && entry.turn !== null) article.dataset.turn = String(entry.turn);
    placeCitations(article, citationsBlock(entry.citations, this.lang));
    this.append(article);
  }

  say(text, kind = "text") {
    this.append(bubble("user", this.lang, kind === "file" ? fileLine(text) : text));
    this.record({ role: "user", text, kind });
  }

  system(text, { alert = false } = {}) {
    const article = bubble("system", this.lang, text);
    if (alert) article.setAttribute("role", "alert");
    return this.append(article);
  }

  showError(error) {
    let message = error.message;
    if (!message) {
      message = error.status
        ? t(this.lang, "errorGeneric", { status: error.status })
        : t(this.lang, "errorNetwork");
    }
    this.system(message, { alert: true }).dataset.errorCode = error.code || "";
  }

  /** Show a reply: its text, citations and proposals, and the live question's controls. */
  showReply(reply, { article = null, record = true } = {}) {
    this.retireLive();
    const node = article || bubble("assistant", this.lang, null);
    node.removeAttribute("aria-busy");
    markdownInto(bodyOf(node), reply.text);
    const proposals = proposedBlock(reply.proposed_findings, reply.language);
    if (proposals) node.append(proposals);
    placeCitations(node, citationsBlock(reply.citations, reply.language));
    const linkedEvidence = this.reply?.question?.kind === "evidence";
    this.reply = reply;
    this.setLanguage(normalLanguage(reply.language));
    this.live = this.questionControls(reply);
    if (this.live) node.append(this.live);
    if (!article) this.append(node);
    else this.keepInView();
    this.readings.shown(reply, node);
    if (record) {
      const entry = { role: "assistant", text: reply.text, citations: reply.citations || [] };
      this.record({ ...entry, turn: reply.turn });
    }
    this.refreshRating(reply);
    if (linkedEvidence && record) this.refreshEvidence(); // the upload's links just changed
  }

  retireLive() {
    if (this.live) this.live.remove();
    this.live = null;
  }

  questionControls(reply) {
    const question = reply.question;
    if (!question) return null;
    const parts = [];
    if (question.kind === "checklist" && (question.indicators || []).length) {
      parts.push(this.checklistFor(question));
    }
    const quick = quickReplies(question, this.lang, (choice) => this.pick(choice));
    const secondary = quick ? separateSecondary(quick, el) : null;
    if (quick && quick.children.length) parts.push(quick);
    if (secondary) parts.push(secondary);
    if (!parts.length) return null;
    const live = el(
      "div",
      { class: "live", testid: "live-question", "data-kind": question.kind },
      parts,
    );
    guardTaps(live);
    return live;
  }

  checklistFor(question) {
    const key = questionKey(question);
    const draft = this.session ? this.store.draft(this.session.id).checklist : null;
    const saved = draft && draft.question === key ? draft.answers || {} : {};
    return checklist(question, this.lang, {
      saved,
      onChange: (answers) => {
        if (!this.session) return;
        this.store.saveDraft(this.session.id, { checklist: { question: key, answers } });
      },
      onSubmit: (answers) => this.submitChecklist(answers),
    });
  }

  setLiveDisabled(disabled) {
    if (!this.live) return;
    for (const control of this.live.querySelectorAll("button")) {
      if (disabled) {
        control.dataset.wasDisabled = String(control.disabled);
        control.disabled = true;
      } else {
        control.disabled = control.dataset.wasDisabled === "true";
      }
    }
  }

  // -------------------------------------------------------------- turns

  async sendText() {
    const text = this.ui.input.value.trim();
    if (!text || this.busy || !this.session) return;
    if (text.length > MAX_TEXT_CHARS) {
      this.updateCounter(); // says what to do; nothing is cut or sent
      return;
    }
    this.ui.input.value = "";
    const sent = await this.sendTurn({ text }, text);
    if (!sent && !this.ui.input.value && this.session) this.ui.input.value = text;
    if (this.session) this.store.saveDraft(this.session.id, { text: this.ui.input.value });
  }

  pick(choice) {
    this.sendTurn({ quick_reply: choice.value }, choice.label);
  }

  async submitChecklist(answers) {
    const sent = await this.sendTurn({ answers }, answersSummary(answers, this.lang));
    if (sent && this.session) this.store.saveDraft(this.session.id, { checklist: null });
  }

  setBusy(busy) {
    this.busy = busy;
    this.ui.langSwitch.disabled = busy;
    this.ui.log.setAttribute("aria-busy", String(busy));
    this.updateCounter();
  }

  /** The counter near and over the limit; a message over it cannot be sent. */
  updateCounter() {
    const { counter, input, sendButton } = this.ui;
    const shown = counterFor(input.value.length);
    sendButton.disabled = this.busy || !this.session || shown.over;
    input.setAttribute("aria-invalid", String(shown.over));
    counter.hidden = shown.hidden;
    counter.classList.toggle("over", shown.over);
    if (!shown.hidden) counter.textContent = t(this.lang, shown.key, shown.numbers);
  }

  /** One turn; ``echo`` is shown as the user's bubble. Resolves true once answered. */
  async sendTurn(turn, echo, request = null) {
    if (!this.session || this.busy) return false;
    this.setBusy(true);
    const hadFocus = document.activeElement;
    if (echo) this.say(echo);
    this.setLiveDisabled(true);
    const typing = el("span", { class: "typing" }, t(this.lang, "thinking"));
    const pending = bubble("assistant", this.lang, typing, { busy: true });
    this.append(pending);
    try {
      const onDelta = (text) => {
        markdownInto(bodyOf(pending), text);
        this.keepInView();
      };
      // ``request`` replaces the message call, for a turn of its own (an undo)
      const reply = request
        ? await request(this.session.id)
        : await this.api.send(this.session.id, turn, { onDelta });
      this.showReply(reply, { article: pending });
      return true;
    } catch (error) {
      pending.remove();
      if (TOKEN_GONE.has(error.code)) {
        this.account.leave(error.message || t(this.lang, "signedOut"));
        return false;
      }
      if (STREAM_FAILURES.has(error.code) && (await this.recover())) return true;
      this.setLiveDisabled(false);
      this.showError(error);
      return false;
    } finally {
      this.setBusy(false);
      if (!document.body.contains(hadFocus) || hadFocus === document.body) this.ui.input.focus();
    }
  }

  /** After a broken stream: the server kept the turn, so its last reply is the answer. */
  async recover() {
    try {
      const view = await this.api.getSession(this.session.id);
      this.system(t(this.lang, "errorStream"));
      this.showReply(view.reply);
      return true;
    } catch {
      return false;
    }
  }

  // -------------------------------------------------------------- evidence

  uploadFiles(files) {
    for (const file of files) {
      this.uploads = this.uploads.then(() => this.uploadOne(file));
    }
    return this.uploads;
  }

  async uploadOne(file) {
    if (!this.session) return;
    while (this.busy) await new Promise((resolve) => setTimeout(resolve, 150));
    this.setBusy(true);
    this.say(file.name, "file");
    this.setLiveDisabled(true);
    const bar = el("progress", { class: "bar", max: "1", value: "0", testid: "upload-progress" });
    const status = this.system("");
    bodyOf(status).append(
      el(
        "div",
        { class: "upload-status", testid: "upload-status" },
        el("span", {}, t(this.lang, "uploading", { name: file.name })),
        bar,
      ),
    );
    try {
      const result = await this.api.upload(this.session.id, file, (part) => {
        bar.value = part;
      });
      status.remove();
      this.showReply(result.reply);
      this.refreshEvidence();
    } catch (error) {
      status.remove();
      this.setLiveDisabled(false);
      if (TOKEN_GONE.has(error.code)) this.account.leave(error.message || t(this.lang, "signedOut"));
      else this.showError(error);
    } finally {
      this.setBusy(false);
    }
  }

  async refreshEvidence() {
    if (!this.session) return;
    try {
      this.evidence = await this.api.evidence(this.session.id);
    } catch {
      return; // the list is a convenience; the chat already said what happened
    }
    this.refreshPanel();
  }

  // -------------------------------------------------------------- panel

  async refreshRating(reply) {
    this.refreshPanel();
    if (reply.rating && reply.verdict) {
      this.rating = { ...reply.rating, verdict: reply.verdict };
      this.refreshPanel();
      return;
    }
    if (!this.session) return;
    const ticket = ++this.ratingTicket;
    try {
      const rating = await this.api.rating(this.session.id);
      if (ticket !== this.ratingTicket) return;
      this.rating = rating;
    } catch {
      return;
    }
    this.refreshPanel();
  }

  refreshPanel() {
    renderPanel(
      this.ui.panelBody,
      {
        progress: this.reply ? this.reply.progress : null,
        rating: this.rating,
        evidence: this.evidence,
        basis: this.basis,
        sessionId: this.session ? this.session.id : null,
      },
      this.lang,
      {
        onBasis: (basis) => {
          this.basis = basis;
          this.refreshPanel();
          const button = this.ui.panelBody.querySelector(`[data-basis="${basis}"]`);
          if (button) button.focus();
        },
        onDownload: (format) => this.download(format),
      },
    );
    this.showGenerating();
  }

  async download(format) {
    if (!this.session || this.generating) return;
    this.generating = format;
    this.showGenerating();
    try {
      await this.api.downloadReport(this.session.id, format);
    } catch (error) {
      this.showError(error);
    } finally {
      this.generating = null;
      this.showGenerating();
    }
  }

  /** While a report is made: a status line, and the report buttons wait (even re-drawn). */
  showGenerating() {
    const { reportStatus, panelBody } = this.ui;
    const format = this.generating;
    reportStatus.hidden = !format;
    if (format) {
      const name = t(this.lang, `report${format[0].toUpperCase()}${format.slice(1)}`);
      const text = t(this.lang, "downloadingFormat", { format: name });
      reportStatus.lastElementChild.textContent = text;
    }
    for (const button of panelBody.querySelectorAll("[data-format]")) {
      button.disabled = Boolean(format) || !this.session;
      if (button.dataset.format === format) button.setAttribute("aria-busy", "true");
      else button.removeAttribute("aria-busy");
    }
  }
}

// ------------------------------------------------------------------ start

const root = document.getElementById("app");
if (root) {
  const config = readConfig(window.location, document.body.dataset.mode);
  scrubToken();
  const app = new App(root, config);
  if (config.embed && window.parent !== window) {
    // The widget waits for this: without it (a site the key does not allow, a broken
    // page) it shows its own message instead of the browser's error page.
    window.parent.postMessage({ type: "smecmm:ready" }, "*");
  }
  root.dataset.ready = "starting";
  app.start().finally(() => {
    root.dataset.ready = "true";
  });
}
