//! Calendar tools (events, notes, availability, goal lists): every tool through
//! `tools::call` against the sandbox, the sandbox's own rules, and closure-transport tests that
//! pin the exact requests of the write endpoints.

use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate};
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method};
use paceline_core::sandbox::{
    AUTH_COOKIE, SAMPLE_ATHLETE_ID, SAMPLE_COOKIE, Sandbox, SandboxTransport,
};
use paceline_core::tools::{self, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::{TpClient, TpError};
use serde_json::{Value, json};

mod availability;
mod drifted;
mod events;
mod goal_lists;
mod notes;
mod sandbox_rules;
mod wire_requests;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// `today + days` as `YYYY-MM-DD`.
fn day(days: i64) -> String {
    (today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

struct Env {
    sandbox: Arc<Sandbox>,
    ctx: ToolContext,
}

fn env() -> Env {
    let clock = Arc::new(ManualClock::at_date(today()));
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox.clone())), clock);
    Env {
        sandbox,
        ctx: ToolContext::new(Arc::new(client)),
    }
}

impl Env {
    fn call(&self, name: &str, args: Value) -> Result<ToolOutput, ToolError> {
        block_on(tools::call(&self.ctx, name, args))
    }

    fn ok(&self, name: &str, args: Value) -> ToolOutput {
        match self.call(name, args.clone()) {
            Ok(o) => o,
            Err(e) => panic!("{name}({args}) failed: {e}"),
        }
    }

    /// The id of the stored object in `collection` whose `key` equals `value`.
    fn id_where(&self, collection: &str, key: &str, value: &str) -> i64 {
        self.sandbox
            .with_state(|st| {
                st.collection(collection)
                    .iter()
                    .find(|(_, v)| v.get(key).and_then(Value::as_str) == Some(value))
                    .map(|(id, _)| *id)
            })
            .unwrap_or_else(|| panic!("no {collection} with {key} = {value}"))
    }

    fn stored(&self, collection: &str, id: i64) -> Option<Value> {
        self.sandbox
            .with_state(|st| st.collection(collection).get(&id).cloned())
    }

    /// Sends one request straight to the sandbox with a valid token (for rule tests).
    fn raw(&self, method: Method, path: &str, body: Option<Value>) -> HttpResponse {
        let token_req = HttpRequest::new(
            Method::Get,
            "https://tpapi.trainingpeaks.com/users/v3/token",
        )
        .header("cookie", format!("{AUTH_COOKIE}={SAMPLE_COOKIE}"));
        let token: Value = serde_json::from_slice(&self.sandbox.handle(&token_req).body).unwrap();
        let bearer = token["token"]["access_token"].as_str().unwrap().to_string();
        let mut req = HttpRequest::new(method, format!("https://tpapi.trainingpeaks.com{path}"))
            .header("authorization", format!("Bearer {bearer}"));
        if let Some(b) = body {
            req = req.json_body(&b);
        }
        self.sandbox.handle(&req)
    }
}

fn invalid_field(r: Result<ToolOutput, ToolError>) -> String {
    match r {
        Err(ToolError::InvalidArgs { field, .. }) => field,
        Err(ToolError::Api(TpError::InvalidInput { field, .. })) => field,
        other => panic!("expected invalid arguments, got {other:?}"),
    }
}

fn not_found_message(r: Result<ToolOutput, ToolError>) -> String {
    match r {
        Err(e @ ToolError::Api(TpError::NotFound { .. })) => e.to_string(),
        other => panic!("expected a not-found error, got {other:?}"),
    }
}

const AID: i64 = SAMPLE_ATHLETE_ID;

// ---------------------------------------------------------------------------------------------
// Catalogue

