//! `get_athlete_pace_curves`: best times for distances (`GET
//! /api/v1/athlete/{id}/pace-curves?type&curves=…[&gap=true]`), beside the power curves.

use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{self, CurveRequest, IcuAthleteId};
use super::get_athlete_power_curves::{CurvesOutput, check_common};
use crate::intervals::curves::CurveKind;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Default distances, metres: 400 m, 1 km, 1 mile, 5 km, 10 km, half and full marathon.
pub const DEFAULT_DISTANCES: &[u32] = &[400, 1000, 1609, 5000, 10000, 21097, 42195];

fn yes() -> bool {
    true
}

/// Arguments of `get_athlete_pace_curves`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetAthletePaceCurvesArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Sport (default Run).
    #[serde(default)]
    pub activity_type: Option<String>,
    /// Distances in metres (default 400, 1000, 1609, 5000, 10000, 21097, 42195).
    #[serde(default)]
    pub distances: Option<Vec<u32>>,
    /// Gradient-adjusted pace (default false).
    #[serde(default)]
    pub gap: bool,
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
pub struct GetAthletePaceCurves;

impl TypedTool for GetAthletePaceCurves {
    type Args = GetAthletePaceCurvesArgs;
    type Output = CurvesOutput;
    const NAME: &'static str = "get_athlete_pace_curves";
    const DESCRIPTION: &'static str = "Best times for given distances (metres) from the \
        Intervals.icu pace curves, with the pace per km: this season, last season and/or a \
        start_date–end_date range, for a sport (default Run); gap=true for gradient-adjusted \
        pace. In the points, x is metres and value seconds.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu pace curves");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_common(
            &args.athlete_id,
            args.activity_type.as_deref(),
            args.distances.as_deref(),
            "distances",
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
        let sport = args.activity_type.clone().unwrap_or_else(|| "Run".into());
        let xs: Vec<f64> = args
            .distances
            .as_deref()
            .unwrap_or(DEFAULT_DISTANCES)
            .iter()
            .map(|d| f64::from(*d))
            .collect();
        let request = CurveRequest {
            athlete: args.athlete_id.get(),
            kind: CurveKind::Pace,
            sport: &sport,
            xs: &xs,
            this_season: args.this_season,
            last_season: args.last_season,
            range: common::curve_range(args.start_date, args.end_date)?,
            filters: None,
            per_kg: false,
            gap: args.gap,
        };
        let curves = common::read_curves(icu, request).await?;
        let text = common::curves_text("pace curve", &curves, |p| {
            let per_km = p.value.filter(|_| p.x > 0.0).map(|s| s * 1000.0 / p.x);
            format!(
                "{} m: {}{}{}",
                p.x,
                p.value
                    .map_or("–".into(), |s| common::hms(s.round() as i64)),
                per_km.map_or(String::new(), |s| {
                    let s = s.round() as i64;
                    format!(" ({}:{:02}/km)", s / 60, s % 60)
                }),
                p.activity_id
                    .as_deref()
                    .map_or(String::new(), |a| format!(" [{a}]"))
            )
        });
        Ok((
            format!("{sport} pace curves:\n{text}"),
            CurvesOutput { sport, curves },
        ))
    }
}
