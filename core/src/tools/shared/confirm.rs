//! What the extension's confirmation window shows before a change runs.
//!
//! The window is the one check a person makes, so it must not be steerable by the caller: a
//! prompt-injected model controls every argument value (and, if it could, the keys and their
//! order). So the window never shows the caller's JSON as given. It shows
//!
//! - [`describe_arguments`]: the arguments the tool actually takes, after the tool has parsed
//!   and checked them, in the tool's own schema order, each value cleaned by [`sanitize`] and cut
//!   visibly by [`truncate`]; and
//! - [`describe_target`]: what the server says the call acts on (the title, date and sport of
//!   the workout about to be changed or deleted, the note's title, the library's name…), read
//!   before the window opens, so a misleading `title` argument cannot pass for the target.
//!
//! Everything here is text for a person; nothing is sent to TrainingPeaks except the reads.

mod intervals;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::workout_view::sport_name;
use crate::http::BoxFuture;
use crate::tools::platform::{self, Service};
use crate::tools::{Tool, ToolContext, ToolError, parse_args};
use crate::trainingpeaks::calendar::{Availability, Event, SEARCH_WINDOW_DAYS};
use crate::trainingpeaks::{Library, LibraryItem, TpClient, TpError};
use crate::wire::{Day, Field};

/// Longest argument value shown in full (characters); longer ones are cut, saying by how much.
pub const MAX_VALUE_CHARS: usize = 200;
/// Longest server-side name (title, library name…) shown in full.
pub const MAX_NAME_CHARS: usize = 120;
/// `reorder_workouts` reads at most this many of its workouts for the window.
const MAX_LISTED_WORKOUTS: usize = 5;

/// What kind of thing a tool acts on, for [`describe_target`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Workout,
    WorkoutComment,
    Workouts,
    Event,
    Note,
    Availability,
    Library,
    LibraryItem,
    MovedLibraryItem,
    ScheduledLibraryItem,
    Equipment,
}

/// The tools that act on something that exists and can be read first. Every other tool only
/// adds, changes settings, or acts on something no read finds by id (goal lists).
const TARGETS: &[(&str, Target)] = &[
    ("delete_workout", Target::Workout),
    ("update_workout", Target::Workout),
    ("skip_workout", Target::Workout),
    ("set_workout_advice", Target::Workout),
    ("scale_workout_intensity", Target::Workout),
    ("copy_workout", Target::Workout),
    ("add_workout_comment", Target::Workout),
    ("update_private_workout_note", Target::Workout),
    ("delete_workout_comment", Target::WorkoutComment),
    ("reorder_workouts", Target::Workouts),
    ("delete_event", Target::Event),
    ("update_event", Target::Event),
    ("delete_note", Target::Note),
    ("update_note", Target::Note),
    ("add_note_comment", Target::Note),
    ("delete_availability", Target::Availability),
    ("update_availability", Target::Availability),
    ("update_library", Target::Library),
    ("delete_library", Target::Library),
    ("update_library_item", Target::LibraryItem),
    ("delete_library_item", Target::LibraryItem),
    ("move_library_item", Target::MovedLibraryItem),
    ("schedule_library_workout", Target::ScheduledLibraryItem),
    ("update_equipment_item", Target::Equipment),
    ("delete_equipment", Target::Equipment),
];

/// One argument as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownArgument {
    /// The argument's name, as in the tool's input schema.
    pub name: String,
    /// Its value: strings as they are, anything else as compact JSON; sanitised and truncated.
    pub value: String,
}

/// Everything the window shows for one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallDescription {
    /// The service the call changes, as the window names it: "TrainingPeaks" or
    /// "Intervals.icu".
    pub service: &'static str,
    /// The tool's human-readable title, e.g. "Delete workout".
    pub title: String,
    /// Whether the tool can overwrite or delete data (otherwise it only adds).
    pub destructive: bool,
    /// The parsed arguments, in schema order.
    pub arguments: Vec<ShownArgument>,
    /// What the server says the call acts on, when the tool acts on something that exists and
    /// a read for it exists.
    pub target: Option<String>,
    /// Why the target could not be read (e.g. it does not exist), instead of `target`.
    pub target_error: Option<String>,
}

