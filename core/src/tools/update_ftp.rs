//! `update_ftp`: set a new FTP and rewrite the power zones (Coggan, watts).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::zone_views::{PowerZoneOut, num, power_lines, power_set};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::settings::{ZoneKind, ZoneSet};
use crate::zones::{ZoneError, coggan_power_zones};

/// The tool.
pub struct UpdateFtp;

/// Arguments of `update_ftp`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateFtpArgs {
    /// New functional threshold power in **watts** (1–1000), e.g. 265.
    pub ftp: f64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `update_ftp`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UpdateFtpOutput {
    /// The new FTP, watts.
    pub ftp_w: f64,
    /// The FTP before, watts (null if unset).
    pub previous_ftp_w: Option<f64>,
    /// Sport ids of the power sets rewritten (0 = default; 2 = bike if it has its own set).
    pub updated_sets: Vec<i64>,
    /// The new zones in watts and % of FTP.
    pub zones: Vec<PowerZoneOut>,
}

impl TypedTool for UpdateFtp {
    type Args = UpdateFtpArgs;
    type Output = UpdateFtpOutput;
    const NAME: &'static str = "update_ftp";
    const DESCRIPTION: &'static str = "Set the athlete's FTP (functional threshold power, watts) and rewrite the \
        power zones with the Coggan model in watts: Z1 0–55 %, Z2 56–75 %, Z3 76–90 %, Z4 91–105 %, Z5 above \
        (open-ended). Updates the default power zone set and the bike set if one exists; other sets are sent \
        back unchanged. TrainingPeaks does not recompute zones itself, so this tool does.";
    const ANNOTATIONS: Annotations = Annotations::update("Update FTP and power zones");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        coggan_power_zones(args.ftp).map(|_| ()).map_err(ftp_error)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let zones = coggan_power_zones(args.ftp).map_err(ftp_error)?;
        let aid = args.athlete_id.resolve(ctx).await?;
        let settings = ctx.client.athlete_settings(aid).await?;
        let mut sets = settings.zone_sets(ZoneKind::Power).to_vec();
        let previous = sets
            .iter()
            .find(|s| s.type_id() == Some(0))
            .map(ZoneSet::threshold)
            .filter(|t| *t > 0.0);
        let mut updated = Vec::new();
        for set in sets.iter_mut() {
            let Some(id) = set.type_id().filter(|id| FTP_SETS.contains(id)) else {
                continue;
            };
            ZoneSet::set(&mut set.threshold, args.ftp);
            set.write_zones(&zones);
            updated.push(id);
        }
        if updated.is_empty() {
            // Nothing would change: refuse rather than PUT (the reference PUT anyway, then failed).
            return Err(ToolError::Failed(format!(
                "Athlete {aid} has no default power zone set (workoutTypeId 0) to update; create power \
                 zones in TrainingPeaks (Settings → Zones) first."
            )));
        }
        ctx.client
            .put_zone_sets(aid, ZoneKind::Power, &settings, &sets)
            .await?;
        let view = sets
            .iter()
            .find(|s| s.type_id() == updated.first().copied())
            .map(power_set)
            .map(|s| (power_lines(&s), s.zones))
            .unwrap_or_default();
        let mut text = match previous {
            Some(p) => format!("FTP updated from {} W to {} W.", num(p), num(args.ftp)),
            None => format!("FTP set to {} W.", num(args.ftp)),
        };
        text.push_str("\nPower zones (Coggan):\n");
        text.push_str(&view.0.join("\n"));
        Ok((
            text,
            UpdateFtpOutput {
                ftp_w: args.ftp,
                previous_ftp_w: previous,
                updated_sets: updated,
                zones: view.1,
            },
        ))
    }
}

/// Sets rewritten: the default set and a bike-specific set if there is one.
///
/// The reference rewrites only set 0. A bike-specific set (sport id 2) is what TrainingPeaks
/// uses for rides when it exists (spec §8.1: 0 is the fallback), so leaving it on the old FTP
/// would keep every ride on stale zones; we rewrite both.
const FTP_SETS: [i64; 2] = [0, 2];

fn ftp_error(e: ZoneError) -> ToolError {
    ToolError::invalid("ftp", format!("{e} (watts, e.g. 265)"))
}
