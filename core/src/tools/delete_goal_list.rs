//! `delete_goal_list`: removes a goal list.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::calendar::positive_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The `delete_goal_list` tool.
#[derive(Debug)]
pub struct DeleteGoalList;

/// Arguments of `delete_goal_list`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteGoalListArgs {
    /// Goal list id (from `create_goal_list`).
    pub goal_list_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `delete_goal_list`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeleteGoalListOutput {
    /// The deleted goal list's id.
    pub goal_list_id: i64,
    /// Always true on success.
    pub deleted: bool,
}

impl TypedTool for DeleteGoalList {
    type Args = DeleteGoalListArgs;
    type Output = DeleteGoalListOutput;
    const NAME: &'static str = "delete_goal_list";
    const DESCRIPTION: &'static str = "Delete a goal list by id. Cannot be undone.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete goal list");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        positive_id("goal_list_id", a.goal_list_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        ctx.client.delete_goal_list(aid, a.goal_list_id).await?;
        Ok((
            format!("Goal list {} deleted.", a.goal_list_id),
            DeleteGoalListOutput {
                goal_list_id: a.goal_list_id,
                deleted: true,
            },
        ))
    }
}
