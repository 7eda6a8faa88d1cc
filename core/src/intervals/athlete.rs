//! The athlete and their sport settings (FTP, LTHR, max HR, threshold pace, zones), spec §3.2
//! "Athlete and settings".

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{IcuClient, IcuError, Query, path_id};
use crate::http::{BoxFuture, Method};
use crate::wire::{Field, LenientList, Rest};

/// Keys of the athlete object that hold credentials. They are dropped as the athlete is read,
/// so nothing downstream (tool output, logs, the model) can ever see them: the object carries
/// the athlete's own API key (spec §3.3 point 5) and an invite token.
pub const SECRET_ATHLETE_KEYS: &[&str] = &["icu_api_key", "icu_friend_invite_token"];

/// One set of sport settings (spec `SportSettings`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct SportSettings {
    /// The id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// The sports these settings apply to (`Ride`, `VirtualRide`, …).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub types: Field<Vec<String>>,
    /// FTP, watts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub ftp: Field<f64>,
    /// Indoor FTP, watts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub indoor_ftp: Field<f64>,
    /// W′, joules.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub w_prime: Field<f64>,
    /// Threshold heart rate, bpm.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub lthr: Field<f64>,
    /// Maximum heart rate, bpm.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub max_hr: Field<f64>,
    /// Threshold pace, m/s.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub threshold_pace: Field<f64>,
    /// How paces are shown (`MINS_KM`, `SECS_100M`, …).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub pace_units: Field<String>,
    /// Power zone tops, percent of FTP.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub power_zones: Field<Vec<f64>>,
    /// Heart-rate zone tops, bpm.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub hr_zones: Field<Vec<f64>>,
    /// Pace zone tops, percent of threshold pace.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub pace_zones: Field<Vec<f64>>,
    /// Power zone names.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub power_zone_names: Field<Vec<String>>,
    /// Heart-rate zone names.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub hr_zone_names: Field<Vec<String>>,
    /// Pace zone names.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub pace_zone_names: Field<Vec<String>>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(SportSettings);

/// The athlete (spec `WithSportSettings`), without [`SECRET_ATHLETE_KEYS`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Athlete {
    /// The id, e.g. `i12345`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// Full name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// First name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub firstname: Field<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub lastname: Field<String>,
    /// IANA time zone.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub timezone: Field<String>,
    /// `M`/`F`/… as sent.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub sex: Field<String>,
    /// Weight, kg (from the profile).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub weight: Field<f64>,
    /// Weight, kg, as Intervals.icu uses it.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_weight: Field<f64>,
    /// Resting heart rate, bpm.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_resting_hr: Field<f64>,
    /// Sport settings.
    #[serde(rename = "sportSettings", skip_serializing_if = "Field::is_absent")]
    pub sport_settings: Field<Vec<SportSettings>>,
    /// Everything else, kept (minus the secrets).
    #[serde(flatten)]
    pub rest: Rest,
}

/// What [`IcuClient::update_sport_settings`] changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SportSettingsUpdate {
    /// FTP, watts.
    pub ftp: Option<i64>,
    /// Indoor FTP, watts.
    pub indoor_ftp: Option<i64>,
    /// Threshold heart rate, bpm.
    pub lthr: Option<i64>,
    /// Maximum heart rate, bpm.
    pub max_hr: Option<i64>,
    /// Threshold pace, m/s.
    pub threshold_pace: Option<f64>,
    /// Power zone tops, percent of FTP, ascending.
    pub power_zones: Option<Vec<i64>>,
    /// Heart-rate zone tops, bpm, ascending.
    pub hr_zones: Option<Vec<i64>>,
    /// Pace zone tops, percent of threshold pace, ascending.
    pub pace_zones: Option<Vec<f64>>,
}

fn in_range(field: &str, v: i64, lo: i64, hi: i64, unit: &str) -> Result<(), IcuError> {
    if !(lo..=hi).contains(&v) {
        return Err(IcuError::InvalidInput {
            field: field.into(),
            message: format!("{v} {unit} is out of range ({lo}–{hi} {unit})"),
        });
    }
    Ok(())
}

fn ascending(field: &str, zones: &[f64]) -> Result<(), IcuError> {
    if zones.is_empty() || zones.len() > 12 {
        return Err(IcuError::InvalidInput {
            field: field.into(),
            message: "give between 1 and 12 zone tops".into(),
        });
    }
    if zones.iter().any(|z| !z.is_finite() || *z <= 0.0) || zones.windows(2).any(|w| w[1] <= w[0]) {
        return Err(IcuError::InvalidInput {
            field: field.into(),
            message: format!("{zones:?}: zone tops must be positive and strictly ascending"),
        });
    }
    Ok(())
}

