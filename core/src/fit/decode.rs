//! [`decode`]: bytes (plain or gzipped FIT) → [`Activity`].

use std::collections::HashSet;
use std::io::Read;

use chrono::{DateTime, Utc};
use fitparser::de::{DecodeOption, from_bytes_with_options};
use fitparser::profile::MesgNum;
use fitparser::{ErrorKind, FitDataRecord, Value};

use super::{
    Activity, DeviceInfo, FitError, Lap, MAX_GRID_SECONDS, MAX_UNPACKED_BYTES, Sample, Session,
    crc16,
};

/// Decodes a device file: `.fit`, or `.fit.gz` (recognised by gzip's magic `1F 8B`, not by
/// name, because a file name can lie).
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
    check_frame(fit)?;
    let options: HashSet<DecodeOption> = [DecodeOption::DropUnknownMessages].into();
    let records = from_bytes_with_options(fit, &options).map_err(|e| map_error(*e))?;
    assemble(&records)
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

/// Checks the header and the file length ourselves, so a short or foreign file gets a precise
/// error rather than a parser's "needed more bytes".
fn check_frame(fit: &[u8]) -> Result<(), FitError> {
    let Some(&header_len) = fit.first() else {
        return Err(FitError::Empty);
    };
    if fit.len() < 12 {
        return Err(FitError::Truncated {
            expected: 12,
            actual: fit.len() as u64,
        });
    }
    if fit.get(8..12) != Some(b".FIT".as_slice()) || !matches!(header_len, 12 | 14) {
        return Err(FitError::NotFit(
            "no `.FIT` signature in the file header".into(),
        ));
    }
    let data_len = fit
        .get(4..8)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, u32::from_le_bytes);
    let expected = u64::from(header_len) + u64::from(data_len) + 2;
    if (fit.len() as u64) < expected {
        return Err(FitError::Truncated {
            expected,
            actual: fit.len() as u64,
        });
    }
    if header_len == 14 {
        let stored = fit
            .get(12..14)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .map_or(0, u16::from_le_bytes);
        let computed = crc16(0, fit.get(..12).unwrap_or_default());
        // 0 means "no header CRC" in the FIT protocol.
        if stored != 0 && stored != computed {
            return Err(FitError::BadCrc {
                part: "header",
                stored,
                computed,
            });
        }
    }
    Ok(())
}

fn map_error(e: ErrorKind) -> FitError {
    match e {
        ErrorKind::InvalidCrc((_, obj, stored, computed)) => FitError::BadCrc {
            part: if matches!(obj, fitparser::de::FitObject::Header(_)) {
                "header"
            } else {
                "data"
            },
            stored,
            computed,
        },
        ErrorKind::UnexpectedEof(_) => FitError::Corrupt(
            "a message runs past the end of the data (truncated or damaged)".into(),
        ),
        other => FitError::Corrupt(other.to_string()),
    }
}

fn assemble(records: &[FitDataRecord]) -> Result<Activity, FitError> {
    let file_type = records
        .iter()
        .find(|r| r.kind() == MesgNum::FileId)
        .and_then(|r| field(r, "type"))
        .map(|v| v.to_string());
    match file_type.as_deref() {
        Some("activity" | "4") => {}
        Some(other) => return Err(FitError::NotAnActivity(other.to_string())),
        None => {
            return Err(FitError::NotAnActivity(
                "missing (no file_id message)".into(),
            ));
        }
    }
    let points: Vec<(i64, Sample)> = records
        .iter()
        .filter(|r| r.kind() == MesgNum::Record)
        .filter_map(|r| {
            let t = time(r, "timestamp")?;
            Some((t.timestamp(), sample(r, t)))
        })
        .collect();
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
    let laps = records
        .iter()
        .filter(|r| r.kind() == MesgNum::Lap)
        .map(lap)
        .collect();
    let session = records
        .iter()
        .find(|r| r.kind() == MesgNum::Session)
        .map(session);
    let devices = records
        .iter()
        .filter(|r| r.kind() == MesgNum::DeviceInfo)
        .map(device)
        .collect();
    Ok(Activity {
        start,
        samples,
        laps,
        session,
        devices,
    })
}

fn field<'r>(r: &'r FitDataRecord, name: &str) -> Option<&'r Value> {
    r.fields()
        .iter()
        .find(|f| f.name() == name)
        .map(|f| f.value())
        .filter(|v| !matches!(v, Value::Invalid))
}

