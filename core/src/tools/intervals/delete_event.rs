//! `delete_event`: deletes one calendar event (`DELETE /api/v1/athlete/{id}/events/{eventId}`).
//! The seed dumped the raw response; this says what went.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId, PlannedRequest};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `delete_event`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteEventArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Event id (from get_events).
    pub event_id: i64,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of `delete_event`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeleteEventOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent).
    pub request: PlannedRequest,
    /// The event id.
    pub event_id: i64,
    /// Whether it was deleted (false on a dry run).
    pub deleted: bool,
}

/// The tool.
pub struct DeleteEvent;

impl TypedTool for DeleteEvent {
    type Args = DeleteEventArgs;
    type Output = DeleteEventOutput;
    const NAME: &'static str = "delete_event";
    const DESCRIPTION: &'static str = "Delete one Intervals.icu calendar event (planned workout, \
        note, race…) by event_id (from get_events). dry_run=true returns the request without \
        sending it.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete an Intervals.icu event");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        common::check_positive("event_id", args.event_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let (athlete, id) = (args.athlete_id.get(), args.event_id);
        let request =
            common::plan(icu, |c| async move { c.delete_event(athlete, id).await }).await?;
        if args.dry_run {
            return Ok((
                common::dry_run_text(&format!("delete event {id}"), &request),
                DeleteEventOutput {
                    dry_run: true,
                    request,
                    event_id: id,
                    deleted: false,
                },
            ));
        }
        icu.delete_event(athlete, id).await?;
        Ok((
            format!("Deleted event {id}."),
            DeleteEventOutput {
                dry_run: false,
                request,
                event_id: id,
                deleted: true,
            },
        ))
    }
}
