//! Workouts as Intervals.icu holds them: `workout_doc` JSON (spec §4.5) and the workout text
//! that goes in `description` (spec §4.2–4.4).
//!
//! The emulator needs three things the real server does: turn the sample athlete's TrainingPeaks
//! structures into `workout_doc` and text (seeding), parse text that clients post into
//! `workout_doc` (spec §4.1: "the server parses it"), and compute the planned duration and load.
//! The parser here covers the common subset (durations, distances, `%`/`w`/zone/`Pace`/`HR`/
//! `LTHR` targets, ramps, cadence, `Nx` repeats, warm-up/cool-down sections) with the documented
//! quirks: a step without a duration or distance is dropped, `m` is minutes, repeats do not nest.
//! It is the sandbox's stand-in for the server, not Paceline's own parser (`core::structure`).

use serde_json::{Map, Value, json};

use crate::structure::{BlockKind, IntensityClass, IntensityMetric, Structure};

/// The thresholds a workout's load is computed against.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// FTP (W).
    pub ftp: f64,
    /// Threshold heart rate (bpm).
    pub lthr: f64,
    /// Maximum heart rate (bpm).
    pub max_hr: f64,
    /// Threshold speed (m/s) for the sport.
    pub threshold_speed: f64,
}

/// `workout_doc` from a TrainingPeaks structure: blocks become steps, repetitions `reps` +
/// `steps`, ramps a `ramp` step per sub-step, targets `power`/`hr`/`pace` in % units.
pub fn doc_from_structure(s: &Structure) -> Value {
    let (key, units) = match s.primary_intensity_metric {
        IntensityMetric::PercentOfFtp => ("power", "%ftp"),
        IntensityMetric::PercentOfThresholdHr => ("hr", "%lthr"),
        IntensityMetric::PercentOfThresholdPace => ("pace", "%pace"),
    };
    let step = |st: &crate::structure::Step, ramp: bool| {
        let mut m = Map::new();
        if let Some(n) = st.name.as_deref().filter(|n| !n.is_empty()) {
            m.insert("text".into(), json!(n));
        }
        let len = st.length.value * st.length.unit.to_base();
        match s.primary_length_metric {
            crate::structure::LengthMetric::Duration => m.insert("duration".into(), json!(len)),
            crate::structure::LengthMetric::Distance => m.insert("distance".into(), json!(len)),
        };
        match st.intensity_class {
            IntensityClass::WarmUp => {
                m.insert("warmup".into(), json!(true));
            }
            IntensityClass::CoolDown => {
                m.insert("cooldown".into(), json!(true));
            }
            IntensityClass::Rest => {
                m.insert("intensity".into(), json!("recovery"));
            }
            _ => {}
        }
        if ramp {
            m.insert("ramp".into(), json!(true));
        }
        if st.open_duration {
            m.insert("until_lap_press".into(), json!(true));
        }
        if let Some(t) = st.primary() {
            let target = match (t.min_value, t.max_value) {
                (Some(a), Some(b)) if (a - b).abs() > f64::EPSILON => {
                    json!({"start": a, "end": b, "units": units})
                }
                (a, b) => json!({"value": a.or(b), "units": units}),
            };
            m.insert(key.into(), target);
        }
        if let Some(c) = st.cadence() {
            let target = match (c.min_value, c.max_value) {
                (Some(a), Some(b)) if (a - b).abs() > f64::EPSILON => {
                    json!({"start": a, "end": b, "units": "cadence"})
                }
                (a, b) => json!({"value": a.or(b), "units": "cadence"}),
            };
            m.insert("cadence".into(), target);
        }
        Value::Object(m)
    };
    let mut steps = Vec::new();
    for b in &s.structure {
        match b.kind {
            BlockKind::Repetition => {
                let inner: Vec<Value> = b.steps.iter().map(|st| step(st, false)).collect();
                steps.push(json!({"reps": b.length.value, "steps": inner}));
            }
            BlockKind::Step => steps.extend(b.steps.iter().map(|st| step(st, false))),
            BlockKind::RampUp | BlockKind::RampDown => {
                steps.extend(b.steps.iter().map(|st| step(st, true)));
            }
        }
    }
    json!({"steps": steps, "target": match key { "power" => "POWER", "hr" => "HR", _ => "PACE" }})
}

