//! Which MCP protocol revisions `paceline mcp` negotiates, through rmcp's own client driving the
//! built binary: each revision that has an `initialize` handshake is echoed back, a client that
//! asks for a newer one over `initialize` is answered with the newest handshake revision, and a
//! 2026-07-28 client (no handshake: `server/discover`, then metadata on every request) gets
//! 2026-07-28. Clients in the field speak all of these (Claude Code still sent a 2025-11-25
//! `initialize` in late 2026), so every one must list and call tools.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use rmcp::model::{
    CallToolRequestParams, ClientCapabilities, ClientConfig, Implementation, ProtocolVersion,
};
use rmcp::service::{ClientLifecycleMode, ClientServiceExt, RoleClient, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ClientHandler, ServiceExt};

/// A client that offers one protocol revision in its `initialize` request.
#[derive(Clone)]
struct Speaks(ProtocolVersion);

impl ClientHandler for Speaks {
    fn get_info(&self) -> ClientConfig {
        ClientConfig::new(
            ClientCapabilities::default(),
            Implementation::new("revision-test", "0"),
        )
        .with_protocol_version(self.0.clone())
    }
}

fn transport() -> TokioChildProcess {
    let cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_paceline")).configure(|c| {
        c.arg("mcp").arg("--sandbox");
    });
    TokioChildProcess::new(cmd).expect("spawn paceline mcp --sandbox")
}

/// The revision the server settled on, as the client recorded it.
fn negotiated<S: rmcp::service::Service<RoleClient>>(
    client: &RunningService<RoleClient, S>,
) -> String {
    let info = client.peer_info().expect("the server's answer");
    info.protocol_version.to_string()
}

/// The session works under the negotiated revision: the catalogue lists, a tool runs, and the
/// server still says who it is.
async fn works<S: rmcp::service::Service<RoleClient>>(
    client: &RunningService<RoleClient, S>,
    revision: &str,
) {
    let info = client.peer_info().expect("the server's answer");
    let server = info.server_info.as_ref().expect("server info");
    assert_eq!(server.name, "paceline", "{revision}");
    let tools = client.list_all_tools().await.expect("tools/list");
    assert!(
        tools.iter().any(|t| t.name == "get_athlete_profile"),
        "{revision}: tools/list lacks get_athlete_profile"
    );
    let r = client
        .call_tool(CallToolRequestParams::new("get_athlete_profile"))
        .await
        .unwrap_or_else(|e| panic!("{revision}: tools/call failed: {e}"));
    assert_eq!(r.is_error, Some(false), "{revision}: {r:?}");
    assert!(
        r.structured_content.is_some(),
        "{revision}: no structuredContent"
    );
}

#[tokio::test]
async fn every_initialize_revision_is_echoed_and_works() {
    // 2024-11-05 is the first revision and the one older SDKs still default to; 2025-06-18
    // brought structured output; 2025-11-25 is the newest with a handshake.
    for revision in [
        ProtocolVersion::V_2024_11_05,
        ProtocolVersion::V_2025_03_26,
        ProtocolVersion::V_2025_06_18,
        ProtocolVersion::V_2025_11_25,
    ] {
        let want = revision.to_string();
        let client = Speaks(revision)
            .serve(transport())
            .await
            .expect("initialize");
        assert_eq!(negotiated(&client), want);
        works(&client, &want).await;
        client.cancel().await.expect("clean shutdown");
    }
}

#[tokio::test]
async fn initialize_asking_for_a_newer_revision_gets_the_newest_handshake() {
    // 2026-07-28 has no `initialize`, and 2099-01-01 does not exist: a client offering either
    // over `initialize` is answered with 2025-11-25, which it may accept or hang up on.
    for asked in [
        ProtocolVersion::V_2026_07_28,
        serde_json::from_str::<ProtocolVersion>("\"2099-01-01\"").expect("a version string"),
    ] {
        let client = Speaks(asked.clone())
            .serve(transport())
            .await
            .expect("initialize");
        assert_eq!(negotiated(&client), "2025-11-25", "asked for {asked}");
        works(&client, "2025-11-25").await;
        client.cancel().await.expect("clean shutdown");
    }
}

