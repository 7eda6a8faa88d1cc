//! What the activity-analysis tools of both platforms share: the thresholds a call uses and
//! where each came from, the metrics of a window of one activity's streams ([`metrics`]), laps,
//! and their text. The formulas are `crate::analysis`'s; this only windows, rounds and words.

use schemars::JsonSchema;
use serde::Serialize;

use super::activity_load::{
    LoadGiven, LoadInputs, LoadView, icu_load_inputs, icu_load_missing, icu_sport_settings,
    tp_load_inputs, window_load,
};
use crate::analysis::source::{self, ActivityData, Segment, SourceError};
use crate::analysis::{Streams, meanmax, models, session, zones};
use crate::intervals::IcuClient;
use crate::intervals::activities::Activity as IcuActivity;
use crate::intervals::athlete::Athlete as IcuAthlete;
use crate::tools::intervals::common::{icu as icu_client, round};
use crate::tools::shared::args::AthleteId;
use crate::tools::{ToolContext, ToolError};
use crate::trainingpeaks::settings::{AthleteSettings, ZoneKind, ZoneSet};
use crate::trainingpeaks::workouts::Workout;
use crate::wire::float_of;

impl From<SourceError> for ToolError {
    fn from(e: SourceError) -> Self {
        match e {
            SourceError::Tp(e) => ToolError::Api(e),
            SourceError::Icu(e) => ToolError::Icu(e),
            other => ToolError::Failed(other.to_string()),
        }
    }
}

/// W′ used for W′ balance when neither the caller nor the platform gives one: 20 kJ,
/// GoldenCheetah's default (spec §2.9), said in the output as assumed.
pub(crate) const DEFAULT_W_PRIME_J: f64 = 20_000.0;

/// Durations (s) of the mean-max points reported: the `paceline analyze` set.
pub(crate) const MEAN_MAX_DURATIONS_S: [u32; 13] = crate::analysis::summary::SUMMARY_DURATIONS_S;

/// Laps listed in structured output; more are counted, not listed, to bound the size.
pub(crate) const MAX_LAPS: usize = 40;

/// Checks the optional threshold overrides, naming the field.
pub(crate) fn check_thresholds(
    ftp_w: Option<f64>,
    lthr_bpm: Option<f64>,
    cp_w: Option<f64>,
    w_prime_j: Option<f64>,
) -> Result<(), ToolError> {
    for (field, v, lo, hi, unit) in [
        ("ftp_w", ftp_w, 30.0, 2000.0, "W"),
        ("lthr_bpm", lthr_bpm, 60.0, 240.0, "bpm"),
        ("cp_w", cp_w, 30.0, 2000.0, "W"),
        ("w_prime_j", w_prime_j, 1000.0, 100_000.0, "J"),
    ] {
        if let Some(v) = v
            && !(v.is_finite() && (lo..=hi).contains(&v))
        {
            return Err(ToolError::invalid(
                field,
                format!("{v} is out of range ({lo}–{hi} {unit})"),
            ));
        }
    }
    Ok(())
}

/// The thresholds a call used, each with where it came from.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct ThresholdsView {
    /// FTP, W (IF, TSS, power zones).
    pub ftp_w: Option<f64>,
    /// Threshold heart rate, bpm (HR zones).
    pub lthr_bpm: Option<f64>,
    /// Critical power, W (W′ balance).
    pub cp_w: Option<f64>,
    /// W′, J (W′ balance).
    pub w_prime_j: Option<f64>,
    /// Where each came from, e.g. `FTP 250 W (athlete settings)`.
    pub sources: Vec<String>,
    /// Inputs of the loads without power (rTSS, sTSS, hrTSS, TRIMP) and of pace zones.
    #[serde(flatten)]
    pub load: LoadInputs,
    /// Loads that could not be computed and the thresholds they lacked (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

impl ThresholdsView {
    /// Adds the load inputs read from the athlete settings, with their source lines.
    pub(crate) fn with_load(mut self, (inputs, sources): (LoadInputs, Vec<String>)) -> Self {
        self.load = inputs;
        self.sources.extend(sources);
        self
    }
}