/// `1h2m30s`-style duration text (the forms spec §4.3 lists).
fn duration_text(secs: f64) -> String {
    let s = secs.round() as u64;
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if sec > 0 || out.is_empty() {
        out.push_str(&format!("{sec}s"));
    }
    out
}

fn distance_text(metres: f64) -> String {
    if metres >= 1000.0 && (metres / 100.0).fract() == 0.0 {
        format!("{}km", metres / 1000.0)
    } else {
        // Spec §4.3: metres must be written `mtr` (`m` is minutes).
        format!("{}mtr", metres.round())
    }
}

fn target_text(t: &Value) -> Option<String> {
    let units = t.get("units").and_then(Value::as_str)?;
    let num = |k: &str| t.get(k).and_then(Value::as_f64);
    let range = match (num("start"), num("end"), num("value")) {
        (Some(a), Some(b), _) => format!("{}-{}", fmt_num(a), fmt_num(b)),
        (_, _, Some(v)) => fmt_num(v),
        _ => return None,
    };
    Some(match units {
        "%ftp" => format!("{range}%"),
        "w" => format!("{range}w"),
        "%lthr" => format!("{range}% LTHR"),
        "%hr" => format!("{range}% HR"),
        "%pace" => format!("{range}% Pace"),
        "cadence" => format!("{range}rpm"),
        "power_zone" => format!("Z{range}"),
        "hr_zone" => format!("Z{range} HR"),
        "pace_zone" => format!("Z{range} Pace"),
        _ => return None,
    })
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn step_line(step: &Value) -> String {
    let mut parts = vec!["-".to_string()];
    // Spec §4.2: a label ends at the first number+unit token, so labels with digits are left
    // out rather than cut short.
    if let Some(t) = step
        .get("text")
        .and_then(Value::as_str)
        .filter(|t| !t.chars().any(|c| c.is_ascii_digit()))
    {
        parts.push(t.to_string());
    }
    if let Some(d) = step.get("duration").and_then(Value::as_f64) {
        parts.push(duration_text(d));
    } else if let Some(d) = step.get("distance").and_then(Value::as_f64) {
        parts.push(distance_text(d));
    }
    if step.get("ramp") == Some(&json!(true)) {
        parts.push("ramp".into());
    }
    for k in ["power", "hr", "pace", "cadence"] {
        if let Some(t) = step.get(k).and_then(target_text) {
            parts.push(t);
        }
    }
    if step.get("until_lap_press") == Some(&json!(true)) {
        parts.push("lap press".into());
    }
    parts.join(" ")
}

/// Renders `workout_doc` steps as Intervals.icu workout text: warm-up and cool-down sections,
/// `Main Set Nx` repeats with blank lines around them (spec §4.2).
pub fn render(doc: &Value) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut section = "";
    for step in doc
        .get("steps")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if let Some(reps) = step.get("reps").and_then(Value::as_f64) {
            if !out.is_empty() {
                out.push(String::new());
            }
            out.push(format!("Main Set {}x", fmt_num(reps)));
            for s in step
                .get("steps")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                out.push(step_line(s));
            }
            out.push(String::new());
            section = "";
            continue;
        }
        let want = if step.get("warmup") == Some(&json!(true)) {
            "Warmup"
        } else if step.get("cooldown") == Some(&json!(true)) {
            "Cooldown"
        } else {
            ""
        };
        if want != section && !want.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            out.push(want.to_string());
        }
        section = want;
        out.push(step_line(step));
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out.join("\n")
}

