//! Orders and their lines (product lines and ticket lines).

use crate::amount::check_money;
use crate::id::{id, opt_id};
use crate::list_limits::{MAX_LIST_ITEMS, MAX_ORDER_LINES, check_len};
use crate::{Money, RecordError, Timestamp};
use serde::{Deserialize, Serialize};

/// Where an order was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Web shop.
    Online,
    /// Ticket office.
    BoxOffice,
    /// Point of sale in a shop.
    Pos,
    /// Mobile app.
    App,
}

impl Channel {
    /// Every channel.
    pub const ALL: &'static [Channel] = &[
        Channel::Online,
        Channel::BoxOffice,
        Channel::Pos,
        Channel::App,
    ];

    /// The wire spelling (`box_office`).
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::BoxOffice => "box_office",
            Channel::Pos => "pos",
            Channel::App => "app",
        }
    }

    /// Reads the wire spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

/// One line of an order: a product line (`product_id`) or a ticket line
/// (`performance_id`), never both.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderLine {
    /// The product bought (product lines).
    #[serde(
        default,
        deserialize_with = "opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub product_id: Option<String>,
    /// The performance the tickets are for (ticket lines).
    #[serde(
        default,
        deserialize_with = "opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub performance_id: Option<String>,
    /// Product or ticket title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Product tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Product category (`Apparel > Shorts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Product vendor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// Stock keeping unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// Units (tickets) on the line.
    #[serde(default = "one")]
    pub quantity: i64,
    /// Unit price.
    #[serde(default)]
    pub price: Money,
}

fn one() -> i64 {
    1
}

/// An order (data.md §1).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// Order id.
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// The customer who placed it.
    #[serde(deserialize_with = "id")]
    pub customer_id: String,
    /// When it was placed.
    #[serde(deserialize_with = "crate::instant::instant")]
    pub placed_at: Timestamp,
    /// Order total as placed, store currency.
    #[serde(default)]
    pub total: Money,
    /// Amount refunded so far.
    #[serde(default)]
    pub refunded: Money,
    /// Cancelled orders count nowhere.
    #[serde(default)]
    pub cancelled: bool,
    /// Sales channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Shop location.
    #[serde(
        default,
        deserialize_with = "opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub location_id: Option<String>,
    /// The app the order came through.
    #[serde(
        default,
        deserialize_with = "opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub app_id: Option<String>,
    /// Order tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Discount codes the order used (data.md §1.1; the Shopify orders
    /// export's `Discount Code`), as written: they compare ignoring case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discount_codes: Vec<String>,
    /// Lines.
    #[serde(default)]
    pub lines: Vec<OrderLine>,
}

impl Order {
    /// Checks the rules an order can check by itself.
    pub fn validate(&self) -> Result<(), RecordError> {
        check_len("tags", self.tags.len(), MAX_LIST_ITEMS)?;
        check_len("discount_codes", self.discount_codes.len(), MAX_LIST_ITEMS)?;
        check_len("lines", self.lines.len(), MAX_ORDER_LINES)?;
        for (name, v) in [("total", self.total), ("refunded", self.refunded)] {
            check_money(name, v, false)?;
        }
        for (i, line) in self.lines.iter().enumerate() {
            match (&line.product_id, &line.performance_id) {
                (Some(_), Some(_)) => {
                    return Err(RecordError::invalid(
                        format!("lines[{i}]"),
                        "a line has either product_id or performance_id, not both",
                    ));
                }
                (None, None) => {
                    return Err(RecordError::invalid(
                        format!("lines[{i}]"),
                        "a line needs product_id (product line) or performance_id (ticket line)",
                    ));
                }
                _ => {}
            }
            if line.quantity < 0 {
                return Err(RecordError::invalid(
                    format!("lines[{i}].quantity"),
                    "quantity may not be negative",
                ));
            }
            check_money(format!("lines[{i}].price"), line.price, true)?;
            check_len(&format!("lines[{i}].tags"), line.tags.len(), MAX_LIST_ITEMS)?;
        }
        Ok(())
    }
}
