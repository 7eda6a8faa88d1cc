//! The MCP tool catalogue: one file per tool under `tools/`, one static list here.
//!
//! A tool is a typed argument struct (`Deserialize + JsonSchema`, every field documented), a
//! typed output struct (`Serialize + JsonSchema`), MCP annotations, and an async handler that
//! returns concise text for the model **and** the structured output. [`TypedTool`] is what a
//! tool file implements; the blanket [`Tool`] impl turns it into the object-safe form the MCP
//! server and the wasm export iterate over.
//!
//! Layout, one convention for every file under `tools/`:
//! - `tools/<tool_name>.rs` is exactly one tool, named after it, in one skeleton: module doc
//!   line, tool struct, `Args`, `Output`, `impl TypedTool`, private helpers, tests. It imports
//!   nothing from another tool file.
//! - `tools/shared/` holds everything several tools use, one module per kind of thing, named
//!   for what it holds (`args`, `structure_format`, `workout_args`, `equipment`…). No tool
//!   lives there.
//! - The `mod` lines below follow the groups and order of [`CATALOG`].
//!
//! A call's arguments are checked once ([`Tool::prepare`]: parse, unknown keys,
//! [`TypedTool::check`]); the [`CheckedCall`] it returns runs or is relayed without another
//! check.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::clock::Clock;
use crate::http::{BoxFuture, MaybeSend, MaybeSendSync};
use crate::intervals::{IcuClient, IcuError};
use crate::trainingpeaks::{TpClient, TpError};

mod shared;
pub use shared::{args, confirm};
// The Intervals.icu catalogue (its own `CATALOG`, one file per tool under `intervals/`).
pub mod intervals;
// The published catalogue per platform (`--platform`), with public and canonical names.
pub mod platform;
pub mod schema_table;
pub mod toolsets;
pub use platform::Platform;

// The tool files, one per tool, in the groups and order of [`CATALOG`].

// A. Profile (1).
mod get_athlete_profile;
// B. Workouts (2–15).
mod add_workout_comment;
mod copy_workout;
mod create_workout;
mod delete_workout;
mod delete_workout_comment;
mod get_weekly_summary;
mod get_workout;
mod get_workout_comments;
mod get_workout_types;
mod get_workouts;
mod reorder_workouts;
mod update_private_workout_note;
mod update_workout;
mod validate_workout_structure;
// C. Fitness (16–19).
mod get_atp;
mod get_fitness_metrics;
mod get_peaks;
mod get_workout_prs;
// D. Equipment (20–23).
mod create_equipment;
mod delete_equipment;
mod get_equipment;
mod update_equipment_item;
// E. Settings and zones (24–30).
mod get_athlete_settings;
mod get_pool_length_settings;
mod get_weather_settings;
mod update_ftp;
mod update_hr_zones;
mod update_nutrition;
mod update_speed_zones;
// F. Events, notes, availability, goals (31–48).
mod add_note_comment;
mod create_availability;
mod create_event;
mod create_goal_list;
mod create_note;
mod delete_availability;
mod delete_event;
mod delete_goal_list;
mod delete_note;
mod get_availability;
mod get_events;
mod get_focus_event;
mod get_next_planned_event;
mod get_note;
mod get_note_comments;
mod update_availability;
mod update_event;
mod update_note;
// I. Library (49–59).
mod create_library;
mod create_library_item;
mod delete_library;
mod delete_library_item;
mod get_libraries;
mod get_library_item;
mod get_library_items;
mod move_library_item;
mod schedule_library_workout;
mod update_library;
mod update_library_item;
// J. Strength (60–61).
mod create_strength_workout;
mod get_strength_workout_summary;
// K. Health metrics and nutrition (62–64).
mod get_metrics;
mod get_nutrition;
mod log_metrics;
// Paceline additions.
mod list_athletes;
// Activity analysis (issue 10).
mod analyze_activity_range;
mod get_activity_analysis;
mod get_activity_streams;
mod get_power_curve;
mod get_training_distribution;
// Planning, fitness and readiness (issue 10).
mod create_workout_by_intensity;
mod get_fitness_projection;
mod get_planned_workouts;
mod get_readiness;
mod predict_race;
mod render_chart;
mod scale_workout_intensity;
mod set_workout_advice;
mod skip_workout;
/// The MCP App (`ui://` resource) that shows `render_chart`'s charts.
pub use render_chart::UI_RESOURCE as CHART_UI_RESOURCE;
// Between the platforms (published under `--platform all` only; see `platform`).
mod copy_workout_to_intervals;
mod copy_workout_to_trainingpeaks;

/// MCP tool annotations (hints for the client; the extension also enforces them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Annotations {
    /// Human-readable title.
    pub title: &'static str,
    /// The tool does not modify anything.
    pub read_only: bool,
    /// The tool may delete or overwrite data (meaningful only when not read-only).
    pub destructive: bool,
    /// Calling it twice with the same arguments has no further effect.
    pub idempotent: bool,
}

