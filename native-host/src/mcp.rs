//! `paceline mcp`: the MCP stdio server.
//!
//! The handler is written by hand (no `#[tool]` macros) because the tools are not methods of
//! this crate: they are the static catalogues in `paceline-core`, which the browser extension
//! also runs, published per [`Platform`] (`--platform`). `tools/list` is answered from that
//! list, converted once and cached, so it is instant and identical whatever the backend;
//! `tools/call` validates the arguments and then runs the tool through the backend's
//! [`Runner`]: in process, or relayed to the browser under its canonical name.
//!
//! Error mapping (MCP convention): a request the server cannot route (unknown tool, arguments
//! that do not fit the schema) is a JSON-RPC `invalid_params` error naming the field; a tool
//! that ran and failed is a normal result with `isError: true` and a message a person can act on.

use std::sync::{Arc, OnceLock};

use paceline_core::tools::platform::{self, Listed};
use paceline_core::tools::toolsets::Toolsets;
use paceline_core::tools::{Platform, Tool, ToolError, ToolOutput};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ElicitRequestParams,
    ElicitationAction, ElicitationSchema, GetPromptRequestParams, GetPromptResponse,
    Implementation, InputResponses, JsonObject, ListPromptsResult, ListResourcesResult,
    ListToolsResult, PaginatedRequestParams, ProgressNotificationParam, ProgressToken,
    ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse, ServerCapabilities,
    ServerConfig, Tool as McpTool,
};
use rmcp::service::{ElicitationMode, Peer, RequestContext};
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Value, json};

use crate::backend::{BackendArgs, Route, Runner, WaitForward};
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

/// What the model is told at `initialize` under `--platform intervals`.
pub const ICU_INSTRUCTIONS: &str = "\
Paceline gives you the athlete's Intervals.icu account: activities (with intervals, streams and \
messages), calendar events (planned workouts, notes, races), wellness, power curves, gear and \
custom items.

Conventions shared by every tool:
- Dates are YYYY-MM-DD, in the athlete's calendar; ranges are inclusive.
- Coaches: pass athlete_id (i12345 or 12345) to act on an athlete you coach; without it a tool \
acts on the connected account's own athlete.
- Ids (activity ids like i12345678, event ids) come from the list tools (get_activities, \
get_events, ...); do not guess them.
- Every tool that writes takes dry_run: true, which returns the exact request without sending \
it; a dry run cannot change anything, so it needs no confirmation from the person.

Errors: an error about an argument names the field; fix that field and retry. A tool result \
marked as an error explains what the person must do.";

/// What the model is told at `initialize` under `--platform all`: the TrainingPeaks
/// instructions, then how the two catalogues are told apart.
pub const ALL_INSTRUCTIONS_TAIL: &str = "

Intervals.icu: the tools whose names start with icu_ work on the athlete's Intervals.icu \
account (activities, events, wellness, curves, gear, custom items); the others work on \
TrainingPeaks. Ids are not shared between the platforms: use an icu_ tool's ids only with icu_ \
tools. Intervals.icu athlete ids look like i12345; every icu_ tool that writes takes dry_run: \
true to see the request without sending it.";

/// The instructions for a platform.
pub fn instructions(platform: Platform) -> String {
    match platform {
        Platform::TrainingPeaks => INSTRUCTIONS.to_string(),
        Platform::Intervals => ICU_INSTRUCTIONS.to_string(),
        Platform::All => format!("{INSTRUCTIONS}{ALL_INSTRUCTIONS_TAIL}"),
    }
}

/// Converts one catalogue tool to its MCP description: core's `tools::describe` entry (the JSON the
/// extension's `listTools` export returns too) read into rmcp's type, so the browser and the
/// MCP client are told the same thing. It fails only if core's entry stops fitting the MCP
/// shape (a schema that is not an object, say), which the tests would catch first.
#[cfg(test)]
pub fn to_mcp_tool(tool: &dyn Tool) -> Result<McpTool, serde_json::Error> {
    serde_json::from_value(paceline_core::tools::describe(tool))
}

/// Converts one published tool to its MCP description under its public name
/// ([`platform::describe`]).
pub fn to_mcp_listed(listed: &Listed) -> Result<McpTool, serde_json::Error> {
    serde_json::from_value(platform::describe(listed))
}

