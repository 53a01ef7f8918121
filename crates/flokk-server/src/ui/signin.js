// The sign-in page: posts the pasted token as JSON (the server sets the
// session cookie) and goes back to the page that sent the browser here.

const form = document.getElementById("signin");
const token = document.getElementById("token");
const errorEl = document.getElementById("signin-error");
const params = new URLSearchParams(location.search);

// Only a path on this server: "//host" or "/\host" would leave it.
function returnPath() {
  const next = params.get("next") ?? "/";
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

function showError(message) {
  const div = document.createElement("div");
  div.className = "error";
  div.textContent = message;
  errorEl.replaceChildren(div);
}

if (params.get("link") === "used") {
  showError("That sign-in link was used already or has expired. Paste the token instead.");
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorEl.replaceChildren();
  const response = await fetch("/api/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: token.value.trim() }),
  });
  if (response.ok) {
    location.assign(returnPath());
    return;
  }
  let message = `Sign-in failed (HTTP ${response.status}).`;
  try {
    message = (await response.json()).error.message;
  } catch {
    // keep the status line
  }
  showError(message);
  token.select();
});
