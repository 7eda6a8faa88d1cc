//! Calendar endpoints: events (races), calendar notes and their comments, availability, and
//! goal lists (`shared/spec/trainingpeaks-api.md` §9.1, §9.3, §9.4, §9.5, §12).
//!
//! Every update is GET, merge, then a full-object PUT: the server replaces the whole object, so
//! a body carrying only the changed fields would wipe the others. The merge starts from the
//! object exactly as the server returned it (as raw JSON, so fields this client does not know
//! survive) and overwrites only what the caller changed.
//!
//! Choices where the spec lists a CONFLICT (the safest reading, and why):
//! - **Event create / delete path**: singular `/fitness/v6/athletes/{aid}/event` (JM, "matches
//!   the app.trainingpeaks.com HAR"), the same resource both sources use for the PUT; REF's
//!   plural `/events` has no live evidence. The create body is JM's web-app shape (`personId`,
//!   `goals`, `legs`, `workouts`, `results`), because the web app is what the server is built
//!   for and `personId` is what the PUT needs too.
//! - **`eventType` values**: the web form's values (`RunningRoad`, `MultisportTriathlon`…), which
//!   the spec judges more likely correct for this API. The tools accept REF's Partner-API names
//!   too and translate them.
//! - **Availability dates**: sent as `YYYY-MM-DDT00:00:00` on create and update (JM's live-tested
//!   create and REF's update both use that form; REF's bare create dates are unverified).
//! - **Note PUT**: REF forces `parentPlanNoteId: 0` and `appliedPlanId: 0`, which would detach
//!   a note that came from a training plan. We keep the note's own values and only default them
//!   to 0 when the note has none.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};

use super::{Api, TpClient, TpError, from_value};
use crate::http::Method;

/// How far around today [`TpClient::find_event`] and availability updates search, because the
/// API has no single-event or single-entry GET (REF ±2 years, JM ±730 days).
pub const SEARCH_WINDOW_DAYS: i64 = 730;

/// Deserialises `null` as the type's default (TrainingPeaks sends `null` for empty lists).
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The first ten characters of a TrainingPeaks date or date-time (`2026-11-21T00:00:00`), parsed.
pub fn wire_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// A date as TrainingPeaks stores it in bodies: `YYYY-MM-DDT00:00:00`.
pub fn midnight(d: NaiveDate) -> String {
    format!("{}T00:00:00", d.format("%Y-%m-%d"))
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Replaces the generic "what" of a 404 with a sentence a person can act on.
fn name_not_found(e: TpError, what: impl FnOnce() -> String) -> TpError {
    match e {
        TpError::NotFound { method, path, .. } => TpError::NotFound {
            what: what(),
            method,
            path,
        },
        other => other,
    }
}

/// The id of a created object: `id`, else `alt` (e.g. `eventId`, `calendarNoteId`).
fn id_of(v: &Value, alt: &str) -> Option<i64> {
    v.get("id")
        .and_then(Value::as_i64)
        .or_else(|| v.get(alt).and_then(Value::as_i64))
}

/// `sent` with every field of the server's answer laid over it: the answer wins, and when the
/// server answers with an empty body or only an id, what we sent still describes the object.
fn overlay(sent: &Value, answer: Value) -> Value {
    let mut out = sent.clone();
    if let (Value::Object(o), Value::Object(a)) = (&mut out, answer) {
        for (k, v) in a {
            o.insert(k, v);
        }
    }
    out
}

fn set(obj: &mut Value, key: &str, v: Value) {
    if let Value::Object(m) = obj {
        m.insert(key.to_string(), v);
    }
}

// ---------------------------------------------------------------------------------------------
// Events

/// One placing of a raced event (`results[]`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventResult {
    /// `Division`, `Gender` or `Overall`.
    #[serde(default)]
    pub result_type: Option<String>,
    /// Finishing place, once raced.
    #[serde(default)]
    pub place: Option<i64>,
    /// Number of entrants.
    #[serde(default)]
    pub entrants: Option<i64>,
}

/// An event's goals (`goals`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventGoals {
    /// Goal finish time in seconds.
    #[serde(default)]
    pub time: Option<f64>,
    /// Goal place.
    #[serde(default)]
    pub place: Option<i64>,
    /// Whether the goal is a personal record.
    #[serde(default)]
    pub pr: Option<bool>,
    /// Free-text goals.
    #[serde(default, deserialize_with = "null_default")]
    pub written: Vec<String>,
}

