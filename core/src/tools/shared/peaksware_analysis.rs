//! Where the TrainingPeaks analysis tools use Peaksware's own workout analysis
//! (`workout-analysis/v2/analyze/{summary,laps}`, `crate::trainingpeaks::analysis`): laps when
//! the device file has none (or there is no file), and TrainingPeaks' figures beside ours on
//! request. Both are extras: a failure becomes a note, never the tool's error, since the
//! analysis from the device file stands without them.

use schemars::JsonSchema;
use serde::Serialize;

use crate::analysis::source::{ActivityData, Segment};
use crate::tools::ToolContext;
use crate::tools::intervals::common::round;
use crate::trainingpeaks::TpError;
use crate::trainingpeaks::analysis::{AnalysisLaps, AnalysisSummary, lap_columns, summary_ids};

/// Where a tool's laps came from.
pub(crate) const LAPS_FROM_FILE: &str = "device_file";
/// Laps from `workout-analysis/v2/analyze/laps`.
pub(crate) const LAPS_FROM_TRAININGPEAKS: &str = "trainingpeaks_analysis";
/// No laps anywhere.
pub(crate) const LAPS_NONE: &str = "none";

/// TrainingPeaks' laps as segments on the recording's 1 Hz grid: laps follow each other, so
/// each starts where the previous ended, and lasts its duration column. `None` when a lap's
/// duration cannot be read (the laps could not be placed).
pub(crate) fn segments_from_laps(laps: &AnalysisLaps) -> Option<Vec<Segment>> {
    let mut start = 0usize;
    let mut out = Vec::with_capacity(laps.laps.len());
    for (i, lap) in laps.laps.iter().enumerate() {
        let dur = lap
            .number(lap_columns::DURATION)
            .filter(|d| *d >= 0.5)?
            .round() as usize;
        out.push(Segment {
            label: lap
                .name
                .get()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("Lap {}", i + 1)),
            start_index: start,
            end_index: start + dur - 1,
            distance_m: lap.number(lap_columns::DISTANCE),
            avg_power_w: lap.number(lap_columns::AVERAGE_POWER),
            avg_heart_rate_bpm: lap.number(lap_columns::AVERAGE_HEART_RATE),
        });
        start += dur;
    }
    Some(out)
}

fn failed(what: &str, e: &TpError) -> String {
    format!("TrainingPeaks' {what} could not be read ({e}); the analysis above stands without it.")
}

/// When `data` has no laps (a file without any, or no file), asks TrainingPeaks' lap analysis
/// (one request) and puts its laps in `data.segments`. Returns where the laps came from.
pub(crate) async fn fill_laps(
    ctx: &ToolContext,
    workout_id: i64,
    data: &mut ActivityData,
) -> &'static str {
    if !data.segments.is_empty() {
        return LAPS_FROM_FILE;
    }
    match ctx.client.analysis_laps(workout_id).await {
        Ok(Some(l)) if !l.laps.is_empty() => match segments_from_laps(&l) {
            Some(segs) => {
                data.notes.push(format!(
                    "The laps ({}) are TrainingPeaks' own lap analysis: the {} none.",
                    segs.len(),
                    if data.streams.is_empty() {
                        "workout has no device file, so it has"
                    } else {
                        "device file has"
                    }
                ));
                data.segments = segs;
                LAPS_FROM_TRAININGPEAKS
            }
            None => {
                data.notes.push(
                    "TrainingPeaks' lap analysis has laps without a readable duration, so they \
                     are not shown."
                        .into(),
                );
                LAPS_NONE
            }
        },
        Ok(_) => LAPS_NONE,
        Err(e) => {
            data.notes.push(failed("lap analysis", &e));
            LAPS_NONE
        }
    }
}

/// TrainingPeaks' own summary of the workout, for comparison with ours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct TpAnalysisView {
    /// Elapsed time, s.
    pub duration_s: Option<f64>,
    /// Distance, m.
    pub distance_m: Option<f64>,
    /// Average power, W.
    pub avg_power_w: Option<f64>,
    /// Normalized Power, W.
    pub np_w: Option<f64>,
    /// TSS.
    pub tss: Option<f64>,
    /// Intensity factor.
    pub intensity_factor: Option<f64>,
    /// Average heart rate, bpm.
    pub avg_heart_rate_bpm: Option<f64>,
}

impl TpAnalysisView {
    /// The figures of a summary response, looked up by identifier and display name.
    pub(crate) fn of(s: &AnalysisSummary) -> Self {
        let r = |v: Option<f64>, p: i32| v.map(|v| round(v, p));
        Self {
            duration_s: r(
                s.find(
                    summary_ids::TOTAL_ELAPSED_TIME,
                    &["Elapsed Time", "Duration"],
                ),
                0,
            ),
            distance_m: r(s.find(summary_ids::TOTAL_DISTANCE, &["Distance"]), 0),
            avg_power_w: r(
                s.find(summary_ids::AVERAGE_POWER, &["Average Power", "Avg Power"]),
                1,
            ),
            np_w: r(
                s.find(summary_ids::NORMALIZED_POWER, &["Normalized Power", "NP"]),
                1,
            ),
            tss: r(s.find(summary_ids::TSS, &["TSS"]), 1),
            intensity_factor: r(
                s.find(summary_ids::INTENSITY_FACTOR, &["IF", "Intensity Factor"]),
                2,
            ),
            avg_heart_rate_bpm: r(
                s.find(
                    summary_ids::AVERAGE_HEART_RATE,
                    &["Average Heart Rate", "Avg HR"],
                ),
                1,
            ),
        }
    }
}

/// TrainingPeaks' summary of the workout (one request), `None` with a note when it has none
/// or could not be read.
pub(crate) async fn tp_summary(
    ctx: &ToolContext,
    workout_id: i64,
    notes: &mut Vec<String>,
) -> Option<TpAnalysisView> {
    match ctx.client.analysis_summary(workout_id).await {
        Ok(Some(s)) => Some(TpAnalysisView::of(&s)),
        Ok(None) => {
            notes.push(
                "TrainingPeaks has no analysis of this workout (404: no device stream).".into(),
            );
            None
        }
        Err(e) => {
            notes.push(failed("analysis summary", &e));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn laps_follow_each_other_and_unreadable_durations_refuse_placement() {
        let l = AnalysisLaps::from_json(json!({"data": [
            {"Name": "Warm-up", "Duration": 600, "Distance": "4000", "AveragePower": 180},
            {"Name": "", "Duration": "299.6", "AverageHeartRate": 160}
        ]}));
        let s = segments_from_laps(&l).unwrap();
        assert_eq!(
            s.iter()
                .map(|x| (x.label.as_str(), x.start_index, x.end_index))
                .collect::<Vec<_>>(),
            [("Warm-up", 0, 599), ("Lap 2", 600, 899)]
        );
        assert_eq!(s[0].distance_m, Some(4000.0));
        assert_eq!(s[1].avg_heart_rate_bpm, Some(160.0));
        let bad = AnalysisLaps::from_json(json!({"data": [{"Name": "x", "Duration": null}]}));
        assert_eq!(segments_from_laps(&bad), None);
    }
}
