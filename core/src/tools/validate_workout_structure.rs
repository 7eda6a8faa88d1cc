//! `validate_workout_structure` (tool 15): compile a structure locally, no API call.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::shared::structure_format::structure_format;
use super::shared::workout_args::compile_structure;
use super::shared::workout_view::format_hours;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The tool.
pub struct ValidateWorkoutStructure;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ValidateWorkoutStructureArgs {
    /// The structure to check, a JSON object or a string holding one, in the format the tool
    /// description gives; intensities in % of threshold.
    pub structure: Value,
}

/// A valid structure's summary.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ValidateWorkoutStructureOutput {
    /// Always true (an invalid structure is an error naming the bad field).
    pub valid: bool,
    /// Number of top-level blocks.
    pub blocks: usize,
    /// One-line block summary.
    pub summary: String,
    /// Total duration, seconds.
    pub total_seconds: Option<f64>,
    /// Total duration, hours.
    pub duration_hours: Option<f64>,
    /// Planned intensity factor.
    pub if_planned: Option<f64>,
    /// Planned TSS.
    pub tss_planned: Option<f64>,
    /// The intensity metric the targets are % of.
    pub primary_intensity_metric: Option<String>,
    /// The compiled wire structure, as TrainingPeaks stores it.
    pub wire: Value,
}

impl TypedTool for ValidateWorkoutStructure {
    type Args = ValidateWorkoutStructureArgs;
    type Output = ValidateWorkoutStructureOutput;
    const NAME: &'static str = "validate_workout_structure";
    const DESCRIPTION: &'static str = concat!(
        "Check a workout structure without saving it, and show its blocks, duration, IF and TSS. ",
        structure_format!(),
        " Errors name the bad field, e.g. structure.steps[1].duration_seconds."
    );
    const ANNOTATIONS: Annotations = Annotations::read("Validate workout structure");

    async fn run(
        &self,
        _ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        // An invalid structure is reported as a failed call naming the path (REF returns
        // isError with the message); it is the answer the caller asked for, not bad usage.
        let c = compile_structure(&args.structure)
            .map_err(|e| ToolError::Failed(format!("Structure is invalid: {e}")))?;
        let blocks = c
            .wire
            .get("structure")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let metric = c
            .wire
            .get("primaryIntensityMetric")
            .and_then(Value::as_str)
            .map(str::to_string);
        let m = c.metrics.as_ref();
        let out = ValidateWorkoutStructureOutput {
            valid: true,
            blocks,
            summary: c.summary.clone(),
            total_seconds: m.map(|m| m.total_seconds),
            duration_hours: m.map(|m| m.total_hours),
            if_planned: m.map(|m| m.if_planned),
            tss_planned: m.map(|m| m.tss_planned),
            primary_intensity_metric: metric,
            wire: c.wire,
        };
        let mut text = format!(
            "Structure is valid.\nBlocks: {} ({})",
            out.blocks, out.summary
        );
        if let Some(m) = m {
            text.push_str(&format!(
                "\nTotal duration: {} ({:.0} s)\nPlanned IF {:.2}, TSS {:.1}",
                format_hours(m.total_hours),
                m.total_seconds,
                m.if_planned,
                m.tss_planned
            ));
        }
        if let Some(metric) = &out.primary_intensity_metric {
            text.push_str(&format!("\nIntensity metric: {metric}"));
        }
        Ok((text, out))
    }
}
