//! Exact mean-maximal (best-effort) curves for every duration, and season curves (spec §2.7).

use serde::Serialize;

use super::val;

/// One activity's mean-maximal curve: `values[k]` is the best average over `k + 1` consecutive
/// samples, i.e. over `(k + 1) · sample_rate_s` seconds, and `offsets[k]` the sample index where
/// that best window starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeanMaxCurve {
    /// Sample interval in seconds.
    pub sample_rate_s: f64,
    /// Best mean for each window length of 1..=n samples.
    pub values: Vec<f64>,
    /// Start index of each best window.
    pub offsets: Vec<usize>,
}

impl MeanMaxCurve {
    /// The best mean over exactly `duration_s` seconds, if that is a whole number of samples and
    /// fits in the activity.
    pub fn at(&self, duration_s: f64) -> Option<f64> {
        let k = samples_for(duration_s, self.sample_rate_s)?;
        self.values.get(k - 1).copied()
    }
}

/// `duration_s` as a whole number (≥ 1) of samples of `dt`, if it is one.
fn samples_for(duration_s: f64, dt: f64) -> Option<usize> {
    let k = (duration_s / dt).round();
    ((k - duration_s / dt).abs() < 1e-6 && k >= 1.0).then_some(k as usize)
}

/// Values are summed as integers in thousandths so window sums are exact (spec §4: integer
/// prefix sums); this clamp keeps 2·10⁵ samples of the largest value far inside i64.
const MAX_VALUE: f64 = 1.0e6;

/// Exact mean-maximal curve of one channel for every duration from one sample to the whole
/// activity (spec §2.7, definition MMP(d) = max_i (S_{i+d} − S_i)/d).
///
/// Gaps count as zero (GC's policy, §2.7 step 1) and negative values are clamped to zero (no
/// physical power, HR or speed is negative; the pruning below relies on p ≥ 0). Exact, not
/// the spec's coarse grid: durations are computed one by one from integer prefix sums with
/// block pruning in the spirit of the Rages search GC uses (§2.7 step 3):
/// - E(d) ≥ E(d − 1) for p ≥ 0, and a d-window that contains the previous best (d − 1)-window
///   reaches at least E(d − 1), so each duration starts from that lower bound;
/// - candidate starts are taken in blocks; a block's span energy bounds every window in it
///   (p ≥ 0), so a block whose span does not beat the best so far is skipped unscanned.
///
/// Blocks are short (d/64 starts, 4..=32) so a block's span is barely longer than d and its bound
/// tight; measured on a 4 h ride this beat GC's min(d, 180) shift fivefold. Worst case O(n²)
/// (data where no block can be ruled out); about 20 ms for a 4 h ride at 1 Hz (see
/// `core/benches/analysis.rs`).
pub fn mean_max(channel: &[Option<f64>], sample_rate_s: f64) -> MeanMaxCurve {
    let n = channel.len();
    let mut s: Vec<i64> = Vec::with_capacity(n + 1);
    s.push(0);
    let mut acc = 0i64;
    for v in channel {
        let x = val(*v).unwrap_or(0.0).clamp(0.0, MAX_VALUE);
        acc += (x * 1000.0).round() as i64;
        s.push(acc);
    }
    let mut values = Vec::with_capacity(n);
    let mut offsets = Vec::with_capacity(n);
    let mut prev = 0usize;
    let (mut prev_e, mut max_e) = (0i64, 0i64);
    for d in 1..=n {
        let last = n - d;
        // Seed from the windows that contain the previous best window.
        let mut best_i = prev.min(last);
        let mut best = s[best_i + d] - s[best_i];
        if prev >= 1 && prev - 1 <= last {
            let e = s[prev - 1 + d] - s[prev - 1];
            if e > best {
                best = e;
                best_i = prev - 1;
            }
        }
        // Subadditivity (§2.7): E(d) ≤ E(d − 1) + E(1). When the seed reaches that bound it is
        // the answer and nothing needs scanning (this is what makes steady efforts cheap).
        if d > 1 && best >= prev_e + max_e {
            prev = best_i;
            prev_e = best;
            values.push(best as f64 / 1000.0 / d as f64);
            offsets.push(best_i);
            continue;
        }
        let block = (d / 64).clamp(4, 32);
        let mut i0 = 0usize;
        while i0 <= last {
            let i1 = (i0 + block - 1).min(last);
            if s[i1 + d] - s[i0] > best {
                for i in i0..=i1 {
                    let e = s[i + d] - s[i];
                    if e > best {
                        best = e;
                        best_i = i;
                    }
                }
            }
            i0 = i1 + 1;
        }
        prev = best_i;
        prev_e = best;
        if d == 1 {
            max_e = best;
        }
        values.push(best as f64 / 1000.0 / d as f64);
        offsets.push(best_i);
    }
    MeanMaxCurve {
        sample_rate_s,
        values,
        offsets,
    }
}

/// One point of a season curve, traceable to the activity it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeasonPoint {
    /// Duration in whole seconds.
    pub duration_s: u32,
    /// Best mean over that duration across the activities.
    pub value: f64,
    /// The activity that holds it.
    pub activity_id: String,
    /// That activity's date (as the caller gave it, e.g. `YYYY-MM-DD`).
    pub date: String,
    /// Start sample of the best window inside that activity.
    pub offset: usize,
}

/// A season (or any date range) curve: for each whole-second duration, the best value over the
/// activities and where it came from (spec §2.7 step 5: pointwise maximum of per-activity
/// curves, O(D) per activity).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SeasonCurve {
    /// Index d − 1 holds duration d seconds; `None` where no activity is that long.
    pub points: Vec<Option<SeasonPoint>>,
}

impl SeasonCurve {
    /// Folds one activity's curve in. Durations that are not a whole number of seconds (a
    /// non-integer sample interval) are skipped; ties keep the earlier activity.
    pub fn add(&mut self, activity_id: &str, date: &str, curve: &MeanMaxCurve) {
        let dt = curve.sample_rate_s;
        for (k, &v) in curve.values.iter().enumerate() {
            let secs = (k + 1) as f64 * dt;
            let d = secs.round();
            if (d - secs).abs() > 1e-6 || d < 1.0 || d > f64::from(u32::MAX) {
                continue;
            }
            let idx = d as usize - 1;
            if self.points.len() <= idx {
                self.points.resize(idx + 1, None);
            }
            let better = match &self.points[idx] {
                Some(p) => v > p.value,
                None => true,
            };
            if better {
                self.points[idx] = Some(SeasonPoint {
                    duration_s: d as u32,
                    value: v,
                    activity_id: activity_id.to_owned(),
                    date: date.to_owned(),
                    offset: curve.offsets.get(k).copied().unwrap_or(0),
                });
            }
        }
    }

    /// The point for `duration_s` seconds, if any activity covers it.
    pub fn at(&self, duration_s: u32) -> Option<&SeasonPoint> {
        let idx = (duration_s as usize).checked_sub(1)?;
        self.points.get(idx)?.as_ref()
    }
}
