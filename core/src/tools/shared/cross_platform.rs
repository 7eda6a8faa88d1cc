//! What the two copy tools (`copy_workout_to_intervals`, `copy_workout_to_trainingpeaks`)
//! share: the per-workout report, how a copy is recognised on the other side, and how
//! TrainingPeaks and Intervals.icu texts are carried.
//!
//! # How a copy is recognised (no duplicates)
//! Before writing, each tool reads the destination's calendar over the days it copies to, and
//! skips a workout that is already there, naming what it found:
//! - **On Intervals.icu**, a copy carries `external_id: "tp-<TrainingPeaks workout id>"`
//!   ([`external_id_for`]); an event with that `external_id` is the copy.
//! - **On TrainingPeaks**, which has no such field, the copy's description ends with the line
//!   `Copied from Intervals.icu event <id> by Paceline.` ([`marker_for`]); a workout whose
//!   description holds `Intervals.icu event <id>` is the copy.
//! - **Either way**, a planned workout on the same day with the same title (case and spacing
//!   ignored) and the same sport counts as already there: the same plan may have reached both
//!   calendars another way (entered twice, or a copy made before the marker, or whose marker was
//!   edited away), and two identical workouts on one day are almost never wanted. The report
//!   says which rule matched, so a person can still copy by hand.
//!
//! The markers are written by these tools only; whether Intervals.icu keeps `external_id` for
//! writes made with an API key or the session (the spec ties its upsert to OAuth applications)
//! is not verified, which is one reason the day + title rule exists.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::tools::intervals::PlannedRequest;

/// The Intervals.icu `external_id` of a copy of TrainingPeaks workout `workout_id`.
pub(crate) fn external_id_for(workout_id: i64) -> String {
    format!("tp-{workout_id}")
}

/// The last line of a TrainingPeaks copy of Intervals.icu event `event_id`.
pub(crate) fn marker_for(event_id: i64) -> String {
    format!("Copied from Intervals.icu event {event_id} by Paceline.")
}

/// Whether a TrainingPeaks description marks a copy of Intervals.icu event `event_id`.
pub(crate) fn has_marker(description: &str, event_id: i64) -> bool {
    let needle = format!("Intervals.icu event {event_id}");
    description.match_indices(&needle).any(|(i, m)| {
        // `event 12` must not match `event 123`.
        !description[i + m.len()..].starts_with(|c: char| c.is_ascii_digit())
    })
}

/// A title compared as a person would: case and runs of spaces ignored.
pub(crate) fn same_title(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// What happened to one workout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CopyStatus {
    /// Created on the destination.
    Created,
    /// Dry run: would be created by `request`.
    WouldCreate,
    /// Already on the destination (see `existing_id` and `message`); nothing sent.
    AlreadyCopied,
    /// Not copied: it cannot be (see `message`); nothing sent.
    Skipped,
    /// The destination refused it; nothing was created.
    Failed,
    /// The create was sent but its outcome is unknown: check the destination before retrying.
    OutcomeUnknown,
}

/// The report of one workout.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CopiedWorkout {
    /// Id on the source platform (TrainingPeaks workout id or Intervals.icu event id).
    pub source_id: i64,
    /// Day (YYYY-MM-DD).
    pub date: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Sport on the source platform.
    pub source_sport: Option<String>,
    /// Sport on the destination (absent when it has none).
    pub target_sport: Option<String>,
    /// What happened.
    pub status: CopyStatus,
    /// Id of the copy on the destination (created, or found already there).
    pub target_id: Option<i64>,
    /// Whether the interval structure was carried.
    pub structured: bool,
    /// What could not be carried over, one sentence each.
    pub not_carried: Vec<String>,
    /// Why it was skipped, failed or found already there.
    pub message: Option<String>,
    /// The request sent (or, on a dry run, that would be sent); absent when nothing would be.
    pub request: Option<PlannedRequest>,
}

impl CopiedWorkout {
    /// A report for `source_id` with nothing decided yet.
    pub(crate) fn new(source_id: i64, date: Option<NaiveDate>, title: Option<String>) -> Self {
        Self {
            source_id,
            date: date.map(|d| d.to_string()),
            title,
            source_sport: None,
            target_sport: None,
            status: CopyStatus::Skipped,
            target_id: None,
            structured: false,
            not_carried: Vec::new(),
            message: None,
            request: None,
        }
    }