impl ThresholdsView {
    /// Picks each threshold: the caller's, else the first of `found` (value, where from);
    /// CP defaults to FTP and W′ to [`DEFAULT_W_PRIME_J`], both said as such.
    pub(crate) fn pick(
        given: [Option<f64>; 4],
        ftp: &[(Option<f64>, &str)],
        lthr: &[(Option<f64>, &str)],
        w_prime: &[(Option<f64>, &str)],
    ) -> Self {
        fn first<'s>(
            given: Option<f64>,
            found: &[(Option<f64>, &'s str)],
        ) -> Option<(f64, &'s str)> {
            given.map(|v| (v, "given")).or_else(|| {
                found
                    .iter()
                    .find_map(|(v, from)| v.filter(|v| *v > 0.0).map(|v| (v, *from)))
            })
        }
        let mut t = Self::default();
        if let Some((v, from)) = first(given[0], ftp) {
            t.ftp_w = Some(v);
            t.sources.push(format!("FTP {v} W ({from})"));
        }
        if let Some((v, from)) = first(given[1], lthr) {
            t.lthr_bpm = Some(v);
            t.sources.push(format!("LTHR {v} bpm ({from})"));
        }
        if let Some(v) = given[2] {
            t.cp_w = Some(v);
            t.sources.push(format!("CP {v} W (given)"));
        } else if let Some(f) = t.ftp_w {
            t.cp_w = Some(f);
            t.sources.push("CP taken as FTP".into());
        }
        if t.cp_w.is_some() {
            let (v, from) = first(given[3], w_prime).unwrap_or((DEFAULT_W_PRIME_J, "assumed"));
            t.w_prime_j = Some(v);
            t.sources.push(format!("W′ {v} J ({from})"));
        }
        t
    }
}

/// A completed TrainingPeaks workout's record and data: the workout GET, `/details` and the
/// device file (three requests). A planned workout is refused naming `workout_id`.
pub(crate) async fn load_tp_data(
    ctx: &ToolContext,
    athlete: &AthleteId,
    workout_id: i64,
) -> Result<(i64, Workout, ActivityData), ToolError> {
    let aid = athlete.resolve(ctx).await?;
    let w = ctx.client.workout(aid, workout_id).await?;
    if !w.is_completed() {
        return Err(ToolError::invalid(
            "workout_id",
            format!(
                "workout {workout_id} ({}) is planned, not completed: there is no recording to \
                 analyse",
                w.date().map_or("no date".into(), |d| d.to_string())
            ),
        ));
    }
    let data = load_tp_data_of(ctx, aid, &w).await?;
    Ok((aid, w, data))
}

/// The data of a workout record already in hand (from a list): `/details` and the file.
pub(crate) async fn load_tp_data_of(
    ctx: &ToolContext,
    athlete_id: i64,
    w: &Workout,
) -> Result<ActivityData, ToolError> {
    Ok(
        source::trainingpeaks::fetch(&ctx.client, athlete_id, w, ctx.activity_cache.as_deref())
            .await?,
    )
}

/// [`load_tp_data`] and the thresholds: the athlete settings are read (a fourth request) when a
/// threshold was not given and there are streams to use it on.
pub(crate) async fn load_tp(
    ctx: &ToolContext,
    athlete: &AthleteId,
    workout_id: i64,
    given: [Option<f64>; 4],
) -> Result<(Workout, ActivityData, ThresholdsView), ToolError> {
    let (aid, w, data) = load_tp_data(ctx, athlete, workout_id).await?;
    // The settings also hold the inputs of run, swim and HR load, so they are read whenever
    // there is a recording to use them on.
    let st = if data.streams.is_empty() {
        None
    } else {
        Some(ctx.client.athlete_settings(aid).await?)
    };
    let (ftp, lthr) = st
        .as_ref()
        .map_or((None, None), |st| settings_thresholds(st, &w));
    let t = ThresholdsView::pick(
        given,
        &[
            (ftp, "athlete settings"),
            (data.summary.ftp_w, "device file"),
        ],
        &[(lthr, "athlete settings")],
        &[],
    );
    let t = match &st {
        Some(st) => t.with_load(tp_load_inputs(st, &w)),
        None => t,
    };
    Ok((w, data, t))
}

/// FTP and threshold HR for the workout's sport from the athlete settings.
fn settings_thresholds(st: &AthleteSettings, w: &Workout) -> (Option<f64>, Option<f64>) {
    let sport = w.workout_type_value_id.val();
    (
        sport_threshold(st.zone_sets(ZoneKind::Power), sport),
        sport_threshold(st.zone_sets(ZoneKind::HeartRate), sport),
    )
}

/// The thresholds of one workout from settings already read (for tools that read many).
pub(crate) fn tp_thresholds(
    st: &AthleteSettings,
    w: &Workout,
    data: &ActivityData,
) -> ThresholdsView {
    let (ftp, lthr) = settings_thresholds(st, w);
    ThresholdsView::pick(
        [None; 4],
        &[
            (ftp, "athlete settings"),
            (data.summary.ftp_w, "device file"),
        ],
        &[(lthr, "athlete settings")],
        &[],
    )
    .with_load(tp_load_inputs(st, w))
}

/// The threshold of the zone set for `sport`, else of the default set (type 0), else the first.
fn sport_threshold(sets: &[ZoneSet], sport: Option<i64>) -> Option<f64> {
    sets.iter()
        .find(|s| s.type_id().is_some() && s.type_id() == sport)
        .or_else(|| sets.iter().find(|s| s.type_id() == Some(0)))
        .or_else(|| sets.first())
        .map(ZoneSet::threshold)
        .filter(|t| *t > 0.0)
}

/// An Intervals.icu activity's record, data and thresholds: the activity GET, its streams and
/// its intervals (three requests), and the athlete with their sport settings (a fourth, when
/// there are streams to use them on). See [`icu_thresholds`] for which threshold wins.
pub(crate) async fn load_icu(
    ctx: &ToolContext,
    activity_id: &str,
    given: [Option<f64>; 4],
    load_given: LoadGiven,
) -> Result<(IcuActivity, ActivityData, ThresholdsView), ToolError> {
    let icu = icu_client(ctx)?;
    let a = icu.activity(activity_id).await?;
    let data = load_icu_data_of(icu, activity_id, &a, ctx).await?;
    let athlete = if data.streams.is_empty() {
        None
    } else {
        // The activity's own athlete (a coach may read another's), else the configured one.
        let owner = a
            .rest
            .get("icu_athlete_id")
            .and_then(|v| {
                v.as_str()
                    .map(|s| s.trim().to_string())
                    .or_else(|| v.as_i64().map(|n| n.to_string()))
            })
            .filter(|s| !s.is_empty());
        Some(icu_athlete(icu, owner.as_deref()).await)
    };
    let t = icu_thresholds_read(&a, &data, given, load_given, athlete.as_ref());
    Ok((a, data, t))
}

/// The athlete with their sport settings (`GET /athlete/{id}`), or why they could not be read:
/// a threshold source, never a reason to fail the analysis.
pub(crate) async fn icu_athlete(
    icu: &IcuClient,
    athlete: Option<&str>,
) -> Result<IcuAthlete, String> {
    icu.athlete_profile(athlete)
        .await
        .map_err(|e| e.to_string())
}

/// [`icu_thresholds`] with the athlete as read (or why not), the failure said in `missing`.
pub(crate) fn icu_thresholds_read(
    a: &IcuActivity,
    data: &ActivityData,
    given: [Option<f64>; 4],
    load_given: LoadGiven,
    athlete: Option<&Result<IcuAthlete, String>>,
) -> ThresholdsView {
    let mut t = icu_thresholds(
        a,
        data,
        given,
        load_given,
        athlete.and_then(|r| r.as_ref().ok()),
    );
    if let Some(Err(e)) = athlete {
        t.missing.push(format!(
            "the athlete's sport settings could not be read ({e}): only the activity's own \
             thresholds and the arguments were used"
        ));
    }
    t
}

/// An Intervals.icu activity's data from its record (read or listed): its streams and
/// intervals, two requests. The one place the Intervals.icu tools call the fetcher.
pub(crate) async fn load_icu_data_of(
    icu: &IcuClient,
    activity_id: &str,
    a: &IcuActivity,
    ctx: &ToolContext,
) -> Result<ActivityData, ToolError> {
    Ok(source::intervals::fetch(icu, activity_id, a, ctx.activity_cache.as_deref()).await?)
}

/// The thresholds for an Intervals.icu activity, each the caller's, else the one Intervals.icu
/// analysed the activity with (`icu_ftp`, `lthr`, `icu_w_prime`, `threshold_pace`,
/// `icu_resting_hr`, `athlete_max_hr` on the activity), else the athlete's sport settings for
/// the activity's type (resting HR: the athlete record). What a load needed and found nowhere
/// is named in `missing`.
pub(crate) fn icu_thresholds(
    a: &IcuActivity,
    data: &ActivityData,
    given: [Option<f64>; 4],
    load_given: LoadGiven,
    athlete: Option<&IcuAthlete>,
) -> ThresholdsView {
    let icu_type = crate::wire::trimmed_text(&a.sport);
    let settings = athlete
        .zip(icu_type.as_deref())
        .and_then(|(at, ty)| icu_sport_settings(at, ty));
    let label = format!(
        "Intervals.icu {} sport settings",
        icu_type.as_deref().unwrap_or("?")
    );
    let from_settings =
        |f: fn(&crate::intervals::athlete::SportSettings) -> Option<f64>| settings.and_then(f);
    let w_prime = a.rest.get("icu_w_prime").and_then(float_of);
    let mut t = ThresholdsView::pick(
        given,
        &[
            (data.summary.ftp_w, "Intervals.icu activity"),
            (from_settings(|s| s.ftp.val()), &label),
        ],
        &[
            (data.summary.lthr_bpm, "Intervals.icu activity"),
            (from_settings(|s| s.lthr.val()), &label),
        ],
        &[
            (w_prime, "Intervals.icu activity"),
            (from_settings(|s| s.w_prime.val()), &label),
        ],
    )
    .with_load(icu_load_inputs(a, athlete, load_given));
    if athlete.is_some() && settings.is_none() {
        t.sources.push(format!(
            "no Intervals.icu sport settings for type {}",
            icu_type.as_deref().unwrap_or("(none)")
        ));
    }
    if !data.streams.is_empty() {
        t.missing = icu_load_missing(
            &data.streams,
            t.ftp_w,
            t.lthr_bpm,
            &t.load,
            icu_type.as_deref().unwrap_or("activity's"),
        );
    }
    t
}

/// The completed Intervals.icu activities of a date range that `keep` accepts (by their
/// `type`), newest first: one request. Strava stubs (no type, no streams) are left out.
pub(crate) async fn icu_activities_newest_first(
    icu: &IcuClient,
    athlete: Option<&str>,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<IcuActivity>, ToolError> {
    let mut list: Vec<IcuActivity> = icu
        .activities(athlete, start, end, None)
        .await?
        .into_iter()
        .filter(|a| {
            crate::wire::trimmed_text(&a.id).is_some()
                && crate::wire::trimmed_text(&a.sport).is_some_and(|t| keep(&t))
        })
        .collect();
    list.sort_by(|a, b| {
        let day = |x: &IcuActivity| x.start_date_local.get().map(|s| s.as_str().to_string());
        day(b).cmp(&day(a))
    });
    Ok(list)
}

/// The durations (s) `get_power_curve` fits its CP / W′ / Pmax model on: the short end for
/// Pmax and every whole minute of 3–20 min.
pub(crate) fn model_durations_s() -> impl Iterator<Item = u32> {
    [1u32, 5, 10, 30, 60, 120]
        .into_iter()
        .chain((3..=20).map(|m| m * 60))
}

/// Checks a range's ends: `end_s` after `start_s`, naming `end_s`.
pub(crate) fn check_range(start_s: u32, end_s: u32) -> Result<(), ToolError> {
    if end_s <= start_s {
        return Err(ToolError::invalid(
            "end_s",
            format!("{end_s} is not after start_s {start_s}"),
        ));
    }
    Ok(())
}

/// The range as sample indexes within the recording: the end is clipped to the last second,
/// and a start past it (or no recording at all) is refused naming `start_s`.
pub(crate) fn range_in(
    data: &ActivityData,
    start_s: u32,
    end_s: u32,
) -> Result<(usize, usize), ToolError> {
    let n = data.streams.len();
    if n == 0 {
        return Err(ToolError::Failed(format!(
            "{} There is no recording to take a range of.",
            data.notes.join(" ")
        )));
    }
    let start = start_s as usize;
    if start >= n {
        return Err(ToolError::invalid(
            "start_s",
            format!("{start} is past the end of the recording ({} s)", n - 1),
        ));
    }
    Ok((start, (end_s as usize).min(n - 1)))
}

/// One mean-max point.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MeanMaxPoint {
    /// Duration, s.
    pub duration_s: u32,
    /// Best mean over that duration (W, bpm or m/s).
    pub value: f64,
    /// Where the best window starts, s from the start of the activity.
    pub start_s: usize,
}

/// Seiler's three zones and Treff's Polarization Index.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PolarisationView {
    /// Zones used: `power` (Z1+2 / Z3+4 / Z5–7 of Coggan's seven) or `heart_rate`
    /// (Z1+2 / Z3+4 / Z5 of the five LTHR zones).
    pub basis: String,
    /// Percent of the zoned time low / mid / high.
    pub percent: [f64; 3],
    /// log10((low/mid)·high·100) with fractions; null when a zone is empty.
    pub polarization_index: Option<f64>,
    /// PI > 2 and low > high > mid (Treff et al. 2019).
    pub polarized: bool,
}

