//! Orders and their lines, column by column. A MATCHES reads them order
//! by order (the order's own columns first, its lines only when the order
//! passes), either every order or the orders of the customers in play
//! ([`CustomerOrders`]); line filters on `id`, `tag`, `category` and
//! `vendor` are decided once per line shape ([`LineShapes`]).

use crate::interner::{Interner, Sym};
use crate::line_shapes::LineShapes;
use crate::money_column::MoneyColumn;
use crate::sym_column::SymColumn;
use crate::uint_column::UintColumn;
use crate::{I64Column, SparseColumn};
use flokk_model::{Channel, Order};

/// No symbol (a missing optional id).
pub const NO_SYM: Sym = Sym::MAX;

/// The order table.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Orders {
    /// Customer ordinal of each order.
    #[serde(with = "crate::column_bytes")]
    pub customer: Vec<u32>,
    /// Placed at, seconds since the epoch.
    pub time: I64Column,
    /// Total as placed.
    pub total: MoneyColumn,
    /// Refunded amount of the orders with a refund (most have none).
    pub refunded: SparseColumn<f64>,
    /// Sales channel (`None` when not given).
    pub channel: Vec<Option<Channel>>,
    /// `location_id` symbol or [`NO_SYM`]. Dense, not a [`SparseColumn`]:
    /// exports give most orders a location and an app.
    pub location: SymColumn,
    /// `app_id` symbol or [`NO_SYM`].
    pub app: SymColumn,
    /// Orders that count nowhere: cancelled, or replaced/deleted since the
    /// engine was built. One flag per order: every scan asks for each
    /// order, and a flag is cheaper to read than a bitmap lookup.
    pub void: Vec<bool>,
}

/// Product lines. The lines of order `o` are
/// [`OrderTables::product_lines`]`(o)`; a line does not name its order
/// (every reader comes to a line from its order).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct ProductLines {
    /// Each line's shape (product id, tags, category, vendor).
    pub shape: UintColumn,
    /// Quantity.
    pub quantity: I64Column,
    /// The distinct shapes.
    pub shapes: LineShapes,
}

impl ProductLines {
    /// How many lines there are.
    pub fn len(&self) -> usize {
        self.shape.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.shape.is_empty()
    }
}

/// Ticket lines.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct TicketLines {
    /// The order each line belongs to.
    #[serde(with = "crate::column_bytes")]
    pub order: Vec<u32>,
    /// Performance id symbol.
    pub performance: SymColumn,
    /// Tickets on the line.
    pub quantity: I64Column,
    /// Quantity × price.
    pub amount: MoneyColumn,
}

/// The order-side tables together.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct OrderTables {
    /// Orders.
    pub orders: Orders,
    /// Product lines.
    pub products: ProductLines,
    /// Ticket lines.
    pub tickets: TicketLines,
    /// Where each order's product lines start (lines of one order are
    /// contiguous): order `o` has lines `first_line[o]..first_line[o + 1]`.
    #[serde(with = "crate::column_bytes")]
    pub(crate) first_line: Vec<u32>,
    /// Customers by their latest purchase of each line key, once built
    /// (by [`crate::Engine::compact`]); kept by every later append.
    pub key_buckets: Option<crate::key_buckets::KeyBuckets>,
    /// Orders per customer, built on first use.
    #[serde(skip)]
    pub(crate) by_customer: std::sync::OnceLock<CustomerOrders>,
}

/// Orders grouped by customer (compressed rows): customer `c`'s orders are
/// `orders[start[c]..start[c + 1]]`, in table order, then the orders added
/// after the rows were built (`later`), so a catch-up does not rebuild them.
/// When the table is clustered by customer (see
/// [`OrderTables::cluster_by_customer`]) the rows are the orders
/// themselves and `orders` stays empty: `start[c]..start[c + 1]`.
#[derive(Debug, Default, Clone)]
pub struct CustomerOrders {
    start: Vec<u32>,
    orders: Vec<u32>,
    later: std::collections::HashMap<u32, Vec<u32>>,
    /// The table is clustered and every customer's run is in ascending
    /// order of time (as a store that records orders as they are placed
    /// delivers them), so a reader of recent orders can stop early.
    time_sorted: bool,
}

