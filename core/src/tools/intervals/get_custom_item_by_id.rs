//! `get_custom_item_by_id`: one custom item with its definition (`GET
//! /api/v1/athlete/{id}/custom-item/{itemId}`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId};
use super::get_custom_items::{CustomItemView, item_line, item_view};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `get_custom_item_by_id`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetCustomItemByIdArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Item id (from get_custom_items).
    pub item_id: i64,
}

/// Result of `get_custom_item_by_id`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetCustomItemByIdOutput {
    /// The item, with its content.
    pub item: CustomItemView,
}

/// The tool.
pub struct GetCustomItemById;

impl TypedTool for GetCustomItemById {
    type Args = GetCustomItemByIdArgs;
    type Output = GetCustomItemByIdOutput;
    const NAME: &'static str = "get_custom_item_by_id";
    const DESCRIPTION: &'static str = "One Intervals.icu custom item by item_id (from \
        get_custom_items), with its definition (content) as JSON.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu custom item");

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
        let item = item_view(
            &icu.custom_item(args.athlete_id.get(), args.item_id).await?,
            true,
        );
        let mut text = item_line(&item);
        if let Some(d) = &item.description {
            text.push_str(&format!("\nDescription: {d}"));
        }
        if let Some(c) = &item.content {
            let pretty = serde_json::to_string_pretty(c).unwrap_or_default();
            text.push_str(&format!("\nContent:\n{}", common::cut(&pretty, 4000)));
        }
        Ok((text, GetCustomItemByIdOutput { item }))
    }
}
