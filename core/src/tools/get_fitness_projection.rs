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
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date};
use super::shared::planning::is_skipped;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::analysis::pmc::{Gain, PmcDay, Projection, project};
use crate::wire::text as field_text;

/// The tool.
pub struct GetFitnessProjection;

/// Days of completed load re-run before today (ramp rate needs seven).
const HISTORY_DAYS: i64 = 14;
/// Longest projection.
const MAX_DAYS_AHEAD: i64 = 366;
/// Without a race ahead, project this far.
const DEFAULT_DAYS_AHEAD: i64 = 28;

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

/// One what-if change.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    /// The day, `YYYY-MM-DD`, from today to `until`.
    pub date: Date,
    /// TSS to add (positive) or remove (negative), −1000 to 1000, not 0.
    pub tss: f64,
}

/// The PMC recurrence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Formula {
    /// Gain 1/T (TrainingPeaks' published form).
    #[default]
    Trainingpeaks,
    /// Gain 1 − e^(−1/T).
    Exponential,
}

/// One day of the projected chart.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ProjectedDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// TSS counted that day (completed through today, planned after, with the what-if).
    pub load: f64,
    /// Fitness (CTL), 42-day.
    pub ctl: f64,
    /// Fatigue (ATL), 7-day.
    pub atl: f64,
    /// Form (TSB) = yesterday's CTL − ATL (TrainingPeaks' convention).
    pub tsb: f64,
    /// Ramp rate: CTL change over the last 7 days.
    pub ramp: f64,
    /// True after today (from planned load).
    pub projected: bool,
}

/// A value on a day.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DatedValue {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The value.
    pub value: f64,
}

/// The projection.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetFitnessProjectionOutput {
    /// The last day.
    pub until: String,
    /// What `until` is: "given", the focus event's name, or "4 weeks".
    pub until_reason: String,
    /// The recurrence used.
    pub formula: Formula,
    /// Today's values.
    pub today: Option<ProjectedDay>,
    /// The last day's values (with the what-if, if any).
    pub end: Option<ProjectedDay>,
    /// The last day's values without the what-if (only when a what-if was given).
    pub end_without_what_if: Option<ProjectedDay>,
    /// Every day from today to `until` (with the what-if, if any).
    pub days: Vec<ProjectedDay>,
    /// Highest CTL from today on.
    pub peak_ctl: Option<DatedValue>,
    /// Lowest TSB from today on.
    pub lowest_tsb: Option<DatedValue>,
    /// Highest 7-day ramp from today on.
    pub max_ramp: Option<DatedValue>,
    /// Planned workouts whose TSS was counted.
    pub planned_workouts: usize,
    /// Total planned TSS counted.
    pub planned_tss: f64,
    /// Planned workouts without a planned TSS (counted as 0).
    pub planned_without_tss: usize,
    /// Planned workouts marked skipped, left out.
    pub skipped_left_out: usize,
    /// The day the chart was seeded from, with TrainingPeaks' CTL and ATL on it.
    pub seed: Option<SeedDay>,
    /// Largest |CTL difference| between our re-run of the 13 days before today and
    /// TrainingPeaks' own values (0 means the same formula and data; larger with
    /// `exponential`).
    pub history_max_ctl_difference: Option<f64>,
}

/// The seed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SeedDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// TrainingPeaks' CTL that day.
    pub ctl: f64,
    /// TrainingPeaks' ATL that day.
    pub atl: f64,
}