impl Annotations {
    /// A read-only tool.
    pub const fn read(title: &'static str) -> Self {
        Self {
            title,
            read_only: true,
            destructive: false,
            idempotent: true,
        }
    }
    /// A tool that adds data (not idempotent: calling twice creates two things).
    pub const fn create(title: &'static str) -> Self {
        Self {
            title,
            read_only: false,
            destructive: false,
            idempotent: false,
        }
    }
    /// A tool that overwrites fields of an existing thing (idempotent, destructive).
    pub const fn update(title: &'static str) -> Self {
        Self {
            title,
            read_only: false,
            destructive: true,
            idempotent: true,
        }
    }
    /// A tool that deletes something (idempotent, destructive).
    pub const fn delete(title: &'static str) -> Self {
        Self {
            title,
            read_only: false,
            destructive: true,
            idempotent: true,
        }
    }
}

/// What a successful tool call returns.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolOutput {
    /// Concise text for the model.
    pub text: String,
    /// The same result as JSON, matching the tool's output schema (always an object).
    pub structured: Value,
}

/// Why a tool call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ToolError {
    /// No tool has this name (MCP: JSON-RPC `invalid_params`).
    #[error("unknown tool `{0}`")]
    UnknownTool(String),
    /// The arguments do not match the schema or fail validation (MCP: `invalid_params`).
    /// `field` is the argument path, e.g. `structure.steps[1].duration_seconds`.
    #[error("{field}: {message}")]
    InvalidArgs {
        /// The offending argument path.
        field: String,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// The tool ran and TrainingPeaks (or the session) failed (MCP: `isError: true`).
    #[error(transparent)]
    Api(#[from] TpError),
    /// The tool ran and Intervals.icu failed (MCP: `isError: true`, except `InvalidInput`,
    /// which is `invalid_params` like TrainingPeaks' own).
    #[error(transparent)]
    Icu(#[from] IcuError),
    /// The tool ran and failed for another reason a person can act on (MCP: `isError: true`).
    #[error("{0}")]
    Failed(String),
}

impl ToolError {
    /// An [`ToolError::InvalidArgs`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidArgs {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Whether this is a protocol-level error (bad tool name or arguments) rather than a tool
    /// that ran and failed.
    pub fn is_invalid_params(&self) -> bool {
        matches!(self, Self::UnknownTool(_) | Self::InvalidArgs { .. })
            || matches!(self, Self::Api(TpError::InvalidInput { .. }))
            || matches!(self, Self::Icu(IcuError::InvalidInput { .. }))
    }
}

/// What a tool handler can use: the client and the clock.
#[derive(Debug, Clone)]
pub struct ToolContext {
    /// The TrainingPeaks client.
    pub client: Arc<TpClient>,
    /// The Intervals.icu client, when Intervals.icu is connected; the tools of
    /// [`intervals::CATALOG`] fail with an actionable message without it.
    pub icu: Option<Arc<IcuClient>>,
    /// Where completed activities' data is kept between calls (see
    /// [`crate::analysis::source::ActivityCache`]); `None` fetches every time.
    pub activity_cache: Option<Arc<dyn crate::analysis::source::ActivityCache>>,
}

impl ToolContext {
    /// A context around a client (no Intervals.icu client; see [`ToolContext::with_icu`]).
    pub fn new(client: Arc<TpClient>) -> Self {
        Self {
            client,
            icu: None,
            activity_cache: None,
        }
    }

    /// This context with an activity cache, which the analysis tools consult before fetching
    /// a recording.
    pub fn with_activity_cache(
        mut self,
        cache: Arc<dyn crate::analysis::source::ActivityCache>,
    ) -> Self {
        self.activity_cache = Some(cache);
        self
    }

    /// This context with an Intervals.icu client.
    pub fn with_icu(mut self, icu: Arc<IcuClient>) -> Self {
        self.icu = Some(icu);
        self
    }

    /// The injected clock.
    pub fn clock(&self) -> &dyn Clock {
        self.client.clock()
    }

    /// This context with both clients' duplicate guards for creates on
    /// ([`TpClient::guarding_creates`], [`IcuClient::guarding_creates`]).
    #[allow(clippy::arc_with_non_send_sync)] // as in `for_call`
    pub fn guarding_creates(&self) -> Self {
        Self {
            client: Arc::new(self.client.guarding_creates()),
            icu: self.icu.as_ref().map(|i| Arc::new(i.guarding_creates())),
            activity_cache: self.activity_cache.clone(),
        }
    }

    /// This context with both clients refusing every request but a GET before it is sent:
    /// what a dry run runs on ([`CheckedCall::is_dry_run`]).
    // On wasm32 the clients are not `Send`/`Sync`, as in `for_call` below.
    #[allow(clippy::arc_with_non_send_sync)]
    pub fn reading_only(&self) -> Self {
        Self {
            client: Arc::new(self.client.reading_only()),
            icu: self.icu.as_ref().map(|i| Arc::new(i.reading_only())),
            activity_cache: self.activity_cache.clone(),
        }
    }

    /// A context for one tool call: the same client state, with the call's deadline and wait
    /// observer, for both clients (see [`TpClient::for_call`], [`IcuClient::for_call`]). Hosts
    /// make one per call.
    // On wasm32 the client is not `Send`/`Sync` (nothing is, single-threaded), as in the
    // extension's own `context()`.
    #[allow(clippy::arc_with_non_send_sync)]
    pub fn for_call(&self, options: crate::trainingpeaks::CallOptions) -> Self {
        Self {
            icu: self
                .icu
                .as_ref()
                .map(|i| Arc::new(i.for_call(options.clone()))),
            client: Arc::new(self.client.for_call(options)),
            activity_cache: self.activity_cache.clone(),
        }
    }
}

/// The object-safe form of a tool, as the MCP server and the wasm export see it.
pub trait Tool: MaybeSendSync + Sync {
    /// The MCP tool name (`snake_case`).
    fn name(&self) -> &'static str;
    /// The description shown to the model.
    fn description(&self) -> &'static str;
    /// MCP annotations.
    fn annotations(&self) -> Annotations;
    /// JSON Schema of the arguments (an object schema).
    fn input_schema(&self) -> Value;
    /// JSON Schema of the structured output (an object schema); `null` in a build without the
    /// `schemas` feature, which has no output schemas (see [`schema_table`]).
    fn output_schema(&self) -> Value;
    /// The key of this tool's input schema in a [`schema_table`]: its argument type's name.
    #[doc(hidden)]
    fn schema_key(&self) -> &'static str;
    /// The `ui://` resource (an MCP App) that shows this tool's results, if any.
    fn ui_resource(&self) -> Option<&'static str> {
        None
    }
    /// Checks a call's arguments once: parsed against the argument type, unknown keys
    /// rejected, then the tool's own [`TypedTool::check`]. The result is run in this process
    /// ([`CheckedCall::run`]) or relayed ([`CheckedCall::args`]) without being checked again.
    fn prepare(&self, args: Value) -> Result<CheckedCall<'_>, ToolError>;
    /// Runs arguments this tool's [`Tool::prepare`] parsed. Only [`CheckedCall::run`] calls
    /// it, so the arguments are always this tool's.
    #[doc(hidden)]
    fn run_parsed<'a>(
        &'a self,
        ctx: &'a ToolContext,
        parsed: ParsedArgs,
    ) -> BoxFuture<'a, Result<ToolOutput, ToolError>>;
}