fn num(r: &FitDataRecord, name: &str) -> Option<f64> {
    let v = match field(r, name)? {
        Value::Byte(x) | Value::UInt8(x) | Value::UInt8z(x) | Value::Enum(x) => f64::from(*x),
        Value::SInt8(x) => f64::from(*x),
        Value::SInt16(x) => f64::from(*x),
        Value::UInt16(x) | Value::UInt16z(x) => f64::from(*x),
        Value::SInt32(x) => f64::from(*x),
        Value::UInt32(x) | Value::UInt32z(x) => f64::from(*x),
        Value::Float32(x) => f64::from(*x),
        Value::Float64(x) => *x,
        // Whole 64-bit counters lose nothing that matters here in f64.
        Value::SInt64(x) => *x as f64,
        Value::UInt64(x) | Value::UInt64z(x) => *x as f64,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

/// The first of `names` that has a number (enhanced fields first, then the 16-bit ones).
fn num_of(r: &FitDataRecord, names: &[&str]) -> Option<f64> {
    names.iter().find_map(|n| num(r, n))
}

fn text(r: &FitDataRecord, name: &str) -> Option<String> {
    field(r, name)
        .map(|v| v.to_string())
        .filter(|s| !s.is_empty())
}

fn time(r: &FitDataRecord, name: &str) -> Option<DateTime<Utc>> {
    match field(r, name)? {
        Value::Timestamp(t) => Some(t.with_timezone(&Utc)),
        _ => None,
    }
}

/// Semicircles (2³¹ per 180°) to degrees; fitparser leaves positions in semicircles.
fn degrees(r: &FitDataRecord, name: &str) -> Option<f64> {
    num(r, name)
        .map(|s| s * 180.0 / 2_147_483_648.0)
        .filter(|d| d.abs() <= 180.0)
}

fn sample(r: &FitDataRecord, time: DateTime<Utc>) -> Sample {
    Sample {
        time,
        power_w: num(r, "power"),
        heart_rate_bpm: num(r, "heart_rate"),
        cadence_rpm: num(r, "cadence"),
        speed_mps: num_of(r, &["enhanced_speed", "speed"]),
        altitude_m: num_of(r, &["enhanced_altitude", "altitude"]),
        distance_m: num(r, "distance"),
        lat_deg: degrees(r, "position_lat"),
        lon_deg: degrees(r, "position_long"),
    }
}

fn lap(r: &FitDataRecord) -> Lap {
    Lap {
        start: time(r, "start_time"),
        elapsed_s: num(r, "total_elapsed_time"),
        timer_s: num(r, "total_timer_time"),
        distance_m: num(r, "total_distance"),
        avg_power_w: num(r, "avg_power"),
        max_power_w: num(r, "max_power"),
        avg_heart_rate_bpm: num(r, "avg_heart_rate"),
        max_heart_rate_bpm: num(r, "max_heart_rate"),
        avg_cadence_rpm: num(r, "avg_cadence"),
        trigger: text(r, "lap_trigger"),
    }
}

fn session(r: &FitDataRecord) -> Session {
    Session {
        sport: text(r, "sport"),
        sub_sport: text(r, "sub_sport"),
        start: time(r, "start_time"),
        elapsed_s: num(r, "total_elapsed_time"),
        timer_s: num(r, "total_timer_time"),
        distance_m: num(r, "total_distance"),
        avg_power_w: num(r, "avg_power"),
        max_power_w: num(r, "max_power"),
        normalized_power_w: num(r, "normalized_power"),
        avg_heart_rate_bpm: num(r, "avg_heart_rate"),
        max_heart_rate_bpm: num(r, "max_heart_rate"),
        avg_cadence_rpm: num(r, "avg_cadence"),
        avg_speed_mps: num_of(r, &["enhanced_avg_speed", "avg_speed"]),
        total_ascent_m: num(r, "total_ascent"),
        calories_kcal: num(r, "total_calories"),
        tss: num(r, "training_stress_score"),
        intensity_factor: num(r, "intensity_factor"),
        threshold_power_w: num(r, "threshold_power"),
    }
}

fn device(r: &FitDataRecord) -> DeviceInfo {
    DeviceInfo {
        manufacturer: text(r, "manufacturer"),
        product_name: text(r, "product_name"),
        product: text(r, "product"),
        serial_number: num(r, "serial_number").map(|s| s as u64),
        software_version: num(r, "software_version"),
        device_index: text(r, "device_index"),
    }
}
