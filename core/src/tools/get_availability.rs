//! `get_availability`: unavailable and limited-availability periods in a date range.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date, DateRange, END_DATE, START_DATE};
use super::shared::calendar::AvailabilityView;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The `get_availability` tool.
#[derive(Debug)]
pub struct GetAvailability;

/// Arguments of `get_availability`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetAvailabilityArgs {
    #[schemars(description = START_DATE)]
    pub start_date: Date,
    #[schemars(description = END_DATE)]
    pub end_date: Date,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_availability`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetAvailabilityOutput {
    /// First day searched.
    pub start_date: String,
    /// Last day searched.
    pub end_date: String,
    /// Number of entries.
    pub count: usize,
    /// Entries overlapping the range, by start date.
    pub entries: Vec<AvailabilityView>,
}

impl TypedTool for GetAvailability {
    type Args = GetAvailabilityArgs;
    type Output = GetAvailabilityOutput;
    const NAME: &'static str = "get_availability";
    const DESCRIPTION: &'static str = "List availability entries overlapping a date range (YYYY-MM-DD): periods the athlete \
         is unavailable (no training) or has limited availability (only the listed sports), \
         with reason and details. Use the ids with update_availability / delete_availability.";
    const ANNOTATIONS: Annotations = Annotations::read("Get availability");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        DateRange::new(a.start_date, a.end_date).map(drop)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        let mut raw = ctx
            .client
            .availability(aid, a.start_date.0, a.end_date.0)
            .await?;
        // Entries without a readable start sort last; one without an id is left out.
        raw.sort_by_key(|x| (x.start().is_none(), x.start(), x.id().ok()));
        let entries: Vec<AvailabilityView> = raw
            .iter()
            .filter_map(|x| AvailabilityView::new(x).ok())
            .collect();
        let text = if entries.is_empty() {
            format!(
                "No availability entries between {} and {}: the athlete is available.",
                a.start_date, a.end_date
            )
        } else {
            let lines: Vec<String> = entries.iter().map(AvailabilityView::summary).collect();
            format!(
                "{} availability entr{} between {} and {}:\n{}",
                entries.len(),
                if entries.len() == 1 { "y" } else { "ies" },
                a.start_date,
                a.end_date,
                lines.join("\n")
            )
        };
        Ok((
            text,
            GetAvailabilityOutput {
                start_date: a.start_date.to_string(),
                end_date: a.end_date.to_string(),
                count: entries.len(),
                entries,
            },
        ))
    }
}
