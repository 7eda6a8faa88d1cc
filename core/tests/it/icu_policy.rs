//! The Intervals.icu client's hardening, against closure transports and a manual clock: the
//! request budget (the TrainingPeaks limiter, `http/rate.rs`), the per-call deadline, and the
//! duplicate guard for creates (the TrainingPeaks journal, `http/journal.rs`), down to a tool's
//! answer.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_executor::block_on;
use paceline_core::clock::{Clock, ManualClock};
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method, TransportError};
use paceline_core::intervals::events::EventWrite;
use paceline_core::intervals::{
    CallOptions, DUPLICATE_WINDOW, IcuClient, IcuConfig, IcuError, RateLimit,
};
use paceline_core::tools::{ToolContext, ToolError};
use paceline_core::trainingpeaks::{RateWait, TpClient};
use serde_json::{Value, json};

type Log = Arc<Mutex<Vec<(HttpRequest, DateTime<Utc>)>>>;

struct Harness {
    clock: Arc<ManualClock>,
    log: Log,
    client: IcuClient,
    start: DateTime<Utc>,
}

/// A session client whose answers come from `route(request, n)`, `n` counting the earlier
/// requests with the same method.
fn harness(
    route: impl Fn(&HttpRequest, usize) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
) -> Harness {
    let start = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .to_utc();
    let clock = Arc::new(ManualClock::new(start));
    let log: Log = Arc::default();
    let (c, l) = (clock.clone(), log.clone());
    let transport = FnTransport(move |req: HttpRequest| {
        let mut log = l.lock().unwrap();
        let n = log.iter().filter(|(r, _)| r.method == req.method).count();
        log.push((req.clone(), c.now()));
        drop(log);
        route(&req, n)
    });
    let client = IcuClient::new(Arc::new(transport), clock.clone(), IcuConfig::default());
    Harness {
        clock,
        log,
        client,
        start,
    }
}

impl Harness {
    fn sent(&self, method: Method) -> Vec<DateTime<Utc>> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|(r, _)| r.method == method)
            .map(|(_, t)| *t)
            .collect()
    }
}

fn json_reply(status: u16, v: Value) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::json(status, &v))
}

fn get_events(c: &IcuClient) -> Result<(), IcuError> {
    let day = "2026-03-01".parse().unwrap();
    block_on(c.events(None, day, day, &[])).map(drop)
}

#[test]
fn every_request_spends_the_intervals_budget_and_waits_are_reported() {
    let h = harness(|_, _| json_reply(200, json!([])));
    assert_eq!(h.client.rate_limit(), Some(RateLimit::INTERVALS));
    let waits: Arc<Mutex<Vec<RateWait>>> = Arc::default();
    let w = waits.clone();
    let client = h
        .client
        .clone()
        .with_rate_limit(Some(RateLimit {
            max_requests: 2,
            per: Duration::from_secs(1),
        }))
        .for_call(CallOptions {
            deadline: Some(Duration::from_secs(55)),
            observer: Some(Arc::new(move |x: &RateWait| {
                w.lock().unwrap().push(x.clone())
            })),
        });
    for _ in 0..3 {
        get_events(&client).unwrap();
    }
    let at = h.sent(Method::Get);
    assert_eq!(at.len(), 3);
    // Two at once, the third one window later.
    assert_eq!(at[0], h.start);
    assert_eq!(at[1], h.start);
    assert_eq!(at[2] - h.start, chrono::Duration::seconds(1));
    let waits = waits.lock().unwrap();
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert_eq!(waits[0].service, "Intervals.icu");
    assert!(waits[0].describe().contains("Intervals.icu request budget"));
}

