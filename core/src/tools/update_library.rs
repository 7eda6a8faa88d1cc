//! `update_library`: rename a workout library.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::library::{check_id, check_name};
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct UpdateLibrary;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateLibraryArgs {
    /// The library id, from `get_libraries`.
    pub library_id: i64,
    /// The new name.
    pub name: String,
}

/// The renamed library.
#[derive(Debug, Serialize, JsonSchema)]
pub struct UpdateLibraryOutput {
    /// Its id.
    pub library_id: i64,
    /// Its new name.
    pub name: String,
}

impl TypedTool for UpdateLibrary {
    type Args = UpdateLibraryArgs;
    type Output = UpdateLibraryOutput;
    const NAME: &'static str = "update_library";
    const DESCRIPTION: &'static str = "Rename one of the user's workout libraries (TrainingPeaks' default libraries \
        cannot be renamed).";
    const ANNOTATIONS: Annotations = Annotations::update("Rename workout library");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id("library_id", args.library_id)?;
        check_name("name", &args.name)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let name = args.name.trim().to_string();
        ctx.client.rename_library(args.library_id, &name).await?;
        let text = format!("Library {} renamed to \"{name}\".", args.library_id);
        Ok((
            text,
            UpdateLibraryOutput {
                library_id: args.library_id,
                name,
            },
        ))
    }
}