/// The MCP descriptions of a platform's catalogue, built on first use and cached for the
/// process (schemas are generated by schemars, which is not free). The error says which tool
/// could not be described.
pub fn catalog_tools(platform: Platform) -> Result<&'static Arc<[McpTool]>, &'static str> {
    type Cached = OnceLock<Result<Arc<[McpTool]>, String>>;
    static TOOLS: [Cached; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = match platform {
        Platform::TrainingPeaks => 0,
        Platform::Intervals => 1,
        Platform::All => 2,
    };
    TOOLS[slot]
        .get_or_init(|| {
            platform
                .tools()
                .iter()
                .map(|t| {
                    to_mcp_listed(t)
                        .map_err(|e| format!("tool {} has no MCP description: {e}", t.name()))
                })
                .collect()
        })
        .as_ref()
        .map_err(String::as_str)
}

/// The tools of a platform's catalogue that `toolsets` shows, in catalogue order.
pub fn selected_tools(
    platform: Platform,
    toolsets: &Toolsets,
) -> Result<Arc<[McpTool]>, &'static str> {
    let all = catalog_tools(platform)?;
    // `catalog_tools` holds the platform's tools in `platform.tools()` order, one for one.
    Ok(platform
        .tools()
        .iter()
        .zip(all.iter())
        .filter(|(listed, _)| toolsets.shows(platform, listed))
        .map(|(_, tool)| tool.clone())
        .collect())
}

/// The `tools` array of a `tools/list` result, as JSON (what `paceline tools --json` prints;
/// `native-host/tools.json` holds the default platform's whole catalogue, `--toolsets all`).
pub fn catalog_json(platform: Platform, toolsets: &Toolsets) -> anyhow::Result<String> {
    let tools = selected_tools(platform, toolsets).map_err(anyhow::Error::msg)?;
    Ok(serde_json::to_string_pretty(&*tools)?)
}

/// What a server publishes: a platform's catalogue, or a list of tools (tests).
#[derive(Clone, Copy)]
enum Catalogue {
    /// A platform's catalogue; `tools/list` shows the tools of the toolsets.
    Platform(Platform, &'static Toolsets),
    #[cfg(test)]
    Tools(&'static [&'static dyn Tool]),
}

impl Catalogue {
    /// The platform whose instructions the server gives (test lists: TrainingPeaks').
    fn platform(self) -> Platform {
        match self {
            Catalogue::Platform(p, _) => p,
            #[cfg(test)]
            Catalogue::Tools(_) => Platform::TrainingPeaks,
        }
    }
}

/// The MCP server: a tool list and a context to run tools in.
pub struct PacelineServer {
    runner: Runner,
    /// What happens to calls of tools that change something (see [`crate::safety`]).
    policy: WritePolicy,
    catalogue: Catalogue,
    /// `None` for the catalogue: [`catalog_tools`] is built lazily (schema generation takes
    /// milliseconds that `initialize` should not wait for).
    listed: Option<Arc<[McpTool]>>,
    info: ServerConfig,
}

impl std::fmt::Debug for PacelineServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tools = match self.catalogue {
            Catalogue::Platform(p, t) => t.select(p).len(),
            #[cfg(test)]
            Catalogue::Tools(t) => t.len(),
        };
        f.debug_struct("PacelineServer")
            .field("tools", &tools)
            .finish_non_exhaustive()
    }
}

impl PacelineServer {
    /// A server for a platform's catalogue. The MCP tool list is built on a background thread
    /// right away, so it is ready by the time `tools/list` follows `initialize`.
    ///
    /// `toolsets` decides what `tools/list` shows; every tool of the platform can still be
    /// called by name (see `paceline_core::tools::toolsets`).
    pub fn new(
        runner: Runner,
        policy: WritePolicy,
        platform: Platform,
        toolsets: Toolsets,
    ) -> Self {
        std::thread::spawn(move || {
            // `tools/list` answers with the same error; logged here too so it shows at start.
            if let Err(e) = catalog_tools(platform) {
                tracing::error!("{e}");
            }
        });
        // One per server, which lives for the process: leaking it keeps `Catalogue` `Copy`.
        let toolsets: &'static Toolsets = Box::leak(Box::new(toolsets));
        Self::build(
            runner,
            policy,
            Catalogue::Platform(platform, toolsets),
            None,
        )
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
        let local = crate::backend::LocalContext {
            ctx,
            icu_missing: "no Intervals.icu client in this test",
        };
        Self::build(
            Runner::Local(crate::backend::LazyContext::ready(local)),
            WritePolicy::Allow,
            Catalogue::Tools(tools),
            Some(listed),
        )
    }

