//! In-process MCP tests: rmcp's client talks to [`PacelineServer`] over a `tokio::io::duplex`
//! pipe. They use their own small tool list so every error path is exercised whatever the
//! catalogue holds; `tests/mcp.rs` runs the real catalogue through the real binary.

use std::sync::Arc;

use paceline_core::clock::Clock;
use paceline_core::sandbox::{SAMPLE_COOKIE, Sandbox, SandboxTransport};
use paceline_core::tools::args::{Date, check_range};
use paceline_core::tools::{Annotations, CATALOG, Tool, ToolContext, ToolError, TypedTool};
use paceline_core::trainingpeaks::{Api, RateLimit, TpClient, TpError};
use rmcp::model::{CallToolRequestParams, CallToolResult, ErrorCode};
use rmcp::service::{RoleClient, RunningService};
use rmcp::{ServiceError, ServiceExt};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::*;
use crate::clock::SystemClock;

/// A read-only tool with a date, an optional range end, and switches to fail in each way.
struct EchoDate;

/// Arguments of [`EchoDate`].
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct EchoDateArgs {
    /// The day, YYYY-MM-DD.
    date: Date,
    /// Optional end of a range, YYYY-MM-DD.
    end_date: Option<Date>,
    /// `"failed"`, `"input"` or `"session"`: fail that way on purpose.
    fail: Option<String>,
    /// Extra requests to make (to spend the request budget).
    requests: Option<u32>,
}

/// Output of [`EchoDate`].
#[derive(Serialize, JsonSchema)]
struct EchoDateOutput {
    /// The day, echoed.
    date: Date,
    /// The logged-in user's id, from the backend.
    user_id: Option<i64>,
}

impl TypedTool for EchoDate {
    type Args = EchoDateArgs;
    type Output = EchoDateOutput;
    const NAME: &'static str = "echo_date";
    const DESCRIPTION: &'static str = "Echoes a date (test tool).";
    const ANNOTATIONS: Annotations = Annotations::read("Echo a date");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        match args.end_date {
            Some(end) => check_range(args.date, end, "end_date"),
            None => Ok(()),
        }
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        match args.fail.as_deref() {
            Some("failed") => {
                return Err(ToolError::Failed(
                    "TrainingPeaks said no; retry later".into(),
                ));
            }
            Some("input") => {
                return Err(TpError::InvalidInput {
                    field: "date".into(),
                    message: "no such day".into(),
                }
                .into());
            }
            _ => {}
        }
        for _ in 0..args.requests.unwrap_or(0) {
            ctx.client.get_json(Api::Tp, "/users/v3/user").await?;
        }
        let user = ctx.client.user().await?;
        let user_id = user.user_id.val();
        Ok((
            format!("The day is {}.", args.date),
            EchoDateOutput {
                date: args.date,
                user_id,
            },
        ))
    }
}

/// A write tool, to check the annotations of a non-read-only tool.
struct Wipe;

/// Arguments of [`Wipe`].
#[derive(Deserialize, JsonSchema)]
struct WipeArgs {}

/// Output of [`Wipe`].
#[derive(Serialize, JsonSchema)]
struct WipeOutput {}

impl TypedTool for Wipe {
    type Args = WipeArgs;
    type Output = WipeOutput;
    const NAME: &'static str = "wipe";
    const DESCRIPTION: &'static str = "Deletes nothing (test tool).";
    const ANNOTATIONS: Annotations = Annotations::delete("Wipe");

    async fn run(&self, _: &ToolContext, _: WipeArgs) -> Result<(String, WipeOutput), ToolError> {
        Ok(("Nothing wiped.".to_string(), WipeOutput {}))
    }
}

static TEST_TOOLS: &[&dyn Tool] = &[&EchoDate, &Wipe];

struct Harness {
    client: RunningService<RoleClient, ()>,
    sandbox: Arc<Sandbox>,
}

