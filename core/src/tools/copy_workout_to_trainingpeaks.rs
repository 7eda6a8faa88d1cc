//! `copy_workout_to_trainingpeaks`: planned Intervals.icu workouts copied to the TrainingPeaks
//! calendar (issue 9), one event by id or every WORKOUT event in a date range.
//!
//! Reads `GET /api/v1/athlete/{id}/events/{eventId}` (one) or
//! `…/events?oldest&newest&category=WORKOUT` (a range), and `GET …/sport-settings` (the
//! thresholds and zones the workout text refers to) on Intervals.icu, and
//! `GET /fitness/v6/athletes/{aid}/workouts/{start}/{end}` on TrainingPeaks (to find copies
//! already there); then sends one `POST /fitness/v6/athletes/{aid}/workouts` per workout with
//! the create body every TrainingPeaks create uses (`create_body`): day, sport, title, the
//! description's free text ending with a marker line, tags, and the structure compiled from the
//! Intervals.icu workout text (`structure::icu_text::parse`), with the planned duration, TSS and
//! IF computed from it. A workout whose text cannot be converted is copied without steps, its
//! text kept in the description, with Intervals.icu's planned time, distance and load. How
//! copies are recognised: `tools/shared/cross_platform.rs`.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use super::intervals::common::icu;
use super::intervals::{IcuAthleteId, PlannedRequest};
use super::shared::args::{AthleteId, Date, DateRange, Sport};
use super::shared::cross_platform::{
    CopiedWorkout, CopyOutput, CopyStatus, has_marker, marker_for, same_title,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::intervals::athlete::SportSettings;
use crate::intervals::events::Event;
use crate::intervals::sports::tp_type_for_icu;
use crate::intervals::{IcuClient, IcuError};
use crate::structure::icu_text::{self, Options};
use crate::structure::{IntensityMetric, metrics, planned_distance_meters};
use crate::trainingpeaks::TpError;
use crate::trainingpeaks::workouts::{NewWorkout, Workout, create_body, normalize_tags};
use crate::zones::Zone;

/// The tool.
pub struct CopyWorkoutToTrainingpeaks;

/// The longest range copied in one call, in days.
const MAX_DAYS: i64 = 90;

/// Arguments of [`CopyWorkoutToTrainingpeaks`].
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CopyWorkoutToTrainingpeaksArgs {
    /// The Intervals.icu event to copy (a WORKOUT event id, from icu_get_events). Give this, or
    /// start_date and end_date.
    #[serde(default)]
    pub event_id: Option<i64>,
    /// First day of a range (YYYY-MM-DD): every planned Intervals.icu workout from start_date
    /// to end_date is copied (at most 90 days).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last day of the range (YYYY-MM-DD, inclusive).
    #[serde(default)]
    pub end_date: Option<Date>,
    /// Intervals.icu athlete to copy from (coaches: i12345); omitted = yourself.
    #[serde(default)]
    pub icu_athlete_id: IcuAthleteId,
    /// TrainingPeaks athlete id to copy to (coaches); omitted = yourself.
    #[serde(default)]
    pub athlete_id: AthleteId,
    /// true: send nothing; return exactly the requests that would be sent, per workout.
    #[serde(default)]
    pub dry_run: bool,
}

fn check_choice(args: &CopyWorkoutToTrainingpeaksArgs) -> Result<Option<DateRange>, ToolError> {
    match (args.event_id, args.start_date, args.end_date) {
        (Some(id), None, None) => {
            if id <= 0 {
                return Err(ToolError::invalid(
                    "event_id",
                    format!("{id} is not an id; ids are positive integers"),
                ));
            }
            Ok(None)
        }
        (None, Some(s), Some(e)) => Ok(Some(DateRange::new(s, e)?.at_most(MAX_DAYS, "90 days")?)),
        (Some(_), _, _) => Err(ToolError::invalid(
            "event_id",
            "give either event_id or start_date and end_date, not both",
        )),
        (None, Some(_), None) => Err(ToolError::invalid(
            "end_date",
            "give end_date with start_date (the range's last day)",
        )),
        (None, None, Some(_)) => Err(ToolError::invalid(
            "start_date",
            "give start_date with end_date (the range's first day)",
        )),
        (None, None, None) => Err(ToolError::invalid(
            "event_id",
            "give event_id (one workout) or start_date and end_date (a range)",
        )),
    }
}

impl TypedTool for CopyWorkoutToTrainingpeaks {
    type Args = CopyWorkoutToTrainingpeaksArgs;
    type Output = super::shared::cross_platform::CopyOutput;
    const NAME: &'static str = "copy_workout_to_trainingpeaks";
    const DESCRIPTION: &'static str = "Copy planned Intervals.icu workouts to the TrainingPeaks \
calendar: one (event_id) or every planned workout (WORKOUT event) from start_date to end_date (at \
most 90 days). Each copy keeps the day, title, sport, description, tags and the structure: the \
Intervals.icu workout text is converted to TrainingPeaks steps with your Intervals.icu thresholds, \
and TrainingPeaks computes duration, TSS and IF from them. The result lists, per workout, what \
could not be carried over (a sport TrainingPeaks lacks, text TrainingPeaks cannot hold such as \
%MMP or mixed power and heart-rate targets, section names); such a workout is copied without steps, \
its text kept in the description. Workouts already on TrainingPeaks (copied before: a description \
line 'Copied from Intervals.icu event <id>'; or the same day, title and sport) are skipped, so \
calling twice creates no duplicates. dry_run: true returns exactly what would be sent.";
    const ANNOTATIONS: Annotations = Annotations::create("Copy workouts to TrainingPeaks");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.icu_athlete_id.check().map_err(|e| match e {
            ToolError::Icu(IcuError::InvalidInput { message, .. }) => {
                ToolError::invalid("icu_athlete_id", message)
            }
            other => other,
        })?;
        check_choice(args).map(drop)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let range = check_choice(&args)?;
        let icu = icu(ctx)?;
        let athlete = args.icu_athlete_id.get();
        let sources: Vec<Event> = match (args.event_id, range) {
            (Some(id), _) => vec![icu.event(athlete, id).await?],
            (None, Some(r)) => {
                icu.events(athlete, r.start.0, r.end.0, &["WORKOUT"])
                    .await?
            }
            (None, None) => Vec::new(),
        };
        let aid = args.athlete_id.resolve(ctx).await?;
        let days: Vec<_> = sources.iter().filter_map(day_of).collect();
        let existing: Vec<Box<Workout>> = match (days.iter().min(), days.iter().max()) {
            (Some(a), Some(b)) => ctx.client.workouts(aid, *a, *b).await?,
            _ => Vec::new(),
        };
        // The thresholds the text refers to, read once and only if a text needs them.
        let mut settings: Option<Vec<SportSettings>> = None;
        let mut reports = Vec::new();
        let total = sources.len() as u64;
        for (n, e) in sources.iter().enumerate() {
            let r = copy_one(
                ctx,
                icu,
                athlete,
                aid,
                e,
                &existing,
                &mut settings,
                args.dry_run,
            )
            .await?;
            reports.push(r);
            // One create each under TrainingPeaks' budget: say how far the copy is.
            if total > 1 {
                ctx.client
                    .report_step(n as u64 + 1, total, "workouts copied");
            }
        }
        Ok(CopyOutput::finish(args.dry_run, "TrainingPeaks", reports))
    }
}

