//! The typed Intervals.icu client over [`Transport`].
//!
//! It talks to the documented API under `https://intervals.icu/api/v1` (the OpenAPI facts are in
//! `shared/spec/intervals-icu.md` §3). Two ways to authenticate ([`IcuAuth`]):
//! - **Session**: no `Authorization` header at all; in the browser the transport sends the
//!   logged-in intervals.icu cookie (`credentials: "include"`). Whether `/api/v1` accepts that
//!   cookie is not verified against the live service (spec §3.3), so every 401/403 says how to
//!   set an API key instead.
//! - **API key**: HTTP Basic with the literal user `API_KEY` and the key as password (spec
//!   §3.1). The key is sent only to the configured host ([`IcuClient`] refuses any other) and
//!   never appears in `Debug` output or in errors ([`IcuSecret`]).
//!
//! Endpoint methods live in one file per area under `intervals/` as further `impl IcuClient`
//! blocks; this file holds the configuration, ids, errors and the request machinery.
//!
//! # Request policy
//!
//! | Situation | Reads (GET) | Writes (POST/PUT/DELETE) |
//! |---|---|---|
//! | 401 | [`IcuError::NotAuthenticated`] (no retry: no token to refresh) | same: the server refused before acting |
//! | 403 | [`IcuError::Forbidden`] | same |
//! | 429 | retried with back-off, honouring `Retry-After` | not retried → [`IcuError::RateLimited`] (refused, so not applied) |
//! | 5xx | retried with back-off, honouring `Retry-After` | not retried → [`IcuError::WriteOutcomeUnknown`] |
//! | [`TransportError::Connect`] | retried with back-off | retried **once**: nothing was sent |
//! | [`TransportError::Timeout`] / [`TransportError::Io`] | retried with back-off | not retried → [`IcuError::WriteOutcomeUnknown`] |
//!
//! Back-off is 0.5 s, 1 s, 2 s ([`MAX_READ_RETRIES`] retries), or the server's `Retry-After`
//! when longer; a `Retry-After` above [`MAX_RETRY_AFTER`] is not waited out. All waiting goes
//! through the injected [`Clock`]. Intervals.icu sends no `Retry-After` as far as anyone has
//! observed (spec §3.1), so the back-off is what normally applies.
//!
//! Every attempt also passes the client-side request budget ([`RateLimit::INTERVALS`], 8 a
//! second), the same fair, deadline-aware limiter as TrainingPeaks' (`http/rate.rs`): a view
//! made by [`IcuClient::for_call`] carries the call's deadline, past which nothing more is sent
//! ([`IcuError::BudgetExceeded`]) and no retry is waited for. With
//! [`IcuClient::guarding_creates`] (tools that create), an identical POST within
//! [`DUPLICATE_WINDOW`] returns the first one's answer, and one whose first attempt's outcome
//! is unknown is refused ([`IcuError::DuplicateOutcomeUnknown`]: outcome unknown, check before
//! retrying); the journal is TrainingPeaks' (`http/journal.rs`).
//!
//! # What the seed server got wrong (and this client does not)
//! The seed (`mvilanova/intervals-mcp-server`, spec §1) reads one event at the singular
//! `/athlete/{id}/event/{eventId}`, which 404s: [`IcuClient::event`] uses the documented plural
//! `events/{eventId}`. It deletes a date range with one `DELETE` per event:
//! [`IcuClient::delete_events_range`] is the documented single range call. Per-method doc
//! comments name the other differences.

pub mod activities;
pub mod athlete;
pub mod curves;
pub mod custom_items;
pub mod events;
pub mod gear;
pub mod library;
pub mod sports;
pub mod wellness;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;

use crate::http::base64;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::clock::Clock;
pub use crate::http::journal::DUPLICATE_WINDOW;
use crate::http::journal::{Journal, Outcome, ago, canonical, created_id, noun_of};
pub use crate::http::rate::{CallOptions, RateLimit};
use crate::http::rate::{CallScope, Limiter};
use crate::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};