#[tokio::test]
async fn discover_negotiates_2026_07_28() {
    let lifecycle = ClientLifecycleMode::Discover {
        preferred_versions: vec![ProtocolVersion::V_2026_07_28],
    };
    let client = Speaks(ProtocolVersion::V_2026_07_28)
        .serve_with_lifecycle(transport(), lifecycle)
        .await
        .expect("server/discover");
    assert_eq!(negotiated(&client), "2026-07-28");
    assert_eq!(ProtocolVersion::LATEST.to_string(), "2026-07-28");
    works(&client, "2026-07-28").await;
    client.cancel().await.expect("clean shutdown");
}

/// A 2026-07-28 client; `answer` is what the person says to every question (`None`: the
/// client declares no elicitation at all).
#[derive(Clone)]
struct ModernPerson {
    answer: Option<rmcp::model::ElicitationAction>,
    asked: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl ModernPerson {
    fn answering(answer: Option<rmcp::model::ElicitationAction>) -> Self {
        Self {
            answer,
            asked: Default::default(),
        }
    }
}

impl ClientHandler for ModernPerson {
    fn get_info(&self) -> ClientConfig {
        let mut caps = ClientCapabilities::default();
        if self.answer.is_some() {
            caps.elicitation = Some(
                rmcp::model::ElicitationCapability::new()
                    .with_form(rmcp::model::FormElicitationCapability::new()),
            );
        }
        ClientConfig::new(caps, Implementation::new("revision-test", "0"))
            .with_protocol_version(ProtocolVersion::V_2026_07_28)
    }

