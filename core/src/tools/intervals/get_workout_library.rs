//! `get_workout_library`: the workout library, folders and plans with their workouts (`GET
//! /api/v1/athlete/{id}/folders`, which nests each folder's workouts).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId, hms, join_parts, round};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::{text, trimmed_text};

/// Arguments of `get_workout_library`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetWorkoutLibraryArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Only this folder (default all).
    #[serde(default)]
    pub folder_id: Option<i64>,
    /// Include each workout's text (default false; it can be long).
    #[serde(default)]
    pub include_descriptions: bool,
}

/// One library workout.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LibraryWorkoutView {
    /// Workout id.
    pub id: Option<i64>,
    /// Name.
    pub name: Option<String>,
    /// Sport.
    pub sport: Option<String>,
    /// Moving time, seconds.
    pub moving_time_s: Option<i64>,
    /// Training load.
    pub training_load: Option<f64>,
    /// Day within a plan (plans only).
    pub day: Option<i64>,
    /// The workout text (with include_descriptions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One folder or plan.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FolderView {
    /// Folder id (for create_library_workout).
    pub id: Option<i64>,
    /// `FOLDER` or `PLAN`.
    pub kind: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Its workouts.
    pub workouts: Vec<LibraryWorkoutView>,
}

/// Result of `get_workout_library`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetWorkoutLibraryOutput {
    /// The folders.
    pub folders: Vec<FolderView>,
}

/// The tool.
pub struct GetWorkoutLibrary;

impl TypedTool for GetWorkoutLibrary {
    type Args = GetWorkoutLibraryArgs;
    type Output = GetWorkoutLibraryOutput;
    const NAME: &'static str = "get_workout_library";
    const DESCRIPTION: &'static str = "The Intervals.icu workout library: folders and plans with \
        their workouts (id, name, sport, duration, load; the workout text with \
        include_descriptions=true). create_library_workout adds one; add_or_update_event plans \
        one on the calendar.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu workout library");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        if let Some(f) = args.folder_id {
            common::check_positive("folder_id", f)?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let all = icu.folders(args.athlete_id.get()).await?;
        // A folder whose id drifted away cannot be matched; say so rather than blame the
        // caller's id alone.
        let unreadable = all.iter().filter(|f| f.id.val().is_none()).count();
        let folders: Vec<FolderView> = all
            .iter()
            .filter(|f| args.folder_id.is_none() || f.id.val() == args.folder_id)
            .map(|f| FolderView {
                id: f.id.val(),
                kind: trimmed_text(&f.kind),
                name: trimmed_text(&f.name),
                workouts: f
                    .children
                    .get()
                    .map(|l| l.as_slice())
                    .unwrap_or_default()
                    .iter()
                    .map(|w| LibraryWorkoutView {
                        id: w.id.val(),
                        name: trimmed_text(&w.name),
                        sport: trimmed_text(&w.sport),
                        moving_time_s: w.moving_time.val(),
                        training_load: w.icu_training_load.val().map(|l| round(l, 1)),
                        day: w.day.val(),
                        description: if args.include_descriptions {
                            text(&w.description)
                        } else {
                            None
                        },
                    })
                    .collect(),
            })
            .collect();
        if let Some(f) = args.folder_id
            && folders.is_empty()
        {
            let why = if unreadable > 0 {
                format!(" ({unreadable} of its folders came without a readable `id`)")
            } else {
                String::new()
            };
            return Err(ToolError::invalid(
                "folder_id",
                format!("no folder {f} in the library{why}"),
            ));
        }
        let mut out = if folders.is_empty() {
            "The workout library is empty.".to_string()
        } else {
            format!("{} folders:", folders.len())
        };
        for f in &folders {
            out.push_str(&format!(
                "\n{} \"{}\" [id {}], {} workouts",
                f.kind.as_deref().unwrap_or("FOLDER"),
                f.name.as_deref().unwrap_or(""),
                f.id.map_or("?".into(), |i| i.to_string()),
                f.workouts.len()
            ));
            for w in &f.workouts {
                let parts = join_parts(&[
                    w.sport.clone(),
                    w.moving_time_s.map(hms),
                    w.training_load.map(|l| format!("load {l:.0}")),
                ]);
                out.push_str(&format!(
                    "\n  - {} [id {}]: {parts}",
                    w.name.as_deref().unwrap_or("(untitled)"),
                    w.id.map_or("?".into(), |i| i.to_string())
                ));
                if let Some(d) = &w.description {
                    out.push_str(&format!(
                        "\n    {}",
                        common::cut(d, 500).replace('\n', "\n    ")
                    ));
                }
            }
        }
        Ok((out, GetWorkoutLibraryOutput { folders }))
    }
}
