//! Our FIT decoder (`fit::decode`) against the `fitparser` crate, which it replaced in
//! production (issue 12: fitparser's generated profile was 0.65 MB of the extension's wasm
//! module) and which stays a dev-dependency as the oracle. Every FIT file the repository makes
//! (the sandbox's device files, the encoder's outputs, the workout export) and hand-built files
//! for the protocol's corners (big-endian definitions, compressed timestamps and their
//! rollover, developer fields, invalid values, odd field sizes, redefined local types, chained
//! files) decode to equal `Activity`s, or to the same error. Then damage: bad CRCs, a cut at
//! every byte, random mutations — an error naming the problem, never a panic.

use std::collections::HashSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use fitparser::profile::{FieldDataType, get_field_variant_as_string};
use paceline_core::fit::encode::{ActivityFile, Device, Sport, encode};
use paceline_core::fit::{self, Activity, FitError, Sample};
use paceline_core::structure::export::{Content, ExportKind, ExportOptions, export};
use paceline_core::structure::icu_text::{self, Options};
use proptest::prelude::*;

use super::fit::{client, fetch_file, gunzip, recent_completed, ride, tiny_fit};

/// The oracle: fitparser's records turned into an [`Activity`] the way `fit::decode` did while
/// it used fitparser (this project's code of that time, kept here as the reference).
mod oracle {
    use std::collections::HashSet;

    use chrono::{DateTime, Utc};
    use fitparser::de::{DecodeOption, FitObject, from_bytes_with_options};
    use fitparser::profile::MesgNum;
    use fitparser::{ErrorKind, FitDataRecord, Value};
    use paceline_core::fit::{
        Activity, DeviceInfo, FitError, Lap, MAX_GRID_SECONDS, Sample, Session,
    };

    /// Decodes plain FIT bytes with fitparser; its errors as the `FitError` they used to be.
    pub fn decode(fit: &[u8]) -> Result<Activity, FitError> {
        let options: HashSet<DecodeOption> = [DecodeOption::DropUnknownMessages].into();
        let records = from_bytes_with_options(fit, &options).map_err(|e| match *e {
            ErrorKind::InvalidCrc((_, obj, stored, computed)) => FitError::BadCrc {
                part: if matches!(obj, FitObject::Header(_)) {
                    "header"
                } else {
                    "data"
                },
                stored,
                computed,
            },
            other => FitError::Corrupt(other.to_string()),
        })?;
        assemble(&records)
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
            laps: records
                .iter()
                .filter(|r| r.kind() == MesgNum::Lap)
                .map(lap)
                .collect(),
            session: records
                .iter()
                .find(|r| r.kind() == MesgNum::Session)
                .map(session),
            devices: records
                .iter()
                .filter(|r| r.kind() == MesgNum::DeviceInfo)
                .map(device)
                .collect(),
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
            Value::SInt64(x) => *x as f64,
            Value::UInt64(x) | Value::UInt64z(x) => *x as f64,
            _ => return None,
        };
        v.is_finite().then_some(v)
    }

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
            // fitparser names the field after the sub-field the maker selects.
            product: ["product", "garmin_product", "favero_product"]
                .iter()
                .find_map(|n| text(r, n)),
            serial_number: num(r, "serial_number").map(|s| s as u64),
            software_version: num(r, "software_version"),
            device_index: text(r, "device_index"),
        }
    }
}

/// Decodes with both and asserts the results are equal (`Activity`s or errors); returns ours.
/// `bytes` may be gzipped (the oracle gets them unpacked).
fn same(bytes: &[u8], what: &str) -> Result<Activity, FitError> {
    let ours = fit::decode(bytes);
    let plain = if bytes.starts_with(&[0x1F, 0x8B]) {
        gunzip(bytes)
    } else {
        bytes.to_vec()
    };
    let theirs = oracle::decode(&plain);
    assert_eq!(ours, theirs, "{what}: ours vs fitparser");
    ours
}

/// As [`same`], for a file that must decode.
fn same_ok(bytes: &[u8], what: &str) -> Activity {
    same(bytes, what).unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 7, 0, 0).unwrap()
}

/// FIT seconds (since 1989-12-31) of `t`.
fn fit_seconds(t: DateTime<Utc>) -> u32 {
    u32::try_from(t.timestamp() - fit::FIT_EPOCH_UNIX).unwrap()
}

fn semicircles(deg: f64) -> i32 {
    (deg * 2_147_483_648.0 / 180.0).round() as i32
}

// ---- every FIT the repository makes ----

#[test]
fn fit_oracle_sandbox_device_files_decode_the_same() {
    let c = client();
    let completed = recent_completed(&c);
    assert!(completed.len() >= 10, "{} files", completed.len());
    let mut sports = HashSet::new();
    for w in &completed {
        let wid = w["workoutId"].as_i64().unwrap();
        let (gz, _) = fetch_file(&c, wid);
        let a = same_ok(&gz, &format!("workout {wid}"));
        assert!(a.recorded_seconds() > 0);
        sports.insert(a.session.and_then(|s| s.sport).unwrap());
    }
    // Runs matter: their cadence is a sub-field the profile renames.
    for sport in ["cycling", "running", "swimming"] {
        assert!(sports.contains(sport), "no {sport} file among {sports:?}");
    }
}

fn device() -> Device {
    Device {
        manufacturer: 255,
        product: 3,
        serial: 99,
        product_name: "Oracle test".into(),
        software_version: 1234,
    }
}