async fn start() -> Harness {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox.clone())), clock);
    let server = PacelineServer::with_tools(ToolContext::new(Arc::new(client)), TEST_TOOLS);
    let (server_io, client_io) = tokio::io::duplex(64 * 1024);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let client = ().serve(client_io).await.expect("client initialises");
    Harness { client, sandbox }
}

async fn call(h: &Harness, name: &str, args: Value) -> Result<CallToolResult, ServiceError> {
    let mut params = CallToolRequestParams::new(name.to_string());
    if let Value::Object(map) = args {
        params = params.with_arguments(map);
    }
    h.client.call_tool(params).await
}

fn text_of(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The JSON-RPC error of a failed call, or a panic naming what came back instead.
fn rpc_error(r: Result<CallToolResult, ServiceError>) -> rmcp::ErrorData {
    match r {
        Err(ServiceError::McpError(e)) => e,
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }
}

#[tokio::test]
async fn initialize_reports_name_version_and_instructions() {
    let h = start().await;
    let info = h.client.peer_info().expect("server info after initialize");
    let server = info.server_info.as_ref().expect("server_info");
    assert_eq!(server.name, "paceline");
    assert_eq!(server.version, env!("CARGO_PKG_VERSION"));
    assert!(info.capabilities.tools.is_some(), "tools capability");
    let instructions = info.instructions.clone().unwrap_or_default();
    for needle in [
        "YYYY-MM-DD",
        "HOURS",
        "duration_seconds",
        "reps",
        "distance_meters",
        "open_duration",
        "rampUp",
        "intensity_start",
        "planned",
        "athlete_id",
    ] {
        assert!(
            instructions.contains(needle),
            "instructions should mention {needle}"
        );
    }
}

#[tokio::test]
async fn list_tools_has_schemas_and_annotations() {
    let h = start().await;
    let tools = h.client.list_all_tools().await.expect("tools/list");
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, ["echo_date", "wipe"]);
    let echo = &tools[0];
    assert_eq!(echo.title.as_deref(), Some("Echo a date"));
    assert_eq!(echo.input_schema.get("type"), Some(&json!("object")));
    assert_eq!(
        Value::Object((*echo.input_schema).clone())
            .pointer("/properties/date/format")
            .cloned(),
        Some(json!("date"))
    );
    assert_eq!(echo.input_schema.get("required"), Some(&json!(["date"])));
    let out = echo.output_schema.as_ref().expect("output schema");
    assert_eq!(out.get("type"), Some(&json!("object")));
    let a = echo.annotations.as_ref().expect("annotations");
    assert_eq!(
        (
            a.title.as_deref(),
            a.read_only_hint,
            a.destructive_hint,
            a.idempotent_hint,
            a.open_world_hint
        ),
        (
            Some("Echo a date"),
            Some(true),
            Some(false),
            Some(true),
            Some(true)
        )
    );
    let w = tools[1].annotations.as_ref().expect("annotations");
    assert_eq!(
        (w.read_only_hint, w.destructive_hint, w.idempotent_hint),
        (Some(false), Some(true), Some(true))
    );
}

#[tokio::test]
async fn success_has_text_and_structured_content() {
    let h = start().await;
    let r = call(&h, "echo_date", json!({"date": "2026-11-21"}))
        .await
        .expect("call succeeds");
    assert_eq!(r.is_error, Some(false));
    assert_eq!(text_of(&r), "The day is 2026-11-21.");
    assert_eq!(
        r.structured_content,
        Some(json!({"date": "2026-11-21", "user_id": paceline_core::sandbox::SAMPLE_ATHLETE_ID}))
    );
}

