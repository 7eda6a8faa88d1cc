//! Integration tests of `paceline-core`, one module per area, in a single binary.
//! Areas that drive the sandbox need `--features sandbox`.

mod client;
#[cfg(feature = "sandbox")]
mod calendar;
