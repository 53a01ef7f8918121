//! Evaluating a typed query: boolean structure as bitmap algebra, each
//! clause by the index that answers it.
//!
//! AND evaluates its operands cheapest first and hands each the running
//! result as its universe, so later (costlier) clauses only look at the
//! customers still in play. Every negative form is the complement of its
//! positive form within the universe (language.md §4).
//!
//! Layer: the evaluator reads the [`Engine`] (its tables, indexes and
//! memoised aggregates and predictions). May use: the engine, and through
//! it `predictions`, `indexes`, `tables`, `columns`; never the façade
//! (answers, snapshot, catch-up), which is built on it.

pub mod condition;
mod customer_runs;
mod events;
mod functions;
mod lines;
mod lists;
mod order_scan;
mod places;
mod product_filter;
mod scalar;
mod scan_trace;
mod segments;
mod subscriptions;

pub use lists::StaticLists;
pub use scan_trace::{ScanTrace, take_scan_trace};
pub use segments::SegmentDefinitions;

use crate::indexes::aggregates::Aggregates;
use crate::{CustomerSet, Engine};
use flokk_lang::ast::Predicate;
use flokk_lang::check::{Subject, TypedClause, TypedExpr};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::sync::Arc;

/// Why a checked query could not be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// A filter the engine cannot answer yet (its feature is not wired in).
    #[error("{filter} is not available yet: {reason}")]
    NotAvailable {
        /// The filter or function.
        filter: String,
        /// Why.
        reason: String,
    },
    /// A date value outside the calendar jiff supports.
    #[error(transparent)]
    Time(#[from] flokk_lang::time::TimeError),
    /// `customer_segments` names a segment that does not exist.
    #[error("there is no segment named '{name}'")]
    UnknownSegment {
        /// The name as written.
        name: String,
    },
    /// `customer_lists` names a list that does not exist.
    #[error("there is no list named '{name}'")]
    UnknownList {
        /// The name as written.
        name: String,
    },
    /// Segments that contain each other (saving refuses these).
    #[error("segment '{name}' contains itself through customer_segments")]
    SegmentCycle {
        /// A segment on the cycle.
        name: String,
    },
    /// Members asked sorted by a field that is not one of
    /// `Evaluator::SORT_FIELDS`.
    #[error("members cannot be sorted by '{field}'; sort by one of: {fields}")]
    UnknownSortField {
        /// The field as asked.
        field: String,
        /// The fields that sort, comma-separated.
        fields: String,
    },
    /// `venue_id` (or the home venue, setting `venue`) names no venue.
    #[error("there is no venue '{id}'")]
    UnknownVenue {
        /// The id as written or set.
        id: String,
    },
    /// The venue is known but has no coordinates to measure from.
    #[error("venue '{id}' has no coordinates (lat, lon) to measure distances from")]
    VenueWithoutCoordinates {
        /// The venue's id.
        id: String,
    },
    /// `customer_within_distance` without an origin, and no home venue set.
    #[error(
        "customer_within_distance needs an origin: give coordinates, venue_id, place or postcode, or set the home venue (flokk config set venue ID)"
    )]
    NoHomeVenue,
    /// `place` or `postcode` names no single place in the gazetteer.
    #[error("{0}")]
    Place(#[from] flokk_geo::PlaceError),
    /// A case the checker should have ruled out.
    #[error("internal error: {0}")]
    Internal(String),
}

impl EvalError {
    /// A stable code for APIs and the CLI.
    pub fn code(&self) -> &'static str {
        match self {
            EvalError::NotAvailable { .. } => "not_available",
            EvalError::Time(_) => "date_out_of_range",
            EvalError::UnknownSegment { .. } => "unknown_segment",
            EvalError::UnknownList { .. } => "unknown_list",
            EvalError::SegmentCycle { .. } => "segment_cycle",
            EvalError::UnknownSortField { .. } => "unknown_sort_field",
            EvalError::UnknownVenue { .. } => "unknown_venue",
            EvalError::VenueWithoutCoordinates { .. } => "venue_without_coordinates",
            EvalError::NoHomeVenue => "no_home_venue",
            EvalError::Place(flokk_geo::PlaceError::Ambiguous { .. }) => "ambiguous_place",
            EvalError::Place(_) => "unknown_place",
            EvalError::Internal(_) => "internal",
        }
    }
}

/// Evaluates queries against an engine as of one instant.
pub struct Evaluator<'e> {
    pub(crate) engine: &'e Engine,
    pub(crate) aggregates: Arc<Aggregates>,
    pub(crate) now: Timestamp,
    pub(crate) now_second: i64,
    pub(crate) tz: TimeZone,
    all: CustomerSet,
    nested: segments::NestedSegments<'e>,
}

