//! Fenced code blocks of the documentation's Markdown files, with the tags
//! of their info string (```` ```sh,doctest ```` is language `sh`, tag
//! `doctest`).

use std::path::{Path, PathBuf};

/// One fenced block.
#[derive(Debug, Clone)]
pub struct Block {
    /// The file it is in, relative to the repository (for messages).
    pub file: String,
    /// The language: the info string up to its first comma.
    pub lang: String,
    /// The rest of the info string, split at commas (`doctest`,
    /// `file=example.ndjson`, `rejected`).
    pub tags: Vec<String>,
    /// The lines inside, each with its 1-based line number in the file.
    pub lines: Vec<(usize, String)>,
}

impl Block {
    /// Whether the info string carries `tag`.
    pub fn has(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// The value of a `key=value` tag.
    pub fn tag_value(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find_map(|t| t.strip_prefix(key)?.strip_prefix('='))
    }

    /// `file:line` of the block's line `line`.
    pub fn at(&self, line: usize) -> String {
        format!("{}:{line}", self.file)
    }

    /// The text inside, as written.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (_, l) in &self.lines {
            s.push_str(l);
            s.push('\n');
        }
        s
    }
}

/// The fenced blocks of `text`; a fence left open is an error (it would
/// swallow the rest of the page).
pub fn blocks(file: &str, text: &str) -> Result<Vec<Block>, String> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Block)> = None;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let fence = line.trim_start().starts_with("```");
        match (&mut open, fence) {
            (None, true) => {
                let info = line.trim_start().trim_start_matches('`').trim();
                let mut parts = info.split(',').map(|p| p.trim().to_owned());
                let lang = parts.next().unwrap_or_default();
                open = Some((
                    number,
                    Block {
                        file: file.to_owned(),
                        lang,
                        tags: parts.collect(),
                        lines: Vec::new(),
                    },
                ));
            }
            (Some(_), true) => {
                let (_, block) = open.take().expect("open");
                out.push(block);
            }
            (Some((_, block)), false) => block.lines.push((number, line.to_owned())),
            (None, false) => {}
        }
    }
    match open {
        Some((start, _)) => Err(format!("{file}:{start}: this ``` block is never closed")),
        None => Ok(out),
    }
}

/// Every Markdown file of the `docs/` directory, sorted, with its name
/// relative to the repository.
pub fn doc_files(docs: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(docs)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", docs.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let name = format!("docs/{}", p.file_name().unwrap().to_string_lossy());
            (name, p)
        })
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_info_strings_and_line_numbers() {
        let text = "intro\n```sh,doctest\nflokk count 'x'\n```\n\n```fsql\na\nb\n```\n";
        let b = blocks("docs/x.md", text).unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].lang.as_str(), b[0].has("doctest")), ("sh", true));
        assert_eq!(b[0].lines, vec![(3, "flokk count 'x'".to_owned())]);
        assert_eq!(b[1].lines.len(), 2);
        assert!(blocks("docs/x.md", "```fsql\na\n").is_err());
    }
}
