//! Property tests: the compiler never panics, whatever the input, and every structure it
//! accepts satisfies the wire invariants.

use paceline_core::structure::{self, Structure};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Arbitrary JSON, biased towards the keys and values the compiler looks at.
fn arb_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("steps".to_owned()),
        Just("structure".to_owned()),
        Just("type".to_owned()),
        Just("reps".to_owned()),
        Just("duration_seconds".to_owned()),
        Just("distance_meters".to_owned()),
        Just("intensity_min".to_owned()),
        Just("intensity_max".to_owned()),
        Just("intensity_start".to_owned()),
        Just("intensity_end".to_owned()),
        Just("steps_count".to_owned()),
        Just("cadence_min".to_owned()),
        Just("cadence_max".to_owned()),
        Just("intensityClass".to_owned()),
        Just("open_duration".to_owned()),
        Just("openDuration".to_owned()),
        Just("length".to_owned()),
        Just("value".to_owned()),
        Just("unit".to_owned()),
        Just("targets".to_owned()),
        Just("minValue".to_owned()),
        Just("maxValue".to_owned()),
        Just("primaryIntensityMetric".to_owned()),
        "[a-z]{1,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-5.0f64..5000.0).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just("repetition"),
            Just("step"),
            Just("rampUp"),
            Just("rampDown"),
            Just("ramp"),
            Just("second"),
            Just("meter"),
            Just("mile"),
            Just("repetition"),
            Just("warmUp"),
            Just("recovery"),
            Just("percentOfThresholdHr"),
            Just("{\"steps\":[]}"),
        ]
        .prop_map(|s| Value::String(s.to_owned())),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

/// A plausible friendly step (sometimes invalid on purpose).
fn arb_step() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just(None),
            (1.0f64..4000.0).prop_map(Some),
            (-10.0f64..10.0).prop_map(Some)
        ],
        prop_oneof![Just(None), (0.0f64..200.0).prop_map(Some)],
        0.0f64..60.0,
        prop_oneof![
            Just(None),
            Just(Some("warmUp")),
            Just(Some("rest")),
            Just(Some("recovery")),
            Just(Some("bogus"))
        ],
        any::<bool>(),
        prop_oneof![Just(None), (60.0f64..110.0).prop_map(Some)],
    )
        .prop_map(|(dur, lo, width, class, open, cad)| {
            let mut o = Map::new();
            if let Some(d) = dur {
                o.insert("duration_seconds".into(), json!(d.round()));
            }
            if let Some(lo) = lo {
                o.insert("intensity_min".into(), json!(lo));
                o.insert("intensity_max".into(), json!(lo + width));
            }
            if let Some(c) = class {
                o.insert("intensityClass".into(), json!(c));
            }
            if open {
                o.insert("open_duration".into(), json!(true));
            }
            if let Some(c) = cad {
                o.insert("cadence_min".into(), json!(c));
                o.insert("cadence_max".into(), json!(c + 10.0));
            }
            Value::Object(o)
        })
}

fn arb_friendly() -> impl Strategy<Value = Value> {
    let block = prop_oneof![
        3 => arb_step(),
        2 => ((0u32..6), prop::collection::vec(arb_step(), 0..4))
            .prop_map(|(reps, steps)| json!({"type": "repetition", "reps": reps, "steps": steps})),
        1 => ((0.0f64..150.0), (0.0f64..150.0), (1.0f64..3600.0), prop::option::of(0u32..12))
            .prop_map(|(a, b, d, n)| {
                let mut r = json!({"type": "ramp", "intensity_start": a.round(), "intensity_end": b.round(),
                                   "duration_seconds": d.round()});
                if let Some(n) = n {
                    r["steps_count"] = json!(n);
                }
                r
            }),
    ];
    (
        prop::collection::vec(block, 0..8),
        prop_oneof![
            Just("percentOfFtp"),
            Just("percentOfThresholdPace"),
            Just("percentOfThresholdHr")
        ],
    )
        .prop_map(|(steps, m)| json!({"primaryIntensityMetric": m, "steps": steps}))
}

