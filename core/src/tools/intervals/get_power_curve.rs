//! `get_power_curve` on Intervals.icu: a date range's mean-maximal curve (power, heart rate or
//! speed) computed locally from the activities' streams (`analysis::source::intervals`: streams
//! and intervals, two requests each, after one list of the range's activities), each point
//! traced to its activity and day, with the CP / W′ / Pmax fit for power; the counterpart of
//! the TrainingPeaks tool of that name (issue 10).
//!
//! Intervals.icu also computes curves itself (`GET /api/v1/athlete/{id}/power-curves` and
//! `hr-curves`, spec §3.2 "Curves"). Ours stays the answer (the same code on both platforms,
//! every duration exact, each point's activity and where in it); for power and heart rate one
//! more request reads Intervals.icu's curve over the same days and each point shows its value
//! beside ours, so a difference (an activity left unread, a different smoothing) is visible.
//! When that read fails the curve is still returned, with a note.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, CurveRequest, IcuAthleteId, round};
use crate::analysis::meanmax::SeasonCurve;
use crate::analysis::source::Origin;
use crate::intervals::curves::CurveKind;
use crate::intervals::sports::{icu_type_for_tp, tp_type_for_icu};
use crate::tools::shared::activity_metrics::{
    clock_time, icu_activities_newest_first, load_icu_data_of,
};
use crate::tools::shared::args::{Date, DateRange, Sport};
use crate::tools::shared::power_curve::{CurveChannel, DURATIONS_S, ModelFit, needed_durations_s};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::trimmed_text;

/// Activities read by default: two requests each, well inside Intervals.icu's 8 a second.
const DEFAULT_MAX_ACTIVITIES: u32 = 30;
/// The most activities one call may read.
const MAX_ACTIVITIES: u32 = 100;
/// Arguments of `get_power_curve`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetPowerCurveArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// First day, YYYY-MM-DD.
    pub start_date: Date,
    /// Last day, YYYY-MM-DD (at most a year after start_date).
    pub end_date: Date,
    /// Channel: `power` (default), `heart_rate` or `speed`.
    #[serde(default)]
    pub channel: CurveChannel,
    /// Sport of the activities to include (default: bike for power and heart rate, run for
    /// speed); bike counts Ride, VirtualRide, GravelRide and EBikeRide.
    #[serde(default)]
    pub sport: Option<Sport>,
    /// Most activities to read, newest first, 1–100 (default 30; each costs two requests).
    #[serde(default)]
    pub max_activities: Option<u32>,
}

/// One point of the curve.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CurvePoint {
    /// Duration, s.
    pub duration_s: u32,
    /// Best mean over that duration (W, bpm or m/s), computed locally.
    pub value: f64,
    /// Pace for speed curves, min:s per km.
    pub pace_per_km: Option<String>,
    /// The activity it came from.
    pub activity_id: String,
    /// Its day.
    pub date: String,
    /// Where the best window starts in that activity, s.
    pub start_s: usize,
    /// Intervals.icu's own curve at this duration over the same days (power and heart rate).
    pub intervals_icu_value: Option<f64>,
    /// The activity Intervals.icu's value came from.
    pub intervals_icu_activity_id: Option<String>,
}

/// Result of `get_power_curve`.
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
    /// The curve at standard durations the activities cover.
    pub points: Vec<CurvePoint>,
    /// CP / W′ / Pmax, for power when the curve reaches 3–20 min.
    pub model: Option<ModelFit>,
    /// Activities whose streams were read.
    pub activities_used: usize,
    /// Activities of the sport in the range.
    pub activities_in_range: usize,
    /// Activities read but without the channel.
    pub activities_without_data: usize,
    /// Activities left unread because of max_activities (the oldest).
    pub activities_not_read: usize,
    /// Why Intervals.icu's own curve is not beside ours, when it is not.
    pub comparison_note: Option<String>,
}

/// The tool.
pub struct GetPowerCurve;

