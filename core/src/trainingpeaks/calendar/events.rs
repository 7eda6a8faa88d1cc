//! Events (races): focus event, next planned event, a date range, create, update, delete
//! (spec §9.1, §12).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{
    created_id, created_without_id, either_id, name_not_found, overlay, put_body, raw_list, ymd,
};
use crate::http::Method;
use crate::trainingpeaks::settings::{Num, num};
use crate::trainingpeaks::{Api, TpClient, TpError, from_value};
use crate::wire::{Day, Field, MissingField, Rest};

/// One placing of a raced event (`results[]`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventResult {
    /// `Division`, `Gender` or `Overall` (any other value is kept and shown as it is).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub result_type: Field<String>,
    /// Finishing place, once raced.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub place: Field<i64>,
    /// Number of entrants.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub entrants: Field<i64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// An event's goals (`goals`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EventGoals {
    /// Goal finish time in seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub time: Field<Num>,
    /// Goal place.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub place: Field<i64>,
    /// Whether the goal is a personal record.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub pr: Field<bool>,
    /// Free-text goals.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub written: Field<Vec<String>>,
    /// Everything else (`athleteEventId`, `finish`…), kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// A race or other event as `GET .../events/...` returns it and the PUT takes it back. Only
/// the id is vital (see [`Event::id`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Event {
    /// Event id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// The id under its other name, which some answers use.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub event_id: Field<i64>,
    /// The athlete (`personId`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub person_id: Field<i64>,
    /// The day (`YYYY-MM-DDT00:00:00`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub event_date: Field<Day>,
    /// Event name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Event type (web-form value such as `RunningRoad`, or an older Partner-API name).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub event_type: Field<String>,
    /// Description.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// The athlete's comment (often the race report).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub comment: Field<String>,
    /// Placings (present once raced).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub results: Field<Vec<EventResult>>,
    /// Goals.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub goals: Field<EventGoals>,
    /// Annual-training-plan priority `A`, `B` or `C`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub atp_priority: Field<String>,
    /// Duration category.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub race_type_duration: Field<String>,
    /// Hidden from the calendar.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub is_hidden: Field<bool>,
    /// Target CTL (fitness) for race day.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub ctl_target: Field<Num>,
    /// Distance, in `distance_units`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance: Field<Num>,
    /// Unit of `distance`: `Meters`, `Kilometers`, `Miles`, `""` or null (spec §9.1: all occur).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance_units: Field<String>,
    /// Everything else (`workoutIds`, `legs`, `workouts`, `isLocked`…), kept for the PUT.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(EventResult, EventGoals, Event);

impl Event {
    /// The event's id (`id`, else `eventId`): vital, an event without one cannot be named.
    pub fn id(&self) -> Result<i64, MissingField> {
        either_id("event", &self.id, &[&self.event_id])
    }

    /// The event's date, if readable.
    pub fn date(&self) -> Option<NaiveDate> {
        self.event_date.get().map(Day::date)
    }

    /// Whether the event is hidden (unknown reads as not hidden: it is listed).
    pub fn hidden(&self) -> bool {
        self.is_hidden.val().unwrap_or(false)
    }

    /// The distance as stored, if positive.
    pub fn distance_value(&self) -> Option<f64> {
        num(&self.distance).filter(|d| d.is_finite() && *d > 0.0)
    }

    /// The distance in kilometres, whatever unit the event was stored in. With no unit, a value
    /// above 500 is taken as metres (no race is 500 km; many are 5000 m), else kilometres.
    pub fn distance_km(&self) -> Option<f64> {
        let d = self.distance_value()?;
        let unit = self
            .distance_units
            .get()
            .map(|u| u.trim().to_ascii_lowercase())
            .unwrap_or_default();
        Some(match unit.as_str() {
            "meters" | "metres" | "m" => d / 1000.0,
            "kilometers" | "kilometres" | "km" => d,
            "miles" | "mi" => d * 1.609_344,
            "yards" | "yd" => d * 0.000_914_4,
            _ if d > 500.0 => d / 1000.0,
            _ => d,
        })
    }

    /// The placings, in order (empty when unknown).
    pub fn results(&self) -> &[EventResult] {
        self.results.get().map_or(&[], Vec::as_slice)
    }

    /// Whether any result has a place (the event has been raced).
    pub fn raced(&self) -> bool {
        self.results().iter().any(|r| r.place.is_present())
    }
}