// Not trait methods: a provided trait method is compiled once per tool (it is in every tool's
// vtable), 31 KB of the wasm module for these two (issue 12); on `dyn Tool` they are compiled
// once.
impl dyn Tool + '_ {
    /// Checks the arguments without running the tool, when only the verdict is wanted
    /// (a call that will run goes through [`Tool::prepare`] instead).
    pub fn validate(&self, args: &Value) -> Result<(), ToolError> {
        self.prepare(args.clone()).map(drop)
    }

    /// Checks the arguments and runs the tool.
    pub fn call<'a>(
        &'a self,
        ctx: &'a ToolContext,
        args: Value,
    ) -> BoxFuture<'a, Result<ToolOutput, ToolError>> {
        match self.prepare(args) {
            Ok(call) => call.run(ctx),
            Err(e) => Box::pin(std::future::ready(Err(e))),
        }
    }
}

/// A tool's parsed argument struct, type-erased so [`CheckedCall`] can carry it through the
/// object-safe [`Tool`]. `Send + Sync` on native targets, as the argument types are.
#[cfg(not(target_arch = "wasm32"))]
pub type ParsedArgs = Box<dyn std::any::Any + Send + Sync>;
/// A tool's parsed argument struct, type-erased (see the native definition).
#[cfg(target_arch = "wasm32")]
pub type ParsedArgs = Box<dyn std::any::Any>;

/// A call whose arguments passed every check ([`Tool::prepare`]): the tool, the arguments as
/// sent (for relaying them and for describing the call to a person), and the parsed struct it
/// runs with. Only `prepare` makes one, so a call cannot run unchecked or be checked twice.
pub struct CheckedCall<'t> {
    tool: &'t dyn Tool,
    args: Value,
    parsed: ParsedArgs,
}

impl std::fmt::Debug for CheckedCall<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedCall")
            .field("tool", &self.tool.name())
            .field("args", &self.args)
            .finish_non_exhaustive()
    }
}

impl<'t> CheckedCall<'t> {
    /// The tool.
    pub fn tool(&self) -> &'t dyn Tool {
        self.tool
    }

    /// The arguments as sent (`null` when none were).
    pub fn args(&self) -> &Value {
        &self.args
    }

    /// The arguments as sent, for relaying the call to where it runs.
    pub fn into_args(self) -> Value {
        self.args
    }

    /// Whether this is a dry run: a tool that changes something, called with `dry_run: true`
    /// (the arguments passed [`Tool::prepare`], so the tool declares `dry_run`). [`Self::run`]
    /// runs a dry run on [`ToolContext::reading_only`], so it cannot send anything but GETs,
    /// whatever the tool's own code does; that is what lets the hosts' gates (the extension's
    /// confirmation window and read-only mode, `paceline mcp`'s `--read-only` and write
    /// confirmation) let a dry run through without asking.
    pub fn is_dry_run(&self) -> bool {
        is_dry_run(self.tool, &self.args)
    }

    /// Runs the call in this process (a dry run on [`ToolContext::reading_only`]).
    pub fn run<'a>(self, ctx: &'a ToolContext) -> BoxFuture<'a, Result<ToolOutput, ToolError>>
    where
        't: 'a,
    {
        if !self.is_dry_run() {
            return self.tool.run_parsed(ctx, self.parsed);
        }
        let (tool, parsed) = (self.tool, self.parsed);
        Box::pin(async move {
            let reading = ctx.reading_only();
            tool.run_parsed(&reading, parsed).await
        })
    }
}

