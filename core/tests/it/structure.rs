//! Conformance of the structure compiler with the 48 reference vectors in
//! `../shared/fixtures/structure-vectors.json`, one test per reference function.

use paceline_core::structure::{self, Structure};
use serde_json::Value;
use std::path::PathBuf;

/// Finds `shared/` next to the repository root (`<repo>/../shared`), or where
/// `PACELINE_SHARED_DIR` points (for worktrees that live elsewhere).
pub(crate) fn shared_file(rel: &str) -> PathBuf {
    let mut candidates = vec![PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared"
    ))];
    if let Some(dir) = std::env::var_os("PACELINE_SHARED_DIR") {
        candidates.insert(0, PathBuf::from(dir));
    }
    for dir in &candidates {
        let p = dir.join(rel);
        if p.exists() {
            return p;
        }
    }
    panic!(
        "cannot find {rel} in {candidates:?}; the shared fixtures must sit at <repo>/../shared \
         (or set PACELINE_SHARED_DIR)"
    );
}

fn vectors() -> Vec<Value> {
    let path = shared_file("fixtures/structure-vectors.json");
    let text = std::fs::read_to_string(&path).expect("read structure vectors");
    let doc: Value = serde_json::from_str(&text).expect("vectors are JSON");
    let vectors = doc["vectors"].as_array().expect("vectors array").clone();
    assert_eq!(vectors.len(), 48, "expected the 48 reference vectors");
    vectors
}

fn of_function(f: &str) -> Vec<Value> {
    let v: Vec<Value> = vectors()
        .into_iter()
        .filter(|v| v["function"] == f)
        .collect();
    assert!(!v.is_empty(), "no vectors for {f}");
    v
}

/// First difference between two JSON values, numbers compared numerically.
fn first_diff(path: &str, got: &Value, want: &Value) -> Option<String> {
    match (got, want) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64()?, b.as_f64()?);
            (a != b).then(|| format!("{path}: got {a}, want {b}"))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("{path}: got {} items, want {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| first_diff(&format!("{path}[{i}]"), x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            for k in b.keys() {
                if !a.contains_key(k) {
                    return Some(format!("{path}.{k}: missing (want {})", b[k]));
                }
            }
            for k in a.keys() {
                if !b.contains_key(k) {
                    return Some(format!("{path}.{k}: unexpected (got {})", a[k]));
                }
            }
            b.keys()
                .find_map(|k| first_diff(&format!("{path}.{k}"), &a[k], &b[k]))
        }
        (a, b) => (a != b).then(|| format!("{path}: got {a}, want {b}")),
    }
}

