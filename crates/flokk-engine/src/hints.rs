//! Hints: what a valid query names that would make it count 0 without a
//! word. Not errors (the query is valid and runs); `check`, `count`, the
//! API and the editor show them with positions.
//!
//! - `unknown_value`: a tag, city, country, email domain, production,
//!   performance, venue id ... (every open-ended value of
//!   [`ValueSource`]) that no record has, with the nearest values the
//!   store does have: the value as a word of a stored one (`Oslo` →
//!   `NO-03-Oslo`), a country's name (`Norway` → `NO`), a production's
//!   title (→ its id), then likely typos, most used first.
//! - `predictions_unavailable`: a predictive field while the store has no
//!   models (not enough data), with the reasons.
//!
//! Decision: only values tested for presence are looked at (`CONTAINS`,
//! `=`, `IN`, and their negations, which are as silent when the value
//! does not exist); custom properties (`metafields.`) are not, since a
//! free-text property rarely holds every value a merchant may test.

use crate::Engine;
use crate::suggestions::{Suggestion, ValueSource};
use flokk_lang::ast::{CompareOp, ParamPredicate, Predicate};
use flokk_lang::check::{Subject, TypedClause};
use flokk_lang::{Literal, Span, TypedQuery, Value};
use jiff::tz::TimeZone;
use serde::Serialize;

/// Nearest values offered at most.
const MAX_SUGGESTIONS: usize = 3;

/// Filters computed by the fitted predictive models (predictive.md); a
/// refit moves them.
pub const PREDICTIVE_FILTERS: &[&str] = &[
    "rfm_group",
    "predicted_spend_tier",
    "predicted_clv",
    "total_clv",
    "predicted_number_of_orders",
    "churn_probability",
    "churn_risk",
    "expected_next_order_date",
];

/// One hint. cli.md's contract is `{"code","message","span":[s,e],
/// "suggestion"}`, in that order; `suggestion` is, like an error's, text
/// to write in place of the span (a quoted value, or a clause). Added
/// after them: `line` and `column` as errors have them, and `suggestions`,
/// every nearest value (best first; `suggestion` is the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hint {
    /// Stable code: `unknown_value`, `predictions_unavailable`,
    /// `segment_name_as_query`.
    pub code: &'static str,
    /// For a merchant, in plain words.
    pub message: String,
    /// What the hint is about.
    pub span: Span,
    /// The best replacement for the span, if any.
    pub suggestion: Option<String>,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, in characters.
    pub column: usize,
    /// Every replacement offered, best first (may be empty).
    pub suggestions: Vec<String>,
}

