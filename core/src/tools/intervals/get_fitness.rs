//! `get_fitness`: the fitness chart over a range, CTL, ATL, form, ramp rate and eFTP per day
//! (`GET /api/v1/athlete/{id}/wellness?oldest&newest&fields=id,ctl,atl,rampRate,sportInfo`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId, join_parts, round};
use crate::tools::shared::args::Date;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `get_fitness`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetFitnessArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// First day, YYYY-MM-DD (default: 42 days ago).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last day, YYYY-MM-DD (default: today).
    #[serde(default)]
    pub end_date: Option<Date>,
    /// The sport whose eFTP to show (default Ride).
    #[serde(default)]
    pub sport: Option<String>,
}

/// One day of the chart.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FitnessDayView {
    /// The day.
    pub date: String,
    /// Fitness (CTL).
    pub ctl: Option<f64>,
    /// Fatigue (ATL).
    pub atl: Option<f64>,
    /// Form (CTL − ATL).
    pub form: Option<f64>,
    /// Ramp rate (CTL change per week).
    pub ramp_rate: Option<f64>,
    /// Estimated FTP of the sport, watts.
    pub eftp: Option<f64>,
}

/// Result of `get_fitness`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetFitnessOutput {
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// The sport of eFTP.
    pub sport: String,
    /// One row per day, in order.
    pub days: Vec<FitnessDayView>,
}

/// The tool.
pub struct GetFitness;

impl TypedTool for GetFitness {
    type Args = GetFitnessArgs;
    type Output = GetFitnessOutput;
    const NAME: &'static str = "get_fitness";
    const DESCRIPTION: &'static str = "The Intervals.icu fitness chart from start_date to end_date \
        (default: the last 42 days): per day fitness (CTL), fatigue (ATL), form (CTL − ATL), \
        ramp rate and the sport's eFTP (default Ride). Over more than 6 weeks the text shows \
        every 7th day; the structured result has every day.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu fitness");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        if let Some(s) = &args.sport {
            common::check_path_id("sport", s)?;
        }
        if let (Some(s), Some(e)) = (args.start_date, args.end_date) {
            common::check_order(s.0, e.0, "end_date")?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let start = common::day_or(args.start_date, icu, -42);
        let end = common::day_or(args.end_date, icu, 0);
        common::check_order(start, end, "end_date")?;
        let sport = args.sport.clone().unwrap_or_else(|| "Ride".into());
        let r = |x: Option<f64>| x.map(|v| round(v, 1));
        let days: Vec<FitnessDayView> = icu
            .fitness(args.athlete_id.get(), start, end, &sport)
            .await?
            .into_iter()
            .map(|d| FitnessDayView {
                date: d.date.to_string(),
                ctl: r(d.ctl),
                atl: r(d.atl),
                form: r(d.form),
                ramp_rate: r(d.ramp_rate),
                eftp: r(d.eftp),
            })
            .collect();
        let step = if days.len() > 42 { 7 } else { 1 };
        let mut text = if days.is_empty() {
            format!("No fitness data from {start} to {end}.")
        } else {
            format!("Fitness from {start} to {end} (form = CTL − ATL; {sport} eFTP):")
        };
        let last = days.len().saturating_sub(1);
        for (i, d) in days.iter().enumerate() {
            if i % step != 0 && i != last {
                continue;
            }
            let parts = join_parts(&[
                d.ctl.map(|v| format!("CTL {v}")),
                d.atl.map(|v| format!("ATL {v}")),
                d.form.map(|v| format!("form {v}")),
                d.ramp_rate.map(|v| format!("ramp {v}")),
                d.eftp.map(|v| format!("eFTP {v:.0} W")),
            ]);
            text.push_str(&format!("\n- {}: {parts}", d.date));
        }
        Ok((
            text,
            GetFitnessOutput {
                start_date: start.to_string(),
                end_date: end.to_string(),
                sport,
                days,
            },
        ))
    }
}
