//! A stream summarised for the model: count, gaps, min/max/mean over a window, and the window
//! downsampled to bucket means. Shared by both platforms' `get_activity_streams`, so the two
//! read alike and neither dumps raw samples.

use schemars::JsonSchema;
use serde::Serialize;

use crate::tools::intervals::common::round;

/// One stream, summarised.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StreamView {
    /// Stream type (`watts`, `heartrate`, … on Intervals.icu; `power_w`, `heart_rate_bpm`, …
    /// on TrainingPeaks, named with their unit).
    #[serde(rename = "type")]
    pub kind: String,
    /// Display name.
    pub name: Option<String>,
    /// Samples in the window.
    pub count: usize,
    /// Samples in the window without a value.
    pub nulls: usize,
    /// Smallest value in the window.
    pub min: Option<f64>,
    /// Largest value in the window.
    pub max: Option<f64>,
    /// Mean of the values in the window.
    pub avg: Option<f64>,
    /// The window downsampled: each point is the mean of its slice (the first value for
    /// cumulative streams such as time and distance), `null` where the slice had no value.
    pub series: Vec<Option<f64>>,
}

/// Mean of the values of a slice, or its first value.
fn bucket(values: &[Option<f64>], first: bool) -> Option<f64> {
    if first {
        return values.iter().flatten().next().copied();
    }
    let (sum, n) = values
        .iter()
        .flatten()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Decimals kept for a stream: coordinates need five, small-valued streams two.
fn places(kind: &str, max_abs: f64) -> i32 {
    match kind {
        "latlng" => 5,
        _ if max_abs < 20.0 => 2,
        _ => 1,
    }
}

/// Summarises `window` into a [`StreamView`] with at most `points` series points.
/// `cumulative` streams (time, distance) take each slice's first value instead of its mean.
pub(crate) fn summarise(
    kind: String,
    name: Option<String>,
    window: &[Option<f64>],
    points: usize,
    cumulative: bool,
) -> StreamView {
    let values: Vec<f64> = window.iter().flatten().copied().collect();
    let nulls = window.len() - values.len();
    let min = values.iter().copied().reduce(f64::min);
    let max = values.iter().copied().reduce(f64::max);
    let avg = (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
    let p = places(
        &kind,
        min.unwrap_or(0.0).abs().max(max.unwrap_or(0.0).abs()),
    );
    let n = points.min(window.len());
    let series = (0..n)
        .map(|i| {
            let (a, b) = (i * window.len() / n, (i + 1) * window.len() / n);
            bucket(&window[a..b.max(a + 1).min(window.len())], cumulative).map(|v| round(v, p))
        })
        .collect();
    StreamView {
        kind,
        name,
        count: window.len(),
        nulls,
        min: min.map(|v| round(v, p)),
        max: max.map(|v| round(v, p)),
        avg: avg.map(|v| round(v, p)),
        series,
    }
}

/// A rough token count of `text` for the model: about four bytes per token for JSON numbers
/// and punctuation (the usual rule of thumb; exact counts depend on the model's tokenizer).
pub(crate) fn approx_tokens(text: &str) -> usize {
    text.len().div_ceil(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_means_or_first_values_and_gaps_stay_null() {
        let w = [Some(1.0), Some(3.0), None, None, Some(10.0), Some(20.0)];
        let v = summarise("power_w".into(), None, &w, 3, false);
        assert_eq!(v.series, vec![Some(2.0), None, Some(15.0)]);
        assert_eq!((v.count, v.nulls), (6, 2));
        assert_eq!((v.min, v.max, v.avg), (Some(1.0), Some(20.0), Some(8.5)));
        let d = summarise("distance_m".into(), None, &w, 3, true);
        assert_eq!(d.series, vec![Some(1.0), None, Some(10.0)]);
    }
}
