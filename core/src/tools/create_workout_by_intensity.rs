//! `create_workout_by_intensity`: one training zone and a load (TSS) or a time in the zone →
//! a structured workout on the calendar (AI Endurance's `createRideRunWorkoutByIntensity`),
//! created through the same path as `create_workout` (the compiled structure, the full create
//! body of spec §5.3, one POST, the duplicate guard for creates).
//!
//! Zones are the five AI Endurance names plus recovery, on the spec's tables (shared
//! analytics spec §2.11): Coggan power levels as % of FTP for bikes (recovery < 55, endurance
//! 55–75, tempo 75–90, threshold 90–105, VO2max 105–120, anaerobic 120–150), and the
//! GoldenCheetah heart-rate zones as % of threshold HR (0/68/83/94/105) where there is no power
//! (runs): VO2max is capped at 110 % (own choice: heart rate hardly goes higher, and a target
//! needs a top), and anaerobic is refused, since heart rate lags efforts that short.
//!
//! Shape (own choice, written down here): tempo and harder get a 10 min warm-up and a 10 min
//! cool-down; the zone time is one block, or intervals with easy recoveries (threshold 10 min
//! with half as long easy, VO2max 4 min with as long easy, anaerobic 1 min with twice as long
//! easy; `repeats` overrides the count). With a TSS the zone time is the whole number of
//! minutes whose compiled workout comes closest to it; the planned TSS is the compiler's, the
//! one `create_workout` stores.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::shared::args::{AthleteId, Date, Sport};
use super::shared::workout_args::{CompiledStructure, check_subtype, compile_structure};
use super::shared::workout_view::{WorkoutItem, format_hours, view};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::workouts::{NewWorkout, create_body};

/// The tool.
pub struct CreateWorkoutByIntensity;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateWorkoutByIntensityArgs {
    /// Day of the workout, `YYYY-MM-DD`.
    pub date: Date,
    /// `bike` or `run`.
    pub sport: IntensitySport,
    /// The training zone: recovery, endurance, tempo, threshold, vo2max, anaerobic.
    pub zone: Zone,
    /// Target training load (TSS) of the whole workout, 5 to 400. Give this or
    /// `zone_minutes`.
    #[serde(default)]
    pub tss: Option<f64>,
    /// Minutes in the zone (warm-up, recoveries and cool-down come on top), 1 to 360. Give
    /// this or `tss`.
    #[serde(default)]
    pub zone_minutes: Option<f64>,
    /// Split the zone time into this many intervals with easy recoveries between (1 to 30).
    #[serde(default)]
    pub repeats: Option<u32>,
    /// Target metric: `power` (% FTP; bike only, the bike's default) or `heart_rate`
    /// (% threshold HR; the run's default).
    #[serde(default)]
    pub metric: Option<IntensityMetricArg>,
    /// Title (default e.g. "Threshold 4×10 min").
    #[serde(default)]
    pub title: Option<String>,
    /// Subtype id of the sport (see `get_workout_types`), e.g. 6 = indoor bike.
    #[serde(default)]
    pub subtype_id: Option<i64>,
    /// Show the workout and the exact request without creating anything.
    #[serde(default)]
    pub dry_run: bool,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// The sports this tool builds for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntensitySport {
    /// Bike (power by default).
    Bike,
    /// Run (heart rate).
    Run,
}

/// Training zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// Active recovery.
    Recovery,
    /// Endurance.
    Endurance,
    /// Tempo.
    Tempo,
    /// Threshold.
    Threshold,
    /// VO2max.
    Vo2max,
    /// Anaerobic capacity (power only).
    Anaerobic,
}

/// The target metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntensityMetricArg {
    /// % of FTP.
    Power,
    /// % of threshold heart rate.
    HeartRate,
}

/// The exact request (dry run).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlannedRequest {
    /// `POST`.
    pub method: String,
    /// The path on tpapi.trainingpeaks.com.
    pub path: String,
    /// The body.
    pub body: Value,
}

/// The result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreateWorkoutByIntensityOutput {
    /// The created workout (absent on a dry run).
    pub workout: Option<WorkoutItem>,
    /// True when nothing was sent.
    pub dry_run: bool,
    /// The request sent, or that would be sent.
    pub request: PlannedRequest,
    /// The title used.
    pub title: String,
    /// One-line summary of the structure.
    pub structure_summary: String,
    /// Minutes in the zone.
    pub zone_minutes: f64,
    /// Intervals the zone time is split into.
    pub repeats: u32,
    /// The zone's target range, % of the threshold.
    pub zone_range: [f64; 2],
    /// `percentOfFtp` or `percentOfThresholdHr`.
    pub intensity_metric: String,
    /// Planned duration, hours.
    pub duration_hours: f64,
    /// Planned IF.
    pub if_planned: f64,
    /// Planned TSS.
    pub tss_planned: f64,
    /// The TSS asked for, if one was.
    pub tss_target: Option<f64>,
}

