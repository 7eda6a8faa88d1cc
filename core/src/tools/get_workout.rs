//! `get_workout`: one workout in full (tool 4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::shared::args::AthleteId;
use super::shared::workout_args::check_id;
use super::shared::workout_view::{WorkoutItem, workout_url};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::structure;
use crate::trainingpeaks::workouts::text;

/// The tool.
pub struct GetWorkout;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetWorkoutArgs {
    /// Workout id (from `get_workouts`), e.g. 3000000123.
    pub workout_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// The workout.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetWorkoutOutput {
    /// Summary with planned and actual values side by side.
    #[serde(flatten)]
    pub workout: WorkoutItem,
    /// Link to the workout in the TrainingPeaks web app.
    pub url: String,
    /// Description.
    pub description: Option<String>,
    /// Coach's comments.
    pub coach_comments: Option<String>,
    /// Athlete's comments.
    pub athlete_comments: Option<String>,
    /// Feeling, 0–10.
    pub feeling: Option<f64>,
    /// Perceived exertion, 1–10.
    pub rpe: Option<f64>,
    /// Planned energy, kJ.
    pub energy_planned_kj: Option<f64>,
    /// Actual energy, kJ.
    pub energy_actual_kj: Option<f64>,
    /// Maximum power, W.
    pub power_max_w: Option<f64>,
    /// Whether you have a private note on it.
    pub has_private_note: bool,
    /// One-line summary of the interval structure, if any.
    pub structure_summary: Option<String>,
    /// The interval structure as TrainingPeaks stores it (wire format), if any.
    pub structure: Option<Value>,
}

impl TypedTool for GetWorkout {
    type Args = GetWorkoutArgs;
    type Output = GetWorkoutOutput;
    const NAME: &'static str = "get_workout";
    const DESCRIPTION: &'static str = "Get one workout by id: planned and actual duration (hours), distance \
(metres), TSS, IF, heart rate (bpm), power (W), description, coach and athlete comments, and the \
interval structure (wire format, intensities in % of threshold).";
    const ANNOTATIONS: Annotations = Annotations::read("Get workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let w = ctx.client.workout(aid, args.workout_id).await?;
        let structure = w.structure();
        let structure_summary = structure.as_ref().and_then(structure::stored_summary);
        let out = GetWorkoutOutput {
            workout: WorkoutItem::from_workout(&w),
            url: workout_url(w.workout_id.val().unwrap_or(args.workout_id)),
            description: text(&w.description),
            coach_comments: text(&w.coach_comments),
            athlete_comments: text(&w.athlete_comments),
            feeling: w.feeling.val(),
            rpe: w.rpe.val(),
            energy_planned_kj: w.energy_planned.val(),
            energy_actual_kj: w.energy.val(),
            power_max_w: w.power_maximum.val(),
            has_private_note: w.has_private_workout_note_for_caller.val().unwrap_or(false),
            structure_summary,
            structure,
        };
        let mut text = out.workout.line();
        text.push_str(&format!("\nURL: {}", out.url));
        for (label, v) in [
            ("Description", &out.description),
            ("Coach notes", &out.coach_comments),
            ("Athlete notes", &out.athlete_comments),
            ("Tags", &out.workout.tags),
            ("Structure", &out.structure_summary),
        ] {
            if let Some(v) = v {
                text.push_str(&format!("\n{label}: {v}"));
            }
        }
        if let Some(r) = out.rpe {
            text.push_str(&format!("\nRPE: {r}"));
        }
        if let Some(f) = out.feeling {
            text.push_str(&format!("\nFeeling: {f}"));
        }
        Ok((text, out))
    }
}
