// What every page shares: JSON calls with error bodies, element helpers,
// the store line in the header.

// The session's CSRF token, sent with every change (the cookie alone is not
// enough for the server to accept one).
async function csrf() {
  let token = sessionStorage.getItem("csrf");
  if (!token) {
    const r = await fetch("/api/session");
    if (r.ok) {
      token = (await r.json()).csrf;
      sessionStorage.setItem("csrf", token);
    }
  }
  return token;
}

export async function api(path, options = {}) {
  const init = { ...options, headers: { ...(options.headers ?? {}) } };
  if (init.body !== undefined && typeof init.body !== "string") {
    init.body = JSON.stringify(init.body);
    init.headers["content-type"] = "application/json";
  }
  const method = (init.method ?? "GET").toUpperCase();
  if (method !== "GET" && method !== "HEAD" && path !== "/api/session") {
    init.headers["x-csrf-token"] = (await csrf()) ?? "";
  }
  const response = await fetch(path, init);
  if (response.status === 401 && path !== "/api/session") {
    sessionStorage.removeItem("csrf");
    location.assign(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = { error: { code: "bad_response", message: `HTTP ${response.status}` } };
  }
  return { ok: response.ok, status: response.status, body };
}

export function text(tag, content, className) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

function addSignOut() {
  const nav = document.querySelector("header nav");
  if (!nav || nav.querySelector(".signout")) return;
  const button = text("button", "Sign out", "signout");
  button.type = "button";
  button.addEventListener("click", async () => {
    await fetch("/api/session", { method: "DELETE" });
    sessionStorage.removeItem("csrf");
    location.assign("/signin");
  });
  nav.append(button);
}

export async function showStore() {
  addSignOut();
  const { ok, body } = await api("/api/status");
  if (ok) {
    document.getElementById("store").textContent =
      `${body.name || "store"}: ${body.customers.toLocaleString()} customers, ${body.time_zone ?? "UTC"}`;
  }
}
