//! The injected clock. Core never reads the system time: every "today" and "now" comes from
//! here, so tests and the sandbox can fix time, and token expiry can be tested without waiting.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use crate::http::{BoxFuture, MaybeSendSync};

/// A source of time, and a way to wait.
pub trait Clock: MaybeSendSync {
    /// The current instant in UTC.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in the athlete's calendar. TrainingPeaks calendars are date-based with no
    /// zone, so hosts may override this with the local date; the default is the UTC date.
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Waits for `duration` (used for retry back-off and rate limiting).
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()>;
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
    fn today(&self) -> NaiveDate {
        (**self).today()
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        (**self).sleep(duration)
    }
}

/// A manual clock for tests and the sandbox: time moves only when told to. `sleep` advances the
/// clock instantly instead of waiting, so back-off paths run in zero wall time.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    /// A clock stopped at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(now),
        }
    }

    /// A clock stopped at midday UTC on the given date.
    pub fn at_date(date: NaiveDate) -> Self {
        let now = date.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
        Self::new(now)
    }

    /// Moves time forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.lock();
        *now += chrono::Duration::from_std(by).unwrap_or(chrono::Duration::zero());
    }

    /// Sets the time.
    pub fn set(&self, to: DateTime<Utc>) {
        *self.lock() = to;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        // A poisoned lock only means another thread panicked mid-update of a plain value.
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        self.advance(duration);
        Box::pin(async {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_sleep_advances_time() {
        let c = ManualClock::at_date(NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        let before = c.now();
        futures_executor::block_on(c.sleep(Duration::from_secs(90)));
        assert_eq!((c.now() - before).num_seconds(), 90);
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    }
}