impl TypedTool for CreateWorkoutByIntensity {
    type Args = CreateWorkoutByIntensityArgs;
    type Output = CreateWorkoutByIntensityOutput;
    const NAME: &'static str = "create_workout_by_intensity";
    const DESCRIPTION: &'static str = "Create a structured bike or run workout from one zone (recovery, endurance, tempo, \
threshold, vo2max, anaerobic) and either a load (tss, whole workout) or a time in the zone (zone_minutes). Tempo and \
harder get a 10 min warm-up and cool-down; threshold, vo2max and anaerobic are split into intervals with easy \
recoveries (repeats sets the count). Bike targets are % FTP (Coggan zones), run targets % threshold HR. With tss the \
zone time is chosen so the planned TSS comes closest (about 100 TSS is a hard session). dry_run=true shows the workout \
and the exact request without creating it. For any other shape use create_workout with a structure.";
    const ANNOTATIONS: Annotations = Annotations::create("Create workout by intensity");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        match (args.tss, args.zone_minutes) {
            (Some(_), Some(_)) => {
                return Err(ToolError::invalid(
                    "zone_minutes",
                    "give tss or zone_minutes, not both",
                ));
            }
            (None, None) => {
                return Err(ToolError::invalid(
                    "tss",
                    "give a load (tss, e.g. 80) or a time in the zone (zone_minutes, e.g. 40)",
                ));
            }
            (Some(t), None) if !(t.is_finite() && (5.0..=400.0).contains(&t)) => {
                return Err(ToolError::invalid(
                    "tss",
                    format!("{t} is out of range: 5 to 400"),
                ));
            }
            (None, Some(m)) => {
                if !(m.is_finite() && (1.0..=360.0).contains(&m)) {
                    return Err(ToolError::invalid(
                        "zone_minutes",
                        format!("{m} is out of range: 1 to 360"),
                    ));
                }
                let cap = cap_minutes(args.zone);
                if m > cap {
                    return Err(ToolError::invalid(
                        "zone_minutes",
                        format!(
                            "at most {cap} minutes of {} in one workout",
                            label(args.zone)
                        ),
                    ));
                }
            }
            _ => {}
        }
        if let Some(r) = args.repeats
            && !(1..=30).contains(&r)
        {
            return Err(ToolError::invalid(
                "repeats",
                format!("{r} is out of range: 1 to 30"),
            ));
        }
        let metric = metric_of(args);
        if metric == IntensityMetricArg::Power && args.sport == IntensitySport::Run {
            return Err(ToolError::invalid(
                "metric",
                "power targets are for bikes; runs use heart_rate",
            ));
        }
        if metric == IntensityMetricArg::HeartRate && args.zone == Zone::Anaerobic {
            return Err(ToolError::invalid(
                "zone",
                "anaerobic efforts are too short for heart-rate targets (heart rate lags); use a bike with power, or vo2max",
            ));
        }
        if let Some(t) = &args.title
            && t.trim().is_empty()
        {
            return Err(ToolError::invalid(
                "title",
                "must not be empty; omit it for the default",
            ));
        }
        check_subtype(sport(args.sport), args.subtype_id)?;
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let metric = metric_of(&args);
        let plan = match (args.tss, args.zone_minutes) {
            (_, Some(m)) => build(args.zone, metric, m.round().max(1.0), args.repeats)?,
            (Some(t), None) => for_tss(args.zone, metric, t, args.repeats)?,
            (None, None) => return Err(ToolError::invalid("tss", "give tss or zone_minutes")),
        };
        let m = plan.compiled.metrics.ok_or_else(|| {
            ToolError::Failed("the built structure has no planned metrics".into())
        })?;
        let title = args
            .title
            .as_deref()
            .map(|t| t.trim().to_string())
            .unwrap_or_else(|| plan.title(args.zone));
        let (lo, hi) = range(args.zone, metric);
        let description = format!(
            "{} ({lo:.0}–{hi:.0} % {}): {}. Built by zone and {}.",
            label(args.zone),
            match metric {
                IntensityMetricArg::Power => "FTP",
                IntensityMetricArg::HeartRate => "threshold HR",
            },
            plan.compiled.summary,
            match args.tss {
                Some(t) => format!("load (target TSS {t:.0})"),
                None => "time".into(),
            }
        );
        let aid = args.athlete_id.resolve(ctx).await?;
        let new = NewWorkout {
            date: Some(args.date.0),
            type_id: sport(args.sport).type_id(),
            subtype_id: args.subtype_id,
            title: title.clone(),
            description: Some(description),
            coach_comments: None,
            total_time_planned: Some(m.total_hours),
            distance_planned: None,
            tss_planned: Some(m.tss_planned),
            if_planned: Some(m.if_planned),
            energy_planned: m.energy_planned,
            structure: Some(plan.compiled.wire.clone()),
            user_tags: String::new(),
        };
        let body = create_body(aid, &new);
        let request = PlannedRequest {
            method: "POST".into(),
            path: format!("/fitness/v6/athletes/{aid}/workouts"),
            body: body.clone(),
        };
        let workout = if args.dry_run {
            None
        } else {
            let created = ctx.client.create_workout(aid, &body).await?;
            Some(WorkoutItem::from_workout(&view(&created)))
        };
        let out = CreateWorkoutByIntensityOutput {
            workout,
            dry_run: args.dry_run,
            request,
            title,
            structure_summary: plan.compiled.summary.clone(),
            zone_minutes: plan.zone_minutes,
            repeats: plan.repeats,
            zone_range: [lo, hi],
            intensity_metric: match metric {
                IntensityMetricArg::Power => "percentOfFtp".into(),
                IntensityMetricArg::HeartRate => "percentOfThresholdHr".into(),
            },
            duration_hours: m.total_hours,
            if_planned: m.if_planned,
            tss_planned: m.tss_planned,
            tss_target: args.tss,
        };
        Ok((text(&out, args.date.0), out))
    }
}

