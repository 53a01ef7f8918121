// Syntax highlighting of the query textarea: a <pre> behind the textarea
// shows the same text in colour, the textarea above it is transparent but
// for its caret and selection, so typing, selecting and screen readers
// work on a plain textarea.

import { tokenize } from "/ui/query_tokens.js";

// `paint(marks)` redraws; `marks` are [start, end) character ranges of
// errors, drawn with a wavy underline where they are.
export function highlight(textarea) {
  const wrap = document.createElement("div");
  wrap.className = "editor-wrap";
  const pre = document.createElement("pre");
  pre.className = "highlight";
  pre.setAttribute("aria-hidden", "true");
  textarea.replaceWith(wrap);
  wrap.append(pre, textarea);
  let marks = [];
  const paint = (newMarks) => {
    if (Array.isArray(newMarks)) marks = newMarks;
    const src = textarea.value;
    // Split tokens at error boundaries so a mark covers exactly its span.
    const cuts = new Set(marks.flat().filter((n) => n > 0 && n < src.length));
    const pieces = [];
    for (const t of tokenize(src)) {
      let from = t.start;
      for (let k = t.start + 1; k < t.end; k++) {
        if (cuts.has(k)) {
          pieces.push({ kind: t.kind, start: from, end: k });
          from = k;
        }
      }
      pieces.push({ kind: t.kind, start: from, end: t.end });
    }
    const marked = (p) => marks.some(([a, b]) => p.start < Math.max(b, a + 1) && p.end > a);
    // An error at the very end (something missing) marks a space after it.
    const tail = marks.some(([a]) => a >= src.length);
    pre.replaceChildren(
      ...pieces.map((p) => {
        const content = src.slice(p.start, p.end);
        const err = marked(p);
        if (p.kind === "space" && !err) return document.createTextNode(content);
        const span = document.createElement("span");
        span.className = `tok-${p.kind}${err ? " err" : ""}`;
        span.textContent = content;
        return span;
      }),
      ...(tail ? [Object.assign(document.createElement("span"), { className: "err", textContent: " " })] : []),
      // A trailing newline would otherwise collapse.
      document.createTextNode("\n"),
    );
    pre.scrollTop = textarea.scrollTop;
    pre.scrollLeft = textarea.scrollLeft;
  };
  // Typing moves the text under old marks: they go until the next check.
  textarea.addEventListener("input", () => paint([]));
  textarea.addEventListener("scroll", () => {
    pre.scrollTop = textarea.scrollTop;
    pre.scrollLeft = textarea.scrollLeft;
  });
  return paint;
}
