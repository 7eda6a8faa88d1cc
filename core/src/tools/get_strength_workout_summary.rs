//! `get_strength_workout_summary`: completion summary of a strength workout.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::library_shared::fmt_hours;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct GetStrengthWorkoutSummary;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetStrengthWorkoutSummaryArgs {
    /// The strength workout id, a numeric string (e.g. "19347189"), as returned by
    /// `create_strength_workout`.
    pub workout_id: String,
}

/// One exercise's completion.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StrengthSequenceOut {
    /// 1-based order.
    pub order: Option<i64>,
    /// Exercise title.
    pub title: String,
    /// Percent complete.
    pub compliance_percent: Option<f64>,
}

/// The summary; planned and actual side by side.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetStrengthWorkoutSummaryOutput {
    /// The workout id.
    pub workout_id: String,
    /// Title.
    pub title: String,
    /// Prescribed date, YYYY-MM-DD.
    pub date: Option<String>,
    /// Workout type (`StructuredStrength`).
    pub workout_type: Option<String>,
    /// Sets prescribed.
    pub total_sets: Option<i64>,
    /// Sets completed.
    pub completed_sets: Option<i64>,
    /// Exercises prescribed.
    pub total_exercises: Option<i64>,
    /// Exercises completed.
    pub completed_exercises: Option<i64>,
    /// Compliance, percent.
    pub compliance_percent: Option<f64>,
    /// Session RPE (1–10).
    pub rpe: Option<f64>,
    /// Feel (1–5).
    pub feel: Option<f64>,
    /// Planned duration, hours.
    pub duration_planned_hours: Option<f64>,
    /// Actual duration, hours.
    pub duration_actual_hours: Option<f64>,
    /// Per exercise.
    pub exercises: Vec<StrengthSequenceOut>,
}

impl TypedTool for GetStrengthWorkoutSummary {
    type Args = GetStrengthWorkoutSummaryArgs;
    type Output = GetStrengthWorkoutSummaryOutput;
    const NAME: &'static str = "get_strength_workout_summary";
    const DESCRIPTION: &'static str = "Get the summary of a structured strength workout by its id (numeric string from \
        create_strength_workout): sets completed of prescribed, compliance %, RPE, feel, planned and actual duration \
        (hours) and per-exercise completion.";
    const ANNOTATIONS: Annotations = Annotations::read("Get strength workout summary");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        let id = args.workout_id.trim();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(ToolError::invalid(
                "workout_id",
                format!(
                    "`{}` is not a strength workout id; use the numeric string from create_strength_workout",
                    args.workout_id
                ),
            ));
        }
        Ok(())
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let id = args.workout_id.trim();
            let s = ctx.client.strength_summary(id).await?;
            let out = GetStrengthWorkoutSummaryOutput {
                workout_id: if s.id.is_empty() {
                    id.to_string()
                } else {
                    s.id.clone()
                },
                title: s.title.clone().unwrap_or_else(|| "Untitled".into()),
                date: s
                    .prescribed_date
                    .as_deref()
                    .map(|d| d.chars().take(10).collect()),
                workout_type: s.workout_type.clone(),
                total_sets: s.total_sets,
                completed_sets: s.completed_sets,
                total_exercises: s.total_prescriptions,
                completed_exercises: s.completed_prescriptions,
                compliance_percent: s.compliance_percent,
                rpe: s.rpe,
                feel: s.feel,
                duration_planned_hours: s.prescribed_duration_in_seconds.map(|x| x / 3600.0),
                duration_actual_hours: s.executed_duration_in_seconds.map(|x| x / 3600.0),
                exercises: s
                    .sequence_summary
                    .iter()
                    .map(|q| StrengthSequenceOut {
                        order: q.sequence_order,
                        title: q.title.clone().unwrap_or_default(),
                        compliance_percent: q.compliance_percent,
                    })
                    .collect(),
            };
            let dash = |o: Option<f64>| o.map_or("—".to_string(), fmt_hours);
            let mut text = format!(
                "{} — {} (ID: {})\nStatus: {}/{} sets completed ({}% compliance)\nDuration planned {} / actual {}",
                out.title,
                out.date.as_deref().unwrap_or("?"),
                out.workout_id,
                out.completed_sets.unwrap_or(0),
                out.total_sets.unwrap_or(0),
                out.compliance_percent
                    .map_or("0".into(), |c| format!("{c:.0}")),
                dash(out.duration_planned_hours),
                dash(out.duration_actual_hours),
            );
            if out.rpe.is_some() || out.feel.is_some() {
                let f = |o: Option<f64>| o.map_or("—".to_string(), |v| format!("{v:.0}"));
                text.push_str(&format!("\nRPE: {}  Feel: {}", f(out.rpe), f(out.feel)));
            }
            if !out.exercises.is_empty() {
                text.push_str("\nExercises:");
                for e in &out.exercises {
                    let pct = e
                        .compliance_percent
                        .map_or("0".into(), |c| format!("{c:.0}"));
                    text.push_str(&format!(
                        "\n{}. {} — {pct}% complete",
                        e.order.unwrap_or(0),
                        e.title
                    ));
                }
            }
            Ok((text, out))
        })
    }
}
