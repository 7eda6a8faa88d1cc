//! The activity-analysis tools through `Tool::call` against the emulators: figures checked
//! against values computed by hand from a file of known content (served in place of the
//! sandbox's own file, everything else the sandbox's), the sandbox's generated files, a manual
//! entry, a planned workout, argument errors naming the field, and output sizes.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::fit::Sample;
use paceline_core::fit::encode::{ActivityFile, Device, Sport, encode};
use paceline_core::http::{
    BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError,
};
use paceline_core::intervals::{IcuClient, IcuConfig};
use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
use paceline_core::sandbox::{SAMPLE_ATHLETE_ID, Sandbox, SandboxTransport};
use paceline_core::tools::{self, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::{Api, TpClient};
use serde_json::{Value, json};

const AID: i64 = SAMPLE_ATHLETE_ID;

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ))
}

struct Env {
    sb: Arc<Sandbox>,
    ctx: ToolContext,
}

/// The sandbox, with `rawfiledata` answered by `file` when there is one (the far end replaced
/// for that one request only).
struct FileOverride {
    inner: SandboxTransport,
    file: Option<Vec<u8>>,
}

impl Transport for FileOverride {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        match &self.file {
            Some(bytes) if request.url.contains("/rawfiledata/") => {
                let resp = HttpResponse::new(200, bytes.clone());
                Box::pin(async move { Ok(resp) })
            }
            _ => self.inner.send(request),
        }
    }
}

/// The sandbox, with `rawfiledata` answered by `file` when one is given.
fn env_with_file(file: Option<Vec<u8>>) -> Env {
    let clock = clock();
    let sb = Arc::new(Sandbox::new(clock.clone()));
    let inner = SandboxTransport::new(sb.clone());
    let client = TpClient::new(Arc::new(FileOverride { inner, file }), clock.clone());
    let icu_sb = Arc::new(IcuSandbox::new(clock.clone()));
    let icu = IcuClient::new(
        Arc::new(IcuSandboxTransport::new(icu_sb)),
        clock,
        IcuConfig::default(),
    );
    let ctx = ToolContext::new(Arc::new(client)).with_icu(Arc::new(icu));
    Env { sb, ctx }
}

impl Env {
    fn call(&self, name: &str, args: Value) -> Result<ToolOutput, ToolError> {
        let tool = tools::platform::find_canonical(name)
            .unwrap_or_else(|| panic!("{name} is not in the catalogue"));
        block_on(tool.tool().call(&self.ctx, args))
    }
    fn ok(&self, name: &str, args: Value) -> ToolOutput {
        self.call(name, args)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }
    /// Creates a completed workout (with device metrics, so it lists a file) and returns its id.
    fn completed_workout(&self, extra: Value) -> i64 {
        let mut body = json!({"athleteId": AID, "workoutDay": "2026-11-19T00:00:00",
            "workoutTypeValueId": 2, "title": "Two-step test", "totalTime": 1200.0 / 3600.0,
            "powerAverage": 250, "heartRateAverage": 147.5, "distance": 9592,
            "startTime": "2026-11-19T07:30:00", "completed": true});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let created = block_on(self.ctx.client.request_json(
            Method::Post,
            Api::Tp,
            &format!("/fitness/v6/athletes/{AID}/workouts"),
            Some(&body),
        ))
        .unwrap();
        created["workoutId"].as_i64().unwrap()
    }
}

/// Ten minutes at 200 W and 140 bpm, then ten at 300 W and 155 bpm; 8 m/s, 90 rpm; two laps.
fn two_step_file() -> Vec<u8> {
    two_step_file_on(Device {
        manufacturer: 255,
        product: 1,
        serial: 42,
        product_name: "Test".into(),
        software_version: 100,
    })
}

