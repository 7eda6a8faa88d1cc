//! Athlete settings, zone sets, pool length, weather and nutrition settings (spec §8.1) as
//! wire structs.
//!
//! A zone PUT replaces **every** set of its kind, so each set (and each zone in it) keeps the
//! fields we do not model (`calculationMethod`, `zoneCalculatorId`, `distance`, fields
//! TrainingPeaks adds later) in its [`Rest`], and numbers we do not change go back exactly as
//! they came ([`Num`]).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Api, TpClient, TpError, from_value};
use crate::http::Method;
use crate::wire::{Field, Rest};
pub use crate::wire::{Num, changed_over, js_number, trimmed_text as text};
use crate::zones::Zone;

/// The value of a numeric field, if readable.
pub fn num(f: &Field<Num>) -> Option<f64> {
    f.get().map(Num::get)
}

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

/// `GET /fitness/v1/athletes/{aid}/settings`. Nothing here is vital: a settings object with
/// no zone sets is shown as such.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AthleteSettings {
    /// The athlete.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athlete_id: Field<i64>,
    /// Power zone sets.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub power_zones: Field<Vec<ZoneSet>>,
    /// Heart-rate zone sets.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub heart_rate_zones: Field<Vec<ZoneSet>>,
    /// Speed zone sets.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub speed_zones: Field<Vec<ZoneSet>>,
    /// IANA time zone.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub time_zone: Field<String>,
    /// Units code (1 = imperial in the reference's reading).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub units: Field<i64>,
    /// Age, years.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub age: Field<i64>,
    /// Gender as stored.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub gender: Field<String>,
    /// Planned calories and substrate category.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub nutrition_settings: Field<NutritionSettings>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
    /// The object exactly as the server sent it (set by [`TpClient::athlete_settings`]), so
    /// a zone PUT sends untouched keys back in their own types.
    #[serde(skip)]
    pub raw: Value,
}

impl AthleteSettings {
    /// The zone sets of one kind (empty when the settings have none).
    pub fn zone_sets(&self, kind: ZoneKind) -> &[ZoneSet] {
        let f = match kind {
            ZoneKind::Power => &self.power_zones,
            ZoneKind::HeartRate => &self.heart_rate_zones,
            ZoneKind::Speed => &self.speed_zones,
        };
        f.get().map_or(&[], Vec::as_slice)
    }

    /// The sets of one kind exactly as the server sent them, in the order and with the same
    /// skipping of non-objects as [`AthleteSettings::zone_sets`], so the two pair up by index.
    fn raw_sets(&self, kind: ZoneKind) -> Vec<Value> {
        self.raw
            .get(kind.settings_key())
            .and_then(Value::as_array)
            .map(|a| a.iter().filter(|s| s.is_object()).cloned().collect())
            .unwrap_or_default()
    }

    /// Planned daily calories, kcal.
    pub fn planned_calories(&self) -> Option<f64> {
        self.nutrition_settings
            .get()
            .and_then(|n| num(&n.planned_calories))
    }
}

/// `nutritionSettings` of the athlete settings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NutritionSettings {
    /// Planned daily calories, kcal.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub planned_calories: Field<Num>,
    /// TrainingPeaks' substrate-utilisation code, kept as it came (its coding is unknown).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub substrate_utilization_category: Field<Value>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One zone set (`powerZones[]`, `heartRateZones[]`, `speedZones[]`), written back whole.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ZoneSet {
    /// Sport id of the set (0 = the default set).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_type_id: Field<i64>,
    /// FTP (W), threshold HR (bpm) or threshold speed (m/s).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub threshold: Field<Num>,
    /// Maximum heart rate (HR sets).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub maximum_heart_rate: Field<Num>,
    /// Resting heart rate (HR sets).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub resting_heart_rate: Field<Num>,
    /// The zones, lowest first.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub zones: Field<Vec<ZoneBand>>,
    /// Set on every set of a zone PUT (spec §8.1).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub current_user_id: Field<i64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One zone of a set.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ZoneBand {
    /// Label.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub label: Field<String>,
    /// Lower bound.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub minimum: Field<Num>,
    /// Upper bound (the top zone's may be a sentinel meaning "open-ended").
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub maximum: Field<Num>,
    /// Everything else (colours, ids), kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(AthleteSettings, NutritionSettings, ZoneSet, ZoneBand);

