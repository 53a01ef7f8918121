// What every page shares: JSON calls with error bodies, element helpers,
// the store line in the header, sign-out.
//
// Every call carries the session's CSRF token (from the page's meta tag)
// as X-CSRF-Token: the server refuses changes from the session cookie
// without it. A 401 means the session ended: back to the sign-in page.

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

export function signIn() {
  location.assign(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
}

// fetch() with the CSRF header, going to sign-in on 401.
export async function authFetch(path, init = {}) {
  const headers = { ...(init.headers ?? {}), "x-csrf-token": csrfToken };
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) signIn();
  return response;
}

export async function api(path, options = {}) {
  const init = { ...options, headers: { ...(options.headers ?? {}) } };
  if (init.body !== undefined && typeof init.body !== "string") {
    init.body = JSON.stringify(init.body);
    init.headers["content-type"] = "application/json";
  }
  const response = await authFetch(path, init);
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = { error: { code: "bad_response", message: `HTTP ${response.status}` } };
  }
  return { ok: response.ok, status: response.status, body };
}

document.getElementById("sign-out")?.addEventListener("click", async () => {
  await authFetch("/api/session", { method: "DELETE" });
  location.assign("/signin");
});

export function text(tag, content, className) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

export async function showStore() {
  const { ok, body } = await api("/api/status");
  if (ok) {
    document.getElementById("store").textContent =
      `${body.name || "store"}: ${body.customers.toLocaleString()} customers, ${body.time_zone ?? "UTC"}`;
  }
}
