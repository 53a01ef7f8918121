// The visual builder (Klaviyo-style rows): each row is a condition, a
// filter or activity, an operator and a value; an activity (a MATCHES
// function) takes its own rows of parameters. The rows are joined by AND
// ("all") or OR ("any"). The builder writes the same query text as the
// editor and reads it back: a query made only of such rows at the top
// level opens in the builder; anything else (parentheses, NOT, mixed AND
// and OR) says so and stays text, rather than being shown wrongly.

import { tokenize } from "/ui/query_tokens.js";
import { catalog, literal, paramOf, suggestions } from "/ui/catalog.js";

const NO_VALUE = new Set(["IS NULL", "IS NOT NULL"]);

// The top-level rows of `src`, or {error} when the builder cannot show it.
export function parseRows(src) {
  const tokens = tokenize(src).filter((t) => t.kind !== "space");
  const clauses = [[]];
  const joins = new Set();
  let depth = 0;
  for (const t of tokens) {
    if (t.text === "(") depth++;
    if (t.text === ")") depth--;
    if (depth === 0 && /^(AND|OR)$/i.test(t.text) && !betweenPending(clauses[clauses.length - 1])) {
      joins.add(t.text.toUpperCase());
      clauses.push([]);
    } else clauses[clauses.length - 1].push(t);
  }
  if (joins.size > 1) return { error: "it mixes AND and OR without the builder's single grouping" };
  const rows = [];
  for (const c of clauses) {
    const row = parseClause(c);
    if (!row) return { error: `the condition "${c.map((t) => t.text).join(" ")}" is more than a row can show` };
    rows.push(row);
  }
  return { join: [...joins][0] ?? "AND", rows };
}

function betweenPending(clause) {
  const i = clause.findIndex((t) => /^BETWEEN$/i.test(t.text));
  return i >= 0 && clause.length === i + 2;
}

function unquote(t) {
  return t.kind === "string" ? t.text.slice(1, -1).replace(/\\(.)/g, "$1") : t.text;
}

function parseClause(c) {
  if (c.length < 2 || c[0].kind !== "name") return null;
  const words = c.slice(1).map((t) => t.text.toUpperCase());
  const filter = c[0].text;
  const op2 = words.slice(0, 2).join(" ");
  const op3 = words.slice(0, 3).join(" ");
  if (op3 === "IS NOT NULL" && c.length === 4) return { filter, op: "IS NOT NULL", value: "" };
  if (op2 === "IS NULL" && c.length === 3) return { filter, op: "IS NULL", value: "" };
  if (op2 === "NOT CONTAINS" && c.length === 4) return { filter, op: "NOT CONTAINS", value: unquote(c[3]) };
  if (words[0] === "CONTAINS" && c.length === 3) return { filter, op: "CONTAINS", value: unquote(c[2]) };
  if (words[0] === "BETWEEN" && c.length === 5 && words[2] === "AND") {
    return { filter, op: "BETWEEN", value: `${unquote(c[2])} AND ${unquote(c[4])}` };
  }
  if (c[1].kind === "operator" && c.length === 3) return { filter, op: c[1].text, value: unquote(c[2]) };
  const matches = words[0] === "MATCHES" ? 2 : op2 === "NOT MATCHES" ? 3 : 0;
  if (matches && c[matches]?.text === "(" && c[c.length - 1].text === ")") {
    const params = [];
    let cur = [];
    for (const t of c.slice(matches + 1, -1)) {
      if (t.text === ",") {
        params.push(cur);
        cur = [];
      } else cur.push(t);
    }
    if (cur.length) params.push(cur);
    const rows = [];
    for (const p of params) {
      if (p.length !== 3 || p[0].kind !== "name" || p[1].kind !== "operator") return null;
      rows.push({ param: p[0].text, op: p[1].text, value: unquote(p[2]) });
    }
    return { filter, op: matches === 2 ? "MATCHES" : "NOT MATCHES", params: rows };
  }
  return null;
}

// The query text of the builder's rows.
export function writeRows(cat, join, rows) {
  return rows
    .filter((r) => r.filter)
    .map((r) => {
      const f = cat.byName.get(r.filter);
      if (f?.kind === "function") {
        const params = (r.params ?? [])
          .filter((p) => p.param && p.value !== "")
          .map((p) => `${p.param} ${p.op} ${literal(paramOf(f, p.param)?.type, p.value)}`);
        return `${r.filter} ${r.op} (${params.join(", ")})`;
      }
      if (NO_VALUE.has(r.op)) return `${r.filter} ${r.op}`;
      if (r.op === "BETWEEN") {
        const [a, b] = r.value.split(/\s+AND\s+/i);
        return `${r.filter} BETWEEN ${literal(f?.type, a ?? "")} AND ${literal(f?.type, b ?? "")}`;
      }
      return `${r.filter} ${r.op} ${literal(f?.type, r.value)}`;
    })
    .join(` ${join} `);
}

let uid = 0;

function labelled(labelText, control) {
  const id = `b${++uid}`;
  control.id = id;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "visually-hidden";
  label.textContent = labelText;
  return [label, control];
}

function select(options, value) {
  const s = document.createElement("select");
  for (const o of options) {
    if (o.group) {
      const g = document.createElement("optgroup");
      g.label = o.group;
      for (const x of o.options) g.append(new Option(x, x, false, x === value));
      s.append(g);
    } else s.append(new Option(o, o, false, o === value));
  }
  if (value !== undefined) s.value = value;
  return s;
}

