//! Structured strength workouts on `api.peakswaresb.com` (`/rx/activity/v1`, spec §11).
//!
//! Every response is wrapped as `{ data, errors }`; a non-empty `errors` is a failure even on
//! HTTP 200. Strength workouts never appear in `/fitness/v6` workout lists.

use serde::Deserialize;
use serde_json::Value;

use super::{Api, TpClient, TpError, from_value};
use crate::http::Method;

/// `GET /rx/activity/v1/workouts/{id}/summary` → `data`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StrengthSummary {
    /// Workout id (numeric string).
    #[serde(default, deserialize_with = "id_string")]
    pub id: String,
    /// `StructuredStrength`.
    #[serde(default)]
    pub workout_type: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Prescribed date (`YYYY-MM-DD` or `YYYY-MM-DDT00:00:00`).
    #[serde(default)]
    pub prescribed_date: Option<String>,
    /// The athlete id.
    #[serde(default)]
    pub calendar_id: Option<i64>,
    /// Blocks in total.
    #[serde(default)]
    pub total_blocks: Option<i64>,
    /// Blocks completed.
    #[serde(default)]
    pub completed_blocks: Option<i64>,
    /// Prescriptions (exercises) in total.
    #[serde(default)]
    pub total_prescriptions: Option<i64>,
    /// Prescriptions completed.
    #[serde(default)]
    pub completed_prescriptions: Option<i64>,
    /// Sets in total.
    #[serde(default)]
    pub total_sets: Option<i64>,
    /// Sets completed.
    #[serde(default)]
    pub completed_sets: Option<i64>,
    /// Compliance, percent.
    #[serde(default)]
    pub compliance_percent: Option<f64>,
    /// Session RPE 1–10.
    #[serde(default)]
    pub rpe: Option<f64>,
    /// Feel 1–5.
    #[serde(default)]
    pub feel: Option<f64>,
    /// Per-exercise compliance.
    #[serde(default)]
    pub sequence_summary: Vec<SequenceSummary>,
    /// Planned duration, seconds.
    #[serde(default)]
    pub prescribed_duration_in_seconds: Option<f64>,
    /// Actual duration, seconds.
    #[serde(default)]
    pub executed_duration_in_seconds: Option<f64>,
}

/// One entry of `sequenceSummary`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SequenceSummary {
    /// 1-based order.
    #[serde(default)]
    pub sequence_order: Option<i64>,
    /// Exercise or block title.
    #[serde(default)]
    pub title: Option<String>,
    /// Compliance, percent.
    #[serde(default)]
    pub compliance_percent: Option<f64>,
}

/// Accepts a numeric or string id (the server returns numeric strings; new docs carry UUIDs).
fn id_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    })
}

/// Unwraps `{ data, errors }`: non-empty `errors` is a failure (spec §11).
fn unwrap_data(v: Value, method: Method, path: &str) -> Result<Value, TpError> {
    let errors_present = match v.get("errors") {
        None | Some(Value::Null) => false,
        Some(Value::Object(m)) => !m.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    };
    if errors_present {
        let errors = v.get("errors").map(Value::to_string).unwrap_or_default();
        return Err(TpError::Status {
            status: 200,
            method,
            path: path.to_string(),
            body: errors,
        });
    }
    match v.get("data") {
        Some(d) if !d.is_null() => Ok(d.clone()),
        _ => Err(TpError::Decode {
            path: path.to_string(),
            message: "missing `data` in {data, errors}".into(),
        }),
    }
}

fn strength_404(e: TpError, id: &str) -> TpError {
    match e {
        TpError::NotFound { method, path, .. } => TpError::NotFound {
            what: format!("Strength workout {id}"),
            method,
            path,
        },
        other => other,
    }
}

impl TpClient {
    /// Saves (creates or updates) a whole strength workout document:
    /// `POST /rx/activity/v1/workouts/save`. Returns the saved document (`data`), whose `id`
    /// is the server's numeric string id.
    pub async fn save_strength_workout(&self, doc: &Value) -> Result<Value, TpError> {
        let path = "/rx/activity/v1/workouts/save";
        let v = self
            .request_json(Method::Post, Api::Peaksware, path, Some(doc))
            .await?;
        unwrap_data(v, Method::Post, path)
    }

    /// The full strength document (`GET /rx/activity/v1/workouts/{id}` → `data`).
    pub async fn strength_workout(&self, id: &str) -> Result<Value, TpError> {
        let path = format!("/rx/activity/v1/workouts/{id}");
        let v = self
            .get_json(Api::Peaksware, &path)
            .await
            .map_err(|e| strength_404(e, id))?;
        unwrap_data(v, Method::Get, &path)
    }

    /// A strength workout's summary (`GET /rx/activity/v1/workouts/{id}/summary` → `data`).
    pub async fn strength_summary(&self, id: &str) -> Result<StrengthSummary, TpError> {
        let path = format!("/rx/activity/v1/workouts/{id}/summary");
        let v = self
            .get_json(Api::Peaksware, &path)
            .await
            .map_err(|e| strength_404(e, id))?;
        let data = unwrap_data(v, Method::Get, &path)?;
        from_value(data, &path)
    }
}
