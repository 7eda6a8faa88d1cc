//! How zone sets are shown by the settings tools (`get_athlete_settings`, `update_ftp`,
//! `update_hr_zones`, `update_speed_zones`): power in watts **and** % of FTP (the reference
//! printed watts as if they were percentages), HR in bpm, speed zones as paces or km/h, and
//! open-ended top zones marked instead of printing sentinels like 2000 W or 255 bpm.

use crate::trainingpeaks::settings::ZoneSet;
use crate::zones::{PaceUnit, format_pace, is_open_hr, is_open_power, is_open_speed, percent_of};
use schemars::JsonSchema;
use serde::Serialize;

/// A power zone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PowerZoneOut {
    /// Zone label.
    pub label: String,
    /// Lower bound, watts.
    pub min_w: f64,
    /// Upper bound, watts; null for the open-ended top zone.
    pub max_w: Option<f64>,
    /// Lower bound as % of FTP (whole percent); null without an FTP.
    pub min_pct_ftp: Option<f64>,
    /// Upper bound as % of FTP; null for the open-ended top zone or without an FTP.
    pub max_pct_ftp: Option<f64>,
}

/// A power zone set.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PowerSetOut {
    /// Sport id of the set (0 = default set used by every sport without its own).
    pub workout_type_id: i64,
    /// FTP, watts.
    pub ftp_w: f64,
    /// Zones, lowest first.
    pub zones: Vec<PowerZoneOut>,
}

/// A heart-rate zone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HrZoneOut {
    /// Zone label.
    pub label: String,
    /// Lower bound, bpm.
    pub min_bpm: f64,
    /// Upper bound, bpm; null when open-ended (a ≥ 250 sentinel).
    pub max_bpm: Option<f64>,
}

/// A heart-rate zone set.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HrSetOut {
    /// Sport id of the set (0 = general, 2 = bike, 3 = run).
    pub workout_type_id: i64,
    /// Lactate-threshold heart rate, bpm (0 = unset).
    pub threshold_bpm: f64,
    /// Maximum heart rate, bpm (0 = unset).
    pub max_hr_bpm: f64,
    /// Resting heart rate, bpm (0 = unset).
    pub resting_hr_bpm: f64,
    /// Zones, lowest first.
    pub zones: Vec<HrZoneOut>,
}

/// A speed zone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SpeedZoneOut {
    /// Zone label.
    pub label: String,
    /// Lower bound, m/s.
    pub min_mps: f64,
    /// Upper bound, m/s; null when open-ended.
    pub max_mps: Option<f64>,
    /// The slow end as a pace (`M:SS/km` run, `M:SS/100m` swim) or km/h for other sports;
    /// null for 0 m/s (no lower limit).
    pub slow: Option<String>,
    /// The fast end, same format; null when open-ended.
    pub fast: Option<String>,
}

/// A speed zone set.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SpeedSetOut {
    /// Sport id of the set (0 = default/run, 1 = swim, 2 = bike, 3 = run).
    pub workout_type_id: i64,
    /// Threshold speed, m/s.
    pub threshold_mps: f64,
    /// Threshold as a pace or km/h (see `slow`).
    pub threshold: Option<String>,
    /// Zones, slowest first.
    pub zones: Vec<SpeedZoneOut>,
}

/// How a speed set's values are written: a pace per km, per 100 m, or a speed in km/h.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeedDisplay {
    /// Pace.
    Pace(PaceUnit),
    /// km/h, one decimal.
    Kmh,
}

/// The display for a speed set by its sport id: 0 and 3 run paces, 1 swim paces, else km/h.
pub fn speed_display(workout_type_id: i64) -> SpeedDisplay {
    match workout_type_id {
        0 | 3 => SpeedDisplay::Pace(PaceUnit::PerKm),
        1 => SpeedDisplay::Pace(PaceUnit::Per100m),
        _ => SpeedDisplay::Kmh,
    }
}

/// A speed in the set's display (`None` for 0 m/s).
pub fn show_speed(mps: f64, display: SpeedDisplay) -> Option<String> {
    match display {
        SpeedDisplay::Pace(unit) => format_pace(mps, unit),
        SpeedDisplay::Kmh => {
            (mps > 0.0 && mps.is_finite()).then(|| format!("{:.1} km/h", mps * 3.6))
        }
    }
}

/// A whole number without a trailing `.0`, else one decimal.
pub fn num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// The view of a power set.
pub fn power_set(set: &ZoneSet) -> PowerSetOut {
    let ftp = set.threshold();
    let zones = set
        .read_zones()
        .into_iter()
        .map(|z| {
            let open = is_open_power(z.maximum);
            PowerZoneOut {
                min_pct_ftp: percent_of(z.minimum, ftp),
                max_pct_ftp: if open {
                    None
                } else {
                    percent_of(z.maximum, ftp)
                },
                max_w: (!open).then_some(z.maximum),
                min_w: z.minimum,
                label: z.label,
            }
        })
        .collect();
    PowerSetOut {
        workout_type_id: set.type_id().unwrap_or(0),
        ftp_w: ftp,
        zones,
    }
}