/// `n` seconds of everything, with a stop, a dropout and values of every sign.
fn busy_samples(n: i64) -> Vec<Sample> {
    (0..n)
        .map(|i| {
            let time = t0() + Duration::seconds(i);
            if (30..40).contains(&i) {
                return Sample::gap(time);
            }
            let x = i as f64;
            Sample {
                time,
                power_w: (i % 17 != 0).then_some(150.0 + (x * 7.0) % 200.0),
                heart_rate_bpm: (i % 23 != 0).then_some(120.0 + x % 40.0),
                cadence_rpm: Some(80.0 + x % 15.0),
                speed_mps: Some(3.0 + (x * 0.013) % 9.0),
                altitude_m: Some(-20.0 + (x * 0.37) % 90.0),
                distance_m: Some(x * 5.5),
                lat_deg: Some(-33.9 + x * 1e-5),
                lon_deg: Some(151.2 - x * 1e-5),
            }
        })
        .collect()
}

#[test]
fn fit_oracle_encoder_outputs_decode_the_same() {
    let sports = [
        (Sport::Cycling, 7),
        (Sport::Running, 0),
        (Sport::Swimming, 17),
        (Sport::Training, 20),
        (Sport::Generic, 0),
    ];
    for (sport, sub_sport) in sports {
        let samples = busy_samples(300);
        let file = ActivityFile {
            sport,
            sub_sport,
            samples,
            laps: vec![(0, 100), (100, 250), (250, 300)],
            device: device(),
            threshold_power_w: Some(260),
        };
        let a = same_ok(&encode(&file), &format!("{sport:?}"));
        assert_eq!(a.laps.len(), 3);
        // A run's cadence fields are `avg_running_cadence` in the profile: not `avg_cadence`.
        assert_eq!(
            a.laps[0].avg_cadence_rpm.is_none(),
            sport == Sport::Running,
            "{sport:?}"
        );
    }
    // The other tests' files: gaps and dropouts, a file without records, a span too long.
    let gaps = ride(busy_samples(60));
    same_ok(&encode(&gaps), "ride with gaps");
    let empty = ride(Vec::new());
    assert_eq!(
        same(&encode(&empty), "no samples"),
        Err(FitError::NoRecords)
    );
    let at = |s: i64| Sample {
        time: t0() + Duration::seconds(s),
        heart_rate_bpm: Some(120.0),
        ..Sample::default()
    };
    let long = ride(vec![at(0), at(fit::MAX_GRID_SECONDS + 5)]);
    assert!(matches!(
        same(&encode(&long), "too long"),
        Err(FitError::TooLong { .. })
    ));
}

#[test]
fn fit_oracle_workout_export_is_not_an_activity_to_both() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/export/workout.txt"),
    )
    .unwrap();
    let s = icu_text::parse(&text, &Options::default())
        .unwrap()
        .compile()
        .unwrap();
    let o = ExportOptions {
        ftp_w: Some(250.0),
        ..ExportOptions::default()
    };
    let Content::Binary(bytes) = export(&s, ExportKind::Fit, &o).unwrap().content else {
        panic!("a FIT export is bytes")
    };
    assert_eq!(
        same(&bytes, "workout export"),
        Err(FitError::NotAnActivity("workout".into()))
    );
}

// ---- hand-built files ----

/// Base types by their FIT numbers.
const ENUM: u8 = 0x00;
const U8: u8 = 0x02;
const S32: u8 = 0x85;
const U16: u8 = 0x84;
const U32: u8 = 0x86;
const U32Z: u8 = 0x8C;
const STR: u8 = 0x07;
const BYTE: u8 = 0x0D;

/// A FIT data section built message by message.
#[derive(Default, Clone)]
struct Build {
    data: Vec<u8>,
}

impl Build {
    /// A little-endian definition of `local` as `global`.
    fn def(mut self, local: u8, global: u16, fields: &[(u8, u8, u8)]) -> Self {
        self.definition(local, false, global, fields, None);
        self
    }

    /// A definition; `dev` adds the developer-field list (and sets the header's bit 0x20).
    fn definition(
        &mut self,
        local: u8,
        big_endian: bool,
        global: u16,
        fields: &[(u8, u8, u8)],
        dev: Option<&[(u8, u8, u8)]>,
    ) {
        let dev_bit = if dev.is_some() { 0x20 } else { 0 };
        self.data
            .extend([0x40 | dev_bit | local, 0, u8::from(big_endian)]);
        if big_endian {
            self.data.extend(global.to_be_bytes());
        } else {
            self.data.extend(global.to_le_bytes());
        }
        self.data.push(fields.len() as u8);
        for f in fields {
            self.data.extend([f.0, f.1, f.2]);
        }
        if let Some(dev) = dev {
            self.data.push(dev.len() as u8);
            for d in dev {
                self.data.extend([d.0, d.1, d.2]);
            }
        }
    }

    /// A data message: its header byte (a local type, or a compressed-timestamp header) and
    /// its field bytes.
    fn msg(mut self, header: u8, payload: &[u8]) -> Self {
        self.data.push(header);
        self.data.extend(payload);
        self
    }

    /// `file_id` with type activity, as local type 0.
    fn activity() -> Self {
        Build::default().def(0, 0, &[(0, 1, ENUM)]).msg(0, &[4])
    }

    fn file(&self) -> Vec<u8> {
        tiny_fit(14, &self.data)
    }
}

