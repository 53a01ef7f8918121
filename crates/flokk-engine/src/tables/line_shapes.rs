//! Line shapes: what a product line says about its product (the product
//! id, the folded tags, category and vendor), held once per distinct
//! combination instead of once per line.
//!
//! A store sells thousands of products but records millions of lines, and
//! a line's tags, category and vendor are, in practice, its product's. So
//! a line holds only its shape number (one or two bytes, see
//! [`crate::columns::uint_column::UintColumn`]) and a MATCHES decides its
//! `id`/`tag`/`category`/`vendor` filters once per shape
//! ([`LineShapes::passing`]); reading a line is then one lookup. Per-value
//! posting lists of lines, which this replaces, cost about 45 bytes a line
//! at 1M customers (design.md allows 24 for everything a line holds).
//!
//! A line whose tags differ from the other lines of its product (a product
//! retagged over time) is simply another shape; a store where every line
//! had its own shape would hold a shape per line, correct but no smaller.

use crate::columns::interner::NO_SYM;
use crate::columns::interner::{Interner, Sym, fold};
use std::collections::HashMap;

/// The identity of a shape: product, folded category, folded vendor, folded
/// tags (sorted, each once).
type ShapeKey = (Sym, Sym, Sym, Vec<Sym>);

/// Every distinct line shape (see the module doc).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct LineShapes {
    /// Product id symbol of each shape.
    product: Vec<Sym>,
    /// Folded category symbol, or [`NO_SYM`].
    category: Vec<Sym>,
    /// Folded vendor symbol, or [`NO_SYM`].
    vendor: Vec<Sym>,
    /// Where each shape's tags end in `tags`.
    tag_ends: Vec<u32>,
    /// Folded tag symbols, shape after shape.
    tags: Vec<Sym>,
    /// Lines added with each shape (void ones included): how often a value
    /// occurs, for suggestions.
    lines: Vec<u64>,
    /// Shape by key; rebuilt after a snapshot load.
    #[serde(skip)]
    ids: HashMap<ShapeKey, u32>,
}

impl LineShapes {
    /// The shape of a line with these fields (tags, category and vendor as
    /// written; they are folded here), counting one more line of it.
    pub fn add_line(
        &mut self,
        product: &str,
        tags: &[String],
        category: Option<&str>,
        vendor: Option<&str>,
        strings: &mut Interner,
    ) -> u32 {
        let mut tag_syms: Vec<Sym> = tags.iter().map(|t| strings.intern(&fold(t))).collect();
        tag_syms.sort_unstable();
        tag_syms.dedup();
        let key = (
            strings.intern(product),
            category.map_or(NO_SYM, |c| strings.intern(&fold(c))),
            vendor.map_or(NO_SYM, |v| strings.intern(&fold(v))),
            tag_syms,
        );
        if self.ids.len() != self.product.len() {
            self.rebuild_ids();
        }
        let next = self.product.len() as u32;
        let shape = *self.ids.entry(key).or_insert_with_key(|key| {
            self.product.push(key.0);
            self.category.push(key.1);
            self.vendor.push(key.2);
            self.tags.extend_from_slice(&key.3);
            self.tag_ends.push(self.tags.len() as u32);
            self.lines.push(0);
            next
        });
        self.lines[shape as usize] += 1;
        shape
    }

    fn rebuild_ids(&mut self) {
        self.ids = (0..self.len() as u32)
            .map(|s| {
                let i = s as usize;
                let key = (
                    self.product[i],
                    self.category[i],
                    self.vendor[i],
                    self.tags(s).to_vec(),
                );
                (key, s)
            })
            .collect();
    }

    /// How many shapes there are.
    pub fn len(&self) -> usize {
        self.product.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.product.is_empty()
    }

    /// The product id symbol of shape `s`.
    pub fn product(&self, s: u32) -> Sym {
        self.product[s as usize]
    }

