//! `paceline analyze stream|fit|cp` through the built binary: JSON in on stdin, JSON out on
//! stdout, exit 2 naming the field for invalid input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn analyze(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paceline"))
        .arg("analyze")
        .args(args)
        .env("PACELINE_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run paceline");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().expect("wait for paceline")
}

fn ok_json(o: &Output) -> Value {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

fn invalid(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(o.stdout.is_empty());
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn close(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((got - want).abs() < 1e-6, "{got} vs {want}");
}

// Spec §2.1, §2.9, §2.11 worked example: 10 min steady at 250 W (FTP 250, CP 240, W′ 20 kJ) with
// HR 150 over LTHR 170, then 10 min at 150 W with HR 120: NP of a two-step ride, IF/TSS from it,
// W′ spent 10·60·10 = 6000 J → minimum 14 000 J, zone times 600 s each.
#[test]
fn stream_summary_worked_example() {
    let mut p = vec![250.0; 600];
    p.extend([150.0; 600]);
    let mut hr = vec![150.0; 600];
    hr.extend([120.0; 600]);
    let input = json!({
        "sample_rate_s": 1, "power_w": p, "heart_rate_bpm": hr,
        "ftp_w": 250, "lthr_bpm": 170, "weight_kg": 70, "cp_w": 240, "w_prime_j": 20000
    });
    let out = ok_json(&analyze(&["stream"], &input.to_string()));
    close(&out["duration_s"], 1200.0);
    close(&out["avg_power_w"], 200.0);
    close(&out["work_kj"], 240.0);
    close(&out["w_bal_min_j"], 14000.0);
    // 1200 s: mean-max keys only for durations that fit, in ascending order.
    let mm = out["mean_max_power_w"].as_object().unwrap();
    let keys: Vec<&str> = mm.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["1", "5", "10", "30", "60", "120", "300", "600", "1200"]
    );
    close(&mm["600"], 250.0);
    close(&mm["1200"], 200.0);
    // 250 W is 100 % FTP → Z4; 150 W is 60 % → Z2. HR 150/170 = 88 % → Z3; 120/170 = 71 % → Z2.
    assert_eq!(
        out["time_in_power_zones_s"],
        json!([0.0, 600.0, 0.0, 600.0, 0.0, 0.0, 0.0])
    );
    assert_eq!(
        out["time_in_hr_zones_s"],
        json!([0.0, 600.0, 600.0, 0.0, 0.0])
    );
    // NP ≥ average for this ride; IF = NP/250; TSS = 100·(1200/3600)·IF².
    let np = out["np_w"].as_f64().unwrap();
    assert!(np > 200.0 && np < 250.0, "{np}");
    close(&out["if"], np / 250.0);
    close(&out["tss"], 100.0 / 3.0 * (np / 250.0).powi(2));
    close(&out["vi"], np / 200.0);
    close(&out["ef"], np / 135.0);
    // Decoupling (§2.10): R1 = 250/150, R2 = 150/120 → 100·(R1 − R2)/R1 = 25 %.
    close(&out["decoupling_pct"], 25.0);
}

// Keys are omitted when the input lacks what they need; gaps are allowed.
#[test]
fn stream_omits_what_it_cannot_compute() {
    let out = ok_json(&analyze(
        &["stream"],
        r#"{"heart_rate_bpm": [120, null, 130]}"#,
    ));
    assert_eq!(out, json!({"duration_s": 3.0}));
    let out = ok_json(&analyze(&["stream"], r#"{"power_w": [null, 300, 0]}"#));
    assert!(out.get("if").is_none() && out.get("np_w").is_none());
    close(&out["avg_power_w"], 150.0);
    close(&out["mean_max_power_w"]["1"], 300.0);
    assert_eq!(
        ok_json(&analyze(&["stream"], "{}")),
        json!({"duration_s": 0.0})
    );
}

#[test]
fn stream_rejects_bad_input_naming_the_field() {
    assert!(invalid(&analyze(&["stream"], r#"{"power": [1]}"#)).contains("unknown field `power`"));
    assert!(invalid(&analyze(&["stream"], r#"{"power_w": [1, "x"]}"#)).contains("power_w[1]"));
    assert!(invalid(&analyze(&["stream"], r#"{"ftp_w": -5}"#)).contains("ftp_w"));
    assert!(invalid(&analyze(&["stream"], r#"{"sample_rate_s": 0}"#)).contains("sample_rate_s"));
    assert!(invalid(&analyze(&["stream"], r#"{"heart_rate_bpm": 3}"#)).contains("heart_rate_bpm"));
    assert!(invalid(&analyze(&["stream"], "[1, 2]")).contains("object"));
    assert!(invalid(&analyze(&["stream"], "not json")).contains("not JSON"));
}

// Spec §2.8: points from P = 250 + 20000/(t + 26.67) (CP 250, W′ 20 kJ, Pmax 1000) — the
// 3-parameter fit recovers all three; the 2-parameter fit over 3–20 min sees the same curve.
#[test]
fn cp_fits_the_curve() {
    let m = 20000.0 / 750.0;
    let curve: serde_json::Map<String, Value> = [1.0, 5.0, 30.0, 60.0, 180.0, 300.0, 600.0, 1200.0]
        .iter()
        .map(|t: &f64| (t.to_string(), json!(250.0 + 20000.0 / (t + m))))
        .collect();
    let out = ok_json(&analyze(
        &["cp"],
        &json!({ "mean_max_power_w": curve }).to_string(),
    ));
    let pmax = out["pmax_w"].as_f64().unwrap();
    assert!((pmax - 1000.0).abs() < 2.0, "{pmax}");
    let cp = out["cp_w"].as_f64().unwrap();
    assert!((cp - 250.0).abs() < 5.0, "{cp}");
    assert_eq!(out["points_used_s"], json!([180.0, 300.0, 600.0, 1200.0]));
    // Exact 2-parameter data: CP 250 W, W′ 20 kJ.
    let out = ok_json(&analyze(
        &["cp"],
        r#"{"mean_max_power_w": {"180": 361.1111111111111, "600": 283.3333333333333, "1200": 266.6666666666667}}"#,
    ));
    close(&out["cp_w"], 250.0);
    assert!((out["w_prime_j"].as_f64().unwrap() - 20000.0).abs() < 1e-3);
    assert!(out.get("pmax_w").is_none(), "no short effort: no Pmax");
}

#[test]
fn cp_rejects_bad_input() {
    assert!(
        invalid(&analyze(&["cp"], r#"{"mean_max_power_w": {"60": 400}}"#)).contains("two efforts")
    );
    assert!(
        invalid(&analyze(&["cp"], r#"{"mean_max_power_w": {"abc": 400}}"#)).contains("\"abc\"")
    );
    assert!(
        invalid(&analyze(&["cp"], r#"{"mean_max_power_w": {"300": "x"}}"#)).contains("[\"300\"]")
    );
    assert!(invalid(&analyze(&["cp"], r#"{"curve": {}}"#)).contains("unknown field `curve`"));
    assert!(invalid(&analyze(&["cp"], "{}")).contains("mean_max_power_w is required"));
}

/// A one-hour ride at a steady 200 W and 150 bpm, with a ten-second HR-strap dropout, written
/// as a FIT file by core's encoder: the summary is the worked example's, from the file alone
/// (FTP from the device), and a flag overrides it.
#[test]
fn fit_file_is_summarised_like_a_stream() {
    use paceline_core::fit::{self, encode};
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-20T07:00:00Z")
        .unwrap()
        .to_utc();
    let samples: Vec<fit::Sample> = (0..3600)
        .map(|i| {
            let mut s = fit::Sample::gap(t0 + chrono::Duration::seconds(i));
            s.power_w = Some(200.0);
            s.heart_rate_bpm = (!(1000..1010).contains(&i)).then_some(150.0);
            s.cadence_rpm = Some(90.0);
            s.speed_mps = Some(9.0);
            s.distance_m = Some(9.0 * i as f64);
            s
        })
        .collect();
    let file = encode::ActivityFile {
        sport: encode::Sport::Cycling,
        sub_sport: 7,
        laps: vec![(0, samples.len())],
        samples,
        device: encode::Device {
            manufacturer: 255,
            product: 1,
            serial: 1,
            product_name: "Test".into(),
            software_version: 100,
        },
        threshold_power_w: Some(250),
    };
    let dir = std::env::temp_dir().join(format!("paceline-analyze-fit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ride.fit");
    std::fs::write(&path, encode::encode(&file)).unwrap();
    let path = path.to_str().unwrap();

    let o = analyze(&["fit", path], "");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["duration_s"], json!(3600.0), "{v}");
    assert!((v["np_w"].as_f64().unwrap() - 200.0).abs() < 0.01, "{v}");
    assert!((v["if"].as_f64().unwrap() - 0.8).abs() < 1e-3, "{v}");
    assert!((v["tss"].as_f64().unwrap() - 64.0).abs() < 0.1, "{v}");
    assert_eq!(v["time_in_power_zones_s"][2], json!(3600.0), "{v}");
    assert!(v.get("time_in_hr_zones_s").is_none(), "no LTHR given: {v}");
    assert!(v.get("altitude_m").is_none());

    let o = analyze(&["fit", path, "--ftp-w", "200", "--lthr-bpm", "160"], "");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!((v["if"].as_f64().unwrap() - 1.0).abs() < 1e-3, "{v}");
    let hr: f64 = v["time_in_hr_zones_s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert_eq!(hr, 3590.0, "the dropout is a gap, not time in a zone: {v}");

    let o = analyze(&["fit", path, "--ftp-w", "0"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--ftp-w"));

    let bad = dir.join("bad.fit");
    std::fs::write(&bad, b"not a fit file at all").unwrap();
    let o = analyze(&["fit", bad.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.fit"));
    std::fs::remove_dir_all(&dir).ok();
}