/// Little-endian bytes of a record laid out as [`REC`].
const REC: [(u8, u8, u8); 3] = [(253, 4, U32), (3, 1, U8), (7, 2, U16)];

fn rec(t: DateTime<Utc>, hr: u8, power: u16) -> Vec<u8> {
    let mut b = fit_seconds(t).to_le_bytes().to_vec();
    b.push(hr);
    b.extend(power.to_le_bytes());
    b
}

#[test]
fn fit_oracle_big_endian_definitions() {
    let t = t0();
    let fields = [
        (253, 4, U32),
        (0, 4, S32),
        (1, 4, S32),
        (2, 2, U16),
        (7, 2, U16),
        (73, 4, U32),
        (5, 4, U32),
    ];
    let mut b = Build::activity();
    b.definition(1, true, 20, &fields, None);
    let mut payload = fit_seconds(t).to_be_bytes().to_vec();
    payload.extend(semicircles(51.5).to_be_bytes());
    payload.extend(semicircles(-0.25).to_be_bytes());
    payload.extend(3000u16.to_be_bytes()); // (100 m + 500) × 5
    payload.extend(250u16.to_be_bytes());
    payload.extend(8250u32.to_be_bytes());
    payload.extend(123_456u32.to_be_bytes());
    let a = same_ok(&b.msg(1, &payload).file(), "big-endian");
    let s = &a.samples[0];
    assert_eq!(a.start, t);
    assert_eq!(s.power_w, Some(250.0));
    assert_eq!(s.altitude_m, Some(100.0));
    assert_eq!(s.speed_mps, Some(8.25));
    assert_eq!(s.distance_m, Some(1234.56));
    assert!((s.lat_deg.unwrap() - 51.5).abs() < 1e-7);
    assert!((s.lon_deg.unwrap() + 0.25).abs() < 1e-7);
}

#[test]
fn fit_oracle_compressed_timestamps_roll_over() {
    // A start whose low five bits are 30, so the third compressed offset wraps.
    let base = fit_seconds(t0()) & !0x1F;
    let start = base + 30;
    let at = |s: u32| DateTime::from_timestamp(fit::FIT_EPOCH_UNIX + i64::from(s), 0).unwrap();
    let compressed = |local: u8, secs: u32| 0x80 | local << 5 | (secs & 0x1F) as u8;
    let b = Build::activity()
        .def(1, 20, &REC)
        .def(2, 20, &[(3, 1, U8)]) // heart rate only: timed by the header
        .def(3, 0xFF00, &[(253, 4, U32), (0, 1, U8)]) // a manufacturer's own message
        .msg(1, &rec(at(start), 100, 200))
        .msg(compressed(2, start + 1), &[101])
        .msg(compressed(2, start + 3), &[102]) // offset 1 < 31: rolled over
        .msg(compressed(2, start + 4), &[103])
        .msg(compressed(2, start + 4), &[104]) // the same second again: the later one stays
        .msg(3, &[(start + 40).to_le_bytes().as_slice(), &[7]].concat())
        .msg(compressed(2, start + 41), &[105]); // counts from the unknown message's time
    let a = same_ok(&b.file(), "compressed timestamps");
    assert_eq!(a.start, at(start));
    assert_eq!(a.grid_seconds(), 42);
    let hr: Vec<(usize, f64)> = a
        .samples
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.heart_rate_bpm?)))
        .collect();
    assert_eq!(
        hr,
        [(0, 100.0), (1, 101.0), (3, 102.0), (4, 104.0), (41, 105.0)]
    );
    assert_eq!(a.samples[0].power_w, Some(200.0));
}

/// A `field_description` (206) of developer field `number` (data index 0) of `base` type.
fn describe(b: Build, local: u8, number: u8, base: u8, name: &str) -> Build {
    let mut name_bytes = name.as_bytes().to_vec();
    name_bytes.resize(16, 0);
    b.def(
        local,
        206,
        &[(0, 1, U8), (1, 1, U8), (2, 1, U8), (3, 16, STR)],
    )
    .msg(local, &[&[0, number, base][..], &name_bytes].concat())
}

#[test]
fn fit_oracle_developer_fields_are_skipped_by_size() {
    let t = t0();
    let mut b = Build::activity();
    b = describe(b, 1, 0, U16, "dev_form_power");
    b = describe(b, 1, 1, U8, "dev_smo2");
    let mut with_dev = b.clone();
    with_dev.definition(2, false, 20, &REC, Some(&[(0, 2, 0), (1, 3, 0)]));
    let with_dev = with_dev
        .msg(2, &[rec(t, 140, 210), vec![0x11, 0x22, 1, 2, 3]].concat())
        .msg(
            2,
            &[rec(t + Duration::seconds(1), 141, 211), vec![0xFF; 5]].concat(),
        );
    let a = same_ok(&with_dev.file(), "developer fields");
    assert_eq!(a.samples[1].heart_rate_bpm, Some(141.0));
    assert_eq!(a.samples[1].power_w, Some(211.0));

    // Without their descriptions fitparser refuses the file; we still skip them by size.
    let mut bare = Build::activity();
    bare.definition(2, false, 20, &REC, Some(&[(9, 4, 3)]));
    let bare = bare.msg(2, &[rec(t, 150, 220), vec![1, 2, 3, 4]].concat());
    let ours = fit::decode(&bare.file()).unwrap();
    assert_eq!(ours.samples[0].heart_rate_bpm, Some(150.0));
    assert_eq!(ours.samples[0].power_w, Some(220.0));
    assert!(oracle::decode(&bare.file()).is_err());
}

