//! The segment index as the CLI and the API show it: filtered by a name
//! search, ordered by name, last activity or member count; and the
//! segments one customer is in.

use crate::graph::SegmentGraph;
use flokk_engine::{CustomerSet, EvalError, Evaluator};
use flokk_store::Segment;

/// How the index is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexOrder {
    /// By name, A to Z (regardless of case).
    Name,
    /// Most recently created, edited or used first (newer id first on ties).
    LastActivity,
    /// Most members first, then by name.
    Count,
}

impl IndexOrder {
    /// The order called `name` (`name`, `last_activity`, `count`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "name" => Some(IndexOrder::Name),
            "last_activity" | "last-activity" => Some(IndexOrder::LastActivity),
            "count" => Some(IndexOrder::Count),
            _ => None,
        }
    }
}

/// Keeps the segments whose name or description contains `search` (any
/// case) and orders them.
pub fn arrange(list: &mut Vec<Segment>, search: Option<&str>, order: IndexOrder) {
    if let Some(text) = search.map(|t| t.trim().to_lowercase()) {
        list.retain(|s| {
            s.name.to_lowercase().contains(&text)
                || s.description
                    .as_deref()
                    .is_some_and(|d| d.to_lowercase().contains(&text))
        });
    }
    match order {
        IndexOrder::Name => list.sort_by_key(|s| s.name.to_lowercase()),
        IndexOrder::LastActivity => {
            list.sort_by_key(|s| std::cmp::Reverse((s.last_activity(), s.id)))
        }
        IndexOrder::Count => list.sort_by(|a, b| {
            b.member_count
                .cmp(&a.member_count)
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        }),
    }
}

/// Keeps the segments of `organisation` (`None`: every segment).
pub fn of_organisation(list: &mut Vec<Segment>, organisation: Option<&str>) {
    if let Some(o) = organisation {
        list.retain(|s| s.organisation.as_deref() == Some(o));
    }
}

/// Keeps the segments `token` may read: all for an unlimited token; its
/// organisations' and the shared ones for a limited one.
pub fn readable_by(list: &mut Vec<Segment>, token: &flokk_store::ApiToken) {
    list.retain(|s| token.may_read(s.organisation.as_deref()));
}

/// The names of the live segments customer `c` is in, by name: each
/// segment's query evaluated for that one customer, so the answer is exact
/// whatever state stored membership is in.
pub fn segments_of(
    evaluator: &Evaluator<'_>,
    graph: &SegmentGraph,
    c: u32,
) -> Result<Vec<String>, EvalError> {
    let only: CustomerSet = std::iter::once(c).collect();
    let mut names = Vec::new();
    for node in graph.in_order() {
        if !evaluator.eval_in(&node.query.expr, &only)?.is_empty() {
            names.push(node.segment.name.clone());
        }
    }
    names.sort_by_key(|n| n.to_lowercase());
    Ok(names)
}

/// The segments each of many customers is in, as [`segments_of`] gives them
/// for one: each segment's query evaluated once over all of them, so a long
/// member list costs one evaluation per segment instead of one per segment
/// and customer.
#[derive(Debug)]
pub struct SegmentsOfMany {
    /// Each segment's name and its members among the customers, by name.
    segments: Vec<(String, CustomerSet)>,
}

impl SegmentsOfMany {
    /// The segments of `graph` evaluated over `customers`.
    pub fn new(
        evaluator: &Evaluator<'_>,
        graph: &SegmentGraph,
        customers: &CustomerSet,
    ) -> Result<Self, EvalError> {
        let mut segments = Vec::new();
        for node in graph.in_order() {
            let members = evaluator.eval_in(&node.query.expr, customers)?;
            segments.push((node.segment.name.clone(), members));
        }
        segments.sort_by_key(|(name, _)| name.to_lowercase());
        Ok(SegmentsOfMany { segments })
    }

    /// The names of the segments customer `c` (one of the customers) is in,
    /// by name.
    pub fn of(&self, c: u32) -> Vec<String> {
        self.segments
            .iter()
            .filter(|(_, members)| members.contains(c))
            .map(|(name, _)| name.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn segment(id: i64, name: &str, description: Option<&str>, org: Option<&str>) -> Segment {
        Segment {
            id,
            name: name.into(),
            description: description.map(Into::into),
            query: "number_of_orders > 0".into(),
            draft_query: None,
            author: "merchant".into(),
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
            used_at: None,
            draft_saved_at: None,
            member_count: 0,
            counted_at: None,
            deleted_at: None,
            version: 1,
            failing: None,
            organisation: org.map(Into::into),
        }
    }

    fn names(list: &[Segment]) -> Vec<&str> {
        list.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn search_finds_text_in_the_description_too() {
        let mut list = vec![
            segment(1, "Lapsed", Some("For the WINTER campaign"), None),
            segment(2, "Winter buyers", None, None),
            segment(3, "VIP", Some("big spenders"), None),
        ];
        arrange(&mut list, Some(" winter "), IndexOrder::Name);
        assert_eq!(names(&list), ["Lapsed", "Winter buyers"]);
    }

    #[test]
    fn an_organisation_limit_keeps_its_segments_and_a_token_also_the_shared_ones() {
        let all = vec![
            segment(1, "Opera fans", None, Some("Opera")),
            segment(2, "Jazz fans", None, Some("Jazz")),
            segment(3, "Everyone", None, None),
        ];
        let mut opera = all.clone();
        of_organisation(&mut opera, Some("Opera"));
        assert_eq!(names(&opera), ["Opera fans"]);
        let mut unfiltered = all.clone();
        of_organisation(&mut unfiltered, None);
        assert_eq!(unfiltered.len(), 3);

        let mut token = flokk_store::ApiToken {
            id: 1,
            name: "t".into(),
            scopes: flokk_store::Scopes::parse("read").unwrap(),
            created_at: Timestamp::UNIX_EPOCH,
            last_used_at: None,
            revoked_at: None,
            organisations: vec!["Jazz".into()],
        };
        let mut seen = all.clone();
        readable_by(&mut seen, &token);
        assert_eq!(names(&seen), ["Jazz fans", "Everyone"]);
        token.organisations.clear();
        let mut seen = all;
        readable_by(&mut seen, &token);
        assert_eq!(seen.len(), 3);
    }
}
