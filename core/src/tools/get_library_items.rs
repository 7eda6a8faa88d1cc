//! `get_library_items`: the workout templates in one library.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::library::{LibraryItemOut, check_id, item_out, item_text};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct GetLibraryItems;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetLibraryItemsArgs {
    /// The library id, from `get_libraries` (e.g. 880001).
    pub library_id: i64,
}

/// The templates.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetLibraryItemsOutput {
    /// The library asked for.
    pub library_id: i64,
    /// Its templates (structures summarised; use `get_library_item` for the full structure).
    pub items: Vec<LibraryItemOut>,
}

impl TypedTool for GetLibraryItems {
    type Args = GetLibraryItemsArgs;
    type Output = GetLibraryItemsOutput;
    const NAME: &'static str = "get_library_items";
    const DESCRIPTION: &'static str = "List the workout templates in one library (library_id from get_libraries): id, \
        sport, planned duration (hours), planned TSS and IF, and a summary of the interval structure.";
    const ANNOTATIONS: Annotations = Annotations::read("Get library templates");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id("library_id", args.library_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        // The client already skipped items without an id, so none of these can fail.
        let items: Vec<LibraryItemOut> = ctx
            .client
            .library_items(args.library_id)
            .await?
            .iter()
            .filter_map(|it| item_out(it, args.library_id, false).ok())
            .collect();
        let text = if items.is_empty() {
            format!("No items in library {}.", args.library_id)
        } else {
            let body: Vec<String> = items.iter().map(item_text).collect();
            format!("{} template(s):\n{}", items.len(), body.join("\n"))
        };
        Ok((
            text,
            GetLibraryItemsOutput {
                library_id: args.library_id,
                items,
            },
        ))
    }
}
