//! Device files: the sandbox's generated FIT files through the production client path
//! (details → file id → rawfiledata → decode) checked against the workout records, the
//! decoder's errors on damaged files, and the client's exact requests over a closure transport.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, NaiveDateTime};
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::fit::{self, Activity, FitError};
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse};
use paceline_core::sandbox::{SAMPLE_ATHLETE_ID, Sandbox, SandboxTransport};
use paceline_core::trainingpeaks::{Api, TpClient, TpError};
use serde_json::{Value, json};

const AID: i64 = SAMPLE_ATHLETE_ID;

pub(super) fn client() -> TpClient {
    let clock = Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ));
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock)
}

/// Completed sample workouts of the last four weeks, as the list GET returns them.
pub(super) fn recent_completed(c: &TpClient) -> Vec<Value> {
    let list = block_on(c.get_json(
        Api::Tp,
        &format!("/fitness/v6/athletes/{AID}/workouts/2026-10-24/2026-11-20"),
    ))
    .unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .filter(|w| w["completed"] == json!(true))
        .cloned()
        .collect()
}

/// The production path: details → first device file → bytes.
pub(super) fn fetch_file(c: &TpClient, wid: i64) -> (Vec<u8>, Option<String>) {
    let details = block_on(c.workout_details(AID, wid)).unwrap();
    assert_eq!(details.raw["workoutId"], json!(wid));
    let info = details.device_files.first().expect("a device file");
    let fid = info.file_id.val().expect("a file id");
    let file = block_on(c.workout_device_file(AID, wid, fid)).unwrap();
    assert_eq!(file.file_name, info.name());
    (file.bytes, file.file_name)
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = xs.collect();
    assert!(!v.is_empty(), "no values to average");
    v.iter().sum::<f64>() / v.len() as f64
}

pub(super) fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Checks a decoded file against the workout record it was generated from.
fn check_against_record(w: &Value, a: &Activity) {
    let title = w["title"].as_str().unwrap_or("");
    let moving = (w["totalTime"].as_f64().unwrap() * 3600.0).round() as usize;
    assert_eq!(a.recorded_seconds(), moving, "{title}: moving time");
    assert!(
        a.grid_seconds() >= moving,
        "{title}: grid shorter than moving time"
    );
    let start =
        NaiveDateTime::parse_from_str(w["startTime"].as_str().unwrap(), "%Y-%m-%dT%H:%M:%S")
            .unwrap()
            .and_utc();
    assert_eq!(a.start, start, "{title}: start is the record's startTime");
    for (i, s) in a.samples.iter().enumerate() {
        assert_eq!(
            s.time,
            start + chrono::Duration::seconds(i as i64),
            "1 Hz grid"
        );
    }
    let session = a.session.as_ref().expect("a session");
    assert_eq!(
        session.timer_s,
        Some(moving as f64),
        "{title}: session timer"
    );
    assert!(!a.laps.is_empty(), "{title}: laps");
    let lap_time: f64 = a.laps.iter().filter_map(|l| l.timer_s).sum();
    assert_eq!(
        lap_time, moving as f64,
        "{title}: laps cover the moving time"
    );
    assert_eq!(a.devices.len(), 1);
    assert_eq!(
        a.devices[0].product_name.as_deref(),
        Some("Paceline Sandbox")
    );
    let hr = mean(a.samples.iter().filter_map(|s| s.heart_rate_bpm));
    let want_hr = w["heartRateAverage"].as_f64().unwrap();
    assert!((hr - want_hr).abs() <= 2.0, "{title}: HR {hr} vs {want_hr}");
    // The HR strap drops out somewhere: seconds with other channels but no HR (a session
    // with HR alone has none, or the seconds would read as a pause).
    let hr_only = a.samples.iter().all(|s| s.speed_mps.is_none());
    assert_eq!(
        a.samples
            .iter()
            .any(|s| s.is_recorded() && s.heart_rate_bpm.is_none()),
        !hr_only,
        "{title}: HR dropouts"
    );
    if let Some(want) = w["powerAverage"].as_f64() {
        let p = mean(a.samples.iter().filter_map(|s| s.power_w));
        assert!(
            (p - want).abs() / want <= 0.02,
            "{title}: power {p} vs {want}"
        );
        assert_eq!(session.sport.as_deref(), Some("cycling"));
        assert!(
            a.samples
                .iter()
                .any(|s| s.is_recorded() && s.power_w.is_none()),
            "{title}: no power dropout"
        );
    }
    if let Some(want) = w["distance"].as_f64() {
        let d = a
            .samples
            .iter()
            .rev()
            .find_map(|s| s.distance_m)
            .expect("distance");
        let laps: f64 = a.laps.iter().filter_map(|l| l.distance_m).sum();
        assert!(
            (laps - d).abs() / d <= 0.01,
            "{title}: laps {laps} m vs {d} m"
        );
        assert!(
            (d - want).abs() / want <= 0.01,
            "{title}: distance {d} vs {want}"
        );
    }
}

