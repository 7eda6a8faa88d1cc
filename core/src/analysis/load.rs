//! Training load for sessions without power: NGP / rTSS (spec §2.3), swim TSS (§2.4), TRIMP and
//! hrTSS (§2.2).

use super::session::fourth_power_mean_of_rolling;
use super::{Streams, val};

/// Minetti 2002 energy cost of running on grade `i` (fraction), J·kg⁻¹·m⁻¹ (spec §2.3).
pub fn minetti_cost(i: f64) -> f64 {
    155.4 * i.powi(5) - 30.4 * i.powi(4) - 43.3 * i.powi(3) + 46.3 * i * i + 19.5 * i + 3.6
}

/// Minetti's polynomial was fitted on grades of ±45 %; steeper samples are clamped to that.
const MAX_GRADE: f64 = 0.45;

/// Normalized Graded Pace as a speed in m/s (spec §2.3, the spec's open reconstruction):
/// grade-adjust each sample's speed by Minetti (v·C(i)/C(0)), 30 s rolling mean, 4th-power mean,
/// 4th root. Grade comes from altitude over distance between consecutive samples (flat when
/// either channel is missing or the runner stands still). Gaps and stops count as zero speed, as
/// NP counts coasting. `None` without speed or when shorter than 30 s.
pub fn ngp_mps(s: &Streams) -> Option<f64> {
    if !super::has_data(&s.speed_mps) {
        return None;
    }
    let n = s.speed_mps.len();
    let c0 = minetti_cost(0.0);
    let mut adjusted = Vec::with_capacity(n);
    for i in 0..n {
        let v = s
            .speed_mps
            .get(i)
            .copied()
            .and_then(val)
            .unwrap_or(0.0)
            .max(0.0);
        let grade = if i == 0 { 0.0 } else { grade_at(s, i) };
        adjusted.push(v * minetti_cost(grade) / c0);
    }
    let w = ((30.0 / s.dt()).round() as usize).max(1);
    fourth_power_mean_of_rolling(&adjusted, w)
}

fn grade_at(s: &Streams, i: usize) -> f64 {
    let get = |ch: &[Option<f64>], j: usize| ch.get(j).copied().and_then(val);
    match (
        get(&s.altitude_m, i),
        get(&s.altitude_m, i - 1),
        get(&s.distance_m, i),
        get(&s.distance_m, i - 1),
    ) {
        (Some(a1), Some(a0), Some(d1), Some(d0)) if d1 - d0 > 0.5 => {
            ((a1 - a0) / (d1 - d0)).clamp(-MAX_GRADE, MAX_GRADE)
        }
        _ => 0.0,
    }
}

/// Running TSS: 100 · hours · IF² with IF = NGP / threshold speed, both as speeds (spec §2.3,
/// TrainingPeaks' form with the factor 100). `None` without NGP or threshold.
pub fn rtss(s: &Streams, threshold_speed_mps: f64) -> Option<f64> {
    let ngp = ngp_mps(s)?;
    if !(threshold_speed_mps.is_finite() && threshold_speed_mps > 0.0) {
        return None;
    }
    let i = ngp / threshold_speed_mps;
    Some(100.0 * s.duration_s() / 3600.0 * i * i)
}

/// Swim TSS: IF³ · hours · 100 with IF = (distance / time) / threshold swim speed (spec §2.4,
/// TrainingPeaks). Choice: `moving_s` is the time the caller counts; TrainingPeaks excludes rest,
/// so pass the moving time for TP-like scores. `None` for non-positive inputs.
pub fn swim_tss(distance_m: f64, moving_s: f64, threshold_speed_mps: f64) -> Option<f64> {
    let ok = |x: f64| x.is_finite() && x > 0.0;
    if !(ok(distance_m) && ok(moving_s) && ok(threshold_speed_mps)) {
        return None;
    }
    let i = distance_m / moving_s / threshold_speed_mps;
    Some(i.powi(3) * moving_s / 3600.0 * 100.0)
}

/// Banister TRIMP coefficient k: 1.92 for men, 1.67 for women (spec §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// k = 1.92.
    Male,
    /// k = 1.67.
    Female,
}

impl Sex {
    fn k(self) -> f64 {
        match self {
            Sex::Male => 1.92,
            Sex::Female => 1.67,
        }
    }
}

fn trimp_of(minutes: f64, hr: f64, rest: f64, max: f64, sex: Sex) -> f64 {
    let hrr = ((hr - rest) / (max - rest)).clamp(0.0, 1.0);
    minutes * hrr * 0.64 * (sex.k() * hrr).exp()
}

/// Banister TRIMP (spec §2.2): minutes · HRr · 0.64 · e^{k·HRr}, HRr = (HR − rest)/(max − rest)
/// clamped to 0..1. Choice: GC's form, the session-average HR over the time with a reading
/// (readings of 0 bpm are gaps). `None` without HR or with max ≤ rest.
pub fn trimp(s: &Streams, hr_rest: f64, hr_max: f64, sex: Sex) -> Option<f64> {
    if !(hr_max.is_finite() && hr_rest.is_finite() && hr_max > hr_rest) {
        return None;
    }
    let readings: Vec<f64> = s
        .heart_rate_bpm
        .iter()
        .filter_map(|v| val(*v))
        .filter(|x| *x > 0.0)
        .collect();
    if readings.is_empty() {
        return None;
    }
    let avg = readings.iter().sum::<f64>() / readings.len() as f64;
    let minutes = readings.len() as f64 * s.dt() / 60.0;
    Some(trimp_of(minutes, avg, hr_rest, hr_max, sex))
}

/// hrTSS as the normalised HR score (spec §2.2, GC "TRIMP 100" / Elevate HRSS, the open stand-in
/// for TrainingPeaks' unpublished hrTSS): 100 · TRIMP / TRIMP(60 min at LTHR), so an hour at
/// LTHR scores 100.
pub fn hr_tss(s: &Streams, hr_rest: f64, hr_max: f64, lthr: f64, sex: Sex) -> Option<f64> {
    let t = trimp(s, hr_rest, hr_max, sex)?;
    let hour = trimp_of(60.0, lthr, hr_rest, hr_max, sex);
    (hour > 0.0).then(|| 100.0 * t / hour)
}
