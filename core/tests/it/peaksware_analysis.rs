//! Peaksware's workout analysis (`workout-analysis/v2/analyze/{summary,charts,laps}`) and the
//! run / swim / heart-rate load, through the client and `Tool::call` against the sandbox: the
//! exact request, the endpoints' figures against our own analysis of the same generated device
//! file, laps taken from the endpoint when the file has none, a manual entry, and rTSS, sTSS
//! and hrTSS on the sandbox's runs, swims and other sessions.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::fit::Sample;
use paceline_core::fit::encode::{ActivityFile, Device, Sport, encode};
use paceline_core::http::{
    BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError,
};
use paceline_core::sandbox::{SAMPLE_ATHLETE_ID, Sandbox, SandboxTransport};
use paceline_core::tools::{self, ToolContext, ToolOutput};
use paceline_core::trainingpeaks::{Api, TpClient};
use serde_json::{Value, json};

const AID: i64 = SAMPLE_ATHLETE_ID;
const RANGE: &str = "2026-10-24/2026-11-20";

/// The sandbox, with `rawfiledata` and/or the laps endpoint answered by fixed bytes when given
/// (the far end replaced for those requests only).
struct Override {
    inner: SandboxTransport,
    file: Option<Vec<u8>>,
    laps: Option<Value>,
}

impl Transport for Override {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        if let Some(bytes) = self
            .file
            .as_ref()
            .filter(|_| request.url.contains("/rawfiledata/"))
        {
            let resp = HttpResponse::new(200, bytes.clone());
            return Box::pin(async move { Ok(resp) });
        }
        if let Some(laps) = self
            .laps
            .as_ref()
            .filter(|_| request.url.ends_with("/analyze/laps"))
        {
            let resp = HttpResponse::json(200, laps);
            return Box::pin(async move { Ok(resp) });
        }
        self.inner.send(request)
    }
}

struct Env {
    sb: Arc<Sandbox>,
    ctx: ToolContext,
}

fn env(file: Option<Vec<u8>>, laps: Option<Value>) -> Env {
    let clock = Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ));
    let sb = Arc::new(Sandbox::new(clock.clone()));
    let inner = SandboxTransport::new(sb.clone());
    let client = TpClient::new(Arc::new(Override { inner, file, laps }), clock);
    Env {
        sb,
        ctx: ToolContext::new(Arc::new(client)),
    }
}