/// Checks one compiled result against a vector; returns a failure description.
fn check(v: &Value, got: Result<Structure, structure::CompileError>) -> Option<String> {
    let name = v["name"].as_str().unwrap_or("?");
    if let Some(err) = v.get("expected_error") {
        return match got {
            Ok(s) => Some(format!(
                "{name}: accepted but the reference rejects it ({err}); got {}",
                s.to_json()
            )),
            Err(e) => {
                assert!(
                    !e.path.is_empty() && !e.message.is_empty(),
                    "{name}: empty error"
                );
                None
            }
        };
    }
    let s = match got {
        Ok(s) => s,
        Err(e) => return Some(format!("{name}: rejected: {e}")),
    };
    let want = &v["expected"];
    if let Some(d) = first_diff("$", &s.to_value(), want) {
        return Some(format!("{name}: {d}"));
    }
    if let Some(json) = v.get("expected_json").and_then(Value::as_str) {
        let ours = s.to_json();
        if ours != json {
            let at = ours
                .bytes()
                .zip(json.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(ours.len().min(json.len()));
            let lo = at.saturating_sub(40);
            return Some(format!(
                "{name}: not byte-equal at {at}:\n  ours: …{}\n  want: …{}",
                ours.get(lo..(at + 40).min(ours.len())).unwrap_or(""),
                json.get(lo..(at + 40).min(json.len())).unwrap_or("")
            ));
        }
    }
    None
}

fn run(vectors: &[Value], compile: impl Fn(&Value) -> Result<Structure, structure::CompileError>) {
    let failures: Vec<String> = vectors
        .iter()
        .filter_map(|v| check(v, compile(&v["input"])))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn build_workout_structure_vectors() {
    run(
        &of_function("buildWorkoutStructure"),
        structure::compile_value,
    );
}

#[test]
fn wrap_workout_blocks_vectors() {
    // The reference's input is already `{primaryIntensityMetric?, steps: <wire blocks>}`.
    run(&of_function("wrapWorkoutBlocks"), structure::compile_value);
}

#[test]
fn resolve_structure_vectors() {
    run(&of_function("resolveStructure"), |input| {
        structure::compile(
            input
                .as_str()
                .expect("resolveStructure input is a raw string"),
        )
    });
}

#[test]
fn friendly_vectors_also_compile_from_text() {
    // compile(text) and compile_value(value) must agree on every object input.
    for v in vectors() {
        if v["input"].is_object() {
            let a = structure::compile_value(&v["input"]);
            let b = structure::compile(&v["input"].to_string());
            assert_eq!(a, b, "{}", v["name"]);
            // A double-serialised (string) structure compiles the same way.
            let c = structure::compile_value(&Value::String(v["input"].to_string()));
            assert_eq!(a, c, "{}", v["name"]);
        }
    }
}

fn assert_metrics(name: &str, got: Option<structure::PlannedMetrics>, want: &Value) {
    match (got, want) {
        (None, Value::Null) => {}
        (Some(m), Value::Object(w)) => {
            assert_eq!(
                Some(m.total_seconds),
                w["totalSeconds"].as_f64(),
                "{name}: totalSeconds"
            );
            assert_eq!(
                Some(m.if_planned),
                w["ifPlanned"].as_f64(),
                "{name}: ifPlanned"
            );
            assert_eq!(
                Some(m.tss_planned),
                w["tssPlanned"].as_f64(),
                "{name}: tssPlanned"
            );
            assert_eq!(
                m.energy_planned,
                w["energyPlanned"].as_f64(),
                "{name}: energyPlanned"
            );
            // The serialised names are the wire/CLI names.
            let j = serde_json::to_value(m).expect("metrics serialise");
            for k in [
                "totalSeconds",
                "totalHours",
                "ifPlanned",
                "tssPlanned",
                "energyPlanned",
            ] {
                assert!(j.get(k).is_some(), "{name}: {k} missing in {j}");
            }
        }
        (got, want) => panic!("{name}: metrics {got:?}, want {want}"),
    }
}

#[test]
fn compute_structure_metrics_vectors() {
    let mut seen = 0;
    for v in vectors() {
        let name = v["name"].as_str().unwrap_or("?");
        match v["function"].as_str() {
            Some("buildWorkoutStructure+computeStructureMetrics") => {
                let s = structure::compile_value(&v["input"]).expect(name);
                let want = &v["expected"];
                if let Some(d) = first_diff("$", &s.to_value(), &want["structure"]) {
                    panic!("{name}: {d}");
                }
                let m = structure::metrics(&s, None);
                assert_metrics(name, m, &want["metrics"]);
                let derived = &want["createWorkoutDerived"];
                let m = m.expect("metrics");
                // serde_json's default float parser may be 1 ulp off on long decimals.
                let hours = derived["totalTimePlanned"].as_f64().expect("hours");
                assert!(
                    (m.total_hours - hours).abs() < 1e-12,
                    "{name}: {} vs {hours}",
                    m.total_hours
                );
                seen += 1;
            }
            Some("computeStructureMetrics") => {
                let s: Structure =
                    serde_json::from_value(v["input"].clone()).expect("wire structure parses");
                assert_metrics(name, structure::metrics(&s, None), &v["expected"]);
                seen += 1;
            }
            _ => {}
        }
    }
    assert_eq!(seen, 2);
}

#[test]
fn every_vector_has_a_known_function() {
    for v in vectors() {
        let f = v["function"].as_str().unwrap_or("");
        assert!(
            matches!(
                f,
                "buildWorkoutStructure"
                    | "wrapWorkoutBlocks"
                    | "resolveStructure"
                    | "computeStructureMetrics"
                    | "buildWorkoutStructure+computeStructureMetrics"
            ),
            "unknown vector function {f}"
        );
    }
}

#[test]
fn metrics_with_ftp_gives_energy() {
    let v = vectors()
        .into_iter()
        .find(|v| v["function"] == "buildWorkoutStructure+computeStructureMetrics")
        .expect("metric vector");
    let s = structure::compile_value(&v["input"]).expect("compiles");
    let m = structure::metrics(&s, Some(250.0)).expect("metrics");
    // 250 W × 0.71 × 4260 s / 1000 = 756.15 kJ
    assert_eq!(m.energy_planned, Some(756.15));
}

#[test]
fn bench_workout_compiles_and_round_trips() {
    let text =
        std::fs::read_to_string(shared_file("fixtures/bench-workout-20.json")).expect("read");
    let s = structure::compile(&text).expect("bench workout compiles");
    assert_eq!(s.structure.len(), 20);
    let back = structure::compile(&s.to_json()).expect("wire output recompiles");
    assert_eq!(back, s, "compiling our own wire output is the identity");
    let parsed: Structure = serde_json::from_str(&s.to_json()).expect("deserialises");
    assert_eq!(parsed, s);
}

/// CPU seconds used by this thread (wall time is meaningless on a shared, loaded machine).
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name.
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Rough native speed check (CPU-time based); the official benchmark lives elsewhere.
/// `cargo test -p paceline-core --release --test it -- --ignored --nocapture compile_rate`
#[test]
#[ignore = "timing, run manually in release mode"]
#[allow(clippy::print_stderr)]
fn compile_rate() {
    let text =
        std::fs::read_to_string(shared_file("fixtures/bench-workout-20.json")).expect("read");
    let value: Value = serde_json::from_str(&text).expect("json");
    let s = structure::compile(&text).expect("compiles");
    let n: u32 = std::env::var("PACELINE_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000);
    let rate = |label: &str, f: &dyn Fn()| {
        let (t, c) = (std::time::Instant::now(), thread_cpu_secs());
        for _ in 0..n {
            f();
        }
        let wall = t.elapsed().as_secs_f64();
        let cpu = match (c, thread_cpu_secs()) {
            (Some(a), Some(b)) if b > a => b - a,
            _ => wall,
        };
        eprintln!(
            "{label}: {:.0}/s per CPU second ({:.0}/s wall)",
            n as f64 / cpu,
            n as f64 / wall
        );
    };
    rate("compile_value(&Value)", &|| {
        std::hint::black_box(structure::compile_value(std::hint::black_box(&value)).is_ok());
    });
    rate("compile(&str)", &|| {
        std::hint::black_box(structure::compile(std::hint::black_box(&text)).is_ok());
    });
    rate("to_json", &|| {
        std::hint::black_box(s.to_json());
    });
    rate("serde_json::from_str::<Value> (baseline)", &|| {
        std::hint::black_box(serde_json::from_str::<Value>(&text).is_ok());
    });
}

/// Regression (found by the browser e2e suite): `"repeat": 3` instead of `"reps": 3` was
/// ignored and the repetition defaulted to one pass, so 3×15 min became 1×15 min silently.
#[test]
fn misspelt_reps_is_rejected_through_every_entry_point() {
    let input = serde_json::json!({"steps": [
        {"duration_seconds": 600, "intensity_min": 50, "intensity_max": 65},
        {"repeat": 3, "steps": [
            {"duration_seconds": 900, "intensity_min": 95, "intensity_max": 105},
            {"duration_seconds": 300, "intensity_min": 50, "intensity_max": 55}]},
        {"duration_seconds": 600, "intensity_min": 45, "intensity_max": 55}]});
    let text = input.to_string();
    for (how, got) in [
        ("value", structure::compile_value(&input)),
        ("text", structure::compile(&text)),
        (
            "double-serialised",
            structure::compile_value(&Value::String(text.clone())),
        ),
    ] {
        let e = got.expect_err(how);
        assert_eq!(e.path, "steps[1].repeat", "{how}");
        assert!(
            e.to_string()
                .starts_with("steps[1].repeat: unknown key; did you mean \"reps\"?"),
            "{how}: {e}"
        );
    }
    // And without the count at all: an error, not one pass.
    let no_reps = text.replace("\"repeat\":3,", "");
    let e = structure::compile(&no_reps).expect_err("no reps");
    assert_eq!(
        e.to_string(),
        "steps[1].reps: is missing: a repetition needs \"reps\", the number of times its steps \
         repeat (1–1000)."
    );
}
