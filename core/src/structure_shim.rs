//! TEMPORARY stand-in for [`crate::structure`] while the real compiler is written on another
//! branch. It has exactly the API the tools brief promises (`compile_value`, `metrics`,
//! `summary`, `Structure::to_value`, `CompileError { path, message }`), so switching over is a
//! one-line `use` change in each caller (`use crate::structure_shim as structure;` →
//! `use crate::structure;`) and deleting this file.
//!
//! It covers what the workout tools and the sandbox seed need: the friendly format
//! (`steps` with `duration_seconds`/`intensity_min`/`intensity_max`, `type:"repetition"` with
//! `reps`) and wire pass-through (blocks with `length`), begin/end, the REF polyline, and the
//! §10.6 planned metrics. It is not the conformance-tested compiler.

use serde_json::{Map, Value, json};

/// A compiled wire structure (the object TrainingPeaks stores).
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    value: Value,
    /// (seconds, repeat count, primary midpoint %) per step, repetitions not expanded.
    steps: Vec<(f64, f64, Option<f64>)>,
    blocks: Vec<String>,
}

/// Planned metrics derived from a structure (spec §10.6).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedMetrics {
    /// Total planned seconds.
    pub total_seconds: f64,
    /// Total planned hours.
    pub total_hours: f64,
    /// Planned intensity factor (2 decimals).
    pub if_planned: f64,
    /// Planned TSS (1 decimal).
    pub tss_planned: f64,
    /// Planned energy in kJ when an FTP is known.
    pub energy_planned: Option<f64>,
}

/// Why a structure was rejected; `path` is relative to the structure argument.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct CompileError {
    /// JSON path inside the structure, e.g. `steps[1].duration_seconds`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn err(path: impl Into<String>, message: impl Into<String>) -> CompileError {
    CompileError {
        path: path.into(),
        message: message.into(),
    }
}

impl Structure {
    /// The wire structure as JSON.
    pub fn to_value(&self) -> Value {
        self.value.clone()
    }
}

/// Compiles a structure given as an object or as a string holding JSON.
pub fn compile_value(v: &Value) -> Result<Structure, CompileError> {
    match v {
        Value::String(s) => compile(s),
        Value::Object(_) => compile_object(v),
        _ => Err(err(
            "",
            "must be a JSON object with a \"steps\" array (or a string holding one)",
        )),
    }
}

/// Compiles a structure given as JSON text.
pub fn compile(s: &str) -> Result<Structure, CompileError> {
    let v: Value =
        serde_json::from_str(s).map_err(|e| err("", format!("is not valid JSON: {e}")))?;
    if !v.is_object() {
        return Err(err("", "must be a JSON object with a \"steps\" array"));
    }
    compile_object(&v)
}

fn num(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64)
}

fn compile_object(root: &Value) -> Result<Structure, CompileError> {
    let metric = root
        .get("primaryIntensityMetric")
        .and_then(Value::as_str)
        .unwrap_or("percentOfFtp");
    if !matches!(
        metric,
        "percentOfFtp" | "percentOfThresholdHr" | "percentOfThresholdPace"
    ) {
        return Err(err(
            "primaryIntensityMetric",
            "must be percentOfFtp, percentOfThresholdHr or percentOfThresholdPace",
        ));
    }
    if let (Some(blocks), None) = (
        root.get("structure").and_then(Value::as_array),
        root.get("steps"),
    ) {
        return wrap_wire(blocks, metric, "structure");
    }
    let steps = root
        .get("steps")
        .and_then(Value::as_array)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| err("steps", "must be an array with at least one step"))?;
    let friendly = steps.iter().any(|s| {
        s.get("duration_seconds").is_some()
            || s.get("intensity_min").is_some()
            || s.get("reps").is_some()
    });
    if !friendly {
        if steps.first().and_then(|s| s.get("length")).is_some() {
            return wrap_wire(steps, metric, "steps");
        }
        return Err(err(
            "steps",
            "could not determine the format: give each step duration_seconds, intensity_min and intensity_max",
        ));
    }
    let mut blocks = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        if s.get("type").and_then(Value::as_str) == Some("repetition") {
            let inner = s
                .get("steps")
                .and_then(Value::as_array)
                .filter(|x| !x.is_empty())
                .ok_or_else(|| {
                    err(
                        format!("steps[{i}].steps"),
                        "a repetition needs at least one inner step",
                    )
                })?;
            let reps = num(s.get("reps")).unwrap_or(1.0);
            if reps < 1.0 || reps.fract() != 0.0 {
                return Err(err(
                    format!("steps[{i}].reps"),
                    "must be a whole number ≥ 1",
                ));
            }
            let mut wire = Vec::new();
            for (j, st) in inner.iter().enumerate() {
                let mut w = friendly_step(st, &format!("steps[{i}].steps[{j}]"))?;
                if let Value::Object(m) = &mut w {
                    m.insert("type".into(), json!("step"));
                }
                wire.push(w);
            }
            blocks.push(json!({"type": "repetition", "length": {"value": reps, "unit": "repetition"}, "steps": wire}));
        } else {
            let w = friendly_step(s, &format!("steps[{i}]"))?;
            blocks.push(
                json!({"type": "step", "length": {"value": 1, "unit": "repetition"}, "steps": [w]}),
            );
        }
    }
    wrap_wire(&blocks, metric, "steps")
}