#[test]
fn calendar_tools_are_registered_in_reference_order() {
    let names: Vec<&str> = tools::CATALOG.iter().map(|t| t.name()).collect();
    let ours = [
        "get_focus_event",
        "get_next_planned_event",
        "get_events",
        "create_event",
        "delete_event",
        "update_event",
        "get_note",
        "update_note",
        "get_note_comments",
        "add_note_comment",
        "create_note",
        "delete_note",
        "get_availability",
        "create_availability",
        "update_availability",
        "delete_availability",
        "create_goal_list",
        "delete_goal_list",
    ];
    let positions: Vec<usize> = ours
        .iter()
        .map(|n| {
            names
                .iter()
                .position(|x| x == n)
                .unwrap_or_else(|| panic!("{n} missing"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "order: {positions:?}"
    );
    for n in ours {
        let t = tools::find(n).unwrap();
        let schema = t.input_schema();
        assert_eq!(schema["type"], "object", "{n}");
        assert!(
            schema["properties"]["athlete_id"].is_object(),
            "{n} lacks athlete_id"
        );
        assert_eq!(t.output_schema()["type"], "object", "{n}");
        let a = t.annotations();
        assert_eq!(a.read_only, n.starts_with("get_"), "{n}");
        assert_eq!(
            a.destructive,
            n.starts_with("delete_") || n.starts_with("update_") || n == "add_note_comment",
            "{n}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Expired session

#[test]
fn every_calendar_tool_reports_an_expired_session() {
    let e = env();
    let event = e.id_where("events", "name", "Lakeside 70.3");
    let note = e.id_where("notes", "title", "Bike fit");
    let avail = e.id_where("availability", "reason", "Travel");
    // Warm the client's token and user cache first, so expiry is hit mid-session.
    e.ok("get_focus_event", json!({}));
    e.sandbox.set_logged_in(SAMPLE_COOKIE, false);
    e.sandbox.expire_tokens();
    let calls = [
        ("get_focus_event", json!({})),
        ("get_next_planned_event", json!({})),
        ("get_events", json!({})),
        (
            "create_event",
            json!({"name": "x", "date": day(9), "event_type": "Running"}),
        ),
        ("delete_event", json!({"event_id": event})),
        ("update_event", json!({"event_id": event, "name": "y"})),
        ("get_note", json!({"note_id": note})),
        ("update_note", json!({"note_id": note, "title": "y"})),
        ("get_note_comments", json!({"note_id": note})),
        ("add_note_comment", json!({"note_id": note, "comment": "y"})),
        ("create_note", json!({"date": day(1), "title": "y"})),
        ("delete_note", json!({"note_id": note})),
        (
            "get_availability",
            json!({"start_date": day(0), "end_date": day(9)}),
        ),
        ("create_availability", json!({"start_date": day(9)})),
        (
            "update_availability",
            json!({"availability_id": avail, "reason": "y"}),
        ),
        ("delete_availability", json!({"availability_id": avail})),
        (
            "create_goal_list",
            json!({"date": day(9), "title": "t", "goals": ["g"]}),
        ),
        ("delete_goal_list", json!({"goal_list_id": 1})),
    ];
    for (tool, args) in calls {
        let err = e.call(tool, args).unwrap_err();
        assert_eq!(err, ToolError::Api(TpError::NotLoggedIn), "{tool}");
        assert!(err.to_string().contains("Log in"), "{tool}: {err}");
    }
    // Nothing changed.
    assert!(e.stored("events", event).is_some());
    assert!(e.stored("notes", note).is_some());
}

// ---------------------------------------------------------------------------------------------
// Exact requests (closure transport)

type Log = Arc<Mutex<Vec<HttpRequest>>>;

const FAKE_AID: i64 = 42;

/// A client whose transport answers the token exchange and `/users/v3/user` itself and hands
/// every other request to `respond`, recording it.
fn fake(
    respond: impl Fn(&HttpRequest) -> HttpResponse + Send + Sync + 'static,
) -> (ToolContext, Log) {
    let log = Log::default();
    let seen = log.clone();
    let transport = FnTransport(move |req: HttpRequest| {
        match req.path_and_query() {
            "/users/v3/token" => {
                return Ok(HttpResponse::json(
                    200,
                    &json!({"success": true, "token": {"access_token": "tok-1", "token_type": "bearer", "expires_in": 3600}}),
                ));
            }
            "/users/v3/user" => {
                return Ok(HttpResponse::json(
                    200,
                    &json!({"user": {"userId": FAKE_AID}}),
                ));
            }
            _ => {}
        }
        seen.lock().unwrap().push(req.clone());
        Ok(respond(&req))
    });
    let clock = Arc::new(ManualClock::at_date(today()));
    let client = TpClient::new(Arc::new(transport), clock);
    (ToolContext::new(Arc::new(client)), log)
}

fn body_of(req: &HttpRequest) -> Value {
    serde_json::from_slice(req.body.as_deref().expect("request has a body")).unwrap()
}

fn assert_request(req: &HttpRequest, method: Method, path: &str, body: Option<Value>) {
    assert_eq!(req.method, method, "{}", req.url);
    assert_eq!(req.url, format!("https://tpapi.trainingpeaks.com{path}"));
    assert_eq!(
        req.header_value("authorization"),
        Some("Bearer tok-1"),
        "{path}"
    );
    match body {
        Some(b) => {
            assert_eq!(
                req.header_value("content-type"),
                Some("application/json"),
                "{path}"
            );
            assert_eq!(body_of(req), b, "{path}");
        }
        None => assert!(req.body.is_none(), "{path} has a body"),
    }
}

/// Echoes a POST/PUT body back with an id, as TrainingPeaks answers.
fn echo_with_id(req: &HttpRequest, id: i64) -> HttpResponse {
    let mut b = req
        .body
        .as_deref()
        .map(|b| serde_json::from_slice(b).unwrap())
        .unwrap_or(json!({}));
    b["id"] = json!(id);
    HttpResponse::json(200, &b)
}
