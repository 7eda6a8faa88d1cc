//! FIT activity files: decoding a device file into 1 Hz streams, laps, the session summary and
//! the devices that recorded it ([`decode`]), and a small writer for the sandbox's generated
//! files ([`encode`]).
//!
//! Decoding is our own (`reader`: the protocol; `decode`: the profile fields an [`Activity`]
//! holds): real device files with compressed timestamps, developer fields, big-endian
//! definitions and several files back to back read correctly, and messages and fields we do
//! not use are skipped by their size. It replaced the `fitparser` crate, whose generated
//! profile (a decoder per message type, names for every enum) was about 0.65 MB of the
//! extension's wasm module (issue 12); `fitparser` still checks ours in the tests. TrainingPeaks
//! serves device uploads gzipped (`*.fit.gz`, spec §5.5), so [`decode`] unpacks gzip first when
//! the bytes start with its magic.
//!
//! Records are put on a 1 Hz grid from the first record's second to the last one's: a second
//! with no record (a pause, a dropout of the whole recording) has every channel `None`, and a
//! channel the device did not report in a record (a heart-rate strap dropping out) is `None` in
//! that second. Nothing is interpolated: analysis decides what a gap means.

use chrono::{DateTime, Utc};

mod decode;
pub mod encode;
mod names;
mod reader;

pub use decode::decode;

/// The longest activity [`decode`] puts on a 1 Hz grid (7 days). A corrupt timestamp far in the
/// future would otherwise ask for gigabytes of empty seconds.
pub const MAX_GRID_SECONDS: i64 = 7 * 24 * 3600;

/// The most bytes a gzipped file may unpack to (64 MiB; a 24 h ride at 1 Hz is about 3 MiB).
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;

/// One decoded activity.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// The first record's time (whole second, UTC): the time of `samples[0]`.
    pub start: DateTime<Utc>,
    /// One entry per second from `start` to the last record, gaps as `None` channels.
    pub samples: Vec<Sample>,
    /// Laps in file order.
    pub laps: Vec<Lap>,
    /// The (first) session summary, when the file has one.
    pub session: Option<Session>,
    /// The devices the file lists (head unit, sensors).
    pub devices: Vec<DeviceInfo>,
}

impl Activity {
    /// Seconds on the grid (elapsed time from the first to the last record, plus one).
    pub fn grid_seconds(&self) -> usize {
        self.samples.len()
    }

    /// Seconds with at least one channel recorded (moving/recording time).
    pub fn recorded_seconds(&self) -> usize {
        self.samples.iter().filter(|s| s.is_recorded()).count()
    }
}

/// One second of an activity. Every channel is `None` where the device recorded nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    /// Absolute time (UTC).
    pub time: DateTime<Utc>,
    /// Power, watts.
    pub power_w: Option<f64>,
    /// Heart rate, bpm.
    pub heart_rate_bpm: Option<f64>,
    /// Cadence, rpm (running: strides per minute per leg, as FIT stores it).
    pub cadence_rpm: Option<f64>,
    /// Speed, m/s.
    pub speed_mps: Option<f64>,
    /// Altitude, metres.
    pub altitude_m: Option<f64>,
    /// Cumulative distance, metres.
    pub distance_m: Option<f64>,
    /// Latitude, degrees.
    pub lat_deg: Option<f64>,
    /// Longitude, degrees.
    pub lon_deg: Option<f64>,
}

impl Sample {
    /// An empty second (a gap).
    pub fn gap(time: DateTime<Utc>) -> Self {
        Self {
            time,
            ..Self::default()
        }
    }

    /// Whether any channel has a value this second.
    pub fn is_recorded(&self) -> bool {
        [
            self.power_w,
            self.heart_rate_bpm,
            self.cadence_rpm,
            self.speed_mps,
            self.altitude_m,
            self.distance_m,
            self.lat_deg,
            self.lon_deg,
        ]
        .iter()
        .any(Option::is_some)
    }
}

