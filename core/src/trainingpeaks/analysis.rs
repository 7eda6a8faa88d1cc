//! Peaksware's workout analysis (spec §5.4): `POST https://api.peakswaresb.com/
//! workout-analysis/v2/analyze/{summary,charts,laps}`, each with the body `{"workoutId": <int>}`
//! and the same Bearer token as tpapi. The web app calls them to draw a completed workout's
//! analysis page; `v1/analyze` is dead (404 for every workout since ~2026-07).
//!
//! What the spec gives and what it does not (so what here is a guess, said where it is used):
//! - Given: the three paths, the method, the body, 404 for a workout that cannot be analysed (no
//!   device stream: manual entries), the top-level shapes (`summary`: `{startTimestamp, data:
//!   {<Identifier>: {friendlyName, value, unit}}}`; `charts`: `{metadata: {<channel>:
//!   {friendlyName, unit, minimum, maximum, average, zones}}, data: [per-second rows keyed by
//!   channel]}`; `laps`: `{columnMetadata, data: [rows]}`), and the identifiers
//!   `TotalElapsedTime`, `NormalizedPower`, `TotalDistance`, the channel `Power` and the lap
//!   columns `Name`, `WorkoutStepIndex`, `Intensity`, `LapTrigger`, `AveragePace`.
//! - Not given: the other identifiers (TSS, IF, average power, heart rate), the units of each
//!   value, the other channel names, and any lap column carrying a lap's duration, distance or
//!   power. Readers here look those up by a list of likely identifiers *and* by
//!   `friendlyName` ([`AnalysisSummary::find`]), so a different spelling on the live service
//!   degrades to "not known" instead of a wrong number. The sandbox answers with the guessed
//!   names ([`summary_ids`], [`lap_columns`]).
//! - Headers: the spec lists `Origin`/`Referer: https://app.trainingpeaks.com` as what
//!   server-side clients copy; a browser sets those itself (they are forbidden headers in
//!   `fetch`), so like the strength calls we send none.
//!
//! Every wire struct is tolerant (`crate::wire`): numbers may come as strings, ids as strings
//! or numbers, `null` is "not known", unknown fields are kept in `rest`. All three are reads
//! sent as POST (their body is a query), so they are retried like GETs ([`Safety::Read`](super::Safety::Read)).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{Api, TpClient, TpError};
use crate::http::Method;
use crate::wire::{Field, Rest, float_of, text};

/// The path of one analysis endpoint (`summary`, `charts`, `laps`) on the Peaksware host.
pub fn analysis_path(kind: &str) -> String {
    format!("/workout-analysis/v2/analyze/{kind}")
}

/// The request body the web app sends to all three: the workout id as a JSON integer.
pub fn analysis_body(workout_id: i64) -> Value {
    json!({ "workoutId": workout_id })
}

/// Summary identifiers, documented ones first; the rest are our guesses (module docs).
pub mod summary_ids {
    /// Elapsed time, s (documented identifier; unit assumed seconds).
    pub const TOTAL_ELAPSED_TIME: &str = "TotalElapsedTime";
    /// Distance, m (documented identifier; unit assumed metres).
    pub const TOTAL_DISTANCE: &str = "TotalDistance";
    /// Normalized Power, W (documented identifier).
    pub const NORMALIZED_POWER: &str = "NormalizedPower";
    /// Average power, W (guessed).
    pub const AVERAGE_POWER: &str = "AveragePower";
    /// TSS (guessed).
    pub const TSS: &str = "TrainingStressScore";
    /// Intensity factor (guessed).
    pub const INTENSITY_FACTOR: &str = "IntensityFactor";
    /// Average heart rate, bpm (guessed).
    pub const AVERAGE_HEART_RATE: &str = "AverageHeartRate";
    /// Efficiency factor (guessed).
    pub const EFFICIENCY_FACTOR: &str = "EfficiencyFactor";
    /// Pw:HR decoupling, % (guessed).
    pub const DECOUPLING: &str = "PowerHeartRateDecoupling";
}

