//! The typed TrainingPeaks client over [`Transport`].
//!
//! It talks to `tpapi.trainingpeaks.com` and `api.peakswaresb.com` the way the web app does:
//! the transport supplies the `Production_tpAuth` cookie (in the browser, the browser does),
//! the client exchanges it for a Bearer token at `/users/v3/token`, caches the token until 60 s
//! before expiry, and sends it on every data call. See `shared/spec/trainingpeaks-api.md` §2.
//!
//! Endpoint methods live in one file per area under `trainingpeaks/` as further
//! `impl TpClient` blocks; this file holds the request machinery they share.
//!
//! # Request policy (what every endpoint method gets for free)
//!
//! | Situation | Reads (GET, and POSTs that only query: [`Safety::Read`]) | Writes (POST/PUT/DELETE) |
//! |---|---|---|
//! | 401 on a data call | drop the token, re-exchange once, resend once; a second 401 is [`TpError::NotLoggedIn`] | same: a 401 means the server refused the request before acting on it |
//! | 429 | retried with back-off, honouring `Retry-After` | not retried → [`TpError::RateLimited`] (the server refused it, so the write was not applied) |
//! | 5xx | retried with back-off, honouring `Retry-After` | not retried → [`TpError::WriteOutcomeUnknown`] |
//! | [`TransportError::Connect`] | retried with back-off | retried **once**: the connection failed before the request was sent, so nothing can have been applied |
//! | [`TransportError::Timeout`] / [`TransportError::Io`] | retried with back-off (a GET cannot change anything) | not retried → [`TpError::WriteOutcomeUnknown`] |
//!
//! Back-off is 0.5 s, 1 s, 2 s (at most [`MAX_READ_RETRIES`] retries), or the server's
//! `Retry-After` when that is longer. A `Retry-After` above [`MAX_RETRY_AFTER`] is not waited
//! out: the error is returned at once with the server's figure, so a person is told how long to
//! wait instead of a tool call hanging for minutes. All waiting goes through the injected
//! [`Clock`], so tests run it in zero wall time.
//!
//! Every data call also passes a client-side [`RateLimit`] (see there) so that one client never
//! exceeds TrainingPeaks' budget of roughly 100 requests a minute (spec §2.2), shared fairly
//! between concurrent calls, each with its own deadline (`trainingpeaks/rate.rs`).

pub mod calendar;
mod creates;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::clock::Clock;
use crate::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};

pub mod equipment;
pub mod fitness;
mod library;
pub mod metrics;
mod rate;
pub mod settings;
mod strength;
pub mod user;

pub use creates::DUPLICATE_WINDOW;
pub use library::{Library, LibraryItem};
pub use rate::{CallOptions, DEFAULT_CALL_DEADLINE, RateLimit, RateWait, WaitObserver};
use rate::{CallScope, Limiter};
pub use strength::{
    STRENGTH_PARAMS, SequenceSummary, StrengthParam, StrengthSummary, StrengthWorkout,
    strength_param,
};
pub use user::User;
pub mod workouts;

/// Whether a request can change server state. It decides the retry policy and the wording of
/// errors (module docs). Usually the method says it ([`Safety::of`]), but some reads are sent
/// as POST because their query is a body (the performance-data report): those are sent with
/// [`TpClient::request_json_read`], retried like GETs, and never told "may have been applied".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Repeating the request cannot change anything.
    Read,
    /// The request may change server state: never repeated once it may have arrived.
    Write,
}

impl Safety {
    /// What a method implies: GET reads, everything else writes.
    pub fn of(method: Method) -> Self {
        if method.is_safe() {
            Safety::Read
        } else {
            Safety::Write
        }
    }

    fn is_read(self) -> bool {
        self == Safety::Read
    }
}

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

