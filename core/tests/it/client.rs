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

// ---------------------------------------------------------------------------------------------
// Token exchange and cache

#[test]
fn first_call_exchanges_and_later_calls_reuse_the_token() {
    let h = with_data(|_, _| ok(json!({"a": 1})));
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!({"a": 1})
    );
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!({"a": 1})
    );
    assert_eq!(block_on(h.client.access_token()).unwrap(), "tok-0");
    assert_eq!(h.exchanges(), 1);
    assert_eq!(h.count(Method::Get, "/x"), 2);
    assert_eq!(h.elapsed(), Duration::ZERO, "nothing slept");
}

#[test]
fn headers_on_token_and_data_calls() {
    let h = with_data(|_, _| ok(json!({"ok": true})));
    let body = json!({"workoutDay": "2026-03-02", "totalTimePlanned": 1.5});
    block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&body)),
    )
    .unwrap();
    block_on(h.client.get_json(Api::Peaksware, "/x")).unwrap();

    let tok = &h.requests(Method::Get, TOKEN)[0];
    assert_eq!(tok.url, "https://tpapi.trainingpeaks.com/users/v3/token");
    assert_eq!(
        bearer(tok),
        None,
        "no Authorization header on the token call (spec §2.2)"
    );
    assert_eq!(tok.header_value("accept"), Some("application/json"));
    assert_eq!(tok.body, None);

    let post = &h.requests(Method::Post, "/x")[0];
    assert_eq!(post.url, "https://tpapi.trainingpeaks.com/x");
    assert_eq!(bearer(post), Some("Bearer tok-0"));
    assert_eq!(post.header_value("accept"), Some("application/json"));
    assert_eq!(post.header_value("content-type"), Some("application/json"));
    let sent: Value = serde_json::from_slice(post.body.as_deref().unwrap()).unwrap();
    assert_eq!(sent, body);

    let get = &h.requests(Method::Get, "/x")[0];
    assert_eq!(get.url, "https://api.peakswaresb.com/x", "Peaksware host");
    assert_eq!(
        bearer(get),
        Some("Bearer tok-0"),
        "same token on both hosts"
    );
    assert_eq!(
        get.header_value("content-type"),
        None,
        "no body, no content-type"
    );
    assert_eq!(get.body, None);
}

#[test]
fn token_is_re_exchanged_when_less_than_60_s_remain() {
    // (seconds advanced after the first call, expected exchanges after the second call)
    let cases = [(0, 1), (3539, 1), (3540, 2), (3541, 2), (7200, 2)];
    for (advance, want) in cases {
        let h = with_data(|_, _| ok(json!(1)));
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
        h.clock.advance(Duration::from_secs(advance));
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
        assert_eq!(h.exchanges(), want, "after {advance} s");
        let last = h.requests(Method::Get, "/x").pop().unwrap();
        assert_eq!(
            bearer(&last),
            Some(format!("Bearer tok-{}", want - 1).as_str()),
            "{advance}"
        );
    }
}

#[test]
fn missing_expires_in_is_taken_as_an_hour() {
    let h = harness(|req, _| match req.path_and_query() {
        TOKEN => ok(json!({"success": true, "token": {"access_token": "t"}})),
        _ => ok(json!(1)),
    });
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    h.clock.advance(Duration::from_secs(3539));
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    assert_eq!(h.exchanges(), 1);
}

#[test]
fn a_401_on_a_data_call_re_exchanges_once_and_retries_once() {
    let h = with_data(|_, n| {
        if n == 0 {
            status(401)
        } else {
            ok(json!({"v": n}))
        }
    });
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!({"v": 1})
    );
    assert_eq!(h.exchanges(), 2);
    let calls = h.requests(Method::Get, "/x");
    assert_eq!(calls.len(), 2);
    assert_eq!(bearer(&calls[0]), Some("Bearer tok-0"));
    assert_eq!(
        bearer(&calls[1]),
        Some("Bearer tok-1"),
        "the retry uses the new token"
    );
    assert_eq!(h.elapsed(), Duration::ZERO, "a 401 retry does not back off");
}

#[test]
fn a_second_401_is_not_logged_in_with_no_third_attempt() {
    // Two 401s, then the session works again (the person logged back in).
    let h = with_data(|_, n| if n < 2 { status(401) } else { ok(json!(1)) });
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert_eq!(err, TpError::NotLoggedIn);
    assert!(
        err.to_string()
            .contains("Log in at https://app.trainingpeaks.com"),
        "{err}"
    );
    assert_eq!(h.count(Method::Get, "/x"), 2);
    assert_eq!(h.exchanges(), 2);
    // The rejected token is forgotten: the next call starts with a fresh exchange.
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!(1)
    );
    assert_eq!(h.exchanges(), 3);
    assert_eq!(h.count(Method::Get, "/x"), 3);
}

#[test]
fn a_401_on_a_write_is_resent_once() {
    // Safe: the server refused the request before acting on it.
    let h = with_data(|_, n| {
        if n == 0 {
            status(401)
        } else {
            ok(json!({"workoutId": 9}))
        }
    });
    let body = json!({"title": "x"});
    let got = block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&body)),
    )
    .unwrap();
    assert_eq!(got, json!({"workoutId": 9}));
    assert_eq!(h.count(Method::Post, "/x"), 2);
}

#[test]
fn token_exchange_failures() {
    // (name, the token endpoint's answer, expected error)
    let cases: Vec<(&str, Reply, TpError)> = vec![
        ("401", status(401), TpError::NotLoggedIn),
        ("403", status(403), TpError::NotLoggedIn),
        (
            "success false",
            ok(json!({"success": false})),
            TpError::NotLoggedIn,
        ),
        (
            "no token",
            ok(json!({"success": true})),
            TpError::Decode {
                path: TOKEN.into(),
                message: "missing `token`".into(),
            },
        ),
        (
            "empty access_token",
            ok(json!({"success": true, "token": {"access_token": ""}})),
            TpError::Decode {
                path: TOKEN.into(),
                message: "missing `token.access_token`".into(),
            },
        ),
    ];
    for (name, reply, want) in cases {
        let reply = Arc::new(reply);
        let h = harness(move |req, _| match req.path_and_query() {
            TOKEN => (*reply).clone(),
            _ => ok(json!(1)),
        });
        let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
        assert_eq!(err, want, "{name}");
        assert_eq!(
            h.count(Method::Get, "/x"),
            0,
            "{name}: no data call without a token"
        );
        assert_eq!(h.exchanges(), 1, "{name}: a refusal is not retried");
    }
}

