//! What the Intervals.icu planning tools share (`skip_workout`, `set_workout_advice`,
//! `scale_workout_intensity`, and the reads that show their marks: `get_planned_workouts`,
//! `get_fitness_projection`): how a skip and an advice are kept on an Intervals.icu event.
//!
//! # Where they live on Intervals.icu
//! An event has no skipped state and no advice box (spec §3.2, `Event` fields). So, as on
//! TrainingPeaks (`planning.rs`), a skip keeps the event and marks it: the tag
//! [`SKIPPED_TAG`] in the event's `tags` list, and, with a reason, a note paragraph
//! `Skipped: <reason>` at the top of its description. The advice is a note paragraph
//! starting [`ADVICE_PREFIX`] at the top of the description. In Intervals.icu workout text a
//! line that is not a step (`- …`) and not directly followed by one is a note, shown with the
//! workout and left out of its structure (spec §4; `structure::icu_text` reads it the same
//! way), so neither changes the planned steps, duration or load. Each paragraph is followed by
//! a blank line, so it can never be read as a section header, and a line of advice that would
//! read as a step (`- …`) is refused. Every write is one `PUT …/events/{id}` carrying only the
//! fields that change (Intervals.icu keeps the others), each with its whole new value: the full
//! tag list, the full description.

use crate::intervals::events::Event;
use crate::tools::ToolError;
use crate::wire::text;

pub(crate) use super::planning::SKIPPED_TAG;

/// How the advice paragraph of a description starts.
pub(crate) const ADVICE_PREFIX: &str = "Advice: ";
/// How the skip reason paragraph of a description starts.
pub(crate) const SKIPPED_PREFIX: &str = "Skipped: ";

/// The event's tags (none when absent).
pub(crate) fn tags_of(e: &Event) -> Vec<String> {
    e.tags.get().cloned().unwrap_or_default()
}

/// Whether an event carries the skipped tag (case ignored).
pub(crate) fn is_skipped(e: &Event) -> bool {
    tags_of(e)
        .iter()
        .any(|t| t.trim().eq_ignore_ascii_case(SKIPPED_TAG))
}

/// `tags` with the skipped tag added once, the others kept in order.
pub(crate) fn with_skipped(tags: &[String]) -> Vec<String> {
    let mut out = tags.to_vec();
    if !out
        .iter()
        .any(|t| t.trim().eq_ignore_ascii_case(SKIPPED_TAG))
    {
        out.push(SKIPPED_TAG.to_string());
    }
    out
}

/// `tags` without the skipped tag, the others kept in order.
pub(crate) fn without_skipped(tags: &[String]) -> Vec<String> {
    tags.iter()
        .filter(|t| !t.trim().eq_ignore_ascii_case(SKIPPED_TAG))
        .cloned()
        .collect()
}

/// The description's paragraphs (split at blank lines; lines trimmed at the end), each with
/// the byte offset where its first line starts.
fn paragraphs(d: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut at = 0;
    for raw in d.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push((start, cur.join("\n")));
                cur.clear();
            }
        } else {
            if cur.is_empty() {
                start = at;
            }
            cur.push(line.trim_end());
        }
        at += raw.len();
    }
    if !cur.is_empty() {
        out.push((start, cur.join("\n")));
    }
    out
}

/// Whether a paragraph holds a workout step.
fn has_step(p: &str) -> bool {
    p.lines().any(|l| {
        let t = l.trim_start();
        t == "-" || t.starts_with("- ") || t.starts_with("-\t")
    })
}

/// The leading note paragraphs (before the first one with a step) and the rest, kept byte
/// for byte from the start of the first step paragraph, so nothing in the workout itself is
/// re-spaced.
fn split_leading_notes(d: &str) -> (Vec<String>, String) {
    let paras = paragraphs(d);
    let n = paras.iter().take_while(|(_, p)| !has_step(p)).count();
    let rest = paras
        .get(n)
        .map_or_else(String::new, |(start, _)| d[*start..].to_string());
    (paras.into_iter().take(n).map(|(_, p)| p).collect(), rest)
}

fn join(notes: &[String], rest: &str) -> String {
    let mut out = notes.join("\n\n");
    if !rest.trim().is_empty() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(rest);
    }
    out
}

/// The advice paragraph of a description, without its prefix.
pub(crate) fn advice_of(description: &str) -> Option<String> {
    let (notes, _) = split_leading_notes(description);
    notes
        .iter()
        .find_map(|p| p.strip_prefix(ADVICE_PREFIX).map(|a| a.trim().to_string()))
        .filter(|a| !a.is_empty())
}

/// The event's advice, if any.
pub(crate) fn event_advice(e: &Event) -> Option<String> {
    text(&e.description).and_then(|d| advice_of(&d))
}

/// Checks advice text: one paragraph of notes (no blank line, no line that would read as a
/// step), naming `field`.
pub(crate) fn check_note(field: &str, note: &str) -> Result<(), ToolError> {
    for line in note.lines() {
        let t = line.trim_start();
        if t == "-" || t.starts_with("- ") || t.starts_with("-\t") {
            return Err(ToolError::invalid(
                field,
                format!(
                    "the line {:?} starts with \"- \", which Intervals.icu reads as a workout \
                     step; start it with another mark (e.g. \"• \")",
                    line.trim()
                ),
            ));
        }
    }
    Ok(())
}

