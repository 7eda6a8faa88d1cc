//! Structured strength workouts on `api.peakswaresb.com` (`/rx/activity/v1`, spec §11).
//!
//! Every response is wrapped as `{ data, errors }`; a non-empty `errors` is a failure even on
//! HTTP 200. Strength workouts never appear in `/fitness/v6` workout lists.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Api, TpClient, TpError, from_value};
use crate::http::Method;
use crate::wire::{Day, Field, Rest};

/// One strength parameter as the web app describes it in a prescription's `parameters[]`
/// (and, with id `"0"`, in `exercise.parameters[]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrengthParam {
    /// The wire name the server keys on, e.g. `WeightPerSideKg`.
    pub name: &'static str,
    /// `title`, e.g. `Weight/side kg`.
    pub title: &'static str,
    /// `unit.title`, e.g. `Kilograms`.
    pub unit_title: &'static str,
    /// `unit.abbreviation`, e.g. `kg` (empty for counts).
    pub abbreviation: &'static str,
    /// `unit.unit`, e.g. `Kilograms`.
    pub unit: &'static str,
    /// `category`, e.g. `Weight/side`.
    pub category: &'static str,
    /// Whether values are whole numbers (`inputFormat` `Integer`, else `Decimal`).
    pub integer: bool,
}

const fn param(
    name: &'static str,
    title: &'static str,
    unit_title: &'static str,
    abbreviation: &'static str,
    unit: &'static str,
    category: &'static str,
    integer: bool,
) -> StrengthParam {
    StrengthParam {
        name,
        title,
        unit_title,
        abbreviation,
        unit,
        category,
        integer,
    }
}

/// The 21 parameters with the metadata the reference server sends (its table is the only
/// request shape known to have worked against the live service; issue 8 §2). The server keys
/// on `parameter`; the rest is what the web app shows, so it is kept exactly as captured.
pub const STRENGTH_PARAMS: [StrengthParam; 21] = [
    param("Reps", "Reps", "Reps", "", "Reps", "Reps", true),
    param(
        "RepsPerSide",
        "Reps/side",
        "Reps",
        "",
        "Reps",
        "Reps/side",
        true,
    ),
    param(
        "WeightKg",
        "Weight kg",
        "Kilograms",
        "kg",
        "Kilograms",
        "Weight",
        false,
    ),
    param(
        "WeightLb",
        "Weight lb",
        "Pounds",
        "lb",
        "Pounds",
        "Weight",
        false,
    ),
    param(
        "WeightPerSideKg",
        "Weight/side kg",
        "Kilograms",
        "kg",
        "Kilograms",
        "Weight/side",
        false,
    ),
    param(
        "WeightPerSideLb",
        "Weight/side lb",
        "Pounds",
        "lb",
        "Pounds",
        "Weight/side",
        false,
    ),
    param(
        "WeightPercentage",
        "Weight %",
        "Percent",
        "%",
        "Percent",
        "Weight",
        false,
    ),
    param(
        "Duration",
        "Duration (s)",
        "Seconds",
        "s",
        "Seconds",
        "Duration",
        true,
    ),
    param(
        "DistanceMeters",
        "Distance (m)",
        "Meters",
        "m",
        "Meters",
        "Distance",
        false,
    ),
    param(
        "DistanceKm",
        "Distance (km)",
        "Kilometers",
        "km",
        "Kilometers",
        "Distance",
        false,
    ),
    param(
        "DistanceFt",
        "Distance (ft)",
        "Feet",
        "ft",
        "Feet",
        "Distance",
        false,
    ),
    param(
        "DistanceYd",
        "Distance (yd)",
        "Yards",
        "yd",
        "Yards",
        "Distance",
        false,
    ),
    param(
        "DistanceMiles",
        "Distance (mi)",
        "Miles",
        "mi",
        "Miles",
        "Distance",
        false,
    ),
    param(
        "HeightCm",
        "Height (cm)",
        "Centimeters",
        "cm",
        "Centimeters",
        "Height",
        false,
    ),
    param(
        "HeightM",
        "Height (m)",
        "Meters",
        "m",
        "Meters",
        "Height",
        false,
    ),
    param(
        "HeightIn",
        "Height (in)",
        "Inches",
        "in",
        "Inches",
        "Height",
        false,
    ),
    param(
        "HeightFt",
        "Height (ft)",
        "Feet",
        "ft",
        "Feet",
        "Height",
        false,
    ),
    param("RPE", "RPE", "RPE", "", "RPE", "Effort", true),
    param(
        "Cals", "Calories", "Calories", "cal", "Calories", "Energy", true,
    ),
    param("Watts", "Watts", "Watts", "W", "Watts", "Power", false),
    param(
        "VelocityMetersPerSec",
        "Velocity (m/s)",
        "Meters per second",
        "m/s",
        "MetersPerSecond",
        "Velocity",
        false,
    ),
];

