//! Rows of the orders export → orders.
//!
//! Shopify writes one row per line item. The rows of one order follow each
//! other and share the `Name` (`#1001`); the order-level columns (`Created
//! at`, `Total`, `Cancelled at`, …) are filled on the order's first row
//! only, later rows carry the line item columns. An order is therefore
//! assembled from a run of rows with the same `Name`, and any bad row
//! rejects the whole order: a half order would misstate totals and
//! products bought.

use super::cells::{count, id, money, strip_apostrophe, tags, timestamp};
use super::detect::col;
use super::row::Row;
use super::{RowError, ShopifyRecord};
use flokk_model::{Channel, Order, OrderLine, Timestamp};

/// The `Name` of an order row, which groups the rows of one order.
pub(crate) fn order_name(row: &Row) -> Result<String, RowError> {
    row.get(col::NAME)
        .map(str::to_owned)
        .ok_or_else(|| row.error(col::NAME, "the order name (like #1001) is empty"))
}

/// An order being assembled from consecutive rows with the same `Name`.
#[derive(Debug)]
pub(crate) struct OrderGroup {
    /// The shared `Name`.
    pub name: String,
    /// Line of the order's first row.
    pub line: u64,
    /// The `Id` of the first row, if any.
    id: Option<String>,
    /// The order so far with its email, or the first problem found.
    result: Result<(Order, Option<String>), RowError>,
    /// The raw text of every row so far, one per line.
    raw: Vec<u8>,
}

impl OrderGroup {
    /// Starts an order with its first row.
    pub fn start(row: &Row, name: String, raw: &[u8]) -> Self {
        let result = order_fields(row).and_then(|(mut order, email)| {
            order.lines.push(line_item(row)?);
            Ok((order, email))
        });
        OrderGroup {
            name,
            line: row.line,
            id: id_cell(row),
            result,
            raw: raw.to_vec(),
        }
    }

    /// Starts an order whose first row is already known to be bad.
    pub fn failed(name: String, error: RowError) -> Self {
        let raw = error.raw.clone().into_bytes();
        OrderGroup {
            name,
            line: error.line,
            id: None,
            result: Err(error),
            raw,
        }
    }

    /// Whether `row` (with the same `Name`) belongs to this order. Shopify
    /// lets two orders share a name; where both rows carry an `Id`, a
    /// different one starts a new order.
    pub fn continues_with(&self, row: &Row) -> bool {
        match (&self.id, id_cell(row)) {
            (Some(mine), Some(theirs)) => *mine == theirs,
            _ => true,
        }
    }

    /// Adds a further line item row.
    pub fn add(&mut self, row: &Row, raw: &[u8]) {
        self.push_raw(raw);
        let Ok((order, email)) = &mut self.result else {
            return;
        };
        // Shopify repeats the email on every row; should the first row lack
        // it, a later one still links the order to its customer.
        if email.is_none() {
            *email = row.get(col::EMAIL).map(str::to_owned);
        }
        match line_item(row) {
            Ok(line) => order.lines.push(line),
            Err(e) => self.result = Err(e),
        }
    }

    /// Adds a row of this order that could not be decoded.
    pub fn add_failed(&mut self, error: RowError) {
        self.push_raw(error.raw.as_bytes());
        if self.result.is_ok() {
            self.result = Err(error);
        }
    }

    fn push_raw(&mut self, raw: &[u8]) {
        if !self.raw.is_empty() {
            self.raw.push(b'\n');
        }
        self.raw.extend_from_slice(raw);
    }

    /// The finished order, or the error with every row of the order as raw text.
    pub fn finish(self) -> Result<ShopifyRecord, RowError> {
        let raw = String::from_utf8_lossy(&self.raw).into_owned();
        match self.result {
            Ok((order, email)) => Ok(ShopifyRecord::Order { order, email }),
            Err(mut e) => {
                e.raw = raw;
                Err(e)
            }
        }
    }
}

