//! Unknown and misplaced keys in the friendly format, and the extras it tolerates.

use super::{err, ok};
use crate::structure::compile;
use serde_json::{Value, json};

#[test]
fn friendly_format_rejects_unknown_and_misplaced_keys() {
    let st = |extra: Value| {
        let mut s = json!({"duration_seconds": 60, "intensity_min": 50, "intensity_max": 60});
        if let (Some(o), Value::Object(e)) = (s.as_object_mut(), extra) {
            o.extend(e);
        }
        s
    };
    let rep = |extra: Value| {
        let mut s = json!({"type": "repetition", "reps": 3, "steps": [st(json!({}))]});
        if let (Some(o), Value::Object(e)) = (s.as_object_mut(), extra) {
            o.extend(e);
        }
        s
    };
    let ramp = |extra: Value| {
        let mut s = json!({"type": "rampUp", "intensity_start": 50, "intensity_end": 70, "duration_seconds": 600});
        if let (Some(o), Value::Object(e)) = (s.as_object_mut(), extra) {
            o.extend(e);
        }
        s
    };
    let one = |s: Value| json!({"steps": [st(json!({})), s]});
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        // Unknown keys with a did-you-mean.
        (
            "repeats",
            one(json!({"repeats": 3, "steps": [st(json!({}))]})),
            "steps[1].repeats",
            "did you mean \"reps\"",
        ),
        (
            "repetitions",
            one(json!({"type": "repetition", "repetitions": 3, "steps": [st(json!({}))]})),
            "steps[1].repetitions",
            "did you mean \"reps\"",
        ),
        (
            "times",
            one(json!({"times": 3, "steps": [st(json!({}))]})),
            "steps[1].times",
            "did you mean \"reps\"",
        ),
        (
            "count on a repetition",
            one(json!({"count": 3, "steps": [st(json!({}))]})),
            "steps[1].count",
            "did you mean \"reps\"",
        ),
        (
            "typo of reps",
            one(json!({"type": "repetition", "resp": 3, "steps": [st(json!({}))]})),
            "steps[1].resp",
            "did you mean \"reps\"",
        ),
        (
            "duration",
            one(json!({"duration": 60, "intensity_min": 50, "intensity_max": 60})),
            "steps[1].duration",
            "did you mean \"duration_seconds\"",
        ),
        (
            "seconds",
            one(json!({"seconds": 60})),
            "steps[1].seconds",
            "did you mean \"duration_seconds\"",
        ),
        (
            "duration_s",
            one(json!({"duration_s": 60})),
            "steps[1].duration_s",
            "did you mean \"duration_seconds\"",
        ),
        (
            "camelCase duration",
            one(json!({"durationSeconds": 60})),
            "steps[1].durationSeconds",
            "did you mean \"duration_seconds\"",
        ),
        (
            "minutes",
            one(json!({"duration_minutes": 10})),
            "steps[1].duration_minutes",
            "10 min = 600",
        ),
        (
            "distance",
            json!({"steps": [{"distance": 400, "distance_meters": 400}]}),
            "steps[0].distance",
            "did you mean \"distance_meters\"",
        ),
        (
            "distance_m",
            json!({"steps": [{"distance_m": 400, "distance_meters": 400}]}),
            "steps[0].distance_m",
            "did you mean \"distance_meters\"",
        ),
        (
            "meters",
            json!({"steps": [{"meters": 400, "distance_meters": 400}]}),
            "steps[0].meters",
            "did you mean \"distance_meters\"",
        ),
        (
            "min",
            one(st(json!({"min": 50}))),
            "steps[1].min",
            "did you mean \"intensity_min\"",
        ),
        (
            "max",
            one(st(json!({"max": 50}))),
            "steps[1].max",
            "did you mean \"intensity_max\"",
        ),
        (
            "low",
            one(st(json!({"low": 50}))),
            "steps[1].low",
            "did you mean \"intensity_min\"",
        ),
        (
            "high",
            one(st(json!({"high": 50}))),
            "steps[1].high",
            "did you mean \"intensity_max\"",
        ),
        (
            "intensity",
            one(st(json!({"intensity": 50}))),
            "steps[1].intensity",
            "did you mean \"intensity_min\" and \"intensity_max\"",
        ),
        (
            "cadence",
            one(st(json!({"cadence": 90}))),
            "steps[1].cadence",
            "did you mean \"cadence_min\" and \"cadence_max\"",
        ),
        (
            "class",
            one(st(json!({"class": "rest"}))),
            "steps[1].class",
            "did you mean \"intensityClass\"",
        ),
        (
            "typo of intensityClass",
            one(st(json!({"intesityClass": "rest"}))),
            "steps[1].intesityClass",
            "did you mean \"intensityClass\"",
        ),
        (
            "typo of type",
            one(json!({"tpye": "repetition", "reps": 2, "steps": [st(json!({}))]})),
            "steps[1].tpye",
            "did you mean \"type\"",
        ),
        (
            "typo of steps",
            one(json!({"type": "repetition", "reps": 2, "step": [st(json!({}))]})),
            "steps[1].step",
            "did you mean \"steps\"",
        ),
        (
            "typo of name",
            one(st(json!({"nmae": "x"}))),
            "steps[1].nmae",
            "did you mean \"name\"",
        ),
        (
            "open",
            one(st(json!({"open": true}))),
            "steps[1].open",
            "did you mean \"open_duration\"",
        ),
        (
            "ramp count",
            one(ramp(json!({"count": 4}))),
            "steps[1].count",
            "did you mean \"steps_count\"",
        ),
        (
            "ramp stepsCount",
            one(ramp(json!({"stepsCount": 4}))),
            "steps[1].stepsCount",
            "did you mean \"steps_count\"",
        ),
        (
            "ramp end",
            json!({"steps": [{"type": "rampUp", "intensity_start": 50, "end": 70, "duration_seconds": 600}]}),
            "steps[0].end",
            "did you mean \"intensity_end\"",
        ),
        (
            "inner step",
            one(rep(json!({"steps": [st(json!({"duraton_seconds": 5}))]}))),
            "steps[1].steps[0].duraton_seconds",
            "did you mean \"duration_seconds\"",
        ),
        // Unknown keys without a suggestion list what is accepted.
        (
            "unknown step key",
            one(st(json!({"foo": 1}))),
            "steps[1].foo",
            "a step takes name, type \"step\", duration_seconds",
        ),
        (
            "unknown repetition key",
            one(rep(json!({"foo": 1}))),
            "steps[1].foo",
            "a repetition takes type \"repetition\", reps",
        ),
        (
            "unknown ramp key",
            one(ramp(json!({"foo": 1}))),
            "steps[1].foo",
            "a ramp takes",
        ),
        (
            "key with spaces",
            one(st(json!({"my key": 1}))),
            "steps[1][\"my key\"]",
            "unknown key",
        ),
        (
            "notes on a step",
            one(st(json!({"notes": "smooth"}))),
            "steps[1].notes",
            "no notes or description",
        ),
        (
            "description on a step",
            one(st(json!({"description": "x"}))),
            "steps[1].description",
            "put a short cue in \"name\"",
        ),
        (
            "begin on a step",
            one(st(json!({"begin": 0}))),
            "steps[1].begin",
            "computed",
        ),
        (
            "rest as a key",
            one(rep(json!({"rest": 60}))),
            "steps[1].rest",
            "its own step",
        ),
        // Known keys that would be ignored where they are.
        (
            "wire length on a friendly step",
            one(
                json!({"length": {"value": 60, "unit": "second"}, "intensity_min": 1, "intensity_max": 2}),
            ),
            "steps[1].length",
            "duration_seconds",
        ),
        (
            "wire targets on a friendly step",
            one(st(json!({"targets": [{"minValue": 1, "maxValue": 2}]}))),
            "steps[1].targets",
            "intensity_min and intensity_max",
        ),
        (
            "wire block among friendly steps",
            one(
                json!({"type": "step", "length": {"value": 1, "unit": "repetition"},
                "steps": [{"length": {"value": 60, "unit": "second"}}]}),
            ),
            "steps[1].length",
            "write every step in the same format",
        ),
        (
            "wire length on a repetition",
            one(
                json!({"type": "repetition", "length": {"value": 3, "unit": "repetition"}, "steps": [st(json!({}))]}),
            ),
            "steps[1].length",
            "\"reps\"",
        ),
        (
            "intensity on a repetition",
            one(rep(json!({"intensity_min": 50, "intensity_max": 60}))),
            "steps[1].intensity_min",
            "inner steps",
        ),
        (
            "class on a repetition",
            one(rep(json!({"intensityClass": "rest"}))),
            "steps[1].intensityClass",
            "inner steps",
        ),
        (
            "cadence on a repetition",
            one(rep(json!({"cadence_max": 90}))),
            "steps[1].cadence_max",
            "inner steps",
        ),
        (
            "open on a repetition",
            one(rep(json!({"open_duration": true}))),
            "steps[1].open_duration",
            "inner steps",
        ),
        (
            "ramp keys on a step",
            one(st(json!({"type": "step", "intensity_end": 80}))),
            "steps[1].intensity_end",
            "belongs to a ramp",
        ),
        (
            "steps_count on a step",
            one(st(json!({"steps_count": 3}))),
            "steps[1].steps_count",
            "belongs to a ramp",
        ),
        (
            "ramp key on an inner step",
            one(rep(json!({"steps": [st(json!({"intensity_end": 80}))]}))),
            "steps[1].steps[0].intensity_end",
            "belongs to a ramp",
        ),
        (
            "reps on a ramp",
            one(ramp(json!({"reps": 3}))),
            "steps[1].reps",
            "cannot repeat",
        ),
        (
            "openDuration on a ramp",
            one(ramp(json!({"openDuration": true}))),
            "steps[1].openDuration",
            "open-duration",
        ),
        // A repetition needs reps.
        (
            "repetition without reps",
            one(json!({"type": "repetition", "steps": [st(json!({}))]})),
            "steps[1].reps",
            "is missing: a repetition needs \"reps\"",
        ),
        (
            "steps without reps or type",
            one(json!({"steps": [st(json!({}))]})),
            "steps[1].reps",
            "(1–1000)",
        ),
        (
            "null reps",
            one(json!({"reps": null, "steps": [st(json!({}))]})),
            "steps[1].reps",
            "is missing",
        ),
        // The friendly root.
        (
            "unknown root key",
            json!({"steps": [st(json!({}))], "metric": "percentOfFtp"}),
            "metric",
            "did you mean \"primaryIntensityMetric\"",
        ),
        (
            "misspelt root metric",
            json!({"steps": [st(json!({}))], "primaryIntensityMetirc": "percentOfFtp"}),
            "primaryIntensityMetirc",
            "did you mean \"primaryIntensityMetric\"",
        ),
        (
            "computed root key",
            json!({"steps": [st(json!({}))], "primaryLengthMetric": "distance"}),
            "primaryLengthMetric",
            "computed",
        ),
        (
            "workout field in the root",
            json!({"steps": [st(json!({}))], "title": "VO2"}),
            "title",
            "belongs on the workout",
        ),
        (
            "unknown root key, no suggestion",
            json!({"steps": [st(json!({}))], "zzz": 1}),
            "zzz",
            "\"steps\", \"primaryIntensityMetric\"",
        ),
        (
            "steps and structure",
            json!({"steps": [st(json!({}))], "structure": []}),
            "structure",
            "not both",
        ),
        // Neither format: a key with a likely meaning is named.
        (
            "no friendly key, misspelt",
            json!({"steps": [{"name": "x", "duration": 600, "min": 50, "max": 60}]}),
            "steps[0].duration",
            "did you mean \"duration_seconds\"",
        ),
        (
            "no friendly key, misspelt inner",
            json!({"steps": [{"type": "repetition", "steps": [{"secs": 60}]}]}),
            "steps[0].steps[0].secs",
            "did you mean \"duration_seconds\"",
        ),
    ];
    for (name, input, path, needle) in cases {
        let e = err(input.clone());
        assert_eq!(e.path, path, "{name}: {e}");
        assert!(
            e.message.contains(needle),
            "{name}: message {:?} lacks {needle:?}",
            e.message
        );
        // Text input reports the same error.
        let t = compile(&input.to_string()).unwrap_err();
        assert_eq!(t, e, "{name}: text and value disagree");
    }
}

