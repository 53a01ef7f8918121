//! A hint to the processor to start loading a cache line that a loop will
//! read soon.
//!
//! Reading a few customers' orders out of tables of millions is bound by
//! memory latency, not by work: each customer's run lies somewhere else,
//! and the loop waits on four or five cache misses per customer, one
//! after the other. Asking for the next customers' lines while working on
//! this one overlaps those waits (see `OrderPass::among` in
//! `eval/lines.rs`).

/// Asks for the cache line holding `slice[i]` (nothing when `i` is past
/// the end, or on a processor without the instruction).
#[inline(always)]
pub fn prefetch<T>(slice: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if i < slice.len() {
        let p = slice.as_ptr().wrapping_add(i).cast::<i8>();
        // SAFETY: a prefetch reads nothing into the program and cannot
        // fault; the address is inside `slice`.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slice, i);
}
