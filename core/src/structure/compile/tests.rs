//! Unit tests of the compiler through [`compile_value`]: ramps, distance, open duration,
//! metrics and classes, wire pass-through; unknown keys and validation errors are in `tests/`.

mod unknown_keys;
mod validation;

use crate::structure::{
    BlockKind, CompileError, IntensityClass, LengthMetric, LengthUnit, Structure, compile_value,
    metrics, planned_distance_meters,
};
use serde_json::{Value, json};

fn ok(input: Value) -> Structure {
    match compile_value(&input) {
        Ok(s) => s,
        Err(e) => panic!("{input} rejected: {e}"),
    }
}

fn err(input: Value) -> CompileError {
    match compile_value(&input) {
        Ok(s) => panic!("{input} accepted: {}", s.to_json()),
        Err(e) => e,
    }
}

fn targets(s: &Structure, block: usize) -> Vec<(f64, f64)> {
    s.structure[block]
        .steps
        .iter()
        .filter_map(|st| st.primary())
        .map(|t| (t.min_value.unwrap_or(-1.0), t.max_value.unwrap_or(-1.0)))
        .collect()
}

fn lengths(s: &Structure, block: usize) -> Vec<f64> {
    s.structure[block]
        .steps
        .iter()
        .map(|st| st.length.value)
        .collect()
}

#[test]
fn fast_round_matches_std() {
    let mut x = -3.0f64;
    while x < 3.0 {
        for y in [x, x * 1000.0, x * 1e12, 0.5 + x.floor(), -0.5 + x.floor()] {
            let (a, b) = (super::rounding::round(y), y.round());
            assert!(
                a == b && a.is_sign_negative() == b.is_sign_negative(),
                "{y}: {a} vs {b}"
            );
        }
        x += 0.000_37;
    }
    for y in [
        0.499_999_999_999_999_94,
        -0.499_999_999_999_999_94,
        4_503_599_627_370_495.5,
        -4_503_599_627_370_495.5,
        9e15,
        f64::INFINITY,
        -0.0,
    ] {
        assert_eq!(
            super::rounding::round(y).to_bits(),
            y.round().to_bits(),
            "{y}"
        );
    }
    assert!(super::rounding::round(f64::NAN).is_nan());
}

#[test]
fn ramps() {
    struct Case {
        name: &'static str,
        step: Value,
        kind: BlockKind,
        lengths: Vec<f64>,
        targets: Vec<(f64, f64)>,
    }
    let cases = [
        Case {
            name: "rampUp in 4 equal bands",
            step: json!({"type": "rampUp", "intensity_start": 50, "intensity_end": 75,
                         "duration_seconds": 600, "steps_count": 4}),
            kind: BlockKind::RampUp,
            lengths: vec![150.0; 4],
            targets: vec![(50.0, 56.25), (56.25, 62.5), (62.5, 68.75), (68.75, 75.0)],
        },
        Case {
            name: "rampDown bands are ordered min ≤ max and fall",
            step: json!({"type": "rampDown", "intensity_start": 80, "intensity_end": 50,
                         "duration_seconds": 300, "steps_count": 3}),
            kind: BlockKind::RampDown,
            lengths: vec![100.0; 3],
            targets: vec![(70.0, 80.0), (60.0, 70.0), (50.0, 60.0)],
        },
        Case {
            name: "default steps_count ≈ one per 5 %",
            step: json!({"type": "rampUp", "intensity_start": 45, "intensity_end": 65,
                         "duration_seconds": 480}),
            kind: BlockKind::RampUp,
            lengths: vec![120.0; 4],
            targets: vec![(45.0, 50.0), (50.0, 55.0), (55.0, 60.0), (60.0, 65.0)],
        },
        Case {
            name: "uneven whole total spreads the remainder",
            step: json!({"type": "rampUp", "intensity_start": 50, "intensity_end": 70,
                         "duration_seconds": 602, "steps_count": 4}),
            kind: BlockKind::RampUp,
            lengths: vec![151.0, 151.0, 150.0, 150.0],
            targets: vec![(50.0, 55.0), (55.0, 60.0), (60.0, 65.0), (65.0, 70.0)],
        },
        Case {
            name: "type ramp derives the direction",
            step: json!({"type": "ramp", "intensity_start": 70, "intensity_end": 60,
                         "duration_seconds": 120, "steps_count": 2}),
            kind: BlockKind::RampDown,
            lengths: vec![60.0, 60.0],
            targets: vec![(65.0, 70.0), (60.0, 65.0)],
        },
        Case {
            name: "rampUp from intensity_min/max",
            step: json!({"type": "rampUp", "intensity_min": 40, "intensity_max": 60,
                         "duration_seconds": 200, "steps_count": 2}),
            kind: BlockKind::RampUp,
            lengths: vec![100.0, 100.0],
            targets: vec![(40.0, 50.0), (50.0, 60.0)],
        },
        Case {
            name: "distance ramp",
            step: json!({"type": "rampUp", "intensity_start": 80, "intensity_end": 90,
                         "distance_meters": 1000, "steps_count": 2}),
            kind: BlockKind::RampUp,
            lengths: vec![500.0, 500.0],
            targets: vec![(80.0, 85.0), (85.0, 90.0)],
        },
    ];
    for c in cases {
        let s = ok(json!({"steps": [c.step]}));
        let b = &s.structure[0];
        assert_eq!(b.kind, c.kind, "{}", c.name);
        assert_eq!(
            (b.length.value, b.length.unit),
            (1.0, LengthUnit::Repetition),
            "{}",
            c.name
        );
        assert_eq!(lengths(&s, 0), c.lengths, "{}", c.name);
        assert_eq!(targets(&s, 0), c.targets, "{}", c.name);
        assert!(
            b.steps.iter().all(|st| st.kind.is_some()),
            "{}: sub-steps carry type step",
            c.name
        );
        assert_eq!(b.end, c.lengths.iter().sum::<f64>(), "{}", c.name);
    }
    // Wire ramp blocks pass through with recomputed offsets.
    let wire = ok(
        json!({"steps": [{"type": "rampUp", "length": {"value": 1, "unit": "repetition"},
        "steps": [
            {"length": {"value": 60, "unit": "second"}, "targets": [{"minValue": 50, "maxValue": 60}], "type": "step"},
            {"length": {"value": 60, "unit": "second"}, "targets": [{"minValue": 60, "maxValue": 70}], "type": "step"}
        ], "begin": 7, "end": 9}]}),
    );
    assert_eq!(wire.structure[0].kind, BlockKind::RampUp);
    assert_eq!(
        (wire.structure[0].begin, wire.structure[0].end),
        (0.0, 120.0)
    );
}

