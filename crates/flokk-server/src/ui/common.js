// What every page shares: JSON calls with error bodies, element helpers,
// the store line in the header.

export async function api(path, options = {}) {
  const init = { ...options, headers: { ...(options.headers ?? {}) } };
  if (init.body !== undefined && typeof init.body !== "string") {
    init.body = JSON.stringify(init.body);
    init.headers["content-type"] = "application/json";
  }
  const response = await fetch(path, init);
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

export async function showStore() {
  const { ok, body } = await api("/api/status");
  if (ok) {
    document.getElementById("store").textContent =
      `${body.name || "store"}: ${body.customers.toLocaleString()} customers, ${body.time_zone ?? "UTC"}`;
  }
}