/// A lap as the device summarised it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lap {
    /// Start (UTC).
    pub start: Option<DateTime<Utc>>,
    /// Elapsed time, seconds (pauses included).
    pub elapsed_s: Option<f64>,
    /// Timer time, seconds (pauses excluded).
    pub timer_s: Option<f64>,
    /// Distance, metres.
    pub distance_m: Option<f64>,
    /// Average power, watts.
    pub avg_power_w: Option<f64>,
    /// Maximum power, watts.
    pub max_power_w: Option<f64>,
    /// Average heart rate, bpm.
    pub avg_heart_rate_bpm: Option<f64>,
    /// Maximum heart rate, bpm.
    pub max_heart_rate_bpm: Option<f64>,
    /// Average cadence, rpm.
    pub avg_cadence_rpm: Option<f64>,
    /// What ended the lap (`manual`, `time`, `distance`, …), as the profile names it.
    pub trigger: Option<String>,
}

/// The session summary message (totals the device computed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Session {
    /// Sport as the FIT profile names it (`cycling`, `running`, `swimming`, …).
    pub sport: Option<String>,
    /// Sub-sport (`road`, `indoor_cycling`, `lap_swimming`, …).
    pub sub_sport: Option<String>,
    /// Start (UTC).
    pub start: Option<DateTime<Utc>>,
    /// Elapsed time, seconds.
    pub elapsed_s: Option<f64>,
    /// Timer time, seconds.
    pub timer_s: Option<f64>,
    /// Distance, metres.
    pub distance_m: Option<f64>,
    /// Average power, watts.
    pub avg_power_w: Option<f64>,
    /// Maximum power, watts.
    pub max_power_w: Option<f64>,
    /// Normalised power as the device computed it, watts.
    pub normalized_power_w: Option<f64>,
    /// Average heart rate, bpm.
    pub avg_heart_rate_bpm: Option<f64>,
    /// Maximum heart rate, bpm.
    pub max_heart_rate_bpm: Option<f64>,
    /// Average cadence, rpm.
    pub avg_cadence_rpm: Option<f64>,
    /// Average speed, m/s.
    pub avg_speed_mps: Option<f64>,
    /// Total ascent, metres.
    pub total_ascent_m: Option<f64>,
    /// Calories, kcal.
    pub calories_kcal: Option<f64>,
    /// Training stress score as the device computed it.
    pub tss: Option<f64>,
    /// Intensity factor as the device computed it.
    pub intensity_factor: Option<f64>,
    /// The FTP the device used, watts.
    pub threshold_power_w: Option<f64>,
}

/// One `device_info` message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceInfo {
    /// Manufacturer as the profile names it (`garmin`, `wahoo_fitness`, `development`, …).
    pub manufacturer: Option<String>,
    /// Product name, when the device gives one.
    pub product_name: Option<String>,
    /// Product: the profile's identifier for it when the maker's products are named
    /// (`edge_1040`, `fenix7`, `assioma_duo` for garmin, dynastream, tacx and favero), else, or
    /// when the profile does not know the id, the number (`3843`).
    pub product: Option<String>,
    /// Serial number.
    pub serial_number: Option<u64>,
    /// Software version.
    pub software_version: Option<f64>,
    /// Device index (0 is the recording device).
    pub device_index: Option<String>,
}

impl DeviceInfo {
    /// The device as a person names it, for the analysis summary: its own product name when it
    /// writes one, else maker and product worded from the profile's identifiers (`garmin` and
    /// `edge_1040` read "Garmin Edge 1040", `fenix7` "Fenix 7"), or "Garmin product 64999" for
    /// an id the profile does not name. [`Self::product`] keeps the identifier: it is data, as
    /// the profile and other FIT readers give it; the summary is read by people (and quoted by
    /// the model), and Intervals.icu's device names read the same way.
    pub fn label(&self) -> Option<String> {
        if let Some(name) = &self.product_name {
            return Some(name.clone());
        }
        let maker = self.manufacturer.as_deref().map(|m| {
            if m.bytes().all(|b| b.is_ascii_digit()) {
                format!("manufacturer {m}")
            } else {
                readable(m)
            }
        });
        let product = self.product.as_deref().map(|p| {
            if p.bytes().all(|b| b.is_ascii_digit()) {
                format!("product {p}")
            } else {
                readable(p)
            }
        });
        match (maker, product) {
            // Tacx's products are named `tacx_…`: the maker is said once.
            (Some(m), Some(p)) if p.starts_with(&format!("{m} ")) => Some(p),
            (Some(m), Some(p)) => Some(format!("{m} {p}")),
            (m, p) => m.or(p),
        }
    }
}

