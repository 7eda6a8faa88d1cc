//! Paceline's core: everything that does not touch the outside world.
//!
//! The same code runs natively (the `paceline` binary, tests, the sandbox) and as WebAssembly
//! inside the browser extension. It therefore does no IO of its own: HTTP goes through a
//! [`http::Transport`] and every "now" comes from a [`clock::Clock`], both passed in by the host.
//!
//! # Layout
//! - [`http`]: request/response values and the `Transport` trait.
//! - [`clock`]: the injected clock.
//! - [`chart`]: charts as SVG (workout profile, fitness, power curve, week).
//! - [`structure`]: the workout-structure compiler (friendly or wire JSON in, TrainingPeaks wire
//!   structure out), planned metrics and readable summaries.
//! - [`zones`]: power, heart-rate and pace zone maths.
//! - [`fit`]: FIT device files: decoding (`.fit`, `.fit.gz`) into 1 Hz streams, and a writer.
//! - [`trainingpeaks`]: the typed TrainingPeaks client (auth, retries, chunking, endpoints).
//! - [`tools`]: the MCP tool catalogue.
//! - `sandbox` (feature `sandbox`): an in-memory TrainingPeaks emulator behind `Transport`.
#![deny(missing_docs)]

pub mod analysis;
pub mod chart;
pub mod clock;
mod decimal;
pub mod decode;
pub mod fit;
pub mod http;
pub mod intervals;
pub mod structure;
pub mod tools;
pub mod trainingpeaks;
pub mod wire;
pub mod zones;

#[cfg(feature = "sandbox")]
pub mod sandbox;
