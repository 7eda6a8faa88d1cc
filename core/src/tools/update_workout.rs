//! `update_workout`: change fields of an existing workout (tool 7) by GET, merge, full PUT.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::shared::args::{AthleteId, Date, Sport};
use super::shared::structure_arg::StructureArg;
use super::shared::structure_format::structure_format;
use super::shared::workout_args::CompiledStructure;
use super::shared::workout_args::check_id;
use super::shared::workout_args::{check_num, check_subtype, check_title};
use super::shared::workout_view::{WorkoutItem, view};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::structure;
use crate::trainingpeaks::workouts::{Workout, normalize_tags, subtypes_of, workout_day};

/// The tool.
pub struct UpdateWorkout;

/// Arguments: every field but `workout_id` is optional; only given fields change.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateWorkoutArgs {
    /// Workout id, e.g. 3000000123.
    pub workout_id: i64,
    /// New sport. Changing sport without `subtype_id` clears the old subtype.
    #[serde(default)]
    pub sport: Option<Sport>,
    /// New subtype id (must belong to the workout's sport; see `get_workout_types`).
    #[serde(default)]
    pub subtype_id: Option<i64>,
    /// New title.
    #[serde(default)]
    pub title: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// Move to this day, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<Date>,
    /// Planned duration in HOURS (1.5 = 90 min).
    #[serde(default)]
    pub duration_hours: Option<f64>,
    /// Planned TSS.
    #[serde(default)]
    pub tss: Option<f64>,
    /// Planned distance in METRES.
    #[serde(default)]
    pub distance_planned: Option<f64>,
    /// Tags, comma-separated (replaces the existing tags; "" clears them).
    #[serde(default)]
    pub tags: Option<String>,
    /// Athlete's post-workout comment.
    #[serde(default)]
    pub athlete_comment: Option<String>,
    /// Coach's comment.
    #[serde(default)]
    pub coach_comment: Option<String>,
    /// Feeling, 0 (worst) to 10 (best).
    #[serde(default)]
    pub feeling: Option<f64>,
    /// Perceived exertion, 1 (very easy) to 10 (maximal).
    #[serde(default)]
    pub rpe: Option<f64>,
    /// New interval structure, a JSON object or a string holding one, in the format the tool
    /// description gives. Planned duration, TSS and IF are recomputed from it unless
    /// `duration_hours`/`tss` are given.
    #[serde(default)]
    pub structure: Option<StructureArg<CompiledStructure>>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// The updated workout.
#[derive(Debug, Serialize, JsonSchema)]
pub struct UpdateWorkoutOutput {
    /// The workout after the update.
    #[serde(flatten)]
    pub workout: WorkoutItem,
    /// The wire fields that were changed.
    pub changed_fields: Vec<String>,
    /// One-line summary of the workout's interval structure after the update (step names
    /// included), if it has one.
    pub structure_summary: Option<String>,
}

