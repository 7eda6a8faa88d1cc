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

use super::shared::args::{AthleteId, Date, Sport};
use super::shared::library::{check_id, compile_structure, fmt_hours};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::{Library, LibraryItem, TpClient, TpError};
use crate::wire::{Day, Field};

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
    #[serde(default)]
    pub athlete_id: AthleteId,
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

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let item = find_item(&ctx.client, args.item_id, args.library_id).await?;
        let body = workout_body_from_item(aid, args.date, &item)?;
        let created = ctx.client.create_workout(aid, &body).await?;
        let created: CreatedWorkout = crate::wire::read(&created).unwrap_or_default();
        let workout_id = created.workout_id.val().ok_or_else(|| {
            ToolError::Failed(
                "TrainingPeaks created the workout but returned no workoutId; check the calendar before retrying"
                    .into(),
            )
        })?;
        let sport = match created.workout_type_value_id.val() {
            Some(id) => {
                Sport::from_type_id(id).map_or(format!("Sport({id})"), |s| s.label().to_string())
            }
            None => "—".to_string(),
        };
        let out = ScheduleLibraryWorkoutOutput {
            workout_id,
            athlete_id: aid,
            date: args.date.to_string(),
            title: created
                .title
                .get()
                .filter(|t| !t.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| "Untitled".into()),
            sport,
            library_id: item
                .exercise_library_id
                .val()
                .or(args.library_id)
                .unwrap_or_default(),
            item_id: args.item_id,
            duration_planned_hours: created.total_time_planned.val(),
            tss_planned: created.tss_planned.val(),
            if_planned: created.if_planned.val(),
            has_structure: created.structure.get().is_some_and(|s| !s.is_null()),
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
    }
}

/// Finds a template: in `library_id` if given, else in every library (own ones first).
async fn find_item(
    client: &TpClient,
    item_id: i64,
    library_id: Option<i64>,
) -> Result<LibraryItem, ToolError> {
    if let Some(lib) = library_id {
        return Ok(client.library_item(lib, item_id).await?);
    }
    let mut libs = client.libraries().await?;
    libs.sort_by_key(Library::is_default);
    for lib in &libs {
        // The client lists only libraries with an id.
        let Some(lib_id) = lib.exercise_library_id.val() else {
            continue;
        };
        let items = client.library_items(lib_id).await?;
        if let Some(i) = items
            .into_iter()
            .find(|i| i.exercise_library_item_id.val() == Some(item_id))
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
    let item_id = item
        .exercise_library_item_id
        .val()
        .map_or_else(|| "?".to_string(), |i| i.to_string());
    let sport = item
        .workout_type_id
        .val()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ToolError::Failed(format!(
                "Library item {item_id} has no sport (workoutTypeId); set one with update_library_item, then schedule it"
            ))
        })?;
    let structure = item.structure();
    // Templates saved by other tools may lack planned values; derive them from the structure.
    let derived = structure.and_then(|s| compile_structure(s).ok());
    let hours = item
        .total_time_planned
        .val()
        .or_else(|| derived.as_ref().and_then(|c| c.total_hours));
    let tss = item
        .tss_planned
        .val()
        .or_else(|| derived.as_ref().and_then(|c| c.tss));
    let ifp = item
        .if_planned
        .val()
        .or_else(|| derived.as_ref().and_then(|c| c.intensity_factor));
    let distance = item
        .distance_planned
        .val()
        .or_else(|| derived.as_ref().and_then(|c| c.distance_m));
    Ok(json!({
        "athleteId": athlete_id,
        "workoutId": 0,
        "workoutDay": Day::midnight(date.0),
        "workoutTypeValueId": sport,
        "workoutSubTypeId": item.workout_sub_type_id.val(),
        "title": item.name().unwrap_or_else(|| "Untitled".into()),
        "description": item.description.get(),
        "coachComments": item.coach_comments.get(),
        "athleteComments": null,
        "totalTimePlanned": hours,
        "distancePlanned": distance,
        "tssPlanned": tss,
        "ifPlanned": ifp,
        "energyPlanned": item.energy_planned.val(),
        "feeling": null,
        "rpe": null,
        "orderOnDay": null,
        // Calendar workouts take the structure double-serialised (spec §10.1).
        "structure": structure.map(Value::to_string),
        "userTags": "",
        "workoutComments": [],
    }))
}

/// The fields of the created workout this tool reports (the workout is another area's
/// entity; only what is shown is read, leniently).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct CreatedWorkout {
    workout_id: Field<i64>,
    workout_type_value_id: Field<i64>,
    title: Field<String>,
    total_time_planned: Field<f64>,
    tss_planned: Field<f64>,
    if_planned: Field<f64>,
    structure: Field<Value>,
}
