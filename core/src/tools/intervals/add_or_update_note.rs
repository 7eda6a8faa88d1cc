//! `add_or_update_note`: a note on the calendar (category NOTE), created with `POST
//! /api/v1/athlete/{id}/events?upsertOnUid=false` or changed with `PUT
//! /api/v1/athlete/{id}/events/{eventId}`. As in the seed, a new note is green unless a colour
//! is given; an update sends only the fields given (the seed also reset the date to today).

use schemars::JsonSchema;
use serde::Deserialize;

use super::add_or_update_event::field_names;
use super::common::{self, EventWriteOutput, IcuAthleteId};
use crate::intervals::events::EventWrite;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `add_or_update_note`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AddOrUpdateNoteArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Title.
    pub name: String,
    /// The note's text.
    pub description: String,
    /// Day, YYYY-MM-DD (default for a new note: today; an update keeps the date unless given).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Colour, e.g. `green`, `red`, `#ff8800` (default for a new note: green).
    #[serde(default)]
    pub color: Option<String>,
    /// The note to update (from get_events); omit to create one.
    #[serde(default)]
    pub event_id: Option<i64>,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// The tool.
pub struct AddOrUpdateNote;

fn write(args: &AddOrUpdateNoteArgs, new_start: chrono::NaiveDateTime) -> EventWrite {
    let creating = args.event_id.is_none();
    EventWrite {
        category: Some("NOTE".into()),
        start: args
            .start_date
            .map(|d| d.0.and_time(chrono::NaiveTime::MIN))
            .or_else(|| creating.then_some(new_start)),
        name: Some(args.name.clone()),
        description: Some(args.description.clone()),
        color: args
            .color
            .clone()
            .or_else(|| creating.then(|| "green".to_string())),
        ..EventWrite::default()
    }
}

impl TypedTool for AddOrUpdateNote {
    type Args = AddOrUpdateNoteArgs;
    type Output = EventWriteOutput;
    const NAME: &'static str = "add_or_update_note";
    const DESCRIPTION: &'static str = "Create a note on the Intervals.icu calendar, or update one \
        (give event_id): title, text, day (default today) and colour (default green). An update \
        changes only the fields given. dry_run=true returns the request without sending it.";
    // Creates (not idempotent) or overwrites (destructive), depending on event_id.
    const ANNOTATIONS: Annotations = Annotations {
        title: "Intervals.icu note",
        read_only: false,
        destructive: true,
        idempotent: false,
    };

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        if let Some(id) = args.event_id {
            common::check_positive("event_id", id)?;
        }
        if let Some(c) = &args.color
            && (c.trim().is_empty() || c.len() > 32 || c.chars().any(char::is_control))
        {
            return Err(ToolError::invalid(
                "color",
                format!("{c:?} is not a colour (e.g. green, #ff8800)"),
            ));
        }
        write(args, chrono::NaiveDateTime::MIN)
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
            "note",
        )
        .await
    }
}
