//! Sending: the retry policy of the module docs of `trainingpeaks` (one place for it), the
//! client-side rate limit on every data call, and the JSON decoding shared by every endpoint
//! method.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{decode_body, from_value, status_error_as};
use super::{Api, Safety, TpClient, TpError};
use crate::http::{HttpRequest, HttpResponse, Method, TransportError};

/// Retries of a read after a 429, a 5xx or a transport error.
pub const MAX_READ_RETRIES: u32 = 3;
/// Retries of a write whose connection failed before sending ([`TransportError::Connect`]).
/// One is enough to ride out a dropped keep-alive connection; more would only delay the error.
pub const MAX_WRITE_CONNECT_RETRIES: u32 = 1;
/// The first back-off delay; it doubles on each retry (0.5 s, 1 s, 2 s).
pub const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// The longest `Retry-After` we wait out. Longer requests return [`TpError::RateLimited`] (or
/// the 5xx) at once, carrying the server's figure: TrainingPeaks' window resets after 60 s, and
/// an MCP client would time out long before a longer wait ended.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The most one request spends sleeping between retries, over all its retries.
pub const MAX_TOTAL_RETRY_WAIT: Duration = Duration::from_secs(60);

impl TpClient {
    /// Sends an authenticated request and returns the raw response, with the retry policy of
    /// the module docs applied.
    ///
    /// Any status comes back as `Ok`, except: a 401 that survives one re-exchange
    /// ([`TpError::NotLoggedIn`]), and a 5xx to a write ([`TpError::WriteOutcomeUnknown`],
    /// so no caller can mistake it for a clean failure). Reads come back after their retries.
    pub async fn send(
        &self,
        method: Method,
        api: Api,
        path: &str,
        body: Option<&Value>,
    ) -> Result<HttpResponse, TpError> {
        self.send_as(method, api, path, body, Safety::of(method))
            .await
    }

    /// [`TpClient::send`] with the request's [`Safety`] stated rather than implied by the
    /// method.
    pub async fn send_as(
        &self,
        method: Method,
        api: Api,
        path: &str,
        body: Option<&Value>,
        safety: Safety,
    ) -> Result<HttpResponse, TpError> {
        let url = format!("{}{}", self.bases.base(api), path);
        let mut token = self.access_token().await?;
        // Who the request was made for (its path may hold their athlete id): checked again if
        // a 401 makes us exchange the cookie, which may now be someone else's.
        let made_for = self.cached_user_id();
        let mut refreshed = false;
        loop {
            let mut req = HttpRequest::new(method, url.clone())
                .header("authorization", format!("Bearer {token}"))
                .header("accept", "application/json");
            if let Some(b) = body {
                req = req.json_body(b);
            }
            let resp = self.transmit(req, path, true, safety).await?;
            if resp.status == 401 {
                // The server refused the request before acting on it, so resending is safe
                // even for a write; but only once (spec §2.2, JM/RGW).
                if refreshed {
                    return Err(self.logged_out());
                }
                refreshed = true;
                token = self.replace_token(&token).await?;
                if let Some(previous) = made_for {
                    self.confirm_same_user(previous, &token).await?;
                }
                continue;
            }
            if !safety.is_read() && resp.status >= 500 {
                return Err(status_error_as(method, path, &resp, safety));
            }
            return Ok(resp);
        }
    }

    /// Sends one request through the rate limiter and the transport, retrying as the module
    /// docs describe. Returns the last response, whatever its status.
    pub(super) async fn transmit(
        &self,
        req: HttpRequest,
        path: &str,
        throttle: bool,
        safety: Safety,
    ) -> Result<HttpResponse, TpError> {
        let method = req.method;
        let max_retries = if safety.is_read() {
            MAX_READ_RETRIES
        } else {
            MAX_WRITE_CONNECT_RETRIES
        };
        let mut retries = 0;
        let mut waited = Duration::ZERO;
        loop {
            if throttle {
                self.limiter.acquire(&*self.clock, &self.scope).await?;
            }
            let outcome = self.transport.send(req.clone()).await;
            let now = self.clock.now();
            let delay = retry_delay(safety, retries, &outcome, now);
            // A retry that could not even start before the call's deadline is not waited for.
            let before_deadline = |d: Duration| {
                self.scope.deadline.is_none_or(|end| {
                    chrono::Duration::from_std(d)
                        .ok()
                        .and_then(|d| now.checked_add_signed(d))
                        .is_some_and(|at| at < end)
                })
            };
            match delay {
                Some(d)
                    if retries < max_retries
                        && waited + d <= MAX_TOTAL_RETRY_WAIT
                        && before_deadline(d) =>
                {
                    self.clock.sleep(d).await;
                    waited += d;
                    retries += 1;
                }
                _ => {
                    return match outcome {
                        Ok(resp) => Ok(resp),
                        // Never sent, or a read: nothing can have changed.
                        Err(e @ TransportError::Connect(_)) => Err(TpError::Transport(e)),
                        Err(e) if safety.is_read() => Err(TpError::Transport(e)),
                        Err(e) => Err(TpError::WriteOutcomeUnknown {
                            method,
                            path: path.to_string(),
                            reason: e.to_string(),
                        }),
                    };
                }
            }
        }
    }

