//! End-to-end test support: a fake TrainingPeaks served over real HTTPS on loopback.
//!
//! [`FakeTp`] serves the in-memory [`paceline_core::sandbox::Sandbox`] over TLS with a test CA
//! generated at start, so `paceline --direct` (native HTTPS) and a real browser (via
//! `--host-resolver-rules` and the CA in an NSS db) can be tested against it. The `fake-tp`
//! binary runs it standalone.
#![deny(missing_docs)]

pub mod browser;
pub mod clock;
pub mod fake_tp;
pub mod mcp_client;

pub use clock::SystemClock;
pub use fake_tp::{FAKE_HOSTS, FakeRequest, FakeTp, FakeTpBuilder, Fault};
