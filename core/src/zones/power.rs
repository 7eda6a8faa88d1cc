//! FTP → Coggan power zones (spec §G "Coggan power zones").

use super::{Zone, ZoneError, check_range, round_half_up};

/// Upper bounds of Coggan zones 1–4 in % of FTP; zone 5 ends at [`POWER_SENTINEL_W`].
pub const COGGAN_UPPER_PERCENTS: [f64; 4] = [55.0, 75.0, 90.0, 105.0];

/// The maximum written on the top power zone: "no upper limit" (spec §G, REF and JM).
pub const POWER_SENTINEL_W: f64 = 2000.0;

/// Zone maxima at or above this many watts are shown as open-ended (spec §G display rule).
pub const POWER_OPEN_W: f64 = 1500.0;

/// Smallest FTP accepted, in watts.
pub const FTP_MIN_W: f64 = 1.0;

/// Largest FTP accepted, in watts. Elite FTPs are around 450 W; above 1000 W is a typo
/// (and the top zone's minimum would approach the 2000 W sentinel).
pub const FTP_MAX_W: f64 = 1000.0;

/// The five Coggan zones, in watts, for `ftp` watts.
///
/// With r(p) = round(p / 100 × ftp) (halves up): Zone 1 is 0–r(55), Zone 2 r(55)+1–r(75),
/// Zone 3 r(75)+1–r(90), Zone 4 r(90)+1–r(105), Zone 5 r(105)+1–2000. FTP 250 gives
/// 0–138, 139–188, 189–225, 226–263, 264–2000.
///
/// Errors when `ftp` is not within [`FTP_MIN_W`]..=[`FTP_MAX_W`].
pub fn coggan_power_zones(ftp: f64) -> Result<Vec<Zone>, ZoneError> {
    check_range("FTP", ftp, FTP_MIN_W, FTP_MAX_W, "W")?;
    // Same operation order as the reference (`p / 100 * ftp`) so halves land identically.
    let r = |p: f64| round_half_up(p / 100.0 * ftp);
    let mut zones = Vec::with_capacity(5);
    let mut minimum = 0.0;
    for (i, p) in COGGAN_UPPER_PERCENTS.iter().enumerate() {
        let maximum = r(*p);
        zones.push(Zone::new(format!("Zone {}", i + 1), minimum, maximum));
        minimum = maximum + 1.0;
    }
    zones.push(Zone::new("Zone 5", minimum, POWER_SENTINEL_W));
    Ok(zones)
}

/// Whether a power zone maximum means "open-ended" (at or above [`POWER_OPEN_W`]).
pub fn is_open_power(maximum_w: f64) -> bool {
    maximum_w >= POWER_OPEN_W
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(zones: &[Zone]) -> Vec<(f64, f64)> {
        zones.iter().map(|z| (z.minimum, z.maximum)).collect()
    }

    /// Every worked example of spec §G ("machine-computed with the reference code").
    #[test]
    fn coggan_worked_examples() {
        type Case = (&'static str, f64, [(f64, f64); 5]);
        let cases: [Case; 3] = [
            (
                "FTP 250",
                250.0,
                [
                    (0.0, 138.0),
                    (139.0, 188.0),
                    (189.0, 225.0),
                    (226.0, 263.0),
                    (264.0, 2000.0),
                ],
            ),
            (
                "FTP 320 (the reference's devtools capture)",
                320.0,
                [
                    (0.0, 176.0),
                    (177.0, 240.0),
                    (241.0, 288.0),
                    (289.0, 336.0),
                    (337.0, 2000.0),
                ],
            ),
            (
                "FTP 285",
                285.0,
                [
                    (0.0, 157.0),
                    (158.0, 214.0),
                    (215.0, 257.0),
                    (258.0, 299.0),
                    (300.0, 2000.0),
                ],
            ),
        ];
        for (name, ftp, want) in cases {
            let zones = coggan_power_zones(ftp).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(bounds(&zones), want.to_vec(), "{name}");
            let labels: Vec<&str> = zones.iter().map(|z| z.label.as_str()).collect();
            assert_eq!(
                labels,
                ["Zone 1", "Zone 2", "Zone 3", "Zone 4", "Zone 5"],
                "{name}"
            );
        }
    }

    #[test]
    fn zones_are_contiguous_and_ordered_for_every_plausible_ftp() {
        for ftp in 50..=1000 {
            let zones = coggan_power_zones(f64::from(ftp)).unwrap_or_else(|e| panic!("{ftp}: {e}"));
            for pair in zones.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                assert_eq!(b.minimum, a.maximum + 1.0, "FTP {ftp}: {a:?} then {b:?}");
                assert!(a.minimum < a.maximum, "FTP {ftp}: empty {a:?}");
            }
        }
    }

    #[test]
    fn rejects_implausible_ftp() {
        let cases = [
            ("negative", -250.0),
            ("zero", 0.0),
            ("too high", 1500.0),
            ("NaN", f64::NAN),
            ("infinite", f64::INFINITY),
        ];
        for (name, ftp) in cases {
            let err = coggan_power_zones(ftp).expect_err(name);
            assert!(
                matches!(
                    err,
                    ZoneError::OutOfRange {
                        quantity: "FTP",
                        ..
                    }
                ),
                "{name}: {err:?}"
            );
            assert!(
                err.to_string().contains("from 1 to 1000 W"),
                "{name}: {err}"
            );
        }
    }

    #[test]
    fn open_power_sentinel() {
        let cases = [
            ("sentinel", 2000.0, true),
            ("display limit", 1500.0, true),
            ("sprint", 1499.0, false),
        ];
        for (name, w, want) in cases {
            assert_eq!(is_open_power(w), want, "{name}");
        }
    }
}