/// The metrics of one window of an activity; a field is null when the streams or thresholds
/// lack what it needs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Metrics {
    /// Window start, s from the start of the activity.
    pub start_s: usize,
    /// Window end, s (inclusive).
    pub end_s: usize,
    /// Elapsed time of the window, s.
    pub duration_s: f64,
    /// Seconds with anything recorded (moving time; pauses excluded).
    pub recorded_s: f64,
    /// Distance covered in the window, m.
    pub distance_m: Option<f64>,
    /// Average power, W (gaps excluded, zeros included).
    pub avg_power_w: Option<f64>,
    /// Maximum power, W.
    pub max_power_w: Option<f64>,
    /// Normalized Power, W (§2.1, Coggan: first full 30 s window on).
    pub np_w: Option<f64>,
    /// Intensity factor NP/FTP.
    pub intensity_factor: Option<f64>,
    /// Training stress score over the window's elapsed time.
    pub tss: Option<f64>,
    /// Variability index NP/average.
    pub vi: Option<f64>,
    /// Efficiency factor NP/average HR.
    pub ef: Option<f64>,
    /// Work, kJ.
    pub work_kj: Option<f64>,
    /// Average heart rate, bpm.
    pub avg_heart_rate_bpm: Option<f64>,
    /// Maximum heart rate, bpm.
    pub max_heart_rate_bpm: Option<f64>,
    /// Average cadence, rpm.
    pub avg_cadence_rpm: Option<f64>,
    /// Average speed while recording, m/s.
    pub avg_speed_mps: Option<f64>,
    /// Pw:HR decoupling (Pa:HR without power), %: first half against second half by samples;
    /// positive means HR drifted up relative to output.
    pub decoupling_pct: Option<f64>,
    /// Lowest W′ balance, J (Skiba's differential model; below 0 means beyond the model).
    pub w_bal_min_j: Option<f64>,
    /// Seconds in Coggan power zones 1–7 (from FTP).
    pub time_in_power_zones_s: Option<Vec<f64>>,
    /// Seconds in HR zones 1–5 (from LTHR: 0/68/83/94/105 %).
    pub time_in_hr_zones_s: Option<Vec<f64>>,
    /// Polarisation of the zoned time (power zones when there is power).
    pub polarisation: Option<PolarisationView>,
    /// Best mean power at standard durations that fit the window.
    pub mean_max_power_w: Vec<MeanMaxPoint>,
    /// Best mean speed at standard durations, for activities without power.
    pub mean_max_speed_mps: Vec<MeanMaxPoint>,
    /// Normalized Graded Pace as a speed, m/s (runs; spec §2.3).
    pub ngp_mps: Option<f64>,
    /// Banister TRIMP from the average HR (spec §2.2), when HR and its bounds are known.
    pub trimp: Option<f64>,
    /// Seconds in the athlete's pace zones for the sport (runs, swims), slowest zone first.
    pub time_in_pace_zones_s: Option<Vec<f64>>,
    /// Training load and how it was scored: power TSS, else rTSS (runs), sTSS (swims), else
    /// hrTSS, with the formula and inputs used.
    pub load: Option<LoadView>,
}

