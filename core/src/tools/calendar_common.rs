//! Argument enums, output views and text formatting shared by the calendar tools (events,
//! notes, availability, goal lists). Each tool still lives in its own file.

use chrono::{NaiveDate, NaiveDateTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::trainingpeaks::calendar::{Availability, CalendarNote, Event, NoteComment, text};
use crate::trainingpeaks::settings::num;
use crate::wire::MissingField;

use super::ToolError;

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

/// A sport that stays possible during limited availability (the reference's 13-value list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum AvailabilitySport {
    Swim,
    Bike,
    Run,
    Brick,
    Crosstrain,
    Note,
    Mtb,
    Weights,
    Custom,
    Walk,
    Ski,
    Rowing,
    Other,
}

impl AvailabilitySport {
    const ALL: [AvailabilitySport; 13] = [
        Self::Swim,
        Self::Bike,
        Self::Run,
        Self::Brick,
        Self::Crosstrain,
        Self::Note,
        Self::Mtb,
        Self::Weights,
        Self::Custom,
        Self::Walk,
        Self::Ski,
        Self::Rowing,
        Self::Other,
    ];

    /// The `workoutTypeValueId` sent in `availableSportTypes`.
    pub fn type_id(self) -> i64 {
        match self {
            Self::Swim => 1,
            Self::Bike => 2,
            Self::Run => 3,
            Self::Brick => 4,
            Self::Crosstrain => 5,
            Self::Note => 7,
            Self::Mtb => 8,
            Self::Weights => 9,
            Self::Custom => 10,
            Self::Ski => 11,
            Self::Rowing => 12,
            Self::Walk => 13,
            Self::Other => 100,
        }
    }

    /// The argument name (`bike`, `run`…).
    pub fn name(self) -> &'static str {
        match self {
            Self::Swim => "swim",
            Self::Bike => "bike",
            Self::Run => "run",
            Self::Brick => "brick",
            Self::Crosstrain => "crosstrain",
            Self::Note => "note",
            Self::Mtb => "mtb",
            Self::Weights => "weights",
            Self::Custom => "custom",
            Self::Walk => "walk",
            Self::Ski => "ski",
            Self::Rowing => "rowing",
            Self::Other => "other",
        }
    }

    /// The name for a sport id, or the id itself for one outside the list.
    pub fn name_for_id(id: i64) -> String {
        Self::ALL
            .into_iter()
            .find(|s| s.type_id() == id)
            .map_or_else(|| format!("sport {id}"), |s| s.name().to_string())
    }
}

/// Rejects an empty or blank required string.
pub fn non_blank(field: &str, value: &str) -> Result<(), ToolError> {
    if value.trim().is_empty() {
        return Err(ToolError::invalid(field, "must not be empty"));
    }
    Ok(())
}

/// Rejects an id that cannot be a TrainingPeaks id.
pub fn positive_id(field: &str, id: i64) -> Result<(), ToolError> {
    if id <= 0 {
        return Err(ToolError::invalid(
            field,
            format!("{id} is not a valid id; ids are positive integers"),
        ));
    }
    Ok(())
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

/// `YYYY-MM-DD`.
fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// What a view shows for a value it does not know.
pub const UNKNOWN: &str = "—";

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

/// A calendar note.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct NoteView {
    /// Note id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Date, `YYYY-MM-DD` (null when unknown).
    pub date: Option<String>,
    /// Body text.
    pub description: Option<String>,
    /// Hidden.
    pub is_hidden: bool,
    /// Number of comments, when known.
    pub comment_count: Option<i64>,
}

impl NoteView {
    /// The view of a wire note. Fails only without an id.
    pub fn new(n: &CalendarNote) -> Result<Self, MissingField> {
        Ok(Self {
            id: n.id()?,
            title: text(&n.title).unwrap_or_else(|| "(untitled note)".into()),
            date: n.date().map(ymd),
            description: text(&n.description),
            is_hidden: n.is_hidden.val().unwrap_or(false),
            comment_count: n.comment_count.val(),
        })
    }

    /// Title, id, date and description, one per line, after a heading.
    pub fn summary(&self, heading: &str) -> String {
        let mut lines = vec![
            format!("{heading}\"{}\"", self.title),
            format!("ID: {}", self.id),
            format!("Date: {}", self.date.as_deref().unwrap_or(UNKNOWN)),
        ];
        if let Some(d) = &self.description {
            lines.push(format!("Description: {d}"));
        }
        if let Some(c) = self.comment_count.filter(|c| *c > 0) {
            lines.push(format!("Comments: {c} (read them with get_note_comments)"));
        }
        lines.join("\n")
    }
}