    /// The folded category symbol of shape `s` ([`NO_SYM`]: none).
    pub fn category(&self, s: u32) -> Sym {
        self.category[s as usize]
    }

    /// The folded vendor symbol of shape `s` ([`NO_SYM`]: none).
    pub fn vendor(&self, s: u32) -> Sym {
        self.vendor[s as usize]
    }

    /// The folded tag symbols of shape `s`, ascending.
    pub fn tags(&self, s: u32) -> &[Sym] {
        let i = s as usize;
        let start = if i == 0 { 0 } else { self.tag_ends[i - 1] };
        &self.tags[start as usize..self.tag_ends[i] as usize]
    }

    /// Lines added with shape `s`.
    pub fn lines(&self, s: u32) -> u64 {
        self.lines[s as usize]
    }

    /// For each shape, whether it passes `test`.
    pub fn passing(&self, mut test: impl FnMut(u32) -> bool) -> Vec<bool> {
        (0..self.len() as u32).map(&mut test).collect()
    }

    /// Gives back spare capacity.
    pub fn shrink_to_fit(&mut self) {
        self.product.shrink_to_fit();
        self.category.shrink_to_fit();
        self.vendor.shrink_to_fit();
        self.tag_ends.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.lines.shrink_to_fit();
    }
}

impl crate::columns::heap_size::HeapSize for LineShapes {
    fn heap_bytes(&self) -> usize {
        use crate::columns::heap_size::HeapSize as H;
        H::heap_bytes(&self.product)
            + H::heap_bytes(&self.category)
            + H::heap_bytes(&self.vendor)
            + H::heap_bytes(&self.tag_ends)
            + H::heap_bytes(&self.tags)
            + H::heap_bytes(&self.lines)
            + ids_heap_bytes(&self.ids)
    }
}

/// The key map's buckets and the tag lists its keys own.
fn ids_heap_bytes(ids: &HashMap<ShapeKey, u32>) -> usize {
    let buckets = if ids.capacity() == 0 {
        0
    } else {
        (ids.capacity() * 8 / 7).next_power_of_two()
    };
    buckets * (size_of::<(ShapeKey, u32)>() + 1)
        + ids.keys().map(|k| k.3.capacity() * 4).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_one_product_share_a_shape_until_their_fields_differ() {
        let mut strings = Interner::default();
        let mut shapes = LineShapes::default();
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let a = shapes.add_line(
            "p1",
            &tags(&["Shorts", "summer"]),
            Some("Apparel"),
            None,
            &mut strings,
        );
        // Tags in another order, case and repeated: the same shape.
        let b = shapes.add_line(
            "p1",
            &tags(&["SUMMER", "shorts", "shorts"]),
            Some("apparel"),
            None,
            &mut strings,
        );
        let c = shapes.add_line(
            "p1",
            &tags(&["shorts"]),
            Some("Apparel"),
            None,
            &mut strings,
        );
        assert_eq!((a, b), (0, 0));
        assert_eq!(c, 1);
        assert_eq!((shapes.lines(0), shapes.lines(1)), (2, 1));
        let shorts = strings.get("shorts").unwrap();
        assert!(shapes.tags(0).contains(&shorts) && shapes.tags(0).len() == 2);
        assert_eq!(shapes.vendor(0), NO_SYM);
        assert_eq!(strings.resolve(shapes.category(1)), "apparel");
        // After a snapshot the key map is rebuilt: the same line finds its shape.
        let mut back: LineShapes =
            postcard::from_bytes(&postcard::to_stdvec(&shapes).unwrap()).unwrap();
        let again = back.add_line(
            "p1",
            &tags(&["shorts"]),
            Some("APPAREL"),
            None,
            &mut strings,
        );
        assert_eq!((again, back.len(), back.lines(1)), (1, 2, 2));
        assert_eq!(back.passing(|s| back.tags(s).len() == 1), [false, true]);
    }
}
