// The filter catalog (/api/catalog), fetched once per page, and value
// suggestions (/api/suggest) for the completer and the visual builder.

import { api } from "/ui/common.js";

let loaded = null;

export function catalog() {
  loaded ??= api("/api/catalog").then(({ ok, body }) => {
    if (!ok) return { filters: [], functions: [], event_properties: [] };
    const byName = new Map();
    for (const f of body.filters) byName.set(f.name, { ...f, kind: "filter" });
    for (const f of body.functions) {
      const entry = { ...f, kind: "function", operators: ["MATCHES", "NOT MATCHES"] };
      byName.set(f.name, entry);
      for (const a of f.aliases) byName.set(a, entry);
    }
    return { ...body, byName };
  });
  return loaded;
}

// The parameter `param` of function `fn`, or a `property.` one.
export function paramOf(fn, param) {
  const p = fn?.params?.find((x) => x.name === param);
  if (p) return p;
  if (fn?.open_prefix && param?.startsWith(fn.open_prefix)) {
    return { name: param, type: "string", operators: ["=", "!=", ">", ">=", "<", "<=", "IN", "NOT IN"], suggest: false };
  }
  return null;
}

// Values for a filter (or a function's parameter) starting with `prefix`.
export async function suggestions(filter, param, prefix) {
  const q = new URLSearchParams({ filter, prefix, limit: "20" });
  if (param) q.set("param", param);
  const { ok, body } = await api(`/api/suggest?${q}`);
  return ok ? body.values : [];
}

// How a value of this type is written in a query.
export function literal(type, value) {
  const v = String(value).trim();
  if (["integer", "number", "distance"].includes(type) && /^-?\d+(\.\d+)?$/.test(v)) return v;
  if (type === "boolean" && /^(true|false)$/i.test(v)) return v.toLowerCase();
  if (type === "date" && /^-?\d+[dwmy]$/i.test(v)) return v;
  if (type === "id" && /^\d+$/.test(v)) return v;
  if (type === "coordinates") return v;
  return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
