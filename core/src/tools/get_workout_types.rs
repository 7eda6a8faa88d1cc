//! `get_workout_types`: the sport and subtype catalogue (tool 2, spec §4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;

/// The tool.
pub struct GetWorkoutTypes;

/// No arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetWorkoutTypesArgs {}

/// A sport.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WorkoutTypeEntry {
    /// `workoutTypeValueId` (e.g. 2 = Bike).
    pub id: i64,
    /// Name.
    pub name: String,
    /// Subtypes: `workoutSubTypeId` values usable as `subtype_id` with this sport only.
    pub subtypes: Vec<WorkoutSubTypeEntry>,
}

/// A subtype.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WorkoutSubTypeEntry {
    /// `workoutSubTypeId`.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// The catalogue.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetWorkoutTypesOutput {
    /// Every sport with its subtypes.
    pub types: Vec<WorkoutTypeEntry>,
}

impl TypedTool for GetWorkoutTypes {
    type Args = GetWorkoutTypesArgs;
    type Output = GetWorkoutTypesOutput;
    const NAME: &'static str = "get_workout_types";
    const DESCRIPTION: &'static str = "List TrainingPeaks sports (workoutTypeValueId) and their subtypes \
(workoutSubTypeId). A subtype id is only valid with its own sport: subtype 2 is Pool Swim, not Bike.";
    const ANNOTATIONS: Annotations = Annotations::read("Get workout types");

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        _args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let types = ctx.client.workout_types().await?;
            let mut text = String::new();
            for t in &types {
                text.push_str(&format!("{} (id: {})\n", t.name, t.id));
                for s in &t.sub_types {
                    text.push_str(&format!("  └ {} (id: {})\n", s.name, s.id));
                }
            }
            let out = GetWorkoutTypesOutput {
                types: types
                    .into_iter()
                    .map(|t| WorkoutTypeEntry {
                        id: t.id,
                        name: t.name,
                        subtypes: t
                            .sub_types
                            .into_iter()
                            .map(|s| WorkoutSubTypeEntry {
                                id: s.id,
                                name: s.name,
                            })
                            .collect(),
                    })
                    .collect(),
            };
            Ok((text.trim_end().to_string(), out))
        })
    }
}
