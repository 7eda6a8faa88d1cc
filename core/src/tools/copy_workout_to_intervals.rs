//! `copy_workout_to_intervals`: planned TrainingPeaks workouts copied to the Intervals.icu
//! calendar (issue 9), one by id or every planned workout in a date range.
//!
//! Reads `GET /fitness/v6/athletes/{aid}/workouts/{id}` (one) or `…/workouts/{start}/{end}`
//! (a range) on TrainingPeaks and `GET /api/v1/athlete/{id}/events?oldest&newest&category=WORKOUT`
//! on Intervals.icu (to find copies already there), then sends one
//! `POST /api/v1/athlete/{id}/events?upsertOnUid=false` per workout with `category: WORKOUT`,
//! `start_date_local` (the day at midnight), `type`, `name`, `description` (the TrainingPeaks
//! description, then the structure as Intervals.icu workout text, which Intervals.icu parses
//! into its own steps, duration and load) and `external_id: "tp-<workout id>"`. A workout
//! without a structure gets `moving_time` and `distance` from its planned values instead.
//! One create per workout (not the bulk call) so that each workout gets its own outcome: a
//! refusal or an unknown outcome stops nothing else. How copies are recognised:
//! `tools/shared/cross_platform.rs`.

use schemars::JsonSchema;
use serde::Deserialize;

use super::intervals::IcuAthleteId;
use super::intervals::common::{icu, plan};
use super::shared::args::{AthleteId, Date, DateRange};
use super::shared::cross_platform::{
    CopiedWorkout, CopyOutput, CopyStatus, description_for_icu, external_id_for, same_title,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::intervals::IcuError;
use crate::intervals::events::{Event, EventWrite};
use crate::intervals::sports::icu_type_for_tp;
use crate::structure::{compile_value, icu_text};
use crate::trainingpeaks::workouts::Workout;

/// The tool.
pub struct CopyWorkoutToIntervals;

/// The longest range copied in one call, in days.
const MAX_DAYS: i64 = 90;

/// Arguments of [`CopyWorkoutToIntervals`].
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CopyWorkoutToIntervalsArgs {
    /// The TrainingPeaks workout to copy (from get_workouts). Give this, or start_date and
    /// end_date.
    #[serde(default)]
    pub workout_id: Option<i64>,
    /// First day of a range (YYYY-MM-DD): every planned workout from start_date to end_date is
    /// copied (at most 90 days).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// Last day of the range (YYYY-MM-DD, inclusive).
    #[serde(default)]
    pub end_date: Option<Date>,
    /// TrainingPeaks athlete id (coaches); omitted = yourself.
    #[serde(default)]
    pub athlete_id: AthleteId,
    /// Intervals.icu athlete to copy to (coaches: i12345); omitted = yourself.
    #[serde(default)]
    pub icu_athlete_id: IcuAthleteId,
    /// true: send nothing; return exactly the requests that would be sent, per workout.
    #[serde(default)]
    pub dry_run: bool,
}

/// Checks the one-or-range choice, naming the field.
fn check_choice(
    workout_id: Option<i64>,
    start: Option<Date>,
    end: Option<Date>,
    id_field: &str,
) -> Result<Option<DateRange>, ToolError> {
    match (workout_id, start, end) {
        (Some(id), None, None) => {
            if id <= 0 {
                return Err(ToolError::invalid(
                    id_field,
                    format!("{id} is not an id; ids are positive integers"),
                ));
            }
            Ok(None)
        }
        (None, Some(s), Some(e)) => Ok(Some(DateRange::new(s, e)?.at_most(MAX_DAYS, "90 days")?)),
        (Some(_), _, _) => Err(ToolError::invalid(
            id_field,
            format!("give either {id_field} or start_date and end_date, not both"),
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
            id_field,
            format!("give {id_field} (one workout) or start_date and end_date (a range)"),
        )),
    }
}

impl TypedTool for CopyWorkoutToIntervals {
    type Args = CopyWorkoutToIntervalsArgs;
    type Output = CopyOutput;
    const NAME: &'static str = "copy_workout_to_intervals";
    const DESCRIPTION: &'static str = "Copy planned TrainingPeaks workouts to the Intervals.icu \
calendar: one (workout_id) or every planned workout from start_date to end_date (at most 90 days). \
Each copy keeps the day, title, sport, description and interval structure (as Intervals.icu workout \
text, from which Intervals.icu computes duration and load); the result lists, per workout, what \
could not be carried over (a sport Intervals.icu lacks, ramp sub-steps, secondary targets, the \
planned TSS). Workouts already on Intervals.icu (copied before: external_id tp-<id>; or the same \
day, title and sport) are skipped, so calling twice creates no duplicates. dry_run: true returns \
exactly what would be sent. Completed workouts are not copied.";
    const ANNOTATIONS: Annotations = Annotations::create("Copy workouts to Intervals.icu");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.icu_athlete_id.check().map_err(|e| match e {
            ToolError::Icu(IcuError::InvalidInput { message, .. }) => {
                ToolError::invalid("icu_athlete_id", message)
            }
            other => other,
        })?;
        check_choice(
            args.workout_id,
            args.start_date,
            args.end_date,
            "workout_id",
        )
        .map(drop)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let range = check_choice(
            args.workout_id,
            args.start_date,
            args.end_date,
            "workout_id",
        )?;
        let icu = icu(ctx)?;
        let aid = args.athlete_id.resolve(ctx).await?;
        let sources: Vec<Workout> = match (args.workout_id, range) {
            (Some(id), _) => vec![ctx.client.workout(aid, id).await?],
            (None, Some(r)) => ctx
                .client
                .workouts(aid, r.start.0, r.end.0)
                .await?
                .into_iter()
                .map(|w| *w)
                .collect(),
            (None, None) => Vec::new(),
        };
        let athlete = args.icu_athlete_id.get();
        // What is already on Intervals.icu over the days being copied to.
        let days: Vec<_> = sources.iter().filter_map(Workout::date).collect();
        let existing: Vec<Event> = match (days.iter().min(), days.iter().max()) {
            (Some(a), Some(b)) => icu.events(athlete, *a, *b, &["WORKOUT"]).await?,
            _ => Vec::new(),
        };
        let mut reports = Vec::new();
        let total = sources.len() as u64;
        for (n, w) in sources.iter().enumerate() {
            let report = copy_one(icu, athlete, w, &existing, args.dry_run).await?;
            reports.push(report);
            // One create each under Intervals.icu's budget: say how far the copy is.
            if total > 1 {
                icu.report_step(n as u64 + 1, total, "workouts copied");
            }
        }
        Ok(CopyOutput::finish(args.dry_run, "Intervals.icu", reports))
    }
}

