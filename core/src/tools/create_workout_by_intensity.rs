//! `create_workout_by_intensity`: one training zone and a load (TSS) or a time in the zone →
//! a structured workout on the calendar (AI Endurance's `createRideRunWorkoutByIntensity`),
//! created through the same path as `create_workout` (the compiled structure, the full create
//! body of spec §5.3, one POST, the duplicate guard for creates).
//!
//! Zones, targets and the workout's shape are decided in `tools/shared/by_intensity.rs`,
//! which the Intervals.icu tool of the same name shares.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::shared::args::{AthleteId, Date};
use super::shared::by_intensity::{
    IntensityMetricArg, IntensitySport, Request, Zone, check_request, label, metric_of, plan, range,
};
use super::shared::workout_args::check_subtype;
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
        check_request(&request(args), args.title.as_deref())?;
        check_subtype(args.sport.sport(), args.subtype_id)?;
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let metric = metric_of(args.sport, args.metric);
        let plan = plan(&request(&args))?;
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
            metric.threshold_words(),
            plan.compiled.summary,
            match args.tss {
                Some(t) => format!("load (target TSS {t:.0})"),
                None => "time".into(),
            }
        );
        let aid = args.athlete_id.resolve(ctx).await?;
        let new = NewWorkout {
            date: Some(args.date.0),
            type_id: args.sport.sport().type_id(),
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
            intensity_metric: metric.wire_name().into(),
            duration_hours: m.total_hours,
            if_planned: m.if_planned,
            tss_planned: m.tss_planned,
            tss_target: args.tss,
        };
        Ok((text(&out, args.date.0), out))
    }
}

/// The shared builder's view of the arguments.
fn request(args: &CreateWorkoutByIntensityArgs) -> Request {
    Request {
        sport: args.sport,
        zone: args.zone,
        load: args.tss,
        zone_minutes: args.zone_minutes,
        repeats: args.repeats,
        metric: args.metric,
        load_field: "tss",
    }
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
