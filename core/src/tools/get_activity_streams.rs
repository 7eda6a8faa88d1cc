//! `get_activity_streams`: a completed TrainingPeaks workout's time series from its device
//! file, summarised — per channel count, gaps, min/max/mean and a downsampled series — the same
//! shape as the Intervals.icu tool of that name (issue 10).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::activity_metrics::{clock_time, load_tp_data};
use super::shared::args::AthleteId;
use super::shared::stream_series::{StreamView, approx_tokens, summarise};
use super::shared::workout_args::check_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::analysis::Streams;
use crate::tools::intervals::common::round;

/// Points per channel by default, when six channels share [`DEFAULT_BUDGET`].
pub const DEFAULT_POINTS: usize = 60;
/// Total points across channels by default: six channels of 60, about 6 KB of JSON.
const DEFAULT_BUDGET: usize = 360;
/// The most points per channel a caller may ask for.
pub const MAX_POINTS: usize = 2000;

/// A recorded channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Power, W.
    PowerW,
    /// Heart rate, bpm.
    HeartRateBpm,
    /// Cadence, rpm.
    CadenceRpm,
    /// Speed, m/s.
    SpeedMps,
    /// Altitude, m.
    AltitudeM,
    /// Cumulative distance, m.
    DistanceM,
}

impl Channel {
    const ALL: [Channel; 6] = [
        Channel::PowerW,
        Channel::HeartRateBpm,
        Channel::CadenceRpm,
        Channel::SpeedMps,
        Channel::AltitudeM,
        Channel::DistanceM,
    ];

    fn name(self) -> &'static str {
        match self {
            Channel::PowerW => "power_w",
            Channel::HeartRateBpm => "heart_rate_bpm",
            Channel::CadenceRpm => "cadence_rpm",
            Channel::SpeedMps => "speed_mps",
            Channel::AltitudeM => "altitude_m",
            Channel::DistanceM => "distance_m",
        }
    }

    fn of(self, s: &Streams) -> &[Option<f64>] {
        match self {
            Channel::PowerW => &s.power_w,
            Channel::HeartRateBpm => &s.heart_rate_bpm,
            Channel::CadenceRpm => &s.cadence_rpm,
            Channel::SpeedMps => &s.speed_mps,
            Channel::AltitudeM => &s.altitude_m,
            Channel::DistanceM => &s.distance_m,
        }
    }
}

/// The tool.
pub struct GetActivityStreams;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetActivityStreamsArgs {
    /// Workout id of a completed workout (from `get_workouts`), e.g. 3000000123.
    pub workout_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
    /// Channels to return (default: every one recorded).
    #[serde(default)]
    pub channels: Option<Vec<Channel>>,
    /// Points per channel in the downsampled series, 2–2000 (default about 60; each point is
    /// the mean of its slice of seconds).
    #[serde(default)]
    pub points: Option<u32>,
    /// Start of the time range, seconds from the start of the recording (default 0).
    #[serde(default)]
    pub start_s: Option<u32>,
    /// End of the time range, seconds, inclusive (default: the end).
    #[serde(default)]
    pub end_s: Option<u32>,
}

/// Result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetActivityStreamsOutput {
    /// Workout id.
    pub workout_id: i64,
    /// `device_file`, or `record_only` (no streams) for a manual entry.
    pub source: String,
    /// Seconds on the recording's 1 Hz grid (pauses included).
    pub total_seconds: usize,
    /// Start of the window, s.
    pub start_s: usize,
    /// End of the window, s (inclusive).
    pub end_s: usize,
    /// Seconds per series point (about).
    pub seconds_per_point: f64,
    /// The channels.
    pub streams: Vec<StreamView>,
    /// Channels asked for that the file does not have.
    pub missing: Vec<String>,
    /// What is missing and why.
    pub notes: Vec<String>,
    /// Rough size of this output in model tokens (about four bytes each).
    pub approx_tokens: usize,
}