/// Lap columns beyond the documented `Name`, `WorkoutStepIndex`, `Intensity`, `LapTrigger`,
/// `AveragePace`: our guesses (module docs).
pub mod lap_columns {
    /// The lap's elapsed time, s.
    pub const DURATION: &str = "Duration";
    /// Distance, m.
    pub const DISTANCE: &str = "Distance";
    /// Average power, W.
    pub const AVERAGE_POWER: &str = "AveragePower";
    /// Normalized Power, W.
    pub const NORMALIZED_POWER: &str = "NormalizedPower";
    /// Average heart rate, bpm.
    pub const AVERAGE_HEART_RATE: &str = "AverageHeartRate";
}

/// One value of `summary.data`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SummaryValue {
    /// What the web app shows, e.g. `Normalized Power`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub friendly_name: Field<String>,
    /// The number (a numeric string reads too; `null` is not known).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub value: Field<f64>,
    /// The unit as written, e.g. `W`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub unit: Field<String>,
    /// Everything else.
    #[serde(flatten)]
    pub rest: Rest,
}

/// The `summary` response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnalysisSummary {
    /// `startTimestamp` as written.
    pub start_timestamp: Option<String>,
    /// `data` by identifier; entries that are not objects are skipped.
    pub values: BTreeMap<String, SummaryValue>,
    /// The whole response.
    pub raw: Value,
}

impl AnalysisSummary {
    /// Reads a response leniently: anything but an object with an object `data` is empty.
    pub fn from_json(raw: Value) -> Self {
        let values = raw
            .get("data")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| v.is_object())
                    .filter_map(|(k, v)| crate::wire::read(v).ok().map(|s| (k.clone(), s)))
                    .collect()
            })
            .unwrap_or_default();
        let start_timestamp = raw
            .get("startTimestamp")
            .and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .filter(|s| !s.trim().is_empty());
        Self {
            start_timestamp,
            values,
            raw,
        }
    }

    /// The value under identifier `id`, or else under the first entry whose `friendlyName` is
    /// one of `names` (case-insensitive): a renamed identifier still finds its figure.
    pub fn find(&self, id: &str, names: &[&str]) -> Option<f64> {
        self.values
            .get(id)
            .and_then(|v| v.value.val())
            .or_else(|| {
                self.values.values().find_map(|v| {
                    let name = text(&v.friendly_name)?;
                    names
                        .iter()
                        .any(|n| n.eq_ignore_ascii_case(name.trim()))
                        .then(|| v.value.val())
                        .flatten()
                })
            })
            .filter(|x| x.is_finite())
    }
}

/// One channel of `charts.metadata`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChartChannel {
    /// Display name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub friendly_name: Field<String>,
    /// Unit as written.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub unit: Field<String>,
    /// Lowest value.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub minimum: Field<f64>,
    /// Highest value.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub maximum: Field<f64>,
    /// Average.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub average: Field<f64>,
    /// Zones, kept as they came (their shape is not documented).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub zones: Field<Value>,
    /// Everything else.
    #[serde(flatten)]
    pub rest: Rest,
}

/// The `charts` response: channel metadata and per-second rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnalysisCharts {
    /// `metadata` by channel; entries that are not objects are skipped.
    pub channels: BTreeMap<String, ChartChannel>,
    /// `data`: one row per second, keyed by channel; rows that are not objects are skipped.
    pub rows: Vec<Map<String, Value>>,
}

impl AnalysisCharts {
    /// Reads a response leniently.
    pub fn from_json(raw: &Value) -> Self {
        let channels = raw
            .get("metadata")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| {
                        v.is_object()
                            .then(|| crate::wire::read(v).ok())
                            .flatten()
                            .map(|c| (k.clone(), c))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let rows = raw
            .get("data")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|r| r.as_object().cloned()).collect())
            .unwrap_or_default();
        Self { channels, rows }
    }

    /// One channel as a series, a gap (`None`) where a row lacks it or holds no number.
    pub fn series(&self, channel: &str) -> Vec<Option<f64>> {
        self.rows
            .iter()
            .map(|r| r.get(channel).and_then(float_of))
            .collect()
    }
}

