//! An in-memory Intervals.icu emulator behind [`Transport`], seeded with the same sample athlete
//! as the TrainingPeaks [`Sandbox`](super::Sandbox).
//!
//! [`IcuSandbox`] is the *server*: [`IcuSandbox::handle`] answers one `/api/v1/…` request the way
//! Intervals.icu documents it (the HTTPS fake in `tests/` can serve it as `intervals.icu`).
//! [`IcuSandboxTransport`] is a *browser* in front of it: logged in with a session cookie, or
//! carrying the personal API key as HTTP Basic auth.
//!
//! The seed is read once from a TrainingPeaks sandbox built on the same clock, so both platforms
//! show the same completed sessions (as if synced from the same watch), the same planned
//! workouts (as events with `workout_doc` and the workout text), the same notes, races, gear and
//! body measurements. Activity streams are not stored: each activity keeps a short *plan* (its
//! segments and target averages) and its 1 Hz streams are generated from it on request, so a
//! year of activities costs a few hundred kilobytes, not hundreds of megabytes.
//!
//! # Rules emulated (spec = `/work/shared/spec/intervals-icu.md`)
//!
//! | Rule | Spec line |
//! |---|---|
//! | Everything lives under `/api/v1`; other paths 404 | §3.1 "Base URL" |
//! | Basic auth with the literal user `API_KEY` and the key as password | §3.1 "Personal auth" |
//! | A Bearer header with a personal key gets 403 | §3.1 "Personal auth" |
//! | The session cookie is accepted on `/api/v1` *unless* [`SessionMode`] says otherwise (unverified live: §3.3 item 4), so the extension's fallback to a key can be tested | §3.3 verdict |
//! | Neither key nor cookie: 401 | §3.1, §1.1 "Errors" (401 handling) |
//! | Athlete ids: `0` = the key's athlete, `i123` and bare digits accepted; another athlete 403 | §3.1 "Athlete id" |
//! | Activity ids are strings (`i…`), and `/activity/{id}` is global | §3.1 "Activity ids" |
//! | A Strava-synced activity is a stub (`id, icu_athlete_id, start_date_local, source, _note`) in lists and on GET, has no streams, and cannot be updated | §3.1 "Strava", §3.2 `/activity/{id}` row |
//! | Error bodies are Spring-style `{status, error, message}`; 422 for bad parameters | §3.1 "Errors" |
//! | A body must come as `application/json` (else 415) **(inference)** from the Spring error shape | §3.1 "Errors" |
//! | Malformed JSON or a body of the wrong JSON kind is 400; a field with a bad value is 422 naming it **(inference)** | §3.1 "Errors" |
//! | No pagination: lists page by `oldest`/`newest` (local date or date-time) | §3.1 "Pagination", §3.2 activities row |
//! | Events: `oldest` defaults to today, `newest` to oldest + 6 days | §3.2 events `GET …/events{format}` |
//! | Single event: the **plural** `/events/{id}`; the singular `/event/{id}` 404s | §3.2 events, §1.3 get_event_by_id |
//! | Bulk create `POST /events/bulk?upsert=true` matches `external_id` | §3.2 events bulk row |
//! | Range delete `DELETE /events?oldest&category` (both required), `PUT /events/bulk-delete` by id or `external_id` → `{eventsDeleted}` | §3.2 events rows |
//! | Workout text in `description` is parsed into `workout_doc`, `moving_time`, `icu_training_load` | §4.1, §4.5 |
//! | Wellness `id` is the date; `PUT …/wellness/{date}` changes only the fields sent; bulk upsert | §3.2 wellness rows |
//! | Activity `PUT` changes only the fields sent; `-1` clears a number | §3.2 activities `/activity/{id}` row |
//! | Streams by `types` (comma list); `latlng` splits lat/lng into `data`/`data2`; `gap` is 422 | §3.2 streams row, "Stream types seen" |
//! | Power curves need `type` (422 without); curves `1y`, `42d`, `s0`, `all`, `r.A.B` | §3.2 curves rows, §3.1 "Errors" (eddmann #16) |
//! | Sport settings by numeric id or activity type; `PUT` needs `recalcHrZones` | §3.2 athlete rows (hhopke PR #85) |
//! | Custom items CRUD under `/athlete/{id}/custom-item` | §1.3 custom items row |
//! | Messages: `POST {content}` answers `{id, new_chat}` | §1.3 add_activity_message, spec `NewMsg` |
//! | Events answer `icu_ctl`/`icu_atl` for their day (projected from planned loads after today) | §3.2 events "The write response already holds…" |
//! | Fitness (CTL/ATL) on wellness rows, exponential decay N=42 / N=7 from the day's load | §3.2 wellness note (ljcl api-notes) |