/// `streams` cut to samples `start..=end` of every channel.
pub(crate) fn window(s: &Streams, start: usize, end: usize) -> Streams {
    let cut = |c: &Vec<Option<f64>>| -> Vec<Option<f64>> {
        let hi = (end + 1).min(c.len());
        if start < hi {
            c[start..hi].to_vec()
        } else {
            Vec::new()
        }
    };
    Streams {
        sample_rate_s: s.sample_rate_s,
        power_w: cut(&s.power_w),
        heart_rate_bpm: cut(&s.heart_rate_bpm),
        cadence_rpm: cut(&s.cadence_rpm),
        speed_mps: cut(&s.speed_mps),
        altitude_m: cut(&s.altitude_m),
        distance_m: cut(&s.distance_m),
    }
}

fn values(c: &[Option<f64>]) -> impl Iterator<Item = f64> + '_ {
    c.iter().flatten().copied().filter(|v| v.is_finite())
}

fn mean_of(c: &[Option<f64>], keep: fn(f64) -> bool) -> Option<f64> {
    let (s, n) = values(c)
        .filter(|v| keep(*v))
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| s / n as f64)
}

fn max_of(c: &[Option<f64>]) -> Option<f64> {
    values(c).reduce(f64::max)
}

fn mean_max_points(c: &[Option<f64>], dt: f64, places: i32) -> Vec<MeanMaxPoint> {
    if !c.iter().any(Option::is_some) {
        return Vec::new();
    }
    let curve = meanmax::mean_max(c, dt);
    MEAN_MAX_DURATIONS_S
        .iter()
        .filter_map(|&d| {
            let k = (f64::from(d) / dt).round() as usize;
            let v = curve.at(f64::from(d))?;
            let off = *curve.offsets.get(k.checked_sub(1)?)?;
            Some(MeanMaxPoint {
                duration_s: d,
                value: round(v, places),
                start_s: (off as f64 * dt) as usize,
            })
        })
        .collect()
}

