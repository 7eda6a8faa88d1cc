//! `get_libraries`: the user's workout libraries and TrainingPeaks' default ones.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct GetLibraries;

/// No arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetLibrariesArgs {}

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

    async fn run(
        &self,
        ctx: &ToolContext,
        _args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        // The client lists only libraries with an id.
        let mut libraries: Vec<LibraryOut> = ctx
            .client
            .libraries()
            .await?
            .iter()
            .filter_map(|l| {
                Some(LibraryOut {
                    library_id: l.exercise_library_id.val()?,
                    name: l.name().unwrap_or_else(|| "Untitled".into()),
                    owner_name: l.owner_name.get().filter(|o| !o.trim().is_empty()).cloned(),
                    is_default: l.is_default(),
                })
            })
            .collect();
        // Stable order: own libraries first, then by name.
        libraries.sort_by(|a, b| a.is_default.cmp(&b.is_default).then(a.name.cmp(&b.name)));
        let line = |l: &LibraryOut| {
            let owner = l
                .owner_name
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            format!("ID: {}  {}{owner}", l.library_id, l.name)
        };
        let own: Vec<String> = libraries
            .iter()
            .filter(|l| !l.is_default)
            .map(line)
            .collect();
        let def: Vec<String> = libraries
            .iter()
            .filter(|l| l.is_default)
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
        Ok((text, GetLibrariesOutput { libraries }))
    }
}

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
