//! `log_metrics`: record health metrics for a day.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::shared::args::{AthleteId, Date};
use super::shared::metrics::{INJURY_LABELS, INJURY_TYPE, SPECS, metric_unit};
use super::shared::zone_views::num;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::settings::js_number;
use crate::wire::Day;

/// The tool.
pub struct LogMetrics;

/// Arguments of `log_metrics`. Give at least one value.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct LogMetricsArgs {
    /// Day, YYYY-MM-DD.
    pub date: Date,
    /// Body weight, **kg** (0–1000), e.g. 63.4.
    #[serde(default)]
    pub weight_kg: Option<f64>,
    /// Resting pulse, **bpm**, whole number 10–200, e.g. 46.
    #[serde(default)]
    pub pulse: Option<i64>,
    /// Heart-rate variability (rMSSD), **ms** (0–200), e.g. 68.
    #[serde(default)]
    pub hrv: Option<f64>,
    /// Sleep, **hours** (0–72), e.g. 7.5.
    #[serde(default)]
    pub sleep_hours: Option<f64>,
    /// Blood oxygen saturation, **%** (0–100), e.g. 97.
    #[serde(default)]
    pub spo2: Option<f64>,
    /// Steps that day, whole number ≥ 0.
    #[serde(default)]
    pub steps: Option<i64>,
    /// Resting metabolic rate, **kcal/day** (500–5000).
    #[serde(default)]
    pub rmr: Option<f64>,
    /// Injury/health state 1–10: 1 Extremely Injured … 5 Below Average, 6 Above Average …
    /// 10 Extremely Healthy.
    #[serde(default)]
    pub injury: Option<i64>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `log_metrics`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LogMetricsOutput {
    /// The day, YYYY-MM-DD.
    pub date: String,
    /// What was logged (empty when nothing was given).
    pub logged: Vec<LoggedMetric>,
}

impl TypedTool for LogMetrics {
    type Args = LogMetricsArgs;
    type Output = LogMetricsOutput;
    const NAME: &'static str = "log_metrics";
    const DESCRIPTION: &'static str = "Log health metrics for a day (YYYY-MM-DD): weight_kg (kg), pulse (resting \
        bpm), hrv (ms), sleep_hours (hours), spo2 (%), steps, rmr (kcal/day), injury (1 Extremely Injured … 10 \
        Extremely Healthy). Give any subset; a value logged again for the same day replaces the old one.";
    const ANNOTATIONS: Annotations = Annotations::update("Log health metrics");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        for (spec, v) in SPECS.iter().zip(values(args)) {
            if let Some(v) = v
                && !(v.is_finite() && (spec.min..=spec.max).contains(&v))
            {
                return Err(ToolError::invalid(
                    spec.field,
                    format!(
                        "{v} is out of range; use {}–{} {}",
                        num(spec.min),
                        num(spec.max),
                        spec.units
                    ),
                ));
            }
        }
        if let Some(i) = args.injury
            && !(1..=10).contains(&i)
        {
            return Err(ToolError::invalid(
                "injury",
                format!(
                    "{i} is not on the scale; use 1 (Extremely Injured) to 10 (Extremely Healthy)"
                ),
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let date = args.date;
        if values(&args).iter().all(Option::is_none) && args.injury.is_none() {
            return Ok((
                "No metrics provided — nothing logged.".to_string(),
                LogMetricsOutput {
                    date: date.to_string(),
                    logged: Vec::new(),
                },
            ));
        }
        let aid = args.athlete_id.resolve(ctx).await?;
        let (body, logged) = build_body(aid, &args);
        ctx.client.log_metric(aid, &body).await?;
        let lines: Vec<String> = logged
            .iter()
            .map(|m| {
                if m.type_id == INJURY_TYPE {
                    let label = INJURY_LABELS
                        .get((m.value as usize).saturating_sub(1))
                        .copied()
                        .unwrap_or("");
                    format!("  Injury: {}/10 ({label})", num(m.value))
                } else {
                    format!("  {}: {} {}", m.label, num(m.value), metric_unit(m.type_id))
                }
            })
            .collect();
        Ok((
            format!(
                "Logged {} metric(s) for {date}:\n{}",
                logged.len(),
                lines.join("\n")
            ),
            LogMetricsOutput {
                date: date.to_string(),
                logged,
            },
        ))
    }
}

/// One logged value.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LoggedMetric {
    /// TrainingPeaks metric type.
    pub type_id: i64,
    /// Label.
    pub label: String,
    /// Value.
    pub value: f64,
    /// Unit.
    pub unit: &'static str,
}

fn values(args: &LogMetricsArgs) -> [Option<f64>; 7] {
    [
        args.weight_kg,
        args.pulse.map(|p| p as f64),
        args.hrv,
        args.sleep_hours,
        args.spo2,
        args.steps.map(|s| s as f64),
        args.rmr,
    ]
}

/// The POST body (spec §8.3): `{athleteId, timeStamp, id:null, details[]}`, numeric details
/// with `units`, `formatedUnits` (sic), `min`, `max`; injury with its 10-value `enumeration`.
/// Details are dated at noon, as the reference does.
fn build_body(aid: i64, args: &LogMetricsArgs) -> (Value, Vec<LoggedMetric>) {
    let date = args.date;
    let time = format!("{date}T12:00:00");
    let mut details = Vec::new();
    let mut logged = Vec::new();
    for (spec, v) in SPECS.iter().zip(values(args)) {
        let Some(v) = v else { continue };
        details.push(json!({
            "type": spec.type_id,
            "label": spec.label,
            "value": js_number(v),
            "time": time,
            "temporaryId": 0,
            "units": spec.units,
            "formatedUnits": spec.units,
            "min": js_number(spec.min),
            "max": js_number(spec.max),
        }));
        logged.push(LoggedMetric {
            type_id: spec.type_id,
            label: spec.label.into(),
            value: v,
            unit: metric_unit(spec.type_id),
        });
    }
    if let Some(i) = args.injury {
        let enumeration: Vec<Value> = INJURY_LABELS
            .iter()
            .enumerate()
            .map(|(n, l)| json!({"value": n + 1, "label": l}))
            .collect();
        details.push(json!({
            "type": INJURY_TYPE,
            "label": "Injury",
            "value": i,
            "time": time,
            "temporaryId": 0,
            "units": "",
            "formatedUnits": "",
            "enumeration": enumeration,
        }));
        logged.push(LoggedMetric {
            type_id: INJURY_TYPE,
            label: "Injury".into(),
            value: i as f64,
            unit: "/10",
        });
    }
    let body = json!({
        "athleteId": aid,
        "timeStamp": Day::midnight(date.0),
        "id": null,
        "details": details,
    });
    (body, logged)
}
