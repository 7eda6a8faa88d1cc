//! `get_gear_list`: bikes, shoes and their components (`GET /api/v1/athlete/{id}/gear`). The
//! seed cached the list per process (hence its `refresh`); this always reads it, and accepts
//! `refresh` for compatibility.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId, join_parts, round};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::trimmed_text;

/// Arguments of `get_gear_list`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetGearListArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Accepted for compatibility; the list is always read fresh.
    #[serde(default)]
    // Never read: the seed's cache flag, taken so its callers' arguments stay valid.
    #[allow(dead_code)]
    pub refresh: bool,
}

/// One piece of gear.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GearView {
    /// Gear id (for update_activity's gear_id).
    pub id: Option<String>,
    /// Type (`Bike`, `Shoes`, a component type…).
    pub kind: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Distance, km.
    pub distance_km: Option<f64>,
    /// Time used, hours.
    pub hours: Option<f64>,
    /// Activities with it.
    pub activities: Option<i64>,
    /// When it was retired, if it was.
    pub retired: Option<String>,
    /// Whether it is a component of other gear.
    pub component: Option<bool>,
}

/// Result of `get_gear_list`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetGearListOutput {
    /// The gear.
    pub gear: Vec<GearView>,
}

/// The tool.
pub struct GetGearList;

impl TypedTool for GetGearList {
    type Args = GetGearListArgs;
    type Output = GetGearListOutput;
    const NAME: &'static str = "get_gear_list";
    const DESCRIPTION: &'static str = "The athlete's Intervals.icu gear (bikes, shoes, components): \
        id, type, name, distance, hours, activity count, retired date.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu gear");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let gear: Vec<GearView> = icu
            .gear(args.athlete_id.get())
            .await?
            .iter()
            .map(|g| GearView {
                id: trimmed_text(&g.id),
                kind: trimmed_text(&g.kind),
                name: trimmed_text(&g.name),
                distance_km: g.distance.val().map(|d| round(d / 1000.0, 1)),
                hours: g.time.val().map(|t| round(t / 3600.0, 1)),
                activities: g.activities.val(),
                retired: trimmed_text(&g.retired),
                component: g.component.val(),
            })
            .collect();
        let mut text = if gear.is_empty() {
            "No gear on Intervals.icu.".to_string()
        } else {
            format!("{} pieces of gear:", gear.len())
        };
        for g in &gear {
            let parts = join_parts(&[
                g.distance_km.map(|d| format!("{d} km")),
                g.activities.map(|a| format!("{a} activities")),
                g.retired.as_ref().map(|r| format!("retired {r}")),
            ]);
            text.push_str(&format!(
                "\n- {} {} [{}]: {parts}",
                g.kind.as_deref().unwrap_or("?"),
                g.name.as_deref().unwrap_or("(unnamed)"),
                g.id.as_deref().unwrap_or("?")
            ));
        }
        Ok((text, GetGearListOutput { gear }))
    }
}
