//! Power-based session metrics (spec §2.1) and aerobic decoupling / durability (§2.10).

use super::meanmax::{self, MeanMaxCurve};
use super::{Streams, has_data, mean_recorded, val, zero_filled};

/// Average power in watts over the recorded samples (zeros count, gaps do not).
///
/// Spec §2.1 (VI's denominator). Choice: gaps are excluded rather than counted as zero, so a
/// dropout does not lower the average; coasting (recorded zeros) does count.
pub fn avg_power(s: &Streams) -> Option<f64> {
    mean_recorded(&s.power_w)
}

/// Normalized Power in watts (spec §2.1, Coggan).
///
/// 30 s rolling mean (w = 30/Δ samples, no rolling when w ≤ 1), then the 4th root of the mean
/// 4th power. Choice between the two variants the spec lists: Coggan's textbook form, which
/// starts averaging at the first full 30 s window (GC instead zero-pads the first 29 windows),
/// so a steady ride's NP equals its power. Gaps inside the ride count as zero power (GC's gap
/// policy, §2.7 step 1). `None` without power or when the ride is shorter than one window.
pub fn normalized_power(s: &Streams) -> Option<f64> {
    if !has_data(&s.power_w) {
        return None;
    }
    let p = zero_filled(&s.power_w, s.power_w.len());
    let w = ((30.0 / s.dt()).round() as usize).max(1);
    fourth_power_mean_of_rolling(&p, w)
}

/// (mean over full windows of (window mean)^4)^(1/4); `None` if there is no full window.
pub(crate) fn fourth_power_mean_of_rolling(p: &[f64], w: usize) -> Option<f64> {
    if p.len() < w || w == 0 {
        return None;
    }
    let mut sum: f64 = p[..w].iter().sum();
    let mut acc = (sum / w as f64).powi(4);
    for i in w..p.len() {
        sum += p[i] - p[i - w];
        // Rolling sums of non-negative data can drift a hair below zero.
        acc += (sum.max(0.0) / w as f64).powi(4);
    }
    let count = (p.len() - w + 1) as f64;
    Some((acc / count).powf(0.25))
}

/// Intensity Factor: NP / FTP (spec §2.1). Choice: the athlete's FTP as given (GC's default of
/// CP is the caller's to pass instead). `None` if NP is missing or FTP is not positive.
pub fn intensity_factor(s: &Streams, ftp_w: f64) -> Option<f64> {
    let np = normalized_power(s)?;
    (ftp_w.is_finite() && ftp_w > 0.0).then(|| np / ftp_w)
}

/// Training Stress Score: 100 · (t/3600) · IF² with t the elapsed duration N·Δ (spec §2.1, GC
/// "NP duration").
pub fn tss(s: &Streams, ftp_w: f64) -> Option<f64> {
    let i = intensity_factor(s, ftp_w)?;
    Some(100.0 * s.duration_s() / 3600.0 * i * i)
}

/// Variability Index: NP / average power (spec §2.1). `None` when average power is zero.
pub fn variability_index(s: &Streams) -> Option<f64> {
    let np = normalized_power(s)?;
    let avg = avg_power(s)?;
    (avg > 0.0).then(|| np / avg)
}

/// Average heart rate over samples with a reading above zero (0 bpm is a lost strap, not a
/// heart rate).
pub fn avg_heart_rate(s: &Streams) -> Option<f64> {
    let hr: Vec<Option<f64>> = s
        .heart_rate_bpm
        .iter()
        .map(|v| val(*v).filter(|x| *x > 0.0))
        .collect();
    mean_recorded(&hr)
}

/// Efficiency Factor, cycling form: NP / average HR (spec §2.1).
pub fn efficiency_factor(s: &Streams) -> Option<f64> {
    Some(normalized_power(s)? / avg_heart_rate(s)?)
}

/// Mechanical work in kJ: Σ p·Δ / 1000 over recorded samples (spec §2.1 "kJ"; gaps add nothing).
pub fn work_kj(s: &Streams) -> Option<f64> {
    if !has_data(&s.power_w) {
        return None;
    }
    let dt = s.dt();
    Some(s.power_w.iter().filter_map(|v| val(*v)).sum::<f64>() * dt / 1000.0)
}

/// Pw:HR aerobic decoupling in percent (spec §2.10), positive means drift.
///
/// Choice: GC's form — split the samples in half by count, keep samples with HR > 0 and an output
/// reading, R = average output / average HR per half, decoupling = 100·(R1 − R2)/R1. The output is
/// power when the power channel has data, else speed (Pa:HR for runs without power). No warm-up is
/// removed: callers wanting TP's steady-state reading pass the steady part. `None` if either half
/// has no paired samples or R1 is zero.
pub fn decoupling_pct(s: &Streams) -> Option<f64> {
    let out = if has_data(&s.power_w) {
        &s.power_w
    } else if has_data(&s.speed_mps) {
        &s.speed_mps
    } else {
        return None;
    };
    let n = s.len();
    let half = n / 2;
    let ratio = |lo: usize, hi: usize| -> Option<f64> {
        let (mut so, mut sh, mut c) = (0.0, 0.0, 0usize);
        for i in lo..hi {
            let hr = s.heart_rate_bpm.get(i).copied().and_then(val);
            let o = out.get(i).copied().and_then(val);
            if let (Some(hr), Some(o)) = (hr, o)
                && hr > 0.0
            {
                so += o;
                sh += hr;
                c += 1;
            }
        }
        (c > 0 && sh > 0.0).then(|| so / sh)
    };
    let r1 = ratio(0, half)?;
    let r2 = ratio(half, n)?;
    (r1 > 0.0).then(|| 100.0 * (r1 - r2) / r1)
}

/// Durability: the mean-maximal power curve of what remains after the first `after_kj` kJ of
/// work (spec §2.10, AI Endurance's "power fall-off against accumulated kJ").
///
/// Returns the curve of the samples from the first one at which cumulative work reached
/// `after_kj`, or `None` if the ride never did (or has no power). Compare its points with the
/// whole ride's curve to see the fall-off.
pub fn best_power_after_kj(s: &Streams, after_kj: f64) -> Option<MeanMaxCurve> {
    if !has_data(&s.power_w) {
        return None;
    }
    let dt = s.dt();
    let target_j = after_kj.max(0.0) * 1000.0;
    let mut work = 0.0;
    let mut start = None;
    for (i, v) in s.power_w.iter().enumerate() {
        if work >= target_j {
            start = Some(i);
            break;
        }
        work += val(*v).unwrap_or(0.0).max(0.0) * dt;
    }
    let start = start?;
    Some(meanmax::mean_max(&s.power_w[start..], dt))
}
