//! Toolsets: which of a platform's tools `tools/list` shows (issue 12, "Toolsets and lean lists").
//!
//! Some clients pass only the first few dozen tools to the model, and every listed tool costs
//! input tokens on every turn. So the list is cut to what most people need, [`Toolset::Default`]
//! (at most [`DEFAULT_MAX`] tools), and the rest is one flag away: `--toolsets
//! workouts,calendar,…` or `--toolsets all`.
//!
//! Toolsets shape what the model is *shown*, not what may run: a tool left out of the list can
//! still be called by name (`paceline call`, or a client that remembers it). What may change the
//! athlete's data is decided by the write policy (`--read-only`, confirmations), not here.
//!
//! Each tool belongs to exactly one group, by its canonical (`--platform all`) name; the
//! Intervals.icu tools form the group `intervals`, and those whose TrainingPeaks namesake is an
//! analysis tool are shown under `analysis` too ([`also_in`]). Under `--platform intervals` the default is
//! the seed server's twenty tools, so its users see what they saw there.

use super::platform::{ICU_PREFIX, Listed, Platform};

/// The most tools [`Toolset::Default`] may hold.
pub const DEFAULT_MAX: usize = 30;

/// A named group of tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Toolset {
    /// What most people need (see [`DEFAULT_TRAININGPEAKS`]).
    Default,
    /// Planned and completed workouts, comments, structure, planning helpers.
    Workouts,
    /// Events, notes, availability, goals.
    Calendar,
    /// Fitness chart, peaks, records, health metrics and nutrition logs.
    Fitness,
    /// Profile, thresholds and zones, equipment, athletes.
    Settings,
    /// Workout libraries.
    Library,
    /// Strength workouts.
    Strength,
    /// Activity analysis, power curves, projections, predictions, readiness, charts.
    Analysis,
    /// Every Intervals.icu tool.
    Intervals,
    /// Everything.
    All,
}

impl Toolset {
    /// Every toolset, in the order the help lists them.
    pub const EACH: [Toolset; 10] = [
        Toolset::Default,
        Toolset::Workouts,
        Toolset::Calendar,
        Toolset::Fitness,
        Toolset::Settings,
        Toolset::Library,
        Toolset::Strength,
        Toolset::Analysis,
        Toolset::Intervals,
        Toolset::All,
    ];

    /// The flag value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Toolset::Default => "default",
            Toolset::Workouts => "workouts",
            Toolset::Calendar => "calendar",
            Toolset::Fitness => "fitness",
            Toolset::Settings => "settings",
            Toolset::Library => "library",
            Toolset::Strength => "strength",
            Toolset::Analysis => "analysis",
            Toolset::Intervals => "intervals",
            Toolset::All => "all",
        }
    }
}

/// The default TrainingPeaks tools (also the default under `--platform all`).
pub const DEFAULT_TRAININGPEAKS: &[&str] = &[
    "get_athlete_profile",
    "get_athlete_settings",
    "list_athletes",
    "get_workouts",
    "get_workout",
    "get_weekly_summary",
    "create_workout",
    "update_workout",
    "delete_workout",
    "get_planned_workouts",
    "create_workout_by_intensity",
    "scale_workout_intensity",
    "get_fitness_metrics",
    "get_metrics",
    "log_metrics",
    "get_events",
    "create_event",
    "update_ftp",
    "get_activity_analysis",
    "get_activity_streams",
    "analyze_activity_range",
    "get_power_curve",
    "get_training_distribution",
    "get_fitness_projection",
    "predict_race",
    "get_readiness",
    "render_chart",
];

/// Whether `name` is one of the seed Intervals.icu server's tools, the default under
/// `--platform intervals` (the first [`SEED_TOOLS`](super::intervals::SEED_TOOLS) of its
/// catalogue).
fn in_seed(name: &str) -> bool {
    super::intervals::CATALOG
        .iter()
        .take(super::intervals::SEED_TOOLS)
        .any(|t| t.name() == name)
}

