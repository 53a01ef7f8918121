//! The crates' inner layering, kept by a test: every module of a crate
//! belongs to one layer, and a module may use modules of its own layer or
//! of a lower one, never of a higher one.
//!
//! The check reads each `.rs` file under a crate's `src/`, collects the
//! paths that start with `crate::` (in `use` lines, brace groups included,
//! and in code) and those that start with `super::` and name another
//! module, resolves each to the module it names (an item re-exported by
//! `lib.rs` with `pub use` resolves to where it is defined), and fails
//! naming the file, the line and the use when that module's layer is
//! higher than the file's. A file in no layer fails too, so a new module
//! has to be given a place.
//!
//! Adding a crate is adding a table: its `src/` folder and its layers,
//! lowest first, each a list of module paths (`columns` covers
//! `columns::*`; `crate` is `lib.rs` itself).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One crate's layers, lowest first.
struct Layering {
    /// The crate's folder, from the workspace root.
    dir: &'static str,
    /// Each layer's name and the module paths in it.
    layers: &'static [(&'static str, &'static [&'static str])],
}

/// flokk-engine: columns → tables → indexes → predictions → the engine
/// (the tables together) → eval → the façade.
const ENGINE: Layering = Layering {
    dir: "crates/flokk-engine",
    layers: &[
        ("columns", &["columns"]),
        ("tables", &["tables"]),
        ("indexes", &["indexes"]),
        ("predictions", &["predictions"]),
        ("engine", &["engine"]),
        ("eval", &["eval"]),
        (
            "façade",
            &[
                "crate",
                "answers",
                "backend",
                "catch_up",
                "compaction",
                "hints",
                "prediction_rescoring",
                "snapshot",
                "space_usage",
                "suggestions",
            ],
        ),
    ],
};

/// flokk-store: errors → the schema → the connection → the tables that
/// write, read and keep settings, access, segments and models → import and
/// webhooks (over the feed) → the Shopify readers.
const STORE: Layering = Layering {
    dir: "crates/flokk-store",
    layers: &[
        ("errors", &["error"]),
        ("schema", &["schema"]),
        ("store", &["store"]),
        (
            "tables",
            &[
                "writer",
                "readers",
                "settings",
                "access",
                "segments",
                "models",
                "lists",
                "discounts",
                "organisations",
            ],
        ),
        ("feeds", &["import", "webhooks", "inbound", "campaigns"]),
        ("shopify", &["shopify", "tracking"]),
        ("crate", &["crate"]),
    ],
};

/// flokk-server: error bodies → the live state, views, auth and limits
/// (middleware) → webhooks delivery, exports and the server state → the
/// API routes, the UI and the accept loop.
const SERVER: Layering = Layering {
    dir: "crates/flokk-server",
    layers: &[
        ("bodies", &["error_body", "freed_memory"]),
        ("middleware", &["live", "views", "auth", "limits"]),
        (
            "state",
            &[
                "webhooks",
                "export_job",
                "inbound",
                "state",
                "campaign_sender",
                "retention",
            ],
        ),
        ("routes", &["api", "ui", "connections", "email_links"]),
        ("crate", &["crate"]),
    ],
};

/// The binary: the command line and failures → context, progress and the
/// engine's loading → live segments → the commands.
const BINARY: Layering = Layering {
    dir: "crates/flokk",
    layers: &[
        ("surface", &["cli", "failure"]),
        (
            "context",
            &[
                "context",
                "progress",
                "query",
                "clickhouse_http",
                "clickhouse_backend",
            ],
        ),
        ("live", &["live"]),
        ("commands", &["cmd"]),
        ("crate", &["crate"]),
    ],
};

/// flokk-clickhouse: errors and the statement → the schema and the rows
/// → the dialect.
const CLICKHOUSE: Layering = Layering {
    dir: "crates/flokk-clickhouse",
    layers: &[
        ("basics", &["error", "statement"]),
        ("tables", &["schema"]),
        ("dialect", &["dialect"]),
        ("rows", &["rows"]),
        ("crate", &["crate"]),
    ],
};

/// flokk-campaigns: errors → templates, signed links, the consent gate and
/// the report → the message → sending and creating.
const CAMPAIGNS: Layering = Layering {
    dir: "crates/flokk-campaigns",
    layers: &[
        ("errors", &["error"]),
        ("parts", &["template", "links", "gate", "report"]),
        ("message", &["message"]),
        ("send", &["send", "create"]),
        ("crate", &["crate"]),
    ],
};

/// A use that reaches up.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Upward {
    file: String,
    line: usize,
    text: String,
    from_layer: &'static str,
    to_module: String,
    to_layer: &'static str,
}

