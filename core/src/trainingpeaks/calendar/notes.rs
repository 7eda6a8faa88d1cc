//! Calendar notes and their comments (spec §9.3).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::events::list_response;
use super::{created_id, created_without_id, either_id, name_not_found, overlay, put_body};
use crate::http::Method;
use crate::trainingpeaks::{Api, TpClient, TpError, from_value};
use crate::wire::{Day, Field, MissingField, Rest, Stamp};

/// A calendar note (`GET /fitness/v1/athletes/{aid}/calendarNote/{id}`), PUT back whole on
/// update. Only the id is vital (see [`CalendarNote::id`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CalendarNote {
    /// Note id (the wire uses `id`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// The id as REF's type calls it.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub note_id: Field<i64>,
    /// The id as some create answers call it.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub calendar_note_id: Field<i64>,
    /// The athlete.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athlete_id: Field<i64>,
    /// Who owns the note (the athlete, on the PUT).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub owner_id: Field<i64>,
    /// Title.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub title: Field<String>,
    /// The day (`YYYY-MM-DDT00:00:00`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub note_date: Field<Day>,
    /// Body text.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// Hidden.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub is_hidden: Field<bool>,
    /// Number of comments, when the server says.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub comment_count: Field<i64>,
    /// The training-plan note this came from (0 = none).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub parent_plan_note_id: Field<i64>,
    /// The applied training plan (0 = none).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub applied_plan_id: Field<i64>,
    /// Everything else (`createdDate`, `attachments`…), kept for the PUT.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One comment on a calendar note. Its stream id is vital (it is how a comment is edited);
/// a comment without one is not listed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NoteComment {
    /// The note.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub calendar_note_id: Field<i64>,
    /// The comment's id (pass it back to edit the comment).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub calendar_note_comment_stream_id: Field<i64>,
    /// Text.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub comment: Field<String>,
    /// Who wrote it.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub commenter_person_id: Field<i64>,
    /// Created, UTC.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub created_date_time_utc: Field<Stamp>,
    /// Last edited, UTC.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub updated_date_time_utc: Field<Stamp>,
    /// Commenter's first name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub first_name: Field<String>,
    /// Commenter's last name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub last_name: Field<String>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(CalendarNote, NoteComment);

impl CalendarNote {
    /// The note's id (`id`, else `noteId`, else `calendarNoteId`).
    pub fn id(&self) -> Result<i64, MissingField> {
        either_id(
            "calendar note",
            &self.id,
            &[&self.note_id, &self.calendar_note_id],
        )
    }

    /// The note's date, if readable.
    pub fn date(&self) -> Option<NaiveDate> {
        self.note_date.get().map(Day::date)
    }
}

impl NoteComment {
    /// The comment's stream id.
    pub fn stream_id(&self) -> Result<i64, MissingField> {
        self.calendar_note_comment_stream_id
            .require("note comment", "calendarNoteCommentStreamId")
    }

    /// When it was written, if readable.
    pub fn created(&self) -> Option<NaiveDateTime> {
        self.created_date_time_utc.get().map(Stamp::at)
    }

    /// When it was last edited, if readable.
    pub fn updated(&self) -> Option<NaiveDateTime> {
        self.updated_date_time_utc.get().map(Stamp::at)
    }
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
    pub fn merge(&self, existing: &CalendarNote, athlete_id: i64, note_id: i64) -> CalendarNote {
        let mut n = existing.clone();
        if let Some(v) = &self.title {
            n.title = Field::Present(v.clone());
        }
        if let Some(v) = &self.description {
            n.description = Field::Present(v.clone());
        }
        if let Some(v) = self.date {
            n.note_date = Field::Present(Day::midnight(v));
        }
        n.id = Field::Present(note_id);
        n.athlete_id = Field::Present(athlete_id);
        n.owner_id = Field::Present(athlete_id);
        // A value we cannot read is sent back as it came; only a missing link becomes 0.
        for link in [&mut n.parent_plan_note_id, &mut n.applied_plan_id] {
            if matches!(link, Field::Absent | Field::Null) {
                *link = Field::Present(0);
            }
        }
        n
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
        "noteDate": Day::midnight(date),
        "description": description.unwrap_or(""),
        "isHidden": false,
        "attachments": [],
    })
}

/// The body of `PUT .../calendarNote/{id}/comment`: PascalCase keys (spec §9.3).
pub fn note_comment_body(comment: &str, stream_id: Option<i64>) -> Value {
    match stream_id {
        Some(id) => json!({ "Comment": comment, "CalendarNoteCommentStreamId": id }),
        None => json!({ "Comment": comment }),
    }
}

fn note_path(aid: i64, id: i64) -> String {
    format!("/fitness/v1/athletes/{aid}/calendarNote/{id}")
}

fn note_what(aid: i64, id: i64) -> impl FnOnce() -> String {
    move || format!("Calendar note {id} for athlete {aid}")
}

