//! The seam for a second backend: what the segments, the server and the
//! CLI need from "something that answers a typed query", as a trait the
//! bitmap engine implements now and a ClickHouse backend next (issue 23).
//!
//! Decisions:
//! - **Customers are named by their store key** (the `i64` every table of
//!   the store and every segment-membership row uses), not by engine
//!   ordinals: a SQL backend has no ordinals, and its rows carry the
//!   customer's key. A backend's own answer set is an associated type
//!   ([`QueryBackend::Members`]): the engine keeps its bitmap of ordinals
//!   (turning every answer into keys would cost a pass over the members
//!   for callers that only count, sort or page them), and
//!   [`QueryBackend::member_keys`] gives the keys when a caller crosses
//!   backends (writing membership, comparing two backends' answers).
//! - **Membership for saved segments** asks which of a few customers
//!   match ([`QueryBackend::matching`]), the question re-checking touched
//!   customers asks; the engine answers it within those customers only.
//! - **Errors are the backend's own** ([`QueryBackend::Error`]): the
//!   engine's are the language's user errors ([`EvalError`]); a remote
//!   backend adds transport failures the engine cannot have.
//! - **Here, at the engine's top layer**, beside the answer types it
//!   returns ([`CountAnswer`], [`ClauseCount`], [`Statistics`]), which the
//!   CLI and the server already print: the typed query itself comes from
//!   `flokk-lang`. When the ClickHouse backend lands as its own crate and
//!   must not depend on the bitmap engine, the trait and those answer types
//!   move to a small `flokk-backend` crate with `flokk-lang` beneath it, and
//!   this module re-exports them; nothing that uses the trait changes.

use crate::CustomerSet;
use crate::answers::{ClauseCount, CountAnswer, Statistics};
use crate::eval::{EvalError, Evaluator};
use flokk_lang::check::TypedQuery;

/// A customer as every backend names it: the store's key.
pub type CustomerKey = i64;

/// Something that answers typed queries over one store, as of the instant
/// and time zone it was made for (see the module doc).
pub trait QueryBackend {
    /// The backend's own set of matching customers.
    type Members;
    /// Why a query could not be answered.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The customers matching `query`.
    fn members(&self, query: &TypedQuery) -> Result<Self::Members, Self::Error>;

    /// How many customers `members` holds.
    fn member_count(&self, members: &Self::Members) -> u64;

    /// The store keys of `members`, ascending.
    fn member_keys(&self, members: &Self::Members) -> Vec<CustomerKey>;

    /// How many match, out of how many, each top-level clause on its own,
    /// and the members' statistics: `flokk count` and `GET /api/count`.
    fn count(&self, query: &TypedQuery) -> Result<CountAnswer, Self::Error>;

    /// Each top-level clause counted on its own.
    fn clause_counts(&self, query: &TypedQuery) -> Result<Vec<ClauseCount>, Self::Error>;

    /// Sums and averages of the headline facts over `members`.
    fn statistics(&self, members: &Self::Members) -> Result<Statistics, Self::Error>;

    /// Which of `customers` (store keys) match `query`, ascending; keys of
    /// customers the backend does not hold (deleted, never seen) match
    /// nothing.
    fn matching(
        &self,
        query: &TypedQuery,
        customers: &[CustomerKey],
    ) -> Result<Vec<CustomerKey>, Self::Error>;
}

impl QueryBackend for Evaluator<'_> {
    type Members = CustomerSet;
    type Error = EvalError;

    fn members(&self, query: &TypedQuery) -> Result<CustomerSet, EvalError> {
        Evaluator::members(self, query)
    }

    fn member_count(&self, members: &CustomerSet) -> u64 {
        members.len()
    }

    fn member_keys(&self, members: &CustomerSet) -> Vec<CustomerKey> {
        let keys = &self.engine.customers.keys;
        let mut out: Vec<CustomerKey> = members.iter().map(|c| keys.get(c as usize)).collect();
        out.sort_unstable();
        out
    }

    fn count(&self, query: &TypedQuery) -> Result<CountAnswer, EvalError> {
        Evaluator::count(self, query)
    }

    fn clause_counts(&self, query: &TypedQuery) -> Result<Vec<ClauseCount>, EvalError> {
        Evaluator::clause_counts(self, query)
    }

    fn statistics(&self, members: &CustomerSet) -> Result<Statistics, EvalError> {
        Ok(Evaluator::statistics(self, members))
    }

    fn matching(
        &self,
        query: &TypedQuery,
        customers: &[CustomerKey],
    ) -> Result<Vec<CustomerKey>, EvalError> {
        let universe: CustomerSet = customers
            .iter()
            .filter_map(|k| self.engine.customers.live_ordinal(*k))
            .collect();
        let found = self.eval_in(&query.expr, &universe)?;
        Ok(self.member_keys(&found))
    }
}