//!
//! # Routes (under `/api/v1`; `{a}` = `0`, `i184512` or `184512`)
//!
//! - `GET|PUT /athlete/{a}`, `GET /athlete/{a}/profile`
//! - `GET /athlete/{a}/sport-settings`, `GET|PUT /athlete/{a}/sport-settings/{id or type}`
//! - `GET /athlete/{a}/activities`, `GET|PUT /activity/{id}`, `GET /activity/{id}/streams`,
//!   `GET /activity/{id}/intervals`, `GET|POST /activity/{id}/messages`
//! - `GET /athlete/{a}/{power,hr,pace}-curves`, `GET /athlete/{a}/athlete-summary`
//! - `GET|POST|DELETE /athlete/{a}/events`, `POST /athlete/{a}/events/bulk`,
//!   `PUT /athlete/{a}/events/bulk-delete`, `GET|PUT|DELETE /athlete/{a}/events/{id}`
//! - `GET /athlete/{a}/wellness`, `PUT /athlete/{a}/wellness`, `PUT /athlete/{a}/wellness-bulk`,
//!   `GET|PUT /athlete/{a}/wellness/{date}`
//! - `GET /athlete/{a}/gear`; `GET|POST /athlete/{a}/custom-item`,
//!   `GET|PUT|DELETE /athlete/{a}/custom-item/{id}`
//! - `GET|POST /athlete/{a}/folders`, `GET|POST /athlete/{a}/workouts`,
//!   `GET|PUT|DELETE /athlete/{a}/workouts/{id}`
//!
//! Not emulated (404 or 422 saying so): the `.csv`/`{ext}` variants, OAuth Bearer tokens,
//! fatigued (`-kj0`/`-kj1`) curves, curve filters other than `indoor`, `resolve=true`, and the
//! rest of the catalogue (§3.2). A known path with another method answers 405 with `Allow`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Value, json};

use crate::clock::Clock;
use crate::http::{BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError};

mod activities;
mod athlete;
mod calendar;
mod library;
mod seed;
mod streams;
mod text;

pub use seed::STRAVA_STUB_ID;
pub use streams::STREAM_TYPES;

/// The sample athlete's Intervals.icu id (the `i…` form).
pub const SAMPLE_ICU_ATHLETE_ID: &str = "i184512";
/// The sample athlete's id without its `i`, which the API also accepts.
pub const SAMPLE_ICU_ATHLETE_NUM: i64 = 184_512;
/// The sample athlete's personal API key (Settings → Developer Settings on the real site).
pub const SAMPLE_API_KEY: &str = "sandbox-icu-key-5d1c9a";
/// The name of the session cookie the sandbox treats as "logged in". The real site's cookie
/// name is not documented (spec §3.3); only its presence matters to the emulator.
pub const ICU_SESSION_COOKIE: &str = "icu_session";
/// The cookie value the sample athlete's browser is logged in with.
pub const SAMPLE_ICU_SESSION: &str = "sandbox-icu-session";
/// How many requests [`IcuSandbox::requests`] keeps (oldest dropped first), as the
/// TrainingPeaks sandbox does and for the same reason: a long session must not grow without end.
pub const ICU_REQUEST_LOG_LIMIT: usize = 1000;

/// How the emulator treats a request authenticated only by the session cookie. Whether the real
/// `/api/v1` accepts the cookie is unverified (spec §3.3), so the extension must cope with both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionMode {
    /// The cookie is accepted like an API key.
    #[default]
    Accepted,
    /// Cookie-only requests get 401, as if `/api/v1` ignored the cookie.
    Unauthorized,
    /// Cookie-only requests get 403, as if the cookie were seen but not allowed on `/api/v1`.
    Forbidden,
}

