//! `scale_workout_intensity`: rescale a planned structured workout's intensity targets by a
//! percentage (AI Endurance's `changeWorkoutIntensity`, which rescales load; here the targets
//! themselves, which is what a TrainingPeaks structure holds), updated through the same path
//! as `update_workout`: GET the whole workout, replace `structure` (recompiled, so `begin`/
//! `end` and the preview polyline follow) and the planned IF and TSS recomputed from it, PUT
//! it all back.
//!
//! Decided here: by default only the work steps (`intensityClass: active`) change, since
//! "make it 5 % harder" means the intervals, not the warm-up; `scope: all` scales every step.
//! Cadence targets never change. New bounds are rounded to 0.1 %. Durations do not change, so
//! `totalTimePlanned` is left as it is. A distance-based structure has no planned TSS to
//! recompute (the compiler needs a time per step), so its planned TSS and IF are left and the
//! text says so.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::shared::args::AthleteId;
use super::shared::planning::PlannedWorkout;
use super::shared::workout_args::check_id;
use super::shared::workout_view::view;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::structure::{self, IntensityClass, Structure, Target};
use crate::trainingpeaks::workouts::{Workout, stringify_structure};

/// The tool.
pub struct ScaleWorkoutIntensity;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ScaleWorkoutIntensityArgs {
    /// The planned workout's id, e.g. 3000000123.
    pub workout_id: i64,
    /// Change in percent, −30 to 30, not 0: 5 makes 90–95 % into 94.5–99.8 %.
    pub percent: f64,
    /// `work` (the default: only work intervals, `intensityClass` active) or `all` steps.
    #[serde(default)]
    pub scope: Scope,
    /// Show the new structure and the exact request without changing anything.
    #[serde(default)]
    pub dry_run: bool,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Which steps to scale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Work steps only.
    #[default]
    Work,
    /// Every step.
    All,
}

/// The exact request (dry run or sent).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlannedRequest {
    /// `PUT`.
    pub method: String,
    /// The path on tpapi.trainingpeaks.com.
    pub path: String,
    /// The whole workout as sent (`structure` a JSON string).
    pub body: Value,
}

/// The result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ScaleWorkoutIntensityOutput {
    /// The workout after the change (as it would be, on a dry run).
    #[serde(flatten)]
    pub workout: PlannedWorkout,
    /// True when nothing was sent.
    pub dry_run: bool,
    /// Steps whose target changed (each counted once, repetitions not multiplied).
    pub steps_scaled: usize,
    /// Planned IF before.
    pub if_before: Option<f64>,
    /// Planned TSS before.
    pub tss_before: Option<f64>,
    /// Planned IF after (null when it could not be recomputed).
    pub if_after: Option<f64>,
    /// Planned TSS after (null when it could not be recomputed).
    pub tss_after: Option<f64>,
    /// The PUT sent, or that would be sent.
    pub request: PlannedRequest,
}

