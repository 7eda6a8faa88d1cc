//! `delete_equipment`: remove a bike or shoe.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::equipment::not_found;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct DeleteEquipment;

/// Arguments of `delete_equipment`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteEquipmentArgs {
    /// Equipment id (from get_equipment).
    pub equipment_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `delete_equipment`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeleteEquipmentOutput {
    /// The id deleted.
    pub equipment_id: i64,
    /// Its name.
    pub name: Option<String>,
}

impl TypedTool for DeleteEquipment {
    type Args = DeleteEquipmentArgs;
    type Output = DeleteEquipmentOutput;
    const NAME: &'static str = "delete_equipment";
    const DESCRIPTION: &'static str = "Delete a bike or shoe by equipment_id (from get_equipment). To keep its \
        history, retire it with update_equipment_item instead.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete equipment");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        if args.equipment_id <= 0 {
            return Err(ToolError::invalid(
                "equipment_id",
                "must be a positive id from get_equipment",
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
        let mut items = ctx.client.equipment(aid).await?;
        let Some(pos) = items.iter().position(|i| i.id() == Some(args.equipment_id)) else {
            return Err(not_found(args.equipment_id, aid));
        };
        let removed = items.remove(pos);
        let name = removed.name.get().cloned();
        ctx.client.put_equipment(aid, &items).await?;
        let label = name.as_deref().map_or(String::new(), |n| format!(" ({n})"));
        Ok((
            format!("Equipment {}{label} deleted.", args.equipment_id),
            DeleteEquipmentOutput {
                equipment_id: args.equipment_id,
                name,
            },
        ))
    }
}