/// [`two_step_file`] as recorded on `device`.
fn two_step_file_on(device: Device) -> Vec<u8> {
    let start = Utc.with_ymd_and_hms(2026, 11, 19, 7, 30, 0).unwrap();
    let samples = (0..1200)
        .map(|i| {
            let second = i >= 600;
            Sample {
                time: start + Duration::seconds(i),
                power_w: Some(if second { 300.0 } else { 200.0 }),
                heart_rate_bpm: Some(if second { 155.0 } else { 140.0 }),
                cadence_rpm: Some(90.0),
                speed_mps: Some(8.0),
                distance_m: Some(8.0 * i as f64),
                ..Sample::default()
            }
        })
        .collect();
    encode(&ActivityFile {
        sport: Sport::Cycling,
        sub_sport: 6,
        samples,
        laps: vec![(0, 600), (600, 1200)],
        device,
        threshold_power_w: Some(240),
    })
}

fn close(got: &Value, want: f64, tol: f64, what: &str) {
    let g = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {got}"));
    assert!((g - want).abs() <= tol, "{what}: {g} vs {want}");
}

#[test]
fn activity_analysis_figures_match_hand_computed_values() {
    let env = env_with_file(Some(two_step_file()));
    let wid = env.completed_workout(json!({"totalTimePlanned": 0.5, "tssPlanned": 40}));
    let out = env.ok(
        "get_activity_analysis",
        json!({"workout_id": wid, "ftp_w": 250, "lthr_bpm": 160, "cp_w": 250, "w_prime_j": 20000}),
    );
    let s = &out.structured;
    assert_eq!(s["source"], json!("device_file"));
    let m = &s["metrics"];
    // Normalized Power by hand (§2.1): 1171 full 30 s windows; 571 wholly at 200 W, 571 wholly
    // at 300 W, and 29 straddling the step whose mean is 200 + 100·k/30 for k = 1..29.
    let straddling: f64 = (1..30)
        .map(|k| (200.0 + 100.0 * k as f64 / 30.0).powi(4))
        .sum();
    let np = ((571.0 * 200f64.powi(4) + 571.0 * 300f64.powi(4) + straddling) / 1171.0).powf(0.25);
    close(&m["np_w"], np, 0.05, "NP");
    close(&m["avg_power_w"], 250.0, 1e-9, "average power");
    close(&m["max_power_w"], 300.0, 1e-9, "max power");
    close(&m["intensity_factor"], np / 250.0, 0.005, "IF");
    // TSS = 100 · (1200/3600) · IF².
    close(&m["tss"], 100.0 / 3.0 * (np / 250.0).powi(2), 0.05, "TSS");
    close(&m["vi"], np / 250.0, 0.005, "VI");
    close(&m["work_kj"], 300.0, 1e-9, "work");
    close(&m["avg_heart_rate_bpm"], 147.5, 1e-9, "average HR");
    close(&m["ef"], np / 147.5, 0.005, "EF");
    // Decoupling: (200/140 − 300/155) / (200/140) · 100 = −35.48 %.
    close(
        &m["decoupling_pct"],
        100.0 * (200.0 / 140.0 - 300.0 / 155.0) / (200.0 / 140.0),
        0.05,
        "decoupling",
    );
    // W′ balance: full at 200 W (below CP), then 600 s × 50 W drains 30 kJ from 20 kJ.
    close(&m["w_bal_min_j"], -10_000.0, 0.5, "W′bal minimum");
    // 200 W = 80 % FTP → Z3; 300 W = 120 % → Z6 (lower bound inclusive).
    assert_eq!(
        m["time_in_power_zones_s"],
        json!([0.0, 0.0, 600.0, 0.0, 0.0, 600.0, 0.0])
    );
    // 140/160 = 87.5 % → Z3; 155/160 = 96.9 % → Z4.
    assert_eq!(
        m["time_in_hr_zones_s"],
        json!([0.0, 0.0, 600.0, 600.0, 0.0])
    );
    assert_eq!(m["polarisation"]["percent"], json!([0.0, 50.0, 50.0]));
    assert_eq!(m["polarisation"]["polarization_index"], Value::Null);
    close(&m["distance_m"], 9592.0, 0.5, "distance");
    close(&m["duration_s"], 1200.0, 1e-9, "duration");
    let mm = m["mean_max_power_w"].as_array().unwrap();
    let at = |d: u64| mm.iter().find(|p| p["duration_s"] == json!(d)).cloned();
    assert_eq!(at(1).unwrap()["value"], json!(300.0));
    assert_eq!(at(600).unwrap()["value"], json!(300.0));
    assert_eq!(at(600).unwrap()["start_s"], json!(600));
    assert_eq!(at(1200).unwrap()["value"], json!(250.0));
    assert!(at(1800).is_none(), "no point longer than the ride");
    // Laps measured from the file.
    assert_eq!(s["laps_total"], json!(2));
    assert_eq!(s["laps"][1]["start_s"], json!(600));
    assert_eq!(s["laps"][1]["avg_power_w"], json!(300.0));
    assert_eq!(s["laps"][0]["np_w"], json!(200.0));
    // Planned against done: 30 min planned, 20 min done; TSS ours against 40.
    assert_eq!(s["planned"]["duration_s"]["planned"], json!(1800.0));
    assert_eq!(s["planned"]["duration_s"]["percent_of_plan"], json!(67.0));
    close(
        &s["planned"]["tss"]["actual"],
        100.0 / 3.0 * (np / 250.0).powi(2),
        0.05,
        "planned TSS actual",
    );
    assert!(
        out.text.contains("Power zones: Z1 0:00:00 (0 %)"),
        "{}",
        out.text
    );
    assert!(
        out.text
            .contains("Plan: duration 0:20:00 of 0:30:00 (67 %)"),
        "{}",
        out.text
    );
    assert!(out.text.contains("W′bal min -10000 J"), "{}", out.text);
}

