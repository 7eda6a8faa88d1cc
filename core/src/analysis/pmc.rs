//! The Performance Manager Chart projected forward through planned load (spec §2.5).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

/// The EWMA gain of the CTL/ATL recurrence (spec §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Gain {
    /// TrainingPeaks' published form, gain 1/T (the spec's default until calibrated).
    #[default]
    TrainingPeaks,
    /// Exact exponential, gain 1 − e^{−1/T} (GC, intervals.icu).
    Exponential,
}

impl Gain {
    fn of(self, t_days: f64) -> f64 {
        match self {
            Gain::TrainingPeaks => 1.0 / t_days,
            Gain::Exponential => 1.0 - (-1.0 / t_days).exp(),
        }
    }
}

/// Inputs of a projection. Day d's load is the actual load for days up to `today` (and today's
/// actual when above zero, else its planned load: GC's "expected" series, §2.5), the planned load
/// after, plus any what-if change for that day.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// First day of `actual`.
    pub start: NaiveDate,
    /// CTL and ATL on the day before `start` (seed, §2.5 "Seeding").
    pub seed_ctl: f64,
    /// See `seed_ctl`.
    pub seed_atl: f64,
    /// Daily actual load from `start` through today (the last entry is today).
    pub actual: Vec<f64>,
    /// Planned load by day (only days after today, and today when its actual is zero, count).
    pub planned: BTreeMap<NaiveDate, f64>,
    /// What-if: load added (positive) or removed (negative) on a day; a day's load never goes
    /// below zero.
    pub what_if: BTreeMap<NaiveDate, f64>,
    /// Last day to project to (e.g. race day).
    pub until: NaiveDate,
    /// Recurrence gain.
    pub gain: Gain,
}

/// One day of the chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PmcDay {
    /// The day.
    pub date: NaiveDate,
    /// Load counted that day.
    pub load: f64,
    /// Chronic training load (fitness), T = 42 d.
    pub ctl: f64,
    /// Acute training load (fatigue), T = 7 d.
    pub atl: f64,
    /// Form, TrainingPeaks' convention: yesterday's CTL − ATL (spec §2.5 "Form").
    pub tsb: f64,
    /// Ramp rate: CTL − CTL seven days earlier (GC "RR", §2.5); from the seed before day 7.
    pub ramp: f64,
    /// True for days after today (projected from planned load).
    pub projected: bool,
}

/// Runs the chart from `start` to `until` (spec §2.5): CTL_d = CTL_{d−1} + g_c·(L_d − CTL_{d−1}),
/// the same for ATL with T = 7 d. Empty if `until` is before `start`.
pub fn project(p: &Projection) -> Vec<PmcDay> {
    let gc = p.gain.of(42.0);
    let ga = p.gain.of(7.0);
    let today_idx = p.actual.len() as i64 - 1;
    let (mut ctl, mut atl) = (p.seed_ctl, p.seed_atl);
    let mut history: Vec<f64> = Vec::new();
    let mut out = Vec::new();
    let mut day = p.start;
    let mut idx = 0i64;
    while day <= p.until {
        let actual = usize::try_from(idx)
            .ok()
            .and_then(|i| p.actual.get(i))
            .copied();
        let planned = p.planned.get(&day).copied().unwrap_or(0.0);
        let base = match actual {
            Some(a) if idx < today_idx || a > 0.0 => a,
            Some(_) => planned,
            None => planned,
        };
        let load = (base + p.what_if.get(&day).copied().unwrap_or(0.0)).max(0.0);
        let tsb = ctl - atl;
        ctl += gc * (load - ctl);
        atl += ga * (load - atl);
        let week_ago = if history.len() >= 7 {
            history[history.len() - 7]
        } else {
            p.seed_ctl
        };
        out.push(PmcDay {
            date: day,
            load,
            ctl,
            atl,
            tsb,
            ramp: ctl - week_ago,
            projected: idx > today_idx,
        });
        history.push(ctl);
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
        idx += 1;
    }
    out
}
