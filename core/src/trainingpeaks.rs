//! The typed TrainingPeaks client over [`Transport`].
//!
//! It talks to `tpapi.trainingpeaks.com` and `api.peakswaresb.com` the way the web app does:
//! the transport supplies the `Production_tpAuth` cookie (in the browser, the browser does),
//! the client exchanges it for a Bearer token at `/users/v3/token`, caches the token until 60 s
//! before expiry, and sends it on every data call. See `shared/spec/trainingpeaks-api.md` §2.
//!
//! Endpoint methods live in one file per area under `trainingpeaks/` as further
//! `impl TpClient` blocks; this file holds the request machinery they share.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::clock::Clock;
use crate::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};

/// The two API hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `tpapi.trainingpeaks.com`: everything except strength, weather and analysis.
    Tp,
    /// `api.peakswaresb.com`: strength (`/rx/activity/v1`), weather, workout analysis.
    Peaksware,
}

/// Base URLs of the two hosts, without a trailing slash. Overridable so tests and
/// `paceline mcp --direct` can point at a local fake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBases {
    /// Base URL for [`Api::Tp`].
    pub tp: String,
    /// Base URL for [`Api::Peaksware`].
    pub peaksware: String,
}

impl Default for ApiBases {
    fn default() -> Self {
        Self {
            tp: "https://tpapi.trainingpeaks.com".into(),
            peaksware: "https://api.peakswaresb.com".into(),
        }
    }
}

impl ApiBases {
    /// The base URL for one host.
    pub fn base(&self, api: Api) -> &str {
        match api {
            Api::Tp => &self.tp,
            Api::Peaksware => &self.peaksware,
        }
    }
}

/// Everything that can go wrong talking to TrainingPeaks.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TpError {
    /// The TrainingPeaks session is missing or expired (cookie rejected at `/users/v3/token`,
    /// or a data call still 401 after one re-exchange). The person must log in again.
    #[error(
        "Not logged in to TrainingPeaks: the session is missing or has expired. Log in at \
         https://app.trainingpeaks.com in your browser, then retry."
    )]
    NotLoggedIn,
    /// The request never produced a response.
    #[error("TrainingPeaks could not be reached: {0}")]
    Transport(#[from] TransportError),
    /// The server answered 404 for the thing asked for.
    #[error("{what} not found (HTTP 404 from {method} {path})")]
    NotFound {
        /// What was looked for, e.g. "workout 123".
        what: String,
        /// The method.
        method: Method,
        /// The path requested.
        path: String,
    },
    /// Too many requests, even after waiting and retrying (reads only).
    #[error("TrainingPeaks rate limit hit (HTTP 429); wait a minute and retry")]
    RateLimited {
        /// Seconds the server asked us to wait, if it said.
        retry_after: Option<u64>,
    },
    /// Any other non-success status.
    #[error("HTTP {status} from {method} {path}: {body}")]
    Status {
        /// The status code.
        status: u16,
        /// The method.
        method: Method,
        /// The path requested.
        path: String,
        /// The response body (truncated).
        body: String,
    },
    /// A response that did not have the expected shape.
    #[error("unexpected response from {path}: {message}")]
    Decode {
        /// The path requested.
        path: String,
        /// What did not fit, with the JSON path of the field.
        message: String,
    },
    /// The caller's input was invalid; `field` names the offending argument.
    #[error("{field}: {message}")]
    InvalidInput {
        /// The argument or field name.
        field: String,
        /// What is wrong and what would be valid.
        message: String,
    },
}

/// A cached Bearer token.
#[derive(Debug, Clone)]
struct Token {
    access_token: String,
    expires_at: DateTime<Utc>,
}

/// How long before expiry a cached token is considered stale (spec §2.2: 60 s).
const TOKEN_REFRESH_MARGIN_SECS: i64 = 60;

/// The TrainingPeaks client. Cheap to share behind an `Arc`; all caches are internal.
pub struct TpClient {
    transport: Arc<dyn Transport>,
    clock: Arc<dyn Clock>,
    bases: ApiBases,
    token: Mutex<Option<Token>>,
    user: Mutex<Option<Value>>,
}

impl std::fmt::Debug for TpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TpClient").field("bases", &self.bases).finish_non_exhaustive()
    }
}

