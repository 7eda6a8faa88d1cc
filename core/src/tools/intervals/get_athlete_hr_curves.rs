//! `get_athlete_hr_curves`: best sustained heart rate for durations (`GET
//! /api/v1/athlete/{id}/hr-curves?type&curves=…`), beside the power curves.

use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{self, CurveRequest, IcuAthleteId, duration_label};
use super::get_athlete_power_curves::{CurvesOutput, DEFAULT_DURATIONS, check_common};
use crate::intervals::curves::CurveKind;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

fn yes() -> bool {
    true
}

/// Arguments of `get_athlete_hr_curves`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetAthleteHrCurvesArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Sport (default Ride).
    #[serde(default)]
    pub activity_type: Option<String>,
    /// Durations in seconds (default 5, 15, 30, 60, 120, 300, 600, 1200, 3600).
    #[serde(default)]
    pub durations: Option<Vec<u32>>,
    /// Start of an extra date-range curve, YYYY-MM-DD (give end_date too).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// End of the date-range curve, YYYY-MM-DD.
    #[serde(default)]
    pub end_date: Option<Date>,
    /// Include this season's curve (default true).
    #[serde(default = "yes")]
    pub this_season: bool,
    /// Include last season's curve (default true).
    #[serde(default = "yes")]
    pub last_season: bool,
}

/// The tool.
pub struct GetAthleteHrCurves;

impl TypedTool for GetAthleteHrCurves {
    type Args = GetAthleteHrCurvesArgs;
    type Output = CurvesOutput;
    const NAME: &'static str = "get_athlete_hr_curves";
    const DESCRIPTION: &'static str = "Best sustained heart rate (bpm) for given durations from \
        the Intervals.icu HR curves: this season, last season and/or a start_date–end_date \
        range, for a sport (default Ride). Each point names the activity that set it.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu HR curves");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_common(
            &args.athlete_id,
            args.activity_type.as_deref(),
            args.durations.as_deref(),
            "durations",
            args.start_date,
            args.end_date,
        )
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let sport = args.activity_type.clone().unwrap_or_else(|| "Ride".into());
        let xs: Vec<f64> = args
            .durations
            .as_deref()
            .unwrap_or(DEFAULT_DURATIONS)
            .iter()
            .map(|d| f64::from(*d))
            .collect();
        let curves = common::read_curves(
            icu,
            CurveRequest {
                athlete: args.athlete_id.get(),
                kind: CurveKind::HeartRate,
                sport: &sport,
                xs: &xs,
                this_season: args.this_season,
                last_season: args.last_season,
                range: common::curve_range(args.start_date, args.end_date)?,
                filters: None,
                per_kg: false,
                gap: false,
            },
        )
        .await?;
        let text = common::curves_text("heart-rate curve", &curves, |p| {
            format!(
                "{}: {} bpm{}",
                duration_label(p.x),
                p.value.map_or("–".into(), |v| format!("{v:.0}")),
                p.activity_id
                    .as_deref()
                    .map_or(String::new(), |a| format!(" [{a}]"))
            )
        });
        Ok((
            format!("{sport} heart-rate curves:\n{text}"),
            CurvesOutput { sport, curves },
        ))
    }
}