impl SportSettingsUpdate {
    /// The PUT body: only the fields set. Errors name the field.
    pub fn body(&self) -> Result<Value, IcuError> {
        let mut m = Map::new();
        if let Some(v) = self.ftp {
            in_range("ftp", v, 1, 2000, "W")?;
            m.insert("ftp".into(), json!(v));
        }
        if let Some(v) = self.indoor_ftp {
            in_range("indoor_ftp", v, 1, 2000, "W")?;
            m.insert("indoor_ftp".into(), json!(v));
        }
        if let Some(v) = self.lthr {
            in_range("lthr", v, 30, 250, "bpm")?;
            m.insert("lthr".into(), json!(v));
        }
        if let Some(v) = self.max_hr {
            in_range("max_hr", v, 30, 250, "bpm")?;
            m.insert("max_hr".into(), json!(v));
        }
        if let (Some(l), Some(x)) = (self.lthr, self.max_hr)
            && l > x
        {
            return Err(IcuError::InvalidInput {
                field: "lthr".into(),
                message: format!("{l} bpm is above the maximum heart rate {x} bpm"),
            });
        }
        if let Some(v) = self.threshold_pace {
            if !v.is_finite() || v <= 0.0 || v > 30.0 {
                return Err(IcuError::InvalidInput {
                    field: "threshold_pace".into(),
                    message: format!("{v} m/s is not a pace (expected metres per second, 0–30)"),
                });
            }
            m.insert("threshold_pace".into(), json!(v));
        }
        if let Some(z) = &self.power_zones {
            ascending(
                "power_zones",
                &z.iter().map(|v| *v as f64).collect::<Vec<_>>(),
            )?;
            m.insert("power_zones".into(), json!(z));
        }
        if let Some(z) = &self.hr_zones {
            ascending("hr_zones", &z.iter().map(|v| *v as f64).collect::<Vec<_>>())?;
            m.insert("hr_zones".into(), json!(z));
        }
        if let Some(z) = &self.pace_zones {
            ascending("pace_zones", z)?;
            m.insert("pace_zones".into(), json!(z));
        }
        if m.is_empty() {
            return Err(IcuError::InvalidInput {
                field: "update".into(),
                message: "nothing to change; give at least one of ftp, indoor_ftp, lthr, \
                          max_hr, threshold_pace or a zone list"
                    .into(),
            });
        }
        Ok(Value::Object(m))
    }
}

/// Which credential is in use and whom it acts for, for status displays (the popup,
/// `paceline doctor`). Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct IcuStatus {
    /// `"session"` (the browser's intervals.icu login) or `"api_key"`.
    pub auth: String,
    /// The athlete the credential acts for (`i…`), if the server said.
    pub athlete_id: Option<String>,
    /// Their name, if the server said.
    pub name: Option<String>,
}

impl IcuClient {
    /// Checks the credential now with `GET /api/v1/athlete/{id}` (the configured athlete, else
    /// `0`) and says which method is in use and for whom. A refused credential is the error
    /// ([`IcuError::NotAuthenticated`] / [`IcuError::Forbidden`], worded for the method).
    ///
    /// Boxed here, in core, as the extension awaits it (see `TpClient::check_session`).
    pub fn status(&self) -> BoxFuture<'_, Result<IcuStatus, IcuError>> {
        Box::pin(async move {
            let athlete = self.athlete_profile(None).await?;
            Ok(IcuStatus {
                auth: match self.config().auth.mode() {
                    super::AuthMode::Session => "session".into(),
                    super::AuthMode::ApiKey => "api_key".into(),
                },
                athlete_id: crate::wire::trimmed_text(&athlete.id),
                name: crate::wire::trimmed_text(&athlete.name),
            })
        })
    }

    /// `GET /api/v1/athlete/{id}`: the athlete with their sport settings. Credential fields
    /// ([`SECRET_ATHLETE_KEYS`]) are removed before anything else sees the object.
    pub async fn athlete_profile(&self, athlete: Option<&str>) -> Result<Athlete, IcuError> {
        let a = self.athlete(athlete)?;
        let path = format!("/api/v1/athlete/{a}");
        let mut v = self.request_json(Method::Get, &path, None).await?;
        if let Value::Object(m) = &mut v {
            for k in SECRET_ATHLETE_KEYS {
                m.remove(*k);
            }
        }
        super::from_value(v, &path)
    }

    /// `GET /api/v1/athlete/{id}/sport-settings`: every set of sport settings.
    pub async fn sport_settings(
        &self,
        athlete: Option<&str>,
    ) -> Result<Vec<SportSettings>, IcuError> {
        let a = self.athlete(athlete)?;
        let LenientList(list) = self
            .get(&format!("/api/v1/athlete/{a}/sport-settings"))
            .await?;
        Ok(list)
    }

    /// `GET /api/v1/athlete/{id}/sport-settings/{sport}`: one set, by numeric id or by sport
    /// (`Ride`, `Run`, …; spec: `{id}` is either).
    pub async fn sport_settings_for(
        &self,
        athlete: Option<&str>,
        sport_or_id: &str,
    ) -> Result<SportSettings, IcuError> {
        let a = self.athlete(athlete)?;
        let s = path_id("sport", sport_or_id)?;
        self.get(&format!("/api/v1/athlete/{a}/sport-settings/{s}"))
            .await
    }

    /// `PUT /api/v1/athlete/{id}/sport-settings/{sport}?recalcHrZones=…` with only the changed
    /// fields. The query parameter is required by the spec (hhopke PR #85 confirmed it); the
    /// Rust peer put it in the body instead (spec §2.2). `recalc_hr_zones: true` lets
    /// Intervals.icu derive HR zones from the new LTHR/max HR. Zones of past activities are not
    /// recomputed (that is the separate `…/apply` call, not made here).
    pub async fn update_sport_settings(
        &self,
        athlete: Option<&str>,
        sport_or_id: &str,
        update: &SportSettingsUpdate,
        recalc_hr_zones: bool,
    ) -> Result<SportSettings, IcuError> {
        let a = self.athlete(athlete)?;
        let s = path_id("sport", sport_or_id)?;
        let body = update.body()?;
        let q = Query::new().push("recalcHrZones", recalc_hr_zones);
        self.request(
            Method::Put,
            &format!("/api/v1/athlete/{a}/sport-settings/{s}{}", q.render()),
            Some(&body),
        )
        .await
    }
}
