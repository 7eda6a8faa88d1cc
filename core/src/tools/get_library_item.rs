//! `get_library_item`: one workout template with its full interval structure.

use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::library::{LibraryItemOut, check_id, item_out, item_text};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct GetLibraryItem;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetLibraryItemArgs {
    /// The library id, from `get_libraries`.
    pub library_id: i64,
    /// The template id, from `get_library_items`.
    pub item_id: i64,
}

impl TypedTool for GetLibraryItem {
    type Args = GetLibraryItemArgs;
    type Output = LibraryItemOut;
    const NAME: &'static str = "get_library_item";
    const DESCRIPTION: &'static str = "Get one workout template from a library: sport, planned duration (hours), TSS, \
        IF, description, coach comments and the full interval structure (wire JSON: blocks of steps with length in \
        seconds or metres and targets as % of threshold).";
    const ANNOTATIONS: Annotations = Annotations::read("Get library template");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id("library_id", args.library_id)?;
        check_id("item_id", args.item_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let it = ctx
            .client
            .library_item(args.library_id, args.item_id)
            .await?;
        let out = item_out(&it, args.library_id, true)?;
        let mut text = item_text(&out);
        if let Some(c) = &out.coach_comments {
            text.push_str(&format!("\nCoach comments: {c}"));
        }
        Ok((text, out))
    }
}
