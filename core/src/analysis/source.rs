//! Where one activity's data comes from: the only part of [`crate::analysis`] that does IO.
//!
//! Given a platform, an athlete and an activity, [`ActivityData`] holds the activity's 1 Hz
//! [`Streams`], its laps or intervals ([`Segment`]s) and the summary the device (or platform)
//! computed ([`DeviceSummary`]), plus [`ActivityData::notes`] saying what is missing and why.
//! - TrainingPeaks ([`trainingpeaks`]): `/details` → the first device file's id →
//!   `rawfiledata` (usually gzipped FIT) decoded with [`crate::fit`] onto the 1 Hz grid. A
//!   workout without a file (a manual entry) degrades to the workout record's own figures,
//!   with no streams, and a note saying so.
//! - Intervals.icu ([`intervals`]): the activity's streams and intervals endpoints, put on a
//!   1 Hz grid by the `time` stream.
//!
//! A completed activity's recording does not change, so a cache can sit in front: both
//! fetchers take an optional [`ActivityCache`], asked with a [`CacheKey`] (platform, athlete,
//! activity, file id) before the expensive request and given the result after it. Only data
//! from a recording is offered to the cache ([`Origin::is_cacheable`]); a record-only workout
//! can still be edited and gain a file.

use serde::{Deserialize, Serialize};

use super::{Streams, meanmax};
use crate::http::{BoxFuture, MaybeSendSync};

pub mod intervals;
pub mod memory;
pub mod trainingpeaks;

/// The platform an activity lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourcePlatform {
    /// TrainingPeaks (a completed workout).
    TrainingPeaks,
    /// Intervals.icu (an activity).
    Intervals,
}

/// What a cache keys one activity's data by. `file_id` is the device file (TrainingPeaks),
/// `None` where the platform has no file id (Intervals.icu).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CacheKey {
    /// The platform.
    pub platform: SourcePlatform,
    /// The athlete id as the platform writes it (`123`, `i123`).
    pub athlete: String,
    /// The activity (workout) id.
    pub activity: String,
    /// The device file's id, when there is one.
    pub file_id: Option<String>,
}

/// The longest [`CacheKey::storage_name`]: well under every file system's name limit.
pub const MAX_STORAGE_NAME: usize = 200;

impl CacheKey {
    /// The key as one name a store can use as a file name or a database key: `tp.` or `icu.`,
    /// then the athlete, the activity and the file id (`f` + id, or `n` for none) separated by
    /// dots. An empty part is `_`; every byte outside `[A-Za-z0-9-]` is written `_` + two hex digits, so a remote id
    /// can never add a path separator, a dot, `..` or a control character, and two different
    /// keys never give the same name. `None` when the name would be longer than
    /// [`MAX_STORAGE_NAME`] (such a key is simply not cached).
    pub fn storage_name(&self) -> Option<String> {
        fn escape(out: &mut String, s: &str) {
            // A lone `_` (never produced by an escape, which has two hex digits) stands for
            // an empty id, so no name has an empty part (`..`).
            if s.is_empty() {
                out.push('_');
            }
            for b in s.bytes() {
                if b.is_ascii_alphanumeric() || b == b'-' {
                    out.push(char::from(b));
                } else {
                    out.push_str(&format!("_{b:02x}"));
                }
            }
        }
        let mut out = String::from(match self.platform {
            SourcePlatform::TrainingPeaks => "tp.",
            SourcePlatform::Intervals => "icu.",
        });
        escape(&mut out, &self.athlete);
        out.push('.');
        escape(&mut out, &self.activity);
        out.push('.');
        match &self.file_id {
            Some(f) => {
                out.push('f');
                escape(&mut out, f);
            }
            None => out.push('n'),
        }
        (out.len() <= MAX_STORAGE_NAME).then_some(out)
    }
}

/// Where the streams came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The workout's device file (TrainingPeaks `rawfiledata`).
    DeviceFile,
    /// The platform's stream endpoint (Intervals.icu).
    PlatformStreams,
    /// No recording: only the workout record's own figures (a manual entry).
    RecordOnly,
}

