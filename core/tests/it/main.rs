//! Integration tests of `paceline-core`, one module per area, in a single binary.
//! Areas that drive the sandbox need `--features sandbox`.

mod client;
#[cfg(feature = "sandbox")]
mod calendar;
//! Integration tests: every tool through `tools::call` against the sandbox, and exact-request
//! tests against closure transports. One module per tool area.

mod settings;
