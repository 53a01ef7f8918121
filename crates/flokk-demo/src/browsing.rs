//! What customers do on the storefront besides buying: product and
//! collection views, custom tracking events (`Viewed Product`, `Added to
//! Cart`, `Started Checkout`) and abandoned checkouts.

use crate::calendar::{HOUR, timestamp};
use crate::catalogue::{Product, collections, pick_product};
use crate::randomness::{DemoRng, chance, one_of, poisson, unit};
use flokk_model::{
    Checkout, CustomEvent, Order, Properties, PropertyValue, StorefrontEvent, StorefrontEventType,
};
use rand::RngExt;

/// A customer's behavioural records, collected before they are emitted.
#[derive(Debug, Default)]
pub struct Activity {
    /// Storefront views.
    pub storefront: Vec<StorefrontEvent>,
    /// Custom events.
    pub events: Vec<CustomEvent>,
    /// Abandoned checkouts.
    pub checkouts: Vec<Checkout>,
}

impl Activity {
    /// Empties the buffers for the next customer, keeping their capacity.
    pub fn clear(&mut self) {
        self.storefront.clear();
        self.events.clear();
        self.checkouts.clear();
    }
}

fn product_view(customer_id: &str, product: &Product, at: i64) -> StorefrontEvent {
    StorefrontEvent {
        event_id: None,
        customer_id: customer_id.to_owned(),
        event_type: StorefrontEventType::ProductViewed,
        id: product.id.clone(),
        at: timestamp(at),
    }
}

fn custom(
    customer_id: &str,
    name: &str,
    at: i64,
    props: Vec<(&str, PropertyValue)>,
) -> CustomEvent {
    let properties: Properties = props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    CustomEvent {
        id: None,
        customer_id: customer_id.to_owned(),
        name: name.to_owned(),
        at: timestamp(at),
        properties,
    }
}

fn product_props(p: &Product) -> Vec<(&'static str, PropertyValue)> {
    vec![
        ("ProductName", PropertyValue::String(p.title.clone())),
        ("ProductId", PropertyValue::String(p.id.clone())),
        ("value", PropertyValue::Number(p.price_cents as f64 / 100.0)),
    ]
}

/// Views and tracking events leading up to an online or app order (the
/// tracked share of them): the bought products were viewed shortly before,
/// added to the cart and checked out.
pub fn before_order(rng: &mut DemoRng, customer_id: &str, order: &Order, out: &mut Activity) {
    let placed = order.placed_at.as_second();
    if !chance(rng, 0.45) {
        return;
    }
    let mut t = placed - rng.random_range(HOUR / 4..3 * HOUR);
    for line in order
        .lines
        .iter()
        .filter(|l| l.product_id.is_some())
        .take(2)
    {
        let Some(product) = line.product_id.as_deref().and_then(crate::catalogue::by_id) else {
            continue;
        };
        out.storefront.push(product_view(customer_id, product, t));
        if chance(rng, 0.5) {
            out.events.push(custom(
                customer_id,
                "Viewed Product",
                t + 1,
                product_props(product),
            ));
        }
        if chance(rng, 0.6) {
            out.events.push(custom(
                customer_id,
                "Added to Cart",
                t + 60,
                product_props(product),
            ));
        }
        t += rng.random_range(30..300);
    }
    if chance(rng, 0.5) {
        out.events.push(custom(
            customer_id,
            "Started Checkout",
            (t + 60).min(placed - 1),
            vec![
                ("value", PropertyValue::Number(order.total.to_f64())),
                ("ItemCount", PropertyValue::Number(order.lines.len() as f64)),
            ],
        ));
    }
}

/// Browsing sessions during `window` (Unix seconds) that did not end in an
/// order, and abandoned checkouts.
pub fn browsing(
    rng: &mut DemoRng,
    customer_id: &str,
    window: std::ops::Range<i64>,
    utc_offset: i8,
    ids: &mut u32,
    out: &mut Activity,
) {
    let (from, end) = (window.start, window.end);
    // A random moment of the window, at a waking hour of the customer.
    let when = |rng: &mut DemoRng| {
        let mut t = [rng.random_range(from..end - HOUR)];
        crate::btyd::at_daytime(rng, &mut t, utc_offset, end - HOUR);
        t[0]
    };
    if end <= from + HOUR {
        return;
    }
    let collections = collections();
    let sessions = poisson(rng, 0.6);
    for _ in 0..sessions {
        let mut t = when(rng);
        if chance(rng, 0.5) {
            out.storefront.push(StorefrontEvent {
                event_id: None,
                customer_id: customer_id.to_owned(),
                event_type: StorefrontEventType::CollectionViewed,
                id: one_of(rng, &collections).to_string(),
                at: timestamp(t),
            });
            t += rng.random_range(10..120);
        }
        let views = 1 + poisson(rng, 0.7);
        for _ in 0..views {
            let p = pick_product(rng);
            out.storefront.push(product_view(customer_id, p, t));
            if chance(rng, 0.4) {
                out.events.push(custom(
                    customer_id,
                    "Viewed Product",
                    t + 1,
                    product_props(p),
                ));
            }
            t += rng.random_range(20..300);
        }
    }
    if chance(rng, 0.18) {
        let t = when(rng);
        let p = pick_product(rng);
        let quantity = 1 + (unit(rng) * 2.0) as i64;
        let total = crate::orders::cents(quantity * p.price_cents);
        *ids += 1;
        out.checkouts.push(Checkout {
            id: format!("{customer_id}-c{ids}"),
            customer_id: customer_id.to_owned(),
            abandoned_at: timestamp(t + 600),
            total,
        });
        out.events.push(custom(
            customer_id,
            "Started Checkout",
            t,
            vec![
                ("value", PropertyValue::Number(total.to_f64())),
                ("ItemCount", PropertyValue::Number(1.0)),
            ],
        ));
    }
}
