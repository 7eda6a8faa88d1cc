//! `get_workout_types`: the sport and subtype catalogue (tool 2, spec §4). Sports and subtypes
//! without a readable id are left out (an id is what the other tools need).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::workouts::{WORKOUT_TYPE_TABLE, WorkoutType, subtypes_of, text};

/// The tool.
pub struct GetWorkoutTypes;

/// No arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetWorkoutTypesArgs {}

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

    async fn run(
        &self,
        ctx: &ToolContext,
        _args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let types = ctx.client.workout_types().await?;
        let out = GetWorkoutTypesOutput {
            types: types.iter().filter_map(entry).collect(),
        };
        let mut text = String::new();
        for t in &out.types {
            text.push_str(&format!("{} (id: {})\n", t.name, t.id));
            for s in &t.subtypes {
                text.push_str(&format!("  └ {} (id: {})\n", s.name, s.id));
            }
        }
        Ok((text.trim_end().to_string(), out))
    }
}

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

/// The entry of a sport that has an id. A name that cannot be read falls back to the built-in
/// catalogue's, else "—".
fn entry(t: &WorkoutType) -> Option<WorkoutTypeEntry> {
    let id = t.id.val()?;
    let known = WORKOUT_TYPE_TABLE.iter().find(|(i, _, _)| *i == id);
    let name = text(&t.name)
        .or_else(|| known.map(|(_, n, _)| (*n).to_string()))
        .unwrap_or_else(|| "—".into());
    let subtypes = t
        .subtypes()
        .filter_map(|s| {
            let sid = s.id.val()?;
            let name = text(&s.name)
                .or_else(|| {
                    subtypes_of(id)
                        .iter()
                        .find(|(i, _)| *i == sid)
                        .map(|(_, n)| (*n).to_string())
                })
                .unwrap_or_else(|| "—".into());
            Some(WorkoutSubTypeEntry { id: sid, name })
        })
        .collect();
    Some(WorkoutTypeEntry { id, name, subtypes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ty(v: serde_json::Value) -> WorkoutType {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn entries_need_an_id_and_fall_back_to_the_catalogue_name() {
        assert!(entry(&ty(json!({"name": "No id"}))).is_none());
        let e = entry(&ty(json!({"id": "2", "name": null, "subTypes": [
            {"id": 6.0, "name": null}, {"name": "no id"}, {"id": 99, "name": "E-Cargo"}, {"id": 98}]})))
        .unwrap();
        assert_eq!((e.id, e.name.as_str()), (2, "Bike"));
        let subs: Vec<(i64, &str)> = e.subtypes.iter().map(|s| (s.id, s.name.as_str())).collect();
        assert_eq!(subs, [(6, "Indoor"), (99, "E-Cargo"), (98, "—")]);
        let new_sport = entry(&ty(json!({"id": 77, "name": "zzUnheardOf"}))).unwrap();
        assert_eq!(
            new_sport.name, "zzUnheardOf",
            "a new sport is shown by its raw name"
        );
    }
}
