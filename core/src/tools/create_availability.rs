//! `create_availability`: marks days as unavailable or limited.

use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::args::{AthleteId, Date, DateRange};
use super::shared::calendar::{
    AvailabilityOutput, AvailabilitySport, AvailabilityView, check_sports,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;
use crate::trainingpeaks::calendar::AvailabilitySpec;

/// The `create_availability` tool.
#[derive(Debug)]
pub struct CreateAvailability;

/// Arguments of `create_availability`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateAvailabilityArgs {
    /// First day, `YYYY-MM-DD`.
    pub start_date: Date,
    /// Last day (inclusive), `YYYY-MM-DD`. Default: `start_date` (a single day).
    #[serde(default)]
    pub end_date: Option<Date>,
    /// `true`: limited availability (only `available_sports` possible). `false`: unavailable,
    /// no training at all. Default: true when `available_sports` is given, else false.
    #[serde(default)]
    pub limited: Option<bool>,
    /// Sports still possible when limited, e.g. `["run", "weights"]` for a hotel-gym trip.
    #[serde(default)]
    pub available_sports: Option<Vec<AvailabilitySport>>,
    /// Reason, e.g. "Travel", "Injury", "Illness", "Work".
    #[serde(default)]
    pub reason: Option<String>,
    /// Details.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

impl TypedTool for CreateAvailability {
    type Args = CreateAvailabilityArgs;
    type Output = AvailabilityOutput;
    const NAME: &'static str = "create_availability";
    const DESCRIPTION: &'static str = "Mark a date range (YYYY-MM-DD, end inclusive, default one day) as unavailable (no \
         training: illness, injury, work) or limited (only some sports possible, e.g. travel \
         with running only: limited true, available_sports [\"run\"]). Optional reason and details.";
    const ANNOTATIONS: Annotations = Annotations::create("Create availability");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        if let Some(e) = a.end_date {
            DateRange::new(a.start_date, e)?;
        }
        check_sports(a.limited, &a.available_sports)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        let sports: Vec<i64> = a
            .available_sports
            .unwrap_or_default()
            .iter()
            .map(|s| s.type_id())
            .collect();
        let spec = AvailabilitySpec {
            start: a.start_date.0,
            end: a.end_date.unwrap_or(a.start_date).0,
            limited: a.limited.unwrap_or(!sports.is_empty()),
            sports,
            reason: a.reason,
            description: a.description,
        };
        let saved = AvailabilityView::new(&ctx.client.create_availability(aid, &spec).await?)
            .map_err(TpError::from)?;
        Ok((
            format!("Availability created:\n{}", saved.summary()),
            AvailabilityOutput {
                availability: saved,
            },
        ))
    }
}
