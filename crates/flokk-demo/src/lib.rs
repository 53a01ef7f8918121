//! A seeded generator of realistic synthetic stores for `flokk demo` and
//! the benchmarks.
