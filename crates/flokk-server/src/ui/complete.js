// Autocompletion in the query textarea: filters and functions, their
// operators, MATCHES parameters and values (fixed ones from the catalog,
// the store's own from /api/suggest, most used first). A listbox below
// the textarea (ARIA combobox pattern): arrows move, Enter or Tab takes,
// Escape closes; Ctrl+Space opens it anywhere.

import { contextAt } from "/ui/query_tokens.js";
import { catalog, literal, paramOf, suggestions } from "/ui/catalog.js";

export function complete(textarea, onChange) {
  const list = document.createElement("ul");
  list.id = "completions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Completions");
  list.hidden = true;
  textarea.closest(".editor-wrap").after(list);
  textarea.setAttribute("role", "combobox");
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", list.id);
  textarea.setAttribute("aria-expanded", "false");
  let items = [];
  let active = 0;
  let context = null;
  let ticket = 0;

  const close = () => {
    list.hidden = true;
    textarea.setAttribute("aria-expanded", "false");
    textarea.removeAttribute("aria-activedescendant");
    items = [];
  };
  const render = () => {
    list.replaceChildren(
      ...items.map((item, i) => {
        const li = document.createElement("li");
        li.id = `completion-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === active));
        li.append(item.label);
        if (item.detail) {
          const d = document.createElement("span");
          d.className = "muted";
          d.textContent = ` ${item.detail}`;
          li.append(d);
        }
        li.addEventListener("mousedown", (e) => {
          e.preventDefault();
          take(i);
        });
        return li;
      }),
    );
    list.hidden = items.length === 0;
    textarea.setAttribute("aria-expanded", String(!list.hidden));
    if (!list.hidden) textarea.setAttribute("aria-activedescendant", `completion-${active}`);
  };
  const take = (i) => {
    const item = items[i];
    if (!item || !context) return;
    const src = textarea.value;
    const end = textarea.selectionStart;
    const before = src.slice(0, context.start) + item.insert;
    textarea.value = before + src.slice(end);
    textarea.selectionStart = textarea.selectionEnd = before.length;
    close();
    textarea.focus();
    onChange();
    update();
  };

  async function update() {
    const mine = ++ticket;
    const pos = textarea.selectionStart;
    context = contextAt(textarea.value, pos);
    if (!context) return close();
    const cat = await catalog();
    const p = context.prefix.toLowerCase();
    let found = [];
    if (context.kind === "filter") {
      for (const [name, f] of cat.byName) {
        if (name.toLowerCase().startsWith(p) && name !== context.prefix) {
          found.push({ label: name, detail: f.kind === "function" ? "MATCHES (…)" : f.type, insert: `${name} ` });
        }
      }
      found.sort((a, b) => a.label.localeCompare(b.label));
    } else if (context.kind === "param") {
      const fn = cat.byName.get(context.filter);
      const names = (fn?.params ?? []).map((x) => x.name);
      if (fn?.open_prefix) names.push(...cat.event_properties);
      found = names
        .filter((n) => n.toLowerCase().startsWith(p))
        .map((n) => ({ label: n, detail: paramOf(fn, n)?.type, insert: `${n} ` }));
    } else if (context.kind === "operator") {
      const f = cat.byName.get(context.filter);
      const spec = context.param ? paramOf(f, context.param) : f;
      found = (spec?.operators ?? [])
        .filter((o) => o.toLowerCase().startsWith(p))
        .map((o) => ({ label: o, insert: o === "MATCHES" || o === "NOT MATCHES" ? `${o} (` : `${o} ` }));
    } else if (context.kind === "value" && context.filter) {
      const f = cat.byName.get(context.filter);
      const spec = context.param ? paramOf(f, context.param) : f;
      if (spec?.values) {
        found = spec.values
          .filter((v) => v.toLowerCase().startsWith(p))
          .map((v) => ({ label: v, insert: `${literal(spec.type, v)} ` }));
      } else if (spec?.suggest) {
        const values = await suggestions(context.filter, context.param, context.prefix);
        found = values.map((v) => ({
          label: v.value,
          detail: [v.label, v.count ? v.count.toLocaleString() : ""].filter(Boolean).join(" · "),
          insert: `${literal(spec.type, v.value)} `,
        }));
      } else if (spec?.type === "date" && !p) {
        found = ["-7d", "-30d", "-90d", "-1y"].map((v) => ({ label: v, detail: "relative date", insert: `${v} ` }));
      }
    }
    if (mine !== ticket) return;
    items = found.slice(0, 12);
    active = 0;
    render();
  }

  // Only what the merchant types opens the list, not text the builder writes.
  textarea.addEventListener("input", (e) => {
    if (e.isTrusted) update();
  });
  textarea.addEventListener("blur", () => setTimeout(close, 100));
  textarea.addEventListener("keydown", (e) => {
    if (e.key === " " && e.ctrlKey) {
      e.preventDefault();
      update();
      return;
    }
    if (list.hidden) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      render();
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      take(active);
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  });
}