/// The group of a tool, by canonical name; `None` for a name no group lists (a new tool that
/// was not given one: the tests catch it).
pub fn group_of(canonical: &str) -> Option<Toolset> {
    if canonical.starts_with(ICU_PREFIX) {
        return Some(Toolset::Intervals);
    }
    let group = match canonical {
        "get_workout_types"
        | "get_workouts"
        | "get_workout"
        | "get_weekly_summary"
        | "create_workout"
        | "update_workout"
        | "delete_workout"
        | "copy_workout"
        | "reorder_workouts"
        | "get_workout_comments"
        | "add_workout_comment"
        | "delete_workout_comment"
        | "update_private_workout_note"
        | "validate_workout_structure"
        | "get_planned_workouts"
        | "skip_workout"
        | "set_workout_advice"
        | "create_workout_by_intensity"
        | "scale_workout_intensity"
        | "copy_workout_to_intervals"
        | "copy_workout_to_trainingpeaks" => Toolset::Workouts,
        "get_focus_event"
        | "get_next_planned_event"
        | "get_events"
        | "create_event"
        | "delete_event"
        | "update_event"
        | "get_note"
        | "update_note"
        | "get_note_comments"
        | "add_note_comment"
        | "create_note"
        | "delete_note"
        | "get_availability"
        | "create_availability"
        | "update_availability"
        | "delete_availability"
        | "create_goal_list"
        | "delete_goal_list" => Toolset::Calendar,
        "get_atp"
        | "get_fitness_metrics"
        | "get_workout_prs"
        | "get_peaks"
        | "get_metrics"
        | "log_metrics"
        | "get_nutrition" => Toolset::Fitness,
        "get_athlete_profile"
        | "get_athlete_settings"
        | "update_ftp"
        | "update_hr_zones"
        | "update_speed_zones"
        | "get_weather_settings"
        | "get_pool_length_settings"
        | "update_nutrition"
        | "get_equipment"
        | "create_equipment"
        | "update_equipment_item"
        | "delete_equipment"
        | "list_athletes" => Toolset::Settings,
        "get_libraries"
        | "get_library_items"
        | "get_library_item"
        | "create_library"
        | "create_library_item"
        | "schedule_library_workout"
        | "update_library"
        | "move_library_item"
        | "update_library_item"
        | "delete_library_item"
        | "delete_library" => Toolset::Library,
        "create_strength_workout" | "get_strength_workout_summary" => Toolset::Strength,
        "get_activity_analysis"
        | "get_activity_streams"
        | "analyze_activity_range"
        | "get_power_curve"
        | "get_training_distribution"
        | "get_fitness_projection"
        | "predict_race"
        | "get_readiness"
        | "render_chart" => Toolset::Analysis,
        _ => return None,
    };
    Some(group)
}

/// A second group a tool is also shown in: an Intervals.icu tool whose TrainingPeaks
/// namesake is an analysis tool (`icu_get_power_curve`, `icu_get_readiness`…) is in
/// `analysis` as well as `intervals`, so `--toolsets analysis` offers the analyses of both
/// platforms. Only for showing: [`group_of`] stays the one home group.
pub fn also_in(canonical: &str) -> Option<Toolset> {
    let bare = canonical.strip_prefix(ICU_PREFIX)?;
    (group_of(bare) == Some(Toolset::Analysis)).then_some(Toolset::Analysis)
}

/// A choice of toolsets (the `--toolsets` flag): never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Toolsets(Vec<Toolset>);

impl Default for Toolsets {
    fn default() -> Self {
        Toolsets(vec![Toolset::Default])
    }
}

impl Toolsets {
    /// Everything.
    pub fn all() -> Self {
        Toolsets(vec![Toolset::All])
    }

