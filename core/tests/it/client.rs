//! The TrainingPeaks client machinery against closure transports and a manual clock: token
//! exchange and caching, 401 handling, read retries, write safety, rate limiting, range
//! chunking, the user and roster, and the wording of errors.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use futures_executor::block_on;
use paceline_core::clock::{Clock, ManualClock};
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method, TransportError};
use paceline_core::trainingpeaks::{
    Api, AthleteSummary, CallOptions, RateLimit, RateWait, TpClient, TpError, WaitObserver,
};
use serde_json::{Value, json};

mod errors;
mod identity;
mod rate_limit;
mod reads_as_post;
mod retries;
mod token;
mod user;
mod windows;

type Reply = Result<HttpResponse, TransportError>;
type Log = Arc<Mutex<Vec<(HttpRequest, DateTime<Utc>)>>>;

const TOKEN: &str = "/users/v3/token";
const USER: &str = "/users/v3/user";

/// A client over a closure transport that logs every request with the clock time it was sent.
struct Harness {
    clock: Arc<ManualClock>,
    log: Log,
    client: TpClient,
    start: DateTime<Utc>,
}

/// `route(request, n)` answers every request, token exchange included; `n` counts the earlier
/// requests with the same method and path.
fn harness(route: impl Fn(&HttpRequest, usize) -> Reply + Send + Sync + 'static) -> Harness {
    let start = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .to_utc();
    let clock = Arc::new(ManualClock::new(start));
    let log: Log = Arc::default();
    let (c, l) = (clock.clone(), log.clone());
    let transport = FnTransport(move |req: HttpRequest| {
        let mut log = l.lock().unwrap();
        let n = log
            .iter()
            .filter(|(r, _)| r.method == req.method && r.path_and_query() == req.path_and_query())
            .count();
        log.push((req.clone(), c.now()));
        drop(log);
        route(&req, n)
    });
    let client = TpClient::new(Arc::new(transport), clock.clone());
    Harness {
        clock,
        log,
        client,
        start,
    }
}

impl Harness {
    fn requests(&self, method: Method, path: &str) -> Vec<HttpRequest> {
        let log = self.log.lock().unwrap();
        log.iter()
            .filter(|(r, _)| r.method == method && r.path_and_query() == path)
            .map(|(r, _)| r.clone())
            .collect()
    }
    fn count(&self, method: Method, path: &str) -> usize {
        self.requests(method, path).len()
    }
    fn exchanges(&self) -> usize {
        self.count(Method::Get, TOKEN)
    }
    fn total(&self) -> usize {
        self.log.lock().unwrap().len()
    }
    fn data_times(&self) -> Vec<DateTime<Utc>> {
        let log = self.log.lock().unwrap();
        log.iter()
            .filter(|(r, _)| r.path_and_query() != TOKEN)
            .map(|(_, t)| *t)
            .collect()
    }
    fn elapsed(&self) -> Duration {
        (self.clock.now() - self.start).to_std().unwrap()
    }
}

/// A good token exchange; the n-th token is `tok-n`.
fn token(n: usize) -> Reply {
    Ok(HttpResponse::json(
        200,
        &json!({"success": true, "token": {"access_token": format!("tok-{n}"),
            "token_type": "bearer", "expires_in": 3600}}),
    ))
}

fn ok(body: Value) -> Reply {
    Ok(HttpResponse::json(200, &body))
}

fn status(code: u16) -> Reply {
    Ok(HttpResponse::new(code, "oops"))
}

/// Token exchange works; `/x` answers with `data(n)`; anything else is a test bug.
fn with_data(data: impl Fn(&HttpRequest, usize) -> Reply + Send + Sync + 'static) -> Harness {
    harness(move |req, n| match req.path_and_query() {
        TOKEN => token(n),
        _ => data(req, n),
    })
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    req.header_value("authorization")
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn athlete_user() -> Value {
    json!({"user": {"userId": 1234, "personId": 99, "firstName": "Ada", "lastName": "Lovelace",
        "email": "ada@example.com", "userType": 4, "athletes": []}})
}

fn into_ctx(h: Harness) -> (paceline_core::tools::ToolContext, Log, Arc<ManualClock>) {
    let Harness {
        client, log, clock, ..
    } = h;
    (
        paceline_core::tools::ToolContext::new(Arc::new(client)),
        log,
        clock,
    )
}

fn fitness_args() -> Value {
    json!({"start_date": "2026-02-01", "end_date": "2026-02-28"})
}

fn pmc_row() -> Value {
    json!([{"workoutDay": "2026-02-28T00:00:00", "tssActual": 50.0, "ctl": 40.0, "atl": 45.0, "tsb": -5.0}])
}