/// How a request was authenticated (recorded in the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// Basic auth with the API key.
    ApiKey,
    /// The session cookie.
    Session,
    /// Not authenticated (the request was refused).
    None,
}

/// One request the emulator received, for tests to assert on.
#[derive(Debug, Clone, PartialEq)]
pub struct IcuRecorded {
    /// The method.
    pub method: Method,
    /// The host the request was addressed to.
    pub host: String,
    /// Path and query.
    pub path: String,
    /// The JSON body, if it had one that parsed.
    pub body: Option<Value>,
    /// How the request authenticated.
    pub auth: AuthMethod,
    /// The status answered.
    pub status: u16,
}

/// One synced activity: its wire object and the plan its streams are generated from.
#[derive(Debug, Clone)]
pub struct ActivityRecord {
    /// The `Activity` object as `GET /activity/{id}` returns it (without intervals).
    pub json: Value,
    /// What the streams are generated from.
    pub plan: streams::Plan,
}

/// The emulator's mutable state: wire-shaped JSON objects by id.
#[derive(Debug, Default)]
pub struct IcuState {
    /// The athlete object (`WithSportSettings` without `sportSettings`, which come from
    /// [`IcuState::sport_settings`]).
    pub athlete: Value,
    /// Sport settings by numeric id.
    pub sport_settings: BTreeMap<i64, Value>,
    /// Activities by id (`i…`).
    pub activities: BTreeMap<String, ActivityRecord>,
    /// Calendar events by id.
    pub events: BTreeMap<i64, Value>,
    /// Wellness rows by date (`YYYY-MM-DD`, which is also their `id`).
    pub wellness: BTreeMap<String, Value>,
    /// Gear by id (`b…` bikes, `g…` shoes and other gear).
    pub gear: BTreeMap<String, Value>,
    /// Custom items by id.
    pub custom_items: BTreeMap<i64, Value>,
    /// Library folders by id (their `children` are filled from [`IcuState::workouts`]).
    pub folders: BTreeMap<i64, Value>,
    /// Library workouts by id.
    pub workouts: BTreeMap<i64, Value>,
    /// Activity messages by id (each with `activity_id`).
    pub messages: BTreeMap<i64, Value>,
    /// Per-activity best efforts, computed from streams on the first curve request.
    pub curve_cache: BTreeMap<String, streams::Bests>,
    /// Next id for created objects.
    pub next_id: i64,
}

impl IcuState {
    /// A fresh id.
    pub fn new_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }
}

/// The Intervals.icu emulator. Thread-safe; share it behind an `Arc`.
pub struct IcuSandbox {
    state: Mutex<IcuState>,
    clock: Arc<dyn Clock>,
    log: Mutex<VecDeque<IcuRecorded>>,
    session_mode: Mutex<SessionMode>,
}

impl std::fmt::Debug for IcuSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IcuSandbox").finish_non_exhaustive()
    }
}

