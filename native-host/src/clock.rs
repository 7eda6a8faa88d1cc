//! The real clock for the host: system time, the system's time zone, and tokio sleeps.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, Local, Offset, TimeZone, Utc};
use paceline_core::clock::Clock;
use paceline_core::http::BoxFuture;

/// System time in the system's local zone: `today` (core's rule, see `paceline_core::clock`)
/// is the *local* date, because a TrainingPeaks calendar day is the athlete's own day: at
/// 22:00 in California the UTC date is already tomorrow. The e2e suite and its fake
/// TrainingPeaks use this clock too, so the tests and the host agree on the date.
///
/// `sleep` must be polled inside a tokio runtime (it creates a tokio timer).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn utc_offset(&self, at: DateTime<Utc>) -> FixedOffset {
        Local.offset_from_utc_datetime(&at.naive_utc()).fix()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sleep_really_waits_and_now_moves() {
        let clock = SystemClock;
        let before = clock.now();
        let started = std::time::Instant::now();
        clock.sleep(Duration::from_millis(20)).await;
        assert!(started.elapsed() >= Duration::from_millis(20));
        assert!(clock.now() > before);
    }

    /// Today is the local date of the system zone, for any instant (checked at fixed instants
    /// across a year, both sides of UTC midnight, so daylight-saving offsets are covered and
    /// the check does not depend on when it runs).
    #[test]
    fn the_zone_is_the_systems_local_zone() {
        let clock = SystemClock;
        let start = DateTime::parse_from_rfc3339("2026-01-01T23:30:00Z")
            .unwrap()
            .to_utc();
        for step in 0..(365 * 2) {
            let at = start + chrono::Duration::hours(12 * step);
            assert_eq!(
                paceline_core::clock::local_date(at, clock.utc_offset(at)),
                at.with_timezone(&Local).date_naive(),
                "{at}"
            );
        }
        // And `today` is that rule applied to now (unless midnight passes in between).
        let now = clock.now();
        let today = clock.today();
        let local = clock.now().with_timezone(&Local).date_naive();
        assert!(today == local || today == now.with_timezone(&Local).date_naive());
    }
}
