//! Zwift `.zwo`: writing a time-based % FTP structure, and reading one back into the friendly
//! structure JSON (the rules are in the parent module's docs).

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::xml::{self, Element, escape};
use super::{
    ExportError, ExportOptions, ImportFormat, Imported, num, ramp_ends, require_time_and_ftp,
    step_segment,
};
use crate::structure::icu_text::TextError;
use crate::structure::{BlockKind, IntensityClass, Step, Structure};

/// Writes the workout file.
pub(super) fn write(s: &Structure, opts: &ExportOptions) -> Result<String, ExportError> {
    require_time_and_ftp(s, "a Zwift .zwo")?;
    let mut out = String::from("<workout_file>\n");
    let _ = writeln!(out, "    <author>Paceline</author>");
    let _ = writeln!(out, "    <name>{}</name>", escape(opts.name()));
    let _ = writeln!(
        out,
        "    <description>{}</description>",
        escape(opts.description.as_deref().unwrap_or_default())
    );
    let sport = match opts
        .sport
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("run" | "running") => "run",
        _ => "bike",
    };
    let _ = writeln!(out, "    <sportType>{sport}</sportType>");
    out.push_str("    <workout>\n");
    for b in &s.structure {
        if let Some((a, z)) = ramp_ends(b.kind, &b.steps) {
            let first = b.steps.first();
            let tag = match first.map(|st| st.intensity_class) {
                Some(IntensityClass::WarmUp) => "Warmup",
                Some(IntensityClass::CoolDown) => "Cooldown",
                _ => "Ramp",
            };
            let seconds: f64 = b.steps.iter().map(|st| st.length.value).sum();
            let attrs = format!(
                "Duration=\"{}\" PowerLow=\"{}\" PowerHigh=\"{}\"{}",
                num(seconds, 0),
                num(a / 100.0, 3),
                num(z / 100.0, 3),
                cadence_attr("Cadence", first)
            );
            element(&mut out, tag, &attrs, first);
            continue;
        }
        if b.kind == BlockKind::Repetition
            && let [on, off] = b.steps.as_slice()
            && on.primary().is_some()
            && off.primary().is_some()
        {
            let (on_s, off_s) = (step_segment(on), step_segment(off));
            let attrs = format!(
                "Repeat=\"{}\" OnDuration=\"{}\" OffDuration=\"{}\" OnPower=\"{}\" OffPower=\"{}\"{}{}",
                num(b.length.value, 0),
                num(on_s.seconds, 0),
                num(off_s.seconds, 0),
                num(on_s.start.unwrap_or_default() / 100.0, 3),
                num(off_s.start.unwrap_or_default() / 100.0, 3),
                cadence_attr("Cadence", Some(on)),
                cadence_attr("CadenceResting", Some(off)),
            );
            element(&mut out, "IntervalsT", &attrs, Some(on));
            continue;
        }
        let reps = b.repeats().max(1.0) as usize;
        for _ in 0..reps {
            for st in &b.steps {
                let seg = step_segment(st);
                match seg.start {
                    // Zwift's warm-up and cool-down elements carry the class; flat is allowed.
                    Some(p)
                        if matches!(
                            st.intensity_class,
                            IntensityClass::WarmUp | IntensityClass::CoolDown
                        ) =>
                    {
                        let tag = if st.intensity_class == IntensityClass::WarmUp {
                            "Warmup"
                        } else {
                            "Cooldown"
                        };
                        let attrs = format!(
                            "Duration=\"{}\" PowerLow=\"{}\" PowerHigh=\"{}\"{}",
                            num(seg.seconds, 0),
                            num(p / 100.0, 3),
                            num(p / 100.0, 3),
                            cadence_attr("Cadence", Some(st))
                        );
                        element(&mut out, tag, &attrs, Some(st));
                    }
                    Some(p) => {
                        let attrs = format!(
                            "Duration=\"{}\" Power=\"{}\"{}",
                            num(seg.seconds, 0),
                            num(p / 100.0, 3),
                            cadence_attr("Cadence", Some(st))
                        );
                        element(&mut out, "SteadyState", &attrs, Some(st));
                    }
                    None => {
                        let attrs = format!(
                            "Duration=\"{}\"{}",
                            num(seg.seconds, 0),
                            cadence_attr("Cadence", Some(st))
                        );
                        element(&mut out, "FreeRide", &attrs, Some(st));
                    }
                }
            }
        }
    }
    out.push_str("    </workout>\n</workout_file>\n");
    Ok(out)
}

fn cadence_attr(key: &str, st: Option<&Step>) -> String {
    st.and_then(|st| step_segment(st).cadence)
        .map(|c| format!(" {key}=\"{}\"", num(c, 0)))
        .unwrap_or_default()
}

/// One element; the step's name as a text event at its start.
fn element(out: &mut String, tag: &str, attrs: &str, st: Option<&Step>) {
    match st.and_then(|st| st.name.as_ref()).filter(|n| !n.is_empty()) {
        Some(name) => {
            let _ = writeln!(
                out,
                "        <{tag} {attrs}>\n            <textevent timeoffset=\"0\" message=\"{}\"/>\n        </{tag}>",
                escape(name)
            );
        }
        None => {
            let _ = writeln!(out, "        <{tag} {attrs}/>");
        }
    }
}

