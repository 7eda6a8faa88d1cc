//! `update_activity`: changes an activity's name, description, RPE, feel or gear (`PUT
//! /api/v1/activity/{id}` with only the fields given). Activities synced from Strava cannot be
//! changed through the API (it refuses).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, ActivitySummary, PlannedRequest, activity_line, activity_summary};
use crate::intervals::activities::ActivityUpdate;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `update_activity`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateActivityArgs {
    /// Activity id, e.g. `i12345678` (from get_activities).
    pub activity_id: String,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// Perceived exertion, 1 (very easy) – 10 (maximal).
    #[serde(default)]
    pub rpe: Option<i64>,
    /// Feel, 1 (strong) – 5 (weak).
    #[serde(default)]
    pub feel: Option<i64>,
    /// Gear id (from get_gear_list).
    #[serde(default)]
    pub gear_id: Option<String>,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of `update_activity`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UpdateActivityOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent).
    pub request: PlannedRequest,
    /// The activity as stored (not on a dry run).
    pub activity: Option<ActivitySummary>,
}

/// The tool.
pub struct UpdateActivity;

fn update(a: &UpdateActivityArgs) -> ActivityUpdate {
    ActivityUpdate {
        name: a.name.clone(),
        description: a.description.clone(),
        rpe: a.rpe,
        feel: a.feel,
        gear_id: a.gear_id.clone(),
    }
}

impl TypedTool for UpdateActivity {
    type Args = UpdateActivityArgs;
    type Output = UpdateActivityOutput;
    const NAME: &'static str = "update_activity";
    const DESCRIPTION: &'static str = "Change an Intervals.icu activity: name, description, RPE \
        (1–10), feel (1 strong – 5 weak) or gear_id (from get_gear_list). Only the fields given \
        change; Strava-synced activities cannot be changed. dry_run=true returns the request \
        without sending it.";
    const ANNOTATIONS: Annotations = Annotations::update("Update an Intervals.icu activity");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        common::check_path_id("activity_id", &args.activity_id)?;
        update(args).body().map(drop).map_err(ToolError::Icu)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let u = update(&args);
        let (id, u) = (args.activity_id.as_str(), &u);
        let request = common::plan(icu, |c| async move { c.update_activity(id, u).await }).await?;
        if args.dry_run {
            return Ok((
                common::dry_run_text(&format!("update activity {id}"), &request),
                UpdateActivityOutput {
                    dry_run: true,
                    request,
                    activity: None,
                },
            ));
        }
        let stored = activity_summary(&icu.update_activity(id, u).await?);
        Ok((
            format!("Updated activity: {}", activity_line(&stored)),
            UpdateActivityOutput {
                dry_run: false,
                request,
                activity: Some(stored),
            },
        ))
    }
}
