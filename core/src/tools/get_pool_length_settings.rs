//! `get_pool_length_settings`: the pool lengths the athlete swims in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::settings::text;

/// The tool.
pub struct GetPoolLengthSettings;

/// Arguments of `get_pool_length_settings`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetPoolLengthSettingsArgs {
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_pool_length_settings`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetPoolLengthSettingsOutput {
    /// The options.
    pub options: Vec<PoolOption>,
    /// The default option's id.
    pub default_id: Option<String>,
    /// Units the athlete may pick from.
    pub supported_units: Vec<String>,
}

impl TypedTool for GetPoolLengthSettings {
    type Args = GetPoolLengthSettingsArgs;
    type Output = GetPoolLengthSettingsOutput;
    const NAME: &'static str = "get_pool_length_settings";
    const DESCRIPTION: &'static str = "Get the athlete's pool length options (length and units, Meters or Yards) \
        and which one is the default. Option ids are what swim workouts' poolLengthOptionId refers to.";
    const ANNOTATIONS: Annotations = Annotations::read("Get pool length settings");

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let v = ctx.client.pool_length_settings(aid).await?;
        let default_id = text(&v.default_id);
        // An option without a readable id cannot be referred to by a workout: skip it.
        let options: Vec<PoolOption> = v
            .options
            .get()
            .map(|a| {
                a.iter()
                    .filter_map(|o| {
                        let id = text(&o.id)?;
                        Some(PoolOption {
                            is_default: default_id.as_deref() == Some(id.as_str()),
                            id,
                            length: o.length.val(),
                            units: text(&o.units),
                            label: text(&o.label),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let supported_units: Vec<String> = v
            .supported_units
            .get()
            .map(|u| {
                u.iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let mut lines = vec!["Pool lengths:".to_string()];
        for o in &options {
            let size = match (o.length, &o.units) {
                (Some(l), Some(u)) => {
                    format!("{} {}", super::shared::zone_views::num(l), u.to_lowercase())
                }
                (Some(l), None) => format!("{} (units —)", super::shared::zone_views::num(l)),
                _ => "length —".into(),
            };
            let name = o
                .label
                .as_ref()
                .map_or(size.clone(), |l| format!("{l} ({size})"));
            lines.push(format!(
                "{}{name} (id: {})",
                if o.is_default { "* " } else { "  " },
                o.id
            ));
        }
        if options.is_empty() {
            lines.push("  (none)".into());
        }
        if let Some(d) = &default_id {
            lines.push(format!("Default: {d}"));
        }
        if !supported_units.is_empty() {
            lines.push(format!("Supported units: {}", supported_units.join(", ")));
        }
        Ok((
            lines.join("\n"),
            GetPoolLengthSettingsOutput {
                options,
                default_id,
                supported_units,
            },
        ))
    }
}

/// One pool length option.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PoolOption {
    /// Option id, e.g. "DEFAULT-25M" (what a swim workout's `poolLengthOptionId` refers to).
    pub id: String,
    /// Pool length, in `units`.
    pub length: Option<f64>,
    /// "Meters" or "Yards".
    pub units: Option<String>,
    /// Custom label, if any.
    pub label: Option<String>,
    /// Whether this is the default option.
    pub is_default: bool,
}
