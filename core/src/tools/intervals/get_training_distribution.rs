//! `get_training_distribution` on Intervals.icu: time in power and heart-rate zones and Seiler
//! polarisation over a date range, by sport, computed locally from the activities' streams
//! (one list of the range's activities, then streams and intervals, two requests each); the
//! counterpart of the TrainingPeaks tool of that name (issue 10). Each activity is zoned and
//! scored with the thresholds Intervals.icu analysed it with (else the athlete's sport settings
//! for its type, read once), so a threshold change mid-range is honoured.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, IcuAthleteId};
use crate::tools::shared::activity_load::LoadGiven;
use crate::tools::shared::activity_metrics::{
    icu_activities_newest_first, icu_athlete, icu_thresholds_read, load_icu_data_of, metrics,
};
use crate::tools::shared::args::{Date, DateRange};
use crate::tools::shared::distribution::{Distribution, SportDistribution, sport_text};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::trimmed_text;

/// Activities read by default (two requests each).
const DEFAULT_MAX_ACTIVITIES: u32 = 30;
/// The most activities one call may read.
const MAX_ACTIVITIES: u32 = 100;

/// Arguments of `get_training_distribution`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetTrainingDistributionArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// First day, YYYY-MM-DD.
    pub start_date: Date,
    /// Last day, YYYY-MM-DD (at most a year after start_date).
    pub end_date: Date,
    /// Only this Intervals.icu sport (`Ride`, `Run`, …; default all).
    #[serde(default)]
    pub sport: Option<String>,
    /// Most activities to read, newest first, 1–100 (default 30; each costs two requests).
    #[serde(default)]
    pub max_activities: Option<u32>,
}

/// Result of `get_training_distribution`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetTrainingDistributionOutput {
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// By sport (Intervals.icu's activity type).
    pub sports: Vec<SportDistribution>,
    /// The thresholds used, per sport, and where from.
    pub thresholds: Vec<String>,
    /// Loads that could not be computed, per sport, and the thresholds they lacked.
    pub not_computed: Vec<String>,
    /// Activities in the range (of the sport, if one was given).
    pub activities_in_range: usize,
    /// Activities read but without streams.
    pub activities_without_data: usize,
    /// Activities left unread because of max_activities (the oldest).
    pub activities_not_read: usize,
}

/// The tool.
pub struct GetTrainingDistribution;

impl TypedTool for GetTrainingDistribution {
    type Args = GetTrainingDistributionArgs;
    type Output = GetTrainingDistributionOutput;
    const NAME: &'static str = "get_training_distribution";
    const DESCRIPTION: &'static str = "How training time splits by intensity over a date range, \
by sport, computed locally from the Intervals.icu activities' streams: seconds in Coggan power \
zones 1–7 (from the FTP each activity was analysed with) and HR zones 1–5 (from its LTHR), pace \
zones, load (power TSS, else rTSS, swim TSS or hrTSS, per activity, summed), and Seiler's three \
zones with Treff's Polarization Index (low = Z1–2, mid = Z3–4, high = Z5–7 of \
power; HR: Z1–2 / Z3–4 / Z5). Answers \"am I training enough at threshold / too much in the \
grey zone?\". Reads the newest max_activities (default 30, up to 100); each costs two requests.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu intensity distribution");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        DateRange::new(args.start_date, args.end_date)?.at_most(366, "a year")?;
        if let Some(n) = args.max_activities
            && !(1..=MAX_ACTIVITIES).contains(&n)
        {
            return Err(ToolError::invalid(
                "max_activities",
                format!("{n} is out of range (1–{MAX_ACTIVITIES})"),
            ));
        }
        if let Some(s) = &args.sport
            && (s.trim().is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            return Err(ToolError::invalid(
                "sport",
                format!("{s:?} is not an Intervals.icu sport (e.g. Ride, Run)"),
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let athlete = args.athlete_id.get();
        let only = args.sport.as_deref().map(str::trim);
        let list =
            icu_activities_newest_first(icu, athlete, args.start_date.0, args.end_date.0, |t| {
                only.is_none_or(|s| s.eq_ignore_ascii_case(t))
            })
            .await?;
        let in_range = list.len();
        let limit = args.max_activities.unwrap_or(DEFAULT_MAX_ACTIVITIES) as usize;
        let total = in_range.min(limit) as u64;
        let mut dist = Distribution::default();
        let mut thresholds: Vec<String> = Vec::new();
        let mut not_computed: Vec<String> = Vec::new();
        let mut athlete_read = None;
        let mut without = 0;
        for (n, a) in list.iter().take(limit).enumerate() {
            let id = trimmed_text(&a.id).unwrap_or_default();
            let data = load_icu_data_of(icu, &id, a, ctx).await?;
            // Two requests an activity: say how far the season is.
            icu.report_step(n as u64 + 1, total, "activities' streams read");
            if data.streams.is_empty() {
                without += 1;
                continue;
            }
            let sport = trimmed_text(&a.sport).unwrap_or_else(|| "Other".into());
            // The sport settings fill in what an activity lacks: read once, when first needed.
            if athlete_read.is_none() {
                athlete_read = Some(icu_athlete(icu, athlete).await);
            }
            let t = icu_thresholds_read(
                a,
                &data,
                [None; 4],
                LoadGiven::default(),
                athlete_read.as_ref(),
            );
            for (list, lines) in [
                (&mut thresholds, &t.sources),
                (&mut not_computed, &t.missing),
            ] {
                for s in lines {
                    let line = format!("{sport}: {s}");
                    if !list.contains(&line) {
                        list.push(line);
                    }
                }
            }
            dist.add(
                &sport,
                &metrics(&data.streams, 0, data.streams.len() - 1, &t),
            );
        }
        let out = GetTrainingDistributionOutput {
            start_date: args.start_date.to_string(),
            end_date: args.end_date.to_string(),
            sports: dist.finish(),
            thresholds,
            not_computed,
            activities_in_range: in_range,
            activities_without_data: without,
            activities_not_read: in_range.saturating_sub(limit),
        };
        let mut t = format!(
            "Intensity distribution {}–{}: {} of {} activities read ({} without streams).",
            out.start_date,
            out.end_date,
            in_range.min(limit),
            in_range,
            without
        );
        for s in &out.sports {
            t.push('\n');
            t.push_str(&sport_text(s));
        }
        if !out.not_computed.is_empty() {
            t.push_str(&format!("\nNot computed: {}.", out.not_computed.join("; ")));
        }
        if out.activities_not_read > 0 {
            t.push_str(&format!(
                "\n{} older activities were not read; raise max_activities (up to \
                 {MAX_ACTIVITIES}) or narrow the dates.",
                out.activities_not_read
            ));
        }
        Ok((t, out))
    }
}
