//! `get_athlete_settings`: thresholds, every zone set, profile and nutrition.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::zone_views::{
    HrSetOut, PowerSetOut, SpeedSetOut, hr_lines, hr_set, num, power_lines, power_set, speed_lines,
    speed_set,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::settings::{AthleteSettings, ZoneKind, text};

/// The tool.
pub struct GetAthleteSettings;

/// Arguments of `get_athlete_settings`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetAthleteSettingsArgs {
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_athlete_settings`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetAthleteSettingsOutput {
    /// Main thresholds.
    pub thresholds: Thresholds,
    /// Power zone sets (watts and % of FTP).
    pub power_zone_sets: Vec<PowerSetOut>,
    /// Heart-rate zone sets (bpm).
    pub hr_zone_sets: Vec<HrSetOut>,
    /// Speed zone sets (m/s with paces).
    pub speed_zone_sets: Vec<SpeedSetOut>,
    /// Profile.
    pub profile: Profile,
    /// Planned daily calories, kcal.
    pub planned_calories: Option<f64>,
}

impl TypedTool for GetAthleteSettings {
    type Args = GetAthleteSettingsArgs;
    type Output = GetAthleteSettingsOutput;
    const NAME: &'static str = "get_athlete_settings";
    const DESCRIPTION: &'static str = "Get the athlete's thresholds and training zones: FTP (watts) with power \
        zones in watts and % of FTP, threshold/max/resting heart rate with HR zones (bpm), run threshold pace \
        (M:SS/km) and swim CSS (M:SS/100m) with pace zones, bike speed zones (km/h), plus profile (time zone, \
        units, age) and planned daily calories. Zone sets are per sport (workoutTypeId; 0 = default set).";
    const ANNOTATIONS: Annotations = Annotations::read("Get athlete settings and zones");

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let settings = ctx.client.athlete_settings(aid).await?;
        Ok(render(&settings))
    }
}

/// The main thresholds: the default sets', else the sport's own (all sets are listed below).
// TrainingPeaks uses set 0 for every sport without its own set, but an account may keep its
// numbers only in sport sets (a bike power set, a run speed set 3): those are the athlete's
// thresholds all the same.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Thresholds {
    /// FTP, watts (power set 0, else the bike set, else the first set with one).
    pub ftp_w: Option<f64>,
    /// Threshold heart rate, bpm (HR set 0, else the first set with one).
    pub threshold_hr_bpm: Option<f64>,
    /// Maximum heart rate, bpm (as the threshold).
    pub max_hr_bpm: Option<f64>,
    /// Resting heart rate, bpm (as the threshold).
    pub resting_hr_bpm: Option<f64>,
    /// Numbers not from a default set, and whose they are (`FTP from the Bike set`).
    pub from_sport_sets: Vec<String>,
    /// Run threshold pace, `M:SS/km` (speed set 0, else the run set 3).
    pub run_threshold_pace: Option<String>,
    /// Run threshold speed, m/s.
    pub run_threshold_mps: Option<f64>,
    /// Swim threshold pace (CSS), `M:SS/100m` (speed set 1).
    pub swim_threshold_pace: Option<String>,
    /// Swim threshold speed, m/s.
    pub swim_threshold_mps: Option<f64>,
}

/// Profile fields.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Profile {
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// TrainingPeaks' units code as sent (see `units`).
    pub units_code: Option<i64>,
    /// "imperial" when the code is 1, else "metric" (the reference's reading; the API spec
    /// lists this coding as unresolved, so the raw code is shown too).
    pub units: Option<String>,
    /// Age, years.
    pub age: Option<i64>,
    /// Gender as stored.
    pub gender: Option<String>,
}

fn pos(x: f64) -> Option<f64> {
    (x > 0.0).then_some(x)
}

/// The first set, by sport id in `order`, then in list order, whose `value` is positive.
fn pick<'a, S>(
    sets: &'a [S],
    order: &[i64],
    id: impl Fn(&S) -> i64,
    value: impl Fn(&S) -> f64,
) -> Option<&'a S> {
    let usable = |s: &&S| value(s) > 0.0;
    order
        .iter()
        .find_map(|want| sets.iter().filter(usable).find(|s| id(s) == *want))
        .or_else(|| sets.iter().find(usable))
}

fn sport_name(kind: ZoneKind, id: i64) -> String {
    match (kind, id) {
        (ZoneKind::HeartRate, 0) => "General".into(),
        (ZoneKind::Speed, 0) => "Default (run)".into(),
        (_, 0) => "Default".into(),
        (_, id) => crate::tools::shared::args::Sport::from_type_id(id)
            .map_or_else(|| format!("Sport {id}"), |s| s.label().into()),
    }
}

fn render(settings: &AthleteSettings) -> (String, GetAthleteSettingsOutput) {
    let power: Vec<PowerSetOut> = settings
        .zone_sets(ZoneKind::Power)
        .iter()
        .map(power_set)
        .collect();
    let hr: Vec<HrSetOut> = settings
        .zone_sets(ZoneKind::HeartRate)
        .iter()
        .map(hr_set)
        .collect();
    let speed: Vec<SpeedSetOut> = settings
        .zone_sets(ZoneKind::Speed)
        .iter()
        .map(speed_set)
        .collect();
    let mut from_sport_sets = Vec::new();
    let mut note = |what: &str, kind: ZoneKind, id: i64| {
        if id != 0 {
            from_sport_sets.push(format!("{what} from the {} set", sport_name(kind, id)));
        }
    };
    let p0 = pick(&power, &[0, 2], |s| s.workout_type_id, |s| s.ftp_w);
    if let Some(s) = p0 {
        note("FTP", ZoneKind::Power, s.workout_type_id);
    }
    let h0 = pick(&hr, &[0], |s| s.workout_type_id, |s| s.threshold_bpm)
        .or_else(|| pick(&hr, &[0], |s| s.workout_type_id, |s| s.max_hr_bpm));
    if let Some(s) = h0 {
        note("heart rates", ZoneKind::HeartRate, s.workout_type_id);
    }
    // Speed set 0 is the run's; a swim's pace is only ever its own set's.
    let run = pick(&speed, &[0, 3], |s| s.workout_type_id, |s| s.threshold_mps)
        .filter(|s| matches!(s.workout_type_id, 0 | 3));
    if let Some(s) = run {
        note("run threshold pace", ZoneKind::Speed, s.workout_type_id);
    }
    let swim = speed
        .iter()
        .find(|s| s.workout_type_id == 1 && s.threshold_mps > 0.0);
    let thresholds = Thresholds {
        ftp_w: p0.and_then(|s| pos(s.ftp_w)),
        threshold_hr_bpm: h0.and_then(|s| pos(s.threshold_bpm)),
        max_hr_bpm: h0.and_then(|s| pos(s.max_hr_bpm)),
        resting_hr_bpm: h0.and_then(|s| pos(s.resting_hr_bpm)),
        from_sport_sets,
        run_threshold_pace: run.and_then(|s| s.threshold.clone()),
        run_threshold_mps: run.and_then(|s| pos(s.threshold_mps)),
        swim_threshold_pace: swim.and_then(|s| s.threshold.clone()),
        swim_threshold_mps: swim.and_then(|s| pos(s.threshold_mps)),
    };
    let units_code = settings.units.val();
    let profile = Profile {
        time_zone: text(&settings.time_zone),
        units_code,
        units: units_code.map(|c| {
            if c == 1 {
                "imperial".into()
            } else {
                "metric".into()
            }
        }),
        age: settings.age.val(),
        gender: text(&settings.gender),
    };
    let planned_calories = settings.planned_calories();

    let mut t = vec!["## Thresholds".to_string()];
    let mut push = |label: &str, v: Option<String>| {
        if let Some(v) = v {
            t.push(format!("{label}: {v}"));
        }
    };
    push("FTP", thresholds.ftp_w.map(|w| format!("{} W", num(w))));
    push(
        "Threshold HR",
        thresholds
            .threshold_hr_bpm
            .map(|v| format!("{} bpm", num(v))),
    );
    push(
        "Max HR",
        thresholds.max_hr_bpm.map(|v| format!("{} bpm", num(v))),
    );
    push(
        "Resting HR",
        thresholds.resting_hr_bpm.map(|v| format!("{} bpm", num(v))),
    );
    push("Run threshold pace", thresholds.run_threshold_pace.clone());
    push(
        "Swim threshold pace (CSS)",
        thresholds.swim_threshold_pace.clone(),
    );
    if !thresholds.from_sport_sets.is_empty() {
        t.push(format!(
            "(No default set has them: {}.)",
            thresholds.from_sport_sets.join(", ")
        ));
    }
    for s in &power {
        t.push(format!(
            "\n## Power zones — {} (FTP {} W)",
            sport_name(ZoneKind::Power, s.workout_type_id),
            num(s.ftp_w)
        ));
        t.extend(power_lines(s));
    }
    for s in &hr {
        t.push(format!(
            "\n## Heart-rate zones — {} (threshold {} bpm, max {} bpm)",
            sport_name(ZoneKind::HeartRate, s.workout_type_id),
            num(s.threshold_bpm),
            num(s.max_hr_bpm)
        ));
        t.extend(hr_lines(s));
    }
    for s in &speed {
        if s.threshold_mps <= 0.0 {
            continue;
        }
        t.push(format!(
            "\n## Speed zones — {} (threshold {})",
            sport_name(ZoneKind::Speed, s.workout_type_id),
            s.threshold.clone().unwrap_or_default()
        ));
        t.extend(speed_lines(s));
    }
    t.push("\n## Profile".into());
    if let Some(tz) = &profile.time_zone {
        t.push(format!("Time zone: {tz}"));
    }
    if let (Some(u), Some(c)) = (&profile.units, profile.units_code) {
        t.push(format!("Units: {u} (code {c})"));
    }
    if let Some(a) = profile.age {
        t.push(format!("Age: {a}"));
    }
    if let Some(c) = planned_calories {
        t.push(format!("Planned daily calories: {} kcal", num(c)));
    }
    (
        t.join("\n"),
        GetAthleteSettingsOutput {
            thresholds,
            power_zone_sets: power,
            hr_zone_sets: hr,
            speed_zone_sets: speed,
            profile,
            planned_calories,
        },
    )
}
