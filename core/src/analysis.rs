//! Activity analytics: what one ride or run did, where the season is going, computed locally.
//!
//! Pure functions over in-memory data (except [`source`], which fetches it): no IO, no clock, so the same code runs natively and in
//! the extension's WebAssembly. Every formula cites its section of the shared analytics spec
//! (`shared/spec/analytics.md` §2) in its doc comment; where the spec offers a choice, the doc
//! comment says which one is taken and why.
//!
//! # Layout
//! - [`Streams`]: one activity's sampled channels (gaps are `None`).
//! - [`summary`]: the one-activity summary the CLI and tools print.
//! - [`session`]: NP, IF, TSS, VI, EF, work, Pw:HR decoupling, durability (§2.1, §2.10).
//! - [`zones`]: time in power / HR / pace zones and Seiler 3-zone polarisation (§2.11).
//! - [`load`]: NGP and rTSS, swim TSS, TRIMP and hrTSS for sessions without power (§2.2–2.4).
//! - [`meanmax`]: exact mean-maximal curves and season curves (§2.7).
//! - [`models`]: CP / W′ (2- and 3-parameter) and W′ balance (§2.8, §2.9).
//! - [`pmc`]: the Performance Manager Chart projected through planned load (§2.5).
//! - [`predict`]: race prediction (Riegel, VDOT, cycling TT power from CP) (§2.8, §2.12).
//! - [`readiness`]: HRV / resting HR / sleep readiness (§2.13).
//! - [`source`]: fetching one activity's streams, laps and device summary from TrainingPeaks
//!   or Intervals.icu — the one part that does IO, behind an optional cache.
//!
//! Nothing here panics on gaps, zeros, pauses, empty or missing channels: a metric whose inputs
//! are missing is `None`.

use serde::{Deserialize, Serialize};

pub mod cache_codec;
pub mod load;
pub mod meanmax;
pub mod models;
pub mod pmc;
pub mod predict;
pub mod readiness;
pub mod session;
pub mod source;
pub mod summary;
pub mod zones;

/// One activity's sampled channels, all at the same fixed sample interval.
///
/// A channel that was not recorded is an empty vector; inside a channel `None` is a gap
/// (dropout or pause). Channels may have different lengths (a sensor that stopped early); the
/// activity's length is the longest channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Streams {
    /// Sample interval in seconds (1 for the usual 1 Hz recording). Non-positive or non-finite
    /// values are treated as 1 s by [`Streams::dt`].
    pub sample_rate_s: f64,
    /// Power in watts.
    #[serde(default)]
    pub power_w: Vec<Option<f64>>,
    /// Heart rate in beats per minute.
    #[serde(default)]
    pub heart_rate_bpm: Vec<Option<f64>>,
    /// Cadence in revolutions (or strides) per minute.
    #[serde(default)]
    pub cadence_rpm: Vec<Option<f64>>,
    /// Speed in metres per second.
    #[serde(default)]
    pub speed_mps: Vec<Option<f64>>,
    /// Altitude in metres.
    #[serde(default)]
    pub altitude_m: Vec<Option<f64>>,
    /// Cumulative distance in metres.
    #[serde(default)]
    pub distance_m: Vec<Option<f64>>,
}

impl Streams {
    /// The sample interval in seconds, with a non-positive or non-finite rate read as 1 s so no
    /// metric divides by zero.
    pub fn dt(&self) -> f64 {
        if self.sample_rate_s.is_finite() && self.sample_rate_s > 0.0 {
            self.sample_rate_s
        } else {
            1.0
        }
    }

    /// Number of samples: the longest channel.
    pub fn len(&self) -> usize {
        [
            self.power_w.len(),
            self.heart_rate_bpm.len(),
            self.cadence_rpm.len(),
            self.speed_mps.len(),
            self.altitude_m.len(),
            self.distance_m.len(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0)
    }

    /// True when no channel has a sample.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Elapsed duration in seconds: samples × interval.
    pub fn duration_s(&self) -> f64 {
        self.len() as f64 * self.dt()
    }
}

/// True when the channel has at least one finite recorded value.
pub(crate) fn has_data(ch: &[Option<f64>]) -> bool {
    ch.iter().any(|v| v.is_some_and(f64::is_finite))
}

/// A recorded, finite value, or `None` for a gap (non-finite values are gaps too).
pub(crate) fn val(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// The channel padded to `n` samples with gaps filled by zeros (GC's gap policy, §2.7 step 1).
pub(crate) fn zero_filled(ch: &[Option<f64>], n: usize) -> Vec<f64> {
    let mut out: Vec<f64> = ch.iter().map(|v| val(*v).unwrap_or(0.0)).collect();
    out.resize(n, 0.0);
    out
}

/// Mean of the recorded values, `None` if there are none.
pub(crate) fn mean_recorded(ch: &[Option<f64>]) -> Option<f64> {
    let (sum, count) = ch
        .iter()
        .filter_map(|v| val(*v))
        .fold((0.0, 0usize), |(s, c), x| (s + x, c + 1));
    (count > 0).then(|| sum / count as f64)
}