#[test]
fn a_call_that_would_wait_past_its_deadline_sends_nothing_more() {
    let h = harness(|_, _| json_reply(200, json!([])));
    let client = h
        .client
        .clone()
        .with_rate_limit(Some(RateLimit {
            max_requests: 1,
            per: Duration::from_secs(60),
        }))
        .for_call(CallOptions {
            deadline: Some(Duration::from_secs(5)),
            observer: None,
        });
    get_events(&client).unwrap();
    let err = get_events(&client).unwrap_err();
    assert!(
        matches!(
            err,
            IcuError::BudgetExceeded {
                requests: 1,
                deadline_secs: 5,
                max_requests: 1,
                per_secs: 60,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("stopped before sending"), "{err}");
    assert_eq!(
        h.sent(Method::Get).len(),
        1,
        "the second request was not sent"
    );
    assert_eq!(h.clock.now(), h.start, "and not waited for");
}

#[test]
fn retries_stop_short_of_the_call_deadline() {
    // A read answered 503 is retried after 0.5 s, 1 s, 2 s; with a 1 s deadline only the
    // first retry can start in time.
    let h = harness(|_, _| json_reply(503, json!({"error": "busy"})));
    let client = h.client.for_call(CallOptions {
        deadline: Some(Duration::from_secs(1)),
        observer: None,
    });
    let err = get_events(&client).unwrap_err();
    assert!(
        matches!(err, IcuError::Status { status: 503, .. }),
        "{err:?}"
    );
    assert_eq!(h.sent(Method::Get).len(), 2);
    // Without a deadline the same read is tried four times.
    let h = harness(|_, _| json_reply(503, json!({"error": "busy"})));
    let _ = get_events(&h.client);
    assert_eq!(h.sent(Method::Get).len(), 4);
}

fn event() -> EventWrite {
    let mut e = EventWrite::new("WORKOUT", "2026-03-02".parse().unwrap());
    e.name = Some("Tempo".into());
    e.sport = Some("Run".into());
    e
}

#[test]
fn an_identical_create_returns_the_first_one_and_says_so() {
    let h = harness(|req, n| {
        let mut b: Value = serde_json::from_slice(req.body.as_deref().unwrap_or(b"{}")).unwrap();
        b["id"] = json!(700 + n);
        json_reply(200, b)
    });
    let c = h.client.guarding_creates();
    let first = block_on(c.create_event(None, &event())).unwrap();
    h.clock.advance(Duration::from_secs(120));
    let again = block_on(c.create_event(None, &event())).unwrap();
    assert_eq!(first.id.val(), Some(700));
    assert_eq!(again.id.val(), Some(700), "the first one's answer");
    assert_eq!(h.sent(Method::Post).len(), 1);
    let notices = c.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("identical event was created on Intervals.icu 2 min ago (id 700)"),
        "{notices:?}"
    );
    // Another body is another create; and after the window the same one goes out again.
    let mut other = event();
    other.name = Some("Tempo 2".into());
    block_on(c.create_event(None, &other)).unwrap();
    h.clock.advance(DUPLICATE_WINDOW);
    block_on(c.create_event(None, &event())).unwrap();
    assert_eq!(h.sent(Method::Post).len(), 3);
    // Without the guard (tools that do not create) nothing is journaled.
    block_on(h.client.create_event(None, &event())).unwrap();
    block_on(h.client.create_event(None, &event())).unwrap();
    assert_eq!(h.sent(Method::Post).len(), 5);
}

#[test]
fn a_create_whose_outcome_is_unknown_is_never_sent_again() {
    let h = harness(|req, n| match n {
        0 => json_reply(503, json!({"error": "gateway"})),
        _ => {
            let mut b: Value =
                serde_json::from_slice(req.body.as_deref().unwrap_or(b"{}")).unwrap();
            b["id"] = json!(800);
            json_reply(200, b)
        }
    });
    let c = h.client.guarding_creates();
    let first = block_on(c.create_event(None, &event())).unwrap_err();
    assert!(
        matches!(first, IcuError::WriteOutcomeUnknown { .. }),
        "{first:?}"
    );
    assert!(first.to_string().contains("before retrying"), "{first}");
    h.clock.advance(Duration::from_secs(60));
    let again = block_on(c.create_event(None, &event())).unwrap_err();
    let text = again.to_string();
    assert!(
        matches!(
            again,
            IcuError::DuplicateOutcomeUnknown {
                minutes_left: 9,
                ..
            }
        ),
        "{again:?}"
    );
    assert!(
        text.contains("outcome unknown, check before retrying"),
        "{text}"
    );
    assert_eq!(h.sent(Method::Post).len(), 1, "not re-sent");
    // A clean refusal is forgotten: a 4xx does not block the retry.
    let h = harness(|req, n| match n {
        0 => json_reply(422, json!({"error": "bad"})),
        _ => {
            let mut b: Value =
                serde_json::from_slice(req.body.as_deref().unwrap_or(b"{}")).unwrap();
            b["id"] = json!(801);
            json_reply(200, b)
        }
    });
    let c = h.client.guarding_creates();
    assert!(block_on(c.create_event(None, &event())).is_err());
    assert_eq!(
        block_on(c.create_event(None, &event())).unwrap().id.val(),
        Some(801)
    );
}

#[test]
fn a_create_tool_run_twice_answers_from_the_journal_and_says_so() {
    let h = harness(|req, _| match req.method {
        Method::Post => json_reply(200, json!({"id": 42, "new_chat": null})),
        _ => json_reply(200, json!([])),
    });
    let tp = FnTransport(|req: HttpRequest| -> Result<HttpResponse, TransportError> {
        panic!(
            "no TrainingPeaks request expected: {} {}",
            req.method, req.url
        )
    });
    let ctx = ToolContext::new(Arc::new(TpClient::new(Arc::new(tp), h.clock.clone())))
        .with_icu(Arc::new(h.client.clone()));
    let tool = paceline_core::tools::intervals::find("add_activity_message").unwrap();
    let args = json!({"activity_id": "i55", "content": "Nice one"});
    // One context per call, as hosts make them: the journal is the client's, shared.
    let call = |args: Value| -> Result<String, ToolError> {
        let ctx = ctx.for_call(CallOptions::default());
        block_on(tool.call(&ctx, args)).map(|o| o.text)
    };
    let first = call(args.clone()).unwrap();
    assert!(!first.contains("identical"), "{first}");
    let second = call(args).unwrap();
    assert!(
        second.starts_with("An identical message was created on Intervals.icu"),
        "{second}"
    );
    assert_eq!(h.sent(Method::Post).len(), 1);
}
