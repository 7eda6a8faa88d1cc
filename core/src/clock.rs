//! The injected clock. Core never reads the system time: every "today" and "now" comes from
//! here, so tests and the sandbox can fix time, and token expiry can be tested without waiting.
//!
//! # What "today" is
//!
//! One rule for every host (the `paceline` binary, the extension, the e2e suite and its fake
//! TrainingPeaks, the sandbox): **today is the date of [`Clock::now`] in the time zone of the
//! machine the tools run on**, i.e. the offset [`Clock::utc_offset`] gives for that instant.
//! The native host reads the system's local zone, the extension the browser's (both are the
//! athlete's own computer), and [`ManualClock`] uses whatever offset a test sets (UTC unless
//! told otherwise). [`Clock::today`] applies the rule once, here; a host only says where it is.
//!
//! Why the local zone and not UTC: TrainingPeaks calendar days carry no zone, they are the
//! athlete's own days. At 22:00 in California the UTC date is already tomorrow, and "today's
//! workout" must still be the one on today's square. Why not the zone in the athlete's
//! TrainingPeaks profile: reading it costs a request before any date can be resolved, and the
//! person at the keyboard is in practice where their computer is. The host and the tests
//! used to differ (local date in the host, UTC date in the tests' clock and fake), which broke
//! date-range tests near midnight in any zone but UTC.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

use crate::http::{BoxFuture, MaybeSendSync};

/// A source of time, and a way to wait.
pub trait Clock: MaybeSendSync {
    /// The current instant in UTC.
    fn now(&self) -> DateTime<Utc>;

    /// The offset from UTC of the zone "today" is reckoned in, at the instant `_at` (an offset
    /// per instant, so a daylight-saving change is followed). UTC unless the host knows its
    /// zone; see the module docs for the rule.
    fn utc_offset(&self, _at: DateTime<Utc>) -> FixedOffset {
        Utc.fix()
    }

    /// Today's date in the athlete's calendar: [`local_date`] of [`Clock::now`] at
    /// [`Clock::utc_offset`]. Hosts implement `utc_offset`, not this, so the rule stays in one
    /// place.
    fn today(&self) -> NaiveDate {
        let now = self.now();
        local_date(now, self.utc_offset(now))
    }

    /// Waits for `duration` (used for retry back-off and rate limiting).
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()>;
}

/// The calendar date of the instant `now` in the zone `offset` east of UTC: the one rule for
/// "today" (module docs).
pub fn local_date(now: DateTime<Utc>, offset: FixedOffset) -> NaiveDate {
    now.with_timezone(&offset).date_naive()
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
    fn utc_offset(&self, at: DateTime<Utc>) -> FixedOffset {
        (**self).utc_offset(at)
    }
    fn today(&self) -> NaiveDate {
        (**self).today()
    }
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        (**self).sleep(duration)
    }
}

/// A manual clock for tests and the sandbox: time moves only when told to. `sleep` advances the
/// clock instantly instead of waiting, so back-off paths run in zero wall time. Its zone is UTC
/// unless [`ManualClock::in_zone`] sets another offset.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
    offset: FixedOffset,
}

impl ManualClock {
    /// A clock stopped at `now`, in UTC.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(now),
            offset: Utc.fix(),
        }
    }

    /// The same clock in the zone `offset` east of UTC (what [`Clock::today`] is reckoned in).
    #[must_use]
    pub fn in_zone(mut self, offset: FixedOffset) -> Self {
        self.offset = offset;
        self
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

    fn utc_offset(&self, _at: DateTime<Utc>) -> FixedOffset {
        self.offset
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

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The rule pinned: today is the date in the clock's zone, not the UTC date. 23:30 UTC in
    /// a UTC+2 zone is already 01:30 the next day; 05:00 UTC in UTC-8 is still the day before.
    #[test]
    fn today_is_the_date_in_the_clocks_zone() {
        let plus_two = FixedOffset::east_opt(2 * 3600).unwrap();
        let minus_eight = FixedOffset::west_opt(8 * 3600).unwrap();
        let late = at("2026-11-21T23:30:00Z");
        let early = at("2026-11-22T05:00:00Z");
        let cases = [
            (
                "UTC+2 just before UTC midnight",
                late,
                plus_two,
                day(2026, 11, 22),
            ),
            (
                "UTC at the same instant",
                late,
                Utc.fix(),
                day(2026, 11, 21),
            ),
            (
                "UTC-8 early in the UTC morning",
                early,
                minus_eight,
                day(2026, 11, 21),
            ),
            ("UTC at that instant", early, Utc.fix(), day(2026, 11, 22)),
        ];
        for (name, now, offset, want) in cases {
            let clock = ManualClock::new(now).in_zone(offset);
            assert_eq!(clock.today(), want, "{name}");
            assert_eq!(local_date(now, offset), want, "{name}");
            // Through an `Arc<dyn Clock>`, as every host passes it.
            let shared: std::sync::Arc<dyn Clock> = std::sync::Arc::new(clock);
            assert_eq!(shared.today(), want, "{name} (Arc)");
        }
    }

    /// A clock without a zone reckons today in UTC.
    #[test]
    fn a_manual_clock_is_in_utc_unless_told() {
        let c = ManualClock::new(at("2026-11-21T23:30:00Z"));
        assert_eq!(c.utc_offset(c.now()), Utc.fix());
        assert_eq!(c.today(), day(2026, 11, 21));
    }
}
