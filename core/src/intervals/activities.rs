//! Activities: list by date range, one activity, its intervals, streams and messages, and the
//! update of name, description, RPE, feel and gear (spec §3.2 "Activities").
//!
//! Activity ids are strings such as `i12345678` and `/activity/{id}` is global, not under an
//! athlete (spec §3.1). Activities synced from Strava come back as stubs (`_note` set, most
//! fields missing) and cannot be updated; every field here is optional for that reason.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{IcuClient, IcuError, Query, check_range, path_id};
use crate::http::Method;
use crate::wire::{Field, LenientList, Rest, Stamp, float_of};

/// A reference to gear on an activity (`{id, name:null, …}`: names come from the gear list).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct GearRef {
    /// The gear id, e.g. `b1234`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// Usually null on activities.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(GearRef);

/// One activity (the spec's `Activity`, 174 fields; the ones tools read are modelled, the rest
/// kept in `rest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Activity {
    /// The id, e.g. `i12345678`; numbers are read as text.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// Start in the athlete's local time.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub start_date_local: Field<Stamp>,
    /// Start in UTC.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub start_date: Field<Stamp>,
    /// Sport (`Ride`, `Run`, …); an unknown sport is kept as written.
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub sport: Field<String>,
    /// Name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Description.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// Distance, metres.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance: Field<f64>,
    /// Moving time, seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub moving_time: Field<i64>,
    /// Elapsed time, seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub elapsed_time: Field<i64>,
    /// Climbing, metres.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub total_elevation_gain: Field<f64>,
    /// Training load.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_training_load: Field<f64>,
    /// Fatigue (ATL) that day.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_atl: Field<f64>,
    /// Fitness (CTL) that day.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_ctl: Field<f64>,
    /// FTP used for the analysis, watts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_ftp: Field<f64>,
    /// Average power, watts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_average_watts: Field<f64>,
    /// Normalised (weighted) power, watts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_weighted_avg_watts: Field<f64>,
    /// Intensity, percent of FTP.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_intensity: Field<f64>,
    /// Average heart rate, bpm.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub average_heartrate: Field<f64>,
    /// Maximum heart rate, bpm.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub max_heartrate: Field<f64>,
    /// Average cadence (strides per minute for runs).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub average_cadence: Field<f64>,
    /// Average speed, m/s.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub average_speed: Field<f64>,
    /// Calories.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub calories: Field<f64>,
    /// Indoor trainer.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub trainer: Field<bool>,
    /// Gear used.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub gear: Field<GearRef>,
    /// Perceived exertion, 1–10.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_rpe: Field<i64>,
    /// Feel, 1 (strong) – 5 (weak).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub feel: Field<i64>,
    /// Where it came from (`GARMIN_CONNECT`, `STRAVA`, `UPLOAD`, …).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub source: Field<String>,
    /// The planned event it was paired with.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub paired_event_id: Field<i64>,
    /// Stream types the activity has.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub stream_types: Field<Vec<String>>,
    /// Tags.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub tags: Field<Vec<String>>,
    /// Set on the Strava stubs the API returns instead of the data (spec `Hidden`).
    #[serde(rename = "_note", skip_serializing_if = "Field::is_absent")]
    pub note: Field<String>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(Activity);

/// One interval of an activity (spec `Interval`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Interval {
    /// The id within the activity.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// `WORK` or `RECOVERY` (an unknown kind is kept).
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub kind: Field<String>,
    /// Label.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub label: Field<String>,
    /// First sample index.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub start_index: Field<i64>,
    /// Last sample index.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub end_index: Field<i64>,
    /// Elapsed time, seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub elapsed_time: Field<i64>,
    /// Moving time, seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub moving_time: Field<i64>,
    /// Distance, metres.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance: Field<f64>,
    /// Average power, watts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub average_watts: Field<f64>,
    /// Weighted average power, watts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub weighted_average_watts: Field<f64>,
    /// Intensity, percent of FTP.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub intensity: Field<f64>,
    /// Training load.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub training_load: Field<f64>,
    /// Power zone.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub zone: Field<i64>,
    /// Average heart rate.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub average_heartrate: Field<f64>,
    /// Maximum heart rate.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub max_heartrate: Field<f64>,
    /// Average cadence.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub average_cadence: Field<f64>,
    /// Average speed, m/s.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub average_speed: Field<f64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(Interval);