/// JSON equality with a relative tolerance on numbers.
fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| close(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        (a, b) => a == b,
    }
}

/// Wire invariants every compiled structure must satisfy.
fn check_invariants(s: &Structure) -> Result<(), TestCaseError> {
    prop_assert!(!s.structure.is_empty());
    let mut cursor = 0.0;
    for b in &s.structure {
        prop_assert_eq!(b.begin, cursor, "blocks are contiguous");
        prop_assert!(b.end > b.begin, "blocks have positive length");
        prop_assert!(!b.steps.is_empty());
        cursor = b.end;
        for st in &b.steps {
            prop_assert!(st.length.value > 0.0);
            if let Some(t) = st.primary()
                && let (Some(a), Some(z)) = (t.min_value, t.max_value)
            {
                prop_assert!(a <= z, "min ≤ max");
            }
        }
    }
    if let (Some(first), Some(last)) = (s.polyline.first(), s.polyline.last()) {
        prop_assert_eq!(*first, [0.0, 0.0]);
        prop_assert_eq!(*last, [1.0, 0.0]);
        for w in s.polyline.windows(2) {
            prop_assert!(w[1][0] >= w[0][0], "x is non-decreasing");
        }
        prop_assert!(
            s.polyline
                .iter()
                .all(|[x, y]| (0.0..=1.0).contains(x) && (0.0..=1.0).contains(y))
        );
    }
    // Our own output recompiles to itself (numbers compared to 1e-12 relative: serde_json's
    // default float parser may be 1 ulp off on 17-digit decimals).
    let again = structure::compile(&s.to_json()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        close(&again.to_value(), &s.to_value()),
        "round trip: {} vs {}",
        again.to_json(),
        s.to_json()
    );
    // Metrics and summary never panic either.
    let _ = structure::metrics(s, Some(250.0));
    prop_assert!(!structure::summary(s).is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        let a = structure::compile_value(&v);
        let b = structure::compile(&v.to_string());
        // A JSON string value is itself JSON text for compile_value, so only objects must agree.
        if v.is_object() {
            prop_assert_eq!(a.is_ok(), b.is_ok(), "text and value agree: {:?} vs {:?}", a, b);
            if let (Ok(x), Ok(y)) = (&a, &b) {
                prop_assert!(close(&x.to_value(), &y.to_value()));
            }
        }
        for s in [a, b].into_iter().flatten() {
            check_invariants(&s)?;
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,64}") {
        let _ = structure::compile(&text);
    }

    #[test]
    fn friendly_structures_hold_invariants(v in arb_friendly()) {
        match structure::compile_value(&v) {
            Ok(s) => check_invariants(&s)?,
            Err(e) => {
                prop_assert!(!e.path.is_empty());
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// An unknown key anywhere in a friendly structure is never ignored: the structure is
    /// rejected, and when it was valid without the key, the error is at the key's path.
    #[test]
    fn friendly_unknown_keys_are_always_rejected(
        v in arb_friendly(),
        pick in any::<prop::sample::Index>(),
        inner in any::<bool>(),
        key in "zz[a-z_]{0,8}",
    ) {
        let steps = v["steps"].as_array().cloned().unwrap_or_default();
        prop_assume!(!steps.is_empty());
        let i = pick.index(steps.len());
        let mut bad = v.clone();
        let (target, path) = match bad["steps"][i]["steps"].as_array().map(Vec::len) {
            Some(n) if inner && n > 0 => {
                (&mut bad["steps"][i]["steps"][0], format!("steps[{i}].steps[0].{key}"))
            }
            _ => (&mut bad["steps"][i], format!("steps[{i}].{key}")),
        };
        if let Some(o) = target.as_object_mut() {
            o.insert(key.clone(), json!(1));
        }
        let was_ok = structure::compile_value(&v).is_ok();
        match structure::compile_value(&bad) {
            Ok(s) => prop_assert!(false, "accepted {key}: {}", s.to_json()),
            Err(e) => {
                if was_ok {
                    prop_assert_eq!(&e.path, &path);
                    prop_assert!(e.message.starts_with("unknown key"), "{}", e.message);
                }
            }
        }
    }
}
