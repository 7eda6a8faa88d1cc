//! `render_chart` through `paceline mcp --sandbox` over stdio, driven by rmcp's client the way a
//! desktop client drives it: the result carries the description as text and the chart as a PNG
//! `image` that decodes at the requested size and stays under 100 KB; the SVG travels in
//! `_meta` for the MCP App, not in `structuredContent`; bad arguments name the field.
//!
//! With `CHART_SHOTS=<dir>` the PNGs are written there to be looked at.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// test code: a panic is the failure report
// The PNG sizes are worth seeing with `--nocapture`.
#![allow(clippy::print_stderr)]

use base64::Engine as _;
use rmcp::model::{CallToolRequestParams, CallToolResult, ContentBlock};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ServiceError, ServiceExt};
use serde_json::{Value, json};

type Client = RunningService<RoleClient, ()>;

async fn start() -> Client {
    let cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_paceline")).configure(|c| {
        c.arg("mcp").arg("--sandbox");
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

/// The PNG bytes of the result's one image (panics unless there is exactly one).
fn png_of(r: &CallToolResult) -> Vec<u8> {
    let images: Vec<_> = r
        .content
        .iter()
        .filter_map(|c| match c {
            ContentBlock::Image(i) => Some(i),
            _ => None,
        })
        .collect();
    assert_eq!(images.len(), 1, "one image: {:?}", r.content);
    assert_eq!(images[0].mime_type, "image/png");
    base64::engine::general_purpose::STANDARD
        .decode(&images[0].data)
        .expect("base64")
}

/// Width, height and the number of distinct colours of a PNG.
fn decode(png: &[u8]) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    buf.truncate(info.buffer_size());
    let mut colours: Vec<&[u8]> = buf.chunks(4).collect();
    colours.sort();
    colours.dedup();
    (info.width, info.height, colours.len())
}

fn text_of(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn render_chart_returns_a_png_under_100_kb_with_its_description() {
    let client = start().await;
    let shots = std::env::var_os("CHART_SHOTS").map(std::path::PathBuf::from);
    if let Some(dir) = &shots {
        std::fs::create_dir_all(dir).unwrap();
    }
    let structure = json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
        {"name": "Warm up", "duration_seconds": 900, "intensity_min": 45, "intensity_max": 70, "intensityClass": "warmUp"},
        {"type": "repetition", "reps": 4, "steps": [
            {"name": "VO2", "duration_seconds": 240, "intensity_min": 110, "intensity_max": 120},
            {"name": "Easy", "duration_seconds": 180, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}]},
        {"type": "rampDown", "duration_seconds": 600, "intensity_start": 70, "intensity_end": 45, "intensityClass": "coolDown"}]});
    let cases = [
        ("fitness", json!({"kind": "fitness"}), (800, 300)),
        (
            "fitness-year-dark",
            json!({"kind": "fitness", "start_date": "2025-12-01", "theme": "dark", "width": 1200, "height": 500}),
            (1200, 500),
        ),
        (
            "power-curve",
            json!({"kind": "power_curve", "compare_previous": true}),
            (800, 300),
        ),
        ("week", json!({"kind": "week"}), (800, 300)),
        (
            "week-hours-dark",
            json!({"kind": "week", "metric": "hours", "theme": "dark"}),
            (800, 300),
        ),
        (
            "workout",
            json!({"kind": "workout", "structure": structure, "width": 1000, "height": 320}),
            (1000, 320),
        ),
    ];
    for (name, args, (w, h)) in cases {
        let r = call(&client, "render_chart", args.clone())
            .await
            .unwrap_or_else(|e| panic!("{name} {args}: {e}"));
        assert_eq!(r.is_error, Some(false), "{name}: {}", text_of(&r));
        let png = png_of(&r);
        assert!(png.len() < 100 * 1024, "{name}: {} bytes", png.len());
        let (pw, ph, colours) = decode(&png);
        assert_eq!((pw, ph), (w, h), "{name}");
        assert!(
            colours > 10,
            "{name}: only {colours} colours, a blank image?"
        );
        let structured = r.structured_content.clone().expect("structuredContent");
        let description = structured["description"].as_str().expect("description");
        assert!(
            text_of(&r).contains(description),
            "{name}: the text is the description"
        );
        assert!(
            structured.get("svg").is_none(),
            "{name}: the SVG is not handed to the model"
        );
        let meta = r.meta.as_ref().expect("_meta");
        let svg = meta.0["dev.paceline/chart"]["svg"]
            .as_str()
            .expect("svg in _meta");
        assert!(svg.starts_with("<svg"), "{name}");
        eprintln!("{name}: {}×{} PNG, {} bytes", pw, ph, png.len());
        if let Some(dir) = &shots {
            std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
        }
    }
    // No other tool returns an image.
    let r = call(
        &client,
        "get_fitness_metrics",
        json!({"start_date": "2026-11-01", "end_date": "2026-11-07"}),
    )
    .await
    .unwrap();
    assert!(
        r.content
            .iter()
            .all(|c| !matches!(c, ContentBlock::Image(_)))
    );
    client.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn render_chart_bad_arguments_name_the_field() {
    let client = start().await;
    let cases = [
        (json!({"kind": "pie"}), "kind"),
        (
            json!({"kind": "fitness", "start_date": "2026-11-10", "end_date": "2026-11-01"}),
            "end_date",
        ),
        (
            json!({"kind": "power_curve", "end_date": "21/11/2026"}),
            "end_date",
        ),
        (
            json!({"kind": "week", "start_date": "2026-11-01"}),
            "start_date",
        ),
        (json!({"kind": "workout"}), "workout_id"),
        (json!({"kind": "fitness", "width": 4000}), "width"),
    ];
    for (args, field) in cases {
        match call(&client, "render_chart", args.clone()).await {
            Err(ServiceError::McpError(e)) => {
                assert_eq!(e.code, rmcp::model::ErrorCode::INVALID_PARAMS, "{args}");
                assert_eq!(
                    e.data,
                    Some(json!({"field": field})),
                    "{args}: {}",
                    e.message
                );
                assert!(e.message.contains(field), "{args}: {}", e.message);
            }
            other => panic!("{args}: expected invalid params, got {other:?}"),
        }
    }
    // A workout id that does not exist ran and failed: a tool error, not a protocol error.
    let r = call(
        &client,
        "render_chart",
        json!({"kind": "workout", "workout_id": 999_999_999}),
    )
    .await
    .unwrap();
    assert_eq!(r.is_error, Some(true), "{}", text_of(&r));
    assert!(
        r.content
            .iter()
            .all(|c| !matches!(c, ContentBlock::Image(_)))
    );
    client.cancel().await.expect("clean shutdown");
}
