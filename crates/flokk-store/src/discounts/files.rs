//! A discount's codes as files (`flokk discount codes --format`, `GET
//! /api/discounts/{name}/codes?format=`), written here once for the CLI
//! and the API.
//!
//! Shopify's admin has no import of a file of codes: its discount form
//! draws codes itself ("Generate code"), and third-party guides say as much
//! ("importing a pre-existing list of codes via CSV is not supported
//! natively", https://www.skailama.com/blog/how-to-create-shopify-discount-codes).
//! The one first-party bulk path is the Admin GraphQL API's
//! `discountRedeemCodeBulkAdd` mutation, which adds up to 250 codes a call
//! to an existing code discount
//! (https://shopify.dev/docs/api/admin-graphql/latest/mutations/discountRedeemCodeBulkAdd:
//! arguments `discountId: ID!`, a `gid://shopify/DiscountCodeNode/…`, and
//! `codes: [DiscountRedeemCodeInput!]!`, each `{code: String!}`, "Maximum:
//! 250 codes"; API versions of 2024 allowed 100). So there are two Shopify
//! files:
//!
//! - `shopify-graphql`: JSON Lines, each line the `variables` of one
//!   `discountRedeemCodeBulkAdd` call (at most 250 codes), for a script or
//!   `shopify app` tooling to post one by one;
//! - `shopify`: the CSV of the import app merchants use without code,
//!   Matrixify's "Discounts" sheet
//!   (https://matrixify.app/documentation/discounts/): one row per code,
//!   rows of one discount sharing its `Title`, `Command` MERGE adding the
//!   codes to the discount of that title.
//!
//! Codes are not case-sensitive in Shopify either; each code is written
//! once (a shared code is one row, one entry).

use super::IssuedCode;
use crate::error::StoreError;

/// Codes per `discountRedeemCodeBulkAdd` call (the API's maximum).
pub const SHOPIFY_BULK_ADD_MAX: usize = 250;

/// The file formats of a discount's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeFileFormat {
    /// CSV: `code,customer_id,email,first_name,last_name`, one row per member.
    Csv,
    /// Matrixify's Shopify "Discounts" CSV: `Title,Command,Code`.
    Matrixify,
    /// JSON Lines of `discountRedeemCodeBulkAdd` variables.
    ShopifyGraphql,
}

impl CodeFileFormat {
    /// The format named `name` (`csv`, `shopify`, `shopify-graphql`).
    pub fn named(name: &str) -> Option<CodeFileFormat> {
        match name {
            "csv" => Some(CodeFileFormat::Csv),
            "shopify" => Some(CodeFileFormat::Matrixify),
            "shopify-graphql" => Some(CodeFileFormat::ShopifyGraphql),
            _ => None,
        }
    }

    /// A file name for a download.
    pub fn file_name(self) -> &'static str {
        match self {
            CodeFileFormat::Csv => "discount-codes.csv",
            // Matrixify recognises a Discounts file by "discount" in its name.
            CodeFileFormat::Matrixify => "shopify-discounts.csv",
            CodeFileFormat::ShopifyGraphql => "shopify-discount-codes.jsonl",
        }
    }

    /// The HTTP content type.
    pub fn content_type(self) -> &'static str {
        match self {
            CodeFileFormat::Csv | CodeFileFormat::Matrixify => "text/csv; charset=utf-8",
            CodeFileFormat::ShopifyGraphql => "application/jsonl; charset=utf-8",
        }
    }
}

/// The Shopify discount the codes are for, as `discountRedeemCodeBulkAdd`
/// takes it: a number (as the admin's address shows it,
/// `/admin/discounts/123`) or the whole `gid://shopify/DiscountCodeNode/123`.
pub fn shopify_discount_gid(text: &str) -> Result<String, StoreError> {
    const PREFIX: &str = "gid://shopify/DiscountCodeNode/";
    let t = text.trim();
    let number = t.strip_prefix(PREFIX).unwrap_or(t);
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(StoreError::Invalid(format!(
            "a Shopify discount is its number (123) or {PREFIX}123, not {text:?}"
        )));
    }
    Ok(format!("{PREFIX}{number}"))
}

