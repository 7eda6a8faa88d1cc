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

/// A 2026-07-28 client that declares form elicitation and would accept every question.
#[derive(Clone)]
struct ModernPerson;

impl ClientHandler for ModernPerson {
    fn get_info(&self) -> ClientConfig {
        let mut caps = ClientCapabilities::default();
        caps.elicitation = Some(
            rmcp::model::ElicitationCapability::new()
                .with_form(rmcp::model::FormElicitationCapability::new()),
        );
        ClientConfig::new(caps, Implementation::new("revision-test", "0"))
            .with_protocol_version(ProtocolVersion::V_2026_07_28)
    }

    async fn create_elicitation(
        &self,
        _request: rmcp::model::ElicitRequestParams,
        _context: rmcp::service::RequestContext<RoleClient>,
    ) -> Result<rmcp::model::ElicitResult, rmcp::ErrorData> {
        Ok(rmcp::model::ElicitResult::new(
            rmcp::model::ElicitationAction::Accept,
        ))
    }
}

#[tokio::test]
async fn on_2026_07_28_an_unconfirmable_write_is_refused_not_run() {
    // 2026-07-28 forbids server-to-client requests, so the confirmation question cannot be
    // sent; the write must then be refused with the way out, never run unasked.
    let lifecycle = ClientLifecycleMode::Discover {
        preferred_versions: vec![ProtocolVersion::V_2026_07_28],
    };
    let client = ModernPerson
        .serve_with_lifecycle(transport(), lifecycle)
        .await
        .expect("server/discover");
    assert_eq!(negotiated(&client), "2026-07-28");
    let args = serde_json::json!({"name": "Modern library"});
    let serde_json::Value::Object(args) = args else {
        unreachable!()
    };
    let r = client
        .call_tool(CallToolRequestParams::new("create_library").with_arguments(args))
        .await
        .expect("a tool result");
    let text: String = r
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect();
    assert_eq!(r.is_error, Some(true), "{text}");
    assert!(
        text.contains("--allow-writes") && text.contains("not"),
        "{text}"
    );
    let libs = client
        .call_tool(CallToolRequestParams::new("get_libraries"))
        .await
        .expect("get_libraries");
    let listed = serde_json::to_string(&libs.structured_content).expect("json");
    assert!(!listed.contains("Modern library"), "{listed}");
    client.cancel().await.expect("clean shutdown");
}
