//! `predict_race`: running race times by Riegel (with its fatigue exponent, and the athlete's
//! own fitted one) and by Daniels–Gilbert VDOT from recent bests (shared analytics spec
//! §2.12), and cycling time-trial power from critical power (§2.8), each with the inputs it
//! used and a plain statement of its limits. The formulas are [`crate::analysis::predict`] and
//! [`crate::analysis::models::cp2`]; this file only gathers the bests.
//!
//! Bests come from TrainingPeaks' personal records over a recent window (spec §7: run
//! `speed…` records in m/s by distance, bike `power…` records in watts by duration), best
//! first, the first valid one of each type; or from results the caller gives, which then
//! replace the running records. The records are the fastest stretches inside any activity,
//! not necessarily races, which the limits say.

use chrono::Duration;
use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::args::AthleteId;
use super::shared::predict::{
    BIKE_DURATIONS, BestUsed, DEFAULT_RECENT_DAYS, DEFAULT_RUN_KM, DEFAULT_TT_MIN,
    PredictRaceOutput, RUN_DISTANCES, RaceSport, bike_predictions, check_shared, fit_cp, in_range,
    run_predictions, text, usable_vdot,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::analysis::predict::RIEGEL_B;
use crate::trainingpeaks::fitness::{PeakSport, PersonalRecord};
use crate::wire::text as field_text;

/// The tool.
pub struct PredictRace;

const RECORD_LIMITS: &str = "The bests are TrainingPeaks' fastest stretches inside any activity, not \
necessarily all-out races: a best set in training underestimates what a race would give.";

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PredictRaceArgs {
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
    /// Riegel fatigue exponent b (1.0 to 1.3, default 1.06; 1.10–1.15 for low-mileage runners).
    #[serde(default)]
    pub riegel_exponent: Option<f64>,
    /// Race results to predict from instead of the platform's running records, e.g.
    /// `[{"distance_km": 5, "time": "20:00"}]`.
    #[serde(default)]
    pub bests: Option<Vec<GivenBest>>,
    /// Critical power in watts, to use instead of a fit to the power records (needs
    /// `w_prime_j`).
    #[serde(default)]
    pub cp_w: Option<f64>,
    /// W′ in joules, with `cp_w`.
    #[serde(default)]
    pub w_prime_j: Option<f64>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// A result the caller gives.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GivenBest {
    /// Distance in km, e.g. 5.
    pub distance_km: f64,
    /// Time as `M:SS` or `H:MM:SS`, e.g. "20:00" or "1:32:10".
    pub time: String,
}

impl TypedTool for PredictRace {
    type Args = PredictRaceArgs;
    type Output = PredictRaceOutput;
    const NAME: &'static str = "predict_race";
    const DESCRIPTION: &'static str = "Predict running race times (default 5 km, 10 km, half and full marathon) by \
Riegel (T2 = T1·(D2/D1)^b, b default 1.06, plus the exponent fitted to the athlete's own bests) and by VDOT \
(Daniels–Gilbert), from the athlete's best efforts on TrainingPeaks over the last recent_days (default 180) or \
from results you give (bests: [{\"distance_km\": 5, \"time\": \"20:00\"}]); and cycling time-trial power (default 20, \
40, 60 min) from critical power (fitted to the 5, 10 and 20 min power records, or cp_w + w_prime_j). Each \
prediction lists the inputs it used and its limits; report those with the figure.";
    const ANNOTATIONS: Annotations = Annotations::read("Predict race performance");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_shared(
            args.run_distances_km.as_deref(),
            args.tt_minutes.as_deref(),
            args.recent_days,
            args.riegel_exponent,
            true,
        )?;
        for (i, b) in args.bests.iter().flatten().enumerate() {
            in_range(
                format!("bests[{i}].distance_km"),
                b.distance_km,
                0.4,
                100.0,
                "km, 0.4 to 100",
            )?;
            parse_time(&b.time).map_err(|m| ToolError::invalid(format!("bests[{i}].time"), m))?;
        }
        if args.bests.as_ref().is_some_and(Vec::is_empty) {
            return Err(ToolError::invalid(
                "bests",
                "give at least one result or omit it",
            ));
        }
        match (args.cp_w, args.w_prime_j) {
            (Some(cp), Some(wp)) => {
                in_range("cp_w".into(), cp, 50.0, 700.0, "watts, 50 to 700")?;
                in_range(
                    "w_prime_j".into(),
                    wp,
                    1000.0,
                    80000.0,
                    "joules, 1000 to 80000",
                )?;
            }
            (Some(_), None) => {
                return Err(ToolError::invalid(
                    "w_prime_j",
                    "needed with cp_w, e.g. 20000",
                ));
            }
            (None, Some(_)) => {
                return Err(ToolError::invalid(
                    "cp_w",
                    "needed with w_prime_j, e.g. 260",
                ));
            }
            (None, None) => {}
        }
        if args.sport == Some(RaceSport::Bike) && args.bests.is_some() {
            return Err(ToolError::invalid(
                "bests",
                "running results; not used for sport bike",
            ));
        }
        if args.sport == Some(RaceSport::Run) && args.cp_w.is_some() {
            return Err(ToolError::invalid(
                "cp_w",
                "cycling; not used for sport run",
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let today = ctx.clock().today();
        let since =
            today - Duration::days(i64::from(args.recent_days.unwrap_or(DEFAULT_RECENT_DAYS)));
        let needs_platform = (args.sport != Some(RaceSport::Bike) && args.bests.is_none())
            || (args.sport != Some(RaceSport::Run) && args.cp_w.is_none());
        let aid = if needs_platform {
            Some(args.athlete_id.resolve(ctx).await?)
        } else {
            None
        };
        let run = if args.sport == Some(RaceSport::Bike) {
            None
        } else {
            let bests = match (&args.bests, aid) {
                (Some(given), _) => given_bests(given),
                (None, Some(aid)) => {
                    let mut out = Vec::new();
                    for (kind, metres) in RUN_DISTANCES {
                        let rows = ctx
                            .client
                            .peaks(aid, PeakSport::Run, kind, since, today)
                            .await?;
                        if let Some((r, v)) = first_valid(&rows) {
                            out.push(record_best(r, kind, Some(metres), metres / v, None));
                        }
                    }
                    out
                }
                (None, None) => Vec::new(),
            };
            let km = args
                .run_distances_km
                .clone()
                .unwrap_or(DEFAULT_RUN_KM.to_vec());
            let limits = if args.bests.is_some() {
                "Predicted from the results given; they are assumed to be maximal, well-paced efforts.".into()
            } else {
                RECORD_LIMITS.into()
            };
            Some(run_predictions(
                bests,
                &km,
                args.riegel_exponent.unwrap_or(RIEGEL_B),
                limits,
            ))
        };
        let bike = if args.sport == Some(RaceSport::Run) {
            None
        } else {
            let (bests, cp, source) = match (args.cp_w, args.w_prime_j, aid) {
                (Some(cp), Some(wp), _) => (Vec::new(), Some((cp, wp)), "given".to_string()),
                (_, _, Some(aid)) => {
                    let mut out = Vec::new();
                    for (kind, secs) in BIKE_DURATIONS {
                        let rows = ctx
                            .client
                            .peaks(aid, PeakSport::Bike, kind, since, today)
                            .await?;
                        if let Some((r, w)) = first_valid(&rows) {
                            out.push(record_best(r, kind, None, secs, Some(w)));
                        }
                    }
                    let fit = fit_cp(&out);
                    (
                        out,
                        fit,
                        "fit to power records (2-parameter, 3–20 min)".to_string(),
                    )
                }
                _ => (Vec::new(), None, "none".to_string()),
            };
            let minutes = args.tt_minutes.clone().unwrap_or(DEFAULT_TT_MIN.to_vec());
            Some(bike_predictions(bests, cp, source, &minutes))
        };
        let out = PredictRaceOutput {
            since: since.to_string(),
            run,
            bike,
        };
        Ok((text(&out), out))
    }
}

/// `M:SS` or `H:MM:SS` (or whole seconds) → seconds.
fn parse_time(s: &str) -> Result<f64, String> {
    let bad =
        || format!("\"{s}\" is not a time; write M:SS or H:MM:SS, e.g. \"20:00\" or \"1:32:10\"");
    let parts: Vec<&str> = s.trim().split(':').collect();
    if parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit() || c == '.'))
    {
        return Err(bad());
    }
    let nums: Vec<f64> = parts
        .iter()
        .map(|p| p.parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    if nums.iter().skip(1).any(|x| *x >= 60.0) {
        return Err(bad());
    }
    let secs = nums.iter().fold(0.0, |acc, x| acc * 60.0 + x);
    if !(secs.is_finite() && (60.0..=48.0 * 3600.0).contains(&secs)) {
        return Err(format!("\"{s}\" is out of range: 1 minute to 48 hours"));
    }
    Ok(secs)
}

fn given_bests(given: &[GivenBest]) -> Vec<BestUsed> {
    given
        .iter()
        .filter_map(|g| {
            let t = parse_time(&g.time).ok()?;
            let d = g.distance_km * 1000.0;
            Some(BestUsed {
                distance_m: Some(d),
                time_s: t,
                power_w: None,
                kind: "given".into(),
                vdot: usable_vdot(d, t),
                date: None,
                workout_id: None,
                workout_title: None,
                activity_id: None,
            })
        })
        .collect()
}

/// The best record not marked invalid with a positive value.
fn first_valid(rows: &[PersonalRecord]) -> Option<(&PersonalRecord, f64)> {
    rows.iter()
        .filter(|r| r.invalid.val() != Some(true))
        .find_map(|r| Some((r, r.value.val().filter(|v| v.is_finite() && *v > 0.0)?)))
}

fn record_best(
    r: &PersonalRecord,
    kind: &str,
    distance_m: Option<f64>,
    time_s: f64,
    power_w: Option<f64>,
) -> BestUsed {
    BestUsed {
        distance_m,
        time_s: (time_s * 10.0).round() / 10.0,
        power_w,
        kind: kind.into(),
        vdot: distance_m.and_then(|d| usable_vdot(d, time_s)),
        date: r.workout_date.get().map(|d| d.date().to_string()),
        workout_id: r.workout_id.val(),
        workout_title: field_text(&r.workout_title),
        activity_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::shared::predict::clock;

    #[test]
    fn times_parse_and_bad_ones_say_how() {
        assert_eq!(parse_time("20:00"), Ok(1200.0));
        assert_eq!(parse_time("1:32:10"), Ok(5530.0));
        assert_eq!(parse_time("95"), Ok(95.0));
        for bad in ["20:75", "1:2:3:4", "abc", "", "-5:00", "0:30"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        assert_eq!(clock(2501.6), "41:42");
        assert_eq!(clock(5530.0), "1:32:10");
    }
}
