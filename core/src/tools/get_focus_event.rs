//! `get_focus_event`: the athlete's focus (A-priority goal) race.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::calendar::EventView;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;

/// The `get_focus_event` tool.
#[derive(Debug)]
pub struct GetFocusEvent;

/// Arguments of `get_focus_event`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetFocusEventArgs {
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_focus_event`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetFocusEventOutput {
    /// Whether a focus event is set. `false` is a normal answer, not an error.
    pub found: bool,
    /// The focus event, when set.
    pub event: Option<EventView>,
}

impl TypedTool for GetFocusEvent {
    type Args = GetFocusEventArgs;
    type Output = GetFocusEventOutput;
    const NAME: &'static str = "get_focus_event";
    const DESCRIPTION: &'static str = "Get the athlete's focus event: the A-priority goal race. Returns name, date and days \
         until it, event type, priority, CTL (fitness) target, distance (as stored and in km), \
         goals (finish time H:MM:SS, place, written goals) and results if already raced. When no \
         focus event is set this is a normal answer (found: false), not an error.";
    const ANNOTATIONS: Annotations = Annotations::read("Get focus event");

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let today = ctx.clock().today();
        match ctx.client.focus_event(aid).await? {
            None => Ok((
                "No focus event is currently set. Set an A-priority race with create_event or \
                 update_event (priority: \"A\")."
                    .to_string(),
                GetFocusEventOutput {
                    found: false,
                    event: None,
                },
            )),
            Some(e) => {
                let view = EventView::new(&e, today).map_err(TpError::from)?;
                Ok((
                    format!("Focus event: {}", view.summary()),
                    GetFocusEventOutput {
                        found: true,
                        event: Some(view),
                    },
                ))
            }
        }
    }
}
