//! What the Shopify readers produce.

use flokk_model::{Customer, Order};

/// One record read from a Shopify CSV file.
#[derive(Debug, Clone, PartialEq)]
pub enum ShopifyRecord {
    /// A customer (customers export or import template).
    Customer(Customer),
    /// An order (orders export). `order.customer_id` is empty: the export
    /// has no customer id, so the importer resolves `email` to a customer
    /// (or creates a stub); `email` is `None` for orders without one
    /// (typically walk-in POS sales).
    Order {
        /// The order with its lines.
        order: Order,
        /// The `Email` of the order's first row, as written.
        email: Option<String>,
    },
}
