//! `add_events_bulk`: plans several events in one request (`POST
//! /api/v1/athlete/{id}/events/bulk?upsert=…&upsertOnUid=false&updatePlanApplied=false`).
//!
//! Before sending it reads the calendar over the events' dates and, unless `upsert` is on,
//! leaves out any event that is already there (same day, category and name), so a repeated
//! call does not plan everything twice. With `upsert`, events carry an `external_id` and
//! Intervals.icu updates those it already has instead.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, EventSummary, IcuAthleteId, PlannedRequest, event_line, event_summary};
use super::get_events::check_categories;
use crate::intervals::events::EventWrite;
use crate::structure::icu_text::workout_text_cheat_sheet;
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// The most events one call takes.
pub const MAX_EVENTS: usize = 100;

/// One event to add.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkEvent {
    /// Day, YYYY-MM-DD.
    pub start_date: Date,
    /// Name.
    pub name: String,
    /// Sport: Ride, Run, Swim, … (needed for workouts).
    #[serde(default)]
    pub workout_type: Option<String>,
    /// Category (default WORKOUT).
    #[serde(default)]
    pub category: Option<String>,
    /// Intervals.icu workout text for workouts (see the tool description), else free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Planned moving time, seconds.
    #[serde(default)]
    pub moving_time: Option<i64>,
    /// Planned distance, metres.
    #[serde(default)]
    pub distance: Option<f64>,
    /// Indoor.
    #[serde(default)]
    pub indoor: Option<bool>,
    /// Your own id for the event; required with upsert, which matches on it.
    #[serde(default)]
    pub external_id: Option<String>,
}

/// Arguments of `add_events_bulk`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct AddEventsBulkArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// The events, 1–100.
    pub events: Vec<BulkEvent>,
    /// Update events whose external_id matches one added earlier instead of adding them again
    /// (default false; then events already on the calendar are skipped).
    #[serde(default)]
    pub upsert: bool,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// An event left out.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SkippedEvent {
    /// Its index in `events`.
    pub index: usize,
    /// The event already on the calendar.
    pub existing_id: Option<i64>,
}

/// Result of `add_events_bulk`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AddEventsBulkOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent); absent when every event was a duplicate.
    pub request: Option<PlannedRequest>,
    /// Events left out because they are already on the calendar.
    pub skipped: Vec<SkippedEvent>,
    /// The events as stored (not on a dry run).
    pub events: Vec<EventSummary>,
}

/// The tool.
pub struct AddEventsBulk;

fn write(e: &BulkEvent) -> EventWrite {
    EventWrite {
        category: Some(e.category.clone().unwrap_or_else(|| "WORKOUT".into())),
        start: Some(e.start_date.0.and_time(chrono::NaiveTime::MIN)),
        sport: e.workout_type.clone(),
        name: Some(e.name.clone()),
        description: e.description.clone(),
        moving_time: e.moving_time,
        distance: e.distance,
        indoor: e.indoor,
        external_id: e.external_id.clone(),
        ..EventWrite::default()
    }
}

