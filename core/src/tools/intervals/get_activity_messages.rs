//! `get_activity_messages`: the comments on an activity (`GET /api/v1/activity/{id}/messages`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::{text, trimmed_text};

/// Arguments of `get_activity_messages`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetActivityMessagesArgs {
    /// Activity id, e.g. `i12345678` (from get_activities).
    pub activity_id: String,
}

/// One message.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MessageView {
    /// Message id.
    pub id: Option<i64>,
    /// Author's name.
    pub author: Option<String>,
    /// When it was written (UTC).
    pub created: Option<String>,
    /// Message type (`TEXT`, …).
    pub kind: Option<String>,
    /// The text.
    pub content: Option<String>,
}

/// Result of `get_activity_messages`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetActivityMessagesOutput {
    /// The activity.
    pub activity_id: String,
    /// The messages, oldest first.
    pub messages: Vec<MessageView>,
}

/// The tool.
pub struct GetActivityMessages;

impl TypedTool for GetActivityMessages {
    type Args = GetActivityMessagesArgs;
    type Output = GetActivityMessagesOutput;
    const NAME: &'static str = "get_activity_messages";
    const DESCRIPTION: &'static str = "The comments (messages) on one Intervals.icu activity: \
        author, time, type and text.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu activity messages");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        common::check_path_id("activity_id", &args.activity_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let list = icu.activity_messages(&args.activity_id).await?;
        let messages: Vec<MessageView> = list
            .iter()
            .map(|m| MessageView {
                id: m.id.val(),
                author: trimmed_text(&m.name),
                created: m.created.get().map(|s| s.as_str().to_string()),
                kind: trimmed_text(&m.kind),
                content: text(&m.content),
            })
            .collect();
        let mut out = if messages.is_empty() {
            format!("No messages on activity {}.", args.activity_id)
        } else {
            format!(
                "{} messages on activity {}:",
                messages.len(),
                args.activity_id
            )
        };
        for m in &messages {
            out.push_str(&format!(
                "\n- {} ({}): {}",
                m.author.as_deref().unwrap_or("?"),
                m.created.as_deref().unwrap_or("?"),
                m.content.as_deref().unwrap_or("")
            ));
        }
        Ok((
            out,
            GetActivityMessagesOutput {
                activity_id: args.activity_id,
                messages,
            },
        ))
    }
}
