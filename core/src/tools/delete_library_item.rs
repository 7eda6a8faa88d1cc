//! `delete_library_item`: delete one workout template.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::library::check_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeleteLibraryItem;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteLibraryItemArgs {
    /// The library holding the template.
    pub library_id: i64,
    /// The template id, from `get_library_items`.
    pub item_id: i64,
}

/// What was deleted.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeleteLibraryItemOutput {
    /// The library.
    pub library_id: i64,
    /// The deleted template's id.
    pub item_id: i64,
    /// Always true on success.
    pub deleted: bool,
}

impl TypedTool for DeleteLibraryItem {
    type Args = DeleteLibraryItemArgs;
    type Output = DeleteLibraryItemOutput;
    const NAME: &'static str = "delete_library_item";
    const DESCRIPTION: &'static str = "Delete one workout template from a library (cannot be undone). Workouts already \
        scheduled from it stay on the calendar.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete library template");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id("library_id", args.library_id)?;
        check_id("item_id", args.item_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        ctx.client
            .delete_library_item(args.library_id, args.item_id)
            .await?;
        let text = format!(
            "Library item {} deleted from library {}.",
            args.item_id, args.library_id
        );
        Ok((
            text,
            DeleteLibraryItemOutput {
                library_id: args.library_id,
                item_id: args.item_id,
                deleted: true,
            },
        ))
    }
}
