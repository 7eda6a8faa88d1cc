//! The sample athlete: every number and name the sandbox seeds with, in one place.
//!
//! Alex Rivera is an age-group triathlete twelve weeks out from a 70.3. One set of
//! physiological values drives every seed, so the settings, the zones and the workouts agree:
//!
//! | Value | Constant | Used by |
//! |---|---|---|
//! | FTP 265 W | [`FTP_W`] | power zones; completed rides' normalised power (FTP × IF); planned rides' energy |
//! | Threshold HR 172 bpm, max 191, resting 46 | [`THRESHOLD_HR`], [`MAX_HR`], [`RESTING_HR`] | general HR zones; completed workouts' average and maximum HR; morning resting HR |
//! | Bike threshold HR 165 bpm, max 186 | [`BIKE_THRESHOLD_HR`], [`BIKE_MAX_HR`] | the bike HR zone set |
//! | Run threshold pace 4:15/km | [`RUN_THRESHOLD_SEC_PER_KM`] | run pace zones; run distances (threshold speed × IF); the 10K result (42:31) |
//! | Swim CSS 1:38/100 m | [`SWIM_CSS_SEC_PER_100M`] | swim pace zones; swim distances |
//! | Bike threshold speed 10.5 m/s | [`BIKE_THRESHOLD_SPEED_MPS`] | the bike speed zone set |
//! | Weight 63.1 kg today (64.8 kg a year ago) | [`WEIGHT_KG`] | the weight metric |
//!
//! Zones come from these values with the zone maths of [`crate::zones`]: Coggan power zones
//! ([`coggan_power_zones`]), heart-rate bounds rounded like the zone tools
//! ([`round_half_up`]), speed bounds unrounded with the top zone ending at
//! [`SPEED_SENTINEL_FACTOR`] × threshold, as [`crate::zones::scale_speed_zones`] leaves them.
//! Planned and completed workouts' TSS and IF follow from the same FTP and thresholds
//! ([`workouts`]).
//!
//! The functions here build plain values (no sandbox state), so another emulator can seed the
//! same athlete: [`thresholds`] for the numbers, the `*_zones` functions for zone bounds and
//! [`workouts`] for the year of training.

use chrono::NaiveDate;

use crate::zones::{SPEED_SENTINEL_FACTOR, Zone, coggan_power_zones, round_half_up};

mod training;

pub use training::workouts;

/// The athlete's `userId` (also their athlete id in every path).
pub const ATHLETE_ID: i64 = 4_812_345;
/// First name.
pub const FIRST_NAME: &str = "Alex";
/// Last name.
pub const LAST_NAME: &str = "Rivera";
/// Full name, as the user document and library owners show it.
pub const FULL_NAME: &str = "Alex Rivera";
/// E-mail address.
pub const EMAIL: &str = "alex.rivera@example.com";
/// User name.
pub const USER_NAME: &str = "alexrivera";
/// Gender as TrainingPeaks stores it (`"f"` / `"m"`).
pub const GENDER: &str = "f";
/// Unit system (TrainingPeaks' code 2: metric).
pub const UNITS: i64 = 2;
/// IANA time zone.
pub const TIME_ZONE: &str = "Europe/London";
/// Date of birth (year, month, day).
pub const BIRTHDAY: (i32, u32, u32) = (1990, 4, 12);
/// The coach's person id (comments on workouts and notes).
pub const COACH_PERSON_ID: i64 = 4_700_001;
/// The coach's first name.
pub const COACH_FIRST_NAME: &str = "Jordan";
/// The coach's last name.
pub const COACH_LAST_NAME: &str = "Lee";