impl std::fmt::Display for Upward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: `{}` ({} layer) uses `{}` ({} layer)",
            self.file, self.line, self.text, self.from_layer, self.to_module, self.to_layer
        )
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/flokk sits two folders below the workspace root")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under `src/` (`columns::i64_column`,
/// `columns` for `columns/mod.rs`, `crate` for `lib.rs`).
fn module_of(relative: &Path) -> String {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    if parts.is_empty() {
        "crate".to_owned()
    } else {
        parts.join("::")
    }
}

/// Code without comments: line comments (doc comments included) and
/// string contents are blanked, so a path in prose or in a message does
/// not count. Line structure is kept.
fn code_of(source: &str) -> Vec<String> {
    source
        .lines()
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            let mut in_string = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                if in_string {
                    if c == '\\' {
                        chars.next();
                    } else if c == '"' {
                        in_string = false;
                        out.push('"');
                    }
                    continue;
                }
                if c == '/' && chars.peek() == Some(&'/') {
                    break;
                }
                // A quote as a character (`'"'`) opens no string.
                if c == '\'' && chars.peek() == Some(&'"') {
                    out.push(c);
                    out.push(chars.next().unwrap_or('"'));
                    continue;
                }
                if c == '"' {
                    in_string = true;
                }
                out.push(c);
            }
            out
        })
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths of a use tree starting at `text` (just after `crate::`):
/// `a::b::C`, or each member of a brace group `{a::b, c::{d, e}}`.
/// Returns the paths as segment lists.
fn use_tree(text: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut prefix: Vec<String> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut segment = String::new();
    while i < chars.len() {
        let c = chars[i];
        if is_ident(c) {
            segment.push(c);
            i += 1;
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            prefix.push(std::mem::take(&mut segment));
            i += 2;
        } else if c == '{' {
            // The group's members, each under the prefix read so far.
            let mut depth = 0;
            let start = i + 1;
            let mut end = start;
            for (j, &d) in chars.iter().enumerate().skip(i) {
                match d {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = j;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let inner: String = chars[start..end].iter().collect();
            for member in split_top_level(&inner) {
                for mut path in use_tree(member.trim()) {
                    let mut full = prefix.clone();
                    full.append(&mut path);
                    paths.push(full);
                }
            }
            return paths;
        } else {
            break;
        }
    }
    if !segment.is_empty() {
        prefix.push(segment);
    }
    if !prefix.is_empty() {
        paths.push(prefix);
    }
    paths
}

fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Every `crate::` and `super::` path of a file, with its line (1-based);
/// a `use` spanning lines is read as one from its first line.
fn paths_of(source: &str) -> Vec<(usize, String, Vec<String>)> {
    let lines = code_of(source);
    let mut found = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        for anchor in ["crate::", "super::"] {
            let mut from = 0;
            while let Some(at) = line[from..].find(anchor) {
                let start = from + at;
                from = start + anchor.len();
                // `$crate::` in a macro is `crate::`; `foo_crate::` is not.
                let before = line[..start].chars().next_back();
                if before.is_some_and(|b| is_ident(b) || b == ':') {
                    continue;
                }
                // A group may go on for lines: read up to the statement's end.
                let mut rest = line[from..].to_owned();
                let mut k = n + 1;
                while rest.contains('{')
                    && rest.matches('{').count() > rest.matches('}').count()
                    && k < lines.len()
                {
                    rest.push_str(&lines[k]);
                    k += 1;
                }
                let head = anchor.trim_end_matches("::");
                for path in use_tree(&rest) {
                    let mut full = vec![head.to_owned()];
                    full.extend(path);
                    found.push((n + 1, line.trim().to_owned(), full));
                }
            }
        }
    }
    found
}

/// What a path to the crate root may name besides a module.
#[derive(Default)]
struct RootItems {
    /// Items `lib.rs` re-exports: name → the path it stands for.
    reexports: BTreeMap<String, Vec<String>>,
    /// `#[macro_export]` macros: name → the module defining it.
    macros: BTreeMap<String, String>,
}

/// The macros a file defines with `macro_rules!` (exported ones are
/// reached as `crate::name!`).
fn macros_of(source: &str) -> Vec<String> {
    code_of(source)
        .iter()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("macro_rules!")?;
            let name: String = rest.trim().chars().take_while(|c| is_ident(*c)).collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// What `lib.rs` re-exports: item name → the path it stands for.
fn root_reexports(lib: &str) -> BTreeMap<String, Vec<String>> {
    let mut map = BTreeMap::new();
    let code = code_of(lib).join("\n");
    for statement in code.split(';') {
        let Some(at) = statement.find("pub use ") else {
            continue;
        };
        for path in use_tree(statement[at + "pub use ".len()..].trim()) {
            if let Some(name) = path.last() {
                map.insert(name.clone(), path.clone());
            }
        }
    }
    map
}

/// The module a path names: the longest prefix that is a module of the
/// crate (`crate::tables::orders::NO_SYM` → `tables::orders`), with root
/// re-exports followed once. `None` when it names no module of the crate
/// (an item of the file's own module, seen through `super::` in a test
/// module, say).
fn target_module(
    file_module: &str,
    path: &[String],
    modules: &BTreeSet<String>,
    roots: &RootItems,
) -> Option<String> {
    let (reexports, macros) = (&roots.reexports, &roots.macros);
    let mut segments: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => path[1..].to_vec(),
        Some("super") => {
            // `super::` from a file's module: its parent.
            let mut parent: Vec<String> = if file_module == "crate" {
                Vec::new()
            } else {
                file_module.split("::").map(str::to_owned).collect()
            };
            parent.pop();
            let mut rest = &path[1..];
            while rest.first().is_some_and(|s| s == "super") {
                parent.pop();
                rest = &rest[1..];
            }
            let mut full = parent.clone();
            full.extend(rest.iter().cloned());
            // Only a path into another module counts: `super::*` or an item
            // of the parent is the file's own neighbourhood.
            let named = longest_module(&full, modules)?;
            return (named.split("::").count() > parent.len()).then_some(named);
        }
        _ => return None,
    };
    if segments.first().is_some_and(|s| s == "self" || s == "*") {
        return Some("crate".to_owned());
    }
    if let Some(m) = longest_module(&segments, modules) {
        return Some(m);
    }
    // An exported macro sits at the root but belongs where it is defined.
    if let [name] = segments.as_slice()
        && let Some(m) = macros.get(name)
    {
        return Some(m.clone());
    }
    // An item of the root: where `lib.rs` re-exports it from, if anywhere.
    if let Some(target) = segments.first().and_then(|s| reexports.get(s)) {
        segments = target.iter().filter(|s| *s != "crate").cloned().collect();
        if let Some(m) = longest_module(&segments, modules) {
            return Some(m);
        }
    }
    Some("crate".to_owned())
}

fn longest_module(segments: &[String], modules: &BTreeSet<String>) -> Option<String> {
    (1..=segments.len())
        .rev()
        .map(|n| segments[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// A module's layer: the entry that is the module or its longest ancestor.
fn layer_of(layering: &Layering, module: &str) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, usize, &'static str)> = None;
    for (rank, (name, members)) in layering.layers.iter().enumerate() {
        for m in members.iter() {
            let covers = module == *m || module.starts_with(&format!("{m}::"));
            if covers && best.is_none_or(|(len, _, _)| m.len() > len) {
                best = Some((m.len(), rank, name));
            }
        }
    }
    best.map(|(_, rank, name)| (rank, name))
}

/// What the check found in one crate.
struct Findings {
    /// Uses of a module of a higher layer.
    upward: Vec<Upward>,
    /// Files of modules in no layer.
    unplaced: Vec<String>,
    /// Every (module, module it uses) pair.
    uses: BTreeSet<(String, String)>,
}

/// Every upward use of a crate, the files in no layer, and every
/// module-to-module use.
fn check(layering: &Layering) -> Findings {
    let src = workspace_root().join(layering.dir).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(f.strip_prefix(&src).expect("under src")))
        .collect();
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap_or_default();
    let mut roots = RootItems {
        reexports: root_reexports(&lib),
        ..RootItems::default()
    };
    for file in &files {
        let source = std::fs::read_to_string(file).expect("readable source");
        let module = module_of(file.strip_prefix(&src).expect("under src"));
        for name in macros_of(&source) {
            roots.macros.insert(name, module.clone());
        }
    }
    let (mut upward, mut unplaced) = (Vec::new(), Vec::new());
    let mut module_uses = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let module = module_of(relative);
        let shown = format!("{}/src/{}", layering.dir, relative.display());
        let Some((rank, from_layer)) = layer_of(layering, &module) else {
            unplaced.push(shown);
            continue;
        };
        let source = std::fs::read_to_string(file).expect("readable source");
        for (line, text, path) in paths_of(&source) {
            let Some(target) = target_module(&module, &path, &modules, &roots) else {
                continue;
            };
            if target == module {
                continue;
            }
            module_uses.insert((module.clone(), target.clone()));
            let Some((to_rank, to_layer)) = layer_of(layering, &target) else {
                continue; // reported as unplaced by its own file
            };
            if to_rank > rank {
                upward.push(Upward {
                    file: shown.clone(),
                    line,
                    text: text.clone(),
                    from_layer,
                    to_module: target,
                    to_layer,
                });
            }
        }
    }
    Findings {
        upward,
        unplaced,
        uses: module_uses,
    }
}

/// The groups of modules that use each other round a cycle (each group
/// sorted), found by following uses from every module.
fn cycles(uses: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in uses {
        next.entry(from).or_default().push(to);
    }
    let reach = |start: &str| {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(m) = stack.pop() {
            for &n in next.get(m).map(Vec::as_slice).unwrap_or_default() {
                if seen.insert(n) {
                    stack.push(n);
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&str, BTreeSet<&str>> = next.keys().map(|&m| (m, reach(m))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for (&m, from_m) in &reachable {
        let group: Vec<String> = from_m
            .iter()
            .filter(|&&n| n != m && reachable.get(n).is_some_and(|r| r.contains(m)))
            .chain(std::iter::once(&m))
            .map(|n| n.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

fn assert_layered(layering: &Layering) {
    let Findings {
        upward,
        unplaced,
        uses,
    } = check(layering);
    let mut report = Vec::new();
    for file in &unplaced {
        report.push(format!(
            "{file}: in no layer of the table in tests/layering.rs"
        ));
    }
    report.extend(upward.iter().map(Upward::to_string));
    for group in cycles(&uses) {
        report.push(format!(
            "modules that use each other: {}",
            group.join(" ⇄ ")
        ));
    }
    let pairs: BTreeSet<(&str, &str)> = upward
        .iter()
        .map(|u| (u.file.as_str(), u.to_module.as_str()))
        .collect();
    println!(
        "{}: {} module-to-module uses, {} reaching up ({} lines)",
        layering.dir,
        uses.len(),
        pairs.len(),
        upward.len()
    );
    assert!(
        report.is_empty(),
        "{} breaks its layering:\n{}",
        layering.dir,
        report.join("\n")
    );
}

#[test]
fn engine_modules_use_only_their_own_layer_or_lower_ones() {
    assert_layered(&ENGINE);
}

#[test]
fn store_modules_use_only_their_own_layer_or_lower_ones() {
    assert_layered(&STORE);
}

#[test]
fn server_modules_use_only_their_own_layer_or_lower_ones() {
    assert_layered(&SERVER);
}

#[test]
fn campaigns_modules_use_only_their_own_layer_or_lower_ones() {
    assert_layered(&CAMPAIGNS);
}

#[test]
fn binary_modules_use_only_their_own_layer_or_lower_ones() {
    assert_layered(&BINARY);
}

#[test]
fn clickhouse_modules_use_only_their_own_layer_or_lower_ones() {
    assert_layered(&CLICKHOUSE);
}

#[test]
fn the_checker_finds_cycles() {
    let uses: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
        .iter()
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect();
    assert_eq!(cycles(&uses), vec![vec!["a", "b", "c"]]);
}

#[test]
fn the_checker_reads_groups_super_paths_and_reexports() {
    let paths: Vec<Vec<String>> = paths_of(
        "use crate::{a::B, c::{d, e::F}};\n// crate::comment::X\nlet x = \"crate::s\";\nfn f() { super::g::h(); $crate::m::n }\nlet q = '\"'; crate::p::Q\n",
    )
    .into_iter()
    .map(|(_, _, p)| p)
    .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        paths,
        vec![
            s(&["crate", "a", "B"]),
            s(&["crate", "c", "d"]),
            s(&["crate", "c", "e", "F"]),
            s(&["crate", "m", "n"]),
            s(&["super", "g", "h"]),
            s(&["crate", "p", "Q"]),
        ]
    );
    let modules: BTreeSet<String> = ["crate", "low", "low::x", "high", "high::y"]
        .iter()
        .map(|m| m.to_string())
        .collect();
    let roots = RootItems {
        reexports: root_reexports("pub use high::y::Thing;\npub use low::x::{A, B as C};"),
        macros: [("each".to_string(), "low::x".to_string())].into(),
    };
    let at = |file: &str, p: &[&str]| target_module(file, &s(p), &modules, &roots);
    assert_eq!(at("high::y", &["crate", "each"]), Some("low::x".into()));
    assert_eq!(at("high::y", &["crate", "A"]), Some("low::x".into()));
    assert_eq!(at("low::x", &["crate", "Thing"]), Some("high::y".into()));
    assert_eq!(
        at("low::x", &["crate", "high", "y", "Z"]),
        Some("high::y".into())
    );
    assert_eq!(
        at("high::y", &["super", "super", "low", "x"]),
        Some("low::x".into())
    );
    assert_eq!(at("low::x", &["super", "Item"]), None);
    assert_eq!(at("low", &["super", "high", "y"]), Some("high::y".into()));
}
