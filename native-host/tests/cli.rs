//! `paceline tools`, `paceline call` and the backend error, through the built binary; and the
//! committed `tools.json` golden file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::path::PathBuf;
use std::process::{Command, Output};

use chrono::{FixedOffset, Utc};
use paceline_core::clock::local_date;
use paceline_core::tools::CATALOG;
use serde_json::Value;

fn paceline(args: &[&str]) -> Output {
    paceline_with_env(args, &[])
}

fn paceline_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paceline"))
        .args(args)
        .envs(env.iter().copied())
        // Keep stderr to what the person sees, without log lines.
        .env("PACELINE_LOG", "off")
        // No bridge is ever found here, whatever runs on the machine.
        .env(
            "PACELINE_RUNTIME_DIR",
            std::env::temp_dir().join("paceline-cli-tests-no-bridges"),
        )
        .output()
        .expect("run paceline")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A read-only tool that needs no arguments.
fn argless_read_tool() -> Option<&'static str> {
    CATALOG
        .iter()
        .find(|t| t.annotations().read_only && t.input_schema().get("required").is_none())
        .map(|t| t.name())
}

/// A read-only tool with a required `<thing>_id`, and that field.
fn read_tool_with_id() -> Option<(&'static str, String)> {
    CATALOG
        .iter()
        .filter(|t| t.annotations().read_only)
        .find_map(|t| {
            let schema = t.input_schema();
            let req = schema.get("required")?.as_array()?;
            let only = (req.len() == 1).then(|| req.first()?.as_str())??;
            only.ends_with("_id").then(|| (t.name(), only.to_string()))
        })
}