fn sport(s: IntensitySport) -> Sport {
    match s {
        IntensitySport::Bike => Sport::Bike,
        IntensitySport::Run => Sport::Run,
    }
}

fn metric_of(args: &CreateWorkoutByIntensityArgs) -> IntensityMetricArg {
    args.metric.unwrap_or(match args.sport {
        IntensitySport::Bike => IntensityMetricArg::Power,
        IntensitySport::Run => IntensityMetricArg::HeartRate,
    })
}

fn label(z: Zone) -> &'static str {
    match z {
        Zone::Recovery => "Recovery",
        Zone::Endurance => "Endurance",
        Zone::Tempo => "Tempo",
        Zone::Threshold => "Threshold",
        Zone::Vo2max => "VO2max",
        Zone::Anaerobic => "Anaerobic",
    }
}

/// The zone's target range, % of the threshold (spec §2.11; see the module docs).
fn range(z: Zone, m: IntensityMetricArg) -> (f64, f64) {
    match (m, z) {
        (IntensityMetricArg::Power, Zone::Recovery) => (45.0, 55.0),
        (IntensityMetricArg::Power, Zone::Endurance) => (56.0, 75.0),
        (IntensityMetricArg::Power, Zone::Tempo) => (76.0, 90.0),
        (IntensityMetricArg::Power, Zone::Threshold) => (91.0, 105.0),
        (IntensityMetricArg::Power, Zone::Vo2max) => (106.0, 120.0),
        (IntensityMetricArg::Power, Zone::Anaerobic) => (121.0, 150.0),
        (IntensityMetricArg::HeartRate, Zone::Recovery) => (60.0, 68.0),
        (IntensityMetricArg::HeartRate, Zone::Endurance) => (69.0, 83.0),
        (IntensityMetricArg::HeartRate, Zone::Tempo) => (84.0, 94.0),
        (IntensityMetricArg::HeartRate, Zone::Threshold) => (95.0, 105.0),
        // Refused in `check` for anaerobic; VO2max capped at 110 %.
        (IntensityMetricArg::HeartRate, Zone::Vo2max | Zone::Anaerobic) => (106.0, 110.0),
    }
}

/// Easy range for warm-up, recoveries and cool-down: power zone 1 / HR zone 1.
fn easy(m: IntensityMetricArg) -> (f64, f64) {
    match m {
        IntensityMetricArg::Power => (45.0, 55.0),
        IntensityMetricArg::HeartRate => (60.0, 68.0),
    }
}

/// Most minutes of a zone in one workout.
fn cap_minutes(z: Zone) -> f64 {
    match z {
        Zone::Recovery => 180.0,
        Zone::Endurance => 360.0,
        Zone::Tempo => 180.0,
        Zone::Threshold => 120.0,
        Zone::Vo2max => 60.0,
        Zone::Anaerobic => 20.0,
    }
}

/// Default interval length in minutes and recovery/work ratio (none: one block).
fn intervals(z: Zone) -> Option<(f64, f64)> {
    match z {
        Zone::Threshold => Some((10.0, 0.5)),
        Zone::Vo2max => Some((4.0, 1.0)),
        Zone::Anaerobic => Some((1.0, 2.0)),
        _ => None,
    }
}

struct Plan {
    compiled: CompiledStructure,
    zone_minutes: f64,
    repeats: u32,
    work_s: f64,
}