/// Locks `m`; a lock poisoned by a panic elsewhere is taken over.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The default host; the API lives under [`API_PREFIX`] on it.
pub const DEFAULT_BASE_URL: &str = "https://intervals.icu";
/// The path prefix of the documented API.
pub const API_PREFIX: &str = "/api/v1";
/// Retries of a read after a 429, a 5xx or a transport error.
pub const MAX_READ_RETRIES: u32 = 3;
/// Retries of a write whose connection failed before anything was sent.
pub const MAX_WRITE_CONNECT_RETRIES: u32 = 1;
// The back-off and `Retry-After` rules are the TrainingPeaks client's (`crate::http::retry`).
use crate::http::retry::retry_delay;
pub use crate::http::retry::{BACKOFF_BASE, MAX_RETRY_AFTER};
/// The most one request spends sleeping between retries, over all its retries.
pub const MAX_TOTAL_RETRY_WAIT: Duration = Duration::from_secs(60);

/// An Intervals.icu API key. It has no `Display`, and its `Debug` shows nothing of it, so it
/// cannot end up in logs, errors or tool output by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct IcuSecret(String);

impl IcuSecret {
    /// Wraps a key (surrounding whitespace, as left by a paste, is dropped).
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into().trim().to_string())
    }

    /// The key itself, for building the header. Deliberately the only way to read it.
    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for IcuSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IcuSecret(<redacted>)")
    }
}

/// How requests are authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IcuAuth {
    /// No `Authorization` header: the transport (the browser) supplies the intervals.icu
    /// session cookie.
    Session,
    /// HTTP Basic `API_KEY:<key>`.
    ApiKey(IcuSecret),
}

/// Which kind of credential was in use, for error messages (never the credential itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// The browser's session.
    Session,
    /// An API key.
    ApiKey,
}

impl IcuAuth {
    /// The kind of credential.
    pub fn mode(&self) -> AuthMode {
        match self {
            IcuAuth::Session => AuthMode::Session,
            IcuAuth::ApiKey(_) => AuthMode::ApiKey,
        }
    }
}

/// Client configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcuConfig {
    /// Scheme and host (and port), without a trailing slash or the `/api/v1` prefix; default
    /// [`DEFAULT_BASE_URL`]. A trailing `/api/v1` (the seed's `INTERVALS_API_BASE_URL` form) is
    /// accepted and dropped by [`IcuConfig::new`].
    pub base_url: String,
    /// The credential.
    pub auth: IcuAuth,
    /// The athlete acted on when a call names none, already normalised
    /// ([`normalize_athlete_id`]); `None` means `0`, the credential's own athlete.
    pub athlete_id: Option<String>,
}

impl Default for IcuConfig {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.into(),
            auth: IcuAuth::Session,
            athlete_id: None,
        }
    }
}

impl IcuConfig {
    /// A checked configuration: the base URL must be `https://host[:port]` (plain `http` only
    /// for a loopback host, for local fakes), with an optional trailing `/api/v1`; the athlete
    /// id is normalised. Errors name the field (`base_url`, `athlete_id`, `api_key`).
    pub fn new(
        base_url: Option<&str>,
        auth: IcuAuth,
        athlete_id: Option<&str>,
    ) -> Result<Self, IcuError> {
        let base_url = normalize_base_url(base_url.unwrap_or(DEFAULT_BASE_URL))?;
        if let IcuAuth::ApiKey(k) = &auth
            && (k.expose().is_empty() || k.expose().chars().any(|c| c.is_control() || c == ' '))
        {
            return Err(IcuError::InvalidInput {
                field: "api_key".into(),
                message: "the API key is empty or contains spaces or control characters; copy \
                          it again from intervals.icu Settings → Developer Settings"
                    .into(),
            });
        }
        let athlete_id = athlete_id
            .filter(|s| !s.trim().is_empty())
            .map(normalize_athlete_id)
            .transpose()?;
        Ok(Self {
            base_url,
            auth,
            athlete_id,
        })
    }
}

/// Checks and normalises a base URL (see [`IcuConfig::new`]).
fn normalize_base_url(raw: &str) -> Result<String, IcuError> {
    let bad = |why: &str| IcuError::InvalidInput {
        field: "base_url".into(),
        message: format!("{raw:?} {why}; expected e.g. https://intervals.icu"),
    };
    let mut s = raw.trim().trim_end_matches('/').to_string();
    if let Some(stripped) = s.strip_suffix(API_PREFIX) {
        s = stripped.trim_end_matches('/').to_string();
    }
    let (scheme, rest) = s.split_once("://").ok_or_else(|| bad("has no scheme"))?;
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', '\\', ' ']) {
        return Err(bad(
            "must be a scheme and a host only (no path, user or query)",
        ));
    }
    let host = rest.split(':').next().unwrap_or("");
    let loopback = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(bad("uses plain http, which would expose the credential")),
        _ => return Err(bad("is not an https URL")),
    }
    Ok(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        rest.to_ascii_lowercase()
    ))
}

