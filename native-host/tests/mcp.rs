//! `paceline mcp --sandbox` end to end: rmcp's client drives the built binary as a child
//! process, the way Claude Desktop or the MCP Inspector does.
//!
//! The catalogue grows as tool areas land, so these tests iterate [`CATALOG`] instead of naming
//! tools: every read-only tool is called with minimal arguments generated from its own input
//! schema, and ids are discovered from what the list tools return.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// test code: a panic is the failure report

// Which tools were skipped or only partly checked is worth seeing with `--nocapture`.
#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use paceline_core::tools::CATALOG;
use rmcp::model::{CallToolRequestParams, CallToolResult, ErrorCode, Tool as McpTool};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ServiceError, ServiceExt};
use serde_json::{Map, Value, json};

type Client = RunningService<RoleClient, ()>;

async fn start() -> Client {
    start_with(&[]).await
}

/// `paceline mcp --sandbox` with more flags (`--allow-writes` for the tests that write: this
/// client cannot answer a confirmation question).
async fn start_with(flags: &'static [&'static str]) -> Client {
    let cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_paceline")).configure(|c| {
        c.arg("mcp").arg("--sandbox").args(flags);
    });
    let transport = TokioChildProcess::new(cmd).expect("spawn paceline mcp --sandbox");
    ().serve(transport).await.expect("initialize")
}

async fn call(client: &Client, name: &str, args: Value) -> Result<CallToolResult, ServiceError> {
    let mut params = CallToolRequestParams::new(name.to_string());
    if let Value::Object(map) = args {
        params = params.with_arguments(map);
    }
    client.call_tool(params).await
}

fn text_of(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn rpc_error(what: &str, r: Result<CallToolResult, ServiceError>) -> rmcp::ErrorData {
    match r {
        Err(ServiceError::McpError(e)) => e,
        other => panic!("{what}: expected a JSON-RPC error, got {other:?}"),
    }
}

/// The athlete's "today", as the server computes it (the host's own clock).
fn today() -> NaiveDate {
    paceline_core::clock::Clock::today(&paceline_host::clock::SystemClock)
}

/// A minimal valid value for one schema: required fields only, first enum value, and dates
/// chosen by the field's name (a `start` a week ago, an `end` or anything else today).
fn sample(schema: &Value, defs: &Value, name: &str) -> Value {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let key = r.trim_start_matches("#/$defs/");
        return sample(defs.get(key).unwrap_or(&Value::Null), defs, name);
    }
    if let Some(c) = schema.get("const") {
        return c.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = schema.get(key).and_then(Value::as_array) {
            let non_null = variants
                .iter()
                .find(|v| v.get("type") != Some(&json!("null")));
            if let Some(v) = non_null {
                return sample(v, defs, name);
            }
        }
    }
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ => "object",
    };
    match ty {
        "string" if schema.get("format") == Some(&json!("date")) => {
            let day = if name.contains("start") {
                today() - Duration::days(6)
            } else {
                today()
            };
            json!(day.format("%Y-%m-%d").to_string())
        }
        "string" => json!("test"),
        "integer" => schema.get("minimum").cloned().unwrap_or(json!(1)),
        "number" => schema.get("minimum").cloned().unwrap_or(json!(1.0)),
        "boolean" => json!(false),
        "array" => json!([]),
        "null" => Value::Null,
        _ => {
            let mut obj = Map::new();
            let props = schema.get("properties").cloned().unwrap_or(json!({}));
            for req in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(field) = req.as_str() {
                    obj.insert(field.to_string(), sample(&props[field], defs, field));
                }
            }
            Value::Object(obj)
        }
    }
}

/// Required integer arguments named `<thing>_id` (other than `athlete_id`).
fn required_ids(schema: &Map<String, Value>) -> Vec<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|f| f.ends_with("_id") && *f != "athlete_id")
        .map(str::to_string)
        .collect()
}