#[test]
fn tools_lists_every_tool_with_flags() {
    let o = paceline(&["tools", "--toolsets", "all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!CATALOG.is_empty(), "the catalogue is empty");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), CATALOG.len(), "{out}");
    for (line, tool) in lines.iter().zip(CATALOG.iter()) {
        let a = tool.annotations();
        assert!(
            line.starts_with(&format!("{} — {} — ", tool.name(), a.title)),
            "{line}"
        );
        assert_eq!(line.ends_with("read-only"), a.read_only, "{line}");
        assert_eq!(
            line.contains("destructive"),
            !a.read_only && a.destructive,
            "{line}"
        );
    }
}

#[test]
fn tools_json_is_the_mcp_tool_list() {
    let o = paceline(&["tools", "--json", "--toolsets", "all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let tools = v.as_array().expect("an array of tools");
    assert_eq!(tools.len(), CATALOG.len());
    for (t, tool) in tools.iter().zip(CATALOG.iter()) {
        assert_eq!(t["name"], tool.name());
        assert_eq!(t["inputSchema"], tool.input_schema());
        assert_eq!(t["outputSchema"], tool.output_schema());
        assert_eq!(
            t["annotations"]["readOnlyHint"],
            tool.annotations().read_only
        );
        assert_eq!(t["annotations"]["openWorldHint"], true);
    }
}

/// Without `--toolsets`, `paceline tools` shows the default set: at most 30 tools, each of them
/// in `DEFAULT_TRAININGPEAKS`; a group shows only its tools; the variable works like the flag; a
/// bad name is refused naming the valid ones.
#[test]
fn tools_shows_the_default_toolset_and_groups() {
    use paceline_core::tools::toolsets::{DEFAULT_MAX, DEFAULT_TRAININGPEAKS, Toolset, group_of};
    let names = |o: &Output| -> Vec<String> {
        assert!(o.status.success(), "{}", stderr(o));
        stdout(o)
            .lines()
            .map(|l| l.split(" — ").next().unwrap_or_default().to_string())
            .collect()
    };
    let default = names(&paceline(&["tools"]));
    assert!(
        !default.is_empty() && default.len() <= DEFAULT_MAX,
        "{default:?}"
    );
    assert!(
        default
            .iter()
            .all(|n| DEFAULT_TRAININGPEAKS.contains(&n.as_str()))
    );
    assert!(default.len() < CATALOG.len());

    let library = names(&paceline(&["tools", "--toolsets", "library"]));
    let want: Vec<&str> = CATALOG
        .iter()
        .map(|t| t.name())
        .filter(|n| group_of(n) == Some(Toolset::Library))
        .collect();
    assert_eq!(library, want);
    let by_env = names(&paceline_with_env(
        &["tools"],
        &[("PACELINE_TOOLSETS", "library")],
    ));
    assert_eq!(by_env, want);

    let bad = paceline(&["tools", "--toolsets", "workouts,strava"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("unknown toolset `strava`"),
        "{}",
        stderr(&bad)
    );
    let bad_env = paceline_with_env(&["tools"], &[("PACELINE_TOOLSETS", "nope")]);
    assert!(!bad_env.status.success());
    assert!(
        stderr(&bad_env).contains("PACELINE_TOOLSETS"),
        "{}",
        stderr(&bad_env)
    );
}

/// The wasm export `listTools` (extension/src/lib.rs) returns `tools::list_json()` without the
/// output schemas (the module has none; `extension/tests/node/structure.test.mjs` compares it
/// with this file): the golden file, which `tools_json_matches_the_golden_file` ties to
/// `paceline tools --json` (the MCP list), must be exactly `list_json()`, so the browser and
/// MCP clients see one tool list.
#[test]
fn the_extension_tool_list_is_the_golden_file() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools.json");
    let golden = std::fs::read_to_string(&path).expect("read tools.json");
    let extension =
        serde_json::to_string_pretty(&paceline_core::tools::list_json()).expect("serialisable");
    assert!(
        golden.trim_end() == extension,
        "the extension's listTools differs from native-host/tools.json (first difference at \
         line {:?})",
        golden
            .lines()
            .zip(extension.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1),
    );
}

#[test]
fn tools_json_matches_the_golden_file() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools.json");
    let o = paceline(&["tools", "--json", "--toolsets", "all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fresh = stdout(&o);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &fresh).expect("write tools.json");
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_default();
    let first_diff = golden
        .lines()
        .zip(fresh.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(golden.lines().count().min(fresh.lines().count()));
    assert!(
        golden == fresh,
        "native-host/tools.json is out of date with the tool catalogue (first difference at line {}: \
         golden {:?}, now {:?}). If the change is intended, regenerate it with:\n    \
         UPDATE_GOLDEN=1 cargo test -p paceline-host --test cli tools_json_matches_the_golden_file\n\
         and review the diff.",
        first_diff + 1,
        golden.lines().nth(first_diff).unwrap_or("<end of file>"),
        fresh.lines().nth(first_diff).unwrap_or("<end of file>"),
    );
}

#[test]
fn call_prints_text_or_json() {
    let tool = argless_read_tool().expect("the catalogue has a read-only tool without arguments");
    let o = paceline(&["call", tool, "--sandbox"]);
    assert!(o.status.success(), "{tool}: {}", stderr(&o));
    let text = stdout(&o);
    assert!(!text.trim().is_empty(), "{tool}: empty text");
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "{tool}: text mode should not print JSON: {text}"
    );

    let o = paceline(&["call", tool, "--args", "{}", "--sandbox", "--json"]);
    assert!(o.status.success(), "{tool}: {}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("--json prints JSON");
    assert!(v.is_object(), "{v}");
}

/// `paceline call` is typed by a person, tool and arguments included: that is the
/// confirmation, so a write runs without `--allow-writes` (which `paceline mcp` needs).
#[test]
fn call_runs_a_write_without_asking() {
    let o = paceline(&[
        "call",
        "create_library",
        "--args",
        r#"{"name": "Typed by a person"}"#,
        "--sandbox",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("--json prints JSON");
    assert!(v.get("library_id").is_some(), "{v}");
}

#[test]
fn call_exit_codes() {
    struct Case {
        name: &'static str,
        args: Vec<String>,
        code: i32,
        stderr_has: String,
    }
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut cases = vec![
        Case {
            name: "unknown tool",
            args: s(&["call", "no_such_tool", "--sandbox"]),
            code: 2,
            stderr_has: "no_such_tool".into(),
        },
        Case {
            name: "args not JSON",
            args: s(&["call", "x", "--args", "{", "--sandbox"]),
            code: 2,
            stderr_has: "--args".into(),
        },
        Case {
            name: "args not an object",
            args: s(&["call", "x", "--args", "[1]", "--sandbox"]),
            code: 2,
            stderr_has: "JSON object".into(),
        },
    ];
    let tool = argless_read_tool().expect("the catalogue has a read-only tool without arguments");
    cases.push(Case {
        name: "no browser connected",
        args: s(&["call", tool]),
        code: 1,
        stderr_has: "Open Chrome".into(),
    });
    {
        let (tool, field) =
            read_tool_with_id().expect("the catalogue has a read-only tool taking one id");
        cases.push(Case {
            name: "unknown id fails the tool",
            args: s(&[
                "call",
                tool,
                "--args",
                &format!("{{\"{field}\": 987654321}}"),
                "--sandbox",
            ]),
            code: 1,
            stderr_has: "".into(),
        });
        cases.push(Case {
            name: "wrong type names the field",
            args: s(&[
                "call",
                tool,
                "--args",
                &format!("{{\"{field}\": \"abc\"}}"),
                "--sandbox",
            ]),
            code: 2,
            stderr_has: field.clone(),
        });
        cases.push(Case {
            name: "invalid args are caught before the backend",
            args: s(&["call", tool, "--args", &format!("{{\"{field}\": \"abc\"}}")]),
            code: 2,
            stderr_has: field,
        });
    }
    for c in cases {
        let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
        let o = paceline(&args);
        assert_eq!(
            o.status.code(),
            Some(c.code),
            "{}: stderr {}",
            c.name,
            stderr(&o)
        );
        assert!(
            stderr(&o).contains(&c.stderr_has),
            "{}: stderr {:?}",
            c.name,
            stderr(&o)
        );
        assert!(
            !stderr(&o).trim().is_empty(),
            "{}: a failure must say why",
            c.name
        );
        assert!(
            stdout(&o).is_empty(),
            "{}: nothing on stdout, got {:?}",
            c.name,
            stdout(&o)
        );
    }
}

#[test]
fn backend_flags_conflict() {
    let o = paceline(&["mcp", "--sandbox", "--direct"]);
    assert_eq!(o.status.code(), Some(2), "clap usage error");
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

/// A timeout setting the binary cannot hold (`Duration::from_secs_f64(1e30)` panics) or that
/// makes no sense is reported and replaced, never a crash.
#[test]
fn odd_call_timeouts_do_not_crash() {
    for value in ["1e30", "1e400", "-1", "NaN", "0", "soon"] {
        let o = Command::new(env!("CARGO_BIN_EXE_paceline"))
            .args(["call", "get_athlete_profile"])
            .env("PACELINE_CALL_TIMEOUT_SECS", value)
            .env(
                "PACELINE_RUNTIME_DIR",
                std::env::temp_dir().join("paceline-cli-tests-no-bridges"),
            )
            .output()
            .expect("run paceline");
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{value}: {err}");
        assert!(err.contains("Open Chrome"), "{value}: {err}");
        assert!(
            err.contains("PACELINE_CALL_TIMEOUT_SECS"),
            "{value}: the bad setting is reported: {err}"
        );
        assert!(!err.contains("panicked"), "{value}: {err}");
    }
}

/// "Today" is the date in the system's time zone (the rule in `paceline_core::clock`):
/// `get_events` starts at today by default, and under UTC+14 and UTC-12 (26 hours apart, so
/// never on the same date) the binary must answer with each zone's own date. POSIX `TZ`
/// strings, so no time-zone database is needed.
#[test]
fn today_is_the_date_in_the_systems_zone() {
    for (tz, east_hours) in [("<+14>-14", 14), ("<-12>12", -12)] {
        let offset = FixedOffset::east_opt(east_hours * 3600).expect("a valid offset");
        // The date may turn while the binary runs: either side is right then.
        let before = local_date(Utc::now(), offset).to_string();
        let o = paceline_with_env(
            &["call", "--sandbox", "get_events", "--json"],
            &[("TZ", tz)],
        );
        let after = local_date(Utc::now(), offset).to_string();
        assert!(o.status.success(), "{}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON");
        let start = v["start_date"].as_str().expect("start_date");
        assert!(
            start == before || start == after,
            "TZ={tz}: today was {start}, want {before}"
        );
    }
}

/// A year of the sample athlete's workouts is over 64 KB: the result keeps the first whole days
/// that fit, says where to continue, and the next page starts there.
#[test]
fn a_year_of_workouts_pages_by_date() {
    let page = |start: &str| -> Value {
        let args = format!(r#"{{"start_date":"{start}","end_date":"2026-12-06"}}"#);
        let o = paceline(&[
            "call",
            "get_workouts",
            "--sandbox",
            "--json",
            "--args",
            &args,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).expect("JSON")
    };
    let first = page("2025-12-07");
    let compact = serde_json::to_vec(&first).expect("serialisable").len();
    assert!(compact <= 64 * 1024, "{compact} bytes");
    let t = &first["truncated"];
    let next = t["next_start_date"]
        .as_str()
        .expect("where to continue")
        .to_string();
    let kept = first["workouts"].as_array().expect("workouts");
    assert_eq!(t["returned"], kept.len());
    assert!(
        kept.iter()
            .all(|w| w["date"].as_str().unwrap_or_default() < next.as_str())
    );
    let second = page(&next);
    let first_of_next = second["workouts"][0]["date"].as_str().unwrap_or_default();
    assert!(
        first_of_next >= next.as_str(),
        "{first_of_next} from {next}"
    );
    assert_eq!(
        t["total"].as_u64().unwrap_or_default(),
        kept.len() as u64 + second["count"].as_u64().unwrap_or_default(),
        "the two windows cover the year"
    );
}