impl Hint {
    /// A hint at `span` of `src`, with line and column worked out.
    pub fn at(
        src: &str,
        span: Span,
        code: &'static str,
        message: String,
        suggestions: Vec<String>,
    ) -> Hint {
        let before = &src[..span.start.min(src.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Hint {
            code,
            message,
            span,
            suggestion: suggestions.first().cloned(),
            line,
            column,
            suggestions,
        }
    }
}

impl Engine {
    /// The hints for `typed` (checked from `src`) as of `now` (seconds)
    /// in `tz`, in the order of the query.
    pub fn hints(&self, src: &str, typed: &TypedQuery, now: i64, tz: &TimeZone) -> Vec<Hint> {
        let mut hints = Vec::new();
        let mut predictive = None;
        for clause in typed.expr.clauses() {
            self.value_hints(src, clause, &mut hints);
            if let Subject::Filter(spec) = &clause.subject
                && PREDICTIVE_FILTERS.contains(&spec.name)
            {
                let reasons = predictive
                    .get_or_insert_with(|| self.predictions(now, tz).reasons.clone())
                    .clone();
                if !reasons.is_empty() {
                    hints.push(Hint::at(
                        src,
                        clause.clause.filter.span,
                        "predictions_unavailable",
                        format!(
                            "`{}` has no value for any customer yet: the store has not enough \
                             data for predictive models ({})",
                            spec.name,
                            reasons.join("; ")
                        ),
                        Vec::new(),
                    ));
                }
            }
        }
        hints
    }

    fn value_hints(&self, src: &str, clause: &TypedClause, hints: &mut Vec<Hint>) {
        let mut tested: Vec<(ValueSource, &Literal)> = Vec::new();
        match &clause.subject {
            Subject::Filter(spec) => {
                if let Some(source) = ValueSource::of(spec.name, None)
                    && let Some(value) = presence_value(&clause.clause.predicate)
                {
                    tested.push((source, value));
                }
            }
            Subject::Function { spec, .. } => {
                for (param, _) in clause.params() {
                    let Some(source) = ValueSource::of(spec.name, Some(&param.name.text)) else {
                        continue;
                    };
                    match &param.predicate {
                        ParamPredicate::Compare {
                            op: CompareOp::Eq | CompareOp::Ne,
                            value,
                        } => tested.push((source, value)),
                        ParamPredicate::In { values, .. } => {
                            tested.extend(values.iter().map(|v| (source, v)));
                        }
                        _ => {}
                    }
                }
            }
            Subject::Property { .. } => {}
        }
        for (source, literal) in tested {
            let written = match &literal.value {
                Value::String(s) => s.clone(),
                Value::Integer(i) => i.to_string(),
                _ => continue,
            };
            if source == ValueSource::CustomerProperty || written.is_empty() {
                continue;
            }
            let known = self.suggest(source, None, "", usize::MAX);
            // List fields are matched ignoring case (CONTAINS, §5); ids and
            // other values exactly, so `'Hamlet'` for the id `hamlet` is
            // a hint (it counts 0) whose suggestion is the stored spelling.
            let exists = if folded(source) {
                let lower = written.to_lowercase();
                known.iter().any(|s| s.value.to_lowercase() == lower)
            } else {
                known.iter().any(|s| s.value == written)
            };
            if exists {
                continue;
            }
            let nearest = nearest(&written, source, &known);
            let noun = noun(source);
            let message = match nearest.first() {
                Some(best) => format!(
                    "no record has the {noun} '{written}': did you mean {}?",
                    described(best)
                ),
                None => format!("no record has the {noun} '{written}'"),
            };
            hints.push(Hint::at(
                src,
                literal.span,
                "unknown_value",
                message,
                nearest
                    .into_iter()
                    .map(|s| Value::String(s.value).to_string())
                    .collect(),
            ));
        }
    }
}

/// The value a filter clause tests for presence (`CONTAINS v`, `= v`,
/// and their negations).
fn presence_value(predicate: &Predicate) -> Option<&Literal> {
    match predicate {
        Predicate::Contains { value, .. } => Some(value),
        Predicate::Compare {
            op: CompareOp::Eq | CompareOp::Ne,
            value,
        } => Some(value),
        _ => None,
    }
}

/// Whether `source` is a list field, matched ignoring case.
fn folded(source: ValueSource) -> bool {
    use ValueSource::*;
    matches!(
        source,
        CustomerTags | Cities | Regions | Countries | Companies | Permissions
    )
}

/// `'NO-03-Oslo'`, or `'P7' (Hamlet)` for an id with a name.
fn described(s: &Suggestion) -> String {
    match &s.label {
        Some(label) => format!("'{}' ({label})", s.value),
        None => format!("'{}'", s.value),
    }
}

/// How a merchant calls a value of `source`.
fn noun(source: ValueSource) -> &'static str {
    use ValueSource::*;
    match source {
        CustomerTags => "tag",
        Cities => "city",
        Regions => "region",
        Countries => "country",
        EmailDomains => "email domain",
        Languages => "language",
        Companies => "company",
        Permissions => "permission",
        CreatingApps => "app id",
        Products => "product id",
        ProductTags => "product tag",
        ProductCategories => "product category",
        ProductVendors => "vendor",
        ViewedProducts => "viewed product id",
        Collections => "collection id",
        EmailActivities => "email activity id",
        Performances => "performance id",
        Productions => "production id",
        Venues => "venue id",
        EventNames => "event name",
        CustomerProperty => "value",
    }
}

/// The stored values nearest to `written`, best first: `written` as a word
/// of a value (`Oslo` in `NO-03-Oslo`) or as its label (a production's
/// title); a country's name for its code; then likely typos of the value,
/// of a word of it, or of its label; ties by use.
fn nearest(written: &str, source: ValueSource, known: &[Suggestion]) -> Vec<Suggestion> {
    let lower = written.to_lowercase();
    let country = (source == ValueSource::Countries)
        .then(|| country_code(&lower))
        .flatten();
    let mut ranked: Vec<(usize, &Suggestion)> = known
        .iter()
        .filter_map(|s| {
            let value = s.value.to_lowercase();
            let label = s.label.as_deref().map(str::to_lowercase);
            let words: Vec<&str> = value
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let rank = if words.len() > 1 && words.contains(&lower.as_str())
                || label.as_deref() == Some(lower.as_str())
                || value.ends_with(&format!("-{lower}"))
                || country.is_some_and(|c| c.eq_ignore_ascii_case(&s.value))
            {
                0
            } else {
                let typo = std::iter::once(value.as_str())
                    .chain(words.iter().copied())
                    .chain(label.as_deref())
                    .filter_map(|w| flokk_lang::suggest::typo_distance(&lower, w))
                    .min();
                match typo {
                    Some(d) => 1 + d,
                    None if lower.chars().count() >= 3
                        && (value.contains(&lower)
                            || label.as_deref().is_some_and(|l| l.contains(&lower))) =>
                    {
                        5
                    }
                    None => return None,
                }
            };
            Some((rank, s))
        })
        .collect();
    ranked.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| b.1.count.cmp(&a.1.count))
            .then_with(|| a.1.value.cmp(&b.1.value))
    });
    ranked
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, s)| s.clone())
        .collect()
}

