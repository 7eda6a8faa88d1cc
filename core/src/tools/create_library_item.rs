//! `create_library_item`: save a workout template (optionally structured) into a library.

use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::args::Sport;
use super::shared::library::CompiledStructure;
use super::shared::library::{
    LibraryItemOut, check_id, check_name, check_planned, check_subtype, item_out, item_text,
    new_item_body, planned_fields,
};
use super::shared::structure_arg::StructureArg;
use super::shared::structure_format::structure_format;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct CreateLibraryItem;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateLibraryItemArgs {
    /// The library to save into (from `get_libraries` or `create_library`).
    pub library_id: i64,
    /// The template's name, e.g. "2x20 Threshold".
    pub name: String,
    /// The sport.
    pub sport: Sport,
    /// Optional sub-sport id (e.g. 6 = Indoor bike, 12 = Trail run; see `get_workout_types`).
    #[serde(default)]
    pub subtype_id: Option<i64>,
    /// Planned duration in HOURS (1.5 = 90 minutes). Default: from the structure.
    #[serde(default)]
    pub duration_hours: Option<f64>,
    /// Planned TSS, e.g. 85. Default: from the structure.
    #[serde(default)]
    pub tss: Option<f64>,
    /// Planned intensity factor as a fraction of threshold, e.g. 0.85. Default: from the structure.
    #[serde(default)]
    pub if_value: Option<f64>,
    /// Planned distance in METRES, e.g. 10000 for 10 km.
    #[serde(default)]
    pub distance_planned: Option<f64>,
    /// Description shown to the athlete.
    #[serde(default)]
    pub description: Option<String>,
    /// Coach comments.
    #[serde(default)]
    pub coach_comments: Option<String>,
    /// Interval structure, a JSON object or a string holding one, in the format the tool
    /// description gives; intensities in % of threshold.
    #[serde(default)]
    pub structure: Option<StructureArg<CompiledStructure>>,
}

impl TypedTool for CreateLibraryItem {
    type Args = CreateLibraryItemArgs;
    type Output = LibraryItemOut;
    const NAME: &'static str = "create_library_item";
    const DESCRIPTION: &'static str = concat!(
        "Save a workout template into a library. Durations in HOURS, distance in METRES, IF as a \
fraction (0.85). ",
        structure_format!(),
        " Unlike the reference server, the planned duration (hours), TSS and IF (time-based \
structures) or planned distance (distance-based ones, distance_meters steps) are computed from the \
structure and stored on the template unless you give duration_hours / tss / if_value / \
distance_planned."
    );
    const ANNOTATIONS: Annotations = Annotations::create("Create library template");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id("library_id", args.library_id)?;
        check_name("name", &args.name)?;
        if let Some(st) = args.subtype_id {
            check_subtype(args.sport, st)?;
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
        let compiled = args.structure.as_ref().map(|s| s.compiled()).transpose()?;
        let (hours, tss, ifv) =
            planned_fields(compiled, args.duration_hours, args.tss, args.if_value);
        let body = new_item_body(
            args.library_id,
            args.name.trim(),
            args.sport,
            args.subtype_id,
            hours,
            tss,
            ifv,
            args.distance_planned
                .or_else(|| compiled.as_ref().and_then(|c| c.distance_m)),
            args.description.as_deref(),
            args.coach_comments.as_deref(),
            compiled.as_ref().map(|c| &c.wire),
        );
        let created = ctx
            .client
            .create_library_item(args.library_id, &body)
            .await?;
        let out = item_out(&created, args.library_id, true)?;
        let text = format!(
            "Workout template saved in library {}.\n{}",
            args.library_id,
            item_text(&out)
        );
        Ok((text, out))
    }
}
