//! `get_athlete_profile`: the athlete and their sport settings (FTP, LTHR, max HR, threshold
//! pace, zones) from `GET /api/v1/athlete/{id}` (credential fields are removed by the client).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId, join_parts, round};
use crate::intervals::athlete::SportSettings;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::trimmed_text;

/// Arguments of `get_athlete_profile`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetAthleteProfileArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
}

/// One set of sport settings.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SportSettingsView {
    /// Settings id.
    pub id: Option<i64>,
    /// The sports they apply to (`Ride`, `VirtualRide`, …).
    pub types: Vec<String>,
    /// FTP, watts.
    pub ftp: Option<f64>,
    /// Indoor FTP, watts.
    pub indoor_ftp: Option<f64>,
    /// W′, joules.
    pub w_prime: Option<f64>,
    /// Threshold heart rate, bpm.
    pub lthr: Option<f64>,
    /// Maximum heart rate, bpm.
    pub max_hr: Option<f64>,
    /// Threshold pace, metres per second.
    pub threshold_pace_m_per_s: Option<f64>,
    /// Threshold pace as min:sec per km (per 100 m for swims).
    pub threshold_pace_text: Option<String>,
    /// Power zone tops, percent of FTP.
    pub power_zones: Vec<f64>,
    /// Heart-rate zone tops, bpm.
    pub hr_zones: Vec<f64>,
    /// Pace zone tops, percent of threshold pace.
    pub pace_zones: Vec<f64>,
}

/// Settings as the tools show them.
pub(crate) fn settings_view(s: &SportSettings) -> SportSettingsView {
    let types = s.types.get().cloned().unwrap_or_default();
    let swim = types.iter().any(|t| t.contains("Swim"));
    let pace = s.threshold_pace.val().filter(|p| *p > 0.0);
    SportSettingsView {
        id: s.id.val(),
        threshold_pace_text: pace.map(|p| {
            let (dist, unit) = if swim {
                (100.0, "100m")
            } else {
                (1000.0, "km")
            };
            let secs = (dist / p).round() as i64;
            format!("{}:{:02}/{unit}", secs / 60, secs % 60)
        }),
        types,
        ftp: s.ftp.val(),
        indoor_ftp: s.indoor_ftp.val(),
        w_prime: s.w_prime.val(),
        lthr: s.lthr.val(),
        max_hr: s.max_hr.val(),
        threshold_pace_m_per_s: pace.map(|p| round(p, 3)),
        power_zones: s.power_zones.get().cloned().unwrap_or_default(),
        hr_zones: s.hr_zones.get().cloned().unwrap_or_default(),
        pace_zones: s.pace_zones.get().cloned().unwrap_or_default(),
    }
}

/// One line of settings.
pub(crate) fn settings_line(s: &SportSettingsView) -> String {
    let list = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x}"))
            .collect::<Vec<_>>()
            .join("/")
    };
    let parts = join_parts(&[
        s.ftp.map(|v| format!("FTP {v} W")),
        s.indoor_ftp.map(|v| format!("indoor FTP {v} W")),
        s.lthr.map(|v| format!("LTHR {v}")),
        s.max_hr.map(|v| format!("max HR {v}")),
        s.threshold_pace_text
            .as_ref()
            .map(|v| format!("threshold pace {v}")),
        (!s.power_zones.is_empty()).then(|| format!("power zones {}%", list(&s.power_zones))),
        (!s.hr_zones.is_empty()).then(|| format!("HR zones {}", list(&s.hr_zones))),
        (!s.pace_zones.is_empty()).then(|| format!("pace zones {}%", list(&s.pace_zones))),
    ]);
    format!("{}: {parts}", s.types.join("/"))
}

/// Result of `get_athlete_profile`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetAthleteProfileOutput {
    /// Athlete id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Time zone.
    pub timezone: Option<String>,
    /// Weight, kg.
    pub weight: Option<f64>,
    /// Resting heart rate, bpm.
    pub resting_hr: Option<f64>,
    /// Sport settings, one set per group of sports.
    pub sport_settings: Vec<SportSettingsView>,
}

/// The tool.
pub struct GetAthleteProfile;

impl TypedTool for GetAthleteProfile {
    type Args = GetAthleteProfileArgs;
    type Output = GetAthleteProfileOutput;
    const NAME: &'static str = "get_athlete_profile";
    const DESCRIPTION: &'static str = "The Intervals.icu athlete: name, time zone, weight, resting \
        HR, and per sport the FTP, indoor FTP, W′, LTHR, max HR, threshold pace and the power, \
        HR and pace zones. update_sport_settings changes them.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu athlete profile");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let a = icu.athlete_profile(args.athlete_id.get()).await?;
        let out = GetAthleteProfileOutput {
            id: trimmed_text(&a.id),
            name: trimmed_text(&a.name),
            timezone: trimmed_text(&a.timezone),
            weight: a.icu_weight.val().or(a.weight.val()),
            resting_hr: a.icu_resting_hr.val(),
            sport_settings: a
                .sport_settings
                .get()
                .map(|l| l.as_slice())
                .unwrap_or_default()
                .iter()
                .map(settings_view)
                .collect(),
        };
        let extra = join_parts(&[
            out.timezone.clone(),
            out.weight.map(|w| format!("{w} kg")),
            out.resting_hr.map(|h| format!("resting HR {h}")),
        ]);
        let mut text = format!(
            "{} [{}]{}",
            out.name.as_deref().unwrap_or("(no name)"),
            out.id.as_deref().unwrap_or("?"),
            if extra.is_empty() {
                String::new()
            } else {
                format!(": {extra}")
            }
        );
        for s in &out.sport_settings {
            text.push_str(&format!("\n- {}", settings_line(s)));
        }
        Ok((text, out))
    }
}