/// Reads a `.zwo` into the friendly structure JSON.
pub(super) fn read(text: &str) -> Result<Imported, TextError> {
    let root = xml::parse(text)?;
    if !root.name.eq_ignore_ascii_case("workout_file") {
        return Err(at(
            &root,
            format!("a .zwo starts with <workout_file>, found <{}>", root.name),
        ));
    }
    let workout = root
        .child("workout")
        .ok_or_else(|| at(&root, "<workout_file> has no <workout> element".into()))?;
    let mut steps = Vec::new();
    for el in &workout.children {
        steps.push(block(el)?);
    }
    if steps.is_empty() {
        return Err(at(workout, "<workout> has no steps".into()));
    }
    let text_of = |n: &str| {
        root.child(n)
            .map(|e| e.text.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    Ok(Imported {
        format: ImportFormat::Zwo,
        structure: json!({"primaryIntensityMetric": "percentOfFtp", "steps": steps}),
        name: text_of("name"),
        description: text_of("description"),
    })
}

fn at(el: &Element, message: String) -> TextError {
    TextError {
        line: el.line,
        col: el.col,
        message,
    }
}

/// A number attribute, required or optional.
fn number(el: &Element, key: &str) -> Result<Option<f64>, TextError> {
    el.attr(key)
        .map(|v| {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| at(el, format!("<{}> {key}=\"{v}\" is not a number", el.name)))
        })
        .transpose()
}

fn required(el: &Element, key: &str) -> Result<f64, TextError> {
    number(el, key)?.ok_or_else(|| at(el, format!("<{}> needs a {key} attribute", el.name)))
}

/// Fraction of FTP → % with 2 decimals (0.875 → 87.5).
fn pct(x: f64) -> Value {
    num_value((x * 10_000.0).round() / 100.0)
}

fn num_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

fn with_common(
    el: &Element,
    mut obj: Map<String, Value>,
    cadence_key: &str,
) -> Result<Value, TextError> {
    if let Some(name) = el
        .children
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case("textevent"))
        .and_then(|t| t.attr("message"))
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        obj.insert("name".into(), name.into());
    }
    if let Some(c) = number(el, cadence_key)? {
        obj.insert("cadence_min".into(), num_value(c.round()));
        obj.insert("cadence_max".into(), num_value(c.round()));
    }
    Ok(Value::Object(obj))
}

fn block(el: &Element) -> Result<Value, TextError> {
    let tag = el.name.to_ascii_lowercase();
    match tag.as_str() {
        "warmup" | "cooldown" | "ramp" => {
            let seconds = required(el, "Duration")?;
            let (lo, hi) = (required(el, "PowerLow")?, required(el, "PowerHigh")?);
            let class = match tag.as_str() {
                "warmup" => "warmUp",
                "cooldown" => "coolDown",
                _ => "active",
            };
            let mut obj = Map::new();
            if lo == hi {
                obj.insert("intensity_min".into(), pct(lo));
                obj.insert("intensity_max".into(), pct(lo));
            } else {
                obj.insert("type".into(), "ramp".into());
                obj.insert("intensity_start".into(), pct(lo));
                obj.insert("intensity_end".into(), pct(hi));
            }
            obj.insert("duration_seconds".into(), num_value(seconds.round()));
            obj.insert("intensityClass".into(), class.into());
            with_common(el, obj, "Cadence")
        }
        "steadystate" => {
            let seconds = required(el, "Duration")?;
            let (lo, hi) = match number(el, "Power")? {
                Some(p) => (p, p),
                None => (required(el, "PowerLow")?, required(el, "PowerHigh")?),
            };
            let mut obj = Map::new();
            obj.insert("duration_seconds".into(), num_value(seconds.round()));
            obj.insert("intensity_min".into(), pct(lo.min(hi)));
            obj.insert("intensity_max".into(), pct(lo.max(hi)));
            obj.insert("intensityClass".into(), "active".into());
            with_common(el, obj, "Cadence")
        }
        "freeride" | "maxeffort" => {
            let mut obj = Map::new();
            obj.insert(
                "duration_seconds".into(),
                num_value(required(el, "Duration")?.round()),
            );
            obj.insert("intensityClass".into(), "active".into());
            with_common(el, obj, "Cadence")
        }
        "intervalst" => {
            let reps = required(el, "Repeat")?;
            let on_power = number(el, "OnPower")?
                .or(number(el, "PowerOnHigh")?)
                .ok_or_else(|| at(el, "<IntervalsT> needs an OnPower attribute".into()))?;
            let off_power = number(el, "OffPower")?
                .or(number(el, "PowerOffLow")?)
                .ok_or_else(|| at(el, "<IntervalsT> needs an OffPower attribute".into()))?;
            let mut on = Map::new();
            on.insert(
                "duration_seconds".into(),
                num_value(required(el, "OnDuration")?.round()),
            );
            on.insert("intensity_min".into(), pct(on_power));
            on.insert("intensity_max".into(), pct(on_power));
            on.insert("intensityClass".into(), "active".into());
            let on = with_common(el, on, "Cadence")?;
            let mut off = Map::new();
            off.insert(
                "duration_seconds".into(),
                num_value(required(el, "OffDuration")?.round()),
            );
            off.insert("intensity_min".into(), pct(off_power));
            off.insert("intensity_max".into(), pct(off_power));
            off.insert("intensityClass".into(), "rest".into());
            if let Some(c) = number(el, "CadenceResting")? {
                off.insert("cadence_min".into(), num_value(c.round()));
                off.insert("cadence_max".into(), num_value(c.round()));
            }
            Ok(
                json!({"type": "repetition", "reps": num_value(reps.round()), "steps": [on, Value::Object(off)]}),
            )
        }
        _ => Err(at(
            el,
            format!(
                "<{}> is not a workout element this reader knows (Warmup, Cooldown, Ramp, SteadyState, IntervalsT, FreeRide, MaxEffort)",
                el.name
            ),
        )),
    }
}