impl TpClient {
    /// One note. A non-object answer is an error naming the path.
    pub async fn note(&self, athlete_id: i64, note_id: i64) -> Result<CalendarNote, TpError> {
        Ok(self.note_raw(athlete_id, note_id).await?.1)
    }

    /// [`TpClient::note`] with the note exactly as the server sent it.
    async fn note_raw(
        &self,
        athlete_id: i64,
        note_id: i64,
    ) -> Result<(Value, CalendarNote), TpError> {
        let path = note_path(athlete_id, note_id);
        match self
            .get_json(Api::Tp, &path)
            .await
            .map_err(|e| name_not_found(e, note_what(athlete_id, note_id)))?
        {
            v @ Value::Object(_) => Ok((v.clone(), from_value(v, &path)?)),
            other => Err(TpError::Decode {
                path,
                message: format!("expected a note object, got {other}"),
            }),
        }
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
        let id = created_id(&answer, "calendarNoteId").ok_or_else(|| {
            created_without_id(
                &path,
                "note",
                "`id` or `calendarNoteId`",
                &answer,
                "the TrainingPeaks calendar",
            )
        })?;
        let mut note: CalendarNote = from_value(overlay(&body, answer), &path)?;
        note.id = Field::Present(id);
        Ok(note)
    }

    /// Updates a note: GET, merge, full PUT (the PUT needs the whole note incl. `createdDate`).
    pub async fn update_note(
        &self,
        athlete_id: i64,
        note_id: i64,
        update: &NoteUpdate,
    ) -> Result<CalendarNote, TpError> {
        let (raw, existing) = self.note_raw(athlete_id, note_id).await?;
        let path = note_path(athlete_id, note_id);
        let merged = update.merge(&existing, athlete_id, note_id);
        let body = put_body(&raw, &existing, &merged, &path)?;
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

    /// A note's comments (elements that are not objects skipped).
    pub async fn note_comments(
        &self,
        athlete_id: i64,
        note_id: i64,
    ) -> Result<Vec<NoteComment>, TpError> {
        let path = format!("{}/comments", note_path(athlete_id, note_id));
        let v = self
            .get_json(Api::Tp, &path)
            .await
            .map_err(|e| name_not_found(e, note_what(athlete_id, note_id)))?;
        list_response(v, &path, "comments")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_merge_keeps_plan_links() {
        let existing: CalendarNote = serde_json::from_value(json!({"id": 3, "title": "t",
            "createdDate": "2026-01-01T10:00:00", "appliedPlanId": 99, "parentPlanNoteId": null}))
        .unwrap();
        let n = NoteUpdate {
            title: Some("n".into()),
            ..Default::default()
        }
        .merge(&existing, 42, 3);
        let b = serde_json::to_value(&n).unwrap();
        assert_eq!(b["appliedPlanId"], 99);
        assert_eq!(b["parentPlanNoteId"], 0);
        assert_eq!(b["createdDate"], "2026-01-01T10:00:00");
        assert_eq!(b["ownerId"], 42);
        assert_eq!(b["title"], "n");
    }

    #[test]
    fn drifted_note_reads_and_round_trips() {
        let raw = json!({"calendarNoteId": "31", "athleteId": 42.0, "noteDate": "2026-11-23",
            "title": null, "isHidden": "false", "commentCount": "2", "attachments": [{"n": 1}],
            "appliedPlanId": "plan-x"});
        let n: CalendarNote = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(n.id(), Ok(31));
        assert_eq!(n.comment_count.val(), Some(2));
        assert_eq!(n.is_hidden.val(), Some(false));
        assert_eq!(n.date(), NaiveDate::from_ymd_opt(2026, 11, 23));
        let b = serde_json::to_value(NoteUpdate::default().merge(&n, 42, 31)).unwrap();
        assert_eq!(b["attachments"], raw["attachments"]);
        assert_eq!(
            b["appliedPlanId"],
            json!("plan-x"),
            "an unreadable link is sent back as is"
        );
        assert_eq!(b["noteDate"], json!("2026-11-23"));
        let e = CalendarNote::default().id().unwrap_err();
        assert_eq!(
            (e.entity.as_str(), e.field.as_str()),
            ("calendar note", "id")
        );
    }

    #[test]
    fn drifted_comment_reads_and_a_missing_stream_id_names_itself() {
        let c: NoteComment = serde_json::from_value(json!({"calendarNoteCommentStreamId": "8",
            "createdDateTimeUtc": "2026-11-18T07:45:00.123Z", "commenterPersonId": 4.0, "x": 1}))
        .unwrap();
        assert_eq!(c.stream_id(), Ok(8));
        assert_eq!(
            c.created().map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
            Some("2026-11-18 07:45".into())
        );
        assert_eq!(serde_json::to_value(&c).unwrap()["x"], 1);
        let e = NoteComment::default().stream_id().unwrap_err();
        assert_eq!(e.field, "calendarNoteCommentStreamId");
    }
}