/// A race or other event as `GET .../events/...` returns it (typed view of the fields we use).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Event id.
    #[serde(alias = "eventId")]
    pub id: i64,
    /// The athlete (`personId`).
    #[serde(default)]
    pub person_id: Option<i64>,
    /// `YYYY-MM-DDT00:00:00`.
    #[serde(default)]
    pub event_date: String,
    /// Event name.
    #[serde(default)]
    pub name: Option<String>,
    /// Event type (web-form value such as `RunningRoad`, or an older Partner-API name).
    #[serde(default)]
    pub event_type: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// The athlete's comment (often the race report).
    #[serde(default)]
    pub comment: Option<String>,
    /// Placings (present once raced).
    #[serde(default, deserialize_with = "null_default")]
    pub results: Vec<EventResult>,
    /// Goals.
    #[serde(default)]
    pub goals: Option<EventGoals>,
    /// Annual-training-plan priority `A`, `B` or `C`.
    #[serde(default)]
    pub atp_priority: Option<String>,
    /// Duration category.
    #[serde(default)]
    pub race_type_duration: Option<String>,
    /// Hidden from the calendar.
    #[serde(default, deserialize_with = "null_default")]
    pub is_hidden: bool,
    /// Target CTL (fitness) for race day.
    #[serde(default)]
    pub ctl_target: Option<f64>,
    /// Distance, in `distance_units`.
    #[serde(default)]
    pub distance: Option<f64>,
    /// Unit of `distance`: `Meters`, `Kilometers`, `Miles`, `""` or null (spec §9.1: all occur).
    #[serde(default)]
    pub distance_units: Option<String>,
}

impl Event {
    /// The event's date.
    pub fn date(&self) -> Option<NaiveDate> {
        wire_date(&self.event_date)
    }

    /// The distance in kilometres, whatever unit the event was stored in. With no unit, a value
    /// above 500 is taken as metres (no race is 500 km; many are 5000 m), else kilometres.
    pub fn distance_km(&self) -> Option<f64> {
        let d = self.distance.filter(|d| d.is_finite() && *d > 0.0)?;
        let unit = self
            .distance_units
            .as_deref()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        Some(match unit.as_str() {
            "meters" | "metres" | "m" => d / 1000.0,
            "kilometers" | "kilometres" | "km" => d,
            "miles" | "mi" => d * 1.609_344,
            "yards" | "yd" => d * 0.000_914_4,
            _ if d > 500.0 => d / 1000.0,
            _ => d,
        })
    }

    /// Whether any result has a place (the event has been raced).
    pub fn raced(&self) -> bool {
        self.results.iter().any(|r| r.place.is_some())
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
            "eventDate": ymd(self.date),
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
        if let Some(c) = self.ctl_target {
            set(&mut b, "ctlTarget", json!(c));
        }
        if let Some(d) = &self.description {
            set(&mut b, "description", json!(d));
        }
        b
    }
}

impl EventUpdate {
    /// `existing` (the event as the server returned it) with these changes applied and
    /// `personId` set: the full object to PUT.
    pub fn merge(&self, existing: &Value, athlete_id: i64) -> Value {
        let mut b = existing.clone();
        if let Some(v) = &self.name {
            set(&mut b, "name", json!(v));
        }
        if let Some(v) = self.date {
            set(&mut b, "eventDate", json!(midnight(v)));
        }
        if let Some(v) = &self.event_type {
            set(&mut b, "eventType", json!(v));
        }
        if let Some(v) = &self.description {
            set(&mut b, "description", json!(v));
        }
        if let Some(v) = &self.priority {
            set(&mut b, "atpPriority", json!(v));
        }
        if let Some(v) = self.distance {
            set(&mut b, "distance", json!(v));
        }
        if let Some(v) = &self.distance_units {
            set(&mut b, "distanceUnits", json!(v));
        }
        if let Some(v) = self.ctl_target {
            set(&mut b, "ctlTarget", json!(v));
        }
        set(&mut b, "personId", json!(athlete_id));
        b
    }
}

fn events_base(aid: i64) -> String {
    format!("/fitness/v6/athletes/{aid}")
}

