//! Which columns a spreadsheet export has, and the value of each for one
//! customer.

use crate::{ExportCustomer, ExportError};
use flokk_model::{Address, SubscriptionStatus};
use serde_json::{Number, Value};
use std::borrow::Cow;

/// The columns of a `csv`, `csv-excel` or `xlsx` export: Shopify's
/// customer export columns ([`Columns::shopify`], the default) or a chosen
/// list of fields ([`Columns::chosen`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    list: Vec<(String, Source)>,
    chosen: bool,
}

/// Record fields that can be chosen as columns besides the fields document.
const RECORD_COLUMNS: &[&str] = &[
    "id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "note",
    "tax_exempt",
];

fn record_source(name: &str) -> Option<Source> {
    Some(match name {
        "id" => Source::Id,
        "email" => Source::Email,
        "phone" => Source::Phone,
        "first_name" => Source::FirstName,
        "last_name" => Source::LastName,
        "note" => Source::Note,
        "tax_exempt" => Source::TaxExempt,
        _ => return None,
    })
}

impl Columns {
    /// Shopify's customer export columns, in Shopify's order.
    pub fn shopify() -> Self {
        use Source::*;
        let list = [
            ("Customer ID", Id),
            ("First Name", FirstName),
            ("Last Name", LastName),
            ("Email", Email),
            ("Accepts Email Marketing", AcceptsEmail),
            ("Default Address Company", Address(AddressPart::Company)),
            ("Default Address Address1", Address(AddressPart::Address1)),
            ("Default Address Address2", Address(AddressPart::Address2)),
            ("Default Address City", Address(AddressPart::City)),
            (
                "Default Address Province Code",
                Address(AddressPart::Province),
            ),
            (
                "Default Address Country Code",
                Address(AddressPart::Country),
            ),
            ("Default Address Zip", Address(AddressPart::Zip)),
            ("Default Address Phone", Address(AddressPart::Phone)),
            ("Phone", Phone),
            ("Accepts SMS Marketing", AcceptsSms),
            ("Total Spent", Field("amount_spent".into())),
            ("Total Orders", Field("number_of_orders".into())),
            ("Note", Note),
            ("Tax Exempt", TaxExempt),
            ("Tags", Tags),
        ];
        Columns {
            list: list.into_iter().map(|(h, s)| (h.to_owned(), s)).collect(),
            chosen: false,
        }
    }

    /// The chosen `names`, each a column headed by its name. Valid names are
    /// `field_names` (the keys of the fields document the caller passes per
    /// customer) and the record's `id`, `email`, `phone`, `first_name`,
    /// `last_name`, `note`, `tax_exempt`.
    ///
    /// # Errors
    ///
    /// [`ExportError::NoColumns`] for an empty list;
    /// [`ExportError::UnknownColumn`] for the first unknown name, with the
    /// valid names and the nearest of them.
    pub fn chosen<'a>(
        names: &[&str],
        field_names: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, ExportError> {
        if names.is_empty() {
            return Err(ExportError::NoColumns);
        }
        let fields: Vec<&str> = field_names.into_iter().collect();
        let mut list = Vec::with_capacity(names.len());
        for &name in names {
            let source = match record_source(name) {
                Some(s) => s,
                None if fields.contains(&name) => Source::Field(name.to_owned()),
                None => return Err(unknown(name, &fields)),
            };
            list.push((name.to_owned(), source));
        }
        Ok(Columns { list, chosen: true })
    }

    /// These columns with the fields `names` marked as money in a currency
    /// of `decimals` places (0 to 4): CSV prints them with exactly those
    /// places (`19.90`, not `19.9`; `1500` for yen) and xlsx writes them as
    /// numbers shown with them. The fields document carries money as JSON
    /// numbers, which cannot keep trailing zeros, so the exporter must be
    /// told which fields are amounts.
    pub fn with_money(mut self, names: &[&str], decimals: u32) -> Self {
        let decimals = decimals.min(flokk_model::MONEY_DECIMALS);
        for (_, source) in &mut self.list {
            if let Source::Field(name) = source
                && names.contains(&name.as_str())
            {
                *source = Source::Money(std::mem::take(name), decimals);
            }
        }
        self
    }

    /// Whether these are chosen columns rather than Shopify's.
    pub fn is_chosen(&self) -> bool {
        self.chosen
    }

