//! `create_library_workout`: adds a workout to a library folder (`POST
//! /api/v1/athlete/{id}/workouts`), from Intervals.icu workout text.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId, PlannedRequest, hms, round};
use crate::intervals::library::WorkoutWrite;
use crate::structure::icu_text::workout_text_cheat_sheet;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::trimmed_text;

/// Arguments of `create_library_workout`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateLibraryWorkoutArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// The folder (from get_workout_library).
    pub folder_id: i64,
    /// Name.
    pub name: String,
    /// Sport: Ride, Run, Swim, …
    pub workout_type: String,
    /// The workout in Intervals.icu workout text (see the tool description).
    #[serde(default)]
    pub description: Option<String>,
    /// Indoor workout.
    #[serde(default)]
    pub indoor: Option<bool>,
    /// Planned moving time, seconds (Intervals.icu computes it from the text if absent).
    #[serde(default)]
    pub moving_time: Option<i64>,
    /// Tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of `create_library_workout`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CreateLibraryWorkoutOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent).
    pub request: PlannedRequest,
    /// The new workout's id (not on a dry run).
    pub workout_id: Option<i64>,
    /// Its moving time as Intervals.icu computed it, seconds.
    pub moving_time_s: Option<i64>,
    /// Its training load.
    pub training_load: Option<f64>,
}

/// The tool.
pub struct CreateLibraryWorkout;

fn write(a: &CreateLibraryWorkoutArgs) -> WorkoutWrite {
    WorkoutWrite {
        folder_id: a.folder_id,
        name: a.name.clone(),
        sport: a.workout_type.clone(),
        description: a.description.clone(),
        indoor: a.indoor,
        moving_time: a.moving_time,
        tags: a.tags.clone(),
    }
}

impl TypedTool for CreateLibraryWorkout {
    type Args = CreateLibraryWorkoutArgs;
    type Output = CreateLibraryWorkoutOutput;
    const NAME: &'static str = "create_library_workout";
    const DESCRIPTION: &'static str = concat!(
        "Add a workout to an Intervals.icu library folder (folder_id from get_workout_library), \
        written as Intervals.icu workout text in `description`. dry_run=true returns the \
        request without sending it. ",
        workout_text_cheat_sheet!()
    );
    const ANNOTATIONS: Annotations = Annotations::create("Create an Intervals.icu library workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        write(args).body().map(drop).map_err(|e| match e {
            crate::intervals::IcuError::InvalidInput { field, message } if field == "type" => {
                ToolError::invalid("workout_type", message)
            }
            e => ToolError::Icu(e),
        })
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let w = write(&args);
        let (athlete, w) = (args.athlete_id.get(), &w);
        let request = common::plan(icu, |c| async move {
            c.create_library_workout(athlete, w).await
        })
        .await?;
        if args.dry_run {
            return Ok((
                common::dry_run_text("create this library workout", &request),
                CreateLibraryWorkoutOutput {
                    dry_run: true,
                    request,
                    workout_id: None,
                    moving_time_s: None,
                    training_load: None,
                },
            ));
        }
        let made = icu.create_library_workout(athlete, w).await?;
        let out = CreateLibraryWorkoutOutput {
            dry_run: false,
            request,
            workout_id: made.id.val(),
            moving_time_s: made.moving_time.val(),
            training_load: made.icu_training_load.val().map(|l| round(l, 1)),
        };
        Ok((
            format!(
                "Created library workout \"{}\" [id {}] in folder {}{}.",
                trimmed_text(&made.name).unwrap_or_else(|| args.name.clone()),
                out.workout_id.map_or("?".into(), |i| i.to_string()),
                args.folder_id,
                out.moving_time_s
                    .map_or(String::new(), |t| format!(", {}", hms(t)))
            ),
            out,
        ))
    }
}