impl TpClient {
    /// `GET .../events/{slug}` where "none" is a normal answer. The API answers 404 when there
    /// is no such event (spec §12); REF meant to say so but threw instead (its HTTP wrapper
    /// replaced the error before the 404 check). Here a 404, or an empty/`null` 2xx body, is
    /// `Ok(None)`; every other failure (401, 403, 5xx, bad JSON) is still an error.
    async fn optional_event(&self, athlete_id: i64, slug: &str) -> Result<Option<Event>, TpError> {
        let path = format!("{}/events/{slug}", events_base(athlete_id));
        match self.get_json(Api::Tp, &path).await {
            Ok(Value::Null) => Ok(None),
            Ok(v) => from_value(v, &path).map(Some),
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

    /// Raw events between two dates (inclusive), hidden ones included, as the server sent them.
    pub async fn events_raw(
        &self,
        athlete_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Value>, TpError> {
        let path = format!(
            "{}/events/{}/{}",
            events_base(athlete_id),
            ymd(start),
            ymd(end)
        );
        match self.get_json(Api::Tp, &path).await? {
            Value::Null => Ok(Vec::new()),
            v => from_value(v, &path),
        }
    }

    /// Events between two dates (inclusive), hidden ones included.
    pub async fn events(
        &self,
        athlete_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Event>, TpError> {
        let path = format!(
            "{}/events/{}/{}",
            events_base(athlete_id),
            ymd(start),
            ymd(end)
        );
        let raw = self.events_raw(athlete_id, start, end).await?;
        from_value(Value::Array(raw), &path)
    }

    /// One event by id, as raw JSON. There is no single-event GET (spec §9.1), so this searches
    /// [`SEARCH_WINDOW_DAYS`] either side of today.
    pub async fn find_event(&self, athlete_id: i64, event_id: i64) -> Result<Value, TpError> {
        let today = self.clock().today();
        let span = chrono::Duration::days(SEARCH_WINDOW_DAYS);
        let (start, end) = (today - span, today + span);
        let raw = self.events_raw(athlete_id, start, end).await?;
        raw.into_iter()
            .find(|e| id_of(e, "eventId") == Some(event_id))
            .ok_or_else(|| TpError::NotFound {
                what: format!(
                    "Event {event_id} for athlete {athlete_id} (searched {} to {}; list events \
                     with get_events to find the right id)",
                    ymd(start),
                    ymd(end)
                ),
                method: Method::Get,
                path: format!(
                    "{}/events/{}/{}",
                    events_base(athlete_id),
                    ymd(start),
                    ymd(end)
                ),
            })
    }

    /// Creates an event (`POST .../event`, see the module doc for the path choice).
    pub async fn create_event(&self, athlete_id: i64, new: &NewEvent) -> Result<Event, TpError> {
        let path = format!("{}/event", events_base(athlete_id));
        let body = new.body(athlete_id);
        let answer = self
            .request_json(Method::Post, Api::Tp, &path, Some(&body))
            .await?;
        let id = id_of(&answer, "eventId").ok_or_else(|| TpError::Decode {
            path: path.clone(),
            message: "the created event has no `id` or `eventId`".into(),
        })?;
        let mut merged = overlay(&body, answer);
        set(&mut merged, "id", json!(id));
        from_value(merged, &path)
    }

    /// Updates an event: finds it, merges `update` into the full object, PUTs it back.
    pub async fn update_event(
        &self,
        athlete_id: i64,
        event_id: i64,
        update: &EventUpdate,
    ) -> Result<Event, TpError> {
        let existing = self.find_event(athlete_id, event_id).await?;
        let body = update.merge(&existing, athlete_id);
        let path = format!("{}/event", events_base(athlete_id));
        let answer = self
            .request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await
            .map_err(|e| {
                name_not_found(e, || format!("Event {event_id} for athlete {athlete_id}"))
            })?;
        from_value(overlay(&body, answer), &path)
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

// ---------------------------------------------------------------------------------------------
// Calendar notes

/// A calendar note (`GET /fitness/v1/athletes/{aid}/calendarNote/{id}`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarNote {
    /// Note id (REF's type calls it `noteId`; the wire uses `id`).
    #[serde(alias = "noteId", alias = "calendarNoteId")]
    pub id: i64,
    /// The athlete.
    #[serde(default)]
    pub athlete_id: Option<i64>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// `YYYY-MM-DDT00:00:00`.
    #[serde(default)]
    pub note_date: String,
    /// Body text.
    #[serde(default)]
    pub description: Option<String>,
    /// Hidden.
    #[serde(default, deserialize_with = "null_default")]
    pub is_hidden: bool,
    /// Number of comments, when the server says.
    #[serde(default)]
    pub comment_count: Option<i64>,
}

impl CalendarNote {
    /// The note's date.
    pub fn date(&self) -> Option<NaiveDate> {
        wire_date(&self.note_date)
    }
}

/// One comment on a calendar note.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteComment {
    /// The note.
    #[serde(default)]
    pub calendar_note_id: Option<i64>,
    /// The comment's id (pass it back to edit the comment).
    pub calendar_note_comment_stream_id: i64,
    /// Text.
    #[serde(default)]
    pub comment: Option<String>,
    /// Who wrote it.
    #[serde(default)]
    pub commenter_person_id: Option<i64>,
    /// Created, UTC.
    #[serde(default)]
    pub created_date_time_utc: Option<String>,
    /// Last edited, UTC.
    #[serde(default)]
    pub updated_date_time_utc: Option<String>,
    /// Commenter's first name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Commenter's last name.
    #[serde(default)]
    pub last_name: Option<String>,
}

/// Changes to a note; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoteUpdate {
    /// New title.
    pub title: Option<String>,
    /// New body text.
    pub description: Option<String>,
    /// New date.
    pub date: Option<NaiveDate>,
}

impl NoteUpdate {
    /// The full note to PUT: `existing` with the changes, plus the ids REF's PUT carries
    /// (`id`, `athleteId`, `ownerId`, and `parentPlanNoteId`/`appliedPlanId` kept, or 0).
    pub fn merge(&self, existing: &Value, athlete_id: i64, note_id: i64) -> Value {
        let mut b = existing.clone();
        if let Some(v) = &self.title {
            set(&mut b, "title", json!(v));
        }
        if let Some(v) = &self.description {
            set(&mut b, "description", json!(v));
        }
        if let Some(v) = self.date {
            set(&mut b, "noteDate", json!(midnight(v)));
        }
        set(&mut b, "id", json!(note_id));
        set(&mut b, "athleteId", json!(athlete_id));
        set(&mut b, "ownerId", json!(athlete_id));
        for key in ["parentPlanNoteId", "appliedPlanId"] {
            if b.get(key).is_none_or(Value::is_null) {
                set(&mut b, key, json!(0));
            }
        }
        b
    }
}

/// The body of `POST .../calendarNote` (spec §9.3, REF).
pub fn new_note_body(
    athlete_id: i64,
    date: NaiveDate,
    title: &str,
    description: Option<&str>,
) -> Value {
    json!({
        "athleteId": athlete_id,
        "title": title,
        "noteDate": midnight(date),
        "description": description.unwrap_or(""),
        "isHidden": false,
        "attachments": [],
    })
}

/// The body of `PUT .../calendarNote/{id}/comment`: PascalCase keys (spec §9.3).
pub fn note_comment_body(comment: &str, stream_id: Option<i64>) -> Value {
    let mut b = json!({ "Comment": comment });
    if let Some(id) = stream_id {
        set(&mut b, "CalendarNoteCommentStreamId", json!(id));
    }
    b
}

fn note_path(aid: i64, id: i64) -> String {
    format!("/fitness/v1/athletes/{aid}/calendarNote/{id}")
}

fn note_what(aid: i64, id: i64) -> impl FnOnce() -> String {
    move || format!("Calendar note {id} for athlete {aid}")
}

impl TpClient {
    /// One note, raw.
    pub async fn note_raw(&self, athlete_id: i64, note_id: i64) -> Result<Value, TpError> {
        self.get_json(Api::Tp, &note_path(athlete_id, note_id))
            .await
            .map_err(|e| name_not_found(e, note_what(athlete_id, note_id)))
    }

    /// One note.
    pub async fn note(&self, athlete_id: i64, note_id: i64) -> Result<CalendarNote, TpError> {
        let raw = self.note_raw(athlete_id, note_id).await?;
        from_value(raw, &note_path(athlete_id, note_id))
    }

    /// Creates a note.
    pub async fn create_note(
        &self,
        athlete_id: i64,
        date: NaiveDate,
        title: &str,
        description: Option<&str>,
    ) -> Result<CalendarNote, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/calendarNote");
        let body = new_note_body(athlete_id, date, title, description);
        let answer = self
            .request_json(Method::Post, Api::Tp, &path, Some(&body))
            .await?;
        let id = id_of(&answer, "calendarNoteId").ok_or_else(|| TpError::Decode {
            path: path.clone(),
            message: "the created note has no `id` or `calendarNoteId`".into(),
        })?;
        let mut merged = overlay(&body, answer);
        set(&mut merged, "id", json!(id));
        from_value(merged, &path)
    }

    /// Updates a note: GET, merge, full PUT (the PUT needs the whole note incl. `createdDate`).
    pub async fn update_note(
        &self,
        athlete_id: i64,
        note_id: i64,
        update: &NoteUpdate,
    ) -> Result<CalendarNote, TpError> {
        let existing = self.note_raw(athlete_id, note_id).await?;
        let body = update.merge(&existing, athlete_id, note_id);
        let path = note_path(athlete_id, note_id);
        let answer = self
            .request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await
            .map_err(|e| name_not_found(e, note_what(athlete_id, note_id)))?;
        from_value(overlay(&body, answer), &path)
    }

    /// Deletes a note.
    pub async fn delete_note(&self, athlete_id: i64, note_id: i64) -> Result<(), TpError> {
        self.request_json(
            Method::Delete,
            Api::Tp,
            &note_path(athlete_id, note_id),
            None,
        )
        .await
        .map_err(|e| name_not_found(e, note_what(athlete_id, note_id)))?;
        Ok(())
    }

    /// A note's comments.
    pub async fn note_comments(
        &self,
        athlete_id: i64,
        note_id: i64,
    ) -> Result<Vec<NoteComment>, TpError> {
        let path = format!("{}/comments", note_path(athlete_id, note_id));
        match self
            .get_json(Api::Tp, &path)
            .await
            .map_err(|e| name_not_found(e, note_what(athlete_id, note_id)))?
        {
            Value::Null => Ok(Vec::new()),
            v => from_value(v, &path),
        }
    }

    /// Adds a comment to a note, or edits comment `stream_id` when given.
    pub async fn put_note_comment(
        &self,
        athlete_id: i64,
        note_id: i64,
        comment: &str,
        stream_id: Option<i64>,
    ) -> Result<(), TpError> {
        let path = format!("{}/comment", note_path(athlete_id, note_id));
        let body = note_comment_body(comment, stream_id);
        self.request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await
            .map_err(|e| {
                name_not_found(e, || match stream_id {
                    Some(s) => {
                        format!("Comment {s} on calendar note {note_id} for athlete {athlete_id}")
                    }
                    None => format!("Calendar note {note_id} for athlete {athlete_id}"),
                })
            })?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Availability

/// `type` 1: the athlete cannot train at all.
pub const AVAILABILITY_UNAVAILABLE: i64 = 1;
/// `type` 2: limited; `availableSportTypes` lists what is still possible.
pub const AVAILABILITY_LIMITED: i64 = 2;

/// An availability entry (`GET .../availability/{start}/{end}`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    /// Entry id.
    pub id: i64,
    /// The athlete.
    #[serde(default)]
    pub person_id: Option<i64>,
    /// First day.
    #[serde(default)]
    pub start_date: String,
    /// Last day (inclusive).
    #[serde(default)]
    pub end_date: String,
    /// Free-text reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// Sport ids still possible (when limited).
    #[serde(default, deserialize_with = "null_default")]
    pub available_sport_types: Vec<i64>,
    /// Details.
    #[serde(default)]
    pub description: Option<String>,
    /// 1 = unavailable, 2 = limited. (`limitedAvailability` is always false on the wire; this
    /// is the real flag, spec §9.4.)
    #[serde(rename = "type", default)]
    pub kind: Option<i64>,
}

impl Availability {
    /// Whether this is limited (rather than no) availability.
    pub fn is_limited(&self) -> bool {
        self.kind == Some(AVAILABILITY_LIMITED)
    }
}

/// A full availability entry to create.
#[derive(Debug, Clone, PartialEq)]
pub struct AvailabilitySpec {
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive, ≥ start).
    pub end: NaiveDate,
    /// Limited (type 2) rather than unavailable (type 1).
    pub limited: bool,
    /// Sport ids still possible; sent only when limited.
    pub sports: Vec<i64>,
    /// Free-text reason.
    pub reason: Option<String>,
    /// Details.
    pub description: Option<String>,
}

impl AvailabilitySpec {
    /// The POST body (spec §9.4): `personId`, never `athleteId` (that is a 400).
    pub fn body(&self, athlete_id: i64) -> Value {
        json!({
            "personId": athlete_id,
            "startDate": midnight(self.start),
            "endDate": midnight(self.end),
            "limitedAvailability": false,
            "reason": self.reason,
            "availableSportTypes": if self.limited { self.sports.clone() } else { Vec::new() },
            "description": self.description,
            "type": if self.limited { AVAILABILITY_LIMITED } else { AVAILABILITY_UNAVAILABLE },
        })
    }
}

/// Changes to an availability entry; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AvailabilityUpdate {
    /// New first day.
    pub start: Option<NaiveDate>,
    /// New last day.
    pub end: Option<NaiveDate>,
    /// Limited or unavailable.
    pub limited: Option<bool>,
    /// New sports still possible.
    pub sports: Option<Vec<i64>>,
    /// New reason.
    pub reason: Option<String>,
    /// New details.
    pub description: Option<String>,
}

impl AvailabilityUpdate {
    /// The full entry to PUT: `existing` with the changes applied, `id` and `personId` set, and
    /// the dates as `YYYY-MM-DDT00:00:00`. Fails (naming the argument) when the merged range
    /// ends before it starts.
    pub fn merge(&self, existing: &Value, athlete_id: i64, id: i64) -> Result<Value, TpError> {
        let old: Availability = from_value(existing.clone(), "availability")?;
        let start = match self.start {
            Some(d) => d,
            None => wire_date(&old.start_date)
                .ok_or_else(|| bad_stored("startDate", &old.start_date))?,
        };
        let end = match self.end {
            Some(d) => d,
            None => wire_date(&old.end_date).ok_or_else(|| bad_stored("endDate", &old.end_date))?,
        };
        if end < start {
            let field = if self.end.is_some() {
                "end_date"
            } else {
                "start_date"
            };
            return Err(TpError::InvalidInput {
                field: field.into(),
                message: format!(
                    "the entry would end ({}) before it starts ({}); give both start_date and \
                     end_date",
                    ymd(end),
                    ymd(start)
                ),
            });
        }
        let limited = self.limited.unwrap_or_else(|| old.is_limited());
        let sports = match (&self.sports, limited) {
            (_, false) => Vec::new(),
            (Some(s), true) => s.clone(),
            (None, true) => old.available_sport_types.clone(),
        };
        let mut b = existing.clone();
        set(&mut b, "id", json!(id));
        set(&mut b, "personId", json!(athlete_id));
        set(&mut b, "startDate", json!(midnight(start)));
        set(&mut b, "endDate", json!(midnight(end)));
        set(&mut b, "limitedAvailability", json!(false));
        set(&mut b, "availableSportTypes", json!(sports));
        set(
            &mut b,
            "type",
            json!(if limited {
                AVAILABILITY_LIMITED
            } else {
                AVAILABILITY_UNAVAILABLE
            }),
        );
        if let Some(r) = &self.reason {
            set(&mut b, "reason", json!(r));
        }
        if let Some(d) = &self.description {
            set(&mut b, "description", json!(d));
        }
        Ok(b)
    }
}

fn bad_stored(field: &str, value: &str) -> TpError {
    TpError::Decode {
        path: "availability".into(),
        message: format!("`{field}` is not a date: `{value}`"),
    }
}

impl TpClient {
    /// Availability entries overlapping a date range (inclusive).
    pub async fn availability(
        &self,
        athlete_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Availability>, TpError> {
        let path = format!(
            "/fitness/v1/athletes/{athlete_id}/availability/{}/{}",
            ymd(start),
            ymd(end)
        );
        match self.get_json(Api::Tp, &path).await? {
            Value::Null => Ok(Vec::new()),
            v => from_value(v, &path),
        }
    }

    /// Creates an availability entry.
    pub async fn create_availability(
        &self,
        athlete_id: i64,
        spec: &AvailabilitySpec,
    ) -> Result<Availability, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/availability");
        let body = spec.body(athlete_id);
        let answer = self
            .request_json(Method::Post, Api::Tp, &path, Some(&body))
            .await?;
        if id_of(&answer, "availabilityId").is_none() {
            return Err(TpError::Decode {
                path,
                message: "the created availability entry has no `id`".into(),
            });
        }
        let mut merged = overlay(&body, answer.clone());
        if let Some(id) = id_of(&answer, "availabilityId") {
            set(&mut merged, "id", json!(id));
        }
        from_value(merged, &path)
    }

