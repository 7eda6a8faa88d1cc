//! The Intervals.icu client against closure transports and a manual clock: the exact request
//! of every write and of a representative set of reads, the credential (header present with an
//! API key, absent with the session, never in `Debug` or errors, only for the configured
//! host), athlete ids, the retry policy, lenient reading, and errors that name the field.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use futures_executor::block_on;
use paceline_core::clock::{Clock, ManualClock};
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method, TransportError};
use paceline_core::intervals::activities::{Activity, ActivityUpdate};
use paceline_core::intervals::athlete::SportSettingsUpdate;
use paceline_core::intervals::curves::{CurveKind, CurveQuery};
use paceline_core::intervals::custom_items::CustomItemWrite;
use paceline_core::intervals::events::{Event, EventWrite};
use paceline_core::intervals::library::WorkoutWrite;
use paceline_core::intervals::wellness::{Wellness, WellnessUpdate};
use paceline_core::intervals::{
    AuthMode, IcuAuth, IcuClient, IcuConfig, IcuError, IcuSecret, normalize_athlete_id,
};
use serde_json::{Value, json};

type Reply = Result<HttpResponse, TransportError>;
type Log = Arc<Mutex<Vec<(HttpRequest, DateTime<Utc>)>>>;

const KEY: &str = "s3cr3t-Key_42";
/// base64("API_KEY:s3cr3t-Key_42"), computed independently (Python's base64 module).
const BASIC: &str = "Basic QVBJX0tFWTpzM2NyM3QtS2V5XzQy";
const BASE: &str = "https://intervals.icu";

struct Harness {
    clock: Arc<ManualClock>,
    log: Log,
    client: IcuClient,
    start: DateTime<Utc>,
}

/// A client over a closure transport; `route(request, n)` answers, `n` counting the earlier
/// requests with the same method and URL.
fn harness_with(
    config: IcuConfig,
    route: impl Fn(&HttpRequest, usize) -> Reply + Send + Sync + 'static,
) -> Harness {
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
            .filter(|(r, _)| r.method == req.method && r.url == req.url)
            .count();
        log.push((req.clone(), c.now()));
        drop(log);
        route(&req, n)
    });
    let client = IcuClient::new(Arc::new(transport), clock.clone(), config);
    Harness {
        clock,
        log,
        client,
        start,
    }
}

fn key_config() -> IcuConfig {
    IcuConfig::new(None, IcuAuth::ApiKey(IcuSecret::new(KEY)), None).unwrap()
}

/// An API-key client whose every answer is `reply(request, n)`.
fn harness(route: impl Fn(&HttpRequest, usize) -> Reply + Send + Sync + 'static) -> Harness {
    harness_with(key_config(), route)
}

impl Harness {
    fn requests(&self) -> Vec<HttpRequest> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|(r, _)| r.clone())
            .collect()
    }
    fn only(&self) -> HttpRequest {
        let r = self.requests();
        assert_eq!(r.len(), 1, "exactly one request: {r:#?}");
        r[0].clone()
    }
    fn elapsed(&self) -> Duration {
        (self.clock.now() - self.start).to_std().unwrap()
    }
}

