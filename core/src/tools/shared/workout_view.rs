//! Shared output shapes and text formatting for the workout tools: planned and actual values
//! side by side, durations formatted from total minutes rounded once (never "1h 60m").

use schemars::JsonSchema;
use serde::Serialize;

use super::args::Sport;
use crate::trainingpeaks::workouts::{Workout, text};

/// One workout, planned and actual side by side. Durations in hours, distances in metres.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WorkoutItem {
    /// Workout id (null only when a write's answer did not say).
    pub workout_id: Option<i64>,
    /// Day, `YYYY-MM-DD` (null when TrainingPeaks sent none readable).
    pub date: Option<String>,
    /// Sport name, e.g. "Bike".
    pub sport: String,
    /// `workoutTypeValueId` (1 swim, 2 bike, 3 run, … see `get_workout_types`).
    pub sport_id: Option<i64>,
    /// `workoutSubTypeId`, if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtype_id: Option<i64>,
    /// Title.
    pub title: String,
    /// Whether it has been done.
    pub completed: bool,
    /// 1-based position within the day, if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_on_day: Option<i64>,
    /// Planned duration, hours.
    pub duration_planned_hours: Option<f64>,
    /// Actual duration, hours.
    pub duration_actual_hours: Option<f64>,
    /// Planned distance, metres.
    pub distance_planned_m: Option<f64>,
    /// Actual distance, metres.
    pub distance_actual_m: Option<f64>,
    /// Planned TSS.
    pub tss_planned: Option<f64>,
    /// Actual TSS.
    pub tss_actual: Option<f64>,
    /// Planned intensity factor.
    pub if_planned: Option<f64>,
    /// Actual intensity factor.
    pub if_actual: Option<f64>,
    /// Average heart rate, bpm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hr_avg_bpm: Option<f64>,
    /// Maximum heart rate, bpm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hr_max_bpm: Option<f64>,
    /// Average power, watts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_avg_w: Option<f64>,
    /// Normalized power, watts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_np_w: Option<f64>,
    /// Comma-separated tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
}

/// The sport name for a `workoutTypeValueId` ("Sport(n)" for unknown ids).
pub fn sport_name(id: Option<i64>) -> String {
    match id {
        Some(id) => Sport::from_type_id(id)
            .map_or_else(|| format!("Sport({id})"), |s| s.label().to_string()),
        None => "Unknown".to_string(),
    }
}

impl WorkoutItem {
    /// The item for a workout.
    pub fn from_workout(w: &Workout) -> Self {
        Self {
            workout_id: w.workout_id.val(),
            date: w.date().map(|d| d.format("%Y-%m-%d").to_string()),
            sport: sport_name(w.workout_type_value_id.val()),
            sport_id: w.workout_type_value_id.val(),
            subtype_id: w.workout_sub_type_id.val(),
            title: text(&w.title).unwrap_or_else(|| "Untitled".into()),
            completed: w.is_completed(),
            order_on_day: w.order_on_day.val(),
            duration_planned_hours: w.total_time_planned.val(),
            duration_actual_hours: w.total_time.val(),
            distance_planned_m: w.distance_planned.val(),
            distance_actual_m: w.distance.val(),
            tss_planned: w.tss_planned.val(),
            tss_actual: w.tss_actual.val(),
            if_planned: w.if_planned.val(),
            if_actual: w.if_actual.val(),
            hr_avg_bpm: w.heart_rate_average.val(),
            hr_max_bpm: w.heart_rate_maximum.val(),
            power_avg_w: w.power_average.val(),
            power_np_w: w.normalized_power_actual.val(),
            tags: text(&w.user_tags),
        }
    }

    /// One line: id, date, sport, title, status, then planned | actual.
    pub fn line(&self) -> String {
        let mut s = String::with_capacity(160);
        self.write_line(&mut s);
        s
    }

    /// Appends [`Self::line`] to `out`. Integer formatting only: a year of workouts is
    /// hundreds of lines, and exact float formatting dominated the tool's run time.
    pub fn write_line(&self, out: &mut String) {
        use std::fmt::Write as _;
        let status = if self.completed { "done" } else { "planned" };
        let _ = write!(
            out,
            "{} {} [{}] {} (id {}, {status}) — planned ",
            self.date.as_deref().unwrap_or("—"),
            self.sport,
            Opt(self.sport_id),
            self.title,
            Opt(self.workout_id)
        );
        side(
            out,
            self.duration_planned_hours,
            self.distance_planned_m,
            self.tss_planned,
            self.if_planned,
        );
        out.push_str(" | actual ");
        side(
            out,
            self.duration_actual_hours,
            self.distance_actual_m,
            self.tss_actual,
            self.if_actual,
        );
        let mut sep = " · ";
        if let Some(hr) = self.hr_avg_bpm.filter(|v| *v > 0.0) {
            let _ = write!(out, "{sep}HR {}", int(hr));
            if let Some(max) = self.hr_max_bpm.filter(|v| *v > 0.0) {
                let _ = write!(out, "/{}", int(max));
            }
            out.push_str(" bpm");
            sep = ", ";
        }
        if let Some(p) = self.power_avg_w.filter(|v| *v > 0.0) {
            let _ = write!(out, "{sep}{} W avg", int(p));
            if let Some(np) = self.power_np_w.filter(|v| *v > 0.0) {
                let _ = write!(out, ", {} W NP", int(np));
            }
        }
    }
}