impl Origin {
    /// Whether data of this origin may be cached: only recordings, which do not change.
    pub fn is_cacheable(self) -> bool {
        !matches!(self, Origin::RecordOnly)
    }

    /// Snake-case name, as in structured output.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::DeviceFile => "device_file",
            Origin::PlatformStreams => "platform_streams",
            Origin::RecordOnly => "record_only",
        }
    }
}

/// A lap (device file) or an interval (Intervals.icu), as sample indexes into the 1 Hz grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// The label: `Lap 3`, or the platform's interval label.
    pub label: String,
    /// First sample (= second from the start).
    pub start_index: usize,
    /// Last sample, inclusive.
    pub end_index: usize,
    /// Distance as the device or platform summarised it, metres.
    pub distance_m: Option<f64>,
    /// Average power as summarised, W.
    pub avg_power_w: Option<f64>,
    /// Average heart rate as summarised, bpm.
    pub avg_heart_rate_bpm: Option<f64>,
}

/// The totals the device (or the platform's record) gives; each is `None` where unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeviceSummary {
    /// Sport as the source names it (`cycling`, `Ride`, `Bike`).
    pub sport: Option<String>,
    /// Elapsed time, s.
    pub elapsed_s: Option<f64>,
    /// Moving (timer) time, s.
    pub moving_s: Option<f64>,
    /// Distance, m.
    pub distance_m: Option<f64>,
    /// Average power, W.
    pub avg_power_w: Option<f64>,
    /// Normalized power, W.
    pub normalized_power_w: Option<f64>,
    /// Average heart rate, bpm.
    pub avg_heart_rate_bpm: Option<f64>,
    /// Maximum heart rate, bpm.
    pub max_heart_rate_bpm: Option<f64>,
    /// Training stress score (TSS or the platform's load).
    pub tss: Option<f64>,
    /// Intensity factor (a fraction, 0.85).
    pub intensity_factor: Option<f64>,
    /// Calories, kcal.
    pub calories_kcal: Option<f64>,
    /// The FTP the source used, W.
    pub ftp_w: Option<f64>,
    /// The threshold heart rate the source used, bpm.
    pub lthr_bpm: Option<f64>,
    /// The recording device (`Garmin Edge 840`), when named.
    pub device: Option<String>,
}

/// One activity's data, ready for [`crate::analysis`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityData {
    /// What a cache keys it by (also names the activity).
    pub key: CacheKey,
    /// Where the streams came from.
    pub origin: Origin,
    /// The device file's name, when there is one.
    pub file_name: Option<String>,
    /// Start time as written by the source (UTC for a file, local for Intervals.icu).
    pub start: Option<String>,
    /// The channels on a 1 Hz grid; empty for [`Origin::RecordOnly`].
    pub streams: Streams,
    /// Laps or intervals.
    pub segments: Vec<Segment>,
    /// The source's own totals.
    pub summary: DeviceSummary,
    /// What is missing and why, in plain words, for the tool's text.
    pub notes: Vec<String>,
    /// The mean-max curves derived from the streams, computed once when the data is fetched
    /// (or first read from an entry written before they existed) and cached with it; `None`
    /// when not computed (no streams).
    #[serde(default)]
    pub curves: Option<ActivityCurves>,
}

/// One activity's mean-max curves at [`meanmax::CACHED_DURATIONS_S`], per channel that has any
/// reading: what `get_power_curve` folds into a season curve, so a cached activity costs a
/// decode, not a [`meanmax::mean_max`] per channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityCurves {
    /// Power, W.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_w: Option<meanmax::SparseCurve>,
    /// Heart rate, bpm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heart_rate_bpm: Option<meanmax::SparseCurve>,
    /// Speed, m/s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_mps: Option<meanmax::SparseCurve>,
}

