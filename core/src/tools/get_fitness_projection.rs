//! `get_fitness_projection`: the Performance Manager Chart projected forward through the planned
//! workouts to a day (race day by default), with a what-if for added or removed load and the
//! ramp rate (shared analytics spec §2.5, through [`crate::analysis::pmc::project`]).
//!
//! Seeding (§2.5 "Seeding": the chart is an infinite filter, so it must start from full
//! history): TrainingPeaks' own chart (performance data, computed by the server from the whole
//! history) gives CTL and ATL fourteen days before today; the last 14 days of completed TSS
//! are run through our recurrence from there (so the ramp rate has a week of history and the
//! agreement with TrainingPeaks' own values can be reported), then the planned TSS of every
//! workout not completed and not marked skipped, day by day, to the end. Today counts its
//! completed TSS if above zero, else its planned TSS (GC's "expected" series, §2.5).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::args::{AthleteId, Date};
use super::shared::planning::is_skipped;
use super::shared::projection::{
    DEFAULT_DAYS_AHEAD, FitnessProjectionOutput, Formula, Gathered, HISTORY_DAYS, MAX_DAYS_AHEAD,
    SeedDay, WhatIf, assemble, check_days, check_what_if, text,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::text as field_text;

/// The tool.
pub struct GetFitnessProjection;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetFitnessProjectionArgs {
    /// Last day to project to, `YYYY-MM-DD`, today or later, at most a year ahead (default:
    /// the athlete's focus event (A race) when it is ahead, else 4 weeks from today).
    #[serde(default)]
    pub until: Option<Date>,
    /// What-if: planned TSS to add (positive) or remove (negative) on given days, e.g.
    /// `[{"date": "2026-12-05", "tss": -80}]`. A day's load never goes below zero.
    #[serde(default)]
    pub what_if: Vec<WhatIf>,
    /// The recurrence: `trainingpeaks` (gain 1/T, the formula TrainingPeaks publishes; the
    /// default) or `exponential` (gain 1 − e^(−1/T), as GoldenCheetah and Intervals.icu).
    #[serde(default)]
    pub formula: Formula,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

impl TypedTool for GetFitnessProjection {
    type Args = GetFitnessProjectionArgs;
    type Output = FitnessProjectionOutput;
    const NAME: &'static str = "get_fitness_projection";
    const DESCRIPTION: &'static str = "Project fitness (CTL, 42-day), fatigue (ATL, 7-day) and form (TSB = yesterday's \
CTL − ATL) forward from today through the planned workouts' TSS to a day (until, YYYY-MM-DD; default the focus \
event / A race, else 4 weeks), with the 7-day ramp rate. Seeded from TrainingPeaks' own chart; workouts marked \
skipped are left out. what_if adds or removes TSS on days to compare, e.g. [{\"date\":\"2026-12-05\",\"tss\":-80}]. \
Answers: where will my form be on race day, what if I skip this, how fast is fitness rising.";
    const ANNOTATIONS: Annotations = Annotations::read("Project fitness to race day");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_what_if(&args.what_if, args.until)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let today = ctx.clock().today();
        let aid = args.athlete_id.resolve(ctx).await?;
        let (until, until_reason) = match args.until {
            Some(u) => (u.0, "given".to_string()),
            None => default_until(ctx, aid, today).await?,
        };
        check_days(today, until, &args.what_if)?;

        // History: TrainingPeaks' chart from the seed day to today.
        let seed_day = today - Duration::days(HISTORY_DAYS);
        let rows = ctx.client.performance_data(aid, seed_day, today).await?;
        let by_day: BTreeMap<NaiveDate, &crate::trainingpeaks::fitness::PmcDay> = rows
            .iter()
            .filter_map(|r| Some((r.workout_day.get()?.date(), r)))
            .collect();
        let seed = by_day.get(&seed_day).and_then(|r| {
            Some(SeedDay {
                date: seed_day.to_string(),
                ctl: r.ctl.val()?,
                atl: r.atl.val()?,
            })
        });
        let actual: Vec<f64> = (1..=HISTORY_DAYS)
            .map(|k| {
                let d = seed_day + Duration::days(k);
                by_day
                    .get(&d)
                    .and_then(|r| r.tss_actual.val())
                    .filter(|x| x.is_finite() && *x > 0.0)
                    .unwrap_or(0.0)
            })
            .collect();
        let platform_ctl = by_day
            .iter()
            .filter_map(|(d, r)| Some((*d, r.ctl.val()?)))
            .collect();

        // Plan: workouts not done and not skipped, today to the end.
        let workouts = ctx.client.workouts(aid, today, until).await?;
        let mut planned: BTreeMap<NaiveDate, f64> = BTreeMap::new();
        let (mut counted, mut without, mut skipped, mut planned_load) = (0, 0, 0, 0.0);
        for w in workouts.iter().filter(|w| !w.is_completed()) {
            let Some(day) = w.date() else { continue };
            if is_skipped(w) {
                skipped += 1;
                continue;
            }
            match w.tss_planned.val().filter(|t| t.is_finite() && *t > 0.0) {
                Some(t) => {
                    counted += 1;
                    planned_load += t;
                    *planned.entry(day).or_default() += t;
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
            same_day_form: false,
        };
        let out = assemble(gathered, &args.what_if, args.formula);
        Ok((text(&out, &args.what_if, "TrainingPeaks"), out))
    }
}

/// The focus event's day when it is ahead (and within a year), else four weeks.
async fn default_until(
    ctx: &ToolContext,
    aid: i64,
    today: NaiveDate,
) -> Result<(NaiveDate, String), ToolError> {
    let event = ctx.client.focus_event(aid).await?;
    if let Some(e) = event
        && let Some(d) = e.date()
        && d >= today
        && (d - today).num_days() <= MAX_DAYS_AHEAD
    {
        let name = field_text(&e.name).unwrap_or_else(|| "focus event".into());
        return Ok((d, name));
    }
    Ok((today + Duration::days(DEFAULT_DAYS_AHEAD), "4 weeks".into()))
}
