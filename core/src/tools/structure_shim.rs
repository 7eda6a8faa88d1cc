//! TEMPORARY stand-in for `crate::structure` while the real compiler is written on another
//! branch. It exposes exactly the agreed API (`compile_value`, `metrics`, `summary`,
//! `Structure::to_value`, `CompileError`, `PlannedMetrics`) for the subset the library tools
//! need: the friendly `steps` format (single steps and one-level repetitions, time-based) and
//! already-wire structures (a root with a `structure` array). Once `crate::structure` lands,
//! `library_shared.rs` switches its `use` line and this file is deleted.

use std::fmt;

use serde_json::{Map, Value, json};

/// A compiled wire structure.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Structure(Value);

impl Structure {
    /// The wire structure as JSON (an object).
    pub(crate) fn to_value(&self) -> Value {
        self.0.clone()
    }
}

/// Planned metrics derived from a structure (spec §10.6).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlannedMetrics {
    /// Total planned seconds.
    pub(crate) total_seconds: f64,
    /// Total planned hours.
    pub(crate) total_hours: f64,
    /// Planned intensity factor.
    pub(crate) if_planned: f64,
    /// Planned TSS.
    pub(crate) tss_planned: f64,
    /// Planned energy in kJ (only with an FTP).
    pub(crate) energy_planned: Option<f64>,
}

/// Why a structure did not compile; `path` names the offending element.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CompileError {
    /// JSON path, e.g. `steps[1].duration_seconds`.
    pub(crate) path: String,
    /// What is wrong.
    pub(crate) message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

fn err(path: impl Into<String>, message: impl Into<String>) -> CompileError {
    CompileError {
        path: path.into(),
        message: message.into(),
    }
}

/// Compiles an object or a string holding JSON.
pub(crate) fn compile_value(v: &Value) -> Result<Structure, CompileError> {
    let parsed;
    let v = match v {
        Value::String(s) => {
            parsed = serde_json::from_str::<Value>(s)
                .map_err(|e| err("structure", format!("not valid JSON: {e}")))?;
            &parsed
        }
        other => other,
    };
    let root = v
        .as_object()
        .ok_or_else(|| err("structure", "must be a JSON object with a \"steps\" array"))?;
    let metric = root
        .get("primaryIntensityMetric")
        .and_then(Value::as_str)
        .unwrap_or("percentOfFtp")
        .to_string();
    if ![
        "percentOfFtp",
        "percentOfThresholdHr",
        "percentOfThresholdPace",
    ]
    .contains(&metric.as_str())
    {
        return Err(err(
            "primaryIntensityMetric",
            "must be percentOfFtp, percentOfThresholdHr or percentOfThresholdPace",
        ));
    }
    if let Some(Value::Array(blocks)) = root.get("structure") {
        return wrap(blocks.clone(), &metric, "structure");
    }
    let steps = root
        .get("steps")
        .and_then(Value::as_array)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| err("steps", "must be an array with at least one step"))?;
    let mut blocks = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        let p = format!("steps[{i}]");
        if s.get("type").and_then(Value::as_str) == Some("repetition") {
            let reps = s
                .get("reps")
                .map_or(Some(1), Value::as_u64)
                .filter(|r| *r >= 1);
            let reps =
                reps.ok_or_else(|| err(format!("{p}.reps"), "must be a whole number ≥ 1"))?;
            let inner = s
                .get("steps")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
                .ok_or_else(|| {
                    err(
                        format!("{p}.steps"),
                        "a repetition needs at least one inner step",
                    )
                })?;
            let mut out = Vec::new();
            for (j, st) in inner.iter().enumerate() {
                let mut w = step(st, &format!("{p}.steps[{j}]"))?;
                w.insert("type".into(), json!("step"));
                out.push(Value::Object(w));
            }
            blocks.push(json!({"type": "repetition", "length": {"value": reps, "unit": "repetition"}, "steps": out}));
        } else {
            let w = step(s, &p)?;
            blocks.push(
                json!({"type": "step", "length": {"value": 1, "unit": "repetition"}, "steps": [w]}),
            );
        }
    }
    wrap(blocks, &metric, "steps")
}

