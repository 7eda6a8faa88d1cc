//! Events: the event-type, priority and unit arguments, their checks, and the event view.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{UNKNOWN, ymd};
use crate::tools::ToolError;
use crate::trainingpeaks::calendar::{Event, text};
use crate::trainingpeaks::settings::num;
use crate::wire::MissingField;

/// The type of an event. Accepts the reference server's names (shown) and the TrainingPeaks
/// web form's names (`RunningRoad`, `CyclingRoad`, `SwimOpenWater`, `MultisportTriathlon`…);
/// the web-form value is what gets sent (see `trainingpeaks::calendar` for why).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[allow(missing_docs)]
pub enum EventType {
    #[serde(alias = "RunningRoad")]
    RoadRunning,
    #[serde(alias = "RunningTrail")]
    TrailRunning,
    #[serde(alias = "RunningTrack")]
    TrackRunning,
    #[serde(alias = "RunningCrossCountry")]
    CrossCountry,
    #[serde(alias = "RunningOther")]
    Running,
    #[serde(alias = "CyclingRoad")]
    RoadCycling,
    #[serde(alias = "CyclingMountain")]
    MountainBiking,
    #[serde(alias = "CyclingCyclocross")]
    Cyclocross,
    #[serde(alias = "CyclingTrack")]
    TrackCycling,
    #[serde(alias = "CyclingOther")]
    Cycling,
    #[serde(alias = "SwimOpenWater")]
    OpenWaterSwimming,
    #[serde(alias = "SwimPool")]
    PoolSwimming,
    Triathlon,
    #[serde(alias = "MultisportXterra")]
    Xterra,
    #[serde(alias = "MultisportDuathlon")]
    Duathlon,
    #[serde(alias = "MultisportAquabike")]
    Aquabike,
    #[serde(alias = "MultisportAquathon")]
    Aquathon,
    #[serde(alias = "MultisportOther")]
    Multisport,
    #[serde(alias = "RowingRegatta")]
    Regatta,
    #[serde(alias = "RowingOther")]
    Rowing,
    #[serde(alias = "SnowAlpine")]
    AlpineSkiing,
    #[serde(alias = "SnowNordic")]
    NordicSkiing,
    #[serde(alias = "SnowSkiMountaineering")]
    SkiMountaineering,
    #[serde(alias = "SnowSnowshoe")]
    Snowshoe,
    #[serde(alias = "SnowOther")]
    Snow,
    #[serde(alias = "OtherAdventure")]
    Adventure,
    #[serde(alias = "OtherObstacle")]
    Obstacle,
    #[serde(alias = "OtherSpeedSkate")]
    SpeedSkate,
    #[serde(alias = "OtherOther")]
    Other,
    MultisportTriathlon,
}

impl EventType {
    /// The web form's `eventType` value, sent on the wire.
    pub fn wire(self) -> &'static str {
        use EventType::*;
        match self {
            RoadRunning => "RunningRoad",
            TrailRunning => "RunningTrail",
            TrackRunning => "RunningTrack",
            CrossCountry => "RunningCrossCountry",
            Running => "RunningOther",
            RoadCycling => "CyclingRoad",
            MountainBiking => "CyclingMountain",
            Cyclocross => "CyclingCyclocross",
            TrackCycling => "CyclingTrack",
            Cycling => "CyclingOther",
            OpenWaterSwimming => "SwimOpenWater",
            PoolSwimming => "SwimPool",
            Triathlon | MultisportTriathlon => "MultisportTriathlon",
            Xterra => "MultisportXterra",
            Duathlon => "MultisportDuathlon",
            Aquabike => "MultisportAquabike",
            Aquathon => "MultisportAquathon",
            Multisport => "MultisportOther",
            Regatta => "RowingRegatta",
            Rowing => "RowingOther",
            AlpineSkiing => "SnowAlpine",
            NordicSkiing => "SnowNordic",
            SkiMountaineering => "SnowSkiMountaineering",
            Snowshoe => "SnowSnowshoe",
            Snow => "SnowOther",
            Adventure => "OtherAdventure",
            Obstacle => "OtherObstacle",
            SpeedSkate => "OtherSpeedSkate",
            Other => "OtherOther",
        }
    }
}