#[test]
fn token_exchange_is_retried_on_server_trouble() {
    // It is a GET: safe to repeat.
    let h = harness(|req, n| match req.path_and_query() {
        TOKEN if n < 2 => status(503),
        TOKEN => token(n),
        _ => ok(json!(1)),
    });
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    assert_eq!(h.exchanges(), 3);
    assert_eq!(h.elapsed(), secs(1.5));
}

// ---------------------------------------------------------------------------------------------
// User, athlete id, roster

fn athlete_user() -> Value {
    json!({"user": {"userId": 1234, "personId": 99, "firstName": "Ada", "lastName": "Lovelace",
        "email": "ada@example.com", "userType": 4, "athletes": []}})
}

#[test]
fn user_is_fetched_once_and_cached() {
    let h = with_data(|_, _| ok(athlete_user()));
    let u = block_on(h.client.user()).unwrap();
    assert_eq!(u.user_id.val(), Some(1234));
    assert_eq!(block_on(h.client.user()).unwrap(), u);
    assert_eq!(
        block_on(h.client.athlete_id(None)).unwrap(),
        1234,
        "user.userId"
    );
    assert_eq!(h.count(Method::Get, USER), 1);
    h.client.clear_session();
    block_on(h.client.user()).unwrap();
    assert_eq!(
        h.count(Method::Get, USER),
        2,
        "clear_session forgets the user"
    );
}