/// Where one customer's orders are (see [`CustomerOrders::parts`]).
pub struct CustomerRun<'a> {
    /// A run of the clustered table (empty when it is not clustered).
    pub run: std::ops::Range<u32>,
    /// Whether `run` is in ascending order of time.
    pub time_sorted: bool,
    /// The orders in table order, when the table is not clustered.
    pub rows: &'a [u32],
    /// Orders added after the index was built.
    pub later: &'a [u32],
}

impl CustomerOrders {
    /// The orders of customer `c` (void ones included: callers test `live`).
    pub fn of(&self, c: u32) -> impl Iterator<Item = u32> + '_ {
        let p = self.parts(c);
        p.run
            .chain(p.rows.iter().copied())
            .chain(p.later.iter().copied())
    }

    /// Asks for the cache line where customer `c`'s orders start.
    #[inline(always)]
    pub fn prefetch(&self, c: u32) {
        crate::prefetch::prefetch(&self.start, c as usize + 1);
    }

    /// The orders of customer `c`, by where they are held.
    #[inline]
    pub fn parts(&self, c: u32) -> CustomerRun<'_> {
        let i = c as usize;
        let (s, e) = match (self.start.get(i), self.start.get(i + 1)) {
            (Some(s), Some(e)) => (*s, *e),
            _ => (0, 0),
        };
        // Without rows the table was clustered (or had no orders).
        let (run, rows) = if self.orders.is_empty() {
            (s..e, &[][..])
        } else {
            (0..0, &self.orders[s as usize..e as usize])
        };
        CustomerRun {
            run,
            time_sorted: self.time_sorted,
            rows,
            // Most indexes have no later orders: no hashing per customer.
            later: if self.later.is_empty() {
                &[]
            } else {
                self.later.get(&c).map_or(&[][..], Vec::as_slice)
            },
        }
    }

    /// The orders of customer `c` that may be placed at or after `since`
    /// (in a time-sorted run, only those; otherwise all of them).
    pub fn since<'a>(
        &'a self,
        c: u32,
        since: i64,
        time: &'a crate::I64Column,
    ) -> impl Iterator<Item = u32> + 'a {
        let p = self.parts(c);
        let mut run = p.run;
        if p.time_sorted && since != i64::MIN {
            // Backwards from the newest: a recent window stops after a few.
            let mut first = run.end;
            while first > run.start && time.get(first as usize - 1) >= since {
                first -= 1;
            }
            run.start = first;
        }
        run.chain(p.rows.iter().copied())
            .chain(p.later.iter().copied())
    }

    /// Whether customer `c` has an order that `passes` among those it may
    /// have placed at or after `since`: the orders of a time-sorted run
    /// are read newest first and the reading stops before `since`; all
    /// others are read.
    #[inline]
    pub fn any_since(
        &self,
        c: u32,
        since: i64,
        time: &crate::I64Column,
        passes: impl Fn(u32) -> bool,
    ) -> bool {
        let p = self.parts(c);
        let in_run = if p.time_sorted {
            p.run
                .rev()
                .take_while(|&o| time.get(o as usize) >= since)
                .any(&passes)
        } else {
            p.run.clone().any(&passes)
        };
        in_run || p.rows.iter().any(|&o| passes(o)) || p.later.iter().any(|&o| passes(o))
    }
}

