//! The `segment_name_as_query` hint: a query that is only the name of a
//! saved segment (`flokk count VIP`). cli.md keeps that an error (a name
//! and a query cannot always be told apart); the hint, beside the errors,
//! says how to write it.

use flokk_engine::Hint;
use flokk_store::{Store, StoreError};

/// The hint when `query` (trimmed, quotes allowed) names a live segment.
pub fn segment_name_hint(store: &Store, query: &str) -> Result<Option<Hint>, StoreError> {
    let trimmed = query.trim();
    let name = trimmed
        .strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .unwrap_or(trimmed);
    if name.is_empty() {
        return Ok(None);
    }
    let Some(segment) = store.segment(name)?.filter(|s| s.deleted_at.is_none()) else {
        return Ok(None);
    };
    let start = query.len() - query.trim_start().len();
    let clause = format!(
        "customer_segments CONTAINS {}",
        flokk_lang::Value::String(segment.name.clone())
    );
    Ok(Some(Hint::at(
        query,
        flokk_lang::Span::new(start, start + trimmed.len()),
        "segment_name_as_query",
        format!(
            "'{}' is a saved segment, not a query: its members are `{clause}` (or list them \
             with `flokk segment members {}`, GET /api/segments/{{name}}/members)",
            segment.name,
            shell_word(&segment.name)
        ),
        vec![clause],
    )))
}

/// `name` as one shell word (single-quoted unless it is only letters,
/// digits and `-_.`).
fn shell_word(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    #[test]
    fn names_are_quoted_for_the_shell_when_needed() {
        assert_eq!(shell_word("VIP"), "VIP");
        assert_eq!(shell_word("Big spenders"), "'Big spenders'");
        assert_eq!(shell_word("Bob's"), r"'Bob'\''s'");
    }
}
