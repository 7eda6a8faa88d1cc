//! Heart-rate zone scaling (spec §G "HR zones").

use super::{Zone, ZoneError, check_range, round_half_up};

/// Smallest heart rate accepted for a threshold, max or resting value, in bpm.
pub const HR_MIN_BPM: f64 = 20.0;

/// Largest heart rate accepted, in bpm. Kept below [`HR_OPEN_BPM`] so a real max HR can never
/// be mistaken for the open-ended sentinel.
pub const HR_MAX_BPM: f64 = 249.0;

/// Zone maxima at or above this many bpm are shown as open-ended (spec §G display rule;
/// older sets end with a 255 sentinel).
pub const HR_OPEN_BPM: f64 = 250.0;

/// A heart-rate zone set as TrainingPeaks stores it (all values in bpm; 0 = unset).
#[derive(Debug, Clone, PartialEq)]
pub struct HrZoneSet {
    /// Lactate-threshold heart rate (`threshold`).
    pub threshold: f64,
    /// Maximum heart rate (`maximumHeartRate`).
    pub max_hr: f64,
    /// Resting heart rate (`restingHeartRate`).
    pub resting_hr: f64,
    /// The zones, lowest first.
    pub zones: Vec<Zone>,
}

/// What to change; `None` keeps the current value.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HrUpdate {
    /// New threshold heart rate, bpm.
    pub threshold: Option<f64>,
    /// New maximum heart rate, bpm.
    pub max_hr: Option<f64>,
    /// New resting heart rate, bpm.
    pub resting_hr: Option<f64>,
}

impl HrUpdate {
    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.threshold.is_none() && self.max_hr.is_none() && self.resting_hr.is_none()
    }
}

/// Applies `update` to `old`, rescaling the zones as TrainingPeaks' clients do:
///
/// - new values = given ?? old;
/// - if a threshold is given **and** the old threshold is positive, every bound is scaled by
///   new/old and rounded (halves up), except the top zone's maximum, which becomes the
///   (new) max HR — so an old 255 sentinel becomes the max HR;
/// - else if a max HR is given, only the top zone's maximum becomes the new max HR;
/// - else (resting only, or a threshold on a set that had none) the zones are unchanged.
///
/// Beyond the reference: each given value must be within [`HR_MIN_BPM`]..=[`HR_MAX_BPM`],
/// an empty update is refused, and once merged resting < threshold ≤ max must hold (values
/// still 0 = unset are not compared). A rescale of a set with no zones is refused.
pub fn update_hr_zones(old: &HrZoneSet, update: &HrUpdate) -> Result<HrZoneSet, ZoneError> {
    if update.is_empty() {
        return Err(ZoneError::Inconsistent(
            "nothing to change; give at least one of threshold_hr, max_hr, resting_hr".into(),
        ));
    }
    for (quantity, v) in [
        ("threshold heart rate", update.threshold),
        ("maximum heart rate", update.max_hr),
        ("resting heart rate", update.resting_hr),
    ] {
        if let Some(v) = v {
            check_range(quantity, v, HR_MIN_BPM, HR_MAX_BPM, "bpm")?;
        }
    }
    let threshold = update.threshold.unwrap_or(old.threshold);
    let max_hr = update.max_hr.unwrap_or(old.max_hr);
    let resting_hr = update.resting_hr.unwrap_or(old.resting_hr);
    if threshold > 0.0 && max_hr > 0.0 && threshold > max_hr {
        return Err(ZoneError::Inconsistent(format!(
            "threshold heart rate {threshold} bpm is above the maximum heart rate {max_hr} bpm; \
             the threshold must be at or below the maximum"
        )));
    }
    if resting_hr > 0.0 && threshold > 0.0 && resting_hr >= threshold {
        return Err(ZoneError::Inconsistent(format!(
            "resting heart rate {resting_hr} bpm is not below the threshold heart rate {threshold} bpm"
        )));
    }

    let mut zones = old.zones.clone();
    let last = zones.len().checked_sub(1);
    match (update.threshold, update.max_hr) {
        (Some(new), _) if old.threshold > 0.0 => {
            let last = last.ok_or(ZoneError::NoZones)?;
            let ratio = new / old.threshold;
            for (i, z) in zones.iter_mut().enumerate() {
                z.minimum = round_half_up(z.minimum * ratio);
                z.maximum = if i == last {
                    max_hr
                } else {
                    round_half_up(z.maximum * ratio)
                };
            }
        }
        (_, Some(new_max)) => {
            let last = last.ok_or(ZoneError::NoZones)?;
            if let Some(z) = zones.get_mut(last) {
                z.maximum = new_max;
            }
        }
        _ => {}
    }
    Ok(HrZoneSet {
        threshold,
        max_hr,
        resting_hr,
        zones,
    })
}

