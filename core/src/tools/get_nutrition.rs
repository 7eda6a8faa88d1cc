//! `get_nutrition`: logged nutrition (e.g. from MyFitnessPal) between two dates.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::args::{Date, check_range};
use super::zone_views::num;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;

/// Arguments of `get_nutrition`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetNutritionArgs {
    /// First day, YYYY-MM-DD.
    pub start_date: Date,
    /// Last day, YYYY-MM-DD (on or after start_date).
    pub end_date: Date,
    /// Athlete (coaches); default: your own athlete.
    #[serde(default)]
    pub athlete_id: Option<i64>,
}

/// Result of `get_nutrition`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetNutritionOutput {
    /// The entries exactly as TrainingPeaks returns them (the format is not documented).
    pub entries: Vec<Value>,
}

/// The tool.
pub struct GetNutrition;

/// A one-line summary of an entry: its date and any calorie/macro fields, else compact JSON.
fn line(e: &Value) -> String {
    let date = ["nutritionDate", "date", "day"]
        .iter()
        .find_map(|k| e.get(*k).and_then(Value::as_str))
        .map(|d| d.get(..10).unwrap_or(d).to_string());
    let fields: Vec<String> = [
        ("calories", "kcal"),
        ("carbohydrates", "g carbs"),
        ("protein", "g protein"),
        ("fat", "g fat"),
    ]
    .iter()
    .filter_map(|(k, unit)| {
        e.get(*k)
            .and_then(Value::as_f64)
            .map(|v| format!("{} {unit}", num(v)))
    })
    .collect();
    match (date, fields.is_empty()) {
        (Some(d), false) => format!("{d}: {}", fields.join(", ")),
        _ => e.to_string(),
    }
}

impl TypedTool for GetNutrition {
    type Args = GetNutritionArgs;
    type Output = GetNutritionOutput;
    const NAME: &'static str = "get_nutrition";
    const DESCRIPTION: &'static str = "Get logged nutrition (calories and macros synced from apps such as \
        MyFitnessPal) between two dates (YYYY-MM-DD).";
    const ANNOTATIONS: Annotations = Annotations::read("Get nutrition log");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_range(args.start_date, args.end_date, "end_date")
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let aid = ctx.client.athlete_id(args.athlete_id).await?;
            let entries = ctx
                .client
                .nutrition(aid, args.start_date.0, args.end_date.0)
                .await?;
            let text = if entries.is_empty() {
                format!(
                    "No nutrition data found between {} and {}.",
                    args.start_date, args.end_date
                )
            } else {
                let mut lines = vec![format!(
                    "{} nutrition entr{}:",
                    entries.len(),
                    if entries.len() == 1 { "y" } else { "ies" }
                )];
                lines.extend(entries.iter().map(line));
                lines.join("\n")
            };
            Ok((text, GetNutritionOutput { entries }))
        })
    }
}
