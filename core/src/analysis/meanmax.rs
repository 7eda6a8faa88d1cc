//! Exact mean-maximal (best-effort) curves for every duration, and season curves (spec §2.7).

use serde::{Deserialize, Serialize};

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

/// The whole-second durations (s) a cached curve keeps ([`SparseCurve`]): every duration
/// `get_power_curve` reports or fits its CP / W′ / Pmax model on, on both platforms. A tool
/// asking for one outside this set computes from the streams instead
/// ([`SparseCurve::covers`]), so widening the set needs no format change.
pub const CACHED_DURATIONS_S: [u32; 29] = [
    1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 660, 720, 780, 840, 900, 960,
    1020, 1080, 1140, 1200, 1800, 3600, 5400, 7200, 10800,
];

/// The best mean over one duration of one activity, and where its window starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DurationBest {
    /// Duration, whole seconds.
    #[serde(rename = "d")]
    pub duration_s: u32,
    /// Best mean over it.
    #[serde(rename = "v")]
    pub value: f64,
    /// Start sample of the best window.
    #[serde(rename = "o")]
    pub offset: usize,
}

/// One activity's mean-max curve kept at chosen whole-second durations only: what an activity
/// cache stores beside the streams, so a season curve folds it in instead of recomputing
/// [`mean_max`] (a few hundred bytes against the full curve's tens of kilobytes). Folding it
/// with [`SeasonCurve::add_sparse`] gives, at those durations, exactly what folding the full
/// curve with [`SeasonCurve::add`] gives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SparseCurve {
    /// The durations it was cut at, s; one longer than the activity has no point.
    #[serde(rename = "at")]
    pub durations_s: Vec<u32>,
    /// The points, in the order of `durations_s`.
    #[serde(rename = "p")]
    pub points: Vec<DurationBest>,
}

impl SparseCurve {
    /// `curve` cut at `durations_s`, mapping sample counts to seconds exactly as
    /// [`SeasonCurve::add`] does (so a non-integer sample interval gives the same points).
    pub fn of(curve: &MeanMaxCurve, durations_s: &[u32]) -> Self {
        let mut best: Vec<Option<DurationBest>> = vec![None; durations_s.len()];
        for (k, &v) in curve.values.iter().enumerate() {
            let Some(d) = whole_seconds(k, curve.sample_rate_s) else {
                continue;
            };
            let Some(slot) = durations_s.iter().position(|&x| x == d) else {
                continue;
            };
            if best[slot].as_ref().is_none_or(|p| v > p.value) {
                best[slot] = Some(DurationBest {
                    duration_s: d,
                    value: v,
                    offset: curve.offsets.get(k).copied().unwrap_or(0),
                });
            }
        }
        Self {
            durations_s: durations_s.to_vec(),
            points: best.into_iter().flatten().collect(),
        }
    }

    /// Whether it was cut at every one of `durations_s`, so that a season curve read at those
    /// durations needs nothing else.
    pub fn covers(&self, durations_s: &[u32]) -> bool {
        durations_s.iter().all(|d| self.durations_s.contains(d))
    }
}

/// The duration of `k + 1` samples of `dt` in whole seconds, if it is one (≥ 1 s).
fn whole_seconds(k: usize, dt: f64) -> Option<u32> {
    let secs = (k + 1) as f64 * dt;
    let d = secs.round();
    ((d - secs).abs() <= 1e-6 && d >= 1.0 && d <= f64::from(u32::MAX)).then_some(d as u32)
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
        for (k, &v) in curve.values.iter().enumerate() {
            if let Some(d) = whole_seconds(k, curve.sample_rate_s) {
                let offset = curve.offsets.get(k).copied().unwrap_or(0);
                self.offer(activity_id, date, d, v, offset);
            }
        }
    }

    /// Folds one activity's [`SparseCurve`] in: the same points [`SeasonCurve::add`] would
    /// give at its durations, and none elsewhere.
    pub fn add_sparse(&mut self, activity_id: &str, date: &str, curve: &SparseCurve) {
        for p in &curve.points {
            self.offer(activity_id, date, p.duration_s, p.value, p.offset);
        }
    }

    /// Folds one activity's `stream` in, for reading at `needed` durations only: its `cached`
    /// curve ([`crate::analysis::source::ActivityData::curves`]) when that was cut at all of
    /// them, which is what makes a season over cached activities cheap, else the exact curve
    /// computed from the stream. At `needed` both give the same season.
    pub fn add_activity(
        &mut self,
        (activity_id, date): (&str, &str),
        stream: &[Option<f64>],
        sample_rate_s: f64,
        cached: Option<&SparseCurve>,
        needed: &[u32],
    ) {
        match cached.filter(|c| c.covers(needed)) {
            Some(c) => self.add_sparse(activity_id, date, c),
            None => self.add(activity_id, date, &mean_max(stream, sample_rate_s)),
        }
    }

    /// Keeps `value` at `d` seconds if it beats what is there (ties keep the earlier).
    fn offer(&mut self, activity_id: &str, date: &str, d: u32, value: f64, offset: usize) {
        let Some(idx) = (d as usize).checked_sub(1) else {
            return;
        };
        if self.points.len() <= idx {
            self.points.resize(idx + 1, None);
        }
        let better = match &self.points[idx] {
            Some(p) => value > p.value,
            None => true,
        };
        if better {
            self.points[idx] = Some(SeasonPoint {
                duration_s: d,
                value,
                activity_id: activity_id.to_owned(),
                date: date.to_owned(),
                offset,
            });
        }
    }

    /// The point for `duration_s` seconds, if any activity covers it.
    pub fn at(&self, duration_s: u32) -> Option<&SeasonPoint> {
        let idx = (duration_s as usize).checked_sub(1)?;
        self.points.get(idx)?.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic, bumpy channel with gaps (the pruning and the ties depend on the data).
    fn channel(n: usize, seed: u64) -> Vec<Option<f64>> {
        let mut x = seed | 1;
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (i % 53 != 7).then_some((x % 400) as f64 + if i % 600 < 120 { 150.0 } else { 0.0 })
            })
            .collect()
    }

    #[test]
    fn a_season_of_sparse_curves_equals_the_season_of_full_curves_at_their_durations() {
        for dt in [1.0, 0.5, 2.0] {
            let (mut full, mut sparse) = (SeasonCurve::default(), SeasonCurve::default());
            for a in 0..6u64 {
                // Lengths on both sides of some kept durations, and two identical activities
                // so that a tie must keep the earlier one in both.
                let ch = channel(900 + (a as usize % 3) * 1700, 7 + a % 5);
                let curve = mean_max(&ch, dt);
                let cut = SparseCurve::of(&curve, &CACHED_DURATIONS_S);
                assert!(cut.covers(&CACHED_DURATIONS_S) && !cut.covers(&[2]));
                full.add(&format!("a{a}"), "2026-01-01", &curve);
                sparse.add_sparse(&format!("a{a}"), "2026-01-01", &cut);
            }
            let mut seen = 0;
            for d in CACHED_DURATIONS_S {
                assert_eq!(full.at(d), sparse.at(d), "dt {dt}, {d} s");
                seen += usize::from(full.at(d).is_some());
            }
            assert!(seen > 20, "dt {dt}: only {seen} durations covered");
            // Durations it was not cut at are simply absent.
            assert!(full.at(2).is_some() && sparse.at(2).is_none());
        }
    }
}