/// Annual-training-plan race priority: A = the season's goal race, B = important, C = training
/// race.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[allow(missing_docs)]
pub enum Priority {
    #[serde(alias = "a")]
    A,
    #[serde(alias = "b")]
    B,
    #[serde(alias = "c")]
    C,
}

impl Priority {
    /// The wire `atpPriority` value.
    pub fn wire(self) -> &'static str {
        match self {
            Priority::A => "A",
            Priority::B => "B",
            Priority::C => "C",
        }
    }
}

/// Unit of an event's `distance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[allow(missing_docs)]
pub enum DistanceUnits {
    #[serde(alias = "meters", alias = "Metres", alias = "metres", alias = "m")]
    Meters,
    #[serde(
        alias = "kilometers",
        alias = "Kilometres",
        alias = "kilometres",
        alias = "km"
    )]
    Kilometers,
    #[serde(alias = "miles", alias = "mi")]
    Miles,
}

impl DistanceUnits {
    /// The wire `distanceUnits` value.
    pub fn wire(self) -> &'static str {
        match self {
            DistanceUnits::Meters => "Meters",
            DistanceUnits::Kilometers => "Kilometers",
            DistanceUnits::Miles => "Miles",
        }
    }
}

/// Checks event distance, units and CTL target together.
pub fn check_event_numbers(
    distance: Option<f64>,
    units: Option<DistanceUnits>,
    ctl_target: Option<f64>,
    units_required: bool,
) -> Result<(), ToolError> {
    if let Some(d) = distance {
        if !d.is_finite() || d <= 0.0 {
            return Err(ToolError::invalid(
                "distance",
                format!("{d} is not a positive distance"),
            ));
        }
        if units_required && units.is_none() {
            return Err(ToolError::invalid(
                "distance_units",
                "required with distance: Meters, Kilometers or Miles (e.g. distance 21.1 with Kilometers)",
            ));
        }
    }
    if let Some(c) = ctl_target
        && (!c.is_finite() || !(0.0..=250.0).contains(&c))
    {
        return Err(ToolError::invalid(
            "ctl_target",
            format!("{c} is not a plausible CTL (fitness) target; use 0–250, e.g. 85"),
        ));
    }
    Ok(())
}

/// "in 12 days", "today", "3 days ago".
pub fn days_phrase(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        d if d > 0 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

/// Seconds as `H:MM:SS`, rounded once to the whole second.
pub fn hms(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as i64;
    format!(
        "{}:{:02}:{:02}",
        total / 3600,
        (total % 3600) / 60,
        total % 60
    )
}

fn fmt_num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

/// An event's goals.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EventGoalsView {
    /// Goal finish time in seconds.
    pub time_seconds: Option<f64>,
    /// Goal finish time as `H:MM:SS`.
    pub time: Option<String>,
    /// Goal place.
    pub place: Option<i64>,
    /// A personal record is the goal.
    pub pr: bool,
    /// Free-text goals.
    pub written: Vec<String>,
}

/// One placing.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EventResultView {
    /// `Overall`, `Gender` or `Division`.
    pub result_type: String,
    /// Place.
    pub place: i64,
    /// Entrants, if known.
    pub entrants: Option<i64>,
}

/// A race or event.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EventView {
    /// Event id (use with update_event / delete_event).
    pub id: i64,
    /// Name.
    pub name: String,
    /// Date, `YYYY-MM-DD` (null when TrainingPeaks sent none we can read).
    pub date: Option<String>,
    /// Days from today (negative = past).
    pub days_from_today: Option<i64>,
    /// Event type as TrainingPeaks stores it (e.g. `MultisportTriathlon`).
    pub event_type: Option<String>,
    /// Priority `A`, `B` or `C`.
    pub priority: Option<String>,
    /// Target CTL (fitness) for race day.
    pub ctl_target: Option<f64>,
    /// Distance as stored, in `distance_units`.
    pub distance: Option<f64>,
    /// Unit of `distance` as stored (`Meters`, `Kilometers`, `Miles`, or empty).
    pub distance_units: Option<String>,
    /// The distance converted to kilometres.
    pub distance_km: Option<f64>,
    /// Duration category.
    pub race_type_duration: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// The athlete's comment.
    pub comment: Option<String>,
    /// Hidden from the calendar.
    pub is_hidden: bool,
    /// Goals, when any are set.
    pub goals: Option<EventGoalsView>,
    /// Placings, once raced.
    pub results: Vec<EventResultView>,
    /// Whether the event has a result with a place.
    pub raced: bool,
}

