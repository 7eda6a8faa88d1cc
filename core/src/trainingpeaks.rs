//! The typed TrainingPeaks client over [`Transport`].
//!
//! It talks to `tpapi.trainingpeaks.com` and `api.peakswaresb.com` the way the web app does:
//! the transport supplies the `Production_tpAuth` cookie (in the browser, the browser does),
//! the client exchanges it for a Bearer token at `/users/v3/token`, caches the token until 60 s
//! before expiry, and sends it on every data call. See `shared/spec/trainingpeaks-api.md` §2.
//!
//! Endpoint methods live in one file per area under `trainingpeaks/` as further
//! `impl TpClient` blocks. This file holds the client type, its per-call views and the policy
//! below; the machinery they share is split by concern, each file a further `impl TpClient`:
//! `error.rs` ([`TpError`] and turning a response into one), `request.rs` (sending: the retry
//! policy below, the rate limiter on every data call, JSON decoding), `session.rs` (token
//! exchange and cache, the signed-in user and athletes, the session snapshot), `http/rate.rs` (the
//! client-side request budget), `creates.rs` (the duplicate guard for creates) and
//! `windows.rs` (long date ranges split into windows).
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
//! between concurrent calls, each with its own deadline (`http/rate.rs`, shared with the Intervals.icu client).
//!
//! [`TransportError::Connect`]: crate::http::TransportError::Connect
//! [`TransportError::Timeout`]: crate::http::TransportError::Timeout
//! [`TransportError::Io`]: crate::http::TransportError::Io

use std::sync::{Arc, Mutex};

use crate::clock::Clock;
use crate::http::{Method, Transport};

pub mod analysis;
pub mod calendar;
mod creates;
pub mod equipment;
mod error;
pub mod files;
pub mod fitness;
mod library;
pub mod metrics;
mod request;
mod session;
pub mod settings;
mod strength;
pub mod user;
mod windows;
pub mod workouts;

pub use crate::http::rate::{
    CallOptions, DEFAULT_CALL_DEADLINE, RateLimit, RateWait, WaitObserver,
};
use crate::http::rate::{CallScope, Limiter};
pub use creates::DUPLICATE_WINDOW;
pub use error::TpError;
pub(crate) use error::{from_value, status_error};
pub use library::{Library, LibraryItem};
pub use request::{
    BACKOFF_BASE, MAX_READ_RETRIES, MAX_RETRY_AFTER, MAX_TOTAL_RETRY_WAIT,
    MAX_WRITE_CONNECT_RETRIES,
};
use session::Token;
pub use session::{AthleteSummary, MAX_TOKEN_LIFETIME};
pub use strength::{
    STRENGTH_PARAMS, SequenceSummary, StrengthParam, StrengthSummary, StrengthWorkout,
    strength_param,
};
pub use user::User;
pub use windows::{MAX_RANGE_DAYS, date_windows};

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
    creates: Arc<crate::http::journal::Journal>,
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
            limiter: Arc::new(Limiter::new(
                Some(RateLimit::TRAININGPEAKS),
                "TrainingPeaks",
            )),
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

    /// This view with every request other than a GET refused before it is sent
    /// ([`TpError::DryRunWrite`]): what a dry run runs on, so that "a dry run sends nothing"
    /// does not rest on each tool's code.
    pub fn reading_only(&self) -> TpClient {
        self.view(CallScope {
            reads_only: true,
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
    /// wait for the budget. See `http/rate.rs`.
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
        self.limiter = Arc::new(Limiter::new(limit, "TrainingPeaks"));
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
}

/// Locks `m`. A lock poisoned by a panic elsewhere is taken over rather than turned into a
/// panic of every later call.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
