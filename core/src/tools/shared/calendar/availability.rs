//! Availability: the sport argument and the entry view.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{UNKNOWN, ymd};
use crate::tools::ToolError;
use crate::trainingpeaks::calendar::{Availability, text};
use crate::wire::MissingField;

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

/// Result of `create_availability` and `update_availability`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AvailabilityOutput {
    /// The entry as saved.
    pub availability: AvailabilityView,
}

/// Rejects sports given together with an explicit `limited: false`.
pub fn check_sports(
    limited: Option<bool>,
    sports: &Option<Vec<AvailabilitySport>>,
) -> Result<(), ToolError> {
    if limited == Some(false) && sports.as_ref().is_some_and(|s| !s.is_empty()) {
        return Err(ToolError::invalid(
            "available_sports",
            "only applies to limited availability; set limited: true, or drop available_sports \
             to mark the days fully unavailable",
        ));
    }
    Ok(())
}
