//! `paceline serve --http --sandbox` end to end: the built binary on a loopback port chosen by
//! the system, driven by rmcp's streamable-HTTP client (as Claude Code or the MCP Inspector
//! would) and by plain HTTP requests for what a client library would hide (401, 403, 404).
//! Only 127.0.0.1 is ever bound or targeted.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}"#;

/// A running `paceline serve`, killed on drop.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    base: String,
    /// Everything it wrote to stderr up to its announcement.
    said: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `paceline serve --http 127.0.0.1:0 --sandbox <flags>` with `env`, and waits for the
/// line saying where it listens.
fn start(flags: &[&str], env: &[(&str, &Path)]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paceline"));
    cmd.args(["serve", "--http", "127.0.0.1:0", "--sandbox"])
        .args(flags)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn paceline serve");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut said = String::new();
    let base = loop {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("paceline serve ended before listening: {said}"))
            .expect("read stderr");
        said.push_str(&line);
        said.push('\n');
        if let Some(rest) = line.split("serving MCP at http://").nth(1) {
            let authority = rest.split('/').next().expect("an address");
            break format!("http://{authority}");
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Server { child, base, said }
}

/// A token file with a fixed token, 0600.
fn token_file(dir: &Path) -> (PathBuf, String) {
    let token = "t0k3n-for-tests-0123456789abcdef".to_string();
    let path = dir.join("token");
    std::fs::write(&path, format!("{token}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    (path, token)
}

fn http() -> reqwest::Client {
    // reqwest is built without a TLS provider; plain HTTP never uses it, but the builder wants one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn client(url: String, token: Option<&str>) -> RunningService<RoleClient, ()> {
    let mut config = StreamableHttpClientTransportConfig::with_uri(url);
    if let Some(t) = token {
        config = config.auth_header(t.to_string());
    }
    let transport = StreamableHttpClientTransport::with_client(http(), config);
    ().serve(transport).await.expect("initialize over HTTP")
}

/// A raw `initialize` POST, built at once so that the returned future borrows nothing.
fn raw_initialize(
    url: &str,
    headers: &[(&str, &str)],
) -> impl std::future::Future<Output = reqwest::Response> + 'static {
    let mut req = http()
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(INITIALIZE);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let sent = req.send();
    async move { sent.await.expect("HTTP request") }
}

async fn profile_works(client: &RunningService<RoleClient, ()>, who: &str) {
    let r = client
        .call_tool(CallToolRequestParams::new("get_athlete_profile"))
        .await
        .unwrap_or_else(|e| panic!("{who}: tools/call: {e}"));
    assert_eq!(r.is_error, Some(false), "{who}: {r:?}");
    assert!(
        r.structured_content.is_some(),
        "{who}: no structuredContent"
    );
}

#[tokio::test]
async fn initialize_list_and_call_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let (path, token) = token_file(dir.path());
    let server = start(
        &["--token-file", path.to_str().unwrap(), "--toolsets", "all"],
        &[],
    );
    assert!(
        !server.said.contains(&token),
        "the token must not be logged: {}",
        server.said
    );
    let c = client(format!("{}/mcp", server.base), Some(&token)).await;
    let info = c.peer_info().expect("initialize result");
    assert_eq!(info.server_info.as_ref().unwrap().name, "paceline");
    assert!(
        info.instructions
            .as_deref()
            .unwrap_or("")
            .contains("YYYY-MM-DD")
    );
    let tools = c.list_all_tools().await.expect("tools/list");
    assert_eq!(tools.len(), paceline_core::tools::CATALOG.len());
    profile_works(&c, "one client").await;
    c.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn no_token_or_a_wrong_one_is_401() {
    let dir = tempfile::tempdir().unwrap();
    let (path, token) = token_file(dir.path());
    let server = start(&["--token-file", path.to_str().unwrap()], &[]);
    let url = format!("{}/mcp", server.base);
    let none = raw_initialize(&url, &[]).await;
    assert_eq!(none.status(), 401);
    let challenge = none.headers().get("www-authenticate").expect("a challenge");
    assert!(
        challenge.to_str().unwrap().starts_with("Bearer"),
        "{challenge:?}"
    );
    let wrong = format!("Bearer {}x", &token[..token.len() - 1]);
    let r = raw_initialize(&url, &[("authorization", &wrong)]).await;
    assert_eq!(r.status(), 401);
    // The same request with the right token gets through, so the 401s were the token's doing.
    let right = format!("Bearer {token}");
    assert_eq!(
        raw_initialize(&url, &[("authorization", &right)])
            .await
            .status(),
        200
    );
    // And rmcp's client, given a wrong token, cannot start a session.
    let transport = StreamableHttpClientTransport::with_client(
        http(),
        StreamableHttpClientTransportConfig::with_uri(url).auth_header("wrong-token"),
    );
    assert!(().serve(transport).await.is_err());
}

#[tokio::test]
async fn the_secret_path_works_and_the_plain_path_then_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let (path, token) = token_file(dir.path());
    let server = start(
        &["--token-file", path.to_str().unwrap(), "--secret-path"],
        &[],
    );
    assert!(!server.said.contains(&token), "{}", server.said);
    let c = client(format!("{}/mcp/{token}", server.base), None).await;
    profile_works(&c, "secret path").await;
    c.cancel().await.expect("clean shutdown");
    let right = format!("Bearer {token}");
    let plain = raw_initialize(
        &format!("{}/mcp", server.base),
        &[("authorization", &right)],
    );
    assert_eq!(plain.await.status(), 404);
    let guessed = raw_initialize(&format!("{}/mcp/not-the-token", server.base), &[]);
    assert_eq!(guessed.await.status(), 404);
}

#[tokio::test]
async fn a_foreign_origin_is_refused_and_a_loopback_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let (path, token) = token_file(dir.path());
    let server = start(&["--token-file", path.to_str().unwrap()], &[]);
    let url = format!("{}/mcp", server.base);
    let auth = format!("Bearer {token}");
    let evil = raw_initialize(
        &url,
        &[("authorization", &auth), ("origin", "http://evil.example")],
    );
    assert_eq!(evil.await.status(), 403);
    let local = raw_initialize(
        &url,
        &[
            ("authorization", &auth),
            ("origin", "http://localhost:6274"),
        ],
    );
    assert_eq!(local.await.status(), 200);
    // --allow-origin lets a named one in.
    let allowed = start(
        &[
            "--token-file",
            path.to_str().unwrap(),
            "--allow-origin",
            "https://chatgpt.com",
        ],
        &[],
    );
    let r = raw_initialize(
        &format!("{}/mcp", allowed.base),
        &[("authorization", &auth), ("origin", "https://chatgpt.com")],
    );
    assert_eq!(r.await.status(), 200);
}