/// The fields of a new event.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// Name (required).
    pub name: String,
    /// Date.
    pub date: NaiveDate,
    /// Wire `eventType` (web-form value, e.g. `RunningRoad`).
    pub event_type: String,
    /// Description.
    pub description: Option<String>,
    /// `A`, `B` or `C`; the web app's default is `C`.
    pub priority: Option<String>,
    /// Distance in `distance_units`.
    pub distance: Option<f64>,
    /// `Meters`, `Kilometers` or `Miles`.
    pub distance_units: Option<String>,
    /// Target CTL.
    pub ctl_target: Option<f64>,
}

/// Changes to an event; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventUpdate {
    /// New name.
    pub name: Option<String>,
    /// New date.
    pub date: Option<NaiveDate>,
    /// New wire `eventType`.
    pub event_type: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New priority.
    pub priority: Option<String>,
    /// New distance.
    pub distance: Option<f64>,
    /// New distance unit.
    pub distance_units: Option<String>,
    /// New CTL target.
    pub ctl_target: Option<f64>,
}

impl NewEvent {
    /// The POST body: the web app's shape (spec §9.1, JM), with `personId` = the athlete.
    pub fn body(&self, athlete_id: i64) -> Value {
        let mut b = json!({
            "goals": {},
            "atpPriority": self.priority.clone().unwrap_or_else(|| "C".into()),
            "legs": [],
            "eventDate": Day::plain(self.date),
            "name": self.name,
            "personId": athlete_id,
            "eventType": self.event_type,
            "workouts": [],
            "results": [
                {"resultType": "Division"},
                {"resultType": "Gender"},
                {"resultType": "Overall"}
            ],
            "distance": self.distance,
            "distanceUnits": self.distance_units,
        });
        if let Value::Object(m) = &mut b {
            if let Some(c) = self.ctl_target {
                m.insert("ctlTarget".into(), json!(c));
            }
            if let Some(d) = &self.description {
                m.insert("description".into(), json!(d));
            }
        }
        b
    }
}

impl EventUpdate {
    /// `existing` (the event as the server returned it) with these changes applied and
    /// `personId` set: the full object to PUT.
    pub fn merge(&self, existing: &Event, athlete_id: i64) -> Event {
        let mut e = existing.clone();
        let text = |v: &String| Field::Present(v.clone());
        if let Some(v) = &self.name {
            e.name = text(v);
        }
        if let Some(v) = self.date {
            e.event_date = Field::Present(Day::midnight(v));
        }
        if let Some(v) = &self.event_type {
            e.event_type = text(v);
        }
        if let Some(v) = &self.description {
            e.description = text(v);
        }
        if let Some(v) = &self.priority {
            e.atp_priority = text(v);
        }
        // Written as floats (`96.0`), as this client always has.
        if let Some(v) = self.distance {
            e.distance = Field::Present(Num::float(v));
        }
        if let Some(v) = &self.distance_units {
            e.distance_units = text(v);
        }
        if let Some(v) = self.ctl_target {
            e.ctl_target = Field::Present(Num::float(v));
        }
        e.person_id = Field::Present(athlete_id);
        e
    }
}

fn events_base(aid: i64) -> String {
    format!("/fitness/v6/athletes/{aid}")
}

fn events_path(aid: i64, start: NaiveDate, end: NaiveDate) -> String {
    format!("{}/events/{}/{}", events_base(aid), ymd(start), ymd(end))
}