#[test]
fn athlete_id_given_explicitly() {
    let h = with_data(|_, _| ok(athlete_user()));
    assert_eq!(block_on(h.client.athlete_id(Some(42))).unwrap(), 42);
    for bad in [0, -1, i64::MIN] {
        match block_on(h.client.athlete_id(Some(bad))) {
            Err(TpError::InvalidInput { field, message }) => {
                assert_eq!(field, "athlete_id");
                assert!(message.contains(&bad.to_string()), "{message}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert_eq!(h.total(), 0, "an explicit id needs no request");
}

#[test]
fn user_without_an_id_names_the_field_and_what_was_seen() {
    let h = with_data(|_, _| ok(json!({"user": {"firstName": "A", "userId": "abc"}})));
    let err = block_on(h.client.athlete_id(None)).unwrap_err();
    assert!(
        matches!(&err, TpError::MissingField(m) if m.field == "userId" && m.seen == "\"abc\""),
        "{err:?}"
    );
    assert!(err.to_string().contains("`userId`"), "{err}");
    let h = with_data(|_, _| ok(json!({"nope": 1})));
    assert!(matches!(
        block_on(h.client.user()),
        Err(TpError::MissingField(_))
    ));
}

#[test]
fn a_coach_lists_the_roster() {
    let h = with_data(|_, _| {
        ok(
            json!({"user": {"userId": 10, "personId": 11, "firstName": "Coach",
            "athletes": [
                {"athleteId": 501, "firstName": "Ann", "lastName": "A", "email": "ann@x.org",
                 "coachedBy": 11, "userType": 4, "athleteType": 1},
                {"athleteId": 502, "firstName": "Bob", "lastName": "", "userType": 6},
                {"athleteId": 10, "firstName": "Coach", "coachedBy": 11}
            ]}}),
        )
    });
    let got = block_on(h.client.athletes()).unwrap();
    let want = vec![
        AthleteSummary {
            athlete_id: 501,
            first_name: Some("Ann".into()),
            last_name: Some("A".into()),
            email: Some("ann@x.org".into()),
            coached_by: Some(11),
            user_type: Some(4),
            is_self: false,
        },
        AthleteSummary {
            athlete_id: 502,
            first_name: Some("Bob".into()),
            last_name: None,
            email: None,
            coached_by: None,
            user_type: Some(6),
            is_self: false,
        },
        AthleteSummary {
            athlete_id: 10,
            first_name: Some("Coach".into()),
            last_name: None,
            email: None,
            coached_by: Some(11),
            user_type: None,
            is_self: true,
        },
    ];
    assert_eq!(got, want);
    // Serialises with snake_case keys for tool output.
    let v = serde_json::to_value(&got[0]).unwrap();
    assert_eq!(v["athlete_id"], 501);
    assert_eq!(v["coached_by"], 11);
}

#[test]
fn a_plain_athlete_lists_themselves() {
    for roster in [json!([]), Value::Null] {
        let user = {
            let mut u = athlete_user();
            u["user"]["athletes"] = roster.clone();
            u
        };
        let h = with_data(move |_, _| ok(user.clone()));
        let got = block_on(h.client.athletes()).unwrap();
        assert_eq!(
            got,
            vec![AthleteSummary {
                athlete_id: 1234,
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                email: Some("ada@example.com".into()),
                coached_by: None,
                user_type: Some(4),
                is_self: true,
            }],
            "roster {roster}"
        );
    }
}

#[test]
fn a_roster_entry_without_an_id_is_skipped_and_the_rest_listed() {
    let h = with_data(|_, _| {
        ok(
            json!({"user": {"userId": 1, "athletes": [{"athleteId": "2"}, {}, {"athleteId": 3.0}, 7]}}),
        )
    });
    let ids: Vec<i64> = block_on(h.client.athletes())
        .unwrap()
        .iter()
        .map(|a| a.athlete_id)
        .collect();
    assert_eq!(ids, [2, 3]);
}

// ---------------------------------------------------------------------------------------------
// Read retries

#[test]
fn a_get_is_retried_after_a_503_with_backoff() {
    let h = with_data(|_, n| {
        if n == 0 {
            status(503)
        } else {
            ok(json!({"n": n}))
        }
    });
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!({"n": 1})
    );
    assert_eq!(h.count(Method::Get, "/x"), 2);
    assert_eq!(h.elapsed(), secs(0.5), "first back-off is 0.5 s");
}

#[test]
fn a_get_honours_retry_after() {
    let h = with_data(|_, n| match n {
        0 => Ok(HttpResponse::new(503, "").with_header("Retry-After", "3")),
        1 => status(502),
        _ => ok(json!("done")),
    });
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!("done")
    );
    let t = h.data_times();
    assert_eq!(t.len(), 3);
    assert_eq!(
        (t[1] - t[0]).to_std().unwrap(),
        secs(3.0),
        "Retry-After: 3 beats 0.5 s"
    );
    assert_eq!(
        (t[2] - t[1]).to_std().unwrap(),
        secs(1.0),
        "then the 1 s back-off"
    );
    assert_eq!(h.elapsed(), secs(4.0));
}

#[test]
fn a_short_retry_after_does_not_shorten_the_backoff() {
    let h = with_data(|_, n| match n {
        0 => Ok(HttpResponse::new(429, "").with_header("Retry-After", "0")),
        _ => ok(json!(1)),
    });
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    assert_eq!(h.elapsed(), secs(0.5));
}

#[test]
fn four_429s_are_rate_limited_after_three_retries() {
    let h = with_data(|_, _| Ok(HttpResponse::new(429, "").with_header("Retry-After", "2")));
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert_eq!(
        err,
        TpError::RateLimited {
            retry_after: Some(2)
        }
    );
    assert!(err.to_string().contains("Wait 2 seconds"), "{err}");
    assert_eq!(h.count(Method::Get, "/x"), 4, "1 try + 3 retries");
    assert_eq!(
        h.elapsed(),
        secs(2.0 + 2.0 + 2.0),
        "max(Retry-After, 0.5/1/2 s)"
    );
}

#[test]
fn a_retry_after_beyond_the_cap_fails_fast_with_the_servers_figure() {
    let h = with_data(|_, _| Ok(HttpResponse::new(429, "").with_header("Retry-After", "120")));
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert_eq!(
        err,
        TpError::RateLimited {
            retry_after: Some(120)
        }
    );
    assert!(err.to_string().contains("Wait 120 seconds"), "{err}");
    assert_eq!(h.count(Method::Get, "/x"), 1);
    assert_eq!(h.elapsed(), Duration::ZERO);
}

#[test]
fn retries_stop_at_the_total_wait_budget() {
    // 60 s + 60 s would exceed the 60 s budget: one retry only.
    let h = with_data(|_, _| Ok(HttpResponse::new(503, "").with_header("Retry-After", "60")));
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert!(
        matches!(err, TpError::Status { status: 503, .. }),
        "{err:?}"
    );
    assert_eq!(h.count(Method::Get, "/x"), 2);
    assert_eq!(h.elapsed(), secs(60.0));
}

#[test]
fn persistent_5xx_on_a_get_says_trainingpeaks_had_a_problem() {
    let h = with_data(|_, _| status(500));
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert_eq!(
        err,
        TpError::Status {
            status: 500,
            method: Method::Get,
            path: "/x".into(),
            body: "oops".into()
        }
    );
    assert!(
        err.to_string().contains("TrainingPeaks had a problem"),
        "{err}"
    );
    assert_eq!(h.count(Method::Get, "/x"), 4);
    assert_eq!(h.elapsed(), secs(3.5), "0.5 + 1 + 2 s");
}

#[test]
fn permanent_statuses_are_not_retried() {
    for code in [400, 403, 404, 409, 501] {
        let h = with_data(move |_, _| status(code));
        assert!(block_on(h.client.get_json(Api::Tp, "/x")).is_err());
        assert_eq!(h.count(Method::Get, "/x"), 1, "{code}");
        assert_eq!(h.elapsed(), Duration::ZERO, "{code}");
    }
}

#[test]
fn transport_errors_on_a_get_are_retried() {
    let errors = [
        TransportError::Connect("refused".into()),
        TransportError::Timeout,
        TransportError::Io("reset".into()),
    ];
    for e in errors {
        let first = e.clone();
        let h = with_data(move |_, n| {
            if n == 0 {
                Err(first.clone())
            } else {
                ok(json!(1))
            }
        });
        assert_eq!(
            block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
            json!(1),
            "{e}"
        );
        assert_eq!(h.count(Method::Get, "/x"), 2, "{e}");
        assert_eq!(h.elapsed(), secs(0.5), "{e}");

        let always = e.clone();
        let h = with_data(move |_, _| Err(always.clone()));
        let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
        assert_eq!(err, TpError::Transport(e.clone()));
        assert!(err.to_string().contains("could not be reached"), "{err}");
        assert_eq!(h.count(Method::Get, "/x"), 4, "{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// Writes are never retried once they may have reached the server

#[test]
fn a_failed_write_is_never_retried() {
    let failures: Vec<(&str, Reply)> = vec![
        ("503", status(503)),
        ("500", status(500)),
        (
            "503 with Retry-After",
            Ok(HttpResponse::new(503, "").with_header("Retry-After", "1")),
        ),
        ("timeout", Err(TransportError::Timeout)),
        ("io", Err(TransportError::Io("connection reset".into()))),
    ];
    for method in [Method::Post, Method::Put, Method::Delete] {
        for (name, reply) in &failures {
            let reply = reply.clone();
            let h = with_data(move |_, _| reply.clone());
            let body = json!({"title": "Intervals"});
            let err =
                block_on(h.client.request_json(method, Api::Tp, "/x", Some(&body))).unwrap_err();
            let TpError::WriteOutcomeUnknown {
                method: m,
                path,
                reason,
            } = &err
            else {
                panic!("{method} {name}: {err:?}")
            };
            assert_eq!((*m, path.as_str()), (method, "/x"), "{method} {name}");
            assert!(!reason.is_empty());
            let text = err.to_string();
            assert!(text.contains("may or may not have been applied"), "{text}");
            assert!(text.contains("before retrying"), "{text}");
            assert_eq!(
                h.count(method, "/x"),
                1,
                "{method} {name}: exactly one request"
            );
            assert_eq!(h.elapsed(), Duration::ZERO, "{method} {name}: no back-off");
        }
    }
}

#[test]
fn send_itself_refuses_to_hand_back_a_5xx_write() {
    // Endpoint code that inspects `send`'s response cannot mistake a 5xx write for a clean
    // failure.
    let h = with_data(|_, _| status(502));
    let err = block_on(h.client.send(Method::Put, Api::Tp, "/x", None)).unwrap_err();
    assert!(
        matches!(err, TpError::WriteOutcomeUnknown { .. }),
        "{err:?}"
    );
    // A 4xx write is handed back for the caller to interpret.
    let h = with_data(|_, _| status(404));
    let resp = block_on(h.client.send(Method::Delete, Api::Tp, "/x", None)).unwrap();
    assert_eq!(resp.status, 404);
}

#[test]
fn a_write_whose_connection_failed_before_sending_is_retried_once() {
    let h = with_data(|_, n| {
        if n == 0 {
            Err(TransportError::Connect("refused".into()))
        } else {
            ok(json!({"id": 1}))
        }
    });
    let got = block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&json!({}))),
    );
    assert_eq!(got.unwrap(), json!({"id": 1}));
    assert_eq!(h.count(Method::Post, "/x"), 2);
    assert_eq!(h.elapsed(), secs(0.5));

    let h = with_data(|_, _| Err(TransportError::Connect("refused".into())));
    let err = block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&json!({}))),
    )
    .unwrap_err();
    assert_eq!(
        err,
        TpError::Transport(TransportError::Connect("refused".into()))
    );
    assert_eq!(h.count(Method::Post, "/x"), 2, "one retry only");
}