#[test]
fn fit_oracle_invalid_values_are_no_value() {
    let t = t0();
    let fields = [
        (253, 4, U32),
        (0, 4, S32),
        (1, 4, S32),
        (2, 2, U16),
        (3, 1, U8),
        (4, 1, U8),
        (5, 4, U32),
        (6, 2, U16),
        (7, 2, U16),
        (73, 4, U32),
        (78, 4, U32),
    ];
    let mut all_invalid = fit_seconds(t).to_le_bytes().to_vec();
    all_invalid.extend(0x7FFF_FFFFi32.to_le_bytes());
    all_invalid.extend(0x7FFF_FFFFi32.to_le_bytes());
    all_invalid.extend([0xFF, 0xFF, 0xFF, 0xFF]); // altitude, heart rate, cadence
    all_invalid.extend([0xFF; 4 + 2 + 2 + 4 + 4]);
    let mut some = fit_seconds(t + Duration::seconds(2)).to_le_bytes().to_vec();
    some.extend(0x7FFF_FFFFi32.to_le_bytes());
    some.extend(semicircles(10.0).to_le_bytes());
    some.extend(2600u16.to_le_bytes()); // 16-bit altitude: 20 m
    some.extend([0xFF, 95]);
    some.extend([0xFF; 4]);
    some.extend(4000u16.to_le_bytes()); // 16-bit speed: 4 m/s
    some.extend([0xFF; 2 + 4 + 4]);
    let b = Build::activity()
        .def(1, 20, &fields)
        .msg(1, &all_invalid)
        .msg(1, &some);
    let a = same_ok(&b.file(), "invalid values");
    assert_eq!(a.grid_seconds(), 3);
    assert!(!a.samples[0].is_recorded(), "{:?}", a.samples[0]);
    let s = &a.samples[2];
    assert_eq!(
        (s.lat_deg, s.heart_rate_bpm, s.cadence_rpm, s.power_w),
        (None, None, Some(95.0), None)
    );
    assert_eq!(s.altitude_m, Some(20.0));
    assert_eq!(s.speed_mps, Some(4.0));
    assert!((s.lon_deg.unwrap() - 10.0).abs() < 1e-7);
}

#[test]
fn fit_oracle_fields_of_unexpected_sizes() {
    let t = t0();
    let fields = [
        (253, 4, U32),
        (3, 2, U8),  // heart rate as two bytes: an array, no value
        (7, 1, U16), // power in one byte: that byte
        (5, 3, U32), // distance in three bytes: no value
        (4, 0, U8),  // cadence with no bytes at all
        (1, 4, S32),
    ];
    let mut payload = fit_seconds(t).to_le_bytes().to_vec();
    payload.extend([150, 151, 180, 1, 2, 3]);
    payload.extend(semicircles(7.5).to_le_bytes());
    let b = Build::activity().def(1, 20, &fields).msg(1, &payload);
    let a = same_ok(&b.file(), "odd sizes");
    let s = &a.samples[0];
    assert_eq!(
        (s.heart_rate_bpm, s.power_w, s.distance_m, s.cadence_rpm),
        (None, Some(180.0), None, None)
    );
    assert!((s.lon_deg.unwrap() - 7.5).abs() < 1e-7);

    // An altitude array: no value for us. (fitparser widens the first element into
    // `enhanced_altitude`, so this one is checked on its own.)
    let b = Build::activity()
        .def(1, 20, &[(253, 4, U32), (2, 4, U16), (3, 1, U8)])
        .msg(
            1,
            &[
                fit_seconds(t).to_le_bytes().as_slice(),
                &[0xB8, 0x0B, 0xB8, 0x0B, 120],
            ]
            .concat(),
        );
    let a = fit::decode(&b.file()).unwrap();
    assert_eq!(a.samples[0].altitude_m, None);
    assert_eq!(a.samples[0].heart_rate_bpm, Some(120.0));
}

#[test]
fn fit_oracle_local_types_redefined_mid_file() {
    let t = |s| t0() + Duration::seconds(s);
    let hr_only = [(253, 4, U32), (3, 1, U8)];
    let hr_of = |s, hr| [fit_seconds(t(s)).to_le_bytes().as_slice(), &[hr]].concat();
    let lap = [(253, 4, U32), (2, 4, U32), (7, 4, U32), (24, 1, ENUM)];
    let lap_bytes = [
        fit_seconds(t(4)).to_le_bytes(),
        fit_seconds(t(0)).to_le_bytes(),
        5000u32.to_le_bytes(),
    ]
    .concat();
    // Local type 0 is file_id, then a record of heart rate, then one with power, then a lap.
    let b = Build::activity()
        .def(0, 20, &hr_only)
        .msg(0, &hr_of(0, 110))
        .msg(0, &hr_of(1, 111))
        .def(0, 20, &REC)
        .msg(0, &rec(t(2), 112, 300))
        .msg(0, &rec(t(3), 113, 301))
        .def(0, 19, &lap)
        .msg(0, &[lap_bytes.as_slice(), &[2]].concat());
    let a = same_ok(&b.file(), "redefinitions");
    let hr: Vec<_> = a.samples.iter().map(|s| s.heart_rate_bpm).collect();
    assert_eq!(hr, [Some(110.0), Some(111.0), Some(112.0), Some(113.0)]);
    assert_eq!(a.samples[1].power_w, None);
    assert_eq!(a.samples[3].power_w, Some(301.0));
    assert_eq!(a.laps.len(), 1);
    assert_eq!(a.laps[0].elapsed_s, Some(5.0));
    assert_eq!(a.laps[0].start, Some(t(0)));
    assert_eq!(a.laps[0].trigger.as_deref(), Some("distance"));
}

