// What survives a reload (Store), the UI dictionary, and the checklist's draft key.
// Run: node --test tests/web/

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { questionKey } from "../../web/static/chat.js";
import {
  acceptLanguage,
  areaName,
  kindLabel,
  normalLanguage,
  setVocabulary,
  starLabel,
  statusLabel,
  t,
} from "../../web/static/i18n.js";
import { Store } from "../../web/static/storage.js";

function memory() {
  const map = new Map();
  return {
    map,
    get length() {
      return map.size;
    },
    key: (index) => Array.from(map.keys())[index] ?? null,
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => map.set(key, String(value)),
    removeItem: (key) => map.delete(key),
  };
}

/** A browser's two storages: localStorage (kept) and this tab's sessionStorage. */
function browser() {
  return { local: memory(), tab: memory() };
}

test("a session, its history and its draft survive a new Store on the same storage", () => {
  const storage = browser();
  const before = new Store("page", storage);
  before.session = { id: "s1", token: "tok" };
  before.addHistory("s1", { role: "user", text: "满足" });
  before.addHistory("s1", { role: "assistant", text: "**下一题**" });
  before.saveDraft("s1", { text: "我们有制度文件，" });
  before.saveDraft("s1", { checklist: { question: "checklist:SO-1-01", answers: { "SO-1-01": "met" } } });

  const after = new Store("page", storage);
  assert.deepEqual(after.session, { id: "s1", token: "tok" });
  assert.deepEqual(after.history("s1").map((e) => e.role), ["user", "assistant"]);
  assert.equal(after.draft("s1").text, "我们有制度文件，");
  assert.deepEqual(after.draft("s1").checklist.answers, { "SO-1-01": "met" });
});

test("scopes do not see each other", () => {
  const storage = browser();
  new Store("page", storage).session = { id: "a", token: "x" };
  assert.equal(new Store("embed-k1", storage).session, null);
});

test("forget drops history and draft; clearing the session removes it", () => {
  const storage = browser();
  const store = new Store("page", storage);
  store.session = { id: "s1", token: "t" };
  store.addHistory("s1", { role: "user", text: "x" });
  store.saveDraft("s1", { text: "y" });
  store.forget("s1");
  store.session = null;
  assert.deepEqual([...storage.tab.map.keys()], []);
  assert.deepEqual([...storage.local.map.keys()], []);
});

test("by default the session lives in this tab's storage, the language on the device", () => {
  const storage = browser();
  const store = new Store("page", storage);
  store.session = { id: "s1", token: "secret-token" };
  store.saveDraft("s1", { text: "半句话" });
  store.language = "en";

  assert.equal(store.remembered, false);
  assert.ok(![...storage.local.map.values()].some((v) => v.includes("secret-token")));
  assert.deepEqual([...storage.local.map.keys()], ["smecmm:page:language"]);
  const closedBrowser = new Store("page", { local: storage.local, tab: memory() });
  assert.equal(closedBrowser.session, null);
  assert.equal(closedBrowser.language, "en");
});

test("remember me moves everything to the device, and unticking moves it back", () => {
  const storage = browser();
  const store = new Store("page", storage);
  store.session = { id: "s1", token: "tok" };
  store.addHistory("s1", { role: "user", text: "满足" });
  store.saveDraft("s1", { text: "半句话" });

  store.remember(true);
  assert.equal(storage.tab.map.size, 0);
  const reopened = new Store("page", { local: storage.local, tab: memory() });
  assert.equal(reopened.remembered, true);
  assert.deepEqual(reopened.session, { id: "s1", token: "tok" });
  assert.equal(reopened.draft("s1").text, "半句话");

  reopened.remember(false);
  assert.deepEqual([...storage.local.map.keys()], []);
  assert.equal(reopened.history("s1").length, 1); // now in that tab's storage
});

test("a session kept on the device before remember-me existed stays remembered", () => {
  const storage = browser();
  storage.local.setItem("smecmm:page:session", JSON.stringify({ id: "old", token: "t" }));
  const store = new Store("page", storage);
  assert.equal(store.remembered, true);
  assert.deepEqual(store.session, { id: "old", token: "t" });
});

