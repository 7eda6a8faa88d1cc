//! `add_or_update_wellness`: writes one day of wellness (`PUT
//! /api/v1/athlete/{id}/wellness/{date}` with the day's id and only the fields given).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId, PlannedRequest};
use super::get_wellness_data::{WellnessDay, wellness_day, wellness_line};
use crate::intervals::wellness::WellnessUpdate;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `add_or_update_wellness`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AddOrUpdateWellnessArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// The day, YYYY-MM-DD (default today).
    #[serde(default)]
    pub date: Option<Date>,
    /// Weight, kg.
    #[serde(default)]
    pub weight: Option<f64>,
    /// Resting heart rate, bpm.
    #[serde(default)]
    pub resting_hr: Option<i64>,
    /// HRV (rMSSD), ms.
    #[serde(default)]
    pub hrv: Option<f64>,
    /// Sleep, hours (e.g. 7.5).
    #[serde(default)]
    pub sleep_hours: Option<f64>,
    /// Sleep score, 0–100.
    #[serde(default)]
    pub sleep_score: Option<f64>,
    /// Sleep quality, 1 (great) – 4 (poor).
    #[serde(default)]
    pub sleep_quality: Option<i64>,
    /// Soreness, 1 (low) – 4 (extreme).
    #[serde(default)]
    pub soreness: Option<i64>,
    /// Fatigue, 1 (low) – 4 (extreme).
    #[serde(default)]
    pub fatigue: Option<i64>,
    /// Stress, 1 (low) – 4 (extreme).
    #[serde(default)]
    pub stress: Option<i64>,
    /// Mood, 1 (great) – 4 (grumpy).
    #[serde(default)]
    pub mood: Option<i64>,
    /// Motivation, 1 (extreme) – 4 (low).
    #[serde(default)]
    pub motivation: Option<i64>,
    /// Injury, 1 (none) – 4 (serious).
    #[serde(default)]
    pub injury: Option<i64>,
    /// Blood oxygen, %.
    #[serde(default)]
    pub spo2: Option<f64>,
    /// Steps.
    #[serde(default)]
    pub steps: Option<i64>,
    /// Notes for the day.
    #[serde(default)]
    pub comments: Option<String>,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of `add_or_update_wellness`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AddOrUpdateWellnessOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent).
    pub request: PlannedRequest,
    /// The day as stored (not on a dry run).
    pub day: Option<WellnessDay>,
}

/// The tool.
pub struct AddOrUpdateWellness;

fn update(a: &AddOrUpdateWellnessArgs) -> Result<WellnessUpdate, ToolError> {
    let sleep_secs = match a.sleep_hours {
        Some(h) if !(0.0..=24.0).contains(&h) || !h.is_finite() => {
            return Err(ToolError::invalid(
                "sleep_hours",
                format!("{h} h is out of range (0–24)"),
            ));
        }
        Some(h) => Some((h * 3600.0).round() as i64),
        None => None,
    };
    Ok(WellnessUpdate {
        weight: a.weight,
        resting_hr: a.resting_hr,
        hrv: a.hrv,
        sleep_secs,
        sleep_score: a.sleep_score,
        sleep_quality: a.sleep_quality,
        soreness: a.soreness,
        fatigue: a.fatigue,
        stress: a.stress,
        mood: a.mood,
        motivation: a.motivation,
        injury: a.injury,
        spo2: a.spo2,
        steps: a.steps,
        comments: a.comments.clone(),
    })
}

impl TypedTool for AddOrUpdateWellness {
    type Args = AddOrUpdateWellnessArgs;
    type Output = AddOrUpdateWellnessOutput;
    const NAME: &'static str = "add_or_update_wellness";
    const DESCRIPTION: &'static str = "Record one day of Intervals.icu wellness (default today): \
        weight, resting HR, HRV, sleep hours/score/quality, soreness, fatigue, stress, mood, \
        motivation, injury (1–4 scales, 1 = best), SpO2, steps, comments. Only the fields given \
        change. dry_run=true returns the request without sending it.";
    const ANNOTATIONS: Annotations = Annotations::update("Record Intervals.icu wellness");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        let day = args.date.map_or(chrono::NaiveDate::MIN, |d| d.0);
        update(args)?.body(day).map(drop).map_err(ToolError::Icu)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let day = common::day_or(args.date, icu, 0);
        let u = update(&args)?;
        let (athlete, u) = (args.athlete_id.get(), &u);
        let request = common::plan(
            icu,
            |c| async move { c.update_wellness(athlete, day, u).await },
        )
        .await?;
        if args.dry_run {
            return Ok((
                common::dry_run_text(&format!("record wellness for {day}"), &request),
                AddOrUpdateWellnessOutput {
                    dry_run: true,
                    request,
                    day: None,
                },
            ));
        }
        let stored = wellness_day(&icu.update_wellness(athlete, day, u).await?, false);
        Ok((
            format!("Recorded wellness. {}", wellness_line(&stored)),
            AddOrUpdateWellnessOutput {
                dry_run: false,
                request,
                day: Some(stored),
            },
        ))
    }
}
