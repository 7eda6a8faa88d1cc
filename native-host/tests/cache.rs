//! The activity cache from the command line: the sandbox's sample data never reaches the
//! user's cache directory (it is cached in memory only), with or without `--no-cache`, and the
//! flag and `PACELINE_NO_CACHE` are accepted by every command that runs tools.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::path::Path;
use std::process::{Command, Output};

fn paceline(args: &[&str], cache_home: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paceline"))
        .args(args)
        .env("XDG_CACHE_HOME", cache_home)
        .env("HOME", cache_home.join("home"))
        .envs(env.iter().copied())
        .env("PACELINE_LOG", "off")
        .env(
            "PACELINE_RUNTIME_DIR",
            std::env::temp_dir().join("paceline-cli-tests-no-bridges"),
        )
        .output()
        .expect("run paceline")
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p.display().to_string());
            }
        }
    }
    out
}

#[test]
fn sandbox_calls_write_nothing_to_the_cache_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let end = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    let start = end - chrono::Duration::days(30);
    let args = serde_json::json!({
        "start_date": start.to_string(), "end_date": end.to_string(), "max_workouts": 2
    })
    .to_string();
    for extra in [&["--no-cache"][..], &[]] {
        let mut argv = vec![
            "call",
            "get_power_curve",
            "--args",
            &args,
            "--sandbox",
            "--json",
        ];
        argv.extend_from_slice(extra);
        let o = paceline(&argv, tmp.path(), &[]);
        assert!(
            o.status.success(),
            "{extra:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["workouts_used"], serde_json::json!(2), "{v}");
        assert_eq!(files_under(tmp.path()), Vec::<String>::new(), "{extra:?}");
    }
}

#[test]
fn no_cache_is_a_flag_of_every_tool_running_command_and_the_variable_is_checked() {
    let tmp = tempfile::tempdir().unwrap();
    for cmd in ["mcp", "serve", "call"] {
        let o = paceline(&[cmd, "--help"], tmp.path(), &[]);
        let help = String::from_utf8_lossy(&o.stdout);
        assert!(help.contains("--no-cache"), "{cmd}: {help}");
        assert!(help.contains("PACELINE_NO_CACHE"), "{cmd}: {help}");
    }
    let o = paceline(
        &["call", "get_athlete_profile", "--sandbox"],
        tmp.path(),
        &[("PACELINE_NO_CACHE", "1")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = paceline(
        &["call", "get_athlete_profile", "--sandbox"],
        tmp.path(),
        &[("PACELINE_NO_CACHE", "perhaps")],
    );
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("PACELINE_NO_CACHE"), "{err}");
}
