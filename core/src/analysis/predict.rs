//! Race prediction: Riegel and VDOT for running (spec §2.12), time-trial power from CP (§2.8).

use serde::Serialize;

/// A prediction with the inputs it used and a plain statement of its limits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// Predicted time in seconds (running) — absent for power predictions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_s: Option<f64>,
    /// Predicted power in watts (cycling) — absent for time predictions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_w: Option<f64>,
    /// The method.
    pub method: &'static str,
    /// The inputs it used, as (name, value) pairs in SI units.
    pub inputs: Vec<(String, f64)>,
    /// When not to trust it.
    pub limits: &'static str,
}

/// The usual Riegel fatigue exponent (spec §2.12).
pub const RIEGEL_B: f64 = 1.06;

const RIEGEL_LIMITS: &str = "Riegel holds for efforts of about 3.5 min to 3 h 50 min; it is \
well calibrated from the mile to the half marathon and too optimistic beyond, and low-mileage \
runners need a larger exponent (1.10-1.15). The prediction assumes equal fitness, pacing and course.";

/// Riegel: T2 = T1 · (D2/D1)^b (spec §2.12). `bests` are (distance m, time s) of recent best
/// efforts; choice: the one whose distance is closest to the target on a log scale is used (the
/// extrapolation is shortest). `None` without a usable best or target.
pub fn riegel(bests: &[(f64, f64)], target_m: f64, b: f64) -> Option<Prediction> {
    let ok = |x: f64| x.is_finite() && x > 0.0;
    if !ok(target_m) || !ok(b) {
        return None;
    }
    let (d1, t1) = bests
        .iter()
        .copied()
        .filter(|(d, t)| ok(*d) && ok(*t))
        .min_by(|x, y| {
            (x.0 / target_m)
                .ln()
                .abs()
                .total_cmp(&(y.0 / target_m).ln().abs())
        })?;
    Some(Prediction {
        time_s: Some(t1 * (target_m / d1).powf(b)),
        power_w: None,
        method: "riegel",
        inputs: vec![
            ("best_distance_m".into(), d1),
            ("best_time_s".into(), t1),
            ("target_distance_m".into(), target_m),
            ("exponent".into(), b),
        ],
        limits: RIEGEL_LIMITS,
    })
}

/// Daniels–Gilbert VDOT of a performance (spec §2.12): VO2(v)/F(t), v in m/min, t in min.
pub fn vdot(distance_m: f64, time_s: f64) -> Option<f64> {
    if !(distance_m.is_finite() && time_s.is_finite() && distance_m > 0.0 && time_s > 0.0) {
        return None;
    }
    let t = time_s / 60.0;
    let v = distance_m / t;
    Some(vo2(v) / fraction(t))
}

fn vo2(v: f64) -> f64 {
    -4.60 + 0.182258 * v + 0.000104 * v * v
}

fn fraction(t: f64) -> f64 {
    0.8 + 0.1894393 * (-0.012778 * t).exp() + 0.2989558 * (-0.1932605 * t).exp()
}

/// The time in seconds at which `distance_m` run gives `vdot` (spec §2.12, solve
/// VO2(D/t)/F(t) = VDOT). Choice: bisection on t ∈ [1 s, 48 h] (VDOT falls as t grows for a fixed
/// distance, so the root is unique) instead of GC's Newton–Raphson; same 1e−3 min tolerance.
pub fn time_for_vdot(vdot_value: f64, distance_m: f64) -> Option<f64> {
    if !(vdot_value.is_finite() && vdot_value > 0.0 && distance_m.is_finite() && distance_m > 0.0) {
        return None;
    }
    let f = |t_s: f64| vdot(distance_m, t_s).map_or(f64::NAN, |v| v - vdot_value);
    let (mut lo, mut hi) = (1.0, 48.0 * 3600.0);
    if !(f(lo) > 0.0 && f(hi) < 0.0) {
        return None;
    }
    while hi - lo > 0.06 {
        let mid = (lo + hi) / 2.0;
        if f(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some((lo + hi) / 2.0)
}

/// VDOT race prediction from recent bests (spec §2.12): the highest VDOT among bests lasting
/// 4 min to 4 h (GC's window) predicts the target distance.
pub fn vdot_prediction(bests: &[(f64, f64)], target_m: f64) -> Option<Prediction> {
    let (d, t, v) = bests
        .iter()
        .filter(|(_, t)| (240.0..=14400.0).contains(t))
        .filter_map(|&(d, t)| vdot(d, t).map(|v| (d, t, v)))
        .max_by(|a, b| a.2.total_cmp(&b.2))?;
    Some(Prediction {
        time_s: Some(time_for_vdot(v, target_m)?),
        power_w: None,
        method: "vdot",
        inputs: vec![
            ("best_distance_m".into(), d),
            ("best_time_s".into(), t),
            ("vdot".into(), v),
            ("target_distance_m".into(), target_m),
        ],
        limits: "VDOT assumes the best effort was a maximal, well-paced race and that the runner \
is trained for the target distance; it is optimistic for marathons without the endurance base, \
and uses only efforts of 4 min to 4 h.",
    })
}

/// Cycling time-trial power for a TT lasting `duration_s` from the 2-parameter model,
/// P = CP + W′/t (spec §2.8).
pub fn tt_power(cp_w: f64, w_prime_j: f64, duration_s: f64) -> Option<Prediction> {
    let ok = |x: f64| x.is_finite() && x > 0.0;
    if !(ok(cp_w) && ok(w_prime_j) && ok(duration_s)) {
        return None;
    }
    Some(Prediction {
        time_s: None,
        power_w: Some(cp_w + w_prime_j / duration_s),
        method: "critical_power",
        inputs: vec![
            ("cp_w".into(), cp_w),
            ("w_prime_j".into(), w_prime_j),
            ("duration_s".into(), duration_s),
        ],
        limits: "The 2-parameter CP model holds for efforts of about 2 to 30 min; beyond that it \
overestimates what can be held (CP itself is sustainable for roughly 30-60 min, not longer), and \
it says nothing about pacing, position or heat.",
    })
}

/// The athlete's own Riegel exponent (spec §2.12, "fitting b per athlete … log-log regression
/// of time on distance"): the least-squares slope of ln t on ln d over the given (distance m,
/// time s) bests. `None` with fewer than two distinct distances or a non-finite slope.
pub fn fit_riegel_exponent(bests: &[(f64, f64)]) -> Option<f64> {
    let pts: Vec<(f64, f64)> = bests
        .iter()
        .filter(|(d, t)| d.is_finite() && t.is_finite() && *d > 0.0 && *t > 0.0)
        .map(|(d, t)| (d.ln(), t.ln()))
        .collect();
    let n = pts.len() as f64;
    if pts.len() < 2 {
        return None;
    }
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    // Distances closer than 1 % apart carry no slope.
    if sxx < 1e-4 {
        return None;
    }
    Some(sxy / sxx).filter(|b| b.is_finite())
}
