//! Orders and their lines, column by column, with the indexes MATCHES uses
//! to find lines without scanning unrelated ones.

use crate::interner::{Interner, Sym, fold};
use flokk_model::{Channel, Order};
use std::collections::HashMap;

/// No symbol (a missing optional id).
pub const NO_SYM: Sym = Sym::MAX;

/// Record indexes per key.
pub type Postings = HashMap<Sym, Vec<u32>>;

/// The order table.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Orders {
    /// Customer ordinal of each order.
    pub customer: Vec<u32>,
    /// Placed at, seconds since the epoch.
    pub time: Vec<i64>,
    /// Total as placed.
    pub total: Vec<f64>,
    /// Refunded amount.
    pub refunded: Vec<f64>,
    /// Sales channel (`None` when not given).
    pub channel: Vec<Option<Channel>>,
    /// `location_id` symbol or [`NO_SYM`].
    pub location: Vec<Sym>,
    /// `app_id` symbol or [`NO_SYM`].
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
    pub order: Vec<u32>,
    /// Product id symbol.
    pub product: Vec<Sym>,
    /// Quantity.
    pub quantity: Vec<i64>,
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
    pub order: Vec<u32>,
    /// Performance id symbol.
    pub performance: Vec<Sym>,
    /// Tickets on the line.
    pub quantity: Vec<i64>,
    /// Quantity × price.
    pub amount: Vec<f64>,
}

fn post(postings: &mut Postings, key: Sym, line: u32) {
    let list = postings.entry(key).or_default();
    // A line with the same tag twice is listed once.
    if list.last() != Some(&line) {
        list.push(line);
    }
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
    first_line: Vec<u32>,
    /// Orders per customer, built on first use.
    #[serde(skip)]
    by_customer: std::sync::OnceLock<CustomerOrders>,
}

/// Orders grouped by customer (compressed rows): customer `c`'s orders are
/// `orders[start[c]..start[c + 1]]`, in table order, then the orders added
/// after the rows were built (`later`), so a catch-up does not rebuild them.
#[derive(Debug, Default, Clone)]
pub struct CustomerOrders {
    start: Vec<u32>,
    orders: Vec<u32>,
    later: std::collections::HashMap<u32, Vec<u32>>,
}

impl CustomerOrders {
    /// The orders of customer `c` (void ones included: callers test `live`).
    pub fn of(&self, c: u32) -> impl Iterator<Item = &u32> {
        let i = c as usize;
        let built: &[u32] = match (self.start.get(i), self.start.get(i + 1)) {
            (Some(s), Some(e)) => &self.orders[*s as usize..*e as usize],
            _ => &[],
        };
        built.iter().chain(self.later.get(&c).into_iter().flatten())
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
        orders.refunded.push(order.refunded);
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
        for line in &order.lines {
            if let Some(pid) = &line.product_id {
                let p = &mut self.products;
                let l = p.order.len() as u32;
                let product = strings.intern(pid);
                p.order.push(o);
                p.product.push(product);
                p.quantity.push(line.quantity);
                post(&mut p.by_product, product, l);
                for tag in &line.tags {
                    post(&mut p.by_tag, strings.intern(&fold(tag)), l);
                }
                if let Some(cat) = &line.category {
                    post(&mut p.by_category, strings.intern(&fold(cat)), l);
                }
                if let Some(vendor) = &line.vendor {
                    post(&mut p.by_vendor, strings.intern(&fold(vendor)), l);
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
            let mut next = start.clone();
            let mut orders = vec![0u32; self.orders.customer.len()];
            for (o, c) in self.orders.customer.iter().enumerate() {
                orders[next[*c as usize] as usize] = o as u32;
                next[*c as usize] += 1;
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
        self.orders.time[o as usize] <= now && !self.orders.void[o as usize]
    }
}