/// The metrics of samples `start..=end` (absolute indexes, for the output) of `s`.
pub(crate) fn metrics(s: &Streams, start: usize, end: usize, t: &ThresholdsView) -> Metrics {
    let w = window(s, start, end);
    let dt = w.dt();
    let has_power = w.power_w.iter().any(Option::is_some);
    let r1 = |v: Option<f64>| v.map(|v| round(v, 1));
    let r2 = |v: Option<f64>| v.map(|v| round(v, 2));
    let recorded = (0..w.len())
        .filter(|&i| {
            [
                &w.power_w,
                &w.heart_rate_bpm,
                &w.cadence_rpm,
                &w.speed_mps,
                &w.altitude_m,
                &w.distance_m,
            ]
            .iter()
            .any(|c| c.get(i).is_some_and(Option::is_some))
        })
        .count();
    let distance_m = match (values(&w.distance_m).next(), values(&w.distance_m).last()) {
        (Some(a), Some(b)) if b >= a => Some(round(b - a, 0)),
        _ => None,
    };
    let power_zones = t
        .ftp_w
        .filter(|_| has_power)
        .and_then(|f| zones::time_in_power_zones(&w.power_w, dt, f));
    let hr_zones = t
        .lthr_bpm
        .filter(|_| w.heart_rate_bpm.iter().any(Option::is_some))
        .and_then(|l| zones::time_in_hr_zones(&w.heart_rate_bpm, dt, l));
    let polarisation = match (&power_zones, &hr_zones) {
        (Some(p), _) => zones::polarisation(p).map(|p| ("power", p)),
        (None, Some(h)) => {
            zones::polarisation_3([h[0] + h[1], h[2] + h[3], h[4]]).map(|p| ("heart_rate", p))
        }
        _ => None,
    }
    .map(|(basis, p)| PolarisationView {
        basis: basis.into(),
        percent: p.fractions.map(|f| round(f * 100.0, 1)),
        polarization_index: r2(p.polarization_index),
        polarized: p.polarized,
    });
    let w_bal_min_j = match (t.cp_w, t.w_prime_j) {
        (Some(cp), Some(wp)) => models::w_prime_balance_min(&w.power_w, dt, cp, wp),
        _ => None,
    };
    let tss = r1(t.ftp_w.and_then(|f| session::tss(&w, f)));
    let np_w = r1(session::normalized_power(&w));
    let extra = window_load(&w, tss, t.ftp_w, np_w, t.lthr_bpm, &t.load);
    Metrics {
        start_s: start,
        end_s: start + w.len().saturating_sub(1),
        duration_s: w.duration_s(),
        recorded_s: recorded as f64 * dt,
        distance_m,
        avg_power_w: r1(session::avg_power(&w)),
        max_power_w: max_of(&w.power_w),
        np_w,
        intensity_factor: r2(t.ftp_w.and_then(|f| session::intensity_factor(&w, f))),
        tss,
        vi: r2(session::variability_index(&w)),
        ef: r2(session::efficiency_factor(&w)),
        work_kj: r1(session::work_kj(&w)),
        avg_heart_rate_bpm: r1(session::avg_heart_rate(&w)),
        max_heart_rate_bpm: max_of(&w.heart_rate_bpm),
        avg_cadence_rpm: r1(mean_of(&w.cadence_rpm, |v| v > 0.0)),
        avg_speed_mps: r2(mean_of(&w.speed_mps, |_| true)),
        decoupling_pct: r1(session::decoupling_pct(&w)),
        w_bal_min_j: w_bal_min_j.map(|v| round(v, 0)),
        time_in_power_zones_s: power_zones.map(|z| z.to_vec()),
        time_in_hr_zones_s: hr_zones.map(|z| z.to_vec()),
        polarisation,
        mean_max_power_w: mean_max_points(&w.power_w, dt, 0),
        mean_max_speed_mps: if has_power {
            Vec::new()
        } else {
            mean_max_points(&w.speed_mps, dt, 2)
        },
        ngp_mps: extra.ngp_mps,
        trimp: extra.trimp,
        time_in_pace_zones_s: extra.time_in_pace_zones_s,
        load: extra.load,
    }
}

