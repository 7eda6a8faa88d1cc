//! `get_fitness_projection` on Intervals.icu: the same projection as TrainingPeaks'
//! (`tools/shared/projection.rs`, shared analytics spec §2.5) from Intervals.icu's data:
//! the seed is the wellness CTL/ATL 14 days back (Intervals.icu computes them from the whole
//! history), the completed load of the 14 days since is the sum of the activities'
//! `icu_training_load` per day, and the planned load the `icu_training_load` of the WORKOUT
//! events from today on. Intervals.icu uses the exponential gain, so that is the default here,
//! and form is shown as Intervals.icu shows it, the day's CTL − ATL (spec §2.5 "Form"). The
//! default end is the next `RACE_A` event within a year, else 4 weeks. Events marked skipped
//! (`skip_workout`: the tag `skipped`) are left out, as on TrainingPeaks.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{self, IcuAthleteId};
use crate::tools::shared::args::Date;
use crate::tools::shared::icu_planning::is_skipped;
use crate::tools::shared::projection::{
    DEFAULT_DAYS_AHEAD, FitnessProjectionOutput, Formula, Gathered, HISTORY_DAYS, MAX_DAYS_AHEAD,
    SeedDay, WhatIf, assemble, check_days, check_what_if, text,
};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct GetFitnessProjection;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetFitnessProjectionArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Last day to project to, `YYYY-MM-DD`, today or later, at most a year ahead (default:
    /// the next A race, else 4 weeks from today).
    #[serde(default)]
    pub until: Option<Date>,
    /// What-if: load to add (positive) or remove (negative) on given days, e.g.
    /// `[{"date": "2026-12-05", "tss": -80}]`. A day's load never goes below zero.
    #[serde(default)]
    pub what_if: Vec<WhatIf>,
    /// The recurrence: `exponential` (gain 1 − e^(−1/T), Intervals.icu's; the default) or
    /// `trainingpeaks` (gain 1/T).
    #[serde(default)]
    pub formula: Option<Formula>,
}

impl TypedTool for GetFitnessProjection {
    type Args = GetFitnessProjectionArgs;
    type Output = FitnessProjectionOutput;
    const NAME: &'static str = "get_fitness_projection";
    const DESCRIPTION: &'static str = "Project Intervals.icu fitness (CTL, 42-day), fatigue (ATL, 7-day) and form (CTL − \
ATL) forward from today through the planned workouts' load to a day (until, YYYY-MM-DD; default the next A race, else \
4 weeks), with the 7-day ramp rate. Seeded from Intervals.icu's own values. what_if adds or removes load on days to \
compare, e.g. [{\"date\":\"2026-12-05\",\"tss\":-80}].";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu fitness projection");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        check_what_if(&args.what_if, args.until)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let athlete = args.athlete_id.get();
        let today = common::today(icu);
        let (until, until_reason) = match args.until {
            Some(u) => (u.0, "given".to_string()),
            None => {
                let races = icu
                    .events(
                        athlete,
                        today,
                        today + Duration::days(MAX_DAYS_AHEAD),
                        &["RACE_A"],
                    )
                    .await?;
                races
                    .iter()
                    .filter_map(|e| {
                        let d = e.start_date_local.get()?.at().date();
                        (d >= today).then(|| (d, crate::wire::text(&e.name)))
                    })
                    .min_by_key(|(d, _)| *d)
                    .map(|(d, n)| (d, n.unwrap_or_else(|| "A race".into())))
                    .unwrap_or((today + Duration::days(DEFAULT_DAYS_AHEAD), "4 weeks".into()))
            }
        };
        check_days(today, until, &args.what_if)?;

        let seed_day = today - Duration::days(HISTORY_DAYS);
        let wellness = icu.wellness(athlete, seed_day, today).await?;
        let platform_ctl: BTreeMap<NaiveDate, f64> = wellness
            .iter()
            .filter_map(|w| Some((w.id.get()?.date(), w.ctl.val()?)))
            .collect();
        let seed = wellness
            .iter()
            .find(|w| w.id.get().map(|d| d.date()) == Some(seed_day))
            .and_then(|w| {
                Some(SeedDay {
                    date: seed_day.to_string(),
                    ctl: w.ctl.val()?,
                    atl: w.atl.val()?,
                })
            });
        let mut done: BTreeMap<NaiveDate, f64> = BTreeMap::new();
        let activities = icu
            .activities(athlete, seed_day + Duration::days(1), today, None)
            .await?;
        for a in &activities {
            if let (Some(s), Some(l)) = (a.start_date_local.get(), a.icu_training_load.val())
                && l.is_finite()
                && l > 0.0
            {
                *done.entry(s.at().date()).or_default() += l;
            }
        }
        let actual = (1..=HISTORY_DAYS)
            .map(|k| {
                done.get(&(seed_day + Duration::days(k)))
                    .copied()
                    .unwrap_or(0.0)
            })
            .collect();

        let events = icu.events(athlete, today, until, &["WORKOUT"]).await?;
        let mut planned: BTreeMap<NaiveDate, f64> = BTreeMap::new();
        let (mut counted, mut without, mut skipped, mut planned_load) = (0, 0, 0, 0.0);
        for e in &events {
            if is_skipped(e) {
                skipped += 1;
                continue;
            }
            let Some(day) = e.start_date_local.get().map(|s| s.at().date()) else {
                continue;
            };
            match e
                .icu_training_load
                .val()
                .filter(|l| l.is_finite() && *l > 0.0)
            {
                Some(l) => {
                    counted += 1;
                    planned_load += l;
                    *planned.entry(day).or_default() += l;
                }
                None => without += 1,
            }
        }
        let gathered = Gathered {
            today,
            until,
            until_reason,
            seed,
            actual,
            platform_ctl,
            planned,
            counted,
            without,
            skipped,
            planned_load,
            same_day_form: true,
        };
        let formula = args.formula.unwrap_or(Formula::Exponential);
        let out = assemble(gathered, &args.what_if, formula);
        Ok((text(&out, &args.what_if, "Intervals.icu"), out))
    }
}