impl TypedTool for AddEventsBulk {
    type Args = AddEventsBulkArgs;
    type Output = AddEventsBulkOutput;
    const NAME: &'static str = "add_events_bulk";
    const DESCRIPTION: &'static str = concat!(
        "Add several events (e.g. a week of planned workouts) to the Intervals.icu calendar in \
        one request. Events already on the calendar (same day, category and name) are skipped \
        unless upsert=true, which updates events by their external_id instead. dry_run=true \
        returns the request without sending it. ",
        workout_text_cheat_sheet!()
    );
    const ANNOTATIONS: Annotations = Annotations::create("Plan Intervals.icu events in bulk");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        if args.events.is_empty() || args.events.len() > MAX_EVENTS {
            return Err(ToolError::invalid(
                "events",
                format!("give 1 to {MAX_EVENTS} events"),
            ));
        }
        for (i, e) in args.events.iter().enumerate() {
            if let Some(c) = &e.category {
                check_categories(&format!("events[{i}].category"), std::slice::from_ref(c))?;
            }
            if args.upsert && e.external_id.is_none() {
                return Err(ToolError::invalid(
                    format!("events[{i}].external_id"),
                    "an upsert matches events by external_id, so every event needs one",
                ));
            }
            write(e)
                .body(true, &format!("events[{i}]."))
                .map_err(|e| match e {
                    crate::intervals::IcuError::InvalidInput { field, message } => {
                        ToolError::invalid(field.replace(".type", ".workout_type"), message)
                    }
                    e => ToolError::Icu(e),
                })?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let athlete = args.athlete_id.get();
        let mut skipped = Vec::new();
        let mut keep = Vec::new();
        if args.upsert {
            keep = args.events.iter().collect();
        } else {
            let days: BTreeSet<_> = args.events.iter().map(|e| e.start_date.0).collect();
            let (first, last) = match (days.first(), days.last()) {
                (Some(f), Some(l)) => (*f, *l),
                _ => return Err(ToolError::invalid("events", "give at least one event")),
            };
            let existing: Vec<EventSummary> = icu
                .events(athlete, first, last, &[])
                .await?
                .iter()
                .map(event_summary)
                .collect();
            // Two requests in all (the calendar read, then the create): each is a step.
            if !args.dry_run {
                icu.report_step(1, 2, "requests sent");
            }
            for (i, e) in args.events.iter().enumerate() {
                let cat = e.category.as_deref().unwrap_or("WORKOUT");
                let day = e.start_date.to_string();
                let dup = existing.iter().find(|x| {
                    x.start_local
                        .as_deref()
                        .is_some_and(|s| s.starts_with(&day))
                        && x.category.as_deref() == Some(cat)
                        && x.name.as_deref().map(str::trim) == Some(e.name.trim())
                });
                match dup {
                    Some(x) => skipped.push(SkippedEvent {
                        index: i,
                        existing_id: x.id,
                    }),
                    None => keep.push(e),
                }
            }
        }
        let skipped_text = if skipped.is_empty() {
            String::new()
        } else {
            format!(
                "\nSkipped {} already on the calendar: {}.",
                skipped.len(),
                skipped
                    .iter()
                    .map(|s| format!(
                        "events[{}] (event {})",
                        s.index,
                        s.existing_id.map_or("?".into(), |i| i.to_string())
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        if keep.is_empty() {
            return Ok((
                format!("Nothing to add.{skipped_text}"),
                AddEventsBulkOutput {
                    dry_run: args.dry_run,
                    request: None,
                    skipped,
                    events: Vec::new(),
                },
            ));
        }
        let writes: Vec<EventWrite> = keep.iter().map(|e| write(e)).collect();
        let (w, upsert) = (&writes, args.upsert);
        let request = common::plan(icu, |c| async move {
            c.create_events_bulk(athlete, w, upsert).await
        })
        .await?;
        if args.dry_run {
            return Ok((
                format!(
                    "{}{skipped_text}",
                    common::dry_run_text(&format!("add {} events", writes.len()), &request)
                ),
                AddEventsBulkOutput {
                    dry_run: true,
                    request: Some(request),
                    skipped,
                    events: Vec::new(),
                },
            ));
        }
        let events: Vec<EventSummary> = icu
            .create_events_bulk(athlete, w, upsert)
            .await?
            .iter()
            .map(event_summary)
            .collect();
        if !args.upsert {
            icu.report_step(2, 2, "requests sent");
        }
        let mut text = format!("Added {} events:", events.len());
        for e in &events {
            text.push_str(&format!("\n- {}", event_line(e)));
        }
        text.push_str(&skipped_text);
        Ok((
            text,
            AddEventsBulkOutput {
                dry_run: false,
                request: Some(request),
                skipped,
                events,
            },
        ))
    }
}
