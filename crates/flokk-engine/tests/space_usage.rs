//! `Engine::space_usage` against what the allocator handed out: the heap
//! bytes it accounts must come close to the bytes a counting allocator gets
//! back when the engine is dropped (the allocator's own bookkeeping aside).

use flokk_demo::{DemoConfig, generate};
use flokk_engine::Engine;
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counter only observes sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn accounted_bytes_match_the_allocators_live_bytes() {
    let mut records = Vec::new();
    generate(
        &DemoConfig::new(3_000, 7, jiff::civil::date(2026, 11, 24)),
        &mut |r| records.push(r),
    );
    let mut keys: HashMap<String, i64> = HashMap::new();
    let keyed: Vec<_> = records
        .into_iter()
        .map(|r| {
            let key = r.customer_id().map(|id| {
                let next = keys.len() as i64 + 1;
                *keys.entry(id.to_owned()).or_insert(next)
            });
            (key, r)
        })
        .collect();
    let mut engine = Engine::new();
    for (key, r) in &keyed {
        engine.add(*key, &[], r);
    }
    engine.compact();
    let usage = engine.space_usage();
    // What the engine holds is what dropping it gives back (building it
    // also fills process-wide tables, the gazetteer's per-country indexes,
    // that stay).
    let before = LIVE.load(Ordering::Relaxed);
    drop(engine);
    let live = (before - LIVE.load(Ordering::Relaxed)) as f64;
    let accounted = usage.total() as f64;
    assert_eq!(
        usage.total(),
        usage.tables.iter().map(|t| t.bytes).sum::<usize>()
    );
    assert!(
        (accounted - live).abs() <= 0.15 * live,
        "accounted {accounted} bytes, the allocator holds {live}:\n{usage}"
    );
    for table in ["orders", "product lines", "email_events", "custom_events"] {
        let t = usage.tables.iter().find(|t| t.table == table).unwrap();
        assert!(t.bytes > 0, "{table} holds nothing");
    }
}
