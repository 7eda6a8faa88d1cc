//! Paceline as the official MCP Python SDK sees it: `tests/python/sdk_check.py` connects over
//! stdio (`paceline mcp --sandbox`) and over streamable HTTP (`paceline serve --http
//! --sandbox`), in the SDK's default mode (`auto`: `server/discover`, which gives MCP
//! 2026-07-28 here) and in `legacy` mode (the `initialize` handshake, 2025-11-25), lists the
//! tools, calls a read tool and two writes that the server asks to confirm (the script's
//! "person" accepts one and declines the other). Another SDK than rmcp's own catches what two
//! halves of one SDK would agree on by mistake.
//!
//! The SDK is the version in `tests/python/requirements.txt`, installed by `cargo xtask setup`
//! into a virtualenv under the tools cache (`~/.cache/paceline/tools/python-mcp-<version>`, or
//! `$PACELINE_TOOLS_DIR`); `PACELINE_PYTHON` names another interpreter. Without Python or the
//! SDK the tests say so and stop, unless `PACELINE_E2E_REQUIRE` is set (as `cargo xtask test`
//! does), which makes that a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report
#![allow(clippy::print_stderr)] // a skip says why on stderr, where cargo test shows it

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/sdk_check.py");
const REQUIREMENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/requirements.txt");

/// The pinned SDK version (`mcp==X` in requirements.txt).
fn pinned() -> String {
    let text = std::fs::read_to_string(REQUIREMENTS).expect("requirements.txt");
    text.lines()
        .find_map(|l| l.trim().strip_prefix("mcp=="))
        .expect("requirements.txt pins mcp==<version>")
        .to_string()
}

/// The interpreter to use: `PACELINE_PYTHON`, else the virtualenv `cargo xtask setup` makes,
/// else `python3` from `PATH`.
fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("PACELINE_PYTHON") {
        return PathBuf::from(p);
    }
    let tools = std::env::var_os("PACELINE_TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/paceline/tools"))
        });
    if let Some(tools) = tools {
        let venv = tools
            .join(format!("python-mcp-{}", pinned()))
            .join("bin/python");
        if venv.exists() {
            return venv;
        }
    }
    PathBuf::from("python3")
}

/// The script's report, or `None` (with the reason printed) when Python or the SDK is missing
/// and the run does not require them.
fn run_script(args: &[&str]) -> Option<Value> {
    let py = python();
    let out = match Command::new(&py).arg(SCRIPT).args(args).output() {
        Ok(out) => out,
        Err(e) => return missing(&format!("{} cannot be run: {e}", py.display())),
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(3) {
        return missing(&format!("{}: {stderr}", py.display()));
    }
    assert!(
        out.status.success(),
        "sdk_check.py {args:?} failed ({}):\n{stderr}",
        out.status
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = stdout.lines().last().unwrap_or_default();
    Some(serde_json::from_str(report).unwrap_or_else(|e| {
        panic!("sdk_check.py printed no JSON report ({e}):\n{stdout}\n{stderr}")
    }))
}

fn missing(why: &str) -> Option<Value> {
    let message = format!(
        "SKIPPED: the MCP Python SDK check needs Python 3 with the `mcp` package ({why}); \
         `cargo xtask setup` installs it"
    );
    assert!(
        std::env::var_os("PACELINE_E2E_REQUIRE").is_none(),
        "{message} (required here: PACELINE_E2E_REQUIRE is set)"
    );
    eprintln!("{message}");
    None
}

/// What every run must show: the revision the mode gives, the catalogue, a read, a confirmed
/// write that ran and a declined one that did not.
fn judge(report: &Value, mode: &str, transport: &str) {
    let who = format!("{transport}/{mode}");
    let want = if mode == "legacy" {
        "2025-11-25"
    } else {
        "2026-07-28"
    };
    assert_eq!(report["protocol_version"], want, "{who}: {report}");
    assert_eq!(report["sdk"], pinned().as_str(), "{who}: {report}");
    let tools: Vec<&str> = report["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        tools.contains(&"get_athlete_profile") && tools.contains(&"create_library"),
        "{who}: {tools:?}"
    );
    assert_eq!(report["read_is_error"], false, "{who}: {report}");
    assert_eq!(report["read_has_structured"], true, "{who}: {report}");
    let asked: Vec<&str> = report["asked"]
        .as_array()
        .expect("asked")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(asked.len(), 2, "{who}: one question per write: {asked:?}");
    assert!(
        asked[0].contains("create_library") && asked[0].contains(&format!("Python yes {mode}")),
        "{who}: {asked:?}"
    );
    assert_eq!(report["accepted_is_error"], false, "{who}: {report}");
    assert_eq!(report["declined_is_error"], true, "{who}: {report}");
    let declined = report["declined_text"].as_str().unwrap_or_default();
    assert!(
        declined.contains("declined") && declined.contains("Nothing was changed"),
        "{who}: {declined}"
    );
    let libraries = report["libraries"].as_str().unwrap_or_default();
    assert!(
        libraries.contains(&format!("Python yes {mode}")),
        "{who}: {libraries}"
    );
    assert!(
        !libraries.contains(&format!("Python no {mode}")),
        "{who}: {libraries}"
    );
}

fn stdio(mode: &str) {
    let bin = env!("CARGO_BIN_EXE_paceline");
    if let Some(report) = run_script(&["stdio", bin, mode]) {
        judge(&report, mode, "stdio");
    }
}

#[test]
fn python_sdk_over_stdio_default_mode_2026_07_28() {
    stdio("auto");
}

#[test]
fn python_sdk_over_stdio_legacy_handshake() {
    stdio("legacy");
}

/// A running `paceline serve`, killed on drop.
struct Server {
    child: Child,
    url: String,
    token: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let token = "python-sdk-token-0123456789abcdef".to_string();
    let path: PathBuf = dir.path().join("token");
    write_token(&path, &token);
    let mut child = Command::new(env!("CARGO_BIN_EXE_paceline"))
        .args([
            "serve",
            "--http",
            "127.0.0.1:0",
            "--sandbox",
            "--toolsets",
            "all",
        ])
        .arg("--token-file")
        .arg(&path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn paceline serve");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("paceline serve ended before listening")
            .expect("read stderr");
        if let Some(rest) = line.split("serving MCP at ").nth(1) {
            break rest.split_whitespace().next().expect("a URL").to_string();
        }
    };
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Server {
        child,
        url,
        token,
        _dir: dir,
    }
}

fn write_token(path: &Path, token: &str) {
    std::fs::write(path, format!("{token}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn http(mode: &str) {
    let server = serve();
    if let Some(report) = run_script(&["http", &server.url, &server.token, mode]) {
        judge(&report, mode, "http");
    }
}

#[test]
fn python_sdk_over_http_default_mode_2026_07_28() {
    http("auto");
}

#[test]
fn python_sdk_over_http_legacy_handshake() {
    http("legacy");
}
