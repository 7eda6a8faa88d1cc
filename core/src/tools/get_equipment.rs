//! `get_equipment`: bikes and shoes with their distances (km) and retirement status.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::equipment::{EquipmentOut, EquipmentType, item_text, item_view};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct GetEquipment;

/// Arguments of `get_equipment`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetEquipmentArgs {
    /// `bike`, `shoe` or `all` (default).
    #[serde(default, rename = "type")]
    pub kind: EquipmentFilter,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_equipment`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetEquipmentOutput {
    /// The items.
    pub items: Vec<EquipmentOut>,
}

impl TypedTool for GetEquipment {
    type Args = GetEquipmentArgs;
    type Output = GetEquipmentOutput;
    const NAME: &'static str = "get_equipment";
    const DESCRIPTION: &'static str = "List the athlete's bikes and shoes with total distance in km (logged in \
        TrainingPeaks + starting distance), retirement threshold and km remaining, purchase date, wheels and crank \
        length. type: bike, shoe or all (default).";
    const ANNOTATIONS: Annotations = Annotations::read("Get equipment");

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let items: Vec<EquipmentOut> = ctx
            .client
            .equipment(aid)
            .await?
            .iter()
            .map(item_view)
            .filter(|e| match args.kind {
                EquipmentFilter::All => true,
                EquipmentFilter::Bike => e.kind == Some(EquipmentType::Bike),
                EquipmentFilter::Shoe => e.kind == Some(EquipmentType::Shoe),
            })
            .collect();
        let text = if items.is_empty() {
            "No equipment found.".to_string()
        } else {
            items.iter().map(item_text).collect::<Vec<_>>().join("\n\n")
        };
        Ok((text, GetEquipmentOutput { items }))
    }
}

/// Which equipment to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentFilter {
    /// Bikes and shoes.
    #[default]
    All,
    /// Bikes only.
    Bike,
    /// Shoes only.
    Shoe,
}
