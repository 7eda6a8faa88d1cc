//! The Intervals.icu workout text syntax: named parse cases, named error cases (line and column
//! asserted), the 48 conformance vectors printed to text and read back, and a property test
//! (random friendly structures → compile → print → parse → compile → the same structure).

use crate::structure::shared_file;
use paceline_core::structure::icu_text::{self, Options, Sport, TextError};
use paceline_core::structure::{self, IntensityMetric, Structure};
use paceline_core::zones::Zone;
use proptest::prelude::*;
use serde_json::{Value, json};

fn parse(text: &str, opts: &Options) -> Result<Value, TextError> {
    icu_text::parse(text, opts).map(|p| p.structure)
}

fn ftp(m: IntensityMetric) -> Options {
    Options {
        default_metric: Some(m),
        ..Options::default()
    }
}

fn athlete() -> Options {
    Options {
        sport: Sport::Run,
        ftp_watts: Some(250.0),
        lthr_bpm: Some(170.0),
        max_hr_bpm: Some(190.0),
        // 4:00/km.
        threshold_speed_mps: Some(1000.0 / 240.0),
        hr_zones: vec![
            Zone::new("Z1", 0.0, 136.0),
            Zone::new("Z2", 137.0, 153.0),
            Zone::new("Z3", 154.0, 170.0),
            Zone::new("Z4", 171.0, 255.0),
        ],
        speed_zones: vec![
            Zone::new("Z1", 0.0, 1000.0 / 300.0),
            Zone::new("Z2", 1000.0 / 300.0, 1000.0 / 260.0),
        ],
        ..Options::default()
    }
}

