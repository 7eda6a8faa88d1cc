//! `paceline mcp`: the MCP stdio server.
//!
//! The handler is written by hand (no `#[tool]` macros) because the tools are not methods of
//! this crate: they are the static [`CATALOG`] in `paceline-core`, which the browser extension
//! also runs. `tools/list` is answered from that list, converted once and cached, so it is
//! instant and identical whatever the backend; `tools/call` validates the arguments and then
//! runs the tool through the backend's [`Runner`]: in process, or relayed to the browser.
//!
//! Error mapping (MCP convention): a request the server cannot route (unknown tool, arguments
//! that do not fit the schema) is a JSON-RPC `invalid_params` error naming the field; a tool
//! that ran and failed is a normal result with `isError: true` and a message a person can act on.

use std::sync::{Arc, OnceLock};

use paceline_core::tools::{CATALOG, Tool, ToolError, ToolOutput, describe};
use paceline_core::trainingpeaks::RateWait;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ElicitRequestParams,
    ElicitationAction, ElicitationSchema, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ProgressNotificationParam, ProgressToken, ServerCapabilities,
    ServerConfig, Tool as McpTool,
};
use rmcp::service::{ElicitationMode, Peer, RequestContext};
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Value, json};

use crate::backend::{Backend, Runner, WaitForward};
use crate::safety::{self, Gate, SafetyArgs, WritePolicy};

/// What the model is told at `initialize`: the conventions every tool shares. Tool-specific
/// details (which unit each field uses) are in each tool's description and schema.
pub const INSTRUCTIONS: &str = "\
Paceline gives you the athlete's TrainingPeaks calendar: workouts (planned and completed), \
fitness (CTL/ATL/TSB), zones, events, notes, metrics, equipment and workout libraries.

Conventions shared by every tool:
- Dates are YYYY-MM-DD (e.g. 2026-11-21), in the athlete's calendar. Ranges are inclusive; the \
end date must not be before the start date.
- Units: each field says its unit in its name or description. Durations are in HOURS where a \
field says hours (e.g. duration_hours: 1.5 = 1 h 30 min), in minutes or seconds where it says so \
(workout structure steps use duration_seconds). Distances are metres, speeds m/s, power watts, \
heart rate bpm, weight kg unless a field says otherwise. Always convert before calling.
- Intensities in workout structures are a percentage of the athlete's threshold (FTP for power, \
threshold HR, or threshold pace), e.g. 88-94 for sweet spot.
- Planned and actual values are reported side by side (e.g. tss_planned and tss_actual, \
duration_planned and duration_actual); a completed workout has actuals, a future one only plans. \
Never treat a missing actual as zero.
- Coaches: call list_athletes, then pass athlete_id to any athlete-scoped tool. Without \
athlete_id a tool acts on the logged-in user's own athlete.
- Ids (workout_id, event_id, ...) come from the list tools (get_workouts, get_events, ...); \
do not guess them.

