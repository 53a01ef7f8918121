//! The rows of a file naming the customers of a static list: CSV or NDJSON,
//! each row an id or an email.
//!
//! Decisions (data.md names no format for these files):
//! - NDJSON when the first non-blank character is `{` or `"`: each line an
//!   object with `id` (or `customer_id`) or `email`, or a JSON string.
//! - Otherwise CSV. A header is recognised when a cell of the first row is
//!   `id`, `customer_id`, `Customer ID` or `email`/`Email` (any case), and
//!   that column is read (an id column before an email column). Without one,
//!   every row's first cell is the value. Shopify's customers export thus
//!   works unchanged.
//! - Blank rows are skipped; a malformed row is an error naming its line.

use super::ListRow;
use crate::error::StoreError;

const ID_HEADERS: &[&str] = &["id", "customer_id", "customer id"];
const EMAIL_HEADERS: &[&str] = &["email", "e-mail", "email address"];

/// The rows of `text`.
pub fn list_rows(text: &str) -> Result<Vec<ListRow>, StoreError> {
    let first = text.trim_start().chars().next();
    if matches!(first, Some('{') | Some('"')) && !looks_like_quoted_csv(text) {
        ndjson_rows(text)
    } else {
        csv_rows(text)
    }
}

/// A CSV whose first cell is quoted (`"id",...`) also starts with `"`; a
/// JSON string line is one whole quoted value.
fn looks_like_quoted_csv(text: &str) -> bool {
    let line = text.trim_start().lines().next().unwrap_or("");
    line.starts_with('"') && serde_json::from_str::<String>(line.trim()).is_err()
}

fn ndjson_rows(text: &str) -> Result<Vec<ListRow>, StoreError> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |why: &str| StoreError::Invalid(format!("line {line_no}: {why}"));
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(&format!("not JSON: {e}")))?;
        let text = match &value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Object(o) => {
                let field = ["id", "customer_id", "email"]
                    .iter()
                    .find_map(|k| o.get(*k).filter(|v| !v.is_null()));
                match field {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Number(n)) => n.to_string(),
                    _ => return Err(bad("expected an \"id\" or an \"email\"")),
                }
            }
            _ => {
                return Err(bad(
                    "expected an object with \"id\" or \"email\", or a string",
                ));
            }
        };
        rows.push(ListRow {
            line: line_no,
            value: text,
        });
    }
    Ok(rows)
}

fn csv_rows(text: &str) -> Result<Vec<ListRow>, StoreError> {
    // Line by line, each line one record: a file of ids or emails has no
    // quoted line breaks, and the csv reader's own line count skips blank
    // lines, which would misnumber the rows reported back.
    let cells = |line: &str, no: usize| -> Result<Vec<String>, StoreError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(line.as_bytes());
        match reader.records().next() {
            Some(Ok(record)) => Ok(record.iter().map(str::to_owned).collect()),
            Some(Err(e)) => Err(StoreError::Invalid(format!("line {no}: {e}"))),
            None => Ok(Vec::new()),
        }
    };
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty());
    let mut rows = Vec::new();
    let mut column = 0;
    let mut pending = None;
    if let Some((no, line)) = lines.next() {
        let first = cells(line, no)?;
        let folded: Vec<String> = first.iter().map(|c| c.trim().to_lowercase()).collect();
        let find = |names: &[&str]| folded.iter().position(|c| names.contains(&c.as_str()));
        match find(ID_HEADERS).or_else(|| find(EMAIL_HEADERS)) {
            Some(c) => column = c,
            None => pending = Some((no, first)),
        }
    }
    let rest = lines.map(|(no, line)| cells(line, no).map(|c| (no, c)));
    for row in pending.into_iter().map(Ok).chain(rest) {
        let (no, record) = row?;
        let value = record.get(column).map_or("", |v| v.trim());
        if value.is_empty() {
            return Err(StoreError::Invalid(format!(
                "line {no}: no id or email in column {}",
                column + 1
            )));
        }
        rows.push(ListRow {
            line: no as u64,
            value: value.to_owned(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::list_rows;

    fn values(text: &str) -> Vec<(u64, String)> {
        list_rows(text)
            .unwrap()
            .into_iter()
            .map(|r| (r.line, r.value))
            .collect()
    }

    #[test]
    fn plain_lines_are_ids_or_emails() {
        assert_eq!(
            values("1001\nann@example.com\n\n1002\n"),
            vec![
                (1, "1001".into()),
                (2, "ann@example.com".into()),
                (4, "1002".into())
            ]
        );
    }

    #[test]
    fn a_header_picks_its_column() {
        assert_eq!(
            values("First Name,Email\nAnn,ann@example.com\nBo,bo@example.com\n"),
            vec![(2, "ann@example.com".into()), (3, "bo@example.com".into())]
        );
        assert_eq!(
            values("\"Customer ID\",Email\n7,x@y.no\n"),
            vec![(2, "7".into())]
        );
    }

    #[test]
    fn ndjson_objects_and_strings() {
        assert_eq!(
            values("{\"id\":\"1001\"}\n{\"email\":\"a@b.no\"}\n{\"id\":42}\n\"1003\"\n"),
            vec![
                (1, "1001".into()),
                (2, "a@b.no".into()),
                (3, "42".into()),
                (4, "1003".into())
            ]
        );
    }

    #[test]
    fn a_malformed_row_names_its_line() {
        let err = list_rows("{\"id\":\"1\"}\n{\"name\":\"x\"}\n").unwrap_err();
        assert!(err.to_string().starts_with("line 2:"), "{err}");
    }
}
