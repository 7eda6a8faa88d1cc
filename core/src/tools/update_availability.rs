//! `update_availability`: changes an availability entry (find, merge, full PUT).

use schemars::JsonSchema;
use serde::Deserialize;

use super::shared::args::{AthleteId, Date, DateRange};
use super::shared::calendar::{
    AvailabilityOutput, AvailabilitySport, AvailabilityView, check_sports, positive_id,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::TpError;
use crate::trainingpeaks::calendar::AvailabilityUpdate;

/// The `update_availability` tool.
#[derive(Debug)]
pub struct UpdateAvailability;

/// Arguments of `update_availability`. Only the fields given change.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateAvailabilityArgs {
    /// Availability entry id (from `get_availability` or `create_availability`).
    pub availability_id: i64,
    /// New first day, `YYYY-MM-DD`.
    #[serde(default)]
    pub start_date: Option<Date>,
    /// New last day (inclusive), `YYYY-MM-DD`.
    #[serde(default)]
    pub end_date: Option<Date>,
    /// `true`: limited (only `available_sports`); `false`: unavailable (clears the sports).
    #[serde(default)]
    pub limited: Option<bool>,
    /// New list of sports still possible (implies limited), e.g. `["run"]`.
    #[serde(default)]
    pub available_sports: Option<Vec<AvailabilitySport>>,
    /// New reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// New details.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

impl TypedTool for UpdateAvailability {
    type Args = UpdateAvailabilityArgs;
    type Output = AvailabilityOutput;
    const NAME: &'static str = "update_availability";
    const DESCRIPTION: &'static str = "Update an availability entry: dates (YYYY-MM-DD), limited vs unavailable, sports \
         still possible, reason, details. Fields not given keep their values (the entry is read, \
         merged and written back whole).";
    const ANNOTATIONS: Annotations = Annotations::update("Update availability");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        positive_id("availability_id", a.availability_id)?;
        if let (Some(s), Some(e)) = (a.start_date, a.end_date) {
            DateRange::new(s, e)?;
        }
        check_sports(a.limited, &a.available_sports)?;
        let nothing = a.start_date.is_none()
            && a.end_date.is_none()
            && a.limited.is_none()
            && a.available_sports.is_none()
            && a.reason.is_none()
            && a.description.is_none();
        if nothing {
            return Err(ToolError::invalid(
                "arguments",
                "nothing to update: give start_date, end_date, limited, available_sports, reason or description",
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        let sports: Option<Vec<i64>> = a
            .available_sports
            .as_ref()
            .map(|s| s.iter().map(|x| x.type_id()).collect());
        let limited = match (a.limited, &sports) {
            (None, Some(s)) if !s.is_empty() => Some(true),
            (l, _) => l,
        };
        let update = AvailabilityUpdate {
            start: a.start_date.map(|d| d.0),
            end: a.end_date.map(|d| d.0),
            limited,
            sports,
            reason: a.reason,
            description: a.description,
        };
        let saved = AvailabilityView::new(
            &ctx.client
                .update_availability(aid, a.availability_id, &update)
                .await?,
        )
        .map_err(TpError::from)?;
        Ok((
            format!("Availability updated:\n{}", saved.summary()),
            AvailabilityOutput {
                availability: saved,
            },
        ))
    }
}