impl<'e> Evaluator<'e> {
    /// An evaluator as of `now` in the store time zone `tz`.
    pub fn new(engine: &'e Engine, now: Timestamp, tz: TimeZone) -> Self {
        let now_second = now.as_second();
        Evaluator {
            engine,
            aggregates: engine.aggregates(now_second, &tz),
            now,
            now_second,
            tz,
            all: engine.customers.all(),
            nested: Default::default(),
        }
    }

    /// The instant the evaluator answers as of.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The same evaluator, answering `customer_segments` from these saved
    /// segments (without them, every segment name is unknown).
    pub fn with_segments(mut self, definitions: &'e SegmentDefinitions) -> Self {
        self.nested.definitions = Some(definitions);
        self
    }

    /// The predictive columns (fitted on first use).
    pub fn predictions(
        &self,
    ) -> std::sync::Arc<crate::predictions::prediction_columns::Predictions> {
        self.engine.predictions(self.now_second, &self.tz)
    }

    /// A numeric predictive field for every customer (computed on first
    /// use, see [`crate::predictions`]).
    pub fn prediction_column(
        &self,
        field: crate::predictions::prediction_columns::NumericField,
    ) -> std::sync::Arc<Vec<f64>> {
        self.predictions().column(self.engine.tables(), field)
    }

    /// The predictive fields of customer `c`, for a profile or an export.
    pub fn predictions_of(
        &self,
        c: u32,
    ) -> crate::predictions::prediction_columns::CustomerPredictions {
        self.predictions().of(self.engine.tables(), c)
    }

    /// Scores many customers, each as [`Evaluator::predictions_of`] does,
    /// remembering repeated purchase summaries' predictions (a long
    /// member list's largest cost, see
    /// [`crate::predictions::remembered`]).
    pub fn remembered_predictions(
        &self,
    ) -> crate::predictions::remembered::RememberedPredictions<'e> {
        crate::predictions::remembered::RememberedPredictions::new(
            self.predictions(),
            self.engine.tables(),
        )
    }

    /// Every live customer.
    pub fn all(&self) -> &CustomerSet {
        &self.all
    }

    /// A membership test for `universe`, asked once per record by scans
    /// over every record: a universe of every customer (the usual case
    /// for a first clause) answers without a lookup, any other from a bit
    /// vector of the universe (one load and a shift, where a bitmap lookup
    /// searches containers: a scan of the 600k lines of one tag took 20 ms
    /// against bitmap lookups).
    /// A small universe (a live-segment check of one customer) keeps the
    /// bitmap: zeroing a bit vector of every ordinal would cost more than
    /// its few lookups.
    pub(crate) fn in_play<'u>(&self, universe: &'u CustomerSet) -> InPlay<'u> {
        let everyone = universe.len() == self.all.len() && self.engine.customers.deleted.is_empty();
        let n = self.engine.customers.len() as usize;
        let mut bits = Vec::new();
        if !everyone && universe.len() as usize >= n / 512 {
            bits = vec![0u64; n.div_ceil(64)];
            for c in universe {
                bits[c as usize >> 6] |= 1 << (c & 63);
            }
        }
        InPlay {
            universe,
            everyone,
            bits,
        }
    }

    /// The customers matching `expr`.
    pub fn eval(&self, expr: &TypedExpr) -> Result<CustomerSet, EvalError> {
        self.eval_in(expr, &self.all)
    }

    /// The customers of `universe` matching `expr`.
    pub fn eval_in(
        &self,
        expr: &TypedExpr,
        universe: &CustomerSet,
    ) -> Result<CustomerSet, EvalError> {
        match expr {
            TypedExpr::Or { operands, .. } => {
                let mut out = CustomerSet::new();
                for e in operands {
                    // Customers already in need not be looked at again.
                    let rest = universe - &out;
                    if rest.is_empty() {
                        break;
                    }
                    out |= self.eval_in(e, &rest)?;
                }
                Ok(out)
            }
            TypedExpr::And { operands, .. } => {
                let mut order: Vec<&TypedExpr> = operands.iter().collect();
                order.sort_by_key(|e| cost(e));
                let mut running = universe.clone();
                for e in order {
                    if running.is_empty() {
                        break;
                    }
                    running = self.eval_in(e, &running)?;
                }
                Ok(running)
            }
            TypedExpr::Not { operand, .. } => Ok(universe - &self.eval_in(operand, universe)?),
            TypedExpr::Clause(c) => {
                let mut out = self.clause(c, universe)?;
                out &= universe;
                Ok(out)
            }
        }
    }

    /// One clause, within `universe` (the result may hold customers outside
    /// it; the caller intersects).
    fn clause(&self, c: &TypedClause, universe: &CustomerSet) -> Result<CustomerSet, EvalError> {
        match (&c.subject, &c.clause.predicate) {
            (Subject::Function { spec, .. }, Predicate::Matches { negated, .. }) => {
                let positive = self.function(spec, c, universe)?;
                Ok(if *negated {
                    universe - &positive
                } else {
                    positive
                })
            }
            (Subject::Filter(spec), predicate) => self.filter(spec, predicate, universe),
            (Subject::Property { namespace, key, ty }, predicate) => {
                self.property(&format!("{namespace}.{key}"), *ty, predicate, universe)
            }
            (subject, predicate) => Err(EvalError::Internal(format!(
                "clause {subject:?} with {predicate:?}"
            ))),
        }
    }
}

