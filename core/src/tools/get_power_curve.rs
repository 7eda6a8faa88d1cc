//! `get_power_curve`: a date range's mean-maximal curve (power, heart rate or speed) over the
//! completed workouts' device files, each point traced to its workout and day, with the
//! CP / W′ / Pmax fit for power (issue 10).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::activity_metrics::{clock_time, load_tp_data_of};
use super::shared::args::{AthleteId, Date, DateRange, Sport};
use super::shared::power_curve::{CurveChannel, DURATIONS_S, ModelFit, needed_durations_s};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::analysis::meanmax::SeasonCurve;
use crate::analysis::source::Origin;

/// Workouts read by default: two requests each (details, file), so 20 stay well inside the
/// 90-a-minute budget with room for other calls.
const DEFAULT_MAX_WORKOUTS: u32 = 20;
/// The most workouts one call may read (120 requests: the call waits for the budget).
const MAX_WORKOUTS: u32 = 40;

/// The tool.
pub struct GetPowerCurve;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetPowerCurveArgs {
    /// First day, YYYY-MM-DD.
    pub start_date: Date,
    /// Last day, YYYY-MM-DD (at most a year after start_date).
    pub end_date: Date,
    #[serde(default)]
    pub athlete_id: AthleteId,
    /// Channel: `power` (default), `heart_rate` or `speed`.
    #[serde(default)]
    pub channel: CurveChannel,
    /// Sport of the workouts to include (default: bike for power and heart rate, run for
    /// speed).
    #[serde(default)]
    pub sport: Option<Sport>,
    /// Most workouts to read, newest first, 1–40 (default 20; each costs two requests).
    #[serde(default)]
    pub max_workouts: Option<u32>,
}

/// One point of the curve.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CurvePoint {
    /// Duration, s.
    pub duration_s: u32,
    /// Best mean over that duration (W, bpm or m/s).
    pub value: f64,
    /// Pace for speed curves, min:s per km.
    pub pace_per_km: Option<String>,
    /// The workout it came from.
    pub workout_id: String,
    /// Its day.
    pub date: String,
    /// Where the best window starts in that workout, s.
    pub start_s: usize,
}

/// Result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetPowerCurveOutput {
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// `power`, `heart_rate` or `speed`.
    pub channel: String,
    /// Sport included.
    pub sport: String,
    /// The curve at standard durations the workouts cover.
    pub points: Vec<CurvePoint>,
    /// CP / W′ / Pmax, for power when the curve reaches 3–20 min.
    pub model: Option<ModelFit>,
    /// Workouts whose files were read.
    pub workouts_used: usize,
    /// Completed workouts of the sport in the range.
    pub workouts_in_range: usize,
    /// Workouts read but without the channel or a device file.
    pub workouts_without_data: usize,
    /// Completed workouts left unread because of max_workouts (the oldest).
    pub workouts_not_read: usize,
}

impl TypedTool for GetPowerCurve {
    type Args = GetPowerCurveArgs;
    type Output = GetPowerCurveOutput;
    const NAME: &'static str = "get_power_curve";
    const DESCRIPTION: &'static str = "Best power (or heart rate, or speed/pace) for durations \
from 1 s to 3 h over a date range, computed locally from the completed workouts' device files: \
each point with the workout and day it came from, and for power the critical-power model (CP \
and W′ from 3–20 min efforts; Pmax from the 3-parameter fit). Reads the newest max_workouts \
(default 20, up to 40) completed workouts of the sport; each costs two requests, and the output \
says how many were left unread.";
    const ANNOTATIONS: Annotations = Annotations::read("Power-duration curve");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        DateRange::new(args.start_date, args.end_date)?.at_most(366, "a year")?;
        if let Some(n) = args.max_workouts
            && !(1..=MAX_WORKOUTS).contains(&n)
        {
            return Err(ToolError::invalid(
                "max_workouts",
                format!("{n} is out of range (1–{MAX_WORKOUTS})"),
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
        let sport = args.sport.unwrap_or(args.channel.default_sport());
        let list = ctx
            .client
            .workouts(aid, args.start_date.0, args.end_date.0)
            .await?;
        let mut done: Vec<_> = list
            .into_iter()
            .filter(|w| w.is_completed() && w.workout_type_value_id.val() == Some(sport.type_id()))
            .collect();
        // Newest first, so a limit keeps the most recent form.
        done.sort_by_key(|w| std::cmp::Reverse(w.date()));
        let in_range = done.len();
        let limit = args.max_workouts.unwrap_or(DEFAULT_MAX_WORKOUTS) as usize;
        let mut season = SeasonCurve::default();
        let needed = needed_durations_s();
        let (mut used, mut without) = (0, 0);
        let total = done.len().min(limit) as u64;
        for (n, w) in done.iter().take(limit).enumerate() {
            let data = load_tp_data_of(ctx, aid, w).await?;
            // Two requests a workout under the request budget: say how far the season is.
            ctx.client
                .report_step(n as u64 + 1, total, "workouts' device files read");
            let (ch, cached) = args.channel.pick(&data);
            if data.origin == Origin::RecordOnly || !ch.iter().any(Option::is_some) {
                without += 1;
                continue;
            }
            let id = w.workout_id.val().unwrap_or_default().to_string();
            let day = w.date().map(|d| d.to_string()).unwrap_or_default();
            season.add_activity((&id, &day), ch, data.streams.dt(), cached, &needed);
            used += 1;
        }
        let points: Vec<CurvePoint> = DURATIONS_S
            .iter()
            .filter_map(|&d| season.at(d))
            .map(|p| {
                let (value, pace_per_km) = args.channel.value_and_pace(p.value);
                CurvePoint {
                    duration_s: p.duration_s,
                    value,
                    pace_per_km,
                    workout_id: p.activity_id.clone(),
                    date: p.date.clone(),
                    start_s: p.offset,
                }
            })
            .collect();
        let model = ModelFit::of(args.channel, &season);
        let channel = args.channel.label();
        let out = GetPowerCurveOutput {
            start_date: args.start_date.to_string(),
            end_date: args.end_date.to_string(),
            channel: channel.into(),
            sport: sport.label().into(),
            points,
            model,
            workouts_used: used,
            workouts_in_range: in_range,
            workouts_without_data: without,
            workouts_not_read: in_range.saturating_sub(limit),
        };
        let unit = args.channel.unit();
        let mut t = format!(
            "Best {channel} ({}) {}–{}: {} of {} completed workouts read ({} without {channel} \
             or a device file).",
            out.sport, out.start_date, out.end_date, used, in_range, without
        );
        for p in &out.points {
            let pace = p
                .pace_per_km
                .as_ref()
                .map_or(String::new(), |x| format!(" ({x}/km)"));
            t.push_str(&format!(
                "\n{}: {}{unit}{pace} — workout {} on {} at {}",
                clock_time(f64::from(p.duration_s)),
                p.value,
                p.workout_id,
                p.date,
                clock_time(p.start_s as f64)
            ));
        }
        if let Some(m) = &out.model {
            t.push_str(&m.text());
        }
        if out.workouts_not_read > 0 {
            t.push_str(&format!(
                "\n{} older workouts were not read; raise max_workouts (up to {MAX_WORKOUTS}) or \
                 narrow the dates.",
                out.workouts_not_read
            ));
        }
        Ok((t, out))
    }
}
