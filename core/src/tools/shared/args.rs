//! Argument types shared by many tools: the athlete a call acts on, validated dates and date
//! ranges, and the sport enum. Each is declared once, with its one schema description.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::tools::{ToolContext, ToolError};
use crate::trainingpeaks::TpError;

/// A calendar date written `YYYY-MM-DD`. Anything else is rejected while parsing arguments,
/// with the argument's name in the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Parses `YYYY-MM-DD` strictly (exactly ten characters, a real calendar date).
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok_shape = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !ok_shape {
            return Err(format!(
                "`{s}` is not a date; use YYYY-MM-DD, e.g. 2026-11-21"
            ));
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| {
                format!("`{s}` is not a real calendar date; use YYYY-MM-DD, e.g. 2026-11-21")
            })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^\\d{4}-\\d{2}-\\d{2}$",
            "description": "A date, YYYY-MM-DD"
        })
    }
}

/// What every `athlete_id` argument says, in every tool.
const ATHLETE_ID_DESCRIPTION: &str =
    "Coaches: the athlete (from `list_athletes`); omit for your own.";

/// The optional `athlete_id` argument: the athlete a call acts on, `None` for the signed-in
/// user's own. A tool declares it as `#[serde(default)] pub athlete_id: AthleteId` with no
/// doc comment, so every tool publishes the same description (a field's doc comment would
/// replace it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AthleteId(pub Option<i64>);

impl AthleteId {
    /// The athlete id to use: the one given, or the signed-in user's own (see
    /// [`TpClient::athlete_id`](crate::trainingpeaks::TpClient::athlete_id)).
    pub async fn resolve(self, ctx: &ToolContext) -> Result<i64, TpError> {
        ctx.client.athlete_id(self.0).await
    }
}

impl JsonSchema for AthleteId {
    fn schema_name() -> Cow<'static, str> {
        "AthleteId".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": ATHLETE_ID_DESCRIPTION,
            "type": ["integer", "null"],
            "format": "int64"
        })
    }
}

/// What every required `start_date` argument says: `#[schemars(description = START_DATE)]`.
pub const START_DATE: &str = "First day, `YYYY-MM-DD` (inclusive), e.g. \"2026-11-01\".";
/// What every required `end_date` argument says: `#[schemars(description = END_DATE)]`.
pub const END_DATE: &str = "Last day, `YYYY-MM-DD` (inclusive), on or after `start_date`.";

/// A checked date range: `start_date` to `end_date`, both inclusive, the end not before the
/// start. The arguments stay two plain [`Date`] fields (with the [`START_DATE`] and
/// [`END_DATE`] descriptions) rather than one flattened struct, because serde loses the path
/// of an error inside a flattened struct (`arguments` instead of `start_date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// First day.
    pub start: Date,
    /// Last day (inclusive).
    pub end: Date,
}

impl DateRange {
    /// The range `start..=end`; an end before the start is an error naming `end_date`.
    pub fn new(start: Date, end: Date) -> Result<Self, ToolError> {
        check_range(start, end, "end_date")?;
        Ok(Self { start, end })
    }

    /// Limits the range to `max_days` between its ends (`span` says it in words, e.g. "ten
    /// years"); a longer one is an error naming `end_date`.
    pub fn at_most(self, max_days: i64, span: &str) -> Result<Self, ToolError> {
        if (self.end.0 - self.start.0).num_days() > max_days {
            return Err(ToolError::invalid(
                "end_date",
                format!("the range may span at most {span}; narrow it"),
            ));
        }
        Ok(self)
    }
}

/// Checks that `end` is not before `start`, naming `end_field` if it is.
pub fn check_range(start: Date, end: Date, end_field: &str) -> Result<(), ToolError> {
    if end < start {
        return Err(ToolError::invalid(
            end_field,
            format!(
                "{end} is before the start date {start}; the end date must be on or after the start"
            ),
        ));
    }
    Ok(())
}

