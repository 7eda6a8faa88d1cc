//! `get_weather_settings`: the weather location configured for the calendar.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;

/// Arguments of `get_weather_settings` (none).
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetWeatherSettingsArgs {}

/// Result of `get_weather_settings`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetWeatherSettingsOutput {
    /// Whether any weather settings exist.
    pub configured: bool,
    /// Whether weather is shown.
    pub enabled: Option<bool>,
    /// Location name.
    pub location: Option<String>,
    /// Latitude, degrees.
    pub lat: Option<f64>,
    /// Longitude, degrees.
    pub lon: Option<f64>,
}

/// The tool.
pub struct GetWeatherSettings;

impl TypedTool for GetWeatherSettings {
    type Args = GetWeatherSettingsArgs;
    type Output = GetWeatherSettingsOutput;
    const NAME: &'static str = "get_weather_settings";
    const DESCRIPTION: &'static str = "Get the signed-in user's weather settings: whether weather is shown on the \
        calendar, and the location (name, latitude, longitude).";
    const ANNOTATIONS: Annotations = Annotations::read("Get weather settings");

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        _args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let v = ctx.client.weather_settings().await?;
            // An array whose first element is the user's settings (spec §8.1); accept a bare object too.
            let first = match &v {
                Value::Array(a) => a.first().cloned(),
                Value::Object(_) => Some(v.clone()),
                _ => None,
            };
            let Some(w) = first else {
                return Ok((
                    "No weather settings configured.".to_string(),
                    GetWeatherSettingsOutput {
                        configured: false,
                        enabled: None,
                        location: None,
                        lat: None,
                        lon: None,
                    },
                ));
            };
            let enabled = w
                .get("enabled")
                .and_then(|e| e.as_bool().or_else(|| e.as_i64().map(|n| n != 0)));
            let out = GetWeatherSettingsOutput {
                configured: true,
                enabled,
                location: w
                    .get("location")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                lat: w.get("lat").and_then(Value::as_f64),
                lon: w.get("lon").and_then(Value::as_f64),
            };
            let mut lines = vec![format!(
                "Weather: {}",
                match enabled {
                    Some(true) => "enabled",
                    Some(false) => "disabled",
                    None => "unknown",
                }
            )];
            if let Some(l) = &out.location {
                lines.push(format!("Location: {l}"));
            }
            if let (Some(lat), Some(lon)) = (out.lat, out.lon) {
                lines.push(format!("Coordinates: {lat:.4}, {lon:.4}"));
            }
            Ok((lines.join("\n"), out))
        })
    }
}