Writing a workout structure (the `structure` argument; a JSON object, or the same as a string):
{\"primaryIntensityMetric\": \"percentOfFtp\" | \"percentOfThresholdHr\" | \"percentOfThresholdPace\", \
\"steps\": [...]}
- A step: {\"name\": \"Warm up\", \"duration_seconds\": 600, \"intensity_min\": 50, \
\"intensity_max\": 65, \"intensityClass\": \"warmUp\"}; intensityClass is warmUp, active, rest, \
coolDown or other. Optional cadence_min / cadence_max (rpm).
- Run and swim steps may be by distance instead of time: \"distance_meters\": 400 in place of \
duration_seconds. A workout is either all time-based or all distance-based (write a swim rest as \
a short easy distance).
- An open step that lasts until the lap button is pressed: \"open_duration\": true, with \
duration_seconds or distance_meters as its planned estimate.
- A repetition: {\"type\": \"repetition\", \"reps\": 5, \"steps\": [work step, recovery step]}; \
it holds plain steps only (no nesting). For several sets, alternate repetitions with single \
rest steps.
- A ramp (gradual change of intensity): {\"type\": \"rampUp\" or \"rampDown\", \
\"duration_seconds\": 600, \"intensity_start\": 50, \"intensity_end\": 75} with optional \
\"steps_count\" (2-30); TrainingPeaks stores it as a staircase of equal sub-steps.
Use validate_workout_structure to check a structure (and see its duration and TSS) before \
creating the workout.

Errors: an error about an argument names the field; fix that field and retry. A tool result \
marked as an error explains what the person must do (for example log in to TrainingPeaks again).";

/// Converts one catalogue tool to its MCP description: core's [`describe`] entry (the JSON the
/// extension's `listTools` export returns too) read into rmcp's type, so the browser and the
/// MCP client are told the same thing. It fails only if core's entry stops fitting the MCP
/// shape (a schema that is not an object, say), which the tests would catch first.
pub fn to_mcp_tool(tool: &dyn Tool) -> Result<McpTool, serde_json::Error> {
    serde_json::from_value(describe(tool))
}

/// The MCP descriptions of the whole [`CATALOG`], built on first use and cached for the
/// process (schemas are generated by schemars, which is not free). The error says which tool
/// could not be described.
pub fn catalog_tools() -> Result<&'static Arc<[McpTool]>, &'static str> {
    static TOOLS: OnceLock<Result<Arc<[McpTool]>, String>> = OnceLock::new();
    TOOLS
        .get_or_init(|| {
            CATALOG
                .iter()
                .map(|t| {
                    to_mcp_tool(*t)
                        .map_err(|e| format!("tool {} has no MCP description: {e}", t.name()))
                })
                .collect()
        })
        .as_ref()
        .map_err(String::as_str)
}

/// The `tools` array of a `tools/list` result, as JSON (what `paceline tools --json` prints
/// and `native-host/tools.json` holds).
pub fn catalog_json() -> anyhow::Result<String> {
    let tools = catalog_tools().map_err(anyhow::Error::msg)?;
    Ok(serde_json::to_string_pretty(&**tools)?)
}

/// The MCP server: a tool list and a context to run tools in.
pub struct PacelineServer {
    runner: Runner,
    /// What happens to calls of tools that change something (see [`crate::safety`]).
    policy: WritePolicy,
    tools: &'static [&'static dyn Tool],
    /// `None` for the catalogue: [`catalog_tools`] is built lazily (schema generation takes
    /// milliseconds that `initialize` should not wait for).
    listed: Option<Arc<[McpTool]>>,
    info: ServerConfig,
}

impl std::fmt::Debug for PacelineServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PacelineServer")
            .field("tools", &self.tools.len())
            .finish_non_exhaustive()
    }
}

impl PacelineServer {
    /// A server for the full catalogue. The MCP tool list is built on a background thread
    /// right away, so it is ready by the time `tools/list` follows `initialize`.
    pub fn new(runner: Runner, policy: WritePolicy) -> Self {
        std::thread::spawn(|| {
            // `tools/list` answers with the same error; logged here too so it shows at start.
            if let Err(e) = catalog_tools() {
                tracing::error!("{e}");
            }
        });
        Self::build(runner, policy, CATALOG, None)
    }

    /// A server for another tool list (tests).
    #[cfg(test)]
    pub fn with_tools(
        ctx: paceline_core::tools::ToolContext,
        tools: &'static [&'static dyn Tool],
    ) -> Self {
        let listed = tools
            .iter()
            .map(|t| to_mcp_tool(*t))
            .collect::<Result<_, _>>()
            .expect("the test tools have MCP descriptions");
        Self::build(
            Runner::Local(crate::backend::LazyContext::ready(ctx)),
            WritePolicy::Allow,
            tools,
            Some(listed),
        )
    }

    fn build(
        runner: Runner,
        policy: WritePolicy,
        tools: &'static [&'static dyn Tool],
        listed: Option<Arc<[McpTool]>>,
    ) -> Self {
        let info = ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new("paceline", env!("CARGO_PKG_VERSION")).with_title("Paceline"),
            )
            .with_instructions(INSTRUCTIONS);
        Self {
            runner,
            policy,
            tools,
            listed,
            info,
        }
    }

    fn listed(&self) -> Result<&Arc<[McpTool]>, &'static str> {
        match &self.listed {
            Some(listed) => Ok(listed),
            None => catalog_tools(),
        }
    }

    fn find(&self, name: &str) -> Option<&'static dyn Tool> {
        self.tools.iter().copied().find(|t| t.name() == name)
    }

    /// Runs one call: the MCP result, or a JSON-RPC error for an unknown tool or bad arguments.
    /// A tool that changes something passes the safety gate first: refused, asked about
    /// through `peer` (elicitation), or run, as the policy says. The arguments are checked
    /// before that, so the person is never asked about a call that cannot run. Every wait for
    /// TrainingPeaks' request budget is logged and passed to `on_wait`.
    pub async fn guarded_call(
        &self,
        name: &str,
        arguments: Option<JsonObject>,
        peer: &Peer<RoleServer>,
        on_wait: Option<WaitForward>,
    ) -> Result<CallToolResult, ErrorData> {
        let tool = self
            .find(name)
            .ok_or_else(|| tool_error_to_rpc(&ToolError::UnknownTool(name.to_string())))?;
        let args = arguments.map(Value::Object).unwrap_or(Value::Null);
        let call = match tool.prepare(args) {
            Ok(call) => call,
            Err(e) => return result_of(Err(e)),
        };
        let can_ask = peer
            .supported_elicitation_modes()
            .contains(&ElicitationMode::Form);
        let refuse = |m: String| Ok(CallToolResult::error(vec![ContentBlock::text(m)]));
        match safety::gate(self.policy, tool, call.args(), can_ask) {
            Gate::Run => {}
            Gate::Refuse(m) => return refuse(m),
            Gate::Ask(question) => {
                // No fields to fill in: the answer is the action (accept, decline, cancel).
                let params = ElicitRequestParams::FormElicitationParams {
                    meta: None,
                    message: question,
                    requested_schema: ElicitationSchema::new(Default::default()),
                };
                match peer.create_elicitation(params).await {
                    Ok(r) if r.action == ElicitationAction::Accept => {
                        tracing::info!(tool = name, "the person confirmed the call");
                    }
                    Ok(r) => {
                        let declined = r.action == ElicitationAction::Decline;
                        return refuse(safety::not_confirmed(name, declined));
                    }
                    Err(e) => return refuse(safety::could_not_ask(name, &e.to_string())),
                }
            }
        }
        let options = crate::backend::call_options(tool.name(), on_wait);
        result_of(self.runner.run(call, options).await)
    }
}

