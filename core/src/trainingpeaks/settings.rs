//! Athlete settings, zone sets, pool length, weather and nutrition settings (spec §8.1).
//!
//! Settings are kept as JSON [`Value`]s end to end: a zone PUT replaces **every** set of its
//! kind, so any field we do not model (`calculationMethod`, `zoneCalculatorId`, `distance`,
//! fields TrainingPeaks adds later) must travel back untouched. Typed views for display are
//! read out of the values with the helpers below.

use serde_json::{Map, Value, json};

use super::{Api, TpClient, TpError};
use crate::http::Method;
use crate::zones::Zone;

/// The three kinds of zone sets in athlete settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneKind {
    /// Power zones, watts (`powerZones`, PUT `powerzones`).
    Power,
    /// Heart-rate zones, bpm (`heartRateZones`, PUT `heartratezones`).
    HeartRate,
    /// Speed zones, m/s (`speedZones`, PUT `speedzones`).
    Speed,
}

impl ZoneKind {
    /// The key of this kind's array in the settings object.
    pub fn settings_key(self) -> &'static str {
        match self {
            ZoneKind::Power => "powerZones",
            ZoneKind::HeartRate => "heartRateZones",
            ZoneKind::Speed => "speedZones",
        }
    }

    /// The path segment of this kind's PUT endpoint.
    pub fn path_segment(self) -> &'static str {
        match self {
            ZoneKind::Power => "powerzones",
            ZoneKind::HeartRate => "heartratezones",
            ZoneKind::Speed => "speedzones",
        }
    }
}

impl TpClient {
    /// `GET /fitness/v1/athletes/{aid}/settings`: thresholds, zone sets, profile, nutrition.
    pub async fn athlete_settings(&self, athlete_id: i64) -> Result<Value, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/settings");
        let v = self
            .get_json(Api::Tp, &path)
            .await
            .map_err(|e| not_found_as(e, athlete_id))?;
        if !v.is_object() {
            return Err(TpError::Decode {
                path,
                message: "expected a settings object".into(),
            });
        }
        Ok(v)
    }

    /// `PUT /fitness/v2/athletes/{aid}/{powerzones|heartratezones|speedzones}` with the
    /// **full** array of sets of that kind, each carrying `currentUserId` = the athlete id
    /// (spec §8.1: every set in a zone PUT carries it; TrainingPeaks does not recompute bands
    /// itself, so the sets must already hold the recomputed zones). Answers 204.
    pub async fn put_zone_sets(
        &self,
        athlete_id: i64,
        kind: ZoneKind,
        sets: &[Value],
    ) -> Result<(), TpError> {
        let path = format!("/fitness/v2/athletes/{athlete_id}/{}", kind.path_segment());
        let body = Value::Array(
            sets.iter()
                .map(|s| {
                    let mut s = s.clone();
                    if let Some(o) = s.as_object_mut() {
                        o.insert("currentUserId".into(), json!(athlete_id));
                    }
                    s
                })
                .collect(),
        );
        self.request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await?;
        Ok(())
    }

    /// `GET /fitness/v1/athletes/{aid}/poollengthsettings`.
    pub async fn pool_length_settings(&self, athlete_id: i64) -> Result<Value, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/poollengthsettings");
        self.get_json(Api::Tp, &path)
            .await
            .map_err(|e| not_found_as(e, athlete_id))
    }

    /// `GET https://api.peakswaresb.com/weather/v1/settings` (the signed-in user's; the
    /// endpoint takes no athlete id).
    pub async fn weather_settings(&self) -> Result<Value, TpError> {
        self.get_json(Api::Peaksware, "/weather/v1/settings").await
    }

    /// `POST /fitness/v1/athletes/{aid}/nutritionsettings` with
    /// `{athleteId, plannedCalories, substrateUtilizationCategory}`.
    ///
    /// Spec §8.1 lists two bodies (REF sends all three fields, JM only `plannedCalories`); we
    /// send REF's full body, keeping the existing substrate category, because a body without
    /// it could reset the category on a server that binds the whole object.
    pub async fn post_nutrition_settings(
        &self,
        athlete_id: i64,
        planned_calories: f64,
        substrate_utilization_category: Value,
    ) -> Result<Value, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/nutritionsettings");
        let body = json!({
            "athleteId": athlete_id,
            "plannedCalories": js_number(planned_calories),
            "substrateUtilizationCategory": substrate_utilization_category,
        });
        self.request_json(Method::Post, Api::Tp, &path, Some(&body))
            .await
    }
}

