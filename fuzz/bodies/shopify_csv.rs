//! The checks of the `shopify_csv` fuzz target, shared by libFuzzer
//! (`fuzz/fuzz_targets/shopify_csv.rs`) and the stable loop
//! (`crates/flokk-store/tests/fuzz_readers.rs`): any bytes, read as a Shopify
//! export (format detected, or forced to each format), never panic; a
//! header that is not one is refused with a message; every row is a record
//! or a rejection naming a line past the header, and reading ends.

use flokk_store::shopify::{ReadError, ShopifyFormat, ShopifyReader};

/// Words the mutator inserts into CSV inputs.
pub const DICTIONARY: &[&[u8]] = &[
    b"Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Total Spent,Total Orders,Tags\n",
    b"Name,Email,Financial Status,Paid at,Created at,Subtotal,Total,Lineitem quantity,Lineitem name,Lineitem price,Id\n",
    b"\"a,b\"",
    b"\"\"\"\"",
    b",,,,,,,,,,,,,,,,,,",
    b"#1001",
    b"2025-03-01 12:30:00 +0100",
    b"2025-03-01 12:30:00 +2500",
    b"1.7e308",
    b"-0.00",
    b"yes",
    b"\r",
];

/// The target: panics on any broken promise.
pub fn check(data: &[u8]) {
    let formats = [
        None,
        Some(ShopifyFormat::Customers),
        Some(ShopifyFormat::CustomerTemplate),
        Some(ShopifyFormat::Orders),
    ];
    for format in formats {
        let reader = match ShopifyReader::new(data, format) {
            Ok(reader) => reader,
            Err(e) => {
                assert!(
                    !e.to_string().is_empty(),
                    "a header error without a message"
                );
                continue;
            }
        };
        let header_line = reader.line();
        let mut rows = 0usize;
        for item in reader {
            rows += 1;
            // A row holds at least a byte, so there are no more items than bytes.
            assert!(rows <= data.len() + 1, "the reader does not end");
            match item {
                Ok(_) => {}
                Err(ReadError::Row(e)) => {
                    assert!(
                        e.line > header_line,
                        "a row error on line {}, the header's is {header_line}",
                        e.line
                    );
                    assert!(!e.to_string().is_empty());
                }
                Err(ReadError::Io(e)) => panic!("reading from memory failed: {e}"),
            }
        }
    }
}
