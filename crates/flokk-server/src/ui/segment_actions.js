// Acting on a saved segment from its page: "Tag customers" and "Create
// discount". The editor announces the segment it shows with a
// `segment-shown` event; the actions appear for a saved, live segment.
//
// Tagging shows, for each tag offered (the store's most used tags, and the
// one typed), how many of the segment's customers already have it and how
// many customers have it in all (two counts each, through /api/count, so
// the figures are the ones a query would give), then applies it with
// POST /api/segments/{name}/tags and says "tagged N, already had M".
import { api, text } from "/ui/common.js";

const section = document.getElementById("actions");
const tagInput = document.getElementById("tag-name");
const tagRows = document.querySelector("#tag-counts tbody");
const tagResult = document.getElementById("tag-result");
const tagApply = document.getElementById("tag-apply");
const discountForm = document.getElementById("discount-form");
const discountResult = document.getElementById("discount-result");
const discountDownload = document.getElementById("discount-download");
let segment = null;

// A text value in the query language: single quotes, `\'` and `\\` escaped.
function quoted(value) {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

async function count(query) {
  const { ok, body } = await api(`/api/count?query=${encodeURIComponent(query)}`);
  return ok ? body.count : null;
}

// The counts for one tag: segment members with it, customers with it.
async function tagCounts(tag) {
  const has = `customer_tags CONTAINS ${quoted(tag)}`;
  const [members, all] = await Promise.all([
    count(`customer_segments CONTAINS ${quoted(segment.name)} AND ${has}`),
    count(has),
  ]);
  return { tag, members, all };
}

function fmt(n) {
  return n === null ? "–" : n.toLocaleString();
}

async function showTagCounts() {
  if (!segment) return;
  const { ok, body } = await api("/api/suggest?filter=customer_tags&limit=6");
  const offered = ok ? body.values.map((v) => v.value) : [];
  const typed = tagInput.value.trim();
  if (typed && !offered.some((t) => t.toLowerCase() === typed.toLowerCase())) offered.unshift(typed);
  const rows = await Promise.all(offered.map(tagCounts));
  tagRows.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement("tr");
      const pick = document.createElement("button");
      pick.type = "button";
      pick.textContent = r.tag;
      pick.className = "link";
      pick.addEventListener("click", () => {
        tagInput.value = r.tag;
      });
      const name = document.createElement("td");
      name.append(pick);
      tr.append(
        name,
        text("td", `${fmt(r.members)} of ${segment.count.toLocaleString()}`),
        text("td", fmt(r.all)),
      );
      tr.dataset.tag = r.tag;
      return tr;
    }),
  );
}

let typing = null;
tagInput.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(showTagCounts, 300);
});

tagApply.addEventListener("click", async () => {
  const tag = tagInput.value.trim();
  if (!tag) {
    tagResult.textContent = "Type or pick a tag first.";
    return;
  }
  tagApply.disabled = true;
  tagResult.textContent = "Tagging…";
  const { ok, body } = await api(`/api/segments/${encodeURIComponent(segment.name)}/tags`, {
    method: "POST",
    body: { tag, action: "add" },
  });
  tagApply.disabled = false;
  tagResult.textContent = ok
    ? `Tagged ${body.tagged.toLocaleString()}, already had ${body.already.toLocaleString()}; ` +
      `${body.total_with_tag.toLocaleString()} customers have “${tag}” in all.`
    : body.error.message;
  await showTagCounts();
});

discountForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(discountForm);
  const request = {
    name: form.get("name"),
    segment: segment.name,
    [form.get("kind")]: form.get("value"),
  };
  if (form.get("unique")) {
    request.unique = true;
    request.prefix = form.get("prefix") ?? "";
  } else {
    request.code = form.get("code");
  }
  if (form.get("ends")) request.ends = form.get("ends");
  discountDownload.hidden = true;
  discountResult.textContent = "Creating…";
  const { ok, body } = await api("/api/discounts", { method: "POST", body: request });
  if (!ok) {
    discountResult.textContent = body.error.message;
    return;
  }
  discountResult.textContent = body.unique
    ? `Issued ${body.issued.toLocaleString()} unique codes.`
    : `Issued the code ${body.code} to ${body.issued.toLocaleString()} customers.`;
  discountDownload.href = `/api/discounts/${encodeURIComponent(body.name)}/codes`;
  discountDownload.hidden = false;
});

// Shared code or unique codes: only the fields that apply are shown.
const uniqueBox = discountForm.elements["unique"];
function codeFields() {
  document.getElementById("discount-code-field").hidden = uniqueBox.checked;
  document.getElementById("discount-prefix-field").hidden = !uniqueBox.checked;
}
uniqueBox.addEventListener("change", codeFields);
codeFields();

document.addEventListener("segment-shown", (event) => {
  segment = event.detail;
  section.hidden = !segment || segment.deleted;
  if (!section.hidden) showTagCounts();
});
