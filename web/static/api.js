// The HTTP API client: JSON calls, the SSE stream of a reply, uploads with progress, reports.

/** An error the API answered ({error: {code, message}}) or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

/**
 * Incremental parser of a text/event-stream body. ``push`` takes decoded text and returns
 * the complete events in it: ``{event, data}`` with ``data`` the joined data lines.
 */
export class SseParser {
  constructor() {
    this.buffer = "";
  }

  push(text) {
    this.buffer += text.replace(/\r\n?/g, "\n");
    const events = [];
    let end = this.buffer.indexOf("\n\n");
    while (end !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const parsed = parseEventBlock(block);
      if (parsed) events.push(parsed);
      end = this.buffer.indexOf("\n\n");
    }
    return events;
  }

  /** The last event when the stream ended without its blank line. */
  end() {
    const rest = this.buffer;
    this.buffer = "";
    const parsed = rest.trim() ? parseEventBlock(rest) : null;
    return parsed ? [parsed] : [];
  }
}

function parseEventBlock(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length || event !== "message" ? { event, data: data.join("\n") } : null;
}

/** The file name of a Content-Disposition header, or ``fallback``. */
export function dispositionFilename(header, fallback) {
  if (!header) return fallback;
  const star = header.match(/filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = header.match(/filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/);
  const name = plain ? (plain[1] ?? plain[2]).trim() : "";
  return name || fallback;
}

/** Hand a fetched file to the browser as a download; returns the name it was saved under. */
export async function saveDownload(response, fallback) {
  const blob = await response.blob();
  const name = dispositionFilename(response.headers.get("Content-Disposition"), fallback);
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}

/** The ApiError of a failed response ({error: {code, message}} when the API wrote it). */
export async function errorFrom(response) {
  let code = "http_error";
  let message = "";
  try {
    const body = await response.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || "";
    }
  } catch {
    // not JSON: keep the generic message
  }
  return new ApiError(response.status, code, message);
}

export class ApiClient {
  /**
   * @param {object} options
   * @param {string} options.base   the API root, e.g. "https://host/api/v1/"
   * @param {() => string} options.language   "zh-CN" or "en" for Accept-Language
   * @param {string} [options.siteKey]   sent as X-Site-Key (widget mode)
   * @param {string} [options.siteToken] sent as X-Site-Token when a session is created
   */
  constructor({ base, language, siteKey = "", siteToken = "" }) {
    this.base = base.endsWith("/") ? base : `${base}/`;
    this.language = language;
    this.siteKey = siteKey;
    this.siteToken = siteToken;
    this.token = "";
  }