/// The file of `rows` (the codes of discount `title`) in `format`.
/// `shopify_discount` (a gid) fills each GraphQL line's `discountId`;
/// without it the lines carry only `codes`.
pub fn code_file(
    title: &str,
    rows: &[IssuedCode],
    format: CodeFileFormat,
    shopify_discount: Option<&str>,
) -> Result<Vec<u8>, StoreError> {
    let csv_error = |e: csv::Error| StoreError::Io(std::io::Error::other(e));
    let mut seen = std::collections::BTreeSet::new();
    let unique: Vec<&str> = rows
        .iter()
        .map(|r| r.code.as_str())
        .filter(|c| seen.insert(c.to_ascii_uppercase()))
        .collect();
    match format {
        CodeFileFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["code", "customer_id", "email", "first_name", "last_name"])
                .map_err(csv_error)?;
            for r in rows {
                w.write_record([
                    r.code.as_str(),
                    &r.customer_id,
                    r.email.as_deref().unwrap_or(""),
                    r.first_name.as_deref().unwrap_or(""),
                    r.last_name.as_deref().unwrap_or(""),
                ])
                .map_err(csv_error)?;
            }
            w.into_inner().map_err(|e| StoreError::Io(e.into_error()))
        }
        CodeFileFormat::Matrixify => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["Title", "Command", "Code"])
                .map_err(csv_error)?;
            for code in &unique {
                w.write_record([title, "MERGE", code]).map_err(csv_error)?;
            }
            w.into_inner().map_err(|e| StoreError::Io(e.into_error()))
        }
        CodeFileFormat::ShopifyGraphql => {
            let mut out = Vec::new();
            for batch in unique.chunks(SHOPIFY_BULK_ADD_MAX) {
                let codes: Vec<_> = batch
                    .iter()
                    .map(|c| serde_json::json!({ "code": c }))
                    .collect();
                let line = match shopify_discount {
                    Some(id) => serde_json::json!({"discountId": id, "codes": codes}),
                    None => serde_json::json!({ "codes": codes }),
                };
                out.extend_from_slice(line.to_string().as_bytes());
                out.push(b'\n');
            }
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, id: &str) -> IssuedCode {
        IssuedCode {
            code: code.into(),
            customer_id: id.into(),
            email: None,
            first_name: None,
            last_name: None,
        }
    }

    #[test]
    fn graphql_lines_hold_at_most_250_codes_each_once() {
        let rows: Vec<IssuedCode> = (0..501)
            .map(|i| row(&format!("C{i:04}"), &i.to_string()))
            .chain([row("c0000", "x")])
            .collect();
        let gid = shopify_discount_gid("123").unwrap();
        let file = code_file("T", &rows, CodeFileFormat::ShopifyGraphql, Some(&gid)).unwrap();
        let lines: Vec<serde_json::Value> = std::str::from_utf8(&file)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let sizes: Vec<usize> = lines
            .iter()
            .map(|l| l["codes"].as_array().unwrap().len())
            .collect();
        assert_eq!(sizes, [250, 250, 1]);
        assert_eq!(lines[0]["discountId"], "gid://shopify/DiscountCodeNode/123");
        assert_eq!(lines[0]["codes"][0], serde_json::json!({"code": "C0000"}));
        assert_eq!(lines[2]["codes"][0]["code"], "C0500");
    }

    #[test]
    fn shopify_discount_ids_are_numbers_or_gids() {
        assert_eq!(
            shopify_discount_gid("gid://shopify/DiscountCodeNode/42").unwrap(),
            "gid://shopify/DiscountCodeNode/42"
        );
        for bad in ["", "abc", "gid://shopify/Product/1", "12a"] {
            assert!(shopify_discount_gid(bad).is_err(), "{bad}");
        }
    }
}