/// Normalises an athlete id as people write it: `i123` (any case) and `123` become `i123`, the
/// form every endpoint accepts (digits alone are accepted only by some, spec §3.1); `0` stays
/// `0`, which the API reads as "the athlete who owns the credential". Anything else is an
/// [`IcuError::InvalidInput`] naming `athlete_id`.
pub fn normalize_athlete_id(raw: &str) -> Result<String, IcuError> {
    let s = raw.trim();
    let bad = |why: &str| IcuError::InvalidInput {
        field: "athlete_id".into(),
        message: format!(
            "{raw:?} {why}; an Intervals.icu athlete id looks like i12345 (or 12345), and 0 \
             means yourself"
        ),
    };
    let digits = s.strip_prefix(['i', 'I']).unwrap_or(s);
    let prefixed = digits.len() != s.len();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad("is not an athlete id"));
    }
    // Digits only, so the parse can fail only by overflow.
    let n: u64 = digits.parse().map_err(|_| bad("is too long"))?;
    match (n, prefixed) {
        (0, false) => Ok("0".into()),
        (0, true) => Err(bad("is not an athlete id (i0 does not exist)")),
        (n, _) => Ok(format!("i{n}")),
    }
}

/// Checks an id that goes into a URL path (activity ids such as `i12345678`, sport names such
/// as `Ride`): letters, digits, `_` and `-` only, so it cannot change the path.
pub(crate) fn path_id(field: &str, raw: &str) -> Result<String, IcuError> {
    let s = raw.trim();
    if s.is_empty()
        || s.len() > 64
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(IcuError::InvalidInput {
            field: field.into(),
            message: format!("{raw:?} is not a valid id (letters, digits, - and _ only)"),
        });
    }
    Ok(s.to_string())
}

/// Checks a positive numeric id (events, custom items, folders, workouts).
pub(crate) fn positive_id(field: &str, id: i64) -> Result<i64, IcuError> {
    if id <= 0 {
        return Err(IcuError::InvalidInput {
            field: field.into(),
            message: format!("{id} is not an id; it must be a positive number"),
        });
    }
    Ok(id)
}

/// Checks that `oldest..=newest` is a range.
pub(crate) fn check_range(oldest: NaiveDate, newest: NaiveDate) -> Result<(), IcuError> {
    if newest < oldest {
        return Err(IcuError::InvalidInput {
            field: "newest".into(),
            message: format!(
                "{newest} is before the start date {oldest}; the end date must be on or after \
                 the start"
            ),
        });
    }
    Ok(())
}