/// Two files back to back: the second redefines its types (definitions end with a file) and
/// carries on with compressed timestamps from its own first full timestamp.
fn chained() -> (Vec<u8>, usize) {
    let t = |s| t0() + Duration::seconds(s);
    let first = Build::activity()
        .def(1, 20, &REC)
        .msg(1, &rec(t(0), 120, 200))
        .msg(1, &rec(t(1), 121, 201))
        .file();
    let compressed = |s: i64| 0x80 | 2 << 5 | (fit_seconds(t(s)) & 0x1F) as u8;
    let second = Build::default()
        .def(1, 20, &REC)
        .def(2, 20, &[(3, 1, U8)])
        .msg(1, &rec(t(10), 130, 210))
        .msg(compressed(11), &[131])
        .msg(compressed(12), &[132])
        .file();
    let split = first.len();
    ([first, second].concat(), split)
}

#[test]
fn fit_oracle_chained_files_read_as_one_activity() {
    let (both, _) = chained();
    let a = same_ok(&both, "chained");
    assert_eq!(a.grid_seconds(), 13);
    assert_eq!(a.recorded_seconds(), 5);
    assert_eq!(a.samples[12].heart_rate_bpm, Some(132.0));
    assert_eq!(a.samples[10].power_w, Some(210.0));

    // The second file may not use a type the first one defined.
    let t = t0();
    let stale = [
        Build::activity().def(1, 20, &REC).file(),
        Build::default().msg(1, &rec(t, 1, 2)).file(),
    ]
    .concat();
    assert!(matches!(fit::decode(&stale), Err(FitError::Corrupt(m)) if m.contains("local type 1")));
    assert!(matches!(oracle::decode(&stale), Err(FitError::Corrupt(_))));
    // Bytes after a file that are not another FIT file.
    let mut tail = Build::activity()
        .def(1, 20, &REC)
        .msg(1, &rec(t, 1, 2))
        .file();
    tail.extend([0, 0, 0]);
    let err = fit::decode(&tail).unwrap_err();
    assert_eq!(
        err,
        FitError::Corrupt("3 bytes after the end of the FIT data are not another FIT file".into())
    );
    // (fitparser itself panics on these three bytes: it subtracts past zero reading a header.)
}

#[test]
fn fit_oracle_devices_sessions_and_laps() {
    let t = t0();
    let dev_fields = [
        (0, 1, U8),
        (2, 2, U16),
        (4, 2, U16),
        (3, 4, U32Z),
        (5, 2, U16),
        (27, 12, STR),
    ];
    let dev = |index: u8, maker: u16, product: u16, name: &str| {
        let mut b = vec![index];
        b.extend(maker.to_le_bytes());
        b.extend(product.to_le_bytes());
        b.extend(777u32.to_le_bytes());
        b.extend(1010u16.to_le_bytes());
        let mut n = name.as_bytes().to_vec();
        n.resize(12, 0);
        b.extend(n);
        b
    };
    let session_fields = [
        (2, 4, U32),
        (5, 1, ENUM),
        (6, 1, ENUM),
        (7, 4, U32),
        (14, 2, U16),
        (18, 1, U8),
        (35, 2, U16),
        (36, 2, U16),
        (11, 2, U16),
    ];
    let session = |sport: u8, sub: u8| {
        let mut b = fit_seconds(t).to_le_bytes().to_vec();
        b.extend([sport, sub]);
        b.extend(3_600_500u32.to_le_bytes());
        b.extend(7250u16.to_le_bytes());
        b.push(88);
        b.extend(655u16.to_le_bytes());
        b.extend(812u16.to_le_bytes());
        b.extend(950u16.to_le_bytes());
        b
    };
    let lap_fields = [(2, 4, U32), (17, 1, U8), (24, 1, ENUM), (25, 1, ENUM)];
    let lap = |sport: u8, trigger: u8| {
        let mut b = fit_seconds(t).to_le_bytes().to_vec();
        b.extend([91, trigger, sport]);
        b
    };
    for (sport, sub) in [(1u8, 3u8), (2, 7), (1, 0xFF), (99, 200)] {
        let b = Build::activity()
            .def(1, 20, &REC)
            .msg(1, &rec(t, 100, 100))
            .def(2, 23, &dev_fields)
            .msg(2, &dev(0, 1, 3121, "")) // garmin: a named product, not a number
            .msg(2, &dev(2, 32, 5, "KICKR")) // wahoo_fitness: the number
            .msg(2, &dev(3, 9999, 7, "Odd")) // an unknown maker: its number
            .msg(2, &dev(0xFF, 263, 12, "Pedals")) // favero: a named product
            .def(3, 18, &session_fields)
            .msg(3, &session(sport, sub))
            .msg(3, &session(2, 7)) // only the first session counts
            .def(4, 19, &lap_fields)
            .msg(4, &lap(sport, 0))
            .msg(4, &lap(2, 7));
        let a = same_ok(&b.file(), &format!("sport {sport}"));
        let s = a.session.unwrap();
        assert_eq!(
            s.avg_cadence_rpm,
            (sport != 1).then_some(88.0),
            "sport {sport}"
        );
        assert_eq!(a.laps[0].avg_cadence_rpm, (sport != 1).then_some(91.0));
        assert_eq!(a.laps[1].avg_cadence_rpm, Some(91.0));
        if sport == 1 {
            assert_eq!(s.sport.as_deref(), Some("running"));
            assert_eq!(a.laps[1].trigger.as_deref(), Some("session_end"));
        }
        if sport == 99 {
            assert_eq!(s.sub_sport.as_deref(), Some("200"));
        }
        assert_eq!(s.elapsed_s, Some(3600.5));
        assert_eq!(s.avg_speed_mps, Some(7.25));
        assert_eq!(s.tss, Some(65.5));
        assert_eq!(s.intensity_factor, Some(0.812));
        assert_eq!(s.calories_kcal, Some(950.0));
        let d = &a.devices;
        assert_eq!(d.len(), 4);
        assert_eq!(d[0].manufacturer.as_deref(), Some("garmin"));
        assert_eq!(d[0].device_index.as_deref(), Some("creator"));
        assert_eq!(
            (d[0].product.as_deref(), d[0].product_name.as_deref()),
            (Some("edge_530"), None)
        );
        assert_eq!(d[1].product.as_deref(), Some("5"));
        assert_eq!(d[1].manufacturer.as_deref(), Some("wahoo_fitness"));
        assert_eq!(d[1].device_index.as_deref(), Some("2"));
        assert_eq!(d[1].software_version, Some(10.1));
        assert_eq!(d[1].serial_number, Some(777));
        assert_eq!(d[2].manufacturer.as_deref(), Some("9999"));
        assert_eq!(d[3].product.as_deref(), Some("assioma_duo"));
        assert_eq!(d[3].device_index, None);
    }
}