/// Whether a heart-rate zone maximum means "open-ended" (at or above [`HR_OPEN_BPM`]).
pub fn is_open_hr(maximum_bpm: f64) -> bool {
    maximum_bpm >= HR_OPEN_BPM
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(threshold: f64, max_hr: f64, resting_hr: f64, bounds: &[(f64, f64)]) -> HrZoneSet {
        HrZoneSet {
            threshold,
            max_hr,
            resting_hr,
            zones: bounds
                .iter()
                .enumerate()
                .map(|(i, (a, b))| Zone::new(format!("Zone {}", i + 1), *a, *b))
                .collect(),
        }
    }

    fn bounds(s: &HrZoneSet) -> Vec<(f64, f64)> {
        s.zones.iter().map(|z| (z.minimum, z.maximum)).collect()
    }

    const OLD_170: [(f64, f64); 7] = [
        (0.0, 136.0),
        (137.0, 151.0),
        (152.0, 158.0),
        (159.0, 169.0),
        (170.0, 173.0),
        (174.0, 179.0),
        (180.0, 255.0),
    ];

    /// Spec §G worked example: threshold 170 → 175 (max 190 kept).
    #[test]
    fn threshold_170_to_175_worked_example() {
        let old = set(170.0, 190.0, 48.0, &OLD_170);
        let new = update_hr_zones(
            &old,
            &HrUpdate {
                threshold: Some(175.0),
                ..HrUpdate::default()
            },
        )
        .unwrap();
        assert_eq!(
            bounds(&new),
            vec![
                (0.0, 140.0),
                (141.0, 155.0),
                (156.0, 163.0),
                (164.0, 174.0),
                (175.0, 178.0),
                (179.0, 184.0),
                (185.0, 190.0)
            ]
        );
        assert_eq!(
            (new.threshold, new.max_hr, new.resting_hr),
            (175.0, 190.0, 48.0)
        );
        // Labels survive.
        assert_eq!(new.zones.first().map(|z| z.label.as_str()), Some("Zone 1"));
    }

    #[test]
    fn update_rules() {
        let old = set(170.0, 190.0, 48.0, &OLD_170);
        let unset = set(0.0, 190.0, 48.0, &OLD_170);
        type Case = (
            &'static str,
            HrZoneSet,
            HrUpdate,
            Vec<(f64, f64)>,
            (f64, f64, f64),
        );
        let cases: Vec<Case> = vec![
            (
                "threshold and max: top zone ends at the new max",
                old.clone(),
                HrUpdate {
                    threshold: Some(175.0),
                    max_hr: Some(195.0),
                    resting_hr: None,
                },
                vec![
                    (0.0, 140.0),
                    (141.0, 155.0),
                    (156.0, 163.0),
                    (164.0, 174.0),
                    (175.0, 178.0),
                    (179.0, 184.0),
                    (185.0, 195.0),
                ],
                (175.0, 195.0, 48.0),
            ),
            (
                "max only: only the top maximum moves",
                old.clone(),
                HrUpdate {
                    max_hr: Some(192.0),
                    ..HrUpdate::default()
                },
                {
                    let mut b = OLD_170.to_vec();
                    b[6].1 = 192.0;
                    b
                },
                (170.0, 192.0, 48.0),
            ),
            (
                "resting only: zones unchanged",
                old.clone(),
                HrUpdate {
                    resting_hr: Some(44.0),
                    ..HrUpdate::default()
                },
                OLD_170.to_vec(),
                (170.0, 190.0, 44.0),
            ),
            (
                "threshold on a set without one: zones unchanged, threshold stored",
                unset,
                HrUpdate {
                    threshold: Some(168.0),
                    ..HrUpdate::default()
                },
                OLD_170.to_vec(),
                (168.0, 190.0, 48.0),
            ),
        ];
        for (name, old, upd, want, values) in cases {
            let new = update_hr_zones(&old, &upd).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(bounds(&new), want, "{name}");
            assert_eq!(
                (new.threshold, new.max_hr, new.resting_hr),
                values,
                "{name}"
            );
        }
    }

    #[test]
    fn refusals() {
        let old = set(170.0, 190.0, 48.0, &OLD_170);
        let empty = set(170.0, 190.0, 48.0, &[]);
        let cases = [
            (
                "nothing given",
                old.clone(),
                HrUpdate::default(),
                "nothing to change",
            ),
            (
                "negative threshold",
                old.clone(),
                HrUpdate {
                    threshold: Some(-5.0),
                    ..HrUpdate::default()
                },
                "out of range",
            ),
            (
                "max at sentinel",
                old.clone(),
                HrUpdate {
                    max_hr: Some(255.0),
                    ..HrUpdate::default()
                },
                "out of range",
            ),
            (
                "threshold above max",
                old.clone(),
                HrUpdate {
                    threshold: Some(195.0),
                    ..HrUpdate::default()
                },
                "above the maximum",
            ),
            (
                "resting above threshold",
                old.clone(),
                HrUpdate {
                    resting_hr: Some(171.0),
                    ..HrUpdate::default()
                },
                "not below",
            ),
            (
                "no zones to scale",
                empty,
                HrUpdate {
                    threshold: Some(175.0),
                    ..HrUpdate::default()
                },
                "no zones",
            ),
        ];
        for (name, old, upd, needle) in cases {
            let err = update_hr_zones(&old, &upd).expect_err(name);
            assert!(err.to_string().contains(needle), "{name}: {err}");
        }
    }

    #[test]
    fn open_hr_sentinel() {
        assert!(is_open_hr(255.0));
        assert!(is_open_hr(250.0));
        assert!(!is_open_hr(249.0));
    }
}