/// Everything that can go wrong talking to TrainingPeaks. Every message says what happened and
/// what the person can do about it.
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
    /// The request never produced a response (reads: even after retrying; writes: the
    /// connection failed before anything was sent, so nothing was changed).
    #[error("TrainingPeaks could not be reached ({0}). Check the internet connection, then retry.")]
    Transport(#[from] TransportError),
    /// The server answered 404 for the thing asked for.
    #[error(
        "{what} was not found in TrainingPeaks (HTTP 404 from {method} {path}). Check that the \
         id or date is right and belongs to this athlete."
    )]
    NotFound {
        /// What was looked for, e.g. "workout 123".
        what: String,
        /// The method.
        method: Method,
        /// The path requested.
        path: String,
    },
    /// Too many requests: a read still limited after waiting and retrying, or a write the
    /// server refused (so it was not applied).
    #[error(
        "TrainingPeaks is rate-limiting requests (HTTP 429; it allows about 100 a minute). \
         Wait {}, then retry.",
        wait_phrase(*retry_after)
    )]
    RateLimited {
        /// Seconds the server asked us to wait, if it said.
        retry_after: Option<u64>,
    },
    /// Any other non-success status.
    #[error("{}", status_message(*status, *method, path, body))]
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
    #[error(
        "Unexpected response from TrainingPeaks {path}: {message}. TrainingPeaks may have \
         changed its API; please report this."
    )]
    Decode {
        /// The path requested.
        path: String,
        /// What did not fit, with the JSON path of the field.
        message: String,
    },
    /// A response lacked a field the tool cannot do without (or held something unreadable
    /// there). Fields a tool can do without never cause this: they read as unknown.
    #[error(
        "Unexpected response from TrainingPeaks: {0}. TrainingPeaks may have changed its API; \
         please report this."
    )]
    MissingField(#[from] crate::wire::MissingField),
    /// The caller's input was invalid; `field` names the offending argument.
    #[error("{field}: {message}")]
    InvalidInput {
        /// The argument or field name.
        field: String,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// The TrainingPeaks login changed hands during the call (a logout and a login as someone
    /// else): the request, made for the previous person, drew a 401 and was not sent again
    /// with the new person's token, so nothing was changed for either.
    #[error(
        "The TrainingPeaks login changed during this call (from user {previous} to user \
         {current}), so the request made for user {previous} was not sent again and nothing \
         was changed. Retry to act as the user now logged in."
    )]
    SessionChanged {
        /// The user the request was made for.
        previous: i64,
        /// The user now logged in.
        current: i64,
    },
    /// An identical create was sent minutes ago and its outcome is unknown; it was not sent
    /// again, because it may already have been applied and there is no way to look for it.
    #[error(
        "An identical {what} was sent {sent} and its outcome is unknown (it may have been \
         created). Nothing was sent now, so it is not created twice: check TrainingPeaks \
         first; if it is not there, retry in {minutes_left} min, or change the request."
    )]
    DuplicateOutcomeUnknown {
        /// What the create makes, e.g. "event".
        what: String,
        /// When the earlier attempt was sent, e.g. "3 min ago".
        sent: String,
        /// Minutes until the earlier attempt leaves the duplicate window.
        minutes_left: i64,
    },
    /// The call would have to wait for the client-side request budget past its deadline, so it
    /// was stopped before sending anything more (nothing was changed by the requests not sent).
    #[error(
        "This call still needs {requests} request(s) to TrainingPeaks, and the request budget \
         ({max_requests} per {per_secs} s, shared by all calls) would make it wait about \
         {wait_secs} s, past its deadline of {deadline_secs} s; it was stopped before sending \
         them. Ask for less at once (e.g. a shorter date range), or retry in a minute."
    )]
    BudgetExceeded {
        /// Requests of the call still waiting for the budget.
        requests: usize,
        /// How long the last of them would have waited, in seconds.
        wait_secs: u64,
        /// The call's deadline, in seconds.
        deadline_secs: u64,
        /// The budget: requests…
        max_requests: u32,
        /// …per this many seconds.
        per_secs: u64,
    },
    /// A write failed in a way that does not tell whether TrainingPeaks applied it (a 5xx, a
    /// timeout, or a connection lost after sending). It is never retried automatically: a
    /// blind retry could create a second workout.
    #[error(
        "{method} {path} failed ({reason}), and the change may or may not have been applied. \
         Check the calendar in TrainingPeaks (reload it) before retrying, so it is not applied \
         twice."
    )]
    WriteOutcomeUnknown {
        /// The write method.
        method: Method,
        /// The path requested.
        path: String,
        /// What went wrong, e.g. "HTTP 503: …" or "request timed out".
        reason: String,
    },
}

fn wait_phrase(retry_after: Option<u64>) -> String {
    match retry_after {
        Some(1) => "1 second".into(),
        Some(s) if s > 0 => format!("{s} seconds"),
        _ => "about a minute".into(),
    }
}

fn status_message(status: u16, method: Method, path: &str, body: &str) -> String {
    let body = if body.trim().is_empty() {
        String::new()
    } else {
        format!(" Response: {body}")
    };
    match status {
        500..=599 => format!(
            "TrainingPeaks had a problem (HTTP {status} from {method} {path}). This is on \
             TrainingPeaks' side; try again in a few minutes.{body}"
        ),
        403 => format!(
            "TrainingPeaks refused access (HTTP 403 from {method} {path}). The account may not \
             have permission for this athlete or feature (e.g. a coach-only or premium \
             feature).{body}"
        ),
        400 | 409 | 422 => format!(
            "TrainingPeaks rejected the request as invalid (HTTP {status} from {method} {path}). \
             Check the values sent.{body}"
        ),
        _ => format!("HTTP {status} from {method} {path}.{body}"),
    }
}

