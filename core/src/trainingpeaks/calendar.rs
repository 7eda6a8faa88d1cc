//! Calendar endpoints: events (races), calendar notes and their comments, availability, and
//! goal lists (`shared/spec/trainingpeaks-api.md` §9.1, §9.3, §9.4, §9.5, §12), one file per
//! section under `calendar/`.
//!
//! Every entity is a wire struct of tolerant [`Field`]s that keeps what it does not model in
//! its `rest`. Every update is GET, merge, then a full-object PUT: the server replaces the whole
//! object, so a body carrying only the changed fields would wipe the others. The merge starts
//! from the object exactly as the server returned it (unmodelled fields and untouched numbers
//! go back as they came) and overwrites only what the caller changed.
//!
//! Choices where the spec lists a CONFLICT (the safest reading, and why):
//! - **Event create / delete path**: singular `/fitness/v6/athletes/{aid}/event` (JM, "matches
//!   the app.trainingpeaks.com HAR"), the same resource both sources use for the PUT; REF's
//!   plural `/events` has no live evidence. The create body is JM's web-app shape (`personId`,
//!   `goals`, `legs`, `workouts`, `results`), because the web app is what the server is built
//!   for and `personId` is what the PUT needs too.
//! - **`eventType` values**: the web form's values (`RunningRoad`, `MultisportTriathlon`…), which
//!   the spec judges more likely correct for this API. The tools accept REF's Partner-API names
//!   too and translate them. A type we do not know is shown by its raw name.
//! - **Availability dates**: sent as `YYYY-MM-DDT00:00:00` on create and update (JM's live-tested
//!   create and REF's update both use that form; REF's bare create dates are unverified).
//! - **Note PUT**: REF forces `parentPlanNoteId: 0` and `appliedPlanId: 0`, which would detach
//!   a note that came from a training plan. We keep the note's own values and only default them
//!   to 0 when the note has none.

use serde::Serialize;
use serde_json::Value;

use super::TpError;
use super::settings::changed_over;
pub use crate::wire::trimmed_text as text;
use crate::wire::{Field, MissingField, int_of};

mod availability;
mod events;
mod goals;
mod notes;

pub use availability::{
    AVAILABILITY_LIMITED, AVAILABILITY_UNAVAILABLE, Availability, AvailabilitySpec,
    AvailabilityUpdate,
};
pub use events::{Event, EventGoals, EventResult, EventUpdate, NewEvent};
pub use goals::{GoalItem, GoalList, goal_list_body};
pub use notes::{CalendarNote, NoteComment, NoteUpdate, new_note_body, note_comment_body};

/// How far around today [`super::TpClient::find_event`] and availability updates search,
/// because the API has no single-event or single-entry GET (REF ±2 years, JM ±730 days).
pub const SEARCH_WINDOW_DAYS: i64 = 730;

/// A date in a URL path: `YYYY-MM-DD`.
fn ymd(d: chrono::NaiveDate) -> String {
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

/// The id of a created object in the server's answer: `id`, else `alt` (e.g. `eventId`),
/// read leniently.
fn created_id(answer: &Value, alt: &str) -> Option<i64> {
    answer
        .get("id")
        .and_then(int_of)
        .or_else(|| answer.get(alt).and_then(int_of))
}

/// The error for a create the server accepted (2xx) but whose answer carries no id we can
/// read: the object was most likely created, so the person must look before trying again
/// (a blind retry would make a duplicate).
fn created_without_id(path: &str, what: &str, fields: &str, answer: &Value, look: &str) -> TpError {
    let mut seen = answer.to_string();
    if seen.chars().count() > 80 {
        seen = seen.chars().take(80).collect::<String>() + "…";
    }
    TpError::Decode {
        path: path.to_string(),
        message: format!(
            "TrainingPeaks accepted the new {what} but its answer has no readable {fields} \
             (saw {seen}), so it was probably created: check with {look} before retrying"
        ),
    }
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

/// An entity's id from its `id` field, else from its alternative id field (`eventId`,
/// `calendarNoteId`…); the error names `id` and what was seen there.
fn either_id(entity: &str, id: &Field<i64>, alt: &[&Field<i64>]) -> Result<i64, MissingField> {
    if let Some(v) = id.val() {
        return Ok(v);
    }
    alt.iter()
        .find_map(|f| f.val())
        .map_or_else(|| id.require(entity, "id"), Ok)
}

/// A wire struct as the JSON body of a request.
fn body_of<T: Serialize>(v: &T, path: &str) -> Result<Value, TpError> {
    serde_json::to_value(v).map_err(|e| TpError::Decode {
        path: path.to_string(),
        message: format!("the request body could not be written: {e}"),
    })
}

/// The body of a full-object PUT: `raw` (the object as the server sent it) with only the keys
/// the merge changed from `before` to `after` replaced (see [`changed_over`]).
fn put_body<T: Serialize>(
    raw: &Value,
    before: &T,
    after: &T,
    path: &str,
) -> Result<Value, TpError> {
    Ok(changed_over(
        raw,
        &body_of(before, path)?,
        &body_of(after, path)?,
    ))
}

/// The objects of a list response, each with its wire struct: `null` reads as empty, an
/// element that is not an object is skipped, and anything but a list is an error naming the
/// path.
fn raw_list<T: serde::de::DeserializeOwned>(
    v: Value,
    path: &str,
    what: &str,
) -> Result<Vec<(Value, T)>, TpError> {
    let items = match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items,
        other => {
            return Err(TpError::Decode {
                path: path.to_string(),
                message: format!("expected a list of {what}, got {other}"),
            });
        }
    };
    Ok(items
        .into_iter()
        .filter(Value::is_object)
        .filter_map(|raw| Some((crate::wire::read(&raw).ok()?, raw)))
        .map(|(t, raw)| (raw, t))
        .collect())
}
