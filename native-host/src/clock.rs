//! The real clock for the host: system time, the local calendar date, and tokio sleeps.

use std::time::Duration;

use chrono::{DateTime, Local, NaiveDate, Utc};
use paceline_core::clock::Clock;
use paceline_core::http::BoxFuture;

/// System time. `today` is the *local* date, because a TrainingPeaks calendar day is the
/// athlete's own day: at 22:00 in California the UTC date is already tomorrow.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn today(&self) -> NaiveDate {
        Local::now().date_naive()
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
        // The local date is never more than a day from the UTC date.
        let gap = (clock.today() - clock.now().date_naive()).num_days().abs();
        assert!(gap <= 1, "local and UTC dates are {gap} days apart");
    }
}