#[test]
fn distance_steps() {
    let s = ok(
        json!({"primaryIntensityMetric": "percentOfThresholdPace", "steps": [
        {"name": "WU", "distance_meters": 2000, "intensity_min": 70, "intensity_max": 80, "intensityClass": "warmUp"},
        {"type": "repetition", "reps": 5, "steps": [
            {"distance_meters": 400, "intensity_min": 105, "intensity_max": 110},
            {"distance_meters": 200, "intensity_min": 60, "intensity_max": 70, "intensityClass": "recovery"}]},
        {"distance_meters": 1500, "intensity_min": 65, "intensity_max": 75, "intensityClass": "coolDown"}]}),
    );
    assert_eq!(s.primary_length_metric, LengthMetric::Distance);
    assert_eq!(s.visualization_distance_unit.as_deref(), Some("meter"));
    let ends: Vec<(f64, f64)> = s.structure.iter().map(|b| (b.begin, b.end)).collect();
    assert_eq!(
        ends,
        vec![(0.0, 2000.0), (2000.0, 5000.0), (5000.0, 6500.0)]
    );
    assert!(
        s.structure
            .iter()
            .flat_map(|b| &b.steps)
            .all(|st| st.length.unit == LengthUnit::Meter)
    );
    // Polyline x is metres / total metres: the warm-up ends at 2000 / 6500.
    assert_eq!(s.polyline[2], [0.308, 0.727]);
    assert_eq!(s.polyline.last(), Some(&[1.0, 0.0]));
    // Metres are never treated as seconds.
    assert_eq!(metrics(&s, Some(250.0)), None);
    assert_eq!(planned_distance_meters(&s), Some(6500.0));
    let v = s.to_value();
    assert_eq!(
        v["structure"][1]["steps"][0]["length"],
        json!({"value": 400, "unit": "meter"})
    );
    assert_eq!(v["primaryLengthMetric"], "distance");
}

#[test]
fn open_duration_steps() {
    let s = ok(json!({"steps": [
        {"name": "Warm up until ready", "duration_seconds": 600, "open_duration": true,
         "intensity_min": 50, "intensity_max": 60},
        {"duration_seconds": 300, "intensity_min": 90, "intensity_max": 100}]}));
    let st = &s.structure[0].steps[0];
    assert!(st.open_duration);
    assert!(!s.structure[1].steps[0].open_duration);
    // The estimate counts like any other length.
    assert_eq!((s.structure[1].begin, s.structure[1].end), (600.0, 900.0));
    assert_eq!(metrics(&s, None).map(|m| m.total_seconds), Some(900.0));
    assert_eq!(
        s.to_value()["structure"][0]["steps"][0]["openDuration"],
        json!(true)
    );
    // Wire openDuration is kept.
    let w = ok(
        json!({"structure": [{"type": "step", "length": {"value": 1, "unit": "repetition"},
        "steps": [{"length": {"value": 60, "unit": "second"}, "openDuration": true}]}]}),
    );
    assert!(w.structure[0].steps[0].open_duration);
}

