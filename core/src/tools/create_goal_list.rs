//! `create_goal_list`: a list of written goals on a date.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date};
use super::shared::calendar::non_blank;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;
use crate::trainingpeaks::calendar::text;

/// The `create_goal_list` tool.
#[derive(Debug)]
pub struct CreateGoalList;

/// Arguments of `create_goal_list`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateGoalListArgs {
    /// The date to achieve the goals by, `YYYY-MM-DD`.
    pub date: Date,
    /// Title, e.g. "2027 season goals".
    pub title: String,
    /// The goals, one sentence each, at least one (e.g. `["Sub-5:15 at Lakeside 70.3"]`).
    pub goals: Vec<String>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `create_goal_list`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreateGoalListOutput {
    /// The new goal list's id.
    pub goal_list_id: i64,
    /// Title.
    pub title: String,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
    /// The goals, in order.
    pub goals: Vec<String>,
}

impl TypedTool for CreateGoalList {
    type Args = CreateGoalListArgs;
    type Output = CreateGoalListOutput;
    const NAME: &'static str = "create_goal_list";
    const DESCRIPTION: &'static str = "Create a goal list on the athlete's calendar: a title, a date to achieve them by \
         (YYYY-MM-DD) and one or more written goals.";
    const ANNOTATIONS: Annotations = Annotations::create("Create goal list");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        non_blank("title", &a.title)?;
        if a.goals.is_empty() {
            return Err(ToolError::invalid(
                "goals",
                "give at least one goal, e.g. [\"Sub-5:15 at Lakeside 70.3\"]",
            ));
        }
        for (i, g) in a.goals.iter().enumerate() {
            non_blank(&format!("goals[{i}]"), g)?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        let goals: Vec<String> = a.goals.iter().map(|g| g.trim().to_string()).collect();
        let list = ctx
            .client
            .create_goal_list(aid, a.date.0, a.title.trim(), &goals)
            .await?;
        let id = list.id().map_err(TpError::from)?;
        let saved: Vec<String> = match list.texts() {
            t if t.is_empty() => goals,
            t => t,
        };
        let title = text(&list.title).unwrap_or_else(|| a.title.trim().to_string());
        let mut text = format!(
            "Goal list created: \"{title}\" (ID: {})\nDate: {}",
            id, a.date
        );
        for (i, g) in saved.iter().enumerate() {
            text.push_str(&format!("\n{}. {g}", i + 1));
        }
        Ok((
            text,
            CreateGoalListOutput {
                goal_list_id: id,
                title,
                date: a.date.to_string(),
                goals: saved,
            },
        ))
    }
}
