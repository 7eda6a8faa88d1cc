//! `paceline install`, `uninstall` and `doctor` through the built binary, on a made-up home:
//! browsers that were never started, MCP clients' configurations, and plain errors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A home directory and a `PATH` holding only the programs a test puts there.
struct Machine {
    dir: tempfile::TempDir,
}

impl Machine {
    fn new() -> Machine {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::create_dir_all(dir.path().join("bin")).unwrap();
        Machine { dir }
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// Puts an (empty) program called `name` on the `PATH`.
    fn program(&self, name: &str) {
        std::fs::write(self.dir.path().join("bin").join(name), "").unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_paceline"))
            .args(args)
            .env_clear()
            .env("HOME", self.home())
            .env("PATH", self.dir.path().join("bin"))
            .env("PACELINE_LOG", "off")
            .env("PACELINE_RUNTIME_DIR", self.dir.path().join("runtime"))
            .output()
            .expect("run paceline")
    }

    fn json(&self, rel: &str) -> Value {
        let bytes = std::fs::read(self.home().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        serde_json::from_slice(&bytes).unwrap()
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn exe() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_paceline"))
        .canonicalize()
        .unwrap()
}

#[test]
fn no_browser_at_all_is_one_plain_sentence() {
    let m = Machine::new();
    let o = m.run(&["install"]);
    assert!(!o.status.success());
    let e = err(&o);
    assert!(
        e.starts_with("paceline install: no supported browser found"),
        "{e}"
    );
    assert_eq!(e.trim_end().lines().count(), 1, "one line: {e}");
    assert!(!e.contains("ERROR"), "no log line: {e}");
    assert!(e.contains("--browser"), "says what to do: {e}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_browser_never_started_gets_its_manifest_and_one_sentence() {
    let m = Machine::new();
    m.program("chromium");
    let o = m.run(&["install"]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("Chromium has not been started yet"), "{text}");
    let manifest = m.json(".config/chromium/NativeMessagingHosts/dev.paceline.host.json");
    assert_eq!(manifest["path"], exe().to_string_lossy().as_ref());
    assert_eq!(manifest["name"], "dev.paceline.host");
    // Only the browser that is there: no Firefox folder was made.
    assert!(!m.home().join(".mozilla").exists());
    assert!(err(&o).is_empty(), "{}", err(&o));
}

#[cfg(target_os = "linux")]
#[test]
fn a_profile_dir_and_its_refusals() {
    let m = Machine::new();
    let udd = m.dir.path().join("work-profile");
    let udd_s = udd.to_string_lossy().into_owned();
    let o = m.run(&["install", "--browser", "chrome", "--profile-dir", &udd_s]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        udd.join("NativeMessagingHosts/dev.paceline.host.json")
            .is_file()
    );

    let firefox = m.run(&["install", "--browser", "firefox", "--profile-dir", &udd_s]);
    assert!(!firefox.status.success());
    assert!(err(&firefox).contains("Firefox reads native-messaging manifests from one folder"));
    let all = m.run(&["install", "--profile-dir", &udd_s]);
    assert!(
        err(&all).contains("--profile-dir needs --browser"),
        "{}",
        err(&all)
    );

    let o = m.run(&["uninstall", "--browser", "chrome", "--profile-dir", &udd_s]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        !udd.join("NativeMessagingHosts/dev.paceline.host.json")
            .exists()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn clients_are_configured_checked_by_doctor_and_removed() {
    let m = Machine::new();
    m.program("firefox");
    // Claude Code's file exists with other state, which must survive.
    std::fs::write(
        m.home().join(".claude.json"),
        r#"{"numStartups": 3, "mcpServers": {"other": {"command": "x"}}}"#,
    )
    .unwrap();
    let o = m.run(&[
        "install",
        "--client",
        "claude-code,vscode",
        "--client",
        "cursor",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let exe = exe().to_string_lossy().into_owned();

    let cc = m.json(".claude.json");
    assert_eq!(cc["numStartups"], 3);
    assert_eq!(cc["mcpServers"]["other"]["command"], "x");
    assert_eq!(cc["mcpServers"]["paceline"]["command"], exe.as_str());
    assert_eq!(cc["mcpServers"]["paceline"]["type"], "stdio");
    let vs = m.json(".config/Code/User/mcp.json");
    assert_eq!(vs["servers"]["paceline"]["args"][0], "mcp");
    let cursor = m.json(".cursor/mcp.json");
    assert_eq!(cursor["mcpServers"]["paceline"]["command"], exe.as_str());
    let backups = std::fs::read_dir(m.home())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".claude.json.bak-")
        })
        .count();
    assert_eq!(backups, 1, "one backup of the existing file");

    // Doctor reports each client and browser; a client pointing elsewhere is a failure.
    std::fs::write(
        m.home().join(".cursor/mcp.json"),
        r#"{"mcpServers": {"paceline": {"command": "/old/paceline", "args": ["mcp"]}}}"#,
    )
    .unwrap();
    let d = m.run(&["doctor"]);
    let report = out(&d);
    assert!(!d.status.success(), "no bridge runs here: {report}");
    assert!(
        report.contains("✓ Claude Code: starts this binary"),
        "{report}"
    );
    assert!(report.contains("✓ VS Code: starts this binary"), "{report}");
    assert!(
        report.contains("✗ Cursor: ") && report.contains("starts /old/paceline"),
        "{report}"
    );
    assert!(report.contains("install --client cursor"), "{report}");
    assert!(report.contains("✓ Firefox manifest:"), "{report}");
    assert!(
        report.contains("MCP clients with no configuration here: Claude Desktop"),
        "{report}"
    );
    assert!(
        report.contains("not found (no manifest, not installed):"),
        "{report}"
    );

    let u = m.run(&["uninstall", "--client", "claude-code"]);
    assert!(u.status.success(), "{}", err(&u));
    let cc = m.json(".claude.json");
    assert!(cc["mcpServers"].get("paceline").is_none());
    assert_eq!(cc["mcpServers"]["other"]["command"], "x");
    assert!(
        !m.home()
            .join(".mozilla/native-messaging-hosts/dev.paceline.host.json")
            .exists()
    );
}
