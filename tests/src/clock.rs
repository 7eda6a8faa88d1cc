//! The wall clock, for the fake and for tests that talk to it over real sockets.

use std::time::Duration;

use chrono::{DateTime, Utc};
use paceline_core::clock::Clock;
use paceline_core::http::BoxFuture;

/// [`Clock`] on the system time; `sleep` really waits (tokio timer).
///
/// `sleep` must be polled inside a tokio runtime (it creates a tokio timer).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}
