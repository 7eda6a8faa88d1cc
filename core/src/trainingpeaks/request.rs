//! Sending: the retry policy of the module docs of `trainingpeaks` (one place for it), the
//! client-side rate limit on every data call, and the JSON decoding shared by every endpoint
//! method.

use std::time::Duration;

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
// The back-off and `Retry-After` rules are shared with the Intervals.icu client
// (`crate::http::retry`); TrainingPeaks' window resets after 60 s, which `MAX_RETRY_AFTER` fits.
use crate::http::retry::retry_delay;
pub use crate::http::retry::{BACKOFF_BASE, MAX_RETRY_AFTER};
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
        if self.scope.reads_only && !method.is_safe() {
            return Err(TpError::DryRunWrite {
                method,
                path: path.to_string(),
            });
        }
        let max_retries = if safety.is_read() {
            MAX_READ_RETRIES
        } else {
            MAX_WRITE_CONNECT_RETRIES
        };
        let mut retries = 0;
        let mut waited = Duration::ZERO;
        loop {
            if throttle {
                self.limiter
                    .acquire(&*self.clock, &self.scope)
                    .await
                    .map_err(TpError::from)?;
            }
            let outcome = self.transport.send(req.clone()).await;
            let now = self.clock.now();
            let delay = retry_delay(safety.is_read(), retries, &outcome, now);
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
