//! Readers for Shopify's own CSV files (`shared/spec/data.md` §2): the
//! customers export, the customer import template and the orders export.
//!
//! Layer 6, the top: a reader whose rows go through `import` (orders name
//! their customer by email, resolved with the `writer`). May use every
//! layer below; nothing in the store uses it.
//!
//! [`ShopifyReader`] streams over any `impl Read`, works out the format
//! from the header ([`detect_format`]) and yields [`ShopifyRecord`]s in the
//! shapes of the NDJSON records (data.md §1). Bad rows come back as
//! [`RowError`]s with their line, column, reason and raw text, and reading
//! goes on, so the importer can choose between all-or-nothing and
//! `--skip-invalid` with a reject file.
//!
//! # Reading the files
//!
//! - **Header**: a UTF-8 BOM is skipped; column names are matched trimmed and
//!   in any case, in any order; unknown columns are ignored; missing optional
//!   columns read as empty. Missing required columns
//!   ([`ShopifyFormat::required_columns`]) or a repeated column fail the file.
//! - **Rows**: CRLF, LF or CR line ends; quoted cells may hold commas, quotes
//!   and line breaks. Lines are physical lines, header = 1. A row with fewer
//!   cells than the header, with content beyond the header's columns, with
//!   invalid UTF-8, or with a quote never closed is a [`RowError`]. Rows
//!   whose cells are all empty are skipped silently (spreadsheets leave them).
//! - **Empty cells** are absent values, never errors (except where a value is
//!   required, listed below).
//! - **Errors**: [`ShopifyReader`] yields [`ReadError`]: `Row` for a bad row
//!   or order (reading goes on), `Io` when the input fails (reading ends; an
//!   order cut short is dropped, not returned). A reject file is
//!   [`ShopifyReader::header_text`] followed by each `RowError::raw`.
//! - **Memory**: one row at a time (one order for the orders export) plus
//!   the CSV read-ahead buffer, however large the file.
//!
//! # Decisions
//!
//! - **Customer ids**: the export's `Customer ID`, without the leading `'`
//!   Shopify adds to keep spreadsheets from rounding it. Required. An id a
//!   spreadsheet already rounded (`5.01235E+12`) is an error, not a guess;
//!   the same holds for the orders export's `Id`.
//! - **Template ids**: the import template has no id, so the email
//!   lower-cased is the id, else the `Phone` as written; a row with neither
//!   is an error. Importing the export later gives the same people numeric
//!   ids, i.e. new customers: use one file kind per shop.
//! - **`yes`/`no`** (`true`/`false` too, any case): `Accepts Email Marketing`
//!   and `Accepts SMS Marketing` become `SUBSCRIBED` / `NOT_SUBSCRIBED`; empty
//!   leaves the status unknown (`None`), as the file says nothing. `Tax
//!   Exempt` empty means not exempt. Anything else is an error.
//! - **Addresses**: the `Default Address …` columns make one address with
//!   `default: true` (none if all are empty). `Province Code` `MA` with country
//!   `US` is stored as the ISO 3166-2 code `US-MA`; the country is upper-cased.
//!   Zip and phone lose a leading `'` like ids. `Phone` is the customer's
//!   phone, `Default Address Phone` the address's; neither fills in for the other.
//! - **Tags**: the one `Tags` cell is split at commas, trimmed, empty tags
//!   dropped and case-insensitive repeats removed (first spelling kept).
//! - **Metafields**: `Label (customer.metafields.ns.key)` columns become the
//!   property `ns.key`, typed: `YYYY-MM-DD` → Date, plain decimal → Number
//!   (but not codes with a leading zero like `0047`), `true`/`false` →
//!   Boolean, a JSON list of strings → List, else String.
//! - **`Total Spent` / `Total Orders`** are figures Shopify derives from
//!   orders flokk does not have. No orders are invented from them (that
//!   would double count once the orders export is imported); they are kept as
//!   the Number properties `shopify.total_spent` and `shopify.total_orders`
//!   (`metafields.shopify.total_spent` in segments), so nothing is lost.
//! - **Notes** keep their line breaks, as `\n`.
//! - **Orders**: rows are grouped while the `Name` stays the same (and,
//!   where both rows have an `Id`, the `Id` too: Shopify allows two orders
//!   one name); the order-level columns are read from the first row of each
//!   run (Shopify leaves them empty on later rows), line item columns from
//!   every row, the `Email` from the first row that has one. An order whose
//!   rows are not next to each other becomes two orders with the same id,
//!   the later replacing the earlier on import. One bad row rejects the whole
//!   order, and the error's `raw` holds all its rows.
//! - **Order ids**: the `Id` column (Shopify's numeric id) when present, else
//!   the `Name` (`#1001`).
//! - **Order customer**: the export has no customer id, so
//!   `order.customer_id` is left empty and the `Email` is returned beside the
//!   order for the importer to resolve (compare it case-insensitively).
//! - **Order fields**: `placed_at` from `Created at` (`2024-03-01 12:30:45
//!   +0100`, the offset kept, so the instant is exact; RFC 3339 is accepted
//!   too), `total` from `Total` (both required), `refunded` from `Refunded
//!   Amount` (empty = 0), `cancelled` when `Cancelled at` is not empty (it must
//!   still be a valid time), `location_id` from `Location`, order `Tags`.
//!   Amounts are plain decimals (`49.95`) and never negative. The currency
//!   column is ignored: amounts are taken to be in the store currency.
//! - **Channels**: `Source` is kept as `app_id`; `web` → `online`, `pos` →
//!   `pos`, `iphone`/`android` → `app`, anything else (`shopify_draft_order`,
//!   other apps' ids) → no channel.
//! - **Product ids**: the export has no product id, so a line's `product_id`
//!   is its `Lineitem sku`, else its `Lineitem name` (one of them is
//!   required); `title` is the name, `vendor` the `Vendor`.

mod cells;
mod customers;
mod detect;
mod error;
mod import_row;
mod orders;
mod raw_rows;
mod reader;
mod record;
mod row;
mod webhook_apply;
mod webhook_payload;

pub use customers::{TOTAL_ORDERS_PROPERTY, TOTAL_SPENT_PROPERTY};
pub use detect::{ShopifyFormat, detect, detect_format};
pub use error::{HeaderError, ReadError, RowError};
pub use import_row::ShopifyRows;
pub use reader::ShopifyReader;
pub use record::ShopifyRecord;
pub use webhook_apply::{AppliedDeliveries, SHOPIFY_SOURCE, apply_waiting_shopify};
pub use webhook_payload::{
    CUSTOMER_FIELDS, ORDER_FIELDS, Payload, PayloadError, Topic, Unsent, decode as decode_payload,
};
