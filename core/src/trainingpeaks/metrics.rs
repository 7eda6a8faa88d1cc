//! Health metrics and nutrition (spec §8.3).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

use super::{Api, TpClient, TpError, from_value};
use crate::http::Method;

/// One day (timestamp) of consolidated metrics.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricDay {
    /// The record id.
    #[serde(default)]
    pub id: Option<i64>,
    /// `YYYY-MM-DDT…`.
    #[serde(default)]
    pub time_stamp: Option<String>,
    /// The measurements.
    #[serde(default)]
    pub details: Vec<MetricDetail>,
}

/// One measurement.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricDetail {
    /// The metric type (9 weight, 5 pulse, 60 HRV, 6 sleep, 53 SpO2, 58 steps, 15 RMR,
    /// 23 injury).
    #[serde(default, rename = "type")]
    pub kind: Option<i64>,
    /// The label TrainingPeaks shows.
    #[serde(default)]
    pub label: Option<String>,
    /// The value, in the type's unit.
    #[serde(default)]
    pub value: Option<f64>,
    /// `YYYY-MM-DDTHH:MM:SS`.
    #[serde(default)]
    pub time: Option<String>,
    /// Which app or device uploaded it.
    #[serde(default)]
    pub upload_client: Option<String>,
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
        match self.get_json(Api::Tp, &path).await? {
            Value::Null => Ok(Vec::new()),
            v => from_value(v, &path),
        }
    }

    /// `POST /metrics/v3/athletes/{aid}/consolidatedtimedmetric` (singular) with the body
    /// built by the `log_metrics` tool (spec §8.3 shape). Returns the server's answer.
    pub async fn log_metric(&self, athlete_id: i64, body: &Value) -> Result<Value, TpError> {
        let path = format!("/metrics/v3/athletes/{athlete_id}/consolidatedtimedmetric");
        self.request_json(Method::Post, Api::Tp, &path, Some(body))
            .await
    }

    /// `GET /fitness/v1/athletes/{aid}/nutrition/{start}/{end}`: the raw array (its format is
    /// not documented anywhere; spec §8.3).
    pub async fn nutrition(
        &self,
        athlete_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Value>, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/nutrition/{start}/{end}");
        match self.get_json(Api::Tp, &path).await? {
            Value::Null => Ok(Vec::new()),
            Value::Array(a) => Ok(a),
            _ => Err(TpError::Decode {
                path,
                message: "expected an array".into(),
            }),
        }
    }
}
