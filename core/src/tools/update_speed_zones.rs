//! `update_speed_zones`: set run threshold pace and/or swim CSS and rescale the pace zones.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::zone_views::{SpeedSetOut, speed_lines, speed_set};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::settings::{ZoneKind, ZoneSet};
use crate::zones::{PaceUnit, parse_pace, scale_speed_zones};

/// The tool.
pub struct UpdateSpeedZones;

/// Arguments of `update_speed_zones`. Give at least one pace.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateSpeedZonesArgs {
    /// Run threshold pace per km, `M:SS` or `M:SS/km` (seconds two digits), e.g. "4:30" or
    /// "4:30/km". Between 2:00 and 20:00.
    #[serde(default)]
    pub run_threshold_pace: Option<String>,
    /// Swim threshold pace (CSS) per 100 m, `M:SS` or `M:SS/100m`, e.g. "1:45/100m".
    /// Between 0:45 and 6:00.
    #[serde(default)]
    pub swim_threshold_pace: Option<String>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `update_speed_zones`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UpdateSpeedZonesOutput {
    /// The speed sets changed, with their new zones.
    pub updated_sets: Vec<SpeedSetOut>,
}

impl TypedTool for UpdateSpeedZones {
    type Args = UpdateSpeedZonesArgs;
    type Output = UpdateSpeedZonesOutput;
    const NAME: &'static str = "update_speed_zones";
    const DESCRIPTION: &'static str = "Update the run threshold pace (M:SS per km, e.g. \"4:30\" or \"4:30/km\") \
        and/or swim threshold pace / CSS (M:SS per 100 m, e.g. \"1:45/100m\") and rescale the pace zones by \
        new/old threshold speed (the top zone stays open-ended). Seconds must be two digits. Give at least one.";
    const ANNOTATIONS: Annotations = Annotations::update("Update pace zones");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        if args.run_threshold_pace.is_none() && args.swim_threshold_pace.is_none() {
            return Err(ToolError::invalid(
                "run_threshold_pace",
                "Provide at least one of: run_threshold_pace (e.g. \"4:30/km\"), swim_threshold_pace (e.g. \"1:45/100m\").",
            ));
        }
        parsed(
            "run_threshold_pace",
            &args.run_threshold_pace,
            PaceUnit::PerKm,
        )?;
        parsed(
            "swim_threshold_pace",
            &args.swim_threshold_pace,
            PaceUnit::Per100m,
        )?;
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let run = parsed(
            "run_threshold_pace",
            &args.run_threshold_pace,
            PaceUnit::PerKm,
        )?;
        let swim = parsed(
            "swim_threshold_pace",
            &args.swim_threshold_pace,
            PaceUnit::Per100m,
        )?;
        let aid = args.athlete_id.resolve(ctx).await?;
        let settings = ctx.client.athlete_settings(aid).await?;
        let mut sets = settings.zone_sets(ZoneKind::Speed).to_vec();
        let mut updated = Vec::new();
        for (speed, ids, what) in [(run, &RUN_SETS[..], "run"), (swim, &SWIM_SETS[..], "swim")] {
            let Some(speed) = speed else { continue };
            let mut hit = false;
            for set in sets.iter_mut() {
                let Some(id) = set.type_id().filter(|id| ids.contains(id)) else {
                    continue;
                };
                let zones =
                    scale_speed_zones(set.threshold(), &set.read_zones(), speed).map_err(|e| {
                        ToolError::Failed(format!(
                            "The {what} speed zone set {id} cannot be rescaled: {e}"
                        ))
                    })?;
                ZoneSet::set(&mut set.threshold, speed);
                set.write_zones(&zones);
                updated.push(speed_set(set));
                hit = true;
            }
            if !hit {
                return Err(ToolError::Failed(format!(
                    "Athlete {aid} has no {what} speed zone set (workoutTypeId {}); create pace zones in \
                     TrainingPeaks first. Nothing was changed.",
                    ids.first().copied().unwrap_or(0)
                )));
            }
        }
        ctx.client
            .put_zone_sets(aid, ZoneKind::Speed, &settings, &sets)
            .await?;
        let mut text = String::from("Pace zones updated.");
        for s in &updated {
            let name = match s.workout_type_id {
                1 => "Swim",
                3 => "Run (run set)",
                _ => "Run",
            };
            text.push_str(&format!(
                "\n{name}: threshold {}\n",
                s.threshold.clone().unwrap_or_default()
            ));
            text.push_str(&speed_lines(s).join("\n"));
        }
        Ok((
            text,
            UpdateSpeedZonesOutput {
                updated_sets: updated,
            },
        ))
    }
}

/// Run paces go to the default set 0 (what the reference writes) and to a run-specific set 3
/// when the athlete has one: EX reads the run threshold from set 3 and rewrites set 0 too
/// (spec §8.1), so updating both keeps them from disagreeing.
const RUN_SETS: [i64; 2] = [0, 3];

/// Swim paces go to set 1 (swim).
const SWIM_SETS: [i64; 1] = [1];

fn parsed(
    field: &'static str,
    text: &Option<String>,
    unit: PaceUnit,
) -> Result<Option<f64>, ToolError> {
    text.as_deref()
        .map(|t| parse_pace(t, unit).map_err(|e| ToolError::invalid(field, e.to_string())))
        .transpose()
}