/// The sport of a workout, as the reference server's `SPORT_ENUM` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sport {
    /// Swim (workoutTypeValueId 1).
    Swim,
    /// Bike (2).
    Bike,
    /// Run (3).
    Run,
    /// Brick (4).
    Brick,
    /// Crosstrain (5).
    Crosstrain,
    /// Race (6).
    Race,
    /// Day off / note (7).
    Note,
    /// Mountain bike (8).
    Mtb,
    /// Strength, legacy (9).
    Weights,
    /// Custom (10).
    Custom,
    /// XC-ski (11).
    Ski,
    /// Rowing (12).
    Rowing,
    /// Walk (13).
    Walk,
    /// Strength+ (29).
    StrengthPlus,
    /// Other (100).
    Other,
}

impl Sport {
    /// Every sport, in `workoutTypeValueId` order.
    pub const ALL: [Sport; 15] = [
        Sport::Swim,
        Sport::Bike,
        Sport::Run,
        Sport::Brick,
        Sport::Crosstrain,
        Sport::Race,
        Sport::Note,
        Sport::Mtb,
        Sport::Weights,
        Sport::Custom,
        Sport::Ski,
        Sport::Rowing,
        Sport::Walk,
        Sport::StrengthPlus,
        Sport::Other,
    ];

    /// The TrainingPeaks `workoutTypeValueId` (spec §4).
    pub fn type_id(self) -> i64 {
        match self {
            Sport::Swim => 1,
            Sport::Bike => 2,
            Sport::Run => 3,
            Sport::Brick => 4,
            Sport::Crosstrain => 5,
            Sport::Race => 6,
            Sport::Note => 7,
            Sport::Mtb => 8,
            Sport::Weights => 9,
            Sport::Custom => 10,
            Sport::Ski => 11,
            Sport::Rowing => 12,
            Sport::Walk => 13,
            Sport::StrengthPlus => 29,
            Sport::Other => 100,
        }
    }

    /// The sport for a `workoutTypeValueId`.
    pub fn from_type_id(id: i64) -> Option<Sport> {
        Sport::ALL.into_iter().find(|s| s.type_id() == id)
    }

    /// The display name TrainingPeaks uses.
    pub fn label(self) -> &'static str {
        match self {
            Sport::Swim => "Swim",
            Sport::Bike => "Bike",
            Sport::Run => "Run",
            Sport::Brick => "Brick",
            Sport::Crosstrain => "Crosstrain",
            Sport::Race => "Race",
            Sport::Note => "Day Off",
            Sport::Mtb => "Mountain Bike",
            Sport::Weights => "Strength",
            Sport::Custom => "Custom",
            Sport::Ski => "XC-Ski",
            Sport::Rowing => "Rowing",
            Sport::Walk => "Walk",
            Sport::StrengthPlus => "Strength+",
            Sport::Other => "Other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let cases = [
            ("plain", "2026-11-21", true),
            ("leap day", "2024-02-29", true),
            ("not leap", "2025-02-29", false),
            ("slashes", "2026/11/21", false),
            ("short", "2026-1-21", false),
            ("datetime", "2026-11-21T00:00:00", false),
            ("empty", "", false),
        ];
        for (name, s, ok) in cases {
            assert_eq!(Date::parse(s).is_ok(), ok, "{name}");
        }
    }

    #[test]
    fn a_date_range_checks_order_and_span_naming_end_date() {
        let d = |s: &str| Date::parse(s).expect("date");
        let one_day = DateRange::new(d("2026-03-01"), d("2026-03-01"));
        assert_eq!(
            one_day.map(|r| (r.start, r.end)),
            Ok((d("2026-03-01"), d("2026-03-01")))
        );
        let field = |r: Result<DateRange, ToolError>| match r {
            Err(ToolError::InvalidArgs { field, message }) => (field, message),
            other => panic!("expected InvalidArgs, got {other:?}"),
        };
        let (f, m) = field(DateRange::new(d("2026-03-02"), d("2026-03-01")));
        assert_eq!(f, "end_date");
        assert!(m.contains("before the start date 2026-03-02"), "{m}");
        let year = DateRange::new(d("2025-03-01"), d("2026-03-01")).expect("in order");
        assert_eq!(year.at_most(365, "a year"), Ok(year));
        let (f, m) = field(year.at_most(364, "a year"));
        assert_eq!(f, "end_date");
        assert_eq!(m, "the range may span at most a year; narrow it");
    }

    #[test]
    fn sport_ids_round_trip() {
        for s in Sport::ALL {
            assert_eq!(Sport::from_type_id(s.type_id()), Some(s));
        }
    }
}