#[test]
fn fit_sandbox_files_match_their_workout_records() {
    let c = client();
    let completed = recent_completed(&c);
    let mut sports = std::collections::BTreeSet::new();
    let mut paused = 0;
    for w in &completed {
        let wid = w["workoutId"].as_i64().unwrap();
        let (bytes, name) = fetch_file(&c, wid);
        assert!(name.unwrap().ends_with(".fit.gz"));
        assert_eq!(&bytes[..2], &[0x1F, 0x8B], "served gzipped");
        let a = fit::decode(&bytes).unwrap();
        check_against_record(w, &a);
        if a.grid_seconds() > a.recorded_seconds() {
            paused += 1;
            // A pause is whole seconds with nothing recorded, not interpolated values.
            assert!(a.samples.iter().any(|s| !s.is_recorded()));
        }
        sports.insert(w["workoutTypeValueId"].as_i64().unwrap());
    }
    assert!(
        sports.is_superset(&[1, 2, 3].into()),
        "sports seen: {sports:?}"
    );
    assert!(paused > 0, "no outdoor session had a stop");
}

#[test]
fn fit_outdoor_ride_has_position_altitude_and_coasting() {
    let c = client();
    let ride = recent_completed(&c)
        .into_iter()
        .find(|w| w["workoutTypeValueId"] == json!(2) && w["workoutSubTypeId"] != json!(6))
        .expect("an outdoor ride");
    let (bytes, _) = fetch_file(&c, ride["workoutId"].as_i64().unwrap());
    let a = fit::decode(&bytes).unwrap();
    let with_pos = a.samples.iter().filter(|s| s.lat_deg.is_some()).count();
    assert_eq!(with_pos, a.recorded_seconds());
    let lat = a.samples.iter().find_map(|s| s.lat_deg).unwrap();
    assert!((51.0..52.0).contains(&lat), "latitude {lat}");
    let alts: Vec<f64> = a.samples.iter().filter_map(|s| s.altitude_m).collect();
    let range = alts.iter().cloned().fold(f64::MIN, f64::max)
        - alts.iter().cloned().fold(f64::MAX, f64::min);
    assert!(range > 5.0, "flat altitude ({range} m)");
    assert!(
        a.samples.iter().any(|s| s.power_w == Some(0.0)),
        "no coasting"
    );
    assert!(a.session.as_ref().unwrap().total_ascent_m.unwrap() > 0.0);
}

#[test]
fn fit_plain_and_gzipped_decode_the_same_and_files_are_deterministic() {
    let c = client();
    let w = &recent_completed(&c)[0];
    let wid = w["workoutId"].as_i64().unwrap();
    let (gz, _) = fetch_file(&c, wid);
    let (again, _) = fetch_file(&c, wid);
    assert_eq!(gz, again, "the same workout gives the same bytes");
    let plain = gunzip(&gz);
    assert_eq!(&plain[8..12], b".FIT");
    assert_eq!(fit::decode(&plain).unwrap(), fit::decode(&gz).unwrap());
}

