//! Calendar events: planned workouts, notes, races and the rest (spec §3.2 "Events").

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{IcuClient, IcuError, Query, check_range, positive_id};
use crate::http::Method;
use crate::wire::{Field, LenientList, Rest, Stamp};

/// The event categories the spec documents. Reading keeps any other value; writing refuses
/// one, naming the field.
pub const CATEGORIES: &[&str] = &[
    "WORKOUT",
    "RACE_A",
    "RACE_B",
    "RACE_C",
    "NOTE",
    "PLAN",
    "HOLIDAY",
    "SICK",
    "INJURED",
    "SET_EFTP",
    "FITNESS_DAYS",
    "SEASON_START",
    "TARGET",
    "SET_FITNESS",
];

/// One calendar event (spec `Event`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Event {
    /// The id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// Start, local time (`YYYY-MM-DDTHH:MM:SS`). The seed read a `date` key that the API
    /// does not send.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub start_date_local: Field<Stamp>,
    /// End, local time.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub end_date_local: Field<Stamp>,
    /// Category (see [`CATEGORIES`]); an unknown one is kept as written.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub category: Field<String>,
    /// Sport (`Ride`, `Run`, …).
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub sport: Field<String>,
    /// Name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Description: for workouts, the Intervals.icu workout text.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// The parsed structure the server made of the text (the seed read `workout`, which the
    /// API does not return).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_doc: Field<Value>,
    /// Indoor.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub indoor: Field<bool>,
    /// Colour.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub color: Field<String>,
    /// Planned moving time, seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub moving_time: Field<i64>,
    /// Planned distance, metres.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance: Field<f64>,
    /// Planned training load.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_training_load: Field<f64>,
    /// Planned intensity.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_intensity: Field<f64>,
    /// Fitness that day.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_ctl: Field<f64>,
    /// Fatigue that day.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_atl: Field<f64>,
    /// The caller's own id, for upserts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub external_id: Field<String>,
    /// Unique id (calendar feeds).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub uid: Field<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub tags: Field<Vec<String>>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(Event);

/// The event fields a create or update sends (the spec's `EventEx`, the part tools set).
/// `None` fields are not sent, so an update changes only what is set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventWrite {
    /// Category (one of [`CATEGORIES`]); required to create.
    pub category: Option<String>,
    /// Start, local time; required to create. A day alone is sent as its midnight.
    pub start: Option<NaiveDateTime>,
    /// Sport (`Ride`, `Run`, …).
    pub sport: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Description; for workouts the Intervals.icu workout text, which the server parses
    /// (spec §4.1).
    pub description: Option<String>,
    /// Planned moving time, seconds.
    pub moving_time: Option<i64>,
    /// Planned distance, metres.
    pub distance: Option<f64>,
    /// Indoor.
    pub indoor: Option<bool>,
    /// Colour (notes).
    pub color: Option<String>,
    /// The caller's own id; `events/bulk?upsert=true` matches on it.
    pub external_id: Option<String>,
    /// Tags.
    pub tags: Option<Vec<String>>,
}

impl EventWrite {
    /// A new event of `category` on `day` (midnight local).
    pub fn new(category: &str, day: NaiveDate) -> Self {
        Self {
            category: Some(category.to_string()),
            start: Some(day.and_time(chrono::NaiveTime::MIN)),
            ..Self::default()
        }
    }