#[test]
fn a_rate_limited_write_is_not_retried() {
    let h = with_data(|_, _| Ok(HttpResponse::new(429, "").with_header("Retry-After", "5")));
    let err = block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&json!({}))),
    )
    .unwrap_err();
    assert_eq!(
        err,
        TpError::RateLimited {
            retry_after: Some(5)
        }
    );
    assert_eq!(h.count(Method::Post, "/x"), 1);
    assert_eq!(h.elapsed(), Duration::ZERO);
}

// ---------------------------------------------------------------------------------------------
// Client-side rate limit

/// The most requests inside any half-open window `[t, t + per)` starting at a request.
fn busiest_window(times: &[DateTime<Utc>], per: Duration) -> usize {
    let per = chrono::Duration::from_std(per).unwrap();
    times
        .iter()
        .map(|t| times.iter().filter(|u| **u >= *t && **u < *t + per).count())
        .max()
        .unwrap_or(0)
}

#[test]
fn ten_gets_do_not_sleep() {
    let h = with_data(|_, _| ok(json!(1)));
    for _ in 0..10 {
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    }
    assert_eq!(h.elapsed(), Duration::ZERO);
}

#[test]
fn two_hundred_gets_stay_within_the_limit() {
    let h = with_data(|_, _| ok(json!(1)));
    assert_eq!(h.client.rate_limit(), Some(RateLimit::TRAININGPEAKS));
    for _ in 0..200 {
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    }
    let t = h.data_times();
    assert_eq!(t.len(), 200);
    assert!(busiest_window(&t, Duration::from_secs(60)) <= 90);
    assert_eq!(t[89], h.start, "the first 90 go at once");
    assert!(
        t[90] - t[0] >= chrono::Duration::seconds(60),
        "the 91st waits for the window"
    );
    assert!(
        h.elapsed() >= Duration::from_secs(120),
        "200 requests need three windows"
    );
    assert!(
        h.elapsed() <= Duration::from_secs(121),
        "but no more waiting than needed"
    );
    assert_eq!(
        h.exchanges(),
        1,
        "the token exchange is not throttled or repeated"
    );
}

#[test]
fn a_custom_rate_limit_spaces_requests_exactly() {
    let mut h = with_data(|_, _| ok(json!(1)));
    let limit = RateLimit {
        max_requests: 2,
        per: Duration::from_secs(10),
    };
    h.client = h.client.with_rate_limit(Some(limit));
    for _ in 0..5 {
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    }
    let offsets: Vec<i64> = h
        .data_times()
        .iter()
        .map(|t| (*t - h.start).num_seconds())
        .collect();
    assert_eq!(offsets, [0, 0, 10, 10, 20]);
}

#[test]
fn the_rate_limit_can_be_disabled_for_the_sandbox() {
    let mut h = with_data(|_, _| ok(json!(1)));
    h.client = h.client.with_rate_limit(None);
    assert_eq!(h.client.rate_limit(), None);
    for _ in 0..200 {
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    }
    assert_eq!(h.elapsed(), Duration::ZERO);
}

#[test]
fn retries_count_against_the_rate_limit() {
    let mut h = with_data(|_, n| {
        if n % 2 == 0 {
            status(503)
        } else {
            ok(json!(1))
        }
    });
    h.client = h.client.with_rate_limit(Some(RateLimit {
        max_requests: 3,
        per: Duration::from_secs(60),
    }));
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap(); // 503, retry → 2 requests
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap(); // 3rd request now, 4th waits
    let t = h.data_times();
    assert_eq!(t.len(), 4);
    assert!(busiest_window(&t, Duration::from_secs(60)) <= 3);
    assert!(t[3] - t[0] >= chrono::Duration::seconds(60));
}

// ---------------------------------------------------------------------------------------------
// Range chunking

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn fetch_windows_runs_every_window_and_keeps_date_order() {
    let h = with_data(|req, _| {
        // `/w/{start}/{end}` → [start, end]
        let parts: Vec<&str> = req.path_and_query().split('/').collect();
        ok(json!([parts[2], parts[3]]))
    });
    let client = &h.client;
    let got =
        block_on(
            client.fetch_windows(d("2025-01-01"), d("2025-12-31"), 90, |a, b| async move {
                client
                    .get::<Vec<String>>(Api::Tp, &format!("/w/{a}/{b}"))
                    .await
            }),
        )
        .unwrap();
    let flat: Vec<String> = got.into_iter().flatten().collect();
    assert_eq!(
        flat,
        [
            "2025-01-01",
            "2025-03-31",
            "2025-04-01",
            "2025-06-29",
            "2025-06-30",
            "2025-09-27",
            "2025-09-28",
            "2025-12-26",
            "2025-12-27",
            "2025-12-31"
        ]
    );
    assert_eq!(
        h.total(),
        1 + 5,
        "one token exchange shared by five windows"
    );
}

#[test]
fn fetch_windows_rejects_a_reversed_range_before_any_request() {
    let h = with_data(|_, _| ok(json!(1)));
    let client = &h.client;
    let err = block_on(
        client.fetch_windows(d("2026-03-02"), d("2026-03-01"), 90, |_, _| async {
            client.get_json(Api::Tp, "/x").await
        }),
    )
    .unwrap_err();
    assert!(
        matches!(&err, TpError::InvalidInput { field, .. } if field == "end_date"),
        "{err:?}"
    );
    assert_eq!(h.total(), 0);
}