/// A query string built from pairs, values percent-encoded (commas kept: the API reads
/// comma-separated lists).
#[derive(Debug, Default, Clone)]
pub(crate) struct Query(Vec<(&'static str, String)>);

impl Query {
    pub(crate) fn new() -> Self {
        Self::default()
    }
    pub(crate) fn push(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.0.push((key, value.to_string()));
        self
    }
    pub(crate) fn push_opt<T: fmt::Display>(self, key: &'static str, value: Option<T>) -> Self {
        match value {
            Some(v) => self.push(key, v),
            None => self,
        }
    }
    /// `?a=b&c=d`, or nothing when empty.
    pub(crate) fn render(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
            .collect();
        format!("?{}", parts.join("&"))
    }
}

/// Percent-encodes a query value: unreserved characters and `,` stay, the rest is encoded.
pub(crate) fn encode_query_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b',' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Everything that can go wrong talking to Intervals.icu. Every message says what happened and
/// what the person can do; none ever contains the API key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum IcuError {
    /// HTTP 401: the credential was missing or not accepted.
    #[error("{}", unauthenticated_message(*auth))]
    NotAuthenticated {
        /// The kind of credential that was refused.
        auth: AuthMode,
    },
    /// HTTP 403: the credential works but may not do this (another athlete's data without
    /// being their coach, or a scope the credential lacks).
    #[error("{}", forbidden_message(*auth, *method, path))]
    Forbidden {
        /// The kind of credential in use.
        auth: AuthMode,
        /// The method.
        method: Method,
        /// The path requested.
        path: String,
    },
    /// The request never produced a response (reads: even after retrying; writes: the
    /// connection failed before anything was sent, so nothing was changed).
    #[error("Intervals.icu could not be reached ({0}). Check the internet connection, then retry.")]
    Transport(#[from] TransportError),
    /// The server answered 404.
    #[error(
        "{what} was not found on Intervals.icu (HTTP 404 from {method} {path}). Check that the \
         id or date is right and belongs to this athlete."
    )]
    NotFound {
        /// What was looked for, e.g. "event 123".
        what: String,
        /// The method.
        method: Method,
        /// The path requested.
        path: String,
    },
    /// Too many requests: a read still limited after retrying, or a write the server refused
    /// (so it was not applied).
    #[error(
        "Intervals.icu is rate-limiting requests (HTTP 429; it allows about 10 a second). Wait \
         {}, then retry.",
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
        /// The response body (truncated, credential removed).
        body: String,
    },
    /// A response that did not have the expected shape.
    #[error(
        "Unexpected response from Intervals.icu {path}: {message}. Intervals.icu may have \
         changed its API; please report this."
    )]
    Decode {
        /// The path requested.
        path: String,
        /// What did not fit, with the JSON path of the field.
        message: String,
    },
    /// A response lacked a field the caller cannot do without.
    #[error(
        "Unexpected response from Intervals.icu: {0}. Intervals.icu may have changed its API; \
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
    /// A request would have carried the API key to another host than the configured one; it
    /// was not sent.
    #[error(
        "Refused to send the Intervals.icu API key to {host}: it goes only to the configured \
         host {configured}. Nothing was sent."
    )]
    ForeignHost {
        /// The host the request was for.
        host: String,
        /// The configured host.
        configured: String,
    },
    /// The call would have to wait for the client-side request budget past its deadline, so
    /// it was stopped before sending anything more (nothing was changed by what was not sent).
    #[error(
        "This call still needs {requests} request(s) to Intervals.icu, and the request budget \
         ({max_requests} per {per_secs} s, shared by all calls) would make it wait about \
         {wait_secs} s, past its deadline of {deadline_secs} s; it was stopped before sending \
         them. Ask for less at once (e.g. a shorter date range), or retry shortly."
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
    /// An identical create was sent minutes ago and its outcome is unknown; it was not sent
    /// again, as it may already exist.
    #[error(
        "An identical {what} was sent to Intervals.icu {sent} and its outcome is unknown: it was \
         not sent again, as it may already exist (outcome unknown, check before retrying). \
         Look at Intervals.icu first; an identical create is refused for {minutes_left} more \
         min."
    )]
    DuplicateOutcomeUnknown {
        /// What the create makes, e.g. "event".
        what: String,
        /// When the earlier attempt was sent, e.g. "3 min ago".
        sent: String,
        /// Minutes until the earlier attempt leaves the duplicate window.
        minutes_left: i64,
    },
    /// A write failed in a way that does not tell whether Intervals.icu applied it (a 5xx, a
    /// timeout, a connection lost after sending). Never retried automatically.
    #[error(
        "{method} {path} failed ({reason}): the outcome is unknown, the change may or may not \
         have been applied. Check Intervals.icu (reload the calendar or item) before retrying, \
         so it is not applied twice."
    )]
    WriteOutcomeUnknown {
        /// The write method.
        method: Method,
        /// The path requested.
        path: String,
        /// What went wrong, e.g. "HTTP 503: …" or "request timed out".
        reason: String,
    },
    /// A dry run tried to send something other than a GET: it was stopped before the
    /// transport ([`IcuClient::reading_only`]), so nothing was changed.
    #[error(
        "This dry run tried to send {method} {path} to Intervals.icu; it was stopped before \
         sending, so nothing was changed. A dry run should only read: this is a bug in the \
         tool, please report it. Without dry_run the call asks for confirmation as usual."
    )]
    DryRunWrite {
        /// The method refused.
        method: Method,
        /// The path it was for.
        path: String,
    },
}

impl From<crate::http::rate::BudgetExceeded> for IcuError {
    fn from(b: crate::http::rate::BudgetExceeded) -> Self {
        IcuError::BudgetExceeded {
            requests: b.requests,
            wait_secs: b.wait_secs,
            deadline_secs: b.deadline_secs,
            max_requests: b.max_requests,
            per_secs: b.per_secs,
        }
    }
}