/// The ISO 3166-1 code of a country named in English or in its own
/// language, for the countries flokk's markets and their neighbours are
/// in (a merchant writes `Norway` where the store holds `NO`).
fn country_code(name: &str) -> Option<&'static str> {
    const NAMES: &[(&str, &[&str])] = &[
        ("NO", &["norway", "norge", "noreg"]),
        ("SE", &["sweden", "sverige"]),
        ("DK", &["denmark", "danmark"]),
        ("FI", &["finland", "suomi"]),
        ("IS", &["iceland", "ísland", "island"]),
        (
            "NL",
            &["netherlands", "the netherlands", "holland", "nederland"],
        ),
        ("BE", &["belgium", "belgië", "belgique"]),
        ("DE", &["germany", "deutschland"]),
        ("AT", &["austria", "österreich"]),
        ("CH", &["switzerland", "schweiz", "suisse"]),
        ("FR", &["france"]),
        ("ES", &["spain", "españa"]),
        ("PT", &["portugal"]),
        ("IT", &["italy", "italia"]),
        ("PL", &["poland", "polska"]),
        ("EE", &["estonia", "eesti"]),
        ("IE", &["ireland", "éire"]),
        (
            "GB",
            &[
                "united kingdom",
                "uk",
                "great britain",
                "britain",
                "england",
                "scotland",
                "wales",
            ],
        ),
        (
            "US",
            &[
                "united states",
                "usa",
                "united states of america",
                "america",
            ],
        ),
        ("CA", &["canada"]),
        ("MX", &["mexico", "méxico"]),
        ("AU", &["australia"]),
        ("NZ", &["new zealand"]),
        ("JP", &["japan"]),
        ("CN", &["china"]),
        ("IN", &["india"]),
        ("BR", &["brazil", "brasil"]),
    ];
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&name))
        .map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(value: &str, count: u64) -> Suggestion {
        Suggestion {
            value: value.into(),
            label: None,
            count,
        }
    }

    #[test]
    fn a_city_name_finds_its_stored_value_and_a_country_name_its_code() {
        let cities = [
            s("NO-03-Oslo", 40),
            s("NO-46-Bergen", 20),
            s("SE-AB-Stockholm", 9),
        ];
        let got: Vec<String> = nearest("Oslo", ValueSource::Cities, &cities)
            .into_iter()
            .map(|s| s.value)
            .collect();
        assert_eq!(got, ["NO-03-Oslo"]);
        let countries = [s("SE", 9), s("NO", 40), s("NL", 3)];
        let got = nearest("Norway", ValueSource::Countries, &countries);
        assert_eq!(got[0].value, "NO");
        let got = nearest("Bergn", ValueSource::Cities, &cities);
        assert_eq!(got[0].value, "NO-46-Bergen");
        assert!(nearest("Zanzibar", ValueSource::Cities, &cities).is_empty());
    }

    #[test]
    fn positions_count_characters_and_lines() {
        let h = Hint::at(
            "a = 1 AND\nå CONTAINS 'x'",
            Span::new(22, 25),
            "c",
            String::new(),
            vec![],
        );
        assert_eq!((h.line, h.column), (2, 12));
    }
}
