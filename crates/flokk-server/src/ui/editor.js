// The segment editor: counts the query as you type (debounced), shows each
// top-level condition's count and the errors with their position, lists
// the first members on "Apply", and saves, drafts, renames and deletes the
// segment (/segments/new, /segments/{id}).

import { api, authFetch, showStore } from "/ui/common.js";
import { highlight } from "/ui/highlight.js";
import { complete } from "/ui/complete.js";
import { mountBuilder } from "/ui/builder.js";

const query = document.getElementById("query");
const countEl = document.getElementById("count");
const percentEl = document.getElementById("percent");
const timingEl = document.getElementById("timing");
const errorsEl = document.getElementById("errors");
const clausesEl = document.getElementById("clauses");
const membersBody = document.querySelector("#members tbody");

// A short pause after a keystroke before counting: long enough that a
// burst of typing sends one request, short enough that the count is on
// screen within 100 ms of the last keystroke at 1M customers (design.md).
// A request overtaken by a newer keystroke is aborted.
const DEBOUNCE_MS = 40;
let pending = null;
let latest = 0;
let inFlight = null;

function text(tag, content, className) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

// Error spans are byte offsets into the UTF-8 query; JS strings count
// UTF-16 units.
function charIndex(src, byte) {
  let bytes = 0;
  let i = 0;
  for (const ch of src) {
    if (bytes >= byte) break;
    bytes += new TextEncoder().encode(ch).length;
    i += ch.length;
  }
  return i;
}

function showErrors(src, errors, hints = []) {
  errorsEl.replaceChildren();
  if (query.value === src) paint(errors.map((e) => [charIndex(src, e.span[0]), charIndex(src, e.span[1])]));
  const notes = [
    ...errors.map((e) => ({ ...e, kind: "error", fixes: e.suggestion ? [e.suggestion] : [] })),
    // A hint's suggestions replace its span, as an error's suggestion does.
    ...hints.map((h) => ({ ...h, kind: "hint", fixes: h.suggestions ?? [] })),
  ];
  for (const e of notes) {
    const start = charIndex(src, e.span[0]);
    const end = charIndex(src, e.span[1]);
    const line = src.split("\n")[e.line - 1] ?? "";
    const width = Math.max(1, [...src.slice(start, end)].length);
    const caret = " ".repeat(e.column - 1) + "^".repeat(width);
    const message = `${e.message} (line ${e.line}, column ${e.column})\n${line}\n${caret}`;
    const div = text("div", message, e.kind);
    div.dataset.code = e.code;
    for (const suggestion of e.fixes) {
      const fix = text("button", `Use ${suggestion}`, "fix");
      fix.type = "button";
      fix.setAttribute("aria-label", `Replace with ${suggestion}`);
      fix.addEventListener("click", () => {
        query.value = src.slice(0, start) + suggestion + src.slice(end);
        query.focus();
        query.dispatchEvent(new Event("input"));
        refresh();
      });
      div.append(" ", fix);
    }
    errorsEl.append(div);
  }
}

async function refresh() {
  const src = query.value;
  const ticket = ++latest;
  const started = performance.now();
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  let response;
  let body;
  try {
    response = await authFetch(`/api/count?query=${encodeURIComponent(src)}`, { signal: controller.signal });
    body = await response.json();
  } catch (e) {
    if (e.name === "AbortError") return;
    throw e;
  }
  if (ticket !== latest) return; // a newer keystroke has been sent
  // A count from an earlier query stays visible but greyed while the
  // query has errors.
  document.querySelector(".count").classList.toggle("stale", !response.ok);
  if (response.ok) {
    // Hints: the query runs, but names something no record has.
    showErrors(src, [], body.hints ?? []);
    countEl.textContent = body.count.toLocaleString();
    percentEl.textContent = `(${body.percent.toFixed(1)} % of ${body.total.toLocaleString()})`;
    timingEl.textContent = `${body.eval_ms.toFixed(1)} ms in the engine, ${(performance.now() - started).toFixed(0)} ms on screen`;
    follow(src);
    clausesEl.replaceChildren(
      ...(body.clauses.length > 1 ? body.clauses : []).map((c) => {
        const li = document.createElement("li");
        li.append(text("span", c.text), text("span", c.count.toLocaleString()));
        return li;
      }),
    );
  } else if (body.error?.errors) {
    showErrors(src, body.error.errors, body.error.hints ?? []);
  } else {
    errorsEl.replaceChildren(text("div", body.error.message, "error"));
  }
}