/// Seconds in a duration token (`30s`, `10m`, `1h2m30s`, `1m30`, `5'`, `30"`, `1'30"`), if it is one.
fn parse_duration(tok: &str) -> Option<f64> {
    let tok = tok.trim();
    if tok.is_empty() || !tok.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut total = 0.0;
    let mut num = String::new();
    let mut last_unit = ' ';
    for c in tok.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let n: f64 = num.parse().ok()?;
        num.clear();
        let k = match c {
            'h' => 3600.0,
            'm' | '\'' => 60.0,
            's' | '"' => 1.0,
            _ => return None,
        };
        total += n * k;
        last_unit = c;
    }
    if !num.is_empty() {
        // `1m30` = 90 s: trailing digits after minutes are seconds; bare digits are not a duration.
        if last_unit != 'm' {
            return None;
        }
        total += num.parse::<f64>().ok()?;
    }
    Some(total)
}

/// Metres in a distance token (`500mtr`, `2km`, `1mi`, `100yrd`).
fn parse_distance(tok: &str) -> Option<f64> {
    let split = tok.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (n, unit) = tok.split_at(split);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "mtr" => n,
        "km" => n * 1000.0,
        "mi" => n * 1609.344,
        "yrd" => n * 0.9144,
        _ => return None,
    })
}

/// `75` or `95-105` (with the unit suffix already removed).
fn parse_range(s: &str) -> Option<Value> {
    match s.split_once('-') {
        Some((a, b)) => {
            Some(json!({"start": a.parse::<f64>().ok()?, "end": b.parse::<f64>().ok()?}))
        }
        None => Some(json!({"value": s.parse::<f64>().ok()?})),
    }
}

fn with_units(mut v: Value, units: &str) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert("units".into(), json!(units));
    }
    v
}

/// One `- …` step line to a step, or `None` when it has no duration or distance (dropped, as
/// the real parser does: spec §4.2 "Step" row).
fn parse_step(line: &str, section: &str) -> Option<Value> {
    let toks: Vec<&str> = line.split_whitespace().collect();
    let mut m = Map::new();
    let mut label: Vec<&str> = Vec::new();
    let mut label_done = false;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        let next = toks.get(i + 1).map(|s| s.to_ascii_lowercase());
        let lower = t.to_ascii_lowercase();
        let mut consumed = true;
        if let Some(d) = parse_duration(t) {
            m.insert("duration".into(), json!(d));
        } else if let Some(d) = parse_distance(t) {
            m.insert("distance".into(), json!(d));
        } else if lower == "ramp" {
            m.insert("ramp".into(), json!(true));
            // Spec §4.2: `ramp` does not end a label.
            i += 1;
            continue;
        } else if lower == "freeride" || lower == "free" {
            m.insert("freeride".into(), json!(true));
        } else if let Some(r) = lower.strip_suffix("rpm").and_then(parse_range) {
            m.insert("cadence".into(), with_units(r, "cadence"));
        } else if let Some(r) = lower.strip_suffix('w').and_then(parse_range) {
            m.insert("power".into(), with_units(r, "w"));
        } else if let Some(r) = lower.strip_suffix('%').and_then(parse_range) {
            let (key, units) = match next.as_deref() {
                Some("pace") => ("pace", "%pace"),
                Some("lthr") => ("hr", "%lthr"),
                Some("hr") => ("hr", "%hr"),
                _ => ("power", "%ftp"),
            };
            if key != "power" {
                i += 1;
            }
            m.insert(key.into(), with_units(r, units));
        } else if let Some(r) = lower
            .strip_prefix('z')
            .map(|z| z.replace('z', ""))
            .and_then(|z| parse_range(&z))
        {
            let (key, units) = match next.as_deref() {
                Some("pace") => ("pace", "pace_zone"),
                Some("hr") => ("hr", "hr_zone"),
                _ => ("power", "power_zone"),
            };
            if key != "power" {
                i += 1;
            }
            m.insert(key.into(), with_units(r, units));
        } else if lower == "lap" && next.as_deref() == Some("press")
            || lower == "press" && next.as_deref() == Some("lap")
        {
            m.insert("until_lap_press".into(), json!(true));
            i += 1;
        } else if let Some(v) = lower.strip_prefix("intensity=") {
            m.insert("intensity".into(), json!(v));
        } else {
            consumed = false;
            if !label_done {
                label.push(t);
            }
        }
        if consumed {
            label_done = true;
        }
        i += 1;
    }
    if !m.contains_key("duration") && !m.contains_key("distance") {
        return None;
    }
    if !label.is_empty() {
        m.insert("text".into(), json!(label.join(" ")));
    }
    match section {
        "warmup" => {
            m.insert("warmup".into(), json!(true));
        }
        "cooldown" => {
            m.insert("cooldown".into(), json!(true));
        }
        _ => {}
    }
    Some(Value::Object(m))
}

