//! `copy_workout`: copy a workout to another day as a new planned workout (tool 9).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::args::Date;
use super::create_workout::view;
use super::get_workout::check_id;
use super::workout_view::WorkoutItem;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;
use crate::structure;
use crate::trainingpeaks::workouts::{NewWorkout, create_body};

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
    /// Athlete who owns the workout (coaches). Omit for your own.
    #[serde(default)]
    pub athlete_id: Option<i64>,
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

fn f(v: &Value, k: &str) -> Option<f64> {
    v.get(k).and_then(Value::as_f64)
}

fn text(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

/// The planned copy of a source workout (raw GET object).
///
/// Copies sport, subtype, title, description, coach comments, planned duration/distance/TSS
/// and the structure, like the reference; not tags, actuals or comments. Two deliberate
/// differences: a completed workout with no planned values is copied with its *actual*
/// duration/distance/TSS as the plan (so "repeat last Saturday's ride" works), and `ifPlanned`
/// comes from the structure when there is one, else from the source.
pub(crate) fn copy_of(source: &Value, date: chrono::NaiveDate, title: Option<&str>) -> NewWorkout {
    let structure = source
        .get("structure")
        .filter(|s| !s.is_null())
        .and_then(|s| match s {
            Value::String(raw) => serde_json::from_str::<Value>(raw).ok(),
            other => Some(other.clone()),
        });
    let metrics = structure
        .as_ref()
        .and_then(|s| structure::compile_value(s).ok())
        .and_then(|s| structure::metrics(&s, None));
    let planned_or_actual = |p: &str, a: &str| {
        f(source, p)
            .filter(|x| *x > 0.0)
            .or_else(|| f(source, a).filter(|x| *x > 0.0))
    };
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .or_else(|| text(source, "title").filter(|t| !t.is_empty()))
        .unwrap_or_else(|| "Untitled".into());
    NewWorkout {
        date: Some(date),
        type_id: source
            .get("workoutTypeValueId")
            .and_then(Value::as_i64)
            .unwrap_or(100),
        subtype_id: source.get("workoutSubTypeId").and_then(Value::as_i64),
        title,
        description: text(source, "description"),
        coach_comments: text(source, "coachComments"),
        total_time_planned: planned_or_actual("totalTimePlanned", "totalTime"),
        distance_planned: planned_or_actual("distancePlanned", "distance"),
        tss_planned: planned_or_actual("tssPlanned", "tssActual"),
        if_planned: metrics
            .as_ref()
            .map(|m| m.if_planned)
            .or_else(|| f(source, "ifPlanned")),
        energy_planned: f(source, "energyPlanned"),
        structure,
        user_tags: String::new(),
    }
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

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let aid = ctx.client.athlete_id(args.athlete_id).await?;
            let source = ctx.client.workout_raw(aid, args.workout_id).await?;
            let new = copy_of(&source, args.target_date.0, args.title.as_deref());
            let created = ctx
                .client
                .create_workout(aid, &create_body(aid, &new))
                .await?;
            let item = WorkoutItem::from_workout(&view(created)?);
            let text = format!(
                "Copied workout {} to {} as workout {}.\n{}",
                args.workout_id,
                item.date,
                item.workout_id,
                item.line()
            );
            Ok((
                text,
                CopyWorkoutOutput {
                    source_workout_id: args.workout_id,
                    workout: item,
                },
            ))
        })
    }
}
