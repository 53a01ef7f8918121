//! `customer_segments`: the names of the saved segments a customer is in.
//!
//! A customer is in a segment iff the segment's query matches them as of
//! now (design.md), so `customer_segments CONTAINS 'X'` is answered by
//! evaluating X's query, not by reading a stored member list. That keeps
//! the answer exact whatever state live membership is in, and a nested
//! segment needs no evaluation order beyond the recursion itself. Results
//! over all customers are remembered for the evaluator's lifetime, so a
//! query naming X twice, or many segments naming X, evaluate it once.

use super::condition::text;
use super::{EvalError, Evaluator};
use crate::CustomerSet;
use flokk_lang::TypedQuery;
use flokk_lang::ast::Predicate;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The saved segments' queries, by name (names are unique regardless of
/// case, so they are looked up lower-cased).
#[derive(Debug, Clone, Default)]
pub struct SegmentDefinitions {
    by_key: BTreeMap<String, (String, Arc<TypedQuery>)>,
    /// The static lists (`customer_lists`), handed over with the segments
    /// so every evaluation that knows the segments knows the lists.
    lists: super::lists::StaticLists,
}

impl SegmentDefinitions {
    /// No segments.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the segment `name` with its checked query.
    pub fn insert(&mut self, name: &str, query: Arc<TypedQuery>) {
        self.by_key
            .insert(name.to_lowercase(), (name.to_owned(), query));
    }

    /// The query of the segment called `name` (any case).
    pub fn get(&self, name: &str) -> Option<&Arc<TypedQuery>> {
        self.by_key.get(&name.to_lowercase()).map(|(_, q)| q)
    }

    /// The segment names as saved, in lower-cased order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_key.values().map(|(name, _)| name.as_str())
    }

    /// The static lists `customer_lists` reads.
    pub fn lists(&self) -> &super::lists::StaticLists {
        &self.lists
    }

    /// Replaces the static lists.
    pub fn set_lists(&mut self, lists: super::lists::StaticLists) {
        self.lists = lists;
    }

    /// How many segments there are.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// What an evaluator knows of nested segments: the definitions, the full
/// member sets computed so far, and the segments being evaluated (a
/// definition cycle would otherwise recurse forever; saving refuses
/// cycles, this is the guard against a store that holds one anyway).
#[derive(Default)]
pub(crate) struct NestedSegments<'e> {
    pub(crate) definitions: Option<&'e SegmentDefinitions>,
    memo: std::cell::RefCell<HashMap<String, CustomerSet>>,
    visiting: std::cell::RefCell<Vec<String>>,
}

impl Evaluator<'_> {
    /// `customer_segments` with `predicate`, within `universe`.
    pub(super) fn customer_segments(
        &self,
        predicate: &Predicate,
        universe: &CustomerSet,
    ) -> Result<CustomerSet, EvalError> {
        match predicate {
            Predicate::Contains { negated, value } => {
                let members = self.segment_members(&text(value)?, universe)?;
                Ok(if *negated {
                    universe - &members
                } else {
                    members
                })
            }
            Predicate::IsNull { negated } => {
                let mut in_any = CustomerSet::new();
                if let Some(definitions) = self.nested.definitions {
                    for name in definitions.names() {
                        let rest = universe - &in_any;
                        if rest.is_empty() {
                            break;
                        }
                        in_any |= self.segment_members(name, &rest)?;
                    }
                }
                Ok(if *negated { in_any } else { universe - &in_any })
            }
            other => Err(EvalError::Internal(format!(
                "customer_segments with {other:?}"
            ))),
        }
    }

    /// The members of segment `name` within `universe`.
    fn segment_members(
        &self,
        name: &str,
        universe: &CustomerSet,
    ) -> Result<CustomerSet, EvalError> {
        let key = name.to_lowercase();
        if let Some(members) = self.nested.memo.borrow().get(&key) {
            return Ok(members & universe);
        }
        let query = self
            .nested
            .definitions
            .and_then(|d| d.get(name))
            .ok_or_else(|| EvalError::UnknownSegment {
                name: name.to_owned(),
            })?
            .clone();
        if self.nested.visiting.borrow().contains(&key) {
            return Err(EvalError::SegmentCycle {
                name: name.to_owned(),
            });
        }
        self.nested.visiting.borrow_mut().push(key.clone());
        // A small universe (one changed customer) is cheaper on its own; a
        // large one is as dear as all customers, whose answer is reusable.
        let whole = universe.len() * 16 >= self.all().len();
        let result = if whole {
            self.eval(&query.expr)
        } else {
            self.eval_in(&query.expr, universe)
        };
        self.nested.visiting.borrow_mut().pop();
        let members = result?;
        if whole {
            let within = &members & universe;
            self.nested.memo.borrow_mut().insert(key, members);
            Ok(within)
        } else {
            Ok(members)
        }
    }
}