impl Env {
    fn ok(&self, name: &str, args: Value) -> ToolOutput {
        let tool = tools::platform::find_canonical(name).unwrap();
        block_on(tool.tool().call(&self.ctx, args)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// The sandbox's completed workouts with a device file in [`RANGE`].
    fn with_files(&self) -> Vec<Value> {
        let list = block_on(self.ctx.client.get_json(
            Api::Tp,
            &format!("/fitness/v6/athletes/{AID}/workouts/{RANGE}"),
        ))
        .unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .filter(|w| w["completed"] == json!(true) && w["heartRateAverage"].is_number())
            .cloned()
            .collect()
    }
}

fn num(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {v}"))
}

#[test]
fn the_request_is_a_post_of_the_workout_id_to_the_peaksware_host() {
    let e = env(None, None);
    let w = &e.with_files()[0];
    let wid = w["workoutId"].as_i64().unwrap();
    e.sb.clear_requests();
    let s = block_on(e.ctx.client.analysis_summary(wid))
        .unwrap()
        .unwrap();
    assert!(s.values.contains_key("NormalizedPower") || s.values.contains_key("TotalElapsedTime"));
    let r = e.sb.requests();
    let last = r.last().unwrap();
    assert_eq!(last.method, Method::Post);
    assert_eq!(last.host, "api.peakswaresb.com");
    assert_eq!(last.path, "/workout-analysis/v2/analyze/summary");
    assert_eq!(last.body, Some(json!({"workoutId": wid})));
    // An unknown workout: 404, which the client reads as "not analysable".
    assert_eq!(block_on(e.ctx.client.analysis_laps(1)).unwrap(), None);
    assert_eq!(e.sb.requests().last().unwrap().status, 404);
}

/// Tolerance of the comparison: both sides analyse the same generated file with the same
/// thresholds, so they may differ only by rounding to 0.1 (W, TSS), 0.01 (IF) and 1 s.
const TOL_W: f64 = 0.11;
const TOL_TSS: f64 = 0.11;
const TOL_IF: f64 = 0.011;
const TOL_S: f64 = 1.0;

#[test]
#[allow(clippy::print_stderr)] // the figures compared are reported
fn the_endpoints_agree_with_our_analysis_of_the_same_file() {
    let e = env(None, None);
    let mut rides = 0;
    let mut compared = 0;
    for w in e.with_files() {
        let wid = w["workoutId"].as_i64().unwrap();
        let out = e.ok(
            "get_activity_analysis",
            json!({"workout_id": wid, "compare_trainingpeaks": true}),
        );
        let s = &out.structured;
        let m = &s["metrics"];
        let tp = &s["trainingpeaks_analysis"];
        assert!(tp.is_object(), "{wid}: {}", s["notes"]);
        let near = |theirs: &Value, ours: &Value, tol: f64, what: &str| {
            if theirs.is_null() {
                assert!(ours.is_null(), "{wid} {what}: ours {ours}, theirs none");
                return;
            }
            let (t, o) = (num(theirs, what), num(ours, what));
            assert!((t - o).abs() <= tol, "{wid} {what}: theirs {t}, ours {o}");
        };
        near(&tp["duration_s"], &m["duration_s"], TOL_S, "duration");
        near(
            &tp["avg_power_w"],
            &m["avg_power_w"],
            TOL_W,
            "average power",
        );
        near(&tp["np_w"], &m["np_w"], TOL_W, "NP");
        near(&tp["tss"], &m["tss"], TOL_TSS, "TSS");
        near(
            &tp["intensity_factor"],
            &m["intensity_factor"],
            TOL_IF,
            "IF",
        );
        near(
            &tp["avg_heart_rate_bpm"],
            &m["avg_heart_rate_bpm"],
            TOL_W,
            "average HR",
        );
        if !tp["np_w"].is_null() {
            rides += 1;
        }
        // Laps: the endpoint's against the file's, one for one.
        let laps = block_on(e.ctx.client.analysis_laps(wid)).unwrap().unwrap();
        let ours = s["laps"].as_array().unwrap();
        assert_eq!(
            laps.laps.len(),
            num(&s["laps_total"], "laps") as usize,
            "{wid}"
        );
        assert_eq!(s["laps_source"], json!("device_file"));
        for (theirs, mine) in laps.laps.iter().zip(ours) {
            let d = theirs.number("Duration").unwrap();
            assert!(
                (d - num(&mine["duration_s"], "lap")).abs() <= TOL_S,
                "{wid}"
            );
            if let Some(p) = theirs.number("AveragePower") {
                assert!(
                    (p - num(&mine["avg_power_w"], "lap power")).abs() <= TOL_W,
                    "{wid}"
                );
            }
        }
        // Charts: the per-second power is the file's.
        let charts = block_on(e.ctx.client.analysis_charts(wid))
            .unwrap()
            .unwrap();
        assert_eq!(
            charts.rows.len() as f64,
            num(&m["duration_s"], "duration"),
            "{wid}"
        );
        if let Some(avg) = m["avg_power_w"].as_f64() {
            let p: Vec<f64> = charts.series("Power").into_iter().flatten().collect();
            let mean = p.iter().sum::<f64>() / p.len() as f64;
            assert!(
                (mean - avg).abs() <= TOL_W,
                "{wid}: charts {mean}, ours {avg}"
            );
        }
        if compared == 0 {
            eprintln!(
                "workout {wid}: TrainingPeaks' analysis {tp}, ours NP {} TSS {}",
                m["np_w"], m["tss"]
            );
        }
        compared += 1;
    }
    assert!(
        rides > 0 && compared > rides,
        "rides {rides}, workouts {compared}"
    );
}

/// Twenty minutes at 250 W, no laps in the file.
fn lapless_file() -> Vec<u8> {
    let start = Utc.with_ymd_and_hms(2026, 11, 19, 7, 30, 0).unwrap();
    let samples = (0..1200)
        .map(|i| Sample {
            time: start + Duration::seconds(i),
            power_w: Some(if i < 600 { 200.0 } else { 300.0 }),
            heart_rate_bpm: Some(140.0),
            ..Sample::default()
        })
        .collect();
    encode(&ActivityFile {
        sport: Sport::Cycling,
        sub_sport: 6,
        samples,
        laps: Vec::new(),
        device: Device {
            manufacturer: 255,
            product: 1,
            serial: 42,
            product_name: "Test".into(),
            software_version: 100,
        },
        threshold_power_w: None,
    })
}

#[test]
fn laps_come_from_trainingpeaks_when_the_file_has_none() {
    // The laps fixture drifts as the live service may: a duration as a string, a step index as
    // a string, an unknown column, a null.
    let laps = json!({"columnMetadata": {}, "data": [
        {"Name": "Warm-up", "WorkoutStepIndex": "0", "Duration": "600", "Intensity": null,
         "Shiny": 1},
        {"Name": 2, "WorkoutStepIndex": 1, "Duration": 600, "AveragePower": 999}
    ]});
    let e = env(Some(lapless_file()), Some(laps));
    let wid = e.with_files()[0]["workoutId"].as_i64().unwrap();
    let out = e.ok("get_activity_analysis", json!({"workout_id": wid}));
    let s = &out.structured;
    assert_eq!(s["laps_source"], json!("trainingpeaks_analysis"));
    assert_eq!(s["laps_total"], json!(2));
    let l = s["laps"].as_array().unwrap();
    assert_eq!(
        (&l[0]["label"], &l[1]["label"]),
        (&json!("Warm-up"), &json!("2"))
    );
    assert_eq!(
        (&l[1]["start_s"], &l[1]["duration_s"]),
        (&json!(600), &json!(600.0))
    );
    // Measured from the file where it has the channel, not the endpoint's 999 W.
    assert_eq!(
        (&l[0]["avg_power_w"], &l[1]["avg_power_w"]),
        (&json!(200.0), &json!(300.0))
    );
    assert!(
        out.text.contains("TrainingPeaks' own lap analysis"),
        "{}",
        out.text
    );
}

#[test]
fn a_manual_entry_asks_for_laps_and_says_trainingpeaks_cannot_analyse_it() {
    let e = env(None, None);
    let created = block_on(e.ctx.client.request_json(
        Method::Post,
        Api::Tp,
        &format!("/fitness/v6/athletes/{AID}/workouts"),
        Some(
            &json!({"athleteId": AID, "workoutDay": "2026-11-19T00:00:00",
            "workoutTypeValueId": 3, "title": "Treadmill, no watch", "totalTime": 0.5,
            "distance": 6000, "completed": true}),
        ),
    ))
    .unwrap();
    let wid = created["workoutId"].as_i64().unwrap();
    e.sb.clear_requests();
    let out = e.ok(
        "get_activity_analysis",
        json!({"workout_id": wid, "compare_trainingpeaks": true}),
    );
    assert_eq!(out.structured["source"], json!("record_only"));
    assert_eq!(out.structured["laps_source"], json!("none"));
    assert_eq!(out.structured["trainingpeaks_analysis"], Value::Null);
    assert!(
        out.text.contains("TrainingPeaks has no analysis"),
        "{}",
        out.text
    );
    let peaksware: Vec<(String, u16)> =
        e.sb.requests()
            .into_iter()
            .filter(|r| r.host == "api.peakswaresb.com")
            .map(|r| (r.path, r.status))
            .collect();
    assert_eq!(
        peaksware,
        [
            ("/workout-analysis/v2/analyze/laps".to_string(), 404),
            ("/workout-analysis/v2/analyze/summary".to_string(), 404)
        ]
    );
}

#[test]
#[allow(clippy::print_stderr)] // how many plans were compared is reported
fn sandbox_runs_swims_and_others_get_rtss_stss_and_hrtss() {
    let e = env(None, None);
    let mut seen = std::collections::BTreeSet::new();
    let threshold = 1000.0 / 255.0;
    let mut planned_runs = 0;
    for w in e.with_files() {
        let sport = w["workoutTypeValueId"].as_i64();
        let wid = w["workoutId"].as_i64().unwrap();
        let out = e.ok("get_activity_analysis", json!({"workout_id": wid}));
        let m = &out.structured["metrics"];
        let load = &m["load"];
        let metric = load["metric"]
            .as_str()
            .unwrap_or_else(|| panic!("{wid}: {m}"));
        let score = num(&load["score"], "load");
        assert!(score > 0.0 && score < 500.0, "{wid}: {load}");
        match sport {
            Some(2) => assert_eq!(metric, "TSS", "{wid}"),
            Some(3) => {
                assert_eq!(metric, "rTSS", "{wid}");
                // rTSS = 100 · h · (NGP / threshold)², from the tool's own NGP and duration.
                let ngp = num(&m["ngp_mps"], "NGP");
                let h = num(&m["duration_s"], "duration") / 3600.0;
                let want = 100.0 * h * (ngp / threshold).powi(2);
                assert!((score - want).abs() < 0.2, "{wid}: {score} vs {want}");
                assert!((0.5..1.3).contains(&(ngp / threshold)), "{wid}: NGP {ngp}");
                assert!(load["inputs"].to_string().contains("4:15/km"), "{load}");
                assert!(load["formula"].as_str().unwrap().contains("§2.3"));
                let pz: f64 = m["time_in_pace_zones_s"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| num(v, "zone"))
                    .sum();
                assert!(
                    pz > 0.0 && pz <= num(&m["recorded_s"], "recorded"),
                    "{wid}: {pz}"
                );
                assert_eq!(
                    out.structured["thresholds"]["threshold_speed_mps"],
                    json!(threshold)
                );
                let plan = &out.structured["planned"]["tss"];
                if !plan["planned"].is_null() {
                    assert_eq!(plan["actual"], load["score"], "{wid}: {plan}");
                    planned_runs += 1;
                }
            }
            Some(1) => {
                assert_eq!(metric, "sTSS", "{wid}");
                assert!(load["inputs"].to_string().contains("1:38/100m"), "{load}");
            }
            _ => {
                assert_eq!(metric, "hrTSS", "{wid}");
                assert!(load["formula"].as_str().unwrap().contains("§2.2"));
            }
        }
        // TRIMP wherever there is HR (every sandbox file has it).
        assert!(num(&m["trimp"], "TRIMP") > 0.0, "{wid}");
        assert!(
            out.text.contains(&format!("Load: {metric}")),
            "{}",
            out.text
        );
        seen.insert(metric.to_string());
    }
    for m in ["TSS", "rTSS", "sTSS"] {
        assert!(seen.contains(m), "{m} not seen: {seen:?}");
    }
    eprintln!("runs with a planned TSS compared with their rTSS: {planned_runs}");
}

#[test]
fn range_and_distribution_carry_the_run_load() {
    let e = env(None, None);
    let run = e
        .with_files()
        .into_iter()
        .find(|w| w["workoutTypeValueId"] == json!(3))
        .unwrap();
    let wid = run["workoutId"].as_i64().unwrap();
    let out = e.ok(
        "analyze_activity_range",
        json!({"workout_id": wid, "start_s": 600, "end_s": 1199}),
    );
    let m = &out.structured["metrics"];
    assert_eq!(m["load"]["metric"], json!("rTSS"));
    let zones: f64 = m["time_in_pace_zones_s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| num(v, "zone"))
        .sum();
    assert!(zones <= 600.0 && zones > 0.0, "{zones}");
    let d = e.ok(
        "get_training_distribution",
        json!({"start_date": "2026-11-07", "end_date": "2026-11-20", "max_workouts": 40}),
    );
    let sports = d.structured["sports"].as_array().unwrap();
    let runs = sports.iter().find(|s| s["sport"] == json!("Run")).unwrap();
    assert!(runs["pace_zones_s"].is_array(), "{runs}");
    assert!(num(&runs["load"], "load") > 0.0);
    let n = runs["workouts"].as_u64().unwrap();
    assert_eq!(
        runs["load_metrics"],
        json!([format!("rTSS × {n}")]),
        "{runs}"
    );
    assert!(d.text.contains("pace: Z1"), "{}", d.text);
}

#[test]
fn a_body_without_a_workout_id_is_refused_naming_it() {
    let e = env(None, None);
    let err = block_on(e.ctx.client.request_json_read(
        Method::Post,
        Api::Peaksware,
        "/workout-analysis/v2/analyze/summary",
        Some(&json!({"workoutID": "x"})),
    ))
    .unwrap_err();
    assert!(err.to_string().contains("workoutId"), "{err}");
    // A numeric string is bound, as .NET binds it.
    let wid = e.with_files()[0]["workoutId"].as_i64().unwrap();
    let ok = block_on(e.ctx.client.request_json_read(
        Method::Post,
        Api::Peaksware,
        "/workout-analysis/v2/analyze/laps",
        Some(&json!({"workoutId": wid.to_string()})),
    ))
    .unwrap();
    assert!(ok["data"].as_array().is_some_and(|a| !a.is_empty()), "{ok}");
}
