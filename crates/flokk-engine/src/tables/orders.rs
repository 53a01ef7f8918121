//! Orders and their lines, column by column. A MATCHES reads them order
//! by order (the order's own columns first, its lines only when the order
//! passes), either every order or the orders of the customers in play
//! ([`CustomerOrders`]); line filters on `id`, `tag`, `category` and
//! `vendor` are decided once per line shape ([`LineShapes`]).

use crate::columns::interner::{Interner, NO_SYM};
use crate::columns::money_column::MoneyColumn;
use crate::columns::sym_column::SymColumn;
use crate::columns::uint_column::UintColumn;
use crate::tables::line_shapes::LineShapes;
use crate::tables::order_customers::OrderCustomers;
pub use crate::tables::orders_by_customer::{ByCustomer, CustomerOrders, CustomerRun};
use crate::{I64Column, SparseColumn};
use flokk_model::{Channel, Money, Order};

/// The order table.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Orders {
    /// The customer of each order.
    pub customers: OrderCustomers,
    /// Placed at, seconds since the epoch.
    pub time: I64Column,
    /// Total as placed.
    pub total: MoneyColumn,
    /// Refunded amount ([`flokk_model::Money`] units) of the orders with a
    /// refund (most have none).
    pub refunded: SparseColumn<i64>,
    /// Whether the order is void ([`VOID`]) and its sales channel (the
    /// other bits: 0 when not given, else one more than its place in
    /// [`Channel::ALL`]), one byte an order.
    #[serde(with = "crate::columns::column_bytes")]
    pub flags: Vec<u8>,
    /// `location_id` symbol or [`NO_SYM`]. Dense, not a [`SparseColumn`]:
    /// exports give most orders a location and an app.
    pub location: SymColumn,
    /// `app_id` symbol or [`NO_SYM`].
    pub app: SymColumn,
    /// The discount codes of the orders that used any: one symbol of the
    /// folded codes joined by `\n` ([`DISCOUNT_CODE_SEPARATOR`]), so an
    /// order holds four bytes however many codes it used, and orders
    /// without codes (most) hold nothing.
    pub discount_codes: SparseColumn<u32>,
}

/// Between the codes of one order in [`Orders::discount_codes`] (a code
/// is one line of text).
pub const DISCOUNT_CODE_SEPARATOR: char = '\n';

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
    #[serde(with = "crate::columns::column_bytes")]
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
    #[serde(with = "crate::columns::column_bytes")]
    pub(crate) first_line: Vec<u32>,
    /// Orders per customer, built on first use.
    #[serde(skip)]
    pub(crate) by_customer: std::sync::OnceLock<CustomerOrders>,
}

impl OrderTables {
    /// Orders grouped by customer, for evaluating a few customers without
    /// scanning every order (built on first use, kept by later appends).
    pub fn by_customer(&self, customers: u32) -> ByCustomer<'_> {
        let index = self.by_customer.get_or_init(|| {
            CustomerOrders::build(&self.orders.customers, &self.orders.time, customers)
        });
        index.view(self.orders.customers.runs())
    }

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
        if order.refunded != Money::ZERO {
            orders.refunded.set(o, order.refunded.units());
        }
        orders.flags.push(flags(order.cancelled, order.channel));
        let mut sym = |s: &Option<String>| s.as_deref().map_or(NO_SYM, |s| strings.intern(s));
        orders.location.push(sym(&order.location_id));
        orders.app.push(sym(&order.app_id));
        if !order.discount_codes.is_empty() {
            let folded: Vec<String> = order
                .discount_codes
                .iter()
                .map(|c| crate::columns::interner::fold(c.trim()))
                .collect();
            let joined = folded.join(&DISCOUNT_CODE_SEPARATOR.to_string());
            orders.discount_codes.set(o, strings.intern(&joined));
        }
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
            } else if let Some(perf) = &line.performance_id {
                let t = &mut self.tickets;
                t.order.push(o);
                t.performance.push(strings.intern(perf));
                t.quantity.push(line.quantity);
                t.amount.push(line.price.times(line.quantity));
            }
        }
        self.first_line.push(self.products.len() as u32);
    }

    /// The product lines of order `o`.
    pub fn product_lines(&self, o: u32) -> std::ops::Range<u32> {
        self.first_line[o as usize]..self.first_line[o as usize + 1]
    }

    /// The ticket lines of order `o`: lines are appended with their order,
    /// so [`TicketLines::order`] ascends and an order's lines are one run.
    pub fn ticket_lines(&self, o: u32) -> std::ops::Range<usize> {
        let order = &self.tickets.order;
        order.partition_point(|&x| x < o)..order.partition_point(|&x| x <= o)
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
        add: &mut dyn FnMut(&'static str, crate::columns::heap_size::Part, usize),
    ) {
        use crate::columns::heap_size::HeapSize;
        use crate::columns::heap_size::Part::{Customers, OrderLines};
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
                + o.discount_codes.heap_bytes()
                + self.first_line.heap_bytes(),
        );
        let p = &self.products;
        add(
            "product lines",
            OrderLines,
            p.shape.heap_bytes() + p.quantity.heap_bytes() + p.shapes.heap_bytes(),
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
