//! MATCHES (§5, §7): list the function's records, keep those that meet
//! every record filter, aggregate them, test the aggregate conditions
//! (implicitly `count >= 1`). Customers without a matching record have a
//! zero tally, which `count = 0` or `sum_amount < 100` accept.

use super::TypedParam;
use super::conditions::{FieldValue, param_holds};
use super::customer_fields::{day_start, typed_value};
use super::places_and_days::{anniversary_matches, within_distance};
use super::{AsOf, Store, StoreCustomer};
use flokk_lang::catalog::ParamRole;
use flokk_lang::check::ParamTarget;
use flokk_model::{CustomEvent, EmailEvent, Order, OrderLine, StorefrontEvent};
use std::collections::BTreeSet;

/// One record of a function.
enum FunctionRecord<'c> {
    /// A product line; `order` is its position in the customer's orders.
    ProductLine(usize, &'c Order, &'c OrderLine),
    /// An order.
    Order(usize, &'c Order),
    /// A ticket line.
    TicketLine(usize, &'c Order, &'c OrderLine),
    /// An email event.
    Email(usize, &'c EmailEvent),
    /// A storefront event.
    Storefront(usize, &'c StorefrontEvent),
    /// A custom event.
    Custom(usize, &'c CustomEvent),
}

impl FunctionRecord<'_> {
    /// What `count` counts: the order for line records, else the record.
    fn counted_unit(&self) -> usize {
        match self {
            FunctionRecord::ProductLine(o, ..)
            | FunctionRecord::Order(o, _)
            | FunctionRecord::TicketLine(o, ..)
            | FunctionRecord::Email(o, _)
            | FunctionRecord::Storefront(o, _)
            | FunctionRecord::Custom(o, _) => *o,
        }
    }
}

/// The records of `function` for `customer`, visible as of `now`.
fn records<'c>(
    customer: &'c StoreCustomer,
    function: &str,
    as_of: &AsOf,
) -> Vec<FunctionRecord<'c>> {
    // Cancelled orders count nowhere; orders after now are invisible.
    let orders = || {
        customer
            .orders
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.cancelled && as_of.sees(o.placed_at))
    };
    match function {
        "products_purchased" => orders()
            .flat_map(|(i, o)| {
                o.lines
                    .iter()
                    .filter(|l| l.product_id.is_some())
                    .map(move |l| FunctionRecord::ProductLine(i, o, l))
            })
            .collect(),
        "orders_placed" => orders().map(|(i, o)| FunctionRecord::Order(i, o)).collect(),
        "tickets_purchased" => orders()
            .flat_map(|(i, o)| {
                o.lines
                    .iter()
                    .filter(|l| l.performance_id.is_some())
                    .map(move |l| FunctionRecord::TicketLine(i, o, l))
            })
            .collect(),
        "custom_event" => customer
            .custom
            .iter()
            .enumerate()
            .filter(|(_, e)| as_of.sees(e.at))
            .map(|(i, e)| FunctionRecord::Custom(i, e))
            .collect(),
        storefront if storefront.starts_with("storefront.") => {
            let kind = storefront.trim_start_matches("storefront.");
            customer
                .storefront
                .iter()
                .enumerate()
                .filter(|(_, e)| e.event_type.as_str() == kind && as_of.sees(e.at))
                .map(|(i, e)| FunctionRecord::Storefront(i, e))
                .collect()
        }
        email if email.starts_with("shopify_email.") => {
            let kind = email.trim_start_matches("shopify_email.");
            customer
                .email
                .iter()
                .enumerate()
                .filter(|(_, e)| e.event_type.as_str() == kind && as_of.sees(e.at))
                .map(|(i, e)| FunctionRecord::Email(i, e))
                .collect()
        }
        other => panic!("no records for {other}"),
    }
}

fn text(s: Option<&str>) -> FieldValue {
    FieldValue::Text(s.map(str::to_owned))
}

fn folded(s: Option<&str>) -> FieldValue {
    FieldValue::Folded(s.map(str::to_owned).into_iter().collect())
}