/// Whether `args` make a call of `tool` a dry run: the tool changes something and `dry_run` is
/// exactly `true`. Hosts decide from this before the arguments are checked; the call itself is
/// run as one only if they also pass [`Tool::prepare`] ([`CheckedCall::is_dry_run`]).
pub fn is_dry_run(tool: &dyn Tool, args: &Value) -> bool {
    !tool.annotations().read_only && args.get("dry_run") == Some(&Value::Bool(true))
}

/// What a tool file implements.
pub trait TypedTool: MaybeSendSync + Sync {
    /// The argument struct.
    type Args: DeserializeOwned + JsonSchema + MaybeSendSync + 'static;
    /// The structured output.
    type Output: Serialize + JsonSchema + MaybeSendSync;
    /// The MCP tool name.
    const NAME: &'static str;
    /// The description shown to the model: what it does, units, formats.
    const DESCRIPTION: &'static str;
    /// MCP annotations.
    const ANNOTATIONS: Annotations;
    /// The `ui://` resource (an MCP App) that shows this tool's results, if any; published
    /// as `_meta.ui.resourceUri` in the tool's description.
    const UI_RESOURCE: Option<&'static str> = None;

    /// Extra validation beyond the schema (ranges, date order…). Runs before every call and
    /// before relaying. Errors must name the field.
    fn check(_args: &Self::Args) -> Result<(), ToolError> {
        Ok(())
    }

    /// Runs the tool: returns the text for the model and the structured output. A tool file
    /// writes it as `async fn run(…)`; the future is `Send` on native targets (the MCP server
    /// is multi-threaded) and unbounded on wasm32, and only the blanket [`Tool`] impl boxes it.
    fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> impl Future<Output = Result<(String, Self::Output), ToolError>> + MaybeSend;
}

/// Parses tool arguments, naming the path of the first bad field.
pub fn parse_args<T: DeserializeOwned>(args: &Value) -> Result<T, ToolError> {
    // Only the decode itself is generic: the rest is one function for every argument type,
    // not a copy per tool in the wasm module (issue 12).
    crate::decode::from_value(&args_or_empty(args)).map_err(args_error)
}

/// The arguments to decode: MCP clients send `null` or omit arguments for tools without
/// parameters, which reads as `{}`.
fn args_or_empty(args: &Value) -> std::borrow::Cow<'_, Value> {
    if args.is_null() {
        std::borrow::Cow::Owned(Value::Object(Default::default()))
    } else {
        std::borrow::Cow::Borrowed(args)
    }
}

/// Words a failed argument decode as [`ToolError::InvalidArgs`] naming the field.
fn args_error(e: crate::decode::DecodeError) -> ToolError {
    let path = e.path();
    let message = e.into_inner().to_string();
    // serde reports a missing field at its parent's path; name the field itself so the
    // caller sees `title: missing field` rather than `arguments: missing field `title``.
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split_once('`'))
        .map(|(name, _)| name.to_string());
    let field = match (path.as_str(), missing) {
        (".", Some(name)) => name,
        (".", None) => "arguments".to_string(),
        (_, Some(name)) => format!("{path}.{name}"),
        (_, None) => path,
    };
    ToolError::InvalidArgs { field, message }
}

/// Parses tool arguments like [`parse_args`], after rejecting any key the input schema does
/// not declare (at any depth where it declares properties), naming it with a did-you-mean.
pub fn parse_known_args<T: DeserializeOwned + JsonSchema>(args: &Value) -> Result<T, ToolError> {
    // Without schemars the schema is looked up by the type's name, which the non-generic part
    // does, so that this is a call per argument type rather than the lookup inlined (issue 12).
    #[cfg(not(feature = "schemas"))]
    check_known_keys_of(std::any::type_name::<T>(), args)?;
    #[cfg(feature = "schemas")]
    check_known_keys(&input_schema_of::<T>(), std::any::type_name::<T>(), args)?;
    parse_args(args)
}

/// [`check_known_keys`] against the installed schema of the type named `type_name`.
#[cfg(not(feature = "schemas"))]
fn check_known_keys_of(type_name: &str, args: &Value) -> Result<(), ToolError> {
    check_known_keys(&input_schema_named(type_name), type_name, args)
}

/// The non-generic part of [`parse_known_args`]: `args` against the schema of the argument
/// type named `type_name`.
fn check_known_keys(schema: &Value, type_name: &str, args: &Value) -> Result<(), ToolError> {
    // Without the `schemas` feature a type missing from the installed table has a `null`
    // schema; checking against it would let every key through, so the call is refused.
    if schema.is_null() {
        return Err(ToolError::Failed(format!(
            "the input schema of {type_name} is missing from this build's schema table"
        )));
    }
    shared::unknown_keys::check(schema, args)
}

/// The published input schema of an argument type, as the table made at build time has it
/// ([`schema_table`]; `null` if it is not there). Builds without the `schemas` feature (the
/// extension's wasm) take schemas from there instead of generating them.
#[cfg(not(feature = "schemas"))]
pub fn input_schema_of<T: JsonSchema>() -> Arc<Value> {
    input_schema_named(std::any::type_name::<T>())
}

/// [`input_schema_of`] by the type's name: the non-generic part.
#[cfg(not(feature = "schemas"))]
fn input_schema_named(type_name: &str) -> Arc<Value> {
    schema_table::lookup(type_name).unwrap_or_else(|| Arc::new(Value::Null))
}