    /// Updates an availability entry: finds it (no single GET exists, so the range around
    /// today, and around `update.start` when given, is searched), merges, and PUTs the full entry.
    pub async fn update_availability(
        &self,
        athlete_id: i64,
        id: i64,
        update: &AvailabilityUpdate,
    ) -> Result<Availability, TpError> {
        let today = self.clock().today();
        let span = chrono::Duration::days(SEARCH_WINDOW_DAYS);
        let mut start = today - span;
        let mut end = today + span;
        if let Some(s) = update.start {
            start = start.min(s - span);
            end = end.max(s + span);
        }
        let list_path = format!(
            "/fitness/v1/athletes/{athlete_id}/availability/{}/{}",
            ymd(start),
            ymd(end)
        );
        let raw: Vec<Value> = match self.get_json(Api::Tp, &list_path).await? {
            Value::Null => Vec::new(),
            v => from_value(v, &list_path)?,
        };
        let existing = raw
            .into_iter()
            .find(|e| id_of(e, "availabilityId") == Some(id))
            .ok_or_else(|| TpError::NotFound {
                what: format!(
                    "Availability entry {id} for athlete {athlete_id} (searched {} to {}; list \
                     entries with get_availability to find the right id)",
                    ymd(start),
                    ymd(end)
                ),
                method: Method::Get,
                path: list_path.clone(),
            })?;
        let body = update.merge(&existing, athlete_id, id)?;
        let path = format!("/fitness/v1/athletes/{athlete_id}/availability/{id}");
        let answer = self
            .request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await
            .map_err(|e| {
                name_not_found(e, || {
                    format!("Availability entry {id} for athlete {athlete_id}")
                })
            })?;
        from_value(overlay(&body, answer), &path)
    }