/// The value a record filter parameter tests on `record`.
fn record_field(
    store: &Store,
    record: &FunctionRecord<'_>,
    param: &TypedParam,
    as_of: &AsOf,
) -> FieldValue {
    let name = match &param.target {
        ParamTarget::Catalog(spec) => spec.name,
        ParamTarget::EventProperty { key, ty } => {
            let FunctionRecord::Custom(_, e) = record else {
                panic!("property parameter outside custom_event")
            };
            return typed_value(e.properties.get(key.as_str()), *ty, as_of);
        }
    };
    match (record, name) {
        (FunctionRecord::ProductLine(_, o, _), "date")
        | (FunctionRecord::Order(_, o), "date")
        | (FunctionRecord::TicketLine(_, o, _), "date") => FieldValue::instant(Some(o.placed_at)),
        (FunctionRecord::ProductLine(_, _, l), "id") => text(l.product_id.as_deref()),
        (FunctionRecord::ProductLine(_, _, l), "tag") => FieldValue::Folded(l.tags.clone()),
        (FunctionRecord::ProductLine(_, _, l), "category") => folded(l.category.as_deref()),
        (FunctionRecord::ProductLine(_, _, l), "vendor") => folded(l.vendor.as_deref()),
        (FunctionRecord::Order(_, o), "amount") => FieldValue::Number(Some(o.total.to_f64())),
        (FunctionRecord::Order(_, o), "location_id") => text(o.location_id.as_deref()),
        (FunctionRecord::Order(_, o), "app_id") => text(o.app_id.as_deref()),
        // Codes compare ignoring case and edge spaces, any code of the order.
        (FunctionRecord::Order(_, o), "discount_code") => FieldValue::Folded(
            o.discount_codes
                .iter()
                .map(|c| c.trim().to_owned())
                .collect(),
        ),
        (FunctionRecord::Order(_, o), "channel")
        | (FunctionRecord::TicketLine(_, o, _), "channel") => text(o.channel.map(|c| c.as_str())),
        (FunctionRecord::TicketLine(_, o, l), ticket_field) => {
            let id = l.performance_id.as_deref();
            // A performance the catalogue does not know has no production,
            // venue or start: those values are missing (§4).
            let performance = id.and_then(|id| store.performance(id));
            match ticket_field {
                "performance_id" => text(id),
                "production_id" => text(performance.map(|p| p.production_id.as_str())),
                "venue_id" => text(performance.map(|p| p.venue_id.as_str())),
                "performance_date" => FieldValue::instant(performance.map(|p| p.starts_at)),
                "lead_time_days" => FieldValue::Number(performance.map(|p| {
                    let seconds = p.starts_at.as_second() - o.placed_at.as_second();
                    seconds.div_euclid(86_400) as f64
                })),
                other => panic!("tickets_purchased has no record filter {other}"),
            }
        }
        (FunctionRecord::Email(_, e), "date") => FieldValue::instant(Some(e.at)),
        (FunctionRecord::Email(_, e), "activity_id") => text(e.activity_id.as_deref()),
        (FunctionRecord::Email(_, e), "bounce_type") => text(e.bounce_type.map(|b| b.as_str())),
        (FunctionRecord::Email(_, e), "machine_open") => {
            FieldValue::Text(e.machine_open.map(|m| m.to_string()))
        }
        (FunctionRecord::Storefront(_, e), "date") => FieldValue::instant(Some(e.at)),
        (FunctionRecord::Storefront(_, e), "id") => text(Some(&e.id)),
        (FunctionRecord::Custom(_, e), "date") => FieldValue::instant(Some(e.at)),
        (FunctionRecord::Custom(_, e), "name") => text(Some(&e.name)),
        (_, other) => panic!("no record filter {other} here"),
    }
}

/// The aggregates of the records that passed.
#[derive(Debug, Default)]
struct Tally {
    counted: BTreeSet<usize>,
    sum_quantity: f64,
    /// Ten-thousandths, summed exactly.
    sum_amount: i128,
    sum_value: f64,
}

