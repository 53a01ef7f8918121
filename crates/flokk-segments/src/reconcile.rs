//! Bringing one segment's stored members in line with its query: evaluate
//! over a scope (every customer, or the customers a write touched), compare
//! with who is stored as a member within that scope, record the difference.

use crate::SegmentsError;
use crate::cache::MembershipCache;
use crate::graph::SegmentNode;
use flokk_engine::{CustomerSet, Engine, Evaluator, QueryBackend};
use flokk_store::{ChangeCause, SegmentWriter};
use std::collections::BTreeMap;

/// Which customers to look at.
pub enum Scope<'a> {
    /// Everyone (a new or changed definition, a midnight, a refit).
    All(ChangeCause),
    /// The customers a store write touched: by key, with the cause of each.
    /// Keys of deleted customers are among them.
    Touched(&'a TouchedCustomers),
}

/// The customers changed since membership was last brought up to date.
pub struct TouchedCustomers {
    /// Live ones, as engine ordinals.
    pub live: CustomerSet,
    /// Every touched key with why it changed.
    pub causes: BTreeMap<i64, ChangeCause>,
    /// For each touched key, the segments it is stored as a member of
    /// (among those it was read for), with the customer id it entered under.
    pub stored: BTreeMap<i64, BTreeMap<i64, String>>,
}

impl TouchedCustomers {
    /// Reads the stored memberships of the touched customers in the
    /// segments `sids` (the ones that will be reconciled over them): a
    /// query a customer for a few, one pass over each segment's members
    /// when that reads fewer rows (a bulk tag of a million customers).
    pub fn read(
        writer: &SegmentWriter<'_>,
        engine: &Engine,
        changed: &[flokk_store::ChangedCustomer],
        segments: &[(i64, u64)],
    ) -> Result<Self, SegmentsError> {
        let mut live = CustomerSet::new();
        let mut causes = BTreeMap::new();
        let mut stored: BTreeMap<i64, BTreeMap<i64, String>> = BTreeMap::new();
        for c in changed {
            if let Some(o) = engine.customers.live_ordinal(c.key) {
                live.insert(o);
            }
            causes.insert(c.key, c.cause);
        }
        // A query a customer costs about as much as reading a few member
        // rows in one pass.
        let members: u64 = segments.iter().map(|(_, count)| count).sum();
        if members < changed.len() as u64 * 4 {
            for &(sid, _) in segments {
                for (key, id) in writer.members_with_ids(sid)? {
                    if causes.contains_key(&key) {
                        stored.entry(key).or_default().insert(sid, id);
                    }
                }
            }
        } else if !segments.is_empty() {
            for c in changed {
                let sids = writer.memberships(c.key)?;
                if !sids.is_empty() {
                    stored.insert(c.key, sids.into_iter().collect());
                }
            }
        }
        Ok(TouchedCustomers {
            live,
            causes,
            stored,
        })
    }
}

/// How many customers entered and left.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moves {
    /// Entries recorded.
    pub entered: u64,
    /// Exits recorded.
    pub exited: u64,
}

impl std::ops::AddAssign for Moves {
    fn add_assign(&mut self, other: Moves) {
        self.entered += other.entered;
        self.exited += other.exited;
    }
}

/// The entries and exits of one segment for one cause.
struct CauseMoves<'e> {
    cause: ChangeCause,
    entered: Vec<(i64, &'e str)>,
    exited: Vec<i64>,
}

/// Evaluates `node` over `scope` and records who entered and who left.
pub fn reconcile(
    writer: &mut SegmentWriter<'_>,
    evaluator: &Evaluator<'_>,
    engine: &Engine,
    node: &SegmentNode,
    scope: Scope<'_>,
    mut cache: Option<&mut MembershipCache>,
) -> Result<Moves, SegmentsError> {
    let sid = node.segment.id;
    let customers = &engine.customers;
    match scope {
        Scope::All(cause) => {
            let now = QueryBackend::members(evaluator, &node.query)?;
            let mut before = CustomerSet::new();
            let mut exited = Vec::new();
            let stored = match cache.as_deref() {
                Some(c) => c.members(sid).collect(),
                None => writer.members(sid)?,
            };
            for key in stored {
                match customers.live_ordinal(key) {
                    Some(o) if now.contains(o) => {
                        before.insert(o);
                    }
                    Some(o) => {
                        before.insert(o);
                        exited.push(key);
                    }
                    None => exited.push(key),
                }
            }
            let entered: Vec<(i64, &str)> = (&now - &before)
                .iter()
                .map(|o| (customers.keys.get(o as usize), &customers.ids[o as usize]))
                .collect();
            let moves = Moves {
                entered: entered.len() as u64,
                exited: exited.len() as u64,
            };
            if moves == Moves::default() {
                writer.mark_counted(sid)?;
            } else {
                let end = writer.record_changes(sid, &entered, &exited, cause)?;
                if let Some(c) = cache {
                    c.record(sid, &entered, &exited, end);
                }
            }
            Ok(moves)
        }
        Scope::Touched(touched) => {
            let now = evaluator.eval_in(&node.query.expr, &touched.live)?;
            let mut by_cause: BTreeMap<&str, CauseMoves<'_>> = BTreeMap::new();
            for (&key, &cause) in &touched.causes {
                let was = touched.stored.get(&key).and_then(|s| s.get(&sid));
                let live = customers.live_ordinal(key);
                let is = live.filter(|o| now.contains(*o));
                // A store key can pass from a deleted customer to a new one:
                // then the old one leaves and the new one is judged afresh.
                let same_customer = match (was, live) {
                    (Some(id), Some(o)) => **id == customers.ids[o as usize],
                    _ => true,
                };
                let slot = by_cause
                    .entry(cause.as_str())
                    .or_insert_with(|| CauseMoves {
                        cause,
                        entered: Vec::new(),
                        exited: Vec::new(),
                    });
                match (was.is_some() && same_customer, is) {
                    (false, Some(o)) => slot.entered.push((key, &customers.ids[o as usize])),
                    (true, None) => slot.exited.push(key),
                    _ => {}
                }
                if was.is_some() && !same_customer {
                    slot.exited.push(key);
                }
            }
            let mut moves = Moves::default();
            for CauseMoves {
                cause,
                entered,
                exited,
            } in by_cause.into_values()
            {
                if entered.is_empty() && exited.is_empty() {
                    continue;
                }
                moves += Moves {
                    entered: entered.len() as u64,
                    exited: exited.len() as u64,
                };
                let end = writer.record_changes(sid, &entered, &exited, cause)?;
                if let Some(c) = cache.as_deref_mut() {
                    c.record(sid, &entered, &exited, end);
                }
            }
            Ok(moves)
        }
    }
}

/// Records every member of a segment as having left (the segment was
/// deleted).
pub fn empty(
    writer: &mut SegmentWriter<'_>,
    sid: i64,
    cause: ChangeCause,
    cache: Option<&mut MembershipCache>,
) -> Result<Moves, SegmentsError> {
    let exited = writer.members(sid)?;
    let end = writer.record_changes(sid, &[], &exited, cause)?;
    if let Some(c) = cache {
        c.record(sid, &[], &exited, end);
    }
    Ok(Moves {
        entered: 0,
        exited: exited.len() as u64,
    })
}
