//! The Intervals.icu tool catalogue: one file per tool under `intervals/`, one static list here.
//!
//! The first twenty tools are the seed server's (`mvilanova/intervals-mcp-server`, spec §1.3)
//! with its names and parameters, minus `api_key`: the credential lives in the
//! [`IcuClient`](crate::intervals::IcuClient) of the [`ToolContext`](super::ToolContext), never
//! in a tool's arguments, where the model would see it. Where the seed is wrong (the singular
//! `event` path, fields the API never returns, nested repeats, one DELETE per event) the tools do
//! what the API documents, and each tool's doc comment says so. The tools after them are what
//! the larger servers offer beyond the seed.
//!
//! Every write tool takes `dry_run: true`, which returns exactly the request it would send
//! (method, path, body) and sends nothing: `common::plan` runs the same client method against
//! a transport that records the request instead of sending it, so a dry run cannot drift from
//! the real call.

use super::Tool;

pub(crate) mod common;

// Seed tools, in the seed's order.
mod add_activity_message;
mod add_or_update_event;
mod add_or_update_note;
mod create_custom_item;
mod delete_custom_item;
mod delete_event;
mod delete_events_by_date_range;
mod get_activities;
mod get_activity_details;
mod get_activity_intervals;
mod get_activity_messages;
mod get_activity_streams;
mod get_athlete_power_curves;
mod get_custom_item_by_id;
mod get_custom_items;
mod get_event_by_id;
mod get_events;
mod get_gear_list;
mod get_wellness_data;
mod update_custom_item;
// Beyond the seed.
mod add_events_bulk;
mod add_or_update_wellness;
mod create_library_workout;
mod get_athlete_hr_curves;
mod get_athlete_pace_curves;
mod get_athlete_profile;
mod get_fitness;
mod get_fitness_projection;
mod get_planned_workouts;
mod get_readiness;
mod get_workout_library;
mod predict_race;
mod schedule_library_workout;
mod update_activity;
mod update_sport_settings;
// Activity analysis (issue 10).
mod analyze_activity_range;
mod get_activity_analysis;
mod get_power_curve;
mod get_training_distribution;
// Planning writes (issue 10), the TrainingPeaks tools' counterparts.
mod create_workout_by_intensity;
mod scale_workout_intensity;
mod set_workout_advice;
mod skip_workout;

pub use common::{IcuAthleteId, PlannedRequest, WORKOUT_TEXT_CHEAT_SHEET};

/// How many of [`CATALOG`]'s first tools are the seed server's (under its names, in its order).
pub const SEED_TOOLS: usize = 20;

/// Every Intervals.icu tool: the seed's twenty in its order, then Paceline's additions.
pub static CATALOG: &[&dyn Tool] = &[
    &get_activities::GetActivities,
    &get_activity_details::GetActivityDetails,
    &get_activity_intervals::GetActivityIntervals,
    &get_activity_streams::GetActivityStreams,
    &get_activity_messages::GetActivityMessages,
    &add_activity_message::AddActivityMessage,
    &get_events::GetEvents,
    &get_event_by_id::GetEventById,
    &add_or_update_event::AddOrUpdateEvent,
    &add_or_update_note::AddOrUpdateNote,
    &delete_event::DeleteEvent,
    &delete_events_by_date_range::DeleteEventsByDateRange,
    &get_wellness_data::GetWellnessData,
    &get_athlete_power_curves::GetAthletePowerCurves,
    &get_gear_list::GetGearList,
    &get_custom_items::GetCustomItems,
    &get_custom_item_by_id::GetCustomItemById,
    &create_custom_item::CreateCustomItem,
    &update_custom_item::UpdateCustomItem,
    &delete_custom_item::DeleteCustomItem,
    // Beyond the seed.
    &get_athlete_profile::GetAthleteProfile,
    &update_sport_settings::UpdateSportSettings,
    &add_or_update_wellness::AddOrUpdateWellness,
    &get_fitness::GetFitness,
    &get_athlete_hr_curves::GetAthleteHrCurves,
    &get_athlete_pace_curves::GetAthletePaceCurves,
    &update_activity::UpdateActivity,
    &add_events_bulk::AddEventsBulk,
    &get_workout_library::GetWorkoutLibrary,
    &create_library_workout::CreateLibraryWorkout,
    &schedule_library_workout::ScheduleLibraryWorkout,
    // Issue 10.
    &get_readiness::GetReadiness,
    &get_fitness_projection::GetFitnessProjection,
    &predict_race::PredictRace,
    &get_planned_workouts::GetPlannedWorkouts,
    // Activity analysis (issue 10).
    &get_activity_analysis::GetActivityAnalysis,
    &analyze_activity_range::AnalyzeActivityRange,
    &get_power_curve::GetPowerCurve,
    &get_training_distribution::GetTrainingDistribution,
    // Planning writes (issue 10).
    &skip_workout::SkipWorkout,
    &set_workout_advice::SetWorkoutAdvice,
    &create_workout_by_intensity::CreateWorkoutByIntensity,
    &scale_workout_intensity::ScaleWorkoutIntensity,
];

/// Looks an Intervals.icu tool up by name.
pub fn find(name: &str) -> Option<&'static dyn Tool> {
    CATALOG.iter().copied().find(|t| t.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::icu_text::CHEAT_SHEET;

    #[test]
    fn the_tools_that_take_a_workout_carry_the_parsers_cheat_sheet() {
        let with: Vec<&str> = CATALOG
            .iter()
            .filter(|t| t.description().contains(CHEAT_SHEET))
            .map(|t| t.name())
            .collect();
        assert_eq!(
            with,
            [
                "add_or_update_event",
                "add_events_bulk",
                "create_library_workout"
            ]
        );
        assert_eq!(WORKOUT_TEXT_CHEAT_SHEET, CHEAT_SHEET);
        // No tool carries another version of it.
        for t in CATALOG {
            let d = t.description();
            assert_eq!(
                d.contains("Workout text (Intervals.icu"),
                d.contains(CHEAT_SHEET),
                "{}",
                t.name()
            );
        }
    }
}