impl IcuSandbox {
    /// An emulator seeded with the sample athlete, relative to `clock`'s today.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        let state = seed::seed(&clock);
        Self {
            state: Mutex::new(state),
            clock,
            log: Mutex::new(VecDeque::with_capacity(64)),
            session_mode: Mutex::new(SessionMode::default()),
        }
    }

    /// The emulator's today.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// Runs `f` on the state (for test set-up and inspection).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut IcuState) -> R) -> R {
        f(&mut lock(&self.state))
    }

    /// The requests received so far, oldest first (at most [`ICU_REQUEST_LOG_LIMIT`]).
    pub fn requests(&self) -> Vec<IcuRecorded> {
        lock(&self.log).iter().cloned().collect()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.log).clear();
    }

    /// Sets how cookie-only requests are treated from now on.
    pub fn set_session_mode(&self, mode: SessionMode) {
        *lock(&self.session_mode) = mode;
    }

    /// Answers one request as Intervals.icu would, and logs it.
    pub fn handle(&self, req: &HttpRequest) -> HttpResponse {
        let (auth, resp) = match self.authenticate(req) {
            Ok(auth) => (auth, self.dispatch(req)),
            Err(resp) => (AuthMethod::None, resp),
        };
        let body = req
            .body
            .as_deref()
            .and_then(|b| serde_json::from_slice(b).ok());
        let mut log = lock(&self.log);
        if log.len() >= ICU_REQUEST_LOG_LIMIT {
            log.pop_front();
        }
        log.push_back(IcuRecorded {
            method: req.method,
            host: req.host().to_string(),
            path: req.path_and_query().to_string(),
            body,
            auth,
            status: resp.status,
        });
        resp
    }

    /// Basic `API_KEY:<key>` first (an explicit key wins), then the session cookie.
    fn authenticate(&self, req: &HttpRequest) -> Result<AuthMethod, HttpResponse> {
        if let Some(h) = req.header_value("authorization") {
            let h = h.trim();
            if let Some(enc) = h.strip_prefix("Basic ") {
                let ok = crate::http::base64::decode(enc.trim())
                    .and_then(|b| String::from_utf8(b).ok())
                    .is_some_and(|cred| cred == format!("API_KEY:{SAMPLE_API_KEY}"));
                return if ok {
                    Ok(AuthMethod::ApiKey)
                } else {
                    Err(error(401, "Invalid API key"))
                };
            }
            if h.starts_with("Bearer ") {
                // Spec §3.1: a personal key sent as a Bearer token is refused with 403.
                return Err(error(403, "Bearer tokens must be OAuth access tokens"));
            }
            return Err(error(401, "Unsupported Authorization scheme"));
        }
        let has_session = req.header_value("cookie").is_some_and(|c| {
            c.split(';').any(|kv| {
                kv.trim()
                    .split_once('=')
                    .is_some_and(|(k, v)| k == ICU_SESSION_COOKIE && v == SAMPLE_ICU_SESSION)
            })
        });
        if !has_session {
            return Err(error(401, "Full authentication is required"));
        }
        match *lock(&self.session_mode) {
            SessionMode::Accepted => Ok(AuthMethod::Session),
            SessionMode::Unauthorized => Err(error(401, "Full authentication is required")),
            SessionMode::Forbidden => Err(error(403, "Access denied")),
        }
    }

    fn dispatch(&self, req: &HttpRequest) -> HttpResponse {
        let full = req.path_and_query();
        let (path, query) = full.split_once('?').unwrap_or((full, ""));
        let Some(rest) = path.strip_prefix("/api/v1/") else {
            return error(404, &format!("No endpoint {path}"));
        };
        let segs: Vec<String> = rest
            .trim_end_matches('/')
            .split('/')
            // `+` is a space only in a query string; in a path it is itself.
            .map(|seg| percent_decode(&seg.replace('+', "%2B")))
            .collect();
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        let ctx = Ctx {
            query: parse_query(query),
            body: req.body.clone().unwrap_or_default(),
            today: self.clock.today(),
            now: self.clock.now(),
        };
        let Some(action) = route(req.method, &segs) else {
            let allowed: Vec<&str> = [Method::Get, Method::Post, Method::Put, Method::Delete]
                .into_iter()
                .filter(|m| route(*m, &segs).is_some())
                .map(Method::as_str)
                .collect();
            if allowed.is_empty() {
                return no_route(req.method, &segs);
            }
            return error(
                405,
                &format!(
                    "Request method '{}' is not supported (allowed: {})",
                    req.method,
                    allowed.join(", ")
                ),
            )
            .with_header("allow", allowed.join(", "));
        };
        // A body must be declared JSON, as a Spring `@RequestBody` requires, checked after the
        // path and method as Spring does (inference: the error shape says Spring; a client that
        // forgets the header is caught here).
        if !ctx.body.is_empty()
            && !req
                .header_value("content-type")
                .is_some_and(|c| c.to_ascii_lowercase().starts_with("application/json"))
        {
            return error(
                415,
                &format!(
                    "Content-Type '{}' is not supported; send application/json",
                    req.header_value("content-type").unwrap_or("(none)")
                ),
            );
        }
        let mut st = lock(&self.state);
        match action(&mut st, &ctx) {
            Ok(r) | Err(r) => r,
        }
    }
}