#[test]
fn activity_analysis_thresholds_come_from_settings_and_requests_are_four() {
    let env = env_with_file(Some(two_step_file()));
    let wid = env.completed_workout(json!({}));
    env.sb.clear_requests();
    let out = env.ok("get_activity_analysis", json!({"workout_id": wid}));
    let t = &out.structured["thresholds"];
    // The sample athlete's power set (type 0) and bike HR set (type 2).
    assert!(t["ftp_w"].as_f64().unwrap() > 0.0);
    assert!(t["lthr_bpm"].as_f64().unwrap() > 0.0);
    assert_eq!(t["w_prime_j"], json!(20000.0));
    let sources: Vec<String> = serde_json::from_value(t["sources"].clone()).unwrap();
    assert!(sources[0].ends_with("(athlete settings)"), "{sources:?}");
    assert!(sources.contains(&"W′ 20000 J (assumed)".to_string()));
    // The user (for the default athlete id), then workout, details, settings; the file (the
    // fourth data request) is served outside the sandbox's log.
    let paths: Vec<String> = env.sb.requests().into_iter().map(|r| r.path).collect();
    let w = format!("/fitness/v6/athletes/{AID}/workouts/{wid}");
    assert_eq!(
        paths,
        [
            "/users/v3/user".to_string(),
            w.clone(),
            format!("{w}/details"),
            format!("/fitness/v1/athletes/{AID}/settings")
        ]
    );
}

#[test]
#[allow(clippy::print_stderr)] // the size figure is reported
fn activity_analysis_of_sandbox_files_agrees_with_their_records() {
    let env = env_with_file(None);
    let list = block_on(env.ctx.client.get_json(
        Api::Tp,
        &format!("/fitness/v6/athletes/{AID}/workouts/2026-10-24/2026-11-20"),
    ))
    .unwrap();
    let mut rides = 0;
    for w in list.as_array().unwrap() {
        if w["completed"] != json!(true) || !w["heartRateAverage"].is_number() {
            continue;
        }
        let wid = w["workoutId"].as_i64().unwrap();
        let out = env.ok("get_activity_analysis", json!({"workout_id": wid}));
        let m = &out.structured["metrics"];
        assert_eq!(out.structured["source"], json!("device_file"));
        close(
            &m["avg_heart_rate_bpm"],
            w["heartRateAverage"].as_f64().unwrap(),
            2.0,
            "average HR",
        );
        if let Some(p) = w["powerAverage"].as_f64() {
            close(&m["avg_power_w"], p, p * 0.02, "average power");
            assert!(m["np_w"].as_f64().unwrap() >= m["avg_power_w"].as_f64().unwrap() * 0.98);
            assert!(m["time_in_power_zones_s"].is_array());
            if rides == 0 {
                let bytes = serde_json::to_string(&out.structured).unwrap().len();
                eprintln!(
                    "get_activity_analysis of a {} s ride: {} bytes structured, {} bytes text",
                    m["duration_s"],
                    bytes,
                    out.text.len()
                );
                assert!(bytes < 16_000, "{bytes} bytes");
            }
            rides += 1;
        }
    }
    assert!(rides > 0, "no ride with power analysed");
}

