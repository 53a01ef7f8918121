//! Orders and their lines, column by column. A MATCHES reads them order
//! by order (the order's own columns first, its lines only when the order
//! passes), either every order or the orders of the customers in play
//! ([`CustomerOrders`]); line filters on `id`, `tag`, `category` and
//! `vendor` are decided once per line shape ([`LineShapes`]).

use crate::interner::{Interner, Sym};
use crate::line_shapes::LineShapes;
use crate::money_column::MoneyColumn;
use crate::order_customers::OrderCustomers;
use crate::sym_column::SymColumn;
use crate::uint_column::UintColumn;
use crate::{I64Column, SparseColumn};
use flokk_model::{Channel, Order};

/// No symbol (a missing optional id).
pub const NO_SYM: Sym = Sym::MAX;

/// The order table.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Orders {
    /// The customer of each order.
    pub customers: OrderCustomers,
    /// Placed at, seconds since the epoch.
    pub time: I64Column,
    /// Total as placed.
    pub total: MoneyColumn,
    /// Refunded amount of the orders with a refund (most have none).
    pub refunded: SparseColumn<f64>,
    /// Whether the order is void ([`VOID`]) and its sales channel (the
    /// other bits: 0 when not given, else one more than its place in
    /// [`Channel::ALL`]), one byte an order.
    #[serde(with = "crate::column_bytes")]
    pub flags: Vec<u8>,
    /// `location_id` symbol or [`NO_SYM`]. Dense, not a [`SparseColumn`]:
    /// exports give most orders a location and an app.
    pub location: SymColumn,
    /// `app_id` symbol or [`NO_SYM`].
    pub app: SymColumn,
}

/// The flag of an order that counts nowhere: cancelled, or replaced or
/// deleted since the engine was built. A bit of a byte per order: every
/// scan asks for each order, and it is cheaper to read than a bitmap.
pub const VOID: u8 = 1;

impl Orders {
    /// How many orders there are.
    pub fn len(&self) -> usize {
        self.flags.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty()
    }

    /// Whether order `o` is void.
    #[inline]
    pub fn is_void(&self, o: usize) -> bool {
        self.flags[o] & VOID != 0
    }

    /// The sales channel of order `o`.
    #[inline]
    pub fn channel(&self, o: usize) -> Option<Channel> {
        match self.flags[o] >> 1 {
            0 => None,
            code => Channel::ALL.get(usize::from(code) - 1).copied(),
        }
    }
}

/// The flags of a new order (see [`Orders::flags`]).
fn flags(cancelled: bool, channel: Option<Channel>) -> u8 {
    let code = channel.map_or(0, |c| {
        1 + Channel::ALL
            .iter()
            .position(|x| *x == c)
            .expect("a known channel") as u8
    });
    (code << 1) | u8::from(cancelled)
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

/// Orders grouped by customer, for the orders not in the clustered runs
/// (see [`crate::order_customers`]): before clustering, compressed rows
/// (customer `c`'s orders are `orders[start[c]..start[c + 1]]`, in table
/// order); after, only the orders appended since, by customer (`later`),
/// so a catch-up does not rebuild anything.
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

/// Each customer's orders: the clustered runs, or the index's rows, plus
/// the orders added since (see [`OrderTables::by_customer`]).
#[derive(Debug, Clone, Copy)]
pub struct ByCustomer<'a> {
    /// Customer `c`'s run (or rows) is `start[c]..start[c + 1]`.
    start: &'a [u32],
    /// The rows, before clustering (empty: `start` gives runs).
    rows: &'a [u32],
    later: &'a std::collections::HashMap<u32, Vec<u32>>,
    time_sorted: bool,
}

/// Where one customer's orders are (see [`ByCustomer::parts`]).
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

