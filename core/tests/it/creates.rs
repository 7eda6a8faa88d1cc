//! The duplicate guard for creates, against the sandbox: an identical create within ten
//! minutes returns the first one instead of creating another, and a create whose outcome was
//! unknown is looked for before it is sent again.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{
    BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError,
};
use paceline_core::sandbox::{Sandbox, SandboxTransport};
use paceline_core::tools::{self, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::{TpClient, TpError};
use serde_json::{Value, json};

/// How the next POST fails, if it does.
#[derive(Clone, Copy, PartialEq)]
enum Fault {
    None,
    /// The server applies the POST, but the answer is lost (a timeout after sending).
    TimeoutAfterApplying,
    /// The POST times out before the server sees it.
    TimeoutBeforeSending,
    /// A 503 from the server (which may or may not have applied it).
    ServerError,
    /// A 400: refused, certainly not applied.
    Refused,
}

/// The sandbox's browser, counting POSTs and failing the next one as told.
struct Faulty {
    inner: SandboxTransport,
    posts: Mutex<Vec<String>>,
    fault: Mutex<Fault>,
}

impl Transport for Faulty {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            if request.method != Method::Post {
                return self.inner.send(request).await;
            }
            self.posts
                .lock()
                .unwrap()
                .push(request.path_and_query().to_string());
            let fault = std::mem::replace(&mut *self.fault.lock().unwrap(), Fault::None);
            match fault {
                Fault::None => self.inner.send(request).await,
                Fault::TimeoutAfterApplying => {
                    let _ = self.inner.send(request).await;
                    Err(TransportError::Timeout)
                }
                Fault::TimeoutBeforeSending => Err(TransportError::Timeout),
                Fault::ServerError => Ok(HttpResponse::new(503, "unavailable")),
                Fault::Refused => Ok(HttpResponse::new(400, "bad request")),
            }
        })
    }
}

struct Env {
    ctx: ToolContext,
    clock: Arc<ManualClock>,
    transport: Arc<Faulty>,
}

fn env() -> Env {
    let clock = Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ));
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let transport = Arc::new(Faulty {
        inner: SandboxTransport::new(sandbox),
        posts: Mutex::default(),
        fault: Mutex::new(Fault::None),
    });
    let client = TpClient::new(transport.clone(), clock.clone()).with_rate_limit(None);
    Env {
        ctx: ToolContext::new(Arc::new(client)),
        clock,
        transport,
    }
}

