//! [`decode`]: bytes (plain or gzipped FIT) → [`Activity`].
//!
//! [`super::reader`] walks the protocol; this module picks out the messages and fields an
//! [`Activity`] holds, with their profile scales and offsets, and builds the 1 Hz grid.

use std::io::Read;

use chrono::{DateTime, Utc};

use super::names::{self, name};
use super::reader::{self, Message, Value};
use super::{
    Activity, DeviceInfo, FIT_EPOCH_UNIX, FitError, Lap, MAX_GRID_SECONDS, MAX_UNPACKED_BYTES,
    Sample, Session,
};

/// Global message numbers of the profile that an [`Activity`] is made of.
const FILE_ID: u16 = 0;
const SESSION: u16 = 18;
const LAP: u16 = 19;
const RECORD: u16 = 20;
const DEVICE_INFO: u16 = 23;

/// The profile's `sport` value for running: laps and sessions of a run call their cadence
/// field `avg_running_cadence`, which is not [`Lap::avg_cadence_rpm`].
const RUNNING: i64 = 1;

/// The names table the profile reads a maker's `product` through: `garmin_product` for
/// garmin, dynastream_oem, dynastream and tacx, `favero_product` for favero_electronics; other
/// makers' products are plain numbers.
fn product_table(maker: i64) -> Option<&'static str> {
    match maker {
        1 | 13 | 15 | 89 => Some(names::GARMIN_PRODUCT),
        263 => Some(names::FAVERO_PRODUCT),
        _ => None,
    }
}

/// Decodes a device file: `.fit`, or `.fit.gz` (recognised by gzip's magic `1F 8B`, not by
/// name, because a file name can lie). Several FIT files back to back read as one activity.
///
/// # Errors
/// A [`FitError`] naming what is wrong: empty, gzip that does not unpack, not FIT, truncated,
/// a bad header or data CRC, corrupt messages, a FIT file that is not an activity, an activity
/// without records, or records spanning more than [`MAX_GRID_SECONDS`].
pub fn decode(bytes: &[u8]) -> Result<Activity, FitError> {
    if bytes.is_empty() {
        return Err(FitError::Empty);
    }
    let unpacked;
    let fit = if bytes.starts_with(&[0x1F, 0x8B]) {
        unpacked = gunzip(bytes)?;
        unpacked.as_slice()
    } else {
        bytes
    };
    let mut parts = Parts::default();
    reader::read(fit, &[FILE_ID, SESSION, LAP, RECORD, DEVICE_INFO], |m| {
        parts.take(m)
    })?;
    parts.assemble()
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, FitError> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_UNPACKED_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| FitError::Gzip(e.to_string()))?;
    if out.len() as u64 > MAX_UNPACKED_BYTES {
        return Err(FitError::TooLarge {
            limit: MAX_UNPACKED_BYTES,
        });
    }
    if out.is_empty() {
        return Err(FitError::Empty);
    }
    Ok(out)
}

/// What the messages of a file add up to, before the grid is built.
#[derive(Default)]
struct Parts {
    /// The first `file_id`'s type: `Some(None)` when that message has none.
    file_type: Option<Option<i64>>,
    /// Records with a timestamp: (Unix seconds, values).
    points: Vec<(i64, Sample)>,
    laps: Vec<Lap>,
    session: Option<Session>,
    devices: Vec<DeviceInfo>,
    /// `compressed_speed_distance`'s distance, accumulated: (file, 1/16 m).
    distance: Option<(usize, i64)>,
}

impl Parts {
    fn take(&mut self, m: &Message<'_, '_>) {
        match m.global {
            // Only the first file_id and session count (a chained file may repeat them).
            FILE_ID if self.file_type.is_none() => self.file_type = Some(whole(m, 0)),
            RECORD => {
                let compressed = self.compressed_speed_distance(m);
                if let Some(t) = m.timestamp.and_then(time_of) {
                    self.points.push((t.timestamp(), sample(m, t, compressed)));
                }
            }
            LAP => self.laps.push(lap(m)),
            SESSION if self.session.is_none() => self.session = Some(session(m)),
            DEVICE_INFO => self.devices.push(device(m)),
            _ => {}
        }
    }