/// Whether a character is removed (or, for line breaks and tabs, turned into a space) before
/// it is shown: C0 and C1 controls, DEL, and the bidirectional formatting characters that can
/// make text display in an order other than the one it is stored in.
fn is_hidden_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Bidi marks, embeddings, overrides and isolates.
        | '\u{200e}' | '\u{200f}' | '\u{061c}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        // Line and paragraph separators break the one-line layout like a newline.
        | '\u{2028}' | '\u{2029}')
}

/// Text made safe to show on one line: control and bidi formatting characters removed; tabs,
/// line breaks and line/paragraph separators become single spaces (so words stay apart).
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        if matches!(c, '\t' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else if !is_hidden_control(c) {
            out.push(c);
            last_space = c == ' ';
        }
    }
    out
}

/// `s` cut to `max` characters with the cut made visible: `…… (N more characters)`.
pub fn truncate(s: &str, max: usize) -> String {
    let total = s.chars().count();
    if total <= max {
        return s.to_string();
    }
    let kept: String = s.chars().take(max).collect();
    let more = total - max;
    let unit = if more == 1 { "character" } else { "characters" };
    format!("{kept}… ({more} more {unit})")
}

/// [`sanitize`] then [`truncate`].
pub fn shown(s: &str, max: usize) -> String {
    truncate(&sanitize(s), max)
}

/// The tool called `tool_name`: a canonical name ([`platform::find_canonical`]), so the
/// Intervals.icu tools are found under their `icu_` names and the TrainingPeaks ones under
/// their own.
fn find(tool_name: &str) -> Result<&'static dyn Tool, ToolError> {
    platform::find_canonical(tool_name)
        .map(platform::Listed::tool)
        .ok_or_else(|| ToolError::UnknownTool(tool_name.into()))
}

