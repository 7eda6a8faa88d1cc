//! `get_nutrition`: logged nutrition (e.g. from MyFitnessPal) between two dates.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::shared::args::{AthleteId, Date, DateRange, END_DATE, START_DATE};
use super::shared::zone_views::num;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::metrics::NutritionEntry;

/// The tool.
pub struct GetNutrition;

/// Arguments of `get_nutrition`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetNutritionArgs {
    #[schemars(description = START_DATE)]
    pub start_date: Date,
    #[schemars(description = END_DATE)]
    pub end_date: Date,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_nutrition`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetNutritionOutput {
    /// The entries exactly as TrainingPeaks returns them (the format is not documented).
    pub entries: Vec<Value>,
}

impl TypedTool for GetNutrition {
    type Args = GetNutritionArgs;
    type Output = GetNutritionOutput;
    const NAME: &'static str = "get_nutrition";
    const DESCRIPTION: &'static str = "Get logged nutrition (calories and macros synced from apps such as \
        MyFitnessPal) between two dates (YYYY-MM-DD).";
    const ANNOTATIONS: Annotations = Annotations::read("Get nutrition log");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        DateRange::new(args.start_date, args.end_date).map(drop)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let typed = ctx
            .client
            .nutrition(aid, args.start_date.0, args.end_date.0)
            .await?;
        let text = if typed.is_empty() {
            format!(
                "No nutrition data found between {} and {}.",
                args.start_date, args.end_date
            )
        } else {
            let mut lines = vec![format!(
                "{} nutrition entr{}:",
                typed.len(),
                if typed.len() == 1 { "y" } else { "ies" }
            )];
            lines.extend(typed.iter().map(line));
            lines.join("\n")
        };
        // The structured result is the entries as TrainingPeaks sent them (kept whole by
        // the wire struct, so nothing undocumented is lost).
        let entries = typed
            .iter()
            .filter_map(|e| serde_json::to_value(e).ok())
            .collect();
        Ok((text, GetNutritionOutput { entries }))
    }
}

/// A one-line summary of an entry: its date and any calorie/macro figures, else the entry as
/// compact JSON (the format is undocumented, so nothing is hidden).
fn line(e: &NutritionEntry) -> String {
    let fields: Vec<String> = [
        (&e.calories, "kcal"),
        (&e.carbohydrates, "g carbs"),
        (&e.protein, "g protein"),
        (&e.fat, "g fat"),
    ]
    .iter()
    .filter_map(|(f, unit)| f.val().map(|v| format!("{} {unit}", num(v))))
    .collect();
    match (e.day(), fields.is_empty()) {
        (Some(d), false) => format!("{d}: {}", fields.join(", ")),
        _ => serde_json::to_string(e).unwrap_or_default(),
    }
}