/// Copies one workout (or plans it, or says why not). Only a validation error of the request
/// itself ends the whole call; anything Intervals.icu answers is this workout's outcome.
async fn copy_one(
    icu: &crate::intervals::IcuClient,
    athlete: Option<&str>,
    w: &Workout,
    existing: &[Event],
    dry_run: bool,
) -> Result<CopiedWorkout, ToolError> {
    let id = w.id().map_err(crate::trainingpeaks::TpError::from)?;
    let title = w.title.get().map(|t| t.trim().to_string());
    let mut r = CopiedWorkout::new(id, w.date(), title.clone());
    let type_id = w.workout_type_value_id.val();
    let sport = type_id.and_then(crate::tools::args::Sport::from_type_id);
    r.source_sport = sport.map(|s| s.label().to_string());
    if w.is_completed() {
        r.message = Some("it is completed; only planned workouts are copied".into());
        return Ok(r);
    }
    let Some(day) = w.date() else {
        r.message = Some("its day could not be read".into());
        return Ok(r);
    };
    let Some(icu_type) = type_id.and_then(icu_type_for_tp) else {
        r.message = Some(format!(
            "Intervals.icu has no planned-workout sport for {}",
            r.source_sport.as_deref().unwrap_or("its sport")
        ));
        return Ok(r);
    };
    r.target_sport = Some(icu_type.to_string());
    let name = title
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("{icu_type} workout"));
    if let Some(found) = already_there(existing, id, day, &name, icu_type) {
        r.status = CopyStatus::AlreadyCopied;
        r.target_id = found.0;
        r.message = Some(found.1);
        return Ok(r);
    }

    // The description: the TrainingPeaks text, then the workout text.
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = w.description.get().filter(|d| !d.trim().is_empty()) {
        let (safe, changed) = description_for_icu(d);
        if changed {
            r.not_carried.push(
                "description lines starting with '-' now start with '–' (Intervals.icu would \
                 read them as steps)"
                    .into(),
            );
        }
        parts.push(safe);
    }
    let mut write = EventWrite::new("WORKOUT", day);
    write.sport = Some(icu_type.to_string());
    write.name = Some(name);
    write.external_id = Some(external_id_for(id));
    match w.structure().map(|s| compile_value(&s)) {
        Some(Ok(s)) if !s.structure.is_empty() => {
            parts.push(icu_text::print(&s).trim_end().to_string());
            r.not_carried.extend(icu_text::print_losses(&s));
            r.structured = true;
        }
        Some(Err(e)) => {
            r.not_carried.push(format!(
                "the structure could not be read ({e}); copied without it"
            ));
        }
        _ => {}
    }
    if !r.structured {
        // Without steps Intervals.icu has nothing to compute a duration from.
        write.moving_time = w
            .total_time_planned
            .val()
            .filter(|h| *h > 0.0)
            .map(|h| (h * 3600.0).round() as i64);
        write.distance = w.distance_planned.val().filter(|d| *d > 0.0);
    }
    if let Some(tss) = w.tss_planned.val().filter(|t| *t > 0.0) {
        r.not_carried.push(format!(
            "planned TSS {tss:.0}: Intervals.icu computes its own load{}",
            if r.structured {
                " from the steps"
            } else {
                " (none without steps)"
            }
        ));
    }
    if w.coach_comments.get().is_some_and(|c| !c.trim().is_empty()) {
        r.not_carried
            .push("coach comments (Intervals.icu events have no place for them)".into());
    }
    if !parts.is_empty() {
        write.description = Some(parts.join("\n\n"));
    }
    let request = plan(icu, |c| {
        let write = write.clone();
        async move { c.create_event(athlete, &write).await }
    })
    .await?;
    r.request = Some(request);
    if dry_run {
        r.status = CopyStatus::WouldCreate;
        return Ok(r);
    }
    match icu.create_event(athlete, &write).await {
        Ok(e) => {
            r.status = CopyStatus::Created;
            r.target_id = e.id.val();
        }
        Err(e @ IcuError::WriteOutcomeUnknown { .. }) => {
            r.status = CopyStatus::OutcomeUnknown;
            r.message = Some(e.to_string());
        }
        Err(e) => {
            r.status = CopyStatus::Failed;
            r.message = Some(e.to_string());
        }
    }
    Ok(r)
}

