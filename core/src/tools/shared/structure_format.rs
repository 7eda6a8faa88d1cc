//! The one text that explains the workout structure format, for every tool description that
//! takes a `structure` (calendar workouts, library templates, the validator).

/// The structure format, as a string literal, so a description can `concat!` it in. It is the
/// format `crate::structure::compile_value` reads: keep the two in step.
macro_rules! structure_format {
    () => {
        "structure is a JSON object (or a string holding one): {\"primaryIntensityMetric\": \
\"percentOfFtp\" | \"percentOfThresholdHr\" | \"percentOfThresholdPace\", \"steps\": [...]}; a step is \
{\"name\", \"duration_seconds\", \"intensity_min\", \"intensity_max\" (% of threshold), \"intensityClass\": \
warmUp|active|rest|coolDown|other, optional cadence_min/cadence_max (rpm)}; repeats are {\"type\": \
\"repetition\", \"reps\": N, \"steps\": [...]}. Unknown or misspelt keys are rejected with the key named \
(e.g. structure.steps[1].repeat: did you mean \"reps\"?)."
    };
}
pub(crate) use structure_format;
