// Signs in with an API token (typed, or in the link `flokk serve` prints:
// /signin#token=...; a fragment never reaches a server log) and goes back
// to the page that sent the merchant here.

import { api, text } from "/ui/common.js";

const form = document.getElementById("signin");
const input = document.getElementById("token");
const problem = document.getElementById("problem");

async function signIn(token) {
  const { ok, body } = await api("/api/session", { method: "POST", body: { token } });
  if (!ok) {
    problem.replaceChildren(text("div", body.error.message, "error"));
    return;
  }
  sessionStorage.setItem("csrf", body.csrf);
  const next = new URLSearchParams(location.search).get("next");
  location.replace(next && next.startsWith("/") ? next : "/");
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  signIn(input.value.trim());
});
function fromLink() {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (token) {
    history.replaceState(null, "", location.pathname + location.search);
    signIn(token);
  }
}
// A sign-in link opened on this page changes only the fragment.
window.addEventListener("hashchange", fromLink);
fromLink();