/// The intervals of an activity (spec `IntervalsDTO`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct ActivityIntervals {
    /// The activity id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// When the analysis ran.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub analyzed: Field<Stamp>,
    /// The intervals (odd entries dropped).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_intervals: Field<Vec<Interval>>,
    /// Groups of similar intervals, as sent.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_groups: Field<Vec<Value>>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One stream of an activity (spec `ActivityStream`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Stream {
    /// The stream type (`watts`, `heartrate`, `latlng`, …).
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub kind: Field<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// The samples, as sent (numbers, `null`s for gaps; latitude for `latlng`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub data: Field<Value>,
    /// A second series (longitude for `latlng`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub data2: Field<Value>,
    /// Whether each sample is an array.
    #[serde(rename = "valueTypeIsArray", skip_serializing_if = "Field::is_absent")]
    pub value_type_is_array: Field<bool>,
    /// Whether every sample is null.
    #[serde(rename = "allNull", skip_serializing_if = "Field::is_absent")]
    pub all_null: Field<bool>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

impl Stream {
    /// The samples as numbers, position kept (`None` for a gap or an unreadable sample), so
    /// two streams of one activity stay aligned by index.
    pub fn samples(&self) -> Vec<Option<f64>> {
        match self.data.get() {
            Some(Value::Array(items)) => items.iter().map(float_of).collect(),
            _ => Vec::new(),
        }
    }
}

/// A comment on an activity (spec `Message`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Message {
    /// The id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// The author's athlete id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athlete_id: Field<String>,
    /// The author's name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// When written.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub created: Field<Stamp>,
    /// `TEXT`, `NOTE`, … (unknown kinds kept).
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub kind: Field<String>,
    /// The text.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub content: Field<String>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// The answer to adding a message (spec `NewMsg`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct NewMessage {
    /// The new message's id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// Everything else (`new_chat`), kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// What [`IcuClient::update_activity`] changes; `None` leaves a field as it is (the API's PUT
/// changes only the fields sent, spec §3.2).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityUpdate {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Perceived exertion, 1–10 (`icu_rpe`).
    pub rpe: Option<i64>,
    /// Feel, 1 (strong) – 5 (weak).
    pub feel: Option<i64>,
    /// Gear id to assign (the API cannot clear gear this way, spec §3.2).
    pub gear_id: Option<String>,
}

impl ActivityUpdate {
    /// The PUT body: only the fields set. Errors name the field.
    pub fn body(&self) -> Result<Value, IcuError> {
        let mut m = Map::new();
        if let Some(n) = &self.name {
            if n.trim().is_empty() {
                return Err(IcuError::InvalidInput {
                    field: "name".into(),
                    message: "the name must not be empty".into(),
                });
            }
            m.insert("name".into(), json!(n));
        }
        if let Some(d) = &self.description {
            m.insert("description".into(), json!(d));
        }
        if let Some(r) = self.rpe {
            if !(1..=10).contains(&r) {
                return Err(IcuError::InvalidInput {
                    field: "rpe".into(),
                    message: format!("{r} is out of range; RPE is 1 (very easy) to 10 (maximal)"),
                });
            }
            m.insert("icu_rpe".into(), json!(r));
        }
        if let Some(f) = self.feel {
            if !(1..=5).contains(&f) {
                return Err(IcuError::InvalidInput {
                    field: "feel".into(),
                    message: format!("{f} is out of range; feel is 1 (strong) to 5 (weak)"),
                });
            }
            m.insert("feel".into(), json!(f));
        }
        if let Some(g) = &self.gear_id {
            let g = path_id("gear_id", g)?;
            m.insert("gear".into(), json!({ "id": g }));
        }
        if m.is_empty() {
            return Err(IcuError::InvalidInput {
                field: "update".into(),
                message: "nothing to change; give at least one of name, description, rpe, \
                          feel, gear_id"
                    .into(),
            });
        }
        Ok(Value::Object(m))
    }
}