fn day_of(e: &Event) -> Option<chrono::NaiveDate> {
    e.start_date_local.get().map(|s| s.at().date())
}

/// Copies one event (or plans it, or says why not).
#[allow(clippy::too_many_arguments)] // one workout's whole context; a struct would only rename it
async fn copy_one(
    ctx: &ToolContext,
    icu: &IcuClient,
    athlete: Option<&str>,
    aid: i64,
    e: &Event,
    existing: &[Box<Workout>],
    settings: &mut Option<Vec<SportSettings>>,
    dry_run: bool,
) -> Result<CopiedWorkout, ToolError> {
    let id = e.id.require("event", "id").map_err(IcuError::from)?;
    let title = e.name.get().map(|t| t.trim().to_string());
    let mut r = CopiedWorkout::new(id, day_of(e), title.clone());
    let icu_type = e.sport.get().map(|s| s.trim().to_string());
    r.source_sport = icu_type.clone();
    if e.category.get().map(String::as_str) != Some("WORKOUT") {
        r.message = Some(format!(
            "it is a {} event, not a planned workout",
            e.category.get().map_or("?", |c| c.as_str())
        ));
        return Ok(r);
    }
    let Some(day) = day_of(e) else {
        r.message = Some("its day could not be read".into());
        return Ok(r);
    };
    let Some(sport) = icu_type
        .as_deref()
        .and_then(tp_type_for_icu)
        .and_then(Sport::from_type_id)
    else {
        r.message = Some(format!(
            "TrainingPeaks has no sport for the Intervals.icu type {}",
            icu_type.as_deref().unwrap_or("(none)")
        ));
        return Ok(r);
    };
    r.target_sport = Some(sport.label().to_string());
    let title = title
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("{} workout", sport.label()));
    if let Some(w) = existing.iter().find(|w| {
        w.description.get().is_some_and(|d| has_marker(d, id))
            || (w.date() == Some(day)
                && w.workout_type_value_id.val() == Some(sport.type_id())
                && w.title.get().is_some_and(|t| same_title(t, &title)))
    }) {
        r.status = CopyStatus::AlreadyCopied;
        r.target_id = w.workout_id.val();
        let marked = w.description.get().is_some_and(|d| has_marker(d, id));
        r.message = Some(if marked {
            format!(
                "copied before: workout {} says it is a copy of event {id}",
                w.workout_id.val().unwrap_or_default()
            )
        } else {
            format!(
                "TrainingPeaks already has a {} workout with this title on {day} (workout {})",
                sport.label(),
                w.workout_id.val().unwrap_or_default()
            )
        });
        return Ok(r);
    }

    let text = e.description.get().map(String::as_str).unwrap_or_default();
    let has_steps = text.lines().any(|l| l.trim_start().starts_with("- "));
    let mut new = NewWorkout {
        date: Some(day),
        type_id: sport.type_id(),
        title,
        user_tags: e
            .tags
            .get()
            .map(|t| normalize_tags(&t.join(",")))
            .unwrap_or_default(),
        ..NewWorkout::default()
    };
    let mut notes: Vec<String> = Vec::new();
    let mut converted = None;
    if has_steps {
        if settings.is_none() {
            *settings = Some(icu.sport_settings(athlete).await?);
        }
        let opts = options_for(
            icu_type.as_deref().unwrap_or_default(),
            e,
            settings.as_deref().unwrap_or_default(),
        );
        match icu_text::parse(text, &opts).and_then(|p| p.compile().map(|s| (p, s))) {
            Ok((parsed, s)) => {
                let dropped: Vec<&str> = parsed
                    .sections
                    .iter()
                    .map(|s| s.title.trim())
                    .filter(|t| {
                        let l = t.to_lowercase().replace(' ', "");
                        !t.is_empty() && !l.starts_with("warmup") && !l.starts_with("cooldown")
                    })
                    .collect();
                if !dropped.is_empty() {
                    r.not_carried.push(format!(
                        "section names ({}): TrainingPeaks steps have no section titles",
                        dropped.join(", ")
                    ));
                }
                notes = parsed.description.clone();
                converted = Some(s);
            }
            Err(err) => {
                r.not_carried.push(format!(
                    "the workout text could not be converted to TrainingPeaks steps (line {}, \
                     col {}: {}); copied without steps, the text kept in the description",
                    err.line, err.col, err.message
                ));
            }
        }
    } else if e
        .workout_doc
        .get()
        .and_then(|d| d.get("steps"))
        .and_then(Value::as_array)
        .is_some_and(|s| !s.is_empty())
    {
        r.not_carried.push(
            "the steps exist only as Intervals.icu's parsed workout (no workout text to convert)"
                .into(),
        );
    }
    match &converted {
        Some(s) => {
            let m = metrics(s, None);
            new.structure = Some(s.to_value());
            new.total_time_planned = m.as_ref().map(|m| m.total_hours);
            new.tss_planned = m.as_ref().map(|m| m.tss_planned);
            new.if_planned = m.as_ref().map(|m| m.if_planned);
            new.energy_planned = m.as_ref().and_then(|m| m.energy_planned);
            new.distance_planned = planned_distance_meters(s);
            r.structured = true;
            if let Some(load) = e.icu_training_load.val().filter(|l| *l > 0.0) {
                r.not_carried.push(format!(
                    "Intervals.icu load {load:.0}: TrainingPeaks computes its TSS from the steps \
                     ({})",
                    m.as_ref()
                        .map_or("none".into(), |m| format!("{:.0}", m.tss_planned))
                ));
            }
        }
        None => {
            if !text.trim().is_empty() {
                notes = vec![text.trim().to_string()];
            }
            new.total_time_planned = e
                .moving_time
                .val()
                .filter(|t| *t > 0)
                .map(|t| t as f64 / 3600.0);
            new.distance_planned = e.distance.val().filter(|d| *d > 0.0);
            new.tss_planned = e.icu_training_load.val().filter(|l| *l > 0.0);
        }
    }
    if e.indoor.val() == Some(true) {
        r.not_carried
            .push("indoor: TrainingPeaks workouts have no indoor flag".into());
    }
    notes.push(marker_for(id));
    new.description = Some(notes.join("\n"));
    let body = create_body(aid, &new);
    r.request = Some(PlannedRequest {
        method: "POST".into(),
        path: format!("/fitness/v6/athletes/{aid}/workouts"),
        body: Some(body.clone()),
    });
    if dry_run {
        r.status = CopyStatus::WouldCreate;
        return Ok(r);
    }
    match ctx.client.create_workout(aid, &body).await {
        Ok(v) => {
            r.status = CopyStatus::Created;
            r.target_id = Workout::from_raw(&v).workout_id.val();
        }
        Err(
            err @ (TpError::WriteOutcomeUnknown { .. } | TpError::DuplicateOutcomeUnknown { .. }),
        ) => {
            r.status = CopyStatus::OutcomeUnknown;
            r.message = Some(err.to_string());
        }
        Err(err) => {
            r.status = CopyStatus::Failed;
            r.message = Some(err.to_string());
        }
    }
    Ok(r)
}