fn unauthenticated_message(auth: AuthMode) -> String {
    match auth {
        AuthMode::Session => "Not logged in to Intervals.icu: the API did not accept the \
                              browser's session (HTTP 401). Log in to intervals.icu in the \
                              browser and retry; if it still fails, enter an API key (from \
                              intervals.icu Settings → Developer Settings) in the Paceline \
                              popup, or set API_KEY for `paceline mcp --direct`."
            .into(),
        AuthMode::ApiKey => "Intervals.icu rejected the API key (HTTP 401). Copy the key again \
                             from intervals.icu Settings → Developer Settings and set it (API_KEY \
                             for `paceline mcp --direct`, or the Paceline popup), then retry."
            .into(),
    }
}

fn forbidden_message(auth: AuthMode, method: Method, path: &str) -> String {
    let how = match auth {
        AuthMode::Session => "the browser's intervals.icu session",
        AuthMode::ApiKey => "the API key",
    };
    format!(
        "Intervals.icu refused access (HTTP 403 from {method} {path}) with {how}. If this is \
         another athlete's data, you must be their coach on intervals.icu; otherwise log in to \
         intervals.icu in the browser or set API_KEY (Settings → Developer Settings) for the \
         athlete you mean, and check the athlete id (0 means yourself)."
    )
}

fn wait_phrase(retry_after: Option<u64>) -> String {
    match retry_after {
        Some(1) => "1 second".into(),
        Some(s) if s > 0 => format!("{s} seconds"),
        _ => "a few seconds".into(),
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
            "Intervals.icu had a problem (HTTP {status} from {method} {path}). This is on \
             Intervals.icu's side; try again in a few minutes.{body}"
        ),
        400 | 409 | 422 => format!(
            "Intervals.icu rejected the request as invalid (HTTP {status} from {method} \
             {path}). Check the values sent.{body}"
        ),
        _ => format!("HTTP {status} from {method} {path}.{body}"),
    }
}

/// The Intervals.icu client. Cheap to clone; holds no session state (no token exchange). The
/// request budget and the journal of recent creates are shared by every clone and every
/// per-call view ([`IcuClient::for_call`]).
#[derive(Clone)]
pub struct IcuClient {
    transport: Arc<dyn Transport>,
    clock: Arc<dyn Clock>,
    config: IcuConfig,
    limiter: Arc<Limiter>,
    /// Recent creates, for the duplicate guard ([`IcuClient::guarding_creates`]).
    creates: Arc<Journal>,
    /// The tool call this view serves (id, deadline, wait observer, guard, notices).
    scope: CallScope,
}

