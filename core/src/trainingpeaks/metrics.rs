//! Health metrics and nutrition (spec §8.3).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Api, TpClient, TpError};
use crate::http::Method;
use crate::wire::{Day, Field, Rest, Stamp, list_of};

/// One day (timestamp) of consolidated metrics.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricDay {
    /// The record id: a string in the reference's types, a number in captures, so kept as
    /// text (no tool needs it).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// The athlete.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athlete_id: Field<i64>,
    /// The day, `YYYY-MM-DDT00:00:00`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub time_stamp: Field<Day>,
    /// The measurements (entries that are not objects are dropped).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub details: Field<Vec<MetricDetail>>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One measurement.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricDetail {
    /// The metric type (9 weight, 5 pulse, 60 HRV, 6 sleep, 53 SpO2, 58 steps, 15 RMR,
    /// 23 injury).
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub kind: Field<i64>,
    /// The label TrainingPeaks shows.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub label: Field<String>,
    /// The value, in the type's unit.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub value: Field<f64>,
    /// When measured, `YYYY-MM-DDTHH:MM:SS`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub time: Field<Stamp>,
    /// Which app or device uploaded it.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub upload_client: Field<String>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One nutrition entry. Its format is not documented anywhere (spec §8.3); these are the
/// fields a MyFitnessPal-type sync is expected to carry, and everything else is kept.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NutritionEntry {
    /// The day (`nutritionDate`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub nutrition_date: Field<Day>,
    /// The day, under another name some payloads use.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub date: Field<Day>,
    /// Energy, kcal.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub calories: Field<f64>,
    /// Carbohydrates, g.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub carbohydrates: Field<f64>,
    /// Protein, g.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub protein: Field<f64>,
    /// Fat, g.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub fat: Field<f64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(MetricDay, MetricDetail, NutritionEntry);

impl MetricDay {
    /// The measurements (none when the list is missing or unreadable).
    pub fn details(&self) -> &[MetricDetail] {
        self.details.get().map_or(&[], Vec::as_slice)
    }
}

impl NutritionEntry {
    /// The entry's day, under whichever name it came.
    pub fn day(&self) -> Option<NaiveDate> {
        self.nutrition_date
            .get()
            .or_else(|| self.date.get())
            .map(Day::date)
    }
}

impl TpClient {
    /// `GET /metrics/v3/athletes/{aid}/consolidatedtimedmetrics/{start}/{end}` (plural).
    pub async fn metrics(
        &self,
        athlete_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<MetricDay>, TpError> {
        let path =
            format!("/metrics/v3/athletes/{athlete_id}/consolidatedtimedmetrics/{start}/{end}");
        // One odd day must not hide the others: unreadable entries are skipped.
        Ok(list_of(self.get_json(Api::Tp, &path).await?))
    }

    /// `POST /metrics/v3/athletes/{aid}/consolidatedtimedmetric` (singular) with the body
    /// built by the `log_metrics` tool (spec §8.3 shape). Returns the server's answer.
    pub async fn log_metric(&self, athlete_id: i64, body: &Value) -> Result<Value, TpError> {
        let path = format!("/metrics/v3/athletes/{athlete_id}/consolidatedtimedmetric");
        self.request_json(Method::Post, Api::Tp, &path, Some(body))
            .await
    }

    /// `GET /fitness/v1/athletes/{aid}/nutrition/{start}/{end}` (its format is not documented
    /// anywhere; spec §8.3): entries that are not objects are skipped.
    pub async fn nutrition(
        &self,
        athlete_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<NutritionEntry>, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/nutrition/{start}/{end}");
        match self.get_json(Api::Tp, &path).await? {
            Value::Null => Ok(Vec::new()),
            v @ Value::Array(_) => Ok(list_of(v)),
            _ => Err(TpError::Decode {
                path,
                message: "expected an array".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Issue 8 §2: the record id is a string in the reference's types.
    #[test]
    fn drifted_metric_day_reads_and_round_trips() {
        let raw = json!([
            {"id": "3000000739", "athleteId": "4812345", "timeStamp": "2026-11-20T00:00:00",
             "details": [{"type": "9", "value": "63.4", "label": "Weight", "time": "2026-11-20T06:45:00",
                          "uploadClient": null, "zzNew": 1}, 7],
             "zzNewTop": {"a": 1}},
            "junk",
            {"id": 5.0, "timeStamp": "2026-11-21", "details": null}
        ]);
        let days: Vec<MetricDay> = list_of(raw.clone());
        assert_eq!(days.len(), 2, "the non-object day is skipped");
        assert_eq!(days[0].id.get().map(String::as_str), Some("3000000739"));
        assert_eq!(
            days[0].time_stamp.get().map(Day::to_string).as_deref(),
            Some("2026-11-20")
        );
        let d = &days[0].details()[0];
        assert_eq!((d.kind.val(), d.value.val()), (Some(9), Some(63.4)));
        assert_eq!(d.upload_client, Field::Null);
        assert_eq!(days[1].id.get().map(String::as_str), Some("5.0"));
        assert!(days[1].details().is_empty());
        let back = serde_json::to_value(&days[0]).unwrap();
        assert_eq!(back["zzNewTop"], raw[0]["zzNewTop"]);
        assert_eq!(back["details"][0]["zzNew"], 1);
    }

    #[test]
    fn nutrition_entry_keeps_what_it_does_not_model() {
        let e: NutritionEntry = serde_json::from_value(
            json!({"nutritionDate": "2026-11-20T00:00:00", "calories": "2400", "source": "MyFitnessPal"}),
        )
        .unwrap();
        assert_eq!(e.day(), NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(e.calories.val(), Some(2400.0));
        assert_eq!(e.rest["source"], "MyFitnessPal");
    }
}
