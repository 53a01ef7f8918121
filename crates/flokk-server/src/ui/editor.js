// The segment editor: counts the query as you type (debounced), shows each
// top-level condition's count and the errors with their position, and lists
// the first members on "Apply".

const query = document.getElementById("query");
const countEl = document.getElementById("count");
const percentEl = document.getElementById("percent");
const timingEl = document.getElementById("timing");
const errorsEl = document.getElementById("errors");
const clausesEl = document.getElementById("clauses");
const membersBody = document.querySelector("#members tbody");

let pending = null;
let latest = 0;

function text(tag, content, className) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

function showErrors(src, errors) {
  errorsEl.replaceChildren();
  for (const e of errors) {
    const line = src.split("\n")[e.line - 1] ?? "";
    const width = Math.max(1, [...src.slice(e.span[0], e.span[1])].length);
    const caret = " ".repeat(e.column - 1) + "^".repeat(width);
    let message = `${e.message} (line ${e.line}, column ${e.column})\n${line}\n${caret}`;
    if (e.suggestion) message += `\ndid you mean ${e.suggestion}?`;
    const div = text("div", message, "error");
    div.dataset.code = e.code;
    errorsEl.append(div);
  }
}

async function refresh() {
  const src = query.value;
  const ticket = ++latest;
  const started = performance.now();
  const response = await fetch(`/api/count?query=${encodeURIComponent(src)}`);
  const body = await response.json();
  if (ticket !== latest) return; // a newer keystroke has been sent
  if (response.ok) {
    errorsEl.replaceChildren();
    countEl.textContent = body.count.toLocaleString();
    percentEl.textContent = `(${body.percent.toFixed(1)} % of ${body.total.toLocaleString()})`;
    timingEl.textContent = `${body.eval_ms.toFixed(1)} ms in the engine, ${(performance.now() - started).toFixed(0)} ms on screen`;
    clausesEl.replaceChildren(
      ...(body.clauses.length > 1 ? body.clauses : []).map((c) => {
        const li = document.createElement("li");
        li.append(text("span", c.text), text("span", c.count.toLocaleString()));
        return li;
      }),
    );
  } else if (body.errors) {
    showErrors(src, body.errors);
  } else {
    errorsEl.replaceChildren(text("div", body.error.message, "error"));
  }
}

async function apply() {
  const response = await fetch(`/api/members?limit=50&sort=-amount_spent&query=${encodeURIComponent(query.value)}`);
  const body = await response.json();
  membersBody.replaceChildren(
    ...(response.ok ? body.members : []).map((m) => {
      const tr = document.createElement("tr");
      tr.append(
        text("td", m.id),
        text("td", m.amount_spent.toFixed(2)),
        text("td", String(m.number_of_orders)),
        text("td", m.last_order_date ?? ""),
      );
      return tr;
    }),
  );
}

query.addEventListener("input", () => {
  clearTimeout(pending);
  pending = setTimeout(refresh, 120);
});
document.getElementById("apply").addEventListener("click", apply);
for (const b of document.querySelectorAll("button.example")) {
  b.addEventListener("click", () => {
    query.value = b.textContent;
    refresh();
  });
}
fetch("/api/status").then((r) => r.json()).then((s) => {
  document.getElementById("store").textContent =
    `${s.name || "store"}: ${s.customers.toLocaleString()} customers, ${s.time_zone ?? "UTC"}`;
});
refresh();
