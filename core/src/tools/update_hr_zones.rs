//! `update_hr_zones`: set threshold / max / resting heart rate and rescale the HR zones.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::zone_views::{HrZoneOut, hr_lines, hr_set, num};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::settings::{ZoneKind, ZoneSet};
use crate::zones::{HR_MAX_BPM, HR_MIN_BPM, HrUpdate, HrZoneSet, ZoneError, update_hr_zones};

/// The tool.
pub struct UpdateHrZones;

/// Arguments of `update_hr_zones`. Give at least one of the three heart rates.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateHrZonesArgs {
    /// New lactate-threshold heart rate in **bpm** (20–249), e.g. 172. Rescales every zone.
    #[serde(default)]
    pub threshold_hr: Option<f64>,
    /// New maximum heart rate in **bpm** (20–249), e.g. 191. The top zone ends here.
    #[serde(default)]
    pub max_hr: Option<f64>,
    /// New resting heart rate in **bpm** (20–249), e.g. 46. Zones are not changed by it.
    #[serde(default)]
    pub resting_hr: Option<f64>,
    /// Which set: `general` (default, workoutTypeId 0), `bike` (2) or `run` (3).
    #[serde(default)]
    pub workout_type: HrWorkoutType,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `update_hr_zones`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UpdateHrZonesOutput {
    /// Sport id of the set changed.
    pub workout_type_id: i64,
    /// Threshold heart rate now, bpm.
    pub threshold_bpm: f64,
    /// Maximum heart rate now, bpm.
    pub max_hr_bpm: f64,
    /// Resting heart rate now, bpm.
    pub resting_hr_bpm: f64,
    /// Whether the zone bounds changed (false when only resting HR was given, or the set had
    /// no threshold to scale from).
    pub zones_rescaled: bool,
    /// The zones now.
    pub zones: Vec<HrZoneOut>,
}

impl TypedTool for UpdateHrZones {
    type Args = UpdateHrZonesArgs;
    type Output = UpdateHrZonesOutput;
    const NAME: &'static str = "update_hr_zones";
    const DESCRIPTION: &'static str = "Update threshold, maximum and/or resting heart rate (bpm) and rescale the \
        heart-rate zones: a new threshold scales every zone bound by new/old threshold (rounded) and the top zone \
        ends at max HR; a new max HR moves only the top zone's end; resting HR changes no zone. \
        workout_type picks the set: general (default), bike or run. Give at least one heart rate.";
    const ANNOTATIONS: Annotations = Annotations::update("Update heart-rate zones");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        let upd = update_of(args);
        if upd.is_empty() {
            return Err(ToolError::invalid(
                "threshold_hr",
                "Provide at least one of: threshold_hr, max_hr, resting_hr (bpm).",
            ));
        }
        for (field, v) in [
            ("threshold_hr", args.threshold_hr),
            ("max_hr", args.max_hr),
            ("resting_hr", args.resting_hr),
        ] {
            if let Some(v) = v
                && !(v.is_finite() && (HR_MIN_BPM..=HR_MAX_BPM).contains(&v))
            {
                return Err(ToolError::invalid(
                    field,
                    format!(
                        "{v} bpm is out of range; use a heart rate from {HR_MIN_BPM} to {HR_MAX_BPM} bpm"
                    ),
                ));
            }
        }
        if let (Some(t), Some(m)) = (args.threshold_hr, args.max_hr)
            && t > m
        {
            return Err(ToolError::invalid(
                "threshold_hr",
                format!("{t} bpm is above max_hr {m} bpm"),
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let settings = ctx.client.athlete_settings(aid).await?;
        let mut sets = settings.zone_sets(ZoneKind::HeartRate).to_vec();
        let target = args.workout_type.set_id();
        let Some(set) = sets.iter_mut().find(|s| s.type_id() == Some(target)) else {
            return Err(ToolError::Failed(format!(
                "Athlete {aid} has no {} heart-rate zone set (workoutTypeId {target}); use workout_type \
                 \"general\" or create the set in TrainingPeaks first.",
                args.workout_type.label()
            )));
        };
        let old = HrZoneSet {
            threshold: set.threshold(),
            max_hr: ZoneSet::value(&set.maximum_heart_rate),
            resting_hr: ZoneSet::value(&set.resting_heart_rate),
            zones: set.read_zones(),
        };
        let new = update_hr_zones(&old, &update_of(&args)).map_err(|e| match e {
            ZoneError::NoZones => ToolError::Failed(format!(
                "The {} heart-rate zone set has no zones to rescale; set zones in TrainingPeaks first.",
                args.workout_type.label()
            )),
            other => ToolError::invalid(blame(&args), other.to_string()),
        })?;
        ZoneSet::set(&mut set.threshold, new.threshold);
        ZoneSet::set(&mut set.maximum_heart_rate, new.max_hr);
        ZoneSet::set(&mut set.resting_heart_rate, new.resting_hr);
        set.write_zones(&new.zones);
        let view = hr_set(set);
        // Every HR set goes back, each with currentUserId (spec §8.1).
        ctx.client
            .put_zone_sets(aid, ZoneKind::HeartRate, &settings, &sets)
            .await?;
        let rescaled = new.zones != old.zones;
        let mut text = format!(
            "Heart-rate zones ({}) updated: threshold {} bpm, max {} bpm, resting {} bpm.",
            args.workout_type.label(),
            num(new.threshold),
            num(new.max_hr),
            num(new.resting_hr)
        );
        if !rescaled {
            text.push_str(" Zone bounds unchanged.");
        }
        text.push('\n');
        text.push_str(&hr_lines(&view).join("\n"));
        Ok((
            text,
            UpdateHrZonesOutput {
                workout_type_id: target,
                threshold_bpm: new.threshold,
                max_hr_bpm: new.max_hr,
                resting_hr_bpm: new.resting_hr,
                zones_rescaled: rescaled,
                zones: view.zones,
            },
        ))
    }
}

/// Which heart-rate zone set to change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HrWorkoutType {
    /// The general (default) set, workoutTypeId 0.
    #[default]
    General,
    /// The bike set, workoutTypeId 2.
    Bike,
    /// The run set, workoutTypeId 3 (only if the athlete has one).
    Run,
}

impl HrWorkoutType {
    fn set_id(self) -> i64 {
        match self {
            HrWorkoutType::General => 0,
            HrWorkoutType::Bike => 2,
            HrWorkoutType::Run => 3,
        }
    }

    fn label(self) -> &'static str {
        match self {
            HrWorkoutType::General => "General",
            HrWorkoutType::Bike => "Bike",
            HrWorkoutType::Run => "Run",
        }
    }
}

fn update_of(args: &UpdateHrZonesArgs) -> HrUpdate {
    HrUpdate {
        threshold: args.threshold_hr,
        max_hr: args.max_hr,
        resting_hr: args.resting_hr,
    }
}

/// The argument a merged-value error is about: the first one given.
fn blame(args: &UpdateHrZonesArgs) -> &'static str {
    if args.threshold_hr.is_some() {
        "threshold_hr"
    } else if args.max_hr.is_some() {
        "max_hr"
    } else {
        "resting_hr"
    }
}
