//! `get_workout_prs`: the personal records set in one workout.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::records::{RecordOut, record_view};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct GetWorkoutPrs;

/// Arguments of `get_workout_prs`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetWorkoutPrsArgs {
    /// Workout id (from get_workouts).
    pub workout_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_workout_prs`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetWorkoutPrsOutput {
    /// The workout.
    pub workout_id: i64,
    /// Whether TrainingPeaks is still computing this workout's peaks (try again later).
    pub calcs_pending: bool,
    /// How many records TrainingPeaks reports.
    pub count: usize,
    /// The records.
    pub records: Vec<RecordOut>,
}

impl TypedTool for GetWorkoutPrs {
    type Args = GetWorkoutPrsArgs;
    type Output = GetWorkoutPrsOutput;
    const NAME: &'static str = "get_workout_prs";
    const DESCRIPTION: &'static str = "Get the personal records (peaks) set in one workout: power (W), heart rate \
        (bpm) and speed (shown as pace per km) over standard durations/distances, each with its rank and ranking \
        window.";
    const ANNOTATIONS: Annotations = Annotations::read("Get workout personal records");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        if args.workout_id <= 0 {
            return Err(ToolError::invalid(
                "workout_id",
                "must be a positive workout id from get_workouts",
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let prs = ctx.client.workout_prs(aid, args.workout_id).await?;
        let records: Vec<RecordOut> = prs.records.iter().map(record_view).collect();
        let mut lines = Vec::new();
        if records.is_empty() {
            lines.push(format!(
                "No personal records in workout {}.",
                args.workout_id
            ));
        } else {
            lines.push(format!(
                "{} personal record(s) in workout {}:",
                records.len(),
                args.workout_id
            ));
            for r in &records {
                let rank = r.rank.map_or_else(String::new, |k| format!("#{k} "));
                let frame = r
                    .time_frame
                    .as_deref()
                    .map_or_else(String::new, |f| format!(" ({f})"));
                lines.push(format!("{rank}{}: {}{frame}", r.name, r.display));
            }
        }
        if prs.calcs_pending {
            lines.push(
                "TrainingPeaks is still computing peaks for this workout; try again in a minute."
                    .into(),
            );
        }
        Ok((
            lines.join("\n"),
            GetWorkoutPrsOutput {
                workout_id: args.workout_id,
                calcs_pending: prs.calcs_pending,
                count: prs.count,
                records,
            },
        ))
    }
}
