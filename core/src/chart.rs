//! Charts as SVG, drawn here so that one renderer serves the playground page, the in-page overlay
//! and the MCP tools (which rasterise the SVG natively).
//!
//! Four kinds: a workout's profile ([`workout_profile`]), the fitness chart ([`fitness`]), a
//! power curve ([`power_curve`]) and a week's planned against completed training ([`week`]).
//!
//! Every chart is accessible (`role="img"`, a `<title>` and a `<desc>` referenced by
//! `aria-labelledby`) and the description is returned too ([`Chart::description`]), so a model
//! that cannot see the picture reads the same facts. Output is small (no embedded fonts, the
//! system font stack, coordinates rounded to a tenth of a pixel) and deterministic: the same input
//! gives the same bytes, so golden files can compare them.

mod fitness;
mod power_curve;
mod svg;
mod week;
mod workout;

pub use fitness::{FitnessRow, fitness};
pub use power_curve::{CpModel, CurvePoint, PowerCurve, power_curve};
pub use week::{SportAmount, WeekDay, WeekMetric, week};
pub use workout::{RampStyle, workout_profile};

/// Light or dark colours. Both keep text at a contrast of at least 4.5:1 on their background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Dark text on white.
    #[default]
    Light,
    /// Light text on a near-black background.
    Dark,
}

/// Size and colours shared by every chart kind.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartOptions {
    /// Light or dark.
    pub theme: Theme,
    /// Width in CSS pixels (200–4000).
    pub width: u32,
    /// Height in CSS pixels (120–3000).
    pub height: u32,
    /// The chart's title; each kind has a default when `None`.
    pub title: Option<String>,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            theme: Theme::Light,
            width: 800,
            height: 300,
            title: None,
        }
    }
}

/// A drawn chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The SVG document (UTF-8, no XML declaration).
    pub svg: String,
    /// The title, as in `<title>`.
    pub title: String,
    /// What the chart shows, in words, as in `<desc>`: give it to a model alongside the image.
    pub description: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Input a chart cannot be drawn from. `field` names the offending input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ChartError {
    /// Which input is wrong, e.g. `rows[3].ctl` or `width`.
    pub field: String,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl ChartError {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ChartError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl ChartOptions {
    pub(crate) fn check(&self) -> Result<(), ChartError> {
        if !(200..=4000).contains(&self.width) {
            return Err(ChartError::new(
                "width",
                format!("{} px is outside 200–4000", self.width),
            ));
        }
        if !(120..=3000).contains(&self.height) {
            return Err(ChartError::new(
                "height",
                format!("{} px is outside 120–3000", self.height),
            ));
        }
        Ok(())
    }
}

/// Checks that a number is finite (NaN and infinities cannot be drawn).
pub(crate) fn finite(field: impl FnOnce() -> String, v: f64) -> Result<f64, ChartError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ChartError::new(field(), "must be a finite number"))
    }
}
