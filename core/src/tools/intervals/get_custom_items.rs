//! `get_custom_items`: the athlete's custom charts, fields, zones and panels (`GET
//! /api/v1/athlete/{id}/custom-item`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::common::{self, IcuAthleteId};
use crate::intervals::custom_items::CustomItem;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::{text, trimmed_text};

/// Arguments of `get_custom_items`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetCustomItemsArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
}

/// One custom item.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CustomItemView {
    /// Item id.
    pub id: Option<i64>,
    /// Type (FITNESS_CHART, INPUT_FIELD, ZONES, …).
    pub item_type: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// PRIVATE, FOLLOWERS or PUBLIC.
    pub visibility: Option<String>,
    /// The definition (only in get_custom_item_by_id and writes; lists leave it out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<Value>,
}

/// An item as the tools show it; `content` only when asked for.
pub(crate) fn item_view(i: &CustomItem, with_content: bool) -> CustomItemView {
    CustomItemView {
        id: i.id.val(),
        item_type: trimmed_text(&i.kind),
        name: trimmed_text(&i.name),
        description: text(&i.description).filter(|d| !d.trim().is_empty()),
        visibility: trimmed_text(&i.visibility),
        content: if with_content {
            i.content.get().filter(|c| !c.is_null()).cloned()
        } else {
            None
        },
    }
}

/// One line of an item.
pub(crate) fn item_line(i: &CustomItemView) -> String {
    format!(
        "{} \"{}\" [id {}]{}",
        i.item_type.as_deref().unwrap_or("?"),
        i.name.as_deref().unwrap_or(""),
        i.id.map_or("?".into(), |v| v.to_string()),
        i.visibility
            .as_deref()
            .map_or(String::new(), |v| format!(", {v}"))
    )
}

/// Result of `get_custom_items`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetCustomItemsOutput {
    /// The items (without their content; see get_custom_item_by_id).
    pub items: Vec<CustomItemView>,
}

/// The tool.
pub struct GetCustomItems;

impl TypedTool for GetCustomItems {
    type Args = GetCustomItemsArgs;
    type Output = GetCustomItemsOutput;
    const NAME: &'static str = "get_custom_items";
    const DESCRIPTION: &'static str = "List the athlete's Intervals.icu custom items (charts, \
        custom fields, zones, panels): id, type, name, visibility. get_custom_item_by_id shows \
        one with its definition.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu custom items");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let items: Vec<CustomItemView> = icu
            .custom_items(args.athlete_id.get())
            .await?
            .iter()
            .map(|i| item_view(i, false))
            .collect();
        let mut out = if items.is_empty() {
            "No custom items.".to_string()
        } else {
            format!("{} custom items:", items.len())
        };
        for i in &items {
            out.push_str(&format!("\n- {}", item_line(i)));
        }
        Ok((out, GetCustomItemsOutput { items }))
    }
}