    fn build(
        runner: Runner,
        policy: WritePolicy,
        catalogue: Catalogue,
        listed: Option<Arc<[McpTool]>>,
    ) -> Self {
        let platform = catalogue.platform();
        let info = ServerConfig::new(capabilities())
            .with_server_info(
                Implementation::new("paceline", env!("CARGO_PKG_VERSION")).with_title("Paceline"),
            )
            .with_instructions(instructions(platform));
        Self {
            runner,
            policy,
            catalogue,
            listed,
            info,
        }
    }

    fn listed(&self) -> Result<Arc<[McpTool]>, &'static str> {
        match (&self.listed, self.catalogue) {
            (Some(listed), _) => Ok(listed.clone()),
            (None, Catalogue::Platform(p, t)) => selected_tools(p, t),
            #[cfg(test)]
            (None, Catalogue::Tools(_)) => Err("no tool list"),
        }
    }

    /// The tool published under `name`, and where its calls go.
    fn find(&self, name: &str) -> Option<(&'static dyn Tool, Route<'static>)> {
        match self.catalogue {
            Catalogue::Platform(p, _) => p.find(name).map(|l| (l.tool(), Route::of(l))),
            #[cfg(test)]
            Catalogue::Tools(tools) => tools.iter().copied().find(|t| t.name() == name).map(|t| {
                let route = Route {
                    canonical: t.name(),
                    service: platform::Service::TrainingPeaks,
                };
                (t, route)
            }),
        }
    }

    /// Runs one call: the MCP result, or a JSON-RPC error for an unknown tool or bad arguments.
    /// A tool that changes something passes the safety gate first: refused, asked about
    /// through the client (elicitation: a request of its own on 2025 revisions, an
    /// `input_required` round trip on 2026-07-28, see [`Asking`]), or run, as the policy says.
    /// The arguments are checked before that, so the person is never asked about a call that
    /// cannot run. Every wait for TrainingPeaks' request budget is logged and passed to
    /// `on_wait`.
    pub async fn guarded_call(
        &self,
        name: &str,
        arguments: Option<JsonObject>,
        asking: Asking<'_>,
        on_wait: Option<WaitForward>,
    ) -> Result<CallToolResponse, ErrorData> {
        let (tool, route) = self
            .find(name)
            .ok_or_else(|| tool_error_to_rpc(&ToolError::UnknownTool(name.to_string())))?;
        let args = arguments.map(Value::Object).unwrap_or(Value::Null);
        let call = match tool.prepare(args) {
            Ok(call) => call,
            Err(e) => return result_of(Err(e)).map(Into::into),
        };
        let refuse = |m: String| Ok(CallToolResult::error(vec![ContentBlock::text(m)]).into());
        let target = safety::Target {
            tool,
            name,
            service: route.service,
        };
        match safety::gate(self.policy, target, call.args(), asking.can_ask()) {
            Gate::Run => {}
            Gate::Refuse(m) => return refuse(m),
            Gate::Ask(question) => match asking {
                Asking::Session(peer) => {
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
                Asking::RoundTrip {
                    state, responses, ..
                } => {
                    let questions = confirm::shared();
                    let Some(state) = state else {
                        // The first round: ask. Input responses without a state are ignored;
                        // only an answer to a question this server asked can count.
                        return match questions.ask(name, call.args(), question) {
                            Ok(r) => Ok(r.into()),
                            Err(e) => refuse(safety::could_not_ask(name, &e)),
                        };
                    };
                    match questions.redeem(name, call.args(), state, responses) {
                        confirm::Answer::Accepted => {
                            tracing::info!(tool = name, "the person confirmed the call");
                        }
                        confirm::Answer::Declined => {
                            return refuse(safety::not_confirmed(name, true));
                        }
                        confirm::Answer::Dismissed => {
                            return refuse(safety::not_confirmed(name, false));
                        }
                        confirm::Answer::Unusable(why) => {
                            return refuse(safety::answer_unusable(name, &why));
                        }
                    }
                }
            },
        }
        let options = crate::backend::call_options(tool.name(), on_wait);
        let outcome = self.runner.run(route, call, options).await;
        if route.canonical == chart::TOOL {
            return chart::result(outcome).await.map(Into::into);
        }
        result_of(outcome).map(Into::into)
    }
}