#[test]
fn fit_oracle_file_types() {
    let with_type = |ty: Option<u8>| {
        let b = match ty {
            Some(ty) => Build::default().def(0, 0, &[(0, 1, ENUM)]).msg(0, &[ty]),
            None => Build::default().def(0, 0, &[(1, 2, U16)]).msg(0, &[1, 0]),
        };
        b.def(1, 20, &REC).msg(1, &rec(t0(), 1, 1)).file()
    };
    let cases = [
        (Some(6), "course"),
        (Some(200), "200"),
        (Some(0xFF), "missing (no file_id message)"),
        (None, "missing (no file_id message)"),
    ];
    for (ty, want) in cases {
        assert_eq!(
            same(&with_type(ty), want),
            Err(FitError::NotAnActivity(want.into()))
        );
    }
    let no_file_id = Build::default().def(1, 20, &REC).msg(1, &rec(t0(), 1, 1));
    assert_eq!(
        same(&no_file_id.file(), "no file_id"),
        Err(FitError::NotAnActivity(
            "missing (no file_id message)".into()
        ))
    );
}

// ---- product names (`garmin_product`, `favero_product`) ----

/// The makers whose `product` the profile reads through a named table, with that table's type
/// in fitparser: garmin, dynastream_oem, dynastream, tacx (`garmin_product`) and
/// favero_electronics (`favero_product`).
const NAMED_PRODUCT_MAKERS: [(u16, FieldDataType); 5] = [
    (1, FieldDataType::GarminProduct),
    (13, FieldDataType::GarminProduct),
    (15, FieldDataType::GarminProduct),
    (89, FieldDataType::GarminProduct),
    (263, FieldDataType::FaveroProduct),
];

/// fitparser's name for `v` of `ty`, or the number where the profile has none.
fn profile_name(ty: FieldDataType, v: i64) -> String {
    if ty.is_named_variant(v) {
        get_field_variant_as_string(ty, v)
    } else {
        v.to_string()
    }
}

/// An activity whose `device_info` messages are `(manufacturer, product)` pairs, in order.
fn devices_file(devices: impl Iterator<Item = (u16, u16)>) -> Vec<u8> {
    let mut b = Build::activity()
        .def(1, 20, &REC)
        .msg(1, &rec(t0(), 100, 100))
        .def(2, 23, &[(2, 2, U16), (4, 2, U16)]);
    for (maker, product) in devices {
        let mut m = maker.to_le_bytes().to_vec();
        m.extend(product.to_le_bytes());
        b = b.msg(2, &m);
    }
    b.file()
}

/// Every product number of every named-product maker decodes to fitparser's name for it (its
/// number where the profile has none), through `fit::decode`: the names tables neither miss
/// nor invent a product, and each maker reads the right table. Garmin and Favero take every
/// value a `uint16` holds (0xFFFF is its "no value"); the three other makers of the Garmin
/// table every 61st, which still crosses every stretch of it.
#[test]
fn fit_product_names_match_the_profile_for_every_value() {
    for (maker, ty) in NAMED_PRODUCT_MAKERS {
        let step = if matches!(maker, 1 | 263) { 1 } else { 61 };
        let values: Vec<u16> = (0..u16::MAX).step_by(step).collect();
        let a = fit::decode(&devices_file(values.iter().map(|&v| (maker, v))))
            .unwrap_or_else(|e| panic!("maker {maker}: {e}"));
        assert_eq!(a.devices.len(), values.len(), "maker {maker}");
        let mut named = 0;
        for (d, &v) in a.devices.iter().zip(&values) {
            let want = profile_name(ty, i64::from(v));
            named += usize::from(want != v.to_string());
            assert_eq!(
                d.product.as_deref(),
                Some(want.as_str()),
                "maker {maker} product {v}"
            );
        }
        // The comparison above is only worth something if the profile names many of them.
        let least = match (maker, step) {
            (263, _) => 2,
            (_, 1) => 400,
            _ => 1,
        };
        assert!(named >= least, "maker {maker}: {named} named products");
    }
    // The invalid value is no product at all, for us as for the profile.
    let a = fit::decode(&devices_file([(1, u16::MAX)].into_iter())).unwrap();
    assert_eq!(a.devices[0].product, None);
}