/// A cached Bearer token.
#[derive(Debug, Clone)]
struct Token {
    access_token: String,
    expires_at: DateTime<Utc>,
}

/// How long before expiry a cached token is considered stale (spec §2.2: 60 s).
const TOKEN_REFRESH_MARGIN_SECS: i64 = 60;

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
/// The longest date range TrainingPeaks list endpoints are asked for in one request; longer
/// ranges are split by [`date_windows`] (spec §5.1: clients cap workout ranges at 90 days and RGW
/// splits longer ones; whether the server enforces it is unknown, so we never ask for more).
pub const MAX_RANGE_DAYS: i64 = 90;

/// One athlete the signed-in user may act on: a coach's roster entry from `user.athletes[]`
/// (spec §2.4), or, for a plain athlete, the user themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AthleteSummary {
    /// The id to pass as `athlete_id` to athlete-scoped tools.
    pub athlete_id: i64,
    /// First name, if known.
    pub first_name: Option<String>,
    /// Last name, if known.
    pub last_name: Option<String>,
    /// E-mail address, if known.
    pub email: Option<String>,
    /// The coach's person id (`coachedBy`), if the athlete is coached.
    pub coached_by: Option<i64>,
    /// TrainingPeaks account type code (`userType`: 1 was premium, 4 premium, 6 basic).
    pub user_type: Option<i64>,
    /// Whether this is the signed-in user's own athlete record.
    pub is_self: bool,
}

/// The TrainingPeaks client. Cheap to share behind an `Arc`; all caches are internal.
pub struct TpClient {
    transport: Arc<dyn Transport>,
    clock: Arc<dyn Clock>,
    bases: ApiBases,
    // Shared by every per-call view of the client (`for_call`), hence the `Arc`s.
    token: Arc<Mutex<Option<Token>>>,
    /// Serialises token exchanges so concurrent requests on a cold client (e.g. the windows of
    /// a chunked range) share one exchange instead of each making their own.
    exchange_lock: Arc<futures_util::lock::Mutex<()>>,
    user: Arc<Mutex<Option<User>>>,
    /// Bumped whenever the session may have changed hands (every token exchange, every "not
    /// logged in"), so a user fetched across such a change is not cached as the new one's.
    session_generation: Arc<std::sync::atomic::AtomicU64>,
    /// Same for the one `/users/v3/user` fetch.
    user_lock: Arc<futures_util::lock::Mutex<()>>,
    limiter: Arc<Limiter>,
    /// Recent creates, for the duplicate guard (`trainingpeaks/creates.rs`).
    creates: Arc<creates::Journal>,
    /// The tool call this view of the client serves (id, deadline, wait observer).
    scope: CallScope,
}

impl std::fmt::Debug for TpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TpClient")
            .field("bases", &self.bases)
            .field("rate_limit", &self.limiter.limit)
            .finish_non_exhaustive()
    }
}

impl TpClient {
    /// A client on the real hosts.
    pub fn new(transport: Arc<dyn Transport>, clock: Arc<dyn Clock>) -> Self {
        Self::with_bases(transport, clock, ApiBases::default())
    }

    /// A client on custom base URLs, with the default [`RateLimit::TRAININGPEAKS`].
    pub fn with_bases(
        transport: Arc<dyn Transport>,
        clock: Arc<dyn Clock>,
        bases: ApiBases,
    ) -> Self {
        Self {
            transport,
            clock,
            bases,
            token: Arc::default(),
            exchange_lock: Arc::default(),
            user: Arc::default(),
            session_generation: Arc::default(),
            user_lock: Arc::default(),
            limiter: Arc::new(Limiter::new(Some(RateLimit::TRAININGPEAKS))),
            creates: Arc::default(),
            scope: CallScope::default(),
        }
    }

    /// Another view of the same client state (session, caches, budget, journal) serving
    /// `scope`.
    fn view(&self, scope: CallScope) -> TpClient {
        TpClient {
            transport: self.transport.clone(),
            clock: self.clock.clone(),
            bases: self.bases.clone(),
            token: self.token.clone(),
            exchange_lock: self.exchange_lock.clone(),
            user: self.user.clone(),
            session_generation: self.session_generation.clone(),
            user_lock: self.user_lock.clone(),
            limiter: self.limiter.clone(),
            creates: self.creates.clone(),
            scope,
        }
    }