/// Functional threshold power, watts.
pub const FTP_W: f64 = 265.0;
/// Lactate-threshold heart rate (the general zone set), bpm.
pub const THRESHOLD_HR: f64 = 172.0;
/// Maximum heart rate, bpm.
pub const MAX_HR: f64 = 191.0;
/// Resting heart rate, bpm (the morning metric eases down to it over the year).
pub const RESTING_HR: f64 = 46.0;
/// Threshold heart rate on the bike (lower than running, as usual), bpm.
pub const BIKE_THRESHOLD_HR: f64 = 165.0;
/// Maximum heart rate on the bike, bpm.
pub const BIKE_MAX_HR: f64 = 186.0;
/// Run threshold pace, seconds per km (4:15/km).
pub const RUN_THRESHOLD_SEC_PER_KM: f64 = 255.0;
/// Swim critical swim speed (CSS) pace, seconds per 100 m (1:38/100m).
pub const SWIM_CSS_SEC_PER_100M: f64 = 98.0;
/// Bike threshold speed, m/s (the bike speed zone set).
pub const BIKE_THRESHOLD_SPEED_MPS: f64 = 10.5;
/// Body weight today, kg.
pub const WEIGHT_KG: f64 = 63.1;
/// How much heavier the athlete was a year ago, kg (the weight metric drifts down by this).
pub const WEIGHT_LOST_OVER_YEAR_KG: f64 = 1.7;

/// The season's A race (the calendar's focus event and the training plan's goal).
pub const A_RACE: &str = "Lakeside 70.3";
/// Weeks from the current week to the A race week.
pub const A_RACE_WEEKS_AHEAD: i64 = 12;

// The heart rates must be ordered as the zone tools require (resting < threshold ≤ max),
// checked when the crate compiles.
const _: () = assert!(
    RESTING_HR < THRESHOLD_HR
        && THRESHOLD_HR <= MAX_HR
        && RESTING_HR < BIKE_THRESHOLD_HR
        && BIKE_THRESHOLD_HR <= BIKE_MAX_HR
        && BIKE_MAX_HR <= MAX_HR,
    "the sample athlete's heart rates are out of order"
);

/// The athlete's thresholds in the units the zone maths use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// FTP, watts.
    pub ftp_w: f64,
    /// Threshold heart rate, bpm.
    pub threshold_hr: f64,
    /// Maximum heart rate, bpm.
    pub max_hr: f64,
    /// Resting heart rate, bpm.
    pub resting_hr: f64,
    /// Run threshold speed, m/s.
    pub run_threshold_mps: f64,
    /// Swim CSS, m/s.
    pub swim_css_mps: f64,
    /// Weight, kg.
    pub weight_kg: f64,
}

/// The sample athlete's thresholds.
pub fn thresholds() -> Thresholds {
    Thresholds {
        ftp_w: FTP_W,
        threshold_hr: THRESHOLD_HR,
        max_hr: MAX_HR,
        resting_hr: RESTING_HR,
        run_threshold_mps: run_threshold_mps(),
        swim_css_mps: swim_css_mps(),
        weight_kg: WEIGHT_KG,
    }
}

/// Run threshold speed, m/s (from [`RUN_THRESHOLD_SEC_PER_KM`]).
pub fn run_threshold_mps() -> f64 {
    1000.0 / RUN_THRESHOLD_SEC_PER_KM
}

/// Swim CSS, m/s (from [`SWIM_CSS_SEC_PER_100M`]).
pub fn swim_css_mps() -> f64 {
    100.0 / SWIM_CSS_SEC_PER_100M
}

/// The athlete's date of birth.
pub fn birthday() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(BIRTHDAY.0, BIRTHDAY.1, BIRTHDAY.2)
}

/// The five Coggan power zones for [`FTP_W`], watts.
pub fn power_zones() -> Vec<Zone> {
    // FTP_W is within the accepted range, so this is never empty.
    coggan_power_zones(FTP_W).unwrap_or_default()
}

/// Heart-rate zone tops as a fraction of threshold (Friel's seven zones); the top zone ends
/// at max HR.
const HR_ZONE_TOPS: [(&str, f64); 6] = [
    ("Zone 1", 0.85),
    ("Zone 2", 0.89),
    ("Zone 3", 0.94),
    ("Zone 4", 0.99),
    ("Zone 5a", 1.02),
    ("Zone 5b", 1.06),
];

/// Seven heart-rate zones, bpm: each top is `threshold` × its fraction rounded halves up, the
/// next zone starts one beat higher, and the last ends at `max_hr`.
pub fn heart_rate_zones(threshold: f64, max_hr: f64) -> Vec<Zone> {
    let mut zones = Vec::with_capacity(HR_ZONE_TOPS.len() + 1);
    let mut min = 0.0;
    for (label, frac) in HR_ZONE_TOPS {
        let max = round_half_up(threshold * frac);
        zones.push(Zone::new(label, min, max));
        min = max + 1.0;
    }
    zones.push(Zone::new("Zone 5c", min, max_hr));
    zones
}

