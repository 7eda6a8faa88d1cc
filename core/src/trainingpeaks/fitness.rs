//! Fitness: the performance-management chart, the annual training plan, personal records and
//! peaks (spec §6, §7), read into tolerant wire structs (see `crate::wire`): every field is a
//! [`Field`], odd list entries are skipped, and only a row's own day is vital.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Api, TpClient, TpError, from_value};
use crate::http::Method;
use crate::wire::{Day, Field, LenientList, Rest};

/// One day of the performance-management chart. The day is vital: a row without a readable
/// `workoutDay` is left out (`pmc_rows`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PmcDay {
    /// The day (`YYYY-MM-DDT00:00:00` on the wire).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_day: Field<Day>,
    /// The day's summed TSS (null on rest days).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub tss_actual: Field<f64>,
    /// Chronic training load ("fitness").
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub ctl: Field<f64>,
    /// Acute training load ("fatigue").
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub atl: Field<f64>,
    /// Training stress balance ("form"): yesterday's CTL − ATL in TrainingPeaks.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub tsb: Field<f64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One week of the annual training plan. The week is vital: a row without a readable `week`
/// is left out (its period and volume would belong to no week).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AtpWeek {
    /// The week's start (ISO date-time on the wire).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub week: Field<Day>,
    /// What `volume` measures (`"TSS"`; an unknown kind is kept as sent).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub atp_type: Field<String>,
    /// The planned weekly volume (TSS when `atpType` is TSS).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub volume: Field<f64>,
    /// The training period, e.g. "Base 2", "Build 1", "Peak", "Race".
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub period: Field<String>,
    /// The race that week, if any.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub race_name: Field<String>,
    /// `"A"`, `"B"`, `"C"` or `""`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub race_priority: Field<String>,
    /// Weeks until the next priority event.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub weeks_to_next_priority_event: Field<i64>,
    /// Limiting factors by priority (`{"1": [...], ...}`), as sent.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub limiting_factors: Field<Value>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// The ranking window of a record, `{name}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TimeFrame {
    /// E.g. "All Time".
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One personal record (peak). Nothing in it is vital: a record whose value drifted is still
/// listed, with its value unknown.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PersonalRecord {
    /// The workout it was set in.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_id: Field<i64>,
    /// The workout's day.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_date: Field<Day>,
    /// The workout's title.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_title: Field<String>,
    /// The sport id of the workout.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_type_id: Field<i64>,
    /// `"Power"`, `"HeartRate"` or `"Speed"` (an unknown class is kept as sent).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub class: Field<String>,
    /// The record type, e.g. `power20min`, `speed5K`.
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub kind: Field<String>,
    /// Watts, bpm or m/s by class.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub value: Field<f64>,
    /// 1 = best.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub rank: Field<i64>,
    /// The ranking window, e.g. "All Time".
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub time_frame: Field<TimeFrame>,
    /// Whether the record was marked invalid.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub invalid: Field<bool>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// The response of the per-workout records request (spec §7).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkoutPrsResponse {
    /// Whether TrainingPeaks is still computing peaks for the workout.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub calcs_pending: Field<bool>,
    /// The workout.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_id: Field<i64>,
    /// How many records TrainingPeaks reports.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub personal_record_count: Field<i64>,
    /// The records (odd entries dropped).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub personal_records: Field<Vec<PersonalRecord>>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(
    PmcDay,
    AtpWeek,
    TimeFrame,
    PersonalRecord,
    WorkoutPrsResponse
);

impl PersonalRecord {
    /// The ranking window's name, if readable and non-empty.
    pub fn time_frame_name(&self) -> Option<String> {
        self.time_frame
            .get()
            .and_then(|t| t.name.get())
            .filter(|n| !n.trim().is_empty())
            .cloned()
    }
}

/// The records set in one workout.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkoutPrs {
    /// Whether TrainingPeaks is still computing peaks for the workout.
    pub calcs_pending: bool,
    /// The count TrainingPeaks reports (the records' number when it does not).
    pub count: usize,
    /// The records.
    pub records: Vec<PersonalRecord>,
}