impl TpClient {
    /// A client on the real hosts.
    pub fn new(transport: Arc<dyn Transport>, clock: Arc<dyn Clock>) -> Self {
        Self::with_bases(transport, clock, ApiBases::default())
    }

    /// A client on custom base URLs.
    pub fn with_bases(transport: Arc<dyn Transport>, clock: Arc<dyn Clock>, bases: ApiBases) -> Self {
        Self { transport, clock, bases, token: Mutex::new(None), user: Mutex::new(None) }
    }

    /// The injected clock.
    pub fn clock(&self) -> &dyn Clock {
        &*self.clock
    }

    /// The base URLs in use.
    pub fn bases(&self) -> &ApiBases {
        &self.bases
    }

    /// Forgets the cached token and user (e.g. after the person logged out).
    pub fn clear_session(&self) {
        *lock(&self.token) = None;
        *lock(&self.user) = None;
    }

    /// Returns a valid Bearer token, exchanging the cookie at `/users/v3/token` when there is
    /// none cached or it expires within 60 s.
    pub async fn access_token(&self) -> Result<String, TpError> {
        let now = self.clock.now();
        if let Some(t) = lock(&self.token).as_ref() {
            if (t.expires_at - now).num_seconds() > TOKEN_REFRESH_MARGIN_SECS {
                return Ok(t.access_token.clone());
            }
        }
        self.exchange_token().await
    }

