// What survives a reload, under one scope (the page, or one embedding site): the session's
// id and token, the chat history and the half-typed answer. They live in sessionStorage (a
// reload keeps them, closing the browser drops them: shared computers), or in localStorage
// once the user ticks "remember me on this device". The UI language is no secret and always
// lives in localStorage.

const HISTORY_LIMIT = 200;
const REMEMBER = "remember";
const LANGUAGE = "language";

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

function remove(storage, key) {
  try {
    storage.removeItem(key);
  } catch {
    // blocked storage: nothing was kept there either
  }
}

function keysOf(storage, prefix) {
  const found = [];
  try {
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key && key.startsWith(prefix)) found.push(key);
    }
  } catch {
    // blocked storage holds nothing
  }
  return found;
}

export function memoryStorage() {
  const map = new Map();
  return {
    get length() {
      return map.size;
    },
    key: (index) => Array.from(map.keys())[index] ?? null,
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => map.set(key, String(value)),
    removeItem: (key) => map.delete(key),
  };
}

function browserStorage(name) {
  try {
    const storage = window[name];
    storage.getItem("smecmm:probe");
    return storage;
  } catch {
    return memoryStorage();
  }
}

export class Store {
  constructor(scope, { local = browserStorage("localStorage"), tab = browserStorage("sessionStorage") } = {}) {
    this.prefix = `smecmm:${scope}:`;
    this.local = local;
    this.tab = tab;
    // A session kept in localStorage before "remember me" existed stays remembered: the user
    // had it so, and unticking moves it.
    if (readJson(local, this.key("session"), null) && !this.remembered) {
      writeJson(local, this.key(REMEMBER), true);
    }
    this.storage = this.remembered ? local : tab;
  }

  key(name) {
    return this.prefix + name;
  }

  /** Whether this device remembers the session after the browser closes. */
  get remembered() {
    return readJson(this.local, this.key(REMEMBER), false) === true;
  }

  /** Tick or untick "remember me": the session, history and draft move across. */
  remember(on) {
    const target = on ? this.local : this.tab;
    if (target !== this.storage) {
      const personal = (key) => key !== this.key(REMEMBER) && key !== this.key(LANGUAGE);
      for (const key of keysOf(this.storage, this.prefix).filter(personal)) {
        const value = this.storage.getItem(key);
        try {
          target.setItem(key, value);
        } catch {
          continue; // could not move it: leave it where it is
        }
        remove(this.storage, key);
      }
      this.storage = target;
    }
    if (on) writeJson(this.local, this.key(REMEMBER), true);
    else remove(this.local, this.key(REMEMBER));
  }

  get session() {
    return readJson(this.storage, this.key("session"), null);
  }

  set session(value) {
    if (value) writeJson(this.storage, this.key("session"), value);
    else {
      remove(this.local, this.key("session"));
      remove(this.tab, this.key("session"));
    }
  }

  get language() {
    return readJson(this.local, this.key(LANGUAGE), null);
  }

  set language(value) {
    writeJson(this.local, this.key(LANGUAGE), value);
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

  /** Drop what this device kept of one session, wherever it was kept. */
  forget(sessionId) {
    for (const storage of [this.local, this.tab]) {
      remove(storage, this.key(`history:${sessionId}`));
      remove(storage, this.key(`draft:${sessionId}`));
    }
  }
}
