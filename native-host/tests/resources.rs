//! Resources, prompts and the MCP App of `paceline mcp --sandbox` over stdio, driven by rmcp's
//! client: the server declares them, `render_chart`'s tool metadata links its `ui://` view,
//! data resources run through the same backend as tools, guides follow the catalogue, and bad
//! prompt arguments name the field.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// test code: a panic is the failure report

use rmcp::model::{
    ErrorCode, GetPromptRequestParams, ReadResourceRequestParams, ReadResourceResult,
    ResourceContents,
};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ServiceError, ServiceExt};
use serde_json::{Value, json};

type Client = RunningService<RoleClient, ()>;

async fn start(flags: &'static [&'static str]) -> Client {
    let cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_paceline")).configure(|c| {
        c.arg("mcp").arg("--sandbox").args(flags);
    });
    let transport = TokioChildProcess::new(cmd).expect("spawn paceline mcp --sandbox");
    ().serve(transport).await.expect("initialize")
}

async fn read(client: &Client, uri: &str) -> Result<ReadResourceResult, ServiceError> {
    let params: ReadResourceRequestParams = serde_json::from_value(json!({ "uri": uri })).unwrap();
    client.read_resource(params).await
}

/// Each content's (mime type, text).
fn texts(r: &ReadResourceResult) -> Vec<(String, String)> {
    r.contents
        .iter()
        .map(|c| match c {
            ResourceContents::TextResourceContents {
                mime_type, text, ..
            } => (mime_type.clone().unwrap_or_default(), text.clone()),
            other => panic!("a text resource, got {other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn the_chart_tool_links_a_readable_mcp_app() {
    let client = start(&[]).await;
    let info = client.peer_info().expect("initialize result");
    let caps = serde_json::to_value(&info.capabilities).unwrap();
    assert!(caps.get("resources").is_some(), "{caps}");
    assert!(caps.get("prompts").is_some(), "{caps}");
    assert_eq!(
        caps["extensions"]["io.modelcontextprotocol/ui"]["mimeTypes"],
        json!(["text/html;profile=mcp-app"]),
        "{caps}"
    );
    let tools = client.list_all_tools().await.unwrap();
    let chart = tools
        .iter()
        .find(|t| t.name == "render_chart")
        .expect("render_chart");
    let meta = serde_json::to_value(chart.meta.as_ref().expect("_meta")).unwrap();
    let uri = meta["ui"]["resourceUri"]
        .as_str()
        .expect("_meta.ui.resourceUri")
        .to_string();
    assert!(uri.starts_with("ui://"), "{uri}");
    // Only the chart tool links an app.
    assert_eq!(tools.iter().filter(|t| t.meta.is_some()).count(), 1);

    let listed = client.list_all_resources().await.unwrap();
    let app = listed
        .iter()
        .find(|r| r.uri == uri)
        .expect("the app is listed");
    assert_eq!(app.mime_type.as_deref(), Some("text/html;profile=mcp-app"));
    let page = texts(&read(&client, &uri).await.unwrap());
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].0, "text/html;profile=mcp-app");
    let html = &page[0].1;
    assert!(html.starts_with("<!doctype html>"), "{}", &html[..40]);
    for needle in [
        "ui/initialize",
        "ui/notifications/tool-result",
        "dev.paceline/chart",
        "tools/call",
    ] {
        assert!(html.contains(needle), "the app handles {needle}");
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn resources_are_listed_and_read_through_the_backend() {
    let client = start(&[]).await;
    let listed = client.list_all_resources().await.unwrap();
    let uris: Vec<&str> = listed.iter().map(|r| r.uri.as_str()).collect();
    for want in [
        "paceline://athlete/profile",
        "paceline://athlete/current-week",
        "paceline://guide/workout-structure",
        "paceline://guide/tools/workouts",
        "paceline://guide/tools/fitness",
        "paceline://guide/tools/calendar",
    ] {
        assert!(uris.contains(&want), "{want} not in {uris:?}");
    }
    // Intervals.icu's text syntax belongs to its tools, which this platform does not publish.
    assert!(!uris.contains(&"paceline://guide/workout-text"), "{uris:?}");

    // Data: the sandbox athlete (FTP 265 W, threshold HR 172) through the tools' backend.
    let profile = texts(&read(&client, "paceline://athlete/profile").await.unwrap());
    assert_eq!(profile[0].0, "text/plain");
    assert!(profile[0].1.contains("265"), "{}", profile[0].1);
    assert!(profile[0].1.contains("172"), "{}", profile[0].1);
    let json: Value = serde_json::from_str(&profile[1].1).unwrap();
    assert_eq!(profile[1].0, "application/json");
    assert!(
        json["settings"].is_object() && json["profile"].is_object(),
        "{json}"
    );
    let week = texts(
        &read(&client, "paceline://athlete/current-week")
            .await
            .unwrap(),
    );
    let week_json: Value = serde_json::from_str(&week[1].1).unwrap();
    assert!(week_json["week_start"].is_string(), "{week_json}");

    // Guides.
    let syntax = texts(
        &read(&client, "paceline://guide/workout-structure")
            .await
            .unwrap(),
    );
    assert!(syntax[0].1.contains("repetition") && syntax[0].1.contains("duration_seconds"));
    let guide = texts(
        &read(&client, "paceline://guide/tools/workouts")
            .await
            .unwrap(),
    );
    assert_eq!(guide[0].0, "text/markdown");
    assert!(guide[0].1.contains("## create_workout"), "{}", guide[0].1);
    assert!(!guide[0].1.contains("## get_fitness_metrics"));
    // Every published tool is in exactly one guide.
    let tools = client.list_all_tools().await.unwrap();
    let mut guides = String::new();
    for uri in uris
        .iter()
        .filter(|u| u.starts_with("paceline://guide/tools/"))
    {
        guides.push_str(&texts(&read(&client, uri).await.unwrap())[0].1);
    }
    for t in &tools {
        let heading = format!("## {} — ", t.name);
        assert_eq!(guides.matches(&heading).count(), 1, "{}", t.name);
    }

    match read(&client, "paceline://nothing").await {
        Err(ServiceError::McpError(e)) => {
            assert_eq!(e.code, ErrorCode::RESOURCE_NOT_FOUND);
            assert!(e.message.contains("paceline://nothing"), "{}", e.message);
        }
        other => panic!("expected an error, got {other:?}"),
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn intervals_resources_follow_the_platform() {
    let client = start(&["--platform", "all"]).await;
    let listed = client.list_all_resources().await.unwrap();
    let uris: Vec<&str> = listed.iter().map(|r| r.uri.as_str()).collect();
    assert!(uris.contains(&"paceline://guide/workout-text"), "{uris:?}");
    assert!(
        uris.contains(&"paceline://guide/tools/intervals"),
        "{uris:?}"
    );
    let text = texts(
        &read(&client, "paceline://guide/workout-text")
            .await
            .unwrap(),
    );
    assert!(text[0].1.contains("Intervals.icu"), "{}", text[0].1);
    let guide = texts(
        &read(&client, "paceline://guide/tools/intervals")
            .await
            .unwrap(),
    );
    assert!(guide[0].1.contains("## icu_"), "{}", guide[0].1);
    client.cancel().await.unwrap();
}

async fn prompt(
    client: &Client,
    name: &str,
    args: Value,
) -> Result<rmcp::model::GetPromptResult, ServiceError> {
    let params: GetPromptRequestParams =
        serde_json::from_value(json!({"name": name, "arguments": args})).unwrap();
    client.get_prompt(params).await
}

#[tokio::test]
async fn prompts_are_listed_and_filled_in() {
    let client = start(&[]).await;
    let listed = client.list_all_prompts().await.unwrap();
    let names: Vec<&str> = listed.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "weekly_review",
            "plan_training_block",
            "build_workout",
            "race_week_taper",
            "post_ride_debrief"
        ]
    );
    let cases = [
        (
            "weekly_review",
            json!({"week_of": "2026-11-18"}),
            "2026-11-18",
        ),
        ("weekly_review", json!({}), "this week"),
        (
            "plan_training_block",
            json!({"goal": "a 40 km TT", "weeks": "6", "hours_per_week": "8"}),
            "6 weeks",
        ),
        (
            "build_workout",
            json!({"description": "3x15 min at 95-105%", "date": "2026-12-08"}),
            "2026-12-08",
        ),
        (
            "race_week_taper",
            json!({"race_date": "2027-05-16", "race": "Olympic triathlon"}),
            "Olympic triathlon",
        ),
        (
            "post_ride_debrief",
            json!({"workout_id": "3000000123"}),
            "workout 3000000123",
        ),
    ];
    for (name, args, needle) in cases {
        let r = prompt(&client, name, args.clone())
            .await
            .unwrap_or_else(|e| panic!("{name} {args}: {e}"));
        assert_eq!(r.messages.len(), 1);
        let m = serde_json::to_value(&r.messages[0]).unwrap();
        assert_eq!(m["role"], "user");
        let text = m["content"]["text"].as_str().unwrap();
        assert!(text.contains(needle), "{name}: {text}");
    }
    let bad = [
        ("plan_training_block", json!({}), "goal"),
        (
            "plan_training_block",
            json!({"goal": "x", "weeks": "forty"}),
            "weeks",
        ),
        (
            "race_week_taper",
            json!({"race_date": "16/05/2027"}),
            "race_date",
        ),
        (
            "post_ride_debrief",
            json!({"workout_id": "abc"}),
            "workout_id",
        ),
        ("weekly_review", json!({"week": "2026-11-18"}), "week"),
        ("no_such_prompt", json!({}), "name"),
    ];
    for (name, args, field) in bad {
        match prompt(&client, name, args.clone()).await {
            Err(ServiceError::McpError(e)) => {
                assert_eq!(e.code, ErrorCode::INVALID_PARAMS, "{name} {args}");
                assert_eq!(
                    e.data,
                    Some(json!({"field": field})),
                    "{name} {args}: {}",
                    e.message
                );
            }
            other => panic!("{name} {args}: expected invalid params, got {other:?}"),
        }
    }
    client.cancel().await.unwrap();
}
