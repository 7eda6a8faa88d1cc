//! `predict_race` on Intervals.icu: the same predictions as TrainingPeaks' `predict_race`
//! (`tools/shared/predict.rs`: Riegel, VDOT, TT power from CP; shared analytics spec §2.12,
//! §2.8) from Intervals.icu's best-effort curves over the recent window (spec §3.2 "Curves",
//! one `r.<oldest>.<newest>` curve each): the Run pace curve's times at the standard
//! distances (the points whose distance is within 0.5 % of one) and the Ride power curve's
//! 5, 10 and 20 min watts. Like the records on TrainingPeaks these are the best stretches
//! inside any activity, not necessarily races. Results or CP given by hand are
//! TrainingPeaks' `predict_race`'s job (it needs no account for them).

use chrono::Duration;
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{self, IcuAthleteId};
use crate::analysis::predict::RIEGEL_B;
use crate::intervals::curves::{CurveKind, CurvePoint, CurveQuery};
use crate::tools::shared::predict::{
    BIKE_DURATIONS, BestUsed, DEFAULT_RECENT_DAYS, DEFAULT_RUN_KM, DEFAULT_TT_MIN,
    PredictRaceOutput, RUN_DISTANCES, RaceSport, bike_predictions, check_shared, fit_cp,
    run_predictions, text, usable_vdot,
};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct PredictRace;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PredictRaceArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// `run`, `bike`, or omit for both.
    #[serde(default)]
    pub sport: Option<RaceSport>,
    /// Running race distances to predict, in km (0.8 to 100), default 5, 10, 21.0975, 42.195.
    #[serde(default)]
    pub run_distances_km: Option<Vec<f64>>,
    /// Time-trial durations to predict power for, in minutes (1 to 240), default 20, 40, 60.
    #[serde(default)]
    pub tt_minutes: Option<Vec<f64>>,
    /// How far back bests count, in days (14 to 3650, default 180).
    #[serde(default)]
    pub recent_days: Option<u32>,
    /// Riegel fatigue exponent b (1.0 to 1.3, default 1.06).
    #[serde(default)]
    pub riegel_exponent: Option<f64>,
}

impl TypedTool for PredictRace {
    type Args = PredictRaceArgs;
    type Output = PredictRaceOutput;
    const NAME: &'static str = "predict_race";
    const DESCRIPTION: &'static str = "Predict running race times (default 5 km, 10 km, half and full marathon) by \
Riegel (b default 1.06, plus the exponent fitted to the athlete's bests) and by VDOT from the Intervals.icu pace \
curve over the last recent_days (default 180), and cycling time-trial power (default 20, 40, 60 min) from critical \
power fitted to the power curve's 5, 10 and 20 min bests. Each prediction lists its inputs and limits.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu race prediction");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        check_shared(
            args.run_distances_km.as_deref(),
            args.tt_minutes.as_deref(),
            args.recent_days,
            args.riegel_exponent,
            false,
        )?;
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let athlete = args.athlete_id.get();
        let today = common::today(icu);
        let since =
            today - Duration::days(i64::from(args.recent_days.unwrap_or(DEFAULT_RECENT_DAYS)));
        let window = CurveQuery::range(since, today)?;
        let points = |set: crate::intervals::curves::CurveSet| -> Vec<CurvePoint> {
            set.list
                .into_option()
                .unwrap_or_default()
                .first()
                .map(|c| c.points())
                .unwrap_or_default()
        };
        let run = if args.sport == Some(RaceSport::Bike) {
            None
        } else {
            let set = icu
                .curves(
                    athlete,
                    CurveKind::Pace,
                    &CurveQuery::new("Run", &[&window]),
                )
                .await?;
            let pts = points(set);
            let bests = RUN_DISTANCES
                .iter()
                .filter_map(|(_, metres)| {
                    let p = pts
                        .iter()
                        .find(|p| (p.x - metres).abs() <= metres * 0.005)?;
                    let t = p.value.filter(|t| t.is_finite() && *t > 0.0)?;
                    Some(best(Some(*metres), t, None, p))
                })
                .collect();
            let km = args
                .run_distances_km
                .clone()
                .unwrap_or(DEFAULT_RUN_KM.to_vec());
            Some(run_predictions(
                bests,
                &km,
                args.riegel_exponent.unwrap_or(RIEGEL_B),
                "The bests are the Intervals.icu pace curve's fastest stretches inside any run, not \
necessarily all-out races: a best set in training underestimates what a race would give."
                    .into(),
            ))
        };
        let bike = if args.sport == Some(RaceSport::Run) {
            None
        } else {
            let set = icu
                .curves(
                    athlete,
                    CurveKind::Power,
                    &CurveQuery::new("Ride", &[&window]),
                )
                .await?;
            let pts = points(set);
            let bests: Vec<BestUsed> = BIKE_DURATIONS
                .iter()
                .filter_map(|(_, secs)| {
                    let p = pts.iter().find(|p| (p.x - secs).abs() < 0.5)?;
                    let w = p.value.filter(|w| w.is_finite() && *w > 0.0)?;
                    Some(best(None, *secs, Some(w), p))
                })
                .collect();
            let cp = fit_cp(&bests);
            let minutes = args.tt_minutes.clone().unwrap_or(DEFAULT_TT_MIN.to_vec());
            Some(bike_predictions(
                bests,
                cp,
                "fit to the power curve (2-parameter, 3–20 min)".into(),
                &minutes,
            ))
        };
        let out = PredictRaceOutput {
            since: since.to_string(),
            run,
            bike,
        };
        Ok((text(&out), out))
    }
}

fn best(distance_m: Option<f64>, time_s: f64, power_w: Option<f64>, p: &CurvePoint) -> BestUsed {
    BestUsed {
        distance_m,
        time_s: (time_s * 10.0).round() / 10.0,
        power_w,
        kind: if power_w.is_some() {
            "power curve"
        } else {
            "pace curve"
        }
        .into(),
        vdot: distance_m.and_then(|d| usable_vdot(d, time_s)),
        date: None,
        workout_id: None,
        workout_title: None,
        activity_id: p.activity_id.clone(),
    }
}