fn step(s: &Value, p: &str) -> Result<Map<String, Value>, CompileError> {
    let secs = s
        .get("duration_seconds")
        .and_then(Value::as_f64)
        .filter(|d| *d > 0.0)
        .ok_or_else(|| {
            err(
                format!("{p}.duration_seconds"),
                "must be a positive number of seconds",
            )
        })?;
    let class = match s
        .get("intensityClass")
        .and_then(Value::as_str)
        .unwrap_or("active")
    {
        "recovery" => "rest",
        c @ ("warmUp" | "active" | "rest" | "coolDown" | "other") => c,
        _ => {
            return Err(err(
                format!("{p}.intensityClass"),
                "must be warmUp, active, rest, coolDown or other",
            ));
        }
    };
    let mut targets = Vec::new();
    if let (Some(lo), Some(hi)) = (
        s.get("intensity_min").and_then(Value::as_f64),
        s.get("intensity_max").and_then(Value::as_f64),
    ) {
        if lo > hi {
            return Err(err(
                format!("{p}.intensity_min"),
                "must not exceed intensity_max",
            ));
        }
        targets.push(json!({"minValue": lo, "maxValue": hi}));
    }
    let mut m = Map::new();
    m.insert("name".into(), s.get("name").cloned().unwrap_or(json!("")));
    m.insert("length".into(), json!({"value": secs, "unit": "second"}));
    m.insert("targets".into(), Value::Array(targets));
    m.insert("intensityClass".into(), json!(class));
    m.insert("openDuration".into(), json!(false));
    Ok(m)
}

fn wrap(mut blocks: Vec<Value>, metric: &str, p: &str) -> Result<Structure, CompileError> {
    if blocks.is_empty() {
        return Err(err(p, "must contain at least one block"));
    }
    let mut cursor = 0.0;
    for (i, b) in blocks.iter_mut().enumerate() {
        let reps = b
            .pointer("/length/value")
            .and_then(Value::as_f64)
            .unwrap_or(1.0);
        let steps = b
            .get("steps")
            .and_then(Value::as_array)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                err(
                    format!("{p}[{i}].steps"),
                    "each block needs at least one step",
                )
            })?;
        let mut sum = 0.0;
        for (j, s) in steps.iter().enumerate() {
            let v = s
                .pointer("/length/value")
                .and_then(Value::as_f64)
                .filter(|v| *v > 0.0)
                .ok_or_else(|| {
                    err(
                        format!("{p}[{i}].steps[{j}].length.value"),
                        "must be a positive number",
                    )
                })?;
            sum += v;
        }
        let end = cursor + reps * sum;
        if let Some(o) = b.as_object_mut() {
            o.insert("begin".into(), json!(cursor));
            o.insert("end".into(), json!(end));
        }
        cursor = end;
    }
    Ok(Structure(json!({
        "structure": blocks,
        "polyline": [],
        "primaryLengthMetric": "duration",
        "primaryIntensityMetric": metric,
        "primaryIntensityTargetOrRange": "range"
    })))
}

/// Step instances (repetitions expanded): (seconds, midpoint % or 0).
fn instances(s: &Structure) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for b in
        s.0.get("structure")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
    {
        let reps = b
            .pointer("/length/value")
            .and_then(Value::as_u64)
            .unwrap_or(1);
        for _ in 0..reps {
            for st in b
                .get("steps")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let secs = st
                    .pointer("/length/value")
                    .and_then(Value::as_f64)
                    .unwrap_or(0.0);
                let mid = st
                    .pointer("/targets/0")
                    .filter(|t| t.get("unit").is_none())
                    .and_then(|t| {
                        Some((t.get("minValue")?.as_f64()? + t.get("maxValue")?.as_f64()?) / 2.0)
                    })
                    .unwrap_or(0.0);
                out.push((secs, mid));
            }
        }
    }
    out
}

/// Planned metrics (spec §10.6, REF formula).
pub(crate) fn metrics(s: &Structure, ftp: Option<f64>) -> Option<PlannedMetrics> {
    let inst = instances(s);
    let total: f64 = inst.iter().map(|(t, _)| t).sum();
    if total <= 0.0 {
        return None;
    }
    let weighted: f64 = inst.iter().map(|(t, m)| t * m.powi(4)).sum();
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

/// A one-line readable summary.
pub(crate) fn summary(s: &Structure) -> String {
    let blocks =
        s.0.get("structure")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
    let secs: f64 = instances(s).iter().map(|(t, _)| t).sum();
    format!("{blocks} block(s), {} min", (secs / 60.0).round())
}