impl TypedTool for GetFitnessProjection {
    type Args = GetFitnessProjectionArgs;
    type Output = GetFitnessProjectionOutput;
    const NAME: &'static str = "get_fitness_projection";
    const DESCRIPTION: &'static str = "Project fitness (CTL, 42-day), fatigue (ATL, 7-day) and form (TSB = yesterday's \
CTL − ATL) forward from today through the planned workouts' TSS to a day (until, YYYY-MM-DD; default the focus \
event / A race, else 4 weeks), with the 7-day ramp rate. Seeded from TrainingPeaks' own chart; workouts marked \
skipped are left out. what_if adds or removes TSS on days to compare, e.g. [{\"date\":\"2026-12-05\",\"tss\":-80}]. \
Answers: where will my form be on race day, what if I skip this, how fast is fitness rising.";
    const ANNOTATIONS: Annotations = Annotations::read("Project fitness to race day");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        for (i, w) in args.what_if.iter().enumerate() {
            if !w.tss.is_finite() || w.tss == 0.0 || w.tss.abs() > 1000.0 {
                return Err(ToolError::invalid(
                    format!("what_if[{i}].tss"),
                    format!(
                        "{} is out of range: TSS change from −1000 to 1000, not 0",
                        w.tss
                    ),
                ));
            }
        }
        if let Some(u) = args.until
            && let Some((i, w)) = args
                .what_if
                .iter()
                .enumerate()
                .find(|(_, w)| w.date.0 > u.0)
        {
            return Err(ToolError::invalid(
                format!("what_if[{i}].date"),
                format!("{} is after until ({u})", w.date),
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
        let aid = args.athlete_id.resolve(ctx).await?;
        let (until, until_reason) = match args.until {
            Some(u) => (u.0, "given".to_string()),
            None => default_until(ctx, aid, today).await?,
        };
        if until < today {
            return Err(ToolError::invalid(
                "until",
                format!("{until} is before today ({today}); use get_fitness_metrics for the past"),
            ));
        }
        if (until - today).num_days() > MAX_DAYS_AHEAD {
            return Err(ToolError::invalid(
                "until",
                format!("at most {MAX_DAYS_AHEAD} days ahead"),
            ));
        }
        for (i, w) in args.what_if.iter().enumerate() {
            if w.date.0 < today || w.date.0 > until {
                return Err(ToolError::invalid(
                    format!("what_if[{i}].date"),
                    format!("{} is outside today ({today}) to until ({until})", w.date),
                ));
            }
        }

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

        // Plan: workouts not done and not skipped, today to the end.
        let workouts = ctx.client.workouts(aid, today, until).await?;
        let mut planned: BTreeMap<NaiveDate, f64> = BTreeMap::new();
        let (mut counted, mut without, mut skipped, mut planned_tss) = (0, 0, 0, 0.0);
        for w in workouts.iter().filter(|w| !w.is_completed()) {
            let Some(day) = w.date() else { continue };
            if is_skipped(w) {
                skipped += 1;
                continue;
            }
            match w.tss_planned.val().filter(|t| t.is_finite() && *t > 0.0) {
                Some(t) => {
                    counted += 1;
                    planned_tss += t;
                    *planned.entry(day).or_default() += t;
                }
                None => without += 1,
            }
        }
        let mut what_if: BTreeMap<NaiveDate, f64> = BTreeMap::new();
        for w in &args.what_if {
            *what_if.entry(w.date.0).or_default() += w.tss;
        }
        let gain = match args.formula {
            Formula::Trainingpeaks => Gain::TrainingPeaks,
            Formula::Exponential => Gain::Exponential,
        };
        let base = Projection {
            start: seed_day + Duration::days(1),
            seed_ctl: seed.as_ref().map_or(0.0, |s| s.ctl),
            seed_atl: seed.as_ref().map_or(0.0, |s| s.atl),
            actual,
            planned,
            what_if: BTreeMap::new(),
            until,
            gain,
        };
        let baseline = project(&base);
        let history_max_ctl_difference = seed.as_ref().and_then(|_| {
            baseline
                .iter()
                // Today is left out: it may count planned load, TrainingPeaks' row never does.
                .filter(|d| d.date < today)
                .filter_map(|d| Some((d.ctl - by_day.get(&d.date)?.ctl.val()?).abs()))
                .reduce(f64::max)
                .map(round2)
        });
        let scenario = if what_if.is_empty() {
            baseline.clone()
        } else {
            project(&Projection { what_if, ..base })
        };
        let days: Vec<ProjectedDay> = scenario
            .iter()
            .filter(|d| d.date >= today)
            .map(view)
            .collect();
        let end_without_what_if = (!args.what_if.is_empty())
            .then(|| baseline.last().map(view))
            .flatten();
        let best = |f: fn(&ProjectedDay) -> f64, max: bool| {
            let pick = days.iter().map(|d| (f(d), d)).reduce(|a, b| {
                let better = if max { b.0 > a.0 } else { b.0 < a.0 };
                if better { b } else { a }
            });
            pick.map(|(v, d)| DatedValue {
                date: d.date.clone(),
                value: v,
            })
        };
        let out = GetFitnessProjectionOutput {
            until: until.to_string(),
            until_reason,
            formula: args.formula,
            today: days.first().cloned(),
            end: days.last().cloned(),
            end_without_what_if,
            peak_ctl: best(|d| d.ctl, true),
            lowest_tsb: best(|d| d.tsb, false),
            max_ramp: best(|d| d.ramp, true),
            days,
            planned_workouts: counted,
            planned_tss: round2(planned_tss),
            planned_without_tss: without,
            skipped_left_out: skipped,
            seed,
            history_max_ctl_difference,
        };
        Ok((text(&out, &args.what_if), out))
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

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn view(d: &PmcDay) -> ProjectedDay {
    ProjectedDay {
        date: d.date.to_string(),
        load: round2(d.load),
        ctl: round2(d.ctl),
        atl: round2(d.atl),
        tsb: round2(d.tsb),
        ramp: round2(d.ramp),
        projected: d.projected,
    }
}

fn signed(x: f64) -> String {
    format!("{x:+.1}")
}

fn day_line(d: &ProjectedDay) -> String {
    format!(
        "CTL {:.1}, ATL {:.1}, TSB {}, ramp {}/week",
        d.ctl,
        d.atl,
        signed(d.tsb),
        signed(d.ramp)
    )
}

fn text(out: &GetFitnessProjectionOutput, what_if: &[WhatIf]) -> String {
    let mut lines = Vec::new();
    let target = if out.until_reason == "given" || out.until_reason == "4 weeks" {
        out.until.clone()
    } else {
        format!("{} ({})", out.until, out.until_reason)
    };
    if let (Some(t), Some(e)) = (&out.today, &out.end) {
        lines.push(format!("Projection to {target}: {}.", day_line(e)));
        lines.push(format!("Today ({}): {}.", t.date, day_line(t)));
    }
    lines.push(format!(
        "Through {} planned workout(s), {:.0} TSS in all{}{}.",
        out.planned_workouts,
        out.planned_tss,
        if out.planned_without_tss > 0 {
            format!(
                "; {} without a planned TSS counted as 0",
                out.planned_without_tss
            )
        } else {
            String::new()
        },
        if out.skipped_left_out > 0 {
            format!("; {} marked skipped left out", out.skipped_left_out)
        } else {
            String::new()
        }
    ));
    if let (Some(e), Some(b)) = (&out.end, &out.end_without_what_if) {
        let changes: Vec<String> = what_if
            .iter()
            .map(|w| format!("{} TSS on {}", signed(w.tss), w.date))
            .collect();
        lines.push(format!(
            "What-if ({}): CTL {:.1} ({}), TSB {} ({}) on {} against CTL {:.1}, TSB {} without it.",
            changes.join(", "),
            e.ctl,
            signed(e.ctl - b.ctl),
            signed(e.tsb),
            signed(e.tsb - b.tsb),
            e.date,
            b.ctl,
            signed(b.tsb)
        ));
    }
    if let (Some(p), Some(l), Some(r)) = (&out.peak_ctl, &out.lowest_tsb, &out.max_ramp) {
        lines.push(format!(
            "Peak CTL {:.1} on {}; lowest TSB {} on {}; highest ramp {} CTL/week on {}.",
            p.value,
            p.date,
            signed(l.value),
            l.date,
            signed(r.value),
            r.date
        ));
    }
    if out.days.len() > 8 {
        lines.push("Weekly:".into());
        let last = out.days.len() - 1;
        for (i, d) in out.days.iter().enumerate() {
            if i % 7 == 0 || i == last {
                lines.push(format!("  {}: {}", d.date, day_line(d)));
            }
        }
    }
    match &out.seed {
        Some(s) => lines.push(format!(
            "Seeded from TrainingPeaks' chart on {} (CTL {:.1}, ATL {:.1}); {} formula{}.",
            s.date,
            s.ctl,
            s.atl,
            match out.formula {
                Formula::Trainingpeaks => "TrainingPeaks (gain 1/T)",
                Formula::Exponential => "exponential",
            },
            out.history_max_ctl_difference
                .map(|d| format!(", last 13 days within {d:.2} CTL of TrainingPeaks' own"))
                .unwrap_or_default()
        )),
        None => lines.push(
            "No fitness history on TrainingPeaks: the projection starts from CTL 0 and ATL 0."
                .into(),
        ),
    }
    lines.join("\n")
}