    /// The column headers, in order.
    pub fn headers(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|(h, _)| h.as_str())
    }

    /// The keys of the fields document these columns read, in column
    /// order: a caller can skip computing the others.
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().filter_map(|(_, s)| match s {
            Source::Field(name) | Source::Money(name, _) => Some(name.as_str()),
            _ => None,
        })
    }

    /// The cells of one customer, in column order, into `cells` (cleared
    /// first, so one buffer serves every row). Cells borrow the customer's
    /// text rather than copy it.
    pub(crate) fn cells_into<'c>(&self, c: &ExportCustomer<'c>, cells: &mut Vec<Cell<'c>>) {
        cells.clear();
        cells.extend(self.list.iter().map(|(_, s)| s.cell(c)));
    }
}

impl Default for Columns {
    fn default() -> Self {
        Columns::shopify()
    }
}

fn unknown(name: &str, fields: &[&str]) -> ExportError {
    let mut valid: Vec<String> = RECORD_COLUMNS
        .iter()
        .chain(fields)
        .copied()
        .map(str::to_owned)
        .collect();
    valid.sort();
    valid.dedup();
    let lower = name.to_lowercase();
    let suggestion = valid
        .iter()
        .map(|v| (strsim::jaro_winkler(&lower, v), v))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, v)| v.clone());
    ExportError::UnknownColumn {
        name: name.to_owned(),
        suggestion,
        valid,
    }
}

/// Where a column's value comes from.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    Id,
    FirstName,
    LastName,
    Email,
    Phone,
    AcceptsEmail,
    AcceptsSms,
    Address(AddressPart),
    Note,
    TaxExempt,
    Tags,
    /// A key of the fields document.
    Field(String),
    /// A key of the fields document holding an amount, printed with this
    /// many decimals.
    Money(String, u32),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum AddressPart {
    Company,
    Address1,
    Address2,
    City,
    Province,
    Country,
    Zip,
    Phone,
}

/// One cell's value, before a format writes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    /// No value.
    Empty,
    /// Text from the customer record.
    Text(Cow<'a, str>),
    /// Text from the fields document: may be a date for xlsx.
    FieldText(&'a str),
    /// A number.
    Number(Number),
    /// An amount of money, shown with this many decimals.
    Money(f64, u32),
    /// Yes or no.
    Bool(bool),
}

impl Source {
    fn cell<'c>(&self, c: &ExportCustomer<'c>) -> Cell<'c> {
        let r = c.customer;
        match self {
            Source::Id => text(Some(&r.id)),
            Source::FirstName => text(r.first_name.as_deref()),
            Source::LastName => text(r.last_name.as_deref()),
            Source::Email => text(r.email.as_deref()),
            Source::Phone => text(r.phone.as_deref()),
            Source::AcceptsEmail => {
                Cell::Bool(r.email_subscription == Some(SubscriptionStatus::Subscribed))
            }
            Source::AcceptsSms => {
                Cell::Bool(r.sms_subscription == Some(SubscriptionStatus::Subscribed))
            }
            Source::Address(part) => match default_address(r) {
                Some(a) => address_cell(a, *part),
                None => Cell::Empty,
            },
            Source::Note => text(r.note.as_deref()),
            Source::TaxExempt => Cell::Bool(r.tax_exempt),
            Source::Tags => match r.tags.as_slice() {
                [] => Cell::Empty,
                [one] => text(Some(one)),
                many => owned_text(many.join(", ")),
            },
            Source::Field(name) => field_cell(c.fields.get(name.as_str()).unwrap_or(&Value::Null)),
            Source::Money(name, decimals) => match c.fields.get(name.as_str()) {
                Some(Value::Number(n)) => match n.as_f64() {
                    Some(v) if v.is_finite() => Cell::Money(v, *decimals),
                    _ => Cell::Number(n.clone()),
                },
                other => field_cell(other.unwrap_or(&Value::Null)),
            },
        }
    }
}

/// The default address: the one marked default, else the first.
pub(crate) fn default_address(c: &flokk_model::Customer) -> Option<&Address> {
    c.addresses
        .iter()
        .find(|a| a.default)
        .or_else(|| c.addresses.first())
}

fn address_cell(a: &Address, part: AddressPart) -> Cell<'_> {
    match part {
        AddressPart::Company => text(a.company.as_deref()),
        AddressPart::Address1 => text(a.address1.as_deref()),
        AddressPart::Address2 => text(a.address2.as_deref()),
        AddressPart::City => text(a.city.as_deref()),
        AddressPart::Province => province_code(a).map_or(Cell::Empty, owned_text),
        AddressPart::Country => a.country_code().map_or(Cell::Empty, owned_text),
        AddressPart::Zip => text(a.zip.as_deref()),
        AddressPart::Phone => text(a.phone.as_deref()),
    }
}

