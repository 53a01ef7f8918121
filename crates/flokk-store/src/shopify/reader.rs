//! The streaming reader: header detection, then one record per row (one
//! per run of rows for orders).

use super::customers::read_customer;
use super::detect::{Columns, col, detect_format};
use super::orders::{OrderGroup, order_name};
use super::raw_rows::{RawRow, RawRows};
use super::row::Row;
use super::{HeaderError, ReadError, RowError, ShopifyFormat, ShopifyRecord};
use csv::StringRecord;
use std::collections::VecDeque;
use std::io::Read;

type Item = Result<ShopifyRecord, ReadError>;

/// Reads a Shopify CSV file record by record.
///
/// Yields `Ok(record)` for every good row (every order, for the orders
/// export), `Err(ReadError::Row(_))` for every bad one, after which it
/// carries on, and at most one final `Err(ReadError::Io(_))`. Memory is
/// bounded by the longest row (or order) and does not grow with the file.
///
/// ```no_run
/// use flokk_store::shopify::{ReadError, ShopifyReader, ShopifyRecord};
/// let file = std::fs::File::open("customers_export.csv")?;
/// let mut reader = ShopifyReader::new(file, None)?;
/// println!("reading a {}", reader.format());
/// for item in reader.by_ref() {
///     match item {
///         Ok(ShopifyRecord::Customer(c)) => println!("customer {}", c.id),
///         Ok(ShopifyRecord::Order { order, email }) => println!("order {} of {email:?}", order.id),
///         Err(ReadError::Row(e)) => eprintln!("{e}"), // and write e.raw to a reject file
///         Err(ReadError::Io(e)) => return Err(e.into()),
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ShopifyReader<R> {
    rows: RawRows<R>,
    header: StringRecord,
    header_text: String,
    columns: Columns,
    format: ShopifyFormat,
    /// The order being assembled (orders export only).
    group: Option<OrderGroup>,
    /// Finished items with their first line, in file order.
    ready: VecDeque<(u64, Item)>,
    /// First line of the item last returned.
    line: u64,
    done: bool,
}

impl<R: Read> ShopifyReader<R> {
    /// Reads the header and works out the format, or checks the header
    /// against `format` when the caller knows it. A UTF-8 BOM is skipped.
    pub fn new(input: R, format: Option<ShopifyFormat>) -> Result<Self, HeaderError> {
        let mut rows = RawRows::new(input);
        let first = rows.next_row()?.ok_or(HeaderError::Empty)?;
        let header_text = String::from_utf8(first.raw).map_err(|_| HeaderError::NotUtf8)?;
        let header =
            StringRecord::from_byte_record(first.cells).map_err(|_| HeaderError::NotUtf8)?;
        let format = match format {
            Some(f) => f,
            None => detect_format(&header)?,
        };
        let columns = Columns::new(&header, format)?;
        Ok(ShopifyReader {
            rows,
            header,
            header_text,
            columns,
            format,
            group: None,
            ready: VecDeque::new(),
            line: first.line,
            done: false,
        })
    }

    /// The format being read.
    pub fn format(&self) -> ShopifyFormat {
        self.format
    }

    /// The header as found in the file (BOM removed), e.g. to write it at
    /// the top of a reject file.
    pub fn header(&self) -> &StringRecord {
        &self.header
    }

    /// The header line exactly as written (BOM and line break removed): a
    /// reject file is this line followed by the `raw` text of each
    /// [`RowError`], one per line, and reads back in like the original.
    pub fn header_text(&self) -> &str {
        &self.header_text
    }

    /// The line on which the record or error last returned starts (for an
    /// order, its first row); the header's line before any.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Bytes of the input read so far, for progress reports.
    pub fn bytes_read(&self) -> u64 {
        self.rows.bytes_read()
    }

    fn take_row(&mut self, raw: RawRow) {
        if self.format == ShopifyFormat::Orders {
            self.take_order_row(&raw);
            return;
        }
        match Row::decode(&raw, &self.header, &self.columns) {
            Ok(row) if row.is_blank() => {}
            Ok(row) => {
                let item = read_customer(&row, self.format)
                    .map(ShopifyRecord::Customer)
                    .map_err(|e| with_raw(e, &raw).into());
                self.ready.push_back((row.line, item));
            }
            Err(e) => self.ready.push_back((e.line, Err(e.into()))),
        }
    }

    fn take_order_row(&mut self, raw: &RawRow) {
        let (name, row) = match Row::decode(raw, &self.header, &self.columns) {
            Ok(row) if row.is_blank() => return,
            Ok(row) => match order_name(&row) {
                Ok(name) => (name, Ok(row)),
                Err(e) => {
                    finish_group(&mut self.group, &mut self.ready);
                    self.ready.push_back((e.line, Err(with_raw(e, raw).into())));
                    return;
                }
            },
            Err(e) => {
                // The row is damaged, but its Name may still say which order
                // it belongs to, so the whole order is rejected together.
                let name = self
                    .columns
                    .index(col::NAME)
                    .and_then(|i| raw.cells.get(i))
                    .and_then(|c| std::str::from_utf8(c).ok())
                    .map(str::trim)
                    .filter(|n| !n.is_empty());
                match name {
                    Some(name) => (name.to_owned(), Err(e)),
                    None => {
                        finish_group(&mut self.group, &mut self.ready);
                        self.ready.push_back((e.line, Err(e.into())));
                        return;
                    }
                }
            }
        };
        match (&mut self.group, row) {
            (Some(group), Ok(row)) if group.name == name && group.continues_with(&row) => {
                group.add(&row, &raw.raw)
            }
            (Some(group), Err(e)) if group.name == name => group.add_failed(e),
            (_, row) => {
                finish_group(&mut self.group, &mut self.ready);
                self.group = Some(match row {
                    Ok(row) => OrderGroup::start(&row, name, &raw.raw),
                    Err(e) => OrderGroup::failed(name, e),
                });
            }
        }
    }
}

fn finish_group(group: &mut Option<OrderGroup>, ready: &mut VecDeque<(u64, Item)>) {
    if let Some(group) = group.take() {
        let line = group.line;
        ready.push_back((line, group.finish().map_err(ReadError::from)));
    }
}

fn with_raw(mut e: RowError, raw: &RawRow) -> RowError {
    e.raw = String::from_utf8_lossy(&raw.raw).into_owned();
    e
}

impl<R: Read> Iterator for ShopifyReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some((line, item)) = self.ready.pop_front() {
                self.line = line;
                return Some(item);
            }
            if self.done {
                return None;
            }
            match self.rows.next_row() {
                Ok(Some(raw)) => self.take_row(raw),
                Ok(None) => {
                    self.done = true;
                    finish_group(&mut self.group, &mut self.ready);
                }
                Err(e) => {
                    // An order cut short by the failure is dropped, not
                    // returned as if complete.
                    self.done = true;
                    self.group = None;
                    let line = self.line;
                    self.ready.push_back((line, Err(e.into())));
                }
            }
        }
    }
}