/// The tool's parsed arguments in the order of its input schema, for the window.
///
/// Fails like the call itself would (unknown tool, or arguments that do not parse or fail the
/// tool's checks), so nothing is shown for a call that could not run. Keys the tool does not
/// take are not shown: they are not arguments of the call, and showing them would let a caller
/// put its own sentence in the window. `null` values are left out (they mean "not given").
pub fn describe_arguments(tool_name: &str, args: &Value) -> Result<Vec<ShownArgument>, ToolError> {
    let tool = find(tool_name)?;
    tool.validate(args)?;
    let given = args.as_object();
    let schema = tool.input_schema();
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    // `properties` keeps the argument struct's field order (serde_json's `preserve_order`),
    // which is fixed by the tool, not by the caller.
    Ok(properties
        .keys()
        .filter_map(|name| {
            let value = given?.get(name)?;
            let text = match value {
                Value::Null => return None,
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some(ShownArgument {
                name: name.clone(),
                value: shown(&text, MAX_VALUE_CHARS),
            })
        })
        .collect())
}

/// What the server says a call would act on, read before it runs: e.g. `Workout 3000000123:
/// “Threshold 3x15” · Bike · 2026-12-08 (Tue), planned`. `Ok(None)` for tools that only add
/// something new, change settings, or act on something no read can find by id.
///
/// Errors: the arguments' errors, as for the call; and the read's (a target that does not
/// exist gives the client's "not found" error naming it).
pub async fn describe_target(
    ctx: &ToolContext,
    tool_name: &str,
    args: &Value,
) -> Result<Option<String>, ToolError> {
    let tool = find(tool_name)?;
    tool.validate(args)?;
    if service_name(tool_name) == "Intervals.icu" {
        return intervals::describe(ctx, tool.name(), args).await;
    }
    let Some(kind) = TARGETS
        .iter()
        .find_map(|(name, kind)| (*name == tool_name).then_some(*kind))
    else {
        return Ok(None);
    };
    let client = &ctx.client;
    let text = match kind {
        Target::Workout => {
            let a: WorkoutTarget = parse_args(args)?;
            let aid = client.athlete_id(a.athlete_id).await?;
            workout_line(client, aid, a.workout_id).await?
        }
        Target::WorkoutComment => {
            let a: CommentTarget = parse_args(args)?;
            let aid = client.athlete_id(a.athlete_id).await?;
            let workout = workout_line(client, aid, a.workout_id).await?;
            let comments = client.workout_comments(aid, a.workout_id).await?;
            let comment = comments
                .iter()
                .find(|c| c.id.val() == Some(a.comment_id))
                .ok_or_else(|| {
                    not_found(format!(
                        "Comment {} on workout {}",
                        a.comment_id, a.workout_id
                    ))
                })?;
            format!(
                "Comment {} by {}: “{}” on {workout}",
                a.comment_id,
                shown(text_or_dash(&comment.commenter_name), MAX_NAME_CHARS),
                shown(text_or_dash(&comment.comment), MAX_VALUE_CHARS)
            )
        }
        Target::Workouts => {
            let a: ReorderTarget = parse_args(args)?;
            let aid = client.athlete_id(a.athlete_id).await?;
            let mut lines = Vec::new();
            for id in a.workout_ids.iter().take(MAX_LISTED_WORKOUTS) {
                lines.push(workout_line(client, aid, *id).await?);
            }
            if a.workout_ids.len() > MAX_LISTED_WORKOUTS {
                lines.push(format!(
                    "and {} more",
                    a.workout_ids.len() - MAX_LISTED_WORKOUTS
                ));
            }
            lines.join("; ")
        }
        Target::Event => {
            let a: EventTarget = parse_args(args)?;
            let aid = client.athlete_id(a.athlete_id).await?;
            let event: Event = client.find_event(aid, a.event_id).await?;
            format!(
                "Event {}: “{}” · {} · {}",
                a.event_id,
                shown(text_or_dash(&event.name), MAX_NAME_CHARS),
                shown(text_or_dash(&event.event_type), MAX_NAME_CHARS),
                day(event.date())
            )
        }
        Target::Note => {
            let a: NoteTarget = parse_args(args)?;
            let aid = client.athlete_id(a.athlete_id).await?;
            let note = client.note(aid, a.note_id).await?;
            format!(
                "Note {}: “{}” · {}",
                a.note_id,
                shown(text_or_dash(&note.title), MAX_NAME_CHARS),
                day(note.date())
            )
        }
        Target::Availability => {
            let a: AvailabilityTarget = parse_args(args)?;
            let aid = client.athlete_id(a.athlete_id).await?;
            // No read by id exists: search the same window the update searches.
            let today = ctx.clock().today();
            let span = chrono::Duration::days(SEARCH_WINDOW_DAYS);
            let found: Option<Availability> = client
                .availability(aid, today - span, today + span)
                .await?
                .into_iter()
                .find(|e| e.id().ok() == Some(a.availability_id));
            match found {
                Some(e) => format!(
                    "Availability {}: {} to {}, {}{}",
                    a.availability_id,
                    day_or_dash(&e.start_date),
                    day_or_dash(&e.end_date),
                    if e.is_limited() {
                        "limited"
                    } else {
                        "unavailable"
                    },
                    e.reason
                        .get()
                        .map(|r| format!(" (“{}”)", shown(r, MAX_NAME_CHARS)))
                        .unwrap_or_default()
                ),
                None => return Ok(None),
            }
        }
        Target::Library => {
            let a: LibraryTarget = parse_args(args)?;
            let lib = library(client, a.library_id).await?;
            let items = client.library_items(a.library_id).await?.len();
            format!(
                "Library {}: “{}” with {items} item{}",
                a.library_id,
                shown(text_or_dash(&lib.library_name), MAX_NAME_CHARS),
                if items == 1 { "" } else { "s" }
            )
        }
        Target::LibraryItem => {
            let a: LibraryItemTarget = parse_args(args)?;
            item_line(client, a.library_id, a.item_id).await?
        }
        Target::MovedLibraryItem => {
            let a: MoveTarget = parse_args(args)?;
            let item = item_line(client, a.from_library_id, a.item_id).await?;
            let to = library(client, a.to_library_id).await?;
            format!(
                "{item}, to library {} “{}”",
                a.to_library_id,
                shown(text_or_dash(&to.library_name), MAX_NAME_CHARS)
            )
        }
        Target::ScheduledLibraryItem => {
            let a: ScheduleTarget = parse_args(args)?;
            match a.library_id {
                Some(lib) => item_line(client, lib, a.item_id).await?,
                // Without a library the tool searches every library; the window does not.
                None => return Ok(None),
            }
        }
        Target::Equipment => {
            let a: EquipmentTarget = parse_args(args)?;
            let aid = client.athlete_id(a.athlete_id).await?;
            let items = client.equipment(aid).await?;
            let item = items
                .into_iter()
                .find(|e| e.equipment_id.val() == Some(a.equipment_id))
                .ok_or_else(|| not_found(format!("Equipment {}", a.equipment_id)))?;
            let kind = match item.kind.val() {
                Some(1) => "bike",
                Some(2) => "shoes",
                _ => "equipment",
            };
            let make = [item.brand.get(), item.model.get()]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ");
            format!(
                "Equipment {} ({kind}): “{}”{}{}",
                a.equipment_id,
                shown(text_or_dash(&item.name), MAX_NAME_CHARS),
                if make.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", shown(&make, MAX_NAME_CHARS))
                },
                if item.retired.val() == Some(true) {
                    " · retired"
                } else {
                    ""
                }
            )
        }
    };
    Ok(Some(text))
}

