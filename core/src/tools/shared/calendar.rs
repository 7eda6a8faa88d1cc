//! Argument checks, enums and output views shared by the calendar tools (events, notes,
//! availability, goal lists), one file per section under `calendar_common/`. Each tool still
//! lives in its own file.

use chrono::NaiveDate;

use crate::tools::ToolError;

mod availability;
mod events;
mod notes;

pub use availability::{AvailabilityOutput, AvailabilitySport, AvailabilityView, check_sports};
pub use events::{DistanceUnits, EventType, EventView, Priority, check_event_numbers};
pub use notes::{CommentView, NoteView};

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

/// `YYYY-MM-DD`.
pub(crate) fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// What a view shows for a value it does not know.
pub const UNKNOWN: &str = "—";
