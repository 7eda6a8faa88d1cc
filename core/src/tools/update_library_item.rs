//! `update_library_item`: change fields of a workout template (GET, merge, full-object PUT).

use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::args::Sport;
use super::shared::library::CompiledStructure;
use super::shared::library::{
    LibraryItemOut, check_id, check_name, check_planned, check_subtype, item_out, item_text,
};
use super::shared::structure_arg::StructureArg;
use super::shared::structure_format::structure_format;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::Field;

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
    /// New interval structure, a JSON object or a string holding one, in the format the tool
    /// description gives. Replacing it recomputes duration, TSS and IF unless those are given
    /// too.
    #[serde(default)]
    pub structure: Option<StructureArg<CompiledStructure>>,
}

impl TypedTool for UpdateLibraryItem {
    type Args = UpdateLibraryItemArgs;
    type Output = LibraryItemOut;
    const NAME: &'static str = "update_library_item";
    const DESCRIPTION: &'static str = concat!(
        "Update a workout template: only the fields given change (the template is read, merged and \
written back whole). Durations in HOURS, distance in METRES, IF as a fraction. A new structure also \
recomputes the stored planned duration, TSS and IF unless you give them. ",
        structure_format!()
    );
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
            s.compiled()?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let mut item = ctx
            .client
            .library_item(args.library_id, args.item_id)
            .await?;
        // A subtype without a new sport must belong to the template's current sport.
        if let (None, Some(st)) = (args.sport, args.subtype_id) {
            match item.workout_type_id.val().and_then(Sport::from_type_id) {
                Some(sp) => check_subtype(sp, st)?,
                None => {
                    return Err(ToolError::invalid(
                        "subtype_id",
                        "the template has no sport; give `sport` too",
                    ));
                }
            }
        }
        let compiled = args.structure.as_ref().map(|s| s.compiled()).transpose()?;
        if let Some(n) = &args.name {
            item.item_name = Field::Present(n.trim().to_string());
        }
        if let Some(sp) = args.sport {
            item.workout_type_id = Field::Present(sp.type_id());
            if args.subtype_id.is_none() {
                // The old sub-sport belongs to the old sport.
                item.workout_sub_type_id = Field::Null;
            }
        }
        if let Some(st) = args.subtype_id {
            item.workout_sub_type_id = Field::Present(st);
        }
        if let Some(d) = &args.description {
            item.description = Field::Present(d.clone());
        }
        if let Some(c) = &args.coach_comments {
            item.coach_comments = Field::Present(c.clone());
        }
        if let Some(d) = args.distance_planned {
            item.distance_planned = Field::Present(d);
        }
        if let Some(c) = &compiled {
            item.structure = Field::Present(c.wire.clone());
            item.total_time_planned = args.duration_hours.or(c.total_hours).into();
            item.tss_planned = args.tss.or(c.tss).into();
            item.if_planned = args.if_value.or(c.intensity_factor).into();
            if let Some(d) = args.distance_planned.or(c.distance_m) {
                item.distance_planned = Field::Present(d);
            }
        }
        if let Some(h) = args.duration_hours {
            item.total_time_planned = Field::Present(h);
        }
        if let Some(t) = args.tss {
            item.tss_planned = Field::Present(t);
        }
        if let Some(i) = args.if_value {
            item.if_planned = Field::Present(i);
        }
        let saved = ctx
            .client
            .put_library_item(args.library_id, args.item_id, &item)
            .await?;
        let out = item_out(&saved, args.library_id, true)?;
        Ok((format!("Library item updated.\n{}", item_text(&out)), out))
    }
}
