//! An in-memory TrainingPeaks emulator behind [`Transport`], seeded with a sample athlete.
//!
//! [`Sandbox`] is the *server*: [`Sandbox::handle`] takes one request and answers it the way
//! TrainingPeaks would, enforcing the real API's rules. The HTTPS fake in `tests/` serves it
//! over TLS. [`SandboxTransport`] is a logged-in *browser* in front of it: it attaches the
//! `Production_tpAuth` cookie to every request, which is what `paceline mcp --sandbox` uses.
//!
//! State is a set of named collections of wire-shaped JSON objects keyed by id (see
//! [`State`]); each API area has a route file under `sandbox/` that reads and writes them.
//! The sample athlete every area seeds (names, thresholds, zones, the year of training) is
//! defined once, in [`sample`].

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::clock::Clock;
use crate::http::{BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError};

mod analysis;
mod calendar;
mod device_files;
pub mod drift;
mod equipment;
mod error;
mod fitness;
pub mod intervals;
mod library;
mod metrics;
mod router;
pub mod sample;
mod settings;
mod strength;
mod users;
mod workouts;

pub use error::{Answer, ApiError, bad_request, forbidden, not_found};
pub use router::Params;
use router::Route;
// The sample athlete's values under the names tests and the host have always used; the
// athlete itself lives in `sample`.
pub use sample::{
    A_RACE as SAMPLE_A_RACE, A_RACE_WEEKS_AHEAD as SAMPLE_A_RACE_WEEKS_AHEAD,
    ATHLETE_ID as SAMPLE_ATHLETE_ID, FTP_W as SAMPLE_FTP_W,
    RUN_THRESHOLD_SEC_PER_KM as SAMPLE_RUN_THRESHOLD_SEC_PER_KM,
    SWIM_CSS_SEC_PER_100M as SAMPLE_SWIM_CSS_SEC_PER_100M, THRESHOLD_HR as SAMPLE_THRESHOLD_HR,
};

/// The session cookie's name, as TrainingPeaks sets it.
pub const AUTH_COOKIE: &str = "Production_tpAuth";
/// The cookie value the sandbox's sample athlete is logged in with.
pub const SAMPLE_COOKIE: &str = "sandbox-session";
/// Seconds a sandbox token lives (`expires_in`, as TrainingPeaks: one hour).
pub const TOKEN_LIFETIME_SECS: i64 = 3600;
/// How many requests [`Sandbox::requests`] keeps: the most recent ones, oldest dropped first.
/// Tests look at a handful of requests; a long `paceline mcp --sandbox` session makes
/// thousands, and an unbounded log (each entry holding a parsed body) would grow without end.
/// 1 000 entries are well under a megabyte for typical bodies.
pub const REQUEST_LOG_LIMIT: usize = 1000;

/// One request the sandbox received, for tests to assert on.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The method.
    pub method: Method,
    /// The host the request was addressed to.
    pub host: String,
    /// Path and query.
    pub path: String,
    /// The JSON body, if it had one that parsed.
    pub body: Option<Value>,
    /// The status the sandbox answered.
    pub status: u16,
}

/// The emulator's mutable state.
#[derive(Debug, Default)]
pub struct State {
    /// Named collections of wire objects by id. Names in use: `workouts`, `comments`
    /// (keyed by comment id, each with `workoutId`), `events`, `notes`, `availability`,
    /// `goal_lists`, `equipment`, `libraries`, `library_items`, `metrics`, `nutrition`,
    /// `strength_workouts`. Objects are stored in their GET shape (e.g. a workout's
    /// `structure` is an object, `userTags` a string).
    pub collections: BTreeMap<String, BTreeMap<i64, Value>>,
    /// Singleton documents: `user` (the `/users/v3/user` body), `settings` (athlete
    /// settings with zones), `weather`, `pool_length`, `fitness` (PMC rows)…
    pub docs: BTreeMap<String, Value>,
    /// Next id to hand out for created objects (shared by all collections, like real ids).
    pub next_id: i64,
    /// Valid access tokens and their expiry (unix seconds).
    pub tokens: BTreeMap<String, i64>,
    /// Cookies that are logged in.
    pub sessions: Vec<String>,
}

impl State {
    /// A collection, created if missing.
    pub fn collection(&mut self, name: &str) -> &mut BTreeMap<i64, Value> {
        self.collections.entry(name.to_string()).or_default()
    }

    /// A fresh id.
    pub fn new_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }
}