impl Plan {
    fn title(&self, z: Zone) -> String {
        if self.repeats > 1 {
            let w = self.work_s / 60.0;
            let w = if (w - w.round()).abs() < 1e-9 {
                format!("{w:.0}")
            } else {
                format!("{w:.1}")
            };
            format!("{} {}×{w} min", label(z), self.repeats)
        } else {
            format!("{} {:.0} min", label(z), self.zone_minutes)
        }
    }
}

/// The workout for `minutes` in the zone.
fn build(
    z: Zone,
    m: IntensityMetricArg,
    minutes: f64,
    repeats: Option<u32>,
) -> Result<Plan, ToolError> {
    let (lo, hi) = range(z, m);
    let (elo, ehi) = easy(m);
    let shape = intervals(z);
    let n = repeats.unwrap_or_else(|| match shape {
        Some((len, _)) => (minutes / len).round().max(1.0) as u32,
        None => 1,
    });
    let work_s = (minutes * 60.0 / f64::from(n)).round();
    let ratio = shape.map_or(0.5, |s| s.1);
    let rest_s = (work_s * ratio).round().max(60.0);
    let work = json!({"name": label(z), "duration_seconds": work_s, "intensity_min": lo,
                      "intensity_max": hi, "intensityClass": "active"});
    let mut steps = Vec::new();
    let framed = !matches!(z, Zone::Recovery | Zone::Endurance);
    if framed {
        steps.push(
            json!({"name": "Warm up", "duration_seconds": 600, "intensity_min": elo,
                          "intensity_max": ehi + 10.0, "intensityClass": "warmUp"}),
        );
    }
    if n > 1 {
        steps.push(json!({"type": "repetition", "reps": n, "steps": [work,
            {"name": "Easy", "duration_seconds": rest_s, "intensity_min": elo,
             "intensity_max": ehi, "intensityClass": "rest"}]}));
    } else {
        steps.push(work);
    }
    if framed {
        steps.push(
            json!({"name": "Cool down", "duration_seconds": 600, "intensity_min": elo,
                          "intensity_max": ehi, "intensityClass": "coolDown"}),
        );
    }
    let friendly = json!({"primaryIntensityMetric": match m {
        IntensityMetricArg::Power => "percentOfFtp",
        IntensityMetricArg::HeartRate => "percentOfThresholdHr",
    }, "steps": steps});
    Ok(Plan {
        compiled: compile_structure(&friendly)?,
        zone_minutes: work_s * f64::from(n) / 60.0,
        repeats: n,
        work_s,
    })
}

/// The workout whose planned TSS comes closest to `tss`, over whole minutes in the zone.
fn for_tss(
    z: Zone,
    m: IntensityMetricArg,
    tss: f64,
    repeats: Option<u32>,
) -> Result<Plan, ToolError> {
    let cap = cap_minutes(z) as u32;
    let tss_of = |p: &Plan| p.compiled.metrics.map_or(0.0, |x| x.tss_planned);
    let mut best: Option<(f64, Plan)> = None;
    for minutes in 1..=cap {
        let p = build(z, m, f64::from(minutes), repeats)?;
        let t = tss_of(&p);
        let miss = (t - tss).abs();
        if best.as_ref().is_none_or(|b| miss < b.0) {
            best = Some((miss, p));
        }
        // TSS grows with the zone time: once past the target, longer is only further off.
        if t > tss {
            break;
        }
    }
    let (miss, plan) =
        best.ok_or_else(|| ToolError::invalid("tss", "no workout could be built"))?;
    if miss > (tss * 0.1).max(5.0) {
        let got = tss_of(&plan);
        return Err(ToolError::invalid(
            "tss",
            format!(
                "{tss:.0} TSS is out of reach for {} (closest: {got:.0} TSS with {:.0} min in the zone, at most {cap} min); choose another zone or give zone_minutes",
                label(z),
                plan.zone_minutes
            ),
        ));
    }
    Ok(plan)
}

fn text(out: &CreateWorkoutByIntensityOutput, date: NaiveDate) -> String {
    let head = match &out.workout {
        Some(w) => format!("Workout created: {}", w.line()),
        None => format!(
            "Dry run, nothing created: \"{}\" on {date} would be sent as {} {}.",
            out.title, out.request.method, out.request.path
        ),
    };
    format!(
        "{head}\nStructure: {}\n{:.0} min in the zone ({:.0}–{:.0} %), planned {} · IF {:.2} · TSS {:.1}{}",
        out.structure_summary,
        out.zone_minutes,
        out.zone_range[0],
        out.zone_range[1],
        format_hours(out.duration_hours),
        out.if_planned,
        out.tss_planned,
        out.tss_target
            .map(|t| format!(" (target {t:.0})"))
            .unwrap_or_default()
    )
}
