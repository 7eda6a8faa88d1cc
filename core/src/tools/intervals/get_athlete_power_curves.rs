//! `get_athlete_power_curves`: best power for durations over seasons or a date range (`GET
//! /api/v1/athlete/{id}/power-curves?type&curves=s0,s1,r.{start}.{end}[&filters]`), with the
//! seed's parameters and defaults. The seed sent `includeRanks=false`, which the spec does not
//! document; it is not sent.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, CurveRequest, CurveView, IcuAthleteId, duration_label};
use crate::intervals::curves::CurveKind;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// The seed's default durations, seconds.
pub const DEFAULT_DURATIONS: &[u32] = &[5, 15, 30, 60, 120, 300, 600, 1200, 3600];

fn yes() -> bool {
    true
}

/// Arguments of `get_athlete_power_curves`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetAthletePowerCurvesArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Sport (default Ride).
    #[serde(default)]
    pub activity_type: Option<String>,
    /// Durations in seconds (default 5, 15, 30, 60, 120, 300, 600, 1200, 3600).
    #[serde(default)]
    pub durations: Option<Vec<u32>>,
    /// Only `indoor` or only `outdoor` activities (default both).
    #[serde(default)]
    pub indoor_outdoor: Option<String>,
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
    /// Include watts per kg (default true).
    #[serde(default = "yes")]
    pub include_normalised: bool,
}

/// Result of the curve tools.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CurvesOutput {
    /// The sport.
    pub sport: String,
    /// The curves.
    pub curves: Vec<CurveView>,
}

/// The tool.
pub struct GetAthletePowerCurves;

/// Checks a curve tool's common arguments.
pub(crate) fn check_common(
    athlete: &IcuAthleteId,
    sport: Option<&str>,
    xs: Option<&[u32]>,
    xs_field: &str,
    start: Option<Date>,
    end: Option<Date>,
) -> Result<(), ToolError> {
    athlete.check()?;
    if let Some(s) = sport {
        common::check_path_id("activity_type", s)?;
    }
    if let Some(xs) = xs
        && (xs.is_empty() || xs.len() > 50 || xs.contains(&0))
    {
        return Err(ToolError::invalid(xs_field, "give 1 to 50 positive values"));
    }
    common::curve_range(start, end).map(drop)
}

impl TypedTool for GetAthletePowerCurves {
    type Args = GetAthletePowerCurvesArgs;
    type Output = CurvesOutput;
    const NAME: &'static str = "get_athlete_power_curves";
    const DESCRIPTION: &'static str = "Best power (watts, and W/kg) for given durations from the \
        Intervals.icu power curves: this season, last season and/or a start_date–end_date \
        range, for a sport (default Ride), optionally indoor or outdoor only. Each point names \
        the activity that set it.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu power curves");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_common(
            &args.athlete_id,
            args.activity_type.as_deref(),
            args.durations.as_deref(),
            "durations",
            args.start_date,
            args.end_date,
        )?;
        common::indoor_filter(args.indoor_outdoor.as_deref()).map(drop)
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
                kind: CurveKind::Power,
                sport: &sport,
                xs: &xs,
                this_season: args.this_season,
                last_season: args.last_season,
                range: common::curve_range(args.start_date, args.end_date)?,
                filters: common::indoor_filter(args.indoor_outdoor.as_deref())?,
                per_kg: args.include_normalised,
                gap: false,
            },
        )
        .await?;
        let text = common::curves_text("power curve", &curves, |p| {
            format!(
                "{}: {} W{}{}",
                duration_label(p.x),
                p.value.map_or("–".into(), |v| format!("{v:.0}")),
                p.per_kg.map_or(String::new(), |k| format!(" {k:.2} W/kg")),
                p.activity_id
                    .as_deref()
                    .map_or(String::new(), |a| format!(" [{a}]"))
            )
        });
        Ok((
            format!("{sport} power curves:\n{text}"),
            CurvesOutput { sport, curves },
        ))
    }
}