/// One lap or interval, measured from the streams (the device's own figures where the streams
/// lack the channel).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LapView {
    /// Label.
    pub label: String,
    /// Start, s from the start of the activity.
    pub start_s: usize,
    /// Elapsed time, s.
    pub duration_s: f64,
    /// Distance, m.
    pub distance_m: Option<f64>,
    /// Average power, W.
    pub avg_power_w: Option<f64>,
    /// Normalized Power, W (laps of 30 s or more).
    pub np_w: Option<f64>,
    /// Average heart rate, bpm.
    pub avg_heart_rate_bpm: Option<f64>,
    /// Average speed while recording, m/s.
    pub avg_speed_mps: Option<f64>,
}

/// The laps, at most [`MAX_LAPS`].
pub(crate) fn laps(data: &ActivityData) -> Vec<LapView> {
    data.segments
        .iter()
        .take(MAX_LAPS)
        .map(|seg: &Segment| {
            let w = window(&data.streams, seg.start_index, seg.end_index);
            let d = match (values(&w.distance_m).next(), values(&w.distance_m).last()) {
                (Some(a), Some(b)) if b >= a => Some(round(b - a, 0)),
                _ => seg.distance_m,
            };
            LapView {
                label: seg.label.clone(),
                start_s: seg.start_index,
                duration_s: (seg.end_index + 1 - seg.start_index) as f64,
                distance_m: d,
                avg_power_w: session::avg_power(&w)
                    .or(seg.avg_power_w)
                    .map(|v| round(v, 1)),
                np_w: session::normalized_power(&w).map(|v| round(v, 1)),
                avg_heart_rate_bpm: session::avg_heart_rate(&w)
                    .or(seg.avg_heart_rate_bpm)
                    .map(|v| round(v, 1)),
                avg_speed_mps: mean_of(&w.speed_mps, |_| true).map(|v| round(v, 2)),
            }
        })
        .collect()
}