#[test]
fn fetch_windows_fails_if_any_window_fails() {
    let h = with_data(|req, _| {
        if req.path_and_query().starts_with("/w/2026-04") {
            status(404)
        } else {
            ok(json!([]))
        }
    });
    let client = &h.client;
    let err = block_on(client.fetch_windows(
        d("2026-01-01"),
        d("2026-06-30"),
        90,
        |a, b| async move { client.get_json(Api::Tp, &format!("/w/{a}/{b}")).await },
    ))
    .unwrap_err();
    assert!(matches!(err, TpError::NotFound { .. }), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Errors a person can act on

#[test]
fn not_found_names_the_thing() {
    let h = with_data(|_, _| Ok(HttpResponse::new(404, "")));
    let path = "/fitness/v6/athletes/1/workouts/123";
    let err = block_on(h.client.get_json(Api::Tp, path)).unwrap_err();
    assert_eq!(
        err,
        TpError::NotFound {
            what: "workout 123".into(),
            method: Method::Get,
            path: path.into()
        }
    );
    let text = err.to_string();
    assert!(text.starts_with("workout 123 was not found"), "{text}");
    assert!(text.contains("Check that the id"), "{text}");
}

#[test]
fn typed_decode_errors_name_the_field() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct W {
        #[serde(rename = "totalTimePlanned")]
        hours: f64,
    }
    let h = with_data(|_, _| ok(json!([{"totalTimePlanned": 1.0}, {"totalTimePlanned": "1h"}])));
    let err = block_on(h.client.get::<Vec<W>>(Api::Tp, "/x")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("[1].totalTimePlanned"), "{text}");
    assert!(text.contains("/x"), "{text}");

    let h = with_data(|_, _| Ok(HttpResponse::new(200, "<html>login</html>")));
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert!(matches!(err, TpError::Decode { .. }), "{err:?}");
}

#[test]
fn empty_success_bodies_are_null() {
    let h = with_data(|_, _| Ok(HttpResponse::new(204, "")));
    let got = block_on(
        h.client
            .request_json(Method::Put, Api::Tp, "/x", Some(&json!({}))),
    );
    assert_eq!(got.unwrap(), Value::Null);
    let got: Option<u32> = block_on(h.client.request(Method::Delete, Api::Tp, "/x", None)).unwrap();
    assert_eq!(got, None);
}

#[test]
fn messages_say_what_to_do() {
    let cases: Vec<(TpError, &str)> = vec![
        (
            TpError::RateLimited { retry_after: None },
            "Wait about a minute",
        ),
        (
            TpError::Status {
                status: 502,
                method: Method::Get,
                path: "/p".into(),
                body: "".into(),
            },
            "TrainingPeaks had a problem (HTTP 502 from GET /p)",
        ),
        (
            TpError::Status {
                status: 403,
                method: Method::Get,
                path: "/p".into(),
                body: "".into(),
            },
            "refused access",
        ),
        (
            TpError::Status {
                status: 400,
                method: Method::Post,
                path: "/p".into(),
                body: "No workout sent".into(),
            },
            "Response: No workout sent",
        ),
        (
            TpError::Transport(TransportError::Timeout),
            "Check the internet connection",
        ),
    ];
    for (err, want) in cases {
        let text = err.to_string();
        assert!(text.contains(want), "{err:?}: {text}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn client_futures_are_send() {
    // The native MCP server drives these on a multi-threaded runtime.
    fn assert_send<T: Send>(_: &T) {}
    let h = with_data(|_, _| ok(json!(1)));
    let c = &h.client;
    assert_send(&c.send(Method::Get, Api::Tp, "/x", None));
    assert_send(&c.get::<Value>(Api::Tp, "/x"));
    assert_send(&c.athletes());
    assert_send(&c.athlete_id(None));
    assert_send(&c.fetch_windows(d("2026-01-01"), d("2026-02-01"), 90, |_, _| async { Ok(1) }));
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<TpClient>();
}

/// A transport whose responses are not ready on the first poll, so concurrent requests really
/// interleave under `block_on`.
struct Yielding {
    inner: FnTransport<Box<dyn Fn(HttpRequest) -> Reply + Send + Sync>>,
}

impl paceline_core::http::Transport for Yielding {
    fn send<'a>(&'a self, request: HttpRequest) -> paceline_core::http::BoxFuture<'a, Reply> {
        let inner = self.inner.send(request);
        Box::pin(async move {
            let mut yielded = false;
            std::future::poll_fn(|cx| {
                if yielded {
                    std::task::Poll::Ready(())
                } else {
                    yielded = true;
                    cx.waker().wake_by_ref();
                    std::task::Poll::Pending
                }
            })
            .await;
            inner.await
        })
    }
}

#[test]
fn concurrent_windows_on_a_cold_client_share_one_token_exchange_and_one_user_fetch() {
    let start = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .to_utc();
    let clock = Arc::new(ManualClock::new(start));
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let l = log.clone();
    let route: Box<dyn Fn(HttpRequest) -> Reply + Send + Sync> = Box::new(move |req| {
        let path = req.path_and_query().to_string();
        l.lock().unwrap().push(path.clone());
        match path.as_str() {
            TOKEN => token(0),
            USER => ok(athlete_user()),
            _ => ok(json!([path])),
        }
    });
    let client = TpClient::new(
        Arc::new(Yielding {
            inner: FnTransport(route),
        }),
        clock,
    );
    let c = &client;
    let got = block_on(
        c.fetch_windows(d("2025-01-01"), d("2025-12-31"), 90, |a, b| async move {
            let id = c.athlete_id(None).await?;
            c.get::<Vec<String>>(Api::Tp, &format!("/a/{id}/w/{a}/{b}"))
                .await
        }),
    )
    .unwrap();
    assert_eq!(got.len(), 5);
    assert_eq!(got[0], ["/a/1234/w/2025-01-01/2025-03-31"]);
    assert_eq!(got[4], ["/a/1234/w/2025-12-27/2025-12-31"]);
    let log = log.lock().unwrap();
    assert_eq!(log.iter().filter(|p| *p == TOKEN).count(), 1, "{log:?}");
    assert_eq!(log.iter().filter(|p| *p == USER).count(), 1, "{log:?}");
    assert_eq!(log.len(), 7);
}

// ---------------------------------------------------------------------------------------------
// Reads sent as POST (the performance-data report): retried like GETs, worded as reads

const PMC: &str = "/fitness/v1/athletes/1234/reporting/performancedata/2026-02-01/2026-02-28";

/// A harness whose user is athlete 1234 and whose performance-data POST answers `pmc(n)`.
fn with_pmc(pmc: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Harness {
    harness(move |req, n| match req.path_and_query() {
        TOKEN => token(n),
        USER => ok(athlete_user()),
        PMC => pmc(n),
        other => panic!("unexpected request {} {other}", req.method),
    })
}

fn pmc_row() -> Value {
    json!([{"workoutDay": "2026-02-28T00:00:00", "tssActual": 50.0, "ctl": 40.0, "atl": 45.0, "tsb": -5.0}])
}

fn fitness_args() -> Value {
    json!({"start_date": "2026-02-01", "end_date": "2026-02-28"})
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

fn posts(log: &Log, path: &str) -> usize {
    let log = log.lock().unwrap();
    log.iter()
        .filter(|(r, _)| r.method == Method::Post && r.path_and_query() == path)
        .count()
}

#[test]
fn a_read_sent_as_post_is_retried_after_a_503() {
    let cases: Vec<(&str, Reply)> = vec![
        ("503", status(503)),
        ("429", status(429)),
        ("timeout", Err(TransportError::Timeout)),
        ("io", Err(TransportError::Io("reset".into()))),
    ];
    for (name, first) in cases {
        let h = with_pmc(move |n| if n == 0 { first.clone() } else { ok(pmc_row()) });
        let (ctx, log, _) = into_ctx(h);
        let out = block_on(paceline_core::tools::call(
            &ctx,
            "get_fitness_metrics",
            fitness_args(),
        ))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(out.structured["latest"]["ctl"], 40.0, "{name}");
        assert_eq!(posts(&log, PMC), 2, "{name}: one failure, one retry");
    }
}

#[test]
fn a_read_sent_as_post_that_keeps_failing_is_worded_as_a_read() {
    for tool in ["get_fitness_metrics", "get_weekly_summary"] {
        let h = harness(|req, n| match req.path_and_query() {
            TOKEN => token(n),
            USER => ok(athlete_user()),
            p if p.contains("/reporting/performancedata/") => status(503),
            // get_weekly_summary's workout list.
            _ => ok(json!([])),
        });
        let (ctx, log, _) = into_ctx(h);
        let args = if tool == "get_weekly_summary" {
            json!({"week_of": "2026-02-25"})
        } else {
            fitness_args()
        };
        let err = block_on(paceline_core::tools::call(&ctx, tool, args)).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("HTTP 503"), "{tool}: {text}");
        assert!(
            text.contains("TrainingPeaks had a problem"),
            "{tool}: {text}"
        );
        assert!(!text.contains("may or may not"), "{tool}: {text}");
        assert!(!text.contains("applied"), "{tool}: {text}");
        let sent = log
            .lock()
            .unwrap()
            .iter()
            .filter(|(r, _)| r.path_and_query().contains("/reporting/performancedata/"))
            .count();
        assert_eq!(
            sent,
            1 + paceline_core::trainingpeaks::MAX_READ_RETRIES as usize,
            "{tool}: retried like a GET"
        );
    }
}

#[test]
fn request_json_read_keeps_post_and_body() {
    let h = with_data(|_, n| if n == 0 { status(502) } else { ok(json!([])) });
    let body = json!({"atlConstant": 7});
    let v = block_on(
        h.client
            .request_json_read(Method::Post, Api::Tp, "/x", Some(&body)),
    )
    .unwrap();
    assert_eq!(v, json!([]));
    let sent = h.requests(Method::Post, "/x");
    assert_eq!(sent.len(), 2);
    for r in sent {
        let b: Value = serde_json::from_slice(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(b, body, "the retry sends the same body");
    }
    // The same POST as a write is not retried.
    let h = with_data(|_, _| status(502));
    let err = block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&body)),
    )
    .unwrap_err();
    assert!(
        matches!(err, TpError::WriteOutcomeUnknown { .. }),
        "{err:?}"
    );
    assert_eq!(h.count(Method::Post, "/x"), 1);
}

