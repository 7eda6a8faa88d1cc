//! `get_strength_workout_summary`: completion summary of a strength workout.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::library::fmt_hours;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::StrengthSummary;

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

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let id = args.workout_id.trim();
        let s = ctx.client.strength_summary(id).await?;
        let out = summary_out(id, &s);
        Ok((summary_text(&out), out))
    }
}

/// One exercise's completion.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StrengthSequenceOut {
    /// Position label as TrainingPeaks gives it: "1", "2"… or a letter ("A") for supersets.
    pub order: Option<String>,
    /// Exercise title.
    pub title: String,
    /// Percent complete.
    pub compliance_percent: Option<f64>,
}

/// The output view of a summary; `asked` stands in for an id the answer lacks.
fn summary_out(asked: &str, s: &StrengthSummary) -> GetStrengthWorkoutSummaryOutput {
    GetStrengthWorkoutSummaryOutput {
        workout_id: s
            .id
            .get()
            .filter(|i| !i.trim().is_empty())
            .map_or_else(|| asked.to_string(), String::clone),
        title: s
            .title
            .get()
            .filter(|t| !t.trim().is_empty())
            .map_or_else(|| "Untitled".into(), String::clone),
        date: s.prescribed_date.get().map(|d| d.date().to_string()),
        workout_type: s.workout_type.get().cloned(),
        total_sets: s.total_sets.val(),
        completed_sets: s.completed_sets.val(),
        total_exercises: s.total_prescriptions.val(),
        completed_exercises: s.completed_prescriptions.val(),
        compliance_percent: s.compliance_percent.val(),
        rpe: s.rpe.val(),
        feel: s.feel.val(),
        duration_planned_hours: s.prescribed_duration_in_seconds.val().map(|x| x / 3600.0),
        duration_actual_hours: s.executed_duration_in_seconds.val().map(|x| x / 3600.0),
        exercises: s
            .sequence_summary
            .get()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|q| StrengthSequenceOut {
                order: q.sequence_order.get().cloned(),
                title: q.title.get().cloned().unwrap_or_default(),
                compliance_percent: q.compliance_percent.val(),
            })
            .collect(),
    }
}

/// The text: unknown figures show as "—".
fn summary_text(out: &GetStrengthWorkoutSummaryOutput) -> String {
    let int = |o: Option<i64>| o.map_or("—".to_string(), |v| v.to_string());
    let pct = |o: Option<f64>| o.map_or("—".to_string(), |c| format!("{c:.0}"));
    let dash = |o: Option<f64>| o.map_or("—".to_string(), fmt_hours);
    let mut text = format!(
        "{} — {} (ID: {})\nStatus: {}/{} sets completed ({}% compliance)\nDuration planned {} / actual {}",
        out.title,
        out.date.as_deref().unwrap_or("—"),
        out.workout_id,
        int(out.completed_sets),
        int(out.total_sets),
        pct(out.compliance_percent),
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
            text.push_str(&format!(
                "\n{}. {} — {}% complete",
                e.order.as_deref().unwrap_or("—"),
                if e.title.is_empty() { "—" } else { &e.title },
                pct(e.compliance_percent)
            ));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Issue 8 §2: `sequenceOrder` is a string in the reference's types; a superset's "A"
    /// used to fail the whole tool.
    #[test]
    fn letter_sequence_order_reads() {
        let s: StrengthSummary = serde_json::from_value(json!({
            "id": "19400001", "title": "Legs", "prescribedDate": "2026-11-19",
            "totalSets": 6, "completedSets": 3, "compliancePercent": 50,
            "sequenceSummary": [{"sequenceOrder": "A", "title": "Squat", "compliancePercent": 100},
                                {"sequenceOrder": 2, "title": "Row", "compliancePercent": 0}]
        }))
        .unwrap();
        let out = summary_out("19400001", &s);
        assert_eq!(out.exercises[0].order.as_deref(), Some("A"));
        assert_eq!(out.exercises[1].order.as_deref(), Some("2"));
        let text = summary_text(&out);
        assert!(text.contains("\nA. Squat — 100% complete"), "{text}");
        assert!(
            text.contains("3/6 sets completed (50% compliance)"),
            "{text}"
        );
    }

    #[test]
    fn unknown_figures_show_a_dash_and_the_asked_id_stands_in() {
        let s: StrengthSummary =
            serde_json::from_value(json!({"totalSets": null, "sequenceSummary": "x"})).unwrap();
        let out = summary_out("42", &s);
        assert_eq!(out.workout_id, "42");
        assert!(out.exercises.is_empty());
        let text = summary_text(&out);
        assert!(
            text.contains("Status: —/— sets completed (—% compliance)"),
            "{text}"
        );
    }
}
