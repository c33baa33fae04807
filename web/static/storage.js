// What survives a reload, in localStorage under one scope (the page, or one embedding site):
// the session's id and token, the UI language, the chat history and the half-typed answer.

const HISTORY_LIMIT = 200;

function readJson(storage, key, fallback) {
  try {
    const raw = storage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

function writeJson(storage, key, value) {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or blocked (private mode, partitioned frame): the page still works
  }
}

function memoryStorage() {
  const map = new Map();
  return {
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => map.set(key, String(value)),
    removeItem: (key) => map.delete(key),
  };
}

function browserStorage() {
  try {
    const storage = window.localStorage;
    storage.getItem("smecmm:probe");
    return storage;
  } catch {
    return memoryStorage();
  }
}

export class Store {
  constructor(scope, storage = browserStorage()) {
    this.prefix = `smecmm:${scope}:`;
    this.storage = storage;
  }

  key(name) {
    return this.prefix + name;
  }

  get session() {
    return readJson(this.storage, this.key("session"), null);
  }

  set session(value) {
    if (value) writeJson(this.storage, this.key("session"), value);
    else this.storage.removeItem(this.key("session"));
  }

  get language() {
    return readJson(this.storage, this.key("language"), null);
  }

  set language(value) {
    writeJson(this.storage, this.key("language"), value);
  }

  history(sessionId) {
    const items = readJson(this.storage, this.key(`history:${sessionId}`), []);
    return Array.isArray(items) ? items : [];
  }

  addHistory(sessionId, entry) {
    const items = this.history(sessionId);
    items.push(entry);
    writeJson(this.storage, this.key(`history:${sessionId}`), items.slice(-HISTORY_LIMIT));
  }

  /** The draft: {text, checklist: {question, answers: {indicator_id: status}}}. */
  draft(sessionId) {
    const draft = readJson(this.storage, this.key(`draft:${sessionId}`), {});
    return draft && typeof draft === "object" ? draft : {};
  }

  saveDraft(sessionId, patch) {
    const draft = { ...this.draft(sessionId), ...patch };
    writeJson(this.storage, this.key(`draft:${sessionId}`), draft);
  }

  forget(sessionId) {
    this.storage.removeItem(this.key(`history:${sessionId}`));
    this.storage.removeItem(this.key(`draft:${sessionId}`));
  }
}
