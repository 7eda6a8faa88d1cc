//! `get_metrics`: health metrics (weight, resting HR, HRV, sleep…) between two dates.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date, DateRange, END_DATE, START_DATE};
use super::shared::metrics::{metric_label, metric_unit};
use super::shared::zone_views::num;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::metrics::MetricDay;

/// The tool.
pub struct GetMetrics;

/// Arguments of `get_metrics`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetMetricsArgs {
    #[schemars(description = START_DATE)]
    pub start_date: Date,
    #[schemars(description = END_DATE)]
    pub end_date: Date,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_metrics`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetMetricsOutput {
    /// Days with measurements, in order.
    pub days: Vec<MetricDayOut>,
    /// Summary per metric.
    pub summary: Vec<MetricSummary>,
}

impl TypedTool for GetMetrics {
    type Args = GetMetricsArgs;
    type Output = GetMetricsOutput;
    const NAME: &'static str = "get_metrics";
    const DESCRIPTION: &'static str = "Get health metrics between two dates (YYYY-MM-DD): weight (kg), resting \
        pulse (bpm), HRV (ms), sleep (hours), SpO2 (%), steps, RMR (kcal), injury (1–10). Ranges over 14 days are \
        summarised per metric (average, min, max, latest) in the text; every day is in the structured result.";
    const ANNOTATIONS: Annotations = Annotations::read("Get health metrics");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        DateRange::new(args.start_date, args.end_date).map(drop)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let rows = ctx
            .client
            .metrics(aid, args.start_date.0, args.end_date.0)
            .await?;
        let mut days: Vec<MetricDayOut> = rows.iter().filter_map(day_out).collect();
        days.sort_by(|a, b| a.date.cmp(&b.date));
        // Summary per label, in first-seen order.
        let mut order: Vec<String> = Vec::new();
        let mut values: BTreeMap<String, (&'static str, Vec<f64>)> = BTreeMap::new();
        for m in days.iter().flat_map(|d| &d.metrics) {
            let Some(v) = m.value else { continue };
            if !values.contains_key(&m.label) {
                order.push(m.label.clone());
            }
            values
                .entry(m.label.clone())
                .or_insert((m.unit, Vec::new()))
                .1
                .push(v);
        }
        let summary: Vec<MetricSummary> = order
            .iter()
            .filter_map(|label| {
                let (unit, vs) = values.get(label)?;
                let latest = *vs.last()?;
                Some(MetricSummary {
                    label: label.clone(),
                    unit,
                    count: vs.len(),
                    average: (vs.iter().sum::<f64>() / vs.len() as f64 * 10.0).round() / 10.0,
                    min: vs.iter().copied().fold(f64::INFINITY, f64::min),
                    max: vs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    latest,
                })
            })
            .collect();
        let text = if days.is_empty() {
            format!(
                "No metrics found between {} and {}.",
                args.start_date, args.end_date
            )
        } else if days.len() <= 14 {
            let mut lines = Vec::new();
            for d in &days {
                lines.push(d.date.clone().unwrap_or_else(|| "—".into()));
                for m in &d.metrics {
                    let v = m.value.map_or_else(|| "—".into(), num);
                    let src = m
                        .source
                        .as_deref()
                        .map_or_else(String::new, |s| format!(" ({s})"));
                    let unit = if m.unit.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", m.unit)
                    };
                    lines.push(format!("  {}: {v}{unit}{src}", m.label));
                }
            }
            lines.join("\n")
        } else {
            let mut lines = vec![format!(
                "{} days with metrics, {} to {}:",
                days.len(),
                args.start_date,
                args.end_date
            )];
            for s in &summary {
                lines.push(format!(
                    "{}: latest {} {u}, average {} {u} (min {}, max {}; {} values)",
                    s.label,
                    num(s.latest),
                    num(s.average),
                    num(s.min),
                    num(s.max),
                    s.count,
                    u = s.unit
                ));
            }
            lines.join("\n")
        };
        Ok((text, GetMetricsOutput { days, summary }))
    }
}

/// One measurement.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MetricOut {
    /// TrainingPeaks metric type (9 weight, 5 pulse, 60 HRV, 6 sleep, 53 SpO2, 58 steps,
    /// 15 RMR, 23 injury).
    pub type_id: Option<i64>,
    /// Label, e.g. "Weight" (the type's usual name when TrainingPeaks gives none).
    pub label: String,
    /// Value in `unit`.
    pub value: Option<f64>,
    /// Unit: kg, bpm, ms, h, %, steps, kcal, "/10".
    pub unit: &'static str,
    /// When measured, YYYY-MM-DDTHH:MM:SS.
    pub time: Option<String>,
    /// The app or device that uploaded it.
    pub source: Option<String>,
}

/// One day.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MetricDayOut {
    /// YYYY-MM-DD (null when TrainingPeaks sent no readable day).
    pub date: Option<String>,
    /// The measurements.
    pub metrics: Vec<MetricOut>,
}

/// Per-metric summary over the range.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MetricSummary {
    /// Label.
    pub label: String,
    /// Unit.
    pub unit: &'static str,
    /// Number of values.
    pub count: usize,
    /// Mean.
    pub average: f64,
    /// Smallest.
    pub min: f64,
    /// Largest.
    pub max: f64,
    /// The most recent value.
    pub latest: f64,
}

/// The view of one wire day; `None` for a day without measurements.
fn day_out(r: &MetricDay) -> Option<MetricDayOut> {
    let details = r.details();
    if details.is_empty() {
        return None;
    }
    Some(MetricDayOut {
        date: r.time_stamp.get().map(|d| d.date().to_string()),
        metrics: details
            .iter()
            .map(|d| {
                let kind = d.kind.val();
                MetricOut {
                    type_id: kind,
                    label: d
                        .label
                        .get()
                        .filter(|l| !l.trim().is_empty())
                        .cloned()
                        .unwrap_or_else(|| kind.map_or("Metric".into(), metric_label)),
                    value: d.value.val(),
                    unit: kind.map_or("", metric_unit),
                    time: d.time.get().map(|t| t.as_str().to_string()),
                    source: d.upload_client.get().cloned(),
                }
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Issue 8 §2: a string record id (the reference's type) used to fail the whole tool.
    #[test]
    fn string_ids_and_missing_labels_read() {
        let rows: Vec<MetricDay> = crate::wire::list_of(json!([
            {"id": "abc-1", "timeStamp": "2026-11-20T00:00:00",
             "details": [{"type": 6, "value": 7.5, "time": "2026-11-20T06:45:00"},
                         {"type": 9, "label": "Weight", "value": null}]},
            {"id": 3, "timeStamp": "2026-11-21T00:00:00", "details": []}
        ]));
        let days: Vec<MetricDayOut> = rows.iter().filter_map(day_out).collect();
        assert_eq!(days.len(), 1, "a day without measurements is not listed");
        assert_eq!(days[0].date.as_deref(), Some("2026-11-20"));
        let m = &days[0].metrics;
        assert_eq!(
            (m[0].label.as_str(), m[0].unit, m[0].value),
            ("Sleep", "h", Some(7.5))
        );
        assert_eq!(m[0].time.as_deref(), Some("2026-11-20T06:45:00"));
        assert_eq!((m[1].label.as_str(), m[1].value), ("Weight", None));
    }
}
