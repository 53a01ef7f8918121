//! Turning a purchase (a time and a value to spend) into an order: lines
//! from the catalogue or tickets for a performance, channel, location and
//! app, and the occasional cancellation or partial refund.

use crate::catalogue::{Product, pick_product};
use crate::randomness::{DemoRng, chance, unit};
use crate::ticketing::{PRODUCTIONS, Show, VENUES, ticket_line};
use flokk_model::{Channel, Order, OrderLine};
use rand::RngExt;

/// Shop locations: 1 is the web warehouse, 2-6 are shops with tills.
pub const SHOP_LOCATIONS: &[&str] = &["2", "3", "4", "5", "6"];

/// Where a customer tends to buy.
#[derive(Debug, Clone, Copy)]
pub struct Habits {
    /// Probability of buying in a shop (POS).
    pub pos: f64,
    /// Probability of buying in the app (of the rest).
    pub app: f64,
    /// The shop they usually visit.
    pub home_shop: &'static str,
    /// Probability of buying tickets at the box office.
    pub box_office: f64,
}

/// Draws buying habits.
pub fn habits(rng: &mut DemoRng) -> Habits {
    Habits {
        pos: if chance(rng, 0.25) {
            0.4 + 0.5 * unit(rng)
        } else {
            0.03
        },
        app: if chance(rng, 0.3) { 0.6 } else { 0.05 },
        home_shop: SHOP_LOCATIONS[rng.random_range(0..SHOP_LOCATIONS.len())],
        box_office: if chance(rng, 0.35) { 0.7 } else { 0.1 },
    }
}

/// The parts of an order other than its lines.
pub(crate) fn order_shell(id: String, customer_id: &str, placed_at: i64) -> Order {
    Order {
        id,
        customer_id: customer_id.to_owned(),
        placed_at: crate::calendar::timestamp(placed_at),
        ..Order::default()
    }
}

/// Cancellations (about 2 %) and partial refunds (about 4 %): refunds are
/// one line's worth or a share of the total, never more than the total.
pub(crate) fn settle(rng: &mut DemoRng, order: &mut Order, total_cents: i64, line_cents: &[i64]) {
    order.total = cents(total_cents);
    let u = unit(rng);
    if u < 0.02 {
        order.cancelled = true;
    } else if u < 0.06 {
        let refund = if line_cents.len() > 1 && chance(rng, 0.6) {
            line_cents[rng.random_range(0..line_cents.len())]
        } else {
            (total_cents as f64 * (0.1 + 0.6 * unit(rng))).round() as i64
        };
        order.refunded = cents(refund.clamp(1, total_cents));
    }
}

/// Money from cents.
pub fn cents(c: i64) -> flokk_model::Money {
    flokk_model::Money::from_units(c * 100)
}

/// A product order worth about `value`: 1-4 lines of products by
/// popularity, quantities sized so the lines add up to roughly `value`.
pub fn product_order(
    rng: &mut DemoRng,
    id: String,
    customer_id: &str,
    placed_at: i64,
    value: f64,
    habits: &Habits,
) -> Order {
    let mut order = order_shell(id, customer_id, placed_at);
    let (channel, location, app) = if chance(rng, habits.pos) {
        (Channel::Pos, habits.home_shop, "pos")
    } else if chance(rng, habits.app) {
        (
            Channel::App,
            "1",
            if chance(rng, 0.6) { "ios" } else { "android" },
        )
    } else {
        (Channel::Online, "1", "web")
    };
    order.channel = Some(channel);
    order.location_id = Some(location.to_owned());
    order.app_id = Some(app.to_owned());
    let n = match unit(rng) {
        u if u < 0.5 => 1,
        u if u < 0.8 => 2,
        u if u < 0.93 => 3,
        _ => 4,
    };
    let share = value / n as f64;
    let mut line_cents = Vec::with_capacity(n);
    for _ in 0..n {
        // The best fit of three popular products: small orders end up with
        // cheap things, so order totals follow the spend model closely.
        let fit = |p: &Product| {
            let q = ((share * 100.0 / p.price_cents as f64).round() as i64).clamp(1, 8);
            (q, ((q * p.price_cents) as f64 / 100.0 - share).abs())
        };
        let p: &Product = (0..3)
            .map(|_| pick_product(rng))
            .min_by(|a, b| fit(a).1.total_cmp(&fit(b).1))
            .expect("three candidates");
        let quantity = fit(p).0;
        line_cents.push(quantity * p.price_cents);
        order.lines.push(OrderLine {
            product_id: Some(p.id.clone()),
            title: Some(p.title.clone()),
            tags: p.tags.clone(),
            category: Some(p.category.to_owned()),
            vendor: Some(p.vendor.to_owned()),
            sku: Some(format!("SKU-{}", &p.id[1..])),
            quantity,
            price: cents(p.price_cents),
            ..OrderLine::default()
        });
    }
    let total: i64 = line_cents.iter().sum();
    settle(rng, &mut order, total, &line_cents);
    order
}

/// A ticket order worth about `value` for a performance, online or at the
/// box office; now and then with a programme book added as a product line.
pub fn ticket_order(
    rng: &mut DemoRng,
    id: String,
    customer_id: &str,
    placed_at: i64,
    show: &Show,
    box_office: bool,
    value: f64,
) -> Order {
    let mut order = order_shell(id, customer_id, placed_at);
    if box_office {
        order.channel = Some(Channel::BoxOffice);
        order.location_id = Some(VENUES[show.venue].0.to_owned());
        order.app_id = Some("box-office".to_owned());
    } else {
        order.channel = Some(Channel::Online);
        order.location_id = Some("1".to_owned());
        order.app_id = Some("tickets-web".to_owned());
    }
    let (quantity, price) = ticket_line(rng, show.production, value);
    let mut line_cents = vec![quantity * price];
    order.lines.push(OrderLine {
        performance_id: Some(show.id.clone()),
        title: Some(PRODUCTIONS[show.production].1.to_owned()),
        quantity,
        price: cents(price),
        ..OrderLine::default()
    });
    if chance(rng, 0.1) {
        let p = pick_product(rng);
        line_cents.push(p.price_cents);
        order.lines.push(OrderLine {
            product_id: Some(p.id.clone()),
            title: Some(p.title.clone()),
            tags: p.tags.clone(),
            category: Some(p.category.to_owned()),
            vendor: Some(p.vendor.to_owned()),
            quantity: 1,
            price: cents(p.price_cents),
            ..OrderLine::default()
        });
    }
    let total = line_cents.iter().sum();
    settle(rng, &mut order, total, &line_cents);
    order
}