  url(path) {
    return new URL(path.replace(/^\//, ""), this.base).toString();
  }

  headers(extra = {}) {
    const headers = { "Accept-Language": this.language(), ...extra };
    if (this.siteKey) headers["X-Site-Key"] = this.siteKey;
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    return headers;
  }

  async request(method, path, { body, headers = {} } = {}) {
    const init = { method, headers: this.headers(headers), credentials: "same-origin" };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    let response;
    try {
      response = await fetch(this.url(path), init);
    } catch {
      throw new ApiError(0, "network", "");
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  async json(method, path, options) {
    const response = await this.request(method, path, options);
    return response.json();
  }

  createSession(language) {
    const headers = this.siteToken ? { "X-Site-Token": this.siteToken } : {};
    return this.json("POST", "sessions", { body: { language }, headers });
  }

  getSession(id) {
    return this.json("GET", `sessions/${encodeURIComponent(id)}`);
  }

  rating(id) {
    return this.json("GET", `sessions/${encodeURIComponent(id)}/rating`);
  }

  /** Every code's zh and en label (statuses, kinds, stars, areas…): GET /vocabulary. */
  vocabulary() {
    return this.json("GET", "vocabulary");
  }

  /** A one-time code that continues the session on another device: {code, expires_at}. */
  resumeCode(id) {
    return this.json("POST", `sessions/${encodeURIComponent(id)}/resume-code`);
  }

  /** Stop this session's token everywhere; a resume code already issued stays valid. */
  signOut(id) {
    return this.json("POST", `sessions/${encodeURIComponent(id)}/sign-out`);
  }

  /** Trade a resume code for the session's new token: {session_id, token, reply}. */
  resume(code) {
    return this.json("POST", "sessions/resume", { body: { code } });
  }

  async evidence(id) {
    const body = await this.json("GET", `sessions/${encodeURIComponent(id)}/evidence`);
    return Array.isArray(body) ? body : body.evidence || [];
  }

  /** What the applicant's answers recorded, each with its state (current, changed, undone). */
  async readings(id) {
    const body = await this.json("GET", `sessions/${encodeURIComponent(id)}/readings`);
    return body.readings || [];
  }

  /** Undo what ``turn`` recorded for ``indicatorId``; resolves to the assistant's reply. */
  async undoReading(id, turn, indicatorId) {
    const path = `sessions/${encodeURIComponent(id)}/readings/undo`;
    const body = await this.json("POST", path, { body: { turn, indicator_id: indicatorId } });
    return body.reply;
  }

  /**
   * Send one turn; the reply is streamed when the server streams (``onDelta`` gets the text
   * so far) and read as JSON otherwise. Resolves to the Reply object.
   */
  async send(id, turn, { onDelta } = {}) {
    const path = `sessions/${encodeURIComponent(id)}/messages`;
    const headers = { Accept: "text/event-stream, application/json;q=0.9" };
    const response = await this.request("POST", path, { body: turn, headers });
    const type = response.headers.get("Content-Type") || "";
    if (!type.includes("text/event-stream") || !response.body) {
      return (await response.json()).reply;
    }
    try {
      return await readReplyStream(response.body, onDelta);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError(0, "stream_broken", ""); // the connection dropped mid-stream
    }
  }

  /** Upload one file; ``onProgress`` gets 0..1. Resolves to {reply, evidence}. */
  upload(id, file, onProgress) {
    const url = this.url(`sessions/${encodeURIComponent(id)}/evidence`);
    const form = new FormData();
    form.append("file", file, file.name);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      for (const [name, value] of Object.entries(this.headers({ Accept: "application/json" }))) {
        xhr.setRequestHeader(name, value);
      }
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
      };
      xhr.onerror = () => reject(new ApiError(0, "network", ""));
      xhr.onload = () => settleUpload(xhr, resolve, reject);
      xhr.send(form);
    });
  }

  /** Fetch a report and hand it to the browser as a download. */
  async downloadReport(id, format) {
    const path = `sessions/${encodeURIComponent(id)}/report?format=${encodeURIComponent(format)}`;
    const response = await this.request("GET", path);
    return saveDownload(response, `report.${format}`);
  }
}

function settleUpload(xhr, resolve, reject) {
  let body = null;
  try {
    body = JSON.parse(xhr.responseText);
  } catch {
    body = null;
  }
  if (xhr.status >= 200 && xhr.status < 300 && body) {
    resolve(body);
    return;
  }
  const error = body && body.error ? body.error : {};
  reject(new ApiError(xhr.status, error.code || "http_error", error.message || ""));
}

/** Read a reply stream: delta events, then the reply event. */
export async function readReplyStream(body, onDelta) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let text = "";
  let reply = null;
  const handle = (events) => {
    for (const { event, data } of events) {
      if (event === "delta") {
        text += JSON.parse(data).text || "";
        if (onDelta) onDelta(text);
      } else if (event === "reply") {
        reply = JSON.parse(data).reply;
      } else if (event === "error") {
        const error = JSON.parse(data).error || {};
        throw new ApiError(500, error.code || "stream_error", error.message || "");
      }
    }
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    handle(parser.push(decoder.decode(value, { stream: true })));
  }
  handle(parser.push(decoder.decode()));
  handle(parser.end());
  if (!reply) throw new ApiError(0, "stream_incomplete", "");
  return reply;
}
