//! `get_activity_details`: one activity, with its zone times.
//!
//! Seed difference: the seed read power and HR zones from a `zones` key the API never returns,
//! so its zone section was always empty; this reads the documented `icu_zone_times` and
//! `icu_hr_zone_times` (`GET /api/v1/activity/{id}`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::common::{self, ActivitySummary, activity_line, activity_summary};
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};

/// Arguments of `get_activity_details`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetActivityDetailsArgs {
    /// Activity id, e.g. `i12345678` (from get_activities).
    pub activity_id: String,
}

/// Result of `get_activity_details`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetActivityDetailsOutput {
    /// The summary figures.
    pub activity: ActivitySummary,
    /// Description.
    pub description: Option<String>,
    /// Seconds in each power zone (`icu_zone_times`, as sent).
    pub power_zone_times: Option<Value>,
    /// Seconds in each heart-rate zone (`icu_hr_zone_times`, as sent).
    pub hr_zone_times: Option<Value>,
    /// Stream types recorded (for get_activity_streams).
    pub stream_types: Vec<String>,
    /// The linked planned event, if any.
    pub paired_event_id: Option<i64>,
}

/// The tool.
pub struct GetActivityDetails;

impl TypedTool for GetActivityDetails {
    type Args = GetActivityDetailsArgs;
    type Output = GetActivityDetailsOutput;
    const NAME: &'static str = "get_activity_details";
    const DESCRIPTION: &'static str = "Details of one Intervals.icu activity by activity_id (from \
        get_activities): summary figures, description, time in power and heart-rate zones, the \
        streams recorded and the planned event it matched.";
    const ANNOTATIONS: Annotations = Annotations::read("Intervals.icu activity details");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        common::check_path_id("activity_id", &args.activity_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let a = icu.activity(&args.activity_id).await?;
        let activity = activity_summary(&a);
        let zones = |k: &str| a.rest.get(k).filter(|v| !v.is_null()).cloned();
        let out = GetActivityDetailsOutput {
            description: crate::wire::text(&a.description).filter(|d| !d.trim().is_empty()),
            power_zone_times: zones("icu_zone_times"),
            hr_zone_times: zones("icu_hr_zone_times"),
            stream_types: a.stream_types.get().cloned().unwrap_or_default(),
            paired_event_id: a.paired_event_id.val(),
            activity,
        };
        let mut text = activity_line(&out.activity);
        if let Some(d) = &out.description {
            text.push_str(&format!("\nDescription: {}", common::cut(d, 500)));
        }
        if let Some(z) = &out.power_zone_times {
            text.push_str(&format!("\nPower zone times: {z}"));
        }
        if let Some(z) = &out.hr_zone_times {
            text.push_str(&format!("\nHR zone times (s): {z}"));
        }
        if !out.stream_types.is_empty() {
            text.push_str(&format!("\nStreams: {}", out.stream_types.join(", ")));
        }
        Ok((text, out))
    }
}
