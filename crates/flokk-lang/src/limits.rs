//! How big a query may be.
//!
//! Every limit is checked while parsing, before the work it bounds is done,
//! so that no input can overflow the stack or make the parser hang.

use serde::{Deserialize, Serialize};

/// Size limits for one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Most clauses (filter conditions) in one query.
    pub max_clauses: usize,
    /// Most values in one `IN (...)` list.
    pub max_ids: usize,
    /// Deepest nesting of parentheses and `NOT`.
    pub max_depth: usize,
    /// Longest query text, in bytes.
    pub max_bytes: usize,
}

impl Limits {
    /// Shopify's limits: 10 clauses, 500 ids per list.
    pub const fn strict() -> Self {
        Limits {
            max_clauses: 10,
            max_ids: 500,
            ..Self::DEFAULT
        }
    }

    /// flokk's own limits: 1,000 clauses, 10,000 ids per list, depth 100.
    pub const DEFAULT: Limits = Limits {
        max_clauses: 1_000,
        max_ids: 10_000,
        max_depth: 100,
        max_bytes: 1 << 20,
    };

    /// `strict()` when `strict`, else the default.
    pub const fn for_mode(strict: bool) -> Self {
        if strict {
            Self::strict()
        } else {
            Self::DEFAULT
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
