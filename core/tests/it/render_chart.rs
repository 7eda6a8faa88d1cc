//! `render_chart` against the sandbox (through `tools::call`): each kind draws an SVG from the
//! sample athlete's data, and bad arguments are refused naming the field.

use std::sync::Arc;

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::sandbox::{Sandbox, SandboxTransport};
use paceline_core::tools::{self, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::TpClient;
use serde_json::{Value, json};

fn ctx() -> ToolContext {
    let clock = Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ));
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock);
    ToolContext::new(Arc::new(client))
}

fn call(ctx: &ToolContext, args: Value) -> Result<ToolOutput, ToolError> {
    block_on(tools::call(ctx, "render_chart", args))
}

fn ok(ctx: &ToolContext, args: Value) -> ToolOutput {
    call(ctx, args.clone()).unwrap_or_else(|e| panic!("render_chart({args}): {e}"))
}

fn invalid_field(r: Result<ToolOutput, ToolError>) -> String {
    match r {
        Err(ToolError::InvalidArgs { field, .. }) => field,
        other => panic!("expected InvalidArgs, got {other:?}"),
    }
}

/// The SVG and the description of a result, checked for the basics every kind shares.
fn drawn(out: &ToolOutput, kind: &str) -> String {
    let s = &out.structured;
    assert_eq!(s["kind"], kind);
    let svg = s["svg"].as_str().expect("svg").to_string();
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
    let desc = s["description"].as_str().unwrap();
    assert!(!desc.is_empty());
    assert!(svg.contains("<desc"), "the SVG carries its description");
    assert!(out.text.contains(desc), "the text is the description");
    svg
}

#[test]
fn render_chart_draws_each_kind_from_the_sandbox() {
    let ctx = ctx();
    let out = ok(&ctx, json!({"kind": "fitness"}));
    drawn(&out, "fitness");
    assert!(
        out.structured["description"]
            .as_str()
            .unwrap()
            .contains("2026-11-21")
    );
    assert_eq!(
        (
            out.structured["width"].clone(),
            out.structured["height"].clone()
        ),
        (json!(800), json!(300))
    );

    let out = ok(
        &ctx,
        json!({"kind": "power_curve", "start_date": "2026-06-01", "end_date": "2026-11-21",
               "compare_previous": true, "theme": "dark", "width": 1000, "height": 400}),
    );
    let svg = drawn(&out, "power_curve");
    assert!(svg.contains("width=\"1000\""), "{}", &svg[..200]);
    assert_eq!(out.structured["theme"], "dark");
    // Two curves: this period and the one before it, both in the description.
    let desc = out.structured["description"].as_str().unwrap();
    assert!(desc.contains("1 Jun"), "{desc}");
    assert!(desc.contains("Dec 2025"), "{desc}");

    let out = ok(
        &ctx,
        json!({"kind": "week", "week_of": "2026-11-18", "metric": "hours"}),
    );
    let desc = out.structured["description"].as_str().unwrap().to_string();
    drawn(&out, "week");
    assert!(
        desc.contains("2026-11-16") || desc.contains("16 Nov"),
        "{desc}"
    );

    let structure = json!({"steps": [
        {"name": "Warm up", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 65},
        {"type": "repetition", "reps": 3, "steps": [
            {"name": "On", "duration_seconds": 300, "intensity_min": 105, "intensity_max": 110},
            {"name": "Off", "duration_seconds": 180, "intensity_min": 50, "intensity_max": 55}]}]});
    let out = ok(&ctx, json!({"kind": "workout", "structure": structure}));
    let svg = drawn(&out, "workout");
    assert!(
        svg.contains("3×") || svg.contains("3x"),
        "repetition bracket"
    );
}

#[test]
fn render_chart_draws_a_saved_workout_by_id() {
    let ctx = ctx();
    let list = block_on(tools::call(
        &ctx,
        "get_workouts",
        json!({"start_date": "2026-11-16", "end_date": "2026-11-29"}),
    ))
    .unwrap();
    // A planned workout of the sample athlete carries a structure.
    let ids: Vec<i64> = list.structured["workouts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["workout_id"].as_i64())
        .collect();
    let drawn_one = ids.iter().find_map(|id| {
        call(&ctx, json!({"kind": "workout", "workout_id": id}))
            .ok()
            .map(|o| (id, o))
    });
    let (id, out) = drawn_one.expect("some workout in the fortnight has a structure");
    drawn(&out, "workout");
    assert!(
        out.structured["title"]
            .as_str()
            .unwrap()
            .ends_with("profile"),
        "{id}"
    );
    // A workout without a structure is a tool error that says so, not a protocol error.
    let plain =
        ids.iter().find_map(
            |id| match call(&ctx, json!({"kind": "workout", "workout_id": id})) {
                Err(ToolError::Failed(m)) => Some(m),
                _ => None,
            },
        );
    if let Some(m) = plain {
        assert!(m.contains("no interval structure"), "{m}");
    }
}

#[test]
fn render_chart_errors_name_the_field() {
    let ctx = ctx();
    let cases = [
        (json!({"kind": "pie"}), "kind"),
        (json!({}), "kind"),
        (
            json!({"kind": "fitness", "start_date": "2026-11-10", "end_date": "2026-11-01"}),
            "end_date",
        ),
        (
            json!({"kind": "fitness", "start_date": "2026-13-01"}),
            "start_date",
        ),
        (
            json!({"kind": "power_curve", "start_date": "2000-01-01", "end_date": "2026-11-01"}),
            "end_date",
        ),
        (
            json!({"kind": "fitness", "week_of": "2026-11-10"}),
            "week_of",
        ),
        (
            json!({"kind": "week", "start_date": "2026-11-10"}),
            "start_date",
        ),
        (json!({"kind": "fitness", "workout_id": 5}), "workout_id"),
        (json!({"kind": "workout"}), "workout_id"),
        (
            json!({"kind": "workout", "workout_id": 5, "structure": {"steps": []}}),
            "structure",
        ),
        (
            json!({"kind": "workout", "structure": {"steps": [{"duration_seconds": 0, "intensity_min": 50}]}}),
            "structure.steps[0].duration_seconds",
        ),
        (json!({"kind": "fitness", "width": 5000}), "width"),
        (json!({"kind": "fitness", "height": 10}), "height"),
        (json!({"kind": "fitness", "colour": "red"}), "colour"),
    ];
    for (args, field) in cases {
        assert_eq!(invalid_field(call(&ctx, args.clone())), field, "{args}");
    }
    // A given start after today's default end names the end.
    assert_eq!(
        invalid_field(call(
            &ctx,
            json!({"kind": "fitness", "start_date": "2026-12-01"})
        )),
        "end_date"
    );
}