    /// Sends a request and decodes a successful JSON response. Non-2xx become [`TpError`]s;
    /// an empty 2xx body decodes as `null`.
    pub async fn request_json(
        &self,
        method: Method,
        api: Api,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, TpError> {
        self.request_json_as(method, api, path, body, Safety::of(method))
            .await
    }

    /// [`TpClient::request_json`] for a request that only reads whatever its method: a POST
    /// whose body is a query. It is retried like a GET and its errors never say that a change
    /// may have been applied.
    pub async fn request_json_read(
        &self,
        method: Method,
        api: Api,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, TpError> {
        self.request_json_as(method, api, path, body, Safety::Read)
            .await
    }

    async fn request_json_as(
        &self,
        method: Method,
        api: Api,
        path: &str,
        body: Option<&Value>,
        safety: Safety,
    ) -> Result<Value, TpError> {
        match body {
            Some(body)
                if self.scope.guard_creates
                    && method == Method::Post
                    && safety == Safety::Write =>
            {
                self.create_once(api, path, body).await
            }
            _ => {
                self.request_json_plain(method, api, path, body, safety)
                    .await
            }
        }
    }

    pub(super) async fn request_json_plain(
        &self,
        method: Method,
        api: Api,
        path: &str,
        body: Option<&Value>,
        safety: Safety,
    ) -> Result<Value, TpError> {
        let resp = self.send_as(method, api, path, body, safety).await?;
        if !resp.is_success() {
            return Err(status_error_as(method, path, &resp, safety));
        }
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        decode_body(&resp, path)
    }

    /// Like [`TpClient::request_json`], decoding into `T`; decode errors name the JSON path of
    /// the bad field. An empty 2xx body decodes from `null` (so `Option<T>` or `()` fit it).
    pub async fn request<T: DeserializeOwned>(
        &self,
        method: Method,
        api: Api,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, TpError> {
        let v = self.request_json(method, api, path, body).await?;
        from_value(v, path)
    }

    /// GET and decode JSON.
    pub async fn get_json(&self, api: Api, path: &str) -> Result<Value, TpError> {
        self.request_json(Method::Get, api, path, None).await
    }

    /// GET and decode into a typed value; decode errors name the JSON path of the bad field.
    pub async fn get<T: DeserializeOwned>(&self, api: Api, path: &str) -> Result<T, TpError> {
        let v = self.get_json(api, path).await?;
        from_value(v, path)
    }

    /// Waits, through the injected clock (used by back-off).
    pub async fn sleep(&self, d: Duration) {
        self.clock.sleep(d).await;
    }
}

/// Whether a status is worth retrying on a read: rate limiting and server trouble, but not
/// 501/505, which will not change.
fn is_retryable_status(status: u16) -> bool {
    status == 429 || ((500..=599).contains(&status) && status != 501 && status != 505)
}

/// The exponential back-off before retry number `retries + 1`.
fn backoff(retries: u32) -> Duration {
    BACKOFF_BASE.saturating_mul(1u32 << retries.min(16))
}

/// How long to wait before retrying this outcome, or `None` if it must not be retried (the
/// caller also enforces the retry count and total wait).
fn retry_delay(
    safety: Safety,
    retries: u32,
    outcome: &Result<HttpResponse, TransportError>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    match outcome {
        Ok(resp) if safety.is_read() && is_retryable_status(resp.status) => {
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
        // The connection failed before sending: safe for any method (writes are limited to
        // MAX_WRITE_CONNECT_RETRIES by the caller).
        Err(TransportError::Connect(_)) => Some(backoff(retries)),
        // Timeout/Io: the request may have been received. Fine to repeat a GET, never a write.
        Err(_) if safety.is_read() => Some(backoff(retries)),
        Err(_) => None,
    }
}

/// Parses `Retry-After`: delay-seconds, or an HTTP-date (RFC 9110 §10.2.3) relative to `now`.
fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
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
        // A date in the past means "now".
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
