//! Customer list exports (data.md §3): spreadsheets for the merchant and
//! customer lists for ad platforms.
//!
//! The crate knows nothing of the store or the engine. The caller passes,
//! per customer, the [`Customer`](flokk_model::Customer) record and the
//! document of computed fields that `flokk-server`'s `customer_view` makes
//! (values keyed by filter name: `amount_spent`, `last_order_date`,
//! `customer_tags`, `churn_probability`, …; `null` where unknown).
//!
//! ```
//! use flokk_export::{Columns, ExportCustomer, ExportFormat, Exporter};
//! let customer = flokk_model::Customer::stub("1001");
//! let fields = serde_json::json!({ "amount_spent": 12.5, "number_of_orders": 3 });
//! let mut out = Vec::new();
//! let format: ExportFormat = "csv".parse()?;
//! let mut export = Exporter::new(format, Columns::shopify(), &mut out)?;
//! export.push(&ExportCustomer { customer: &customer, fields: &fields })?;
//! let summary = export.finish()?;
//! assert_eq!(summary.exported, 1);
//! # Ok::<(), flokk_export::ExportError>(())
//! ```
//!
//! # Formats
//!
//! | name | what | encoding |
//! | --- | --- | --- |
//! | `csv-excel` | CSV for spreadsheets | UTF-8 with BOM, CRLF, RFC 4180 quoting, cells protected (below) |
//! | `csv` | plain CSV | UTF-8, no BOM, LF, RFC 4180 quoting, values as they are |
//! | `xlsx` | Excel workbook | one sheet `Customers`, typed cells, header row bold and frozen |
//! | `meta` | Meta custom audience | plain CSV, normalised and SHA-256 hashed identifiers; `meta --raw` unhashed |
//! | `google` | Google Customer Match | plain CSV, normalised identifiers, some hashed |
//!
//! RFC 4180 quoting: a cell holding a comma, a double quote, CR or LF is
//! put in double quotes, with its quotes doubled; other cells are bare.
//!
//! # Spreadsheet columns (`csv`, `csv-excel`, `xlsx`)
//!
//! [`Columns::shopify`] (the default) writes Shopify's customer export
//! columns, in Shopify's order:
//!
//! `Customer ID, First Name, Last Name, Email, Accepts Email Marketing,
//! Default Address Company, Default Address Address1, Default Address
//! Address2, Default Address City, Default Address Province Code, Default
//! Address Country Code, Default Address Zip, Default Address Phone, Phone,
//! Accepts SMS Marketing, Total Spent, Total Orders, Note, Tax Exempt, Tags`
//!
//! - *Accepts … Marketing* is `yes` when the subscription status is
//!   `SUBSCRIBED`, else `no`; *Tax Exempt* is `yes`/`no`.
//! - *Default address* is the address marked `default`, else the first one.
//!   *Province Code* is the subdivision part of the ISO 3166-2 code
//!   (`MA` for `US-MA`), as Shopify writes it.
//! - *Total Spent* and *Total Orders* are the fields `amount_spent` and
//!   `number_of_orders`.
//! - *Tags* are one cell joined with `, `.
//!
//! [`Columns::chosen`] writes any list of fields instead, each headed by its
//! name: every key of the fields document (predictive fields too) plus the
//! record's `id`, `email`, `phone`, `first_name`, `last_name`, `note` and
//! `tax_exempt`. An unknown name is an error, before anything is written,
//! that lists the valid names and suggests the nearest one.
//!
//! Values in CSV: `null` is an empty cell; booleans `yes`/`no`; numbers
//! plainly, never with an exponent and without a trailing `.0` on whole
//! numbers (`3`, `12.5`, `100000000000000000000`); lists of plain values
//! are joined with `, `; any other nested value (an object, a list of
//! objects) is written as compact JSON. Fields marked as money
//! ([`Columns::with_money`]) are written with the currency's decimals
//! (`19.90`, `1500` for yen); in `xlsx` they are number cells with a
//! number format showing those decimals (`0.00`).
//!
//! # Cell protection in `csv-excel`
//!
//! A spreadsheet opening a CSV file evaluates some cells and converts
//! others. Text cells are protected by a leading apostrophe `'`, the
//! spreadsheet convention for "this is text" (OWASP's advice against CSV
//! injection):
//!
//! - text starting with `=`, `+`, `-`, `@`, a tab or a carriage return
//!   (which a spreadsheet would run as a formula): `'=1+1`, `'+4791234567`;
//! - digit strings that a spreadsheet would turn into a number and so
//!   mangle: ones with a leading zero (`'0123` for a zip code) and ones of
//!   12 digits or more (`'7434558324993` for an id; spreadsheets show those
//!   in exponent form and keep only 15 digits).
//!
//! The usual `="0123"` trick is a formula itself, so it is not used: no
//! cell of a `csv-excel` file starts with `=`, `+`, `-`, `@` or a tab but
//! negative numbers, which are written as numbers (`-12.5`) so that they
//! still add up. Excel shows the apostrophe of a protected cell in the
//! cell; Shopify's own export does the same for phone numbers. Plain `csv`
//! writes every value as it is.
//!
//! # Typed cells in `xlsx`
//!
//! Numbers are number cells; a field value that is an RFC 3339 date-time
//! with offset (`2026-01-02T10:00:00+01:00`) is a date-time cell showing
//! the local time as written (`yyyy-mm-dd hh:mm:ss`), a plain date
//! (`2026-01-02`) a date cell (`yyyy-mm-dd`); dates before 1900 stay text.
//! Everything else is a text cell, never a formula, so no protection is
//! needed and digit strings keep their zeros. Booleans are `yes`/`no` as
//! in CSV. Text longer than a cell's 32,767 characters is cut there. A
//! sheet holds at most 1,048,575 customers; more is an error. The workbook
//! is written row by row to a temporary file (constant memory: text cells are
//! inline strings, columns fitted to their widest cell as rows pass) and to
//! the writer by [`Exporter::finish`].
//!
//! # Ad audiences (`meta`, `google`)
//!
//! **Consent gate.** Only customers who may be contacted are exported: one
//! whose email marketing status is `SUBSCRIBED` is exported with their
//! email, one whose SMS marketing status is `SUBSCRIBED` with their phone;
//! an identifier without consent is left empty. Customers with neither
//! consent are left out as `no_consent`; customers with consent but no
//! usable email or phone for it are left out as `no_contact`. The
//! [`ExportSummary`] counts both, and phones left empty in exported rows
//! because they could not be normalised (`phone_no_country_code`,
//! `phone_invalid`).
//!
//! **Meta** (`email,phone,fn,ln,ct,st,zip,country,doby,gen`): every value
//! is normalised, then written as lower-case SHA-256 hex; an empty value
//! stays empty (not the hash of the empty string). `meta --raw` writes the
//! normalised values unhashed, for Meta's upload screen.
//!
//! | column | normalised |
//! | --- | --- |
//! | `email` | trimmed, lower-case |
//! | `phone` | digits with country calling code, no `+` (below) |
//! | `fn`, `ln` | lower-case letters only (`ø`, `é` kept: Meta takes UTF-8) |
//! | `ct` | city, lower-case letters only |
//! | `st` | subdivision part of the region code, lower-case (`ma`, `03`) |
//! | `zip` | lower-case without spaces; US zip codes cut to 5 digits |
//! | `country` | ISO 3166-1 alpha-2, lower-case |
//! | `doby` | year of birth, `YYYY` |
//! | `gen` | `m` or `f` from the recorded gender, else empty |
//!
//! **Google** (`Email,Phone,First Name,Last Name,Country,Zip`): email is
//! trimmed and lower-cased, and for `gmail.com` and `googlemail.com` the
//! dots before the `@` are removed (Google's guidance); phone is E.164 with
//! `+`; names are lower-case letters and single spaces; these four are
//! SHA-256 hashed. Country (alpha-2, upper-case) and Zip (trimmed) are
//! plain.
//!
//! **Phones.** Digits only. A number written with `+` keeps its country
//! code; a `00` prefix is international too. Any other number is national:
//! it gets the calling code of the default address's country, with a
//! leading trunk `0` dropped (not for Italy, where the `0` is part of the
//! number; for the US and Canada a leading `1` is dropped). A national
//! number without a known country code, or a result outside 7 to 15
//! digits, is left empty.
//!
//! | country | code | | country | code | | country | code |
//! | --- | --- | --- | --- | --- | --- | --- | --- | --- |
//! | NO | 47 | | SE | 46 | | DK | 45 |
//! | FI | 358 | | IS | 354 | | DE | 49 |
//! | GB | 44 | | IE | 353 | | NL | 31 |
//! | FR | 33 | | ES | 34 | | IT | 39 |
//! | PL | 48 | | US, CA | 1 | | AU | 61 |
//!
//! plus AT 43, BE 32, CH 41, PT 351, NZ 64, EE 372, LV 371 and LT 370
//! (trunk prefix `8`).
//!
//! `csv`, `csv-excel` and `xlsx` are the merchant's own spreadsheets and
//! export everyone, with values as recorded.

mod audience;
mod columns;
mod consent;
mod error;
mod exporter;
mod format;
mod normalise;
mod phone;
mod spreadsheet;
mod xlsx;
mod xlsx_widths;

pub use columns::Columns;
pub use error::ExportError;
pub use exporter::{ExportCustomer, ExportSummary, Exporter};
pub use format::ExportFormat;
