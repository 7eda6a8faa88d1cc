//! `PACELINE_CALL_TIMEOUT_SECS`, read without panicking.
//!
//! `Duration::from_secs_f64` panics on a value it cannot hold (`1e30`), and an unchecked
//! setting would take the bridge down before it answers anything. A bad value is reported and
//! replaced; a huge one is capped.

use std::time::Duration;

/// The variable.
pub const VAR: &str = "PACELINE_CALL_TIMEOUT_SECS";

/// The timeout when the variable is not set (or not usable).
pub const DEFAULT: Duration = Duration::from_secs(60);

/// The longest timeout accepted: a day. Longer values are capped (a call that has not
/// answered in a day will not), and the cap keeps every later addition far from overflow.
pub const MAX: Duration = Duration::from_secs(24 * 60 * 60);

/// The timeout a raw setting gives, and a warning to log when the setting was not used as is.
pub fn parse(raw: Option<&str>) -> (Duration, Option<String>) {
    let Some(raw) = raw else {
        return (DEFAULT, None);
    };
    let secs = match raw.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => s,
        _ => {
            return (
                DEFAULT,
                Some(format!(
                    "{VAR}={raw:?} is not a positive number of seconds; using {} s",
                    DEFAULT.as_secs()
                )),
            );
        }
    };
    match Duration::try_from_secs_f64(secs) {
        Ok(d) if d <= MAX => (d, None),
        // Too large for a Duration, or over the cap.
        _ => (
            MAX,
            Some(format!(
                "{VAR}={raw:?} is more than a day; using {} s",
                MAX.as_secs()
            )),
        ),
    }
}

/// The timeout from the environment; a bad setting is logged, never fatal.
pub fn from_env() -> Duration {
    let raw = std::env::var(VAR).ok();
    let (timeout, warning) = parse(raw.as_deref());
    if let Some(w) = warning {
        tracing::warn!("{w}");
    }
    timeout
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_gives_a_usable_timeout() {
        let cases: [(Option<&str>, Duration, bool); 11] = [
            (None, DEFAULT, false),
            (Some("30"), Duration::from_secs(30), false),
            (Some(" 2.5 "), Duration::from_millis(2500), false),
            (Some("86400"), MAX, false),
            (Some("1e30"), MAX, true),
            (Some("1e400"), DEFAULT, true), // parses as infinity
            (Some("-5"), DEFAULT, true),
            (Some("0"), DEFAULT, true),
            (Some("NaN"), DEFAULT, true),
            (Some("inf"), DEFAULT, true),
            (Some("soon"), DEFAULT, true),
        ];
        for (raw, want, warns) in cases {
            let (got, warning) = parse(raw);
            assert_eq!(got, want, "{raw:?}");
            assert_eq!(warning.is_some(), warns, "{raw:?}: {warning:?}");
            if let Some(w) = warning {
                assert!(w.contains(VAR), "{w}");
            }
        }
        // The relay adds its margin to the largest value without overflowing.
        assert!(MAX.checked_add(Duration::from_secs(5)).is_some());
    }
}
