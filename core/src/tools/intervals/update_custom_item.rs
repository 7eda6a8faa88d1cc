//! `update_custom_item`: changes a custom item (`PUT
//! /api/v1/athlete/{id}/custom-item/{itemId}` with only the fields given).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use super::common::{self, IcuAthleteId};
use super::create_custom_item::{CustomItemWriteOutput, content_object, finish};
use crate::intervals::custom_items::CustomItemWrite;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `update_custom_item`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateCustomItemArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Item id (from get_custom_items).
    pub item_id: i64,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New type (see create_custom_item).
    #[serde(default)]
    pub item_type: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// New definition: a JSON object, or a string holding one.
    #[serde(default)]
    pub content: Option<Value>,
    /// PRIVATE, FOLLOWERS or PUBLIC.
    #[serde(default)]
    pub visibility: Option<String>,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// The tool.
pub struct UpdateCustomItem;

fn write(args: &UpdateCustomItemArgs) -> Result<CustomItemWrite, ToolError> {
    Ok(CustomItemWrite {
        kind: args.item_type.clone(),
        name: args.name.clone(),
        description: args.description.clone(),
        content: content_object(&args.content)?,
        visibility: args.visibility.clone(),
    })
}

impl TypedTool for UpdateCustomItem {
    type Args = UpdateCustomItemArgs;
    type Output = CustomItemWriteOutput;
    const NAME: &'static str = "update_custom_item";
    const DESCRIPTION: &'static str = "Change an Intervals.icu custom item by item_id: only the \
        fields given change (name, item_type, description, content, visibility). dry_run=true \
        returns the request without sending it.";
    const ANNOTATIONS: Annotations = Annotations::update("Update an Intervals.icu custom item");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        common::check_positive("item_id", args.item_id)?;
        write(args)?.body(false).map(drop).map_err(ToolError::Icu)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let w = write(&args)?;
        let (athlete, id, w) = (args.athlete_id.get(), args.item_id, &w);
        let request = common::plan(icu, |c| async move {
            c.update_custom_item(athlete, id, w).await
        })
        .await?;
        let stored = if args.dry_run {
            None
        } else {
            Some(icu.update_custom_item(athlete, id, w).await?)
        };
        Ok(finish(request, &format!("update custom item {id}"), stored))
    }
}
