//! Orders and their lines, column by column, with the indexes MATCHES uses
//! to find lines without scanning unrelated ones.

use crate::customer_buckets::CustomerBuckets;
use crate::interner::{Interner, Sym, fold};
use crate::{CustomerSet, I64Column, SparseColumn};
use flokk_model::{Channel, Order};

/// No symbol (a missing optional id).
pub const NO_SYM: Sym = Sym::MAX;

pub use crate::postings::Postings;

/// The order table.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Orders {
    /// Customer ordinal of each order.
    #[serde(with = "crate::column_bytes")]
    pub customer: Vec<u32>,
    /// Placed at, seconds since the epoch.
    pub time: I64Column,
    /// Total as placed.
    #[serde(with = "crate::column_bytes")]
    pub total: Vec<f64>,
    /// Refunded amount of the orders with a refund (most have none).
    pub refunded: SparseColumn<f64>,
    /// Sales channel (`None` when not given).
    pub channel: Vec<Option<Channel>>,
    /// `location_id` symbol or [`NO_SYM`]. Dense, not a [`SparseColumn`]:
    /// exports give most orders a location and an app.
    #[serde(with = "crate::column_bytes")]
    pub location: Vec<Sym>,
    /// `app_id` symbol or [`NO_SYM`].
    #[serde(with = "crate::column_bytes")]
    pub app: Vec<Sym>,
    /// Orders that count nowhere: cancelled, or replaced/deleted since the
    /// engine was built. One flag per order: every scan asks for each
    /// order, and a flag is cheaper to read than a bitmap lookup.
    pub void: Vec<bool>,
}

/// Product lines.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct ProductLines {
    /// The order each line belongs to.
    #[serde(with = "crate::column_bytes")]
    pub order: Vec<u32>,
    /// Product id symbol.
    #[serde(with = "crate::column_bytes")]
    pub product: Vec<Sym>,
    /// Quantity.
    pub quantity: I64Column,
    /// Lines per product id.
    pub by_product: Postings,
    /// Lines per folded tag.
    pub by_tag: Postings,
    /// Lines per folded category.
    pub by_category: Postings,
    /// Lines per folded vendor.
    pub by_vendor: Postings,
}

/// Ticket lines.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct TicketLines {
    /// The order each line belongs to.
    #[serde(with = "crate::column_bytes")]
    pub order: Vec<u32>,
    /// Performance id symbol.
    #[serde(with = "crate::column_bytes")]
    pub performance: Vec<Sym>,
    /// Tickets on the line.
    pub quantity: I64Column,
    /// Quantity × price.
    #[serde(with = "crate::column_bytes")]
    pub amount: Vec<f64>,
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
    /// Customers with a live order, by when it was placed.
    pub placed: CustomerBuckets,
    /// Customers with a live order that has product lines, by when it was
    /// placed.
    pub placed_with_lines: CustomerBuckets,
    /// Customers with an order voided after it was bucketed (in `placed`,
    /// `placed_with_lines` and the line postings): the buckets may name
    /// them wrongly, so their answers are checked order by order.
    pub revoked: CustomerSet,
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
}

impl CustomerOrders {
    /// The orders of customer `c` (void ones included: callers test `live`).
    pub fn of(&self, c: u32) -> impl Iterator<Item = u32> + '_ {
        let i = c as usize;
        let (s, e) = match (self.start.get(i), self.start.get(i + 1)) {
            (Some(s), Some(e)) => (*s, *e),
            _ => (0, 0),
        };
        // Without rows the table was clustered (or had no orders).
        let (range, rows) = if self.orders.is_empty() {
            (s..e, &[][..])
        } else {
            (0..0, &self.orders[s as usize..e as usize])
        };
        range
            .chain(rows.iter().copied())
            .chain(self.later.get(&c).into_iter().flatten().copied())
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
        orders.location.push(
            order
                .location_id
                .as_deref()
                .map_or(NO_SYM, |s| strings.intern(s)),
        );
        orders.app.push(
            order
                .app_id
                .as_deref()
                .map_or(NO_SYM, |s| strings.intern(s)),
        );
        orders.void.push(order.cancelled);
        let t = order.placed_at.as_second();
        let live_at = (!order.cancelled).then_some(t);
        if let Some(t) = live_at {
            self.placed.add(t, c);
            if order.lines.iter().any(|l| l.product_id.is_some()) {
                self.placed_with_lines.add(t, c);
            }
        }
        for line in &order.lines {
            if let Some(pid) = &line.product_id {
                let p = &mut self.products;
                let l = p.order.len() as u32;
                let product = strings.intern(pid);
                p.order.push(o);
                p.product.push(product);
                p.quantity.push(line.quantity);
                p.by_product.add_timed(product, l, c, live_at);
                for tag in &line.tags {
                    p.by_tag
                        .add_timed(strings.intern(&fold(tag)), l, c, live_at);
                }
                if let Some(cat) = &line.category {
                    p.by_category
                        .add_timed(strings.intern(&fold(cat)), l, c, live_at);
                }
                if let Some(vendor) = &line.vendor {
                    p.by_vendor
                        .add_timed(strings.intern(&fold(vendor)), l, c, live_at);
                }
            } else if let Some(perf) = &line.performance_id {
                let t = &mut self.tickets;
                t.order.push(o);
                t.performance.push(strings.intern(perf));
                t.quantity.push(line.quantity);
                t.amount.push(line.quantity as f64 * line.price);
            }
        }
        self.first_line.push(self.products.order.len() as u32);
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
            CustomerOrders {
                start,
                orders,
                later: Default::default(),
            }
        })
    }

    /// Whether order `o` counts as of `now` (not cancelled, not replaced,
    /// not in the future).
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
            p.order.heap_bytes() + p.product.heap_bytes() + p.quantity.heap_bytes(),
        );
        add(
            "product line postings",
            p.by_product.heap_bytes()
                + p.by_tag.heap_bytes()
                + p.by_category.heap_bytes()
                + p.by_vendor.heap_bytes(),
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
            "orders by time bucket",
            self.placed.heap_bytes()
                + self.placed_with_lines.heap_bytes()
                + self.revoked.heap_bytes(),
        );
        add(
            "orders by customer",
            self.by_customer.get().map_or(0, |b| {
                b.start.heap_bytes() + b.orders.heap_bytes() + b.later.heap_bytes()
            }),
        );
    }
}