#[tokio::test]
async fn bad_calls_are_invalid_params_naming_the_field() {
    let h = start().await;
    let cases = [
        (
            "unknown tool",
            "nope",
            json!({}),
            "unknown tool `nope`",
            None,
        ),
        (
            "bad date",
            "echo_date",
            json!({"date": "21/11/2026"}),
            "date",
            Some("date"),
        ),
        ("missing date", "echo_date", json!({}), "date", Some("date")),
        (
            "wrong type",
            "echo_date",
            json!({"date": 20261121}),
            "date",
            Some("date"),
        ),
        (
            "end before start",
            "echo_date",
            json!({"date": "2026-11-21", "end_date": "2026-11-01"}),
            "before",
            Some("end_date"),
        ),
        (
            "unknown field",
            "echo_date",
            json!({"date": "2026-11-21", "colour": "red"}),
            "colour",
            Some("colour"),
        ),
        (
            "client-side invalid input",
            "echo_date",
            json!({"date": "2026-11-21", "fail": "input"}),
            "no such day",
            Some("date"),
        ),
    ];
    for (name, tool, args, needle, field) in cases {
        let e = rpc_error(call(&h, tool, args).await);
        assert_eq!(e.code, ErrorCode::INVALID_PARAMS, "{name}: {e:?}");
        assert!(
            e.message.contains(needle),
            "{name}: message {:?} should contain {needle:?}",
            e.message
        );
        let got_field = e
            .data
            .as_ref()
            .and_then(|d| d.get("field"))
            .and_then(Value::as_str);
        assert_eq!(got_field, field, "{name}: data {:?}", e.data);
    }
}

#[tokio::test]
async fn failures_are_tool_errors_a_person_can_act_on() {
    let h = start().await;
    let r = call(
        &h,
        "echo_date",
        json!({"date": "2026-11-21", "fail": "failed"}),
    )
    .await
    .expect("a result");
    assert_eq!(r.is_error, Some(true));
    assert_eq!(text_of(&r), "TrainingPeaks said no; retry later");
    assert_eq!(r.structured_content, None);

    // An expired TrainingPeaks session: the sandbox logs the browser out.
    h.sandbox.set_logged_in(SAMPLE_COOKIE, false);
    let r = call(&h, "echo_date", json!({"date": "2026-11-21"}))
        .await
        .expect("a result");
    assert_eq!(r.is_error, Some(true));
    assert!(
        text_of(&r).contains("Log in at https://app.trainingpeaks.com"),
        "{}",
        text_of(&r)
    );

    // Logged back in, the same call works again: nothing is stuck.
    h.sandbox.set_logged_in(SAMPLE_COOKIE, true);
    let r = call(&h, "echo_date", json!({"date": "2026-11-21"}))
        .await
        .expect("a result");
    assert_eq!(r.is_error, Some(false), "{}", text_of(&r));
}

#[test]
fn catalog_tools_match_catalog() {
    let listed = catalog_tools(Platform::TrainingPeaks).expect("every tool has an MCP description");
    assert_eq!(listed.len(), CATALOG.len());
    for (mcp, tool) in listed.iter().zip(CATALOG.iter()) {
        assert_eq!(mcp.name, tool.name());
        assert_eq!(mcp.title.as_deref(), Some(tool.annotations().title));
    }
    // Built once: the same allocation every time.
    assert!(Arc::ptr_eq(
        catalog_tools(Platform::TrainingPeaks).expect("cached"),
        listed
    ));
}

/// The extension's `listTools` export returns `paceline_core::tools::list_json()` (without output
/// schemas, checked against the golden file by the Node test); `tools/list`
/// answers with [`catalog_tools`]. Both must be the same JSON, key order included (the golden
/// `native-host/tools.json` is compared with the MCP side in `tests/cli.rs`).
#[test]
fn the_extension_and_mcp_list_the_same_tools() {
    let mcp = serde_json::to_string_pretty(
        &**catalog_tools(Platform::TrainingPeaks).expect("MCP descriptions"),
    )
    .expect("serialisable");
    let extension =
        serde_json::to_string_pretty(&paceline_core::tools::list_json()).expect("serialisable");
    let first_diff = mcp.lines().zip(extension.lines()).position(|(a, b)| a != b);
    assert_eq!(first_diff, None, "first differing line");
    assert_eq!(mcp, extension);
}