    /// Record field 8 (older devices): speed in the low 12 bits (1/100 m/s) and the low 12
    /// bits of the distance travelled (1/16 m) in the next 12, which accumulate across records
    /// (modulo 4096) within one file.
    fn compressed_speed_distance(&mut self, m: &Message<'_, '_>) -> Option<(f64, f64)> {
        let Some(Value::Bytes(&[a, b, c, ..])) = m.get(8) else {
            return None;
        };
        let speed = i64::from(a) | i64::from(b & 0x0F) << 8;
        let low = i64::from(b >> 4) | i64::from(c) << 4;
        let total = match self.distance {
            Some((file, last)) if file == m.file => last + ((low - last) & 0xFFF),
            _ => low,
        };
        self.distance = Some((m.file, total));
        Some((speed as f64 / 100.0, total as f64 / 16.0))
    }

    fn assemble(self) -> Result<Activity, FitError> {
        match self.file_type {
            Some(Some(4)) => {}
            Some(Some(other)) => return Err(FitError::NotAnActivity(name(names::FILE, other))),
            Some(None) | None => {
                return Err(FitError::NotAnActivity(
                    "missing (no file_id message)".into(),
                ));
            }
        }
        let points = self.points;
        let (Some(first), Some(last)) = (
            points.iter().map(|p| p.0).min(),
            points.iter().map(|p| p.0).max(),
        ) else {
            return Err(FitError::NoRecords);
        };
        let span = last - first;
        if span >= MAX_GRID_SECONDS {
            return Err(FitError::TooLong {
                seconds: span,
                max: MAX_GRID_SECONDS,
            });
        }
        let start = DateTime::from_timestamp(first, 0).ok_or(FitError::NoRecords)?;
        let mut samples: Vec<Sample> = (0..=span)
            .map(|i| Sample::gap(start + chrono::Duration::seconds(i)))
            .collect();
        for (t, s) in points {
            // A second holding two records (sub-second logging) keeps the later one.
            if let Some(slot) = usize::try_from(t - first)
                .ok()
                .and_then(|i| samples.get_mut(i))
            {
                *slot = s;
            }
        }
        Ok(Activity {
            start,
            samples,
            laps: self.laps,
            session: self.session,
            devices: self.devices,
        })
    }
}

/// A FIT time (seconds since the FIT epoch) as UTC; `None` out of chrono's range.
fn time_of(fit_seconds: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(FIT_EPOCH_UNIX.checked_add(fit_seconds)?, 0)
}

/// An integer field (enums, indexes, times).
fn whole(m: &Message<'_, '_>, field: u8) -> Option<i64> {
    match m.get(field)? {
        Value::Int(v) => Some(v),
        _ => None,
    }
}

/// A numeric field in the profile's units: `raw / scale - offset`.
fn num(m: &Message<'_, '_>, field: u8, scale: f64, offset: f64) -> Option<f64> {
    let raw = match m.get(field)? {
        Value::Int(v) => v as f64,
        Value::Float(f) => f,
        Value::Text(_) | Value::Bytes(_) => return None,
    };
    Some(raw / scale - offset).filter(|v| v.is_finite())
}

/// A 16-bit field the profile widens into a 32-bit `enhanced_*` field of the same scale
/// (`altitude`, `speed`, `avg_speed`): its low 16 bits, scaled.
fn widened(m: &Message<'_, '_>, field: u8, scale: f64, offset: f64) -> Option<f64> {
    whole(m, field).map(|v| (v & 0xFFFF) as f64 / scale - offset)
}

/// A field shown as text: a string up to its NUL (when valid UTF-8), a number as digits.
fn text(m: &Message<'_, '_>, field: u8) -> Option<String> {
    match m.get(field)? {
        Value::Text(b) => std::str::from_utf8(b)
            .ok()
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        Value::Int(v) => Some(v.to_string()),
        Value::Float(_) | Value::Bytes(_) => None,
    }
}

fn time(m: &Message<'_, '_>, field: u8) -> Option<DateTime<Utc>> {
    whole(m, field).and_then(time_of)
}

/// Semicircles (2³¹ per 180°) to degrees.
fn degrees(m: &Message<'_, '_>, field: u8) -> Option<f64> {
    num(m, field, 1.0, 0.0)
        .map(|s| s * 180.0 / 2_147_483_648.0)
        .filter(|d| d.abs() <= 180.0)
}