fn ok(body: Value) -> Reply {
    Ok(HttpResponse::json(200, &body))
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn body_of(r: &HttpRequest) -> Option<Value> {
    r.body
        .as_deref()
        .map(|b| serde_json::from_slice(b).unwrap())
}

/// Asserts method, URL, headers (exactly these, in any order) and JSON body.
fn assert_request(r: &HttpRequest, method: Method, url: &str, body: Option<Value>) {
    assert_eq!(r.method, method, "{url}");
    assert_eq!(r.url, url);
    let mut headers: Vec<(String, String)> = r.headers.clone();
    headers.sort();
    let mut want = vec![
        ("accept".to_string(), "application/json".to_string()),
        ("authorization".to_string(), BASIC.to_string()),
    ];
    if body.is_some() {
        want.push(("content-type".into(), "application/json".into()));
    }
    want.sort();
    assert_eq!(headers, want, "{url}");
    assert_eq!(body_of(r), body, "{url}");
}

// ---------------------------------------------------------------------------------------------
// Athlete ids and configuration

#[test]
fn athlete_ids_normalise() {
    let cases: &[(&str, Result<&str, ()>)] = &[
        ("i123", Ok("i123")),
        ("I123", Ok("i123")),
        ("123", Ok("i123")),
        (" 123 ", Ok("i123")),
        ("0", Ok("0")),
        ("00", Ok("0")),
        ("i0042", Ok("i42")),
        ("i0", Err(())),
        ("", Err(())),
        ("i", Err(())),
        ("-5", Err(())),
        ("12a", Err(())),
        ("../1", Err(())),
        ("i1/../../x", Err(())),
        ("99999999999999999999999", Err(())),
    ];
    for (raw, want) in cases {
        match (normalize_athlete_id(raw), want) {
            (Ok(got), Ok(w)) => assert_eq!(got, *w, "{raw:?}"),
            (Err(IcuError::InvalidInput { field, message }), Err(())) => {
                assert_eq!(field, "athlete_id", "{raw:?}");
                assert!(message.contains("i12345"), "{raw:?}: {message}");
            }
            (got, want) => panic!("{raw:?}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn the_athlete_in_the_path_is_the_requested_then_the_configured_then_me() {
    let cases: &[(Option<&str>, Option<&str>, &str)] = &[
        (None, None, "/api/v1/athlete/0/gear"),
        (None, Some("77"), "/api/v1/athlete/i77/gear"),
        (Some("i5"), Some("77"), "/api/v1/athlete/i5/gear"),
        (Some("0"), Some("77"), "/api/v1/athlete/0/gear"),
        (Some(" "), Some("i77"), "/api/v1/athlete/i77/gear"),
    ];
    for (requested, configured, path) in cases {
        let config = IcuConfig::new(None, IcuAuth::Session, *configured).unwrap();
        let h = harness_with(config, |_, _| ok(json!([])));
        block_on(h.client.gear(*requested)).unwrap();
        assert_eq!(
            h.only().path_and_query(),
            *path,
            "{requested:?} {configured:?}"
        );
    }
}

#[test]
fn base_urls_are_checked() {
    let cases: &[(&str, Result<&str, ()>)] = &[
        ("https://intervals.icu", Ok("https://intervals.icu")),
        ("https://intervals.icu/", Ok("https://intervals.icu")),
        ("https://intervals.icu/api/v1", Ok("https://intervals.icu")),
        ("HTTPS://Intervals.ICU/api/v1/", Ok("https://intervals.icu")),
        ("https://127.0.0.1:8443", Ok("https://127.0.0.1:8443")),
        ("http://127.0.0.1:9000", Ok("http://127.0.0.1:9000")),
        ("http://localhost:9000/api/v1", Ok("http://localhost:9000")),
        ("http://intervals.icu", Err(())),
        ("intervals.icu", Err(())),
        ("ftp://intervals.icu", Err(())),
        ("https://intervals.icu/other", Err(())),
        ("https://user@evil.example", Err(())),
        ("https://intervals.icu?x=1", Err(())),
    ];
    for (raw, want) in cases {
        let got = IcuConfig::new(Some(raw), IcuAuth::Session, None);
        match (got, want) {
            (Ok(c), Ok(w)) => assert_eq!(c.base_url, *w, "{raw}"),
            (Err(IcuError::InvalidInput { field, .. }), Err(())) => {
                assert_eq!(field, "base_url", "{raw}")
            }
            (got, want) => panic!("{raw}: got {got:?}, want {want:?}"),
        }
    }
    for bad_key in ["", "   ", "abc def", "abc\ndef"] {
        let e = IcuConfig::new(None, IcuAuth::ApiKey(IcuSecret::new(bad_key)), None).unwrap_err();
        assert!(
            matches!(&e, IcuError::InvalidInput { field, .. } if field == "api_key"),
            "{bad_key:?}: {e:?}"
        );
    }
    let e = IcuConfig::new(None, IcuAuth::Session, Some("abc")).unwrap_err();
    assert!(matches!(&e, IcuError::InvalidInput { field, .. } if field == "athlete_id"));
}

// ---------------------------------------------------------------------------------------------
// The credential

#[test]
fn api_key_goes_as_basic_auth_and_the_session_sends_no_authorization() {
    let h = harness(|_, _| ok(json!({"id": "i1"})));
    block_on(h.client.athlete_profile(None)).unwrap();
    let r = h.only();
    assert_eq!(r.header_value("authorization"), Some(BASIC));
    assert_eq!(r.url, "https://intervals.icu/api/v1/athlete/0");

    let h = harness_with(IcuConfig::default(), |_, _| ok(json!({"id": "i1"})));
    block_on(h.client.athlete_profile(None)).unwrap();
    let r = h.only();
    assert_eq!(r.header_value("authorization"), None, "session: no header");
    assert_eq!(r.header_value("accept"), Some("application/json"));
    let h = harness_with(IcuConfig::default(), |_, _| ok(json!({})));
    block_on(h.client.add_activity_message("i9", "hi")).unwrap();
    assert_eq!(
        h.only().header_value("authorization"),
        None,
        "nor on writes"
    );
}

#[test]
fn the_key_goes_only_to_the_configured_host() {
    let config = IcuConfig::new(
        Some("https://fake.test:8443/api/v1"),
        IcuAuth::ApiKey(IcuSecret::new(KEY)),
        None,
    )
    .unwrap();
    let h = harness_with(config, |_, _| ok(json!([])));
    block_on(h.client.gear(None)).unwrap();
    assert_eq!(h.only().url, "https://fake.test:8443/api/v1/athlete/0/gear");

    // Paths that could leave the host or the API are refused before anything is sent.
    let h = harness(|_, _| ok(json!({})));
    for path in [
        "https://evil.example/api/v1/athlete/0",
        "//evil.example/api/v1/athlete/0",
        "/api/v1//evil.example",
        "@evil.example/api/v1/athlete/0",
        "/api/v1/../../x",
        "/api/v2/athlete/0",
        "/api/v1/athlete/0#x",
    ] {
        let e = block_on(h.client.send(Method::Get, path, None)).unwrap_err();
        assert!(
            matches!(&e, IcuError::InvalidInput { field, .. } if field == "path"),
            "{path}: {e:?}"
        );
    }
    assert!(h.requests().is_empty(), "nothing sent");

    // Ids that would change the path are refused too.
    for bad in ["../i1", "i1/messages", "i1?x=1", "i 1", ""] {
        let e = block_on(h.client.activity(bad)).unwrap_err();
        assert!(
            matches!(&e, IcuError::InvalidInput { field, .. } if field == "activity_id"),
            "{bad:?}: {e:?}"
        );
    }
    assert!(h.requests().is_empty(), "nothing sent");
}

#[test]
fn the_key_never_appears_in_debug_output_or_errors() {
    let config = key_config();
    let client_debug = {
        let h = harness_with(config.clone(), |_, _| ok(json!({})));
        format!("{:?} {:?} {:?}", config, h.client, IcuSecret::new(KEY))
    };
    assert!(client_debug.contains("redacted"), "{client_debug}");
    let b64 = BASIC.trim_start_matches("Basic ");
    // Every error kind, including a server that echoes the request (key and header) back.
    let echo = format!("bad request: Authorization: {BASIC} key={KEY}");
    let replies: Vec<Reply> = vec![
        Ok(HttpResponse::new(401, echo.clone())),
        Ok(HttpResponse::new(403, echo.clone())),
        Ok(HttpResponse::new(404, echo.clone())),
        Ok(HttpResponse::new(422, echo.clone())),
        Ok(HttpResponse::new(503, echo.clone())),
        Err(TransportError::Io("connection reset".into())),
    ];
    for (i, reply) in replies.into_iter().enumerate() {
        for method in [Method::Get, Method::Put] {
            let reply = reply.clone();
            let h = harness(move |_, _| reply.clone());
            let r = if method == Method::Get {
                block_on(h.client.event(None, 5)).map(|_| ())
            } else {
                block_on(h.client.update_event(
                    None,
                    5,
                    &EventWrite {
                        name: Some("x".into()),
                        ..EventWrite::default()
                    },
                ))
                .map(|_| ())
            };
            let e = r.unwrap_err();
            for shown in [format!("{e:?}"), e.to_string()] {
                assert!(!shown.contains(KEY), "case {i} {method}: {shown}");
                assert!(!shown.contains(b64), "case {i} {method}: {shown}");
            }
        }
    }
    assert!(!client_debug.contains(KEY) && !client_debug.contains(b64));
}

// ---------------------------------------------------------------------------------------------
// Exact requests: every write

#[test]
fn every_write_sends_exactly_this() {
    type Call = Box<dyn Fn(&IcuClient) -> Result<(), IcuError>>;
    let day = d("2026-03-05");
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap();
    let cases: Vec<(&str, Call, Method, &str, Option<Value>)> = vec![
        (
            "update activity",
            Box::new(|c: &IcuClient| {
                block_on(c.update_activity(
                    "i55",
                    &ActivityUpdate {
                        name: Some("Hill repeats".into()),
                        description: Some("felt good".into()),
                        rpe: Some(7),
                        feel: Some(2),
                        gear_id: Some("b12".into()),
                    },
                ))
                .map(|_| ())
            }),
            Method::Put,
            "/api/v1/activity/i55",
            Some(
                json!({"name": "Hill repeats", "description": "felt good", "icu_rpe": 7,
                "feel": 2, "gear": {"id": "b12"}}),
            ),
        ),
        (
            "update activity, one field",
            Box::new(|c: &IcuClient| {
                block_on(c.update_activity(
                    "i55",
                    &ActivityUpdate {
                        rpe: Some(3),
                        ..ActivityUpdate::default()
                    },
                ))
                .map(|_| ())
            }),
            Method::Put,
            "/api/v1/activity/i55",
            Some(json!({"icu_rpe": 3})),
        ),
        (
            "add message",
            Box::new(|c: &IcuClient| {
                block_on(c.add_activity_message("i55", "Nice one")).map(|_| ())
            }),
            Method::Post,
            "/api/v1/activity/i55/messages",
            Some(json!({"content": "Nice one"})),
        ),
        (
            "create workout event",
            Box::new(move |c: &IcuClient| {
                let mut e = EventWrite::new("WORKOUT", day);
                e.sport = Some("Ride".into());
                e.name = Some("Sweet spot".into());
                e.description = Some("- 10m 60%\n\n3x\n- 10m 90%\n- 5m 55%".into());
                e.moving_time = Some(3600);
                block_on(c.create_event(Some("i9"), &e)).map(|_| ())
            }),
            Method::Post,
            "/api/v1/athlete/i9/events?upsertOnUid=false",
            Some(
                json!({"category": "WORKOUT", "start_date_local": "2026-03-05T00:00:00",
                "type": "Ride", "name": "Sweet spot",
                "description": "- 10m 60%\n\n3x\n- 10m 90%\n- 5m 55%", "moving_time": 3600}),
            ),
        ),
        (
            "create note",
            Box::new(move |c: &IcuClient| {
                let mut e = EventWrite::new("NOTE", day);
                e.start = Some(at("2026-03-05T07:30:00"));
                e.name = Some("Travel".into());
                e.description = Some("Flight at 9".into());
                e.color = Some("green".into());
                block_on(c.create_event(None, &e)).map(|_| ())
            }),
            Method::Post,
            "/api/v1/athlete/0/events?upsertOnUid=false",
            Some(
                json!({"category": "NOTE", "start_date_local": "2026-03-05T07:30:00",
                "name": "Travel", "description": "Flight at 9", "color": "green"}),
            ),
        ),
        (
            "update event",
            Box::new(|c: &IcuClient| {
                block_on(c.update_event(
                    None,
                    4321,
                    &EventWrite {
                        name: Some("Renamed".into()),
                        distance: Some(40000.0),
                        indoor: Some(true),
                        ..EventWrite::default()
                    },
                ))
                .map(|_| ())
            }),
            Method::Put,
            "/api/v1/athlete/0/events/4321",
            Some(json!({"name": "Renamed", "distance": 40000.0, "indoor": true})),
        ),
        (
            "bulk create with upsert",
            Box::new(move |c: &IcuClient| {
                let mut a = EventWrite::new("WORKOUT", day);
                a.sport = Some("Run".into());
                a.name = Some("Easy".into());
                a.external_id = Some("pl-1".into());
                let mut b = EventWrite::new("NOTE", d("2026-03-06"));
                b.name = Some("Rest".into());
                b.external_id = Some("pl-2".into());
                b.tags = Some(vec!["plan".into()]);
                block_on(c.create_events_bulk(None, &[a, b], true)).map(|_| ())
            }),
            Method::Post,
            "/api/v1/athlete/0/events/bulk?upsert=true&upsertOnUid=false&updatePlanApplied=false",
            Some(json!([
                {"category": "WORKOUT", "start_date_local": "2026-03-05T00:00:00", "type": "Run",
                 "name": "Easy", "external_id": "pl-1"},
                {"category": "NOTE", "start_date_local": "2026-03-06T00:00:00", "name": "Rest",
                 "external_id": "pl-2", "tags": ["plan"]}
            ])),
        ),
        (
            "delete event",
            Box::new(|c: &IcuClient| block_on(c.delete_event(Some("123"), 4321))),
            Method::Delete,
            "/api/v1/athlete/i123/events/4321",
            None,
        ),
        (
            "delete a range in one call",
            Box::new(|c: &IcuClient| {
                block_on(c.delete_events_range(
                    None,
                    d("2026-03-01"),
                    d("2026-03-31"),
                    &["WORKOUT", "NOTE"],
                ))
            }),
            Method::Delete,
            "/api/v1/athlete/0/events?oldest=2026-03-01&newest=2026-03-31&category=WORKOUT,NOTE",
            None,
        ),
        (
            "bulk delete by id",
            Box::new(|c: &IcuClient| {
                block_on(c.delete_events_bulk(None, &[11, 12, 13])).map(|_| ())
            }),
            Method::Put,
            "/api/v1/athlete/0/events/bulk-delete",
            Some(json!([{"id": 11}, {"id": 12}, {"id": 13}])),
        ),
        (
            "wellness day",
            Box::new(move |c: &IcuClient| {
                block_on(c.update_wellness(
                    None,
                    day,
                    &WellnessUpdate {
                        weight: Some(71.5),
                        resting_hr: Some(48),
                        hrv: Some(62.0),
                        sleep_secs: Some(27000),
                        sleep_quality: Some(2),
                        soreness: Some(1),
                        fatigue: Some(3),
                        stress: Some(2),
                        mood: Some(1),
                        motivation: Some(2),
                        injury: Some(1),
                        spo2: Some(97.0),
                        steps: Some(12000),
                        comments: Some("slept badly".into()),
                        ..WellnessUpdate::default()
                    },
                ))
                .map(|_| ())
            }),
            Method::Put,
            "/api/v1/athlete/0/wellness/2026-03-05",
            Some(
                json!({"id": "2026-03-05", "weight": 71.5, "restingHR": 48, "hrv": 62.0,
                "sleepSecs": 27000, "sleepQuality": 2, "soreness": 1, "fatigue": 3, "stress": 2,
                "mood": 1, "motivation": 2, "injury": 1, "spO2": 97.0, "steps": 12000,
                "comments": "slept badly"}),
            ),
        ),
        (
            "sport settings",
            Box::new(|c: &IcuClient| {
                block_on(c.update_sport_settings(
                    None,
                    "Ride",
                    &SportSettingsUpdate {
                        ftp: Some(265),
                        lthr: Some(168),
                        max_hr: Some(188),
                        power_zones: Some(vec![55, 75, 90, 105, 120, 150, 999]),
                        ..SportSettingsUpdate::default()
                    },
                    true,
                ))
                .map(|_| ())
            }),
            Method::Put,
            "/api/v1/athlete/0/sport-settings/Ride?recalcHrZones=true",
            Some(json!({"ftp": 265, "lthr": 168, "max_hr": 188,
                "power_zones": [55, 75, 90, 105, 120, 150, 999]})),
        ),
        (
            "run threshold pace and HR zones",
            Box::new(|c: &IcuClient| {
                block_on(c.update_sport_settings(
                    Some("i7"),
                    "Run",
                    &SportSettingsUpdate {
                        threshold_pace: Some(4.1667),
                        hr_zones: Some(vec![140, 155, 165, 172, 180]),
                        ..SportSettingsUpdate::default()
                    },
                    false,
                ))
                .map(|_| ())
            }),
            Method::Put,
            "/api/v1/athlete/i7/sport-settings/Run?recalcHrZones=false",
            Some(json!({"threshold_pace": 4.1667, "hr_zones": [140, 155, 165, 172, 180]})),
        ),
        (
            "create custom item",
            Box::new(|c: &IcuClient| {
                block_on(c.create_custom_item(
                    None,
                    &CustomItemWrite {
                        kind: Some("INPUT_FIELD".into()),
                        name: Some("Caffeine".into()),
                        description: Some("mg".into()),
                        content: Some(json!({"type": "number", "code": "caffeine"})),
                        visibility: Some("PRIVATE".into()),
                    },
                ))
                .map(|_| ())
            }),
            Method::Post,
            "/api/v1/athlete/0/custom-item",
            Some(
                json!({"type": "INPUT_FIELD", "name": "Caffeine", "description": "mg",
                "content": {"type": "number", "code": "caffeine"}, "visibility": "PRIVATE"}),
            ),
        ),
        (
            "update custom item",
            Box::new(|c: &IcuClient| {
                block_on(c.update_custom_item(
                    None,
                    31,
                    &CustomItemWrite {
                        name: Some("Coffee".into()),
                        ..CustomItemWrite::default()
                    },
                ))
                .map(|_| ())
            }),
            Method::Put,
            "/api/v1/athlete/0/custom-item/31",
            Some(json!({"name": "Coffee"})),
        ),
        (
            "delete custom item",
            Box::new(|c: &IcuClient| block_on(c.delete_custom_item(None, 31))),
            Method::Delete,
            "/api/v1/athlete/0/custom-item/31",
            None,
        ),
        (
            "create library workout",
            Box::new(|c: &IcuClient| {
                block_on(c.create_library_workout(
                    None,
                    &WorkoutWrite {
                        folder_id: 88,
                        name: "VO2 5x3".into(),
                        sport: "Ride".into(),
                        description: Some("5x\n- 3m 120%\n- 3m 50%".into()),
                        indoor: Some(true),
                        moving_time: None,
                        tags: Some(vec!["vo2".into()]),
                    },
                ))
                .map(|_| ())
            }),
            Method::Post,
            "/api/v1/athlete/0/workouts",
            Some(json!({"folder_id": 88, "name": "VO2 5x3", "type": "Ride",
                "description": "5x\n- 3m 120%\n- 3m 50%", "indoor": true, "tags": ["vo2"]})),
        ),
    ];
    for (name, call, method, path, body) in cases {
        let h = harness(|req, _| match req.method {
            Method::Delete => Ok(HttpResponse::new(200, "")),
            _ if req.url.contains("/bulk?") => ok(json!([{"id": 1}, {"id": 2}])),
            _ if req.url.contains("bulk-delete") => ok(json!({"eventsDeleted": 3})),
            _ => ok(json!({"id": 1})),
        });
        call(&h.client).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_request(&h.only(), method, &format!("{BASE}{path}"), body);
    }
}

// ---------------------------------------------------------------------------------------------
// Exact requests: reads

#[test]
fn reads_send_exactly_this() {
    type Call = Box<dyn Fn(&IcuClient) -> Result<(), IcuError>>;
    let (a, b) = (d("2026-02-01"), d("2026-02-28"));
    let cases: Vec<(&str, Call, &str)> = vec![
        (
            "activities",
            Box::new(move |c: &IcuClient| block_on(c.activities(None, a, b, Some(30))).map(|_| ())),
            "/api/v1/athlete/0/activities?oldest=2026-02-01&newest=2026-02-28&limit=30",
        ),
        (
            "activities, no limit",
            Box::new(move |c: &IcuClient| {
                block_on(c.activities(Some("i4"), a, b, None)).map(|_| ())
            }),
            "/api/v1/athlete/i4/activities?oldest=2026-02-01&newest=2026-02-28",
        ),
        (
            "one activity",
            Box::new(|c: &IcuClient| block_on(c.activity("i98765")).map(|_| ())),
            "/api/v1/activity/i98765",
        ),
        (
            "intervals",
            Box::new(|c: &IcuClient| block_on(c.activity_intervals("i98765")).map(|_| ())),
            "/api/v1/activity/i98765/intervals",
        ),
        (
            "streams",
            Box::new(|c: &IcuClient| {
                block_on(c.activity_streams("i98765", &["time", "watts", "heartrate"])).map(|_| ())
            }),
            "/api/v1/activity/i98765/streams?types=time,watts,heartrate",
        ),
        (
            "streams, defaults",
            Box::new(|c: &IcuClient| block_on(c.activity_streams("i98765", &[])).map(|_| ())),
            "/api/v1/activity/i98765/streams",
        ),
        (
            "messages",
            Box::new(|c: &IcuClient| block_on(c.activity_messages("i98765")).map(|_| ())),
            "/api/v1/activity/i98765/messages",
        ),
        (
            "events by category",
            Box::new(move |c: &IcuClient| {
                block_on(c.events(None, a, b, &["WORKOUT", "RACE_A"])).map(|_| ())
            }),
            "/api/v1/athlete/0/events?oldest=2026-02-01&newest=2026-02-28&category=WORKOUT,RACE_A",
        ),
        (
            "events, all",
            Box::new(move |c: &IcuClient| block_on(c.events(None, a, b, &[])).map(|_| ())),
            "/api/v1/athlete/0/events?oldest=2026-02-01&newest=2026-02-28",
        ),
        (
            "event by id: plural path (the seed's singular one 404s)",
            Box::new(|c: &IcuClient| block_on(c.event(None, 4321)).map(|_| ())),
            "/api/v1/athlete/0/events/4321",
        ),
        (
            "wellness",
            Box::new(move |c: &IcuClient| block_on(c.wellness(None, a, b)).map(|_| ())),
            "/api/v1/athlete/0/wellness?oldest=2026-02-01&newest=2026-02-28",
        ),
        (
            "fitness",
            Box::new(move |c: &IcuClient| block_on(c.fitness(None, a, b, "Ride")).map(|_| ())),
            "/api/v1/athlete/0/wellness?oldest=2026-02-01&newest=2026-02-28&fields=id,ctl,atl,rampRate,sportInfo",
        ),
        (
            "athlete summary",
            Box::new(move |c: &IcuClient| block_on(c.athlete_summary(None, a, b)).map(|_| ())),
            "/api/v1/athlete/0/athlete-summary?start=2026-02-01&end=2026-02-28",
        ),
        (
            "power curves",
            Box::new(|c: &IcuClient| {
                let mut q = CurveQuery::new("Ride", &["s0", "s1"]);
                q.curves
                    .push(CurveQuery::range(d("2026-01-01"), d("2026-01-31")).unwrap());
                q.filters = Some(json!([{"field_id": "indoor", "value": true, "id": 1}]));
                block_on(c.curves(None, CurveKind::Power, &q)).map(|_| ())
            }),
            "/api/v1/athlete/0/power-curves?type=Ride&curves=s0,s1,r.2026-01-01.2026-01-31&filters=%5B%7B%22field_id%22:%22indoor%22,%22value%22:true,%22id%22:1%7D%5D",
        ),
        (
            "hr curves",
            Box::new(|c: &IcuClient| {
                block_on(c.curves(None, CurveKind::HeartRate, &CurveQuery::new("Run", &["1y"])))
                    .map(|_| ())
            }),
            "/api/v1/athlete/0/hr-curves?type=Run&curves=1y",
        ),
        (
            "pace curves, GAP",
            Box::new(|c: &IcuClient| {
                let mut q = CurveQuery::new("Run", &["42d"]);
                q.gap = true;
                block_on(c.curves(None, CurveKind::Pace, &q)).map(|_| ())
            }),
            "/api/v1/athlete/0/pace-curves?type=Run&curves=42d&gap=true",
        ),
        (
            "gear",
            Box::new(|c: &IcuClient| block_on(c.gear(None)).map(|_| ())),
            "/api/v1/athlete/0/gear",
        ),
        (
            "athlete",
            Box::new(|c: &IcuClient| block_on(c.athlete_profile(Some("i3"))).map(|_| ())),
            "/api/v1/athlete/i3",
        ),
        (
            "sport settings",
            Box::new(|c: &IcuClient| block_on(c.sport_settings(None)).map(|_| ())),
            "/api/v1/athlete/0/sport-settings",
        ),
        (
            "sport settings for a sport",
            Box::new(|c: &IcuClient| block_on(c.sport_settings_for(None, "Run")).map(|_| ())),
            "/api/v1/athlete/0/sport-settings/Run",
        ),
        (
            "custom items",
            Box::new(|c: &IcuClient| block_on(c.custom_items(None)).map(|_| ())),
            "/api/v1/athlete/0/custom-item",
        ),
        (
            "custom item",
            Box::new(|c: &IcuClient| block_on(c.custom_item(None, 31)).map(|_| ())),
            "/api/v1/athlete/0/custom-item/31",
        ),
        (
            "folders",
            Box::new(|c: &IcuClient| block_on(c.folders(None)).map(|_| ())),
            "/api/v1/athlete/0/folders",
        ),
        (
            "library workouts",
            Box::new(|c: &IcuClient| block_on(c.workouts_in_folder(None, 88)).map(|_| ())),
            "/api/v1/athlete/0/workouts",
        ),
    ];
    for (name, call, path) in cases {
        let h = harness(|req, _| {
            // Lists where lists are expected, objects elsewhere.
            let p = req.path_and_query();
            let list = [
                "activities",
                "streams",
                "messages",
                "events?",
                "wellness",
                "summary",
                "gear",
                "sport-settings",
                "custom-item",
                "folders",
                "workouts",
            ];
            if list.iter().any(|s| p.contains(s))
                && !p.ends_with("/31")
                && !p.ends_with("/Run")
                && !p.ends_with("/4321")
            {
                ok(json!([]))
            } else {
                ok(json!({}))
            }
        });
        call(&h.client).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_request(&h.only(), Method::Get, &format!("{BASE}{path}"), None);
    }
}

// ---------------------------------------------------------------------------------------------
// Retry policy

#[test]
fn reads_retry_429_5xx_and_transport_errors_with_back_off() {
    // (name, replies in order, expected requests, expected wait, ok at the end)
    type Script = Vec<Reply>;
    let s503 = || Ok(HttpResponse::new(503, "busy"));
    let good = || ok(json!([]));
    let cases: Vec<(&str, Script, usize, f64, bool)> = vec![
        ("503 then ok", vec![s503(), good()], 2, 0.5, true),
        ("503 ×2 then ok", vec![s503(), s503(), good()], 3, 1.5, true),
        (
            "503 ×4: gives up after 3 retries",
            vec![s503(), s503(), s503(), s503()],
            4,
            3.5,
            false,
        ),
        (
            "429 with Retry-After 5",
            vec![
                Ok(HttpResponse::new(429, "").with_header("Retry-After", "5")),
                good(),
            ],
            2,
            5.0,
            true,
        ),
        (
            "429 with Retry-After 120: not waited out",
            vec![Ok(
                HttpResponse::new(429, "").with_header("Retry-After", "120")
            )],
            1,
            0.0,
            false,
        ),
        (
            "timeout then ok",
            vec![Err(TransportError::Timeout), good()],
            2,
            0.5,
            true,
        ),
        (
            "io then ok",
            vec![Err(TransportError::Io("reset".into())), good()],
            2,
            0.5,
            true,
        ),
        (
            "connect then ok",
            vec![Err(TransportError::Connect("refused".into())), good()],
            2,
            0.5,
            true,
        ),
        (
            "501 is not retried",
            vec![Ok(HttpResponse::new(501, ""))],
            1,
            0.0,
            false,
        ),
        (
            "400 is not retried",
            vec![Ok(HttpResponse::new(400, ""))],
            1,
            0.0,
            false,
        ),
    ];
    for (name, script, want_requests, want_wait, want_ok) in cases {
        let script = Arc::new(script);
        let s = script.clone();
        let h = harness(move |_, n| s.get(n).cloned().unwrap_or_else(|| s[s.len() - 1].clone()));
        let r = block_on(h.client.gear(None));
        assert_eq!(r.is_ok(), want_ok, "{name}: {r:?}");
        assert_eq!(h.requests().len(), want_requests, "{name}");
        assert_eq!(h.elapsed(), Duration::from_secs_f64(want_wait), "{name}");
    }
    // The error after giving up says what to do.
    let h = harness(|_, _| Ok(HttpResponse::new(429, "").with_header("Retry-After", "120")));
    let e = block_on(h.client.gear(None)).unwrap_err();
    assert_eq!(
        e,
        IcuError::RateLimited {
            retry_after: Some(120)
        }
    );
    assert!(e.to_string().contains("Wait 120 seconds"), "{e}");
}

#[test]
fn writes_are_never_retried_once_they_may_have_arrived() {
    let write = |c: &IcuClient| {
        block_on(c.create_event(None, &{
            let mut e = EventWrite::new("NOTE", d("2026-03-05"));
            e.name = Some("x".into());
            e
        }))
    };
    // (name, reply, expected requests, expected error check)
    type Expect = fn(&IcuError) -> bool;
    let cases: Vec<(&str, Reply, usize, Expect)> = vec![
        ("503", Ok(HttpResponse::new(503, "busy")), 1, |e| {
            matches!(e, IcuError::WriteOutcomeUnknown { .. })
        }),
        ("timeout", Err(TransportError::Timeout), 1, |e| {
            matches!(e, IcuError::WriteOutcomeUnknown { .. })
        }),
        ("io", Err(TransportError::Io("reset".into())), 1, |e| {
            matches!(e, IcuError::WriteOutcomeUnknown { .. })
        }),
        (
            "429: refused, so not applied",
            Ok(HttpResponse::new(429, "")),
            1,
            |e| matches!(e, IcuError::RateLimited { .. }),
        ),
        (
            "connect: resent once, then reported",
            Err(TransportError::Connect("refused".into())),
            2,
            |e| matches!(e, IcuError::Transport(TransportError::Connect(_))),
        ),
        ("401", Ok(HttpResponse::new(401, "")), 1, |e| {
            matches!(
                e,
                IcuError::NotAuthenticated {
                    auth: AuthMode::ApiKey
                }
            )
        }),
        (
            "422",
            Ok(HttpResponse::new(422, "{\"error\":\"bad\"}")),
            1,
            |e| matches!(e, IcuError::Status { status: 422, .. }),
        ),
    ];
    for (name, reply, want_requests, check) in cases {
        let h = harness(move |_, _| reply.clone());
        let e = write(&h.client).unwrap_err();
        assert!(check(&e), "{name}: {e:?}");
        assert_eq!(h.requests().len(), want_requests, "{name}");
        if let IcuError::WriteOutcomeUnknown { .. } = e {
            let text = e.to_string();
            assert!(text.contains("outcome is unknown"), "{name}: {text}");
            assert!(text.contains("before retrying"), "{name}: {text}");
        }
    }
    // A connect failure followed by success: the write goes through on the one resend.
    let h = harness(|_, n| {
        if n == 0 {
            Err(TransportError::Connect("refused".into()))
        } else {
            ok(json!({"id": 9}))
        }
    });
    let ev = write(&h.client).unwrap();
    assert_eq!(ev.id.val(), Some(9));
    assert_eq!(h.requests().len(), 2);
}

#[test]
fn auth_and_lookup_errors_say_what_to_do() {
    let cases: Vec<(IcuConfig, u16, &str)> = vec![
        (
            IcuConfig::default(),
            401,
            "Log in to intervals.icu in the browser",
        ),
        (IcuConfig::default(), 401, "API_KEY"),
        (key_config(), 401, "rejected the API key"),
        (
            IcuConfig::default(),
            403,
            "log in to intervals.icu in the browser or set API_KEY",
        ),
        (key_config(), 403, "coach"),
        (key_config(), 404, "event 4321 was not found"),
    ];
    for (config, status, needle) in cases {
        let h = harness_with(config, move |_, _| Ok(HttpResponse::new(status, "")));
        let e = block_on(h.client.event(None, 4321)).unwrap_err();
        assert!(e.to_string().contains(needle), "{status}: {e}");
        assert_eq!(h.requests().len(), 1, "{status}: not retried");
    }
}

// ---------------------------------------------------------------------------------------------
// Lenient reading

#[test]
fn activities_read_leniently() {
    // (name, element, check)
    type Check = fn(&Activity) -> bool;
    let cases: Vec<(&str, Value, Check)> = vec![
        ("id as a string", json!({"id": "i123"}), |a| {
            a.id.get().map(String::as_str) == Some("i123")
        }),
        ("id as a number", json!({"id": 123}), |a| {
            a.id.get().map(String::as_str) == Some("123")
        }),
        (
            "numbers as strings",
            json!({"moving_time": "3600", "distance": "40000.5"}),
            |a| a.moving_time.val() == Some(3600) && a.distance.val() == Some(40000.5),
        ),
        ("integral float time", json!({"moving_time": 3600.0}), |a| {
            a.moving_time.val() == Some(3600)
        }),
        (
            "nulls",
            json!({"name": null, "icu_training_load": null}),
            |a| a.name == paceline_core::wire::Field::Null && a.icu_training_load.val().is_none(),
        ),
        ("unreadable kept", json!({"moving_time": "long"}), |a| {
            a.moving_time.val().is_none() && !a.moving_time.is_absent()
        }),
        ("unknown sport kept", json!({"type": "Zorbing"}), |a| {
            a.sport.get().map(String::as_str) == Some("Zorbing")
        }),
        ("unknown field kept", json!({"zz_new": {"x": 1}}), |a| {
            a.rest.get("zz_new") == Some(&json!({"x": 1}))
        }),
        (
            "strava stub",
            json!({"id": "i9", "_note": "STRAVA activities are not available via the API"}),
            |a| a.note.is_present() && a.name.is_absent(),
        ),
        (
            "gear ref",
            json!({"gear": {"id": "b12", "name": null}}),
            |a| a.gear.get().and_then(|g| g.id.get()).map(String::as_str) == Some("b12"),
        ),
        (
            "local start",
            json!({"start_date_local": "2026-02-03T06:30:00"}),
            |a| {
                a.start_date_local.get().map(|s| s.at().to_string())
                    == Some("2026-02-03 06:30:00".into())
            },
        ),
    ];
    for (name, element, check) in cases {
        let list = json!([element, 7, "junk", null]);
        let h = harness(move |_, _| ok(list.clone()));
        let got = block_on(
            h.client
                .activities(None, d("2026-02-01"), d("2026-02-28"), None),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.len(), 1, "{name}: non-objects skipped");
        assert!(check(&got[0]), "{name}: {:?}", got[0]);
    }
    // A non-list answer is an error naming the path, not an empty list.
    let h = harness(|_, _| ok(json!({"error": "x"})));
    let e = block_on(
        h.client
            .activities(None, d("2026-02-01"), d("2026-02-28"), None),
    )
    .unwrap_err();
    assert!(
        matches!(&e, IcuError::Decode { path, .. } if path.contains("/activities")),
        "{e:?}"
    );
}

#[test]
fn events_wellness_and_curves_read_leniently() {
    let events = json!([
        {"id": "4321", "category": "WORKOUT", "start_date_local": "2026-03-05T00:00:00",
         "type": "Ride", "workout_doc": {"steps": []}, "icu_training_load": "55"},
        {"id": 4322.0, "category": "SOMETHING_NEW", "start_date_local": "2026-03-06",
         "zz": [1]},
    ]);
    let h = harness(move |_, _| ok(events.clone()));
    let got: Vec<Event> =
        block_on(h.client.events(None, d("2026-03-01"), d("2026-03-31"), &[])).unwrap();
    assert_eq!(got[0].id.val(), Some(4321));
    assert_eq!(got[0].icu_training_load.val(), Some(55.0));
    assert!(got[0].workout_doc.is_present());
    assert_eq!(got[1].id.val(), Some(4322));
    assert_eq!(
        got[1].category.get().map(String::as_str),
        Some("SOMETHING_NEW")
    );
    assert_eq!(
        got[1].start_date_local.get().map(|s| s.at().date()),
        Some(d("2026-03-06"))
    );
    assert_eq!(got[1].rest.get("zz"), Some(&json!([1])));

    let wellness = json!([
        {"id": "2026-02-02", "ctl": 50.5, "atl": "60", "rampRate": 1.2,
         "sportInfo": [{"type": "Ride", "eftp": 251.0}, {"type": "Run", "eftp": null}],
         "restingHR": 48, "hrvSDNN": 70, "spO2": "98", "MyCustomField": 3},
        {"id": "2026-02-01", "ctl": 49.0, "atl": null},
        {"id": "not a date", "ctl": 1},
    ]);
    let w = wellness.clone();
    let h = harness(move |_, _| ok(w.clone()));
    let got: Vec<Wellness> =
        block_on(h.client.wellness(None, d("2026-02-01"), d("2026-02-02"))).unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].resting_hr.val(), Some(48.0));
    assert_eq!(got[0].hrv_sdnn.val(), Some(70.0));
    assert_eq!(got[0].spo2.val(), Some(98.0));
    assert_eq!(
        got[0].rest.get("MyCustomField"),
        Some(&json!(3)),
        "custom fields kept"
    );

    let h = harness(move |_, _| ok(wellness.clone()));
    let chart = block_on(
        h.client
            .fitness(None, d("2026-02-01"), d("2026-02-02"), "ride"),
    )
    .unwrap();
    assert_eq!(chart.len(), 2, "the day without a date is skipped");
    assert_eq!(chart[0].date, d("2026-02-01"), "sorted by day");
    assert_eq!(
        (chart[0].ctl, chart[0].atl, chart[0].form),
        (Some(49.0), None, None)
    );
    assert_eq!(chart[1].form, Some(-9.5));
    assert_eq!(chart[1].ramp_rate, Some(1.2));
    assert_eq!(chart[1].eftp, Some(251.0));

    let curves = json!({"list": [{"id": "s0", "label": "This season",
        "secs": [1, 5, "x", 60], "values": [900, null, 500, "400"],
        "watts_per_kg": [12.0, 10.0], "activity_id": ["i1", 2, null, "i4"]}],
        "activities": {}});
    let h = harness(move |_, _| ok(curves.clone()));
    let set = block_on(
        h.client
            .curves(None, CurveKind::Power, &CurveQuery::new("Ride", &["s0"])),
    )
    .unwrap();
    let pts = set.list.get().unwrap()[0].points();
    type Point = (f64, Option<f64>, Option<f64>, Option<String>);
    let got: Vec<Point> = pts
        .into_iter()
        .map(|p| (p.x, p.value, p.per_kg, p.activity_id))
        .collect();
    assert_eq!(
        got,
        vec![
            (1.0, Some(900.0), Some(12.0), Some("i1".into())),
            (5.0, None, Some(10.0), Some("2".into())),
            (60.0, Some(400.0), None, Some("i4".into())),
        ],
        "points stay paired by index; the unreadable duration drops only its own point"
    );
}

#[test]
fn the_athlete_is_read_without_its_secrets() {
    let h = harness(|_, _| {
        ok(json!({"id": "i3", "name": "Ana", "icu_api_key": "THE-KEY",
            "icu_friend_invite_token": "TOKEN", "icu_weight": "61.5",
            "sportSettings": [{"id": 1, "types": ["Ride", "VirtualRide"], "ftp": 250,
                "power_zones": [55, 75, 90, 105, 120, 150, 999], "zz": true}, "junk"]}))
    });
    let a = block_on(h.client.athlete_profile(None)).unwrap();
    let shown = format!("{a:?} {}", serde_json::to_string(&a).unwrap());
    assert!(
        !shown.contains("THE-KEY") && !shown.contains("TOKEN"),
        "{shown}"
    );
    assert_eq!(a.icu_weight.val(), Some(61.5));
    let ss = a.sport_settings.get().unwrap();
    assert_eq!(ss.len(), 1, "the odd entry is dropped");
    assert_eq!(ss[0].ftp.val(), Some(250.0));
    assert_eq!(ss[0].rest.get("zz"), Some(&json!(true)));
}

#[test]
fn status_says_which_method_and_for_whom() {
    let answer = || ok(json!({"id": 184512, "name": " Ana ", "icu_api_key": "THE-KEY"}));
    let h = harness(move |_, _| answer());
    let s = block_on(h.client.status()).unwrap();
    assert_eq!(
        (s.auth.as_str(), s.athlete_id.as_deref(), s.name.as_deref()),
        ("api_key", Some("184512"), Some("Ana"))
    );
    assert_eq!(h.only().url, "https://intervals.icu/api/v1/athlete/0");
    let config = IcuConfig::new(None, IcuAuth::Session, Some("i7")).unwrap();
    let h = harness_with(config, move |_, _| answer());
    let s = block_on(h.client.status()).unwrap();
    assert_eq!(s.auth, "session");
    assert_eq!(h.only().url, "https://intervals.icu/api/v1/athlete/i7");
    assert!(!format!("{s:?}").contains("THE-KEY"));
    let h = harness_with(IcuConfig::default(), |_, _| Ok(HttpResponse::new(401, "")));
    let e = block_on(h.client.status()).unwrap_err();
    assert_eq!(
        e,
        IcuError::NotAuthenticated {
            auth: AuthMode::Session
        }
    );
}

#[test]
fn bodiless_and_odd_write_answers() {
    // A bulk delete that answers with no body still succeeds (count unknown).
    let h = harness(|_, _| Ok(HttpResponse::new(200, "")));
    let r = block_on(h.client.delete_events_bulk(None, &[1])).unwrap();
    assert!(r.events_deleted.is_absent());
    let h = harness(|_, _| ok(json!({"eventsDeleted": "2"})));
    assert_eq!(
        block_on(h.client.delete_events_bulk(None, &[1, 2]))
            .unwrap()
            .events_deleted
            .val(),
        Some(2)
    );
    // The created message's id.
    let h = harness(|_, _| ok(json!({"id": "77", "new_chat": null})));
    assert_eq!(
        block_on(h.client.add_activity_message("i1", "x"))
            .unwrap()
            .id
            .val(),
        Some(77)
    );
}

// ---------------------------------------------------------------------------------------------
// Bad input: nothing sent, the field named

#[test]
fn bad_input_names_the_field_and_sends_nothing() {
    type Call = Box<dyn Fn(&IcuClient) -> Result<(), IcuError>>;
    let day = d("2026-03-05");
    let cases: Vec<(Call, &str)> = vec![
        (
            Box::new(|c: &IcuClient| {
                block_on(c.activities(None, d("2026-03-02"), d("2026-03-01"), None)).map(|_| ())
            }),
            "newest",
        ),
        (
            Box::new(|c: &IcuClient| block_on(c.gear(Some("bob"))).map(|_| ())),
            "athlete_id",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.update_activity(
                    "i1",
                    &ActivityUpdate {
                        rpe: Some(11),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "rpe",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.update_activity(
                    "i1",
                    &ActivityUpdate {
                        feel: Some(0),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "feel",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.update_activity("i1", &ActivityUpdate::default())).map(|_| ())
            }),
            "update",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.update_activity(
                    "i1",
                    &ActivityUpdate {
                        gear_id: Some("b/1".into()),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "gear_id",
        ),
        (
            Box::new(|c: &IcuClient| block_on(c.add_activity_message("i1", "  ")).map(|_| ())),
            "content",
        ),
        (
            Box::new(move |c: &IcuClient| {
                block_on(c.create_event(None, &EventWrite::new("PARTY", day))).map(|_| ())
            }),
            "category",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.create_event(
                    None,
                    &EventWrite {
                        category: Some("NOTE".into()),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "start_date",
        ),
        (
            Box::new(move |c: &IcuClient| {
                block_on(c.create_event(
                    None,
                    &EventWrite {
                        sport: Some("Ride;drop".into()),
                        ..EventWrite::new("WORKOUT", day)
                    },
                ))
                .map(|_| ())
            }),
            "type",
        ),
        (
            Box::new(move |c: &IcuClient| {
                block_on(c.create_event(
                    None,
                    &EventWrite {
                        moving_time: Some(-1),
                        ..EventWrite::new("WORKOUT", day)
                    },
                ))
                .map(|_| ())
            }),
            "moving_time",
        ),
        (
            Box::new(|c: &IcuClient| block_on(c.event(None, 0)).map(|_| ())),
            "event_id",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.update_event(None, 5, &EventWrite::default())).map(|_| ())
            }),
            "update",
        ),
        (
            Box::new(|c: &IcuClient| block_on(c.create_events_bulk(None, &[], false)).map(|_| ())),
            "events",
        ),
        (
            Box::new(move |c: &IcuClient| {
                block_on(c.create_events_bulk(
                    None,
                    &[EventWrite::new("NOTE", day), EventWrite::new("NOPE", day)],
                    false,
                ))
                .map(|_| ())
            }),
            "events[1].category",
        ),
        (
            Box::new(move |c: &IcuClient| {
                block_on(c.create_events_bulk(None, &[EventWrite::new("NOTE", day)], true))
                    .map(|_| ())
            }),
            "events[0].external_id",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.delete_events_range(None, d("2026-03-01"), d("2026-03-02"), &[]))
            }),
            "category",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.delete_events_range(None, d("2026-03-01"), d("2026-03-02"), &["ALL"]))
            }),
            "category",
        ),
        (
            Box::new(|c: &IcuClient| block_on(c.delete_events_bulk(None, &[])).map(|_| ())),
            "event_ids",
        ),
        (
            Box::new(|c: &IcuClient| block_on(c.delete_events_bulk(None, &[3, -1])).map(|_| ())),
            "event_ids",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.events(None, d("2026-03-01"), d("2026-03-02"), &["WORKOUTS"]))
                    .map(|_| ())
            }),
            "category",
        ),
        (
            Box::new(move |c: &IcuClient| {
                block_on(c.update_wellness(
                    None,
                    day,
                    &WellnessUpdate {
                        mood: Some(5),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "mood",
        ),
        (
            Box::new(move |c: &IcuClient| {
                block_on(c.update_wellness(
                    None,
                    day,
                    &WellnessUpdate {
                        weight: Some(f64::NAN),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "weight",
        ),
        (
            Box::new(move |c: &IcuClient| {
                block_on(c.update_wellness(None, day, &WellnessUpdate::default())).map(|_| ())
            }),
            "update",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.update_sport_settings(
                    None,
                    "Ride",
                    &SportSettingsUpdate {
                        ftp: Some(0),
                        ..Default::default()
                    },
                    false,
                ))
                .map(|_| ())
            }),
            "ftp",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.update_sport_settings(
                    None,
                    "Ride",
                    &SportSettingsUpdate {
                        lthr: Some(190),
                        max_hr: Some(180),
                        ..Default::default()
                    },
                    false,
                ))
                .map(|_| ())
            }),
            "lthr",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.update_sport_settings(
                    None,
                    "Ride",
                    &SportSettingsUpdate {
                        power_zones: Some(vec![55, 50]),
                        ..Default::default()
                    },
                    false,
                ))
                .map(|_| ())
            }),
            "power_zones",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.update_sport_settings(
                    None,
                    "Ride",
                    &SportSettingsUpdate {
                        threshold_pace: Some(300.0),
                        ..Default::default()
                    },
                    false,
                ))
                .map(|_| ())
            }),
            "threshold_pace",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.update_sport_settings(
                    None,
                    "Ride/../x",
                    &SportSettingsUpdate {
                        ftp: Some(200),
                        ..Default::default()
                    },
                    false,
                ))
                .map(|_| ())
            }),
            "sport",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.curves(
                    None,
                    CurveKind::Power,
                    &CurveQuery::new("Ride", &["s0&x=1"]),
                ))
                .map(|_| ())
            }),
            "curves",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.curves(None, CurveKind::Power, &CurveQuery::new("", &[]))).map(|_| ())
            }),
            "type",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.curves(
                    None,
                    CurveKind::Power,
                    &CurveQuery {
                        filters: Some(json!({"a": 1})),
                        ..CurveQuery::new("Ride", &[])
                    },
                ))
                .map(|_| ())
            }),
            "filters",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.create_custom_item(
                    None,
                    &CustomItemWrite {
                        name: Some("x".into()),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "item_type",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.create_custom_item(
                    None,
                    &CustomItemWrite {
                        kind: Some("ZONES".into()),
                        name: Some("x".into()),
                        visibility: Some("WORLD".into()),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "visibility",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.create_custom_item(
                    None,
                    &CustomItemWrite {
                        kind: Some("ZONES".into()),
                        name: Some("x".into()),
                        content: Some(json!("{}")),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "content",
        ),
        (
            Box::new(|c: &IcuClient| block_on(c.delete_custom_item(None, -3))),
            "item_id",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.create_library_workout(
                    None,
                    &WorkoutWrite {
                        folder_id: 0,
                        name: "x".into(),
                        sport: "Ride".into(),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "folder_id",
        ),
        (
            Box::new(|c: &IcuClient| {
                block_on(c.create_library_workout(
                    None,
                    &WorkoutWrite {
                        folder_id: 1,
                        name: " ".into(),
                        sport: "Ride".into(),
                        ..Default::default()
                    },
                ))
                .map(|_| ())
            }),
            "name",
        ),
    ];
    for (i, (call, field)) in cases.into_iter().enumerate() {
        let h = harness(|_, _| ok(json!({})));
        match call(&h.client) {
            Err(IcuError::InvalidInput { field: f, message }) => {
                assert_eq!(f, field, "case {i}: {message}");
                assert!(!message.is_empty(), "case {i}");
            }
            other => panic!("case {i} ({field}): expected InvalidInput, got {other:?}"),
        }
        assert!(h.requests().is_empty(), "case {i} ({field}): nothing sent");
    }
}
