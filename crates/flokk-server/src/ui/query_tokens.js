// A lenient tokenizer of the segment language for the editor: it never
// fails (the server's checker says what is wrong), it only tells the
// highlighter what each piece of text is and the completer where the
// cursor stands. Kinds: keyword, name (a filter, function or parameter),
// string, number, date (a relative date like -30d, or a quoted date),
// operator, punct, space, other.

const KEYWORDS = new Set([
  "AND", "OR", "NOT", "MATCHES", "CONTAINS", "BETWEEN", "IS", "NULL", "IN", "TRUE", "FALSE",
]);

export function tokenize(src) {
  const out = [];
  let i = 0;
  const push = (kind, end) => {
    out.push({ kind, text: src.slice(i, end), start: i, end });
    i = end;
  };
  while (i < src.length) {
    const rest = src.slice(i);
    let m;
    if ((m = rest.match(/^\s+/))) push("space", i + m[0].length);
    else if (rest[0] === "'" || rest[0] === '"') {
      const q = rest[0];
      let j = 1;
      while (j < rest.length && rest[j] !== q) j += rest[j] === "\\" ? 2 : 1;
      push("string", i + Math.min(j + 1, rest.length));
    } else if ((m = rest.match(/^-?\d+(\.\d+)?[dwmy]\b/i)) && /[dwmy]$/i.test(m[0])) push("date", i + m[0].length);
    else if ((m = rest.match(/^-?\d+(\.\d+)?/))) push("number", i + m[0].length);
    else if ((m = rest.match(/^(>=|<=|!=|=|>|<)/))) push("operator", i + m[0].length);
    else if ((m = rest.match(/^[A-Za-z_][A-Za-z0-9_.]*/))) {
      push(KEYWORDS.has(m[0].toUpperCase()) ? "keyword" : "name", i + m[0].length);
    } else if ((m = rest.match(/^[(),]/))) push("punct", i + 1);
    else push("other", i + 1);
  }
  return out;
}

// What is being typed at `pos`: {kind, prefix, start, filter, param}
// where kind is "filter" (a filter or function name), "operator",
// "value" (of `filter`, or of `param` inside `filter MATCHES (...)`) or
// "param" (a parameter name inside MATCHES), or null.
export function contextAt(src, pos) {
  const tokens = tokenize(src.slice(0, pos)).filter((t) => t.kind !== "space");
  const endsInSpace = /\s$/.test(src.slice(0, pos)) || pos === 0;
  let current = null;
  if (!endsInSpace && tokens.length) {
    const last = tokens[tokens.length - 1];
    if (["name", "string", "number", "keyword", "date"].includes(last.kind)) current = tokens.pop();
  }
  const prefix = current ? current.text.replace(/^['"]/, "").replace(/['"]$/, "") : "";
  const start = current ? current.start : pos;
  // Find the enclosing MATCHES ( ... ) if any.
  let depth = 0;
  let fn = null;
  for (let k = tokens.length - 1; k >= 0; k--) {
    const t = tokens[k];
    if (t.text === ")") depth++;
    else if (t.text === "(") {
      if (depth === 0) {
        const before = tokens[k - 1];
        const name = tokens[k - 2];
        if (before && /^MATCHES$/i.test(before.text) && name) fn = name.text;
        else if (before && /^MATCHES$/i.test(before.text) && tokens[k - 3]) fn = tokens[k - 3].text;
        break;
      }
      depth--;
    }
  }
  const prev = tokens[tokens.length - 1];
  const prev2 = tokens[tokens.length - 2];
  if (!prev || prev.text === "(" && !fn || /^(AND|OR|NOT)$/i.test(prev.text)) {
    return { kind: "filter", prefix, start };
  }
  if (fn) {
    if (prev.text === "(" || prev.text === ",") return { kind: "param", prefix, start, filter: fn };
    if (prev.kind === "name" && (prev2?.text === "(" || prev2?.text === ",")) {
      return { kind: "operator", prefix, start, filter: fn, param: prev.text };
    }
    if (prev.kind === "operator" || /^IN$/i.test(prev.text)) {
      const param = prev2?.kind === "name" ? prev2.text : null;
      return { kind: "value", prefix, start, filter: fn, param };
    }
    return null;
  }
  if (prev.kind === "name") return { kind: "operator", prefix, start, filter: prev.text };
  if (prev.kind === "operator" || /^(CONTAINS|IN)$/i.test(prev.text)) {
    let k = tokens.length - 2;
    while (k >= 0 && tokens[k].kind !== "name") k--;
    return { kind: "value", prefix, start, filter: tokens[k]?.text };
  }
  return null;
}