/// Speed zones, m/s: each top is `threshold` × its fraction (unrounded), and one more zone
/// ends at [`SPEED_SENTINEL_FACTOR`] × `threshold` ("no upper limit").
fn speed_zones(threshold: f64, tops: &[(&str, f64)]) -> Vec<Zone> {
    let mut zones = Vec::with_capacity(tops.len() + 1);
    let mut min = 0.0;
    for (label, frac) in tops {
        let max = threshold * frac;
        zones.push(Zone::new(*label, min, max));
        min = max;
    }
    zones.push(Zone::new(
        format!("Zone {}", tops.len() + 1),
        min,
        threshold * SPEED_SENTINEL_FACTOR,
    ));
    zones
}

/// Six run pace zones around [`RUN_THRESHOLD_SEC_PER_KM`], m/s.
pub fn run_pace_zones() -> Vec<Zone> {
    speed_zones(
        run_threshold_mps(),
        &[
            ("Zone 1", 0.78),
            ("Zone 2", 0.88),
            ("Zone 3", 0.94),
            ("Zone 4", 1.0),
            ("Zone 5", 1.06),
        ],
    )
}

/// Five swim pace zones around [`SWIM_CSS_SEC_PER_100M`], m/s.
pub fn swim_pace_zones() -> Vec<Zone> {
    speed_zones(
        swim_css_mps(),
        &[
            ("Zone 1", 0.85),
            ("Zone 2", 0.93),
            ("Zone 3", 1.0),
            ("Zone 4", 1.05),
        ],
    )
}

/// Five bike speed zones around [`BIKE_THRESHOLD_SPEED_MPS`], m/s.
pub fn bike_speed_zones() -> Vec<Zone> {
    speed_zones(
        BIKE_THRESHOLD_SPEED_MPS,
        &[
            ("Zone 1", 0.7),
            ("Zone 2", 0.85),
            ("Zone 3", 0.95),
            ("Zone 4", 1.05),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(z: &[Zone]) -> Vec<(f64, f64)> {
        z.iter().map(|z| (z.minimum, z.maximum)).collect()
    }

    #[test]
    fn zones_follow_the_thresholds() {
        // Coggan at 265 W: r(55%)=146, r(75%)=199, r(90%)=239 (238.5 rounds up), r(105%)=278.
        assert_eq!(
            bounds(&power_zones()),
            [
                (0.0, 146.0),
                (147.0, 199.0),
                (200.0, 239.0),
                (240.0, 278.0),
                (279.0, 2000.0)
            ]
        );
        let hr = heart_rate_zones(THRESHOLD_HR, MAX_HR);
        assert_eq!(hr.len(), 7);
        // 172 × 0.99 = 170.28 → 170: threshold sits in zone 5a (171–175).
        assert_eq!(hr.get(3).map(|z| z.maximum), Some(170.0));
        assert_eq!(hr.last().map(|z| z.maximum), Some(MAX_HR));
        let run = run_pace_zones();
        // Zone 4 tops out exactly at threshold speed; the last zone is open-ended.
        assert_eq!(run.get(3).map(|z| z.maximum), Some(run_threshold_mps()));
        assert_eq!(
            run.last().map(|z| z.maximum),
            Some(run_threshold_mps() * SPEED_SENTINEL_FACTOR)
        );
        assert_eq!(
            swim_pace_zones().get(2).map(|z| z.maximum),
            Some(swim_css_mps())
        );
        assert_eq!(bike_speed_zones().len(), 5);
    }

    #[test]
    fn thresholds_agree_with_the_constants() {
        let t = thresholds();
        assert_eq!(t.ftp_w, FTP_W);
        assert!(
            (t.run_threshold_mps - 3.921_568_627).abs() < 1e-9,
            "4:15/km"
        );
        assert!((t.swim_css_mps - 1.020_408_163).abs() < 1e-9, "1:38/100m");
        assert!(t.resting_hr < t.threshold_hr && t.threshold_hr < t.max_hr);
    }
}
