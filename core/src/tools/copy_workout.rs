//! `copy_workout`: copy a workout to another day as a new planned workout (tool 9).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date};
use super::shared::workout_args::check_id;
use super::shared::workout_view::{WorkoutItem, view};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::structure;
use crate::trainingpeaks::workouts::{NewWorkout, Workout, create_body, text};
use crate::wire::Field;

/// The tool.
pub struct CopyWorkout;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CopyWorkoutArgs {
    /// Workout to copy, e.g. 3000000123.
    pub workout_id: i64,
    /// Day to put the copy on, `YYYY-MM-DD`.
    pub target_date: Date,
    /// Title for the copy (default: the source's title).
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// The copy.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CopyWorkoutOutput {
    /// The source workout's id.
    pub source_workout_id: i64,
    /// The new workout.
    #[serde(flatten)]
    pub workout: WorkoutItem,
}

impl TypedTool for CopyWorkout {
    type Args = CopyWorkoutArgs;
    type Output = CopyWorkoutOutput;
    const NAME: &'static str = "copy_workout";
    const DESCRIPTION: &'static str = "Copy a workout to another day (target_date YYYY-MM-DD) as a new planned \
workout: sport, subtype, title (or the one given), description, coach comments, planned duration \
(hours), distance (metres), TSS and the interval structure. A completed workout without a plan is \
copied with its actual duration/distance/TSS as the plan. Tags, actual data and comments are not copied.";
    const ANNOTATIONS: Annotations = Annotations::create("Copy workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let source = ctx.client.workout(aid, args.workout_id).await?;
        let new = copy_of(&source, args.target_date.0, args.title.as_deref());
        let created = ctx
            .client
            .create_workout(aid, &create_body(aid, &new))
            .await?;
        let item = WorkoutItem::from_workout(&view(&created));
        let text = format!(
            "Copied workout {} to {} as workout {}.\n{}",
            args.workout_id,
            args.target_date,
            item.workout_id
                .map_or_else(|| "(id not returned)".to_string(), |id| id.to_string()),
            item.line()
        );
        Ok((
            text,
            CopyWorkoutOutput {
                source_workout_id: args.workout_id,
                workout: item,
            },
        ))
    }
}

/// The planned copy of a source workout.
///
/// Copies sport, subtype, title, description, coach comments, planned duration/distance/TSS
/// and the structure, like the reference; not tags, actuals or comments. Two deliberate
/// differences: a completed workout with no planned values is copied with its *actual*
/// duration/distance/TSS as the plan (so "repeat last Saturday's ride" works), and `ifPlanned`
/// comes from the structure when there is one, else from the source. A sport that cannot be
/// read becomes "Other" (100).
pub(crate) fn copy_of(
    source: &Workout,
    date: chrono::NaiveDate,
    title: Option<&str>,
) -> NewWorkout {
    let structure = source.structure();
    let metrics = structure
        .as_ref()
        .and_then(|s| structure::compile_value(s).ok())
        .and_then(|s| structure::metrics(&s, None));
    let positive = |f: &Field<f64>| f.val().filter(|x| *x > 0.0);
    let planned_or_actual = |p: &Field<f64>, a: &Field<f64>| positive(p).or_else(|| positive(a));
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .or_else(|| text(&source.title))
        .unwrap_or_else(|| "Untitled".into());
    NewWorkout {
        date: Some(date),
        type_id: source.workout_type_value_id.val().unwrap_or(100),
        subtype_id: source.workout_sub_type_id.val(),
        title,
        description: source.description.get().cloned(),
        coach_comments: source.coach_comments.get().cloned(),
        total_time_planned: planned_or_actual(&source.total_time_planned, &source.total_time),
        distance_planned: planned_or_actual(&source.distance_planned, &source.distance),
        tss_planned: planned_or_actual(&source.tss_planned, &source.tss_actual),
        if_planned: metrics
            .as_ref()
            .map(|m| m.if_planned)
            .or_else(|| source.if_planned.val()),
        energy_planned: source.energy_planned.val(),
        structure,
        user_tags: String::new(),
    }
}