#[test]
fn named_parse_cases() {
    let d = Options::default();
    let a = athlete();
    let swim = Options {
        sport: Sport::Swim,
        threshold_speed_mps: Some(1.0),
        ..Options::default()
    };
    let hr_default = ftp(IntensityMetric::PercentOfThresholdHr);
    let cases: Vec<(&str, &str, &Options, Value)> = vec![
        (
            "step with a % FTP range",
            "- 10m 50-65%",
            &d,
            json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
                {"duration_seconds": 600, "intensity_min": 50, "intensity_max": 65,
                 "intensityClass": "active"}]}),
        ),
        (
            "cue before and after, cadence with a space",
            "- Recovery 1m30 55% easy spin 90 rpm",
            &d,
            json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
                {"name": "Recovery easy spin", "duration_seconds": 90, "intensity_min": 55,
                 "intensity_max": 55, "cadence_min": 90, "cadence_max": 90,
                 "intensityClass": "active"}]}),
        ),
        (
            "warm-up header, repeat with a title, cool-down header, notes",
            "Easy day\n\nWarmup\n- 10m ramp 50-75%\n\nMain set 3x\n- 5m 95-105% 85-95rpm\n\
             - 3m 55% intensity=rest\n\nCooldown\n- 1h 50%\nEnjoy",
            &d,
            json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
                {"type": "ramp", "intensity_start": 50, "intensity_end": 75,
                 "duration_seconds": 600, "intensityClass": "warmUp"},
                {"type": "repetition", "name": "Main set", "reps": 3, "steps": [
                    {"duration_seconds": 300, "intensity_min": 95, "intensity_max": 105,
                     "cadence_min": 85, "cadence_max": 95, "intensityClass": "active"},
                    {"duration_seconds": 180, "intensity_min": 55, "intensity_max": 55,
                     "intensityClass": "rest"}]},
                {"duration_seconds": 3600, "intensity_min": 50, "intensity_max": 50,
                 "intensityClass": "coolDown"}]}),
        ),
        (
            "ramp down, bare 3x, lap button, freeride",
            "- 5m ramp 80-60%\n\n3x\n- 30s 120%\n- 30s freeride\n\n- 10m 50% Press lap",
            &d,
            json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
                {"type": "ramp", "intensity_start": 80, "intensity_end": 60,
                 "duration_seconds": 300, "intensityClass": "active"},
                {"type": "repetition", "reps": 3, "steps": [
                    {"duration_seconds": 30, "intensity_min": 120, "intensity_max": 120,
                     "intensityClass": "active"},
                    {"duration_seconds": 30, "intensityClass": "active"}]},
                {"duration_seconds": 600, "intensity_min": 50, "intensity_max": 50,
                 "intensityClass": "active", "open_duration": true}]}),
        ),
        (
            "watts with an FTP, Coggan zones",
            "- 10m 200-250w\n- 20m Z2\n- 5m Z3-Z4\n- 1m Z5",
            &a,
            json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
                {"duration_seconds": 600, "intensity_min": 80, "intensity_max": 100,
                 "intensityClass": "active"},
                {"duration_seconds": 1200, "intensity_min": 56, "intensity_max": 75,
                 "intensityClass": "active"},
                {"duration_seconds": 300, "intensity_min": 76, "intensity_max": 105,
                 "intensityClass": "active"},
                {"duration_seconds": 60, "intensity_min": 106, "intensity_max": 120,
                 "intensityClass": "active"}]}),
        ),
        (
            "heart rate: % LTHR, % of max HR, bpm, HR zone (open top → max HR)",
            "- 10m 90%LTHR\n- 10m 85% HR\n- 10m 153bpm\n- 10m Z4 HR",
            &a,
            json!({"primaryIntensityMetric": "percentOfThresholdHr", "steps": [
                {"duration_seconds": 600, "intensity_min": 90, "intensity_max": 90,
                 "intensityClass": "active"},
                {"duration_seconds": 600, "intensity_min": 95, "intensity_max": 95,
                 "intensityClass": "active"},
                {"duration_seconds": 600, "intensity_min": 90, "intensity_max": 90,
                 "intensityClass": "active"},
                {"duration_seconds": 600, "intensity_min": 100.59, "intensity_max": 111.76,
                 "intensityClass": "active"}]}),
        ),
        (
            "pace: % Pace, absolute with and without unit, range, pace zone",
            "- 2km 80%pace\n- 1km 5:00/km Pace\n- 1km 5:00 Pace\n- 400mtr 4:10-4:00/km\n\
             - 1mi Z2 Pace",
            &a,
            json!({"primaryIntensityMetric": "percentOfThresholdPace", "steps": [
                {"distance_meters": 2000, "intensity_min": 80, "intensity_max": 80,
                 "intensityClass": "active"},
                {"distance_meters": 1000, "intensity_min": 80, "intensity_max": 80,
                 "intensityClass": "active"},
                {"distance_meters": 1000, "intensity_min": 80, "intensity_max": 80,
                 "intensityClass": "active"},
                {"distance_meters": 400, "intensity_min": 96, "intensity_max": 100,
                 "intensityClass": "active"},
                {"distance_meters": 1609.344, "intensity_min": 80, "intensity_max": 92.31,
                 "intensityClass": "active"}]}),
        ),
        (
            "swim: pace per 100 m by default, yards",
            "- 100yrd 1:00 Pace\n- 0.4km 1:00/100m Pace",
            &swim,
            json!({"primaryIntensityMetric": "percentOfThresholdPace", "steps": [
                {"distance_meters": 91.44, "intensity_min": 166.67, "intensity_max": 166.67,
                 "intensityClass": "active"},
                {"distance_meters": 400, "intensity_min": 166.67, "intensity_max": 166.67,
                 "intensityClass": "active"}]}),
        ),
        (
            "every duration form",
            "- 1h2m30s 50%\n- 5' 50%\n- 30\" 50%\n- 1'30\" 50%\n- 1:30 50%\n- 1:02:30 50%\n\
             - 120m 50%",
            &d,
            json!({"primaryIntensityMetric": "percentOfFtp", "steps": ([3750, 300, 30, 90, 90, 3750, 7200]
                .iter().map(|s| json!({"duration_seconds": s, "intensity_min": 50,
                    "intensity_max": 50, "intensityClass": "active"})).collect::<Vec<_>>())}),
        ),
        (
            "header spellings; a section ends at a blank line",
            "WARM-UP\n- 10m 50%\n\n- 5m 60%\nCool down\n- 5m 40%\n- 1m 40% intensity=active",
            &d,
            json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
                {"duration_seconds": 600, "intensity_min": 50, "intensity_max": 50,
                 "intensityClass": "warmUp"},
                {"duration_seconds": 300, "intensity_min": 60, "intensity_max": 60,
                 "intensityClass": "active"},
                {"duration_seconds": 300, "intensity_min": 40, "intensity_max": 40,
                 "intensityClass": "coolDown"},
                {"duration_seconds": 60, "intensity_min": 40, "intensity_max": 40,
                 "intensityClass": "active"}]}),
        ),
        (
            "bare % follows the default metric",
            "- 10m 80%",
            &hr_default,
            json!({"primaryIntensityMetric": "percentOfThresholdHr", "steps": [
                {"duration_seconds": 600, "intensity_min": 80, "intensity_max": 80,
                 "intensityClass": "active"}]}),
        ),
    ];
    for (name, text, opts, want) in cases {
        let got = parse(text, opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got, want, "{name}\n{text}");
        structure::compile_value(&got).unwrap_or_else(|e| panic!("{name}: compiles: {e}"));
    }
}