/// [`describe_arguments`] and [`describe_target`] together, for the extension. Argument errors
/// fail the whole description (the call could not run); a target that cannot be read is
/// reported in `target_error`, so the person still decides, knowing it.
///
/// Boxed here, in core, as the extension awaits it (see `TpClient::check_session`).
pub fn describe_call<'a>(
    ctx: &'a ToolContext,
    tool_name: &'a str,
    args: &'a Value,
) -> BoxFuture<'a, Result<CallDescription, ToolError>> {
    Box::pin(async move {
        let arguments = describe_arguments(tool_name, args)?;
        let tool = find(tool_name)?;
        let (target, target_error) = match describe_target(ctx, tool_name, args).await {
            Ok(t) => (t, None),
            Err(e) if e.is_invalid_params() => return Err(e),
            Err(e) => (None, Some(shown(&e.to_string(), MAX_VALUE_CHARS))),
        };
        let a = tool.annotations();
        Ok(CallDescription {
            service: service_name(tool_name),
            title: a.title.to_string(),
            destructive: a.destructive,
            arguments,
            target,
            target_error,
        })
    })
}

/// The service a canonical tool name changes, as a person knows it.
pub fn service_name(tool_name: &str) -> &'static str {
    match platform::find_canonical(tool_name).map(platform::Listed::service) {
        Some(Service::Intervals) => "Intervals.icu",
        _ => "TrainingPeaks",
    }
}

// ---- the ids each kind of target needs (each tool's own checks have already run)

#[derive(Deserialize)]
struct WorkoutTarget {
    workout_id: i64,
    #[serde(default)]
    athlete_id: Option<i64>,
}

#[derive(Deserialize)]
struct CommentTarget {
    workout_id: i64,
    comment_id: i64,
    #[serde(default)]
    athlete_id: Option<i64>,
}

#[derive(Deserialize)]
struct ReorderTarget {
    workout_ids: Vec<i64>,
    #[serde(default)]
    athlete_id: Option<i64>,
}

#[derive(Deserialize)]
struct EventTarget {
    event_id: i64,
    #[serde(default)]
    athlete_id: Option<i64>,
}

#[derive(Deserialize)]
struct NoteTarget {
    note_id: i64,
    #[serde(default)]
    athlete_id: Option<i64>,
}

#[derive(Deserialize)]
struct AvailabilityTarget {
    availability_id: i64,
    #[serde(default)]
    athlete_id: Option<i64>,
}

#[derive(Deserialize)]
struct LibraryTarget {
    library_id: i64,
}