fn not_found_as(e: TpError, athlete_id: i64) -> TpError {
    match e {
        TpError::NotFound { method, path, .. } => TpError::NotFound {
            what: format!("Settings of athlete {athlete_id}"),
            method,
            path,
        },
        other => other,
    }
}

/// A number as JavaScript's `JSON.stringify` writes it: whole values as integers (`265`, not
/// `265.0`), others as floats. Zone bounds then look exactly like the web app's.
pub fn js_number(x: f64) -> Value {
    // 2^53: beyond it f64 has no fractional part anyway and i64 conversion stays exact.
    if x.is_finite() && x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_992.0 {
        json!(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// The zone sets of one kind (empty when the settings have none).
pub fn zone_sets(settings: &Value, kind: ZoneKind) -> Vec<Value> {
    settings
        .get(kind.settings_key())
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// A set's `workoutTypeId` (0 = the default set).
pub fn set_type_id(set: &Value) -> Option<i64> {
    set.get("workoutTypeId").and_then(Value::as_i64)
}

/// A numeric field of a set (0 when absent or null: TrainingPeaks' "unset").
pub fn num_field(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(0.0)
}

/// The zones of a set as [`Zone`]s (a zone without numeric bounds reads as 0).
pub fn read_zones(set: &Value) -> Vec<Zone> {
    set.get("zones")
        .and_then(Value::as_array)
        .map(|zs| {
            zs.iter()
                .enumerate()
                .map(|(i, z)| Zone {
                    label: z
                        .get("label")
                        .and_then(Value::as_str)
                        .map_or_else(|| format!("Zone {}", i + 1), str::to_string),
                    minimum: num_field(z, "minimum"),
                    maximum: num_field(z, "maximum"),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Writes `zones` into `set`, keeping every other field of each existing zone object at the
/// same index (zones beyond the old count are new `{label, minimum, maximum}` objects; old
/// zones beyond the new count are dropped).
pub fn write_zones(set: &mut Value, zones: &[Zone]) {
    let old = set
        .get("zones")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let new: Vec<Value> = zones
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let mut obj = old
                .get(i)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_else(Map::new);
            obj.insert("label".into(), Value::String(z.label.clone()));
            obj.insert("minimum".into(), js_number(z.minimum));
            obj.insert("maximum".into(), js_number(z.maximum));
            Value::Object(obj)
        })
        .collect();
    if let Some(o) = set.as_object_mut() {
        o.insert("zones".into(), Value::Array(new));
    }
}

/// Sets a numeric field of a set (as [`js_number`]).
pub fn set_num(set: &mut Value, key: &str, x: f64) {
    if let Some(o) = set.as_object_mut() {
        o.insert(key.into(), js_number(x));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_numbers() {
        let cases = [
            ("whole", 265.0, json!(265)),
            ("zero", 0.0, json!(0)),
            ("fraction", 3.7037037037037037, json!(3.7037037037037037)),
            ("nan", f64::NAN, Value::Null),
        ];
        for (name, x, want) in cases {
            assert_eq!(js_number(x), want, "{name}");
        }
    }

    #[test]
    fn write_zones_keeps_unknown_zone_fields() {
        let mut set = json!({"workoutTypeId": 0, "zones": [
            {"label": "Z1", "minimum": 0, "maximum": 100, "color": "grey"},
        ]});
        write_zones(
            &mut set,
            &[
                Zone::new("Zone 1", 0.0, 138.0),
                Zone::new("Zone 2", 139.0, 188.0),
            ],
        );
        assert_eq!(
            set,
            json!({"workoutTypeId": 0, "zones": [
                {"label": "Zone 1", "minimum": 0, "maximum": 138, "color": "grey"},
                {"label": "Zone 2", "minimum": 139, "maximum": 188},
            ]})
        );
        assert_eq!(
            read_zones(&set),
            vec![
                Zone::new("Zone 1", 0.0, 138.0),
                Zone::new("Zone 2", 139.0, 188.0)
            ]
        );
    }
}
