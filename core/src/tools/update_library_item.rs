//! `update_library_item`: change fields of a workout template (GET, merge, full-object PUT).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::args::Sport;
use super::library_shared::{
    LibraryItemOut, check_id, check_name, check_planned, check_subtype, compile_structure,
    item_out, item_text,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct UpdateLibraryItem;

/// Arguments: only the fields given are changed.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateLibraryItemArgs {
    /// The library holding the template.
    pub library_id: i64,
    /// The template id, from `get_library_items`.
    pub item_id: i64,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New sport.
    #[serde(default)]
    pub sport: Option<Sport>,
    /// New sub-sport id (must belong to the sport; see `get_workout_types`).
    #[serde(default)]
    pub subtype_id: Option<i64>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// New coach comments.
    #[serde(default)]
    pub coach_comments: Option<String>,
    /// New planned duration in HOURS (1.5 = 90 minutes).
    #[serde(default)]
    pub duration_hours: Option<f64>,
    /// New planned distance in METRES.
    #[serde(default)]
    pub distance_planned: Option<f64>,
    /// New planned TSS.
    #[serde(default)]
    pub tss: Option<f64>,
    /// New planned IF (fraction of threshold, e.g. 0.85).
    #[serde(default)]
    pub if_value: Option<f64>,
    /// New interval structure (object or JSON string, friendly `steps` format as in
    /// `create_library_item`). Replacing it recomputes duration, TSS and IF unless those are
    /// given too.
    #[serde(default)]
    pub structure: Option<Value>,
}

impl TypedTool for UpdateLibraryItem {
    type Args = UpdateLibraryItemArgs;
    type Output = LibraryItemOut;
    const NAME: &'static str = "update_library_item";
    const DESCRIPTION: &'static str = "Update a workout template: only the fields given change (the template is read, \
        merged and written back whole). Durations in HOURS, distance in METRES, IF as a fraction. A new structure \
        (friendly format: {\"primaryIntensityMetric\":\"percentOfFtp\",\"steps\":[{\"name\":...,\"duration_seconds\":\
        600,\"intensity_min\":50,\"intensity_max\":65,\"intensityClass\":\"warmUp\"},{\"type\":\"repetition\",\
        \"reps\":4,\"steps\":[...]}]}) also recomputes the stored planned duration, TSS and IF unless you give them.";
    const ANNOTATIONS: Annotations = Annotations::update("Update library template");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id("library_id", args.library_id)?;
        check_id("item_id", args.item_id)?;
        if let Some(n) = &args.name {
            check_name("name", n)?;
        }
        if let (Some(sp), Some(st)) = (args.sport, args.subtype_id) {
            check_subtype(sp, st)?;
        }
        check_planned(
            args.duration_hours,
            args.tss,
            args.if_value,
            args.distance_planned,
        )?;
        if let Some(s) = &args.structure {
            compile_structure(s)?;
        }
        Ok(())
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let mut item = ctx
                .client
                .library_item(args.library_id, args.item_id)
                .await?;
            // A subtype without a new sport must belong to the template's current sport.
            if let (None, Some(st)) = (args.sport, args.subtype_id) {
                let current = item
                    .get("workoutTypeId")
                    .and_then(Value::as_i64)
                    .and_then(Sport::from_type_id);
                match current {
                    Some(sp) => check_subtype(sp, st)?,
                    None => {
                        return Err(ToolError::invalid(
                            "subtype_id",
                            "the template has no sport; give `sport` too",
                        ));
                    }
                }
            }
            let compiled = args.structure.as_ref().map(compile_structure).transpose()?;
            let Some(obj) = item.as_object_mut() else {
                return Err(ToolError::Failed(format!(
                    "Library item {} is not a JSON object",
                    args.item_id
                )));
            };
            let mut set = |k: &str, v: Value| {
                obj.insert(k.to_string(), v);
            };
            if let Some(n) = &args.name {
                set("itemName", json!(n.trim()));
            }
            if let Some(sp) = args.sport {
                set("workoutTypeId", json!(sp.type_id()));
                if args.subtype_id.is_none() {
                    // The old sub-sport belongs to the old sport.
                    set("workoutSubTypeId", Value::Null);
                }
            }
            if let Some(st) = args.subtype_id {
                set("workoutSubTypeId", json!(st));
            }
            if let Some(d) = &args.description {
                set("description", json!(d));
            }
            if let Some(c) = &args.coach_comments {
                set("coachComments", json!(c));
            }
            if let Some(d) = args.distance_planned {
                set("distancePlanned", json!(d));
            }
            if let Some(c) = &compiled {
                set("structure", c.wire.clone());
                set(
                    "totalTimePlanned",
                    json!(args.duration_hours.or(c.total_hours)),
                );
                set("tssPlanned", json!(args.tss.or(c.tss)));
                set("ifPlanned", json!(args.if_value.or(c.intensity_factor)));
                if let Some(d) = args.distance_planned.or(c.distance_m) {
                    set("distancePlanned", json!(d));
                }
            }
            if let Some(h) = args.duration_hours {
                set("totalTimePlanned", json!(h));
            }
            if let Some(t) = args.tss {
                set("tssPlanned", json!(t));
            }
            if let Some(i) = args.if_value {
                set("ifPlanned", json!(i));
            }
            let saved = ctx
                .client
                .put_library_item(args.library_id, args.item_id, &item)
                .await?;
            let out = item_out(&saved, true)?;
            Ok((format!("Library item updated.\n{}", item_text(&out)), out))
        })
    }
}