/// A Garmin recording written by our encoder (creator `device_info` with manufacturer garmin
/// and no product name, as Garmin devices write it) decodes to the product's name, an Edge
/// 1040; a product id the profile does not know decodes to its number; both as fitparser reads
/// them, and the other named makers alike.
#[test]
fn fit_oracle_garmin_device_decodes_to_its_product_name() {
    let garmin = |product: u16| {
        let file = ActivityFile {
            device: Device {
                manufacturer: 1,
                product,
                serial: 3_392_000_001,
                product_name: String::new(),
                software_version: 2675,
            },
            ..ride(busy_samples(60))
        };
        same_ok(&encode(&file), &format!("garmin product {product}"))
    };
    let edge = garmin(3843);
    let d = &edge.devices[0];
    assert_eq!(d.manufacturer.as_deref(), Some("garmin"));
    assert_eq!(d.product.as_deref(), Some("edge_1040"));
    assert_eq!(d.product_name, None);
    assert_eq!(d.device_index.as_deref(), Some("creator"));
    assert_eq!(garmin(3906).devices[0].product.as_deref(), Some("fenix7"));
    assert_eq!(garmin(64_999).devices[0].product.as_deref(), Some("64999"));
    // Tacx reads Garmin's table, Favero its own, Wahoo (not a named maker) the number.
    let a = same_ok(
        &devices_file([(89, 3843), (263, 10), (263, 11), (32, 3843)].into_iter()),
        "other makers",
    );
    let products: Vec<_> = a.devices.iter().map(|d| d.product.as_deref()).collect();
    assert_eq!(
        products,
        [
            Some("edge_1040"),
            Some("assioma_uno"),
            Some("11"),
            Some("3843")
        ]
    );
}

/// How the analysis summary words a device (`DeviceInfo::label`): maker and product from the
/// profile's identifiers as words, the maker said once, numbers said as such, a product name
/// the device writes itself taken as it is.
#[test]
fn fit_device_labels_read_as_words() {
    let label = |maker: Option<&str>, product: Option<&str>, name: Option<&str>| {
        fit::DeviceInfo {
            manufacturer: maker.map(str::to_string),
            product: product.map(str::to_string),
            product_name: name.map(str::to_string),
            ..fit::DeviceInfo::default()
        }
        .label()
    };
    let cases = [
        (
            Some("garmin"),
            Some("edge_1040"),
            None,
            Some("Garmin Edge 1040"),
        ),
        (
            Some("garmin"),
            Some("fenix7s"),
            None,
            Some("Garmin Fenix 7s"),
        ),
        (
            Some("garmin"),
            Some("64999"),
            None,
            Some("Garmin product 64999"),
        ),
        (
            Some("garmin"),
            Some("fr965"),
            None,
            Some("Garmin Forerunner 965"),
        ),
        (
            Some("garmin"),
            Some("hrm_pro"),
            None,
            Some("Garmin HRM Pro"),
        ),
        (Some("garmin"), Some("fenix"), None, Some("Garmin Fenix")),
        (
            Some("tacx"),
            Some("tacx_training_app_win"),
            None,
            Some("Tacx Training App Win"),
        ),
        (
            Some("favero_electronics"),
            Some("assioma_duo"),
            None,
            Some("Favero Electronics Assioma Duo"),
        ),
        (
            Some("9999"),
            Some("7"),
            None,
            Some("manufacturer 9999 product 7"),
        ),
        (
            Some("wahoo_fitness"),
            Some("5"),
            Some("KICKR"),
            Some("KICKR"),
        ),
        (Some("garmin"), None, None, Some("Garmin")),
        (None, Some("edge_840"), None, Some("Edge 840")),
        (None, None, None, None),
    ];
    for (maker, product, name, want) in cases {
        assert_eq!(
            label(maker, product, name).as_deref(),
            want,
            "{maker:?} {product:?} {name:?}"
        );
    }
}

/// Prints `core/src/fit/names.rs`'s tables from fitparser's profile, in that file's format
/// (run with `--ignored --nocapture`; the command is at the top of names.rs). The names come
/// from fitparser's public API only: each type's range, its named values and their names.
#[test]
#[ignore = "a generator, not a check: prints names.rs's tables"]
#[allow(
    clippy::print_stdout,
    reason = "a generator: the printed tables are its output"
)]
fn fit_names_generate() {
    let tables = [
        ("FILE", FieldDataType::File, 255),
        ("MANUFACTURER", FieldDataType::Manufacturer, 65_535),
        ("SPORT", FieldDataType::Sport, 255),
        ("SUB_SPORT", FieldDataType::SubSport, 255),
        ("LAP_TRIGGER", FieldDataType::LapTrigger, 255),
        ("GARMIN_PRODUCT", FieldDataType::GarminProduct, 65_535),
        ("FAVERO_PRODUCT", FieldDataType::FaveroProduct, 65_535),
    ];
    let mut out = String::new();
    for (name, ty, max) in tables {
        let lines: Vec<String> = (0..=max)
            .filter(|&v| ty.is_named_variant(v))
            .map(|v| format!("{v} {}\\n\\\n", get_field_variant_as_string(ty, v)))
            .collect();
        out.push_str(&format!(
            "// {name}: {} values\npub(super) const {name}: &str = \"\\\n{}\";\n\n",
            lines.len(),
            lines.concat()
        ));
    }
    assert!(out.contains("3843 edge_1040"), "{out}");
    print!("{out}");
}