// A value input with the store's values offered (a datalist) or the
// fixed ones (a select).
function valueInput(spec, filter, param, value, onInput) {
  if (spec?.values) {
    const s = select(["", ...spec.values], value);
    s.addEventListener("change", () => onInput(s.value));
    return s;
  }
  const input = document.createElement("input");
  input.value = value ?? "";
  input.placeholder = spec?.type === "date" ? "-30d or 2026-01-31" : spec?.type ?? "";
  if (spec?.suggest) {
    const list = document.createElement("datalist");
    list.id = `values-${++uid}`;
    input.setAttribute("list", list.id);
    input.after(list);
    const fill = async () => {
      const values = await suggestions(filter, param, input.value);
      list.replaceChildren(...values.map((v) => new Option(v.label ?? "", v.value)));
    };
    input.addEventListener("focus", fill, { once: true });
    input.addEventListener("input", fill);
    input.datalist = list;
  }
  input.addEventListener("input", () => onInput(input.value));
  return input;
}

export async function mountBuilder(root, textarea, onChange) {
  const cat = await catalog();
  const filters = [...new Set(cat.filters.map((f) => f.name))];
  const functions = cat.functions.map((f) => f.name);
  const choices = [
    { group: "Who they are", options: filters },
    { group: "What they did", options: functions },
  ];
  let state = { join: "AND", rows: [] };
  const rowsEl = root.querySelector("#builder-rows");
  const joinEl = root.querySelector("#builder-join");
  const noteEl = root.querySelector("#builder-note");

  const write = () => {
    textarea.value = writeRows(cat, state.join, state.rows);
    textarea.dispatchEvent(new Event("input"));
    onChange();
  };

  const render = () => {
    joinEl.value = state.join;
    rowsEl.replaceChildren(
      ...state.rows.map((row, i) => {
        const li = document.createElement("li");
        li.className = "builder-row";
        const f = cat.byName.get(row.filter);
        const filterSel = select(choices, row.filter);
        filterSel.addEventListener("change", () => {
          const nf = cat.byName.get(filterSel.value);
          state.rows[i] = nf?.kind === "function"
            ? { filter: filterSel.value, op: "MATCHES", params: [{ param: nf.params[0]?.name ?? "", op: "=", value: "" }] }
            : { filter: filterSel.value, op: nf?.operators?.[0] ?? "=", value: "" };
          render();
          write();
        });
        const opSel = select(f?.operators ?? ["="], row.op);
        opSel.addEventListener("change", () => {
          row.op = opSel.value;
          render();
          write();
        });
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "Remove";
        remove.setAttribute("aria-label", `Remove condition ${i + 1}`);
        remove.addEventListener("click", () => {
          state.rows.splice(i, 1);
          render();
          write();
        });
        li.append(...labelled(`Condition ${i + 1}: filter`, filterSel), ...labelled(`Condition ${i + 1}: operator`, opSel));
        if (f?.kind === "function") {
          const sub = document.createElement("ul");
          sub.className = "builder-params";
          row.params.forEach((p, j) => {
            const pli = document.createElement("li");
            const spec = paramOf(f, p.param);
            const pSel = select(f.params.map((x) => x.name), p.param);
            pSel.addEventListener("change", () => {
              p.param = pSel.value;
              p.op = paramOf(f, p.param)?.operators?.[0] ?? "=";
              p.value = "";
              render();
              write();
            });
            const pOp = select((spec?.operators ?? ["="]).filter((o) => !o.includes("NULL")), p.op);
            pOp.addEventListener("change", () => {
              p.op = pOp.value;
              write();
            });
            const value = valueInput(spec, row.filter, p.param, p.value, (v) => {
              p.value = v;
              write();
            });
            pli.append(
              ...labelled(`Condition ${i + 1}, parameter ${j + 1}`, pSel),
              ...labelled(`Condition ${i + 1}, parameter ${j + 1}: operator`, pOp),
              ...labelled(`Condition ${i + 1}, parameter ${j + 1}: value`, value),
            );
            if (value.datalist) pli.append(value.datalist);
            sub.append(pli);
          });
          const add = document.createElement("button");
          add.type = "button";
          add.textContent = "+ parameter";
          add.addEventListener("click", () => {
            row.params.push({ param: f.params[0]?.name ?? "", op: "=", value: "" });
            render();
          });
          li.append(remove, sub, add);
        } else {
          if (!NO_VALUE.has(row.op)) {
            const value = valueInput(f, row.filter, null, row.value, (v) => {
              row.value = v;
              write();
            });
            li.append(...labelled(`Condition ${i + 1}: value`, value));
            if (value.datalist) li.append(value.datalist);
          }
          li.append(remove);
        }
        return li;
      }),
    );
  };

  // Reads the textarea into rows, or says why it cannot.
  const read = () => {
    const parsed = textarea.value.trim() ? parseRows(textarea.value) : { join: "AND", rows: [] };
    if (parsed.error) {
      noteEl.textContent = `The builder cannot show this query (${parsed.error}); edit it as text.`;
      rowsEl.replaceChildren();
      root.querySelector("#builder-add").disabled = true;
      return false;
    }
    noteEl.textContent = "";
    root.querySelector("#builder-add").disabled = false;
    state = parsed;
    for (const r of state.rows) {
      if (cat.byName.get(r.filter)?.kind === "function") r.params ??= [];
    }
    render();
    return true;
  };

  joinEl.addEventListener("change", () => {
    state.join = joinEl.value;
    write();
  });
  root.querySelector("#builder-add").addEventListener("click", () => {
    state.rows.push({ filter: "amount_spent", op: ">", value: "" });
    render();
    rowsEl.lastElementChild?.querySelector("select")?.focus();
  });
  return read;
}