#[test]
fn friendly_format_tolerates_its_documented_extras() {
    // `name` on a repetition (the reference vectors use it; blocks have no name on the
    // wire, so it is dropped), the `intensity_class` and `openDuration` spellings, and the
    // root's `primary_intensity_metric` and `visualizationDistanceUnit`.
    let s = ok(
        json!({"primary_intensity_metric": "percentOfThresholdHr", "visualizationDistanceUnit": "kilometer",
        "steps": [
            {"name": "Set", "type": "repetition", "reps": 2, "steps": [
                {"type": "step", "duration_seconds": 60, "intensity_min": 80, "intensity_max": 90, "intensity_class": "active"},
                {"duration_seconds": 30, "intensity_min": 50, "intensity_max": 60, "openDuration": true}]},
            {"name": "Ramp", "type": "rampDown", "intensity_start": 70, "intensity_end": 50, "duration_seconds": 120,
             "steps_count": 2, "open_duration": false, "openDuration": false, "intensityClass": "coolDown",
             "cadence_min": 80, "cadence_max": 90}]}),
    );
    assert_eq!(s.structure[0].length.value, 2.0);
    assert!(s.structure[0].steps[1].open_duration);
    assert_eq!(
        s.to_value()["primaryIntensityMetric"],
        "percentOfThresholdHr"
    );
    assert_eq!(s.structure[1].steps.len(), 2);
}