impl IcuClient {
    /// `GET /api/v1/athlete/{id}/activities?oldest&newest[&limit]`: activities in the range,
    /// newest first. The seed asked for three times `limit` to filter unnamed ones; this sends
    /// the caller's limit as it is.
    pub async fn activities(
        &self,
        athlete: Option<&str>,
        oldest: NaiveDate,
        newest: NaiveDate,
        limit: Option<u32>,
    ) -> Result<Vec<Activity>, IcuError> {
        check_range(oldest, newest)?;
        let a = self.athlete(athlete)?;
        let q = Query::new()
            .push("oldest", oldest)
            .push("newest", newest)
            .push_opt("limit", limit);
        let path = format!("/api/v1/athlete/{a}/activities{}", q.render());
        let LenientList(list) = self.get(&path).await?;
        Ok(list)
    }

    /// `GET /api/v1/activity/{id}`: one activity. The seed read power and HR zones from a
    /// `zones` key the API never returns; the zone times are `icu_zone_times` and
    /// `icu_hr_zone_times` (kept in `rest`).
    pub async fn activity(&self, activity_id: &str) -> Result<Activity, IcuError> {
        let id = path_id("activity_id", activity_id)?;
        self.get(&format!("/api/v1/activity/{id}")).await
    }

    /// `GET /api/v1/activity/{id}/intervals`.
    pub async fn activity_intervals(
        &self,
        activity_id: &str,
    ) -> Result<ActivityIntervals, IcuError> {
        let id = path_id("activity_id", activity_id)?;
        self.get(&format!("/api/v1/activity/{id}/intervals")).await
    }

    /// `GET /api/v1/activity/{id}/streams?types=a,b`: the streams asked for (all defaults when
    /// `types` is empty). The path's `{ext}` is left empty, which the spec documents as JSON
    /// (the seed uses the same path); the parameter is `types`, not the `streams=` the Rust
    /// peer sends (spec §2.2).
    pub async fn activity_streams(
        &self,
        activity_id: &str,
        types: &[&str],
    ) -> Result<Vec<Stream>, IcuError> {
        let id = path_id("activity_id", activity_id)?;
        let mut checked = Vec::with_capacity(types.len());
        for t in types {
            checked.push(path_id("stream_types", t)?);
        }
        let q = if checked.is_empty() {
            Query::new()
        } else {
            Query::new().push("types", checked.join(","))
        };
        let path = format!("/api/v1/activity/{id}/streams{}", q.render());
        let LenientList(list) = self.get(&path).await?;
        Ok(list)
    }

    /// `GET /api/v1/activity/{id}/messages`: the comments on an activity.
    pub async fn activity_messages(&self, activity_id: &str) -> Result<Vec<Message>, IcuError> {
        let id = path_id("activity_id", activity_id)?;
        let LenientList(list) = self.get(&format!("/api/v1/activity/{id}/messages")).await?;
        Ok(list)
    }

    /// `POST /api/v1/activity/{id}/messages` with `{"content": …}`.
    pub async fn add_activity_message(
        &self,
        activity_id: &str,
        content: &str,
    ) -> Result<NewMessage, IcuError> {
        let id = path_id("activity_id", activity_id)?;
        if content.trim().is_empty() {
            return Err(IcuError::InvalidInput {
                field: "content".into(),
                message: "the message is empty".into(),
            });
        }
        let body = json!({ "content": content });
        self.request(
            Method::Post,
            &format!("/api/v1/activity/{id}/messages"),
            Some(&body),
        )
        .await
    }

    /// `PUT /api/v1/activity/{id}` with only the changed fields ([`ActivityUpdate::body`]).
    /// Strava-synced activities cannot be updated (the API refuses).
    pub async fn update_activity(
        &self,
        activity_id: &str,
        update: &ActivityUpdate,
    ) -> Result<Activity, IcuError> {
        let id = path_id("activity_id", activity_id)?;
        let body = update.body()?;
        self.request(Method::Put, &format!("/api/v1/activity/{id}"), Some(&body))
            .await
    }
}
