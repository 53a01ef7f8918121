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

/// Keeps the segments whose name contains `search` (any case) and orders them.
pub fn arrange(list: &mut Vec<Segment>, search: Option<&str>, order: IndexOrder) {
    if let Some(text) = search.map(str::to_lowercase) {
        list.retain(|s| s.name.to_lowercase().contains(&text));
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
