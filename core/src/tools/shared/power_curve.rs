//! What the two `get_power_curve` tools (TrainingPeaks and Intervals.icu) share: the channel
//! argument, the durations reported, the CP / W′ / Pmax fit and the pieces of text built from
//! them. Only where the tools fetch their activities and name them differs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::activity_metrics::model_durations_s;
use crate::analysis::meanmax::{SeasonCurve, SparseCurve};
use crate::analysis::models::{cp2, cp3};
use crate::analysis::source::ActivityData;
use crate::tools::intervals::common::round;
use crate::tools::shared::args::Sport;

/// Durations reported, s.
pub(crate) const DURATIONS_S: [u32; 15] = [
    1, 5, 10, 30, 60, 120, 180, 300, 600, 1200, 1800, 3600, 5400, 7200, 10800,
];

/// The durations read off a season: the reported ones and the model's.
pub(crate) fn needed_durations_s() -> Vec<u32> {
    DURATIONS_S.into_iter().chain(model_durations_s()).collect()
}

/// Which channel's curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CurveChannel {
    /// Power, W (default).
    #[default]
    Power,
    /// Heart rate, bpm.
    HeartRate,
    /// Speed, m/s (pace for runs and swims).
    Speed,
}

impl CurveChannel {
    /// The sport read when none is given: run for speed, else bike.
    pub(crate) fn default_sport(self) -> Sport {
        match self {
            CurveChannel::Speed => Sport::Run,
            _ => Sport::Bike,
        }
    }

    /// The argument's own spelling, as the output names the channel.
    pub(crate) fn label(self) -> &'static str {
        match self {
            CurveChannel::Power => "power",
            CurveChannel::HeartRate => "heart_rate",
            CurveChannel::Speed => "speed",
        }
    }

    /// The unit after a value in the text, with its leading space.
    pub(crate) fn unit(self) -> &'static str {
        match self {
            CurveChannel::Power => " W",
            CurveChannel::HeartRate => " bpm",
            CurveChannel::Speed => " m/s",
        }
    }

    /// This channel's stream of `data`, and its cached curve when there is one.
    pub(crate) fn pick(self, data: &ActivityData) -> (&[Option<f64>], Option<&SparseCurve>) {
        let curves = data.curves.as_ref();
        match self {
            CurveChannel::Power => (
                &data.streams.power_w,
                curves.and_then(|c| c.power_w.as_ref()),
            ),
            CurveChannel::HeartRate => (
                &data.streams.heart_rate_bpm,
                curves.and_then(|c| c.heart_rate_bpm.as_ref()),
            ),
            CurveChannel::Speed => (
                &data.streams.speed_mps,
                curves.and_then(|c| c.speed_mps.as_ref()),
            ),
        }
    }

    /// A season point's value as reported (speed to the hundredth, the others whole) and its
    /// pace per km for speed curves.
    pub(crate) fn value_and_pace(self, value: f64) -> (f64, Option<String>) {
        let speed = self == CurveChannel::Speed;
        let places = if speed { 2 } else { 0 };
        let pace = (speed && value > 0.0).then(|| {
            let s = (1000.0 / value).round() as u64;
            format!("{}:{:02}", s / 60, s % 60)
        });
        (round(value, places), pace)
    }
}

/// The power-duration model fitted to the curve.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ModelFit {
    /// Critical power, W (2-parameter fit over 3–20 min).
    pub cp_w: f64,
    /// W′, J.
    pub w_prime_j: f64,
    /// 3-parameter fit (1 s–20 min): CP, W′ and Pmax, when identified.
    pub cp3_w: Option<f64>,
    /// W′ of the 3-parameter fit, J.
    pub w_prime3_j: Option<f64>,
    /// Pmax of the 3-parameter fit, W.
    pub pmax_w: Option<f64>,
}

impl ModelFit {
    /// The fit of a power `season`, when the curve reaches 3–20 min and `channel` is power.
    pub(crate) fn of(channel: CurveChannel, season: &SeasonCurve) -> Option<ModelFit> {
        if channel != CurveChannel::Power {
            return None;
        }
        // Every whole minute of 3–20 min, and the short end for Pmax.
        let grid: Vec<(f64, f64)> = model_durations_s()
            .filter_map(|d| season.at(d).map(|p| (f64::from(d), p.value)))
            .collect();
        let two = cp2(&grid)?;
        let three = cp3(&grid);
        Some(ModelFit {
            cp_w: round(two.cp_w, 0),
            w_prime_j: round(two.w_prime_j, 0),
            cp3_w: three.as_ref().map(|f| round(f.cp_w, 0)),
            w_prime3_j: three.as_ref().map(|f| round(f.w_prime_j, 0)),
            pmax_w: three.and_then(|f| f.pmax_w).map(|v| round(v, 0)),
        })
    }

    /// The text's model line, from its leading newline to its full stop.
    pub(crate) fn text(&self) -> String {
        let mut t = format!(
            "\nModel: CP {} W, W′ {} J (2-parameter, 3–20 min)",
            self.cp_w, self.w_prime_j
        );
        if let (Some(c), Some(w), Some(p)) = (self.cp3_w, self.w_prime3_j, self.pmax_w) {
            t.push_str(&format!("; 3-parameter CP {c} W, W′ {w} J, Pmax {p} W"));
        }
        t.push('.');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::meanmax::CACHED_DURATIONS_S;

    #[test]
    fn cached_curves_hold_every_duration_the_tools_read() {
        // Else every cached activity would fall back to recomputing its curve (still right,
        // but the season over cached activities would be slow again).
        let needed = needed_durations_s();
        let cached = SparseCurve {
            durations_s: CACHED_DURATIONS_S.to_vec(),
            points: Vec::new(),
        };
        assert!(cached.covers(&needed), "{needed:?}");
    }

    #[test]
    fn speed_values_keep_two_places_and_carry_a_pace() {
        assert_eq!(
            CurveChannel::Speed.value_and_pace(4.16666),
            (4.17, Some("4:00".to_string()))
        );
        assert_eq!(CurveChannel::Power.value_and_pace(301.6), (302.0, None));
        assert_eq!(CurveChannel::Speed.value_and_pace(0.0), (0.0, None));
    }

    #[test]
    fn the_model_line_names_the_three_parameter_fit_only_when_complete() {
        let mut m = ModelFit {
            cp_w: 250.0,
            w_prime_j: 20000.0,
            cp3_w: Some(245.0),
            w_prime3_j: Some(22000.0),
            pmax_w: Some(900.0),
        };
        assert_eq!(
            m.text(),
            "\nModel: CP 250 W, W′ 20000 J (2-parameter, 3–20 min); 3-parameter CP 245 W, \
             W′ 22000 J, Pmax 900 W."
        );
        m.pmax_w = None;
        assert_eq!(
            m.text(),
            "\nModel: CP 250 W, W′ 20000 J (2-parameter, 3–20 min)."
        );
    }
}
