//! Drift for Intervals.icu: which keys stay put, and every read tool of
//! [`crate::tools::intervals::CATALOG`] with arguments that reach the sample athlete in an
//! [`IcuSandbox`]. The drift kinds and the generator are TrainingPeaks' (see the parent
//! module); wrap an [`crate::sandbox::intervals::IcuSandboxTransport`] in a
//! [`super::DriftTransport`] with [`INTERVALS`] to use them.

use serde_json::{Value, json};

use super::Profile;
use crate::sandbox::intervals::IcuSandbox;

/// Keys never nulled or removed: only `id`. Without its id a library folder is not a folder
/// (the one tool that reads folders by id then rightly fails naming `folder_id`); everything
/// else an Intervals.icu read tool uses degrades to "—" or `null` when it drifts away,
/// including activity, event and athlete references, days and stream payloads. Ids still
/// drift in type and, as strings like `i1001` or `b12345`, in value (unknown enums).
pub const VITAL_KEYS: &[&str] = &["id"];

/// Intervals.icu's [`Profile`].
pub const INTERVALS: Profile = Profile { vital: VITAL_KEYS };

/// Every read tool of the Intervals.icu catalogue, with arguments that reach real data in
/// `sandbox` (ids looked up in its state, dates around its today). Ids the sandbox lacks read
/// as empty or 0 (the call then fails loudly, which the test reports).
pub fn read_calls(sandbox: &IcuSandbox) -> Vec<(&'static str, Value)> {
    let today = sandbox.today();
    let day = |offset: i64| {
        (today + chrono::Duration::days(offset))
            .format("%Y-%m-%d")
            .to_string()
    };
    let (activity, ride, with_messages, event, note, item, folder) = sandbox.with_state(|s| {
        let activity = s.activities.keys().next_back().cloned().unwrap_or_default();
        // The analysis tools are for recordings with power: the latest ride, whose streams
        // are many (the latest activity may have two, and one nulled `type` leaves none).
        let ride = s
            .activities
            .iter()
            .rev()
            .find(|(_, a)| a.json["icu_average_watts"].is_number())
            .map_or_else(|| activity.clone(), |(id, _)| id.clone());
        let with_messages = s
            .messages
            .values()
            .find_map(|m| m["activity_id"].as_str().map(str::to_string))
            .unwrap_or_else(|| activity.clone());
        let of = |cat: &str| {
            s.events
                .iter()
                .find(|(_, e)| e["category"] == cat)
                .map(|(id, _)| *id)
                .unwrap_or(0)
        };
        let item = s.custom_items.keys().next().copied().unwrap_or(0);
        let folder = s.folders.keys().next().copied().unwrap_or(0);
        (
            activity,
            ride,
            with_messages,
            of("WORKOUT"),
            of("NOTE"),
            item,
            folder,
        )
    });
    let past = json!({"start_date": day(-60), "end_date": day(0)});
    vec![
        (
            "get_activities",
            json!({"start_date": day(-60), "end_date": day(0), "limit": 30}),
        ),
        ("get_activity_details", json!({"activity_id": activity})),
        ("get_activity_intervals", json!({"activity_id": activity})),
        ("get_activity_streams", json!({"activity_id": activity})),
        ("get_activity_analysis", json!({"activity_id": ride})),
        (
            "analyze_activity_range",
            json!({"activity_id": ride, "start_s": 300, "end_s": 900}),
        ),
        (
            "get_activity_messages",
            json!({"activity_id": with_messages}),
        ),
        (
            "get_events",
            json!({"start_date": day(-20), "end_date": day(60)}),
        ),
        ("get_event_by_id", json!({"event_id": event})),
        ("get_event_by_id", json!({"event_id": note})),
        ("get_wellness_data", past.clone()),
        ("get_readiness", json!({})),
        ("get_fitness_projection", json!({})),
        ("predict_race", json!({})),
        ("get_planned_workouts", json!({})),
        (
            "get_power_curve",
            json!({"start_date": day(-14), "end_date": day(0), "max_activities": 3}),
        ),
        (
            "get_training_distribution",
            json!({"start_date": day(-14), "end_date": day(0), "max_activities": 3}),
        ),
        (
            "get_athlete_power_curves",
            json!({"durations": [5, 60, 300, 1200]}),
        ),
        ("get_athlete_hr_curves", json!({"durations": [60, 1200]})),
        (
            "get_athlete_pace_curves",
            json!({"distances": [1000, 5000]}),
        ),
        ("get_gear_list", json!({})),
        ("get_custom_items", json!({})),
        ("get_custom_item_by_id", json!({"item_id": item})),
        ("get_athlete_profile", json!({})),
        ("get_fitness", past),
        ("get_workout_library", json!({"include_descriptions": true})),
        ("get_workout_library", json!({"folder_id": folder})),
    ]
}

/// The write tools whose dry run reads first, with `dry_run: true` and arguments that make
/// the read matter: `add_events_bulk` with one event already on the calendar (its duplicate
/// check must still find it) and one new, `schedule_library_workout` (reads the library),
/// `delete_events_by_date_range` (lists what would go), `delete_event` (describes its
/// target). Nothing is sent.
pub fn dry_run_calls(sandbox: &IcuSandbox) -> Vec<(&'static str, Value)> {
    let today = sandbox.today();
    let day = |offset: i64| {
        (today + chrono::Duration::days(offset))
            .format("%Y-%m-%d")
            .to_string()
    };
    let (existing, event, workout) = sandbox.with_state(|s| {
        let existing = s
            .events
            .values()
            .find(|e| e["category"] == "WORKOUT" && e["name"].is_string())
            .cloned()
            .unwrap_or(Value::Null);
        let event = s.events.keys().next().copied().unwrap_or(0);
        let workout = s.workouts.keys().next().copied().unwrap_or(0);
        (existing, event, workout)
    });
    let existing_day = existing["start_date_local"]
        .as_str()
        .and_then(|s| s.get(..10))
        .unwrap_or_default()
        .to_string();
    vec![
        (
            "add_events_bulk",
            json!({"events": [
                {"start_date": existing_day, "name": existing["name"], "workout_type": existing["type"]},
                {"start_date": day(30), "name": "Endurance", "workout_type": "Ride", "description": "- 90m 65%"},
            ], "dry_run": true}),
        ),
        (
            "schedule_library_workout",
            json!({"workout_id": workout, "start_date": day(14), "dry_run": true}),
        ),
        (
            "delete_events_by_date_range",
            json!({"start_date": day(0), "end_date": day(14), "dry_run": true}),
        ),
        ("delete_event", json!({"event_id": event, "dry_run": true})),
    ]
}