impl Tally {
    fn add(&mut self, record: &FunctionRecord<'_>) {
        self.counted.insert(record.counted_unit());
        match record {
            FunctionRecord::ProductLine(_, _, l) => self.sum_quantity += l.quantity as f64,
            FunctionRecord::Order(_, o) => self.sum_amount += i128::from(o.total.units()),
            FunctionRecord::TicketLine(_, _, l) => {
                self.sum_quantity += l.quantity as f64;
                self.sum_amount += i128::from(l.quantity) * i128::from(l.price.units());
            }
            FunctionRecord::Custom(_, e) => {
                if let Some(flokk_model::PropertyValue::Number(v)) = e.properties.get("value") {
                    self.sum_value += v;
                }
            }
            FunctionRecord::Email(..) | FunctionRecord::Storefront(..) => {}
        }
    }

    fn measure(&self, name: &str) -> f64 {
        match name {
            "count" => self.counted.len() as f64,
            "sum_quantity" => self.sum_quantity,
            "sum_amount" => self.sum_amount as f64 / 10_000.0,
            "sum_value" => self.sum_value,
            other => panic!("no aggregate {other}"),
        }
    }
}

fn is_aggregate(p: &TypedParam) -> bool {
    matches!(&p.target, ParamTarget::Catalog(spec) if spec.role == ParamRole::Aggregate)
}

/// `function MATCHES (params)` for one customer (the positive form).
pub fn function_matches(
    store: &Store,
    customer: &StoreCustomer,
    function: &str,
    params: &[TypedParam],
    as_of: &AsOf,
) -> bool {
    match function {
        "customer_within_distance" => return within_distance(store, customer, params),
        "anniversary" => return anniversary_matches(customer, params, as_of),
        "subscriptions" => return subscriptions_match(customer, params, as_of),
        _ => {}
    }
    let mut tally = Tally::default();
    for record in records(customer, function, as_of) {
        let passes = params.iter().filter(|p| !is_aggregate(p)).all(|p| {
            param_holds(
                &record_field(store, &record, p, as_of),
                &p.param.predicate,
                as_of,
            )
        });
        if passes {
            tally.add(&record);
        }
    }
    let conditions: Vec<&TypedParam> = params.iter().filter(|p| is_aggregate(p)).collect();
    if conditions.is_empty() {
        return tally.measure("count") >= 1.0;
    }
    conditions.iter().all(|p| {
        let ParamTarget::Catalog(spec) = &p.target else {
            unreachable!()
        };
        param_holds(
            &FieldValue::Number(Some(tally.measure(spec.name))),
            &p.param.predicate,
            as_of,
        )
    })
}

/// `subscriptions MATCHES (plan, date, ends, count)`: the subscriptions
/// whose plan (any case), first day (`date`) and last day (`ends`, missing
/// when open-ended) pass, counted.
fn subscriptions_match(customer: &StoreCustomer, params: &[TypedParam], as_of: &AsOf) -> bool {
    let passing = customer
        .subscriptions
        .iter()
        .filter(|s| {
            params.iter().filter(|p| !is_aggregate(p)).all(|p| {
                let field = match p.param.name.text.as_str() {
                    "plan" => FieldValue::Folded(vec![s.plan.clone()]),
                    "date" => FieldValue::instant(Some(day_start(s.starts, as_of))),
                    "ends" => FieldValue::instant(s.ends.map(|d| day_start(d, as_of))),
                    other => panic!("subscriptions has no parameter {other}"),
                };
                param_holds(&field, &p.param.predicate, as_of)
            })
        })
        .count();
    let conditions: Vec<&TypedParam> = params.iter().filter(|p| is_aggregate(p)).collect();
    if conditions.is_empty() {
        return passing >= 1;
    }
    conditions.iter().all(|p| {
        param_holds(
            &FieldValue::Number(Some(passing as f64)),
            &p.param.predicate,
            as_of,
        )
    })
}

/// The text of a parameter given as `name = value` (coordinates, venue,
/// distance, attribute): those take `=` only.
pub fn equal_value<'p>(params: &'p [TypedParam], name: &str) -> Option<&'p flokk_lang::Value> {
    params
        .iter()
        .find(|p| p.param.name.text == name)
        .map(|p| match &p.param.predicate {
            flokk_lang::ParamPredicate::Compare { value, .. } => &value.value,
            other => panic!("{name} takes `=`, got {other:?}"),
        })
}