/// A `record` (global 20): position 0/1, altitude 2, heart rate 3, cadence 4, distance 5
/// (1/100 m), speed 6 (1/1000 m/s), power 7, `compressed_speed_distance` 8, enhanced speed 73
/// and enhanced altitude 78 (1/5 m, 500 m below zero). The enhanced fields win over the 16-bit
/// ones when a record has both.
fn sample(m: &Message<'_, '_>, time: DateTime<Utc>, compressed: Option<(f64, f64)>) -> Sample {
    Sample {
        time,
        power_w: num(m, 7, 1.0, 0.0),
        heart_rate_bpm: num(m, 3, 1.0, 0.0),
        cadence_rpm: num(m, 4, 1.0, 0.0),
        speed_mps: num(m, 73, 1000.0, 0.0)
            .or_else(|| widened(m, 6, 1000.0, 0.0))
            .or(compressed.map(|c| c.0)),
        altitude_m: num(m, 78, 5.0, 500.0).or_else(|| widened(m, 2, 5.0, 500.0)),
        distance_m: num(m, 5, 100.0, 0.0).or(compressed.map(|c| c.1)),
        lat_deg: degrees(m, 0),
        lon_deg: degrees(m, 1),
    }
}

/// A `lap` (global 19).
fn lap(m: &Message<'_, '_>) -> Lap {
    let running = whole(m, 25) == Some(RUNNING);
    Lap {
        start: time(m, 2),
        elapsed_s: num(m, 7, 1000.0, 0.0),
        timer_s: num(m, 8, 1000.0, 0.0),
        distance_m: num(m, 9, 100.0, 0.0),
        avg_power_w: num(m, 19, 1.0, 0.0),
        max_power_w: num(m, 20, 1.0, 0.0),
        avg_heart_rate_bpm: num(m, 15, 1.0, 0.0),
        max_heart_rate_bpm: num(m, 16, 1.0, 0.0),
        avg_cadence_rpm: num(m, 17, 1.0, 0.0).filter(|_| !running),
        trigger: whole(m, 24).map(|v| name(names::LAP_TRIGGER, v)),
    }
}

/// A `session` (global 18).
fn session(m: &Message<'_, '_>) -> Session {
    let sport = whole(m, 5);
    Session {
        sport: sport.map(|v| name(names::SPORT, v)),
        sub_sport: whole(m, 6).map(|v| name(names::SUB_SPORT, v)),
        start: time(m, 2),
        elapsed_s: num(m, 7, 1000.0, 0.0),
        timer_s: num(m, 8, 1000.0, 0.0),
        distance_m: num(m, 9, 100.0, 0.0),
        avg_power_w: num(m, 20, 1.0, 0.0),
        max_power_w: num(m, 21, 1.0, 0.0),
        normalized_power_w: num(m, 34, 1.0, 0.0),
        avg_heart_rate_bpm: num(m, 16, 1.0, 0.0),
        max_heart_rate_bpm: num(m, 17, 1.0, 0.0),
        avg_cadence_rpm: num(m, 18, 1.0, 0.0).filter(|_| sport != Some(RUNNING)),
        avg_speed_mps: num(m, 124, 1000.0, 0.0).or_else(|| widened(m, 14, 1000.0, 0.0)),
        total_ascent_m: num(m, 22, 1.0, 0.0),
        calories_kcal: num(m, 11, 1.0, 0.0),
        tss: num(m, 35, 10.0, 0.0),
        intensity_factor: num(m, 36, 1000.0, 0.0),
        threshold_power_w: num(m, 45, 1.0, 0.0),
    }
}

/// A `device_info` (global 23).
fn device(m: &Message<'_, '_>) -> DeviceInfo {
    let maker = whole(m, 2);
    DeviceInfo {
        manufacturer: maker.map(|v| name(names::MANUFACTURER, v)),
        product_name: text(m, 27),
        product: match maker.and_then(product_table) {
            Some(table) => whole(m, 4).map(|v| name(table, v)),
            None => text(m, 4),
        },
        serial_number: num(m, 3, 1.0, 0.0).map(|s| s as u64),
        software_version: num(m, 5, 100.0, 0.0),
        device_index: whole(m, 0).map(|v| {
            if v == 0 {
                "creator".to_string()
            } else {
                v.to_string()
            }
        }),
    }
}