    /// Deletes an availability entry.
    pub async fn delete_availability(&self, athlete_id: i64, id: i64) -> Result<(), TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/availability/{id}");
        self.request_json(Method::Delete, Api::Tp, &path, None)
            .await
            .map_err(|e| {
                name_not_found(e, || {
                    format!("Availability entry {id} for athlete {athlete_id}")
                })
            })?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Goal lists

/// A created goal list.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GoalList {
    /// Goal list id.
    pub id: i64,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub activity_date: Option<String>,
    /// The goals, in order.
    #[serde(default, deserialize_with = "null_default")]
    pub goals: Vec<GoalItem>,
}

/// One goal in a goal list.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GoalItem {
    /// Goal id once saved.
    #[serde(default)]
    pub id: Option<i64>,
    /// The goal's text.
    #[serde(default)]
    pub string_value: Option<String>,
    /// Position.
    #[serde(default)]
    pub sort_order: Option<i64>,
}

/// The body of `POST .../goallists` (spec §9.5). `isFuture`/`isToday`/`isPast` compare `date`
/// with `today` (the client computes them, as the web app does).
pub fn goal_list_body(
    athlete_id: i64,
    date: NaiveDate,
    title: &str,
    goals: &[String],
    today: NaiveDate,
) -> Value {
    let items: Vec<Value> = goals
        .iter()
        .enumerate()
        .map(|(i, text)| {
            json!({
                "id": null,
                "athleteId": athlete_id,
                "goalListId": null,
                "type": "Written",
                "activityType": "GOAL",
                "sortOrder": i,
                "stringValue": text,
                "doubleValue": null,
                "intValue": null,
                "boolValue": null,
                "value": { "value": text, "label": "" },
                "complete": false,
                "changed": true,
                "setByPersonId": null,
                "athleteEventId": null,
            })
        })
        .collect();
    let mut m = Map::new();
    m.insert("id".into(), Value::Null);
    m.insert("athleteId".into(), json!(athlete_id));
    m.insert("title".into(), json!(title));
    m.insert("activityType".into(), json!("GOAL_LIST"));
    m.insert("activityDate".into(), json!(ymd(date)));
    m.insert("achieveBy".into(), json!(ymd(date)));
    m.insert("activityTime".into(), Value::Null);
    m.insert("isFuture".into(), json!(date > today));
    m.insert("isToday".into(), json!(date == today));
    m.insert("isPast".into(), json!(date < today));
    m.insert("isFullyCompliant".into(), json!(false));
    m.insert("isPartiallyCompliant".into(), json!(false));
    m.insert("isNotCompliant".into(), json!(false));
    m.insert("goals".into(), Value::Array(items));
    Value::Object(m)
}

