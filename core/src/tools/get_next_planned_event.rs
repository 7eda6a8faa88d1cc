//! `get_next_planned_event`: the nearest upcoming event on the calendar, any priority.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::calendar::EventView;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;

/// The `get_next_planned_event` tool.
#[derive(Debug)]
pub struct GetNextPlannedEvent;

/// Arguments of `get_next_planned_event`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetNextPlannedEventArgs {
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_next_planned_event`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetNextPlannedEventOutput {
    /// Whether there is an upcoming event. `false` is a normal answer, not an error.
    pub found: bool,
    /// The next event, when there is one.
    pub event: Option<EventView>,
}

impl TypedTool for GetNextPlannedEvent {
    type Args = GetNextPlannedEventArgs;
    type Output = GetNextPlannedEventOutput;
    const NAME: &'static str = "get_next_planned_event";
    const DESCRIPTION: &'static str = "Get the next upcoming planned event or race on the athlete's calendar (the nearest \
         future event, whatever its priority): name, date and days until it, type, priority, \
         CTL target, distance (as stored and in km). When nothing is planned this is a normal \
         answer (found: false), not an error.";
    const ANNOTATIONS: Annotations = Annotations::read("Get next planned event");

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let today = ctx.clock().today();
        match ctx.client.next_planned_event(aid).await? {
            None => Ok((
                "No upcoming planned events found. Add one with create_event.".to_string(),
                GetNextPlannedEventOutput {
                    found: false,
                    event: None,
                },
            )),
            Some(e) => {
                let view = EventView::new(&e, today).map_err(TpError::from)?;
                Ok((
                    format!("Next event: {}", view.summary()),
                    GetNextPlannedEventOutput {
                        found: true,
                        event: Some(view),
                    },
                ))
            }
        }
    }
}
