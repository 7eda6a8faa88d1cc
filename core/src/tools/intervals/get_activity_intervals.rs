//! `get_activity_intervals`: the intervals Intervals.icu found or the athlete marked
//! (`GET /api/v1/activity/{id}/intervals`), one line each instead of the seed's forty.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, hms, join_parts, round};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::trimmed_text;

/// Arguments of `get_activity_intervals`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetActivityIntervalsArgs {
    /// Activity id, e.g. `i12345678` (from get_activities).
    pub activity_id: String,
}

/// One interval.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IntervalView {
    /// Id within the activity.
    pub id: Option<i64>,
    /// `WORK` or `RECOVERY`.
    pub kind: Option<String>,
    /// Label.
    pub label: Option<String>,
    /// First and last sample index (for get_activity_streams' start_index/end_index).
    pub start_index: Option<i64>,
    /// Last sample index.
    pub end_index: Option<i64>,
    /// Elapsed time, seconds.
    pub elapsed_time_s: Option<i64>,
    /// Distance, metres.
    pub distance_m: Option<f64>,
    /// Average power, watts.
    pub average_watts: Option<f64>,
    /// Weighted average power, watts.
    pub weighted_average_watts: Option<f64>,
    /// Intensity, percent of FTP.
    pub intensity: Option<f64>,
    /// Training load.
    pub training_load: Option<f64>,
    /// Power zone.
    pub zone: Option<i64>,
    /// Average heart rate, bpm.
    pub average_hr: Option<f64>,
    /// Maximum heart rate, bpm.
    pub max_hr: Option<f64>,
    /// Average cadence.
    pub average_cadence: Option<f64>,
    /// Average speed, m/s.
    pub average_speed: Option<f64>,
}

/// Result of `get_activity_intervals`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetActivityIntervalsOutput {
    /// The activity.
    pub activity_id: String,
    /// The intervals in order.
    pub intervals: Vec<IntervalView>,
    /// How many interval groups Intervals.icu formed.
    pub groups: usize,
}

/// The tool.
pub struct GetActivityIntervals;

impl TypedTool for GetActivityIntervals {
    type Args = GetActivityIntervalsArgs;
    type Output = GetActivityIntervalsOutput;
    const NAME: &'static str = "get_activity_intervals";
    const DESCRIPTION: &'static str = "The intervals of one Intervals.icu activity (from \
        get_activities): type (WORK/RECOVERY), label, duration, distance, power, intensity, \
        load, zone, heart rate, cadence, speed, and sample indexes for get_activity_streams.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu activity intervals");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        common::check_path_id("activity_id", &args.activity_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let got = icu.activity_intervals(&args.activity_id).await?;
        let r = |x: Option<f64>| x.map(|v| round(v, 1));
        let intervals: Vec<IntervalView> = got
            .icu_intervals
            .get()
            .map(|l| l.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|i| IntervalView {
                id: i.id.val(),
                kind: trimmed_text(&i.kind),
                label: trimmed_text(&i.label),
                start_index: i.start_index.val(),
                end_index: i.end_index.val(),
                elapsed_time_s: i.elapsed_time.val(),
                distance_m: r(i.distance.val()),
                average_watts: r(i.average_watts.val()),
                weighted_average_watts: r(i.weighted_average_watts.val()),
                intensity: r(i.intensity.val()),
                training_load: r(i.training_load.val()),
                zone: i.zone.val(),
                average_hr: r(i.average_heartrate.val()),
                max_hr: r(i.max_heartrate.val()),
                average_cadence: r(i.average_cadence.val()),
                average_speed: i.average_speed.val().map(|v| round(v, 2)),
            })
            .collect();
        let groups = got.icu_groups.get().map_or(0, Vec::len);
        let mut text = if intervals.is_empty() {
            format!("Activity {} has no intervals.", args.activity_id)
        } else {
            format!(
                "{} intervals of activity {}:",
                intervals.len(),
                args.activity_id
            )
        };
        for (n, i) in intervals.iter().enumerate() {
            let parts = join_parts(&[
                i.elapsed_time_s.map(hms),
                i.distance_m
                    .filter(|d| *d > 0.0)
                    .map(|d| format!("{:.2} km", d / 1000.0)),
                i.average_watts.map(|w| format!("avg {w:.0} W")),
                i.intensity.map(|x| format!("{x:.0}%")),
                i.zone.map(|z| format!("Z{z}")),
                i.average_hr.map(|h| format!("avg HR {h:.0}")),
                i.average_cadence.map(|c| format!("cad {c:.0}")),
            ]);
            text.push_str(&format!(
                "\n{}. {}{}: {parts}",
                n + 1,
                i.kind.as_deref().unwrap_or("?"),
                i.label
                    .as_deref()
                    .map_or(String::new(), |l| format!(" \"{l}\"")),
            ));
        }
        Ok((
            text,
            GetActivityIntervalsOutput {
                activity_id: args.activity_id,
                intervals,
                groups,
            },
        ))
    }
}
