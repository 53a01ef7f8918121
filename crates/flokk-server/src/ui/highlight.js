// Syntax highlighting of the query textarea: a <pre> behind the textarea
// shows the same text in colour, the textarea above it is transparent but
// for its caret and selection, so typing, selecting and screen readers
// work on a plain textarea.

import { tokenize } from "/ui/query_tokens.js";

export function highlight(textarea) {
  const wrap = document.createElement("div");
  wrap.className = "editor-wrap";
  const pre = document.createElement("pre");
  pre.className = "highlight";
  pre.setAttribute("aria-hidden", "true");
  textarea.replaceWith(wrap);
  wrap.append(pre, textarea);
  const paint = () => {
    pre.replaceChildren(
      ...tokenize(textarea.value).map((t) => {
        if (t.kind === "space") return document.createTextNode(t.text);
        const span = document.createElement("span");
        span.className = `tok-${t.kind}`;
        span.textContent = t.text;
        return span;
      }),
      // A trailing newline would otherwise collapse.
      document.createTextNode("\n"),
    );
    pre.scrollTop = textarea.scrollTop;
    pre.scrollLeft = textarea.scrollLeft;
  };
  textarea.addEventListener("input", paint);
  textarea.addEventListener("scroll", () => {
    pre.scrollTop = textarea.scrollTop;
    pre.scrollLeft = textarea.scrollLeft;
  });
  return paint;
}