impl TypedTool for GetPowerCurve {
    type Args = GetPowerCurveArgs;
    type Output = GetPowerCurveOutput;
    const NAME: &'static str = "get_power_curve";
    const DESCRIPTION: &'static str = "Best power (or heart rate, or speed/pace) for durations \
from 1 s to 3 h over a date range, computed locally from the Intervals.icu activities' streams: \
each point with the activity and day it came from, and for power the critical-power model (CP \
and W′ from 3–20 min efforts; Pmax from the 3-parameter fit). Intervals.icu's own curve over \
the same days is shown beside each power and heart-rate point. Reads the newest max_activities \
(default 30, up to 100) of the sport; each costs two requests, and the output says how many \
were left unread. For Intervals.icu's season curves alone use get_athlete_power_curves.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu power-duration curve");

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
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let athlete = args.athlete_id.get();
        let sport = args.sport.unwrap_or(args.channel.default_sport());
        let (start, end) = (args.start_date.0, args.end_date.0);
        let list = icu_activities_newest_first(icu, athlete, start, end, |t| {
            tp_type_for_icu(t) == Some(sport.type_id())
        })
        .await?;
        let in_range = list.len();
        let limit = args.max_activities.unwrap_or(DEFAULT_MAX_ACTIVITIES) as usize;
        let total = in_range.min(limit) as u64;
        let mut season = SeasonCurve::default();
        let needed = needed_durations_s();
        let (mut used, mut without) = (0, 0);
        for (n, a) in list.iter().take(limit).enumerate() {
            let id = trimmed_text(&a.id).unwrap_or_default();
            let data = load_icu_data_of(icu, &id, a, ctx).await?;
            // Two requests an activity: say how far the season is.
            icu.report_step(n as u64 + 1, total, "activities' streams read");
            let (ch, cached) = args.channel.pick(&data);
            if data.origin == Origin::RecordOnly || !ch.iter().any(Option::is_some) {
                without += 1;
                continue;
            }
            let day = a
                .start_date_local
                .get()
                .map(|s| s.at().date().to_string())
                .unwrap_or_default();
            season.add_activity((&id, &day), ch, data.streams.dt(), cached, &needed);
            used += 1;
        }
        let mut points: Vec<CurvePoint> = DURATIONS_S
            .iter()
            .filter_map(|&d| season.at(d))
            .map(|p| {
                let (value, pace_per_km) = args.channel.value_and_pace(p.value);
                CurvePoint {
                    duration_s: p.duration_s,
                    value,
                    pace_per_km,
                    activity_id: p.activity_id.clone(),
                    date: p.date.clone(),
                    start_s: p.offset,
                    intervals_icu_value: None,
                    intervals_icu_activity_id: None,
                }
            })
            .collect();
        let comparison_note =
            compare(icu, athlete, args.channel, sport, (start, end), &mut points).await;
        let model = ModelFit::of(args.channel, &season);
        let channel = args.channel.label();
        let out = GetPowerCurveOutput {
            start_date: start.to_string(),
            end_date: end.to_string(),
            channel: channel.into(),
            sport: sport.label().into(),
            points,
            model,
            activities_used: used,
            activities_in_range: in_range,
            activities_without_data: without,
            activities_not_read: in_range.saturating_sub(limit),
            comparison_note,
        };
        Ok((text(&out, args.channel), out))
    }
}

/// Puts Intervals.icu's own curve over the same days beside each point (power and heart rate;
/// its pace curve is by distance, not duration). Returns why not, when it cannot.
async fn compare(
    icu: &crate::intervals::IcuClient,
    athlete: Option<&str>,
    channel: CurveChannel,
    sport: Sport,
    range: (NaiveDate, NaiveDate),
    points: &mut [CurvePoint],
) -> Option<String> {
    let kind = match channel {
        CurveChannel::Power => CurveKind::Power,
        CurveChannel::HeartRate => CurveKind::HeartRate,
        CurveChannel::Speed => {
            return Some(
                "Intervals.icu's pace curve is by distance, not duration; see \
                 get_athlete_pace_curves."
                    .into(),
            );
        }
    };
    let Some(icu_sport) = icu_type_for_tp(sport.type_id()) else {
        return Some(format!("Intervals.icu has no curve for {}.", sport.label()));
    };
    if points.is_empty() {
        return None;
    }
    let xs: Vec<f64> = points.iter().map(|p| f64::from(p.duration_s)).collect();
    let read = common::read_curves(
        icu,
        CurveRequest {
            athlete,
            kind,
            sport: icu_sport,
            xs: &xs,
            this_season: false,
            last_season: false,
            range: Some(range),
            filters: None,
            per_kg: false,
            gap: false,
        },
    )
    .await;
    let curves = match read {
        Ok(c) => c,
        Err(e) => return Some(format!("Intervals.icu's own curve could not be read: {e}")),
    };
    let Some(curve) = curves.first() else {
        return Some("Intervals.icu returned no curve for these days.".into());
    };
    for p in points.iter_mut() {
        if let Some(q) = curve
            .points
            .iter()
            .find(|q| (q.x - f64::from(p.duration_s)).abs() < 0.5)
        {
            p.intervals_icu_value = q.value.map(|v| round(v, 0));
            p.intervals_icu_activity_id = q.activity_id.clone();
        }
    }
    None
}

fn text(out: &GetPowerCurveOutput, channel: CurveChannel) -> String {
    let unit = channel.unit();
    let mut t = format!(
        "Best {} ({}) {}–{}: {} of {} activities read ({} without {}).",
        out.channel,
        out.sport,
        out.start_date,
        out.end_date,
        out.activities_used + out.activities_without_data,
        out.activities_in_range,
        out.activities_without_data,
        out.channel
    );
    for p in &out.points {
        let pace = p
            .pace_per_km
            .as_ref()
            .map_or(String::new(), |x| format!(" ({x}/km)"));
        let theirs = p
            .intervals_icu_value
            .map_or(String::new(), |v| format!(" [Intervals.icu: {v}{unit}]"));
        t.push_str(&format!(
            "\n{}: {}{unit}{pace} — activity {} on {} at {}{theirs}",
            clock_time(f64::from(p.duration_s)),
            p.value,
            p.activity_id,
            p.date,
            clock_time(p.start_s as f64)
        ));
    }
    if let Some(m) = &out.model {
        t.push_str(&m.text());
    }
    if let Some(n) = &out.comparison_note {
        t.push_str(&format!("\nNote: {n}"));
    }
    if out.activities_not_read > 0 {
        t.push_str(&format!(
            "\n{} older activities were not read; raise max_activities (up to {MAX_ACTIVITIES}) \
             or narrow the dates.",
            out.activities_not_read
        ));
    }
    t
}