impl EventView {
    /// The view of a wire event, with days counted from `today`. Fails only without an id.
    pub fn new(e: &Event, today: NaiveDate) -> Result<Self, MissingField> {
        let goals = e.goals.get().and_then(|g| {
            let written: Vec<String> = g
                .written
                .get()
                .map(|w| {
                    w.iter()
                        .map(|w| w.trim().to_string())
                        .filter(|w| !w.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let time = num(&g.time);
            let place = g.place.val();
            let pr = g.pr.val() == Some(true);
            let any = time.is_some() || place.is_some() || pr || !written.is_empty();
            any.then(|| EventGoalsView {
                time_seconds: time,
                time: time.map(hms),
                place,
                pr,
                written,
            })
        });
        let results = e
            .results()
            .iter()
            .filter_map(|r| {
                Some(EventResultView {
                    result_type: text(&r.result_type).unwrap_or_else(|| "Result".into()),
                    place: r.place.val()?,
                    entrants: r.entrants.val(),
                })
            })
            .collect::<Vec<_>>();
        Ok(Self {
            id: e.id()?,
            name: text(&e.name).unwrap_or_else(|| "(unnamed event)".into()),
            date: e.date().map(ymd),
            days_from_today: e.date().map(|d| (d - today).num_days()),
            event_type: text(&e.event_type),
            priority: text(&e.atp_priority),
            ctl_target: num(&e.ctl_target),
            distance: num(&e.distance),
            distance_units: e.distance_units.get().cloned(),
            distance_km: e.distance_km().map(|k| (k * 1000.0).round() / 1000.0),
            race_type_duration: text(&e.race_type_duration),
            description: text(&e.description),
            comment: text(&e.comment),
            is_hidden: e.hidden(),
            raced: !results.is_empty(),
            goals,
            results,
        })
    }

    /// `2027-02-13 (in 84 days)`.
    pub fn when(&self) -> String {
        let date = self.date.as_deref().unwrap_or(UNKNOWN);
        match self.days_from_today {
            Some(d) => format!("{date} ({})", days_phrase(d)),
            None => date.to_string(),
        }
    }

    /// The distance as stored, with the km conversion when the unit is not km.
    pub fn distance_text(&self) -> Option<String> {
        let d = self.distance?;
        let unit = self.distance_units.as_deref().unwrap_or("").trim();
        let km = self.distance_km.map(fmt_num);
        Some(match (unit, km) {
            ("Kilometers", _) | ("", None) => format!("{} km", fmt_num(d)),
            (u, Some(k)) if !u.is_empty() => format!("{} {u} ({k} km)", fmt_num(d)),
            (_, Some(k)) => format!("{k} km"),
            (u, None) => format!("{} {u}", fmt_num(d)),
        })
    }

    /// A multi-line summary: name, date, type, priority, CTL target, distance, goals, results.
    pub fn summary(&self) -> String {
        let mut lines = vec![
            format!("{} (event {})", self.name, self.id),
            format!("Date: {}", self.when()),
        ];
        let mut facts = Vec::new();
        if let Some(t) = &self.event_type {
            facts.push(format!("Type: {t}"));
        }
        if let Some(p) = &self.priority {
            facts.push(format!("Priority: {p}"));
        }
        if let Some(c) = self.ctl_target {
            facts.push(format!("CTL target: {}", fmt_num(c)));
        }
        if !facts.is_empty() {
            lines.push(facts.join(" · "));
        }
        if let Some(d) = self.distance_text() {
            lines.push(format!("Distance: {d}"));
        }
        if let Some(r) = &self.race_type_duration {
            lines.push(format!("Duration category: {r}"));
        }
        if self.is_hidden {
            lines.push("Hidden on the calendar".into());
        }
        if let Some(d) = &self.description {
            lines.push(format!("Description: {d}"));
        }
        if let Some(c) = &self.comment {
            lines.push(format!("Comment: {c}"));
        }
        if let Some(g) = &self.goals {
            let mut parts = Vec::new();
            if let Some(t) = &g.time {
                parts.push(format!("time {t}"));
            }
            if let Some(p) = g.place {
                parts.push(format!("place {p}"));
            }
            if g.pr {
                parts.push("PR".into());
            }
            parts.extend(g.written.iter().cloned());
            lines.push(format!("Goals: {}", parts.join("; ")));
        }
        if !self.results.is_empty() {
            let parts: Vec<String> = self
                .results
                .iter()
                .map(|r| match r.entrants {
                    Some(n) => format!("{} {} of {n}", r.result_type, r.place),
                    None => format!("{} {}", r.result_type, r.place),
                })
                .collect();
            lines.push(format!("Results: {}", parts.join(", ")));
        }
        lines.join("\n")
    }

    /// One line for lists: `2027-02-13 (in 84 days) [A] Lakeside 70.3 — MultisportTriathlon`.
    pub fn line(&self) -> String {
        let mut s = self.when();
        if let Some(p) = &self.priority {
            s.push_str(&format!(" [{p}]"));
        }
        if self.raced {
            s.push_str(" ✓");
        }
        s.push_str(&format!("  {} (id {})", self.name, self.id));
        if let Some(t) = &self.event_type {
            s.push_str(&format!(" — {t}"));
        }
        if let Some(d) = self.distance_text() {
            s.push_str(&format!(", {d}"));
        }
        if let Some(c) = self.ctl_target {
            s.push_str(&format!(", CTL target {}", fmt_num(c)));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_type_accepts_both_spellings_and_sends_web_form_value() {
        let cases = [
            ("RoadRunning", "RunningRoad"),
            ("RunningRoad", "RunningRoad"),
            ("Triathlon", "MultisportTriathlon"),
            ("MultisportTriathlon", "MultisportTriathlon"),
            ("OtherOther", "OtherOther"),
            ("Other", "OtherOther"),
            ("SwimOpenWater", "SwimOpenWater"),
            ("Snow", "SnowOther"),
        ];
        for (input, wire) in cases {
            let t: EventType = serde_json::from_value(serde_json::json!(input)).unwrap();
            assert_eq!(t.wire(), wire, "{input}");
        }
        assert!(serde_json::from_value::<EventType>(serde_json::json!("Marathon")).is_err());
    }

    #[test]
    fn hms_rounds_once() {
        let cases = [
            (3599.6, "1:00:00"),
            (18900.0, "5:15:00"),
            (59.4, "0:00:59"),
            (0.0, "0:00:00"),
        ];
        for (s, want) in cases {
            assert_eq!(hms(s), want, "{s}");
        }
    }

    #[test]
    fn days_phrases() {
        let cases = [
            (0, "today"),
            (1, "tomorrow"),
            (-1, "yesterday"),
            (84, "in 84 days"),
            (-42, "42 days ago"),
        ];
        for (d, want) in cases {
            assert_eq!(days_phrase(d), want);
        }
    }

    #[test]
    fn numbers_checked() {
        assert!(
            check_event_numbers(
                Some(21.1),
                Some(DistanceUnits::Kilometers),
                Some(80.0),
                true
            )
            .is_ok()
        );
        let e = check_event_numbers(Some(21.1), None, None, true).unwrap_err();
        assert!(matches!(e, ToolError::InvalidArgs { ref field, .. } if field == "distance_units"));
        let e =
            check_event_numbers(Some(-1.0), Some(DistanceUnits::Meters), None, true).unwrap_err();
        assert!(matches!(e, ToolError::InvalidArgs { ref field, .. } if field == "distance"));
        let e = check_event_numbers(None, None, Some(900.0), true).unwrap_err();
        assert!(matches!(e, ToolError::InvalidArgs { ref field, .. } if field == "ctl_target"));
    }
}
