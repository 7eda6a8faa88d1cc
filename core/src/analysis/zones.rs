//! Time in zone and intensity distribution (spec §2.11).

use serde::Serialize;

use super::val;

/// Lower bounds of Coggan power zones 1–7 as a fraction of FTP (spec §2.11 table: <55, 55–75,
/// 75–90, 90–105, 105–120, 120–150, >150 %).
pub const POWER_ZONE_LOWER: [f64; 7] = [0.0, 0.55, 0.75, 0.90, 1.05, 1.20, 1.50];

/// Lower bounds of HR zones 1–5 as a fraction of LTHR (spec §2.11, GC defaults 0/68/83/94/105 %).
pub const HR_ZONE_LOWER: [f64; 5] = [0.0, 0.68, 0.83, 0.94, 1.05];

/// Seconds in each zone given ascending lower bounds (spec §2.11: a sample is in zone z when
/// lo_z ≤ value < hi_z; time = count × Δ). Values below the first bound count in zone 1; gaps
/// count nowhere. Empty output if `lower` is empty.
pub fn time_in_zones(channel: &[Option<f64>], dt: f64, lower: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; lower.len()];
    if lower.is_empty() {
        return out;
    }
    for v in channel.iter().filter_map(|v| val(*v)) {
        let z = lower.iter().rposition(|lo| v >= *lo).unwrap_or(0);
        out[z] += dt;
    }
    out
}

/// Seconds in Coggan power zones 1–7 from FTP (spec §2.11). `None` if FTP is not positive.
pub fn time_in_power_zones(power_w: &[Option<f64>], dt: f64, ftp_w: f64) -> Option<[f64; 7]> {
    if !(ftp_w.is_finite() && ftp_w > 0.0) {
        return None;
    }
    // Compare v/FTP with the fractions (not v with fraction·FTP): 0.55·200 rounds above 110, and
    // a sample exactly on a bound must land in the upper zone.
    let ratio: Vec<Option<f64>> = power_w.iter().map(|v| v.map(|x| x / ftp_w)).collect();
    time_in_zones(&ratio, dt, &POWER_ZONE_LOWER).try_into().ok()
}

/// Seconds in HR zones 1–5 from LTHR (spec §2.11). Readings of 0 bpm (no strap contact) are gaps.
/// `None` if LTHR is not positive.
pub fn time_in_hr_zones(hr_bpm: &[Option<f64>], dt: f64, lthr_bpm: f64) -> Option<[f64; 5]> {
    if !(lthr_bpm.is_finite() && lthr_bpm > 0.0) {
        return None;
    }
    let ratio: Vec<Option<f64>> = hr_bpm
        .iter()
        .map(|v| v.filter(|x| *x > 0.0).map(|x| x / lthr_bpm))
        .collect();
    time_in_zones(&ratio, dt, &HR_ZONE_LOWER).try_into().ok()
}

/// Seconds in pace zones given the athlete's own speed-zone lower bounds in m/s, slowest zone
/// first (spec §2.11 zone assignment; the spec defines no default pace zones, so the bounds come
/// from the athlete's settings, e.g. `crate::zones`). Stopped samples (0 m/s) count as gaps.
pub fn time_in_pace_zones(speed_mps: &[Option<f64>], dt: f64, lower_mps: &[f64]) -> Vec<f64> {
    let moving: Vec<Option<f64>> = speed_mps.iter().map(|v| v.filter(|x| *x > 0.0)).collect();
    time_in_zones(&moving, dt, lower_mps)
}

/// Seiler 3-zone distribution and Treff's Polarization Index (spec §2.11).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Polarisation {
    /// Seconds in low / mid / high intensity.
    pub seconds: [f64; 3],
    /// The same as fractions of the total.
    pub fractions: [f64; 3],
    /// PI = log10((Z1/Z2)·Z3·100) with fractions; `None` when any zone is zero (undefined).
    pub polarization_index: Option<f64>,
    /// PI > 2.00 and Z1 > Z3 > Z2 (Treff et al. 2019).
    pub polarized: bool,
}

/// Seiler 3-zone polarisation from seconds in the 7 Coggan power zones (spec §2.11). Choice: the
/// intervals.icu mapping Z1+2 → low, Z3+4 → mid, Z5–7 → high (the spec notes VT anchoring is
/// better; it needs thresholds we do not have from a power file). `None` when no time at all.
pub fn polarisation(power_zone_s: &[f64; 7]) -> Option<Polarisation> {
    let seconds = [
        power_zone_s[0] + power_zone_s[1],
        power_zone_s[2] + power_zone_s[3],
        power_zone_s[4] + power_zone_s[5] + power_zone_s[6],
    ];
    polarisation_3(seconds)
}

/// [`polarisation`] from seconds already in the three zones (low, mid, high).
pub fn polarisation_3(seconds: [f64; 3]) -> Option<Polarisation> {
    let total: f64 = seconds.iter().sum();
    if !(total.is_finite() && total > 0.0) {
        return None;
    }
    let f = seconds.map(|s| s / total);
    // With no low-intensity time the product is 0 and its log −∞: undefined, like Z2 = 0.
    let pi =
        (f[0] > 0.0 && f[1] > 0.0 && f[2] > 0.0).then(|| ((f[0] / f[1]) * f[2] * 100.0).log10());
    Some(Polarisation {
        seconds,
        fractions: f,
        polarization_index: pi,
        polarized: pi.is_some_and(|p| p > 2.0) && f[0] > f[2] && f[2] > f[1],
    })
}
