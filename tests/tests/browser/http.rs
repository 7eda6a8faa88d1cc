//! Scenario 23: the browser backend over HTTP. `paceline serve --http` (no backend flag, so
//! the relay to the extension) on a loopback port the system picks, with a token file, driven
//! by rmcp's streamable-HTTP client as Claude Code or the Inspector would: a read and a write
//! confirmed in the extension's window both reach the HTTPS fake through the browser's own
//! session, and a request without the token (or with a wrong one) is 401 and reaches nothing.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use paceline_core::http::Method;
use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use super::{Stack, answer_confirmation, days_from_today, scenario};

/// A fixed token (the server accepts any of at least 24 characters from its file).
const TOKEN: &str = "s23-browser-over-http-0123456789";

/// A running `paceline serve`, killed when dropped.
struct Serve {
    _child: tokio::process::Child,
    /// `http://127.0.0.1:PORT/mcp`
    url: String,
}

/// Starts `paceline serve --http 127.0.0.1:0 --token-file …` with the profile's environment
/// (so it finds the bridge the browser started) and waits for the line saying where it
/// listens. Its stderr goes on into `serve.log` in the profile.
async fn serve(s: &Stack) -> Serve {
    let token_file = s.profile.root().join("http-token");
    write_private(&token_file, &format!("{TOKEN}\n"));
    let mut child = tokio::process::Command::new(&s.paceline)
        .args(["serve", "--http", "127.0.0.1:0", "--token-file"])
        .arg(&token_file)
        .envs(s.profile.env())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn paceline serve");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut said = String::new();
    let url = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let line = lines
                .next_line()
                .await
                .expect("read stderr")
                .unwrap_or_else(|| panic!("paceline serve ended before listening: {said}"));
            said.push_str(&line);
            said.push('\n');
            if let Some(rest) = line.split("serving MCP at ").nth(1) {
                break rest.split_whitespace().next().expect("a URL").to_string();
            }
        }
    })
    .await
    .expect("paceline serve announces its address within 20 s");
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/mcp"),
        "{url}"
    );
    assert!(!said.contains(TOKEN), "the token is never logged: {said}");
    let log = s.profile.root().join("serve.log");
    tokio::spawn(async move {
        let mut file = tokio::fs::File::create(log).await.ok();
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(f) = file.as_mut() {
                let _ = f.write_all(format!("{line}\n").as_bytes()).await;
            }
        }
    });
    Serve { _child: child, url }
}

fn write_private(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write the token file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
    }
}

fn http() -> reqwest::Client {
    // Plain HTTP on loopback never uses TLS, but reqwest's builder wants a provider installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn client(url: &str) -> RunningService<RoleClient, ()> {
    let config = StreamableHttpClientTransportConfig::with_uri(url.to_string())
        .auth_header(TOKEN.to_string());
    ().serve(StreamableHttpClientTransport::with_client(http(), config))
        .await
        .expect("initialize over HTTP")
}

fn text_of(r: &rmcp::model::CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

/// A raw `initialize` POST with these extra headers; its status.
async fn raw_initialize(url: &str, headers: &[(&str, &str)]) -> u16 {
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"s23","version":"0"}}}"#;
    let mut req = http()
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.expect("HTTP request").status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s23_browser_backend_over_http() {
    scenario("s23_http", || async {
        let Some(s) = Stack::start("s23", true).await else {
            return;
        };
        let server = serve(&s).await;

        // Without the token, or with a wrong one: 401.
        assert_eq!(raw_initialize(&server.url, &[]).await, 401);
        let wrong = format!("Bearer {}", "x".repeat(TOKEN.len()));
        assert_eq!(
            raw_initialize(&server.url, &[("authorization", &wrong)]).await,
            401
        );
        // With it, the handshake is accepted (so the 401s above were the token's doing).
        let bearer = format!("Bearer {TOKEN}");
        assert_eq!(
            raw_initialize(&server.url, &[("authorization", &bearer)]).await,
            200
        );

        let c = client(&server.url).await;
        let tools = c.list_all_tools().await.expect("tools/list");
        assert!(
            tools.iter().any(|t| t.name == "get_athlete_profile"),
            "tools/list over HTTP"
        );

        // A read: through the relay and the extension to the fake, on the browser's session.
        let read = c
            .call_tool(CallToolRequestParams::new("get_athlete_profile"))
            .await
            .expect("tools/call over HTTP");
        assert_eq!(read.is_error, Some(false), "{}", text_of(&read));
        assert!(text_of(&read).contains("Alex Rivera"), "{}", text_of(&read));
        let raw = s.fake.raw_requests();
        assert!(
            raw.iter().any(|r| r.path.starts_with("/users/v3/user")),
            "the profile was read from the fake: {:?}",
            raw.iter().map(|r| &r.path).collect::<Vec<_>>()
        );
        let token_req = raw
            .iter()
            .find(|r| r.path.starts_with("/users/v3/token"))
            .expect("the extension exchanged the browser's cookie for a token");
        assert_eq!(
            token_req.header("cookie"),
            Some("Production_tpAuth=sandbox-session"),
            "the browser's own session cookie is used"
        );
        // The same read over stdio (the stack's `paceline mcp`) gives the same answer.
        let via_stdio = s.ok("get_athlete_profile", json!({})).await;
        assert_eq!(read.structured_content, Some(via_stdio));

        // A write: the extension's window asks (the browser backend's own confirmation; the
        // HTTP client is never asked), and the POST reaches the fake once allowed.
        s.fake.clear_requests();
        let date = days_from_today(3);
        let args =
            json!({"date": date, "sport": "run", "title": "Over HTTP", "duration_hours": 0.75});
        let Value::Object(args) = args else {
            unreachable!("an object literal")
        };
        let (created, shown) = tokio::join!(
            c.call_tool(CallToolRequestParams::new("create_workout").with_arguments(args)),
            answer_confirmation(s.browser(), true)
        );
        let created = created.expect("tools/call over HTTP");
        let shown = shown.expect("the confirmation window");
        assert_eq!(shown.tool, "create_workout", "the window names the tool");
        assert_eq!(created.is_error, Some(false), "{}", text_of(&created));
        let posted = s
            .fake
            .requests()
            .into_iter()
            .find(|r| r.method == Method::Post && r.path.ends_with("/workouts"))
            .and_then(|r| r.body)
            .expect("the workout POST reached the fake");
        assert_eq!(posted["title"], "Over HTTP", "{posted}");
        let post = s
            .fake
            .raw_requests()
            .into_iter()
            .find(|r| r.method == "POST" && r.path.ends_with("/workouts"))
            .expect("the raw POST");
        assert!(
            post.header("authorization")
                .is_some_and(|a| a.starts_with("Bearer ")),
            "the POST carries the token the browser's session gave"
        );

        let _ = c.cancel().await;
        drop(server);
        s.finish().await;
    })
    .await;
}