#[derive(Deserialize)]
struct LibraryItemTarget {
    library_id: i64,
    item_id: i64,
}

#[derive(Deserialize)]
struct MoveTarget {
    from_library_id: i64,
    item_id: i64,
    to_library_id: i64,
}

#[derive(Deserialize)]
struct ScheduleTarget {
    item_id: i64,
    #[serde(default)]
    library_id: Option<i64>,
}

#[derive(Deserialize)]
struct EquipmentTarget {
    equipment_id: i64,
    #[serde(default)]
    athlete_id: Option<i64>,
}

// ---- reads and formatting

fn not_found(what: String) -> ToolError {
    ToolError::Failed(format!("{what} was not found"))
}

/// A text field as shown: its value, or `—` when the server gave none.
fn text_or_dash(f: &Field<String>) -> &str {
    f.get().map_or("—", String::as_str)
}

/// A wire day as `YYYY-MM-DD`, or `—`.
fn day_or_dash(f: &Field<Day>) -> String {
    f.get().map_or_else(|| "—".to_string(), ToString::to_string)
}

/// `2026-12-08 (Tue)`, or `—` when the server gave no readable date.
fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(
        || "—".to_string(),
        |d| d.format("%Y-%m-%d (%a)").to_string(),
    )
}

/// One workout as the server has it: id, title, sport, date, planned or completed.
async fn workout_line(client: &TpClient, aid: i64, id: i64) -> Result<String, TpError> {
    let w = client.workout(aid, id).await?;
    Ok(format!(
        "Workout {id}: “{}” · {} · {}, {}",
        shown(text_or_dash(&w.title), MAX_NAME_CHARS),
        sport_name(w.workout_type_value_id.val()),
        day(w.date()),
        if w.is_completed() {
            "completed (its recorded data goes with it)"
        } else {
            "planned"
        }
    ))
}

async fn library(client: &TpClient, id: i64) -> Result<Library, ToolError> {
    client
        .libraries()
        .await?
        .into_iter()
        .find(|l| l.exercise_library_id.val() == Some(id))
        .ok_or_else(|| not_found(format!("Library {id}")))
}