    /// This view with the duplicate guard on for its POSTs (see `trainingpeaks/creates.rs`):
    /// an identical create within [`DUPLICATE_WINDOW`] returns what the first one created
    /// instead of creating it again, and says so in [`TpClient::take_notices`]. Tools whose
    /// annotations say "create" run with it.
    pub fn guarding_creates(&self) -> TpClient {
        self.view(CallScope {
            guard_creates: true,
            // Its own notices, so a call's answer reports only its own duplicates even on a
            // client shared without `for_call`.
            notices: Arc::default(),
            ..self.scope.clone()
        })
    }

    /// Takes the lines this call has to add to its answer (e.g. that an identical workout
    /// created minutes ago was returned instead of a duplicate).
    pub fn take_notices(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.scope.notices))
    }

    /// A view of this client for one tool call: the same session, caches and request budget,
    /// plus the call's own identity (so the budget is shared fairly between concurrent
    /// calls), its deadline (a call that would wait for the budget past it fails at once with
    /// [`TpError::BudgetExceeded`]; retries stop short of it), and an observer told about every
    /// wait for the budget. See `trainingpeaks/rate.rs`.
    pub fn for_call(&self, options: CallOptions) -> TpClient {
        let now = self.clock.now();
        let deadline = options.deadline.and_then(|d| {
            chrono::Duration::from_std(d)
                .ok()
                .and_then(|d| now.checked_add_signed(d))
        });
        self.view(CallScope {
            id: self.limiter.next_call_id(),
            deadline,
            deadline_len: options.deadline,
            observer: options.observer,
            ..CallScope::default()
        })
    }

    /// Replaces the client-side rate limit; `None` disables it. Only for backends that are not
    /// the real TrainingPeaks (the in-memory sandbox, benchmarks), where throttling would only
    /// distort timings.
    pub fn with_rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.limiter = Arc::new(Limiter::new(limit));
        self
    }

    /// The client-side rate limit in force, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.limiter.limit
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
        self.forget_user();
    }

    /// Forgets the cached user: the next [`TpClient::user`] (and so every default athlete id)
    /// is fetched again with the current token. Called on every token exchange and every "not
    /// logged in": the cookie behind a new token may belong to someone else (a logout and a
    /// login as another person), and the old athlete id must never go out with their token.
    fn forget_user(&self) {
        use std::sync::atomic::Ordering;
        self.session_generation.fetch_add(1, Ordering::SeqCst);
        *lock(&self.user) = None;
    }

    fn generation(&self) -> u64 {
        self.session_generation
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The session is gone: forget it all and say so.
    fn logged_out(&self) -> TpError {
        self.clear_session();
        TpError::NotLoggedIn
    }

    /// Checks the session against the browser's cookie now rather than trusting the cache:
    /// exchanges the cookie for a new token (which forgets the cached user) and fetches the
    /// user again. For status displays (the popup, `paceline doctor`), which must notice a
    /// logout or a login as someone else at once; the exchange is not rate limited.
    pub async fn check_session(&self) -> Result<User, TpError> {
        {
            let _exchanging = self.exchange_lock.lock().await;
            self.exchange_token().await?;
        }
        self.user().await
    }

    /// The cached token if it is valid for more than the refresh margin.
    fn fresh_token(&self) -> Option<String> {
        let now = self.clock.now();
        lock(&self.token)
            .as_ref()
            .filter(|t| (t.expires_at - now).num_seconds() > TOKEN_REFRESH_MARGIN_SECS)
            .map(|t| t.access_token.clone())
    }

    /// Returns a valid Bearer token, exchanging the cookie at `/users/v3/token` when there is
    /// none cached or it expires within 60 s.
    pub async fn access_token(&self) -> Result<String, TpError> {
        if let Some(t) = self.fresh_token() {
            return Ok(t);
        }
        let _exchanging = self.exchange_lock.lock().await;
        // Another request may have exchanged while we waited for the lock.
        if let Some(t) = self.fresh_token() {
            return Ok(t);
        }
        self.exchange_token().await
    }

    /// A new token after `rejected` drew a 401. If a concurrent request already replaced it,
    /// that replacement is used rather than exchanging again.
    async fn replace_token(&self, rejected: &str) -> Result<String, TpError> {
        let _exchanging = self.exchange_lock.lock().await;
        if let Some(t) = self.fresh_token().filter(|t| t != rejected) {
            return Ok(t);
        }
        *lock(&self.token) = None;
        self.exchange_token().await
    }

    /// Exchanges the session cookie for a fresh token and caches it.
    async fn exchange_token(&self) -> Result<String, TpError> {
        const PATH: &str = "/users/v3/token";
        // No Authorization header on this call (spec §2.2, DOC3P): the cookie is the credential.
        // Not counted by the rate limiter: spec §2.2 says the exchange is not rate limited.
        let url = format!("{}{PATH}", self.bases.tp);
        let req = HttpRequest::new(Method::Get, url).header("accept", "application/json");
        let resp = self.transmit(req, PATH, false, Safety::Read).await?;
        if resp.status == 401 || resp.status == 403 {
            return Err(self.logged_out());
        }
        if !resp.is_success() {
            return Err(status_error(Method::Get, PATH, &resp));
        }
        let body: Value = decode_body(&resp, PATH)?;
        // `success: false` is a failure even with 200 (spec §2.2, REF).
        if body.get("success").and_then(Value::as_bool) == Some(false) {
            return Err(self.logged_out());
        }
        let token = body.get("token").ok_or_else(|| TpError::Decode {
            path: PATH.into(),
            message: "missing `token`".into(),
        })?;
        let access_token = token
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| TpError::Decode {
                path: PATH.into(),
                message: "missing `token.access_token`".into(),
            })?
            .to_string();
        let now = self.clock.now();
        let expires_at = now
            .checked_add_signed(token_lifetime(token.get("expires_in")))
            .unwrap_or(now);
        // A new token may speak for another person than the last one (see `forget_user`): the
        // user is fetched again before any default athlete id is used.
        self.forget_user();
        *lock(&self.token) = Some(Token {
            access_token: access_token.clone(),
            expires_at,
        });
        Ok(access_token)
    }

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

    /// The `userId` of the cached user, if any.
    fn cached_user_id(&self) -> Option<i64> {
        lock(&self.user).as_ref().and_then(|u| u.user_id.val())
    }

    /// After a re-exchange: fetches the user behind the new `token` (caching it) and fails
    /// with [`TpError::SessionChanged`] if it is not `previous`, so a request built for one
    /// person is never resent with another person's token. Fetched here with one plain
    /// request rather than through [`TpClient::user`], which would re-enter [`TpClient::send`].
    async fn confirm_same_user(&self, previous: i64, token: &str) -> Result<(), TpError> {
        const PATH: &str = "/users/v3/user";
        let generation = self.generation();
        let req = HttpRequest::new(Method::Get, format!("{}{PATH}", self.bases.tp))
            .header("authorization", format!("Bearer {token}"))
            .header("accept", "application/json");
        let resp = self.transmit(req, PATH, true, Safety::Read).await?;
        if resp.status == 401 {
            return Err(self.logged_out());
        }
        if !resp.is_success() {
            return Err(status_error(Method::Get, PATH, &resp));
        }
        let v: Value = decode_body(&resp, PATH)?;
        let user = user_from_envelope(v, PATH)?;
        let current = user.user_id.require("signed-in user", "userId")?;
        {
            let mut cached = lock(&self.user);
            if self.generation() == generation {
                *cached = Some(user);
            }
        }
        if current != previous {
            return Err(TpError::SessionChanged { previous, current });
        }
        Ok(())
    }

    /// Sends one request through the rate limiter and the transport, retrying as the module
    /// docs describe. Returns the last response, whatever its status.
    async fn transmit(
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

    /// A create through the duplicate guard (`trainingpeaks/creates.rs`).
    async fn create_once(&self, api: Api, path: &str, body: &Value) -> Result<Value, TpError> {
        let key = format!(
            "{}{path} {}",
            self.bases.base(api),
            creates::canonical(body)
        );
        let noun = creates::noun_of(path);
        let now = self.clock.now();
        match self.creates.lookup(&key, now) {
            Some((at, creates::Outcome::Created(v))) => {
                let id = creates::created_id(&noun, &v)
                    .map(|id| format!(" (id {id})"))
                    .unwrap_or_default();
                self.notice(format!(
                    "An identical {noun} was created {}{id}; returned it instead of creating a \
                     duplicate.",
                    creates::ago(at, now)
                ));
                return Ok(v);
            }
            Some((at, creates::Outcome::Unknown)) => {
                // Never re-sent blindly: look for what the earlier attempt may have made.
                let Some(identity) = creates::workout_identity(path, body) else {
                    let window =
                        chrono::Duration::from_std(creates::DUPLICATE_WINDOW).unwrap_or_default();
                    // Whole minutes, rounded up, so "retry in N min" is never too early.
                    let left = at.checked_add_signed(window).map_or(0, |end| {
                        (end.signed_duration_since(now).num_seconds() + 59) / 60
                    });
                    return Err(TpError::DuplicateOutcomeUnknown {
                        what: noun,
                        sent: creates::ago(at, now),
                        minutes_left: left.max(1),
                    });
                };
                if let Some(found) = self.find_workout_like(api, identity).await? {
                    let id = creates::created_id(&noun, &found)
                        .map(|id| format!(" (id {id})"))
                        .unwrap_or_default();
                    self.notice(format!(
                        "An identical {noun} was sent {} and its outcome was unknown; it is on \
                         TrainingPeaks{id}, so it was returned instead of creating a duplicate.",
                        creates::ago(at, now)
                    ));
                    self.creates
                        .settle(&key, at, Some(creates::Outcome::Created(found.clone())));
                    return Ok(found);
                }
                // Not there: the earlier attempt was not applied; send it now.
            }
            None => {}
        }
        self.creates.begin(&key, now);
        let result = self
            .request_json_plain(Method::Post, api, path, Some(body), Safety::Write)
            .await;
        let outcome = match &result {
            Ok(v) => Some(creates::Outcome::Created(v.clone())),
            // It may have been applied: remembered, so a retry looks before sending.
            Err(TpError::WriteOutcomeUnknown { .. }) => Some(creates::Outcome::Unknown),
            // Refused or never sent: nothing was created.
            Err(_) => None,
        };
        self.creates.settle(&key, now, outcome);
        result
    }

    /// A workout on `day` with this title and sport, if TrainingPeaks has one.
    async fn find_workout_like(
        &self,
        api: Api,
        (athlete, day, title, sport): (String, String, String, Value),
    ) -> Result<Option<Value>, TpError> {
        let path = format!("/fitness/v6/athletes/{athlete}/workouts/{day}/{day}");
        let list = self
            .request_json_plain(Method::Get, api, &path, None, Safety::Read)
            .await?;
        let found = list.as_array().and_then(|items| {
            items.iter().find(|w| {
                w.get("title").and_then(Value::as_str) == Some(title.as_str())
                    && w.get("workoutTypeValueId") == Some(&sport)
                    && w.get("workoutDay")
                        .and_then(Value::as_str)
                        .is_some_and(|d| d.starts_with(day.as_str()))
            })
        });
        Ok(found.cloned())
    }

    fn notice(&self, line: String) {
        lock(&self.scope.notices).push(line);
    }

    async fn request_json_plain(
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

    /// The signed-in user (`GET /users/v3/user` → `user`), fetched once and cached.
    pub async fn user(&self) -> Result<User, TpError> {
        // The token first: if it is stale, its exchange forgets the cached user, so an old
        // user is never answered beside a token that may belong to someone else.
        self.access_token().await?;
        if let Some(u) = lock(&self.user).as_ref() {
            return Ok(u.clone());
        }
        let _fetching = self.user_lock.lock().await;
        if let Some(u) = lock(&self.user).as_ref() {
            return Ok(u.clone());
        }
        // An exchange during the fetch (a 401, a concurrent re-exchange) means the answer may
        // describe another session than the cache now holds, so it is not cached.
        let generation = self.generation();
        let v = self.get_json(Api::Tp, "/users/v3/user").await?;
        let user = user_from_envelope(v, "/users/v3/user")?;
        let mut cached = lock(&self.user);
        if self.generation() == generation {
            *cached = Some(user.clone());
        }
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
                    message: format!(
                        "{id} is not a TrainingPeaks athlete id; it must be a positive number \
                         (list_athletes shows the ids you can use)"
                    ),
                });
            }
            return Ok(id);
        }
        let user = self.user().await?;
        Ok(user.user_id.require("signed-in user", "userId")?)
    }

    /// The athletes the signed-in user can act on: a coach's roster (`user.athletes[]`, spec
    /// §2.4), or, for a plain athlete whose roster is empty, the user themselves.
    ///
    /// Head coaches do not see sub-coached athletes in `athletes[]` (spec §2.4, ISS#92); that is
    /// a TrainingPeaks limitation we cannot work around.
    pub async fn athletes(&self) -> Result<Vec<AthleteSummary>, TpError> {
        let user = self.user().await?;
        let own_id = user.user_id.require("signed-in user", "userId")?;
        // A roster entry without a readable id cannot be acted on; the others still can.
        let mut out: Vec<AthleteSummary> = user
            .roster()
            .iter()
            .filter_map(|entry| {
                let athlete_id = entry.athlete_id.val()?;
                Some(AthleteSummary {
                    athlete_id,
                    first_name: entry.first_name(),
                    last_name: entry.last_name(),
                    email: entry.email(),
                    coached_by: entry.coached_by.val(),
                    user_type: entry.user_type.val(),
                    is_self: athlete_id == own_id,
                })
            })
            .collect();
        if out.is_empty() {
            out.push(AthleteSummary {
                athlete_id: own_id,
                first_name: user.first_name(),
                last_name: user.last_name(),
                email: user.email(),
                coached_by: None,
                user_type: user.user_type.val(),
                is_self: true,
            });
        }
        Ok(out)
    }

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
        futures_util::future::try_join_all(windows.into_iter().map(|(a, b)| fetch(a, b))).await
    }

    /// Waits, through the injected clock (used by back-off).
    pub async fn sleep(&self, d: Duration) {
        self.clock.sleep(d).await;
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

/// The longest token lifetime we believe: TrainingPeaks gives 3600 s (spec §2.2); a larger
/// figure is clamped so a wrong one cannot keep a revoked token cached for long.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// The lifetime assumed when `expires_in` is missing or unreadable (spec §2.2).
const DEFAULT_TOKEN_LIFETIME_SECS: i64 = 3600;

/// A token's lifetime from the server's `expires_in`, without ever overflowing: a number (any
/// JSON number, even `1e30` or `u64::MAX`) or numeric string is clamped to
/// `0..=`[`MAX_TOKEN_LIFETIME`] (0 means "use it for this request only"); anything else,
/// or nothing, is taken as the documented hour rather than failing the login.
fn token_lifetime(expires_in: Option<&Value>) -> chrono::Duration {
    let secs = match expires_in {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    };
    let max = MAX_TOKEN_LIFETIME.as_secs_f64();
    // `as` from f64 saturates; the clamp keeps it well inside chrono's range anyway.
    let secs = secs.map_or(DEFAULT_TOKEN_LIFETIME_SECS, |s| s.clamp(0.0, max) as i64);
    chrono::Duration::seconds(secs)
}

/// The `user` of a `/users/v3/user` answer, with a readable `userId` (without it no athlete
/// path can be built, so its absence is named here).
fn user_from_envelope(v: Value, path: &str) -> Result<User, TpError> {
    #[derive(Deserialize)]
    struct Envelope {
        #[serde(default)]
        user: crate::wire::Field<User>,
    }
    let envelope: Envelope = from_value(v, path)?;
    let user = match envelope.user {
        crate::wire::Field::Present(u) => u,
        other => {
            return Err(crate::wire::MissingField {
                entity: "signed-in user response".into(),
                field: "user".into(),
                expected: "an object",
                seen: other.seen(),
            }
            .into());
        }
    };
    user.user_id.require("signed-in user", "userId")?;
    Ok(user)
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
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

/// Names the thing a path refers to, for "not found" messages: the last `<noun>/<id>` pair,
/// e.g. `/fitness/v6/athletes/1/workouts/123` → "workout 123".
fn describe_resource(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    for pair in segs.windows(2).rev() {
        if let [noun, id] = pair {
            let is_id = id.chars().all(|c| c.is_ascii_digit() || c == '-') && !id.is_empty();
            let is_noun = noun.chars().all(|c| c.is_ascii_alphabetic());
            if is_id && is_noun {
                let noun = noun.to_ascii_lowercase();
                let singular = noun
                    .strip_suffix('s')
                    .filter(|s| !s.is_empty())
                    .unwrap_or(&noun);
                return format!("{singular} {id}");
            }
        }
    }
    "The requested item".into()
}

/// Turns a non-success response into a [`TpError`]. A 5xx to a write becomes
/// [`TpError::WriteOutcomeUnknown`], because the server may have applied it before failing.
pub(crate) fn status_error(method: Method, path: &str, resp: &HttpResponse) -> TpError {
    status_error_as(method, path, resp, Safety::of(method))
}

/// [`status_error`] for a request whose [`Safety`] is stated: a 5xx to a read sent as POST is
/// a plain server error, not an unknown outcome.
fn status_error_as(method: Method, path: &str, resp: &HttpResponse, safety: Safety) -> TpError {
    let mut body = resp.text();
    if body.len() > 500 {
        let cut = (0..=500)
            .rev()
            .find(|i| body.is_char_boundary(*i))
            .unwrap_or(0);
        body.truncate(cut);
        body.push('…');
    }
    match resp.status {
        401 => TpError::NotLoggedIn,
        404 => TpError::NotFound {
            what: describe_resource(path),
            method,
            path: path.to_string(),
        },
        429 => TpError::RateLimited {
            retry_after: resp
                .header_value("retry-after")
                .and_then(|v| v.trim().parse().ok()),
        },
        status @ 500..=599 if !safety.is_read() => TpError::WriteOutcomeUnknown {
            method,
            path: path.to_string(),
            reason: if body.trim().is_empty() {
                format!("HTTP {status} from TrainingPeaks")
            } else {
                format!("HTTP {status} from TrainingPeaks: {body}")
            },
        },
        status => TpError::Status {
            status,
            method,
            path: path.to_string(),
            body,
        },
    }
}

/// Decodes a response body, naming the JSON path of the first bad field.
fn decode_body<T: DeserializeOwned>(resp: &HttpResponse, path: &str) -> Result<T, TpError> {
    let mut de = serde_json::Deserializer::from_slice(&resp.body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| path_error(e, path))
}

/// Decodes a JSON value into `T`, naming the JSON path of the first bad field.
pub(crate) fn from_value<T: DeserializeOwned>(v: Value, path: &str) -> Result<T, TpError> {
    serde_path_to_error::deserialize(v).map_err(|e| path_error(e, path))
}

fn path_error(e: serde_path_to_error::Error<serde_json::Error>, path: &str) -> TpError {
    let at = e.path().to_string();
    let inner = e.into_inner();
    let message = if at.is_empty() || at == "." {
        inner.to_string()
    } else {
        format!("at `{at}`: {inner}")
    };
    TpError::Decode {
        path: path.to_string(),
        message,
    }
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
            let expires = t
                .get("expiresAt")
                .and_then(Value::as_i64)
                .and_then(|s| DateTime::from_timestamp(s, 0));
            if let (Some(access), Some(expires_at)) = (access, expires)
                && (expires_at - self.clock.now()).num_seconds() > TOKEN_REFRESH_MARGIN_SECS
                && !access.is_empty()
            {
                *lock(&self.token) = Some(Token {
                    access_token: access.to_string(),
                    expires_at,
                });
            }
        }
        if let Some(u) = snapshot
            .get("user")
            .filter(|u| u.is_object())
            .and_then(|u| serde_json::from_value::<User>(u.clone()).ok())
            .filter(|u| u.user_id.is_present())
        {
            *lock(&self.user) = Some(u);
        }
    }
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

    #[test]
    fn resource_names() {
        let cases = [
            ("/fitness/v6/athletes/1/workouts/123", "workout 123"),
            ("/fitness/v6/athletes/1/workouts/123/details", "workout 123"),
            ("/fitness/v1/athletes/1/events/focusevent", "athlete 1"),
            ("/users/v3/user", "The requested item"),
            ("/fitness/v1/athletes/7/notes/55?x=1", "note 55"),
        ];
        for (path, want) in cases {
            assert_eq!(describe_resource(path), want, "{path}");
        }
    }

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

    #[test]
    fn decode_errors_name_the_json_path() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Entry {
            #[serde(rename = "athleteId")]
            athlete_id: i64,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct User {
            athletes: Vec<Entry>,
        }
        let v = serde_json::json!({"athletes": [{"athleteId": 1}, {"athleteId": "x"}]});
        let err = from_value::<User>(v, "/users/v3/user").unwrap_err();
        let TpError::Decode { path, message } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(path, "/users/v3/user");
        assert!(message.contains("athletes[1].athleteId"), "{message}");
        assert!(err.to_string().contains("athletes[1].athleteId"), "{err}");

        let resp = HttpResponse::new(200, "{\"athletes\": [{}]}");
        let err = decode_body::<User>(&resp, "/p").unwrap_err();
        assert!(err.to_string().contains("athletes[0]"), "{err}");
        assert!(err.to_string().contains("athleteId"), "{err}");
    }

    #[test]
    fn status_errors_by_method() {
        let r503 = HttpResponse::new(503, "down");
        assert!(matches!(
            status_error(Method::Get, "/p", &r503),
            TpError::Status { status: 503, .. }
        ));
        for m in [Method::Post, Method::Put, Method::Delete] {
            let e = status_error(m, "/p", &r503);
            assert!(
                matches!(e, TpError::WriteOutcomeUnknown { .. }),
                "{m}: {e:?}"
            );
            assert!(
                e.to_string().contains("may or may not have been applied"),
                "{e}"
            );
        }
        let e = status_error(
            Method::Get,
            "/x",
            &HttpResponse::new(429, "").with_header("Retry-After", "12"),
        );
        assert_eq!(
            e,
            TpError::RateLimited {
                retry_after: Some(12)
            }
        );
        assert!(e.to_string().contains("Wait 12 seconds"), "{e}");
        let e = status_error(Method::Get, "/x", &HttpResponse::new(429, ""));
        assert!(e.to_string().contains("Wait about a minute"), "{e}");
    }

    #[test]
    fn long_bodies_are_truncated_on_a_char_boundary() {
        let body = "é".repeat(400); // 800 bytes
        let e = status_error(Method::Get, "/p", &HttpResponse::new(400, body));
        let TpError::Status { body, .. } = e else {
            panic!()
        };
        assert!(body.len() <= 504 && body.ends_with('…'), "{}", body.len());
    }
}