impl TypedTool for ScaleWorkoutIntensity {
    type Args = ScaleWorkoutIntensityArgs;
    type Output = ScaleWorkoutIntensityOutput;
    const NAME: &'static str = "scale_workout_intensity";
    const DESCRIPTION: &'static str = "Make a planned structured workout harder or easier: multiply its intensity \
targets by (1 + percent/100), percent −30 to 30 (e.g. -5 for 5 % easier). By default only the work intervals change \
(scope \"all\" includes warm-up, recoveries and cool-down); durations and cadence stay; planned IF and TSS are \
recomputed. Everything else in the workout is kept. dry_run=true shows the result and the exact request without \
changing anything. To change the date use update_workout.";
    const ANNOTATIONS: Annotations = Annotations::update("Scale workout intensity");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_id(args.workout_id, "workout_id")?;
        let p = args.percent;
        if !(p.is_finite() && (-30.0..=30.0).contains(&p)) || p == 0.0 {
            return Err(ToolError::invalid(
                "percent",
                format!("{p} is out of range: −30 to 30, not 0"),
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
        let current = ctx.client.workout_raw(aid, args.workout_id).await?;
        let w = Workout::from_raw(&current);
        if w.is_completed() {
            return Err(ToolError::Failed(format!(
                "Workout {} is completed; only planned workouts are rescaled. Nothing was changed.",
                args.workout_id
            )));
        }
        let stored = w.structure().ok_or_else(|| {
            ToolError::Failed(format!(
                "Workout {} has no interval structure to scale; change its planned TSS with update_workout, or give it a structure.",
                args.workout_id
            ))
        })?;
        let s = structure::compile_value(&stored).map_err(|e| {
            ToolError::Failed(format!(
                "The stored structure of workout {} could not be read ({e}); nothing was changed.",
                args.workout_id
            ))
        })?;
        let (scaled, steps_scaled) = scale(&s, 1.0 + args.percent / 100.0, args.scope);
        if steps_scaled == 0 {
            return Err(ToolError::Failed(format!(
                "Workout {} has no {} step with an intensity target; nothing was changed{}.",
                args.workout_id,
                if args.scope == Scope::Work {
                    "work"
                } else {
                    ""
                },
                if args.scope == Scope::Work {
                    " (scope \"all\" scales every step)"
                } else {
                    ""
                }
            )));
        }
        // Recompiled so the offsets and the preview polyline follow the new targets.
        let recompiled = structure::compile_value(&scaled.to_value()).map_err(|e| {
            ToolError::Failed(format!(
                "the scaled structure is not valid ({e}); nothing was changed"
            ))
        })?;
        let metrics = structure::metrics(&recompiled, None);
        let mut changes = Map::new();
        changes.insert("structure".into(), recompiled.to_value());
        if let Some(m) = &metrics {
            changes.insert("ifPlanned".into(), m.if_planned.into());
            changes.insert("tssPlanned".into(), m.tss_planned.into());
        }
        let mut merged = current;
        if let Value::Object(obj) = &mut merged {
            obj.extend(changes);
        }
        // What `put_workout` sends: the merged object with the ids set and the structure as a
        // string (checked against the real PUT in the tests).
        let mut body = merged.clone();
        if let Value::Object(obj) = &mut body {
            obj.insert("athleteId".into(), aid.into());
            obj.insert("workoutId".into(), args.workout_id.into());
            stringify_structure(obj);
        }
        let request = PlannedRequest {
            method: "PUT".into(),
            path: format!("/fitness/v6/athletes/{aid}/workouts/{}", args.workout_id),
            body,
        };
        let after = if args.dry_run {
            view(&merged)
        } else {
            view(&ctx.client.put_workout(aid, args.workout_id, merged).await?)
        };
        let out = ScaleWorkoutIntensityOutput {
            workout: PlannedWorkout::from_workout(&after),
            dry_run: args.dry_run,
            steps_scaled,
            if_before: w.if_planned.val(),
            tss_before: w.tss_planned.val(),
            if_after: metrics.map(|m| m.if_planned),
            tss_after: metrics.map(|m| m.tss_planned),
            request,
        };
        Ok((text(&out, args.workout_id, args.percent), out))
    }
}

/// The structure with primary targets of the chosen steps multiplied by `factor` (0.1 %
/// rounding), and how many steps changed.
fn scale(s: &Structure, factor: f64, scope: Scope) -> (Structure, usize) {
    let mut out = s.clone();
    let mut n = 0;
    let r = |x: f64| (x * factor * 10.0).round() / 10.0;
    for block in &mut out.structure {
        for step in &mut block.steps {
            if scope == Scope::Work && step.intensity_class != IntensityClass::Active {
                continue;
            }
            let mut changed = false;
            step.targets = step
                .targets
                .iter()
                .map(|t| {
                    // The primary target has no unit; cadence carries one.
                    if t.unit.is_some() || (t.min_value.is_none() && t.max_value.is_none()) {
                        return t.clone();
                    }
                    changed = true;
                    Target {
                        min_value: t.min_value.map(r),
                        max_value: t.max_value.map(r),
                        ..t.clone()
                    }
                })
                .collect();
            n += usize::from(changed);
        }
    }
    (out, n)
}

fn text(out: &ScaleWorkoutIntensityOutput, id: i64, percent: f64) -> String {
    let num = |x: Option<f64>, d: usize| x.map_or_else(|| "—".to_string(), |v| format!("{v:.d$}"));
    let mut t = format!(
        "{} workout {id} by {percent:+}% ({} step{}): IF {} → {}, TSS {} → {}.",
        if out.dry_run {
            "Dry run, nothing changed: would scale"
        } else {
            "Scaled"
        },
        out.steps_scaled,
        if out.steps_scaled == 1 { "" } else { "s" },
        num(out.if_before, 2),
        num(out.if_after, 2),
        num(out.tss_before, 1),
        num(out.tss_after, 1),
    );
    if out.tss_after.is_none() {
        t.push_str(
            " The structure is distance-based, so planned IF and TSS were left as they were.",
        );
    }
    if let Some(s) = &out.workout.structure_summary {
        t.push_str("\nStructure: ");
        t.push_str(s);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_work_steps_and_never_cadence_scale() {
        let s = structure::compile_value(&json!({"steps": [
            {"duration_seconds": 600, "intensity_min": 50, "intensity_max": 60, "intensityClass": "warmUp"},
            {"type": "repetition", "reps": 3, "steps": [
                {"duration_seconds": 300, "intensity_min": 90, "intensity_max": 95, "cadence_min": 90, "cadence_max": 100},
                {"duration_seconds": 120, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}]}
        ]}))
        .unwrap();
        let (work, n) = scale(&s, 1.05, Scope::Work);
        assert_eq!(n, 1);
        let step = &work.structure[1].steps[0];
        assert_eq!(step.targets[0].min_value, Some(94.5));
        assert_eq!(
            step.targets[0].max_value,
            Some(99.8),
            "99.75 rounds to 0.1 %"
        );
        assert_eq!(step.targets[1].min_value, Some(90.0), "cadence kept");
        assert_eq!(work.structure[0].steps[0].targets[0].max_value, Some(60.0));
        let (all, n) = scale(&s, 0.9, Scope::All);
        assert_eq!(n, 3);
        assert_eq!(all.structure[0].steps[0].targets[0].max_value, Some(54.0));
    }
}
