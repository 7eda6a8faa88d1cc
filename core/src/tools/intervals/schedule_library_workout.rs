//! `schedule_library_workout`: plans a library workout on a day. The API has no "schedule"
//! call, so this reads the workout (`GET /api/v1/athlete/{id}/workouts`) and creates a WORKOUT
//! event from its name, sport, text, duration and indoor flag (`POST
//! /api/v1/athlete/{id}/events?upsertOnUid=false`); Intervals.icu parses the text again.

use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{self, EventWriteOutput, IcuAthleteId};
use crate::intervals::events::EventWrite;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::{text, trimmed_text};

/// Arguments of `schedule_library_workout`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ScheduleLibraryWorkoutArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Library workout id (from get_workout_library).
    pub workout_id: i64,
    /// Day, YYYY-MM-DD.
    pub start_date: Date,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// The tool.
pub struct ScheduleLibraryWorkout;

impl TypedTool for ScheduleLibraryWorkout {
    type Args = ScheduleLibraryWorkoutArgs;
    type Output = EventWriteOutput;
    const NAME: &'static str = "schedule_library_workout";
    const DESCRIPTION: &'static str = "Plan a workout from the Intervals.icu library \
        (workout_id from get_workout_library) on start_date: creates a WORKOUT event with the \
        workout's name, sport, text and duration. dry_run=true returns the request without \
        sending it.";
    const ANNOTATIONS: Annotations =
        Annotations::create("Schedule an Intervals.icu library workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        common::check_positive("workout_id", args.workout_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let athlete = args.athlete_id.get();
        let all = icu.library_workouts(athlete).await?;
        let Some(w) = all.iter().find(|w| w.id.val() == Some(args.workout_id)) else {
            return Err(ToolError::invalid(
                "workout_id",
                format!(
                    "no library workout {} (see get_workout_library)",
                    args.workout_id
                ),
            ));
        };
        let write = EventWrite {
            name: trimmed_text(&w.name).or_else(|| Some(format!("Workout {}", args.workout_id))),
            sport: trimmed_text(&w.sport),
            description: text(&w.description).filter(|d| !d.trim().is_empty()),
            moving_time: w.moving_time.val(),
            indoor: w.indoor.val(),
            ..EventWrite::new("WORKOUT", args.start_date.0)
        };
        common::write_event(icu, athlete, None, &write, args.dry_run, "workout").await
    }
}