/// How the person can be asked to confirm a write during one `tools/call`.
#[derive(Clone, Copy)]
pub enum Asking<'a> {
    /// 2025-11-25 and older: the server sends `elicitation/create` to the client over the
    /// session, if the client declared form elicitation at `initialize`.
    Session(&'a Peer<RoleServer>),
    /// 2026-07-28: the server may not send requests; it answers `input_required` and the
    /// client calls again with the answer (see [`confirm`]).
    RoundTrip {
        /// This request's `_meta` capabilities declare form elicitation.
        can_ask: bool,
        /// The echoed `requestState` of a retried call.
        state: Option<&'a str>,
        /// The `inputResponses` of a retried call.
        responses: Option<&'a InputResponses>,
    },
}

impl Asking<'_> {
    /// The client can be asked.
    fn can_ask(&self) -> bool {
        match self {
            Asking::Session(peer) => peer
                .supported_elicitation_modes()
                .contains(&ElicitationMode::Form),
            Asking::RoundTrip { can_ask, .. } => *can_ask,
        }
    }

    /// How this request can ask: by its revision (the request's `_meta`, else the session's
    /// handshake).
    fn of<'a>(
        context: &'a RequestContext<RoleServer>,
        request: &'a CallToolRequestParams,
    ) -> Asking<'a> {
        let modern = context
            .protocol_version()
            .is_some_and(|v| v >= ProtocolVersion::V_2026_07_28);
        if !modern {
            return Asking::Session(&context.peer);
        }
        let can_ask = context
            .client_capabilities()
            .and_then(|c| c.elicitation)
            // Declared with neither mode means form (the 2025-06-18 shape).
            .is_some_and(|e| e.form.is_some() || e.url.is_none());
        Asking::RoundTrip {
            can_ask,
            state: request.request_state.as_deref(),
            responses: request.input_responses.as_ref(),
        }
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

/// A platform whose catalogue has a tool of this name (for an unknown tool's message; the
/// server's own platform does not have it).
pub fn published_elsewhere(name: &str) -> Option<Platform> {
    [Platform::Intervals, Platform::All]
        .into_iter()
        .find(|p| p.find(name).is_some())
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
        ToolError::Icu(paceline_core::intervals::IcuError::InvalidInput { field, .. }) => {
            json!({"field": field})
        }
        _ => Value::Null,
    };
    let data = if data.is_null() { None } else { Some(data) };
    let message = match e {
        ToolError::UnknownTool(name) => match published_elsewhere(name) {
            Some(p) => format!(
                "{e}; it is published by `paceline mcp --platform {p}`; call tools/list for the \
                 available tools"
            ),
            None => format!("{e}; call tools/list for the available tools"),
        },
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
        // Waits for the request budget and the steps of long calls become progress
        // notifications when the client asked for them (a progress token); the observer only
        // queues them, the loop below sends.
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let token = context.meta.get_progress_token();
        let on_wait: Option<WaitForward> = token.as_ref().map(|_| {
            Box::new(move |line: String| {
                // The receiver is gone only once the call has ended; nothing left to report.
                let _ = tx.send(line);
            }) as WaitForward
        });
        let mut sent = 0.0;
        let result = {
            let asking = Asking::of(&context, &request);
            let call = self.guarded_call(&request.name, request.arguments.clone(), asking, on_wait);
            let progress = send_progress(token.as_ref(), &mut rx, &context.peer, &mut sent);
            // A cancelled call stops here; the HTTP request in flight (if any) is dropped and
            // never retried, so a write either happened once or not at all.
            tokio::select! {
                r = call => r?,
                () = progress => unreachable_progress_end().into(),
                () = context.ct.cancelled() => {
                    return Err(ErrorData::internal_error(format!("call to {} was cancelled", request.name), None));
                }
            }
        };
        // A call that never had to wait (the sandbox, a fast answer) may finish before the loop
        // above sent what it queued: those updates still go out, before the result.
        if let Some(token) = token.as_ref() {
            while let Ok(line) = rx.try_recv() {
                notify(token, line, &context.peer, &mut sent).await;
            }
        }
        Ok(result)
    }

    fn get_tool(&self, name: &str) -> Option<McpTool> {
        // Any tool of the platform, listed or not: toolsets only shape `tools/list`.
        let all = match self.catalogue {
            Catalogue::Platform(p, _) => catalog_tools(p).ok()?.clone(),
            #[cfg(test)]
            Catalogue::Tools(_) => self.listed().ok()?,
        };
        all.iter().find(|t| t.name == name).cloned()
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        self.resource_list()
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        Ok(self.resource_read(&request.uri).await?.into())
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        prompts::list()
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        Ok(prompts::get(&request.name, request.arguments)?.into())
    }
}