    async fn create_elicitation(
        &self,
        request: rmcp::model::ElicitRequestParams,
        _context: rmcp::service::RequestContext<RoleClient>,
    ) -> Result<rmcp::model::ElicitResult, rmcp::ErrorData> {
        if let rmcp::model::ElicitRequestParams::FormElicitationParams { message, .. } = &request {
            self.asked.lock().unwrap().push(message.clone());
        }
        let action = self
            .answer
            .clone()
            .unwrap_or(rmcp::model::ElicitationAction::Cancel);
        Ok(rmcp::model::ElicitResult::new(action))
    }
}

async fn modern(person: ModernPerson) -> RunningService<RoleClient, ModernPerson> {
    let lifecycle = ClientLifecycleMode::Discover {
        preferred_versions: vec![ProtocolVersion::V_2026_07_28],
    };
    let client = person
        .serve_with_lifecycle(transport(), lifecycle)
        .await
        .expect("server/discover");
    assert_eq!(negotiated(&client), "2026-07-28");
    client
}

fn object(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

fn text_of(r: &rmcp::model::CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

async fn library_names<S: rmcp::service::Service<RoleClient>>(
    client: &RunningService<RoleClient, S>,
) -> String {
    let libs = client
        .call_tool(CallToolRequestParams::new("get_libraries"))
        .await
        .expect("get_libraries");
    serde_json::to_string(&libs.structured_content).expect("json")
}

#[tokio::test]
async fn on_2026_07_28_a_write_is_confirmed_through_input_required() {
    // 2026-07-28 forbids server-to-client requests: the question travels as an
    // `input_required` result, rmcp's client asks its handler and calls again with the answer.
    let person = ModernPerson::answering(Some(rmcp::model::ElicitationAction::Accept));
    let asked = person.asked.clone();
    let client = modern(person).await;
    let args = object(serde_json::json!({"name": "Modern library"}));
    let r = client
        .call_tool(CallToolRequestParams::new("create_library").with_arguments(args))
        .await
        .expect("a tool result");
    assert_eq!(r.is_error, Some(false), "{}", text_of(&r));
    let asked = asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0].contains("create_library") && asked[0].contains("Modern library"),
        "{asked:?}"
    );
    assert!(library_names(&client).await.contains("Modern library"));
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn on_2026_07_28_a_declined_or_dismissed_write_is_not_run() {
    for (answer, word) in [
        (rmcp::model::ElicitationAction::Decline, "declined"),
        (rmcp::model::ElicitationAction::Cancel, "dismissed"),
    ] {
        let client = modern(ModernPerson::answering(Some(answer))).await;
        let name = format!("Unwanted {word}");
        let args = object(serde_json::json!({ "name": name }));
        let r = client
            .call_tool(CallToolRequestParams::new("create_library").with_arguments(args))
            .await
            .expect("a tool result");
        let text = text_of(&r);
        assert_eq!(r.is_error, Some(true), "{text}");
        assert!(
            text.contains(word) && text.contains("Nothing was changed"),
            "{text}"
        );
        assert!(!library_names(&client).await.contains(&name));
        client.cancel().await.expect("clean shutdown");
    }
}

#[tokio::test]
async fn on_2026_07_28_a_client_without_elicitation_is_refused_with_the_way_out() {
    let client = modern(ModernPerson::answering(None)).await;
    let args = object(serde_json::json!({"name": "Unasked library"}));
    let r = client
        .call_tool(CallToolRequestParams::new("create_library").with_arguments(args))
        .await
        .expect("a tool result");
    let text = text_of(&r);
    assert_eq!(r.is_error, Some(true), "{text}");
    assert!(
        text.contains("--allow-writes") && text.contains("elicitation"),
        "{text}"
    );
    assert!(!library_names(&client).await.contains("Unasked library"));
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn on_2026_07_28_an_approval_counts_once_and_only_for_its_call() {
    use rmcp::model::{CallToolResponse, InputResponses};
    let client = modern(ModernPerson::answering(Some(
        rmcp::model::ElicitationAction::Accept,
    )))
    .await;
    let call = |name: &str, responses: Option<InputResponses>, state: Option<String>| {
        let mut p = CallToolRequestParams::new("create_library")
            .with_arguments(object(serde_json::json!({ "name": name })));
        p.input_responses = responses;
        p.request_state = state;
        p
    };
    let mut accept = InputResponses::new();
    accept.insert("confirm".into(), serde_json::json!({"action": "accept"}));
    let refused = |r: CallToolResponse, why: &str| match r {
        CallToolResponse::Complete(r) => {
            let text = text_of(&r);
            assert_eq!(r.is_error, Some(true), "{why}: {text}");
            assert!(text.contains("Nothing was changed"), "{why}: {text}");
        }
        other => panic!("{why}: expected a refusal, got {other:?}"),
    };
    let state_of = |r: CallToolResponse| match r {
        CallToolResponse::InputRequired(r) => r.request_state.expect("a request state"),
        other => panic!("expected input_required, got {other:?}"),
    };

    // An "accept" sent without being asked, or with a state the server never made, is not
    // an approval: the first asks, the second is refused.
    let first = client
        .call_tool_once(call("Forged", Some(accept.clone()), None))
        .await
        .expect("answer");
    let _ = state_of(first);
    let forged = client
        .call_tool_once(call("Forged", Some(accept.clone()), Some("0".repeat(32))))
        .await
        .expect("answer");
    refused(forged, "forged state");

    // An approval spent on other arguments is refused (and used up).
    let state = state_of(
        client
            .call_tool_once(call("Asked about", None, None))
            .await
            .expect("answer"),
    );
    let swapped = client
        .call_tool_once(call("Something else", Some(accept.clone()), Some(state)))
        .await
        .expect("answer");
    refused(swapped, "other arguments");

    // The right call runs once; replaying its approval does not run it again.
    let state = state_of(
        client
            .call_tool_once(call("Asked about", None, None))
            .await
            .expect("answer"),
    );
    let ran = client
        .call_tool_once(call(
            "Asked about",
            Some(accept.clone()),
            Some(state.clone()),
        ))
        .await
        .expect("answer");
    match ran {
        CallToolResponse::Complete(r) => assert_eq!(r.is_error, Some(false), "{}", text_of(&r)),
        other => panic!("expected the write to run, got {other:?}"),
    }
    let replay = client
        .call_tool_once(call("Asked about", Some(accept), Some(state)))
        .await
        .expect("answer");
    refused(replay, "replayed approval");

    let names = library_names(&client).await;
    assert_eq!(names.matches("Asked about").count(), 1, "{names}");
    assert!(
        !names.contains("Forged") && !names.contains("Something else"),
        "{names}"
    );
    client.cancel().await.expect("clean shutdown");
}