#[test]
fn description_and_sections() {
    let p = icu_text::parse(
        "Hard day.\nKeep it smooth\n\nWarmup\n- 10m 50%\n\nMain set 2x\n- 1m 120%\n",
        &Options::default(),
    )
    .expect("parses");
    assert_eq!(p.description, ["Hard day.", "Keep it smooth"]);
    let titles: Vec<(usize, &str, Option<u32>)> = p
        .sections
        .iter()
        .map(|s| (s.line, s.title.as_str(), s.reps))
        .collect();
    assert_eq!(titles, [(4, "Warmup", None), (7, "Main set", Some(2))]);
    assert_eq!(p.sources.len(), 2);
    assert_eq!(
        (p.sources[1].line, p.sources[1].inner.clone()),
        (7, vec![8])
    );
}

#[test]
fn named_error_cases() {
    let d = Options::default();
    let a = athlete();
    let cases: Vec<(&str, &str, &Options, usize, usize, &str)> = vec![
        (
            "not a duration",
            "Warmup\n- 10m 60%\n- Easy 10x 50%",
            &d,
            3,
            8,
            "expected a duration like 10m or 30s (or a distance like 2km), found \"10x\"",
        ),
        (
            "not a target",
            "- 10m 5K Pace",
            &d,
            1,
            7,
            "expected a target like 75%",
        ),
        (
            "no length",
            "- Easy 50%",
            &d,
            1,
            11,
            "no duration or distance",
        ),
        ("watts need an FTP", "- 10m 200w", &d, 1, 7, "ftp_watts"),
        ("% HR needs max HR", "- 10m 80% HR", &d, 1, 7, "max_hr_bpm"),
        (
            "pace needs threshold",
            "- 1km 5:00/km Pace",
            &d,
            1,
            7,
            "threshold_speed_mps",
        ),
        ("HR zone needs zones", "- 10m Z2 HR", &d, 1, 7, "hr_zones"),
        (
            "mixed metrics",
            "- 10m 60%\n- 10m 95% LTHR",
            &d,
            2,
            7,
            "one intensity metric per workout",
        ),
        (
            "mixed length metrics",
            "- 10m 60%\n- 2km 60%",
            &d,
            2,
            3,
            "one length metric per workout",
        ),
        (
            "nested repeat",
            "3x\n- 5m 90%\n  2x\n  - 30s 120%",
            &d,
            3,
            3,
            "nested repeats are not supported",
        ),
        (
            "ramp inside a repeat",
            "2x\n- 5m ramp 50-70%",
            &d,
            2,
            6,
            "a ramp cannot go inside a repeat",
        ),
        (
            "800m means minutes",
            "- 800m 80%",
            &d,
            1,
            3,
            "write metres as 400mtr",
        ),
        ("% MMP", "- 5m 90% MMP", &d, 1, 6, "MMP"),
        ("custom zone", "- 5m CZ1", &d, 1, 6, "custom zones"),
        (
            "zone 6",
            "- 5m Z6",
            &a,
            1,
            6,
            "Z6 is not one of the 5 power zones",
        ),
        (
            "bare 3x without steps",
            "3x\n\n- 5m 90%",
            &d,
            1,
            1,
            "starts a repeat",
        ),
        (
            "two targets",
            "- 5m 90% 95%",
            &d,
            1,
            10,
            "already has a target",
        ),
        (
            "two lengths",
            "- 5m 10m 90%",
            &d,
            1,
            6,
            "already has a length",
        ),
        (
            "ramp needs a range",
            "- 5m ramp 90%",
            &d,
            1,
            11,
            "different start and end",
        ),
        ("repeat count 0", "0x\n- 5m 90%", &d, 1, 1, "1x to 1000x"),
        (
            "timed text",
            "- 10m 60^30 Go 65%",
            &d,
            1,
            7,
            "timed text events",
        ),
        ("empty", "", &d, 1, 1, "no steps found"),
        (
            "dash without a space",
            "- 5m 50%\n  -10m 60%",
            &d,
            2,
            3,
            "a dash and a space",
        ),
        ("only notes", "Rest day", &d, 1, 1, "no steps found"),
        ("zero length", "- 0s 50%", &d, 1, 3, "more than 0"),
        (
            "bad intensity class",
            "- 5m 50% intensity=hard",
            &d,
            1,
            10,
            "intensity=warmup",
        ),
    ];
    for (name, text, opts, line, col, msg) in cases {
        let e = parse(text, opts).expect_err(name);
        assert_eq!((e.line, e.col), (line, col), "{name}: {e}");
        assert!(e.message.contains(msg), "{name}: {e}");
        assert!(
            e.to_string()
                .starts_with(&format!("line {line}, col {col}: ")),
            "{name}: {e}"
        );
    }
}