/// What a route does, once chosen: runs a handler on the state.
type Action<'s> = Box<dyn FnOnce(&mut IcuState, &Ctx) -> Handled + 's>;

/// Wraps a handler call as an [`Action`] (every handler sees the state and the context).
macro_rules! h {
    (|$st:ident, $ctx:ident| $call:expr) => {
        Box::new(move |$st: &mut IcuState, $ctx: &Ctx| {
            let _ = &$ctx;
            $call
        })
    };
}

/// The action for a method and path, or `None` when no route has that method and path.
/// Choosing is kept apart from running so a path known under another method can answer 405,
/// as Spring does, without running anything. Handlers return `Err` with the error response,
/// so `?` carries a 4xx straight out.
fn route<'s>(method: Method, segs: &'s [&'s str]) -> Option<Action<'s>> {
    use Method::{Delete, Get, Post, Put};
    match (method, segs) {
        (_, ["athlete", aid, rest @ ..]) => {
            let inner: Action<'s> = match (method, rest) {
                (Get, []) => h!(|st, ctx| athlete::get(st)),
                (Put, []) => h!(|st, ctx| athlete::put(st, ctx)),
                (Get, ["profile"]) => h!(|st, ctx| athlete::profile(st)),
                (Get, ["sport-settings"]) => h!(|st, ctx| athlete::sport_settings(st)),
                (Get, ["sport-settings", id]) => h!(|st, ctx| athlete::sport_setting(st, id)),
                (Put, ["sport-settings", id]) => {
                    h!(|st, ctx| athlete::put_sport_setting(st, ctx, id))
                }
                (Get, ["activities"]) => h!(|st, ctx| activities::list(st, ctx)),
                (Get, ["athlete-summary"]) => h!(|st, ctx| activities::athlete_summary(st, ctx)),
                (Get, ["wellness"]) => h!(|st, ctx| athlete::wellness_list(st, ctx)),
                (Put, ["wellness"]) => h!(|st, ctx| athlete::wellness_put_body(st, ctx)),
                (Put, ["wellness-bulk"]) => h!(|st, ctx| athlete::wellness_bulk(st, ctx)),
                (Get, ["wellness", date]) => h!(|st, ctx| athlete::wellness_get(st, date)),
                (Put, ["wellness", date]) => h!(|st, ctx| athlete::wellness_put(st, ctx, date)),
                (Get, ["gear"]) => h!(|st, ctx| athlete::gear(st)),
                (Get, ["custom-item"]) => h!(|st, ctx| athlete::custom_items(st)),
                (Post, ["custom-item"]) => h!(|st, ctx| athlete::create_custom_item(st, ctx)),
                (Get, ["custom-item", id]) => h!(|st, ctx| athlete::custom_item(st, id)),
                (Put, ["custom-item", id]) => {
                    h!(|st, ctx| athlete::update_custom_item(st, ctx, id))
                }
                (Delete, ["custom-item", id]) => h!(|st, ctx| athlete::delete_custom_item(st, id)),
                (Get, ["power-curves"]) => {
                    h!(|st, ctx| activities::curves(st, ctx, streams::CurveKind::Power))
                }
                (Get, ["hr-curves"]) => {
                    h!(|st, ctx| activities::curves(st, ctx, streams::CurveKind::Hr))
                }
                (Get, ["pace-curves"]) => {
                    h!(|st, ctx| activities::curves(st, ctx, streams::CurveKind::Pace))
                }
                (Get, ["events"]) => h!(|st, ctx| calendar::list(st, ctx)),
                (Post, ["events"]) => h!(|st, ctx| calendar::create(st, ctx)),
                (Delete, ["events"]) => h!(|st, ctx| calendar::delete_range(st, ctx)),
                (Post, ["events", "bulk"]) => h!(|st, ctx| calendar::bulk_create(st, ctx)),
                (Put, ["events", "bulk-delete"]) => h!(|st, ctx| calendar::bulk_delete(st, ctx)),
                (Get, ["events", id]) => h!(|st, ctx| calendar::get(st, ctx, id)),
                (Put, ["events", id]) => h!(|st, ctx| calendar::update(st, ctx, id)),
                (Delete, ["events", id]) => h!(|st, ctx| calendar::delete(st, id)),
                (Get, ["folders"]) => h!(|st, ctx| library::folders(st)),
                (Post, ["folders"]) => h!(|st, ctx| library::create_folder(st, ctx)),
                (Get, ["workouts"]) => h!(|st, ctx| library::workouts(st)),
                (Post, ["workouts"]) => h!(|st, ctx| library::create_workout(st, ctx)),
                (Get, ["workouts", id]) => h!(|st, ctx| library::workout(st, id)),
                (Put, ["workouts", id]) => h!(|st, ctx| library::update_workout(st, ctx, id)),
                (Delete, ["workouts", id]) => h!(|st, ctx| library::delete_workout(st, id)),
                _ => return None,
            };
            // The athlete is checked when the route runs: a wrong method is 405 first.
            Some(Box::new(move |st: &mut IcuState, ctx: &Ctx| {
                athlete::check(aid)?;
                inner(st, ctx)
            }))
        }
        (_, ["activity", id, rest @ ..]) => Some(match (method, rest) {
            (Get, []) => h!(|st, ctx| activities::get(st, ctx, id)),
            (Put, []) => h!(|st, ctx| activities::update(st, ctx, id)),
            (Get, ["streams"]) => h!(|st, ctx| activities::streams(st, ctx, id)),
            (Get, ["intervals"]) => h!(|st, ctx| activities::intervals(st, id)),
            (Get, ["messages"]) => h!(|st, ctx| activities::messages(st, ctx, id)),
            (Post, ["messages"]) => h!(|st, ctx| activities::add_message(st, ctx, id)),
            _ => return None,
        }),
        _ => None,
    }
}

