//! `reorder_workouts`: set the display order of workouts on one day (tool 10).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;

/// The tool.
pub struct ReorderWorkouts;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ReorderWorkoutsArgs {
    /// Workout ids of one day, in the wanted order (first = top). Each gets `orderOnDay` = its
    /// 1-based position.
    pub workout_ids: Vec<i64>,
    /// Athlete who owns the workouts (coaches). Omit for your own.
    #[serde(default)]
    pub athlete_id: Option<i64>,
}

/// One workout's new position.
#[derive(Debug, Serialize, JsonSchema)]
pub struct NewPosition {
    /// Workout id.
    pub workout_id: i64,
    /// 1-based position on its day.
    pub order_on_day: i64,
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

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let aid = ctx.client.athlete_id(args.athlete_id).await?;
            // Read every workout first, so a wrong id or a different day changes nothing.
            let reads = args
                .workout_ids
                .iter()
                .map(|id| ctx.client.workout_raw(aid, *id));
            let current = futures_util::future::try_join_all(reads).await?;
            let day_of = |w: &Value| {
                w.get("workoutDay")
                    .and_then(Value::as_str)
                    .and_then(|d| d.get(..10))
                    .map(str::to_string)
            };
            let day = current.first().and_then(day_of).unwrap_or_default();
            for (i, w) in current.iter().enumerate() {
                if day_of(w).as_deref() != Some(day.as_str()) {
                    return Err(ToolError::invalid(
                        format!("workout_ids[{i}]"),
                        format!(
                            "workout {} is on {}, not {day}; reorder one day at a time",
                            args.workout_ids.get(i).copied().unwrap_or_default(),
                            day_of(w).unwrap_or_default()
                        ),
                    ));
                }
            }
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
        })
    }
}
