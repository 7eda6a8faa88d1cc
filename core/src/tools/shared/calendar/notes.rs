//! Calendar notes and their comments: the views.

use chrono::NaiveDateTime;
use schemars::JsonSchema;
use serde::Serialize;

use super::{UNKNOWN, ymd};
use crate::trainingpeaks::calendar::{CalendarNote, NoteComment, text};
use crate::wire::MissingField;

/// A calendar note.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct NoteView {
    /// Note id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Date, `YYYY-MM-DD` (null when unknown).
    pub date: Option<String>,
    /// Body text.
    pub description: Option<String>,
    /// Hidden.
    pub is_hidden: bool,
    /// Number of comments, when known.
    pub comment_count: Option<i64>,
}

impl NoteView {
    /// The view of a wire note. Fails only without an id.
    pub fn new(n: &CalendarNote) -> Result<Self, MissingField> {
        Ok(Self {
            id: n.id()?,
            title: text(&n.title).unwrap_or_else(|| "(untitled note)".into()),
            date: n.date().map(ymd),
            description: text(&n.description),
            is_hidden: n.is_hidden.val().unwrap_or(false),
            comment_count: n.comment_count.val(),
        })
    }

    /// Title, id, date and description, one per line, after a heading.
    pub fn summary(&self, heading: &str) -> String {
        let mut lines = vec![
            format!("{heading}\"{}\"", self.title),
            format!("ID: {}", self.id),
            format!("Date: {}", self.date.as_deref().unwrap_or(UNKNOWN)),
        ];
        if let Some(d) = &self.description {
            lines.push(format!("Description: {d}"));
        }
        if let Some(c) = self.comment_count.filter(|c| *c > 0) {
            lines.push(format!("Comments: {c} (read them with get_note_comments)"));
        }
        lines.join("\n")
    }
}

/// A comment on a calendar note.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CommentView {
    /// The comment's id: pass it as `comment_stream_id` to edit it.
    pub comment_stream_id: i64,
    /// Author's name.
    pub author: String,
    /// Author's person id.
    pub author_person_id: Option<i64>,
    /// Text.
    pub text: String,
    /// Created, UTC (`YYYY-MM-DDTHH:MM:SS`).
    pub created_utc: Option<String>,
    /// Last edited, UTC.
    pub updated_utc: Option<String>,
    /// Created, for sorting and the text.
    #[serde(skip)]
    pub created: Option<NaiveDateTime>,
    /// Last edited, for the text.
    #[serde(skip)]
    pub updated: Option<NaiveDateTime>,
}

fn iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

impl CommentView {
    /// The view of a wire comment. Fails only without a stream id.
    pub fn new(c: &NoteComment) -> Result<Self, MissingField> {
        let author = [text(&c.first_name), text(&c.last_name)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Self {
            comment_stream_id: c.stream_id()?,
            author: if author.is_empty() {
                "Unknown".into()
            } else {
                author
            },
            author_person_id: c.commenter_person_id.val(),
            text: c.comment.get().cloned().unwrap_or_default(),
            created_utc: c.created().map(iso),
            updated_utc: c.updated().map(iso),
            created: c.created(),
            updated: c.updated(),
        })
    }

    /// `[12] Jordan Lee (2026-11-18 07:45 UTC): text`.
    pub fn line(&self) -> String {
        let when = self.updated.or(self.created).map_or_else(
            || UNKNOWN.to_string(),
            |t| t.format("%Y-%m-%d %H:%M").to_string(),
        );
        let edited = match (self.created, self.updated) {
            (Some(c), Some(u)) if c != u => ", edited",
            _ => "",
        };
        format!(
            "[{}] {} ({when} UTC{edited}):\n  {}",
            self.comment_stream_id, self.author, self.text
        )
    }
}