async function apply() {
  const response = await authFetch(`/api/members?limit=50&sort=-amount_spent&query=${encodeURIComponent(query.value)}`);
  const body = await response.json();
  document.getElementById("members-caption").textContent = response.ok
    ? `${body.count.toLocaleString()} customers; the first ${Math.min(50, body.count)} by amount spent`
    : body.error?.message ?? "";
  membersBody.replaceChildren(
    ...(response.ok ? body.members : []).map((m) => {
      const tr = document.createElement("tr");
      const id = document.createElement("td");
      const link = text("a", m.id);
      link.href = `/customers/${encodeURIComponent(m.id)}`;
      id.append(link);
      tr.append(
        id,
        text("td", m.amount_spent.toFixed(2)),
        text("td", String(m.number_of_orders)),
        text("td", m.last_order_date ?? ""),
      );
      return tr;
    }),
  );
}

const paint = highlight(query);
complete(query, () => {
  paint([]);
  clearTimeout(pending);
  pending = setTimeout(refresh, DEBOUNCE_MS);
});
let readBuilder = null;
const builder = document.getElementById("builder");
mountBuilder(builder, query, () => {}).then((read) => {
  readBuilder = read;
  if (builder.open) read();
});
builder.addEventListener("toggle", () => {
  if (builder.open) readBuilder?.();
});
query.addEventListener("input", (e) => {
  clearTimeout(pending);
  pending = setTimeout(refresh, DEBOUNCE_MS);
  // Text typed by the merchant is read back into the builder's rows.
  if (e.isTrusted && builder.open) readBuilder?.();
});

// The download link follows the query and the chosen format.
const exportFormat = document.getElementById("export-format");
const download = document.getElementById("download");
function exportLink() {
  const q = new URLSearchParams({ format: exportFormat.value });
  if (segment && query.value === segment.query) q.set("segment", String(segment.id));
  else q.set("query", query.value);
  download.href = `/api/export?${q}`;
}
exportFormat.addEventListener("change", exportLink);
download.addEventListener("focus", exportLink);
download.addEventListener("mouseenter", exportLink);

// While the page is open the count follows the data (imports, midnight):
// the server streams the query's count whenever it changes.
let stream = null;
function follow(src) {
  stream?.close();
  stream = new EventSource(`/api/events?query=${encodeURIComponent(src)}`);
  stream.addEventListener("count", (e) => {
    const body = JSON.parse(e.data);
    if (query.value !== src || body.count === undefined) return;
    countEl.textContent = body.count.toLocaleString();
    percentEl.textContent = `(${body.percent.toFixed(1)} % of ${body.total.toLocaleString()})`;
  });
}
document.getElementById("apply").addEventListener("click", apply);
for (const b of document.querySelectorAll("button.example")) {
  b.addEventListener("click", () => {
    query.value = b.textContent;
    paint([]);
    if (builder.open) readBuilder?.();
    refresh();
  });
}
showStore();

// --- Saving -----------------------------------------------------------
const nameEl = document.getElementById("name");
const descriptionEl = document.getElementById("description");
const stateEl = document.getElementById("state");
const saveErrors = document.getElementById("save-errors");
const buttons = Object.fromEntries(
  ["save", "save-as", "save-draft", "publish", "discard", "delete"].map((id) => [id, document.getElementById(id)]),
);
let segment = null; // the saved segment shown, or null for a new one

