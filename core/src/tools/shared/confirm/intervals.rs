//! What an Intervals.icu write acts on, for the confirmation window: the event, custom item or
//! activity as Intervals.icu has it, read first (so a misleading `name` argument cannot pass for
//! the target), and for the tools that act on a day rather than a thing, the day.

use serde::Deserialize;
use serde_json::Value;

use super::{MAX_NAME_CHARS, shown};
use crate::tools::intervals::common;
use crate::tools::{ToolContext, ToolError, parse_args};

/// Ids and days the Intervals.icu writes act on (each tool's own checks have already run).
#[derive(Deserialize)]
struct Ids {
    #[serde(default)]
    athlete_id: common::IcuAthleteId,
    #[serde(default)]
    event_id: Option<i64>,
    #[serde(default)]
    item_id: Option<i64>,
    #[serde(default)]
    activity_id: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    start_date: Option<String>,
    #[serde(default)]
    end_date: Option<String>,
}

/// The target of the Intervals.icu tool `name` (its unprefixed name), or `Ok(None)` for the
/// tools that only add something new.
pub(super) async fn describe(
    ctx: &ToolContext,
    name: &str,
    args: &Value,
) -> Result<Option<String>, ToolError> {
    let ids: Ids = parse_args(args)?;
    let athlete = ids.athlete_id.get();
    let text = match (name, ids.event_id, ids.item_id, ids.activity_id.as_deref()) {
        (
            "delete_event"
            | "add_or_update_event"
            | "add_or_update_note"
            | "skip_workout"
            | "set_workout_advice"
            | "scale_workout_intensity",
            Some(id),
            _,
            _,
        ) => {
            let icu = common::icu(ctx)?;
            let e = icu.event(athlete, id).await?;
            let mut line = format!("Intervals.icu event {id}");
            if let Some(n) = e.name.get() {
                line.push_str(&format!(": “{}”", shown(n, MAX_NAME_CHARS)));
            }
            for part in [
                e.category.get().map(|c| shown(c, MAX_NAME_CHARS)),
                e.sport.get().map(|s| shown(s, MAX_NAME_CHARS)),
                e.start_date_local.get().map(|d| d.at().date().to_string()),
            ]
            .into_iter()
            .flatten()
            {
                line.push_str(&format!(" · {part}"));
            }
            line
        }
        ("delete_custom_item" | "update_custom_item", _, Some(id), _) => {
            let icu = common::icu(ctx)?;
            let item = icu.custom_item(athlete, id).await?;
            let mut line = format!("Intervals.icu custom item {id}");
            if let Some(n) = item.name.get() {
                line.push_str(&format!(": “{}”", shown(n, MAX_NAME_CHARS)));
            }
            if let Some(k) = item.kind.get() {
                line.push_str(&format!(" · {}", shown(k, MAX_NAME_CHARS)));
            }
            line
        }
        ("update_activity" | "add_activity_message", _, _, Some(id)) => {
            let icu = common::icu(ctx)?;
            let a = icu.activity(id).await?;
            let mut line = format!("Intervals.icu activity {}", shown(id, MAX_NAME_CHARS));
            if let Some(n) = a.name.get() {
                line.push_str(&format!(": “{}”", shown(n, MAX_NAME_CHARS)));
            }
            for part in [
                a.sport.get().map(|s| shown(s, MAX_NAME_CHARS)),
                a.start_date_local.get().map(|d| d.at().date().to_string()),
            ]
            .into_iter()
            .flatten()
            {
                line.push_str(&format!(" · {part}"));
            }
            line
        }
        // No read: the day is the target, and the tool says which one it writes.
        ("add_or_update_wellness", ..) => match ids.date {
            Some(d) => format!("the Intervals.icu wellness record of {}", shown(&d, 40)),
            None => "today's Intervals.icu wellness record".to_string(),
        },
        ("delete_events_by_date_range", ..) => format!(
            "every Intervals.icu event from {} to {}",
            shown(ids.start_date.as_deref().unwrap_or("?"), 40),
            shown(ids.end_date.as_deref().unwrap_or("?"), 40),
        ),
        _ => return Ok(None),
    };
    Ok(Some(text))
}