#[test]
fn compile_errors_point_at_their_line() {
    let p = icu_text::parse("- 10m 50%\n\n3x\n- 1m 90%\n- 25h 50%", &Options::default())
        .expect("parses");
    let e = p.compile().expect_err("a 25 h step is too long");
    assert_eq!(e.line, 5, "{e}");
    assert!(e.message.starts_with("the duration "), "{e}");
}

// ---- printing and round trips ----

/// One block as the comparison sees it: kind, reps, and per step (length in base units,
/// class, open, primary min/max, cadence min/max, name), numbers rounded to 2 decimals.
fn shape(s: &Structure) -> Vec<String> {
    let r = |x: Option<f64>| x.map(|x| format!("{:.2}", x));
    let mut out = vec![format!(
        "{:?} {:?}",
        s.primary_intensity_metric, s.primary_length_metric
    )];
    for b in &s.structure {
        out.push(format!("{:?} x{}", b.kind, b.repeats()));
        for st in &b.steps {
            let p = st.primary();
            let (lo, hi) = (
                p.and_then(|t| t.min_value.or(t.max_value)),
                p.and_then(|t| t.top()),
            );
            let c = st.cadence();
            out.push(format!(
                "  {:.2} {:?} open={} {:?}-{:?} rpm {:?}-{:?} {:?}",
                st.length.value * st.length.unit.to_base(),
                st.intensity_class,
                st.open_duration,
                r(lo),
                r(hi),
                c.and_then(|t| r(t.min_value)),
                c.and_then(|t| r(t.top())),
                st.name.as_deref().map(icu_text_safe),
            ));
        }
    }
    out
}

