// The calls of the dashboard page: the console sign-in (an HttpOnly cookie set by the server,
// never read here), the dashboard's JSON, and the addresses of its charts and export.

import { ApiError } from "../api.js";

export { ApiError };

const API = "/api/v1";

async function call(path, language, { method = "GET", body, csrf } = {}) {
  const headers = { Accept: "application/json", "Accept-Language": language };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (csrf) headers["X-CSRF-Token"] = csrf;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    const offline = language === "en" ? "The server cannot be reached." : "无法连接服务器。";
    throw new ApiError(0, "network", offline);
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error ?? {};
    throw new ApiError(response.status, error.code ?? "http_error", error.message ?? response.statusText);
  }
  return data;
}

export const whoAmI = (language) => call("/console/me", language);
export const signIn = (key, language) =>
  call("/console/login", language, { method: "POST", body: { key } });
export const signOut = (csrf, language) =>
  call("/console/logout", language, { method: "POST", csrf });
export const vocabulary = (language) => call(`${API}/vocabulary`, language);
export const dashboard = (query, language) => call(`${API}/admin/dashboard?${query}`, language);

/** The filter form as a query string (empty fields left out). */
export function filterQuery(form) {
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string" && value) query.set(name, value);
  }
  return query;
}

export function chartUrl(name, query, language, level) {
  const params = new URLSearchParams(query);
  params.set("lang", language);
  if (level) params.set("level", String(level));
  return `${API}/admin/dashboard/charts/${name}.svg?${params}`;
}

export const exportUrl = (query) => `${API}/admin/export.xlsx?${query}`;
