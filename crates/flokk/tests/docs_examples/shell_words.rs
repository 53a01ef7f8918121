//! Splitting a documented shell command line into arguments the way a
//! POSIX shell would for the simple commands the docs show: single and
//! double quotes, backslash escapes, `#` comments. Pipes, redirections and
//! substitutions end the command (`Command::operator` says which).

/// A command line read from the docs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CommandLine {
    /// The arguments, program name first.
    pub words: Vec<String>,
    /// The comment after `#`, trimmed (`exit 2` in `flokk ... # exit 2`).
    pub comment: Option<String>,
    /// The first shell operator outside quotes (`|`, `>`, `$`, ...), which
    /// ends the plain command.
    pub operator: Option<char>,
}

impl CommandLine {
    /// The exit code the comment asks for (`# exit 2`), else 0.
    pub fn expected_exit(&self) -> i32 {
        self.comment
            .as_deref()
            .and_then(|c| c.strip_prefix("exit "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    }
}

/// Splits `line`; an unclosed quote is an error.
pub fn split(line: &str) -> Result<CommandLine, String> {
    let mut out = CommandLine::default();
    let mut word: Option<String> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                out.words.extend(word.take());
            }
            '#' if word.is_none() => {
                out.comment = Some(chars.collect::<String>().trim().to_owned());
                break;
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err(format!("unclosed ' in {line}")),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err(format!("unclosed \" in {line}")),
                        },
                        Some('$' | '`') => {
                            out.operator.get_or_insert('$');
                            w.push('$');
                        }
                        Some(c) => w.push(c),
                        None => return Err(format!("unclosed \" in {line}")),
                    }
                }
            }
            '\\' => {
                if let Some(c) = chars.next() {
                    word.get_or_insert_with(String::new).push(c);
                }
            }
            '|' | '>' | '<' | ';' | '&' | '`' | '$' | '(' | ')' => {
                out.words.extend(word.take());
                out.operator = Some(c);
                break;
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.words.extend(word);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_shell() {
        let c = split(r#"flokk count "amount_spent > 5 AND x = 'a b'"  # exit 2"#).unwrap();
        assert_eq!(
            c.words,
            ["flokk", "count", "amount_spent > 5 AND x = 'a b'"]
        );
        assert_eq!(c.expected_exit(), 2);
        let c = split("flokk check 'it''s' --json | jq .").unwrap();
        assert_eq!(c.words, ["flokk", "check", "its", "--json"]);
        assert_eq!(c.operator, Some('|'));
        assert!(split("flokk check 'x").is_err());
        let c = split(r#"curl -H "Authorization: Bearer $TOKEN""#).unwrap();
        assert_eq!(c.operator, Some('$'));
    }
}