    /// Exchanges the session cookie for a fresh token and caches it.
    async fn exchange_token(&self) -> Result<String, TpError> {
        // No Authorization header on this call (spec §2.2, DOC3P): the cookie is the credential.
        let url = format!("{}/users/v3/token", self.bases.tp);
        let req = HttpRequest::new(Method::Get, url).header("accept", "application/json");
        let resp = self.transport.send(req).await?;
        if resp.status == 401 || resp.status == 403 {
            return Err(TpError::NotLoggedIn);
        }
        if !resp.is_success() {
            return Err(status_error(Method::Get, "/users/v3/token", &resp));
        }
        let body: Value = decode(&resp, "/users/v3/token")?;
        // `success: false` is a failure even with 200 (spec §2.2, REF).
        if body.get("success").and_then(Value::as_bool) == Some(false) {
            return Err(TpError::NotLoggedIn);
        }
        let token = body.get("token").ok_or_else(|| TpError::Decode {
            path: "/users/v3/token".into(),
            message: "missing `token`".into(),
        })?;
        let access_token = token
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| TpError::Decode {
                path: "/users/v3/token".into(),
                message: "missing `token.access_token`".into(),
            })?
            .to_string();
        let expires_in = token.get("expires_in").and_then(Value::as_i64).unwrap_or(3600);
        let expires_at = self.clock.now() + chrono::Duration::seconds(expires_in);
        *lock(&self.token) = Some(Token { access_token: access_token.clone(), expires_at });
        Ok(access_token)
    }

    /// Sends an authenticated request and returns the raw response (any status).
    ///
    /// On a 401 the token is re-exchanged once and the request retried once: a 401 means the
    /// server rejected the request before acting on it, so even a write is safe to resend.
    /// Other failures of writes are never retried, because a retry could duplicate a workout.
    pub async fn send(
        &self,
        method: Method,
        api: Api,
        path: &str,
        body: Option<&Value>,
    ) -> Result<HttpResponse, TpError> {
        let mut refreshed = false;
        loop {
            let token = if refreshed { self.exchange_token().await? } else { self.access_token().await? };
            let url = format!("{}{}", self.bases.base(api), path);
            let mut req = HttpRequest::new(method, url)
                .header("authorization", format!("Bearer {token}"))
                .header("accept", "application/json");
            if let Some(b) = body {
                req = req.json_body(b);
            }
            let resp = self.transport.send(req).await?;
            if resp.status == 401 {
                if refreshed {
                    *lock(&self.token) = None;
                    return Err(TpError::NotLoggedIn);
                }
                refreshed = true;
                continue;
            }
            return Ok(resp);
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
        let resp = self.send(method, api, path, body).await?;
        if !resp.is_success() {
            return Err(status_error(method, path, &resp));
        }
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        decode(&resp, path)
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

    /// The signed-in user (`GET /users/v3/user` → `user`), fetched once and cached.
    pub async fn user(&self) -> Result<Value, TpError> {
        if let Some(u) = lock(&self.user).as_ref() {
            return Ok(u.clone());
        }
        let v = self.get_json(Api::Tp, "/users/v3/user").await?;
        let user = v.get("user").cloned().ok_or_else(|| TpError::Decode {
            path: "/users/v3/user".into(),
            message: "missing `user`".into(),
        })?;
        *lock(&self.user) = Some(user.clone());
        Ok(user)
    }

    /// The athlete a tool acts on: `requested` if given (coaches), else the signed-in user's
    /// own `userId`.
    ///
    /// Spec §2.4 lists a CONFLICT (`userId` vs `personId`). We use `userId`, which the reference
    /// server uses in every path and which works for plain athletes; for coaches the roster's
    /// `athleteId` is passed explicitly.
    pub async fn athlete_id(&self, requested: Option<i64>) -> Result<i64, TpError> {
        if let Some(id) = requested {
            if id <= 0 {
                return Err(TpError::InvalidInput {
                    field: "athlete_id".into(),
                    message: "must be a positive TrainingPeaks athlete id".into(),
                });
            }
            return Ok(id);
        }
        let user = self.user().await?;
        user.get("userId").and_then(Value::as_i64).ok_or_else(|| TpError::Decode {
            path: "/users/v3/user".into(),
            message: "missing `user.userId`".into(),
        })
    }

    /// Waits, through the injected clock (used by back-off).
    pub async fn sleep(&self, d: Duration) {
        self.clock.sleep(d).await;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Turns a non-success response into a [`TpError`].
pub(crate) fn status_error(method: Method, path: &str, resp: &HttpResponse) -> TpError {
    let mut body = resp.text();
    if body.len() > 500 {
        let cut = (0..=500).rev().find(|i| body.is_char_boundary(*i)).unwrap_or(0);
        body.truncate(cut);
        body.push('…');
    }
    match resp.status {
        401 => TpError::NotLoggedIn,
        404 => TpError::NotFound { what: path.to_string(), method, path: path.to_string() },
        429 => TpError::RateLimited {
            retry_after: resp.header_value("retry-after").and_then(|v| v.trim().parse().ok()),
        },
        status => TpError::Status { status, method, path: path.to_string(), body },
    }
}

fn decode(resp: &HttpResponse, path: &str) -> Result<Value, TpError> {
    serde_json::from_slice(&resp.body)
        .map_err(|e| TpError::Decode { path: path.to_string(), message: e.to_string() })
}

/// Decodes a JSON value into `T`, naming the JSON path of the first bad field.
pub(crate) fn from_value<T: DeserializeOwned>(v: Value, path: &str) -> Result<T, TpError> {
    serde_json::from_value(v)
        .map_err(|e| TpError::Decode { path: path.to_string(), message: e.to_string() })
}

impl TpClient {
    /// The cached token and user as JSON, so a host that loses memory (a restarted browser
    /// service worker) can restore them with [`TpClient::restore_session`] instead of
    /// exchanging the cookie again. Holds a short-lived Bearer token: store it only in
    /// session-scoped, same-origin storage (`chrome.storage.session`).
    pub fn session_snapshot(&self) -> Value {
        let token = lock(&self.token).clone();
        let user = lock(&self.user).clone();
        serde_json::json!({
            "token": token.map(|t| serde_json::json!({"accessToken": t.access_token, "expiresAt": t.expires_at.timestamp()})),
            "user": user,
        })
    }

    /// Restores a [`TpClient::session_snapshot`]. A token that is expired (or within the 60 s
    /// refresh margin) is ignored; malformed input is ignored.
    pub fn restore_session(&self, snapshot: &Value) {
        if let Some(t) = snapshot.get("token") {
            let access = t.get("accessToken").and_then(Value::as_str);
            let expires = t.get("expiresAt").and_then(Value::as_i64).and_then(|s| DateTime::from_timestamp(s, 0));
            if let (Some(access), Some(expires_at)) = (access, expires) {
                if (expires_at - self.clock.now()).num_seconds() > TOKEN_REFRESH_MARGIN_SECS && !access.is_empty() {
                    *lock(&self.token) = Some(Token { access_token: access.to_string(), expires_at });
                }
            }
        }
        if let Some(u) = snapshot.get("user").filter(|u| u.is_object()) {
            *lock(&self.user) = Some(u.clone());
        }
    }
}
