//! `update_sport_settings`: changes FTP, LTHR, max HR, threshold pace or zones of one sport
//! (`PUT /api/v1/athlete/{id}/sport-settings/{sport}?recalcHrZones=…` with only the fields
//! given). Past activities are not recomputed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId, PlannedRequest};
use super::get_athlete_profile::{SportSettingsView, settings_line, settings_view};
use crate::intervals::athlete::SportSettingsUpdate;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `update_sport_settings`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateSportSettingsArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// The sport whose settings change: Ride, Run, Swim, … (default Ride).
    #[serde(default)]
    pub sport: Option<String>,
    /// FTP, watts.
    #[serde(default)]
    pub ftp: Option<i64>,
    /// Indoor FTP, watts.
    #[serde(default)]
    pub indoor_ftp: Option<i64>,
    /// Threshold heart rate, bpm.
    #[serde(default)]
    pub lthr: Option<i64>,
    /// Maximum heart rate, bpm.
    #[serde(default)]
    pub max_hr: Option<i64>,
    /// Threshold pace in metres per second (4:00/km = 4.167 m/s).
    #[serde(default)]
    pub threshold_pace: Option<f64>,
    /// Power zone tops, percent of FTP, ascending (e.g. [55, 75, 90, 105, 120, 150, 999]).
    #[serde(default)]
    pub power_zones: Option<Vec<i64>>,
    /// Heart-rate zone tops, bpm, ascending.
    #[serde(default)]
    pub hr_zones: Option<Vec<i64>>,
    /// Pace zone tops, percent of threshold pace, ascending.
    #[serde(default)]
    pub pace_zones: Option<Vec<f64>>,
    /// Let Intervals.icu derive HR zones from the new LTHR / max HR (default false).
    #[serde(default)]
    pub recalc_hr_zones: bool,
    /// Return the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of `update_sport_settings`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UpdateSportSettingsOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent).
    pub request: PlannedRequest,
    /// The settings as stored (not on a dry run).
    pub settings: Option<SportSettingsView>,
}

/// The tool.
pub struct UpdateSportSettings;

fn update(a: &UpdateSportSettingsArgs) -> SportSettingsUpdate {
    SportSettingsUpdate {
        ftp: a.ftp,
        indoor_ftp: a.indoor_ftp,
        lthr: a.lthr,
        max_hr: a.max_hr,
        threshold_pace: a.threshold_pace,
        power_zones: a.power_zones.clone(),
        hr_zones: a.hr_zones.clone(),
        pace_zones: a.pace_zones.clone(),
    }
}

impl TypedTool for UpdateSportSettings {
    type Args = UpdateSportSettingsArgs;
    type Output = UpdateSportSettingsOutput;
    const NAME: &'static str = "update_sport_settings";
    const DESCRIPTION: &'static str = "Change one sport's Intervals.icu settings (default Ride): \
        FTP, indoor FTP, LTHR, max HR, threshold pace (m/s) and zone tops. Only the fields \
        given change; past activities are not recomputed. recalc_hr_zones=true lets \
        Intervals.icu derive HR zones. dry_run=true returns the request without sending it.";
    const ANNOTATIONS: Annotations = Annotations::update("Update Intervals.icu sport settings");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        if let Some(s) = &args.sport {
            common::check_path_id("sport", s)?;
        }
        update(args).body().map(drop).map_err(ToolError::Icu)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let sport = args.sport.clone().unwrap_or_else(|| "Ride".into());
        let u = update(&args);
        let (athlete, s, u, recalc) = (
            args.athlete_id.get(),
            sport.as_str(),
            &u,
            args.recalc_hr_zones,
        );
        let request = common::plan(icu, |c| async move {
            c.update_sport_settings(athlete, s, u, recalc).await
        })
        .await?;
        if args.dry_run {
            return Ok((
                common::dry_run_text(&format!("update the {sport} settings"), &request),
                UpdateSportSettingsOutput {
                    dry_run: true,
                    request,
                    settings: None,
                },
            ));
        }
        let stored = settings_view(&icu.update_sport_settings(athlete, s, u, recalc).await?);
        Ok((
            format!("Updated {sport} settings. {}", settings_line(&stored)),
            UpdateSportSettingsOutput {
                dry_run: false,
                request,
                settings: Some(stored),
            },
        ))
    }
}
