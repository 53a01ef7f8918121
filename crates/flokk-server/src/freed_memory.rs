//! Handing memory freed by large jobs back to the system.
//!
//! Loading or building the engine, fitting the predictive models and a
//! midnight re-evaluation each allocate and free about as much as the
//! engine keeps (a fit collects every customer's purchase days), in pieces
//! that glibc's allocator keeps for reuse, per thread. A server holding
//! the engine for days would carry all of it: at 1M customers `flokk serve`
//! held 704 MB resident after its first model fit, 492 MB once it was
//! returned.

/// Returns the allocator's free memory to the system (glibc on Linux; a
/// no-op elsewhere).
pub fn release() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it does
    // not touch memory in use.
    unsafe {
        libc::malloc_trim(0);
    }
}