fn friendly_step(s: &Value, path: &str) -> Result<Value, CompileError> {
    let secs = num(s.get("duration_seconds"))
        .filter(|d| *d > 0.0)
        .ok_or_else(|| {
            err(
                format!("{path}.duration_seconds"),
                "must be a positive number of seconds",
            )
        })?;
    let mut targets = Vec::new();
    if let (Some(lo), Some(hi)) = (num(s.get("intensity_min")), num(s.get("intensity_max"))) {
        if lo > hi {
            return Err(err(
                format!("{path}.intensity_min"),
                "must not exceed intensity_max",
            ));
        }
        targets.push(json!({"minValue": lo, "maxValue": hi}));
    }
    if let (Some(lo), Some(hi)) = (num(s.get("cadence_min")), num(s.get("cadence_max"))) {
        targets.push(json!({"minValue": lo, "maxValue": hi, "unit": "roundOrStridePerMinute"}));
    }
    let class = match s
        .get("intensityClass")
        .and_then(Value::as_str)
        .unwrap_or("active")
    {
        "recovery" => "rest",
        c @ ("warmUp" | "active" | "rest" | "coolDown" | "other") => c,
        _ => {
            return Err(err(
                format!("{path}.intensityClass"),
                "must be warmUp, active, rest, coolDown or other",
            ));
        }
    };
    let name = s.get("name").and_then(Value::as_str).unwrap_or("");
    Ok(
        json!({"name": name, "length": {"value": secs, "unit": "second"}, "targets": targets,
        "intensityClass": class, "openDuration": false}),
    )
}

fn wrap_wire(blocks: &[Value], metric: &str, base: &str) -> Result<Structure, CompileError> {
    if blocks.is_empty() {
        return Err(err(base, "must have at least one block"));
    }
    let mut out = Vec::new();
    let mut cursor = 0.0;
    let mut steps = Vec::new();
    let mut names = Vec::new();
    // (start, end, max) per expanded step, for the polyline.
    let mut segments: Vec<(f64, f64, f64)> = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let kind = b.get("type").and_then(Value::as_str).unwrap_or("step");
        let inner = b
            .get("steps")
            .and_then(Value::as_array)
            .filter(|x| !x.is_empty())
            .ok_or_else(|| {
                err(
                    format!("{base}[{i}].steps"),
                    "each block needs at least one step",
                )
            })?;
        let reps = if kind == "repetition" {
            num(b.get("length").and_then(|l| l.get("value"))).unwrap_or(1.0)
        } else {
            1.0
        };
        let mut block_len = 0.0;
        for (j, st) in inner.iter().enumerate() {
            let len = num(st.get("length").and_then(|l| l.get("value")))
                .filter(|v| *v > 0.0)
                .ok_or_else(|| {
                    err(
                        format!("{base}[{i}].steps[{j}].length.value"),
                        "must be a positive number",
                    )
                })?;
            let primary = st
                .get("targets")
                .and_then(Value::as_array)
                .and_then(|t| t.iter().find(|t| t.get("unit").is_none()));
            let mid = primary
                .and_then(|p| Some((num(p.get("minValue"))? + num(p.get("maxValue"))?) / 2.0));
            steps.push((len, reps, mid));
            block_len += len;
        }
        let begin = cursor;
        for _ in 0..(reps.max(1.0) as usize) {
            for st in inner {
                let len = num(st.get("length").and_then(|l| l.get("value"))).unwrap_or(0.0);
                let max = st
                    .get("targets")
                    .and_then(Value::as_array)
                    .and_then(|t| t.iter().find(|t| t.get("unit").is_none()))
                    .and_then(|p| num(p.get("maxValue")))
                    .unwrap_or(0.0);
                segments.push((cursor, cursor + len, max));
                cursor += len;
            }
        }
        let name = inner
            .first()
            .and_then(|s| s.get("name"))
            .and_then(Value::as_str)
            .unwrap_or(kind);
        names.push(if kind == "repetition" {
            format!("{reps}x {name}")
        } else {
            name.to_string()
        });
        let mut m: Map<String, Value> = b.as_object().cloned().unwrap_or_default();
        m.insert("begin".into(), json!(begin));
        m.insert("end".into(), json!(begin + reps * block_len));
        out.push(Value::Object(m));
    }
    let total = cursor;
    let top = segments.iter().map(|s| s.2).fold(0.0, f64::max);
    let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
    let mut polyline = Vec::new();
    if total > 0.0 && top > 0.0 {
        polyline.push(json!([0, 0]));
        for (a, b, m) in &segments {
            let y = r3(m / top);
            polyline.push(json!([r3(a / total), y]));
            polyline.push(json!([r3(b / total), y]));
            polyline.push(json!([r3(b / total), 0]));
        }
    }
    let value = json!({"structure": out, "polyline": polyline, "primaryLengthMetric": "duration",
        "primaryIntensityMetric": metric, "primaryIntensityTargetOrRange": "range"});
    Ok(Structure {
        value,
        steps,
        blocks: names,
    })
}

/// Planned duration, IF, TSS (and energy with an FTP) of a structure (spec §10.6).
pub fn metrics(s: &Structure, ftp: Option<f64>) -> Option<PlannedMetrics> {
    let total: f64 = s.steps.iter().map(|(len, reps, _)| len * reps).sum();
    if total <= 0.0 {
        return None;
    }
    let weighted: f64 = s
        .steps
        .iter()
        .map(|(len, reps, mid)| len * reps * mid.unwrap_or(0.0).powi(4))
        .sum();
    let if_planned = (weighted / total).powf(0.25).round() / 100.0;
    let tss = (total * if_planned * if_planned * 100.0 / 3600.0 * 10.0).round() / 10.0;
    Some(PlannedMetrics {
        total_seconds: total,
        total_hours: total / 3600.0,
        if_planned,
        tss_planned: tss,
        energy_planned: ftp.map(|f| (f * if_planned * total / 1000.0 * 100.0).round() / 100.0),
    })
}

/// A one-line readable summary of the blocks.
pub fn summary(s: &Structure) -> String {
    s.blocks.join(", ")
}