impl ActivityCurves {
    /// The curves of `streams`' power, heart-rate and speed channels (a channel with no
    /// reading has none).
    pub fn of(streams: &Streams) -> Self {
        let curve = |ch: &Vec<Option<f64>>| {
            ch.iter().any(Option::is_some).then(|| {
                meanmax::SparseCurve::of(
                    &meanmax::mean_max(ch, streams.dt()),
                    &meanmax::CACHED_DURATIONS_S,
                )
            })
        };
        Self {
            power_w: curve(&streams.power_w),
            heart_rate_bpm: curve(&streams.heart_rate_bpm),
            speed_mps: curve(&streams.speed_mps),
        }
    }
}

impl ActivityData {
    /// Fills [`ActivityData::curves`] from the streams when there are streams and no curves
    /// yet; `true` when it computed them.
    pub fn derive_curves(&mut self) -> bool {
        if self.curves.is_some() || self.streams.is_empty() {
            return false;
        }
        self.curves = Some(ActivityCurves::of(&self.streams));
        true
    }
}

/// A store of [`ActivityData`] in front of the fetchers. Implementations decide where it lives
/// (IndexedDB in the extension, the XDG cache directory natively) and how much it keeps; a
/// failure to read or write is theirs to swallow (a cache miss), never the call's.
pub trait ActivityCache: MaybeSendSync + std::fmt::Debug {
    /// The data stored under `key`, if any.
    fn get<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, Option<ActivityData>>;
    /// Stores `data` under its own [`ActivityData::key`].
    fn put<'a>(&'a self, data: &'a ActivityData) -> BoxFuture<'a, ()>;
}

/// Why an activity's data could not be had.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// TrainingPeaks failed.
    #[error(transparent)]
    Tp(#[from] crate::trainingpeaks::TpError),
    /// Intervals.icu failed.
    #[error(transparent)]
    Icu(#[from] crate::intervals::IcuError),
    /// The device file could not be read.
    #[error("device file {file}: {error}")]
    Fit {
        /// The file's name or id.
        file: String,
        /// What was wrong with it.
        error: crate::fit::FitError,
    },
}

/// Looks `key` up in the cache, if there is one. An entry written before curves were cached
/// gets them computed here and is written back, so only its first read pays for them.
async fn cached(cache: Option<&dyn ActivityCache>, key: &CacheKey) -> Option<ActivityData> {
    let c = cache?;
    let mut hit = c.get(key).await.filter(|d| &d.key == key)?;
    if hit.derive_curves() {
        c.put(&hit).await;
    }
    Some(hit)
}

/// Derives the curves of freshly fetched `data` and offers it to the cache when it is a
/// recording. The curves are derived whether or not there is a cache, so an answer never
/// depends on whether the data came from one.
async fn offer(cache: Option<&dyn ActivityCache>, data: &mut ActivityData) {
    data.derive_curves();
    if let Some(c) = cache
        && data.origin.is_cacheable()
    {
        c.put(data).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(athlete: &str, activity: &str, file: Option<&str>) -> CacheKey {
        CacheKey {
            platform: SourcePlatform::Intervals,
            athlete: athlete.into(),
            activity: activity.into(),
            file_id: file.map(str::to_string),
        }
    }

    #[test]
    fn storage_names_are_plain_and_distinct() {
        assert_eq!(
            key("i12", "i345", None).storage_name().as_deref(),
            Some("icu.i12.i345.n")
        );
        let hostile = [
            key("1", "../../etc/passwd", None),
            key("1", "..", Some("/")),
            key("1", "a\\b\0c", Some("x y")),
            key("1", "a.b", None),
            key("1.a", "b", None),
            key("1", "", Some("")),
            key("1", "", None),
        ];
        let mut seen = std::collections::HashSet::new();
        for k in &hostile {
            let name = k.storage_name().expect("short");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)),
                "{name}"
            );
            assert!(!name.contains(".."), "{name}");
            assert!(!name.starts_with('.'), "{name}");
            assert!(seen.insert(name.clone()), "two keys share {name}");
        }
        assert_eq!(key("1", &"x".repeat(300), None).storage_name(), None);
    }
}
