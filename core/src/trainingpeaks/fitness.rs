//! Fitness: the performance-management chart, the annual training plan, personal records and
//! peaks (spec §6, §7).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Api, TpClient, TpError, from_value};
use crate::http::Method;

/// One day of the performance-management chart.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PmcDay {
    /// `YYYY-MM-DDT00:00:00`.
    pub workout_day: String,
    /// The day's summed TSS (null on rest days).
    #[serde(default)]
    pub tss_actual: Option<f64>,
    /// Chronic training load ("fitness").
    #[serde(default)]
    pub ctl: Option<f64>,
    /// Acute training load ("fatigue").
    #[serde(default)]
    pub atl: Option<f64>,
    /// Training stress balance ("form"): yesterday's CTL − ATL in TrainingPeaks.
    #[serde(default)]
    pub tsb: Option<f64>,
}

/// One week of the annual training plan.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AtpWeek {
    /// The week's start, ISO date-time.
    pub week: String,
    /// What `volume` measures (`"TSS"`).
    #[serde(default)]
    pub atp_type: Option<String>,
    /// The planned weekly volume (TSS when `atpType` is TSS).
    #[serde(default)]
    pub volume: Option<f64>,
    /// The training period, e.g. "Base 2", "Build 1", "Peak", "Race".
    #[serde(default)]
    pub period: Option<String>,
    /// The race that week, if any.
    #[serde(default)]
    pub race_name: Option<String>,
    /// `"A"`, `"B"`, `"C"` or `""`.
    #[serde(default)]
    pub race_priority: Option<String>,
    /// Weeks until the next priority event.
    #[serde(default)]
    pub weeks_to_next_priority_event: Option<i64>,
    /// Limiting factors by priority (`{"1": [...], ...}`), as sent.
    #[serde(default)]
    pub limiting_factors: Option<Value>,
}

/// One personal record (peak).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonalRecord {
    /// The workout it was set in.
    #[serde(default)]
    pub workout_id: Option<i64>,
    /// `YYYY-MM-DDT…`.
    #[serde(default)]
    pub workout_date: Option<String>,
    /// The workout's title.
    #[serde(default)]
    pub workout_title: Option<String>,
    /// The sport id of the workout.
    #[serde(default)]
    pub workout_type_id: Option<i64>,
    /// `"Power"`, `"HeartRate"` or `"Speed"`.
    #[serde(default)]
    pub class: Option<String>,
    /// The record type, e.g. `power20min`, `speed5K`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Watts, bpm or m/s by class.
    #[serde(default)]
    pub value: Option<f64>,
    /// 1 = best.
    #[serde(default)]
    pub rank: Option<i64>,
    /// `{name}` of the ranking window, e.g. "All Time".
    #[serde(default)]
    pub time_frame: Option<Value>,
    /// Whether the record was marked invalid.
    #[serde(default)]
    pub invalid: Option<bool>,
}

/// The records set in one workout.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkoutPrs {
    /// Whether TrainingPeaks is still computing peaks for the workout.
    pub calcs_pending: bool,
    /// The count TrainingPeaks reports.
    pub count: usize,
    /// The records.
    pub records: Vec<PersonalRecord>,
}

/// The sport of a peaks query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeakSport {
    /// `/Bike`.
    Bike,
    /// `/Run`.
    Run,
}

impl PeakSport {
    /// The path segment.
    pub fn segment(self) -> &'static str {
        match self {
            PeakSport::Bike => "Bike",
            PeakSport::Run => "Run",
        }
    }
}

impl TpClient {
    /// `POST /fitness/v1/athletes/{aid}/reporting/performancedata/{start}/{end}` with the
    /// standard constants (CTL 42 d, ATL 7 d, both starting at 0, all sports).
    pub async fn performance_data(
        &self,
        athlete_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<PmcDay>, TpError> {
        let path =
            format!("/fitness/v1/athletes/{athlete_id}/reporting/performancedata/{start}/{end}");
        let body = json!({"atlConstant": 7, "atlStart": 0, "ctlConstant": 42, "ctlStart": 0, "workoutTypes": []});
        let v = self
            .request_json_read(Method::Post, Api::Tp, &path, Some(&body))
            .await?;
        from_value(null_as_empty(v), &path)
    }

    /// `GET /fitness/v1/athletes/{aid}/atp/{start}/{end}`: weekly plan rows.
    pub async fn atp(
        &self,
        athlete_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<AtpWeek>, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/atp/{start}/{end}");
        let v = self.get_json(Api::Tp, &path).await?;
        from_value(null_as_empty(v), &path)
    }

    /// `GET /personalrecord/v2/athletes/{aid}/workouts/{wid}?displayPeaksForBasic=true`.
    ///
    /// The live response is an **object** `{calcsPending, workoutId, personalRecordCount,
    /// personalRecords[]}` (spec §7; the reference read it as an array — its bug). A bare array
    /// is still accepted, in case an older server version answers that way.
    pub async fn workout_prs(
        &self,
        athlete_id: i64,
        workout_id: i64,
    ) -> Result<WorkoutPrs, TpError> {
        let path = format!(
            "/personalrecord/v2/athletes/{athlete_id}/workouts/{workout_id}?displayPeaksForBasic=true"
        );
        let v = self.get_json(Api::Tp, &path).await.map_err(|e| match e {
            TpError::NotFound { method, path, .. } => TpError::NotFound {
                what: format!("Workout {workout_id} of athlete {athlete_id}"),
                method,
                path,
            },
            other => other,
        })?;
        match v {
            Value::Array(_) => {
                let records: Vec<PersonalRecord> = from_value(v, &path)?;
                Ok(WorkoutPrs {
                    calcs_pending: false,
                    count: records.len(),
                    records,
                })
            }
            Value::Object(ref o) => {
                let records: Vec<PersonalRecord> = from_value(
                    null_as_empty(o.get("personalRecords").cloned().unwrap_or(Value::Null)),
                    &path,
                )?;
                let count = o
                    .get("personalRecordCount")
                    .and_then(Value::as_u64)
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(records.len());
                let calcs_pending = o
                    .get("calcsPending")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                Ok(WorkoutPrs {
                    calcs_pending,
                    count,
                    records,
                })
            }
            Value::Null => Ok(WorkoutPrs::default()),
            _ => Err(TpError::Decode {
                path,
                message: "expected an object with personalRecords".into(),
            }),
        }
    }

    /// `GET /personalrecord/v2/athletes/{aid}/{Bike|Run}?prType=…&startDate=…&endDate=…`,
    /// best first. Dates are sent as `YYYY-MM-DDT00:00:00` (spec §3: JM/RGW; REF's bare dates
    /// are the less-proven form).
    pub async fn peaks(
        &self,
        athlete_id: i64,
        sport: PeakSport,
        pr_type: &str,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<PersonalRecord>, TpError> {
        let path = format!(
            "/personalrecord/v2/athletes/{athlete_id}/{}?prType={pr_type}&startDate={start}T00:00:00&endDate={end}T00:00:00",
            sport.segment()
        );
        let v = self.get_json(Api::Tp, &path).await?;
        from_value(null_as_empty(v), &path)
    }
}

fn null_as_empty(v: Value) -> Value {
    if v.is_null() {
        Value::Array(Vec::new())
    } else {
        v
    }
}