/// Parses workout text into `workout_doc` steps. Header lines set the section (`Warmup`,
/// `Cooldown`) or open a repeat (`Main Set 5x`, `5x`); a blank line closes a repeat.
pub fn parse(text: &str) -> Value {
    let mut steps: Vec<Value> = Vec::new();
    let mut repeat: Option<(f64, Vec<Value>)> = None;
    let mut section = String::new();
    let close = |steps: &mut Vec<Value>, repeat: &mut Option<(f64, Vec<Value>)>| {
        if let Some((n, inner)) = repeat.take()
            && !inner.is_empty()
        {
            steps.push(json!({"reps": n, "steps": inner}));
        }
    };
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            close(&mut steps, &mut repeat);
            continue;
        }
        if let Some(body) = line.strip_prefix('-') {
            if let Some(step) = parse_step(body, &section) {
                match &mut repeat {
                    Some((_, inner)) => inner.push(step),
                    None => steps.push(step),
                }
            }
            continue;
        }
        // A header: a trailing `Nx` opens a repeat (repeats do not nest, spec §4.2).
        close(&mut steps, &mut repeat);
        let last = line.split_whitespace().last().unwrap_or("");
        if let Some(n) = last
            .strip_suffix(['x', 'X'])
            .and_then(|n| n.parse::<f64>().ok())
        {
            repeat = Some((n, Vec::new()));
            section.clear();
            continue;
        }
        let l = line.to_ascii_lowercase().replace(' ', "");
        section = if l.starts_with("warmup") {
            "warmup".into()
        } else if l.starts_with("cooldown") {
            "cooldown".into()
        } else {
            String::new()
        };
    }
    close(&mut steps, &mut repeat);
    json!({"steps": steps})
}

/// The fraction of threshold a target asks for (the midpoint of a range; zones by their
/// usual midpoints), and whether it was a power target.
fn fraction(step: &Value, th: &Thresholds) -> Option<f64> {
    const ZONE_MID: [f64; 8] = [0.0, 0.5, 0.68, 0.83, 0.98, 1.13, 1.3, 1.6];
    for k in ["power", "pace", "hr"] {
        let Some(t) = step.get(k) else { continue };
        let num = |n: &str| t.get(n).and_then(Value::as_f64);
        let v = match (num("start"), num("end"), num("value")) {
            (Some(a), Some(b), _) => (a + b) / 2.0,
            (_, _, Some(v)) => v,
            _ => continue,
        };
        let units = t.get("units").and_then(Value::as_str).unwrap_or("");
        return Some(match units {
            "w" => v / th.ftp,
            "%hr" => v / 100.0 * th.max_hr / th.lthr,
            u if u.ends_with("_zone") => ZONE_MID.get(v.round() as usize).copied().unwrap_or(0.7),
            _ => v / 100.0,
        });
    }
    None
}

