//! `create_custom_item`: adds a custom chart, field, zone set or panel (`POST
//! /api/v1/athlete/{id}/custom-item`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::common::{self, IcuAthleteId, PlannedRequest};
use super::get_custom_items::{CustomItemView, item_line, item_view};
use crate::intervals::custom_items::CustomItemWrite;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `create_custom_item`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateCustomItemArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Name.
    pub name: String,
    /// Type: FITNESS_CHART, FITNESS_TABLE, TRACE_CHART, INPUT_FIELD, ACTIVITY_FIELD,
    /// INTERVAL_FIELD, ACTIVITY_STREAM, ACTIVITY_CHART, ACTIVITY_HISTOGRAM, ACTIVITY_HEATMAP,
    /// ACTIVITY_MAP, ACTIVITY_PANEL or ZONES.
    pub item_type: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// The definition: a JSON object, or a string holding one.
    #[serde(default)]
    pub content: Option<Value>,
    /// PRIVATE (default on Intervals.icu), FOLLOWERS or PUBLIC.
    #[serde(default)]
    pub visibility: Option<String>,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of the custom item writes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CustomItemWriteOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent).
    pub request: PlannedRequest,
    /// The item as stored (not on a dry run, nor after a delete).
    pub item: Option<CustomItemView>,
}

/// `content` as an object: a JSON string is parsed (the seed accepted both).
pub(crate) fn content_object(content: &Option<Value>) -> Result<Option<Value>, ToolError> {
    match content {
        None => Ok(None),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(v @ Value::Object(_)) => Ok(Some(v)),
            Ok(_) => Err(ToolError::invalid(
                "content",
                "the string must hold a JSON object",
            )),
            Err(e) => Err(ToolError::invalid(
                "content",
                format!("the string is not JSON: {e}"),
            )),
        },
        Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
        Some(_) => Err(ToolError::invalid(
            "content",
            "must be a JSON object (or a string holding one)",
        )),
    }
}

/// The result of a custom item write: the plan on a dry run, else the stored item.
pub(crate) fn finish(
    request: PlannedRequest,
    what: &str,
    stored: Option<crate::intervals::custom_items::CustomItem>,
) -> (String, CustomItemWriteOutput) {
    match stored {
        None => (
            common::dry_run_text(what, &request),
            CustomItemWriteOutput {
                dry_run: true,
                request,
                item: None,
            },
        ),
        Some(stored) => {
            let item = item_view(&stored, true);
            (
                format!("Done ({what}): {}", item_line(&item)),
                CustomItemWriteOutput {
                    dry_run: false,
                    request,
                    item: Some(item),
                },
            )
        }
    }
}

/// The tool.
pub struct CreateCustomItem;

fn write(args: &CreateCustomItemArgs) -> Result<CustomItemWrite, ToolError> {
    Ok(CustomItemWrite {
        kind: Some(args.item_type.clone()),
        name: Some(args.name.clone()),
        description: args.description.clone(),
        content: content_object(&args.content)?,
        visibility: args.visibility.clone(),
    })
}

impl TypedTool for CreateCustomItem {
    type Args = CreateCustomItemArgs;
    type Output = CustomItemWriteOutput;
    const NAME: &'static str = "create_custom_item";
    const DESCRIPTION: &'static str = "Create an Intervals.icu custom item (chart, custom field, \
        zones, panel…): name, item_type, optional description, content (the definition, a JSON \
        object) and visibility. dry_run=true returns the request without sending it.";
    const ANNOTATIONS: Annotations = Annotations::create("Create an Intervals.icu custom item");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        write(args)?.body(true).map(drop).map_err(ToolError::Icu)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let w = write(&args)?;
        let (athlete, w) = (args.athlete_id.get(), &w);
        let request = common::plan(
            icu,
            |c| async move { c.create_custom_item(athlete, w).await },
        )
        .await?;
        let stored = if args.dry_run {
            None
        } else {
            Some(icu.create_custom_item(athlete, w).await?)
        };
        Ok(finish(request, "create this custom item", stored))
    }
}