impl OrderTables {
    /// Appends an order of customer `c` with its lines.
    pub fn push(&mut self, c: u32, order: &Order, strings: &mut Interner) {
        let o = self.orders.customer.len() as u32;
        if let Some(index) = self.by_customer.get_mut() {
            index.later.entry(c).or_default().push(o);
        }
        if self.first_line.is_empty() {
            self.first_line.push(0);
        }
        let orders = &mut self.orders;
        orders.customer.push(c);
        orders.time.push(order.placed_at.as_second());
        orders.total.push(order.total);
        if order.refunded != 0.0 {
            orders.refunded.set(o, order.refunded);
        }
        orders.channel.push(order.channel);
        let mut sym = |s: &Option<String>| s.as_deref().map_or(NO_SYM, |s| strings.intern(s));
        orders.location.push(sym(&order.location_id));
        orders.app.push(sym(&order.app_id));
        orders.void.push(order.cancelled);
        for line in &order.lines {
            if let Some(pid) = &line.product_id {
                let p = &mut self.products;
                let shape = p.shapes.add_line(
                    pid,
                    &line.tags,
                    line.category.as_deref(),
                    line.vendor.as_deref(),
                    strings,
                );
                p.shape.push(shape);
                p.quantity.push(line.quantity);
                if let Some(index) = &mut self.key_buckets
                    && !order.cancelled
                {
                    index.add_line(&p.shapes, shape, order.placed_at.as_second(), c);
                }
            } else if let Some(perf) = &line.performance_id {
                let t = &mut self.tickets;
                t.order.push(o);
                t.performance.push(strings.intern(perf));
                t.quantity.push(line.quantity);
                t.amount.push(line.quantity as f64 * line.price);
            }
        }
        self.first_line.push(self.products.len() as u32);
    }

    /// The product lines of order `o`.
    pub fn product_lines(&self, o: u32) -> std::ops::Range<u32> {
        self.first_line[o as usize]..self.first_line[o as usize + 1]
    }

    /// Orders grouped by customer, for evaluating a few customers without
    /// scanning every order.
    pub fn by_customer(&self, customers: u32) -> &CustomerOrders {
        self.by_customer.get_or_init(|| {
            let mut start = vec![0u32; customers as usize + 1];
            for c in &self.orders.customer {
                start[*c as usize + 1] += 1;
            }
            for i in 1..start.len() {
                start[i] += start[i - 1];
            }
            let clustered = self.orders.customer.is_sorted();
            let mut orders = Vec::new();
            if !clustered {
                let mut next = start.clone();
                orders = vec![0u32; self.orders.customer.len()];
                for (o, c) in self.orders.customer.iter().enumerate() {
                    orders[next[*c as usize] as usize] = o as u32;
                    next[*c as usize] += 1;
                }
            }
            let time = &self.orders.time;
            let customer = &self.orders.customer;
            let time_sorted = clustered
                && (1..customer.len())
                    .all(|o| customer[o] != customer[o - 1] || time.get(o - 1) <= time.get(o));
            CustomerOrders {
                start,
                orders,
                later: Default::default(),
                time_sorted,
            }
        })
    }

    /// Whether order `o` counts as of `now` (not cancelled, not replaced,
    /// not in the future).
    #[inline]
    pub fn live(&self, o: u32, now: i64) -> bool {
        self.orders.time.get(o as usize) <= now && !self.orders.void[o as usize]
    }
}

impl OrderTables {
    /// Reports each order table's heap bytes to `add`.
    pub(crate) fn space_usage(&self, add: &mut dyn FnMut(&'static str, usize)) {
        use crate::space_usage::HeapSize;
        let o = &self.orders;
        add(
            "orders",
            o.customer.heap_bytes()
                + o.time.heap_bytes()
                + o.total.heap_bytes()
                + o.refunded.heap_bytes()
                + o.channel.capacity() * size_of::<Option<Channel>>()
                + o.location.heap_bytes()
                + o.app.heap_bytes()
                + o.void.heap_bytes()
                + self.first_line.heap_bytes(),
        );
        let p = &self.products;
        add(
            "product lines",
            p.shape.heap_bytes() + p.quantity.heap_bytes() + p.shapes.heap_bytes(),
        );
        add(
            "customers by last purchase of a line key",
            self.key_buckets.heap_bytes(),
        );
        let t = &self.tickets;
        add(
            "ticket lines",
            t.order.heap_bytes()
                + t.performance.heap_bytes()
                + t.quantity.heap_bytes()
                + t.amount.heap_bytes(),
        );
        add(
            "orders by customer",
            self.by_customer.get().map_or(0, |b| {
                b.start.heap_bytes() + b.orders.heap_bytes() + b.later.heap_bytes()
            }),
        );
    }
}
