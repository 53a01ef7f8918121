//! How Shopify rows become store records.
//!
//! Decision: the orders export names customers only by email. An order's
//! customer is the stored customer with that email (compared
//! case-insensitively); without one, the customer id is the email
//! lower-cased, the same id the import template gives that person, so
//! importing the template after the orders fills in the same customer. An
//! order without an email (a walk-in POS sale) belongs to no customer and
//! is skipped: segments are about customers.

use super::ShopifyRecord;
use crate::import::ImportRow;
use crate::writer::{ApplyError, Writer};
use flokk_model::Record;

impl ImportRow for ShopifyRecord {
    fn into_record(self, writer: &Writer<'_>) -> Result<Option<Record>, ApplyError> {
        match self {
            ShopifyRecord::Customer(c) => Ok(Some(Record::Customer(c))),
            ShopifyRecord::Order { email: None, .. } => Ok(None),
            ShopifyRecord::Order {
                mut order,
                email: Some(email),
            } => {
                let email = email.trim().to_lowercase();
                order.customer_id = match writer.customer_id_by_email(&email)? {
                    Some(id) => id,
                    None => email,
                };
                Ok(Some(Record::Order(order)))
            }
        }
    }
}

/// Adapts a [`super::ShopifyReader`] to the rows [`crate::import_rows`]
/// takes: each record with its line, bad rows as rejected rows.
pub struct ShopifyRows<R>(pub super::ShopifyReader<R>);

impl<R: std::io::Read> Iterator for ShopifyRows<R> {
    type Item = std::io::Result<
        Result<crate::import::LocatedRow<ShopifyRecord>, crate::import::RejectedRow>,
    >;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.0.next()?;
        let line = self.0.line();
        Some(match item {
            Ok(record) => Ok(Ok((line, record))),
            Err(super::ReadError::Io(e)) => Err(e),
            Err(super::ReadError::Row(e)) => Ok(Err(crate::import::RejectedRow {
                line: e.line,
                field: e.field,
                reason: e.reason,
                raw: e.raw,
            })),
        })
    }
}
