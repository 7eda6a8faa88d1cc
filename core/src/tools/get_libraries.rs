//! `get_libraries`: the user's workout libraries and TrainingPeaks' default ones.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct GetLibraries;

/// No arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetLibrariesArgs {}

/// One library folder.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LibraryOut {
    /// The library id (use it with `get_library_items`, `create_library_item`, …).
    pub library_id: i64,
    /// The library's name.
    pub name: String,
    /// Who owns it.
    pub owner_name: Option<String>,
    /// `true` for TrainingPeaks' built-in libraries (read-only).
    pub is_default: bool,
}

/// The libraries, own first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetLibrariesOutput {
    /// Every library, the user's own first, then the default ones.
    pub libraries: Vec<LibraryOut>,
}

impl TypedTool for GetLibraries {
    type Args = GetLibrariesArgs;
    type Output = GetLibrariesOutput;
    const NAME: &'static str = "get_libraries";
    const DESCRIPTION: &'static str = "List the workout libraries (folders of workout templates): the user's own \
        libraries and TrainingPeaks' default ones, each with its library_id. Use get_library_items to see the \
        templates in one.";
    const ANNOTATIONS: Annotations = Annotations::read("Get workout libraries");

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        _args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let mut libs = ctx.client.libraries().await?;
            // Stable order: own libraries first, then by name.
            libs.sort_by(|a, b| {
                a.is_default_content
                    .cmp(&b.is_default_content)
                    .then(a.library_name.cmp(&b.library_name))
            });
            let line = |l: &crate::trainingpeaks::Library| {
                let owner = l
                    .owner_name
                    .as_deref()
                    .map(|o| format!(" ({o})"))
                    .unwrap_or_default();
                format!("ID: {}  {}{owner}", l.exercise_library_id, l.library_name)
            };
            let own: Vec<String> = libs
                .iter()
                .filter(|l| !l.is_default_content)
                .map(line)
                .collect();
            let def: Vec<String> = libs
                .iter()
                .filter(|l| l.is_default_content)
                .map(line)
                .collect();
            let mut text = String::from("## Your Libraries\n");
            text.push_str(&if own.is_empty() {
                "(none)".to_string()
            } else {
                own.join("\n")
            });
            if !def.is_empty() {
                text.push_str("\n\n## TrainingPeaks Default Libraries\n");
                text.push_str(&def.join("\n"));
            }
            let libraries = libs
                .into_iter()
                .map(|l| LibraryOut {
                    library_id: l.exercise_library_id,
                    name: l.library_name,
                    owner_name: l.owner_name,
                    is_default: l.is_default_content,
                })
                .collect();
            Ok((text, GetLibrariesOutput { libraries }))
        })
    }
}