/// One paragraph of note text: blank lines dropped (a blank line would end the paragraph),
/// each line trimmed.
fn one_paragraph(note: &str) -> String {
    note.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The description with its advice paragraph replaced by `advice` (removed when empty), put
/// first; every other paragraph is kept as it was.
pub(crate) fn with_advice(description: &str, advice: &str) -> String {
    let (notes, rest) = split_leading_notes(description);
    let mut kept: Vec<String> = notes
        .into_iter()
        .filter(|p| !p.starts_with(ADVICE_PREFIX))
        .collect();
    let advice = one_paragraph(advice);
    if !advice.is_empty() {
        kept.insert(0, format!("{ADVICE_PREFIX}{advice}"));
    }
    join(&kept, &rest)
}

/// The description with a `Skipped: <reason>` paragraph first, unless that exact paragraph is
/// already among its leading notes (then `None`: nothing to change).
pub(crate) fn with_skip_reason(description: &str, reason: &str) -> Option<String> {
    let line = format!("{SKIPPED_PREFIX}{}", one_paragraph(reason));
    let (mut notes, rest) = split_leading_notes(description);
    if notes.contains(&line) {
        return None;
    }
    notes.insert(0, line);
    Some(join(&notes, &rest))
}

/// Why the description of `e` must not be rewritten, if it must not: its workout has steps
/// (`workout_doc`) that its description does not hold as text (a workout uploaded as a file,
/// or sent as `workout_doc`). Intervals.icu re-reads a description that is sent, so writing a
/// note there could replace those steps with none.
pub(crate) fn description_unsafe(e: &Event, id: i64) -> Option<String> {
    let doc_steps = e
        .workout_doc
        .get()
        .and_then(|d| d.get("steps"))
        .and_then(serde_json::Value::as_array)
        .is_some_and(|s| !s.is_empty());
    let text_steps =
        text(&e.description).is_some_and(|d| paragraphs(&d).iter().any(|(_, p)| has_step(p)));
    (doc_steps && !text_steps).then(|| {
        format!(
            "Event {id}'s workout steps are not written as workout text in its description (it \
             was probably uploaded as a file); Intervals.icu re-reads a description that is \
             changed, which could drop those steps, so the description was left alone"
        )
    })
}

/// Checks that an event is a planned workout not yet done, for the planning writes; the error
/// says what it is instead. An event paired with an activity (`paired_activity_id`) is done.
pub(crate) fn check_planned(e: &Event, id: i64, verb: &str) -> Result<(), ToolError> {
    let category = text(&e.category).unwrap_or_default();
    if category != "WORKOUT" {
        return Err(ToolError::Failed(format!(
            "Event {id} is a {} event, not a planned workout, so it cannot be {verb}; nothing \
             was changed.",
            if category.is_empty() { "?" } else { &category }
        )));
    }
    if e.rest
        .get("paired_activity_id")
        .is_some_and(|v| !v.is_null())
    {
        return Err(ToolError::Failed(format!(
            "Event {id} is already done (paired with an activity), so it cannot be {verb}; \
             nothing was changed."
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKOUT: &str =
        "Warmup\n- 10m 50-70%\n\nMain set 4x\n- 5m 95-105%\n- 3m 55%\n\nCool down well";

    #[test]
    fn advice_goes_first_and_replaces_only_itself() {
        let d = with_advice(WORKOUT, "Keep it smooth");
        assert_eq!(d, format!("Advice: Keep it smooth\n\n{WORKOUT}"));
        assert_eq!(advice_of(&d).as_deref(), Some("Keep it smooth"));
        let again = with_advice(&format!("Legs?\n\n{d}"), "Be patient\n\nreally");
        assert_eq!(
            again,
            format!("Advice: Be patient\nreally\n\nLegs?\n\n{WORKOUT}")
        );
        assert_eq!(with_advice(&again, ""), format!("Legs?\n\n{WORKOUT}"));
        // A plain description without steps keeps its text.
        assert_eq!(
            with_advice("Easy spin", "Flat route"),
            "Advice: Flat route\n\nEasy spin"
        );
        assert_eq!(advice_of(WORKOUT), None);
    }

    #[test]
    fn a_skip_reason_is_added_once_and_the_workout_is_kept() {
        let d = with_skip_reason(WORKOUT, " ill ").unwrap();
        assert_eq!(d, format!("Skipped: ill\n\n{WORKOUT}"));
        assert_eq!(with_skip_reason(&d, "ill"), None);
        assert_eq!(with_skip_reason("", "ill").as_deref(), Some("Skipped: ill"));
    }

    #[test]
    fn tags_keep_the_others() {
        let t = vec![
            "base".to_string(),
            "Skipped".to_string(),
            "indoor".to_string(),
        ];
        assert_eq!(with_skipped(&t), t);
        assert_eq!(without_skipped(&t), vec!["base", "indoor"]);
        assert_eq!(with_skipped(&["a".into()]), vec!["a", "skipped"]);
        assert!(check_note("advice", "• a\n• b").is_ok());
        assert!(check_note("advice", "fine\n- 5m 90%").is_err());
    }
}
