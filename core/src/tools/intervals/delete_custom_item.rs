//! `delete_custom_item`: deletes a custom item (`DELETE
//! /api/v1/athlete/{id}/custom-item/{itemId}`).

use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{self, IcuAthleteId};
use super::create_custom_item::CustomItemWriteOutput;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `delete_custom_item`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteCustomItemArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Item id (from get_custom_items).
    pub item_id: i64,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// The tool.
pub struct DeleteCustomItem;

impl TypedTool for DeleteCustomItem {
    type Args = DeleteCustomItemArgs;
    type Output = CustomItemWriteOutput;
    const NAME: &'static str = "delete_custom_item";
    const DESCRIPTION: &'static str = "Delete an Intervals.icu custom item by item_id (from \
        get_custom_items). dry_run=true returns the request without sending it.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete an Intervals.icu custom item");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        common::check_positive("item_id", args.item_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let (athlete, id) = (args.athlete_id.get(), args.item_id);
        let request = common::plan(
            icu,
            |c| async move { c.delete_custom_item(athlete, id).await },
        )
        .await?;
        if args.dry_run {
            return Ok((
                common::dry_run_text(&format!("delete custom item {id}"), &request),
                CustomItemWriteOutput {
                    dry_run: true,
                    request,
                    item: None,
                },
            ));
        }
        icu.delete_custom_item(athlete, id).await?;
        Ok((
            format!("Deleted custom item {id}."),
            CustomItemWriteOutput {
                dry_run: false,
                request,
                item: None,
            },
        ))
    }
}