/// Maps a tool outcome to MCP: success → text + `structuredContent`; a failure of the call's
/// arguments → `invalid_params`; any other failure → `isError: true` with the message.
pub fn result_of(outcome: Result<ToolOutput, ToolError>) -> Result<CallToolResult, ErrorData> {
    match outcome {
        Ok(out) => {
            let mut result = CallToolResult::success(vec![ContentBlock::text(out.text)]);
            result.structured_content = Some(out.structured);
            Ok(result)
        }
        Err(e) if e.is_invalid_params() => Err(tool_error_to_rpc(&e)),
        Err(e) => Ok(CallToolResult::error(vec![ContentBlock::text(
            e.to_string(),
        )])),
    }
}

/// An `invalid_params` error whose message names the field, with the field also in `data`.
fn tool_error_to_rpc(e: &ToolError) -> ErrorData {
    let data = match e {
        ToolError::UnknownTool(name) => {
            json!({"tool": name, "hint": "call tools/list (or run `paceline tools`) for the available tools"})
        }
        ToolError::InvalidArgs { field, .. } => json!({"field": field}),
        ToolError::Api(paceline_core::trainingpeaks::TpError::InvalidInput { field, .. }) => {
            json!({"field": field})
        }
        _ => Value::Null,
    };
    let data = if data.is_null() { None } else { Some(data) };
    let message = match e {
        ToolError::UnknownTool(_) => format!("{e}; call tools/list for the available tools"),
        _ => format!("invalid argument {e}"),
    };
    ErrorData::invalid_params(message, data)
}

