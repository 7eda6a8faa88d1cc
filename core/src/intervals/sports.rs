//! Sports between TrainingPeaks and Intervals.icu: the one mapping between a TrainingPeaks
//! workout type (`workoutTypeValueId`) and an Intervals.icu activity/event `type`.
//!
//! Used by the copy tools (`copy_workout_to_intervals`, `copy_workout_to_trainingpeaks`) and by
//! the Intervals.icu sandbox, which seeds its events and activities from the TrainingPeaks
//! sample athlete: both must agree, or a workout the sandbox seeded would not be recognised as
//! the copy of its TrainingPeaks original.
//!
//! TrainingPeaks has 15 sports, Intervals.icu about fifty types, so the mapping is not one to
//! one: several Intervals.icu types (`VirtualRide`, `GravelRide`) land on one TrainingPeaks
//! sport, and the way back picks the plain type (`Ride`). Sports with no planned-workout
//! equivalent (a TrainingPeaks brick, race or day off; an Intervals.icu `Yoga`) map to `None`,
//! and the copy reports them instead of guessing.

/// TrainingPeaks workout type ids (`workoutTypeValueId`) with the Intervals.icu type a copy gets,
/// in TrainingPeaks' order. `None`: Intervals.icu has no planned-workout type for it.
const TP_TO_ICU: [(i64, Option<&str>); 15] = [
    (1, Some("Swim")),
    (2, Some("Ride")),
    (3, Some("Run")),
    // Brick (several sports in one), race placeholder and day off have no single sport.
    (4, None),
    (5, Some("Workout")),
    (6, None),
    (7, None),
    (8, Some("MountainBikeRide")),
    (9, Some("WeightTraining")),
    (10, Some("Workout")),
    (11, Some("NordicSki")),
    (12, Some("Rowing")),
    (13, Some("Walk")),
    (29, Some("WeightTraining")),
    (100, Some("Workout")),
];

/// Intervals.icu types with the TrainingPeaks workout type a copy gets. Types not listed have
/// no TrainingPeaks equivalent.
const ICU_TO_TP: [(&str, i64); 17] = [
    ("Swim", 1),
    ("OpenWaterSwim", 1),
    ("Ride", 2),
    ("VirtualRide", 2),
    ("GravelRide", 2),
    ("EBikeRide", 2),
    ("MountainBikeRide", 8),
    ("EMountainBikeRide", 8),
    ("Run", 3),
    ("VirtualRun", 3),
    ("TrailRun", 3),
    ("WeightTraining", 9),
    ("NordicSki", 11),
    ("Rowing", 12),
    ("VirtualRow", 12),
    ("Walk", 13),
    ("Workout", 100),
];

/// The Intervals.icu `type` for a TrainingPeaks workout type id, or `None` when Intervals.icu
/// has no planned-workout type for it (brick, race, day off) or the id is unknown.
pub fn icu_type_for_tp(type_id: i64) -> Option<&'static str> {
    TP_TO_ICU
        .iter()
        .find(|(id, _)| *id == type_id)
        .and_then(|(_, t)| *t)
}

/// The TrainingPeaks workout type id for an Intervals.icu `type` (exact, as the API spells it),
/// or `None` when TrainingPeaks has no sport for it.
pub fn tp_type_for_icu(icu_type: &str) -> Option<i64> {
    ICU_TO_TP
        .iter()
        .find(|(t, _)| *t == icu_type)
        .map(|(_, id)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_sport_maps_back_onto_the_same_type() {
        for (id, t) in TP_TO_ICU {
            let Some(t) = t else { continue };
            let back = tp_type_for_icu(t).expect("a mapped type maps back");
            // Several TrainingPeaks sports share one Intervals.icu type (Weights and
            // Strength+ are both WeightTraining); the round trip lands on the same type.
            assert_eq!(icu_type_for_tp(back), Some(t), "type id {id}");
        }
        for (t, id) in ICU_TO_TP {
            assert!(
                icu_type_for_tp(id).is_some(),
                "{t} maps to an unmapped TP sport {id}"
            );
        }
    }

    #[test]
    fn sports_without_an_equivalent_are_none() {
        assert_eq!(icu_type_for_tp(2), Some("Ride"));
        assert_eq!(tp_type_for_icu("VirtualRide"), Some(2));
        assert_eq!(icu_type_for_tp(4), None, "brick");
        assert_eq!(icu_type_for_tp(7), None, "day off");
        assert_eq!(icu_type_for_tp(999), None);
        assert_eq!(tp_type_for_icu("Yoga"), None);
        assert_eq!(tp_type_for_icu("ride"), None, "the API's spelling only");
    }
}