/// Collects ids from tool outputs, one record per JSON object: `{"events": [{"id": 7}]}` gives
/// `{event_id: 7}`, and `{"items": [{"id": 5, "library_id": 2}]}` gives
/// `{item_id: 5, library_id: 2}`, so ids that belong together (an item and its library) are
/// used together. Ids may be numbers or strings (strength workouts use numeric strings).
fn harvest(v: &Value, parent: &str, records: &mut Vec<BTreeMap<String, Value>>) {
    let is_id = |v: &Value| v.is_i64() || v.as_str().is_some_and(|s| !s.is_empty());
    match v {
        Value::Object(map) => {
            let mut record = BTreeMap::new();
            for (k, child) in map {
                if k.ends_with("_id") && is_id(child) {
                    record.insert(k.clone(), child.clone());
                }
                if k == "id" && !parent.is_empty() && is_id(child) {
                    record.insert(format!("{}_id", singular(parent)), child.clone());
                }
                harvest(child, k, records);
            }
            if !record.is_empty() {
                records.push(record);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| harvest(i, parent, records)),
        _ => {}
    }
}

/// Whether a discovered id has the JSON type the field takes: a strength workout's
/// `workout_id` is a string, a calendar workout's a number, and they are different things.
fn fits(schema: &Value, field: &str, id: &Value) -> bool {
    if wants_string(schema, field) {
        id.is_string()
    } else {
        id.is_i64()
    }
}

/// Ids for every field from one record that holds them all.
fn find_ids_together(
    records: &[BTreeMap<String, Value>],
    schema: &Value,
    fields: &[String],
) -> Option<Vec<(String, Value)>> {
    records.iter().find_map(|r| {
        fields
            .iter()
            .map(|f| {
                r.get(f)
                    .filter(|id| fits(schema, f, id))
                    .map(|id| (f.clone(), id.clone()))
            })
            .collect()
    })
}

/// Ids for every field, each from the first record that has it.
fn find_ids(
    records: &[BTreeMap<String, Value>],
    schema: &Value,
    fields: &[String],
) -> Option<Vec<(String, Value)>> {
    fields
        .iter()
        .map(|f| {
            records
                .iter()
                .find_map(|r| r.get(f).filter(|id| fits(schema, f, id)))
                .map(|id| (f.clone(), id.clone()))
        })
        .collect()
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        word.strip_suffix('s').unwrap_or(word).to_string()
    }
}

/// An id no sandbox object has.
const UNKNOWN_ID: i64 = 987_654_321;

/// Whether the schema wants `field` as a string.
fn wants_string(schema: &Value, field: &str) -> bool {
    let ty = &schema["properties"][field]["type"];
    ty == "string" || ty.as_array().is_some_and(|t| t.contains(&json!("string")))
}

/// [`UNKNOWN_ID`] in the type the field takes.
fn unknown_id(schema: &Value, field: &str) -> Value {
    if wants_string(schema, field) {
        json!(UNKNOWN_ID.to_string())
    } else {
        json!(UNKNOWN_ID)
    }
}

/// Minimal arguments for a tool: generated from its schema, except where a valid value cannot be
/// derived from the schema alone (a free-form structure).
fn base_args(tool: &str, schema: &Value) -> Value {
    match tool {
        "validate_workout_structure" => json!({"structure": {"steps": [
            {"name": "Endurance", "duration_seconds": 1200, "intensity_min": 60, "intensity_max": 70}
        ]}}),
        // A range of an activity must be a range (the zeros the sampler gives are not).
        "analyze_activity_range" | "icu_analyze_activity_range" => {
            let mut args = sample(schema, schema.get("$defs").unwrap_or(&Value::Null), "");
            args["start_s"] = json!(0);
            args["end_s"] = json!(600);
            args
        }
        _ => sample(schema, schema.get("$defs").unwrap_or(&Value::Null), ""),
    }
}