/// The emulator. Thread-safe; share it behind an `Arc`.
pub struct Sandbox {
    state: Mutex<State>,
    clock: Arc<dyn Clock>,
    log: Mutex<VecDeque<Recorded>>,
    routes: Vec<Route>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").finish_non_exhaustive()
    }
}

impl Sandbox {
    /// A sandbox seeded with the sample athlete, relative to `clock`'s today.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        let mut state = State {
            next_id: 3_000_000_000,
            ..State::default()
        };
        state.sessions.push(SAMPLE_COOKIE.to_string());
        users::seed(&mut state, &*clock);
        workouts::seed(&mut state, &*clock);
        calendar::seed(&mut state, &*clock);
        library::seed(&mut state, &*clock);
        strength::seed(&mut state, &*clock);
        let mut routes = Vec::new();
        routes.extend(users::routes());
        routes.extend(workouts::routes());
        routes.extend(calendar::routes());
        settings::seed(&mut state, &*clock);
        equipment::seed(&mut state, &*clock);
        metrics::seed(&mut state, &*clock);
        fitness::seed(&mut state, &*clock);
        routes.extend(settings::routes());
        routes.extend(equipment::routes());
        routes.extend(metrics::routes());
        routes.extend(fitness::routes());
        routes.extend(library::routes());
        routes.extend(strength::routes());
        routes.extend(analysis::routes());
        // More literal segments first, so `/workouts/{wid}/details` is never taken by
        // `/workouts/{start}/{end}` whatever order areas register in (stable: ties keep order).
        routes.sort_by_key(|r| std::cmp::Reverse(r.literal_count()));
        Self {
            state: Mutex::new(state),
            clock,
            log: Mutex::new(VecDeque::with_capacity(64)),
            routes,
        }
    }

    /// The emulator's today (its clock's), which the sample athlete's year is seeded around.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// Runs `f` on the state (for seeding and test set-up).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut lock(&self.state))
    }

    /// The requests received so far, oldest first: all of them, or the last
    /// [`REQUEST_LOG_LIMIT`] once more have been made.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.log).iter().cloned().collect()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.log).clear();
    }

    /// Makes every issued access token expire now (the next data call gets a 401).
    pub fn expire_tokens(&self) {
        lock(&self.state).tokens.clear();
    }

    /// Logs the session cookie out (token exchange then answers 401) or back in.
    pub fn set_logged_in(&self, cookie: &str, logged_in: bool) {
        let mut st = lock(&self.state);
        st.sessions.retain(|c| c != cookie);
        if logged_in {
            st.sessions.push(cookie.to_string());
        }
        if !logged_in {
            st.tokens.clear();
        }
    }

    /// Answers one request as TrainingPeaks would.
    pub fn handle(&self, req: &HttpRequest) -> HttpResponse {
        let resp = self.dispatch(req);
        let body = req
            .body
            .as_deref()
            .and_then(|b| serde_json::from_slice(b).ok());
        let mut log = lock(&self.log);
        if log.len() >= REQUEST_LOG_LIMIT {
            log.pop_front();
        }
        log.push_back(Recorded {
            method: req.method,
            host: req.host().to_string(),
            path: req.path_and_query().to_string(),
            body,
            status: resp.status,
        });
        drop(log);
        resp
    }

    fn dispatch(&self, req: &HttpRequest) -> HttpResponse {
        self.answer(req).unwrap_or_else(HttpResponse::from)
    }

    fn answer(&self, req: &HttpRequest) -> Answer {
        let full = req.path_and_query();
        let (path, query) = full.split_once('?').unwrap_or((full, ""));
        let mut method_mismatch = false;
        for route in &self.routes {
            let Some(mut params) = route.matches(path) else {
                continue;
            };
            if route.method != req.method {
                method_mismatch = true;
                continue;
            }
            params.query = router::parse_query(query);
            let mut st = lock(&self.state);
            if route.auth {
                self.check_bearer(&st, req)?;
            }
            let ctx = router::Ctx {
                req,
                clock: &*self.clock,
            };
            return (route.handler)(&mut st, &ctx, &params);
        }
        if method_mismatch {
            return Err(ApiError::message(
                405,
                "The requested resource does not support this http method.",
            ));
        }
        Err(ApiError::message(
            404,
            format!("No HTTP resource was found that matches the request URI '{path}'."),
        ))
    }

    fn check_bearer(&self, st: &State, req: &HttpRequest) -> Result<(), ApiError> {
        let unauthorized =
            || ApiError::message(401, "Authorization has been denied for this request.");
        let token = req
            .header_value("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(unauthorized)?;
        let expires = st.tokens.get(token).copied().ok_or_else(unauthorized)?;
        if expires <= self.clock.now().timestamp() {
            return Err(unauthorized());
        }
        Ok(())
    }
}

