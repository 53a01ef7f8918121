//! `customer_lists`: the names of the static lists a customer is on.
//!
//! A static list is frozen membership the store keeps (`flokk list`,
//! `segment sample`), so unlike `customer_segments` nothing is evaluated:
//! the caller hands the evaluator each list's members as store keys (with
//! the saved segments, [`super::SegmentDefinitions::set_lists`]), and a
//! customer no longer in the store is simply not found.
//!
//! Decision: a list name nobody saved is an error (`unknown_list`), as an
//! unknown segment is, not an empty list: a typo would otherwise count 0
//! in silence.

use super::condition::text;
use super::{EvalError, Evaluator};
use crate::CustomerSet;
use flokk_lang::ast::Predicate;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The static lists by lower-cased name: their name as saved and the store
/// keys of their members.
#[derive(Debug, Clone, Default)]
pub struct StaticLists {
    by_key: BTreeMap<String, (String, Arc<Vec<i64>>)>,
}

impl StaticLists {
    /// No lists.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the list `name` with its members' store keys.
    pub fn insert(&mut self, name: &str, keys: Vec<i64>) {
        self.by_key
            .insert(name.to_lowercase(), (name.to_owned(), Arc::new(keys)));
    }

    /// The store keys of the list called `name` (any case).
    pub fn get(&self, name: &str) -> Option<&[i64]> {
        self.by_key
            .get(&name.to_lowercase())
            .map(|(_, k)| k.as_slice())
    }

    /// The list names as saved, in lower-cased order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_key.values().map(|(name, _)| name.as_str())
    }
}

impl Evaluator<'_> {
    /// `customer_lists` with `predicate`, within `universe`.
    pub(super) fn customer_lists(
        &self,
        predicate: &Predicate,
        universe: &CustomerSet,
    ) -> Result<CustomerSet, EvalError> {
        let lists = self.nested.definitions.map(|d| d.lists());
        let members = |keys: &[i64]| -> CustomerSet {
            keys.iter()
                .filter_map(|k| self.engine.customers.live_ordinal(*k))
                .filter(|o| universe.contains(*o))
                .collect()
        };
        match predicate {
            Predicate::Contains { negated, value } => {
                let name = text(value)?;
                let keys = lists
                    .and_then(|l| l.get(&name))
                    .ok_or(EvalError::UnknownList { name })?;
                let on = members(keys);
                Ok(if *negated { universe - &on } else { on })
            }
            Predicate::IsNull { negated } => {
                let mut on_any = CustomerSet::new();
                for (_, keys) in lists.iter().flat_map(|l| l.by_key.values()) {
                    on_any |= members(keys);
                }
                Ok(if *negated { on_any } else { universe - &on_any })
            }
            other => Err(EvalError::Internal(format!(
                "customer_lists with {other:?}"
            ))),
        }
    }
}
