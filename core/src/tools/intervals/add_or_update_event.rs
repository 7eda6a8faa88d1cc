//! `add_or_update_event`: plans a workout (or race…) on the calendar, or changes one.
//!
//! Creates with `POST /api/v1/athlete/{id}/events?upsertOnUid=false`, updates with `PUT
//! /api/v1/athlete/{id}/events/{eventId}`. Seed differences: the seed took a `workout_doc`
//! object and rendered it to text with its own serialiser, which cannot express nested repeats
//! and fails on them; this takes the Intervals.icu workout text itself in `description`, which
//! the server parses (spec §4.1). On update the seed always sent today's date and the WORKOUT
//! category, moving the event and turning a race into a workout; this sends only the fields
//! given.

use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{self, EventWriteOutput, IcuAthleteId};
use super::get_events::check_categories;
use crate::intervals::events::EventWrite;
use crate::structure::icu_text::workout_text_cheat_sheet;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `add_or_update_event`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AddOrUpdateEventArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Sport: Ride, Run, Swim, VirtualRide, WeightTraining, … (the API's `type`).
    pub workout_type: String,
    /// Name.
    pub name: String,
    /// The event to update (from get_events); omit to create a new one.
    #[serde(default)]
    pub event_id: Option<i64>,
    /// Day, YYYY-MM-DD (default for a new event: today; an update keeps the date unless given).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// The workout in Intervals.icu workout text (see the tool description); for other
    /// categories, free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Planned moving time, seconds (Intervals.icu computes it from the workout text if absent).
    #[serde(default)]
    pub moving_time: Option<i64>,
    /// Planned distance, metres.
    #[serde(default)]
    pub distance: Option<f64>,
    /// Indoor workout.
    #[serde(default)]
    pub indoor: Option<bool>,
    /// Category (default for a new event: WORKOUT; RACE_A, RACE_B, RACE_C, … also possible;
    /// an update keeps the category unless given).
    #[serde(default)]
    pub category: Option<String>,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// The tool.
pub struct AddOrUpdateEvent;

impl TypedTool for AddOrUpdateEvent {
    type Args = AddOrUpdateEventArgs;
    type Output = EventWriteOutput;
    const NAME: &'static str = "add_or_update_event";
    const DESCRIPTION: &'static str = concat!(
        "Create a planned workout on the Intervals.icu calendar, or update one (give event_id). \
        Put the structured workout as Intervals.icu workout text in `description`; Intervals.icu \
        parses it and computes duration and load, which the result shows. An update changes \
        only the fields given. dry_run=true returns the request without sending it. ",
        workout_text_cheat_sheet!()
    );
    // Creates (not idempotent) or overwrites (destructive), depending on event_id.
    const ANNOTATIONS: Annotations = Annotations {
        title: "Plan an Intervals.icu workout",
        read_only: false,
        destructive: true,
        idempotent: false,
    };

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        if let Some(id) = args.event_id {
            common::check_positive("event_id", id)?;
        }
        if let Some(c) = &args.category {
            check_categories("category", std::slice::from_ref(c))?;
        }
        // Creating needs a start; any day checks the rest (run uses today).
        let placeholder = chrono::NaiveDateTime::MIN;
        write(args, placeholder)
            .body(args.event_id.is_none(), "")
            .map(drop)
            .map_err(field_names)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let w = write(&args, common::today(icu).and_time(chrono::NaiveTime::MIN));
        common::write_event(
            icu,
            args.athlete_id.get(),
            args.event_id,
            &w,
            args.dry_run,
            "event",
        )
        .await
        .map_err(|e| match e {
            ToolError::Icu(e) => field_names(e),
            e => e,
        })
    }
}

/// The client names fields by their wire names; the tool's arguments differ for two.
pub(crate) fn field_names(e: crate::intervals::IcuError) -> ToolError {
    match e {
        crate::intervals::IcuError::InvalidInput { field, message } => {
            let field = match field.as_str() {
                "type" => "workout_type".to_string(),
                "start_date" => "start_date".to_string(),
                _ => field,
            };
            ToolError::invalid(field, message)
        }
        e => ToolError::Icu(e),
    }
}

/// The event fields; a new event without a date starts at `new_start`.
fn write(args: &AddOrUpdateEventArgs, new_start: chrono::NaiveDateTime) -> EventWrite {
    EventWrite {
        // A new event is a WORKOUT unless said otherwise; an update keeps its category (the
        // seed sent WORKOUT on every update, turning a race into a workout).
        category: args
            .category
            .clone()
            .or_else(|| args.event_id.is_none().then(|| "WORKOUT".into())),
        start: args
            .start_date
            .map(|d| d.0.and_time(chrono::NaiveTime::MIN))
            .or_else(|| args.event_id.is_none().then_some(new_start)),
        sport: Some(args.workout_type.clone()),
        name: Some(args.name.clone()),
        description: args.description.clone(),
        moving_time: args.moving_time,
        distance: args.distance,
        indoor: args.indoor,
        ..EventWrite::default()
    }
}