impl fmt::Debug for IcuClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The config's Debug redacts the key.
        f.debug_struct("IcuClient")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl IcuClient {
    /// A client with a configuration checked by [`IcuConfig::new`] (or the default: the real
    /// host, the browser session, athlete `0`).
    pub fn new(transport: Arc<dyn Transport>, clock: Arc<dyn Clock>, config: IcuConfig) -> Self {
        Self {
            transport,
            clock,
            config,
            limiter: Arc::new(Limiter::new(Some(RateLimit::INTERVALS), "Intervals.icu")),
            creates: Arc::default(),
            scope: CallScope::default(),
        }
    }

    /// A view of this client for one tool call: the same budget and journal, plus the call's
    /// identity (the budget is shared fairly between concurrent calls), its deadline (a call
    /// that would wait for the budget past it fails at once with
    /// [`IcuError::BudgetExceeded`], and retries that could not start before it are not
    /// waited for), and an observer told about every wait. The same mechanism as
    /// `TpClient::for_call` (`http/rate.rs`).
    pub fn for_call(&self, options: CallOptions) -> IcuClient {
        let now = self.clock.now();
        let deadline = options.deadline.and_then(|d| {
            chrono::Duration::from_std(d)
                .ok()
                .and_then(|d| now.checked_add_signed(d))
        });
        IcuClient {
            scope: CallScope {
                id: self.limiter.next_call_id(),
                deadline,
                deadline_len: options.deadline,
                observer: options.observer,
                ..CallScope::default()
            },
            ..self.clone()
        }
    }

    /// This view with the duplicate guard on for its POSTs: an identical create (same host,
    /// path and body) within [`DUPLICATE_WINDOW`] returns what the first one created, and says
    /// so in [`IcuClient::take_notices`]; one whose first attempt has an unknown outcome is
    /// not sent again ([`IcuError::DuplicateOutcomeUnknown`]). Tools whose annotations say
    /// "create" run with it.
    pub fn guarding_creates(&self) -> IcuClient {
        IcuClient {
            scope: CallScope {
                guard_creates: true,
                notices: Arc::default(),
                ..self.scope.clone()
            },
            ..self.clone()
        }
    }

    /// This view with every request other than a GET refused before it is sent
    /// ([`IcuError::DryRunWrite`]): what a dry run runs on (see `TpClient::reading_only`).
    pub fn reading_only(&self) -> IcuClient {
        IcuClient {
            scope: CallScope {
                reads_only: true,
                ..self.scope.clone()
            },
            ..self.clone()
        }
    }

    /// Takes the lines this call has to add to its answer (a create returned from the
    /// journal instead of being sent again).
    pub fn take_notices(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.scope.notices))
    }

    /// Tells the call's observer (if any) that `done` of `total` steps are finished, for tools
    /// whose call takes many requests (a season of activities, events one by one), so the host
    /// can send progress notifications; the same as `TpClient::report_step`.
    pub fn report_step(&self, done: u64, total: u64, what: &str) {
        if let Some(o) = &self.scope.observer {
            o.step(done, total, what);
        }
    }

    /// Replaces the client-side rate limit; `None` disables it (the sandbox, benchmarks).
    pub fn with_rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.limiter = Arc::new(Limiter::new(limit, "Intervals.icu"));
        self
    }

    /// The client-side rate limit in force, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.limiter.limit
    }

    /// The configuration.
    pub fn config(&self) -> &IcuConfig {
        &self.config
    }

    /// The injected clock.
    pub fn clock(&self) -> &dyn Clock {
        &*self.clock
    }

    /// The athlete a call acts on, for its path: `requested` if given (normalised), else the
    /// configured athlete, else `0` (the credential's own athlete).
    pub fn athlete(&self, requested: Option<&str>) -> Result<String, IcuError> {
        match requested.filter(|s| !s.trim().is_empty()) {
            Some(r) => normalize_athlete_id(r),
            None => Ok(self.config.athlete_id.clone().unwrap_or_else(|| "0".into())),
        }
    }

    /// Sends one request to `path` (which starts with `/api/v1/` and may carry a query) with
    /// the policy of the module docs, and returns the response. Any status comes back as `Ok`
    /// except 401, 403 and a 5xx to a write, which become their errors.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<HttpResponse, IcuError> {
        let req = self.build(method, path, body)?;
        let resp = self.transmit(req, path).await?;
        match resp.status {
            401 => Err(IcuError::NotAuthenticated {
                auth: self.config.auth.mode(),
            }),
            403 => Err(IcuError::Forbidden {
                auth: self.config.auth.mode(),
                method,
                path: path.to_string(),
            }),
            s if s >= 500 && !method.is_safe() => Err(self.status_error(method, path, &resp)),
            _ => Ok(resp),
        }
    }

    /// Builds the request, attaching the key only for the configured host.
    fn build(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<HttpRequest, IcuError> {
        // A path that could leave the configured host or climb out of the API is a bug in
        // the caller; refused before anything (and any key) goes out.
        let bare = path.split('?').next().unwrap_or(path);
        if !bare.starts_with("/api/v1/")
            || bare.contains("//")
            || bare.contains("..")
            || path.contains(['#', '@', '\\'])
        {
            return Err(IcuError::InvalidInput {
                field: "path".into(),
                message: format!("{path:?} is not an Intervals.icu API path"),
            });
        }
        let url = format!("{}{path}", self.config.base_url);
        let mut req = HttpRequest::new(method, url).header("accept", "application/json");
        if let IcuAuth::ApiKey(key) = &self.config.auth {
            let configured = HttpRequest::new(Method::Get, self.config.base_url.clone());
            let (want_host, want_origin) =
                (configured.host().to_string(), self.config.base_url.as_str());
            if req.host() != want_host || !req.url.starts_with(&format!("{want_origin}/")) {
                return Err(IcuError::ForeignHost {
                    host: req.host().to_string(),
                    configured: want_host,
                });
            }
            let token = base64::encode(format!("API_KEY:{}", key.expose()).as_bytes());
            req = req.header("authorization", format!("Basic {token}"));
        }
        if let Some(b) = body {
            req = req.json_body(b);
        }
        Ok(req)
    }

    /// Sends through the transport, retrying as the module docs describe; returns the last
    /// response, whatever its status.
    async fn transmit(&self, req: HttpRequest, path: &str) -> Result<HttpResponse, IcuError> {
        let method = req.method;
        let read = method.is_safe();
        if self.scope.reads_only && !read {
            return Err(IcuError::DryRunWrite {
                method,
                path: path.to_string(),
            });
        }
        let max_retries = if read {
            MAX_READ_RETRIES
        } else {
            MAX_WRITE_CONNECT_RETRIES
        };
        let mut retries = 0;
        let mut waited = Duration::ZERO;
        loop {
            // Every attempt spends the budget; a call that would wait past its deadline stops
            // here, before sending (so even a write is known not to have happened).
            self.limiter.acquire(&*self.clock, &self.scope).await?;
            let outcome = self.transport.send(req.clone()).await;
            let now = self.clock.now();
            let delay = retry_delay(read, retries, &outcome, now);
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
                        Err(e @ TransportError::Connect(_)) => Err(IcuError::Transport(e)),
                        Err(e) if read => Err(IcuError::Transport(e)),
                        Err(e) => Err(IcuError::WriteOutcomeUnknown {
                            method,
                            path: path.to_string(),
                            reason: e.to_string(),
                        }),
                    };
                }
            }
        }
    }

    /// A non-success response as an error; the body is cut to 500 bytes and any occurrence of
    /// the key is replaced, in case a server or proxy echoes the request.
    fn status_error(&self, method: Method, path: &str, resp: &HttpResponse) -> IcuError {
        let mut body = resp.text();
        if let IcuAuth::ApiKey(k) = &self.config.auth
            && !k.expose().is_empty()
        {
            body = body.replace(k.expose(), "<redacted>");
            let basic = base64::encode(format!("API_KEY:{}", k.expose()).as_bytes());
            body = body.replace(&basic, "<redacted>");
        }
        if body.len() > 500 {
            let cut = (0..=500)
                .rev()
                .find(|i| body.is_char_boundary(*i))
                .unwrap_or(0);
            body.truncate(cut);
            body.push('…');
        }
        match resp.status {
            401 => IcuError::NotAuthenticated {
                auth: self.config.auth.mode(),
            },
            403 => IcuError::Forbidden {
                auth: self.config.auth.mode(),
                method,
                path: path.to_string(),
            },
            404 => IcuError::NotFound {
                what: describe_resource(path),
                method,
                path: path.to_string(),
            },
            429 => IcuError::RateLimited {
                retry_after: resp
                    .header_value("retry-after")
                    .and_then(|v| v.trim().parse().ok()),
            },
            status @ 500..=599 if !method.is_safe() => IcuError::WriteOutcomeUnknown {
                method,
                path: path.to_string(),
                reason: if body.trim().is_empty() {
                    format!("HTTP {status} from Intervals.icu")
                } else {
                    format!("HTTP {status} from Intervals.icu: {body}")
                },
            },
            status => IcuError::Status {
                status,
                method,
                path: path.to_string(),
                body,
            },
        }
    }

    /// Sends a request and returns the decoded JSON of a 2xx answer (`null` for an empty
    /// body); other statuses become [`IcuError`]s.
    pub async fn request_json(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, IcuError> {
        if method == Method::Post && self.scope.guard_creates {
            return self.create_once(path, body).await;
        }
        self.request_json_plain(method, path, body).await
    }

    async fn request_json_plain(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, IcuError> {
        let resp = self.send(method, path, body).await?;
        if !resp.is_success() {
            return Err(self.status_error(method, path, &resp));
        }
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        let mut de = serde_json::Deserializer::from_slice(&resp.body);
        serde_path_to_error::deserialize(&mut de)
            .map_err(|e| path_error(e.path().to_string(), e.into_inner(), path))
    }

    /// A POST through the duplicate guard ([`IcuClient::guarding_creates`]).
    async fn create_once(&self, path: &str, body: Option<&Value>) -> Result<Value, IcuError> {
        let key = format!(
            "{}{path} {}",
            self.config.base_url,
            body.map(canonical).unwrap_or_default()
        );
        let noun = noun_of(path);
        let now = self.clock.now();
        match self.creates.lookup(&key, now) {
            Some((at, Outcome::Created(v))) => {
                let id = created_id(&noun, &v)
                    .map(|id| format!(" (id {id})"))
                    .unwrap_or_default();
                lock(&self.scope.notices).push(format!(
                    "An identical {noun} was created on Intervals.icu {}{id}; returned it \
                     instead of creating a duplicate.",
                    ago(at, now)
                ));
                return Ok(v);
            }
            Some((at, Outcome::Unknown)) => {
                // Never re-sent: the first attempt may have been applied, and Intervals.icu
                // has no read that finds "the same create" for every kind of item.
                let window = chrono::Duration::from_std(DUPLICATE_WINDOW).unwrap_or_default();
                let left = at.checked_add_signed(window).map_or(0, |end| {
                    (end.signed_duration_since(now).num_seconds() + 59) / 60
                });
                return Err(IcuError::DuplicateOutcomeUnknown {
                    what: noun,
                    sent: ago(at, now),
                    minutes_left: left.max(1),
                });
            }
            None => {}
        }
        self.creates.begin(&key, now);
        let result = self.request_json_plain(Method::Post, path, body).await;
        let outcome = match &result {
            Ok(v) => Some(Outcome::Created(v.clone())),
            // It may have been applied: remembered, so an identical create is refused.
            Err(IcuError::WriteOutcomeUnknown { .. }) => Some(Outcome::Unknown),
            // Refused or never sent: nothing was created.
            Err(_) => None,
        };
        self.creates.settle(&key, now, outcome);
        result
    }

    /// [`IcuClient::request_json`] decoded into `T`; errors name the JSON path of the bad
    /// field.
    pub async fn request<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, IcuError> {
        let v = self.request_json(method, path, body).await?;
        from_value(v, path)
    }

    /// GET and decode.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, IcuError> {
        self.request(Method::Get, path, None).await
    }
}