    /// The JSON body, checking the fields; `creating` also requires category and start.
    /// Errors name the field (with `prefix`, e.g. `events[2].`, for bulk bodies).
    pub fn body(&self, creating: bool, prefix: &str) -> Result<Value, IcuError> {
        let bad = |f: &str, message: String| IcuError::InvalidInput {
            field: format!("{prefix}{f}"),
            message,
        };
        let mut m = Map::new();
        match &self.category {
            Some(c) if CATEGORIES.contains(&c.as_str()) => {
                m.insert("category".into(), json!(c));
            }
            Some(c) => {
                return Err(bad(
                    "category",
                    format!(
                        "{c:?} is not an event category; use one of {}",
                        CATEGORIES.join(", ")
                    ),
                ));
            }
            None if creating => return Err(bad("category", "a new event needs a category".into())),
            None => {}
        }
        match self.start {
            Some(s) => {
                m.insert(
                    "start_date_local".into(),
                    json!(s.format("%Y-%m-%dT%H:%M:%S").to_string()),
                );
            }
            None if creating => return Err(bad("start_date", "a new event needs a date".into())),
            None => {}
        }
        if let Some(s) = &self.sport {
            if s.trim().is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(bad(
                    "type",
                    format!("{s:?} is not a sport name (e.g. Ride, Run)"),
                ));
            }
            m.insert("type".into(), json!(s));
        }
        if let Some(n) = &self.name {
            if n.trim().is_empty() {
                return Err(bad("name", "the name must not be empty".into()));
            }
            m.insert("name".into(), json!(n));
        }
        if let Some(d) = &self.description {
            m.insert("description".into(), json!(d));
        }
        if let Some(t) = self.moving_time {
            if !(0..=7 * 24 * 3600).contains(&t) {
                return Err(bad(
                    "moving_time",
                    format!("{t} s is out of range (0 to 7 days)"),
                ));
            }
            m.insert("moving_time".into(), json!(t));
        }
        if let Some(d) = self.distance {
            if !d.is_finite() || d < 0.0 {
                return Err(bad("distance", format!("{d} is not a distance in metres")));
            }
            m.insert("distance".into(), json!(d));
        }
        if let Some(i) = self.indoor {
            m.insert("indoor".into(), json!(i));
        }
        if let Some(c) = &self.color {
            m.insert("color".into(), json!(c));
        }
        if let Some(x) = &self.external_id {
            m.insert("external_id".into(), json!(x));
        }
        if let Some(t) = &self.tags {
            m.insert("tags".into(), json!(t));
        }
        if !creating && m.is_empty() {
            return Err(bad("update", "nothing to change".into()));
        }
        Ok(Value::Object(m))
    }
}

/// The answer to a bulk delete (spec `DeleteEventsResponse`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct DeletedEvents {
    /// How many were deleted.
    #[serde(rename = "eventsDeleted", skip_serializing_if = "Field::is_absent")]
    pub events_deleted: Field<i64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

fn categories_param(categories: &[&str]) -> Result<Option<String>, IcuError> {
    for c in categories {
        if !CATEGORIES.contains(c) {
            return Err(IcuError::InvalidInput {
                field: "category".into(),
                message: format!(
                    "{c:?} is not an event category; use one of {}",
                    CATEGORIES.join(", ")
                ),
            });
        }
    }
    Ok((!categories.is_empty()).then(|| categories.join(",")))
}

impl IcuClient {
    /// `GET /api/v1/athlete/{id}/events?oldest&newest[&category=A,B]`: events in the range
    /// (both days inclusive), optionally only some categories. Both dates are always sent: the
    /// API's defaults (today in the athlete's zone, a week) would silently cut the range.
    pub async fn events(
        &self,
        athlete: Option<&str>,
        oldest: NaiveDate,
        newest: NaiveDate,
        categories: &[&str],
    ) -> Result<Vec<Event>, IcuError> {
        check_range(oldest, newest)?;
        let a = self.athlete(athlete)?;
        let q = Query::new()
            .push("oldest", oldest)
            .push("newest", newest)
            .push_opt("category", categories_param(categories)?);
        let LenientList(list) = self
            .get(&format!("/api/v1/athlete/{a}/events{}", q.render()))
            .await?;
        Ok(list)
    }

    /// `GET /api/v1/athlete/{id}/events/{eventId}`: one event. The plural `events` is the
    /// documented path; the seed's singular `event/{id}` returns 404 (seed issues #79, #106).
    pub async fn event(&self, athlete: Option<&str>, event_id: i64) -> Result<Event, IcuError> {
        let a = self.athlete(athlete)?;
        let id = positive_id("event_id", event_id)?;
        self.get(&format!("/api/v1/athlete/{a}/events/{id}")).await
    }

    /// `POST /api/v1/athlete/{id}/events?upsertOnUid=false`: creates one event. The spec marks
    /// `upsertOnUid` required; the seed omits it (and the live API tolerates that), so it is
    /// sent explicitly as `false` to match the documented contract.
    pub async fn create_event(
        &self,
        athlete: Option<&str>,
        event: &EventWrite,
    ) -> Result<Event, IcuError> {
        let a = self.athlete(athlete)?;
        let body = event.body(true, "")?;
        let q = Query::new().push("upsertOnUid", false);
        self.request(
            Method::Post,
            &format!("/api/v1/athlete/{a}/events{}", q.render()),
            Some(&body),
        )
        .await
    }

    /// `PUT /api/v1/athlete/{id}/events/{eventId}` with only the fields set.
    pub async fn update_event(
        &self,
        athlete: Option<&str>,
        event_id: i64,
        event: &EventWrite,
    ) -> Result<Event, IcuError> {
        let a = self.athlete(athlete)?;
        let id = positive_id("event_id", event_id)?;
        let body = event.body(false, "")?;
        self.request(
            Method::Put,
            &format!("/api/v1/athlete/{a}/events/{id}"),
            Some(&body),
        )
        .await
    }