#[test]
fn wire_formats_still_pass_unknown_keys_through() {
    // A wire block with keys that would be errors in the friendly format: TrainingPeaks
    // adds fields, so wire input keeps them.
    let blocks = ok(
        json!({"steps": [{"type": "repetition", "length": {"value": 2, "unit": "repetition"},
        "repeat": 9, "notes": "n", "steps": [{"length": {"value": 60, "unit": "second"}, "duration": 5,
        "targets": [{"minValue": 50, "maxValue": 60, "zone": 2}]}]}]}),
    );
    let v = blocks.to_value();
    assert_eq!(v["structure"][0]["repeat"], 9);
    assert_eq!(v["structure"][0]["notes"], "n");
    assert_eq!(v["structure"][0]["steps"][0]["duration"], 5);
    assert_eq!(v["structure"][0]["steps"][0]["targets"][0]["zone"], 2);
    assert_eq!(v["structure"][0]["end"], 120);
    // The full wire structure's root keeps its own keys too.
    let full = ok(
        json!({"structure": [{"type": "step", "length": {"value": 1, "unit": "repetition"},
        "steps": [{"length": {"value": 60, "unit": "second"}, "custom": true}]}],
        "polyline": [], "primaryLengthMetric": "duration", "somethingNew": 1}),
    );
    assert_eq!(full.to_value()["structure"][0]["steps"][0]["custom"], true);
}