impl TypedTool for UpdateWorkout {
    type Args = UpdateWorkoutArgs;
    type Output = UpdateWorkoutOutput;
    const NAME: &'static str = "update_workout";
    const DESCRIPTION: &'static str = concat!(
        "Update fields of an existing workout, or move it to another day (give the new date); only \
the fields you give change, everything else is kept (the full workout is read and written back). date \
is YYYY-MM-DD, duration_hours in HOURS, \
distance_planned in METRES, feeling 0–10, rpe 1–10. A new structure recomputes planned duration, TSS \
and IF. ",
        structure_format!()
    );
    const ANNOTATIONS: Annotations = Annotations::update("Update workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")?;
        if let Some(t) = &args.title {
            check_title(t)?;
        }
        if let Some(s) = args.sport {
            check_subtype(s, args.subtype_id)?;
        }
        check_num(
            args.duration_hours,
            "duration_hours",
            0.0,
            true,
            48.0,
            "hours, > 0 and at most 48 (1.5 = 90 min)",
        )?;
        check_num(
            args.distance_planned,
            "distance_planned",
            0.0,
            false,
            1_000_000.0,
            "metres, ≥ 0",
        )?;
        check_num(
            args.tss,
            "tss",
            0.0,
            false,
            2000.0,
            "TSS between 0 and 2000",
        )?;
        check_num(
            args.feeling,
            "feeling",
            0.0,
            false,
            10.0,
            "feeling is 0 to 10",
        )?;
        check_num(args.rpe, "rpe", 1.0, false, 10.0, "rpe is 1 to 10")?;
        if let Some(s) = &args.structure {
            s.compiled()?;
        }
        // Everything else is validated against the current workout in `changes`; an update
        // with nothing to change is almost certainly a mistake.
        let nothing = args.changes(None).map(|m| m.is_empty()).unwrap_or(false);
        if nothing {
            return Err(ToolError::invalid(
                "arguments",
                "nothing to update: give at least one field besides workout_id",
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
        let current = ctx.client.workout_raw(aid, args.workout_id).await?;
        let current_type = Workout::from_raw(&current).workout_type_value_id.val();
        let changes = args.changes(current_type)?;
        let changed_fields: Vec<String> = changes.keys().cloned().collect();
        let mut merged = current;
        if let Value::Object(obj) = &mut merged {
            obj.extend(changes);
        }
        let updated = ctx.client.put_workout(aid, args.workout_id, merged).await?;
        let updated = view(&updated);
        let item = WorkoutItem::from_workout(&updated);
        let structure_summary = updated
            .structure()
            .as_ref()
            .and_then(structure::stored_summary);
        let mut text = format!(
            "Workout {} updated ({}).\n{}",
            args.workout_id,
            changed_fields.join(", "),
            item.line()
        );
        if let Some(s) = &structure_summary {
            text.push_str("\nStructure: ");
            text.push_str(s);
        }
        Ok((
            text,
            UpdateWorkoutOutput {
                workout: item,
                changed_fields,
                structure_summary,
            },
        ))
    }
}

impl UpdateWorkoutArgs {
    /// The wire fields to overlay on the current object. `current_type` is the workout's sport
    /// before the change (to validate a lone `subtype_id` and clear a stale one).
    fn changes(&self, current_type: Option<i64>) -> Result<Map<String, Value>, ToolError> {
        let mut m = Map::new();
        let mut put = |k: &str, v: Value| {
            m.insert(k.to_string(), v);
        };
        if let Some(s) = self.sport {
            put("workoutTypeValueId", s.type_id().into());
            // A subtype belongs to one sport (ISS#81); an old one would be wrong for the new sport.
            if self.subtype_id.is_none() && Some(s.type_id()) != current_type {
                put("workoutSubTypeId", Value::Null);
            }
        }
        if let Some(id) = self.subtype_id {
            if self.sport.is_none() {
                let t = current_type.unwrap_or(0);
                if !subtypes_of(t).iter().any(|(s, _)| *s == id) {
                    return Err(ToolError::invalid(
                        "subtype_id",
                        format!(
                            "{id} is not a subtype of this workout's sport (type {t}); see get_workout_types"
                        ),
                    ));
                }
            }
            put("workoutSubTypeId", id.into());
        }
        if let Some(t) = &self.title {
            put("title", t.trim().into());
        }
        if let Some(d) = &self.description {
            put("description", d.clone().into());
        }
        if let Some(d) = self.date {
            put("workoutDay", workout_day(d.0).as_str().into());
        }
        if let Some(s) = &self.structure {
            let c = s.compiled()?;
            if let Some(metrics) = &c.metrics {
                put("totalTimePlanned", metrics.total_hours.into());
                put("tssPlanned", metrics.tss_planned.into());
                put("ifPlanned", metrics.if_planned.into());
            }
            if let Some(d) = c.distance {
                put("distancePlanned", d.into());
            }
            put("structure", c.wire.clone());
        }
        if let Some(h) = self.duration_hours {
            put("totalTimePlanned", h.into());
        }
        if let Some(t) = self.tss {
            put("tssPlanned", t.into());
        }
        if let Some(d) = self.distance_planned {
            put("distancePlanned", d.into());
        }
        if let Some(t) = &self.tags {
            put("userTags", normalize_tags(t).into());
        }
        if let Some(c) = &self.athlete_comment {
            put("athleteComments", c.clone().into());
        }
        if let Some(c) = &self.coach_comment {
            put("coachComments", c.clone().into());
        }
        if let Some(f) = self.feeling {
            put("feeling", (f.round() as i64).into());
        }
        if let Some(r) = self.rpe {
            put("rpe", (r.round() as i64).into());
        }
        Ok(m)
    }
}
