//! `get_pool_length_settings`: the pool lengths the athlete swims in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;

/// Arguments of `get_pool_length_settings`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetPoolLengthSettingsArgs {
    /// Athlete to read (coaches); default: your own athlete.
    #[serde(default)]
    pub athlete_id: Option<i64>,
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

/// The tool.
pub struct GetPoolLengthSettings;

impl TypedTool for GetPoolLengthSettings {
    type Args = GetPoolLengthSettingsArgs;
    type Output = GetPoolLengthSettingsOutput;
    const NAME: &'static str = "get_pool_length_settings";
    const DESCRIPTION: &'static str = "Get the athlete's pool length options (length and units, Meters or Yards) \
        and which one is the default. Option ids are what swim workouts' poolLengthOptionId refers to.";
    const ANNOTATIONS: Annotations = Annotations::read("Get pool length settings");

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let aid = ctx.client.athlete_id(args.athlete_id).await?;
            let v = ctx.client.pool_length_settings(aid).await?;
            let default_id = v
                .get("defaultId")
                .and_then(Value::as_str)
                .map(str::to_string);
            let options: Vec<PoolOption> = v
                .get("options")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|o| {
                            let id = o
                                .get("id")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_string();
                            PoolOption {
                                is_default: default_id.as_deref() == Some(id.as_str()),
                                id,
                                length: o.get("length").and_then(Value::as_f64),
                                units: o.get("units").and_then(Value::as_str).map(str::to_string),
                                label: o.get("label").and_then(Value::as_str).map(str::to_string),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let supported_units: Vec<String> = v
                .get("supportedUnits")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let mut lines = vec!["Pool lengths:".to_string()];
            for o in &options {
                let size = match (o.length, &o.units) {
                    (Some(l), Some(u)) => {
                        format!("{} {}", super::zone_views::num(l), u.to_lowercase())
                    }
                    _ => "unknown length".into(),
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
        })
    }
}
