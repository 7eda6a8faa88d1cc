//! `move_library_item`: move a workout template to another library.

use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::library::{LibraryItemOut, check_id, item_out};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::Field;

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct MoveLibraryItem;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct MoveLibraryItemArgs {
    /// The library the template is in now.
    pub from_library_id: i64,
    /// The template id.
    pub item_id: i64,
    /// The library to move it to (from `get_libraries`).
    pub to_library_id: i64,
}

impl TypedTool for MoveLibraryItem {
    type Args = MoveLibraryItemArgs;
    type Output = LibraryItemOut;
    const NAME: &'static str = "move_library_item";
    const DESCRIPTION: &'static str = "Move a workout template from one of the user's libraries to another; the \
        template keeps its id, structure and planned values.";
    const ANNOTATIONS: Annotations = Annotations::update("Move library template");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id("from_library_id", args.from_library_id)?;
        check_id("item_id", args.item_id)?;
        check_id("to_library_id", args.to_library_id)?;
        if args.from_library_id == args.to_library_id {
            return Err(ToolError::invalid(
                "to_library_id",
                "is the same as from_library_id; give a different library",
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        // Check the target exists first: a PUT to a missing target could lose the item.
        let libs = ctx.client.libraries().await?;
        let Some(target) = libs
            .iter()
            .find(|l| l.exercise_library_id.val() == Some(args.to_library_id))
        else {
            return Err(ToolError::Failed(format!(
                "Library {} not found; use get_libraries to see the library ids",
                args.to_library_id
            )));
        };
        if target.is_default() {
            return Err(ToolError::invalid(
                "to_library_id",
                format!(
                    "{} is a TrainingPeaks default library and read-only; pick one of your own",
                    args.to_library_id
                ),
            ));
        }
        let target_name = target.name().unwrap_or_else(|| "untitled".into());
        let mut item = ctx
            .client
            .library_item(args.from_library_id, args.item_id)
            .await?;
        item.exercise_library_id = Field::Present(args.to_library_id);
        // Spec §9.2: PUT to the *source* library's path with the new exerciseLibraryId.
        let saved = ctx
            .client
            .put_library_item(args.from_library_id, args.item_id, &item)
            .await?;
        let out = item_out(&saved, args.to_library_id, false)?;
        let text = format!(
            "Moved \"{}\" to library {} ({target_name}).",
            out.name, args.to_library_id
        );
        Ok((text, out))
    }
}
