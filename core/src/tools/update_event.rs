//! `update_event`: changes fields of an existing event (GET, merge, full PUT).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date};
use super::shared::calendar::{
    DistanceUnits, EventType, EventView, Priority, check_event_numbers, non_blank, positive_id,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;
use crate::trainingpeaks::calendar::EventUpdate;

/// The `update_event` tool.
#[derive(Debug)]
pub struct UpdateEvent;

/// Arguments of `update_event`. Only the fields given change; everything else is kept.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateEventArgs {
    /// Event id (from `get_events`).
    pub event_id: i64,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New date, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<Date>,
    /// New event type (reference names such as `RoadRunning`, or web-form names such as
    /// `RunningRoad`).
    #[serde(default)]
    pub event_type: Option<EventType>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// New priority: `A`, `B` or `C`.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// New distance, a positive number in `distance_units` (kept unit if not given).
    #[serde(default)]
    pub distance: Option<f64>,
    /// New unit of `distance`: `Meters`, `Kilometers` or `Miles`.
    #[serde(default)]
    pub distance_units: Option<DistanceUnits>,
    /// New target CTL for race day (0–250).
    #[serde(default)]
    pub ctl_target: Option<f64>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `update_event`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct UpdateEventOutput {
    /// The event after the update.
    pub event: EventView,
}

impl TypedTool for UpdateEvent {
    type Args = UpdateEventArgs;
    type Output = UpdateEventOutput;
    const NAME: &'static str = "update_event";
    const DESCRIPTION: &'static str = "Update a race or event (name, date YYYY-MM-DD, type, priority A/B/C, distance and \
         unit, CTL target, description). Only the fields given change: the event is read, \
         merged and written back whole, so goals, results and linked workouts are kept.";
    const ANNOTATIONS: Annotations = Annotations::update("Update event");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        positive_id("event_id", a.event_id)?;
        if let Some(n) = &a.name {
            non_blank("name", n)?;
        }
        check_event_numbers(a.distance, a.distance_units, a.ctl_target, false)?;
        let nothing = a.name.is_none()
            && a.date.is_none()
            && a.event_type.is_none()
            && a.description.is_none()
            && a.priority.is_none()
            && a.distance.is_none()
            && a.distance_units.is_none()
            && a.ctl_target.is_none();
        if nothing {
            return Err(ToolError::invalid(
                "arguments",
                "nothing to update: give at least one of name, date, event_type, description, \
                 priority, distance, distance_units, ctl_target",
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        let update = EventUpdate {
            name: a.name.map(|n| n.trim().to_string()),
            date: a.date.map(|d| d.0),
            event_type: a.event_type.map(|t| t.wire().to_string()),
            description: a.description,
            priority: a.priority.map(|p| p.wire().to_string()),
            distance: a.distance,
            distance_units: a.distance_units.map(|u| u.wire().to_string()),
            ctl_target: a.ctl_target,
        };
        let event = ctx.client.update_event(aid, a.event_id, &update).await?;
        let view = EventView::new(&event, ctx.clock().today()).map_err(TpError::from)?;
        Ok((
            format!("Event updated: {}", view.summary()),
            UpdateEventOutput { event: view },
        ))
    }
}
