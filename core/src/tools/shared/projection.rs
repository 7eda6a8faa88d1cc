//! What the fitness-projection tools share (`get_fitness_projection` on TrainingPeaks and on
//! Intervals.icu): the arguments' what-if and formula, the output, and the projection itself
//! (shared analytics spec §2.5, through [`crate::analysis::pmc::project`]) from what each tool
//! gathered: the platform's CTL/ATL on a seed day 14 days back, the completed load of the 14
//! days since, and the planned load per day ahead.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::args::Date;
use crate::analysis::pmc::{Gain, PmcDay, Projection, project};
use crate::tools::ToolError;

/// Days of completed load re-run before today (ramp rate needs seven).
pub(crate) const HISTORY_DAYS: i64 = 14;
/// Longest projection.
pub(crate) const MAX_DAYS_AHEAD: i64 = 366;
/// Without a race ahead, project this far.
pub(crate) const DEFAULT_DAYS_AHEAD: i64 = 28;

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
    /// Form (TSB): yesterday's CTL − ATL on TrainingPeaks, the day's CTL − ATL on
    /// Intervals.icu (each platform's own convention).
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
pub struct FitnessProjectionOutput {
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
    /// Largest |CTL difference| between our re-run of the 13 days before today and the
    /// platform's own values (0 means the same formula and data).
    pub history_max_ctl_difference: Option<f64>,
    /// The last day with planned load counted, `YYYY-MM-DD`; after it the projection assumes
    /// no training, which the text says when `until` is more than a week later.
    pub last_planned_day: Option<String>,
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

/// What a tool gathered from its platform.
pub(crate) struct Gathered {
    /// Today.
    pub(crate) today: NaiveDate,
    /// The last day.
    pub(crate) until: NaiveDate,
    /// What `until` is.
    pub(crate) until_reason: String,
    /// The platform's CTL/ATL on `today − HISTORY_DAYS`, if it has them.
    pub(crate) seed: Option<SeedDay>,
    /// Completed load of each of the `HISTORY_DAYS` days after the seed day (today last).
    pub(crate) actual: Vec<f64>,
    /// The platform's own CTL per day, for the agreement check.
    pub(crate) platform_ctl: BTreeMap<NaiveDate, f64>,
    /// Planned load per day (today and later).
    pub(crate) planned: BTreeMap<NaiveDate, f64>,
    /// Planned workouts counted, without a load, and left out as skipped.
    pub(crate) counted: usize,
    /// See `counted`.
    pub(crate) without: usize,
    /// See `counted`.
    pub(crate) skipped: usize,
    /// Total planned load counted.
    pub(crate) planned_load: f64,
    /// Form as the day's CTL − ATL (Intervals.icu) instead of yesterday's (TrainingPeaks).
    pub(crate) same_day_form: bool,
}

/// Checks the what-if changes (and their days against `until` when given), naming the field.
pub(crate) fn check_what_if(what_if: &[WhatIf], until: Option<Date>) -> Result<(), ToolError> {
    for (i, w) in what_if.iter().enumerate() {
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
    if let Some(u) = until
        && let Some((i, w)) = what_if.iter().enumerate().find(|(_, w)| w.date.0 > u.0)
    {
        return Err(ToolError::invalid(
            format!("what_if[{i}].date"),
            format!("{} is after until ({u})", w.date),
        ));
    }
    Ok(())
}

/// Checks `until` and the what-if days against today, naming the field.
pub(crate) fn check_days(
    today: NaiveDate,
    until: NaiveDate,
    what_if: &[WhatIf],
) -> Result<(), ToolError> {
    if until < today {
        return Err(ToolError::invalid(
            "until",
            format!("{until} is before today ({today}); use the fitness tool for the past"),
        ));
    }
    if (until - today).num_days() > MAX_DAYS_AHEAD {
        return Err(ToolError::invalid(
            "until",
            format!("at most {MAX_DAYS_AHEAD} days ahead"),
        ));
    }
    for (i, w) in what_if.iter().enumerate() {
        if w.date.0 < today || w.date.0 > until {
            return Err(ToolError::invalid(
                format!("what_if[{i}].date"),
                format!("{} is outside today ({today}) to until ({until})", w.date),
            ));
        }
    }
    Ok(())
}

/// Runs the projection (without and with the what-if) and reads it out.
pub(crate) fn assemble(
    g: Gathered,
    what_if_args: &[WhatIf],
    formula: Formula,
) -> FitnessProjectionOutput {
    let today = g.today;
    let seed_day = today - Duration::days(HISTORY_DAYS);
    let mut what_if: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for w in what_if_args {
        *what_if.entry(w.date.0).or_default() += w.tss;
    }
    let gain = match formula {
        Formula::Trainingpeaks => Gain::TrainingPeaks,
        Formula::Exponential => Gain::Exponential,
    };
    let base = Projection {
        start: seed_day + Duration::days(1),
        seed_ctl: g.seed.as_ref().map_or(0.0, |s| s.ctl),
        seed_atl: g.seed.as_ref().map_or(0.0, |s| s.atl),
        actual: g.actual,
        planned: g.planned,
        what_if: BTreeMap::new(),
        until: g.until,
        gain,
    };
    let last_planned_day = base.planned.keys().next_back().map(ToString::to_string);
    let baseline = project(&base);
    let history_max_ctl_difference = g.seed.as_ref().and_then(|_| {
        baseline
            .iter()
            // Today is left out: it may count planned load, the platform's row never does.
            .filter(|d| d.date < today)
            .filter_map(|d| Some((d.ctl - g.platform_ctl.get(&d.date)?).abs()))
            .reduce(f64::max)
            .map(round2)
    });
    let scenario = if what_if.is_empty() {
        baseline.clone()
    } else {
        project(&Projection { what_if, ..base })
    };
    let same_day = g.same_day_form;
    let view_of = |d: &PmcDay| {
        let mut v = view(d);
        if same_day {
            v.tsb = round2(d.ctl - d.atl);
        }
        v
    };
    let days: Vec<ProjectedDay> = scenario
        .iter()
        .filter(|d| d.date >= today)
        .map(view_of)
        .collect();
    let end_without_what_if = (!what_if_args.is_empty())
        .then(|| baseline.last().map(view_of))
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
    FitnessProjectionOutput {
        until: g.until.to_string(),
        until_reason: g.until_reason,
        formula,
        today: days.first().cloned(),
        end: days.last().cloned(),
        end_without_what_if,
        peak_ctl: best(|d| d.ctl, true),
        lowest_tsb: best(|d| d.tsb, false),
        max_ramp: best(|d| d.ramp, true),
        days,
        planned_workouts: g.counted,
        planned_tss: round2(g.planned_load),
        planned_without_tss: g.without,
        skipped_left_out: g.skipped,
        seed: g.seed,
        history_max_ctl_difference,
        last_planned_day,
    }
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

pub(crate) fn text(out: &FitnessProjectionOutput, what_if: &[WhatIf], source: &str) -> String {
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
    let gap = |last: &str| {
        let last = NaiveDate::parse_from_str(last, "%Y-%m-%d").ok()?;
        let until = NaiveDate::parse_from_str(&out.until, "%Y-%m-%d").ok()?;
        ((until - last).num_days() > 7).then_some(last)
    };
    match out.last_planned_day.as_deref() {
        Some(last) => {
            if let Some(last) = gap(last) {
                lines.push(format!(
                    "Note: the plan ends on {last}; after it the projection assumes no training, so fitness falls and form rises until {}.",
                    out.until
                ));
            }
        }
        None => {
            lines.push("Note: no planned load ahead; the projection assumes no training.".into())
        }
    }
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
            "Seeded from the {source} chart on {} (CTL {:.1}, ATL {:.1}); {} formula{}.",
            s.date,
            s.ctl,
            s.atl,
            match out.formula {
                Formula::Trainingpeaks => "TrainingPeaks (gain 1/T)",
                Formula::Exponential => "exponential",
            },
            out.history_max_ctl_difference
                .map(|d| format!(", last 13 days within {d:.2} CTL of the {source} values"))
                .unwrap_or_default()
        )),
        None => lines.push(format!(
            "No fitness history on {source}: the projection starts from CTL 0 and ATL 0."
        )),
    }
    lines.join("\n")
}
