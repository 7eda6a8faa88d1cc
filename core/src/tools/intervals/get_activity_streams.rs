//! `get_activity_streams`: per-stream statistics and a downsampled series
//! (`GET /api/v1/activity/{id}/streams?types=…`).
//!
//! Seed difference: the seed printed the first and last five values of each stream, which says
//! nothing about the ride in between. A stream has one sample per second or so (thousands per
//! activity), so dumping it whole would flood the model: this returns, per stream, count,
//! nulls, min, max and mean over the chosen window, and the window downsampled to `points`
//! bucket means (default about 60 per stream, under 16 KB in all), and says how to get more.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, round};
use crate::tools::shared::stream_series::{StreamView, summarise};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::trimmed_text;

/// The streams asked for when none are named (the seed's default).
pub const DEFAULT_STREAMS: &str = "time,watts,heartrate,cadence,altitude,distance,velocity_smooth";
/// The series length for up to [`DEFAULT_BUDGET`]/`DEFAULT_POINTS` streams.
pub const DEFAULT_POINTS: usize = 60;
/// Total points across streams by default; more streams get fewer points each.
const DEFAULT_BUDGET: usize = 420;
/// The most points per stream a caller may ask for.
pub const MAX_POINTS: usize = 2000;

/// Arguments of `get_activity_streams`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetActivityStreamsArgs {
    /// Activity id, e.g. `i12345678` (from get_activities).
    pub activity_id: String,
    /// Comma-separated stream types (default
    /// `time,watts,heartrate,cadence,altitude,distance,velocity_smooth`; others: `temp`,
    /// `latlng`, `grade_smooth`, `respiration`, `smo2`, …).
    #[serde(default)]
    pub stream_types: Option<String>,
    /// Points per stream in the downsampled series, 2–2000 (default about 60; fewer each when
    /// more than 7 streams are asked for). Each point is the mean of its slice of samples.
    #[serde(default)]
    pub points: Option<u32>,
    /// First sample index of the window (default 0), e.g. an interval's start_index from
    /// get_activity_intervals.
    #[serde(default)]
    pub start_index: Option<u32>,
    /// Last sample index of the window, inclusive (default: the last sample).
    #[serde(default)]
    pub end_index: Option<u32>,
}

/// Result of `get_activity_streams`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetActivityStreamsOutput {
    /// The activity.
    pub activity_id: String,
    /// Samples in the longest stream.
    pub total_samples: usize,
    /// First sample index of the window.
    pub start_index: usize,
    /// Last sample index of the window (inclusive).
    pub end_index: usize,
    /// Samples per point of the series (about).
    pub samples_per_point: f64,
    /// The streams found.
    pub streams: Vec<StreamView>,
    /// Stream types asked for that the activity does not have.
    pub missing: Vec<String>,
}

/// The tool.
pub struct GetActivityStreams;

fn requested(args: &GetActivityStreamsArgs) -> Vec<String> {
    args.stream_types
        .as_deref()
        .unwrap_or(DEFAULT_STREAMS)
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or("–".into(), |v| v.to_string())
}

impl TypedTool for GetActivityStreams {
    type Args = GetActivityStreamsArgs;
    type Output = GetActivityStreamsOutput;
    const NAME: &'static str = "get_activity_streams";
    const DESCRIPTION: &'static str = "Time series of one Intervals.icu activity, summarised: for \
        each stream (default time, watts, heartrate, cadence, altitude, distance, \
        velocity_smooth; name others in stream_types, comma-separated) the count, nulls, min, \
        max and mean, and a downsampled series of `points` bucket means (default about 60). \
        Never the raw samples: for more detail raise `points` (up to 2000) or zoom in with \
        start_index/end_index (sample indexes, e.g. from get_activity_intervals).";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu activity streams");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        common::check_path_id("activity_id", &args.activity_id)?;
        for t in requested(args) {
            common::check_path_id("stream_types", &t)?;
        }
        if let Some(p) = args.points
            && !(2..=MAX_POINTS as u32).contains(&p)
        {
            return Err(ToolError::invalid(
                "points",
                format!("{p} is out of range (2–{MAX_POINTS})"),
            ));
        }
        if let (Some(s), Some(e)) = (args.start_index, args.end_index)
            && e < s
        {
            return Err(ToolError::invalid(
                "end_index",
                format!("{e} is before start_index {s}"),
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let types = requested(&args);
        let refs: Vec<&str> = types.iter().map(String::as_str).collect();
        let got = icu.activity_streams(&args.activity_id, &refs).await?;
        let series: Vec<(String, Option<String>, Vec<Option<f64>>)> = got
            .iter()
            .filter_map(|s| Some((trimmed_text(&s.kind)?, trimmed_text(&s.name), s.samples())))
            .collect();
        let total = series.iter().map(|s| s.2.len()).max().unwrap_or(0);
        let start = args.start_index.map_or(0, |s| s as usize);
        let end = args
            .end_index
            .map_or(total.saturating_sub(1), |e| e as usize);
        if total > 0 && start >= total {
            return Err(ToolError::invalid(
                "start_index",
                format!("{start} is past the last sample ({})", total - 1),
            ));
        }
        let end = end.min(total.saturating_sub(1));
        let points = match args.points {
            Some(p) => p as usize,
            None => (DEFAULT_BUDGET / series.len().max(1)).clamp(10, DEFAULT_POINTS),
        };
        let streams: Vec<StreamView> = series
            .into_iter()
            .map(|(kind, name, samples)| {
                let hi = (end + 1).min(samples.len());
                let window = if start < hi {
                    &samples[start..hi]
                } else {
                    &[][..]
                };
                let cumulative = matches!(kind.as_str(), "time" | "distance");
                summarise(kind, name, window, points, cumulative)
            })
            .collect();
        let missing: Vec<String> = types
            .iter()
            .filter(|t| !streams.iter().any(|s| &s.kind == *t))
            .cloned()
            .collect();
        let width = if total == 0 { 0 } else { end + 1 - start };
        let samples_per_point = round(width as f64 / points.min(width).max(1) as f64, 1);
        let mut text = format!(
            "Activity {}: {total} samples; window {start}–{end}, {} points per stream (each ~{samples_per_point} samples).",
            args.activity_id,
            points.min(width)
        );
        for s in &streams {
            text.push_str(&format!(
                "\n{}: min {}, max {}, avg {} ({} samples, {} null)\n  series: {}",
                s.kind,
                fmt_opt(s.min),
                fmt_opt(s.max),
                fmt_opt(s.avg),
                s.count,
                s.nulls,
                serde_json::to_string(&s.series).unwrap_or_default()
            ));
        }
        if !missing.is_empty() {
            text.push_str(&format!("\nNot recorded: {}.", missing.join(", ")));
        }
        text.push_str(&format!(
            "\nFor more detail: points=N (up to {MAX_POINTS}), or start_index/end_index to zoom \
             in on part of the activity."
        ));
        Ok((
            text,
            GetActivityStreamsOutput {
                activity_id: args.activity_id,
                total_samples: total,
                start_index: start,
                end_index: end,
                samples_per_point,
                streams,
                missing,
            },
        ))
    }
}
