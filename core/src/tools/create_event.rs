//! `create_event`: adds a race or event to the calendar.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date};
use super::shared::calendar::{
    DistanceUnits, EventType, EventView, Priority, check_event_numbers, non_blank,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;
use crate::trainingpeaks::calendar::NewEvent;

/// The `create_event` tool.
#[derive(Debug)]
pub struct CreateEvent;

/// Arguments of `create_event`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateEventArgs {
    /// Event name, e.g. "Lakeside 70.3".
    pub name: String,
    /// Event date, `YYYY-MM-DD` (e.g. `2027-02-13`).
    pub date: Date,
    /// Event type, e.g. `RoadRunning`, `RoadCycling`, `Triathlon`. The TrainingPeaks web-form
    /// names (`RunningRoad`, `CyclingRoad`, `MultisportTriathlon`…) are accepted too.
    pub event_type: EventType,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Race priority: `A` (season goal race), `B` (important), `C` (training race). Default `C`.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// Race distance, a positive number in `distance_units` (e.g. 21.1 with `Kilometers`).
    #[serde(default)]
    pub distance: Option<f64>,
    /// Unit of `distance`: `Meters`, `Kilometers` or `Miles`. Required with `distance`.
    #[serde(default)]
    pub distance_units: Option<DistanceUnits>,
    /// Target CTL (chronic training load, "fitness") for race day, e.g. 85. Range 0–250.
    #[serde(default)]
    pub ctl_target: Option<f64>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `create_event`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreateEventOutput {
    /// The created event.
    pub event: EventView,
}

impl TypedTool for CreateEvent {
    type Args = CreateEventArgs;
    type Output = CreateEventOutput;
    const NAME: &'static str = "create_event";
    const DESCRIPTION: &'static str = "Add a race or event to the athlete's calendar: name, date (YYYY-MM-DD), event type, \
         optional priority A/B/C (A = goal race; default C), distance with its unit (Meters, \
         Kilometers or Miles), CTL target (fitness wanted on race day) and description. \
         Returns the new event id.";
    const ANNOTATIONS: Annotations = Annotations::create("Create event");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        non_blank("name", &args.name)?;
        if args.distance.is_none() && args.distance_units.is_some() {
            return Err(ToolError::invalid(
                "distance_units",
                "given without distance; add distance or drop the unit",
            ));
        }
        check_event_numbers(args.distance, args.distance_units, args.ctl_target, true)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let new = NewEvent {
            name: args.name.trim().to_string(),
            date: args.date.0,
            event_type: args.event_type.wire().to_string(),
            description: args.description,
            priority: args.priority.map(|p| p.wire().to_string()),
            distance: args.distance,
            distance_units: args.distance_units.map(|u| u.wire().to_string()),
            ctl_target: args.ctl_target,
        };
        let event = ctx.client.create_event(aid, &new).await?;
        let view = EventView::new(&event, ctx.clock().today()).map_err(TpError::from)?;
        Ok((
            format!("Event created: {}", view.summary()),
            CreateEventOutput { event: view },
        ))
    }
}