/// A client that records the progress notifications it receives.
#[derive(Clone, Default)]
struct ProgressRecorder(Arc<std::sync::Mutex<Vec<rmcp::model::ProgressNotificationParam>>>);

impl rmcp::ClientHandler for ProgressRecorder {
    async fn on_progress(
        &self,
        params: rmcp::model::ProgressNotificationParam,
        _: rmcp::service::NotificationContext<RoleClient>,
    ) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(params);
    }
}

impl ProgressRecorder {
    /// The notifications `keep` selects, once at least `n` have arrived or after half a
    /// second: they may come just after the result.
    async fn wait_for(
        &self,
        n: usize,
        keep: impl Fn(&rmcp::model::ProgressNotificationParam) -> bool,
    ) -> Vec<rmcp::model::ProgressNotificationParam> {
        let mut got = Vec::new();
        for _ in 0..50 {
            got = self
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .filter(|p| keep(p))
                .cloned()
                .collect();
            if got.len() >= n {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        got
    }
}

/// A `tools/call` of `tool` with `args` (an object) and progress token `token`.
fn call_with_progress(tool: &'static str, args: Value, token: i64) -> CallToolRequestParams {
    let mut params = CallToolRequestParams::new(tool)
        .with_arguments(args.as_object().cloned().unwrap_or_default());
    let mut meta = rmcp::model::RequestMetaObject::default();
    meta.set_progress_token(rmcp::model::ProgressToken(
        rmcp::model::NumberOrString::Number(token),
    ));
    params.meta = Some(meta);
    params
}

/// The messages of `notifications`, in order.
fn messages_of(notifications: &[rmcp::model::ProgressNotificationParam]) -> Vec<String> {
    notifications
        .iter()
        .filter_map(|p| p.message.clone())
        .collect()
}

#[tokio::test]
async fn waits_for_the_request_budget_become_progress_notifications() {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    // One request per 150 ms: the tool's second request waits about that long, for real.
    let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock).with_rate_limit(
        Some(RateLimit {
            max_requests: 1,
            per: std::time::Duration::from_millis(150),
        }),
    );
    let server = PacelineServer::with_tools(ToolContext::new(Arc::new(client)), TEST_TOOLS);
    let (server_io, client_io) = tokio::io::duplex(64 * 1024);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let recorder = ProgressRecorder::default();
    let client = recorder.clone().serve(client_io).await.expect("client");
    let args = json!({"date": "2026-03-01", "requests": 2});
    // (rmcp's client attaches a progress token to every request, so the no-token path, which
    // only skips the forwarding, is not reachable from it.)
    let params = call_with_progress("echo_date", args, 7);
    let result = client.call_tool(params).await.expect("call");
    assert_ne!(result.is_error, Some(true), "{}", text_of(&result));
    let got = recorder.wait_for(1, |_| true).await;
    assert!(!got.is_empty(), "no progress notification");
    let first = &got[0];
    // rmcp's client puts its own token on the request; every notification must carry it.
    assert!(got.iter().all(|p| p.progress_token == first.progress_token));
    assert_eq!(first.progress, 1.0);
    let message = first.message.clone().unwrap_or_default();
    assert!(message.contains("request budget"), "{message}");
    for pair in got.windows(2) {
        assert!(pair[1].progress > pair[0].progress, "progress increases");
    }
}

/// A call that fetches many date windows reports each one as a progress notification, with
/// how many of how many are done.
#[tokio::test]
async fn date_windows_fetched_become_progress_notifications() {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock);
    let server = PacelineServer::with_tools(
        ToolContext::new(Arc::new(client)),
        paceline_core::tools::CATALOG,
    );
    let (server_io, client_io) = tokio::io::duplex(256 * 1024);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let recorder = ProgressRecorder::default();
    let client = recorder.clone().serve(client_io).await.expect("client");
    // 365 days: five windows of at most 90 days.
    let params = call_with_progress(
        "get_workouts",
        json!({"start_date": "2025-12-07", "end_date": "2026-12-06"}),
        9,
    );
    let result = client.call_tool(params).await.expect("call");
    assert_ne!(result.is_error, Some(true), "{}", text_of(&result));
    let got = recorder.wait_for(5, |_| true).await;
    assert_eq!(
        messages_of(&got),
        (1..=5)
            .map(|n| format!("{n} of 5 date windows fetched"))
            .collect::<Vec<_>>()
    );
    for pair in got.windows(2) {
        assert!(pair[1].progress > pair[0].progress, "progress increases");
    }
}

