//! What the personal-record tools (`get_workout_prs`, `get_peaks`) share: a record's view and
//! its readable name.

use schemars::JsonSchema;
use serde::Serialize;

use crate::trainingpeaks::fitness::PersonalRecord;
use crate::trainingpeaks::workouts::text;
use crate::zones::{PaceUnit, format_pace};

/// One record.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RecordOut {
    /// "Power", "HeartRate" or "Speed".
    pub class: Option<String>,
    /// Record type, e.g. "power20min", "speed5K", "hR5min".
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// A readable name, e.g. "20 min power".
    pub name: String,
    /// The value in `unit`.
    pub value: Option<f64>,
    /// "W", "bpm" or "m/s".
    pub unit: &'static str,
    /// The value for people: "287 W", "172 bpm", "3:58/km".
    pub display: String,
    /// 1 = best.
    pub rank: Option<i64>,
    /// The ranking window, e.g. "All Time".
    pub time_frame: Option<String>,
    /// Workout id.
    pub workout_id: Option<i64>,
    /// Workout date, YYYY-MM-DD.
    pub workout_date: Option<String>,
    /// Workout title.
    pub workout_title: Option<String>,
}

/// "power20min" → "20 min power", "speed5K" → "5K pace", "hR1min" → "1 min heart rate".
pub(crate) fn record_name(kind: &str) -> String {
    let dur = |s: &str| {
        s.replace("sec", " s")
            .replace("min", " min")
            .replace("Meter", " m")
            .replace("HalfMarathon", "half marathon")
            .replace("Marathon", "marathon")
            .replace("Mi", " mi")
    };
    if let Some(rest) = kind.strip_prefix("power") {
        format!("{} power", dur(rest))
    } else if let Some(rest) = kind.strip_prefix("hR") {
        format!("{} heart rate", dur(rest))
    } else if let Some(rest) = kind.strip_prefix("speed") {
        format!("{} pace", dur(rest))
    } else {
        kind.to_string()
    }
}

/// The view of one record.
pub(crate) fn record_view(r: &PersonalRecord) -> RecordOut {
    let kind = text(&r.kind);
    let class = text(&r.class);
    let value = r.value.val();
    let (unit, display) = match (class.as_deref(), value) {
        (Some("Power"), Some(v)) => ("W", format!("{v:.0} W")),
        (Some("HeartRate"), Some(v)) => ("bpm", format!("{v:.0} bpm")),
        (Some("Speed"), Some(v)) => (
            "m/s",
            format_pace(v, PaceUnit::PerKm)
                .map_or_else(|| format!("{v:.2} m/s"), |p| format!("{p} ({v:.2} m/s)")),
        ),
        // A class we do not know (or none): the bare number.
        (_, Some(v)) => ("", format!("{v}")),
        (_, None) => ("", "—".into()),
    };
    RecordOut {
        name: kind.as_deref().map_or_else(|| "—".into(), record_name),
        class,
        kind,
        value,
        unit,
        display,
        rank: r.rank.val(),
        time_frame: r.time_frame_name(),
        workout_id: r.workout_id.val(),
        workout_date: r.workout_date.get().map(ToString::to_string),
        workout_title: text(&r.workout_title),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let cases = [
            ("power20min", "20 min power"),
            ("power5sec", "5 s power"),
            ("hR1min", "1 min heart rate"),
            ("speed5K", "5K pace"),
            ("speed400Meter", "400 m pace"),
            ("speed1Mi", "1 mi pace"),
            ("speedHalfMarathon", "half marathon pace"),
        ];
        for (kind, want) in cases {
            assert_eq!(record_name(kind), want, "{kind}");
        }
    }
}
