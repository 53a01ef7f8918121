//! A row of the customers export or the import template → `Customer`.

use super::cells::{count, id, money, property_value, strip_apostrophe, tags, yes_no};
use super::detect::col;
use super::row::Row;
use super::{RowError, ShopifyFormat};
use flokk_model::{Address, Customer, PropertyValue, RecordError, SubscriptionStatus};

/// Property holding the export's `Total Spent` (see the module docs).
pub const TOTAL_SPENT_PROPERTY: &str = "shopify.total_spent";
/// Property holding the export's `Total Orders` (see the module docs).
pub const TOTAL_ORDERS_PROPERTY: &str = "shopify.total_orders";

/// Reads one customer row of a `format` file (`Customers` or `CustomerTemplate`).
pub(crate) fn read_customer(row: &Row, format: ShopifyFormat) -> Result<Customer, RowError> {
    let email = row.get(col::EMAIL).map(str::to_owned);
    let phone = row
        .get(col::PHONE)
        .map(|p| strip_apostrophe(p).to_owned())
        .filter(|p| !p.is_empty());
    let id = match format {
        ShopifyFormat::CustomerTemplate => template_id(email.as_deref(), phone.as_deref())
            .ok_or_else(|| {
                row.error(
                    col::EMAIL,
                    "the row has neither Email nor Phone, so no customer id can be derived",
                )
            })?,
        _ => row
            .parse(col::CUSTOMER_ID, id)?
            .filter(|id| !id.is_empty())
            .ok_or_else(|| row.error(col::CUSTOMER_ID, "the customer id is empty"))?,
    };

    let mut customer = Customer {
        id,
        email,
        phone,
        first_name: row.get(col::FIRST_NAME).map(str::to_owned),
        last_name: row.get(col::LAST_NAME).map(str::to_owned),
        email_subscription: row.parse(col::ACCEPTS_EMAIL, subscription)?,
        sms_subscription: row.parse(col::ACCEPTS_SMS, subscription)?,
        // Line breaks inside a quoted note follow the file's line ends;
        // store them as `\n` whatever the file used.
        note: row.get(col::NOTE).map(|n| n.replace("\r\n", "\n")),
        tax_exempt: row.parse(col::TAX_EXEMPT, yes_no)?.unwrap_or(false),
        tags: row.get(col::TAGS).map(tags).unwrap_or_default(),
        addresses: default_address(row).into_iter().collect(),
        ..Customer::default()
    };

    if format == ShopifyFormat::Customers {
        if let Some(spent) = row.parse(col::TOTAL_SPENT, money)? {
            customer.properties.insert(
                TOTAL_SPENT_PROPERTY.into(),
                PropertyValue::Number(spent.to_f64()),
            );
        }
        let orders = row.parse(col::TOTAL_ORDERS, count)?;
        if let Some(orders) = orders {
            customer.properties.insert(
                TOTAL_ORDERS_PROPERTY.into(),
                PropertyValue::Number(orders as f64),
            );
        }
    }
    for m in &row.columns().metafields {
        if let Some(value) = row.at(m.index) {
            customer
                .properties
                .insert(m.key.clone(), property_value(value));
        }
    }

    customer.validate().map_err(|e| validation_error(row, e))?;
    Ok(customer)
}

/// The id of a template row: the email lower-cased, else the phone as
/// written. Lower-casing makes `Ann@x.no` and `ann@x.no` one customer, as
/// Shopify treats them.
fn template_id(email: Option<&str>, phone: Option<&str>) -> Option<String> {
    email
        .map(str::to_lowercase)
        .or_else(|| phone.map(str::to_owned))
}

/// `yes` → subscribed, `no` → not subscribed. The export cannot tell
/// "never asked" from "unsubscribed", so `no` is the weaker claim.
fn subscription(cell: &str) -> Result<SubscriptionStatus, String> {
    Ok(if yes_no(cell)? {
        SubscriptionStatus::Subscribed
    } else {
        SubscriptionStatus::NotSubscribed
    })
}

/// The `Default Address …` columns as one default address, `None` when all
/// are empty.
fn default_address(row: &Row) -> Option<Address> {
    let text = |name: &str| row.get(name).map(str::to_owned);
    let country = row.get(col::COUNTRY_CODE).map(str::to_uppercase);
    // Shopify writes the province code without its country (`MA`); flokk
    // stores the whole ISO 3166-2 code (`US-MA`). Without a country the bare
    // code is kept, as nothing better is known.
    let region = row.get(col::PROVINCE_CODE).map(|p| {
        let p = p.to_uppercase();
        match &country {
            Some(c) if !p.contains('-') => format!("{c}-{p}"),
            _ => p,
        }
    });
    let protected = |name: &str| {
        row.get(name)
            .map(|v| strip_apostrophe(v).to_owned())
            .filter(|v| !v.is_empty())
    };
    let address = Address {
        address1: text(col::ADDRESS1),
        address2: text(col::ADDRESS2),
        company: text(col::COMPANY),
        city: text(col::CITY),
        region,
        country,
        zip: protected(col::ZIP),
        phone: protected(col::ADDRESS_PHONE),
        default: true,
        ..Address::default()
    };
    (address
        != Address {
            default: true,
            ..Address::default()
        })
    .then_some(address)
}

/// A rule of the customer model broken (a country code that is not two
/// letters, a metafield key that is not a property name), reported against
/// the CSV column it came from.
fn validation_error(row: &Row, e: RecordError) -> RowError {
    let RecordError::Invalid { field, reason } = &e else {
        return RowError::new(row.line, None, e.to_string());
    };
    let column = if field.ends_with(".country") {
        col::COUNTRY_CODE.to_owned()
    } else if let Some(key) = field.strip_prefix("properties.") {
        let metafield = row.columns().metafields.iter().find(|m| m.key == key);
        metafield.map_or_else(|| field.clone(), |m| m.header.clone())
    } else {
        field.clone()
    };
    row.error(&column, reason.clone())
}