#[test]
fn intensity_metrics_cadence_and_classes() {
    for m in [
        "percentOfFtp",
        "percentOfThresholdHr",
        "percentOfThresholdPace",
    ] {
        let s = ok(json!({"primaryIntensityMetric": m, "steps": [
            {"duration_seconds": 60, "intensity_min": 80, "intensity_max": 90, "cadence_min": 170, "cadence_max": 180}]}));
        assert_eq!(s.to_value()["primaryIntensityMetric"], m);
        assert_eq!(
            s.structure[0].steps[0].cadence().and_then(|c| c.max_value),
            Some(180.0)
        );
    }
    for (given, want) in [
        ("warmUp", IntensityClass::WarmUp),
        ("warmup", IntensityClass::WarmUp),
        ("cool_down", IntensityClass::CoolDown),
        ("Recovery", IntensityClass::Rest),
        ("other", IntensityClass::Other),
    ] {
        let s = ok(json!({"steps": [{"duration_seconds": 60, "intensityClass": given}]}));
        assert_eq!(s.structure[0].steps[0].intensity_class, want, "{given}");
    }
    // A step without targets is fine and draws nothing when no step has a target.
    let s = ok(json!({"steps": [{"duration_seconds": 60}]}));
    assert!(s.polyline.is_empty());
    assert!(s.structure[0].steps[0].targets.is_empty());
}

#[test]
fn wire_input_is_validated_and_preserved() {
    let s = ok(
        json!({"structure": [{"type": "repetition", "length": {"value": 2, "unit": "repetition"},
        "custom": 1, "steps": [
            {"name": "A", "type": "step", "length": {"value": 30, "unit": "second"},
             "targets": [{"minValue": 90, "maxValue": 100}, {"minValue": 80, "maxValue": 90, "unit": "roundOrStridePerMinute"}],
             "intensityClass": "active", "openDuration": false, "notes": "x"}]}],
        "polyline": [[0, 0]], "primaryLengthMetric": "duration", "primaryIntensityMetric": "percentOfThresholdHr"}),
    );
    let v = s.to_value();
    assert_eq!(v["structure"][0]["custom"], 1);
    assert_eq!(v["structure"][0]["steps"][0]["notes"], "x");
    assert_eq!(v["structure"][0]["end"], 60);
    assert_eq!(v["primaryIntensityMetric"], "percentOfThresholdHr");
    assert_eq!(s.polyline.len(), 1 + 3 * 2);
    // Miles count as metres in offsets.
    let m = ok(
        json!({"steps": [{"type": "step", "length": {"value": 1, "unit": "repetition"},
        "steps": [{"length": {"value": 1, "unit": "mile"}}]}]}),
    );
    assert_eq!(m.primary_length_metric, LengthMetric::Distance);
    assert_eq!(m.structure[0].end, 1609.344);
}

/// The case the browser e2e suite found: `repeat` for `reps` used to compile to one
/// repetition (a 40-minute workout instead of 3×(15+5) + 20 = 80 minutes), silently.
#[test]
fn misspelt_reps_is_an_error_not_one_repetition() {
    let input = json!({"steps": [
        {"duration_seconds": 600, "intensity_min": 50, "intensity_max": 65, "intensityClass": "warmUp"},
        {"repeat": 3, "steps": [
            {"duration_seconds": 900, "intensity_min": 95, "intensity_max": 105},
            {"duration_seconds": 300, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}]},
        {"duration_seconds": 600, "intensity_min": 45, "intensity_max": 55, "intensityClass": "coolDown"}]});
    for e in [
        err(input.clone()),
        super::super::compile(&input.to_string()).unwrap_err(),
    ] {
        assert_eq!(e.path, "steps[1].repeat");
        assert!(
            e.to_string()
                .starts_with("steps[1].repeat: unknown key; did you mean \"reps\"?"),
            "{e}"
        );
    }
    // Spelt right, it is the 80-minute workout.
    let mut fixed = input;
    fixed["steps"][1]["reps"] = fixed["steps"][1]["repeat"].take();
    if let Some(o) = fixed["steps"][1].as_object_mut() {
        o.remove("repeat");
    }
    let s = ok(fixed);
    assert_eq!(s.structure[1].length.value, 3.0);
    assert_eq!(s.structure.last().map(|b| b.end), Some(4800.0));
}
