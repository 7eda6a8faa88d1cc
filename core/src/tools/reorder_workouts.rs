//! `reorder_workouts`: set the display order of workouts on one day (tool 10).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::shared::args::AthleteId;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::workouts::Workout;

/// The tool.
pub struct ReorderWorkouts;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ReorderWorkoutsArgs {
    /// Workout ids of one day, in the wanted order (first = top). Each gets `orderOnDay` = its
    /// 1-based position.
    pub workout_ids: Vec<i64>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReorderWorkoutsOutput {
    /// The day, `YYYY-MM-DD`.
    pub date: String,
    /// New positions, in order.
    pub order: Vec<NewPosition>,
}

impl TypedTool for ReorderWorkouts {
    type Args = ReorderWorkoutsArgs;
    type Output = ReorderWorkoutsOutput;
    const NAME: &'static str = "reorder_workouts";
    const DESCRIPTION: &'static str = "Set the display order of workouts on the same day: workout_ids in the \
wanted order, first = top (positions are 1-based). All workouts must be on one day.";
    const ANNOTATIONS: Annotations = Annotations::update("Reorder workouts");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        if args.workout_ids.is_empty() {
            return Err(ToolError::invalid(
                "workout_ids",
                "give at least one workout id",
            ));
        }
        for (i, id) in args.workout_ids.iter().enumerate() {
            if *id <= 0 {
                return Err(ToolError::invalid(
                    format!("workout_ids[{i}]"),
                    format!("{id} is not a workout id"),
                ));
            }
            if args.workout_ids[..i].contains(id) {
                return Err(ToolError::invalid(
                    format!("workout_ids[{i}]"),
                    format!("{id} is listed twice"),
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
        // Read every workout first, so a wrong id or a different day changes nothing.
        let reads = args
            .workout_ids
            .iter()
            .map(|id| ctx.client.workout_raw(aid, *id));
        let current = futures_util::future::try_join_all(reads).await?;
        // The day is what makes the order meaningful: a workout whose day cannot be read
        // is refused rather than guessed.
        let days: Vec<Option<NaiveDate>> = current
            .iter()
            .map(|w| Workout::from_raw(w).date())
            .collect();
        let day = days.first().copied().flatten();
        for (i, d) in days.iter().enumerate() {
            let id = args.workout_ids.get(i).copied().unwrap_or_default();
            match (d, day) {
                (Some(d), Some(day)) if *d == day => {}
                (None, _) => {
                    return Err(ToolError::invalid(
                        format!("workout_ids[{i}]"),
                        format!("workout {id} has no readable day (workoutDay); not reordered"),
                    ));
                }
                (Some(d), _) => {
                    return Err(ToolError::invalid(
                        format!("workout_ids[{i}]"),
                        format!(
                            "workout {id} is on {d}, not {}; reorder one day at a time",
                            day.map_or_else(|| "—".to_string(), |x| x.to_string())
                        ),
                    ));
                }
            }
        }
        let day = day
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let writes =
            current
                .into_iter()
                .zip(&args.workout_ids)
                .enumerate()
                .map(|(i, (mut w, id))| {
                    if let Value::Object(o) = &mut w {
                        o.insert("orderOnDay".into(), Value::from(i as i64 + 1));
                    }
                    ctx.client.put_workout(aid, *id, w)
                });
        futures_util::future::try_join_all(writes).await?;
        let order: Vec<NewPosition> = args
            .workout_ids
            .iter()
            .enumerate()
            .map(|(i, id)| NewPosition {
                workout_id: *id,
                order_on_day: i as i64 + 1,
            })
            .collect();
        let list: Vec<String> = order
            .iter()
            .map(|p| format!("{} → #{}", p.workout_id, p.order_on_day))
            .collect();
        Ok((
            format!(
                "Reordered {} workout(s) on {day}: {}",
                order.len(),
                list.join(", ")
            ),
            ReorderWorkoutsOutput { date: day, order },
        ))
    }
}

/// One workout's new position.
#[derive(Debug, Serialize, JsonSchema)]
pub struct NewPosition {
    /// Workout id.
    pub workout_id: i64,
    /// 1-based position on its day.
    pub order_on_day: i64,
}