// ---------------------------------------------------------------------------------------------
// The logged-in identity follows the cookie

/// A browser whose cookie belongs to `who` (1 or 2, switchable): the token exchange hands out
/// `tok-<who>-<n>`, the user endpoint answers for the token's owner, and the performance-data
/// report answers only for the token owner's own athlete (403 otherwise). Tokens of a user who
/// is no longer the cookie's are refused (401) when `revoke` is set.
struct Browser {
    who: Arc<Mutex<i64>>,
    revoke: bool,
}

fn token_owner(req: &HttpRequest) -> Option<i64> {
    bearer(req)?
        .strip_prefix("Bearer tok-")?
        .split('-')
        .next()?
        .parse()
        .ok()
}

fn browser_harness(b: Browser) -> Harness {
    let Browser { who, revoke } = b;
    harness(move |req, n| {
        let now = *who.lock().unwrap();
        let path = req.path_and_query();
        if path == TOKEN {
            return ok(
                json!({"success": true, "token": {"access_token": format!("tok-{now}-{n}"),
                "expires_in": 3600}}),
            );
        }
        let owner = token_owner(req).expect("a data call carries a token");
        if revoke && owner != now {
            return status(401);
        }
        if path == USER {
            return ok(json!({"user": {"userId": owner, "firstName": format!("User {owner}")}}));
        }
        let athlete: i64 = path
            .strip_prefix("/fitness/v1/athletes/")
            .and_then(|r| r.split('/').next())
            .and_then(|a| a.parse().ok())
            .expect("an athlete-scoped path");
        if athlete != owner {
            return status(403);
        }
        ok(pmc_row())
    })
}

fn pmc_paths(log: &Log) -> Vec<(String, String)> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|(r, _)| r.path_and_query().contains("/reporting/performancedata/"))
        .map(|(r, _)| {
            (
                r.path_and_query().to_string(),
                bearer(r).unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_new_token_for_another_person_brings_their_athlete_id() {
    // The old token stays valid (TrainingPeaks may not revoke it); it just expires.
    let who = Arc::new(Mutex::new(1));
    let h = browser_harness(Browser {
        who: who.clone(),
        revoke: false,
    });
    let (ctx, log, clock) = into_ctx(h);
    let call = || {
        block_on(paceline_core::tools::call(
            &ctx,
            "get_fitness_metrics",
            fitness_args(),
        ))
    };
    call().expect("first call as user 1");
    *who.lock().unwrap() = 2;
    clock.advance(Duration::from_secs(3600));
    call().expect("second call as user 2");
    let sent = pmc_paths(&log);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].0.contains("/athletes/1/") && sent[0].1.starts_with("Bearer tok-1-"));
    assert!(
        sent[1].0.contains("/athletes/2/") && sent[1].1.starts_with("Bearer tok-2-"),
        "the second call uses the new athlete id with the new token: {sent:?}"
    );
    assert_eq!(block_on(ctx.client.athlete_id(None)).unwrap(), 2);
}

#[test]
fn a_401_after_a_switch_is_not_resent_for_the_previous_person() {
    let who = Arc::new(Mutex::new(1));
    let h = browser_harness(Browser {
        who: who.clone(),
        revoke: true,
    });
    let (ctx, log, _) = into_ctx(h);
    let call = || {
        block_on(paceline_core::tools::call(
            &ctx,
            "get_fitness_metrics",
            fitness_args(),
        ))
    };
    call().expect("first call as user 1");
    *who.lock().unwrap() = 2;
    let err = call().unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("changed during this call") && text.contains("from user 1 to user 2"),
        "{text}"
    );
    call().expect("the next call acts as user 2");
    let sent = pmc_paths(&log);
    assert_eq!(
        sent.iter()
            .filter(|(p, t)| p.contains("/athletes/1/") && t.starts_with("Bearer tok-2-"))
            .count(),
        0,
        "user 1's request never went out with user 2's token: {sent:?}"
    );
    assert!(sent.last().unwrap().0.contains("/athletes/2/"), "{sent:?}");
    assert_eq!(block_on(ctx.client.user()).unwrap().user_id.val(), Some(2));
}

