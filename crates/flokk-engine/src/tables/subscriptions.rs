//! Season tickets and memberships (`subscription` records): a customer's
//! rows like checkouts, with the plan, the days they run and their state.

use crate::columns::interner::Interner;
use crate::columns::sym_column::SymColumn;
use flokk_model::{Subscription, SubscriptionState};
use roaring::RoaringBitmap;

/// Days since 1970-01-01 of a date.
pub fn day_number(d: flokk_model::Date) -> i32 {
    (d - jiff::civil::date(1970, 1, 1)).get_days()
}

/// No end day: open-ended.
pub const NO_END: i32 = i32::MAX;

/// Subscriptions.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Subscriptions {
    /// Customer ordinal.
    #[serde(with = "crate::columns::column_bytes")]
    pub customer: Vec<u32>,
    /// Plan symbol.
    pub plan: SymColumn,
    /// First day (days since 1970-01-01).
    #[serde(with = "crate::columns::column_bytes")]
    pub starts: Vec<i32>,
    /// Last day (inclusive), [`NO_END`] when open-ended.
    #[serde(with = "crate::columns::column_bytes")]
    pub ends: Vec<i32>,
    /// State: the index in [`SubscriptionState::ALL`].
    #[serde(with = "crate::columns::column_bytes")]
    pub state: Vec<u8>,
    /// Replaced or deleted since the build.
    pub void: RoaringBitmap,
    /// Rows by customer, built on first use.
    #[serde(skip)]
    pub by_customer: crate::tables::activity_by_customer::RowsIndex,
}

impl Subscriptions {
    /// Appends a subscription of customer `c`.
    pub fn push(&mut self, c: u32, s: &Subscription, strings: &mut Interner) {
        self.by_customer.push(c, self.customer.len() as u32);
        self.customer.push(c);
        self.plan.push(strings.intern(&s.plan));
        self.starts.push(day_number(s.starts));
        self.ends.push(s.ends.map_or(NO_END, day_number));
        let state = SubscriptionState::ALL
            .iter()
            .position(|v| *v == s.status)
            .unwrap_or(0);
        self.state.push(state as u8);
    }

    /// Whether row `i` holds on day `today` (days since 1970-01-01): see
    /// [`Subscription::holds_on`], the one definition.
    pub fn holds_on(&self, i: usize, today: i32) -> bool {
        SubscriptionState::ALL[self.state[i] as usize] == SubscriptionState::Active
            && self.ends[i] >= today
    }
}

impl crate::columns::heap_size::HeapSize for Subscriptions {
    fn heap_bytes(&self) -> usize {
        self.customer.heap_bytes()
            + self.plan.heap_bytes()
            + self.starts.heap_bytes()
            + self.ends.heap_bytes()
            + self.state.heap_bytes()
            + self.void.heap_bytes()
    }
}
