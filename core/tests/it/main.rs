//! Integration tests of `paceline-core`, one module per area, in a single binary: the structure
//! compiler against the conformance vectors, every tool through `tools::call` against the
//! sandbox, and exact-request tests against closure transports. Areas that drive the sandbox
//! need `--features sandbox`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// test code: a panic is the failure report
// Large `json!` literals for exact-body assertions need a deeper macro recursion limit.
#![recursion_limit = "256"]

mod analysis;
mod chart;
mod client;
mod export;
mod icu_policy;
mod icu_text;
mod intervals;
mod structure;
mod structure_props;

#[cfg(feature = "sandbox")]
mod activity_cache;
#[cfg(feature = "sandbox")]
mod activity_source;
#[cfg(feature = "sandbox")]
mod activity_tools;
#[cfg(feature = "sandbox")]
mod calendar;
#[cfg(feature = "sandbox")]
mod creates;
#[cfg(feature = "sandbox")]
mod drift;
#[cfg(feature = "sandbox")]
mod dry_runs;
#[cfg(feature = "sandbox")]
mod fit;
#[cfg(feature = "sandbox")]
mod fit_oracle;
#[cfg(feature = "sandbox")]
mod icu_copy;
#[cfg(feature = "sandbox")]
mod icu_drift;
#[cfg(feature = "sandbox")]
mod icu_load;
#[cfg(feature = "sandbox")]
mod icu_parity;
#[cfg(feature = "sandbox")]
mod icu_sandbox;
#[cfg(feature = "sandbox")]
mod icu_tools;
#[cfg(feature = "sandbox")]
mod library;
#[cfg(feature = "sandbox")]
mod peaksware_analysis;
#[cfg(feature = "sandbox")]
mod planning;
#[cfg(feature = "sandbox")]
mod render_chart;
#[cfg(feature = "sandbox")]
mod sandboxes;
#[cfg(feature = "sandbox")]
mod settings;
#[cfg(feature = "sandbox")]
mod workouts;