impl TpClient {
    /// `GET .../events/{slug}` where "none" is a normal answer. The API answers 404 when there
    /// is no such event (spec §12); REF meant to say so but threw instead (its HTTP wrapper
    /// replaced the error before the 404 check). Here a 404, or an empty/`null` 2xx body, is
    /// `Ok(None)`; every other failure (401, 403, 5xx, a non-object) is still an error.
    async fn optional_event(&self, athlete_id: i64, slug: &str) -> Result<Option<Event>, TpError> {
        let path = format!("{}/events/{slug}", events_base(athlete_id));
        match self.get_json(Api::Tp, &path).await {
            Ok(Value::Null) => Ok(None),
            Ok(v @ Value::Object(_)) => from_value(v, &path).map(Some),
            Ok(other) => Err(TpError::Decode {
                path,
                message: format!("expected an event object, got {other}"),
            }),
            Err(TpError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The athlete's focus (A-priority) event, or `None` when none is set.
    pub async fn focus_event(&self, athlete_id: i64) -> Result<Option<Event>, TpError> {
        self.optional_event(athlete_id, "focusevent").await
    }

    /// The next upcoming planned event, or `None` when there is none.
    pub async fn next_planned_event(&self, athlete_id: i64) -> Result<Option<Event>, TpError> {
        self.optional_event(athlete_id, "nextplannedevent").await
    }

    /// Events between two dates (inclusive), hidden ones included. An element that is not an
    /// object is skipped (one odd element must not lose the others); a non-list answer is an
    /// error naming the path.
    pub async fn events(
        &self,
        athlete_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Event>, TpError> {
        let path = events_path(athlete_id, start, end);
        list_response(self.get_json(Api::Tp, &path).await?, &path, "events")
    }

    /// One event by id. There is no single-event GET (spec §9.1), so this searches
    /// [`super::SEARCH_WINDOW_DAYS`] either side of today.
    pub async fn find_event(&self, athlete_id: i64, event_id: i64) -> Result<Event, TpError> {
        Ok(self.find_event_raw(athlete_id, event_id).await?.1)
    }

    /// [`TpClient::find_event`] with the event exactly as the server sent it.
    async fn find_event_raw(
        &self,
        athlete_id: i64,
        event_id: i64,
    ) -> Result<(Value, Event), TpError> {
        let today = self.clock().today();
        let span = chrono::Duration::days(super::SEARCH_WINDOW_DAYS);
        let (start, end) = (today - span, today + span);
        let path = events_path(athlete_id, start, end);
        let list = self.get_json(Api::Tp, &path).await?;
        raw_list::<Event>(list, &path, "events")?
            .into_iter()
            .find(|(_, e)| e.id().ok() == Some(event_id))
            .ok_or_else(|| TpError::NotFound {
                what: format!(
                    "Event {event_id} for athlete {athlete_id} (searched {} to {}; list events \
                     with get_events to find the right id)",
                    ymd(start),
                    ymd(end)
                ),
                method: Method::Get,
                path,
            })
    }

    /// Creates an event (`POST .../event`, see the module doc for the path choice).
    pub async fn create_event(&self, athlete_id: i64, new: &NewEvent) -> Result<Event, TpError> {
        let path = format!("{}/event", events_base(athlete_id));
        let body = new.body(athlete_id);
        let answer = self
            .request_json(Method::Post, Api::Tp, &path, Some(&body))
            .await?;
        let id = created_id(&answer, "eventId").ok_or_else(|| {
            created_without_id(&path, "event", "`id` or `eventId`", &answer, "get_events")
        })?;
        let mut event: Event = from_value(overlay(&body, answer), &path)?;
        event.id = Field::Present(id);
        Ok(event)
    }

    /// Updates an event: finds it, merges `update` into the full object, PUTs it back.
    pub async fn update_event(
        &self,
        athlete_id: i64,
        event_id: i64,
        update: &EventUpdate,
    ) -> Result<Event, TpError> {
        let (raw, existing) = self.find_event_raw(athlete_id, event_id).await?;
        let merged = update.merge(&existing, athlete_id);
        let path = format!("{}/event", events_base(athlete_id));
        let body = put_body(&raw, &existing, &merged, &path)?;
        let answer = self
            .request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await
            .map_err(|e| {
                name_not_found(e, || format!("Event {event_id} for athlete {athlete_id}"))
            })?;
        let mut event: Event = from_value(overlay(&body, answer), &path)?;
        if event.id().is_err() {
            event.id = Field::Present(event_id);
        }
        Ok(event)
    }

    /// Deletes an event.
    pub async fn delete_event(&self, athlete_id: i64, event_id: i64) -> Result<(), TpError> {
        let path = format!("{}/event/{event_id}", events_base(athlete_id));
        self.request_json(Method::Delete, Api::Tp, &path, None)
            .await
            .map_err(|e| {
                name_not_found(e, || format!("Event {event_id} for athlete {athlete_id}"))
            })?;
        Ok(())
    }
}

/// A list response: `null` reads as empty, an element that is not an object is skipped, and
/// anything but a list is an error naming the path.
pub(super) fn list_response<T: serde::de::DeserializeOwned>(
    v: Value,
    path: &str,
    what: &str,
) -> Result<Vec<T>, TpError> {
    Ok(super::raw_list(v, path, what)?
        .into_iter()
        .map(|(_, t)| t)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(v: Value) -> Event {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn distance_km_normalises_every_unit_form() {
        let cases = [
            ("metres", json!(50000.0), json!("Meters"), Some(50.0)),
            ("kilometres", json!(50), json!("Kilometers"), Some(50.0)),
            (
                "miles",
                json!("13.1"),
                json!("Miles"),
                Some(13.1 * 1.609_344),
            ),
            (
                "empty unit, metres-sized",
                json!(50000),
                json!(""),
                Some(50.0),
            ),
            ("null unit, km-sized", json!(50.0), Value::Null, Some(50.0)),
            ("no distance", Value::Null, json!("Kilometers"), None),
            ("zero distance", json!(0), json!("Kilometers"), None),
            (
                "unreadable distance",
                json!("far"),
                json!("Kilometers"),
                None,
            ),
        ];
        for (name, distance, unit, want) in cases {
            let e = event(json!({"id": 1, "distance": distance, "distanceUnits": unit}));
            match (e.distance_km(), want) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{name}: {a} vs {b}"),
                (a, b) => assert_eq!(a, b, "{name}"),
            }
        }
    }

    #[test]
    fn drifted_event_reads_and_round_trips() {
        let raw = json!({"id": "5", "eventDate": "2027-02-13T00:00:00.000Z", "results": null,
            "isHidden": null, "ctlTarget": "95", "name": 7, "eventType": "NewSportKind",
            "goals": {"written": [null, "Sub 5", 3], "time": "18900.0", "athleteEventId": 5},
            "brandNew": {"deep": [1]}});
        let e = event(raw.clone());
        assert_eq!(e.id(), Ok(5));
        assert!(e.results().is_empty());
        assert!(!e.hidden());
        assert_eq!(num(&e.ctl_target), Some(95.0));
        assert_eq!(e.event_type.get().map(String::as_str), Some("NewSportKind"));
        let g = e.goals.get().unwrap();
        assert_eq!(num(&g.time), Some(18900.0));
        assert_eq!(g.written.get().unwrap(), &["Sub 5", "3"]);
        assert_eq!(
            e.date(),
            Some(NaiveDate::from_ymd_opt(2027, 2, 13).unwrap())
        );
        let back = serde_json::to_value(&e).unwrap();
        assert_eq!(back["brandNew"], raw["brandNew"]);
        assert_eq!(back["eventDate"], raw["eventDate"]);
        assert_eq!(back["ctlTarget"], raw["ctlTarget"]);
        assert_eq!(back["goals"]["athleteEventId"], json!(5));
        assert_eq!(back["results"], Value::Null);
    }

    #[test]
    fn event_id_falls_back_to_event_id_and_names_itself_when_missing() {
        assert_eq!(event(json!({"eventId": 9.0})).id(), Ok(9));
        let e = event(json!({"id": "abc", "name": "x"})).id().unwrap_err();
        assert_eq!((e.entity.as_str(), e.field.as_str()), ("event", "id"));
        assert!(e.seen.contains("abc"), "{e}");
    }

    #[test]
    fn event_merge_keeps_unknown_fields_and_sets_person_id() {
        let existing = event(
            json!({"id": 7, "name": "Old", "eventDate": "2027-01-01T00:00:00",
            "workoutIds": [1, 2], "legs": [{"x": 1}], "comment": "keep", "personId": 1,
            "distance": 113}),
        );
        let up = EventUpdate {
            name: Some("New".into()),
            ctl_target: Some(90.0),
            ..Default::default()
        };
        let b = serde_json::to_value(up.merge(&existing, 42)).unwrap();
        assert_eq!(b["name"], "New");
        assert_eq!(b["ctlTarget"], json!(90.0));
        assert_eq!(b["personId"], 42);
        assert_eq!(b["workoutIds"], json!([1, 2]));
        assert_eq!(b["legs"], json!([{"x": 1}]));
        assert_eq!(b["comment"], "keep");
        assert_eq!(b["eventDate"], "2027-01-01T00:00:00");
        assert_eq!(b["distance"], json!(113));
    }

    #[test]
    fn list_response_skips_odd_elements_and_refuses_a_non_list() {
        let got: Vec<Event> =
            list_response(json!([{"id": 1}, 5, "x", {"id": 2}]), "/p", "events").unwrap();
        assert_eq!(got.len(), 2);
        assert!(
            list_response::<Event>(Value::Null, "/p", "events")
                .unwrap()
                .is_empty()
        );
        let e = list_response::<Event>(json!({"id": 1}), "/p", "events").unwrap_err();
        assert!(
            matches!(e, TpError::Decode { ref path, .. } if path == "/p"),
            "{e:?}"
        );
    }
}