/// `compressed_speed_distance` (record field 8, older devices): 12 bits of speed and 12 of
/// distance that accumulate modulo 4096. fitparser sums the raw 12-bit values instead of
/// accumulating them, so this is checked against the protocol's arithmetic, not the oracle.
#[test]
fn fit_compressed_speed_distance_accumulates_across_rollover() {
    let packed = |speed: u16, dist: u16| {
        [
            (speed & 0xFF) as u8,
            ((speed >> 8) & 0x0F) as u8 | ((dist & 0x0F) << 4) as u8,
            (dist >> 4) as u8,
        ]
    };
    let mut b = Build::activity().def(1, 20, &[(253, 4, U32), (8, 3, BYTE)]);
    for (i, dist) in [4000u16, 4090, 10, 100].into_iter().enumerate() {
        let t = fit_seconds(t0() + Duration::seconds(i as i64));
        b = b.msg(
            1,
            &[t.to_le_bytes().as_slice(), &packed(250, dist)].concat(),
        );
    }
    let a = fit::decode(&b.file()).unwrap();
    let d: Vec<_> = a.samples.iter().map(|s| s.distance_m.unwrap()).collect();
    assert_eq!(d, [250.0, 255.625, 256.625, 262.25]);
    assert!(a.samples.iter().all(|s| s.speed_mps == Some(2.5)));
}

// ---- damage ----

/// A small valid activity file (79 bytes).
fn small() -> Vec<u8> {
    let t = |s| t0() + Duration::seconds(s);
    Build::activity()
        .def(1, 20, &REC)
        .msg(1, &rec(t(0), 120, 200))
        .msg(1, &rec(t(1), 121, 201))
        .def(2, 19, &[(2, 4, U32), (7, 4, U32)])
        .msg(
            2,
            &[fit_seconds(t(0)).to_le_bytes(), 2000u32.to_le_bytes()].concat(),
        )
        .file()
}

#[test]
fn fit_oracle_bad_crcs() {
    let f = small();
    let a = same_ok(&f, "small");
    assert_eq!(a.grid_seconds(), 2);
    for at in 14..f.len() - 2 {
        let mut d = f.clone();
        d[at] ^= 0x10;
        assert!(
            matches!(fit::decode(&d), Err(FitError::BadCrc { part: "data", stored, computed }) if stored != computed),
            "flip at {at}"
        );
    }
    let mut h = f.clone();
    h[2] ^= 1;
    assert!(matches!(
        same(&h, "header flip"),
        Err(FitError::BadCrc { part: "header", .. })
    ));
    let mut c = f;
    let last = c.len() - 2;
    c[last] ^= 0xFF;
    assert!(matches!(
        same(&c, "stored CRC flip"),
        Err(FitError::BadCrc { part: "data", .. })
    ));
}

#[test]
fn fit_truncation_at_every_byte_is_an_error() {
    let f = small();
    for cut in 0..f.len() {
        let want = match cut {
            0 => FitError::Empty,
            1..12 => FitError::Truncated {
                expected: 12,
                actual: cut as u64,
            },
            _ => FitError::Truncated {
                expected: f.len() as u64,
                actual: cut as u64,
            },
        };
        assert_eq!(fit::decode(&f[..cut]), Err(want), "cut at {cut}");
    }
    // Chained: a cut inside the second file's header is trailing junk; after it, truncation.
    let (both, split) = chained();
    for cut in split + 1..both.len() {
        match fit::decode(&both[..cut]) {
            Err(FitError::Corrupt(_)) if cut < split + 12 => {}
            Err(FitError::Truncated { expected, actual })
                if cut >= split + 12 && expected == both.len() as u64 && actual == cut as u64 => {}
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    // Cut data re-framed with correct length and CRCs: the parser itself meets the end.
    let data = &f[14..f.len() - 2];
    for cut in 0..data.len() {
        match fit::decode(&tiny_fit(14, &data[..cut])) {
            Ok(_) | Err(FitError::NotAnActivity(_) | FitError::NoRecords) => {}
            Err(FitError::Corrupt(m)) => assert!(m.contains("past the end"), "{cut}: {m}"),
            Err(other) => panic!("cut at {cut}: {other:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Random damage never panics: byte changes anywhere (with the CRCs recomputed half the
    /// time, so the damage reaches the message parser), and random cuts.
    #[test]
    fn fit_random_mutations_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        refit in any::<bool>(),
        cut in any::<prop::sample::Index>(),
        chain in any::<bool>(),
    ) {
        let base = if chain { chained().0 } else { small() };
        let mut data = base[14..base.len() - 2].to_vec();
        let mut whole = base.clone();
        for (i, v) in &edits {
            if refit {
                let at = i.index(data.len());
                data[at] = *v;
            } else {
                let at = i.index(whole.len());
                whole[at] = *v;
            }
        }
        let bytes = if refit { tiny_fit(14, &data) } else { whole };
        let _ = fit::decode(&bytes);
        let _ = fit::decode(&bytes[..cut.index(bytes.len())]);
    }
}