/// The view of a heart-rate set.
pub fn hr_set(set: &ZoneSet) -> HrSetOut {
    HrSetOut {
        workout_type_id: set.type_id().unwrap_or(0),
        threshold_bpm: set.threshold(),
        max_hr_bpm: ZoneSet::value(&set.maximum_heart_rate),
        resting_hr_bpm: ZoneSet::value(&set.resting_heart_rate),
        zones: set
            .read_zones()
            .into_iter()
            .map(|z| HrZoneOut {
                max_bpm: (!is_open_hr(z.maximum)).then_some(z.maximum),
                min_bpm: z.minimum,
                label: z.label,
            })
            .collect(),
    }
}

/// The view of a speed set.
pub fn speed_set(set: &ZoneSet) -> SpeedSetOut {
    let type_id = set.type_id().unwrap_or(0);
    let display = speed_display(type_id);
    let threshold = set.threshold();
    SpeedSetOut {
        workout_type_id: type_id,
        threshold_mps: threshold,
        threshold: show_speed(threshold, display),
        zones: set
            .read_zones()
            .into_iter()
            .map(|z| {
                let open = is_open_speed(z.maximum, threshold);
                SpeedZoneOut {
                    slow: show_speed(z.minimum, display),
                    fast: if open {
                        None
                    } else {
                        show_speed(z.maximum, display)
                    },
                    max_mps: (!open).then_some(z.maximum),
                    min_mps: z.minimum,
                    label: z.label,
                }
            })
            .collect(),
    }
}

/// Lines for power zones: `Zone 2: 147–199 W (56–75 % FTP)`, top `Zone 5: 279 W+ (> 105 % FTP)`.
pub fn power_lines(set: &PowerSetOut) -> Vec<String> {
    let pct = |p: Option<f64>| p.map_or_else(|| "?".to_string(), num);
    set.zones
        .iter()
        .map(|z| match z.max_w {
            Some(max) => format!(
                "{}: {}–{} W ({}–{} % FTP)",
                z.label,
                num(z.min_w),
                num(max),
                pct(z.min_pct_ftp),
                pct(z.max_pct_ftp)
            ),
            None => format!(
                "{}: {} W+ (≥ {} % FTP)",
                z.label,
                num(z.min_w),
                pct(z.min_pct_ftp)
            ),
        })
        .collect()
}

/// Lines for HR zones: `Zone 3: 155–161 bpm`, top `Zone 5c: ≥ 182 bpm`.
pub fn hr_lines(set: &HrSetOut) -> Vec<String> {
    set.zones
        .iter()
        .map(|z| match z.max_bpm {
            Some(max) => format!("{}: {}–{} bpm", z.label, num(z.min_bpm), num(max)),
            None => format!("{}: ≥ {} bpm", z.label, num(z.min_bpm)),
        })
        .collect()
}

/// Lines for speed zones, slow end first: `Zone 2: 5:27/km–4:50/km`, open ends written
/// `slower than …` / `faster than …`.
pub fn speed_lines(set: &SpeedSetOut) -> Vec<String> {
    set.zones
        .iter()
        .map(|z| match (&z.slow, &z.fast) {
            (Some(s), Some(f)) => format!("{}: {s} – {f}", z.label),
            (None, Some(f)) => format!("{}: slower than {f}", z.label),
            (Some(s), None) => format!("{}: faster than {s}", z.label),
            (None, None) => format!("{}: any", z.label),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn set(v: Value) -> ZoneSet {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn power_zones_show_watts_and_percent_of_ftp() {
        let raw = json!({"workoutTypeId": 0, "threshold": 250, "zones": [
            {"label": "Zone 1", "minimum": 0, "maximum": 138},
            {"label": "Zone 2", "minimum": 139, "maximum": 188},
            {"label": "Zone 5", "minimum": 264, "maximum": 2000},
        ]});
        let lines = power_lines(&power_set(&set(raw)));
        assert_eq!(
            lines,
            [
                "Zone 1: 0–138 W (0–55 % FTP)",
                "Zone 2: 139–188 W (56–75 % FTP)",
                "Zone 5: 264 W+ (≥ 106 % FTP)"
            ]
        );
    }

    #[test]
    fn hr_and_speed_lines() {
        let hr = json!({"workoutTypeId": 0, "threshold": 170, "zones": [
            {"label": "Z1", "minimum": 0, "maximum": 136}, {"label": "Z7", "minimum": 180, "maximum": 255}]});
        assert_eq!(
            hr_lines(&hr_set(&set(hr))),
            ["Z1: 0–136 bpm", "Z7: ≥ 180 bpm"]
        );
        let run = json!({"workoutTypeId": 0, "threshold": 1000.0 / 270.0, "zones": [
            {"label": "Z1", "minimum": 0, "maximum": 1000.0 / 330.0},
            {"label": "Z2", "minimum": 1000.0 / 330.0, "maximum": 1000.0 / 299.6},
            {"label": "Z3", "minimum": 1000.0 / 299.6, "maximum": 10000.0 / 270.0}]});
        assert_eq!(
            speed_lines(&speed_set(&set(run))),
            [
                "Z1: slower than 5:30/km",
                "Z2: 5:30/km – 5:00/km",
                "Z3: faster than 5:00/km"
            ]
        );
        let bike = json!({"workoutTypeId": 2, "threshold": 10.5, "zones": [{"label": "Z1", "minimum": 0, "maximum": 7.35}]});
        assert_eq!(
            speed_lines(&speed_set(&set(bike))),
            ["Z1: slower than 26.5 km/h"]
        );
    }
}