/// See [`Evaluator::in_play`].
pub(crate) struct InPlay<'u> {
    universe: &'u CustomerSet,
    /// Every live customer is in the universe, and no record belongs to a
    /// deleted one (the engine has no deletions).
    everyone: bool,
    /// The universe as bits by ordinal, when it is large enough to be
    /// worth it (otherwise empty, and the bitmap answers).
    bits: Vec<u64>,
}

impl InPlay<'_> {
    /// Whether customer `c` is in the universe.
    #[inline]
    pub(crate) fn has(&self, c: u32) -> bool {
        if self.everyone {
            return true;
        }
        if self.bits.is_empty() {
            return self.universe.contains(c);
        }
        self.bits
            .get(c as usize >> 6)
            .is_some_and(|w| w & (1 << (c & 63)) != 0)
    }
}

/// The customers of `universe` that `keep` accepts, filtered in place
/// container by container (roaring walks a bitmap container word by word):
/// iterating the universe and building the answer member by member cost
/// 17 ns a customer, most of a column filter's time.
pub(crate) fn select(universe: &CustomerSet, keep: impl Fn(u32) -> bool) -> CustomerSet {
    // A universe of every ordinal from 0 (the usual first clause) is a
    // plain range: counting through it is cheaper than walking the bitmap.
    if let (Some(0), Some(hi)) = (universe.min(), universe.max())
        && universe.len() == u64::from(hi) + 1
    {
        return dense_select(hi, keep);
    }
    let mut out = universe.clone();
    out.retain(keep);
    out
}

/// [`select`] over every ordinal `0..=hi`: the answers are written as bits
/// of a plain bit vector (no branch per customer) that roaring then takes
/// 65,536 customers at a time, instead of inserting members one by one.
fn dense_select(hi: u32, keep: impl Fn(u32) -> bool) -> CustomerSet {
    let n = hi as usize + 1;
    let mut bytes = vec![0u8; n.div_ceil(8)];
    for (i, byte) in bytes.iter_mut().enumerate() {
        let base = (i * 8) as u32;
        let mut bits = 0u8;
        for b in 0..8u32 {
            let c = base + b;
            if c <= hi {
                bits |= u8::from(keep(c)) << b;
            }
        }
        *byte = bits;
    }
    CustomerSet::from_lsb0_bytes(0, &bytes)
}

/// A rough cost rank for ordering AND operands: bitmap lookups first,
/// column scans next, record scans (MATCHES) last.
fn cost(e: &TypedExpr) -> u32 {
    match e {
        TypedExpr::Clause(c) => match (&c.subject, &c.clause.predicate) {
            (Subject::Function { .. }, _) => 100,
            (_, Predicate::Contains { .. } | Predicate::IsNull { .. }) => 1,
            (Subject::Filter(spec), _)
                if matches!(
                    spec.ty,
                    flokk_lang::Type::Enum(_) | flokk_lang::Type::String
                ) =>
            {
                1
            }
            _ => 10,
        },
        TypedExpr::Not { operand, .. } => cost(operand),
        TypedExpr::And { operands, .. } | TypedExpr::Or { operands, .. } => {
            operands.iter().map(cost).sum()
        }
    }
}

#[cfg(test)]
mod select_tests {
    use super::*;

    #[test]
    fn dense_and_sparse_selection_agree() {
        for hi in [0u32, 6, 7, 8, 63, 64, 65_535, 65_536, 200_001] {
            let keep = |c: u32| c.is_multiple_of(3) || c % 7 == 1;
            let full: CustomerSet = (0..=hi).collect();
            let want: CustomerSet = (0..=hi).filter(|c| keep(*c)).collect();
            assert_eq!(select(&full, keep), want, "0..={hi}");
            let mut holed = full.clone();
            holed.remove(hi / 2);
            assert_eq!(
                select(&holed, keep),
                &want - &CustomerSet::from_iter([hi / 2]),
                "holed {hi}"
            );
        }
    }
}