/// The parser's options for an event of `icu_type`: the thresholds and zones of the sport
/// settings that cover the type, and what a bare `75%` means (the event's `target`).
fn options_for(icu_type: &str, e: &Event, all: &[SportSettings]) -> Options {
    let s = all
        .iter()
        .find(|s| {
            s.types
                .get()
                .is_some_and(|t| t.iter().any(|x| x == icu_type))
        })
        .cloned()
        .unwrap_or_default();
    let ftp = s.ftp.val();
    let zones = |tops: Option<&Vec<f64>>, scale: f64| -> Vec<Zone> {
        let mut lo = 0.0;
        tops.map(|t| {
            t.iter()
                .enumerate()
                .map(|(i, top)| {
                    let z = Zone::new(format!("Zone {}", i + 1), lo, top * scale);
                    lo = top * scale + if scale == 1.0 { 1.0 } else { 0.0 };
                    z
                })
                .collect()
        })
        .unwrap_or_default()
    };
    let default_metric = match e.rest.get("target").and_then(Value::as_str) {
        Some("HR") => Some(IntensityMetric::PercentOfThresholdHr),
        Some("PACE") => Some(IntensityMetric::PercentOfThresholdPace),
        _ => None,
    };
    Options {
        sport: match icu_type {
            "Ride" | "VirtualRide" | "GravelRide" | "EBikeRide" | "MountainBikeRide" => {
                icu_text::Sport::Ride
            }
            "Run" | "VirtualRun" | "TrailRun" => icu_text::Sport::Run,
            "Swim" | "OpenWaterSwim" => icu_text::Sport::Swim,
            _ => icu_text::Sport::Other,
        },
        default_metric,
        ftp_watts: ftp,
        lthr_bpm: s.lthr.val(),
        max_hr_bpm: s.max_hr.val(),
        threshold_speed_mps: s.threshold_pace.val(),
        // Intervals.icu keeps power zone tops as % of FTP and HR zone tops in bpm.
        power_zones: ftp
            .map(|f| zones(s.power_zones.get(), f / 100.0))
            .unwrap_or_default(),
        hr_zones: zones(s.hr_zones.get(), 1.0),
        speed_zones: Vec::new(),
    }
}
