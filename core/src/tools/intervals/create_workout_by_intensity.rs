//! `create_workout_by_intensity` on Intervals.icu: one training zone and a load or a time in
//! the zone → a planned workout (AI Endurance's `createRideRunWorkoutByIntensity`). The workout
//! is the one the TrainingPeaks tool of that name builds (`tools/shared/by_intensity.rs`: zones,
//! targets, shape, the zone time that comes closest to the load), printed as Intervals.icu
//! workout text (`structure::icu_text::print`) below a one-paragraph note saying how it was
//! built, and created as a WORKOUT event with one `POST
//! /api/v1/athlete/{id}/events?upsertOnUid=false` (the `add_or_update_event` path, through the
//! duplicate guard for creates). Intervals.icu parses the text and computes its own duration
//! and load, which the result shows beside ours.

use chrono::NaiveTime;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, EventSummary, IcuAthleteId, PlannedRequest, event_line};
use crate::intervals::events::EventWrite;
use crate::structure::icu_text;
use crate::tools::shared::args::Date;
use crate::tools::shared::by_intensity::{
    IntensityMetricArg, IntensitySport, Request, Zone, check_request, label, metric_of, plan, range,
};
use crate::tools::shared::workout_view::format_hours;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `create_workout_by_intensity`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateWorkoutByIntensityArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// Day of the workout, `YYYY-MM-DD`.
    pub start_date: Date,
    /// `bike` (an Intervals.icu Ride) or `run` (Run).
    pub sport: IntensitySport,
    /// The training zone: recovery, endurance, tempo, threshold, vo2max, anaerobic.
    pub zone: Zone,
    /// Target training load of the whole workout (TSS scale), 5 to 400. Give this or
    /// `zone_minutes`.
    #[serde(default)]
    pub load: Option<f64>,
    /// Minutes in the zone (warm-up, recoveries and cool-down come on top), 1 to 360. Give
    /// this or `load`.
    #[serde(default)]
    pub zone_minutes: Option<f64>,
    /// Split the zone time into this many intervals with easy recoveries between (1 to 30).
    #[serde(default)]
    pub repeats: Option<u32>,
    /// Target metric: `power` (% FTP; bike only, the bike's default) or `heart_rate`
    /// (% LTHR; the run's default).
    #[serde(default)]
    pub metric: Option<IntensityMetricArg>,
    /// Name (default e.g. "Threshold 4×10 min").
    #[serde(default)]
    pub name: Option<String>,
    /// Indoor workout.
    #[serde(default)]
    pub indoor: Option<bool>,
    /// Return the workout and the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// Result of `create_workout_by_intensity`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreateWorkoutByIntensityOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent).
    pub request: PlannedRequest,
    /// The event as Intervals.icu stored it, with the duration and load it computed (not on a
    /// dry run).
    pub event: Option<EventSummary>,
    /// The name used.
    pub name: String,
    /// The workout text sent as the description.
    pub workout_text: String,
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
    /// Planned duration, hours (Paceline's compiler).
    pub duration_hours: f64,
    /// Planned IF (Paceline's compiler).
    pub if_planned: f64,
    /// Planned load, TSS (Paceline's compiler; Intervals.icu's own is in `event`).
    pub load_planned: f64,
    /// The load asked for, if one was.
    pub load_target: Option<f64>,
}

/// The tool.
pub struct CreateWorkoutByIntensity;

impl TypedTool for CreateWorkoutByIntensity {
    type Args = CreateWorkoutByIntensityArgs;
    type Output = CreateWorkoutByIntensityOutput;
    const NAME: &'static str = "create_workout_by_intensity";
    const DESCRIPTION: &'static str = "Plan a structured bike or run workout on Intervals.icu from \
one zone (recovery, endurance, tempo, threshold, vo2max, anaerobic) and either a load (whole \
workout, TSS scale) or a time in the zone (zone_minutes). Tempo and harder get a 10 min warm-up \
and cool-down; threshold, vo2max and anaerobic are split into intervals with easy recoveries \
(repeats sets the count). Bike targets are % FTP (Coggan zones), run targets % LTHR. It is sent \
as Intervals.icu workout text; the result shows Intervals.icu's duration and load. dry_run=true \
returns the workout text and the request without sending it. For any other shape use \
add_or_update_event with workout text.";
    const ANNOTATIONS: Annotations = Annotations::create("Plan an Intervals.icu workout by zone");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        check_request(&request(args), args.name.as_deref())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let metric = metric_of(args.sport, args.metric);
        let plan = plan(&request(&args))?;
        let m = plan.compiled.metrics.ok_or_else(|| {
            ToolError::Failed("the built structure has no planned metrics".into())
        })?;
        let name = args
            .name
            .as_deref()
            .map(|t| t.trim().to_string())
            .unwrap_or_else(|| plan.title(args.zone));
        let (lo, hi) = range(args.zone, metric);
        let steps = icu_text::print_value(&plan.compiled.wire).map_err(|e| {
            ToolError::Failed(format!(
                "the built workout could not be written as text: {e}"
            ))
        })?;
        // A note paragraph (no step follows it directly), then the steps.
        let note = format!(
            "{} ({lo:.0}–{hi:.0} % {}). Built by zone and {}.",
            label(args.zone),
            metric.threshold_words(),
            match args.load {
                Some(t) => format!("load (target {t:.0})"),
                None => "time".into(),
            }
        );
        let workout_text = format!("{note}\n\n{}", steps.trim_end());
        let w = EventWrite {
            category: Some("WORKOUT".into()),
            start: Some(args.start_date.0.and_time(NaiveTime::MIN)),
            sport: Some(
                match args.sport {
                    IntensitySport::Bike => "Ride",
                    IntensitySport::Run => "Run",
                }
                .into(),
            ),
            name: Some(name.clone()),
            description: Some(workout_text.clone()),
            indoor: args.indoor,
            ..EventWrite::default()
        };
        let (t, written) = common::write_event(
            icu,
            args.athlete_id.get(),
            None,
            &w,
            args.dry_run,
            "workout",
        )
        .await?;
        let out = CreateWorkoutByIntensityOutput {
            dry_run: written.dry_run,
            request: written.request,
            event: written.event,
            name,
            workout_text,
            structure_summary: plan.compiled.summary.clone(),
            zone_minutes: plan.zone_minutes,
            repeats: plan.repeats,
            zone_range: [lo, hi],
            intensity_metric: metric.wire_name().into(),
            duration_hours: m.total_hours,
            if_planned: m.if_planned,
            load_planned: m.tss_planned,
            load_target: args.load,
        };
        let head = match &out.event {
            Some(e) => format!("Workout planned: {}", event_line(e)),
            None => t,
        };
        let text = format!(
            "{head}\nStructure: {}\n{:.0} min in the zone ({lo:.0}–{hi:.0} %), planned {} · IF \
             {:.2} · load {:.1}{} (Paceline's compiler).",
            out.structure_summary,
            out.zone_minutes,
            format_hours(out.duration_hours),
            out.if_planned,
            out.load_planned,
            out.load_target
                .map(|t| format!(" (target {t:.0})"))
                .unwrap_or_default()
        );
        Ok((text, out))
    }
}

/// The shared builder's view of the arguments.
fn request(args: &CreateWorkoutByIntensityArgs) -> Request {
    Request {
        sport: args.sport,
        zone: args.zone,
        load: args.load,
        zone_minutes: args.zone_minutes,
        repeats: args.repeats,
        metric: args.metric,
        load_field: "load",
    }
}