function show(s) {
  segment = s;
  document.getElementById("editor-title").textContent = s ? s.name : "New segment";
  document.title = `flokk: ${s ? s.name : "new segment"}`;
  if (s) {
    nameEl.value = s.name;
    descriptionEl.value = s.description ?? "";
    const draft = s.draft ? " A draft is saved and not published yet." : "";
    stateEl.textContent =
      `${s.count.toLocaleString()} customers (${s.percent.toFixed(1)} %), counted ${new Date(s.counted_at).toLocaleString()}; ` +
      `by ${s.author}, version ${s.version}.${s.deleted ? " Deleted." : ""}${draft}`;
    history.replaceState(null, "", `/segments/${s.id}`);
  }
  buttons["publish"].hidden = !s?.draft;
  buttons["discard"].hidden = !s?.draft;
  buttons["delete"].hidden = !s || s.deleted;
  buttons["save-draft"].hidden = !s;
  // The segment page's actions (segment_actions.js) follow the segment shown.
  document.dispatchEvent(new CustomEvent("segment-shown", { detail: s }));
}

function failed(body) {
  saveErrors.replaceChildren();
  if (body.error?.errors) {
    showErrors(query.value, body.error.errors);
  }
  saveErrors.append(text("div", body.error?.message ?? "the request failed", "error"));
}

async function done({ ok, body }) {
  if (!ok) return failed(body);
  saveErrors.replaceChildren();
  show(body);
}

buttons["save"].addEventListener("click", async () => {
  if (!segment) {
    return done(await api("/api/segments", {
      method: "POST",
      body: { name: nameEl.value, query: query.value, description: descriptionEl.value || null },
    }));
  }
  const change = { query: query.value, description: descriptionEl.value };
  if (nameEl.value !== segment.name) change.name = nameEl.value;
  done(await api(`/api/segments/${segment.id}`, { method: "PATCH", body: change }));
});
buttons["save-as"].addEventListener("click", async () => {
  const name = prompt("Name of the new segment", segment ? `${segment.name} (copy)` : nameEl.value);
  if (!name) return;
  done(await api("/api/segments", {
    method: "POST",
    body: { name, query: query.value, description: descriptionEl.value || null },
  }));
});
buttons["save-draft"].addEventListener("click", async () => {
  done(await api(`/api/segments/${segment.id}`, { method: "PATCH", body: { query: query.value, draft: true } }));
});
buttons["publish"].addEventListener("click", async () => {
  done(await api(`/api/segments/${segment.id}/publish`, { method: "POST" }));
});
buttons["discard"].addEventListener("click", async () => {
  const r = await api(`/api/segments/${segment.id}/draft`, { method: "DELETE" });
  await done(r);
  if (r.ok) {
    query.value = r.body.query;
    query.dispatchEvent(new Event("input"));
    refresh();
  }
});
buttons["delete"].addEventListener("click", async () => {
  if (!confirm(`Delete the segment "${segment.name}"? It can be restored from the deleted segments.`)) return;
  const r = await api(`/api/segments/${segment.id}`, { method: "DELETE" });
  if (!r.ok) return failed(r.body);
  location.href = "/";
});

async function start() {
  const path = location.pathname.match(/^\/segments\/(\d+)$/);
  const params = new URLSearchParams(location.search);
  if (path) {
    const { ok, body } = await api(`/api/segments/${path[1]}`);
    if (!ok) return failed(body);
    show(body);
    query.value = body.draft_query ?? body.query;
  } else if (params.get("template")) {
    const { body } = await api("/api/templates");
    const t = body.templates.find((x) => x.key === params.get("template"));
    if (t) {
      nameEl.value = t.name;
      descriptionEl.value = t.description;
      query.value = t.query;
    }
    show(null);
  } else {
    query.value = params.get("query") ?? "number_of_orders >= 3 AND last_order_date > -120d";
    show(null);
  }
  paint([]);
  if (builder.open) readBuilder?.();
  refresh();
}
start();
