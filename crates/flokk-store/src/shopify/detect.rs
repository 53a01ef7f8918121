//! Which Shopify export a header belongs to, and where its columns are.
//!
//! Columns are found by name (trimmed, any case), so their order does not
//! matter and unknown columns are ignored. Optional columns may be missing
//! altogether; their cells then read as empty.

use super::HeaderError;
use csv::StringRecord;
use std::collections::HashMap;
use std::fmt;

/// The Shopify CSV files flokk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShopifyFormat {
    /// Shopify's customers export (Customers → Export).
    Customers,
    /// Shopify's customer import template: the export without `Customer ID`,
    /// `Total Spent` and `Total Orders`.
    CustomerTemplate,
    /// Shopify's orders export: one row per line item.
    Orders,
}

impl fmt::Display for ShopifyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ShopifyFormat::Customers => "Shopify customers export",
            ShopifyFormat::CustomerTemplate => "Shopify customer import template",
            ShopifyFormat::Orders => "Shopify orders export",
        })
    }
}

/// Column names, in Shopify's spelling (also used in error messages).
pub(crate) mod col {
    pub const CUSTOMER_ID: &str = "Customer ID";
    pub const FIRST_NAME: &str = "First Name";
    pub const LAST_NAME: &str = "Last Name";
    pub const EMAIL: &str = "Email";
    pub const ACCEPTS_EMAIL: &str = "Accepts Email Marketing";
    pub const COMPANY: &str = "Default Address Company";
    pub const ADDRESS1: &str = "Default Address Address1";
    pub const ADDRESS2: &str = "Default Address Address2";
    pub const CITY: &str = "Default Address City";
    pub const PROVINCE_CODE: &str = "Default Address Province Code";
    pub const COUNTRY_CODE: &str = "Default Address Country Code";
    pub const ZIP: &str = "Default Address Zip";
    pub const ADDRESS_PHONE: &str = "Default Address Phone";
    pub const PHONE: &str = "Phone";
    pub const ACCEPTS_SMS: &str = "Accepts SMS Marketing";
    pub const TOTAL_SPENT: &str = "Total Spent";
    pub const TOTAL_ORDERS: &str = "Total Orders";
    pub const NOTE: &str = "Note";
    pub const TAX_EXEMPT: &str = "Tax Exempt";
    pub const TAGS: &str = "Tags";

    pub const NAME: &str = "Name";
    pub const ID: &str = "Id";
    pub const CREATED_AT: &str = "Created at";
    pub const TOTAL: &str = "Total";
    pub const REFUNDED: &str = "Refunded Amount";
    pub const CANCELLED_AT: &str = "Cancelled at";
    pub const SOURCE: &str = "Source";
    pub const LOCATION: &str = "Location";
    /// The code(s) the order used (comma-separated when several).
    pub const DISCOUNT_CODE: &str = "Discount Code";
    pub const LINE_QUANTITY: &str = "Lineitem quantity";
    pub const LINE_NAME: &str = "Lineitem name";
    pub const LINE_PRICE: &str = "Lineitem price";
    pub const LINE_SKU: &str = "Lineitem sku";
    pub const VENDOR: &str = "Vendor";
}

const CUSTOMER_COLUMNS: &[&str] = &[
    col::FIRST_NAME,
    col::LAST_NAME,
    col::EMAIL,
    col::ACCEPTS_EMAIL,
    col::COMPANY,
    col::ADDRESS1,
    col::ADDRESS2,
    col::CITY,
    col::PROVINCE_CODE,
    col::COUNTRY_CODE,
    col::ZIP,
    col::ADDRESS_PHONE,
    col::PHONE,
    col::ACCEPTS_SMS,
    col::NOTE,
    col::TAX_EXEMPT,
    col::TAGS,
];
const EXPORT_ONLY_COLUMNS: &[&str] = &[col::CUSTOMER_ID, col::TOTAL_SPENT, col::TOTAL_ORDERS];
const ORDER_COLUMNS: &[&str] = &[
    col::NAME,
    col::ID,
    col::EMAIL,
    col::CREATED_AT,
    col::TOTAL,
    col::REFUNDED,
    col::CANCELLED_AT,
    col::SOURCE,
    col::LOCATION,
    col::TAGS,
    col::DISCOUNT_CODE,
    col::LINE_QUANTITY,
    col::LINE_NAME,
    col::LINE_PRICE,
    col::LINE_SKU,
    col::VENDOR,
];

impl ShopifyFormat {
    /// Columns without which a file of this format cannot be read; the
    /// others may be missing (their cells read as empty).
    pub fn required_columns(self) -> &'static [&'static str] {
        match self {
            ShopifyFormat::Customers => &[col::CUSTOMER_ID, col::EMAIL],
            // The template has no id: it is derived from Email or Phone, so
            // at least Email must be there (Phone-only files are unlikely
            // and would hide a wrong header).
            ShopifyFormat::CustomerTemplate => &[col::EMAIL],
            ShopifyFormat::Orders => &[
                col::NAME,
                col::EMAIL,
                col::CREATED_AT,
                col::TOTAL,
                col::LINE_QUANTITY,
                col::LINE_NAME,
                col::LINE_PRICE,
            ],
        }
    }

    /// Columns this format reads (besides metafield columns).
    fn known_columns(self) -> Vec<&'static str> {
        match self {
            ShopifyFormat::Customers => CUSTOMER_COLUMNS
                .iter()
                .chain(EXPORT_ONLY_COLUMNS)
                .copied()
                .collect(),
            ShopifyFormat::CustomerTemplate => CUSTOMER_COLUMNS.to_vec(),
            ShopifyFormat::Orders => ORDER_COLUMNS.to_vec(),
        }
    }
}

fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The format a header most likely belongs to, judged by the columns that
/// only that format has; `None` if it looks like none of them. Required
/// columns are not checked here (see [`detect_format`]).
pub fn detect(header: &StringRecord) -> Option<ShopifyFormat> {
    let names: Vec<String> = header.iter().map(fold).collect();
    let has = |n: &str| names.iter().any(|h| *h == fold(n));
    if names.iter().any(|h| h.starts_with("lineitem ")) {
        Some(ShopifyFormat::Orders)
    } else if EXPORT_ONLY_COLUMNS.iter().any(|c| has(c)) {
        Some(ShopifyFormat::Customers)
    } else if names.iter().any(|h| h.starts_with("default address "))
        || has(col::ACCEPTS_EMAIL)
        || has(col::ACCEPTS_SMS)
    {
        Some(ShopifyFormat::CustomerTemplate)
    } else {
        None
    }
}

/// Detects the format and checks that its required columns are present.
pub fn detect_format(header: &StringRecord) -> Result<ShopifyFormat, HeaderError> {
    let format = detect(header).ok_or_else(|| HeaderError::UnknownFormat {
        header: header.iter().collect::<Vec<_>>().join(","),
    })?;
    Columns::new(header, format)?;
    Ok(format)
}

/// A `Label (customer.metafields.ns.key)` column.
#[derive(Debug, Clone)]
pub(crate) struct MetafieldColumn {
    pub index: usize,
    /// `ns.key`, the property name.
    pub key: String,
    /// The column name as written, for error messages.
    pub header: String,
}

/// Where each column of one file is.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    /// Keyed by the `col::` spelling, so lookups need no case folding.
    by_name: HashMap<&'static str, usize>,
    pub metafields: Vec<MetafieldColumn>,
}

impl Columns {
    /// Maps the header of a `format` file; fails on missing required or
    /// repeated columns.
    pub fn new(header: &StringRecord, format: ShopifyFormat) -> Result<Self, HeaderError> {
        let known = format.known_columns();
        let mut by_name = HashMap::new();
        let mut metafields: Vec<MetafieldColumn> = Vec::new();
        for (index, name) in header.iter().enumerate() {
            let folded = fold(name);
            if let Some(known) = known.iter().find(|k| fold(k) == folded) {
                if by_name.insert(*known, index).is_some() {
                    return Err(HeaderError::DuplicateColumn((*known).to_owned()));
                }
            } else if format != ShopifyFormat::Orders
                && let Some(key) = metafield_key(name)
            {
                if metafields.iter().any(|m| m.key == key) {
                    return Err(HeaderError::DuplicateColumn(name.trim().to_owned()));
                }
                metafields.push(MetafieldColumn {
                    index,
                    key,
                    header: name.trim().to_owned(),
                });
            }
        }
        let missing: Vec<String> = format
            .required_columns()
            .iter()
            .filter(|c| !by_name.contains_key(*c))
            .map(|c| (*c).to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(HeaderError::MissingColumns { format, missing });
        }
        Ok(Columns {
            by_name,
            metafields,
        })
    }

    /// Index of a column, if the file has it; `name` is a `col::` constant.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }
}

/// `Birthday (customer.metafields.facts.birth_date)` → `facts.birth_date`.
fn metafield_key(column: &str) -> Option<String> {
    let inner = column.trim().strip_suffix(')')?;
    let (_, path) = inner.rsplit_once('(')?;
    let key = path.trim().strip_prefix("customer.metafields.")?;
    let (ns, name) = key.split_once('.')?;
    (!ns.is_empty() && !name.is_empty() && !name.contains('.')).then(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(s: &str) -> StringRecord {
        StringRecord::from(s.split(',').collect::<Vec<_>>())
    }

    #[test]
    fn formats_are_told_apart() {
        assert_eq!(
            detect(&header("Customer ID,Email,Total Spent")),
            Some(ShopifyFormat::Customers)
        );
        assert_eq!(
            detect(&header("First Name,Email,Default Address City")),
            Some(ShopifyFormat::CustomerTemplate)
        );
        assert_eq!(
            detect(&header("Name,Email,Lineitem name")),
            Some(ShopifyFormat::Orders)
        );
        assert_eq!(detect(&header("id,email,name")), None);
    }

    #[test]
    fn metafield_columns() {
        assert_eq!(
            metafield_key("Birthday (customer.metafields.facts.birth_date)").as_deref(),
            Some("facts.birth_date")
        );
        assert_eq!(
            metafield_key("Birthday (product.metafields.facts.birth_date)"),
            None
        );
        assert_eq!(metafield_key("Note (customer.metafields.nokey)"), None);
        assert_eq!(metafield_key("Tags"), None);
    }

    #[test]
    fn missing_and_duplicate_columns() {
        let err =
            Columns::new(&header("Customer ID,First Name"), ShopifyFormat::Customers).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: the Shopify customers export file lacks the required column(s) 'Email'"
        );
        let err = Columns::new(
            &header("Customer ID,Email, email "),
            ShopifyFormat::Customers,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: the column 'Email' appears more than once"
        );
    }
}
