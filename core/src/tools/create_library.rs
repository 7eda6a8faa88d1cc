//! `create_library`: a new, empty workout library folder.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::library::check_name;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct CreateLibrary;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateLibraryArgs {
    /// The new library's name, e.g. "Bike – VO2max".
    pub name: String,
}

/// The created library.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreateLibraryOutput {
    /// Its id.
    pub library_id: i64,
    /// Its name.
    pub name: String,
}

impl TypedTool for CreateLibrary {
    type Args = CreateLibraryArgs;
    type Output = CreateLibraryOutput;
    const NAME: &'static str = "create_library";
    const DESCRIPTION: &'static str = "Create a new, empty workout library (a folder for workout templates). Returns \
        its library_id for create_library_item.";
    const ANNOTATIONS: Annotations = Annotations::create("Create workout library");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_name("name", &args.name)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let lib = ctx.client.create_library(args.name.trim()).await?;
        let library_id = lib
            .exercise_library_id
            .require("created library", "exerciseLibraryId")
            .map_err(|e| {
                ToolError::Failed(format!(
                    "TrainingPeaks created the library but {e}; check get_libraries before retrying"
                ))
            })?;
        let name = lib.name().unwrap_or_else(|| args.name.trim().to_string());
        let text = format!("Library created: \"{name}\" (ID: {library_id})");
        Ok((text, CreateLibraryOutput { library_id, name }))
    }
}