/// A ride recorded on a Garmin (manufacturer garmin, a product id, no product name: what
/// Garmin devices write) names its device in words, in the text and the structured summary; a
/// product id the profile does not know is named by number; a device that writes its own
/// product name (the sandbox's files, maker `development`) is named by it.
#[test]
fn activity_analysis_names_the_recording_device() {
    let garmin = |product: u16| {
        two_step_file_on(Device {
            manufacturer: 1,
            product,
            serial: 3_392_000_001,
            product_name: String::new(),
            software_version: 2675,
        })
    };
    for (file, want) in [
        (garmin(3843), "Garmin Edge 1040"),
        (garmin(3906), "Garmin Fenix 7"),
        (garmin(64_999), "Garmin product 64999"),
    ] {
        let env = env_with_file(Some(file));
        let wid = env.completed_workout(json!({}));
        let out = env.ok("get_activity_analysis", json!({"workout_id": wid}));
        assert_eq!(out.structured["device"]["device"], json!(want));
        assert!(
            out.text.contains(&format!("Recorded on {want}.")),
            "{}",
            out.text
        );
    }
    let env = env_with_file(None);
    let wid = env.completed_workout(json!({}));
    let out = env.ok("get_activity_analysis", json!({"workout_id": wid}));
    assert_eq!(
        out.structured["device"]["device"],
        json!("Paceline Sandbox")
    );
    assert!(
        out.text.contains("Recorded on Paceline Sandbox."),
        "{}",
        out.text
    );
}

#[test]
fn activity_analysis_of_a_manual_entry_says_it_has_only_the_record() {
    let env = env_with_file(None);
    let wid = env.completed_workout(json!({"heartRateAverage": null, "tssActual": 33}));
    let out = env.ok("get_activity_analysis", json!({"workout_id": wid}));
    assert_eq!(out.structured["source"], json!("record_only"));
    assert_eq!(out.structured["metrics"], Value::Null);
    assert_eq!(out.structured["device"]["avg_power_w"], json!(250.0));
    assert!(out.text.contains("no device file"), "{}", out.text);
    assert!(
        out.text.contains("Workout record: duration 0:20:00"),
        "{}",
        out.text
    );
}

#[test]
fn activity_analysis_bad_input_names_the_field() {
    let env = env_with_file(None);
    let planned = env.completed_workout(json!({"completed": false, "totalTime": null,
        "heartRateAverage": null, "powerAverage": null, "distance": null}));
    let cases = [
        (
            "get_activity_analysis",
            json!({"workout_id": 0}),
            "workout_id",
        ),
        (
            "get_activity_analysis",
            json!({"workout_id": 5, "ftp_w": 5}),
            "ftp_w",
        ),
        (
            "get_activity_analysis",
            json!({"workout_id": 5, "w_prime_j": -1}),
            "w_prime_j",
        ),
        (
            "get_activity_analysis",
            json!({"workout_id": planned}),
            "workout_id",
        ),
    ];
    for (tool, args, field) in cases {
        match env.call(tool, args.clone()) {
            Err(ToolError::InvalidArgs { field: f, message }) => {
                assert_eq!(f, field, "{args}: {message}")
            }
            other => panic!("{args}: expected InvalidArgs on {field}, got {other:?}"),
        }
    }
}

