//! The retry policy both platform clients follow, in one place: which outcomes may be tried
//! again, and after how long.
//!
//! A read is retried after a 429, a 5xx other than 501/505, or a transport error; a write only
//! after a connection failure (nothing was sent), and the caller caps how often. The delay is an
//! exponential back-off from [`BACKOFF_BASE`], or the server's `Retry-After` when that is
//! longer; a `Retry-After` above [`MAX_RETRY_AFTER`] is not waited out (the error is returned at
//! once, carrying the server's figure, because an MCP client would time out first).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{HttpResponse, TransportError};

/// The first back-off delay; it doubles on each retry (0.5 s, 1 s, 2 s).
pub const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// The longest `Retry-After` waited out; a longer one is returned at once as the error.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Whether a status is worth retrying on a read: rate limiting and server trouble, but not
/// 501/505, which will not change.
pub fn is_retryable_status(status: u16) -> bool {
    status == 429 || ((500..=599).contains(&status) && status != 501 && status != 505)
}

/// The exponential back-off before retry number `retries + 1`.
pub fn backoff(retries: u32) -> Duration {
    BACKOFF_BASE.saturating_mul(1u32 << retries.min(16))
}

/// How long to wait before retrying this outcome, or `None` if it must not be retried (the
/// caller also enforces the retry count and the total wait). `read` says the request cannot
/// change anything (a GET, or a POST that only queries).
pub fn retry_delay(
    read: bool,
    retries: u32,
    outcome: &Result<HttpResponse, TransportError>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    match outcome {
        Ok(resp) if read && is_retryable_status(resp.status) => {
            match resp
                .header_value("retry-after")
                .and_then(|v| parse_retry_after(v, now))
            {
                // The server asks for longer than we are willing to hang: give up now and
                // pass its figure on to the person.
                Some(ra) if ra > MAX_RETRY_AFTER => None,
                Some(ra) => Some(ra.max(backoff(retries))),
                None => Some(backoff(retries)),
            }
        }
        Ok(_) => None,
        // The connection failed before sending: safe for any method (the caller limits writes
        // to one such retry).
        Err(TransportError::Connect(_)) => Some(backoff(retries)),
        // Timeout/Io: the request may have been received. Fine to repeat a read, never a write.
        Err(_) if read => Some(backoff(retries)),
        Err(_) => None,
    }
}

/// Parses `Retry-After`: delay-seconds, or an HTTP-date (RFC 9110 §10.2.3) relative to `now`
/// (a date in the past means "now").
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = DateTime::parse_from_rfc3339("2015-10-21T07:27:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn backoff_doubles() {
        assert_eq!(backoff(0), Duration::from_millis(500));
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(2), Duration::from_secs(2));
        assert!(
            backoff(40) >= backoff(16),
            "saturates instead of overflowing"
        );
    }

    #[test]
    fn retryable_statuses() {
        for s in [429, 500, 502, 503, 504, 599] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 409, 501, 505] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }
}
