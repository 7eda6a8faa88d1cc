//! `--read-only`, `--allow-writes` and confirmation through MCP elicitation, through the built
//! binary driven by rmcp clients: one that cannot ask the person, and one that can (and
//! answers accept, decline or cancel on the person's behalf).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::sync::{Arc, Mutex};

use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientCapabilities, ClientConfig, ElicitRequestParams,
    ElicitResult, ElicitationAction, ElicitationCapability, FormElicitationCapability,
    Implementation,
};
use rmcp::service::{RequestContext, RoleClient, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ClientHandler, ErrorData, ServiceExt};
use serde_json::{Value, json};

/// A client that supports form elicitation and answers every question with `answer`,
/// recording the questions it was asked.
#[derive(Clone)]
struct Person {
    answer: ElicitationAction,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Person {
    fn answering(answer: ElicitationAction) -> Self {
        Self {
            answer,
            asked: Arc::default(),
        }
    }

    fn questions(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl ClientHandler for Person {
    fn get_info(&self) -> ClientConfig {
        let mut caps = ClientCapabilities::default();
        caps.elicitation =
            Some(ElicitationCapability::new().with_form(FormElicitationCapability::new()));
        ClientConfig::new(caps, Implementation::new("test-person", "0"))
    }

    async fn create_elicitation(
        &self,
        request: ElicitRequestParams,
        _context: RequestContext<RoleClient>,
    ) -> Result<ElicitResult, ErrorData> {
        if let ElicitRequestParams::FormElicitationParams { message, .. } = request {
            self.asked.lock().unwrap().push(message);
        }
        Ok(ElicitResult::new(self.answer.clone()))
    }
}

fn command(flags: &[&str]) -> tokio::process::Command {
    let flags: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
    tokio::process::Command::new(env!("CARGO_BIN_EXE_paceline")).configure(move |c| {
        c.arg("mcp").args(&flags);
    })
}

async fn start_plain(flags: &[&str]) -> RunningService<RoleClient, ()> {
    let t = TokioChildProcess::new(command(flags)).expect("spawn paceline mcp");
    ().serve(t).await.expect("initialize")
}

async fn start_person(flags: &[&str], person: Person) -> RunningService<RoleClient, Person> {
    let t = TokioChildProcess::new(command(flags)).expect("spawn paceline mcp");
    person.serve(t).await.expect("initialize")
}

async fn call<S: rmcp::service::Service<RoleClient>>(
    client: &RunningService<RoleClient, S>,
    name: &str,
    args: Value,
) -> CallToolResult {
    let Value::Object(map) = args else {
        panic!("arguments must be an object")
    };
    client
        .call_tool(CallToolRequestParams::new(name.to_string()).with_arguments(map))
        .await
        .unwrap_or_else(|e| panic!("{name}: expected a result, got {e}"))
}

fn text_of(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether the sandbox now has a library of that name (the read goes through the same gate,
/// which never stops a read-only tool).
async fn has_library<S: rmcp::service::Service<RoleClient>>(
    client: &RunningService<RoleClient, S>,
    name: &str,
) -> bool {
    let r = call(client, "get_libraries", json!({})).await;
    assert_eq!(r.is_error, Some(false), "{}", text_of(&r));
    r.structured_content
        .unwrap_or_default()
        .to_string()
        .contains(name)
}

#[tokio::test]
async fn read_only_refuses_a_write_and_still_reads() {
    let client = start_plain(&["--sandbox", "--read-only"]).await;
    let r = call(
        &client,
        "create_library",
        json!({"name": "Refused library"}),
    )
    .await;
    assert_eq!(r.is_error, Some(true), "{}", text_of(&r));
    let text = text_of(&r);
    assert!(
        text.contains("--read-only") && text.contains("create_library"),
        "{text}"
    );
    assert!(!has_library(&client, "Refused library").await);
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn a_client_that_cannot_ask_gets_a_refusal_saying_how_to_allow() {
    let client = start_plain(&["--sandbox"]).await;
    for (tool, args) in [
        ("create_library", json!({"name": "Unconfirmed library"})),
        ("delete_workout", json!({"workout_id": 1})),
    ] {
        let r = call(&client, tool, args).await;
        assert_eq!(r.is_error, Some(true), "{tool}: {}", text_of(&r));
        let text = text_of(&r);
        assert!(
            text.contains("--allow-writes") && text.contains("elicitation"),
            "{tool}: {text}"
        );
    }
    assert!(!has_library(&client, "Unconfirmed library").await);
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn an_accepted_confirmation_writes() {
    let person = Person::answering(ElicitationAction::Accept);
    let client = start_person(&["--sandbox"], person.clone()).await;
    let r = call(
        &client,
        "create_library",
        json!({"name": "Confirmed library"}),
    )
    .await;
    assert_eq!(r.is_error, Some(false), "{}", text_of(&r));
    assert!(has_library(&client, "Confirmed library").await);
    let asked = person.questions();
    assert_eq!(asked.len(), 1, "asked once, for the write only: {asked:?}");
    assert!(
        asked[0].contains("create_library") && asked[0].contains("name: Confirmed library"),
        "{}",
        asked[0]
    );
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn a_declined_or_dismissed_confirmation_writes_nothing() {
    for (answer, says) in [
        (ElicitationAction::Decline, "declined"),
        (ElicitationAction::Cancel, "dismissed"),
    ] {
        let person = Person::answering(answer.clone());
        let client = start_person(&["--sandbox"], person.clone()).await;
        let r = call(
            &client,
            "create_library",
            json!({"name": "Declined library"}),
        )
        .await;
        assert_eq!(r.is_error, Some(true), "{answer:?}: {}", text_of(&r));
        assert!(text_of(&r).contains(says), "{answer:?}: {}", text_of(&r));
        assert!(
            !has_library(&client, "Declined library").await,
            "{answer:?}"
        );
        assert_eq!(person.questions().len(), 1, "{answer:?}");
        client.cancel().await.expect("clean shutdown");
    }
}

/// A dry run can only read (core runs it on a context whose clients refuse every request but a
/// GET), so it is neither asked about nor refused by --read-only; the same call without
/// `dry_run` still is.
#[tokio::test]
async fn a_dry_run_is_not_asked_about_and_passes_read_only() {
    for flags in [
        &["--sandbox", "--platform", "intervals"][..],
        &["--sandbox", "--platform", "intervals", "--read-only"][..],
    ] {
        let person = Person::answering(ElicitationAction::Decline);
        let client = start_person(flags, person.clone()).await;
        let events = call(&client, "get_events", json!({})).await;
        let id = events
            .structured_content
            .as_ref()
            .and_then(|v| v["events"].as_array()?.first()?["id"].as_i64())
            .unwrap_or_else(|| panic!("{flags:?}: no event: {}", text_of(&events)));
        let dry = call(
            &client,
            "delete_event",
            json!({"event_id": id, "dry_run": true}),
        )
        .await;
        assert_eq!(dry.is_error, Some(false), "{flags:?}: {}", text_of(&dry));
        assert!(
            text_of(&dry).starts_with("Dry run: nothing was sent."),
            "{flags:?}: {}",
            text_of(&dry)
        );
        assert_eq!(person.questions(), Vec::<String>::new(), "{flags:?}");
        let real = call(&client, "delete_event", json!({"event_id": id})).await;
        assert_eq!(real.is_error, Some(true), "{flags:?}: {}", text_of(&real));
        let still = call(&client, "get_event_by_id", json!({"event_id": id})).await;
        assert_eq!(
            still.is_error,
            Some(false),
            "{flags:?}: {}",
            text_of(&still)
        );
        client.cancel().await.expect("clean shutdown");
    }
}

#[tokio::test]
async fn allow_writes_runs_without_asking() {
    let person = Person::answering(ElicitationAction::Decline);
    let client = start_person(&["--sandbox", "--allow-writes"], person.clone()).await;
    let r = call(
        &client,
        "create_library",
        json!({"name": "Allowed library"}),
    )
    .await;
    assert_eq!(r.is_error, Some(false), "{}", text_of(&r));
    assert!(has_library(&client, "Allowed library").await);
    assert!(person.questions().is_empty(), "{:?}", person.questions());
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn bad_arguments_are_refused_before_the_person_is_asked() {
    let person = Person::answering(ElicitationAction::Accept);
    let client = start_person(&["--sandbox"], person.clone()).await;
    let e = client
        .call_tool(
            CallToolRequestParams::new("create_note")
                .with_arguments(json!({"date": "2026-02-30"}).as_object().unwrap().clone()),
        )
        .await
        .expect_err("a bad date is a JSON-RPC error");
    assert!(e.to_string().contains("date"), "{e}");
    assert!(person.questions().is_empty(), "{:?}", person.questions());
    client.cancel().await.expect("clean shutdown");
}

#[test]
fn allow_writes_with_the_browser_backend_is_refused_at_start() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_paceline"))
        .args(["mcp", "--allow-writes"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run paceline");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--sandbox and --direct"), "{err}");
}
