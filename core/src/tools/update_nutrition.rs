//! `update_nutrition`: set the planned daily calories.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::shared::args::AthleteId;
use super::shared::zone_views::num;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::Field;

/// The tool.
pub struct UpdateNutrition;

/// Arguments of `update_nutrition`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateNutritionArgs {
    /// Planned daily intake in **kcal** (500–10000), e.g. 2600.
    pub planned_calories: f64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `update_nutrition`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UpdateNutritionOutput {
    /// The new planned daily calories, kcal.
    pub planned_calories: f64,
    /// The value before, kcal.
    pub previous_planned_calories: Option<f64>,
    /// The substrate utilisation category kept (TrainingPeaks' code; 4 when none was set).
    pub substrate_utilization_category: Value,
}

impl TypedTool for UpdateNutrition {
    type Args = UpdateNutritionArgs;
    type Output = UpdateNutritionOutput;
    const NAME: &'static str = "update_nutrition";
    const DESCRIPTION: &'static str = "Set the athlete's planned daily calories (kcal, 500–10000). The substrate \
        utilisation setting is kept as it is.";
    const ANNOTATIONS: Annotations = Annotations::update("Update planned calories");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        let c = args.planned_calories;
        if !(c.is_finite() && (500.0..=10_000.0).contains(&c)) {
            return Err(ToolError::invalid(
                "planned_calories",
                format!(
                    "{c} kcal is out of range; use a daily intake from 500 to 10000 kcal, e.g. 2600"
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
        let aid = args.athlete_id.resolve(ctx).await?;
        let settings = ctx.client.athlete_settings(aid).await?;
        let previous = settings.planned_calories();
        // Kept exactly as stored (its coding is unknown); 4 when none is set, as the
        // reference sends.
        let category = settings
            .nutrition_settings
            .get()
            .and_then(|n| match &n.substrate_utilization_category {
                Field::Present(v) if !v.is_null() => Some(v.clone()),
                _ => None,
            })
            .unwrap_or(json!(4));
        ctx.client
            .post_nutrition_settings(aid, args.planned_calories, category.clone())
            .await?;
        let text = match previous {
            Some(p) => format!(
                "Planned daily calories updated from {} to {} kcal.",
                num(p),
                num(args.planned_calories)
            ),
            None => format!(
                "Planned daily calories set to {} kcal.",
                num(args.planned_calories)
            ),
        };
        Ok((
            text,
            UpdateNutritionOutput {
                planned_calories: args.planned_calories,
                previous_planned_calories: previous,
                substrate_utilization_category: category,
            },
        ))
    }
}