/// `h:mm:ss` for a number of seconds.
pub(crate) fn clock_time(s: f64) -> String {
    let s = s.max(0.0).round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn push(parts: &mut Vec<String>, label: &str, v: Option<f64>, unit: &str) {
    if let Some(v) = v {
        parts.push(format!("{label} {v}{unit}"));
    }
}

/// The metrics as a few lines for the model.
pub(crate) fn metrics_text(m: &Metrics) -> String {
    let mut lines = Vec::new();
    let mut head = vec![format!(
        "{}–{} ({} elapsed, {} recorded)",
        clock_time(m.start_s as f64),
        clock_time(m.end_s as f64),
        clock_time(m.duration_s),
        clock_time(m.recorded_s)
    )];
    push(&mut head, "distance", m.distance_m, " m");
    lines.push(head.join(", "));
    let mut p = Vec::new();
    push(&mut p, "avg", m.avg_power_w, " W");
    push(&mut p, "NP", m.np_w, " W");
    push(&mut p, "max", m.max_power_w, " W");
    push(&mut p, "IF", m.intensity_factor, "");
    push(&mut p, "TSS", m.tss, "");
    push(&mut p, "VI", m.vi, "");
    push(&mut p, "work", m.work_kj, " kJ");
    if !p.is_empty() {
        lines.push(format!("Power: {}", p.join(", ")));
    }
    let mut h = Vec::new();
    push(&mut h, "avg", m.avg_heart_rate_bpm, " bpm");
    push(&mut h, "max", m.max_heart_rate_bpm, " bpm");
    push(&mut h, "EF", m.ef, "");
    push(&mut h, "decoupling", m.decoupling_pct, " %");
    if !h.is_empty() {
        lines.push(format!("Heart rate: {}", h.join(", ")));
    }
    let mut o = Vec::new();
    push(&mut o, "avg speed", m.avg_speed_mps, " m/s");
    push(&mut o, "avg cadence", m.avg_cadence_rpm, " rpm");
    push(&mut o, "W′bal min", m.w_bal_min_j, " J");
    if !o.is_empty() {
        lines.push(o.join(", "));
    }
    let zone_line = |name: &str, z: &[f64]| {
        let total: f64 = z.iter().sum();
        let parts: Vec<String> = z
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let pct = if total > 0.0 { s / total * 100.0 } else { 0.0 };
                format!("Z{} {} ({:.0} %)", i + 1, clock_time(*s), pct)
            })
            .collect();
        format!("{name}: {}", parts.join(", "))
    };
    if let Some(z) = &m.time_in_power_zones_s {
        lines.push(zone_line("Power zones", z));
    }
    if let Some(z) = &m.time_in_hr_zones_s {
        lines.push(zone_line("HR zones", z));
    }
    if let Some(z) = &m.time_in_pace_zones_s {
        lines.push(zone_line("Pace zones", z));
    }
    if let Some(l) = &m.load {
        lines.push(format!(
            "Load: {} {} = {}; inputs: {}",
            l.metric,
            l.score,
            l.formula,
            l.inputs.join(", ")
        ));
    }
    let mut g = Vec::new();
    push(&mut g, "NGP", m.ngp_mps, " m/s");
    push(&mut g, "TRIMP", m.trimp, "");
    if !g.is_empty() {
        lines.push(g.join(", "));
    }
    if let Some(p) = &m.polarisation {
        lines.push(format!(
            "Polarisation ({}): low {} %, mid {} %, high {} %, PI {}{}",
            p.basis,
            p.percent[0],
            p.percent[1],
            p.percent[2],
            p.polarization_index
                .map_or("undefined".to_string(), |v| v.to_string()),
            if p.polarized { " (polarized)" } else { "" }
        ));
    }
    for (name, pts, unit) in [
        ("Best power", &m.mean_max_power_w, " W"),
        ("Best speed", &m.mean_max_speed_mps, " m/s"),
    ] {
        if !pts.is_empty() {
            let parts: Vec<String> = pts
                .iter()
                .map(|p| format!("{} {}{unit}", duration_label(p.duration_s), p.value))
                .collect();
            lines.push(format!("{name}: {}", parts.join(", ")));
        }
    }
    lines.join("\n")
}

