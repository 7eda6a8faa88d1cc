//! End-to-end test support: a fake TrainingPeaks served over real HTTPS on loopback.
//!
//! [`FakeTp`] serves the in-memory [`paceline_core::sandbox::Sandbox`] over TLS with a test CA
//! generated at start, so `paceline --direct` (native HTTPS) and a real browser (via
//! `--host-resolver-rules` and the CA in an NSS db) can be tested against it. The `fake-tp`
//! binary runs it standalone.
#![deny(missing_docs)]

pub mod browser;
pub mod fake_tp;
pub mod mcp_client;

pub use fake_tp::{FAKE_HOSTS, FakeRequest, FakeTp, FakeTpBuilder, Fault};
/// The host's own clock (local "today", tokio sleeps), for the fake and for tests that talk to
/// it over real sockets: the suite reckons dates exactly as `paceline` does.
pub use paceline_host::clock::SystemClock;
