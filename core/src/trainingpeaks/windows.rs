//! Date ranges longer than TrainingPeaks list endpoints are asked for at once, split into
//! windows fetched concurrently.

use std::future::Future;

use chrono::NaiveDate;

use super::{TpClient, TpError};

/// The longest date range TrainingPeaks list endpoints are asked for in one request; longer
/// ranges are split by [`date_windows`] (spec §5.1: clients cap workout ranges at 90 days and RGW
/// splits longer ones; whether the server enforces it is unknown, so we never ask for more).
pub const MAX_RANGE_DAYS: i64 = 90;

impl TpClient {
    /// Runs `fetch` once per window of [`date_windows`]`(start, end, max_days)`, all windows
    /// concurrently, and returns the results in date order. The first error wins (the other
    /// fetches are dropped). Concurrency is bounded in effect by the client's rate limit.
    ///
    /// Errors: `end_date` before `start_date`, or `max_days` < 1 → [`TpError::InvalidInput`].
    pub async fn fetch_windows<T, F, Fut>(
        &self,
        start: NaiveDate,
        end: NaiveDate,
        max_days: i64,
        fetch: F,
    ) -> Result<Vec<T>, TpError>
    where
        F: Fn(NaiveDate, NaiveDate) -> Fut,
        Fut: Future<Output = Result<T, TpError>>,
    {
        let windows = date_windows(start, end, max_days)?;
        let total = windows.len() as u64;
        let done = std::sync::atomic::AtomicU64::new(0);
        let done = &done;
        let fetch = &fetch;
        futures_util::future::try_join_all(windows.into_iter().map(|(a, b)| async move {
            let r = fetch(a, b).await?;
            // One window alone is one request: nothing worth a progress message.
            if total > 1 {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                self.report_step(n, total, "date windows fetched");
            }
            Ok(r)
        }))
        .await
    }

    /// Tells the call's observer (if any) that `done` of `total` steps are finished: for tools
    /// whose call takes many requests (date windows, a season of activities), so the host can
    /// send progress notifications.
    pub fn report_step(&self, done: u64, total: u64, what: &str) {
        if let Some(o) = &self.scope.observer {
            o.step(done, total, what);
        }
    }
}

/// Splits the inclusive range `start..=end` into consecutive inclusive windows of at most
/// `max_days` days, with no gap and no overlap. A range of one day is one window.
///
/// Errors name the field: `end_date` if `end < start`, `max_days` if it is below 1.
pub fn date_windows(
    start: NaiveDate,
    end: NaiveDate,
    max_days: i64,
) -> Result<Vec<(NaiveDate, NaiveDate)>, TpError> {
    if max_days < 1 {
        return Err(TpError::InvalidInput {
            field: "max_days".into(),
            message: format!("{max_days} is not a window length; it must be at least 1 day"),
        });
    }
    if end < start {
        return Err(TpError::InvalidInput {
            field: "end_date".into(),
            message: format!(
                "{end} is before the start date {start}; the end date must be on or after the \
                 start"
            ),
        });
    }
    let step = chrono::Days::new(max_days.unsigned_abs() - 1);
    let mut windows = Vec::new();
    let mut from = start;
    loop {
        let to = from.checked_add_days(step).map_or(end, |d| d.min(end));
        windows.push((from, to));
        if to >= end {
            break;
        }
        // `to < end`, so the next day exists.
        match to.succ_opt() {
            Some(next) => from = next,
            None => break,
        }
    }
    Ok(windows)
}
#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Checks the invariants every split must have, then returns it.
    fn windows_ok(start: &str, end: &str, max: i64) -> Vec<(NaiveDate, NaiveDate)> {
        let w = date_windows(d(start), d(end), max).unwrap();
        assert_eq!(w.first().unwrap().0, d(start), "starts at start");
        assert_eq!(w.last().unwrap().1, d(end), "ends at end");
        for (a, b) in &w {
            assert!(a <= b);
            assert!(
                (*b - *a).num_days() < max,
                "window {a}..{b} longer than {max} days"
            );
        }
        for pair in w.windows(2) {
            assert_eq!(
                pair[0].1.succ_opt().unwrap(),
                pair[1].0,
                "no gap, no overlap"
            );
        }
        w
    }

    #[test]
    fn date_window_counts() {
        // (name, start, end, max_days, expected windows, expected length of the last window)
        let cases = [
            ("one day", "2026-03-01", "2026-03-01", 90, 1, 1),
            ("exactly 90 days", "2026-01-01", "2026-03-31", 90, 1, 90),
            ("91 days", "2026-01-01", "2026-04-01", 90, 2, 1),
            ("365 days", "2025-01-01", "2025-12-31", 90, 5, 5),
            (
                "366 days (leap year 2024)",
                "2024-01-01",
                "2024-12-31",
                90,
                5,
                6,
            ),
            ("across 29 Feb", "2024-02-01", "2024-03-31", 30, 2, 30),
            ("windows of 1 day", "2026-03-01", "2026-03-05", 1, 5, 1),
            ("180 days", "2026-01-01", "2026-06-29", 90, 2, 90),
        ];
        for (name, start, end, max, n, last_len) in cases {
            let w = windows_ok(start, end, max);
            assert_eq!(w.len(), n, "{name}: {w:?}");
            let (a, b) = *w.last().unwrap();
            assert_eq!(
                (b - a).num_days() + 1,
                last_len,
                "{name}: last window {a}..{b}"
            );
        }
    }

    #[test]
    fn date_windows_exact_bounds() {
        let w = windows_ok("2024-01-01", "2024-12-31", 90);
        assert_eq!(
            w,
            vec![
                (d("2024-01-01"), d("2024-03-30")), // 31 + 29 + 30 = 90 days
                (d("2024-03-31"), d("2024-06-28")),
                (d("2024-06-29"), d("2024-09-26")),
                (d("2024-09-27"), d("2024-12-25")),
                (d("2024-12-26"), d("2024-12-31")),
            ]
        );
    }

    #[test]
    fn date_windows_errors_name_the_field() {
        let cases = [
            (
                "end before start",
                "2026-03-02",
                "2026-03-01",
                90,
                "end_date",
            ),
            ("zero window", "2026-03-01", "2026-03-02", 0, "max_days"),
            (
                "negative window",
                "2026-03-01",
                "2026-03-02",
                -5,
                "max_days",
            ),
        ];
        for (name, start, end, max, field) in cases {
            match date_windows(d(start), d(end), max) {
                Err(TpError::InvalidInput { field: f, message }) => {
                    assert_eq!(f, field, "{name}");
                    assert!(!message.is_empty(), "{name}");
                }
                other => panic!("{name}: expected InvalidInput, got {other:?}"),
            }
        }
    }

    #[test]
    fn date_windows_near_the_end_of_time() {
        let w = date_windows(NaiveDate::MAX, NaiveDate::MAX, 90).unwrap();
        assert_eq!(w, vec![(NaiveDate::MAX, NaiveDate::MAX)]);
        let start = NaiveDate::MAX - chrono::Days::new(100);
        let w = date_windows(start, NaiveDate::MAX, 90).unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].1, NaiveDate::MAX);
    }
}