/// What the server offers: tools, resources (data, guides, the chart app) and prompts, and the
/// MCP Apps extension (SEP-1865) for `render_chart`'s `ui://` view. Built from its JSON form,
/// which is the spec's and stays put where rmcp's builder changes.
fn capabilities() -> ServerCapabilities {
    let caps = json!({
        "tools": {},
        "resources": {},
        "prompts": {},
        "extensions": {"io.modelcontextprotocol/ui": {"mimeTypes": [resources::APP_MIME]}},
    });
    serde_json::from_value(caps)
        .unwrap_or_else(|_| ServerCapabilities::builder().enable_tools().build())
}

/// Sends one `notifications/progress` per wait or step until the call ends (the caller drops
/// this future then). `progress` counts the updates reported so far, which MCP requires to
/// increase; the message says what happened (a wait: how long and why; a step: "3 of 12 date
/// windows fetched"). Never returns on its own.
async fn send_progress(
    token: Option<&ProgressToken>,
    updates: &mut tokio::sync::mpsc::UnboundedReceiver<String>,
    peer: &rmcp::Peer<RoleServer>,
    sent: &mut f64,
) {
    if let Some(token) = token {
        while let Some(line) = updates.recv().await {
            notify(token, line, peer, sent).await;
        }
    }
    std::future::pending::<()>().await
}

/// Sends one progress notification; `sent` counts them (MCP requires `progress` to increase).
async fn notify(
    token: &ProgressToken,
    line: String,
    peer: &rmcp::Peer<RoleServer>,
    sent: &mut f64,
) {
    *sent += 1.0;
    let param = ProgressNotificationParam::new(token.clone(), *sent).with_message(line);
    if let Err(e) = peer.notify_progress(param).await {
        tracing::debug!("could not send a progress notification: {e}");
    }
}

/// The progress loop never ends before the call (see [`send_progress`]).
fn unreachable_progress_end() -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(
        "internal error: the progress reporter stopped before the call ended",
    )])
}

/// `paceline mcp`: serves MCP on stdin/stdout until the client closes stdin.
pub fn run(
    args: BackendArgs,
    safety: SafetyArgs,
    platform: anyhow::Result<Platform>,
    toolsets: anyhow::Result<Toolsets>,
) -> anyhow::Result<std::process::ExitCode> {
    let backend = args.backend();
    // Fail before touching stdin so a misconfigured client shows the message at once.
    let toolsets = match toolsets {
        Ok(t) => t,
        Err(e) => {
            crate::output::stderr_line(&format!("error: {e:#}"));
            return Ok(std::process::ExitCode::from(2));
        }
    };
    let policy = match (safety.policy(backend), platform.as_ref()) {
        (Ok(p), Ok(_)) => p,
        (Err(m), _) => {
            crate::output::stderr_line(&format!("error: {m}"));
            return Ok(std::process::ExitCode::from(2));
        }
        (_, Err(e)) => {
            crate::output::stderr_line(&format!("error: {e:#}"));
            return Ok(std::process::ExitCode::from(2));
        }
    };
    let platform = platform.unwrap_or_default();
    let runner = match args.runner_or_report(platform) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    // One thread: calls are IO-bound (or in memory, for the sandbox), and a single-threaded
    // runtime starts faster and uses less memory than a worker pool.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let server = PacelineServer::new(runner, policy, platform, toolsets);
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

mod chart;
mod confirm;
mod prompts;
mod resources;
#[cfg(test)]
mod tests;