/// An optional integer for text: the number, or "—".
struct Opt(Option<i64>);

impl std::fmt::Display for Opt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(v) => write!(f, "{v}"),
            None => f.write_str("—"),
        }
    }
}

fn int(x: f64) -> i64 {
    x.round() as i64
}

fn side(
    out: &mut String,
    hours: Option<f64>,
    metres: Option<f64>,
    tss: Option<f64>,
    intensity: Option<f64>,
) {
    use std::fmt::Write as _;
    let start = out.len();
    let mut sep = "";
    if let Some(h) = hours.filter(|h| *h > 0.0) {
        out.push_str(&format_hours(h));
        sep = " ";
    }
    if let Some(m) = metres.filter(|m| *m > 0.0) {
        out.push_str(sep);
        out.push_str(&format_distance(m));
        sep = " ";
    }
    if let Some(t) = tss.filter(|t| *t > 0.0) {
        let _ = write!(out, "{sep}TSS {}", int(t));
        sep = " ";
    }
    if let Some(i) = intensity.filter(|i| *i > 0.0) {
        let hundredths = int(i * 100.0);
        let _ = write!(out, "{sep}IF {}.{:02}", hundredths / 100, hundredths % 100);
    }
    if out.len() == start {
        out.push('—');
    }
}

/// Formats hours as "1h 05m", "45m" or "2h". Rounds to whole minutes *once*, then splits, so
/// 1.999 h is "2h" (the reference printed "1h 60m").
pub fn format_hours(hours: f64) -> String {
    if !hours.is_finite() || hours <= 0.0 {
        return "0m".to_string();
    }
    let total_minutes = (hours * 60.0).round() as i64;
    let (h, m) = (total_minutes / 60, total_minutes % 60);
    match (h, m) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m:02}m"),
    }
}

/// Metres as kilometres with one decimal ("40.2 km"), or metres below 1 km ("800 m").
pub fn format_distance(metres: f64) -> String {
    if metres < 999.5 {
        format!("{} m", int(metres))
    } else {
        let tenths = int(metres / 100.0);
        format!("{}.{} km", tenths / 10, tenths % 10)
    }
}

/// The web-app URL of a workout.
pub fn workout_url(workout_id: i64) -> String {
    format!("https://app.trainingpeaks.com/athlete/workout/{workout_id}")
}

/// The typed view of a write's answer, for the output. Never fails: the write has happened,
/// so an answer that drifted must not turn it into an error (the model would retry it); what
/// cannot be read shows as unknown.
pub(crate) fn view(v: &serde_json::Value) -> Workout {
    Workout::from_raw(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_formatted_from_rounded_minutes() {
        let cases = [
            ("quirk case", 1.999, "2h"),
            ("ninety minutes", 1.5, "1h 30m"),
            ("short", 0.75, "45m"),
            ("one minute past", 1.0 + 1.0 / 60.0, "1h 01m"),
            ("rounds up to the hour", 0.9999, "1h"),
            ("zero", 0.0, "0m"),
            ("long ride", 3.75, "3h 45m"),
            ("negative", -1.0, "0m"),
        ];
        for (name, h, want) in cases {
            assert_eq!(format_hours(h), want, "{name}");
        }
    }

    #[test]
    fn distances() {
        for (m, want) in [
            (40_249.0, "40.2 km"),
            (950.0, "950 m"),
            (999.7, "1.0 km"),
            (1000.0, "1.0 km"),
            (42_195.0, "42.2 km"),
        ] {
            assert_eq!(format_distance(m), want, "{m}");
        }
    }

    #[test]
    fn line_shows_planned_and_actual() {
        let w = Workout::from_raw(&serde_json::json!({
            "workoutId": 9, "workoutDay": "2026-11-20T00:00:00", "title": "Sweet spot",
            "workoutTypeValueId": 2, "totalTimePlanned": 1.5, "totalTime": 1.45,
            "tssPlanned": 85.0, "tssActual": 80.4, "completed": true
        }));
        let line = WorkoutItem::from_workout(&w).line();
        assert!(line.contains("planned 1h 30m TSS 85"), "{line}");
        assert!(line.contains("actual 1h 27m TSS 80"), "{line}");
        assert!(line.starts_with("2026-11-20 Bike"), "{line}");
    }

    #[test]
    fn unknown_fields_show_as_dashes_and_nulls() {
        let w = Workout::from_raw(&serde_json::json!({
            "workoutId": 9, "workoutDay": null, "workoutTypeValueId": "zzUnheardOf",
            "title": null, "totalTimePlanned": "abc"
        }));
        let item = WorkoutItem::from_workout(&w);
        assert_eq!(item.date, None);
        assert_eq!(item.sport_id, None);
        assert_eq!(item.duration_planned_hours, None);
        let line = item.line();
        assert!(
            line.starts_with("— Unknown [—] Untitled (id 9, planned) — planned —"),
            "{line}"
        );
    }
}