#[tokio::test]
async fn initialize_answers_with_server_info() {
    let client = start().await;
    let info = client.peer_info().expect("initialize result");
    let server = info.server_info.as_ref().expect("server info");
    assert_eq!(server.name, "paceline");
    assert_eq!(server.version, env!("CARGO_PKG_VERSION"));
    assert!(info.capabilities.tools.is_some());
    let instructions = info.instructions.as_deref().unwrap_or_default();
    assert!(instructions.contains("YYYY-MM-DD"), "{instructions}");
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn list_tools_is_the_catalogue() {
    let client = start_with(&["--toolsets", "all"]).await;
    let tools: Vec<McpTool> = client.list_all_tools().await.expect("tools/list");
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    let want: Vec<&str> = CATALOG.iter().map(|t| t.name()).collect();
    assert_eq!(names, want, "tools/list must be the catalogue, in order");
    for (mcp, tool) in tools.iter().zip(CATALOG.iter()) {
        let name = tool.name();
        let a = tool.annotations();
        assert_eq!(
            mcp.description.as_deref(),
            Some(tool.description()),
            "{name}"
        );
        assert_eq!(mcp.title.as_deref(), Some(a.title), "{name}");
        assert_eq!(
            Value::Object((*mcp.input_schema).clone()),
            tool.input_schema(),
            "{name}"
        );
        assert_eq!(
            mcp.input_schema.get("type"),
            Some(&json!("object")),
            "{name}: input schema is an object"
        );
        let out = mcp
            .output_schema
            .as_ref()
            .map(|s| Value::Object((**s).clone()));
        assert_eq!(out, Some(tool.output_schema()), "{name}");
        let ann = mcp.annotations.as_ref().expect("annotations");
        assert_eq!(
            (
                ann.title.as_deref(),
                ann.read_only_hint,
                ann.destructive_hint,
                ann.idempotent_hint,
                ann.open_world_hint
            ),
            (
                Some(a.title),
                Some(a.read_only),
                Some(a.destructive),
                Some(a.idempotent),
                Some(true)
            ),
            "{name}"
        );
    }
    client.cancel().await.expect("clean shutdown");
}

/// The default `tools/list`: the default toolset, no larger than the reference server's whole
/// list (37 KB of compact JSON of name, title, description and input schema, what a client puts
/// in front of the model); a tool left out of it still runs when called by name.
#[tokio::test]
async fn the_default_list_is_lean_and_hidden_tools_still_run() {
    use paceline_core::tools::toolsets::{DEFAULT_MAX, DEFAULT_TRAININGPEAKS};
    let client = start().await;
    let tools = client.list_all_tools().await.expect("tools/list");
    assert!(
        !tools.is_empty() && tools.len() <= DEFAULT_MAX,
        "{}",
        tools.len()
    );
    assert!(
        tools
            .iter()
            .all(|t| DEFAULT_TRAININGPEAKS.contains(&t.name.as_ref()))
    );
    let bytes: usize = tools
        .iter()
        .map(|t| {
            let seen = json!({"name": t.name, "title": t.title, "description": t.description,
                "inputSchema": t.input_schema});
            serde_json::to_vec(&seen).expect("serialisable").len()
        })
        .sum();
    assert!(bytes <= 37 * 1024, "default tools/list is {bytes} bytes");
    assert!(!tools.iter().any(|t| t.name == "get_libraries"));
    let r = call(&client, "get_libraries", json!({}))
        .await
        .expect("a hidden tool runs by name");
    assert_ne!(r.is_error, Some(true), "{}", text_of(&r));
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn every_read_only_tool_answers_with_minimal_arguments() {
    // Writes are allowed only for pass 0 below.
    let client = start_with(&["--allow-writes", "--toolsets", "all"]).await;
    let tools = client.list_all_tools().await.expect("tools/list");
    let read_only: Vec<&McpTool> = tools
        .iter()
        .filter(|t| t.annotations.as_ref().and_then(|a| a.read_only_hint) == Some(true))
        .collect();

    // Pass 0: the sample athlete has no note and no strength workout that a list tool
    // returns, so create one of each for the tools that read them.
    let mut ids: Vec<BTreeMap<String, Value>> = Vec::new();
    let seeds = [
        (
            "create_note",
            json!({"date": today().to_string(), "title": "Sweep note"}),
        ),
        (
            "create_strength_workout",
            json!({"date": today().to_string(), "title": "Sweep strength", "exercises": [
                {"id": "5178", "name": "Goblet Squat", "sets_data": [{"Reps": "10", "WeightKg": "40"}]}
            ]}),
        ),
    ];
    for (tool, args) in seeds {
        let created = ok_call(&client, tool, args).await;
        harvest(&created, "", &mut ids);
    }

    // Pass 1: tools that need no id; their outputs are where ids come from.
    let mut called = Vec::new();
    for tool in read_only
        .iter()
        .filter(|t| required_ids(&t.input_schema).is_empty())
    {
        let schema = Value::Object((*tool.input_schema).clone());
        let args = base_args(&tool.name, &schema);
        let r = call(&client, &tool.name, args.clone())
            .await
            .unwrap_or_else(|e| panic!("{} {args}: {e}", tool.name));
        assert_eq!(
            r.is_error,
            Some(false),
            "{} {args}: {}",
            tool.name,
            text_of(&r)
        );
        assert!(!text_of(&r).trim().is_empty(), "{}: empty text", tool.name);
        let structured = r.structured_content.clone().unwrap_or(Value::Null);
        assert!(
            structured.is_object(),
            "{}: structuredContent must be an object",
            tool.name
        );
        harvest(&structured, "", &mut ids);
        called.push(tool.name.to_string());
    }

    // Pass 2: tools that need ids. An unknown id must be a tool error, never a protocol
    // failure.
    let id_tools: Vec<&McpTool> = read_only
        .iter()
        .copied()
        .filter(|t| !required_ids(&t.input_schema).is_empty())
        .collect();
    for tool in &id_tools {
        let schema = Value::Object((*tool.input_schema).clone());
        let mut unknown = base_args(&tool.name, &schema);
        for f in required_ids(&tool.input_schema) {
            unknown[f.as_str()] = unknown_id(&schema, &f);
        }
        let r = call(&client, &tool.name, unknown.clone())
            .await
            .unwrap_or_else(|e| panic!("{} {unknown}: {e}", tool.name));
        assert_eq!(
            r.is_error,
            Some(true),
            "{} with unknown ids {unknown}: {}",
            tool.name,
            text_of(&r)
        );
    }

    // Pass 3: the same tools with discovered ids, which must work. Ids found together in one
    // object (an item and its library) are trusted; outputs of each round feed the next
    // (library → items → item). Ids only found apart are tried last, as a best effort.
    let mut pending = id_tools;
    for together in [true, false] {
        loop {
            let mut progressed = false;
            let mut still = Vec::new();
            for tool in pending {
                let schema = Value::Object((*tool.input_schema).clone());
                let fields = required_ids(&tool.input_schema);
                let found = if together {
                    find_ids_together(&ids, &schema, &fields)
                } else {
                    find_ids(&ids, &schema, &fields)
                };
                let Some(found) = found else {
                    still.push(tool);
                    continue;
                };
                let mut known = base_args(&tool.name, &schema);
                for (f, id) in found {
                    known[f.as_str()] = id;
                }
                let r = call(&client, &tool.name, known.clone())
                    .await
                    .unwrap_or_else(|e| panic!("{} {known}: {e}", tool.name));
                if !together && r.is_error == Some(true) {
                    eprintln!(
                        "{}: ids found apart did not belong together ({known}): {}",
                        tool.name,
                        text_of(&r)
                    );
                    continue;
                }
                assert_eq!(
                    r.is_error,
                    Some(false),
                    "{} {known}: {}",
                    tool.name,
                    text_of(&r)
                );
                let structured = r.structured_content.clone().unwrap_or(Value::Null);
                assert!(structured.is_object(), "{}", tool.name);
                harvest(&structured, "", &mut ids);
                called.push(tool.name.to_string());
                progressed = true;
            }
            pending = still;
            if !progressed || !together {
                break;
            }
        }
    }
    let missing: Vec<String> = pending
        .iter()
        .map(|t| format!("{} (needs {:?})", t.name, required_ids(&t.input_schema)))
        .collect();
    assert!(
        missing.is_empty(),
        "no ids discovered from the list tools for: {missing:?}"
    );
    // Every read-only tool answered successfully, not just one of them.
    let mut want: Vec<String> = read_only.iter().map(|t| t.name.to_string()).collect();
    let mut got = called.clone();
    want.sort();
    got.sort();
    got.dedup();
    assert_eq!(
        got, want,
        "read-only tools that did not answer successfully"
    );
    eprintln!("called all {} read-only tools successfully", want.len());
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn unknown_tool_is_invalid_params() {
    let client = start().await;
    let e = rpc_error(
        "unknown tool",
        call(&client, "no_such_tool", json!({})).await,
    );
    assert_eq!(e.code, ErrorCode::INVALID_PARAMS);
    assert!(e.message.contains("no_such_tool"), "{}", e.message);
    client.cancel().await.expect("clean shutdown");
}

/// The first tool with a date argument, and that argument's name.
fn tool_with_date_arg() -> Option<(&'static str, String, Value)> {
    CATALOG.iter().find_map(|t| {
        let schema = t.input_schema();
        let props = schema.get("properties")?.as_object()?;
        let (field, _) = props
            .iter()
            .find(|(_, p)| p.get("format") == Some(&json!("date")))?;
        let base = sample(&schema, schema.get("$defs").unwrap_or(&Value::Null), "");
        Some((t.name(), field.clone(), base))
    })
}

#[tokio::test]
async fn bad_date_is_invalid_params_naming_the_field() {
    let (tool, field, mut args) =
        tool_with_date_arg().expect("the catalogue has a tool with a date argument");
    let client = start().await;
    for bad in ["21/11/2026", "2026-02-30", "tomorrow"] {
        args[field.as_str()] = json!(bad);
        let e = rpc_error(tool, call(&client, tool, args.clone()).await);
        assert_eq!(e.code, ErrorCode::INVALID_PARAMS, "{tool} {args}");
        assert!(
            e.message.contains(&field),
            "{tool}: {:?} should name {field}",
            e.message
        );
        assert_eq!(
            e.data.as_ref().and_then(|d| d.get("field")),
            Some(&json!(field)),
            "{tool}"
        );
    }
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn end_before_start_is_invalid_params_naming_the_end() {
    let found = CATALOG.iter().find_map(|t| {
        let schema = t.input_schema();
        let props = schema.get("properties")?.as_object()?;
        let is_date = |k: &str| {
            props
                .get(k)
                .is_some_and(|p| p.get("format") == Some(&json!("date")))
        };
        (is_date("start_date") && is_date("end_date")).then(|| (t.name(), schema.clone()))
    });
    let (tool, schema) = found.expect("the catalogue has a tool with start_date and end_date");
    let client = start().await;
    let mut args = sample(&schema, schema.get("$defs").unwrap_or(&Value::Null), "");
    args["start_date"] = json!("2026-03-10");
    args["end_date"] = json!("2026-03-01");
    let e = rpc_error(tool, call(&client, tool, args).await);
    assert_eq!(e.code, ErrorCode::INVALID_PARAMS, "{tool}");
    assert!(e.message.contains("end_date"), "{tool}: {:?}", e.message);
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn a_failing_call_is_a_tool_error_not_a_protocol_error() {
    // Unknown ids are the failure the sandbox can always produce from outside the process.
    // Read-only tools only: a write tool may reject "nothing to change" before looking the id up.
    let with_id: Vec<_> = CATALOG
        .iter()
        .filter(|t| t.annotations().read_only)
        .filter_map(|t| {
            let schema = t.input_schema();
            let ids = required_ids(schema.as_object()?);
            (!ids.is_empty()).then_some((t.name(), schema.clone(), ids))
        })
        .collect();
    assert!(
        !with_id.is_empty(),
        "the catalogue has read-only tools that take an id"
    );
    let client = start().await;
    for (tool, schema, ids) in &with_id {
        let mut args = base_args(tool, schema);
        for f in ids {
            args[f.as_str()] = unknown_id(schema, f);
        }
        let r = call(&client, tool, args.clone())
            .await
            .unwrap_or_else(|e| panic!("{tool} {args}: expected a result, got {e}"));
        assert_eq!(
            r.is_error,
            Some(true),
            "{tool} {args}: an unknown id must be a tool error: {}",
            text_of(&r)
        );
        let text = text_of(&r);
        assert!(
            !text.trim().is_empty(),
            "{tool}: an error must explain itself"
        );
        assert!(
            r.structured_content.is_none(),
            "{tool}: no structured content on error"
        );
    }
    client.cancel().await.expect("clean shutdown");
}

const CONCURRENT: usize = 150;

#[tokio::test]
async fn concurrent_calls_all_answer() {
    let tool = CATALOG
        .iter()
        .find(|t| t.annotations().read_only && t.input_schema().get("required").is_none())
        .expect("the catalogue has a read-only tool without required arguments");
    let client = start().await;
    let mut set = tokio::task::JoinSet::new();
    // More calls than TrainingPeaks' 90-a-minute budget: the sandbox must not be throttled.
    for _ in 0..CONCURRENT {
        let peer = client.peer().clone();
        set.spawn(async move {
            peer.call_tool_once(CallToolRequestParams::new(tool.name()))
                .await
        });
    }
    let mut answered = 0;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while let Some(joined) = tokio::time::timeout_at(deadline, set.join_next())
        .await
        .expect("all calls answered within 30 s")
    {
        match joined.expect("task").expect("result") {
            rmcp::model::CallToolResponse::Complete(r) => {
                assert_eq!(r.is_error, Some(false), "{}", text_of(&r));
                answered += 1;
            }
            other => panic!("unexpected response {other:?}"),
        }
    }
    assert_eq!(answered, CONCURRENT);
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn without_a_browser_tools_list_and_calls_say_what_to_do() {
    // The default backend is the browser bridge. With no bridge running, `tools/list` still
    // answers from the static catalogue and a call is a tool error telling the person what to do.
    let run = tempfile::tempdir().expect("tempdir");
    // Not created yet, as before any bridge has run.
    let dir = run.path().join("run");
    let cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_paceline")).configure(move |c| {
        c.args(["mcp", "--toolsets", "all"])
            .env("PACELINE_RUNTIME_DIR", &dir);
    });
    let client = ().serve(TokioChildProcess::new(cmd).expect("spawn")).await.expect("initialize");
    let tools = client.list_all_tools().await.expect("tools/list");
    assert_eq!(tools.len(), CATALOG.len());
    let r = call(&client, "get_athlete_profile", json!({}))
        .await
        .expect("a result");
    assert_eq!(r.is_error, Some(true));
    assert!(text_of(&r).contains("Open Chrome"), "{}", text_of(&r));
    // Bad arguments are still caught locally, before any relay.
    let e = rpc_error(
        "bad date",
        call(
            &client,
            "get_workouts",
            json!({"start_date": "2026-02-30", "end_date": "2026-03-01"}),
        )
        .await,
    );
    assert_eq!(e.code, ErrorCode::INVALID_PARAMS);
    client.cancel().await.expect("clean shutdown");
}

/// The first value under `key` anywhere in `v` (ids sit at different depths per tool).
fn find_key(v: &Value, key: &str) -> Option<Value> {
    match v {
        Value::Object(m) => m
            .get(key)
            .cloned()
            .or_else(|| m.values().find_map(|x| find_key(x, key))),
        Value::Array(a) => a.iter().find_map(|x| find_key(x, key)),
        _ => None,
    }
}

async fn ok_call(client: &Client, name: &str, args: Value) -> Value {
    let r = call(client, name, args.clone())
        .await
        .unwrap_or_else(|e| panic!("{name} {args}: {e}"));
    assert_ne!(r.is_error, Some(true), "{name} {args}: {}", text_of(&r));
    assert!(!text_of(&r).trim().is_empty(), "{name}: no text");
    r.structured_content
        .unwrap_or_else(|| panic!("{name}: no structuredContent"))
}

#[tokio::test]
async fn write_tools_round_trip_through_mcp() {
    let client = start_with(&["--allow-writes"]).await;
    let day = |n: i64| (today() + chrono::Duration::days(n)).to_string();
    let structure = json!({"steps": [
        {"name": "Warm up", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 65, "intensityClass": "warmUp"},
        {"type": "repetition", "reps": 3, "steps": [
            {"duration_seconds": 900, "intensity_min": 95, "intensity_max": 105},
            {"duration_seconds": 300, "intensity_min": 50, "intensity_max": 55, "intensityClass": "recovery"}]}]});

    // Workouts: create (structure as an object), read, update, copy, delete.
    let created = ok_call(
        &client,
        "create_workout",
        json!({"date": day(3), "sport": "bike", "title": "3x15 threshold", "structure": structure}),
    )
    .await;
    let wid = created["workout_id"].clone();
    assert_eq!(created["sport"], "Bike");
    let got = ok_call(&client, "get_workout", json!({"workout_id": wid})).await;
    assert_eq!(find_key(&got, "title"), Some(json!("3x15 threshold")));
    ok_call(
        &client,
        "update_workout",
        json!({"workout_id": wid, "title": "Threshold, renamed"}),
    )
    .await;
    let got = ok_call(&client, "get_workout", json!({"workout_id": wid})).await;
    assert_eq!(find_key(&got, "title"), Some(json!("Threshold, renamed")));
    let copy = ok_call(
        &client,
        "copy_workout",
        json!({"workout_id": wid, "target_date": day(5)}),
    )
    .await;
    let copy_id = copy["workout_id"].clone();
    assert_ne!(copy_id, wid);
    for id in [&wid, &copy_id] {
        ok_call(&client, "delete_workout", json!({"workout_id": id})).await;
    }
    let gone = call(&client, "get_workout", json!({"workout_id": wid}))
        .await
        .expect("a result");
    assert_eq!(gone.is_error, Some(true), "deleted workout must be gone");

    // Calendar: an event and a note, created then deleted.
    let ev = ok_call(
        &client,
        "create_event",
        json!({"name": "Test 10K", "date": day(30), "event_type": "RoadRunning"}),
    )
    .await;
    let eid = ev["event"]["id"].clone();
    assert!(eid.is_number(), "{ev}");
    ok_call(&client, "delete_event", json!({"event_id": eid})).await;
    let note = ok_call(
        &client,
        "create_note",
        json!({"date": day(1), "title": "Bike fit"}),
    )
    .await;
    let nid = note["note"]["id"].clone();
    assert!(nid.is_number(), "{note}");
    ok_call(&client, "delete_note", json!({"note_id": nid})).await;

    // Equipment, settings, metrics.
    let eq = ok_call(
        &client,
        "create_equipment",
        json!({"name": "Spare wheels", "type": "bike"}),
    )
    .await;
    let eqid = eq["item"]["id"].clone();
    assert!(eqid.is_number(), "{eq}");
    ok_call(&client, "delete_equipment", json!({"equipment_id": eqid})).await;
    ok_call(&client, "update_ftp", json!({"ftp": 270})).await;
    ok_call(
        &client,
        "log_metrics",
        json!({"date": day(0), "weight_kg": 61.5}),
    )
    .await;

    // Library: a library, a structured template, scheduled onto the calendar.
    let lib = ok_call(&client, "create_library", json!({"name": "Test library"})).await;
    let lid = lib["library_id"].clone();
    let item = ok_call(
        &client,
        "create_library_item",
        json!({"library_id": lid, "name": "Threshold", "sport": "bike", "structure": structure}),
    )
    .await;
    let iid = item["item_id"].clone();
    let sched = ok_call(
        &client,
        "schedule_library_workout",
        json!({"item_id": iid, "library_id": lid, "date": day(7)}),
    )
    .await;
    let sid = sched["workout_id"].clone();
    let got = ok_call(&client, "get_workout", json!({"workout_id": sid})).await;
    assert_eq!(find_key(&got, "title"), Some(json!("Threshold")));
    client.cancel().await.expect("clean shutdown");
}
