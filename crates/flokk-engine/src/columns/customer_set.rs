//! The answer type: a set of customer ordinals.
//!
//! Customers are dense `u32` ordinals in store order, so every answer is a
//! roaring bitmap and boolean logic is bitmap algebra.

/// A set of customer ordinals.
pub type CustomerSet = roaring::RoaringBitmap;