async fn item_line(client: &TpClient, library_id: i64, item_id: i64) -> Result<String, ToolError> {
    let item: LibraryItem = client.library_item(library_id, item_id).await?;
    let lib = library(client, library_id).await?;
    Ok(format!(
        "Library item {item_id}: “{}” · {} · in library “{}”",
        shown(text_or_dash(&item.item_name), MAX_NAME_CHARS),
        sport_name(item.workout_type_id.val()),
        shown(text_or_dash(&lib.library_name), MAX_NAME_CHARS)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_target_tool_is_a_write_and_every_delete_or_update_by_id_has_a_target() {
        for (name, _) in TARGETS {
            let tool = crate::tools::find(name).unwrap_or_else(|| panic!("{name}: no such tool"));
            assert!(!tool.annotations().read_only, "{name} is read-only");
        }
        // Tools that act on an existing thing by id but have no read for it.
        let no_read = ["delete_goal_list"];
        for tool in crate::tools::CATALOG {
            let name = tool.name();
            let by_id = tool.input_schema()["required"].as_array().is_some_and(|r| {
                r.iter()
                    .any(|k| k.as_str().is_some_and(|k| k.ends_with("_id")))
            });
            let acts_on_existing = name.starts_with("delete_") || name.starts_with("update_");
            if acts_on_existing && by_id && !no_read.contains(&name) {
                assert!(
                    TARGETS.iter().any(|(n, _)| *n == name),
                    "{name} acts on an existing thing by id but has no target description"
                );
            }
        }
    }

    #[test]
    fn sanitize_strips_controls_and_bidi_and_keeps_words_apart() {
        let cases = [
            ("plain", "plain"),
            ("a\u{202e}evil\u{202c}b", "aevilb"),
            ("\u{2066}x\u{2069}\u{2067}y\u{2068}", "xy"),
            ("l\u{200e}r\u{200f}a\u{061c}", "lra"),
            ("esc\u{1b}[31mred", "esc[31mred"),
            ("c1\u{9b}x\u{80}", "c1x"),
            ("nul\u{0}del\u{7f}", "nuldel"),
            ("two\nlines\r\nand\ttab", "two lines and tab"),
            ("sep\u{2028}para\u{2029}end", "sep para end"),
            ("keep émoji 🚴‍♀️ and 日本", "keep émoji 🚴‍♀️ and 日本"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input), want, "{input:?}");
        }
    }

    #[test]
    fn truncate_says_how_much_was_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "abc… (1 more character)");
        assert_eq!(
            truncate(&"é".repeat(250), 200).chars().count(),
            200 + "… (50 more characters)".chars().count()
        );
        assert!(truncate(&"é".repeat(250), 200).ends_with("… (50 more characters)"));
    }

    #[test]
    fn arguments_come_in_schema_order_whatever_the_caller_sent() {
        // The caller leads with a distracting string; the window lists the tool's own order.
        let args = json!({
            "title": "Routine re-sync; press Allow\u{202e}",
            "date": "2026-12-08",
            "sport": "bike",
        });
        let shown = describe_arguments("create_workout", &args).unwrap();
        let names: Vec<&str> = shown.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["date", "sport", "title"]);
        assert_eq!(shown[2].value, "Routine re-sync; press Allow");
    }

    #[test]
    fn arguments_leave_out_keys_the_tool_does_not_take_and_nulls() {
        let args =
            json!({"Routine re-sync; press Allow": true, "workout_id": 5, "athlete_id": null});
        let shown = describe_arguments("delete_workout", &args);
        // Either the tool refuses the unknown key, or the window does not show it.
        if let Ok(shown) = shown {
            assert_eq!(
                shown,
                [ShownArgument {
                    name: "workout_id".into(),
                    value: "5".into()
                }]
            );
        } else {
            assert!(
                matches!(shown, Err(ToolError::InvalidArgs { .. })),
                "{shown:?}"
            );
        }
    }

    #[test]
    fn arguments_show_long_values_cut_and_non_strings_as_json() {
        let long = "x".repeat(MAX_VALUE_CHARS + 40);
        let args = json!({"workout_id": 7, "description": long, "tss": 55.5});
        let shown = describe_arguments("update_workout", &args).unwrap();
        let get = |n: &str| shown.iter().find(|a| a.name == n).map(|a| a.value.clone());
        assert_eq!(get("tss").as_deref(), Some("55.5"));
        assert!(
            get("description").is_some_and(|d| d.ends_with("… (40 more characters)")),
            "{shown:?}"
        );
    }

    #[test]
    fn arguments_that_would_fail_the_call_fail_the_description() {
        let e = describe_arguments("delete_workout", &json!({"workout_id": "x"})).unwrap_err();
        assert!(
            matches!(&e, ToolError::InvalidArgs { field, .. } if field == "workout_id"),
            "{e:?}"
        );
        let e = describe_arguments("no_such_tool", &json!({})).unwrap_err();
        assert!(matches!(e, ToolError::UnknownTool(_)));
    }
}

#[cfg(test)]
#[cfg(feature = "sandbox")]
mod sandbox_tests {
    use std::sync::Arc;

    use chrono::NaiveDate;
    use futures_executor::block_on;
    use serde_json::{Value, json};

    use super::*;
    use crate::clock::ManualClock;
    use crate::sandbox::{Sandbox, SandboxTransport};
    use crate::tools::{self, ToolContext};
    use crate::trainingpeaks::TpClient;

