//! `schedule_library_workout`: put a library template on the calendar as a planned workout.
//!
//! Spec §9.2 lists a CONFLICT for scheduling: REF posts
//! `commands/addworkoutfromlibraryitem`, which JM reports answering HTTP 500 for every body
//! and JRK reports dropping the sport (ISS#102). The safest reading is JM's: copy the template
//! into an ordinary `POST /fitness/v6/athletes/{aid}/workouts` with REF's full create body
//! (§5.3). That endpoint is the best-proven write, keeps the sport, and the `structure` goes
//! double-serialised (a JSON string), as calendar workouts require (§10.1).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::args::{Date, Sport};
use super::library_shared::{check_id, compile_structure, fmt_hours};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;
use crate::trainingpeaks::{LibraryItem, TpClient, TpError};

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScheduleLibraryWorkout;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ScheduleLibraryWorkoutArgs {
    /// The template id, from `get_library_items`.
    pub item_id: i64,
    /// The day to schedule it on, YYYY-MM-DD.
    pub date: Date,
    /// The library holding the template (optional; speeds up the lookup, which otherwise
    /// searches every library).
    #[serde(default)]
    pub library_id: Option<i64>,
    /// Coaches: the athlete whose calendar gets the workout. Default: your own.
    #[serde(default)]
    pub athlete_id: Option<i64>,
}

/// The workout created.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ScheduleLibraryWorkoutOutput {
    /// The new calendar workout's id.
    pub workout_id: i64,
    /// The athlete whose calendar it is on.
    pub athlete_id: i64,
    /// The day, YYYY-MM-DD.
    pub date: String,
    /// Title (the template's name).
    pub title: String,
    /// Sport name.
    pub sport: String,
    /// The template's library.
    pub library_id: i64,
    /// The template.
    pub item_id: i64,
    /// Planned duration, hours.
    pub duration_planned_hours: Option<f64>,
    /// Planned TSS.
    pub tss_planned: Option<f64>,
    /// Planned IF.
    pub if_planned: Option<f64>,
    /// Whether the workout carries the template's interval structure.
    pub has_structure: bool,
}

/// Finds a template: in `library_id` if given, else in every library (own ones first).
async fn find_item(
    client: &TpClient,
    item_id: i64,
    library_id: Option<i64>,
) -> Result<Value, ToolError> {
    if let Some(lib) = library_id {
        return Ok(client.library_item(lib, item_id).await?);
    }
    let mut libs = client.libraries().await?;
    libs.sort_by_key(|l| l.is_default_content);
    for lib in &libs {
        let items = client.library_items(lib.exercise_library_id).await?;
        if let Some(i) = items
            .into_iter()
            .find(|i| i.get("exerciseLibraryItemId").and_then(Value::as_i64) == Some(item_id))
        {
            return Ok(i);
        }
    }
    Err(ToolError::Api(TpError::NotFound {
        what: format!(
            "Library item {item_id} (searched {} libraries; use get_library_items to find ids)",
            libs.len()
        ),
        method: crate::http::Method::Get,
        path: "/exerciselibrary/v2/libraries/{id}/items".into(),
    }))
}

