//! Load without power on Intervals.icu activities, through `Tool::call` against the emulator:
//! a run (rTSS from NGP), a swim (swim TSS) and a heart-rate-only session (hrTSS), each score
//! recomputed here by hand from the formula (spec analytics §2.2–2.4) and the figures the tool
//! reports beside it; then where each threshold came from: the activity's own fields, else the
//! athlete's sport settings, else the arguments, and what could not be scored when all lack it;
//! and the device the text names.

use futures_executor::block_on;
use paceline_core::http::Method;
use paceline_core::tools::{self, ToolError, ToolOutput};
use serde_json::{Value, json};

use crate::sandboxes::{self, Sandboxes};

/// The sample athlete's thresholds as the emulator serves them (seed: threshold pace
/// 4:15/km and 1:38/100 m rounded to the mm/s, LTHR 172, max HR 191, resting HR 47, female).
const RUN_T: f64 = 3.922;
const SWIM_T: f64 = 1.02;
const LTHR: f64 = 172.0;
const HR_MAX: f64 = 191.0;
const HR_REST: f64 = 47.0;
/// Banister's k for a woman (spec §2.2).
const K: f64 = 1.67;

type Env = Sandboxes;

fn env() -> Env {
    sandboxes::both(true)
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
    /// The newest seeded activity of Intervals.icu type `ty`.
    fn newest(&self, ty: &str) -> String {
        self.icu
            .with_state(|st| {
                st.activities
                    .values()
                    .filter(|r| r.json["type"] == json!(ty))
                    .max_by_key(|r| r.json["start_date_local"].as_str().map(str::to_string))
                    .and_then(|r| r.json["id"].as_str().map(str::to_string))
            })
            .unwrap_or_else(|| panic!("the emulator has no {ty} activity"))
    }
    fn analyse(&self, id: &str, extra: Value) -> Value {
        let mut args = json!({"activity_id": id});
        args.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        self.ok("icu_get_activity_analysis", args).structured
    }
    /// Removes `keys` from activity `id` as the emulator serves it.
    fn strip_activity(&self, id: &str, keys: &[&str]) {
        self.icu.with_state(|st| {
            let a = st
                .activities
                .get_mut(id)
                .unwrap()
                .json
                .as_object_mut()
                .unwrap();
            for k in keys {
                a.remove(*k);
            }
        });
    }
    /// Sets `key` of the sport settings covering `ty` to `v`.
    fn set_setting(&self, ty: &str, key: &str, v: Value) {
        self.icu.with_state(|st| {
            let s = st
                .sport_settings
                .values_mut()
                .find(|s| s["types"].as_array().unwrap().contains(&json!(ty)))
                .unwrap();
            s[key] = v;
        });
    }
}

fn num(v: &Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what} is not a number: {v}"))
}

/// The number in the load input line starting `prefix` (`distance 1500 m` → 1500).
fn input(load: &Value, prefix: &str) -> f64 {
    let line = load["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|s| s.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix:?} input: {load}"));
    line[prefix.len()..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"))
}

