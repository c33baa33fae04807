// The page's parameters: embedded or not, the site key and token, the language, and the scope
// that keys what the browser remembers (one per site and institution).

function shortHash(text) {
  let hash = 5381;
  for (const ch of text) hash = ((hash * 33) ^ ch.codePointAt(0)) >>> 0;
  return hash.toString(36);
}

/** The institution a site token names (unverified: it only keys local storage). */
function tokenInstitution(token) {
  try {
    const payload = token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)).institution || "";
  } catch {
    return "";
  }
}

/** Read the page's parameters; a site token leaves the address bar once read. */
export function readConfig(location, mode) {
  const params = new URLSearchParams(location.search);
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const embed = mode === "embed";
  const siteKey = embed ? (params.get("site_key") || "").trim() : "";
  const token = fragment.get("site_token") || params.get("site_token") || "";
  const siteToken = embed ? token.trim() : "";
  const lang = fragment.get("lang") || params.get("lang") || "";
  let scope = "page";
  if (embed) {
    const who = siteToken ? tokenInstitution(siteToken) : "";
    scope = `embed-${shortHash(siteKey)}${who ? `-${shortHash(who)}` : ""}`;
  }
  return { embed, siteKey, siteToken, lang, scope };
}

/** Take a site token out of the address bar once it has been read. */
export function scrubToken() {
  const url = new URL(window.location.href);
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ""));
  if (!url.searchParams.has("site_token") && !fragment.has("site_token")) return;
  url.searchParams.delete("site_token");
  fragment.delete("site_token");
  url.hash = fragment.toString();
  window.history.replaceState(null, "", url.toString());
}
