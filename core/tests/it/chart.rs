//! The chart renderer: golden SVGs (regenerate with `UPDATE_GOLDEN=1`), structural checks that
//! do not depend on bytes, descriptions, errors naming the field, and a property test that any
//! compiled structure draws.

use std::path::PathBuf;

use chrono::NaiveDate;
use paceline_core::chart::{
    self, Chart, ChartOptions, CpModel, FitnessRow, PowerCurve, RampStyle, Theme, WeekDay,
    WeekMetric,
};
use paceline_core::structure::{self, Structure};
use proptest::prelude::*;
use serde_json::{Value, json};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/charts")
}

fn input(name: &str) -> String {
    std::fs::read_to_string(golden_dir().join(name)).unwrap()
}

/// Compares `svg` with the golden file, or rewrites it under `UPDATE_GOLDEN=1`.
fn golden(name: &str, svg: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, svg).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert!(
        want == svg,
        "{name} differs from the golden file (UPDATE_GOLDEN=1 rewrites it after a deliberate change)"
    );
}

fn opts(theme: Theme) -> ChartOptions {
    ChartOptions {
        theme,
        ..ChartOptions::default()
    }
}

fn workout(name: &str) -> Structure {
    structure::compile(&input(name)).unwrap()
}

/// The shapes inside `<g class="steps">`, as (kind, attributes) pairs.
fn step_shapes(svg: &str) -> Vec<String> {
    let start = svg.find("<g class=\"steps\">").expect("steps group") + 17;
    let end = start + svg[start..].find("</g>").unwrap();
    svg[start..end]
        .split('<')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn attr(shape: &str, name: &str) -> f64 {
    let key = format!(" {name}=\"");
    let at = shape
        .find(&key)
        .unwrap_or_else(|| panic!("{name} in {shape}"))
        + key.len();
    shape[at..].split('"').next().unwrap().parse().unwrap()
}

/// Steps as the athlete does them: repetitions unrolled; (length in base units, is ramp).
fn unrolled(s: &Structure) -> Vec<(f64, bool)> {
    let mut out = Vec::new();
    for b in &s.structure {
        let ramp = matches!(
            b.kind,
            structure::BlockKind::RampUp | structure::BlockKind::RampDown
        );
        for _ in 0..(b.repeats() as usize) {
            for st in &b.steps {
                out.push((st.length.value * st.length.unit.to_base(), ramp));
            }
        }
    }
    out
}

/// Checks what any chart must carry: the accessible frame and well-formed-looking markup.
fn check_frame(c: &Chart) {
    let svg = &c.svg;
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.ends_with("</svg>"));
    assert!(svg.contains("role=\"img\""));
    let ids = svg
        .split("aria-labelledby=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let (t, d) = ids.split_once(' ').unwrap();
    assert!(svg.contains(&format!("<title id=\"{t}\">")));
    assert!(svg.contains(&format!("<desc id=\"{d}\">")));
    assert!(!c.description.is_empty() && !c.title.is_empty());
    // Every opened element is closed or self-closed (a cheap balance check).
    let opens = svg.matches('<').count();
    let closes = svg.matches("</").count() * 2 + svg.matches("/>").count();
    assert_eq!(opens, closes, "unbalanced markup");
    // No embedded fonts or images.
    assert!(!svg.contains("@font-face") && !svg.contains("<image"));
}

/// Structural checks on a workout profile: one shape per step (repeats unrolled), widths in
/// proportion to lengths, rects for plain steps and paths for ramp sub-steps in slope style.
fn check_profile(s: &Structure, c: &Chart, ramps: RampStyle) {
    check_frame(c);
    let steps = unrolled(s);
    let shapes = step_shapes(&c.svg);
    assert_eq!(shapes.len(), steps.len(), "one shape per step");
    let total: f64 = steps.iter().map(|(l, _)| l).sum();
    let plot = f64::from(c.width) - 46.0 - 12.0;
    let mut x = 46.0;
    for ((len, ramp), shape) in steps.iter().zip(&shapes) {
        let want = len / total * plot;
        if *ramp && ramps == RampStyle::Slope {
            assert!(shape.starts_with("path "), "{shape}");
        } else {
            assert!(shape.starts_with("rect "), "{shape}");
            assert!(
                (attr(shape, "x") - x).abs() <= 0.11,
                "x of {shape}, want {x}"
            );
            let w = attr(shape, "width");
            // Drawn 0.6 px narrower (a gap between neighbours) when wider than 2 px; rounding 0.1.
            assert!(
                (w - want).abs() <= 0.75,
                "width {w} for length {len}, want {want}"
            );
        }
        x += want;
    }
}

#[test]
fn chart_golden_workouts() {
    for (file, theme, ramps) in [
        ("bench-workout-20", Theme::Light, RampStyle::Slope),
        ("bench-workout-20", Theme::Dark, RampStyle::Slope),
        ("ramps", Theme::Light, RampStyle::Slope),
        ("ramps", Theme::Dark, RampStyle::Staircase),
        ("swim-distance", Theme::Light, RampStyle::Slope),
        ("hr-run", Theme::Dark, RampStyle::Slope),
    ] {
        let s = workout(&format!("{file}.json"));
        let c = chart::workout_profile(&s, ramps, &opts(theme)).unwrap();
        check_profile(&s, &c, ramps);
        let suffix = match (theme, ramps) {
            (Theme::Dark, RampStyle::Staircase) => ".dark.staircase",
            (Theme::Dark, _) => ".dark",
            _ => "",
        };
        golden(&format!("{file}{suffix}.svg"), &c.svg);
    }
}

/// Small charts drop legends that would run into the title rather than overlap it.
#[test]
fn chart_golden_narrow() {
    let small = ChartOptions {
        width: 400,
        height: 200,
        ..ChartOptions::default()
    };
    let s = workout("bench-workout-20.json");
    let c = chart::workout_profile(&s, RampStyle::Slope, &small).unwrap();
    check_profile(&s, &c, RampStyle::Slope);
    golden("bench-workout-20.narrow.svg", &c.svg);
    let (today, rows) = fitness_input();
    let c = chart::fitness(&rows, today, &small).unwrap();
    check_frame(&c);
    assert!(!c.svg.contains(">CTL fitness</text>"));
    golden("fitness.narrow.svg", &c.svg);
}

#[test]
fn chart_bench_workout_is_small_and_deterministic() {
    let s = workout("bench-workout-20.json");
    let a = chart::workout_profile(&s, RampStyle::Slope, &opts(Theme::Light)).unwrap();
    let b = chart::workout_profile(&s, RampStyle::Slope, &opts(Theme::Light)).unwrap();
    assert_eq!(a, b);
    assert!(a.svg.len() <= 20 * 1024, "{} bytes", a.svg.len());
    assert!(unrolled(&s).len() >= 20);
}

#[test]
fn chart_workout_description_tells_what_is_drawn() {
    let s = workout("bench-workout-20.json");
    let c = chart::workout_profile(&s, RampStyle::Slope, &opts(Theme::Light)).unwrap();
    let d = &c.description;
    assert!(
        d.starts_with("Workout profile by time, 4h15 in 83 steps, IF 0.85, TSS 308"),
        "{d}"
    );
    assert!(d.contains("3× (30s 100–110%, 1m 50–60%)"), "{d}");
    assert!(
        d.contains("% FTP") && d.contains("Time in zones: Z1"),
        "{d}"
    );
    // The same text is in <desc>.
    assert!(c.svg.contains(&format!(">{d}</desc>")));

    let swim = workout("swim-distance.json");
    let c = chart::workout_profile(&swim, RampStyle::Slope, &opts(Theme::Light)).unwrap();
    assert!(
        c.description.contains("by distance, 1,950 m"),
        "{}",
        c.description
    );
    assert!(
        c.description.contains("Distance in zones"),
        "{}",
        c.description
    );

    let ramps = workout("ramps.json");
    let c = chart::workout_profile(&ramps, RampStyle::Slope, &opts(Theme::Light)).unwrap();
    assert!(
        c.description.contains("ramp 10m 45→75%"),
        "{}",
        c.description
    );
    assert!(
        c.description.contains("ramp 10m 65→40%"),
        "{}",
        c.description
    );
    assert!(c.description.contains("1 open step"), "{}", c.description);
    assert!(c.svg.contains(">open</text>"));
}

#[test]
fn chart_zone_colours_follow_the_metric() {
    // 100 % is Z4 with power (90–105) but Z5a with heart rate (from 100); the two charts differ
    // in the colour of the same step.
    let one = |metric: &str| {
        let s = structure::compile(
            &json!({"primaryIntensityMetric": metric, "steps": [
                {"duration_seconds": 600, "intensity_min": 100, "intensity_max": 100}]})
            .to_string(),
        )
        .unwrap();
        let c = chart::workout_profile(&s, RampStyle::Slope, &opts(Theme::Light)).unwrap();
        let shape = step_shapes(&c.svg).remove(0);
        shape.split("fill=\"").nth(1).unwrap()[..7].to_string()
    };
    assert_eq!(one("percentOfFtp"), "#e8b923");
    assert_eq!(one("percentOfThresholdHr"), "#f08a24");
}

fn fitness_input() -> (NaiveDate, Vec<FitnessRow>) {
    let v: Value = serde_json::from_str(&input("fitness.json")).unwrap();
    (
        serde_json::from_value(v["today"].clone()).unwrap(),
        serde_json::from_value(v["rows"].clone()).unwrap(),
    )
}

#[test]
fn chart_golden_fitness() {
    let (today, rows) = fitness_input();
    for (theme, name) in [
        (Theme::Light, "fitness.svg"),
        (Theme::Dark, "fitness.dark.svg"),
    ] {
        let c = chart::fitness(&rows, today, &opts(theme)).unwrap();
        check_frame(&c);
        // Past lines solid, the projection dashed, today marked, one bar per day with TSS.
        for k in ["ctl", "atl", "tsb"] {
            assert!(c.svg.contains(&format!("<path class=\"{k}\" d=\"M")));
            assert!(c.svg.contains(&format!("<path class=\"{k} projected\"")));
        }
        assert!(c.svg.contains("class=\"today\"") && c.svg.contains(">Today</text>"));
        let bars = c
            .svg
            .split("<g class=\"tss\"")
            .skip(1)
            .map(|g| g.split("</g>").next().unwrap().matches("<rect").count())
            .sum::<usize>();
        assert_eq!(bars, rows.iter().filter(|r| r.tss > 0.0).count());
        golden(name, &c.svg);
    }
    let c = chart::fitness(&rows, today, &opts(Theme::Light)).unwrap();
    assert!(
        c.description.contains("On 2026-12-06 CTL"),
        "{}",
        c.description
    );
    assert!(
        c.description.contains("Projected (dashed) to 2026-12-20"),
        "{}",
        c.description
    );
}

#[test]
fn chart_fitness_rejects_bad_rows_by_field() {
    let (today, mut rows) = fitness_input();
    rows[3].ctl = f64::NAN;
    let e = chart::fitness(&rows, today, &opts(Theme::Light)).unwrap_err();
    assert_eq!(e.field, "rows[3].ctl");
    let (_, mut rows) = fitness_input();
    rows.swap(4, 5);
    let e = chart::fitness(&rows, today, &opts(Theme::Light)).unwrap_err();
    assert_eq!(e.field, "rows[5].date");
    let e = chart::fitness(&[], today, &opts(Theme::Light)).unwrap_err();
    assert_eq!(e.field, "rows");
    let narrow = ChartOptions {
        width: 10,
        ..ChartOptions::default()
    };
    let (_, rows) = fitness_input();
    assert_eq!(
        chart::fitness(&rows, today, &narrow).unwrap_err().field,
        "width"
    );
}

fn power_input() -> (Vec<PowerCurve>, CpModel) {
    let v: Value = serde_json::from_str(&input("power-curve.json")).unwrap();
    (
        serde_json::from_value(v["curves"].clone()).unwrap(),
        serde_json::from_value(v["cp"].clone()).unwrap(),
    )
}

#[test]
fn chart_golden_power_curve() {
    let (curves, cp) = power_input();
    for (theme, name) in [
        (Theme::Light, "power-curve.svg"),
        (Theme::Dark, "power-curve.dark.svg"),
    ] {
        let c = chart::power_curve(&curves, Some(&cp), &opts(theme)).unwrap();
        check_frame(&c);
        assert_eq!(c.svg.matches("class=\"curve\"").count(), 2);
        assert_eq!(c.svg.matches("class=\"cp\"").count(), 1);
        golden(name, &c.svg);
    }
    let c = chart::power_curve(&curves, Some(&cp), &opts(Theme::Light)).unwrap();
    assert!(
        c.description.contains("Last 90 days: 5s"),
        "{}",
        c.description
    );
    assert!(
        c.description.contains("CP 285 W, W′ 21 kJ"),
        "{}",
        c.description
    );
    // Log axis: 1 s at the left edge, 1 h further right than 1 min by the same ratio as 1 min
    // is from 1 s (ln 60 against ln 3600 = 2 × ln 60).
    let x_of = |label: &str| -> f64 {
        let at = c.svg.find(&format!(">{label}</text>")).unwrap();
        let head = &c.svg[..at];
        let x = head.rsplit("x=\"").next().unwrap();
        x.split('"').next().unwrap().parse().unwrap()
    };
    let (x1, x60, x3600) = (x_of("1s"), x_of("1m"), x_of("1h"));
    assert!((x1 - 58.0).abs() < 9.0, "{x1}");
    assert!(
        ((x3600 - 58.0) - 2.0 * (x60 - 58.0)).abs() < 1.0,
        "{x1} {x60} {x3600}"
    );
    // One curve, no model.
    let c = chart::power_curve(&curves[..1], None, &opts(Theme::Light)).unwrap();
    assert_eq!(c.svg.matches("class=\"curve\"").count(), 1);
    assert!(!c.svg.contains("class=\"cp\""));
    let e = chart::power_curve(&[], None, &opts(Theme::Light)).unwrap_err();
    assert_eq!(e.field, "curves");
    let mut bad = curves.clone();
    bad[1].points[2].seconds = 0.5;
    let e = chart::power_curve(&bad, None, &opts(Theme::Light)).unwrap_err();
    assert_eq!(e.field, "curves[1].points[2].seconds");
}

fn week_input() -> (Vec<WeekDay>, WeekMetric) {
    let v: Value = serde_json::from_str(&input("week.json")).unwrap();
    (
        serde_json::from_value(v["days"].clone()).unwrap(),
        serde_json::from_value(v["metric"].clone()).unwrap(),
    )
}

#[test]
fn chart_golden_week() {
    let (days, metric) = week_input();
    for (theme, name) in [(Theme::Light, "week.svg"), (Theme::Dark, "week.dark.svg")] {
        let c = chart::week(&days, metric, &opts(theme)).unwrap();
        check_frame(&c);
        // One rect per sport amount, planned and completed apart.
        let count = |class: &str| {
            c.svg
                .split(&format!("<g class=\"{class}\">"))
                .skip(1)
                .map(|g| g.split("</g>").next().unwrap().matches("<rect").count())
                .sum::<usize>()
        };
        assert_eq!(
            count("planned"),
            days.iter().map(|d| d.planned.len()).sum::<usize>()
        );
        assert_eq!(
            count("completed"),
            days.iter().map(|d| d.completed.len()).sum::<usize>()
        );
        golden(name, &c.svg);
    }
    let c = chart::week(&days, metric, &opts(Theme::Light)).unwrap();
    assert!(
        c.description
            .starts_with("Week of 2026-11-30, planned against completed TSS per day: planned 585, completed 488 (83% of plan)."),
        "{}",
        c.description
    );
    assert!(c.description.contains("Fri: rest."), "{}", c.description);
    let hours = chart::week(&days, WeekMetric::Hours, &opts(Theme::Light)).unwrap();
    assert!(
        hours.description.contains("completed hours"),
        "{}",
        hours.description
    );
    let e = chart::week(&days[..6], metric, &opts(Theme::Light)).unwrap_err();
    assert_eq!(e.field, "days");
    let mut gap = days.clone();
    gap[3].date = gap[4].date;
    let e = chart::week(&gap, metric, &opts(Theme::Light)).unwrap_err();
    assert_eq!(e.field, "days[3].date");
}

#[test]
fn chart_workout_rejects_what_cannot_be_drawn() {
    let mut s = workout("hr-run.json");
    s.structure[1].steps[0].length.value = f64::INFINITY;
    let e = chart::workout_profile(&s, RampStyle::Slope, &opts(Theme::Light)).unwrap_err();
    assert_eq!(e.field, "structure[1].steps[0].length.value");
    let mut s = workout("hr-run.json");
    s.structure.clear();
    let e = chart::workout_profile(&s, RampStyle::Slope, &opts(Theme::Light)).unwrap_err();
    assert_eq!(e.field, "structure");
}

/// A valid friendly structure: time or distance, steps, repetitions, ramps, open steps.
fn arb_structure() -> impl Strategy<Value = Value> {
    (any::<bool>(), 0usize..3).prop_flat_map(|(distance, metric)| {
        let len_key = if distance { "distance_meters" } else { "duration_seconds" };
        let step = (1u32..5000, 0u32..400, 0u32..60, any::<bool>()).prop_map(
            move |(len, lo, w, open)| {
                json!({len_key: len, "intensity_min": lo, "intensity_max": lo + w,
                       "open_duration": open})
            },
        );
        let block = prop_oneof![
            3 => step.clone(),
            2 => (1u32..12, prop::collection::vec(step, 1..4))
                .prop_map(|(reps, steps)| json!({"type": "repetition", "reps": reps, "steps": steps})),
            1 => (0u32..300, 0u32..300, 2u32..5000, 2u32..30).prop_map(move |(a, b, len, n)| {
                json!({"type": "ramp", "intensity_start": a, "intensity_end": b, len_key: len,
                       "steps_count": n})
            }),
        ];
        let m = ["percentOfFtp", "percentOfThresholdHr", "percentOfThresholdPace"][metric];
        prop::collection::vec(block, 1..12)
            .prop_map(move |steps| json!({"primaryIntensityMetric": m, "steps": steps}))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn chart_any_valid_structure_renders(
        v in arb_structure(),
        dark in any::<bool>(),
        stairs in any::<bool>(),
        width in 200u32..2000,
        height in 120u32..900,
    ) {
        // Inputs the compiler rejects (e.g. a total over 24 h) are not charts' business.
        let Ok(s) = structure::compile_value(&v) else { return Ok(()) };
        let ramps = if stairs { RampStyle::Staircase } else { RampStyle::Slope };
        let o = ChartOptions { theme: if dark { Theme::Dark } else { Theme::Light }, width, height, title: None };
        let c = chart::workout_profile(&s, ramps, &o).unwrap();
        check_frame(&c);
        prop_assert_eq!(step_shapes(&c.svg).len(), unrolled(&s).len());
        prop_assert!(!c.svg.contains("NaN") && !c.svg.contains("inf"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// Any plausible fitness rows, curves and weeks draw (or are refused with an error), never
    /// panic, and what draws carries the accessible frame.
    #[test]
    fn chart_other_kinds_render_any_input(
        start in 0i64..20000,
        today_off in -30i64..400,
        days in prop::collection::vec((0.0f64..600.0, -50.0f64..200.0, -50.0f64..250.0, -150.0f64..100.0), 1..370),
        points in prop::collection::vec((1.0f64..2.0, 0.0f64..3000.0), 1..60),
        cp in prop::option::of((1.0f64..600.0, 0.0f64..60000.0)),
        week_vals in prop::collection::vec((0.0f64..400.0, 0usize..6, any::<bool>()), 0..20),
        dark in any::<bool>(),
    ) {
        let o = ChartOptions { theme: if dark { Theme::Dark } else { Theme::Light }, ..ChartOptions::default() };
        let first = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(start as u64);
        let rows: Vec<FitnessRow> = days
            .iter()
            .enumerate()
            .map(|(i, (tss, ctl, atl, tsb))| FitnessRow {
                date: first + chrono::Days::new(i as u64),
                tss: *tss, ctl: *ctl, atl: *atl, tsb: *tsb,
            })
            .collect();
        let today = first.checked_add_signed(chrono::TimeDelta::days(today_off)).unwrap();
        check_frame(&chart::fitness(&rows, today, &o).unwrap());

        // Durations grow by a factor 1–2 a point, from 1 s, capped to the accepted day.
        let mut t = 1.0f64;
        let mut pts = Vec::new();
        for (f, w) in &points {
            if t > 86400.0 { break; }
            pts.push(chart::CurvePoint { seconds: t, watts: *w });
            t = (t * f).max(t + 1.0);
        }
        let curves = [PowerCurve { label: "A".into(), points: pts }];
        let model = cp.map(|(c, w)| CpModel { cp_watts: c, w_prime_joules: w });
        check_frame(&chart::power_curve(&curves, model.as_ref(), &o).unwrap());

        let sports = ["Bike", "Run", "Swim", "Strength", "Other", "Rowing"];
        let mut week: Vec<WeekDay> = (0..7)
            .map(|i| WeekDay { date: first + chrono::Days::new(i), planned: vec![], completed: vec![] })
            .collect();
        for (i, (v, s, done)) in week_vals.iter().enumerate() {
            let a = chart::SportAmount { sport: sports[*s].into(), value: *v };
            let day = &mut week[i % 7];
            if *done { day.completed.push(a) } else { day.planned.push(a) }
        }
        for metric in [WeekMetric::Tss, WeekMetric::Hours] {
            check_frame(&chart::week(&week, metric, &o).unwrap());
        }
    }
}
