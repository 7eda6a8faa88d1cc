//! What the health-metric tools (`log_metrics`, `get_metrics`) share: the metric types
//! TrainingPeaks knows, with their labels, units and valid ranges.

/// A numeric metric: (argument, type, label, units, min, max).
pub(crate) struct Spec {
    pub(crate) field: &'static str,
    pub(crate) type_id: i64,
    pub(crate) label: &'static str,
    pub(crate) units: &'static str,
    pub(crate) min: f64,
    pub(crate) max: f64,
}

/// The metric types in the order the reference sends them (spec §8.3 / tools §K).
pub(crate) const SPECS: [Spec; 7] = [
    Spec {
        field: "weight_kg",
        type_id: 9,
        label: "Weight",
        units: "kg",
        min: 0.0,
        max: 1000.0,
    },
    Spec {
        field: "pulse",
        type_id: 5,
        label: "Pulse",
        units: "bpm",
        min: 10.0,
        max: 200.0,
    },
    Spec {
        field: "hrv",
        type_id: 60,
        label: "HRV",
        units: "",
        min: 0.0,
        max: 200.0,
    },
    Spec {
        field: "sleep_hours",
        type_id: 6,
        // The label the web app sends (the reference's network capture), not "Sleep Hours".
        label: "Sleep",
        units: "hours",
        min: 0.0,
        max: 72.0,
    },
    Spec {
        field: "spo2",
        type_id: 53,
        label: "SPO2",
        units: "%",
        min: 0.0,
        max: 100.0,
    },
    Spec {
        field: "steps",
        type_id: 58,
        label: "Steps",
        units: "steps",
        min: 0.0,
        max: 1_000_000_000.0,
    },
    Spec {
        field: "rmr",
        type_id: 15,
        label: "RMR",
        units: "kcal",
        min: 500.0,
        max: 5000.0,
    },
];

/// Injury type id and its scale (spec §8.3).
pub(crate) const INJURY_TYPE: i64 = 23;

pub(crate) const INJURY_LABELS: [&str; 10] = [
    "Extremely Injured",
    "Very Injured",
    "Injured",
    "Slightly Injured",
    "Below Average",
    "Above Average",
    "Well",
    "Healthy",
    "Very Healthy",
    "Extremely Healthy",
];

/// The usual label of a metric type, for entries that come without one.
pub(crate) fn metric_label(type_id: i64) -> String {
    SPECS
        .iter()
        .find(|s| s.type_id == type_id)
        .map(|s| s.label)
        .or((type_id == INJURY_TYPE).then_some("Injury"))
        .map_or_else(|| format!("Metric {type_id}"), str::to_string)
}

/// The unit shown for a metric type.
pub(crate) fn metric_unit(type_id: i64) -> &'static str {
    match type_id {
        9 => "kg",
        5 => "bpm",
        60 => "ms",
        6 => "h",
        53 => "%",
        58 => "steps",
        15 => "kcal",
        23 => "/10",
        _ => "",
    }
}