/// Planned `(moving_time s, distance m, training load, intensity %)` of a `workout_doc`.
/// Distance steps are timed at the target pace (or 70% of threshold speed without one).
pub fn metrics(doc: &Value, th: &Thresholds) -> (f64, f64, f64, f64) {
    fn walk(steps: &[Value], mult: f64, th: &Thresholds, acc: &mut (f64, f64, f64)) {
        for s in steps {
            if let Some(inner) = s.get("steps").and_then(Value::as_array) {
                let reps = s.get("reps").and_then(Value::as_f64).unwrap_or(1.0);
                walk(inner, mult * reps, th, acc);
                continue;
            }
            let f = fraction(s, th).unwrap_or(0.6);
            let (secs, metres) = match (
                s.get("duration").and_then(Value::as_f64),
                s.get("distance").and_then(Value::as_f64),
            ) {
                (Some(d), _) => (d, 0.0),
                (None, Some(m)) => (m / (th.threshold_speed * f.max(0.3)), m),
                _ => (0.0, 0.0),
            };
            acc.0 += secs * mult;
            acc.1 += metres * mult;
            acc.2 += secs * mult * f * f * 100.0 / 3600.0;
        }
    }
    let mut acc = (0.0, 0.0, 0.0);
    if let Some(steps) = doc.get("steps").and_then(Value::as_array) {
        walk(steps, 1.0, th, &mut acc);
    }
    let (secs, metres, load) = acc;
    let intensity = if secs > 0.0 {
        (load / (secs / 3600.0) / 100.0).sqrt() * 100.0
    } else {
        0.0
    };
    (
        secs.round(),
        metres.round(),
        load.round(),
        (intensity * 10.0).round() / 10.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TH: Thresholds = Thresholds {
        ftp: 250.0,
        lthr: 170.0,
        max_hr: 190.0,
        threshold_speed: 4.0,
    };

    #[test]
    fn icu_text_parses_the_documented_forms() {
        let doc = parse(
            "Warmup\n- 10m 50-65%\n\nMain Set 5x\n- VO2 4m 106-120% 95rpm\n- Easy 4m 50-60%\n\n\
             - 2km 80% Pace\n- 1m30 Z2 HR\n- no duration here 75%\n- 800m 60%\n\nCooldown\n- 10m ramp 60-40%",
        );
        let steps = doc["steps"].as_array().cloned().unwrap_or_default();
        assert_eq!(steps.len(), 6, "{doc}");
        assert_eq!(steps[0]["warmup"], json!(true));
        assert_eq!(steps[0]["duration"], json!(600.0));
        assert_eq!(steps[1]["reps"], json!(5.0));
        assert_eq!(steps[1]["steps"][0]["text"], json!("VO2"));
        assert_eq!(
            steps[1]["steps"][0]["power"],
            json!({"start": 106.0, "end": 120.0, "units": "%ftp"})
        );
        assert_eq!(steps[1]["steps"][0]["cadence"]["value"], json!(95.0));
        assert_eq!(steps[2]["distance"], json!(2000.0));
        assert_eq!(steps[2]["pace"]["units"], json!("%pace"));
        assert_eq!(steps[3]["duration"], json!(90.0));
        assert_eq!(steps[3]["hr"]["units"], json!("hr_zone"));
        // `800m` is 800 minutes (spec §4.3), and the step without a duration was dropped.
        assert_eq!(steps[4]["duration"], json!(48_000.0));
        assert_eq!(steps[5]["ramp"], json!(true));
        assert_eq!(steps[5]["cooldown"], json!(true));
    }

    #[test]
    fn icu_text_render_then_parse_keeps_the_steps() {
        let doc = json!({"steps": [
            {"duration": 600.0, "warmup": true, "power": {"start": 50.0, "end": 65.0, "units": "%ftp"}},
            {"reps": 3.0, "steps": [
                {"text": "Sweet spot", "duration": 720.0, "power": {"start": 88.0, "end": 93.0, "units": "%ftp"}},
                {"text": "Easy", "duration": 300.0, "power": {"start": 50.0, "end": 60.0, "units": "%ftp"}}]},
            {"duration": 600.0, "cooldown": true, "power": {"start": 45.0, "end": 60.0, "units": "%ftp"}}
        ]});
        let text = render(&doc);
        assert!(
            text.contains("Main Set 3x\n- Sweet spot 12m 88-93%"),
            "{text}"
        );
        assert_eq!(parse(&text), doc, "{text}");
        let (secs, _, load, intensity) = metrics(&doc, &TH);
        assert_eq!(secs, 600.0 + 3.0 * 1020.0 + 600.0);
        assert!(load > 50.0 && load < 90.0, "{load}");
        assert!(intensity > 70.0 && intensity < 90.0, "{intensity}");
    }
}