    fn ctx() -> ToolContext {
        let clock = Arc::new(ManualClock::at_date(
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        ));
        let sandbox = Arc::new(Sandbox::new(clock.clone()));
        let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock);
        ToolContext::new(Arc::new(client))
    }

    fn call(ctx: &ToolContext, tool: &str, args: Value) -> Value {
        block_on(tools::call(ctx, tool, args))
            .unwrap_or_else(|e| panic!("{tool}: {e}"))
            .structured
    }

    fn target(ctx: &ToolContext, tool: &str, args: Value) -> Result<Option<String>, ToolError> {
        block_on(describe_target(ctx, tool, &args))
    }

    #[test]
    fn a_workout_is_described_as_the_server_has_it_not_as_the_caller_says() {
        let ctx = ctx();
        let created = call(
            &ctx,
            "create_workout",
            json!({"date": "2026-12-08", "sport": "bike", "title": "Threshold \u{202e}3x15"}),
        );
        let id = created["workout_id"].as_i64().unwrap();
        // The caller's own `title` says something else; the window shows the stored one.
        let t = target(
            &ctx,
            "update_workout",
            json!({"workout_id": id, "title": "Harmless rename"}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            t,
            format!("Workout {id}: “Threshold 3x15” · Bike · 2026-12-08 (Tue), planned")
        );
        let d = target(&ctx, "delete_workout", json!({"workout_id": id}))
            .unwrap()
            .unwrap();
        assert!(d.contains("“Threshold 3x15”"), "{d}");
    }

    #[test]
    fn a_missing_workout_is_an_error_naming_it() {
        let ctx = ctx();
        let e = target(&ctx, "delete_workout", json!({"workout_id": 987654321})).unwrap_err();
        assert!(e.to_string().contains("987654321"), "{e}");
        // describe_call reports it beside the arguments instead of failing.
        let d = block_on(describe_call(
            &ctx,
            "delete_workout",
            &json!({"workout_id": 987654321}),
        ))
        .unwrap();
        assert_eq!(d.target, None);
        assert!(d.target_error.is_some_and(|m| m.contains("987654321")));
        assert!(d.destructive);
        assert_eq!(d.title, "Delete workout");
    }

    #[test]
    fn creates_and_settings_have_no_target_and_bad_args_fail() {
        let ctx = ctx();
        let t = target(
            &ctx,
            "create_workout",
            json!({"date": "2026-12-08", "sport": "bike", "title": "New"}),
        );
        assert_eq!(t, Ok(None));
        let e = target(&ctx, "delete_workout", json!({})).unwrap_err();
        assert!(
            matches!(&e, ToolError::InvalidArgs { field, .. } if field == "workout_id"),
            "{e:?}"
        );
    }

    #[test]
    fn notes_events_libraries_items_and_equipment_are_named() {
        let ctx = ctx();
        let note = call(
            &ctx,
            "create_note",
            json!({"date": "2026-12-09", "title": "Travel day"}),
        );
        let note_id = note["note"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{note}"));
        let t = target(&ctx, "delete_note", json!({"note_id": note_id}))
            .unwrap()
            .unwrap();
        assert_eq!(
            t,
            format!("Note {note_id}: “Travel day” · 2026-12-09 (Wed)")
        );

        let event = call(
            &ctx,
            "create_event",
            json!({"name": "Spring 10k", "date": "2027-03-14", "event_type": "RoadRunning"}),
        );
        let event_id = event["event"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{event}"));
        let t = target(&ctx, "delete_event", json!({"event_id": event_id}))
            .unwrap()
            .unwrap();
        assert!(
            t.starts_with(&format!("Event {event_id}: “Spring 10k” · ")),
            "{t}"
        );
        assert!(t.ends_with("2027-03-14 (Sun)"), "{t}");

        let lib = call(&ctx, "create_library", json!({"name": "Winter base"}));
        let lib_id = lib["library_id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{lib}"));
        let t = target(&ctx, "delete_library", json!({"library_id": lib_id}))
            .unwrap()
            .unwrap();
        assert_eq!(t, format!("Library {lib_id}: “Winter base” with 0 items"));
        let item = call(
            &ctx,
            "create_library_item",
            json!({"library_id": lib_id, "name": "Tempo 2x20", "sport": "run"}),
        );
        let item_id = item["item"]["item_id"]
            .as_i64()
            .or_else(|| item["item_id"].as_i64())
            .unwrap_or_else(|| panic!("{item}"));
        let t = target(
            &ctx,
            "delete_library_item",
            json!({"library_id": lib_id, "item_id": item_id}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            t,
            format!("Library item {item_id}: “Tempo 2x20” · Run · in library “Winter base”")
        );

        let eq = call(
            &ctx,
            "create_equipment",
            json!({"name": "Race bike", "type": "bike", "brand": "Acme", "model": "R1"}),
        );
        let eq_id = eq["item"]["id"].as_i64().unwrap_or_else(|| panic!("{eq}"));
        let t = target(&ctx, "delete_equipment", json!({"equipment_id": eq_id}))
            .unwrap()
            .unwrap();
        assert_eq!(
            t,
            format!("Equipment {eq_id} (bike): “Race bike” · Acme R1")
        );
    }

    /// A context with the Intervals.icu emulator behind it.
    fn icu_ctx() -> ToolContext {
        use crate::intervals::{IcuClient, IcuConfig};
        use crate::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
        let clock = Arc::new(ManualClock::at_date(
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        ));
        let sb = Arc::new(IcuSandbox::new(clock.clone()));
        let icu = IcuClient::new(
            Arc::new(IcuSandboxTransport::new(sb)),
            clock,
            IcuConfig::default(),
        );
        ctx().with_icu(Arc::new(icu))
    }

    #[test]
    fn intervals_writes_are_found_by_their_canonical_names_and_name_the_service() {
        let ctx = icu_ctx();
        let args = json!({"workout_type": "Ride", "name": "Sweet spot", "start_date": "2026-12-08",
            "description": "- 10m 60%\n- 2x20m 90%"});
        let d = block_on(describe_call(&ctx, "icu_add_or_update_event", &args)).unwrap();
        assert_eq!(d.service, "Intervals.icu");
        assert!(
            d.arguments
                .iter()
                .any(|a| a.name == "name" && a.value == "Sweet spot")
        );
        // Adding a new event: nothing exists to read.
        assert_eq!(d.target, None);
        let tp = block_on(describe_call(
            &ctx,
            "delete_workout",
            &json!({"workout_id": 1}),
        ))
        .unwrap();
        assert_eq!(tp.service, "TrainingPeaks");
        // The unprefixed name is TrainingPeaks' own tool, never the Intervals.icu one.
        assert_eq!(service_name("delete_event"), "TrainingPeaks");
        assert_eq!(service_name("icu_delete_event"), "Intervals.icu");
    }

    #[test]
    fn an_intervals_event_is_described_as_intervals_has_it() {
        let ctx = icu_ctx();
        let created = block_on(crate::tools::platform::call_canonical(
            &ctx,
            "icu_add_or_update_event",
            json!({"workout_type": "Ride", "name": "Stored \u{202e}name", "start_date": "2026-12-09"}),
        ))
        .unwrap()
        .structured;
        let id = created["event"]["id"]
            .as_i64()
            .or_else(|| created["event_id"].as_i64())
            .unwrap_or_else(|| panic!("no event id in {created}"));
        let t = target(&ctx, "icu_delete_event", json!({"event_id": id}))
            .unwrap()
            .unwrap();
        assert!(
            t.starts_with(&format!("Intervals.icu event {id}: “Stored name”")),
            "{t}"
        );
        assert!(t.contains("2026-12-09"), "{t}");
        // The planning writes on an event name it the same way.
        for (tool, args) in [
            ("icu_skip_workout", json!({"event_id": id})),
            (
                "icu_set_workout_advice",
                json!({"event_id": id, "advice": "x"}),
            ),
            (
                "icu_scale_workout_intensity",
                json!({"event_id": id, "percent": 5}),
            ),
        ] {
            let t = target(&ctx, tool, args).unwrap().unwrap();
            assert!(
                t.starts_with(&format!("Intervals.icu event {id}")),
                "{tool}: {t}"
            );
        }
        let e = target(&ctx, "icu_delete_event", json!({"event_id": 987654321})).unwrap_err();
        assert!(!e.is_invalid_params(), "{e}");
        let w = target(
            &ctx,
            "icu_add_or_update_wellness",
            json!({"date": "2026-12-01", "weight": 70}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(w, "the Intervals.icu wellness record of 2026-12-01");
    }
}
