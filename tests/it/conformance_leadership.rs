//! The leadership rules of the conformance engine (5.1.b–e, 5.1.g, 5.3.b, A.6.8) and the liveness
//! signs: each rule on hand-built figures at, just below and just above its thresholds, and the
//! loaders on both databases.

mod liveness;
mod loader;
mod rules;
