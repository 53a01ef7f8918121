//! Applying waiting Shopify webhook deliveries to the store.
//!
//! Each delivery is applied in one writer transaction that also marks it
//! applied, with what it did (`applied`, `stale: ...`, `skipped: ...`,
//! `rejected: ...`), so a delivery is applied once or not at all.
//!
//! Decisions:
//! - **Order of deliveries**: Shopify does not promise it. Customers,
//!   orders and checkouts carry `updated_at`; a delivery older than the
//!   newest one applied for the same entity is `stale` and changes nothing
//!   (an equal one is applied again: same data). A deleted customer stays
//!   deleted: later updates and orders naming it are skipped.
//! - **Customers** are replaced in what Shopify says about them, and keep
//!   what other sources gave them: properties the payload does not set,
//!   title, gender, birth date, language, permissions, companies, product
//!   subscription and the creating app (a Shopify customer payload has none
//!   of these).
//! - **Orders** name their customer by `customer.id`; without a customer
//!   object, by email as the CSV import does ([`super::import_row`]);
//!   without either, the order is nobody's and skipped.
//! - **Refunds** are kept per order; an order's refunded amount is the sum
//!   of every refund seen, so `refunds/create` before or after the order
//!   gives the same amount.

use super::webhook_payload::{Payload, PayloadError, Topic, Unsent, decode};
use crate::error::StoreError;
use crate::inbound::{DELETED_VERSION, Delivery};
use crate::schema::time::to_nanos;
use crate::store::Store;
use crate::writer::{ApplyError, Writer};
use flokk_model::{Checkout, Customer, Delete, Entity, Money, Record, Timestamp};

/// The `source` of Shopify deliveries in the inbound table.
pub const SHOPIFY_SOURCE: &str = "shopify";

/// What applying some deliveries did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AppliedDeliveries {
    /// How many were applied (whatever their outcome).
    pub count: usize,
    /// The store's change sequence before and after.
    pub changes: (u64, u64),
}

/// Applies every waiting Shopify delivery, oldest first.
pub fn apply_waiting_shopify(
    store: &Store,
    now: Timestamp,
) -> Result<AppliedDeliveries, StoreError> {
    let before = store.sequence()?;
    let mut count = 0;
    loop {
        let waiting = store.waiting_deliveries(SHOPIFY_SOURCE, 100)?;
        if waiting.is_empty() {
            break;
        }
        for delivery in &waiting {
            apply_delivery(store, delivery, now)?;
            count += 1;
        }
    }
    Ok(AppliedDeliveries {
        count,
        changes: (before, store.sequence()?),
    })
}

fn apply_delivery(store: &Store, delivery: &Delivery, now: Timestamp) -> Result<(), StoreError> {
    let payload = Topic::parse(&delivery.topic)
        .ok_or_else(|| PayloadError {
            field: "X-Shopify-Topic".into(),
            reason: format!("flokk does not take the topic {:?}", delivery.topic),
        })
        .and_then(|topic| decode(topic, &delivery.body));
    let mut w = store.writer()?;
    let outcome = match payload {
        Err(e) => format!("rejected: {e}"),
        Ok(payload) => match apply_payload(&mut w, payload) {
            Ok(outcome) => outcome,
            Err(ApplyError::Store(e)) => return Err(e),
            Err(ApplyError::Invalid { field, reason }) => {
                // Nothing of a refused delivery is written, only the mark.
                drop(w);
                w = store.writer()?;
                format!("rejected: {field}: {reason}")
            }
        },
    };
    w.mark_delivery(delivery.seq, &outcome, now)?;
    w.commit()?;
    Ok(())
}

/// Whether a delivery at `updated_at` is older than what was applied for
/// the entity; notes it as the newest otherwise.
fn is_stale(
    w: &mut Writer<'_>,
    entity: &str,
    id: &str,
    updated_at: Option<Timestamp>,
) -> Result<Option<String>, StoreError> {
    let known = w.source_version(SHOPIFY_SOURCE, entity, id)?;
    if known == Some(DELETED_VERSION) {
        return Ok(Some(format!("skipped: {entity} {id} was deleted")));
    }
    // Without updated_at (not in Shopify's payloads, but possible from
    // other senders) the delivery counts as the newest.
    let version = updated_at.and_then(to_nanos).unwrap_or(i64::MAX - 1);
    if known.is_some_and(|k| k > version) {
        return Ok(Some(format!(
            "stale: {entity} {id} is newer in flokk than this delivery"
        )));
    }
    w.set_source_version(SHOPIFY_SOURCE, entity, id, version)?;
    Ok(None)
}

fn applied() -> String {
    "applied".to_owned()
}

