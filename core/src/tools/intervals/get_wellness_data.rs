//! `get_wellness_data`: daily wellness records (`GET
//! /api/v1/athlete/{id}/wellness?oldest&newest`). As in the seed, the subjective scores are
//! the API's 1–4 scales (1 best), not the "/10" the seed printed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{self, IcuAthleteId, join_parts, round};
use crate::intervals::wellness::Wellness;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `get_wellness_data`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetWellnessDataArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// First day, YYYY-MM-DD (default: 30 days ago).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last day, YYYY-MM-DD (default: today).
    #[serde(default)]
    pub end_date: Option<Date>,
    /// Also return fields not listed in the output schema (custom wellness fields…), under
    /// `other`.
    #[serde(default)]
    pub include_all_fields: bool,
}

/// One day of wellness.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WellnessDay {
    /// The day.
    pub date: Option<String>,
    /// Fitness (CTL).
    pub ctl: Option<f64>,
    /// Fatigue (ATL).
    pub atl: Option<f64>,
    /// Ramp rate.
    pub ramp_rate: Option<f64>,
    /// Weight, kg.
    pub weight: Option<f64>,
    /// Resting heart rate, bpm.
    pub resting_hr: Option<f64>,
    /// HRV (rMSSD), ms.
    pub hrv: Option<f64>,
    /// Sleep, hours.
    pub sleep_hours: Option<f64>,
    /// Sleep score, 0–100.
    pub sleep_score: Option<f64>,
    /// Sleep quality, 1 (great) – 4 (poor).
    pub sleep_quality: Option<i64>,
    /// Soreness, 1 (low) – 4 (extreme).
    pub soreness: Option<i64>,
    /// Fatigue, 1 (low) – 4 (extreme).
    pub fatigue: Option<i64>,
    /// Stress, 1 (low) – 4 (extreme).
    pub stress: Option<i64>,
    /// Mood, 1 (great) – 4 (grumpy).
    pub mood: Option<i64>,
    /// Motivation, 1 (extreme) – 4 (low).
    pub motivation: Option<i64>,
    /// Injury, 1 (none) – 4 (serious).
    pub injury: Option<i64>,
    /// Blood oxygen, %.
    pub spo2: Option<f64>,
    /// Steps.
    pub steps: Option<i64>,
    /// Readiness.
    pub readiness: Option<f64>,
    /// Notes.
    pub comments: Option<String>,
    /// Every other field, as sent (with include_all_fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<Map<String, Value>>,
}

/// One record as the tools show it.
pub(crate) fn wellness_day(w: &Wellness, all: bool) -> WellnessDay {
    let r = |x: Option<f64>| x.map(|v| round(v, 1));
    WellnessDay {
        date: w.id.get().map(|d| d.date().to_string()),
        ctl: r(w.ctl.val()),
        atl: r(w.atl.val()),
        ramp_rate: r(w.ramp_rate.val()),
        weight: r(w.weight.val()),
        resting_hr: r(w.resting_hr.val()),
        hrv: r(w.hrv.val()),
        sleep_hours: w.sleep_secs.val().map(|s| round(s as f64 / 3600.0, 2)),
        sleep_score: r(w.sleep_score.val()),
        sleep_quality: w.sleep_quality.val(),
        soreness: w.soreness.val(),
        fatigue: w.fatigue.val(),
        stress: w.stress.val(),
        mood: w.mood.val(),
        motivation: w.motivation.val(),
        injury: w.injury.val(),
        spo2: r(w.spo2.val()),
        steps: w.steps.val(),
        readiness: r(w.readiness.val()),
        comments: crate::wire::trimmed_text(&w.comments),
        other: all.then(|| w.rest.clone()).filter(|m| !m.is_empty()),
    }
}

/// One line of a day.
pub(crate) fn wellness_line(d: &WellnessDay) -> String {
    let parts = join_parts(&[
        d.ctl.map(|v| format!("CTL {v}")),
        d.atl.map(|v| format!("ATL {v}")),
        d.weight.map(|v| format!("{v} kg")),
        d.resting_hr.map(|v| format!("rest HR {v}")),
        d.hrv.map(|v| format!("HRV {v}")),
        d.sleep_hours.map(|v| format!("sleep {v} h")),
        d.sleep_quality.map(|v| format!("sleep quality {v}/4")),
        d.soreness.map(|v| format!("soreness {v}/4")),
        d.fatigue.map(|v| format!("fatigue {v}/4")),
        d.stress.map(|v| format!("stress {v}/4")),
        d.mood.map(|v| format!("mood {v}/4")),
        d.motivation.map(|v| format!("motivation {v}/4")),
        d.injury.map(|v| format!("injury {v}/4")),
        d.spo2.map(|v| format!("SpO2 {v}%")),
        d.steps.map(|v| format!("{v} steps")),
        d.comments
            .as_ref()
            .map(|c| format!("\"{}\"", common::cut(c, 200))),
    ]);
    format!(
        "{}: {}",
        d.date.as_deref().unwrap_or("?"),
        if parts.is_empty() {
            "no values"
        } else {
            &parts
        }
    )
}

/// Result of `get_wellness_data`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetWellnessDataOutput {
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// One record per day that has one, in date order.
    pub days: Vec<WellnessDay>,
}

/// The tool.
pub struct GetWellnessData;

impl TypedTool for GetWellnessData {
    type Args = GetWellnessDataArgs;
    type Output = GetWellnessDataOutput;
    const NAME: &'static str = "get_wellness_data";
    const DESCRIPTION: &'static str = "Daily Intervals.icu wellness from start_date to end_date \
        (default: the last 30 days): fitness (CTL), fatigue (ATL), ramp rate, weight, resting \
        HR, HRV, sleep, SpO2, steps, notes, and the subjective scores on Intervals.icu's 1–4 \
        scales (1 = best: great sleep, low soreness/fatigue/stress, great mood, high \
        motivation, no injury).";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu wellness");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        if let (Some(s), Some(e)) = (args.start_date, args.end_date) {
            common::check_order(s.0, e.0, "end_date")?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let start = common::day_or(args.start_date, icu, -30);
        let end = common::day_or(args.end_date, icu, 0);
        common::check_order(start, end, "end_date")?;
        let mut days: Vec<WellnessDay> = icu
            .wellness(args.athlete_id.get(), start, end)
            .await?
            .iter()
            .map(|w| wellness_day(w, args.include_all_fields))
            .collect();
        days.sort_by(|a, b| a.date.cmp(&b.date));
        let mut text = if days.is_empty() {
            format!("No wellness records from {start} to {end}.")
        } else {
            format!("Wellness from {start} to {end} ({} days):", days.len())
        };
        for d in &days {
            text.push_str(&format!("\n- {}", wellness_line(d)));
        }
        Ok((
            text,
            GetWellnessDataOutput {
                start_date: start.to_string(),
                end_date: end.to_string(),
                days,
            },
        ))
    }
}