/// One row of `laps.data`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AnalysisLap {
    /// The lap's name, e.g. `Lap 1` (a number reads as text).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// The planned structure's step the lap matched, when it did.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_step_index: Field<i64>,
    /// E.g. `Active`, `Rest`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub intensity: Field<String>,
    /// What ended the lap, e.g. `Manual`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub lap_trigger: Field<String>,
    /// Average pace as the service writes it (unit in `columnMetadata`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub average_pace: Field<f64>,
    /// Every other column, kept (durations, distances and powers are read from here by the
    /// guessed [`lap_columns`]).
    #[serde(flatten)]
    pub rest: Rest,
}

impl AnalysisLap {
    /// A numeric column from `rest`, if readable.
    pub fn number(&self, column: &str) -> Option<f64> {
        self.rest
            .get(column)
            .and_then(float_of)
            .filter(|x| x.is_finite())
    }
}

/// The `laps` response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnalysisLaps {
    /// `columnMetadata`, kept as it came.
    pub columns: Value,
    /// `data`, rows that are not objects skipped.
    pub laps: Vec<AnalysisLap>,
}

impl AnalysisLaps {
    /// Reads a response leniently.
    pub fn from_json(raw: Value) -> Self {
        let laps = raw
            .get("data")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|r| r.is_object())
                    .filter_map(|r| crate::wire::read(r).ok())
                    .collect()
            })
            .unwrap_or_default();
        Self {
            columns: raw.get("columnMetadata").cloned().unwrap_or(Value::Null),
            laps,
        }
    }
}