/// The subdivision part of the address's region (`MA` for `US-MA`).
pub(crate) fn province_code(a: &Address) -> Option<String> {
    let region = a
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())?;
    let sub = region.split_once('-').map_or(region, |(_, sub)| sub).trim();
    (!sub.is_empty()).then(|| sub.to_uppercase())
}

fn text(s: Option<&str>) -> Cell<'_> {
    match s {
        Some(s) if !s.is_empty() => Cell::Text(Cow::Borrowed(s)),
        _ => Cell::Empty,
    }
}

fn owned_text<'a>(s: String) -> Cell<'a> {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(Cow::Owned(s))
    }
}

fn field_cell(v: &Value) -> Cell<'_> {
    match v {
        Value::Null => Cell::Empty,
        Value::Bool(b) => Cell::Bool(*b),
        Value::Number(n) => Cell::Number(n.clone()),
        Value::String(s) if s.is_empty() => Cell::Empty,
        Value::String(s) => Cell::FieldText(s),
        Value::Array(items) if items.iter().all(is_plain) => {
            let parts: Vec<String> = items.iter().filter_map(plain_text).collect();
            owned_text(parts.join(", "))
        }
        other => owned_text(other.to_string()),
    }
}

fn is_plain(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn plain_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(yes_no(*b).to_owned()),
        Value::Number(n) => Some(plain_number(n)),
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// An amount as text with exactly `decimals` places (`19.90`), from the
/// `f64` the fields document carries: its shortest decimal is the amount
/// (see `flokk_model::Money::from_f64`), so nothing is lost.
pub(crate) fn money_text(v: f64, decimals: u32) -> String {
    match flokk_model::Money::from_f64(v) {
        Some(m) => m.display(decimals),
        // Beyond what `Money` holds: no store has such an amount, but a
        // number is still written rather than nothing.
        None => format!("{v:.*}", decimals as usize),
    }
}

/// `yes` or `no`.
pub(crate) fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// A number as plain decimal text: no exponent, no trailing `.0`.
pub(crate) fn plain_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        // Rust prints floats in full decimal, shortest round-trip form,
        // and whole floats without a fraction (3.0 → "3").
        // Sums of money carry binary noise (472.65000000000003); nine
        // decimals keep every real digit of amounts and probabilities.
        let f = n.as_f64().unwrap_or(0.0);
        let f = if f.is_finite() && f.abs() < 1e9 {
            (f * 1e9).round() / 1e9
        } else {
            f
        };
        if f == 0.0 {
            "0".to_owned()
        } else {
            f.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_plain() {
        let cases = [
            (json!(3), "3"),
            (json!(-5), "-5"),
            (json!(3.0), "3"),
            (json!(12.5), "12.5"),
            (json!(472.65000000000003), "472.65"),
            (json!(0.123456789), "0.123456789"),
            (json!(1e20), "100000000000000000000"),
            (json!(1.5e-7), "0.00000015"),
            (json!(-0.0), "0"),
            (json!(u64::MAX), "18446744073709551615"),
        ];
        for (v, want) in cases {
            assert_eq!(plain_number(v.as_number().unwrap()), want, "{v}");
        }
    }

    #[test]
    fn unknown_column_lists_valid_names_and_suggests() {
        let err = Columns::chosen(
            &["email", "amount_spend"],
            ["amount_spent", "rfm_group", "id"],
        )
        .unwrap_err();
        insta::assert_snapshot!(err, @"unknown column 'amount_spend' (did you mean 'amount_spent'?); valid columns: amount_spent, email, first_name, id, last_name, note, phone, rfm_group, tax_exempt");
        let err = Columns::chosen(&["zzz"], ["amount_spent"]).unwrap_err();
        insta::assert_snapshot!(err, @"unknown column 'zzz'; valid columns: amount_spent, email, first_name, id, last_name, note, phone, tax_exempt");
        assert!(matches!(
            Columns::chosen(&[], ["a"]),
            Err(ExportError::NoColumns)
        ));
    }

    #[test]
    fn province_code_is_the_subdivision() {
        let a = |r: &str| Address {
            region: Some(r.into()),
            country: Some("US".into()),
            ..Default::default()
        };
        assert_eq!(province_code(&a("US-MA")).as_deref(), Some("MA"));
        assert_eq!(province_code(&a("ma")).as_deref(), Some("MA"));
        assert_eq!(province_code(&a(" ")), None);
        assert_eq!(province_code(&a("US-")), None);
    }
}