impl Transport for Sandbox {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        let resp = self.handle(&request);
        Box::pin(async move { Ok(resp) })
    }
}

/// A logged-in browser in front of a [`Sandbox`]: adds the session cookie to every request.
#[derive(Debug, Clone)]
pub struct SandboxTransport {
    sandbox: Arc<Sandbox>,
    cookie: String,
}

impl SandboxTransport {
    /// A browser logged in as the sample athlete.
    pub fn new(sandbox: Arc<Sandbox>) -> Self {
        Self {
            sandbox,
            cookie: SAMPLE_COOKIE.to_string(),
        }
    }

    /// The sandbox behind it.
    pub fn sandbox(&self) -> &Arc<Sandbox> {
        &self.sandbox
    }
}

impl Transport for SandboxTransport {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        let request = request.header("cookie", format!("{AUTH_COOKIE}={}", self.cookie));
        let resp = self.sandbox.handle(&request);
        Box::pin(async move { Ok(resp) })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn the_request_log_keeps_only_the_most_recent_requests() {
        let clock =
            ManualClock::at_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default());
        let sandbox = Sandbox::new(Arc::new(clock));
        let extra = 5;
        for i in 0..REQUEST_LOG_LIMIT + extra {
            // Unknown paths are answered (404) and logged like any other request.
            sandbox.handle(&HttpRequest::new(
                Method::Get,
                format!("https://tpapi.trainingpeaks.com/nowhere/{i}"),
            ));
        }
        let log = sandbox.requests();
        assert_eq!(log.len(), REQUEST_LOG_LIMIT, "bounded");
        assert_eq!(
            log.first().map(|r| r.path.as_str()),
            Some(format!("/nowhere/{extra}").as_str()),
            "the oldest are dropped first"
        );
        assert_eq!(
            log.last().map(|r| r.path.as_str()),
            Some(format!("/nowhere/{}", REQUEST_LOG_LIMIT + extra - 1).as_str()),
            "the newest is kept"
        );
        assert!(log.iter().all(|r| r.status == 404));

        sandbox.clear_requests();
        assert!(sandbox.requests().is_empty());
        sandbox.handle(&HttpRequest::new(
            Method::Get,
            "https://tpapi.trainingpeaks.com/again",
        ));
        assert_eq!(sandbox.requests().len(), 1, "logging resumes after a clear");
    }

    /// The seeded settings and the seeded workouts describe the same athlete: the power zone
    /// threshold is the FTP behind every completed ride's normalised power, and no workout's
    /// heart rate passes the max HR of the general zone set.
    #[test]
    fn settings_and_workouts_use_one_athlete() {
        let clock =
            ManualClock::at_date(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default());
        let sandbox = Sandbox::new(Arc::new(clock));
        let (settings, workouts) = sandbox.with_state(|st| {
            let w: Vec<Value> = st.collection("workouts").values().cloned().collect();
            (st.docs.get("settings").cloned().unwrap_or(Value::Null), w)
        });
        let ftp = settings["powerZones"][0]["threshold"].as_f64();
        assert_eq!(ftp, Some(sample::FTP_W));
        let hr = &settings["heartRateZones"][0];
        assert_eq!(hr["threshold"].as_f64(), Some(sample::THRESHOLD_HR));
        let max_hr = hr["maximumHeartRate"].as_f64().unwrap_or(0.0);
        let run = settings["speedZones"][0]["threshold"].as_f64();
        assert_eq!(run, Some(sample::run_threshold_mps()));
        let mut rides = 0;
        for w in &workouts {
            if let Some(np) = w["normalizedPowerActual"].as_f64() {
                rides += 1;
                let intensity = w["if"].as_f64().unwrap_or(0.0);
                assert_eq!(np, (ftp.unwrap_or(0.0) * intensity).round(), "{w}");
            }
            if let Some(h) = w["heartRateMaximum"].as_f64() {
                assert!(h <= max_hr, "{h} > {max_hr}: {w}");
            }
        }
        assert!(rides > 50, "a year of rides: {rides}");
    }
}