impl TpClient {
    /// One analysis endpoint: `Ok(None)` for 404 (the workout cannot be analysed, e.g. a manual
    /// entry), the JSON otherwise.
    async fn analysis(&self, kind: &str, workout_id: i64) -> Result<Option<Value>, TpError> {
        let path = analysis_path(kind);
        let body = analysis_body(workout_id);
        match self
            .request_json_read(Method::Post, Api::Peaksware, &path, Some(&body))
            .await
        {
            Ok(v) => Ok(Some(v)),
            Err(TpError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `POST .../workout-analysis/v2/analyze/summary` `{workoutId}`; `None` when not analysable.
    ///
    /// # Errors
    /// [`TpError`] for a failed request other than 404.
    pub async fn analysis_summary(
        &self,
        workout_id: i64,
    ) -> Result<Option<AnalysisSummary>, TpError> {
        Ok(self
            .analysis("summary", workout_id)
            .await?
            .map(AnalysisSummary::from_json))
    }

    /// `POST .../workout-analysis/v2/analyze/charts` `{workoutId}`; `None` without a stream.
    ///
    /// # Errors
    /// [`TpError`] for a failed request other than 404.
    pub async fn analysis_charts(
        &self,
        workout_id: i64,
    ) -> Result<Option<AnalysisCharts>, TpError> {
        Ok(self
            .analysis("charts", workout_id)
            .await?
            .map(|v| AnalysisCharts::from_json(&v)))
    }

    /// `POST .../workout-analysis/v2/analyze/laps` `{workoutId}`; `None` when there are none.
    ///
    /// # Errors
    /// [`TpError`] for a failed request other than 404.
    pub async fn analysis_laps(&self, workout_id: i64) -> Result<Option<AnalysisLaps>, TpError> {
        Ok(self
            .analysis("laps", workout_id)
            .await?
            .map(AnalysisLaps::from_json))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_reads_numbers_strings_nulls_and_keeps_unknown_fields() {
        let s = AnalysisSummary::from_json(json!({
            "startTimestamp": "2026-11-19T07:30:00Z",
            "data": {
                "NormalizedPower": {"friendlyName": "Normalized Power", "value": "251.4",
                                    "unit": "W", "precision": 1},
                "TotalElapsedTime": {"friendlyName": "Elapsed", "value": 1200, "unit": "s"},
                "TotalDistance": {"friendlyName": "Distance", "value": null, "unit": "m"},
                "Tss2": {"friendlyName": "TSS", "value": 33.3},
                "Broken": "not an object",
                "Odd": {"friendlyName": "IF", "value": "abc"}
            },
            "somethingNew": [1, 2]
        }));
        assert_eq!(s.start_timestamp.as_deref(), Some("2026-11-19T07:30:00Z"));
        assert_eq!(s.find(summary_ids::NORMALIZED_POWER, &[]), Some(251.4));
        assert_eq!(s.find(summary_ids::TOTAL_ELAPSED_TIME, &[]), Some(1200.0));
        assert_eq!(s.find(summary_ids::TOTAL_DISTANCE, &["Distance"]), None);
        // Found by friendly name when the identifier is not ours.
        assert_eq!(s.find(summary_ids::TSS, &["TSS"]), Some(33.3));
        assert_eq!(s.find(summary_ids::INTENSITY_FACTOR, &["IF"]), None);
        assert!(!s.values.contains_key("Broken"));
        assert_eq!(
            s.values["NormalizedPower"].rest.get("precision"),
            Some(&json!(1))
        );
        assert_eq!(s.raw["somethingNew"], json!([1, 2]));
        // Not an object at all: empty, no panic.
        assert!(AnalysisSummary::from_json(json!([1])).values.is_empty());
        assert!(
            AnalysisSummary::from_json(json!({"data": null}))
                .values
                .is_empty()
        );
    }

    #[test]
    fn laps_read_ids_as_strings_or_numbers_and_keep_unknown_columns() {
        let l = AnalysisLaps::from_json(json!({
            "columnMetadata": {"AveragePace": {"unit": "min/km"}},
            "data": [
                {"Name": "Lap 1", "WorkoutStepIndex": "3", "Intensity": "Active",
                 "LapTrigger": "Manual", "AveragePace": 4.25, "Duration": "600", "Extra": true},
                {"Name": 2, "WorkoutStepIndex": 4, "AveragePace": null, "Duration": 300.5},
                {"Name": null, "WorkoutStepIndex": "x"},
                "junk"
            ]
        }));
        assert_eq!(l.laps.len(), 3);
        assert_eq!(l.laps[0].workout_step_index.val(), Some(3));
        assert_eq!(l.laps[0].number(lap_columns::DURATION), Some(600.0));
        assert_eq!(l.laps[0].rest.get("Extra"), Some(&json!(true)));
        assert_eq!(l.laps[1].name.get().map(String::as_str), Some("2"));
        assert_eq!(l.laps[1].workout_step_index.val(), Some(4));
        assert_eq!(l.laps[1].average_pace, Field::Null);
        assert_eq!(l.laps[1].number(lap_columns::DURATION), Some(300.5));
        assert_eq!(l.laps[2].workout_step_index.val(), None);
        assert_eq!(l.laps[2].name, Field::Null);
        assert_eq!(
            l.laps[2].workout_step_index,
            Field::Unreadable(Box::new(json!("x")))
        );
        assert_eq!(l.columns["AveragePace"]["unit"], json!("min/km"));
        assert!(AnalysisLaps::from_json(Value::Null).laps.is_empty());
    }

    #[test]
    fn charts_read_rows_with_gaps_and_strings() {
        let c = AnalysisCharts::from_json(&json!({
            "metadata": {
                "Power": {"friendlyName": "Power", "unit": "W", "minimum": 0, "maximum": "310",
                          "average": 240.5, "zones": [{"min": 0}], "colour": "#f0f"},
                "Bad": 7
            },
            "data": [{"Power": 200}, {"Power": null}, {"Power": "210"}, {}, 5]
        }));
        assert_eq!(
            c.series("Power"),
            vec![Some(200.0), None, Some(210.0), None]
        );
        assert_eq!(c.channels["Power"].maximum.val(), Some(310.0));
        assert_eq!(c.channels["Power"].rest.get("colour"), Some(&json!("#f0f")));
        assert!(!c.channels.contains_key("Bad"));
        assert!(c.series("HeartRate").iter().all(Option::is_none));
    }

    #[test]
    fn the_request_is_the_web_apps() {
        assert_eq!(
            analysis_path("summary"),
            "/workout-analysis/v2/analyze/summary"
        );
        assert_eq!(
            analysis_body(3_000_000_123),
            json!({"workoutId": 3_000_000_123_i64})
        );
    }
}