fn apply_payload(w: &mut Writer<'_>, payload: Payload) -> Result<String, ApplyError> {
    match payload {
        Payload::Customer {
            customer,
            updated_at,
            unsent,
        } => {
            if let Some(skip) = is_stale(w, "customer", &customer.id, updated_at)? {
                return Ok(skip);
            }
            let stored = w.stored_customer(&customer.id)?;
            w.apply(&Record::Customer(merged(customer, stored, unsent)))?;
            Ok(applied())
        }
        Payload::CustomerDeleted { id } => {
            w.set_source_version(SHOPIFY_SOURCE, "customer", &id, DELETED_VERSION)?;
            w.apply(&Record::Delete(Delete {
                entity: Entity::Customer,
                id,
            }))?;
            Ok(applied())
        }
        Payload::Order {
            mut order,
            customer_id,
            email,
            updated_at,
            refunds,
            checkout_id,
        } => {
            let customer = match (customer_id, email) {
                (Some(id), _) => id,
                (None, Some(email)) => {
                    let email = email.trim().to_lowercase();
                    w.customer_id_by_email(&email)?.unwrap_or(email)
                }
                (None, None) => {
                    return Ok(format!(
                        "skipped: order {} has neither a customer nor an email",
                        order.id
                    ));
                }
            };
            if w.source_version(SHOPIFY_SOURCE, "customer", &customer)? == Some(DELETED_VERSION) {
                return Ok(format!("skipped: customer {customer} was deleted"));
            }
            if let Some(skip) = is_stale(w, "order", &order.id, updated_at)? {
                return Ok(skip);
            }
            order.customer_id = customer;
            for (refund_id, amount) in &refunds {
                w.note_shopify_refund(&order.id, refund_id, amount)?;
            }
            order.refunded = refunded(w, &order.id)?.unwrap_or(order.refunded);
            w.apply(&Record::Order(order))?;
            if let Some(checkout) = checkout_id {
                w.apply(&Record::Delete(Delete {
                    entity: Entity::Checkout,
                    id: checkout,
                }))?;
            }
            Ok(applied())
        }
        Payload::Refund {
            id,
            order_id,
            amount,
        } => {
            w.note_shopify_refund(&order_id, &id, &amount)?;
            let Some(mut order) = w.stored_order(&order_id)? else {
                return Ok(format!(
                    "applied: kept for order {order_id}, which flokk does not have yet"
                ));
            };
            order.refunded = refunded(w, &order_id)?.unwrap_or(order.refunded);
            w.apply(&Record::Order(order))?;
            Ok(applied())
        }
        Payload::Checkout {
            id,
            customer_id,
            email,
            updated_at,
            completed,
            total,
        } => {
            if let Some(skip) = is_stale(w, "checkout", &id, Some(updated_at))? {
                return Ok(skip);
            }
            if completed {
                w.apply(&Record::Delete(Delete {
                    entity: Entity::Checkout,
                    id,
                }))?;
                return Ok("applied: completed, no longer abandoned".into());
            }
            let customer = match (customer_id, email) {
                (Some(id), _) => id,
                (None, Some(email)) => {
                    let email = email.trim().to_lowercase();
                    w.customer_id_by_email(&email)?.unwrap_or(email)
                }
                (None, None) => {
                    return Ok(format!(
                        "skipped: checkout {id} has neither a customer nor an email"
                    ));
                }
            };
            w.apply(&Record::Checkout(Checkout {
                id,
                customer_id: customer,
                abandoned_at: updated_at,
                total,
            }))?;
            Ok(applied())
        }
    }
}

/// The sum of every refund seen for `order_id` (`None`: none seen).
fn refunded(w: &Writer<'_>, order_id: &str) -> Result<Option<Money>, StoreError> {
    let amounts = w.shopify_refunds(order_id)?;
    if amounts.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        amounts
            .iter()
            .map(|a| super::cells::money(a).unwrap_or(Money::ZERO))
            .fold(Money::ZERO, Money::saturating_add),
    ))
}

/// The customer from Shopify, keeping what only other sources give and
/// what this payload did not carry (`unsent`).
fn merged(mut from_shopify: Customer, stored: Option<Customer>, unsent: Unsent) -> Customer {
    let Some(stored) = stored else {
        return from_shopify;
    };
    if unsent.tags {
        from_shopify.tags = stored.tags.clone();
    }
    if unsent.email_consent {
        from_shopify.email_subscription = stored.email_subscription;
    }
    if unsent.sms_consent {
        from_shopify.sms_subscription = stored.sms_subscription;
    }
    for (key, value) in stored.properties {
        from_shopify.properties.entry(key).or_insert(value);
    }
    let c = &mut from_shopify;
    c.title = c.title.take().or(stored.title);
    c.gender = c.gender.or(stored.gender);
    c.birth_date = c.birth_date.or(stored.birth_date);
    c.language = c.language.take().or(stored.language);
    c.product_subscription = c.product_subscription.or(stored.product_subscription);
    c.created_by_app_id = c.created_by_app_id.take().or(stored.created_by_app_id);
    if c.permissions.is_empty() {
        c.permissions = stored.permissions;
    }
    if c.companies.is_empty() {
        c.companies = stored.companies;
    }
    from_shopify
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_other_sources_fields() {
        let mut stored = Customer {
            id: "1".into(),
            language: Some("nb".into()),
            first_name: Some("Old".into()),
            ..Customer::default()
        };
        stored.properties.insert(
            "custom.plan".into(),
            flokk_model::PropertyValue::String("gold".into()),
        );
        let new = Customer {
            id: "1".into(),
            first_name: Some("New".into()),
            ..Customer::default()
        };
        let m = merged(new, Some(stored), Unsent::default());
        assert_eq!(m.first_name.as_deref(), Some("New"));
        assert_eq!(m.language.as_deref(), Some("nb"));
        assert!(m.properties.contains_key("custom.plan"));
    }
}