/// REF's full create body (spec §5.3) for a template, `structure` as a JSON string.
pub(crate) fn workout_body_from_item(
    athlete_id: i64,
    date: Date,
    item: &LibraryItem,
) -> Result<Value, ToolError> {
    let sport = item.workout_type_id.filter(|id| *id > 0).ok_or_else(|| {
        ToolError::Failed(format!(
            "Library item {} has no sport (workoutTypeId); set one with update_library_item, then schedule it",
            item.exercise_library_item_id
        ))
    })?;
    let structure = item.structure.as_ref().filter(|s| !s.is_null());
    // Templates saved by other tools may lack planned values; derive them from the structure.
    let derived = structure.and_then(|s| compile_structure(s).ok());
    let hours = item
        .total_time_planned
        .or_else(|| derived.as_ref().and_then(|c| c.total_hours));
    let tss = item
        .tss_planned
        .or_else(|| derived.as_ref().and_then(|c| c.tss));
    let ifp = item
        .if_planned
        .or_else(|| derived.as_ref().and_then(|c| c.intensity_factor));
    let distance = item
        .distance_planned
        .or_else(|| derived.as_ref().and_then(|c| c.distance_m));
    Ok(json!({
        "athleteId": athlete_id,
        "workoutId": 0,
        "workoutDay": format!("{date}T00:00:00"),
        "workoutTypeValueId": sport,
        "workoutSubTypeId": item.workout_sub_type_id,
        "title": item.item_name.clone().unwrap_or_else(|| "Untitled".into()),
        "description": item.description,
        "coachComments": item.coach_comments,
        "athleteComments": null,
        "totalTimePlanned": hours,
        "distancePlanned": distance,
        "tssPlanned": tss,
        "ifPlanned": ifp,
        "energyPlanned": item.energy_planned,
        "feeling": null,
        "rpe": null,
        "orderOnDay": null,
        // Calendar workouts take the structure double-serialised (spec §10.1).
        "structure": structure.map(Value::to_string),
        "userTags": "",
        "workoutComments": [],
    }))
}

impl TypedTool for ScheduleLibraryWorkout {
    type Args = ScheduleLibraryWorkoutArgs;
    type Output = ScheduleLibraryWorkoutOutput;
    const NAME: &'static str = "schedule_library_workout";
    const DESCRIPTION: &'static str = "Schedule a library workout template on the calendar on a date (YYYY-MM-DD) as a \
        planned workout, with the template's sport, sub-sport, interval structure, description, coach comments and \
        planned duration (hours), TSS and IF. Give library_id to skip searching every library.";
    const ANNOTATIONS: Annotations = Annotations::create("Schedule library template");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id("item_id", args.item_id)?;
        if let Some(l) = args.library_id {
            check_id("library_id", l)?;
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
            let raw = find_item(&ctx.client, args.item_id, args.library_id).await?;
            let item = LibraryItem::from_json(&raw)?;
            let body = workout_body_from_item(aid, args.date, &item)?;
            let created = ctx.client.create_workout(aid, &body).await?;
            let workout_id = created.get("workoutId").and_then(Value::as_i64).ok_or_else(|| {
                ToolError::Failed("TrainingPeaks created the workout but returned no workoutId; check the calendar".into())
            })?;
            let num = |k: &str| created.get(k).and_then(Value::as_f64);
            let type_id = created
                .get("workoutTypeValueId")
                .and_then(Value::as_i64)
                .unwrap_or_default();
            let sport = Sport::from_type_id(type_id)
                .map_or(format!("Sport({type_id})"), |s| s.label().to_string());
            let out = ScheduleLibraryWorkoutOutput {
                workout_id,
                athlete_id: aid,
                date: args.date.to_string(),
                title: created
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or("Untitled")
                    .to_string(),
                sport,
                library_id: item.exercise_library_id,
                item_id: item.exercise_library_item_id,
                duration_planned_hours: num("totalTimePlanned"),
                tss_planned: num("tssPlanned"),
                if_planned: num("ifPlanned"),
                has_structure: created.get("structure").is_some_and(|s| !s.is_null()),
            };
            let mut text = format!(
                "Scheduled \"{}\" ({}) on {} — workout ID {}.",
                out.title, out.sport, out.date, workout_id
            );
            let mut parts = Vec::new();
            if let Some(h) = out.duration_planned_hours {
                parts.push(format!("Planned: {}", fmt_hours(h)));
            }
            if let Some(t) = out.tss_planned {
                parts.push(format!("TSS {t:.0}"));
            }
            if let Some(i) = out.if_planned {
                parts.push(format!("IF {i:.2}"));
            }
            if !parts.is_empty() {
                text.push_str(&format!("\n{}", parts.join("  ")));
            }
            Ok((text, out))
        })
    }
}