/// A completed one-hour ride created through the API (with device metrics): its file, and the
/// size figure for a 1 h ride at 1 Hz.
#[test]
#[allow(clippy::print_stderr)] // the size figure is the point of this test
fn fit_one_hour_ride_size() {
    let c = client();
    let body = json!({"athleteId": AID, "workoutDay": "2026-11-19T00:00:00", "workoutTypeValueId": 2,
        "workoutSubTypeId": 3, "title": "Endurance ride", "totalTime": 1.0, "if": 0.72,
        "powerAverage": 180, "heartRateAverage": 135, "heartRateMaximum": 160, "distance": 30000,
        "startTime": "2026-11-19T07:30:00"});
    let created = block_on(c.request_json(
        paceline_core::http::Method::Post,
        Api::Tp,
        &format!("/fitness/v6/athletes/{AID}/workouts"),
        Some(&body),
    ))
    .unwrap();
    let wid = created["workoutId"].as_i64().unwrap();
    let (gz, _) = fetch_file(&c, wid);
    let plain = gunzip(&gz);
    let a = fit::decode(&gz).unwrap();
    check_against_record(&created, &a);
    eprintln!(
        "1 h outdoor ride at 1 Hz: {} bytes FIT, {} bytes gzipped ({} s on the grid)",
        plain.len(),
        gz.len(),
        a.grid_seconds()
    );
    // 3600 records of 29 bytes: about 105 kB; a regression to a bloated layout shows here.
    assert!(plain.len() < 160_000, "{} bytes", plain.len());
    // Second-to-second noise compresses about as badly as a real recording's.
    assert!(
        gz.len() < plain.len() * 4 / 5,
        "gzip saves little: {}",
        gz.len()
    );
}

#[test]
fn fit_manual_entry_has_no_device_file() {
    let c = client();
    let body = json!({"athleteId": AID, "workoutDay": "2026-11-19T00:00:00", "workoutTypeValueId": 3,
        "title": "Run (entered by hand)", "totalTime": 0.5, "distance": 6000});
    let created = block_on(c.request_json(
        paceline_core::http::Method::Post,
        Api::Tp,
        &format!("/fitness/v6/athletes/{AID}/workouts"),
        Some(&body),
    ))
    .unwrap();
    let wid = created["workoutId"].as_i64().unwrap();
    let details = block_on(c.workout_details(AID, wid)).unwrap();
    assert!(details.device_files.is_empty());
    let err = block_on(c.workout_device_file(AID, wid, wid * 100 + 7)).unwrap_err();
    assert!(matches!(err, TpError::NotFound { .. }), "{err:?}");
}

#[test]
fn fit_wrong_file_id_is_not_found() {
    let c = client();
    let wid = recent_completed(&c)[0]["workoutId"].as_i64().unwrap();
    let err = block_on(c.workout_device_file(AID, wid, 12)).unwrap_err();
    assert!(matches!(err, TpError::NotFound { .. }), "{err:?}");
    let err = block_on(c.workout_details(AID, 999_999_999)).unwrap_err();
    assert!(matches!(err, TpError::NotFound { .. }), "{err:?}");
}

/// A plain FIT file from the sandbox, for the damage tests.
pub(super) fn plain_file() -> Vec<u8> {
    let c = client();
    let wid = recent_completed(&c)[0]["workoutId"].as_i64().unwrap();
    gunzip(&fetch_file(&c, wid).0)
}