/// Leading words of the profile's identifiers that are abbreviations of what people call the
/// device: 93 Garmin products start `fr` (Forerunner), 15 `hrm`.
const SPELLED_OUT: [(&str, &str); 2] = [("fr", "Forerunner"), ("hrm", "HRM")];

/// A profile identifier as words: `_` becomes a space, a digit after a letter starts a word,
/// and each word starts with a capital (`edge_1040` → "Edge 1040", `fenix7s` → "Fenix 7s");
/// a leading abbreviation is spelled out ([`SPELLED_OUT`]: `fr965` → "Forerunner 965").
fn readable(identifier: &str) -> String {
    let lead = identifier
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    if let Some((_, word)) = SPELLED_OUT.iter().find(|(short, _)| *short == lead) {
        // `lead` is ASCII, so the capitalised copy in `words` has the same length.
        let words = readable_words(identifier);
        return format!("{word}{}", &words[lead.len()..]);
    }
    readable_words(identifier)
}

/// [`readable`] without the abbreviations.
fn readable_words(identifier: &str) -> String {
    let mut out = String::with_capacity(identifier.len() + 4);
    let mut prev: Option<char> = None;
    for c in identifier.chars() {
        if c == '_' {
            out.push(' ');
        } else {
            let starts_word = match prev {
                None | Some('_') => true,
                Some(p) => p.is_ascii_alphabetic() && c.is_ascii_digit(),
            };
            if starts_word && prev.is_some_and(|p| p != '_') {
                out.push(' ');
            }
            if starts_word {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
        }
        prev = Some(c);
    }
    out
}

/// Why a device file could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// No bytes at all.
    #[error("the device file is empty")]
    Empty,
    /// The bytes start with gzip's magic but do not unpack.
    #[error("the device file is gzipped but does not unpack: {0}")]
    Gzip(String),
    /// Unpacked larger than [`MAX_UNPACKED_BYTES`].
    #[error("the device file unpacks to more than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// No FIT header (`.FIT` at bytes 8–11): another format (TCX, GPX, PWX) or not a file.
    #[error("not a FIT file: {0}")]
    NotFit(String),
    /// The file ends before its header says it should.
    #[error("the FIT file is truncated: the header announces {expected} bytes, {actual} present")]
    Truncated {
        /// Bytes the header announces (header + data + CRC).
        expected: u64,
        /// Bytes present.
        actual: u64,
    },
    /// A checksum does not match: the file was damaged.
    #[error(
        "the FIT file's {part} CRC does not match (stored {stored:#06x}, computed {computed:#06x})"
    )]
    BadCrc {
        /// `header` or `data`.
        part: &'static str,
        /// The CRC stored in the file.
        stored: u16,
        /// The CRC computed over the bytes.
        computed: u16,
    },
    /// The FIT messages do not parse.
    #[error("the FIT file is corrupt: {0}")]
    Corrupt(String),
    /// A FIT file of another kind (a planned workout, a course, settings).
    #[error("the FIT file is not an activity (file type {0})")]
    NotAnActivity(String),
    /// An activity file with no record messages.
    #[error("the FIT activity has no records (no time series)")]
    NoRecords,
    /// The records span more than [`MAX_GRID_SECONDS`].
    #[error("the FIT records span {seconds} s, more than the {max} s limit")]
    TooLong {
        /// Seconds from first to last record.
        seconds: i64,
        /// The limit.
        max: i64,
    },
}

/// The FIT epoch (1989-12-31T00:00:00Z) as a Unix time: FIT `date_time` values count from it.
pub const FIT_EPOCH_UNIX: i64 = 631_065_600;

/// FIT's CRC-16 (the ARC polynomial 0xA001, reflected, initial 0), over `bytes` from `crc`.
pub fn crc16(mut crc: u16, bytes: &[u8]) -> u16 {
    for &b in bytes {
        crc ^= u16::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xA001
            } else {
                crc >> 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::crc16;

    #[test]
    fn crc_matches_the_check_value() {
        // CRC-16/ARC's published check value for "123456789".
        assert_eq!(crc16(0, b"123456789"), 0xBB3D);
    }
}