#[test]
fn not_logged_in_at_the_token_endpoint_forgets_the_user() {
    for (name, refusal) in [
        ("401", status(401)),
        ("403", status(403)),
        ("success false", ok(json!({"success": false}))),
    ] {
        let logged_in = Arc::new(Mutex::new(true));
        let l = logged_in.clone();
        let h = harness(move |req, n| match req.path_and_query() {
            TOKEN if *l.lock().unwrap() => token(n),
            TOKEN => refusal.clone(),
            USER => ok(athlete_user()),
            _ => status(401),
        });
        assert_eq!(block_on(h.client.athlete_id(None)).unwrap(), 1234, "{name}");
        assert!(h.client.session_snapshot()["user"].is_object(), "{name}");
        *logged_in.lock().unwrap() = false;
        // The old token is refused; the re-exchange says "not logged in".
        let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
        assert_eq!(err, TpError::NotLoggedIn, "{name}");
        assert_eq!(
            h.client.session_snapshot(),
            json!({"token": null, "user": null}),
            "{name}: token and user forgotten"
        );
        assert_eq!(
            block_on(h.client.athlete_id(None)),
            Err(TpError::NotLoggedIn),
            "{name}: no stale athlete id"
        );
    }
}

#[test]
fn check_session_notices_a_logout_and_a_switch_at_once() {
    let who = Arc::new(Mutex::new(1));
    let h = browser_harness(Browser {
        who: who.clone(),
        revoke: false,
    });
    assert_eq!(
        block_on(h.client.check_session()).unwrap().user_id.val(),
        Some(1)
    );
    *who.lock().unwrap() = 2;
    // The cached user and token are still user 1's, and still valid...
    assert_eq!(block_on(h.client.user()).unwrap().user_id.val(), Some(1));
    // ...but a status check asks the cookie.
    assert_eq!(
        block_on(h.client.check_session()).unwrap().user_id.val(),
        Some(2)
    );
    assert_eq!(block_on(h.client.athlete_id(None)).unwrap(), 2);
}

// ---------------------------------------------------------------------------------------------
// Server-supplied numbers never panic

#[test]
fn any_expires_in_gives_a_bounded_token_lifetime() {
    // (expires_in as the server sent it, lifetime in seconds we keep the token for)
    let cases = [
        ("1e30", json!(1e30), 86_400),
        ("u64::MAX", json!(u64::MAX), 86_400),
        ("i64::MIN", json!(i64::MIN), 0),
        ("-5", json!(-5), 0),
        ("-1e300", json!(-1e300), 0),
        ("abc", json!("abc"), 3600),
        ("numeric string", json!(" 7200 "), 7200),
        ("string 1e30", json!("1e30"), 86_400),
        ("fraction", json!(1.9), 1),
        ("null", Value::Null, 3600),
        ("object", json!({"s": 1}), 3600),
        ("two days", json!(172_800), 86_400),
    ];
    for (name, expires_in, lifetime) in cases {
        let e = expires_in.clone();
        let h = harness(move |req, n| match req.path_and_query() {
            TOKEN => ok(
                json!({"success": true, "token": {"access_token": format!("t{n}"),
                "expires_in": e.clone()}}),
            ),
            _ => ok(json!(1)),
        });
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expires_at = h.client.session_snapshot()["token"]["expiresAt"].as_i64();
        assert_eq!(
            expires_at,
            Some(h.start.timestamp() + lifetime),
            "{name}: {expires_in}"
        );
        // A second call works too (with a fresh exchange when the lifetime is too short).
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = if lifetime > 60 { 1 } else { 2 };
        assert_eq!(h.exchanges(), want, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// The request budget is shared fairly, reported, and bounded by each call's deadline

/// A clock whose `sleep` really waits until the test moves time on, so concurrent calls
/// interleave as they would in production (the [`ManualClock`] jumps at every sleep, which
/// serialises them).
struct SteppedClock {
    now: Mutex<DateTime<Utc>>,
    sleepers: Mutex<Vec<(DateTime<Utc>, std::task::Waker)>>,
}

impl Clock for SteppedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap()
    }
    fn sleep(&self, d: Duration) -> paceline_core::http::BoxFuture<'_, ()> {
        let until = self.now() + chrono::Duration::from_std(d).unwrap();
        Box::pin(futures_util::future::poll_fn(move |cx| {
            if self.now() >= until {
                std::task::Poll::Ready(())
            } else {
                self.sleepers
                    .lock()
                    .unwrap()
                    .push((until, cx.waker().clone()));
                std::task::Poll::Pending
            }
        }))
    }
}

impl SteppedClock {
    /// Runs the pool until it stalls, then moves time to the earliest sleeper, until `done`.
    fn run(&self, pool: &mut futures_executor::LocalPool, done: impl Fn() -> bool) {
        for _ in 0..10_000 {
            pool.run_until_stalled();
            if done() {
                return;
            }
            let mut sleepers = self.sleepers.lock().unwrap();
            let next = sleepers
                .iter()
                .map(|(t, _)| *t)
                .min()
                .expect("stalled with no sleeper");
            *self.now.lock().unwrap() = next;
            let (due, rest): (Vec<_>, Vec<_>) = sleepers.drain(..).partition(|(t, _)| *t <= next);
            *sleepers = rest;
            drop(sleepers);
            due.into_iter().for_each(|(_, w)| w.wake());
        }
        panic!("did not finish");
    }
}