#[test]
fn fit_truncated_file_is_reported_as_truncated() {
    let f = plain_file();
    for cut in [f.len() - 1, f.len() / 2, 20] {
        match fit::decode(&f[..cut]) {
            Err(FitError::Truncated { expected, actual }) => {
                assert_eq!(expected, f.len() as u64);
                assert_eq!(actual, cut as u64);
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    assert!(matches!(
        fit::decode(&f[..5]),
        Err(FitError::Truncated { .. })
    ));
    // Truncated after gzip: the gzip stream itself is cut.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&f).unwrap();
    let gz = gz.finish().unwrap();
    let err = fit::decode(&gz[..gz.len() / 2]).unwrap_err();
    assert!(matches!(err, FitError::Gzip(_)), "{err:?}");
}

#[test]
fn fit_corrupt_bytes_are_bad_crc() {
    let f = plain_file();
    let mut data = f.clone();
    let mid = data.len() / 2;
    data[mid] ^= 0x01;
    match fit::decode(&data) {
        Err(FitError::BadCrc {
            part: "data",
            stored,
            computed,
        }) => assert_ne!(stored, computed),
        // The data CRC is checked before any message is parsed, so a flip is never `Corrupt`.
        other => panic!("{other:?}"),
    }
    let mut header = f.clone();
    header[3] ^= 0x01; // profile version: only the header CRC notices
    assert!(matches!(
        fit::decode(&header),
        Err(FitError::BadCrc { part: "header", .. })
    ));
    let mut crc = f;
    let last = crc.len() - 1;
    crc[last] ^= 0xFF;
    assert!(matches!(
        fit::decode(&crc),
        Err(FitError::BadCrc { part: "data", .. })
    ));
}

#[test]
fn fit_other_inputs_are_named() {
    assert_eq!(fit::decode(&[]), Err(FitError::Empty));
    assert!(matches!(
        fit::decode(b"<?xml version=\"1.0\"?><TrainingCenterDatabase/>"),
        Err(FitError::NotFit(_))
    ));
    assert!(matches!(
        fit::decode(&[0x1F, 0x8B, 1, 2, 3]),
        Err(FitError::Gzip(_))
    ));
    // A FIT file of type 5 (a planned workout), with valid CRCs; both header sizes.
    let workout = [0x40, 0, 0, 0, 0, 1, 0, 1, 0x00, 0, 5]; // file_id definition + type = 5
    for header in [14, 12] {
        assert_eq!(
            fit::decode(&tiny_fit(header, &workout)),
            Err(FitError::NotAnActivity("workout".into()))
        );
    }
    // An activity without records.
    let activity = [0x40, 0, 0, 0, 0, 1, 0, 1, 0x00, 0, 4];
    assert_eq!(
        fit::decode(&tiny_fit(14, &activity)),
        Err(FitError::NoRecords)
    );
}

/// A FIT file around `data` with a 12- or 14-byte header and correct CRCs.
pub(super) fn tiny_fit(header_len: u8, data: &[u8]) -> Vec<u8> {
    let mut f = vec![header_len, 0x20, 0x54, 0x08];
    f.extend((data.len() as u32).to_le_bytes());
    f.extend(b".FIT");
    if header_len == 14 {
        let hc = fit::crc16(0, &f);
        f.extend(hc.to_le_bytes());
    }
    f.extend(data);
    let c = fit::crc16(0, &f);
    f.extend(c.to_le_bytes());
    f
}

/// The exact requests: details, then rawfiledata with `Accept: */*`, the raw GET retried after
/// a 503 like every read.
#[test]
fn fit_client_requests_are_exact() {
    let log: Arc<Mutex<Vec<HttpRequest>>> = Arc::default();
    let l = log.clone();
    let served = plain_file();
    let transport = FnTransport(move |req: HttpRequest| {
        let mut log = l.lock().unwrap();
        log.push(req.clone());
        let raw_calls = log
            .iter()
            .filter(|r| r.path_and_query().contains("rawfiledata"))
            .count();
        drop(log);
        Ok(match req.path_and_query() {
            "/users/v3/token" => HttpResponse::json(
                200,
                &json!({"success": true, "token": {"access_token": "tok",
                    "token_type": "bearer", "expires_in": 3600}}),
            ),
            "/fitness/v6/athletes/7/workouts/42/details" => HttpResponse::json(
                200,
                &json!({"workoutId": 42, "workoutDeviceFileInfos": [
                    "not an object",
                    {"fileId": "-5", "fileSystemId": 9, "fileName": "ride.fit", "dateUploaded": "2026-11-20T08:00:00", "newKey": 1}
                ], "attachmentFileInfos": [], "meanMaxPowers": {"x": 1}}),
            ),
            "/fitness/v6/athletes/7/workouts/42/rawfiledata/-5" if raw_calls == 1 => {
                HttpResponse::new(503, "busy")
            }
            "/fitness/v6/athletes/7/workouts/42/rawfiledata/-5" => {
                HttpResponse::new(200, served.clone())
                    .with_header("content-disposition", "attachment; filename=\"ride.fit\"")
            }
            other => HttpResponse::new(599, format!("unexpected {other}")),
        })
    });
    let clock = Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ));
    let c = TpClient::new(Arc::new(transport), clock);
    let details = block_on(c.workout_details(7, 42)).unwrap();
    assert_eq!(
        details.device_files.len(),
        1,
        "the non-object entry is skipped"
    );
    let info = &details.device_files[0];
    assert_eq!(
        info.file_id.val(),
        Some(-5),
        "a string id is read leniently"
    );
    assert_eq!(
        info.rest.get("newKey"),
        Some(&json!(1)),
        "unknown keys kept"
    );
    let file = block_on(c.workout_device_file(7, 42, -5)).unwrap();
    assert_eq!(file.file_name.as_deref(), Some("ride.fit"));
    assert!(fit::decode(&file.bytes).is_ok());
    let log = log.lock().unwrap();
    let paths: Vec<(String, String)> = log
        .iter()
        .map(|r| (r.method.to_string(), r.path_and_query().to_string()))
        .collect();
    assert_eq!(
        paths,
        [
            ("GET", "/users/v3/token"),
            ("GET", "/fitness/v6/athletes/7/workouts/42/details"),
            ("GET", "/fitness/v6/athletes/7/workouts/42/rawfiledata/-5"),
            ("GET", "/fitness/v6/athletes/7/workouts/42/rawfiledata/-5"),
        ]
        .map(|(m, p)| (m.to_string(), p.to_string()))
    );
    let raw = &log[3];
    assert_eq!(raw.header_value("accept"), Some("*/*"));
    assert_eq!(raw.header_value("authorization"), Some("Bearer tok"));
    assert_eq!(
        raw.url,
        "https://tpapi.trainingpeaks.com/fitness/v6/athletes/7/workouts/42/rawfiledata/-5"
    );
}

pub(super) fn ride(samples: Vec<fit::Sample>) -> fit::encode::ActivityFile {
    let n = samples.len();
    fit::encode::ActivityFile {
        sport: fit::encode::Sport::Cycling,
        sub_sport: 7,
        samples,
        laps: vec![(0, n)],
        device: fit::encode::Device {
            manufacturer: 255,
            product: 1,
            serial: 1,
            product_name: "Test".into(),
            software_version: 100,
        },
        threshold_power_w: Some(250),
    }
}

/// Pauses and dropouts come back as gaps at the exact seconds, and values as written.
#[test]
fn fit_gaps_are_kept_not_interpolated() {
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-20T07:00:00Z")
        .unwrap()
        .to_utc();
    let samples: Vec<fit::Sample> = (0..20)
        .map(|i| {
            let time = t0 + chrono::Duration::seconds(i);
            if (8..12).contains(&i) {
                return fit::Sample::gap(time); // a stop: timer paused, no records
            }
            fit::Sample {
                time,
                power_w: (i != 3).then_some(200.0 + i as f64), // a power-meter dropout
                heart_rate_bpm: Some(140.0),
                cadence_rpm: Some(90.0),
                speed_mps: Some(8.25),
                altitude_m: Some(-12.4),
                distance_m: Some(8.25 * (i + 1) as f64),
                lat_deg: Some(51.5),
                lon_deg: Some(-0.1),
            }
        })
        .collect();
    let a = fit::decode(&fit::encode::encode(&ride(samples))).unwrap();
    assert_eq!(a.start, t0);
    assert_eq!(a.grid_seconds(), 20);
    assert_eq!(a.recorded_seconds(), 16);
    for i in 8..12 {
        assert!(!a.samples[i].is_recorded(), "second {i} should be a gap");
    }
    assert_eq!(a.samples[3].power_w, None);
    assert_eq!(a.samples[3].heart_rate_bpm, Some(140.0));
    let s = &a.samples[5];
    assert_eq!(s.power_w, Some(205.0));
    assert!((s.speed_mps.unwrap() - 8.25).abs() < 1e-9);
    assert!((s.altitude_m.unwrap() + 12.4).abs() < 0.2 + 1e-9);
    assert!((s.distance_m.unwrap() - 49.5).abs() < 0.01);
    assert!((s.lat_deg.unwrap() - 51.5).abs() < 1e-6);
    assert!((s.lon_deg.unwrap() + 0.1).abs() < 1e-6);
    let session = a.session.unwrap();
    assert_eq!(session.timer_s, Some(16.0));
    assert_eq!(session.elapsed_s, Some(20.0));
    assert_eq!(session.threshold_power_w, Some(250.0));
    assert_eq!(a.devices[0].manufacturer.as_deref(), Some("development"));
}

#[test]
fn fit_records_spanning_more_than_a_week_are_refused() {
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-20T07:00:00Z")
        .unwrap()
        .to_utc();
    let at = |s: i64| fit::Sample {
        time: t0 + chrono::Duration::seconds(s),
        heart_rate_bpm: Some(120.0),
        ..fit::Sample::default()
    };
    let f = fit::encode::encode(&ride(vec![at(0), at(fit::MAX_GRID_SECONDS + 5)]));
    assert!(matches!(fit::decode(&f), Err(FitError::TooLong { .. })));
}