/// A comment on a calendar note.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CommentView {
    /// The comment's id: pass it as `comment_stream_id` to edit it.
    pub comment_stream_id: i64,
    /// Author's name.
    pub author: String,
    /// Author's person id.
    pub author_person_id: Option<i64>,
    /// Text.
    pub text: String,
    /// Created, UTC (`YYYY-MM-DDTHH:MM:SS`).
    pub created_utc: Option<String>,
    /// Last edited, UTC.
    pub updated_utc: Option<String>,
    /// Created, for sorting and the text.
    #[serde(skip)]
    pub created: Option<NaiveDateTime>,
    /// Last edited, for the text.
    #[serde(skip)]
    pub updated: Option<NaiveDateTime>,
}

fn iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

impl CommentView {
    /// The view of a wire comment. Fails only without a stream id.
    pub fn new(c: &NoteComment) -> Result<Self, MissingField> {
        let author = [text(&c.first_name), text(&c.last_name)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Self {
            comment_stream_id: c.stream_id()?,
            author: if author.is_empty() {
                "Unknown".into()
            } else {
                author
            },
            author_person_id: c.commenter_person_id.val(),
            text: c.comment.get().cloned().unwrap_or_default(),
            created_utc: c.created().map(iso),
            updated_utc: c.updated().map(iso),
            created: c.created(),
            updated: c.updated(),
        })
    }

    /// `[12] Jordan Lee (2026-11-18 07:45 UTC): text`.
    pub fn line(&self) -> String {
        let when = self.updated.or(self.created).map_or_else(
            || UNKNOWN.to_string(),
            |t| t.format("%Y-%m-%d %H:%M").to_string(),
        );
        let edited = match (self.created, self.updated) {
            (Some(c), Some(u)) if c != u => ", edited",
            _ => "",
        };
        format!(
            "[{}] {} ({when} UTC{edited}):\n  {}",
            self.comment_stream_id, self.author, self.text
        )
    }
}

/// An availability entry.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AvailabilityView {
    /// Entry id.
    pub id: i64,
    /// First day, `YYYY-MM-DD` (null when unknown).
    pub start_date: Option<String>,
    /// Last day (inclusive), `YYYY-MM-DD` (null when unknown).
    pub end_date: Option<String>,
    /// `unavailable` (no training) or `limited` (only `available_sports`).
    pub status: String,
    /// Sports still possible when limited.
    pub available_sports: Vec<String>,
    /// Reason.
    pub reason: Option<String>,
    /// Details.
    pub description: Option<String>,
}

impl AvailabilityView {
    /// The view of a wire entry. Fails only without an id.
    pub fn new(a: &Availability) -> Result<Self, MissingField> {
        Ok(Self {
            id: a.id()?,
            start_date: a.start().map(ymd),
            end_date: a.end().map(ymd),
            status: if a.is_limited() {
                "limited"
            } else {
                "unavailable"
            }
            .into(),
            available_sports: if a.is_limited() {
                a.sports()
                    .iter()
                    .map(|id| AvailabilitySport::name_for_id(*id))
                    .collect()
            } else {
                Vec::new()
            },
            reason: text(&a.reason),
            description: text(&a.description),
        })
    }

    /// `[id] 2026-12-05 to 2026-12-11 — Limited (available: run, weights)` plus reason/details.
    pub fn summary(&self) -> String {
        let start = self.start_date.as_deref().unwrap_or(UNKNOWN);
        let end = self.end_date.as_deref().unwrap_or(UNKNOWN);
        let range = if start == end {
            start.to_string()
        } else {
            format!("{start} to {end}")
        };
        let status = if self.status == "limited" {
            if self.available_sports.is_empty() {
                "Limited (no sports listed)".to_string()
            } else {
                format!("Limited (available: {})", self.available_sports.join(", "))
            }
        } else {
            "Unavailable".to_string()
        };
        let mut lines = vec![format!("[{}] {range} — {status}", self.id)];
        if let Some(r) = &self.reason {
            lines.push(format!("  Reason: {r}"));
        }
        if let Some(d) = &self.description {
            lines.push(format!("  Details: {d}"));
        }
        lines.join("\n")
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
