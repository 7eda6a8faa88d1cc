//! Integration tests of `paceline-core`, one module per area, in a single binary: every tool
//! through `tools::call` against the sandbox, and exact-request tests against closure
//! transports. Areas that drive the sandbox need `--features sandbox`.
// Large `json!` literals for exact-body assertions need a deeper macro recursion limit.
#![recursion_limit = "256"]

#[cfg(feature = "sandbox")]
mod calendar;
mod client;
#[cfg(feature = "sandbox")]
mod library;
#[cfg(feature = "sandbox")]
mod settings;