impl ServerHandler for PacelineServer {
    fn get_info(&self) -> ServerConfig {
        self.info.clone()
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let listed = self
            .listed()
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        Ok(ListToolsResult::with_all_items(listed.to_vec()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        // Waits for the request budget become progress notifications when the client asked
        // for them (a progress token); the observer only queues them, the loop below sends.
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<RateWait>();
        let token = context.meta.get_progress_token();
        let on_wait: Option<WaitForward> = token.as_ref().map(|_| {
            Box::new(move |w: &RateWait| {
                // The receiver is gone only once the call has ended; nothing left to report.
                let _ = tx.send(w.clone());
            }) as WaitForward
        });
        let call = self.guarded_call(&request.name, request.arguments, &context.peer, on_wait);
        let progress = send_progress(token, rx, context.peer.clone());
        // A cancelled call stops here; the HTTP request in flight (if any) is dropped and never
        // retried, so a write either happened once or not at all.
        let result = tokio::select! {
            r = call => r?,
            () = progress => unreachable_progress_end(),
            () = context.ct.cancelled() => {
                return Err(ErrorData::internal_error(format!("call to {} was cancelled", request.name), None));
            }
        };
        Ok(result.into())
    }

    fn get_tool(&self, name: &str) -> Option<McpTool> {
        self.listed().ok()?.iter().find(|t| t.name == name).cloned()
    }
}

/// Sends one `notifications/progress` per wait until the call ends (the caller drops this
/// future then). `progress` counts the waits reported so far, which MCP requires to increase;
/// the message says how long and why. Never returns on its own.
async fn send_progress(
    token: Option<ProgressToken>,
    mut waits: tokio::sync::mpsc::UnboundedReceiver<RateWait>,
    peer: rmcp::Peer<RoleServer>,
) {
    let mut count = 0.0;
    if let Some(token) = token {
        while let Some(w) = waits.recv().await {
            count += 1.0;
            let param =
                ProgressNotificationParam::new(token.clone(), count).with_message(w.describe());
            if let Err(e) = peer.notify_progress(param).await {
                tracing::debug!("could not send a progress notification: {e}");
            }
        }
    }
    std::future::pending::<()>().await
}

/// The progress loop never ends before the call (see [`send_progress`]).
fn unreachable_progress_end() -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(
        "internal error: the progress reporter stopped before the call ended",
    )])
}

/// `paceline mcp`: serves MCP on stdin/stdout until the client closes stdin.
pub fn run(backend: Backend, safety: SafetyArgs) -> anyhow::Result<std::process::ExitCode> {
    // Fail before touching stdin so a misconfigured client shows the message at once.
    let policy = match safety.policy(backend) {
        Ok(p) => p,
        Err(m) => {
            crate::output::stderr_line(&format!("error: {m}"));
            return Ok(std::process::ExitCode::from(2));
        }
    };
    let runner = match backend.runner_or_report() {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    // One thread: calls are IO-bound (or in memory, for the sandbox), and a single-threaded
    // runtime starts faster and uses less memory than a worker pool.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let server = PacelineServer::new(runner, policy);
        // Lines rmcp would drop in silence are answered by the guard (see `stdio_guard`).
        let (io, pumps) = crate::stdio_guard::guard(tokio::io::stdin(), tokio::io::stdout());
        let running = server.serve(io).await?;
        let reason = running.waiting().await?;
        tracing::debug!(?reason, "MCP session ended");
        pumps.finish().await;
        anyhow::Ok(())
    })?;
    Ok(std::process::ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests;
