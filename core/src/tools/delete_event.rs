//! `delete_event`: removes a race or event.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::calendar::positive_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The `delete_event` tool.
#[derive(Debug)]
pub struct DeleteEvent;

/// Arguments of `delete_event`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteEventArgs {
    /// Event id (from `get_events`).
    pub event_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `delete_event`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeleteEventOutput {
    /// The deleted event's id.
    pub event_id: i64,
    /// Always true on success.
    pub deleted: bool,
}

impl TypedTool for DeleteEvent {
    type Args = DeleteEventArgs;
    type Output = DeleteEventOutput;
    const NAME: &'static str = "delete_event";
    const DESCRIPTION: &'static str = "Delete a race or event from the athlete's calendar by id (from get_events). Cannot be undone.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete event");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        positive_id("event_id", a.event_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        ctx.client.delete_event(aid, a.event_id).await?;
        Ok((
            format!("Event {} deleted.", a.event_id),
            DeleteEventOutput {
                event_id: a.event_id,
                deleted: true,
            },
        ))
    }
}
