//! The plain-text part of an HTML body: its text, with block ends as line
//! breaks and links as `text (url)`. Not a browser: enough for the
//! alternative part a text-only mail client shows.

/// The text of an HTML fragment or document.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut skipping: Option<&'static str> = None;
    let mut link: Option<String> = None;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let Some(gt) = rest[lt..].find('>').map(|i| i + lt) else {
            rest = &rest[lt..];
            break;
        };
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        let lower = tag.to_ascii_lowercase();
        let name: String = lower
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let closing = lower.starts_with('/');
        if let Some(end) = skipping {
            if closing && name == end {
                skipping = None;
            }
            continue;
        }
        match (name.as_str(), closing) {
            ("script", false) => skipping = Some("script"),
            ("style", false) => skipping = Some("style"),
            ("head", false) => skipping = Some("head"),
            ("br", _) => out.push('\n'),
            ("a", false) => link = attribute(tag, "href"),
            ("a", true) => {
                if let Some(href) = link.take() {
                    out.push_str(&format!(" ({href})"));
                }
            }
            ("li", false) => out.push_str("\n- "),
            (
                "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr" | "ul" | "ol"
                | "table" | "blockquote",
                _,
            ) => out.push('\n'),
            _ => {}
        }
    }
    if skipping.is_none() {
        out.push_str(&decode_entities(rest));
    }
    tidy(&out)
}

/// A quoted attribute's value from a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let quote = tag[at..].chars().next()?;
    if quote == '"' || quote == '\'' {
        let body = &tag[at + 1..];
        Some(decode_entities(&body[..body.find(quote)?]))
    } else {
        Some(tag[at..].split_whitespace().next()?.to_owned())
    }
}

fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Trims each line and keeps at most one empty line in a row.
fn tidy(s: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in s.lines().map(str::trim) {
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_owned() + "\n"
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn blocks_links_and_entities() {
        let t = html_to_text(
            "<html><head><title>x</title></head><body><h1>Hi &amp; welcome</h1>\
             <p>See <a href=\"https://s.example/?a=1&amp;b=2\">the show</a>.</p>\
             <script>var x = 1;</script><ul><li>one</li><li>two</li></ul></body></html>",
        );
        assert_eq!(
            t,
            "Hi & welcome\n\nSee the show (https://s.example/?a=1&b=2).\n\n- one\n- two\n"
        );
    }
}