/// The printed form of a name (what the text can carry).
fn icu_text_safe(name: &str) -> String {
    let text = icu_text::print_value(&json!({"steps": [
        {"name": name, "duration_seconds": 60}]}))
    .expect("one step prints");
    let p = icu_text::parse(&text, &Options::default()).expect("reads back");
    p.structure["steps"][0]["name"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn round_trip(s1: &Structure) -> Result<(String, Structure), String> {
    let text = icu_text::print(s1);
    let opts = ftp(s1.primary_intensity_metric);
    let parsed = icu_text::parse(&text, &opts).map_err(|e| format!("{e}\n{text}"))?;
    let s2 = parsed.compile().map_err(|e| format!("{e}\n{text}"))?;
    Ok((text, s2))
}

#[test]
fn conformance_vectors_round_trip_through_text() {
    let path = shared_file("fixtures/structure-vectors.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("read vectors"))
        .expect("vectors are JSON");
    let vectors = doc["vectors"].as_array().expect("vectors");
    assert_eq!(vectors.len(), 48);
    let (mut round_tripped, mut rejected) = (0, 0);
    for v in vectors {
        let name = v["name"].as_str().unwrap_or_default();
        let s1 = match structure::compile_value(&v["input"]) {
            Ok(s) => s,
            Err(e) => {
                // Only the vectors the reference rejects (or has no structure for) fail here.
                assert!(
                    v.get("expected_error").is_some() || v["expected"].is_null(),
                    "{name}: {e}"
                );
                rejected += 1;
                continue;
            }
        };
        let (text, s2) = round_trip(&s1).unwrap_or_err(name);
        assert_eq!(shape(&s2), shape(&s1), "{name}\n{text}");
        let (m1, m2) = (structure::metrics(&s1, None), structure::metrics(&s2, None));
        assert_eq!(m1, m2, "{name}: IF/TSS\n{text}");
        // The vectors carry no names the text cannot hold and no single-value targets that
        // matter, so the structure comes back exactly, polyline included.
        assert_eq!(s2.polyline, s1.polyline, "{name}\n{text}");
        round_tripped += 1;
    }
    assert_eq!((round_tripped, rejected), (37, 11));
}

trait OrErr<T> {
    fn unwrap_or_err(self, name: &str) -> T;
}

impl<T> OrErr<T> for Result<T, String> {
    fn unwrap_or_err(self, name: &str) -> T {
        self.unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

#[test]
fn bench_workout_prints_as_expected_and_comes_back_exactly() {
    let text = std::fs::read_to_string(shared_file("fixtures/bench-workout-20.json"))
        .expect("read bench workout");
    let s1 = structure::compile(&text).expect("compiles");
    let (printed, s2) = round_trip(&s1).unwrap_or_err("bench");
    assert_eq!(s2, s1, "\n{printed}");
    assert!(
        printed.starts_with("Warmup\n- Warm Up 10m 45-60% 85-95rpm\n- Warm Up Build 5m 60-75%\n\n3x\n- Spin-up 30s 100-110% 105-115rpm\n- Easy 1m 50-60% intensity=rest\n"),
        "{printed}"
    );
}

#[test]
fn printer_writes_each_metric_ramps_laps_and_distances() {
    let cases = [
        (
            "heart rate",
            json!({"primaryIntensityMetric": "percentOfThresholdHr", "steps": [
                {"duration_seconds": 600, "intensity_min": 80, "intensity_max": 85}]}),
            "- 10m 80-85% LTHR\n",
        ),
        (
            "pace over distance, warm-up ramp, cool-down",
            json!({"primaryIntensityMetric": "percentOfThresholdPace", "steps": [
                {"type": "ramp", "intensity_start": 70, "intensity_end": 85,
                 "distance_meters": 1000, "intensityClass": "warmUp"},
                {"distance_meters": 400, "intensity_min": 105, "intensity_max": 110},
                {"distance_meters": 1500, "intensity_min": 70, "intensity_max": 70,
                 "intensityClass": "coolDown"}]}),
            "Warmup\n- 1km ramp 70-85% Pace\n\n- 400mtr 105-110% Pace\n\nCooldown\n- 1500mtr 70% Pace\n",
        ),
        (
            "ramp down, lap, other class",
            json!({"steps": [
                {"type": "ramp", "name": "Down", "intensity_start": 80, "intensity_end": 60,
                 "duration_seconds": 300},
                {"name": "Until ready", "duration_seconds": 600, "open_duration": true,
                 "intensity_min": 50, "intensity_max": 60, "intensityClass": "other"}]}),
            "- Down 5m ramp 80-60%\n- Until ready 10m 50-60% Press lap intensity=other\n",
        ),
    ];
    for (name, input, want) in cases {
        let s1 = structure::compile_value(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(icu_text::print(&s1), want, "{name}");
        let (_, s2) = round_trip(&s1).unwrap_or_err(name);
        assert_eq!(s2, s1, "{name}");
    }
}

#[test]
fn print_value_reads_a_stored_structure_string() {
    // As TrainingPeaks stores it: the wire structure serialised into a JSON string.
    let stored = Value::String(
        structure::compile_value(&json!({"steps": [
            {"name": "Warm Up", "duration_seconds": 600, "intensity_min": 50,
             "intensity_max": 60, "intensityClass": "warmUp"},
            {"type": "repetition", "reps": 4, "steps": [
                {"duration_seconds": 240, "intensity_min": 105, "intensity_max": 110},
                {"duration_seconds": 120, "intensity_min": 50, "intensity_max": 55,
                 "intensityClass": "rest"}]}]}))
        .expect("compiles")
        .to_json(),
    );
    assert_eq!(
        icu_text::print_value(&stored).expect("prints"),
        "Warmup\n- Warm Up 10m 50-60%\n\n4x\n- 4m 105-110%\n- 2m 50-55% intensity=rest\n"
    );
    let e = icu_text::print_value(&json!({"steps": []})).expect_err("no steps");
    assert!(e.path.contains("steps"), "{e}");
}

#[test]
fn names_that_read_as_syntax_lose_those_words() {
    let s1 = structure::compile_value(&json!({"steps": [
        {"name": "30s sprint Z2", "duration_seconds": 30, "intensity_min": 150,
         "intensity_max": 150}]}))
    .expect("compiles");
    assert_eq!(icu_text::print(&s1), "- sprint 30s 150%\n");
}

#[test]
#[allow(clippy::print_stderr)] // the figure is the point of this test
fn parse_and_compile_of_the_bench_workout_is_fast() {
    let text = std::fs::read_to_string(shared_file("fixtures/bench-workout-20.json"))
        .expect("read bench workout");
    let printed = icu_text::print(&structure::compile(&text).expect("compiles"));
    let opts = Options::default();
    let run = || {
        let p = icu_text::parse(std::hint::black_box(&printed), &opts).expect("parses");
        std::hint::black_box(p.compile().expect("compiles"));
    };
    for _ in 0..20 {
        run();
    }
    let n = 200;
    let start = std::time::Instant::now();
    for _ in 0..n {
        run();
    }
    let each = start.elapsed().as_secs_f64() / f64::from(n);
    eprintln!(
        "icu_text parse + compile, 20-block workout: {:.1} µs",
        each * 1e6
    );
    // The budget is 1 ms per keystroke natively; a debug build on a loaded machine still has
    // an order of magnitude to spare, so a regression to quadratic or worse shows here.
    assert!(each < 5e-3, "parse + compile took {:.2} ms", each * 1e3);
}

// ---- property test ----

fn arb_step(distance: bool) -> impl Strategy<Value = Value> {
    let name = prop_oneof![
        Just(None),
        Just(Some("Threshold")),
        Just(Some("VO2 Max")),
        Just(Some("Easy spin")),
        Just(Some("Set 2")),
    ];
    let class = prop_oneof![
        Just("warmUp"),
        Just("active"),
        Just("rest"),
        Just("coolDown"),
        Just("other")
    ];
    let len = if distance { 100u32..3000 } else { 10u32..600 };
    (
        name,
        len,
        prop::option::of((30u32..150, 0u32..20)),
        prop::option::of((60u32..100, 0u32..10)),
        class,
        any::<bool>(),
    )
        .prop_map(move |(name, len, target, cadence, class, open)| {
            let mut o = serde_json::Map::new();
            if let Some(n) = name {
                o.insert("name".into(), n.into());
            }
            let key = if distance {
                "distance_meters"
            } else {
                "duration_seconds"
            };
            o.insert(key.into(), len.into());
            if let Some((lo, w)) = target {
                o.insert("intensity_min".into(), lo.into());
                o.insert("intensity_max".into(), (lo + w).into());
            }
            if let Some((lo, w)) = cadence {
                o.insert("cadence_min".into(), lo.into());
                o.insert("cadence_max".into(), (lo + w).into());
            }
            o.insert("intensityClass".into(), class.into());
            if open {
                o.insert("open_duration".into(), true.into());
            }
            Value::Object(o)
        })
}

fn arb_block(distance: bool) -> impl Strategy<Value = Value> {
    let ramp = (
        40u32..90,
        5u32..60,
        any::<bool>(),
        120u32..1200,
        prop::option::of(80u32..95),
    )
        .prop_map(move |(a, d, up, len, cad)| {
            let (s, e) = if up { (a, a + d) } else { (a + d, a) };
            let key = if distance {
                "distance_meters"
            } else {
                "duration_seconds"
            };
            let mut o = json!({"type": "ramp", "intensity_start": s, "intensity_end": e,
                               key: len});
            if let Some(c) = cad {
                o["cadence_min"] = c.into();
                o["cadence_max"] = (c + 5).into();
            }
            o
        });
    prop_oneof![
        3 => arb_step(distance),
        2 => (1u32..6, prop::collection::vec(arb_step(distance), 1..4))
            .prop_map(|(reps, steps)| json!({"type": "repetition", "reps": reps, "steps": steps})),
        1 => ramp,
    ]
}

fn arb_workout() -> impl Strategy<Value = Value> {
    let metric = prop_oneof![
        Just("percentOfFtp"),
        Just("percentOfThresholdHr"),
        Just("percentOfThresholdPace")
    ];
    (any::<bool>(), metric).prop_flat_map(|(distance, metric)| {
        prop::collection::vec(arb_block(distance), 1..7)
            .prop_map(move |steps| json!({"primaryIntensityMetric": metric, "steps": steps}))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_structures_round_trip_exactly(input in arb_workout()) {
        let s1 = structure::compile_value(&input).expect("generated structures compile");
        let (text, s2) = round_trip(&s1).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&s2, &s1, "\n{}", text);
    }
}

/// Text made of the syntax's own pieces (and some junk), so that most lines get deep into the
/// parser rather than failing on the first character.
fn arb_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("-".to_owned()),
        Just("ramp".to_owned()),
        Just("Press".to_owned()),
        Just("lap".to_owned()),
        Just("freeride".to_owned()),
        Just("HR".to_owned()),
        Just("LTHR".to_owned()),
        Just("Pace".to_owned()),
        Just("MMP".to_owned()),
        Just("rpm".to_owned()),
        Just("intensity=rest".to_owned()),
        Just("Warmup".to_owned()),
        Just("3x".to_owned()),
        "[0-9]{1,4}(\\.[0-9])?(s|m|h|mtr|km|mi|yrd|%|w|rpm|bpm|'|\"|x)?",
        "[0-9]{1,2}:[0-9]{1,2}(/km|/100m|/mi|/x)?",
        "[0-9]{1,3}-[0-9]{1,3}(%|w|rpm|m)?",
        "[zZ][0-9]{1,2}(-[zZ][0-9])?",
        "[a-zA-Zé%:/^=\\-]{1,6}",
    ];
    let line = ("[ \t]{0,2}", prop::collection::vec(word, 0..7))
        .prop_map(|(indent, words)| format!("{indent}{}", words.join(" ")));
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever is typed, parsing answers (never panics), an error points inside the text,
    /// and what parses either compiles or gets an error on one of its lines.
    #[test]
    fn any_text_parses_or_fails_cleanly(text in arb_text()) {
        let lines = text.lines().count().max(1);
        match icu_text::parse(&text, &athlete()) {
            Ok(p) => {
                if let Err(e) = p.compile() {
                    prop_assert!(e.line >= 1 && e.line <= lines, "{e}\n{text}");
                }
            }
            Err(e) => {
                prop_assert!(e.line >= 1 && e.line <= lines, "{e}\n{text}");
                let width = text.lines().nth(e.line - 1).map_or(0, |l| l.chars().count());
                prop_assert!(e.col >= 1 && e.col <= width + 1, "{e}\n{text}");
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}