    /// Reads `a,b,…` (case-insensitive, spaces allowed); an unknown name is an error listing
    /// the valid ones.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut sets = Vec::new();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let lower = part.to_ascii_lowercase();
            let Some(set) = Toolset::EACH.into_iter().find(|t| t.as_str() == lower) else {
                let valid: Vec<&str> = Toolset::EACH.iter().map(|t| t.as_str()).collect();
                return Err(format!(
                    "unknown toolset `{part}`; use one or more of {}, separated by commas",
                    valid.join(", ")
                ));
            };
            if !sets.contains(&set) {
                sets.push(set);
            }
        }
        if sets.is_empty() {
            return Err("no toolset named; use e.g. `default` or `all`".into());
        }
        Ok(Toolsets(sets))
    }

    /// The chosen sets.
    pub fn sets(&self) -> &[Toolset] {
        &self.0
    }

    /// The flag value that gives this choice back.
    pub fn to_flag(&self) -> String {
        self.0
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Whether the published tool `listed` of `platform` is shown.
    pub fn shows(&self, platform: Platform, listed: &Listed) -> bool {
        self.0.iter().any(|set| match set {
            Toolset::All => true,
            Toolset::Default => match platform {
                Platform::Intervals => in_seed(listed.name()),
                _ => DEFAULT_TRAININGPEAKS.contains(&listed.canonical()),
            },
            group => {
                group_of(listed.canonical()) == Some(*group)
                    || also_in(listed.canonical()) == Some(*group)
            }
        })
    }

    /// The tools of `platform` this choice shows, in catalogue order.
    pub fn select(&self, platform: Platform) -> Vec<&'static Listed> {
        platform
            .tools()
            .iter()
            .filter(|l| self.shows(platform, l))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: Platform, sets: &str) -> Vec<&'static str> {
        Toolsets::parse(sets)
            .unwrap()
            .select(p)
            .into_iter()
            .map(|l| l.name())
            .collect()
    }

    #[test]
    fn every_tool_has_exactly_one_group() {
        for l in Platform::All.tools() {
            assert!(
                group_of(l.canonical()).is_some(),
                "{} has no toolset: add it to toolsets::group_of",
                l.canonical()
            );
        }
    }

    #[test]
    fn the_default_sets_are_real_tools_and_small() {
        assert!(DEFAULT_TRAININGPEAKS.len() <= DEFAULT_MAX);
        for name in DEFAULT_TRAININGPEAKS {
            assert!(
                Platform::All.find(name).is_some(),
                "default tool {name} is not in the catalogue"
            );
        }
        assert_eq!(
            names(Platform::TrainingPeaks, "default").len(),
            DEFAULT_TRAININGPEAKS
                .iter()
                .filter(|n| Platform::TrainingPeaks.find(n).is_some())
                .count()
        );
        assert_eq!(names(Platform::Intervals, "default").len(), 20);
    }

    #[test]
    fn groups_add_up_to_everything() {
        for p in Platform::EACH {
            let all = names(p, "all");
            assert_eq!(all.len(), p.tools().len(), "{p}");
            let mut union = names(
                p,
                "workouts,calendar,fitness,settings,library,strength,analysis,intervals",
            );
            union.sort_unstable();
            let mut all = all;
            all.sort_unstable();
            assert_eq!(union, all, "{p}");
        }
        // Under `all`, the Intervals.icu group is the prefixed tools; under `intervals` it is
        // the whole catalogue.
        assert!(
            names(Platform::All, "intervals")
                .iter()
                .all(|n| n.starts_with(ICU_PREFIX))
        );
        assert_eq!(
            names(Platform::Intervals, "intervals").len(),
            Platform::Intervals.tools().len()
        );
        assert!(names(Platform::TrainingPeaks, "intervals").is_empty());
    }

    #[test]
    fn intervals_analyses_are_also_in_analysis_but_not_in_the_defaults() {
        let all = names(Platform::All, "analysis");
        for n in [
            "get_power_curve",
            "icu_get_power_curve",
            "icu_get_training_distribution",
            "icu_get_activity_analysis",
            "icu_get_readiness",
        ] {
            assert!(all.contains(&n), "{n} not in analysis: {all:?}");
        }
        assert!(!all.contains(&"icu_skip_workout"));
        let icu = names(Platform::Intervals, "analysis");
        assert!(icu.contains(&"get_power_curve") && icu.contains(&"analyze_activity_range"));
        assert!(!icu.contains(&"get_events"));
        assert!(names(Platform::Intervals, "intervals").contains(&"skip_workout"));
        assert!(
            !names(Platform::All, "default")
                .iter()
                .any(|n| n.starts_with(ICU_PREFIX))
        );
        assert_eq!(also_in("get_power_curve"), None);
        assert_eq!(also_in("icu_get_events"), None);
    }

    #[test]
    fn flag_values() {
        assert_eq!(
            Toolsets::parse(" Workouts, calendar ,workouts").unwrap(),
            Toolsets(vec![Toolset::Workouts, Toolset::Calendar])
        );
        assert_eq!(
            Toolsets::parse("default,analysis").unwrap().to_flag(),
            "default,analysis"
        );
        let e = Toolsets::parse("workouts,strava").unwrap_err();
        assert!(e.contains("`strava`") && e.contains("analysis"), "{e}");
        assert!(Toolsets::parse(" , ").is_err());
        assert_eq!(Toolsets::default().sets(), &[Toolset::Default]);
    }
}
