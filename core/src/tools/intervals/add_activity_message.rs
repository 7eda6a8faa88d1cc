//! `add_activity_message`: comments on an activity (`POST /api/v1/activity/{id}/messages` with
//! `{"content": …}`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, PlannedRequest};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `add_activity_message`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AddActivityMessageArgs {
    /// Activity id, e.g. `i12345678` (from get_activities).
    pub activity_id: String,
    /// The comment text.
    pub content: String,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of `add_activity_message`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AddActivityMessageOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent).
    pub request: PlannedRequest,
    /// The new message's id (not on a dry run).
    pub message_id: Option<i64>,
}

/// The tool.
pub struct AddActivityMessage;

impl TypedTool for AddActivityMessage {
    type Args = AddActivityMessageArgs;
    type Output = AddActivityMessageOutput;
    const NAME: &'static str = "add_activity_message";
    const DESCRIPTION: &'static str = "Add a comment (message) to an Intervals.icu activity. The \
        athlete and their coach see it. dry_run=true returns the request without sending it.";
    const ANNOTATIONS: Annotations = Annotations::create("Comment on an Intervals.icu activity");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        common::check_path_id("activity_id", &args.activity_id)?;
        if args.content.trim().is_empty() {
            return Err(ToolError::invalid("content", "the message is empty"));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let (id, content) = (&args.activity_id, &args.content);
        let request = common::plan(
            icu,
            |c| async move { c.add_activity_message(id, content).await },
        )
        .await?;
        if args.dry_run {
            let text = common::dry_run_text("add this comment", &request);
            return Ok((
                text,
                AddActivityMessageOutput {
                    dry_run: true,
                    request,
                    message_id: None,
                },
            ));
        }
        let made = icu.add_activity_message(id, content).await?;
        let message_id = made.id.val();
        Ok((
            format!(
                "Added message{} to activity {id}.",
                message_id.map_or(String::new(), |m| format!(" {m}"))
            ),
            AddActivityMessageOutput {
                dry_run: false,
                request,
                message_id,
            },
        ))
    }
}
