//! Drawing an exact-size random sample of an audience (`flokk segment
//! sample`, `POST /api/segments/{name}/sample`).
//!
//! Each member is ranked by a hash of the seed and its customer id and the
//! `size` lowest ranks are drawn. So the draw is stable for a seed whatever
//! order the members come in, independent of any random-number crate's
//! version, and a customer's luck under one seed does not depend on who
//! else is in the segment (adding a customer moves at most one other out).

/// The sample and the rest (the hold-out), each sorted by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    /// The customers drawn.
    pub sample: Vec<String>,
    /// Everyone else.
    pub rest: Vec<String>,
}

/// Why a sample cannot be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SampleError {
    /// `--size` over the audience.
    #[error("a sample of {size} is larger than the audience ({members} customers)")]
    TooLarge {
        /// Asked.
        size: u64,
        /// The audience.
        members: u64,
    },
    /// A size of 0, or a percentage outside (0, 100].
    #[error("{0}")]
    Invalid(String),
}

impl SampleError {
    /// A stable code for the API and the CLI.
    pub fn code(&self) -> &'static str {
        match self {
            SampleError::TooLarge { .. } => "sample_too_large",
            SampleError::Invalid(_) => "invalid_sample",
        }
    }
}

/// How big a sample is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SampleSize {
    /// Exactly this many.
    Count(u64),
    /// This share of the audience, rounded to the nearest customer (half up).
    Percent(f64),
}

impl SampleSize {
    /// The number of customers out of `members`.
    pub fn of(self, members: u64) -> Result<u64, SampleError> {
        let size = match self {
            SampleSize::Count(0) => {
                return Err(SampleError::Invalid(
                    "a sample needs a size of at least 1".into(),
                ));
            }
            SampleSize::Count(n) => n,
            SampleSize::Percent(p) if !(p > 0.0 && p <= 100.0) => {
                return Err(SampleError::Invalid(format!(
                    "a percentage must be over 0 and at most 100, not {p}"
                )));
            }
            SampleSize::Percent(p) => (members as f64 * p / 100.0).round() as u64,
        };
        if size > members {
            return Err(SampleError::TooLarge { size, members });
        }
        Ok(size)
    }
}

/// Draws `size` of `members` (ids) under `seed`.
pub fn draw(members: &[String], size: u64, seed: u64) -> Draw {
    let mut ranked: Vec<(u64, &String)> = members.iter().map(|id| (rank(seed, id), id)).collect();
    ranked.sort_unstable();
    let size = (size as usize).min(ranked.len());
    let mut sample: Vec<String> = ranked[..size].iter().map(|(_, id)| (*id).clone()).collect();
    let mut rest: Vec<String> = ranked[size..].iter().map(|(_, id)| (*id).clone()).collect();
    sample.sort();
    rest.sort();
    Draw { sample, rest }
}

/// A seed for a draw that was given none (reported with the lists, so the
/// draw can be repeated): random, and within JavaScript's exact integers
/// (53 bits) so it survives a JSON round trip through a browser.
pub fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // The standard library's hasher keys are random per process.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    h.write_u64(nanos);
    h.finish() & ((1 << 53) - 1)
}

/// FNV-1a over the seed and the id, finished with SplitMix64's mixer so
/// ids that differ in their last character spread over the whole range.
fn rank(seed: u64, id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.to_le_bytes().iter().chain(id.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i}")).collect()
    }

    #[test]
    fn a_draw_is_exact_and_stable_for_a_seed() {
        let members = ids(1000);
        let a = draw(&members, 100, 7);
        assert_eq!(a.sample.len(), 100);
        assert_eq!(a.rest.len(), 900);
        let mut shuffled = members.clone();
        shuffled.reverse();
        assert_eq!(
            draw(&shuffled, 100, 7),
            a,
            "order of members does not matter"
        );
        assert_ne!(
            draw(&members, 100, 8).sample,
            a.sample,
            "another seed, another draw"
        );
        let mut all: Vec<String> = a.sample.iter().chain(&a.rest).cloned().collect();
        all.sort();
        let mut sorted = members;
        sorted.sort();
        assert_eq!(all, sorted, "sample and rest split the members");
    }

    #[test]
    fn sizes_are_checked() {
        assert_eq!(SampleSize::Percent(10.0).of(1005), Ok(101));
        assert_eq!(SampleSize::Percent(100.0).of(7), Ok(7));
        assert_eq!(SampleSize::Count(3).of(3), Ok(3));
        assert_eq!(
            SampleSize::Count(4).of(3),
            Err(SampleError::TooLarge {
                size: 4,
                members: 3
            })
        );
        assert!(matches!(
            SampleSize::Percent(100.5).of(10),
            Err(SampleError::Invalid(_))
        ));
        assert!(matches!(
            SampleSize::Percent(0.0).of(10),
            Err(SampleError::Invalid(_))
        ));
        assert!(matches!(
            SampleSize::Count(0).of(10),
            Err(SampleError::Invalid(_))
        ));
    }
}