/// The copy of TrainingPeaks workout `id` already on Intervals.icu, if any: its event id and
/// which rule found it.
fn already_there(
    existing: &[Event],
    id: i64,
    day: chrono::NaiveDate,
    name: &str,
    icu_type: &str,
) -> Option<(Option<i64>, String)> {
    let marker = external_id_for(id);
    if let Some(e) = existing
        .iter()
        .find(|e| e.external_id.get().is_some_and(|x| *x == marker))
    {
        return Some((
            e.id.val(),
            format!(
                "copied before: event {} has external_id {marker}",
                e.id.val().map_or("?".into(), |i| i.to_string())
            ),
        ));
    }
    existing
        .iter()
        .find(|e| {
            e.start_date_local.get().map(|s| s.at().date()) == Some(day)
                && e.name.get().is_some_and(|n| same_title(n, name))
                && e.sport.get().is_some_and(|t| {
                    crate::intervals::sports::tp_type_for_icu(t)
                        == crate::intervals::sports::tp_type_for_icu(icu_type)
                })
        })
        .map(|e| {
            (
                e.id.val(),
                format!(
                    "Intervals.icu already has a {icu_type} workout with this title on {day} \
                     (event {})",
                    e.id.val().map_or("?".into(), |i| i.to_string())
                ),
            )
        })
}