/// A handler's answer: `Ok` the success, `Err` an error response.
pub(crate) type Handled = Result<HttpResponse, HttpResponse>;

/// What handlers get besides the state.
pub(crate) struct Ctx {
    query: BTreeMap<String, String>,
    body: Vec<u8>,
    today: NaiveDate,
    now: DateTime<Utc>,
}

impl Ctx {
    /// A query parameter, percent-decoded.
    fn q(&self, name: &str) -> Option<&str> {
        self.query
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The body as JSON, or a 400 as Spring answers an unreadable message.
    fn json(&self) -> Result<Value, HttpResponse> {
        let body = self.body.as_slice();
        if body.is_empty() {
            return Err(error(400, "Required request body is missing"));
        }
        serde_json::from_slice(body).map_err(|e| error(400, &format!("JSON parse error: {e}")))
    }

    /// The body as a JSON object, else 400.
    fn object(&self) -> Result<serde_json::Map<String, Value>, HttpResponse> {
        match self.json()? {
            Value::Object(m) => Ok(m),
            _ => Err(error(400, "JSON parse error: expected an object")),
        }
    }

    /// A date query parameter (`YYYY-MM-DD` or a local date-time), or a 422 naming it.
    fn date(&self, name: &str) -> Result<Option<NaiveDate>, HttpResponse> {
        self.q(name)
            .map(|s| {
                parse_local_date(s).ok_or_else(|| {
                    error(
                        422,
                        &format!("{name}: '{s}' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"),
                    )
                })
            })
            .transpose()
    }

    /// A required date query parameter.
    fn required_date(&self, name: &str) -> Result<NaiveDate, HttpResponse> {
        self.date(name)?
            .ok_or_else(|| error(422, &format!("{name} is required")))
    }

    /// A boolean query parameter (`true`/`false`), default false; anything else is 422.
    fn flag(&self, name: &str) -> Result<bool, HttpResponse> {
        match self.q(name) {
            None => Ok(false),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(s) => Err(error(422, &format!("{name}: '{s}' is not true or false"))),
        }
    }

    /// A non-negative integer query parameter, or a 422.
    fn limit(&self, name: &str) -> Result<Option<usize>, HttpResponse> {
        self.q(name)
            .map(|s| {
                s.parse()
                    .map_err(|_| error(422, &format!("{name}: '{s}' is not a whole number")))
            })
            .transpose()
    }
}

/// Parses a local date or date-time (`2026-11-21`, `2026-11-21T07:30:00`) to its date.
pub(crate) fn parse_local_date(s: &str) -> Option<NaiveDate> {
    if s.len() == 10 {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .map(|d| d.date())
        .ok()
}

/// The reason phrase for the statuses the emulator answers with.
fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        _ => "Error",
    }
}