fn stepped(limit: RateLimit) -> (Arc<TpClient>, Arc<SteppedClock>, Log, DateTime<Utc>) {
    let start = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .to_utc();
    let clock = Arc::new(SteppedClock {
        now: Mutex::new(start),
        sleepers: Mutex::default(),
    });
    let log: Log = Arc::default();
    let (c, l) = (clock.clone(), log.clone());
    let transport = FnTransport(move |req: HttpRequest| {
        l.lock().unwrap().push((req.clone(), c.now()));
        if req.path_and_query() == TOKEN {
            token(0)
        } else {
            ok(json!(1))
        }
    });
    let client = TpClient::new(Arc::new(transport), clock.clone()).with_rate_limit(Some(limit));
    (Arc::new(client), clock, log, start)
}

fn sent_at(log: &Log, start: DateTime<Utc>, prefix: &str) -> Vec<i64> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|(r, _)| r.path_and_query().starts_with(prefix))
        .map(|(_, t)| (*t - start).num_seconds())
        .collect()
}

#[test]
fn a_short_call_overtakes_a_long_one_waiting_for_the_budget() {
    use futures_util::task::LocalSpawnExt;
    let limit = RateLimit {
        max_requests: 3,
        per: Duration::from_secs(60),
    };
    let (client, clock, log, start) = stepped(limit);
    let mut pool = futures_executor::LocalPool::new();
    let done = Arc::new(Mutex::new(0));
    let long = client.for_call(CallOptions::default());
    let d = done.clone();
    pool.spawner()
        .spawn_local(async move {
            let gets = (0..9)
                .map(|i| long.get_json(Api::Tp, Box::leak(format!("/a/{i}").into_boxed_str())));
            for r in futures_util::future::join_all(gets).await {
                r.unwrap();
            }
            *d.lock().unwrap() += 1;
        })
        .unwrap();
    pool.run_until_stalled();
    assert_eq!(
        sent_at(&log, start, "/a/"),
        [0, 0, 0],
        "the budget is spent"
    );
    // A one-request call arrives while six of the long call's requests wait.
    let short = client.for_call(CallOptions::default());
    let d = done.clone();
    pool.spawner()
        .spawn_local(async move {
            short.get_json(Api::Tp, "/b").await.unwrap();
            *d.lock().unwrap() += 1;
        })
        .unwrap();
    clock.run(&mut pool, || *done.lock().unwrap() == 2);
    assert_eq!(
        sent_at(&log, start, "/b"),
        [60],
        "the short call gets the first freed slot"
    );
    assert_eq!(
        sent_at(&log, start, "/a/"),
        [0, 0, 0, 60, 60, 120, 120, 120, 180]
    );
    let all: Vec<_> = log.lock().unwrap().iter().map(|(_, t)| *t).collect();
    assert!(busiest_window(&all[1..], limit.per) <= 3, "budget kept");
}

#[test]
fn a_call_that_cannot_finish_by_its_deadline_fails_at_once() {
    use futures_util::task::LocalSpawnExt;
    let limit = RateLimit {
        max_requests: 3,
        per: Duration::from_secs(60),
    };
    let (client, clock, log, start) = stepped(limit);
    let mut pool = futures_executor::LocalPool::new();
    let long = client.for_call(CallOptions::default());
    pool.spawner()
        .spawn_local(async move {
            let gets = (0..5)
                .map(|i| long.get_json(Api::Tp, Box::leak(format!("/a/{i}").into_boxed_str())));
            futures_util::future::join_all(gets).await;
        })
        .unwrap();
    pool.run_until_stalled();
    let hurried = client.for_call(CallOptions {
        deadline: Some(Duration::from_secs(30)),
        observer: None,
    });
    let gets =
        (0..2).map(|i| hurried.get_json(Api::Tp, Box::leak(format!("/b/{i}").into_boxed_str())));
    let result = pool.run_until(futures_util::future::try_join_all(gets));
    let err = result.unwrap_err();
    let TpError::BudgetExceeded {
        requests,
        wait_secs,
        deadline_secs,
        ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!((requests, wait_secs, deadline_secs), (2, 60, 30), "{err}");
    let text = err.to_string();
    for part in [
        "2 request(s)",
        "about 60 s",
        "deadline of 30 s",
        "3 per 60 s",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert_eq!(clock.now(), start, "failed without waiting");
    assert!(sent_at(&log, start, "/b/").is_empty(), "nothing sent");
    // The same call with a deadline it can meet just waits its turn.
    let patient = client.for_call(CallOptions {
        deadline: Some(Duration::from_secs(61)),
        observer: None,
    });
    let d = Arc::new(Mutex::new(false));
    let d2 = d.clone();
    pool.spawner()
        .spawn_local(async move {
            patient.get_json(Api::Tp, "/c").await.unwrap();
            *d2.lock().unwrap() = true;
        })
        .unwrap();
    clock.run(&mut pool, || *d.lock().unwrap());
    assert_eq!(sent_at(&log, start, "/c"), [60]);
}

#[test]
fn waits_are_reported_to_the_calls_observer() {
    let mut h = with_data(|_, _| ok(json!(1)));
    h.client = h.client.with_rate_limit(Some(RateLimit {
        max_requests: 2,
        per: Duration::from_secs(10),
    }));
    let seen: Arc<Mutex<Vec<RateWait>>> = Arc::default();
    let s = seen.clone();
    let observer: Arc<dyn WaitObserver> =
        Arc::new(move |w: &RateWait| s.lock().unwrap().push(w.clone()));
    let call = h.client.for_call(CallOptions {
        deadline: None,
        observer: Some(observer),
    });
    for _ in 0..3 {
        block_on(call.get_json(Api::Tp, "/x")).unwrap();
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].wait, Duration::from_secs(10));
    assert_eq!((seen[0].requests_waiting, seen[0].requests_sent), (1, 2));
    assert!(
        seen[0].describe().contains("waiting 10.0 s"),
        "{}",
        seen[0].describe()
    );
    assert_eq!(h.elapsed(), Duration::from_secs(10));
}

#[test]
fn retries_stop_short_of_the_deadline() {
    let h = with_data(|_, _| status(503));
    let call = h.client.for_call(CallOptions {
        deadline: Some(Duration::from_secs(1)),
        observer: None,
    });
    let err = block_on(call.get_json(Api::Tp, "/x")).unwrap_err();
    assert!(
        matches!(err, TpError::Status { status: 503, .. }),
        "{err:?}"
    );
    // 0.5 s back-off fits in 1 s, the next 1 s does not.
    assert_eq!(h.count(Method::Get, "/x"), 2);
    assert_eq!(h.elapsed(), secs(0.5));
}