/// Decodes a JSON value, naming the JSON path of the first bad field.
pub(crate) fn from_value<T: DeserializeOwned>(v: Value, path: &str) -> Result<T, IcuError> {
    // Through `crate::decode`, as `trainingpeaks::from_value` (see there).
    crate::decode::from_value(&v).map_err(|e| path_error(e.path(), e.into_inner(), path))
}

fn path_error(at: String, inner: serde_json::Error, path: &str) -> IcuError {
    let message = if at.is_empty() || at == "." {
        inner.to_string()
    } else {
        format!("at `{at}`: {inner}")
    };
    IcuError::Decode {
        path: path.to_string(),
        message,
    }
}

/// Names the thing a path refers to: the last `<noun>/<id>` pair, e.g.
/// `/api/v1/athlete/i1/events/55` → "event 55", `/api/v1/activity/i9/streams` → "activity i9".
fn describe_resource(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    for pair in segs.windows(2).rev() {
        if let [noun, id] = pair {
            let is_id = !id.is_empty()
                && id.chars().any(|c| c.is_ascii_digit())
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            let is_noun = noun.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
            if is_id && is_noun && *noun != "api" {
                let noun = noun.replace('-', " ");
                // "events" → "event", but "wellness" stays.
                let singular = noun
                    .strip_suffix('s')
                    .filter(|s| !s.is_empty() && !s.ends_with('s'))
                    .unwrap_or(&noun);
                return format!("{singular} {id}");
            }
        }
    }
    "The requested item".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            ("API_KEY:abc123", "QVBJX0tFWTphYmMxMjM="),
        ];
        for (input, want) in cases {
            assert_eq!(base64::encode(input.as_bytes()), want, "{input:?}");
        }
    }

    #[test]
    fn resource_names() {
        let cases = [
            ("/api/v1/athlete/i1/events/55", "event 55"),
            ("/api/v1/activity/i9/streams?types=watts", "activity i9"),
            ("/api/v1/athlete/0/custom-item/7", "custom item 7"),
            (
                "/api/v1/athlete/0/wellness/2026-03-01",
                "wellness 2026-03-01",
            ),
            ("/api/v1/athletes", "The requested item"),
        ];
        for (path, want) in cases {
            assert_eq!(describe_resource(path), want, "{path}");
        }
    }

    #[test]
    fn query_values_are_encoded() {
        let q = Query::new()
            .push("oldest", "2026-03-01")
            .push("category", "WORKOUT,NOTE")
            .push("filters", r#"[{"field_id":"indoor","value":true}]"#)
            .push_opt("limit", None::<u32>);
        assert_eq!(
            q.render(),
            "?oldest=2026-03-01&category=WORKOUT,NOTE&filters=%5B%7B%22field_id%22:%22indoor%22,%22value%22:true%7D%5D"
        );
        assert_eq!(Query::new().render(), "");
    }
}
