// The console's calls: the sign-in cookie goes along by itself (same origin, HttpOnly); every
// write carries the CSRF token the sign-in returned.

import { ApiError, errorFrom, saveDownload } from "../api.js";
import { acceptLanguage } from "../i18n.js";

const API = "/api/v1/";
const SAFE = new Set(["GET", "HEAD"]);

export class ConsoleClient {
  /** @param {() => string} language "zh" or "en" */
  constructor(language) {
    this.language = language;
    this.csrf = "";
    this.onSignedOut = () => {};
  }

  async fetch(method, url, { json, accept } = {}) {
    const headers = { "Accept-Language": acceptLanguage(this.language()) };
    if (accept) headers.Accept = accept;
    if (!SAFE.has(method) && this.csrf) headers["X-CSRF-Token"] = this.csrf;
    const init = { method, headers, credentials: "same-origin", cache: "no-store" };
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(json);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch {
      throw new ApiError(0, "network_error", "");
    }
    if (!response.ok) {
      const error = await errorFrom(response);
      if (response.status === 401 && error.code === "console_signed_out") this.onSignedOut();
      throw error;
    }
    return response;
  }

  async json(method, path, json) {
    const response = await this.fetch(method, API + path, { json });
    return response.json();
  }

  // --- sign-in ------------------------------------------------------------------------------

  async signIn(key) {
    const response = await this.fetch("POST", "/console/login", { json: { key } });
    const me = await response.json();
    this.csrf = me.csrf_token;
    return me;
  }

  /** Who is signed in, or null (no cookie, or it ended). */
  async me() {
    try {
      const response = await this.fetch("GET", "/console/me");
      const me = await response.json();
      this.csrf = me.csrf_token;
      return me;
    } catch (error) {
      if (error.status === 401) return null;
      throw error;
    }
  }

  async signOut() {
    try {
      await this.fetch("POST", "/console/logout");
    } finally {
      this.csrf = "";
    }
  }

  // --- the assessor's work ------------------------------------------------------------------

  queue(filters) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) {
      if (value !== "" && value !== null && value !== undefined) params.set(name, String(value));
    }
    return this.json("GET", `sessions?${params}`);
  }

  view(id) {
    return this.json("GET", `sessions/${encodeURIComponent(id)}/assessor-view`);
  }

  setFinding(id, indicator, status, reason) {
    const path = `sessions/${encodeURIComponent(id)}/findings/${encodeURIComponent(indicator)}`;
    return this.json("PUT", path, { status, reason });
  }

  check(id, evidenceId, body) {
    const path = `sessions/${encodeURIComponent(id)}/evidence/${encodeURIComponent(evidenceId)}/check`;
    return this.json("PUT", path, body);
  }

  addNote(id, body) {
    return this.json("POST", `sessions/${encodeURIComponent(id)}/notes`, body);
  }

  addRecord(id, body) {
    return this.json("POST", `sessions/${encodeURIComponent(id)}/records`, body);
  }

  signOff(id) {
    return this.json("POST", `sessions/${encodeURIComponent(id)}/signoff`);
  }

  reopen(id, version, reason) {
    const path = `sessions/${encodeURIComponent(id)}/signoffs/${version}/reopen`;
    return this.json("POST", path, { reason });
  }

  reassess(id) {
    return this.json("POST", `sessions/${encodeURIComponent(id)}/reassess`);
  }

  comparison(id) {
    return this.json("GET", `sessions/${encodeURIComponent(id)}/comparison`);
  }

  /** A preview: ``{kind: "image", dataUrl, pages}`` or ``{kind: "text", text, truncated}``. */
  async preview(id, evidenceId, page) {
    const path = `sessions/${encodeURIComponent(id)}/evidence/${encodeURIComponent(evidenceId)}/preview?page=${page}`;
    const response = await this.fetch("GET", API + path);
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("application/json")) return { kind: "text", ...(await response.json()) };
    const pages = Number(response.headers.get("X-Page-Count") || "1");
    // img-src allows 'self' and data: only (no blob:), so the picture goes in as a data URL.
    const dataUrl = await new Promise((resolve, reject) => {
      response.blob().then((blob) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(blob);
      }, reject);
    });
    return { kind: "image", dataUrl, pages };
  }

  /** Download the assessor's report of sign-off ``version``; returns the file name. */
  async downloadReport(id, version, format) {
    const path = `sessions/${encodeURIComponent(id)}/signoffs/${version}/report?format=${format}`;
    const response = await this.fetch("GET", API + path);
    return saveDownload(response, `assessor-report.${format}`);
  }
}