impl TpClient {
    /// Creates a goal list of written goals.
    pub async fn create_goal_list(
        &self,
        athlete_id: i64,
        date: NaiveDate,
        title: &str,
        goals: &[String],
    ) -> Result<GoalList, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/goallists");
        let body = goal_list_body(athlete_id, date, title, goals, self.clock().today());
        let answer = self
            .request_json(Method::Post, Api::Tp, &path, Some(&body))
            .await?;
        let id = id_of(&answer, "goalListId").ok_or_else(|| TpError::Decode {
            path: path.clone(),
            message: "the created goal list has no `id`".into(),
        })?;
        let mut merged = overlay(&body, answer);
        set(&mut merged, "id", json!(id));
        from_value(merged, &path)
    }

    /// Deletes a goal list.
    pub async fn delete_goal_list(&self, athlete_id: i64, id: i64) -> Result<(), TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/goallists/{id}");
        self.request_json(Method::Delete, Api::Tp, &path, None)
            .await
            .map_err(|e| {
                name_not_found(e, || format!("Goal list {id} for athlete {athlete_id}"))
            })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn distance_km_normalises_every_unit_form() {
        let cases = [
            ("metres", Some(50000.0), Some("Meters"), Some(50.0)),
            ("kilometres", Some(50.0), Some("Kilometers"), Some(50.0)),
            ("miles", Some(13.1), Some("Miles"), Some(13.1 * 1.609_344)),
            (
                "empty unit, metres-sized",
                Some(50000.0),
                Some(""),
                Some(50.0),
            ),
            ("null unit, km-sized", Some(50.0), None, Some(50.0)),
            ("no distance", None, Some("Kilometers"), None),
            ("zero distance", Some(0.0), Some("Kilometers"), None),
        ];
        for (name, distance, unit, want) in cases {
            let e = Event {
                id: 1,
                person_id: None,
                event_date: String::new(),
                name: None,
                event_type: None,
                description: None,
                comment: None,
                results: vec![],
                goals: None,
                atp_priority: None,
                race_type_duration: None,
                is_hidden: false,
                ctl_target: None,
                distance,
                distance_units: unit.map(str::to_string),
            };
            match (e.distance_km(), want) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{name}: {a} vs {b}"),
                (a, b) => assert_eq!(a, b, "{name}"),
            }
        }
    }

    #[test]
    fn event_decodes_nulls_as_empty() {
        let v = json!({"id": 5, "eventDate": "2027-02-13T00:00:00", "results": null, "isHidden": null,
                       "goals": {"written": null, "time": 18900}});
        let e: Event = serde_json::from_value(v).unwrap();
        assert!(e.results.is_empty());
        assert!(!e.is_hidden);
        assert_eq!(e.goals.as_ref().unwrap().time, Some(18900.0));
        assert_eq!(e.date(), Some(d("2027-02-13")));
    }

    #[test]
    fn event_merge_keeps_unknown_fields_and_sets_person_id() {
        let existing = json!({"id": 7, "name": "Old", "eventDate": "2027-01-01T00:00:00",
            "workoutIds": [1, 2], "legs": [{"x": 1}], "comment": "keep", "personId": 1});
        let up = EventUpdate {
            name: Some("New".into()),
            ctl_target: Some(90.0),
            ..Default::default()
        };
        let b = up.merge(&existing, 42);
        assert_eq!(b["name"], "New");
        assert_eq!(b["ctlTarget"], 90.0);
        assert_eq!(b["personId"], 42);
        assert_eq!(b["workoutIds"], json!([1, 2]));
        assert_eq!(b["legs"], json!([{"x": 1}]));
        assert_eq!(b["comment"], "keep");
        assert_eq!(b["eventDate"], "2027-01-01T00:00:00");
    }

    #[test]
    fn note_merge_keeps_plan_links() {
        let existing = json!({"id": 3, "title": "t", "createdDate": "2026-01-01T10:00:00",
            "appliedPlanId": 99, "parentPlanNoteId": null});
        let b = NoteUpdate {
            title: Some("n".into()),
            ..Default::default()
        }
        .merge(&existing, 42, 3);
        assert_eq!(b["appliedPlanId"], 99);
        assert_eq!(b["parentPlanNoteId"], 0);
        assert_eq!(b["createdDate"], "2026-01-01T10:00:00");
        assert_eq!(b["ownerId"], 42);
    }

    #[test]
    fn availability_merge_rules() {
        let existing = json!({"id": 9, "personId": 42, "startDate": "2026-12-01T00:00:00",
            "endDate": "2026-12-07T00:00:00", "limitedAvailability": false, "reason": "Travel",
            "availableSportTypes": [3, 9], "description": "trip", "type": 2, "extra": "kept"});
        // Only the description changes: limited status and sports stay.
        let b = AvailabilityUpdate {
            description: Some("new".into()),
            ..Default::default()
        }
        .merge(&existing, 42, 9)
        .unwrap();
        assert_eq!(b["availableSportTypes"], json!([3, 9]));
        assert_eq!(b["type"], 2);
        assert_eq!(b["reason"], "Travel");
        assert_eq!(b["extra"], "kept");
        // Switching to unavailable clears the sports.
        let b = AvailabilityUpdate {
            limited: Some(false),
            ..Default::default()
        }
        .merge(&existing, 42, 9)
        .unwrap();
        assert_eq!(b["availableSportTypes"], json!([]));
        assert_eq!(b["type"], 1);
        // A new start after the stored end is refused, naming start_date.
        let e = AvailabilityUpdate {
            start: Some(d("2026-12-10")),
            ..Default::default()
        }
        .merge(&existing, 42, 9)
        .unwrap_err();
        assert!(
            matches!(e, TpError::InvalidInput { ref field, .. } if field == "start_date"),
            "{e:?}"
        );
    }

    #[test]
    fn goal_list_flags_compare_with_today() {
        let today = d("2026-11-21");
        for (date, fut, tod, past) in [
            ("2026-11-22", true, false, false),
            ("2026-11-21", false, true, false),
            ("2026-11-20", false, false, true),
        ] {
            let b = goal_list_body(1, d(date), "t", &["g".into()], today);
            assert_eq!(
                (
                    b["isFuture"] == true,
                    b["isToday"] == true,
                    b["isPast"] == true
                ),
                (fut, tod, past),
                "{date}"
            );
        }
    }
}