/// The published input schema of an argument type: [`schema_of`] with every object that
/// declares properties closed (`additionalProperties: false`). Generated once per type and
/// cached, because validation needs it on every call and schemars is not free.
#[cfg(feature = "schemas")]
pub fn input_schema_of<T: JsonSchema>() -> Arc<Value> {
    type Cache = std::sync::Mutex<std::collections::HashMap<&'static str, Arc<Value>>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    // The type name is unique per argument type; it keys the cache without a `'static` bound.
    let key = std::any::type_name::<T>();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
        return hit.clone();
    }
    let mut schema = schema_of::<T>();
    shared::unknown_keys::close_root(&mut schema);
    shared::lean_schema::compact(&mut schema);
    let schema = Arc::new(schema);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, schema.clone());
    schema
}

/// The JSON Schema of a type, as an object (what MCP wants for input/output schemas).
#[cfg(feature = "schemas")]
pub fn schema_of<T: JsonSchema>() -> Value {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut v = serde_json::to_value(schema).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        // MCP clients only need the schema itself; `$schema` and `title` add noise.
        map.remove("$schema");
        map.remove("title");
        if !map.contains_key("type") {
            map.insert("type".into(), Value::String("object".into()));
        }
    }
    drop_nonstandard_integer_formats(&mut v);
    v
}

/// Removes the `format` schemars puts on integer schemas from Rust's type (`uint` for `usize`,
/// `uint32`, `int8`…). Those names are in neither JSON Schema nor OpenAPI, so validators such as
/// the MCP Inspector's warn about every one of them; the range they imply is already stated by
/// `minimum` (kept). `int32` and `int64` stay: they are OpenAPI formats that validators know.
#[cfg(feature = "schemas")]
fn drop_nonstandard_integer_formats(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let is_integer = match map.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                _ => false,
            };
            let nonstandard = matches!(
                map.get("format"),
                Some(Value::String(f)) if f != "int32" && f != "int64"
            );
            if is_integer && nonstandard {
                map.remove("format");
            }
            map.values_mut().for_each(drop_nonstandard_integer_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nonstandard_integer_formats),
        _ => {}
    }
}

impl<T: TypedTool> Tool for T {
    fn name(&self) -> &'static str {
        T::NAME
    }
    fn description(&self) -> &'static str {
        T::DESCRIPTION
    }
    fn annotations(&self) -> Annotations {
        T::ANNOTATIONS
    }
    fn input_schema(&self) -> Value {
        input_schema_of::<T::Args>().as_ref().clone()
    }
    fn output_schema(&self) -> Value {
        #[cfg(feature = "schemas")]
        return schema_of::<T::Output>();
        #[cfg(not(feature = "schemas"))]
        Value::Null
    }
    fn schema_key(&self) -> &'static str {
        std::any::type_name::<T::Args>()
    }
    fn ui_resource(&self) -> Option<&'static str> {
        T::UI_RESOURCE
    }
    fn prepare(&self, args: Value) -> Result<CheckedCall<'_>, ToolError> {
        let parsed: T::Args = parse_known_args(&args)?;
        T::check(&parsed)?;
        Ok(CheckedCall {
            tool: self,
            args,
            parsed: Box::new(parsed),
        })
    }
    fn run_parsed<'a>(
        &'a self,
        ctx: &'a ToolContext,
        parsed: ParsedArgs,
    ) -> BoxFuture<'a, Result<ToolOutput, ToolError>> {
        Box::pin(async move {
            // `CheckedCall` pairs the parsed struct with the tool that parsed it, so this
            // cannot fail; it is an error rather than a panic all the same.
            let parsed = *parsed
                .downcast::<T::Args>()
                .map_err(|_| wrong_args(T::NAME))?;
            // Only the tool's own `run` and the encoding of its output are generic; the rest
            // (the duplicate guard, notices, bounding) is one copy for every tool, not one per
            // tool in the wasm module (issue 12).
            let guarded = guard_creates(ctx, T::ANNOTATIONS);
            let ctx = guarded.as_ref().unwrap_or(ctx);
            let (text, output) = self.run(ctx, parsed).await?;
            let structured = serde_json::to_value(&output).map_err(encode_error);
            finish_output(ctx, text, structured)
        })
    }
}

/// The error for arguments parsed by another tool (which [`CheckedCall`] rules out).
fn wrong_args(tool: &str) -> ToolError {
    ToolError::Failed(format!("{tool}: arguments parsed for another tool"))
}

/// The error for an output that does not encode as JSON.
fn encode_error(e: serde_json::Error) -> ToolError {
    ToolError::Failed(format!("could not encode the result: {e}"))
}

/// Creates run with the client's duplicate guard: an identical create within ten minutes
/// returns the first one's result, and the text says so. `None`: not a create, run as is.
fn guard_creates(ctx: &ToolContext, a: Annotations) -> Option<ToolContext> {
    (!a.read_only && !a.destructive && !a.idempotent).then(|| ctx.guarding_creates())
}

/// A finished run as its [`ToolOutput`]: the clients' notices in front of the text, and the
/// structured output bounded.
fn finish_output(
    ctx: &ToolContext,
    mut text: String,
    structured: Result<Value, ToolError>,
) -> Result<ToolOutput, ToolError> {
    let mut notices = ctx.client.take_notices();
    if let Some(icu) = &ctx.icu {
        notices.extend(icu.take_notices());
    }
    if !notices.is_empty() {
        text = format!("{}\n{text}", notices.join("\n"));
    }
    let mut structured = structured?;
    shared::bounded::bound(
        &mut structured,
        &mut text,
        shared::bounded::MAX_STRUCTURED_BYTES,
    );
    Ok(ToolOutput { text, structured })
}

/// Every tool, in the reference server's registration order, then Paceline's additions.
pub static CATALOG: &[&dyn Tool] = &[
    // A. Profile (1).
    &get_athlete_profile::GetAthleteProfile,
    // B. Workouts (2–15).
    &get_workout_types::GetWorkoutTypes,
    &get_workouts::GetWorkouts,
    &get_workout::GetWorkout,
    &get_weekly_summary::GetWeeklySummary,
    &create_workout::CreateWorkout,
    &update_workout::UpdateWorkout,
    &delete_workout::DeleteWorkout,
    &copy_workout::CopyWorkout,
    &reorder_workouts::ReorderWorkouts,
    &get_workout_comments::GetWorkoutComments,
    &add_workout_comment::AddWorkoutComment,
    &delete_workout_comment::DeleteWorkoutComment,
    &update_private_workout_note::UpdatePrivateWorkoutNote,
    &validate_workout_structure::ValidateWorkoutStructure,
    // C. Fitness (16–19).
    &get_atp::GetAtp,
    &get_fitness_metrics::GetFitnessMetrics,
    &get_workout_prs::GetWorkoutPrs,
    &get_peaks::GetPeaks,
    // D. Equipment (20–23).
    &get_equipment::GetEquipment,
    &create_equipment::CreateEquipment,
    &update_equipment_item::UpdateEquipmentItem,
    &delete_equipment::DeleteEquipment,
    // E. Settings and zones (24–30).
    &get_athlete_settings::GetAthleteSettings,
    &update_ftp::UpdateFtp,
    &update_hr_zones::UpdateHrZones,
    &update_speed_zones::UpdateSpeedZones,
    &get_weather_settings::GetWeatherSettings,
    &get_pool_length_settings::GetPoolLengthSettings,
    &update_nutrition::UpdateNutrition,
    // F. Events, notes, availability, goals (31–48).
    &get_focus_event::GetFocusEvent,
    &get_next_planned_event::GetNextPlannedEvent,
    &get_events::GetEvents,
    &create_event::CreateEvent,
    &delete_event::DeleteEvent,
    &update_event::UpdateEvent,
    &get_note::GetNote,
    &update_note::UpdateNote,
    &get_note_comments::GetNoteComments,
    &add_note_comment::AddNoteComment,
    &create_note::CreateNote,
    &delete_note::DeleteNote,
    &get_availability::GetAvailability,
    &create_availability::CreateAvailability,
    &update_availability::UpdateAvailability,
    &delete_availability::DeleteAvailability,
    &create_goal_list::CreateGoalList,
    &delete_goal_list::DeleteGoalList,
    // I. Library (49–59).
    &get_libraries::GetLibraries,
    &get_library_items::GetLibraryItems,
    &get_library_item::GetLibraryItem,
    &create_library::CreateLibrary,
    &create_library_item::CreateLibraryItem,
    &schedule_library_workout::ScheduleLibraryWorkout,
    &update_library::UpdateLibrary,
    &move_library_item::MoveLibraryItem,
    &update_library_item::UpdateLibraryItem,
    &delete_library_item::DeleteLibraryItem,
    &delete_library::DeleteLibrary,
    // J. Strength (60–61).
    &create_strength_workout::CreateStrengthWorkout,
    &get_strength_workout_summary::GetStrengthWorkoutSummary,
    // K. Health metrics and nutrition (62–64).
    &get_nutrition::GetNutrition,
    &get_metrics::GetMetrics,
    &log_metrics::LogMetrics,
    // Paceline additions.
    &list_athletes::ListAthletes,
    // Planning, fitness and readiness (issue 10).
    &get_planned_workouts::GetPlannedWorkouts,
    &skip_workout::SkipWorkout,
    &set_workout_advice::SetWorkoutAdvice,
    &create_workout_by_intensity::CreateWorkoutByIntensity,
    &scale_workout_intensity::ScaleWorkoutIntensity,
    &get_fitness_projection::GetFitnessProjection,
    &predict_race::PredictRace,
    &get_readiness::GetReadiness,
    // Activity analysis (issue 10).
    &get_activity_analysis::GetActivityAnalysis,
    &get_activity_streams::GetActivityStreams,
    &analyze_activity_range::AnalyzeActivityRange,
    &get_power_curve::GetPowerCurve,
    &get_training_distribution::GetTrainingDistribution,
    &render_chart::RenderChart,
];

/// The tools that copy between TrainingPeaks and Intervals.icu, each with the service it
/// changes and the one it reads. They need both clients, so only [`Platform::All`] publishes
/// them (the reasons are in [`platform`]'s docs); they are not in [`CATALOG`].
pub static BETWEEN_PLATFORMS: &[platform::Between] = &[
    platform::Between {
        tool: &copy_workout_to_intervals::CopyWorkoutToIntervals,
        writes: platform::Service::Intervals,
        reads: platform::Service::TrainingPeaks,
    },
    platform::Between {
        tool: &copy_workout_to_trainingpeaks::CopyWorkoutToTrainingpeaks,
        writes: platform::Service::TrainingPeaks,
        reads: platform::Service::Intervals,
    },
];

/// Looks a tool up by name.
pub fn find(name: &str) -> Option<&'static dyn Tool> {
    CATALOG.iter().copied().find(|t| t.name() == name)
}

/// Validates and runs one tool by name.
pub async fn call(ctx: &ToolContext, name: &str, args: Value) -> Result<ToolOutput, ToolError> {
    let tool = find(name).ok_or_else(|| ToolError::UnknownTool(name.to_string()))?;
    tool.call(ctx, args).await
}

/// One tool as an MCP `tools/list` entry: name, title, description, input and output schemas,
/// and annotations. The MCP server and the extension both describe tools with this, so the
/// extension enforces exactly the hints the MCP client sees.
pub fn describe(tool: &dyn Tool) -> Value {
    let a = tool.annotations();
    let output_schema = tool.output_schema();
    let no_output_schema = output_schema.is_null();
    let mut entry = serde_json::json!({
        "name": tool.name(),
        "title": a.title,
        "description": tool.description(),
        "inputSchema": tool.input_schema(),
        "outputSchema": output_schema,
        "annotations": {
            "title": a.title,
            "readOnlyHint": a.read_only,
            "destructiveHint": a.destructive,
            "idempotentHint": a.idempotent,
            // Every tool talks to an external system (TrainingPeaks or Intervals.icu).
            "openWorldHint": true,
        },
    });
    // A build without the `schemas` feature has no output schemas: the key is left out rather
    // than published as `null` (see [`schema_table`]).
    if let (true, Value::Object(map)) = (no_output_schema, &mut entry) {
        map.shift_remove("outputSchema");
    }
    if let (Some(uri), Value::Object(map)) = (tool.ui_resource(), &mut entry) {
        // MCP Apps (SEP-1865): `_meta.ui.resourceUri` links the tool to its `ui://` view; the
        // flat `ui/resourceUri` is the key hosts read before the extension was final.
        map.insert(
            "_meta".into(),
            serde_json::json!({"ui": {"resourceUri": uri}, "ui/resourceUri": uri}),
        );
    }
    entry
}