impl<'a> ByCustomer<'a> {
    /// The orders of customer `c` (void ones included: callers test `live`).
    pub fn of(self, c: u32) -> impl Iterator<Item = u32> + 'a {
        let p = self.parts(c);
        p.run
            .chain(p.rows.iter().copied())
            .chain(p.later.iter().copied())
    }

    /// Asks for the cache line where customer `c`'s orders start.
    #[inline(always)]
    pub fn prefetch(self, c: u32) {
        crate::prefetch::prefetch(self.start, c as usize + 1);
    }

    /// The orders of customer `c`, by where they are held.
    #[inline]
    pub fn parts(self, c: u32) -> CustomerRun<'a> {
        let i = c as usize;
        let (s, e) = match (self.start.get(i), self.start.get(i + 1)) {
            (Some(s), Some(e)) => (*s, *e),
            _ => (0, 0),
        };
        let (run, rows) = if self.rows.is_empty() {
            (s..e, &[][..])
        } else {
            (0..0, &self.rows[s as usize..e as usize])
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
    pub fn since(
        self,
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
        self,
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
        let o = self.orders.len() as u32;
        if let Some(index) = self.by_customer.get_mut() {
            index.later.entry(c).or_default().push(o);
        }
        if self.first_line.is_empty() {
            self.first_line.push(0);
        }
        let orders = &mut self.orders;
        orders.customers.push(c);
        orders.time.push(order.placed_at.as_second());
        orders.total.push(order.total);
        if order.refunded != 0.0 {
            orders.refunded.set(o, order.refunded);
        }
        orders.flags.push(flags(order.cancelled, order.channel));
        let mut sym = |s: &Option<String>| s.as_deref().map_or(NO_SYM, |s| strings.intern(s));
        orders.location.push(sym(&order.location_id));
        orders.app.push(sym(&order.app_id));
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
    pub fn by_customer(&self, customers: u32) -> ByCustomer<'_> {
        let runs = self.orders.customers.runs();
        let index = self.by_customer.get_or_init(|| {
            let time = &self.orders.time;
            let mut later: std::collections::HashMap<u32, Vec<u32>> = Default::default();
            if !runs.is_empty() {
                // Clustered: the runs are the index; the orders after them
                // are listed by customer.
                let first = self.orders.customers.len() - self.orders.customers.rest().len();
                for (i, c) in self.orders.customers.rest().iter().enumerate() {
                    later.entry(*c).or_default().push((first + i) as u32);
                }
                let time_sorted = runs.windows(2).all(|w| {
                    (w[0] as usize + 1..w[1] as usize).all(|o| time.get(o - 1) <= time.get(o))
                });
                return CustomerOrders {
                    later,
                    time_sorted,
                    ..Default::default()
                };
            }
            let column = self.orders.customers.rest();
            let mut start = vec![0u32; customers as usize + 1];
            for c in column {
                start[*c as usize + 1] += 1;
            }
            for i in 1..start.len() {
                start[i] += start[i - 1];
            }
            let mut next = start.clone();
            let mut orders = vec![0u32; column.len()];
            for (o, c) in column.iter().enumerate() {
                orders[next[*c as usize] as usize] = o as u32;
                next[*c as usize] += 1;
            }
            CustomerOrders {
                start,
                orders,
                later,
                time_sorted: false,
            }
        });
        if runs.is_empty() {
            ByCustomer {
                start: &index.start,
                rows: &index.orders,
                later: &index.later,
                time_sorted: false,
            }
        } else {
            ByCustomer {
                start: runs,
                rows: &[],
                later: &index.later,
                time_sorted: index.time_sorted,
            }
        }
    }

    /// Whether order `o` counts as of `now` (not cancelled, not replaced,
    /// not in the future).
    #[inline]
    pub fn live(&self, o: u32, now: i64) -> bool {
        self.orders.time.get(o as usize) <= now && !self.orders.is_void(o as usize)
    }
}

impl OrderTables {
    /// Reports each order table's heap bytes to `add`.
    pub(crate) fn space_usage(
        &self,
        add: &mut dyn FnMut(&'static str, crate::space_usage::Part, usize),
    ) {
        use crate::space_usage::HeapSize;
        use crate::space_usage::Part::{Customers, OrderLines};
        let o = &self.orders;
        add(
            "orders",
            OrderLines,
            o.customers.rest().len() * 4
                + o.time.heap_bytes()
                + o.total.heap_bytes()
                + o.refunded.heap_bytes()
                + o.flags.heap_bytes()
                + o.location.heap_bytes()
                + o.app.heap_bytes()
                + self.first_line.heap_bytes(),
        );
        let p = &self.products;
        add(
            "product lines",
            OrderLines,
            p.shape.heap_bytes() + p.quantity.heap_bytes() + p.shapes.heap_bytes(),
        );
        add(
            "customers by last purchase of a line key",
            OrderLines,
            self.key_buckets.heap_bytes(),
        );
        let t = &self.tickets;
        add(
            "ticket lines",
            OrderLines,
            t.order.heap_bytes()
                + t.performance.heap_bytes()
                + t.quantity.heap_bytes()
                + t.amount.heap_bytes(),
        );
        add(
            "orders by customer",
            Customers,
            self.orders.customers.runs().len() * 4
                + self.by_customer.get().map_or(0, |b| {
                    b.start.heap_bytes() + b.orders.heap_bytes() + b.later.heap_bytes()
                }),
        );
    }
}