impl ZoneSet {
    /// The set's sport id, if readable.
    pub fn type_id(&self) -> Option<i64> {
        self.workout_type_id.val()
    }

    /// A numeric field, 0 when unknown (TrainingPeaks' own "unset").
    pub fn value(f: &Field<Num>) -> f64 {
        num(f).unwrap_or(0.0)
    }

    /// The threshold (0 when unknown).
    pub fn threshold(&self) -> f64 {
        Self::value(&self.threshold)
    }

    /// The zones as [`Zone`]s: an unlabelled zone is named by its position, a bound that
    /// cannot be read is 0.
    pub fn read_zones(&self) -> Vec<Zone> {
        self.zones
            .get()
            .map(|zs| {
                zs.iter()
                    .enumerate()
                    .map(|(i, z)| Zone {
                        label: z
                            .label
                            .get()
                            .cloned()
                            .unwrap_or_else(|| format!("Zone {}", i + 1)),
                        minimum: Self::value(&z.minimum),
                        maximum: Self::value(&z.maximum),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Writes `zones`, keeping every other field of each existing zone at the same index
    /// (zones beyond the old count are new; old zones beyond the new count are dropped).
    pub fn write_zones(&mut self, zones: &[Zone]) {
        let old = self.zones.get().cloned().unwrap_or_default();
        let new = zones
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let mut band = old.get(i).cloned().unwrap_or_default();
                band.label = Field::Present(z.label.clone());
                band.minimum = Field::Present(Num::new(z.minimum));
                band.maximum = Field::Present(Num::new(z.maximum));
                band
            })
            .collect();
        self.zones = Field::Present(new);
    }

    /// Sets a numeric field to a new value.
    pub fn set(f: &mut Field<Num>, x: f64) {
        *f = Field::Present(Num::new(x));
    }
}

/// `GET /fitness/v1/athletes/{aid}/poollengthsettings`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PoolLengthSettings {
    /// The options.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub options: Field<Vec<PoolLengthOption>>,
    /// The default option's id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub default_id: Field<String>,
    /// Units the athlete may pick from.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub supported_units: Field<Vec<String>>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One pool length option.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PoolLengthOption {
    /// Option id, e.g. `DEFAULT-25M` (what a swim workout's `poolLengthOptionId` refers to).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// Length, in `units`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub length: Field<f64>,
    /// `Meters` or `Yards` (kept as sent).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub units: Field<String>,
    /// Custom label.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub label: Field<String>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One entry of `GET /weather/v1/settings` (an array whose first element is the user's).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WeatherSettings {
    /// Whether weather is shown (`true`/`false` or `1`/`0`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub enabled: Field<bool>,
    /// Location name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub location: Field<String>,
    /// Latitude, degrees.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub lat: Field<f64>,
    /// Longitude, degrees.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub lon: Field<f64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(PoolLengthOption, PoolLengthSettings, WeatherSettings);

/// An object response: a non-object is a real change of the API, said with the path.
fn object<T: serde::de::DeserializeOwned>(v: Value, path: &str, what: &str) -> Result<T, TpError> {
    if !v.is_object() {
        return Err(TpError::Decode {
            path: path.to_string(),
            message: format!("expected {what} object, got {}", kind_of(&v)),
        });
    }
    from_value(v, path)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl TpClient {
    /// `GET /fitness/v1/athletes/{aid}/settings`: thresholds, zone sets, profile, nutrition.
    pub async fn athlete_settings(&self, athlete_id: i64) -> Result<AthleteSettings, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/settings");
        let v = self
            .get_json(Api::Tp, &path)
            .await
            .map_err(|e| not_found_as(e, athlete_id))?;
        let mut settings: AthleteSettings = object(v.clone(), &path, "a settings")?;
        settings.raw = v;
        Ok(settings)
    }

    /// `PUT /fitness/v2/athletes/{aid}/{powerzones|heartratezones|speedzones}` with the
    /// **full** array of sets of that kind, each carrying `currentUserId` = the athlete id
    /// (spec §8.1: every set in a zone PUT carries it; TrainingPeaks does not recompute bands
    /// itself, so the sets must already hold the recomputed zones). Answers 204.
    ///
    /// `sets` are `settings`' sets of that kind after the tool's changes; each goes back as the
    /// server sent it with only the keys the tool changed replaced ([`changed_over`]).
    pub async fn put_zone_sets(
        &self,
        athlete_id: i64,
        kind: ZoneKind,
        settings: &AthleteSettings,
        sets: &[ZoneSet],
    ) -> Result<(), TpError> {
        let path = format!("/fitness/v2/athletes/{athlete_id}/{}", kind.path_segment());
        let json = |v: &ZoneSet| {
            serde_json::to_value(v).map_err(|e| TpError::Decode {
                path: path.clone(),
                message: format!("the zone sets could not be written: {e}"),
            })
        };
        let before = settings.zone_sets(kind);
        let raw = settings.raw_sets(kind);
        let mut body = Vec::with_capacity(sets.len());
        for (i, set) in sets.iter().enumerate() {
            let mut after = set.clone();
            after.current_user_id = Field::Present(athlete_id);
            let after = json(&after)?;
            body.push(match (raw.get(i), before.get(i)) {
                (Some(r), Some(b)) => changed_over(r, &json(b)?, &after),
                _ => after,
            });
        }
        let body = Value::Array(body);
        self.request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await?;
        Ok(())
    }

    /// `GET /fitness/v1/athletes/{aid}/poollengthsettings`.
    pub async fn pool_length_settings(
        &self,
        athlete_id: i64,
    ) -> Result<PoolLengthSettings, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/poollengthsettings");
        let v = self
            .get_json(Api::Tp, &path)
            .await
            .map_err(|e| not_found_as(e, athlete_id))?;
        match v {
            // No settings saved yet reads as none.
            Value::Null => Ok(PoolLengthSettings::default()),
            v => object(v, &path, "a pool length settings"),
        }
    }

    /// `GET https://api.peakswaresb.com/weather/v1/settings` (the signed-in user's; the
    /// endpoint takes no athlete id): the first entry of the array (a bare object is accepted
    /// too), or `None` when there is none.
    pub async fn weather_settings(&self) -> Result<Option<WeatherSettings>, TpError> {
        let path = "/weather/v1/settings";
        let first = match self.get_json(Api::Peaksware, path).await? {
            Value::Array(items) => items.into_iter().next(),
            v @ Value::Object(_) => Some(v),
            Value::Null => None,
            other => {
                return Err(TpError::Decode {
                    path: path.into(),
                    message: format!("expected a list of settings, got {}", kind_of(&other)),
                });
            }
        };
        match first {
            None | Some(Value::Null) => Ok(None),
            Some(v) => object(v, path, "a weather settings").map(Some),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_zones_keeps_unknown_zone_fields() {
        let mut set: ZoneSet = serde_json::from_value(json!({"workoutTypeId": 0, "zones": [
            {"label": "Z1", "minimum": 0, "maximum": 100, "color": "grey"},
        ]}))
        .unwrap();
        set.write_zones(&[
            Zone::new("Zone 1", 0.0, 138.0),
            Zone::new("Zone 2", 139.0, 188.0),
        ]);
        assert_eq!(
            serde_json::to_value(&set).unwrap(),
            json!({"workoutTypeId": 0, "zones": [
                {"label": "Zone 1", "minimum": 0, "maximum": 138, "color": "grey"},
                {"label": "Zone 2", "minimum": 139, "maximum": 188},
            ]})
        );
        assert_eq!(
            set.read_zones(),
            vec![
                Zone::new("Zone 1", 0.0, 138.0),
                Zone::new("Zone 2", 139.0, 188.0)
            ]
        );
    }

    #[test]
    fn drifted_settings_read_and_round_trip() {
        let raw = json!({
            "athleteId": "42", "units": 2.0, "age": "36", "timeZone": null, "brandNew": [1, {"a": 2}],
            "nutritionSettings": {"plannedCalories": "2600", "substrateUtilizationCategory": "X9"},
            "powerZones": [
                {"workoutTypeId": "0", "threshold": "265", "calculationMethod": 1, "zoneCalculatorId": null,
                 "zones": [{"label": null, "minimum": "0", "maximum": 146.0, "colour": "#ccc"}, "junk"]},
                "not a set",
                {"workoutTypeId": 2.0, "threshold": null}
            ],
            "heartRateZones": "oops"
        });
        let s: AthleteSettings = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(s.athlete_id.val(), Some(42));
        assert_eq!(s.units.val(), Some(2));
        assert_eq!(s.age.val(), Some(36));
        assert_eq!(s.planned_calories(), Some(2600.0));
        let power = s.zone_sets(ZoneKind::Power);
        assert_eq!(power.len(), 2, "the odd set is skipped, the others kept");
        assert_eq!(power[0].type_id(), Some(0));
        assert_eq!(power[0].threshold(), 265.0);
        assert_eq!(power[0].read_zones(), vec![Zone::new("Zone 1", 0.0, 146.0)]);
        assert_eq!(power[1].type_id(), Some(2));
        assert_eq!(power[1].threshold(), 0.0);
        assert!(s.zone_sets(ZoneKind::HeartRate).is_empty());
        // Unknown fields, nulls and the unreadable list go back as they came.
        let back = serde_json::to_value(&s).unwrap();
        assert_eq!(back["brandNew"], raw["brandNew"]);
        assert_eq!(back["timeZone"], Value::Null);
        assert_eq!(back["heartRateZones"], json!("oops"));
        assert_eq!(back["powerZones"][0]["zones"][0]["colour"], json!("#ccc"));
        assert_eq!(back["powerZones"][0]["threshold"], json!("265"));
        assert_eq!(back["powerZones"][0]["zoneCalculatorId"], Value::Null);
        assert_eq!(
            back["nutritionSettings"]["substrateUtilizationCategory"],
            json!("X9")
        );
    }

    #[test]
    fn drifted_pool_and_weather_read() {
        let p: PoolLengthSettings = serde_json::from_value(json!({
            "options": [{"id": 25, "length": "25", "units": "Meters"}, 7, {"id": "X", "length": null}],
            "defaultId": "25", "supportedUnits": ["Meters", 3, null], "more": true}))
        .unwrap();
        let opts = p.options.get().unwrap();
        assert_eq!(opts.len(), 2);
        assert_eq!(opts[0].id.get().map(String::as_str), Some("25"));
        assert_eq!(opts[0].length.val(), Some(25.0));
        assert_eq!(p.supported_units.get().unwrap(), &["Meters", "3"]);
        assert_eq!(serde_json::to_value(&p).unwrap()["more"], json!(true));
        let w: WeatherSettings = serde_json::from_value(
            json!({"enabled": "1", "lat": "51.5", "lon": -0.12, "location": null, "units": {"t": "C"}}),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&w).unwrap()["units"],
            json!({"t": "C"})
        );
        assert_eq!(w.enabled.val(), Some(true));
        assert_eq!(w.lat.val(), Some(51.5));
        assert!(w.location.get().is_none());
    }
}