/// The `Id` cell of a row, without a protecting apostrophe (unchecked: only
/// compared; `order_fields` checks it).
fn id_cell(row: &Row) -> Option<String> {
    row.get(col::ID)
        .map(strip_apostrophe)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// The order-level columns of an order's first row. The order id is `Id`
/// (Shopify's numeric order id) when the file has it, else the `Name`.
fn order_fields(row: &Row) -> Result<(Order, Option<String>), RowError> {
    let first_row_only = |name: &str| {
        row.error(
            name,
            format!(
                "'{name}' is empty on the order's first row (Shopify fills the order columns \
                 on the first row of each order)"
            ),
        )
    };
    let placed_at: Timestamp = row
        .parse(col::CREATED_AT, timestamp)?
        .ok_or_else(|| first_row_only(col::CREATED_AT))?;
    let total = row
        .parse(col::TOTAL, money)?
        .ok_or_else(|| first_row_only(col::TOTAL))?;
    let refunded = row.parse(col::REFUNDED, money)?.unwrap_or_default();
    // Only whether it was cancelled matters, but a garbled time is still
    // a sign of a damaged row, so it is checked.
    let cancelled = row.parse(col::CANCELLED_AT, timestamp)?.is_some();
    let source = row.get(col::SOURCE);
    let id = match row.parse(col::ID, id)?.filter(|id| !id.is_empty()) {
        Some(id) => id,
        None => order_name(row)?,
    };
    let order = Order {
        id,
        // The export has no customer id; the importer resolves the email.
        customer_id: String::new(),
        placed_at,
        total,
        refunded,
        cancelled,
        channel: source.and_then(channel),
        location_id: row.get(col::LOCATION).map(str::to_owned),
        app_id: source.map(str::to_owned),
        tags: row.get(col::TAGS).map(tags).unwrap_or_default(),
        discount_codes: row.get(col::DISCOUNT_CODE).map(tags).unwrap_or_default(),
        lines: Vec::new(),
    };
    Ok((order, row.get(col::EMAIL).map(str::to_owned)))
}

/// Shopify's `Source` as a flokk channel: `web` → online, `pos` → pos,
/// `iphone`/`android` → app; draft orders, other apps' ids and anything
/// else have no channel (the raw source is kept as `app_id`).
pub(crate) fn channel(source: &str) -> Option<Channel> {
    match source.to_ascii_lowercase().as_str() {
        "web" => Some(Channel::Online),
        "pos" => Some(Channel::Pos),
        "iphone" | "android" => Some(Channel::App),
        _ => None,
    }
}

/// The line item columns of a row. The export has no product id, so the
/// SKU stands in for it, else the line item name.
fn line_item(row: &Row) -> Result<OrderLine, RowError> {
    let title = row.get(col::LINE_NAME).map(str::to_owned);
    let sku = row.get(col::LINE_SKU).map(str::to_owned);
    let product_id = sku.clone().or_else(|| title.clone()).ok_or_else(|| {
        row.error(
            col::LINE_NAME,
            "the line item has neither a name nor a SKU to identify the product",
        )
    })?;
    let quantity = row
        .parse(col::LINE_QUANTITY, count)?
        .ok_or_else(|| row.error(col::LINE_QUANTITY, "the line item quantity is empty"))?;
    let price = row
        .parse(col::LINE_PRICE, money)?
        .ok_or_else(|| row.error(col::LINE_PRICE, "the line item price is empty"))?;
    Ok(OrderLine {
        product_id: Some(product_id),
        title,
        vendor: row.get(col::VENDOR).map(str::to_owned),
        sku,
        quantity,
        price,
        ..OrderLine::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_map_to_channels() {
        assert_eq!(channel("web"), Some(Channel::Online));
        assert_eq!(channel("POS"), Some(Channel::Pos));
        assert_eq!(channel("iphone"), Some(Channel::App));
        assert_eq!(channel("android"), Some(Channel::App));
        assert_eq!(channel("shopify_draft_order"), None);
        assert_eq!(channel("580111"), None);
    }
}
