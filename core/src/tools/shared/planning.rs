//! What the planning tools share (`get_planned_workouts`, `skip_workout`,
//! `get_fitness_projection`, `scale_workout_intensity`): how a skipped workout is marked on
//! TrainingPeaks, and the planned-workout view with its advice and structure summary.
//!
//! # What "skipped" means on TrainingPeaks
//! TrainingPeaks has no skipped state: a planned workout whose day passes without a
//! completion simply shows as missed, and the 2014 web app's workout model (MARS
//! `workoutModel.js`) has no such field. AI Endurance's `skipWorkout` deletes the workout; we
//! keep it instead (the coach still sees what was planned and why it was not done, and
//! compliance stays honest) and mark it with the tag [`SKIPPED_TAG`] in `userTags` (the
//! comma-separated tag string the web app edits, spec §5.2), plus, when a reason is given, a
//! line in `athleteComments`. Both travel in one full-object PUT, so a skip is one write.
//! Tools that total planned load (`get_fitness_projection`) leave skipped workouts out;
//! `get_planned_workouts` shows them flagged. To take a workout off the calendar, use
//! `delete_workout`.

use schemars::JsonSchema;
use serde::Serialize;

use super::workout_view::WorkoutItem;
use crate::structure;
use crate::trainingpeaks::workouts::Workout;
use crate::wire::text;

/// The tag that marks a planned workout as skipped.
pub(crate) const SKIPPED_TAG: &str = "skipped";

/// Whether a comma-separated tag string holds `tag` (case and surrounding spaces ignored).
pub(crate) fn has_tag(tags: &str, tag: &str) -> bool {
    tags.split(',').any(|t| t.trim().eq_ignore_ascii_case(tag))
}

/// `tags` with `tag` added once (normalised: trimmed, empties dropped).
pub(crate) fn with_tag(tags: &str, tag: &str) -> String {
    let mut all: Vec<&str> = tags
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if !all.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
        all.push(tag);
    }
    all.join(",")
}

/// `tags` without `tag` (normalised as [`with_tag`]).
pub(crate) fn without_tag(tags: &str, tag: &str) -> String {
    tags.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case(tag))
        .collect::<Vec<_>>()
        .join(",")
}

/// Whether a workout carries the skipped tag.
pub(crate) fn is_skipped(w: &Workout) -> bool {
    text(&w.user_tags).is_some_and(|t| has_tag(&t, SKIPPED_TAG))
}

/// One planned workout as the planning tools show it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlannedWorkout {
    /// The workout, planned and actual values side by side.
    #[serde(flatten)]
    pub workout: WorkoutItem,
    /// Marked skipped (tag `skipped`, see `skip_workout`).
    pub skipped: bool,
    /// The pre-activity advice (`coachComments`, see `set_workout_advice`), if any.
    pub advice: Option<String>,
    /// The description, if any.
    pub description: Option<String>,
    /// One-line summary of the interval structure, if it has one.
    pub structure_summary: Option<String>,
}

impl PlannedWorkout {
    /// The view of a workout.
    pub(crate) fn from_workout(w: &Workout) -> Self {
        Self {
            workout: WorkoutItem::from_workout(w),
            skipped: is_skipped(w),
            advice: text(&w.coach_comments).filter(|s| !s.trim().is_empty()),
            description: text(&w.description).filter(|s| !s.trim().is_empty()),
            structure_summary: w.structure().as_ref().and_then(structure::stored_summary),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_added_once_and_removed() {
        assert_eq!(with_tag("", SKIPPED_TAG), "skipped");
        assert_eq!(
            with_tag(" base , indoor,", SKIPPED_TAG),
            "base,indoor,skipped"
        );
        assert_eq!(with_tag("Skipped,base", SKIPPED_TAG), "Skipped,base");
        assert_eq!(
            without_tag("base, SKIPPED ,indoor", SKIPPED_TAG),
            "base,indoor"
        );
        assert!(has_tag("a, skipped", SKIPPED_TAG));
        assert!(!has_tag("skippedx", SKIPPED_TAG));
    }
}
