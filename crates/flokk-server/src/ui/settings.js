// The settings page: store settings (time zone, currency, name ...), file
// import, API tokens and webhooks. Tokens and webhooks need the admin
// scope; without it their sections say so.

import { api, authFetch, showStore, text } from "/ui/common.js";

const SHOWN = ["name", "timezone", "currency", "venue"];

function message(el, content, isError) {
  el.replaceChildren(text("div", content, isError ? "error" : "ok"));
}

async function settings() {
  const form = document.getElementById("settings-form");
  const status = document.getElementById("settings-status");
  const { ok, body } = await api("/api/settings");
  if (!ok) return message(status, body.error.message, true);
  const shown = body.settings.filter((s) => SHOWN.includes(s.key)).concat(body.settings.filter((s) => !SHOWN.includes(s.key)));
  form.replaceChildren(
    ...shown.map((s) => {
      const row = document.createElement("div");
      row.className = "setting";
      const label = text("label", s.key);
      label.htmlFor = `setting-${s.key}`;
      const input = document.createElement("input");
      input.id = `setting-${s.key}`;
      input.value = s.value;
      input.setAttribute("aria-describedby", `about-${s.key}`);
      const about = text("p", s.about, "muted");
      about.id = `about-${s.key}`;
      const save = text("button", "Save");
      save.type = "button";
      save.setAttribute("aria-label", `Save ${s.key}`);
      save.addEventListener("click", async () => {
        const r = await api(`/api/settings/${s.key}`, { method: "PUT", body: { value: input.value } });
        if (r.ok) {
          input.value = r.body.value;
          message(status, `${s.key} saved: ${r.body.value}`);
          showStore();
        } else message(status, r.body.error.message, true);
      });
      row.append(label, input, save, about);
      return row;
    }),
  );
}

async function tokens() {
  const body = document.querySelector("#tokens tbody");
  const result = document.getElementById("token-result");
  const r = await api("/api/tokens");
  if (!r.ok) {
    body.replaceChildren();
    return message(result, r.body.error.message, true);
  }
  body.replaceChildren(
    ...r.body.tokens.filter((t) => !t.revoked_at).map((t) => {
      const tr = document.createElement("tr");
      const revoke = text("button", "Revoke", "danger");
      revoke.type = "button";
      revoke.setAttribute("aria-label", `Revoke ${t.name}`);
      revoke.addEventListener("click", async () => {
        if (!confirm(`Revoke the token "${t.name}"? Programs using it stop working.`)) return;
        const x = await api(`/api/tokens/${t.id}`, { method: "DELETE" });
        if (!x.ok) return message(result, x.body.error.message, true);
        message(result, `${t.name} revoked`);
        tokens();
      });
      const actions = document.createElement("td");
      actions.append(revoke);
      tr.append(text("td", t.name), text("td", t.scopes.join(", ")), text("td", t.created_at), text("td", t.last_used_at ?? "never"), actions);
      return tr;
    }),
  );
}

document.getElementById("token-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const result = document.getElementById("token-result");
  const scopes = [...document.querySelectorAll('input[name="scope"]:checked')].map((x) => x.value);
  const r = await api("/api/tokens", { method: "POST", body: { name: document.getElementById("token-name").value, scopes } });
  if (!r.ok) return message(result, r.body.error.message, true);
  result.replaceChildren(
    text("p", `Token "${r.body.token.name}" created. Copy it now: it is shown only this once.`),
    text("code", r.body.secret, "secret"),
  );
  document.getElementById("token-name").value = "";
  tokens();
});

async function webhooks() {
  const body = document.querySelector("#webhooks tbody");
  const result = document.getElementById("webhook-result");
  const r = await api("/api/webhooks");
  if (!r.ok) {
    body.replaceChildren();
    return message(result, r.body.error.message, true);
  }
  body.replaceChildren(
    ...r.body.webhooks.map((w) => {
      const tr = document.createElement("tr");
      const remove = text("button", "Remove", "danger");
      remove.type = "button";
      remove.setAttribute("aria-label", `Remove ${w.url}`);
      remove.addEventListener("click", async () => {
        if (!confirm(`Stop sending changes to ${w.url}?`)) return;
        const x = await api(`/api/webhooks/${w.id}`, { method: "DELETE" });
        if (!x.ok) return message(result, x.body.error.message, true);
        webhooks();
      });
      const actions = document.createElement("td");
      actions.append(remove);
      const state = w.disabled_at ? `disabled: ${w.disabled_reason ?? ""}` : w.failures ? `retrying (${w.failures} failures)` : "active";
      tr.append(text("td", w.url), text("td", w.segments ? w.segments.join(", ") : "all"), text("td", state), actions);
      return tr;
    }),
  );
}

document.getElementById("webhook-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const result = document.getElementById("webhook-result");
  const names = document.getElementById("webhook-segments").value.split(",").map((s) => s.trim()).filter(Boolean);
  const r = await api("/api/webhooks", {
    method: "POST",
    body: { url: document.getElementById("webhook-url").value, segments: names.length ? names : null },
  });
  if (!r.ok) return message(result, r.body.error.message, true);
  result.replaceChildren(text("p", "Webhook added. Its signing secret:"), text("code", r.body.secret ?? r.body.webhook?.secret ?? "", "secret"));
  webhooks();
});

document.getElementById("import-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const result = document.getElementById("import-result");
  const file = document.getElementById("import-file").files[0];
  if (!file) return message(result, "choose a file first", true);
  message(result, `importing ${file.name} …`);
  const skip = document.getElementById("import-skip").checked;
  const response = await authFetch(`/api/import${skip ? "?skip_invalid=true" : ""}`, { method: "POST", body: file });
  const body = await response.json();
  if (!response.ok) {
    result.replaceChildren(text("div", body.error.message, "error"));
    for (const row of body.error.rejects ?? []) {
      result.append(text("div", `line ${row.line}${row.field ? `, ${row.field}` : ""}: ${row.reason}`, "error"));
    }
    return;
  }
  const what = Object.entries(body.imported).map(([k, n]) => `${n.toLocaleString()} ${k}`).join(", ") || "nothing";
  message(result, `Imported ${what}; ${body.rejected} rejected. Segments: ${body.segments.entered} entered, ${body.segments.exited} exited.`);
  showStore();
});

showStore();
settings();
tokens();
webhooks();