impl Env {
    fn call(&self, name: &str, args: Value) -> Result<ToolOutput, ToolError> {
        block_on(tools::call(&self.ctx, name, args))
    }
    fn posts(&self) -> usize {
        self.transport.posts.lock().unwrap().len()
    }
    fn fail_next_post(&self, f: Fault) {
        *self.transport.fault.lock().unwrap() = f;
    }
    /// Workouts titled `title` on 2026-11-25.
    fn count_titled(&self, title: &str) -> usize {
        let out = self
            .call(
                "get_workouts",
                json!({"start_date": "2026-11-25", "end_date": "2026-11-25"}),
            )
            .unwrap();
        out.structured["workouts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["title"] == title)
            .count()
    }
}

fn workout_args(title: &str) -> Value {
    json!({"date": "2026-11-25", "sport": "bike", "title": title, "duration_hours": 1.5})
}

fn id_of(out: &ToolOutput) -> i64 {
    out.structured["workout"]["workout_id"]
        .as_i64()
        .or_else(|| out.structured["workout_id"].as_i64())
        .unwrap_or_else(|| panic!("no workout id in {}", out.structured))
}

#[test]
fn an_identical_create_returns_the_first_instead_of_a_duplicate() {
    let e = env();
    let first = e
        .call("create_workout", workout_args("Sweet spot"))
        .unwrap();
    assert!(!first.text.contains("identical"), "{}", first.text);
    e.clock.advance(Duration::from_secs(3 * 60));
    let second = e
        .call("create_workout", workout_args("Sweet spot"))
        .unwrap();
    assert_eq!(e.posts(), 1, "one POST for two identical creates");
    assert_eq!(id_of(&second), id_of(&first), "the same workout");
    let want = format!(
        "An identical workout was created 3 min ago (id {}); returned it instead of creating a \
         duplicate.",
        id_of(&first)
    );
    assert!(second.text.starts_with(&want), "{}", second.text);
    assert_eq!(e.count_titled("Sweet spot"), 1);
    // A different create goes through.
    e.call("create_workout", workout_args("Tempo")).unwrap();
    assert_eq!(e.posts(), 2);
}

#[test]
fn after_ten_minutes_an_identical_create_is_sent_again() {
    let e = env();
    let first = e
        .call("create_workout", workout_args("Sweet spot"))
        .unwrap();
    e.clock.advance(Duration::from_secs(11 * 60));
    let second = e
        .call("create_workout", workout_args("Sweet spot"))
        .unwrap();
    assert_eq!(e.posts(), 2);
    assert_ne!(id_of(&second), id_of(&first));
    assert!(!second.text.contains("identical"), "{}", second.text);
    assert_eq!(e.count_titled("Sweet spot"), 2);
}

#[test]
fn a_timed_out_create_that_was_applied_is_found_not_duplicated() {
    let e = env();
    e.fail_next_post(Fault::TimeoutAfterApplying);
    let err = e
        .call("create_workout", workout_args("Threshold"))
        .unwrap_err();
    assert!(
        matches!(err, ToolError::Api(TpError::WriteOutcomeUnknown { .. })),
        "{err:?}"
    );
    e.clock.advance(Duration::from_secs(60));
    let retry = e.call("create_workout", workout_args("Threshold")).unwrap();
    assert_eq!(e.posts(), 1, "the retry did not POST again");
    assert_eq!(e.count_titled("Threshold"), 1, "no duplicate on the server");
    assert!(
        retry.text.contains("outcome was unknown")
            && retry.text.contains(&format!("(id {})", id_of(&retry))),
        "{}",
        retry.text
    );
    // Found once, it counts as created: a third identical call returns it without looking.
    let third = e.call("create_workout", workout_args("Threshold")).unwrap();
    assert_eq!(id_of(&third), id_of(&retry));
    assert!(
        third.text.contains("was created 1 min ago"),
        "{}",
        third.text
    );
    assert_eq!(e.posts(), 1);
}

#[test]
fn a_timed_out_create_that_was_not_applied_is_sent_again() {
    let e = env();
    e.fail_next_post(Fault::TimeoutBeforeSending);
    e.call("create_workout", workout_args("Threshold"))
        .unwrap_err();
    let retry = e.call("create_workout", workout_args("Threshold")).unwrap();
    assert_eq!(e.posts(), 2, "looked, found nothing, sent it");
    assert!(!retry.text.contains("identical"), "{}", retry.text);
    assert_eq!(e.count_titled("Threshold"), 1);
}

#[test]
fn a_refused_create_is_not_remembered() {
    let e = env();
    e.fail_next_post(Fault::Refused);
    let err = e.call("create_workout", workout_args("Hills")).unwrap_err();
    assert!(
        matches!(err, ToolError::Api(TpError::Status { status: 400, .. })),
        "{err:?}"
    );
    let retry = e.call("create_workout", workout_args("Hills")).unwrap();
    assert!(!retry.text.contains("identical"), "{}", retry.text);
    assert_eq!(e.posts(), 2);
    assert_eq!(e.count_titled("Hills"), 1);
}

#[test]
fn an_unknown_create_that_cannot_be_looked_up_is_refused() {
    let e = env();
    e.fail_next_post(Fault::ServerError);
    let err = e
        .call(
            "create_event",
            json!({"name": "Race", "date": "2026-12-01", "event_type": "Running"}),
        )
        .unwrap_err();
    assert!(
        matches!(err, ToolError::Api(TpError::WriteOutcomeUnknown { .. })),
        "{err:?}"
    );
    // No way to look an event up by its body: refused, nothing sent, with what to do.
    let err = e
        .call(
            "create_event",
            json!({"name": "Race", "date": "2026-12-01", "event_type": "Running"}),
        )
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, ToolError::Api(TpError::DuplicateOutcomeUnknown { .. })),
        "{err:?}"
    );
    assert!(text.contains("check TrainingPeaks"), "{text}");
    assert!(text.contains("retry in 10 min"), "{text}");
    assert_eq!(e.posts(), 1, "not sent again");
    // After the window it may go out again.
    e.clock.advance(Duration::from_secs(10 * 60));
    e.call(
        "create_event",
        json!({"name": "Race", "date": "2026-12-01", "event_type": "Running"}),
    )
    .unwrap();
    assert_eq!(e.posts(), 2);
}