/// Daily PMC rows of a performance-data response: odd rows and rows without a readable day
/// are left out; `null` reads as no rows.
pub(crate) fn pmc_rows(v: Value, path: &str) -> Result<Vec<PmcDay>, TpError> {
    let LenientList(rows) = from_value::<LenientList<PmcDay>>(v, path)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.workout_day.is_present())
        .collect())
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
        pmc_rows(v, &path)
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
        let LenientList(weeks) = from_value::<LenientList<AtpWeek>>(v, &path)?;
        Ok(weeks.into_iter().filter(|w| w.week.is_present()).collect())
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
            Value::Array(_) | Value::Null => {
                let LenientList(records) = from_value::<LenientList<PersonalRecord>>(v, &path)?;
                Ok(WorkoutPrs {
                    calcs_pending: false,
                    count: records.len(),
                    records,
                })
            }
            v @ Value::Object(_) => {
                let r: WorkoutPrsResponse = from_value(v, &path)?;
                let records = r.personal_records.into_option().unwrap_or_default();
                let count = r
                    .personal_record_count
                    .val()
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(records.len());
                Ok(WorkoutPrs {
                    calcs_pending: r.calcs_pending.val().unwrap_or(false),
                    count,
                    records,
                })
            }
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
            "/personalrecord/v2/athletes/{athlete_id}/{}?prType={pr_type}&startDate={}&endDate={}",
            sport.segment(),
            Day::midnight(start).as_str(),
            Day::midnight(end).as_str(),
        );
        let v = self.get_json(Api::Tp, &path).await?;
        let LenientList(records) = from_value::<LenientList<PersonalRecord>>(v, &path)?;
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drifted_rows_read_and_round_trip() {
        let v = json!([
            {"workoutDay": "2026-11-20T00:00:00", "ctl": "68.5", "atl": 70, "tsb": null, "zzNew": 1},
            {"ctl": 1.0},
            "odd",
            {"workoutDay": "2026-11-21", "tssActual": "12"}
        ]);
        let rows = pmc_rows(v, "/p").unwrap();
        assert_eq!(
            rows.len(),
            2,
            "the row without a day and the odd entry are left out"
        );
        assert_eq!(rows[0].ctl.val(), Some(68.5));
        assert_eq!(rows[0].atl.val(), Some(70.0));
        assert_eq!(rows[0].tsb, Field::Null);
        assert_eq!(rows[1].tss_actual.val(), Some(12.0));
        assert_eq!(serde_json::to_value(&rows[0]).unwrap()["zzNew"], 1);
        assert!(pmc_rows(Value::Null, "/p").unwrap().is_empty());
        assert!(pmc_rows(json!({"x": 1}), "/p").is_err());
    }

    #[test]
    fn atp_weeks_and_records_tolerate_drift() {
        let w: AtpWeek = serde_json::from_value(json!({
            "week": "2026-11-02T00:00:00", "volume": "510.0", "atpType": "zzUnheardOf",
            "weeksToNextPriorityEvent": 15.0, "limitingFactors": {"1": ["x"]}
        }))
        .unwrap();
        assert_eq!(w.volume.val(), Some(510.0));
        assert_eq!(w.weeks_to_next_priority_event.val(), Some(15));
        assert_eq!(w.atp_type.get().map(String::as_str), Some("zzUnheardOf"));

        let r: WorkoutPrsResponse = serde_json::from_value(json!({
            "calcsPending": "false", "personalRecordCount": "1",
            "personalRecords": [{"value": "401", "rank": 1.0, "type": "power20min",
                "timeFrame": {"name": "All Time"}, "workoutDate": "2026-11-20T00:00:00"}, 3]
        }))
        .unwrap();
        let recs = r.personal_records.get().unwrap();
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].value.val(), Some(401.0));
        assert_eq!(recs[0].rank.val(), Some(1));
        assert_eq!(recs[0].time_frame_name().as_deref(), Some("All Time"));
        assert_eq!(r.personal_record_count.val(), Some(1));
        let back = serde_json::to_value(&recs[0]).unwrap();
        assert_eq!(back["value"], json!(401.0));
    }
}