/// The table row of a parameter name.
pub fn strength_param(name: &str) -> Option<&'static StrengthParam> {
    STRENGTH_PARAMS.iter().find(|p| p.name == name)
}

impl StrengthParam {
    /// The `{parameter, title, unit:{title, abbreviation, unit}, category, id}` object.
    pub fn to_wire(&self, id: &str) -> Value {
        serde_json::json!({
            "parameter": self.name,
            "title": self.title,
            "unit": {"title": self.unit_title, "abbreviation": self.abbreviation, "unit": self.unit},
            "category": self.category,
            "id": id,
        })
    }
}

/// `GET /rx/activity/v1/workouts/{id}/summary` → `data`. Every field may drift; only the id is
/// worth insisting on, and the tool falls back to the id it asked for.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StrengthSummary {
    /// Workout id (a numeric string; new documents carry UUIDs).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// `StructuredStrength`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_type: Field<String>,
    /// Title.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub title: Field<String>,
    /// Prescribed date (`YYYY-MM-DD` or `YYYY-MM-DDT00:00:00`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub prescribed_date: Field<Day>,
    /// The athlete id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub calendar_id: Field<i64>,
    /// Blocks in total.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub total_blocks: Field<i64>,
    /// Blocks completed.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub completed_blocks: Field<i64>,
    /// Prescriptions (exercises) in total.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub total_prescriptions: Field<i64>,
    /// Prescriptions completed.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub completed_prescriptions: Field<i64>,
    /// Sets in total.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub total_sets: Field<i64>,
    /// Sets completed.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub completed_sets: Field<i64>,
    /// Compliance, percent.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub compliance_percent: Field<f64>,
    /// Session RPE 1–10.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub rpe: Field<f64>,
    /// Feel 1–5.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub feel: Field<f64>,
    /// Per-exercise compliance (entries that are not objects are dropped).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub sequence_summary: Field<Vec<SequenceSummary>>,
    /// Planned duration, seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub prescribed_duration_in_seconds: Field<f64>,
    /// Actual duration, seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub executed_duration_in_seconds: Field<f64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One entry of `sequenceSummary`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SequenceSummary {
    /// The position label: a string in the reference's types, a number (`1`) or a letter
    /// (`"A"`, for supersets) on the wire, so it is kept as text.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub sequence_order: Field<String>,
    /// Exercise or block title.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub title: Field<String>,
    /// Compliance, percent.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub compliance_percent: Field<f64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// The saved document (`POST .../save` → `data`). Only the id is read; the rest is kept so a
/// caller could send it back whole.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StrengthWorkout {
    /// The server's id (a numeric string once saved).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// The athlete id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub calendar_id: Field<i64>,
    /// Title.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub title: Field<String>,
    /// Prescribed date.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub prescribed_date: Field<Day>,
    /// Everything else (blocks, snapshot, …), kept verbatim.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(StrengthSummary, SequenceSummary, StrengthWorkout);

/// The `{ data, errors }` envelope.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Envelope {
    data: Field<Value>,
    errors: Field<Value>,
}

/// Reads `{ data, errors }`: non-empty `errors` is a failure (spec §11). A read that came
/// back with its `data` is answered from it whatever `errors` holds (it changed nothing, and
/// an `errors` entry we cannot interpret must not hide what was read); a write with non-empty
/// `errors` always fails. `None`: no errors, but no `data` either.
fn envelope_data(v: Value, method: Method, path: &str) -> Result<Option<Value>, TpError> {
    let env: Envelope = from_value(v, path)?;
    if method == Method::Get
        && let Field::Present(d) = &env.data
        && !d.is_null()
    {
        return Ok(Some(d.clone()));
    }
    let errors_present = match &env.errors {
        Field::Absent | Field::Null => false,
        Field::Present(Value::Object(m)) => !m.is_empty(),
        Field::Present(Value::Array(a)) => !a.is_empty(),
        Field::Present(_) | Field::Unreadable(_) => true,
    };
    if errors_present {
        let errors = env.errors.get().map(Value::to_string).unwrap_or_default();
        return Err(TpError::Status {
            status: 200,
            method,
            path: path.to_string(),
            body: errors,
        });
    }
    Ok(env.data.into_option().filter(|d| !d.is_null()))
}

/// [`envelope_data`], with a missing `data` as a decode error.
fn unwrap_data(v: Value, method: Method, path: &str) -> Result<Value, TpError> {
    envelope_data(v, method, path)?.ok_or_else(|| missing_data(path))
}

fn missing_data(path: &str) -> TpError {
    TpError::Decode {
        path: path.to_string(),
        message: "missing `data` in {data, errors}".into(),
    }
}