#[tokio::test]
async fn two_sessions_run_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (path, token) = token_file(dir.path());
    let server = start(&["--token-file", path.to_str().unwrap()], &[]);
    let url = format!("{}/mcp", server.base);
    let (a, b) = tokio::join!(client(url.clone(), Some(&token)), client(url, Some(&token)));
    let (la, lb) = tokio::join!(a.list_all_tools(), b.list_all_tools());
    assert_eq!(la.unwrap().len(), lb.unwrap().len());
    tokio::join!(
        profile_works(&a, "session a"),
        profile_works(&b, "session b")
    );
    // Closing one session leaves the other working.
    a.cancel().await.expect("clean shutdown");
    profile_works(&b, "session b after a closed").await;
    b.cancel().await.expect("clean shutdown");
}

#[tokio::test]
async fn the_default_token_file_is_made_0600_and_show_token_prints_it() {
    let home = tempfile::tempdir().unwrap();
    let env = [("XDG_CONFIG_HOME", home.path()), ("HOME", home.path())];
    let server = start(&[], &env);
    assert!(
        server.said.contains("made a new bearer token"),
        "{}",
        server.said
    );
    let path = if cfg!(target_os = "macos") {
        home.path()
            .join("Library/Application Support/Paceline/http-token")
    } else {
        home.path().join("paceline/http-token")
    };
    let written = std::fs::read_to_string(&path).expect("the token file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
    let shown = Command::new(env!("CARGO_BIN_EXE_paceline"))
        .args(["serve", "--show-token"])
        .env("XDG_CONFIG_HOME", home.path())
        .env("HOME", home.path())
        .output()
        .expect("paceline serve --show-token");
    assert!(shown.status.success());
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert_eq!(shown.trim(), written.trim());
    let c = client(format!("{}/mcp", server.base), Some(shown.trim())).await;
    profile_works(&c, "default token").await;
    c.cancel().await.expect("clean shutdown");
}

#[test]
fn a_non_loopback_address_without_allow_remote_is_refused_before_binding() {
    // Refused while reading the flags: nothing is bound.
    let out = Command::new(env!("CARGO_BIN_EXE_paceline"))
        .args([
            "serve",
            "--http",
            "0.0.0.0:0",
            "--sandbox",
            "--token-file",
            "/nonexistent/t",
        ])
        .output()
        .expect("paceline serve");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--allow-remote"), "{err}");
}

/// A 2025-11-25 client that can answer form elicitation, accepting every question it is asked.
#[derive(Clone, Default)]
struct Confirms {
    asked: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl rmcp::ClientHandler for Confirms {
    fn get_info(&self) -> rmcp::model::ClientConfig {
        let mut caps = rmcp::model::ClientCapabilities::default();
        caps.elicitation = Some(
            rmcp::model::ElicitationCapability::new()
                .with_form(rmcp::model::FormElicitationCapability::new()),
        );
        rmcp::model::ClientConfig::new(caps, rmcp::model::Implementation::new("confirms", "0"))
            .with_protocol_version(rmcp::model::ProtocolVersion::V_2025_11_25)
    }

    async fn create_elicitation(
        &self,
        request: rmcp::model::ElicitRequestParams,
        _context: rmcp::service::RequestContext<RoleClient>,
    ) -> Result<rmcp::model::ElicitResult, rmcp::ErrorData> {
        if let rmcp::model::ElicitRequestParams::FormElicitationParams { message, .. } = request {
            self.asked.lock().unwrap().push(message);
        }
        Ok(rmcp::model::ElicitResult::new(
            rmcp::model::ElicitationAction::Accept,
        ))
    }
}

#[tokio::test]
async fn a_write_is_confirmed_through_the_http_session() {
    let dir = tempfile::tempdir().unwrap();
    let (path, token) = token_file(dir.path());
    let server = start(&["--token-file", path.to_str().unwrap()], &[]);
    let person = Confirms::default();
    let config = StreamableHttpClientTransportConfig::with_uri(format!("{}/mcp", server.base))
        .auth_header(token);
    let transport = StreamableHttpClientTransport::with_client(http(), config);
    let c = person.clone().serve(transport).await.expect("initialize");
    let serde_json::Value::Object(args) = serde_json::json!({"name": "HTTP library"}) else {
        unreachable!()
    };
    let r = c
        .call_tool(CallToolRequestParams::new("create_library").with_arguments(args))
        .await
        .expect("create_library");
    assert_eq!(r.is_error, Some(false), "{r:?}");
    let asked = person.asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(asked[0].contains("HTTP library"), "{}", asked[0]);
    let libs = c
        .call_tool(CallToolRequestParams::new("get_libraries"))
        .await
        .expect("get_libraries");
    let listed = serde_json::to_string(&libs.structured_content).unwrap();
    assert!(listed.contains("HTTP library"), "{listed}");
    c.cancel().await.expect("clean shutdown");
}
