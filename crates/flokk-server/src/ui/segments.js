// The segment index: name, customers, % of all, author, last activity, a
// Draft badge; search (name and description), sort, deleted segments with
// restore; templates. In a venue group (the store knows organisations) an
// Organisation column and filter appear; a store of one organisation shows
// neither.
// Static lists follow the segments with a List badge (their source in the
// author column, created as their activity); a list opens in the editor as
// its query, `customer_lists CONTAINS 'NAME'`, to see, export or act on it.

import { api, text, showStore } from "/ui/common.js";

const tbody = document.querySelector("#segments tbody");
const caption = document.getElementById("segments-caption");
const search = document.getElementById("search");
const sort = document.getElementById("sort");
const deleted = document.getElementById("deleted");
const organisation = document.getElementById("organisation");

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "";
}

async function load() {
  const params = new URLSearchParams({ sort: sort.value, deleted: deleted.checked });
  if (search.value.trim()) params.set("search", search.value.trim());
  if (organisation.value) params.set("organisation", organisation.value);
  const { ok, body } = await api(`/api/segments?${params}`);
  if (!ok) {
    caption.textContent = body.error?.message ?? "could not load the segments";
    return;
  }
  const names = body.organisations ?? [];
  const group = names.length > 0;
  showOrganisations(names);
  caption.textContent = `${body.segments.length} segments, ${body.total_customers.toLocaleString()} customers in the store`;
  tbody.replaceChildren(
    ...body.segments.map((s) => {
      const tr = document.createElement("tr");
      const name = document.createElement("td");
      const link = text("a", s.name);
      link.href = `/segments/${s.id}`;
      name.append(link);
      if (s.draft) name.append(" ", text("span", "Draft", "badge"));
      if (s.description) name.append(text("div", s.description, "muted"));
      const actions = document.createElement("td");
      if (s.deleted) {
        const restore = text("button", "Restore");
        restore.type = "button";
        restore.setAttribute("aria-label", `Restore ${s.name}`);
        restore.addEventListener("click", async () => {
          const r = await api(`/api/segments/${s.id}/restore`, { method: "POST" });
          if (!r.ok) alert(r.body.error.message);
          load();
        });
        actions.append(restore);
      }
      tr.append(
        name,
        text("td", s.count.toLocaleString(), "number"),
        text("td", `${s.percent.toFixed(1)} %`, "number"),
        ...(group ? [text("td", s.organisation ?? "Shared", "organisation")] : []),
        text("td", s.author),
        text("td", when(s.last_activity)),
        actions,
      );
      return tr;
    }),
  );
  if (!deleted.checked && !organisation.value) tbody.append(...(await listRows(group)));
}

// The organisation filter and column, shown only in a venue group.
function showOrganisations(names) {
  const group = names.length > 0;
  for (const el of document.querySelectorAll(".organisation, #organisation, label[for=organisation]")) {
    el.hidden = !group;
  }
  const have = [...organisation.options].slice(1).map((o) => o.value);
  if (have.join("\n") !== names.join("\n")) {
    const chosen = organisation.value;
    organisation.replaceChildren(organisation.options[0], ...names.map((n) => {
      const option = text("option", n);
      option.value = n;
      return option;
    }));
    organisation.value = names.includes(chosen) ? chosen : "";
  }
}

// A text value in the query language.
function quoted(value) {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

async function listRows(group) {
  const { ok, body } = await api("/api/lists");
  if (!ok) return [];
  const needle = search.value.trim().toLowerCase();
  return body.lists
    .filter((l) => l.name.toLowerCase().includes(needle))
    .map((l) => {
      const tr = document.createElement("tr");
      tr.className = "list";
      const name = document.createElement("td");
      const link = text("a", l.name);
      link.href = `/segments/new?query=${encodeURIComponent(`customer_lists CONTAINS ${quoted(l.name)}`)}`;
      name.append(link, " ", text("span", "List", "badge"));
      tr.append(
        name,
        text("td", l.count.toLocaleString(), "number"),
        text("td", `${l.percent.toFixed(1)} %`, "number"),
        ...(group ? [text("td", "", "organisation")] : []),
        text("td", l.origin ? `${l.source}: ${l.origin}` : l.source),
        text("td", when(l.created_at)),
        document.createElement("td"),
      );
      return tr;
    });
}

async function templates() {
  const { ok, body } = await api("/api/templates");
  if (!ok) return;
  document.getElementById("templates").replaceChildren(
    ...body.templates.map((t) => {
      const li = document.createElement("li");
      const link = text("a", t.name);
      link.href = `/segments/new?template=${encodeURIComponent(t.key)}`;
      li.append(link, text("p", t.description, "muted"), text("code", t.query));
      return li;
    }),
  );
}

let pending = null;
search.addEventListener("input", () => {
  clearTimeout(pending);
  pending = setTimeout(load, 150);
});
sort.addEventListener("change", load);
deleted.addEventListener("change", load);
organisation.addEventListener("change", load);
document.getElementById("filters").addEventListener("submit", (e) => e.preventDefault());
showStore();
load();
templates();