impl TypedTool for GetActivityStreams {
    type Args = GetActivityStreamsArgs;
    type Output = GetActivityStreamsOutput;
    const NAME: &'static str = "get_activity_streams";
    const DESCRIPTION: &'static str = "Time series of one completed TrainingPeaks workout from \
its device file (1 Hz), summarised: for each channel (power_w, heart_rate_bpm, cadence_rpm, \
speed_mps, altitude_m, distance_m; default all recorded) the count, gaps, min, max and mean, and \
a downsampled series of `points` bucket means (default about 60 per channel, under 1k tokens; the \
output says its size in tokens). Never the raw samples: for more detail raise `points` (up to \
2000) or zoom in with start_s/end_s (seconds from the start, e.g. a lap's start_s from \
get_activity_analysis). For metrics over a range use analyze_activity_range.";
    const ANNOTATIONS: Annotations = Annotations::read("Workout time series");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")?;
        if let Some(p) = args.points
            && !(2..=MAX_POINTS as u32).contains(&p)
        {
            return Err(ToolError::invalid(
                "points",
                format!("{p} is out of range (2–{MAX_POINTS})"),
            ));
        }
        if let Some(c) = &args.channels
            && c.is_empty()
        {
            return Err(ToolError::invalid(
                "channels",
                "empty: name at least one channel, or leave it out for all",
            ));
        }
        if let (Some(s), Some(e)) = (args.start_s, args.end_s)
            && e < s
        {
            return Err(ToolError::invalid(
                "end_s",
                format!("{e} is before start_s {s}"),
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let (_, _, data) = load_tp_data(ctx, &args.athlete_id, args.workout_id).await?;
        let s = &data.streams;
        let total = s.len();
        let start = args.start_s.map_or(0, |v| v as usize);
        if total > 0 && start >= total {
            return Err(ToolError::invalid(
                "start_s",
                format!("{start} is past the end of the recording ({} s)", total - 1),
            ));
        }
        let end = args
            .end_s
            .map_or(total.saturating_sub(1), |e| e as usize)
            .min(total.saturating_sub(1));
        let wanted: Vec<Channel> = args.channels.clone().unwrap_or_else(|| {
            Channel::ALL
                .into_iter()
                .filter(|c| !c.of(s).is_empty())
                .collect()
        });
        let points = match args.points {
            Some(p) => p as usize,
            None => (DEFAULT_BUDGET / wanted.len().max(1)).clamp(10, DEFAULT_POINTS),
        };
        let mut streams = Vec::new();
        let mut missing = Vec::new();
        for c in &wanted {
            let ch = c.of(s);
            if ch.is_empty() {
                missing.push(c.name().to_string());
                continue;
            }
            let hi = (end + 1).min(ch.len());
            let window = if start < hi { &ch[start..hi] } else { &[][..] };
            streams.push(summarise(
                c.name().into(),
                None,
                window,
                points,
                *c == Channel::DistanceM,
            ));
        }
        let width = if total == 0 { 0 } else { end + 1 - start };
        let seconds_per_point = round(width as f64 / points.min(width).max(1) as f64, 1);
        let mut out = GetActivityStreamsOutput {
            workout_id: args.workout_id,
            source: data.origin.as_str().into(),
            total_seconds: total,
            start_s: start,
            end_s: end,
            seconds_per_point,
            streams,
            missing,
            notes: data.notes.clone(),
            approx_tokens: 0,
        };
        // The estimate counts itself too; a few digits do not move it.
        out.approx_tokens = approx_tokens(&serde_json::to_string(&out).unwrap_or_default());
        let mut t = if total == 0 {
            format!("Workout {}: no recording.", args.workout_id)
        } else {
            format!(
                "Workout {}: {} on the 1 Hz grid; window {}–{}, {} points per channel \
                 (each ~{seconds_per_point} s); about {} tokens.",
                args.workout_id,
                clock_time(total as f64),
                clock_time(start as f64),
                clock_time(end as f64),
                points.min(width),
                out.approx_tokens
            )
        };
        for n in &out.notes {
            t.push_str(&format!("\nNote: {n}"));
        }
        let opt = |v: Option<f64>| v.map_or("–".to_string(), |v| v.to_string());
        for v in &out.streams {
            t.push_str(&format!(
                "\n{}: min {}, max {}, avg {} ({} s, {} gaps)\n  series: {}",
                v.kind,
                opt(v.min),
                opt(v.max),
                opt(v.avg),
                v.count,
                v.nulls,
                serde_json::to_string(&v.series).unwrap_or_default()
            ));
        }
        if !out.missing.is_empty() {
            t.push_str(&format!("\nNot recorded: {}.", out.missing.join(", ")));
        }
        if total > 0 {
            t.push_str(&format!(
                "\nFor more detail: points=N (up to {MAX_POINTS}), or start_s/end_s to zoom in; \
                 each 60 points of one channel add about 150 tokens."
            ));
        }
        Ok((t, out))
    }
}
