//! `get_weather_settings`: the weather location configured for the calendar.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::settings::text;

/// The tool.
pub struct GetWeatherSettings;

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

impl TypedTool for GetWeatherSettings {
    type Args = GetWeatherSettingsArgs;
    type Output = GetWeatherSettingsOutput;
    const NAME: &'static str = "get_weather_settings";
    const DESCRIPTION: &'static str = "Get the signed-in user's weather settings: whether weather is shown on the \
        calendar, and the location (name, latitude, longitude).";
    const ANNOTATIONS: Annotations = Annotations::read("Get weather settings");

    async fn run(
        &self,
        ctx: &ToolContext,
        _args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let Some(w) = ctx.client.weather_settings().await? else {
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
        let out = GetWeatherSettingsOutput {
            configured: true,
            enabled: w.enabled.val(),
            location: text(&w.location),
            lat: w.lat.val(),
            lon: w.lon.val(),
        };
        let mut lines = vec![format!(
            "Weather: {}",
            match out.enabled {
                Some(true) => "enabled",
                Some(false) => "disabled",
                None => "—",
            }
        )];
        lines.push(format!(
            "Location: {}",
            out.location.as_deref().unwrap_or("—")
        ));
        let coord = |c: Option<f64>| c.map_or_else(|| "—".to_string(), |c| format!("{c:.4}"));
        if out.lat.is_some() || out.lon.is_some() {
            lines.push(format!(
                "Coordinates: {}, {}",
                coord(out.lat),
                coord(out.lon)
            ));
        }
        Ok((lines.join("\n"), out))
    }
}