/// An Intervals.icu activity with power, from the emulator's list.
fn icu_ride(env: &Env) -> Value {
    let out = env.ok(
        "icu_get_activities",
        json!({"start_date": "2026-10-24", "end_date": "2026-11-20", "limit": 50}),
    );
    out.structured["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["average_watts"].is_number() || a["icu_average_watts"].is_number())
        .cloned()
        .unwrap_or_else(|| panic!("no ride with power: {}", out.structured))
}

#[test]
#[allow(clippy::print_stderr)] // the size figure is reported
fn icu_activity_analysis_agrees_with_the_activity_record() {
    let env = env_with_file(None);
    let ride = icu_ride(&env);
    let id = ride["id"].as_str().unwrap();
    let out = env.ok("icu_get_activity_analysis", json!({"activity_id": id}));
    let s = &out.structured;
    assert_eq!(s["source"], json!("platform_streams"));
    let p = s["platform"]["avg_power_w"].as_f64().unwrap();
    close(&s["metrics"]["avg_power_w"], p, p * 0.03, "average power");
    assert_eq!(s["thresholds"]["ftp_w"], s["platform"]["ftp_w"]);
    assert!(s["intervals_total"].as_u64().unwrap() > 0);
    assert!(s["metrics"]["time_in_power_zones_s"].is_array());
    let bytes = serde_json::to_string(s).unwrap().len();
    eprintln!(
        "icu_get_activity_analysis: {bytes} bytes structured, {} bytes text",
        out.text.len()
    );
    assert!(bytes < 16_000, "{bytes}");
    match env.call(
        "icu_get_activity_analysis",
        json!({"activity_id": id, "lthr_bpm": 20}),
    ) {
        Err(ToolError::InvalidArgs { field, .. }) => assert_eq!(field, "lthr_bpm"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn activity_range_of_the_second_step_is_that_step() {
    let env = env_with_file(Some(two_step_file()));
    let wid = env.completed_workout(json!({}));
    let args = json!({"workout_id": wid, "start_s": 600, "end_s": 5000, "ftp_w": 250,
        "lthr_bpm": 160, "w_prime_j": 20000});
    let out = env.ok("analyze_activity_range", args);
    let m = &out.structured["metrics"];
    // Clipped to the recording; a steady 300 W: NP = average (Coggan's first full window).
    assert_eq!(
        (m["start_s"].clone(), m["end_s"].clone()),
        (json!(600), json!(1199))
    );
    close(&m["avg_power_w"], 300.0, 1e-9, "average");
    close(&m["np_w"], 300.0, 1e-9, "NP");
    close(&m["intensity_factor"], 1.2, 1e-9, "IF");
    // TSS = 100 · (600/3600) · 1.2² = 24.
    close(&m["tss"], 24.0, 1e-9, "TSS");
    close(&m["work_kj"], 180.0, 1e-9, "work");
    close(&m["decoupling_pct"], 0.0, 1e-9, "steady: no decoupling");
    // W′ starts full at the range: 600 s × 50 W = 30 kJ drained from 20 kJ.
    close(&m["w_bal_min_j"], -10_000.0, 0.5, "W′bal");
    assert_eq!(m["time_in_hr_zones_s"], json!([0.0, 0.0, 0.0, 600.0, 0.0]));
    assert!(out.text.contains("range 0:10:00–0:19:59"), "{}", out.text);

    let cases = [
        (
            json!({"workout_id": wid, "start_s": 60, "end_s": 60}),
            "end_s",
        ),
        (
            json!({"workout_id": wid, "start_s": 1200, "end_s": 1300}),
            "start_s",
        ),
        (json!({"workout_id": wid, "end_s": 60}), "start_s"),
        (
            json!({"workout_id": wid, "start_s": 0, "end_s": 60, "cp_w": 0}),
            "cp_w",
        ),
    ];
    for (args, field) in cases {
        match env.call("analyze_activity_range", args.clone()) {
            Err(ToolError::InvalidArgs { field: f, message }) => {
                assert_eq!(f, field, "{args}: {message}")
            }
            other => panic!("{args}: expected InvalidArgs on {field}, got {other:?}"),
        }
    }
}

#[test]
#[allow(clippy::print_stderr)] // the size figures are reported
fn activity_streams_summarise_the_file_within_16_kb_and_say_how_to_get_more() {
    let env = env_with_file(Some(two_step_file()));
    let wid = env.completed_workout(json!({}));
    let out = env.ok(
        "get_activity_streams",
        json!({"workout_id": wid, "points": 4}),
    );
    let s = &out.structured;
    assert_eq!(s["total_seconds"], json!(1200));
    let power = s["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["type"] == json!("power_w"))
        .unwrap();
    // Four buckets of 300 s: two at 200 W, two at 300 W.
    assert_eq!(power["series"], json!([200.0, 200.0, 300.0, 300.0]));
    assert_eq!(
        (power["min"].clone(), power["avg"].clone()),
        (json!(200.0), json!(250.0))
    );
    let dist = s["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["type"] == json!("distance_m"))
        .unwrap();
    // Distance is cumulative: each bucket's first value.
    assert_eq!(dist["series"], json!([0.0, 2400.0, 4800.0, 7200.0]));
    assert_eq!(s["missing"], json!([]));
    // A window and a channel list.
    let out = env.ok(
        "get_activity_streams",
        json!({"workout_id": wid, "channels": ["heart_rate_bpm", "altitude_m"],
               "start_s": 590, "end_s": 609, "points": 2}),
    );
    let s = &out.structured;
    assert_eq!(s["streams"][0]["series"], json!([140.0, 155.0]));
    assert_eq!(s["missing"], json!(["altitude_m"]));
    assert!(
        out.text.contains("Not recorded: altitude_m."),
        "{}",
        out.text
    );

    // A sandbox ride of about three hours with the defaults, and with 2000 points.
    let env = env_with_file(None);
    let list = block_on(env.ctx.client.get_json(
        Api::Tp,
        &format!("/fitness/v6/athletes/{AID}/workouts/2026-10-24/2026-11-20"),
    ))
    .unwrap();
    let longest = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["completed"] == json!(true) && w["powerAverage"].is_number())
        .max_by(|a, b| {
            a["totalTime"]
                .as_f64()
                .partial_cmp(&b["totalTime"].as_f64())
                .unwrap()
        })
        .unwrap()["workoutId"]
        .as_i64()
        .unwrap();
    let out = env.ok("get_activity_streams", json!({"workout_id": longest}));
    let bytes = serde_json::to_string(&out.structured).unwrap().len();
    let tokens = out.structured["approx_tokens"].as_u64().unwrap() as usize;
    eprintln!(
        "get_activity_streams default: {} s, {bytes} bytes structured (~{tokens} tokens), {} bytes text",
        out.structured["total_seconds"],
        out.text.len()
    );
    assert!(bytes < 16_000 && out.text.len() < 16_000, "{bytes}");
    assert!(tokens.abs_diff(bytes / 4) <= 5, "{tokens} vs {bytes}");
    assert!(
        out.text.contains("For more detail: points=N"),
        "{}",
        out.text
    );
    let big = env.ok(
        "get_activity_streams",
        json!({"workout_id": longest, "points": 2000}),
    );
    eprintln!(
        "get_activity_streams points=2000: {} bytes structured",
        serde_json::to_string(&big.structured).unwrap().len()
    );
    for (args, field) in [
        (json!({"workout_id": longest, "points": 1}), "points"),
        (json!({"workout_id": longest, "channels": []}), "channels"),
        (
            json!({"workout_id": longest, "channels": ["watts"]}),
            "channels[0]",
        ),
        (
            json!({"workout_id": longest, "start_s": 9, "end_s": 3}),
            "end_s",
        ),
        (json!({"workout_id": longest, "start_s": 999999}), "start_s"),
    ] {
        match env.call("get_activity_streams", args.clone()) {
            Err(ToolError::InvalidArgs { field: f, message }) => {
                assert_eq!(f, field, "{args}: {message}")
            }
            other => panic!("{args}: expected InvalidArgs on {field}, got {other:?}"),
        }
    }
}

#[test]
fn icu_activity_range_measures_a_part() {
    let env = env_with_file(None);
    let ride = icu_ride(&env);
    let id = ride["id"].as_str().unwrap();
    let whole = env.ok("icu_get_activity_analysis", json!({"activity_id": id}));
    let first_iv = &whole.structured["intervals"][0];
    let (s, d) = (
        first_iv["start_s"].as_u64().unwrap(),
        first_iv["duration_s"].as_f64().unwrap() as u64,
    );
    let out = env.ok(
        "icu_analyze_activity_range",
        json!({"activity_id": id, "start_s": s, "end_s": s + d - 1}),
    );
    let m = &out.structured["metrics"];
    assert_eq!(m["duration_s"], json!(d as f64));
    assert_eq!(m["avg_power_w"], first_iv["avg_power_w"]);
    match env.call(
        "icu_analyze_activity_range",
        json!({"activity_id": id, "start_s": 10, "end_s": 5}),
    ) {
        Err(ToolError::InvalidArgs { field, .. }) => assert_eq!(field, "end_s"),
        other => panic!("{other:?}"),
    }
}

#[test]
#[allow(clippy::print_stderr)] // the size figure is reported
fn power_curve_points_trace_to_the_window_they_came_from() {
    let env = env_with_file(None);
    env.sb.clear_requests();
    let out = env.ok(
        "get_power_curve",
        json!({"start_date": "2026-10-01", "end_date": "2026-11-20", "max_workouts": 4}),
    );
    let s = &out.structured;
    assert_eq!(s["workouts_used"], json!(4));
    assert!(s["workouts_in_range"].as_u64().unwrap() > 4);
    assert_eq!(
        s["workouts_not_read"].as_u64().unwrap(),
        s["workouts_in_range"].as_u64().unwrap() - 4
    );
    // The budget: one list window, then details + file per workout (plus the session's token
    // exchange and user lookup, once per client).
    let paths: Vec<String> = env
        .sb
        .requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| !p.starts_with("/users/"))
        .collect();
    assert_eq!(paths.len(), 1 + 2 * 4, "{paths:#?}");
    let points = s["points"].as_array().unwrap();
    assert!(points.len() >= 10, "{points:?}");
    let mut last_energy = 0.0;
    for p in points {
        let d = p["duration_s"].as_u64().unwrap();
        let v = p["value"].as_f64().unwrap();
        // Best energy d·MMP(d) never falls with duration (§2.7: MMP itself need not).
        assert!(d as f64 * v >= last_energy - d as f64, "{p}");
        last_energy = d as f64 * v;
        // The window it names has that average.
        let wid: i64 = p["workout_id"].as_str().unwrap().parse().unwrap();
        let start = p["start_s"].as_u64().unwrap();
        if d >= 30 {
            let r = env.ok(
                "analyze_activity_range",
                json!({"workout_id": wid, "start_s": start, "end_s": start + d - 1, "ftp_w": 250}),
            );
            // Gaps count as zero in mean-max; the range average skips them, so it can only
            // be higher.
            let avg = r.structured["metrics"]["avg_power_w"].as_f64().unwrap();
            assert!(avg + 0.5 >= v, "{d} s: range {avg} vs curve {v}");
            assert!(
                (avg - v).abs() / v < 0.05,
                "{d} s: range {avg} vs curve {v}"
            );
        }
    }
    let m = &s["model"];
    let cp = m["cp_w"].as_f64().unwrap();
    assert!((100.0..400.0).contains(&cp), "CP {cp}");
    assert!(m["w_prime_j"].as_f64().unwrap() > 0.0);
    assert!(out.text.contains("Model: CP"), "{}", out.text);
    let bytes = serde_json::to_string(s).unwrap().len();
    eprintln!(
        "get_power_curve (4 workouts): {bytes} bytes structured, {} bytes text",
        out.text.len()
    );
    assert!(bytes < 16_000);

    // Speed for runs gives paces; bad input names the field.
    let out = env.ok(
        "get_power_curve",
        json!({"start_date": "2026-11-01", "end_date": "2026-11-20", "channel": "speed", "max_workouts": 2}),
    );
    assert_eq!(out.structured["sport"], json!("Run"));
    assert!(
        out.structured["points"][0]["pace_per_km"].is_string(),
        "{}",
        out.structured
    );
    assert_eq!(out.structured["model"], Value::Null);
    for (args, field) in [
        (
            json!({"start_date": "2026-11-20", "end_date": "2026-11-01"}),
            "end_date",
        ),
        (
            json!({"start_date": "2025-01-01", "end_date": "2026-11-01"}),
            "end_date",
        ),
        (
            json!({"start_date": "2026-11-01", "end_date": "2026-11-20", "max_workouts": 41}),
            "max_workouts",
        ),
        (
            json!({"start_date": "2026-11-01", "end_date": "2026-11-20", "channel": "cadence"}),
            "channel",
        ),
    ] {
        match env.call("get_power_curve", args.clone()) {
            Err(ToolError::InvalidArgs { field: f, message }) => {
                assert_eq!(f, field, "{args}: {message}")
            }
            other => panic!("{args}: expected InvalidArgs on {field}, got {other:?}"),
        }
    }
}

#[test]
fn power_curve_of_known_files_is_their_curve() {
    // Every workout's file is the two-step ride: 300 W for 1 s–10 min, 250 W over 20 min.
    let env = env_with_file(Some(two_step_file()));
    let out = env.ok(
        "get_power_curve",
        json!({"start_date": "2026-11-14", "end_date": "2026-11-20", "max_workouts": 3}),
    );
    let at = |d: u64| {
        out.structured["points"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["duration_s"] == json!(d))
            .cloned()
            .unwrap_or_else(|| panic!("no {d} s point"))
    };
    assert_eq!(at(1)["value"], json!(300.0));
    assert_eq!(at(600)["value"], json!(300.0));
    assert_eq!(at(600)["start_s"], json!(600));
    assert_eq!(at(1200)["value"], json!(250.0));
    // 15 min: (300·600 + 200·300)/900 = 266.67 W, not a reported duration; 5 min is.
    assert_eq!(at(300)["value"], json!(300.0));
    assert!(
        out.structured["points"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["duration_s"].as_u64().unwrap() <= 1200)
    );
    // Ties keep the first workout read: the newest.
    let newest = &at(1)["date"];
    assert!(
        out.structured["points"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| &p["date"] == newest)
    );
}

#[test]
fn training_distribution_of_known_files_adds_their_zone_time() {
    // Every file is the two-step ride: 600 s at 200 W and 600 s at 300 W; sample FTP from the
    // settings decides the zones, so check the sums and the split by sport instead.
    let env = env_with_file(Some(two_step_file()));
    let out = env.ok(
        "get_training_distribution",
        json!({"start_date": "2026-11-14", "end_date": "2026-11-20", "max_workouts": 3}),
    );
    let s = &out.structured;
    let sports = s["sports"].as_array().unwrap();
    let counted: u64 = sports.iter().map(|x| x["workouts"].as_u64().unwrap()).sum();
    assert_eq!(counted, 3);
    for x in sports {
        let n = x["workouts"].as_f64().unwrap();
        let p: f64 = x["power_zones_s"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert_eq!(p, 1200.0 * n, "{x}");
        let h: f64 = x["hr_zones_s"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert_eq!(h, 1200.0 * n, "{x}");
        let pct = x["polarisation"]["percent"].as_array().unwrap();
        let total: f64 = pct.iter().map(|v| v.as_f64().unwrap()).sum();
        assert!((total - 100.0).abs() < 0.2, "{x}");
    }
    // By hand, with the sample athlete's FTP 265 W (one power set for every sport): 200 W is
    // 75.5 % → Z3 and 300 W 113 % → Z5; so 50 % mid, 50 % high.
    for x in sports {
        let n = x["workouts"].as_f64().unwrap();
        assert_eq!(
            x["power_zones_s"],
            json!([0.0, 0.0, 600.0 * n, 0.0, 600.0 * n, 0.0, 0.0]),
            "{x}"
        );
        assert_eq!(
            x["polarisation"]["percent"],
            json!([0.0, 50.0, 50.0]),
            "{x}"
        );
        // Bike threshold HR 165: 140 bpm = 84.8 % and 155 = 93.9 %, both Z3 (83–94 %).
        if x["sport"] == json!("Bike") {
            assert_eq!(
                x["hr_zones_s"],
                json!([0.0, 0.0, 1200.0 * n, 0.0, 0.0]),
                "{x}"
            );
        }
    }
    assert!(
        sports.iter().any(|x| x["sport"] == json!("Bike")),
        "{sports:?}"
    );
    assert!(out.text.contains("Seiler (power)"), "{}", out.text);
    match env.call(
        "get_training_distribution",
        json!({"start_date": "2026-11-14", "end_date": "2026-11-20", "max_workouts": 0}),
    ) {
        Err(ToolError::InvalidArgs { field, .. }) => assert_eq!(field, "max_workouts"),
        other => panic!("{other:?}"),
    }
}