/// A Spring-style error body (spec §3.1 "Errors": `{status, error}`), with a readable message.
pub(crate) fn error(status: u16, message: &str) -> HttpResponse {
    HttpResponse::json(
        status,
        &json!({"status": status, "error": reason(status), "message": message}),
    )
}

/// A 404 naming the unknown thing.
pub(crate) fn not_found(what: &str) -> HttpResponse {
    error(404, &format!("{what} not found"))
}

fn no_route(method: Method, segs: &[&str]) -> HttpResponse {
    error(
        404,
        &format!("No endpoint {method} /api/v1/{}", segs.join("/")),
    )
}

/// A 200 with a JSON body.
pub(crate) fn ok(v: &Value) -> Handled {
    Ok(HttpResponse::json(200, v))
}

fn parse_query(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Decodes `%XX` escapes and `+` (as a space); malformed escapes are kept literally.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Transport for IcuSandbox {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        let resp = self.handle(&request);
        Box::pin(async move { Ok(resp) })
    }
}

/// How an [`IcuSandboxTransport`] authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Credentials {
    Session(String),
    ApiKey(String),
}

/// A browser in front of an [`IcuSandbox`]: logged in with the session cookie (what the
/// extension tries first), or sending a personal API key as Basic auth (its fallback, and what
/// `--direct` sends).
#[derive(Debug, Clone)]
pub struct IcuSandboxTransport {
    sandbox: Arc<IcuSandbox>,
    credentials: Credentials,
}

impl IcuSandboxTransport {
    /// A browser logged in to intervals.icu as the sample athlete (session cookie, no key).
    pub fn new(sandbox: Arc<IcuSandbox>) -> Self {
        Self {
            sandbox,
            credentials: Credentials::Session(SAMPLE_ICU_SESSION.to_string()),
        }
    }

    /// A client sending `key` as Basic `API_KEY:<key>` on every request.
    pub fn with_api_key(sandbox: Arc<IcuSandbox>, key: &str) -> Self {
        Self {
            sandbox,
            credentials: Credentials::ApiKey(key.to_string()),
        }
    }

    /// The sandbox behind it.
    pub fn sandbox(&self) -> &Arc<IcuSandbox> {
        &self.sandbox
    }
}

impl Transport for IcuSandboxTransport {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        let request = match &self.credentials {
            Credentials::Session(v) => {
                request.header("cookie", format!("{ICU_SESSION_COOKIE}={v}"))
            }
            Credentials::ApiKey(k) => request.header(
                "authorization",
                format!(
                    "Basic {}",
                    crate::http::base64::encode(format!("API_KEY:{k}").as_bytes())
                ),
            ),
        };
        let resp = self.sandbox.handle(&request);
        Box::pin(async move { Ok(resp) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icu_query_and_date_parsing() {
        let q = parse_query("types=watts%2Cheartrate&q=long+ride&flag&bad=%zz");
        assert_eq!(q.get("types").map(String::as_str), Some("watts,heartrate"));
        assert_eq!(q.get("q").map(String::as_str), Some("long ride"));
        assert_eq!(q.get("flag").map(String::as_str), Some(""));
        assert_eq!(
            q.get("bad").map(String::as_str),
            Some("%zz"),
            "kept literally"
        );
        assert_eq!(
            parse_local_date("2026-11-21T07:30:00"),
            NaiveDate::from_ymd_opt(2026, 11, 21)
        );
        assert_eq!(
            parse_local_date("2026-11-21"),
            NaiveDate::from_ymd_opt(2026, 11, 21)
        );
        assert_eq!(parse_local_date("21/11/2026"), None);
        assert_eq!(parse_local_date("2026-13-01"), None);
    }
}
