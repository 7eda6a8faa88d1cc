//! `skip_workout`: mark a planned workout as skipped (AI Endurance's `skipWorkout`), or take the
//! mark off again. What a skip writes on TrainingPeaks is decided in
//! `tools/shared/planning.rs`: the tag `skipped` in `userTags` and, with a reason, a
//! `Skipped: …` line in `athleteComments`, in one GET-merge-PUT of the whole workout (the
//! `update_workout` path). The workout stays on the calendar; `delete_workout` removes it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::shared::args::AthleteId;
use super::shared::planning::{PlannedWorkout, SKIPPED_TAG, is_skipped, with_tag, without_tag};
use super::shared::workout_args::check_id;
use super::shared::workout_view::view;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::workouts::Workout;
use crate::wire::text;

/// The tool.
pub struct SkipWorkout;

/// Longest reason kept (a comment, not an essay; the web app's box is a few lines).
const MAX_REASON_CHARS: usize = 500;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SkipWorkoutArgs {
    /// The planned workout's id, e.g. 3000000123.
    pub workout_id: i64,
    /// Why, e.g. "ill"; written as a `Skipped: …` line in the athlete's comments.
    #[serde(default)]
    pub reason: Option<String>,
    /// Take the skipped mark off again (the comment line stays).
    #[serde(default)]
    pub undo: bool,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// The result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SkipWorkoutOutput {
    /// The workout after the change.
    #[serde(flatten)]
    pub workout: PlannedWorkout,
    /// The wire fields written (empty when nothing needed to change and nothing was sent).
    pub changed_fields: Vec<String>,
}

impl TypedTool for SkipWorkout {
    type Args = SkipWorkoutArgs;
    type Output = SkipWorkoutOutput;
    const NAME: &'static str = "skip_workout";
    const DESCRIPTION: &'static str = "Mark a planned workout as skipped. TrainingPeaks has no skipped state, so the \
workout stays on the calendar (the coach sees what was planned) with the tag \"skipped\" and, if you give a reason, a \
\"Skipped: <reason>\" line in the athlete's comments; get_planned_workouts flags it and get_fitness_projection leaves \
its load out. undo=true takes the mark off. Completed workouts cannot be skipped. To remove a workout instead, use \
delete_workout; to move it, update_workout with a new date.";
    const ANNOTATIONS: Annotations = Annotations::update("Skip workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")?;
        if let Some(r) = &args.reason {
            if r.trim().is_empty() {
                return Err(ToolError::invalid(
                    "reason",
                    "must not be empty; omit it for no reason",
                ));
            }
            if r.chars().count() > MAX_REASON_CHARS {
                return Err(ToolError::invalid(
                    "reason",
                    format!("at most {MAX_REASON_CHARS} characters"),
                ));
            }
            if args.undo {
                return Err(ToolError::invalid(
                    "reason",
                    "give a reason only when skipping, not with undo",
                ));
            }
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let current = ctx.client.workout_raw(aid, args.workout_id).await?;
        let w = Workout::from_raw(&current);
        if w.is_completed() && !args.undo {
            return Err(ToolError::Failed(format!(
                "Workout {} is already completed, so it cannot be skipped; nothing was changed.",
                args.workout_id
            )));
        }
        let changes = changes(&w, args.reason.as_deref(), args.undo);
        let changed_fields: Vec<String> = changes.keys().cloned().collect();
        let after = if changes.is_empty() {
            // Already in the wanted state: no write, so nothing can go wrong twice.
            w
        } else {
            let mut merged = current;
            if let Value::Object(obj) = &mut merged {
                obj.extend(changes);
            }
            view(&ctx.client.put_workout(aid, args.workout_id, merged).await?)
        };
        let workout = PlannedWorkout::from_workout(&after);
        let head = match (args.undo, changed_fields.is_empty()) {
            (false, false) => format!("Workout {} marked skipped.", args.workout_id),
            (false, true) => format!(
                "Workout {} was already marked skipped; nothing was sent.",
                args.workout_id
            ),
            (true, false) => format!("Workout {}: skipped mark taken off.", args.workout_id),
            (true, true) => format!(
                "Workout {} was not marked skipped; nothing was sent.",
                args.workout_id
            ),
        };
        let text = format!("{head}\n{}", workout.workout.line());
        Ok((
            text,
            SkipWorkoutOutput {
                workout,
                changed_fields,
            },
        ))
    }
}

/// The wire fields to overlay: the tag added or removed, and the reason line appended to the
/// athlete's comments unless it is already there. Empty when the workout is already so.
fn changes(w: &Workout, reason: Option<&str>, undo: bool) -> Map<String, Value> {
    let mut m = Map::new();
    let tags = text(&w.user_tags).unwrap_or_default();
    if undo {
        if is_skipped(w) {
            m.insert("userTags".into(), without_tag(&tags, SKIPPED_TAG).into());
        }
        return m;
    }
    if !is_skipped(w) {
        m.insert("userTags".into(), with_tag(&tags, SKIPPED_TAG).into());
    }
    if let Some(r) = reason {
        let line = format!("Skipped: {}", r.trim());
        let comments = text(&w.athlete_comments).unwrap_or_default();
        if !comments.lines().any(|l| l.trim() == line) {
            let joined = if comments.trim().is_empty() {
                line
            } else {
                format!("{}\n{line}", comments.trim_end())
            };
            m.insert("athleteComments".into(), joined.into());
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_add_the_tag_and_reason_once() {
        let w = Workout::from_raw(
            &json!({"workoutId": 1, "userTags": "base", "athleteComments": "legs heavy"}),
        );
        let m = changes(&w, Some(" ill "), false);
        assert_eq!(m["userTags"], "base,skipped");
        assert_eq!(m["athleteComments"], "legs heavy\nSkipped: ill");
        let again = Workout::from_raw(
            &json!({"workoutId": 1, "userTags": "base,skipped", "athleteComments": "legs heavy\nSkipped: ill"}),
        );
        assert!(changes(&again, Some("ill"), false).is_empty());
        let undone = changes(&again, None, true);
        assert_eq!(undone["userTags"], "base");
        assert_eq!(undone.len(), 1);
        assert!(changes(&w, None, true).is_empty());
    }
}