    /// One line for the model.
    pub(crate) fn line(&self) -> String {
        let head = format!(
            "{} {} “{}” [{}]",
            self.date.as_deref().unwrap_or("?"),
            self.source_sport.as_deref().unwrap_or("?"),
            self.title.as_deref().unwrap_or("(untitled)"),
            self.source_id
        );
        let status = match self.status {
            CopyStatus::Created => format!(
                "created (id {}){}",
                self.target_id.map_or("?".into(), |i| i.to_string()),
                if self.structured { ", structured" } else { "" }
            ),
            CopyStatus::WouldCreate => format!(
                "would be created{}",
                if self.structured { ", structured" } else { "" }
            ),
            CopyStatus::AlreadyCopied => "already there".into(),
            CopyStatus::Skipped => "skipped".into(),
            CopyStatus::Failed => "failed".into(),
            CopyStatus::OutcomeUnknown => "outcome unknown, check before retrying".into(),
        };
        let mut line = format!("{head}: {status}");
        if let Some(m) = &self.message {
            line.push_str(&format!(": {m}"));
        }
        for n in &self.not_carried {
            line.push_str(&format!("\n    not carried: {n}"));
        }
        if let (CopyStatus::WouldCreate, Some(r)) = (self.status, &self.request) {
            line.push_str(&format!("\n    would send {r}"));
        }
        line
    }
}

/// The output of both copy tools.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CopyOutput {
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// Created (or, on a dry run, that would be).
    pub created: usize,
    /// Found already on the destination.
    pub already_copied: usize,
    /// Not copied: skipped, failed or of unknown outcome.
    pub not_copied: usize,
    /// One entry per source workout, in calendar order.
    pub workouts: Vec<CopiedWorkout>,
}

impl CopyOutput {
    /// The output and its text, from the per-workout reports.
    pub(crate) fn finish(dry_run: bool, to: &str, workouts: Vec<CopiedWorkout>) -> (String, Self) {
        let count = |s: &[CopyStatus]| workouts.iter().filter(|w| s.contains(&w.status)).count();
        let created = count(&[CopyStatus::Created, CopyStatus::WouldCreate]);
        let already_copied = count(&[CopyStatus::AlreadyCopied]);
        let not_copied = workouts.len() - created - already_copied;
        let head = if workouts.is_empty() {
            "No planned workouts to copy in that range.".to_string()
        } else if dry_run {
            format!(
                "Dry run: nothing was sent. {created} of {} workouts would be copied to {to} \
                 ({already_copied} already there, {not_copied} not copied). Call again without \
                 dry_run to copy.",
                workouts.len()
            )
        } else {
            format!(
                "Copied {created} of {} workouts to {to} ({already_copied} already there, \
                 {not_copied} not copied).",
                workouts.len()
            )
        };
        let mut text = head;
        for w in &workouts {
            text.push('\n');
            text.push_str(&w.line());
        }
        if workouts
            .iter()
            .any(|w| w.status == CopyStatus::OutcomeUnknown)
        {
            text.push_str(&format!(
                "\nFor the workouts whose outcome is unknown, look at {to} before copying again."
            ));
        }
        (
            text,
            Self {
                dry_run,
                created,
                already_copied,
                not_copied,
                workouts,
            },
        )
    }
}

/// A TrainingPeaks description made safe to put above Intervals.icu workout text: a line that
/// Intervals.icu would read as a step (`- …`) starts with an en dash instead. Returns the text
/// and whether anything was changed.
pub(crate) fn description_for_icu(description: &str) -> (String, bool) {
    let mut changed = false;
    let lines: Vec<String> = description
        .lines()
        .map(|l| match l.trim_start().strip_prefix('-') {
            Some(rest) => {
                changed = true;
                format!("–{rest}")
            }
            None => l.to_string(),
        })
        .collect();
    (lines.join("\n").trim().to_string(), changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_name_the_source_exactly() {
        assert_eq!(external_id_for(42), "tp-42");
        let d = format!("Easy spin.\n\n{}", marker_for(12));
        assert!(has_marker(&d, 12));
        assert!(!has_marker(&d, 1));
        assert!(!has_marker(&format!("x {}", marker_for(123)), 12));
    }

    #[test]
    fn titles_compare_as_a_person_reads_them() {
        assert!(same_title("Sweet  Spot 3x12", " sweet spot 3X12"));
        assert!(!same_title("Sweet Spot", "Sweet Spot 2"));
    }

    #[test]
    fn description_lines_that_read_as_steps_are_defused() {
        assert_eq!(
            description_for_icu("Focus:\n- stay seated\nEnjoy"),
            ("Focus:\n– stay seated\nEnjoy".to_string(), true)
        );
        assert_eq!(
            description_for_icu("Just ride."),
            ("Just ride.".into(), false)
        );
    }
}