/// A block of a strength document, as far as a summary needs it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct DocBlock {
    title: Field<String>,
    prescriptions: Field<Vec<DocPrescription>>,
}

/// A prescription (one exercise and its sets) of a block.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct DocPrescription {
    exercise: Field<DocExercise>,
    compliance_percent: Field<f64>,
}

/// The exercise a prescription names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct DocExercise {
    title: Field<String>,
}

crate::lenient_struct!(DocBlock, DocPrescription, DocExercise);

/// The parts of a document a summary is made of beyond its top-level fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DocParts {
    snapshot: Field<StrengthSummary>,
    blocks: Field<Vec<DocBlock>>,
}

impl StrengthSummary {
    /// The summary of a full document (`GET /rx/activity/v1/workouts/{id}` → `data`): the
    /// document carries the same top-level fields under the same names, the totals in
    /// `snapshot`, and one sequence entry per prescription, numbered from 1.
    pub fn from_document(doc: &Value) -> Self {
        let mut s: StrengthSummary = crate::wire::read(doc).unwrap_or_default();
        s.rest.clear();
        let parts: DocParts = crate::wire::read(doc).unwrap_or_default();
        if let Some(snap) = parts.snapshot.get() {
            s.total_blocks = snap.total_blocks.clone();
            s.completed_blocks = snap.completed_blocks.clone();
            s.total_prescriptions = snap.total_prescriptions.clone();
            s.completed_prescriptions = snap.completed_prescriptions.clone();
            s.total_sets = snap.total_sets.clone();
            s.completed_sets = snap.completed_sets.clone();
        }
        let mut seq = Vec::new();
        for b in parts.blocks.get().map_or(&[][..], Vec::as_slice) {
            for p in b.prescriptions.get().map_or(&[][..], Vec::as_slice) {
                let title = p
                    .exercise
                    .get()
                    .and_then(|e| e.title.get())
                    .or_else(|| b.title.get())
                    .cloned();
                seq.push(SequenceSummary {
                    sequence_order: Field::Present((seq.len() + 1).to_string()),
                    title: title.into(),
                    compliance_percent: p.compliance_percent.clone(),
                    rest: Rest::new(),
                });
            }
        }
        s.sequence_summary = Field::Present(seq);
        s
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
    pub async fn save_strength_workout(&self, doc: &Value) -> Result<StrengthWorkout, TpError> {
        let path = "/rx/activity/v1/workouts/save";
        let v = self
            .request_json(Method::Post, Api::Peaksware, path, Some(doc))
            .await?;
        from_value(unwrap_data(v, Method::Post, path)?, path)
    }

    /// The full strength document (`GET /rx/activity/v1/workouts/{id}` → `data`).
    pub async fn strength_workout(&self, id: &str) -> Result<StrengthWorkout, TpError> {
        let path = format!("/rx/activity/v1/workouts/{id}");
        let v = self
            .get_json(Api::Peaksware, &path)
            .await
            .map_err(|e| strength_404(e, id))?;
        from_value(unwrap_data(v, Method::Get, &path)?, &path)
    }

    /// A strength workout's summary (`GET /rx/activity/v1/workouts/{id}/summary` → `data`).
    pub async fn strength_summary(&self, id: &str) -> Result<StrengthSummary, TpError> {
        let path = format!("/rx/activity/v1/workouts/{id}/summary");
        let v = self
            .get_json(Api::Peaksware, &path)
            .await
            .map_err(|e| strength_404(e, id))?;
        match envelope_data(v, Method::Get, &path)? {
            Some(data) => from_value(data, &path),
            // The summary came without its data: build it from the document, which holds
            // the same facts, before giving up.
            None => {
                let doc_path = format!("/rx/activity/v1/workouts/{id}");
                let doc = self
                    .get_json(Api::Peaksware, &doc_path)
                    .await
                    .map_err(|e| strength_404(e, id))?;
                match envelope_data(doc, Method::Get, &doc_path)? {
                    Some(doc) => Ok(StrengthSummary::from_document(&doc)),
                    None => Err(missing_data(&path)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn drifted_summary_reads_and_keeps_unknown_fields() {
        let raw = json!({"id": 19400001, "title": null, "prescribedDate": "2026-11-19T00:00:00Z",
            "totalSets": "6", "completedSets": 6.0, "compliancePercent": "100", "rpe": {"odd": 1},
            "sequenceSummary": [{"sequenceOrder": "A", "title": "Squat", "compliancePercent": "50"},
                                {"sequenceOrder": 2, "title": "Row"}, "junk"],
            "zzNew": [1]});
        let s: StrengthSummary = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(s.id.get().map(String::as_str), Some("19400001"));
        assert_eq!(s.title, Field::Null);
        assert_eq!(
            s.prescribed_date.get().map(|d| d.to_string()).as_deref(),
            Some("2026-11-19")
        );
        assert_eq!(
            (s.total_sets.val(), s.completed_sets.val()),
            (Some(6), Some(6))
        );
        assert_eq!(s.rpe.val(), None);
        let seq = s.sequence_summary.get().unwrap();
        assert_eq!(
            seq.len(),
            2,
            "the non-object entry is dropped, the others kept"
        );
        assert_eq!(seq[0].sequence_order.get().map(String::as_str), Some("A"));
        assert_eq!(seq[1].sequence_order.get().map(String::as_str), Some("2"));
        let back = serde_json::to_value(&s).unwrap();
        assert_eq!(back["zzNew"], json!([1]));
        assert_eq!(
            back["rpe"],
            json!({"odd": 1}),
            "unreadable values go back unchanged"
        );
    }

    #[test]
    fn saved_workout_without_an_id_names_it() {
        let w: StrengthWorkout =
            serde_json::from_value(json!({"title": "T", "blocks": []})).unwrap();
        let e = w.id.require("strength workout", "id").unwrap_err();
        assert!(
            e.to_string().contains("`id`") && e.to_string().contains("no such field"),
            "{e}"
        );
        assert_eq!(serde_json::to_value(&w).unwrap()["blocks"], json!([]));
    }

    #[test]
    fn envelope_errors_fail_and_data_is_unwrapped() {
        let ok = unwrap_data(
            json!({"data": {"id": "1"}, "errors": {}}),
            Method::Get,
            "/p",
        )
        .unwrap();
        assert_eq!(ok, json!({"id": "1"}));
        let e = unwrap_data(
            json!({"data": null, "errors": {"x": ["bad"]}}),
            Method::Post,
            "/p",
        );
        assert!(
            matches!(e, Err(TpError::Status { status: 200, .. })),
            "{e:?}"
        );
        let e = unwrap_data(
            json!({"data": {"id": "1"}, "errors": {"x": ["bad"]}}),
            Method::Post,
            "/p",
        );
        assert!(e.is_err(), "a write with errors fails even with data");
        let e = unwrap_data(
            json!({"data": null, "errors": {"x": ["bad"]}}),
            Method::Get,
            "/p",
        );
        assert!(
            matches!(e, Err(TpError::Status { status: 200, .. })),
            "{e:?}"
        );
        let ok = unwrap_data(
            json!({"data": {"id": "1"}, "errors": {"zzNew": 1}}),
            Method::Get,
            "/p",
        );
        assert_eq!(ok.unwrap(), json!({"id": "1"}), "a read keeps what it read");
        assert!(unwrap_data(json!({"errors": null}), Method::Get, "/p").is_err());
    }

    #[test]
    fn summary_from_a_document() {
        let doc = json!({"id": "7", "title": "Legs", "prescribedDate": "2026-11-19", "rpe": 7,
        "compliancePercent": 50, "executedDurationInSeconds": "2940",
        "snapshot": {"totalSets": 4, "completedSets": "2", "totalPrescriptions": 2},
        "blocks": [
            {"title": "Superset", "prescriptions": [
                {"exercise": {"title": "Squat"}, "compliancePercent": 100},
                {"exercise": null, "compliancePercent": 0}]},
            "junk"
        ]});
        let s = StrengthSummary::from_document(&doc);
        assert_eq!(s.id.get().map(String::as_str), Some("7"));
        assert_eq!(
            (s.total_sets.val(), s.completed_sets.val()),
            (Some(4), Some(2))
        );
        assert_eq!(s.executed_duration_in_seconds.val(), Some(2940.0));
        assert!(
            s.rest.is_empty(),
            "blocks and snapshot are not summary fields"
        );
        let seq = s.sequence_summary.get().unwrap();
        let got: Vec<(Option<&str>, Option<&str>, Option<f64>)> = seq
            .iter()
            .map(|q| {
                (
                    q.sequence_order.get().map(String::as_str),
                    q.title.get().map(String::as_str),
                    q.compliance_percent.val(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some("1"), Some("Squat"), Some(100.0)),
                (Some("2"), Some("Superset"), Some(0.0))
            ]
        );
    }

    #[test]
    fn parameter_table_has_every_name_once() {
        for (i, p) in STRENGTH_PARAMS.iter().enumerate() {
            assert_eq!(
                strength_param(p.name),
                Some(&STRENGTH_PARAMS[i]),
                "{}",
                p.name
            );
        }
        let integers: Vec<&str> = STRENGTH_PARAMS
            .iter()
            .filter(|p| p.integer)
            .map(|p| p.name)
            .collect();
        assert_eq!(integers, ["Reps", "RepsPerSide", "Duration", "RPE", "Cals"]);
    }
}