/// `5s`, `1min`, `1h30` for a duration.
fn duration_label(d: u32) -> String {
    match d {
        d if d < 60 => format!("{d}s"),
        d if d < 3600 => format!("{}min", d / 60),
        d if d % 3600 == 0 => format!("{}h", d / 3600),
        d => format!("{}h{:02}", d / 3600, d / 60 % 60),
    }
}

/// One line per lap, at most `limit`.
pub(crate) fn laps_text(laps: &[LapView], total: usize, limit: usize) -> String {
    let mut out = format!("Laps ({total}):");
    for l in laps.iter().take(limit) {
        let mut parts = vec![format!(
            "{} at {} for {}",
            l.label,
            clock_time(l.start_s as f64),
            clock_time(l.duration_s)
        )];
        push(&mut parts, "", l.avg_power_w, " W");
        push(&mut parts, "NP", l.np_w, " W");
        push(&mut parts, "", l.avg_heart_rate_bpm, " bpm");
        push(&mut parts, "", l.distance_m, " m");
        out.push_str(&format!("\n  {}", parts.join(", ").replace(",  ", ", ")));
    }
    if total > limit {
        out.push_str(&format!(
            "\n  … {} more in structured output{}",
            total - limit.min(total),
            if total > MAX_LAPS {
                format!(" (first {MAX_LAPS})")
            } else {
                String::new()
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_prefer_given_then_found_and_say_where_from() {
        let t = ThresholdsView::pick(
            [None, Some(165.0), None, None],
            &[(None, "device file"), (Some(250.0), "athlete settings")],
            &[(Some(170.0), "athlete settings")],
            &[],
        );
        assert_eq!(t.ftp_w, Some(250.0));
        assert_eq!(t.lthr_bpm, Some(165.0));
        assert_eq!(t.cp_w, Some(250.0));
        assert_eq!(t.w_prime_j, Some(DEFAULT_W_PRIME_J));
        assert_eq!(
            t.sources,
            [
                "FTP 250 W (athlete settings)",
                "LTHR 165 bpm (given)",
                "CP taken as FTP",
                "W′ 20000 J (assumed)"
            ]
        );
        let none = ThresholdsView::pick([None; 4], &[], &[], &[]);
        assert_eq!((none.cp_w, none.w_prime_j), (None, None));
    }

    #[test]
    fn a_window_past_a_short_channel_is_empty_not_a_panic() {
        let s = Streams {
            sample_rate_s: 1.0,
            power_w: vec![Some(100.0); 10],
            heart_rate_bpm: vec![Some(120.0); 3],
            ..Streams::default()
        };
        let w = window(&s, 5, 20);
        assert_eq!(w.power_w.len(), 5);
        assert!(w.heart_rate_bpm.is_empty());
        let m = metrics(&s, 5, 9, &ThresholdsView::default());
        assert_eq!((m.start_s, m.end_s, m.avg_power_w), (5, 9, Some(100.0)));
        assert_eq!(m.avg_heart_rate_bpm, None);
    }

    #[test]
    fn threshold_overrides_out_of_range_name_the_field() {
        let cases = [
            ([Some(5.0), None, None, None], "ftp_w"),
            ([None, Some(300.0), None, None], "lthr_bpm"),
            ([None, None, Some(f64::NAN), None], "cp_w"),
            ([None, None, None, Some(10.0)], "w_prime_j"),
        ];
        for (v, field) in cases {
            match check_thresholds(v[0], v[1], v[2], v[3]) {
                Err(ToolError::InvalidArgs { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