/// The whole catalogue as a JSON array of [`describe`] entries.
pub fn list_json() -> Value {
    Value::Array(CATALOG.iter().map(|t| describe(*t)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `format` value anywhere in a schema, with the `type` beside it.
    fn formats(v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(f)) = map.get("format") {
                    let t = map.get("type").map(Value::to_string).unwrap_or_default();
                    out.push((t, f.clone()));
                }
                map.values().for_each(|v| formats(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| formats(v, out)),
            _ => {}
        }
    }

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct Ints {
        count: usize,
        small: u32,
        maybe: Option<u8>,
        signed: i64,
        narrow: i32,
        list: Vec<u16>,
        ratio: f64,
    }

    #[test]
    #[cfg(feature = "schemas")]
    fn integer_schemas_keep_only_standard_formats_and_their_minimum() {
        let s = schema_of::<Ints>();
        let p = &s["properties"];
        let cases = [
            ("usize", &p["count"], None, Some(0)),
            ("u32", &p["small"], None, Some(0)),
            ("Option<u8>", &p["maybe"], None, Some(0)),
            ("i64", &p["signed"], Some("int64"), None),
            ("i32", &p["narrow"], Some("int32"), None),
            ("Vec<u16> items", &p["list"]["items"], None, Some(0)),
            ("f64 untouched", &p["ratio"], Some("double"), None),
        ];
        for (name, schema, format, minimum) in cases {
            assert_eq!(
                schema.get("format").and_then(Value::as_str),
                format,
                "{name}: {schema}"
            );
            assert_eq!(
                schema.get("minimum").and_then(Value::as_i64),
                minimum,
                "{name}: {schema}"
            );
        }
    }

    /// A context whose transport fails the test if anything is sent: argument errors must be
    /// caught before any request.
    fn offline_context() -> ToolContext {
        use crate::http::{FnTransport, HttpRequest};
        let transport = FnTransport(
            |req: HttpRequest| -> Result<_, crate::http::TransportError> {
                panic!("no request expected, got {} {}", req.method, req.url)
            },
        );
        let clock = Arc::new(crate::clock::ManualClock::at_date(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
        ));
        ToolContext::new(Arc::new(TpClient::new(Arc::new(transport), clock)))
    }

    fn expect_invalid(r: Result<(), ToolError>, field: &str, what: &str) -> String {
        match r {
            Err(ToolError::InvalidArgs { field: f, message }) => {
                assert_eq!(f, field, "{what}: {message}");
                message
            }
            other => panic!("{what}: expected InvalidArgs on `{field}`, got {other:?}"),
        }
    }

    #[test]
    fn every_tool_rejects_an_unknown_key_naming_it() {
        let ctx = offline_context();
        let between = BETWEEN_PLATFORMS.iter().map(|b| &b.tool);
        for tool in CATALOG.iter().chain(between) {
            let name = tool.name();
            let schema = tool.input_schema();
            assert_eq!(
                schema.get("additionalProperties"),
                Some(&Value::Bool(false)),
                "{name}: the published input schema must be closed"
            );
            let args = serde_json::json!({"zzUnknown": 1});
            let message = expect_invalid(tool.validate(&args), "zzUnknown", name);
            assert!(message.contains("unknown argument"), "{name}: {message}");
            // Listed names let the caller fix the call without another round trip.
            if let Some(first) = schema["properties"]
                .as_object()
                .and_then(|p| p.keys().next())
            {
                assert!(message.contains(first.as_str()), "{name}: {message}");
            }
            let called = futures_executor::block_on(tool.call(&ctx, args)).map(|_| ());
            expect_invalid(called, "zzUnknown", name);
        }
    }

    #[test]
    fn a_misspelt_key_gets_a_did_you_mean() {
        let cases = [
            (
                "get_workout",
                serde_json::json!({"workout_idd": 5}),
                "workout_idd",
                "workout_id",
            ),
            (
                "get_workout",
                serde_json::json!({"workoutId": 5}),
                "workoutId",
                "workout_id",
            ),
            (
                "get_workouts",
                serde_json::json!({"start_date": "2026-03-01", "end_dat": "2026-03-02"}),
                "end_dat",
                "end_date",
            ),
            (
                "create_strength_workout",
                serde_json::json!({"date": "2026-03-01", "title": "t", "exercises": [
                    {"id": "1", "name": "Squat", "sets_data": [{"Reps": 5}]},
                    {"id": "2", "nme": "Lunge", "sets_data": []}
                ]}),
                "exercises[1].nme",
                "name",
            ),
        ];
        for (tool, args, field, close) in cases {
            let tool = find(tool).expect("tool in the catalogue");
            let message = expect_invalid(tool.validate(&args), field, tool.name());
            assert!(
                message.contains(&format!("did you mean `{close}`")),
                "{field}: {message}"
            );
        }
    }

    #[test]
    fn free_form_fields_stay_open() {
        // `sets_data` entries are maps of parameter names; `structure` is compiled (and its keys
        // checked) by the structure compiler, not by the schema.
        let tool = find("create_strength_workout").expect("tool");
        let args = serde_json::json!({"date": "2026-03-01", "title": "t", "exercises": [
            {"id": "1", "name": "Squat", "sets_data": [{"Reps": 5, "WeightKg": 40}]}]});
        assert_eq!(tool.validate(&args), Ok(()));
    }

    /// A tool that counts how often its arguments are checked.
    struct CountsChecks;

    static CHECKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// Arguments of [`CountsChecks`].
    #[derive(serde::Deserialize, JsonSchema)]
    struct CountsChecksArgs {
        /// Any number.
        n: i64,
    }

    impl TypedTool for CountsChecks {
        type Args = CountsChecksArgs;
        type Output = Value;
        const NAME: &'static str = "counts_checks";
        const DESCRIPTION: &'static str = "Counts checks (test tool).";
        const ANNOTATIONS: Annotations = Annotations::read("Count checks");

        fn check(_: &Self::Args) -> Result<(), ToolError> {
            CHECKS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        }

        async fn run(
            &self,
            _: &ToolContext,
            args: Self::Args,
        ) -> Result<(String, Self::Output), ToolError> {
            Ok((format!("n = {}", args.n), serde_json::json!({"n": args.n})))
        }
    }

    #[test]
    fn a_call_is_checked_once_and_runs_with_what_was_checked() {
        let ctx = offline_context();
        let checks = || CHECKS.load(std::sync::atomic::Ordering::SeqCst);
        // The host's path: prepare (the gate sees the arguments as sent), then run.
        let call = CountsChecks
            .prepare(serde_json::json!({"n": 7}))
            .expect("valid");
        assert_eq!(checks(), 1);
        assert_eq!(call.tool().name(), "counts_checks");
        assert_eq!(call.args(), &serde_json::json!({"n": 7}));
        let out = futures_executor::block_on(call.run(&ctx)).expect("runs");
        assert_eq!(out.structured, serde_json::json!({"n": 7}));
        assert_eq!(checks(), 1, "running a prepared call does not check again");
        // The wasm's path: one call that checks and runs.
        let tool: &dyn Tool = &CountsChecks;
        let out = futures_executor::block_on(tool.call(&ctx, serde_json::json!({"n": 8})));
        assert_eq!(out.map(|o| o.text), Ok("n = 8".to_string()));
        assert_eq!(checks(), 2);
        // A bad call is refused by prepare, before anything could run or be relayed.
        let bad = CountsChecks.prepare(serde_json::json!({"n": "x"}));
        assert!(matches!(bad, Err(ToolError::InvalidArgs { ref field, .. }) if field == "n"));
    }

    #[test]
    fn no_catalogue_schema_has_a_nonstandard_integer_format() {
        for tool in CATALOG
            .iter()
            .chain(BETWEEN_PLATFORMS.iter().map(|b| &b.tool))
        {
            let mut found = Vec::new();
            formats(&tool.input_schema(), &mut found);
            formats(&tool.output_schema(), &mut found);
            let bad: Vec<_> = found
                .iter()
                .filter(|(t, f)| t.contains("integer") && f != "int32" && f != "int64")
                .collect();
            assert!(bad.is_empty(), "{}: {bad:?}", tool.name());
        }
    }
}