test("signing out forgets the session wherever it was kept", () => {
  const storage = browser();
  const store = new Store("page", storage);
  store.session = { id: "s1", token: "t" };
  store.remember(true);
  store.forget("s1");
  store.session = null;
  assert.deepEqual([...storage.local.map.keys()], ["smecmm:page:remember"]);
  assert.equal(storage.tab.map.size, 0);
});

test("history keeps the last 200 entries", () => {
  const store = new Store("page", browser());
  for (let i = 0; i < 230; i += 1) store.addHistory("s", { role: "user", text: String(i) });
  const items = store.history("s");
  assert.equal(items.length, 200);
  assert.equal(items[0].text, "30");
});

test("corrupt stored JSON reads as nothing", () => {
  const storage = browser();
  storage.tab.setItem("smecmm:page:session", "{not json");
  storage.tab.setItem("smecmm:page:history:s", '"a string"');
  const store = new Store("page", storage);
  assert.equal(store.session, null);
  assert.deepEqual(store.history("s"), []);
});

test("the dictionary has the same keys in both languages", () => {
  const probe = [
    "title", "send", "upload", "submitChecklist", "blockers", "reports", "sessionLost",
    "rememberMe", "signOut", "signOutAsk", "signOutHelp", "signOutConfirm", "signedOut",
    "resumeOpen", "resumeLabel", "resumeSubmit", "resumed",
  ];
  for (const key of probe) {
    assert.notEqual(t("zh", key), key);
    assert.notEqual(t("en", key), key);
    assert.notEqual(t("zh", key), t("en", key));
  }
  assert.equal(t("zh", "checklistChosen", { n: 2, total: 5 }), "已选 2/5 项");
  assert.equal(t("en", "uploading", { name: "a.pdf" }), "Uploading a.pdf…");
});

// The server's vocabulary (assistant/vocabulary.py), written by tests/web/test_javascript.py.
const VOCABULARY_FILE = process.env.SMECMM_VOCABULARY;

test("labels come from the server's vocabulary; a code shows as itself before", (t_) => {
  setVocabulary(null);
  assert.equal(statusLabel("zh", "largely_met"), "largely_met");
  assert.equal(areaName("en", "CSI"), "CSI");
  if (!VOCABULARY_FILE) return t_.skip("SMECMM_VOCABULARY is not set");
  const vocabulary = JSON.parse(readFileSync(VOCABULARY_FILE, "utf-8"));
  setVocabulary(vocabulary);
  for (const [code, names] of Object.entries(vocabulary.areas)) {
    assert.equal(areaName("zh", code), names.zh);
    assert.equal(areaName("en", code), names.en);
  }
  assert.equal(starLabel("zh", 0), vocabulary.stars["0"].zh);
  assert.equal(starLabel("en", 9), vocabulary.stars["5"].en); // clamped to five
  assert.equal(statusLabel("en", "not_applicable"), vocabulary.statuses.not_applicable.en);
  assert.equal(kindLabel("zh", "ledger"), vocabulary.kinds.ledger.zh);
  assert.equal(kindLabel("zh", null), "");
  setVocabulary(null);
});

test("the Accept-Language value and the page language", () => {
  assert.equal(acceptLanguage("zh"), "zh-CN");
  assert.equal(acceptLanguage("en"), "en");
  assert.equal(normalLanguage("en-GB"), "en");
  assert.equal(normalLanguage(""), "zh");
});

test("a checklist draft is keyed by its question's indicators", () => {
  const question = { kind: "checklist", indicators: [{ id: "SO-1-01" }, { id: "SO-1-02" }] };
  assert.equal(questionKey(question), "checklist:SO-1-01,SO-1-02");
  assert.notEqual(questionKey(question), questionKey({ kind: "checklist", indicators: [{ id: "SO-1-01" }] }));
  assert.equal(questionKey(null), "");
});