    /// `POST /api/v1/athlete/{id}/events/bulk?upsert=…&upsertOnUid=false&updatePlanApplied=false`:
    /// creates several events in one call. With `upsert`, events whose `external_id` matches
    /// one created earlier are updated instead (the spec says: by the same OAuth application;
    /// whether API-key writes count as one is not verified). The two other parameters are
    /// marked required by the spec and sent as `false`.
    pub async fn create_events_bulk(
        &self,
        athlete: Option<&str>,
        events: &[EventWrite],
        upsert: bool,
    ) -> Result<Vec<Event>, IcuError> {
        let a = self.athlete(athlete)?;
        if events.is_empty() {
            return Err(IcuError::InvalidInput {
                field: "events".into(),
                message: "give at least one event".into(),
            });
        }
        if upsert && let Some(i) = events.iter().position(|e| e.external_id.is_none()) {
            return Err(IcuError::InvalidInput {
                field: format!("events[{i}].external_id"),
                message: "an upsert matches events by external_id, so every event needs one".into(),
            });
        }
        let body = events
            .iter()
            .enumerate()
            .map(|(i, e)| e.body(true, &format!("events[{i}].")))
            .collect::<Result<Vec<_>, _>>()?;
        let q = Query::new()
            .push("upsert", upsert)
            .push("upsertOnUid", false)
            .push("updatePlanApplied", false);
        let LenientList(list) = self
            .request(
                Method::Post,
                &format!("/api/v1/athlete/{a}/events/bulk{}", q.render()),
                Some(&Value::Array(body)),
            )
            .await?;
        Ok(list)
    }

    /// `DELETE /api/v1/athlete/{id}/events/{eventId}`: deletes one event (not the others
    /// added with it: `others` is not sent).
    pub async fn delete_event(&self, athlete: Option<&str>, event_id: i64) -> Result<(), IcuError> {
        let a = self.athlete(athlete)?;
        let id = positive_id("event_id", event_id)?;
        self.request_json(
            Method::Delete,
            &format!("/api/v1/athlete/{a}/events/{id}"),
            None,
        )
        .await?;
        Ok(())
    }

    /// `DELETE /api/v1/athlete/{id}/events?oldest&newest&category=A,B`: deletes every event of
    /// those categories in the range in one call, where the seed sent one DELETE per event.
    /// `category` is required by the spec, so at least one must be given (all of
    /// [`CATEGORIES`] to clear the range). The API answers without a count.
    pub async fn delete_events_range(
        &self,
        athlete: Option<&str>,
        oldest: NaiveDate,
        newest: NaiveDate,
        categories: &[&str],
    ) -> Result<(), IcuError> {
        check_range(oldest, newest)?;
        let a = self.athlete(athlete)?;
        let Some(cats) = categories_param(categories)? else {
            return Err(IcuError::InvalidInput {
                field: "category".into(),
                message: "give at least one category to delete (the API requires it)".into(),
            });
        };
        let q = Query::new()
            .push("oldest", oldest)
            .push("newest", newest)
            .push("category", cats);
        self.request_json(
            Method::Delete,
            &format!("/api/v1/athlete/{a}/events{}", q.render()),
            None,
        )
        .await?;
        Ok(())
    }

    /// `PUT /api/v1/athlete/{id}/events/bulk-delete` with `[{"id": …}, …]`: deletes the events
    /// with these ids in one call (ids that do not exist are ignored by the API) and returns
    /// how many went.
    pub async fn delete_events_bulk(
        &self,
        athlete: Option<&str>,
        event_ids: &[i64],
    ) -> Result<DeletedEvents, IcuError> {
        let a = self.athlete(athlete)?;
        if event_ids.is_empty() {
            return Err(IcuError::InvalidInput {
                field: "event_ids".into(),
                message: "give at least one event id".into(),
            });
        }
        let body: Vec<Value> = event_ids
            .iter()
            .map(|id| positive_id("event_ids", *id).map(|id| json!({ "id": id })))
            .collect::<Result<_, _>>()?;
        let path = format!("/api/v1/athlete/{a}/events/bulk-delete");
        match self
            .request_json(Method::Put, &path, Some(&Value::Array(body)))
            .await?
        {
            // A bodiless success: deleted, count unknown.
            Value::Null => Ok(DeletedEvents::default()),
            v => super::from_value(v, &path),
        }
    }
}