/// A season tool reports each workout whose device file it has read.
#[tokio::test]
async fn season_analyses_report_each_workout_read() {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock.clone());
    let server = PacelineServer::with_tools(
        ToolContext::new(Arc::new(client)),
        paceline_core::tools::CATALOG,
    );
    let (server_io, client_io) = tokio::io::duplex(256 * 1024);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let recorder = ProgressRecorder::default();
    let client = recorder.clone().serve(client_io).await.expect("client");
    let today = clock.today();
    let args = json!({
        "start_date": (today - chrono::Days::new(28)).to_string(),
        "end_date": today.to_string(),
        "max_workouts": 2,
    });
    let params = call_with_progress("get_power_curve", args, 11);
    let result = client.call_tool(params).await.expect("call");
    assert_ne!(result.is_error, Some(true), "{}", text_of(&result));
    let got = recorder.wait_for(2, |p| p.message.is_some()).await;
    assert_eq!(
        messages_of(&got),
        vec![
            "1 of 2 workouts' device files read".to_string(),
            "2 of 2 workouts' device files read".to_string()
        ]
    );
}

/// An Intervals.icu season tool reports each activity whose streams it has read, as the
/// TrainingPeaks ones report workouts: the Intervals.icu client passes steps to the same
/// observer.
#[tokio::test]
async fn intervals_season_analyses_report_each_activity_read() {
    use paceline_core::intervals::{IcuClient, IcuConfig};
    use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock.clone());
    let icu_sandbox = Arc::new(IcuSandbox::new(clock.clone()));
    let icu = IcuClient::new(
        Arc::new(IcuSandboxTransport::new(icu_sandbox)),
        clock.clone(),
        IcuConfig::default(),
    );
    let server = PacelineServer::with_tools(
        ToolContext::new(Arc::new(client)).with_icu(Arc::new(icu)),
        paceline_core::tools::intervals::CATALOG,
    );
    let (server_io, client_io) = tokio::io::duplex(256 * 1024);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let recorder = ProgressRecorder::default();
    let client = recorder.clone().serve(client_io).await.expect("client");
    let today = clock.today();
    for (tool, n) in [("get_power_curve", 2), ("get_training_distribution", 3)] {
        recorder.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let args = json!({
            "start_date": (today - chrono::Days::new(28)).to_string(),
            "end_date": today.to_string(),
            "max_activities": n,
        });
        let params = call_with_progress(tool, args, 13);
        let result = client.call_tool(params).await.expect("call");
        assert_ne!(result.is_error, Some(true), "{}", text_of(&result));
        // Waits for Intervals.icu's budget (8 a second) may come in between.
        let got = recorder
            .wait_for(n, |p| {
                p.message
                    .as_deref()
                    .is_some_and(|m| !m.starts_with("waiting "))
            })
            .await;
        assert_eq!(
            messages_of(&got),
            (1..=n)
                .map(|k| format!("{k} of {n} activities' streams read"))
                .collect::<Vec<_>>(),
            "{tool}"
        );
    }
}