fn sources(s: &Value) -> Vec<String> {
    s["thresholds"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Banister TRIMP of `minutes` at average `hr` (spec §2.2).
fn trimp(minutes: f64, hr: f64) -> f64 {
    let r = (hr - HR_REST) / (HR_MAX - HR_REST);
    minutes * r * 0.64 * (K * r).exp()
}

/// The text names the recording device as Intervals.icu does, and says nothing of one the
/// activity does not name.
#[test]
fn the_analysis_names_the_recording_device() {
    let env = env();
    let run = env.newest("Run");
    let out = env.ok("icu_get_activity_analysis", json!({"activity_id": run}));
    let first = out.text.lines().next().unwrap_or_default();
    assert!(
        first.ends_with(&format!("({run}). Recorded on Garmin Forerunner 965.")),
        "{first}"
    );
    assert_eq!(
        out.structured["platform"]["device"],
        json!("Garmin Forerunner 965")
    );
    env.strip_activity(&run, &["device_name"]);
    let bare = env.ok("icu_get_activity_analysis", json!({"activity_id": run}));
    assert!(!bare.text.contains("Recorded on"), "{}", bare.text);
}

#[test]
#[allow(clippy::print_stderr)] // the figures are reported
fn a_run_scores_rtss_from_ngp_and_the_activitys_threshold_pace() {
    let env = env();
    let id = env.newest("Run");
    env.icu.clear_requests();
    let s = env.analyse(&id, json!({}));
    // Activity, streams, intervals, and the athlete with their sport settings.
    assert_eq!(env.icu.requests().len(), 4, "{:?}", env.icu.requests());
    let m = &s["metrics"];
    let load = &m["load"];
    assert_eq!(load["metric"], json!("rTSS"), "{s}");
    assert!(load["formula"].as_str().unwrap().contains("§2.3"));
    // rTSS = 100 · hours · (NGP / threshold speed)², hours of elapsed time.
    let ngp = num(&m["ngp_mps"], "NGP");
    let hours = num(&m["duration_s"], "duration") / 3600.0;
    let want = 100.0 * hours * (ngp / RUN_T).powi(2);
    let got = num(&load["score"], "rTSS");
    // NGP is reported to the mm/s: 0.001 / 3.9 of IF is 0.05 % of the score, plus rounding.
    assert!((got - want).abs() <= want * 0.001 + 0.05, "{got} vs {want}");
    assert!(got > 10.0, "{got}");
    assert_eq!(s["thresholds"]["threshold_speed_mps"], json!(RUN_T));
    let src = sources(&s);
    assert!(
        src.contains(&"threshold speed 3.922 m/s = 4:15/km (Intervals.icu activity)".into()),
        "{src:?}"
    );
    assert!(src.contains(&"LTHR 172 bpm (Intervals.icu activity)".into()));
    // TRIMP beside it, from the activity's HR bounds and the athlete's sex.
    let t = trimp(
        num(&m["recorded_s"], "recorded") / 60.0,
        num(&m["avg_heart_rate_bpm"], "avg HR"),
    );
    let got_trimp = num(&m["trimp"], "TRIMP");
    assert!(
        (got_trimp - t).abs() <= t * 0.005 + 0.1,
        "{got_trimp} vs {t}"
    );
    // Pace zones from the Run sport settings on that threshold.
    let zones = m["time_in_pace_zones_s"].as_array().expect("pace zones");
    assert_eq!(zones.len(), 7);
    assert!(s["thresholds"].get("missing").is_none(), "{s}");
    eprintln!(
        "Intervals.icu sandbox run {id}: rTSS {got} (NGP {ngp} m/s, {:.3} h), TRIMP {got_trimp}; \
         Intervals.icu's own load {}",
        hours, s["platform"]["tss"]
    );

    // A range of it scores the same way over the range.
    let r = env
        .ok(
            "icu_analyze_activity_range",
            json!({"activity_id": id, "start_s": 0, "end_s": 1199}),
        )
        .structured;
    assert_eq!(r["metrics"]["load"]["metric"], json!("rTSS"));
    let rn = num(&r["metrics"]["ngp_mps"], "range NGP");
    let rw = 100.0 * (1200.0 / 3600.0) * (rn / RUN_T).powi(2);
    let rg = num(&r["metrics"]["load"]["score"], "range rTSS");
    assert!((rg - rw).abs() <= rw * 0.001 + 0.05, "{rg} vs {rw}");

    // A threshold given as an argument wins: 10 % faster threshold, rTSS / 1.21.
    let given = env.analyse(&id, json!({"threshold_speed_mps": RUN_T * 1.1}));
    let g = num(&given["metrics"]["load"]["score"], "given rTSS");
    assert!((g - got / 1.21).abs() <= 0.1, "{g} vs {}", got / 1.21);
    assert!(
        sources(&given)[..]
            .iter()
            .any(|l| l.ends_with("(given)") && l.starts_with("threshold speed"))
    );
}

#[test]
#[allow(clippy::print_stderr)] // the figures are reported
fn a_swim_scores_swim_tss_on_moving_time() {
    let env = env();
    let id = env.newest("Swim");
    let s = env.analyse(&id, json!({}));
    let m = &s["metrics"];
    let load = &m["load"];
    assert_eq!(load["metric"], json!("sTSS"), "{s}");
    // sTSS = IF³ · hours · 100, IF = (distance / moving time) / threshold swim speed.
    let dist = input(load, "distance ");
    let moving = input(load, "moving ");
    assert_eq!(dist, num(&m["distance_m"], "distance"));
    assert!(
        moving > 0.5 * num(&m["duration_s"], "duration") && moving <= num(&m["duration_s"], "d"),
        "{moving}"
    );
    let i = dist / moving / SWIM_T;
    let want = i.powi(3) * moving / 3600.0 * 100.0;
    let got = num(&load["score"], "sTSS");
    // The distance input is rounded to the metre and the score goes with its cube.
    assert!((got - want).abs() <= want * 0.003 + 0.05, "{got} vs {want}");
    assert!(got > 5.0, "{got}");
    assert!(
        sources(&s)
            .contains(&"threshold speed 1.02 m/s = 1:38/100m (Intervals.icu activity)".into()),
        "{:?}",
        sources(&s)
    );
    eprintln!(
        "Intervals.icu sandbox swim {id}: sTSS {got} ({dist} m in {moving} s moving, IF {:.3})",
        i
    );
}

#[test]
#[allow(clippy::print_stderr)] // the figures are reported
fn a_heart_rate_only_session_scores_hr_tss() {
    let env = env();
    let id = env.newest("WeightTraining");
    let s = env.analyse(&id, json!({}));
    let m = &s["metrics"];
    assert!(
        m["avg_power_w"].is_null() && m["avg_speed_mps"].is_null(),
        "{m}"
    );
    let load = &m["load"];
    assert_eq!(load["metric"], json!("hrTSS"), "{s}");
    // hrTSS = 100 · TRIMP / TRIMP(60 min at LTHR), TRIMP on the average HR.
    let minutes = num(&m["recorded_s"], "recorded") / 60.0;
    let avg = num(&m["avg_heart_rate_bpm"], "avg HR");
    let want = 100.0 * trimp(minutes, avg) / trimp(60.0, LTHR);
    let got = num(&load["score"], "hrTSS");
    // The average is reported to 0.1 bpm.
    assert!((got - want).abs() <= want * 0.004 + 0.05, "{got} vs {want}");
    assert!(got > 5.0, "{got}");
    assert!(
        load["inputs"]
            .as_array()
            .unwrap()
            .contains(&json!("k = 1.67 (female)")),
        "{load}"
    );
    eprintln!("Intervals.icu sandbox strength {id}: hrTSS {got} ({minutes:.1} min at {avg} bpm)");
}

#[test]
fn thresholds_fall_back_to_the_sport_settings_then_say_what_is_missing() {
    let env = env();
    let id = env.newest("Run");
    let before = env.analyse(&id, json!({}));
    // Without the activity's own thresholds: the Run sport settings (the same values here, so
    // the same score) and the athlete's resting HR.
    env.strip_activity(
        &id,
        &["threshold_pace", "lthr", "athlete_max_hr", "icu_resting_hr"],
    );
    let s = env.analyse(&id, json!({}));
    assert_eq!(s["metrics"]["load"], before["metrics"]["load"]);
    let src = sources(&s);
    for want in [
        "threshold speed 3.922 m/s = 4:15/km (Intervals.icu Run sport settings)",
        "LTHR 172 bpm (Intervals.icu Run sport settings)",
        "HR rest 47 bpm (Intervals.icu athlete)",
        "HR max 191 bpm (Intervals.icu Run sport settings)",
    ] {
        assert!(src.contains(&want.to_string()), "{want}: {src:?}");
    }
    // A different settings value shows it is read: threshold pace 10 % faster, rTSS / 1.21;
    // served as a string, as a drifting API might.
    env.set_setting("Run", "threshold_pace", json!(format!("{}", RUN_T * 1.1)));
    let faster = env.analyse(&id, json!({}));
    let (a, b) = (
        num(&before["metrics"]["load"]["score"], "before"),
        num(&faster["metrics"]["load"]["score"], "faster"),
    );
    assert!((b - a / 1.21).abs() <= 0.1, "{b} vs {}", a / 1.21);
    // Nowhere: no rTSS, hrTSS instead, and the output says what was missing and which argument
    // supplies it; the tool does not fail.
    env.set_setting("Run", "threshold_pace", Value::Null);
    let none = env.ok("icu_get_activity_analysis", json!({"activity_id": id}));
    let s = &none.structured;
    assert_eq!(s["metrics"]["load"]["metric"], json!("hrTSS"), "{s}");
    let missing = s["thresholds"]["missing"].as_array().expect("missing");
    assert!(
        missing[0]
            .as_str()
            .unwrap()
            .starts_with("rTSS not computed: no threshold pace"),
        "{missing:?}"
    );
    assert!(none.text.contains("threshold_speed_mps"), "{}", none.text);
    // No HR bounds either: nothing scores, each missing input named.
    env.set_setting("Run", "max_hr", Value::Null);
    env.set_setting("Run", "lthr", json!("n/a"));
    let bare = env.analyse(&id, json!({}));
    assert!(bare["metrics"]["load"].is_null(), "{bare}");
    let missing: Vec<&str> = bare["thresholds"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(missing.len(), 2, "{missing:?}");
    assert!(
        missing[1].contains("LTHR (lthr_bpm)") && missing[1].contains("maximum HR (hr_max_bpm)")
    );
    // The arguments fill every gap.
    let given = env.analyse(
        &id,
        json!({"threshold_speed_mps": RUN_T, "lthr_bpm": LTHR, "hr_max_bpm": HR_MAX}),
    );
    assert_eq!(given["metrics"]["load"], before["metrics"]["load"]);
    match env.call(
        "icu_get_activity_analysis",
        json!({"activity_id": id, "hr_rest_bpm": 110, "hr_max_bpm": 105}),
    ) {
        Err(ToolError::InvalidArgs { field, .. }) => assert_eq!(field, "hr_rest_bpm"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn training_distribution_sums_each_activitys_load() {
    let env = env();
    let range = json!({"start_date": "2026-10-24", "end_date": "2026-11-21", "sport": "Swim",
        "max_activities": 100});
    let out = env.ok("icu_get_training_distribution", range);
    let sport = &out.structured["sports"][0];
    assert_eq!(sport["sport"], json!("Swim"));
    let n = sport["activities"].as_u64().unwrap();
    assert!(n >= 2, "{sport}");
    assert_eq!(sport["load_metrics"], json!([format!("sTSS × {n}")]));
    // The same as each swim analysed alone, summed.
    let ids: Vec<String> = env.icu.with_state(|st| {
        st.activities
            .values()
            .filter(|r| {
                r.json["type"] == json!("Swim")
                    && r.json["start_date_local"]
                        .as_str()
                        .is_some_and(|d| ("2026-10-24".."2026-11-22").contains(&d))
            })
            .map(|r| r.json["id"].as_str().unwrap().to_string())
            .collect()
    });
    assert_eq!(ids.len() as u64, n);
    let sum: f64 = ids
        .iter()
        .map(|id| {
            num(
                &env.analyse(id, json!({}))["metrics"]["load"]["score"],
                "sTSS",
            )
        })
        .sum();
    let got = num(&sport["load"], "load");
    assert!((got - sum).abs() <= 0.05 * n as f64, "{got} vs {sum}");
    assert!(out.text.contains("load"), "{}", out.text);
    // The athlete was read once for the whole range, not once per activity.
    env.icu.clear_requests();
    env.ok(
        "icu_get_training_distribution",
        json!({"start_date": "2026-10-24", "end_date": "2026-11-21", "sport": "Swim"}),
    );
    let athlete_reads = env
        .icu
        .requests()
        .iter()
        .filter(|r| {
            r.method == Method::Get
                && r.path.starts_with("/api/v1/athlete/")
                && !r.path.contains("/activities")
        })
        .count();
    assert_eq!(athlete_reads, 1);
}
