//! Every validation error names its field.

use super::err;
use serde_json::{Value, json};

#[test]
fn validation_errors_name_the_field() {
    let step = |extra: Value| {
        let mut s = json!({"duration_seconds": 60, "intensity_min": 50, "intensity_max": 60});
        if let (Some(o), Value::Object(e)) = (s.as_object_mut(), extra) {
            o.extend(e);
        }
        s
    };
    let wire_step = json!({"length": {"value": 60, "unit": "second"}});
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("not JSON object", json!(5), "(root)", "JSON object"),
        (
            "string that is not JSON",
            json!("nope"),
            "(root)",
            "not valid JSON",
        ),
        (
            "steps missing",
            json!({"foo": 1}),
            "steps",
            "\"steps\" array",
        ),
        ("steps wrong type", json!({"steps": "a"}), "steps", "array"),
        (
            "steps empty",
            json!({"steps": []}),
            "steps",
            "at least one step",
        ),
        (
            "unknown format",
            json!({"steps": [{"name": "x"}]}),
            "steps[0]",
            "Could not determine",
        ),
        (
            "step not an object",
            json!({"steps": [step(json!({})), 3]}),
            "steps[1]",
            "object",
        ),
        (
            "unknown metric",
            json!({"primaryIntensityMetric": "watts", "steps": [step(json!({}))]}),
            "primaryIntensityMetric",
            "percentOfFtp",
        ),
        (
            "zero duration",
            json!({"steps": [step(json!({"duration_seconds": 0}))]}),
            "steps[0].duration_seconds",
            "greater than 0",
        ),
        (
            "negative duration",
            json!({"steps": [step(json!({"duration_seconds": -5}))]}),
            "steps[0].duration_seconds",
            "greater than 0",
        ),
        (
            "string duration",
            json!({"steps": [step(json!({"duration_seconds": "10 min"}))]}),
            "steps[0].duration_seconds",
            "\"10 min\"",
        ),
        (
            "duration over 24 h",
            json!({"steps": [step(json!({"duration_seconds": 90000}))]}),
            "steps[0].duration_seconds",
            "86400",
        ),
        (
            "workout over 24 h",
            json!({"steps": [{"type": "repetition", "reps": 30, "steps": [step(json!({"duration_seconds": 3600}))]}]}),
            "steps",
            "24 h",
        ),
        (
            "distance over 1000 km",
            json!({"steps": [step(json!({"duration_seconds": null, "distance_meters": 2e6}))]}),
            "steps[0].distance_meters",
            "1000 km",
        ),
        (
            "both lengths",
            json!({"steps": [step(json!({"distance_meters": 100}))]}),
            "steps[0].distance_meters",
            "not both",
        ),
        (
            "min above max",
            json!({"steps": [step(json!({"intensity_min": 110, "intensity_max": 100}))]}),
            "steps[0].intensity_min",
            "greater than",
        ),
        (
            "intensity over 1000 %",
            json!({"steps": [step(json!({"intensity_max": 1200}))]}),
            "steps[0].intensity_max",
            "1000",
        ),
        (
            "negative intensity",
            json!({"steps": [step(json!({"intensity_min": -1}))]}),
            "steps[0].intensity_min",
            "0 to 1000",
        ),
        (
            "only intensity_min",
            json!({"steps": [{"duration_seconds": 60, "intensity_min": 50}]}),
            "steps[0].intensity_max",
            "both",
        ),
        (
            "cadence out of range",
            json!({"steps": [step(json!({"cadence_min": 0, "cadence_max": 90}))]}),
            "steps[0].cadence_min",
            "1 to 250",
        ),
        (
            "cadence min above max",
            json!({"steps": [step(json!({"cadence_min": 100, "cadence_max": 90}))]}),
            "steps[0].cadence_min",
            "greater than",
        ),
        (
            "unknown class",
            json!({"steps": [step(json!({"intensityClass": "hard"}))]}),
            "steps[0].intensityClass",
            "warmUp",
        ),
        (
            "class wrong type",
            json!({"steps": [step(json!({"intensityClass": 3}))]}),
            "steps[0].intensityClass",
            "coolDown",
        ),
        (
            "unknown type",
            json!({"steps": [step(json!({"type": "interval"}))]}),
            "steps[0].type",
            "repetition",
        ),
        (
            "name not a string",
            json!({"steps": [step(json!({"name": 5}))]}),
            "steps[0].name",
            "string",
        ),
        (
            "open_duration not bool",
            json!({"steps": [step(json!({"open_duration": "yes"}))]}),
            "steps[0].open_duration",
            "true or false",
        ),
        (
            "open without estimate",
            json!({"steps": [{"open_duration": true}]}),
            "steps[0].duration_seconds",
            "estimate",
        ),
        (
            "fractional reps",
            json!({"steps": [{"type": "repetition", "reps": 2.5, "steps": [step(json!({}))]}]}),
            "steps[0].reps",
            "whole number",
        ),
        (
            "zero reps",
            json!({"steps": [{"type": "repetition", "reps": 0, "steps": [step(json!({}))]}]}),
            "steps[0].reps",
            "1 to 1000",
        ),
        (
            "reps as string",
            json!({"steps": [{"type": "repetition", "reps": "3", "steps": [step(json!({}))]}]}),
            "steps[0].reps",
            "\"3\"",
        ),
        (
            "empty repetition",
            json!({"steps": [{"type": "repetition", "reps": 3, "steps": []}]}),
            "steps[0].steps",
            "at least one",
        ),
        (
            "repetition in repetition",
            json!({"steps": [{"type": "repetition", "reps": 2, "steps": [
                {"type": "repetition", "reps": 2, "steps": [step(json!({}))]}]}]}),
            "steps[0].steps[0]",
            "one level",
        ),
        (
            "ramp in repetition",
            json!({"steps": [{"type": "repetition", "reps": 2, "steps": [
                {"type": "rampUp", "intensity_start": 50, "intensity_end": 60, "duration_seconds": 60}]}]}),
            "steps[0].steps[0]",
            "ramp",
        ),
        (
            "inner zero duration",
            json!({"steps": [{"type": "repetition", "reps": 2, "steps": [
                step(json!({})), step(json!({"duration_seconds": 0}))]}]}),
            "steps[0].steps[1].duration_seconds",
            "greater than 0",
        ),
        (
            "time/distance mix",
            json!({"steps": [step(json!({})), step(json!({"duration_seconds": null, "distance_meters": 400}))]}),
            "steps[1].distance_meters",
            "one length metric",
        ),
        (
            "ramp flat",
            json!({"steps": [{"type": "rampUp", "intensity_start": 60, "intensity_end": 60, "duration_seconds": 60}]}),
            "steps[0].intensity_end",
            "different",
        ),
        (
            "rampUp falling",
            json!({"steps": [{"type": "rampUp", "intensity_start": 70, "intensity_end": 60, "duration_seconds": 60}]}),
            "steps[0].intensity_start",
            "rampDown",
        ),
        (
            "ramp steps_count 1",
            json!({"steps": [{"type": "rampUp", "intensity_start": 50, "intensity_end": 60, "duration_seconds": 60, "steps_count": 1}]}),
            "steps[0].steps_count",
            "2 to 30",
        ),
        (
            "ramp too short",
            json!({"steps": [{"type": "rampUp", "intensity_start": 50, "intensity_end": 60, "duration_seconds": 3, "steps_count": 4}]}),
            "steps[0].duration_seconds",
            "too short",
        ),
        (
            "ramp without end",
            json!({"steps": [{"type": "rampUp", "intensity_start": 50, "duration_seconds": 60}]}),
            "steps[0].intensity_end",
            "missing",
        ),
        (
            "wire: block without steps",
            json!({"steps": [{"type": "step", "length": {"value": 1, "unit": "repetition"}}]}),
            "steps[0]",
            "no steps array",
        ),
        (
            "wire: bad unit",
            json!({"structure": [{"type": "step", "steps": [{"length": {"value": 1, "unit": "hour"}}]}]}),
            "structure[0].steps[0].length.unit",
            "second",
        ),
        (
            "wire: zero length",
            json!({"structure": [{"type": "step", "steps": [{"length": {"value": 0, "unit": "second"}}]}]}),
            "structure[0].steps[0].length.value",
            "positive",
        ),
        (
            "wire: fractional reps",
            json!({"structure": [{"type": "repetition", "length": {"value": 1.5, "unit": "repetition"}, "steps": [wire_step.clone()]}]}),
            "structure[0].length.value",
            "whole number",
        ),
        (
            "wire: step block with two steps",
            json!({"structure": [{"type": "step", "steps": [wire_step.clone(), wire_step.clone()]}]}),
            "structure[0].steps",
            "exactly one",
        ),
        (
            "wire: nested steps",
            json!({"structure": [{"type": "repetition", "length": {"value": 2, "unit": "repetition"},
                "steps": [{"length": {"value": 1, "unit": "second"}, "steps": [wire_step.clone()]}]}]}),
            "structure[0].steps[0].steps",
            "one level",
        ),
        (
            "wire: min above max",
            json!({"structure": [{"type": "step", "steps": [{"length": {"value": 60, "unit": "second"},
                "targets": [{"minValue": 90, "maxValue": 80}]}]}]}),
            "structure[0].steps[0].targets[0].minValue",
            "greater than",
        ),
        (
            "wire: unknown block type",
            json!({"structure": [{"type": "loop", "steps": [wire_step.clone()]}]}),
            "structure[0].type",
            "repetition",
        ),
        (
            "wire: unknown class",
            json!({"structure": [{"type": "step", "steps": [{"length": {"value": 60, "unit": "second"}, "intensityClass": "easy"}]}]}),
            "structure[0].steps[0].intensityClass",
            "rest",
        ),
        (
            "wire: empty structure",
            json!({"structure": []}),
            "structure",
            "at least one",
        ),
    ];
    for (name, input, path, needle) in cases {
        let e = err(input);
        assert_eq!(e.path, path, "{name}: {e}");
        assert!(
            e.message.contains(needle),
            "{name}: message {:?} lacks {needle:?}",
            e.message
        );
        assert_eq!(e.to_string(), format!("{}: {}", e.path, e.message));
    }
}
