//! A one-line human summary of a compiled structure, for tool output and the overlay, e.g.
//! `1h06 · 20′ warm-up 45–60 % FTP · 3×(15′ @ 95–105 % FTP / 5′ @ 50–55 %) · 10′ cool-down`.
//!
//! Conventions: the total comes first; blocks are separated by ` · `; durations print as
//! `1h06`, `45′`, `1′30″`, `30″`; distances as `400 m`, `1.5 km`, `2 mi`; a repetition is
//! `N×(a / b)`; a ramp is `10′ ramp 50→75 % FTP`; a lap-button step is `lap ~5′` (its length is
//! the estimate); warm-up and cool-down steps are labelled, other steps use `@`; the metric name
//! (`% FTP`, `% threshold HR`, `% threshold pace`) is written once per block; cadence follows as
//! `85–95 rpm`.

use super::wire::{
    Block, BlockKind, IntensityClass, IntensityMetric, LengthMetric, LengthUnit, Step, Structure,
};
use std::fmt::Write as _;

/// Renders the readable summary of a structure (one line).
pub fn summary(s: &Structure) -> String {
    if s.structure.is_empty() {
        return "empty workout".to_owned();
    }
    let mut out = String::with_capacity(64 + 32 * s.structure.len());
    let total = s.structure.iter().map(block_length).sum::<f64>();
    match s.primary_length_metric {
        LengthMetric::Duration => push_duration(&mut out, total, true),
        LengthMetric::Distance => push_distance(&mut out, total, LengthUnit::Meter),
    }
    let label = match s.primary_intensity_metric {
        IntensityMetric::PercentOfFtp => "% FTP",
        IntensityMetric::PercentOfThresholdHr => "% threshold HR",
        IntensityMetric::PercentOfThresholdPace => "% threshold pace",
    };
    for b in &s.structure {
        out.push_str(" · ");
        push_block(&mut out, b, label);
    }
    out
}

/// A block's length in the workout's base unit (seconds or metres).
fn block_length(b: &Block) -> f64 {
    b.repeats()
        * b.steps
            .iter()
            .map(|s| s.length.value * s.length.unit.to_base())
            .sum::<f64>()
}

fn push_block(out: &mut String, b: &Block, metric: &str) {
    let mut metric = Some(metric);
    match b.kind {
        BlockKind::Repetition => {
            let _ = write!(out, "{}×(", trim(b.length.value, 0));
            for (i, s) in b.steps.iter().enumerate() {
                if i > 0 {
                    out.push_str(" / ");
                }
                push_step(out, s, &mut metric);
            }
            out.push(')');
        }
        BlockKind::RampUp | BlockKind::RampDown => push_ramp(out, b, metric.unwrap_or("%")),
        BlockKind::Step => {
            for (i, s) in b.steps.iter().enumerate() {
                if i > 0 {
                    out.push_str(" / ");
                }
                push_step(out, s, &mut metric);
            }
        }
    }
}

fn push_length(out: &mut String, s: &Step) {
    if s.open_duration {
        out.push_str("lap ~");
    }
    match s.length.unit {
        LengthUnit::Second => push_duration(out, s.length.value, false),
        unit => push_distance(out, s.length.value, unit),
    }
}

fn class_label(c: IntensityClass) -> Option<&'static str> {
    match c {
        IntensityClass::WarmUp => Some("warm-up"),
        IntensityClass::CoolDown => Some("cool-down"),
        _ => None,
    }
}

fn push_step(out: &mut String, s: &Step, metric: &mut Option<&str>) {
    push_length(out, s);
    let label = class_label(s.intensity_class);
    if let Some(l) = label {
        out.push(' ');
        out.push_str(l);
    }
    if let Some(t) = s.primary()
        && let (Some(lo), Some(hi)) = (t.min_value.or(t.max_value), t.max_value.or(t.min_value))
    {
        out.push_str(if label.is_some() { " " } else { " @ " });
        push_range(out, lo, hi, "–");
        out.push(' ');
        out.push_str(metric.take().unwrap_or("%"));
    }
    push_cadence(out, s);
}

fn push_cadence(out: &mut String, s: &Step) {
    if let Some(c) = s.cadence()
        && let (Some(lo), Some(hi)) = (c.min_value, c.max_value)
    {
        out.push(' ');
        push_range(out, lo, hi, "–");
        out.push_str(" rpm");
    }
}

fn push_ramp(out: &mut String, b: &Block, metric: &str) {
    let total = block_length(b);
    match b.steps.first().map(|s| s.length.unit) {
        Some(LengthUnit::Second) | None => push_duration(out, total, false),
        Some(_) => push_distance(out, total, LengthUnit::Meter),
    }
    if let Some(l) = b.steps.first().and_then(|s| class_label(s.intensity_class)) {
        out.push(' ');
        out.push_str(l);
    }
    out.push_str(" ramp");
    let first = b.steps.first().and_then(Step::primary);
    let last = b.steps.last().and_then(Step::primary);
    if let (Some(f), Some(l)) = (first, last) {
        let up = b.kind == BlockKind::RampUp;
        let (start, end) = if up {
            (f.min_value.or(f.max_value), l.max_value.or(l.min_value))
        } else {
            (f.max_value.or(f.min_value), l.min_value.or(l.max_value))
        };
        if let (Some(a), Some(z)) = (start, end) {
            out.push(' ');
            push_range(out, a, z, "→");
            out.push(' ');
            out.push_str(metric);
        }
    }
    if let Some(s) = b.steps.first() {
        push_cadence(out, s);
    }
}

fn push_range(out: &mut String, lo: f64, hi: f64, sep: &str) {
    if lo == hi {
        out.push_str(&trim(lo, 1));
    } else {
        let _ = write!(out, "{}{sep}{}", trim(lo, 1), trim(hi, 1));
    }
}

/// Formats a number with at most `decimals` decimals and no trailing zeros.
fn trim(x: f64, decimals: usize) -> String {
    let mut s = format!("{x:.decimals$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    s
}

fn push_duration(out: &mut String, seconds: f64, _header: bool) {
    let total = seconds.round().max(0.0) as u64;
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    if h > 0 {
        let _ = write!(out, "{h}h{m:02}");
        if s > 0 {
            let _ = write!(out, "′{s:02}″");
        }
    } else if m > 0 {
        let _ = write!(out, "{m}′");
        if s > 0 {
            let _ = write!(out, "{s:02}″");
        }
    } else {
        let _ = write!(out, "{s}″");
    }
}

fn push_distance(out: &mut String, value: f64, unit: LengthUnit) {
    if unit == LengthUnit::Mile {
        let _ = write!(out, "{} mi", trim(value, 2));
        return;
    }
    if value < 1000.0 {
        let _ = write!(out, "{} m", trim(value, 1));
    } else {
        let _ = write!(out, "{} km", trim(value / 1000.0, 2));
    }
}

#[cfg(test)]
mod tests {
    use crate::structure::{compile_value, summary};
    use serde_json::json;

    #[test]
    fn summaries() {
        let cases = [
            (
                "classic threshold session",
                json!({"steps": [
                    {"duration_seconds": 1200, "intensity_min": 45, "intensity_max": 60, "intensityClass": "warmUp"},
                    {"type": "repetition", "reps": 3, "steps": [
                        {"duration_seconds": 900, "intensity_min": 95, "intensity_max": 105},
                        {"duration_seconds": 300, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}]},
                    {"duration_seconds": 600, "intensityClass": "coolDown"}]}),
                "1h30 · 20′ warm-up 45–60 % FTP · 3×(15′ @ 95–105 % FTP / 5′ @ 50–55 %) · 10′ cool-down",
            ),
            (
                "short with seconds and cadence",
                json!({"steps": [
                    {"type": "repetition", "reps": 10, "steps": [
                        {"duration_seconds": 30, "intensity_min": 120, "intensity_max": 150, "cadence_min": 100, "cadence_max": 110},
                        {"duration_seconds": 90, "intensity_min": 50, "intensity_max": 50}]}]}),
                "20′ · 10×(30″ @ 120–150 % FTP 100–110 rpm / 1′30″ @ 50 %)",
            ),
            (
                "ramps and lap step, HR",
                json!({"primaryIntensityMetric": "percentOfThresholdHr", "steps": [
                    {"type": "rampUp", "intensity_start": 60, "intensity_end": 80, "duration_seconds": 600, "intensityClass": "warmUp"},
                    {"duration_seconds": 300, "open_duration": true, "intensity_min": 70, "intensity_max": 75},
                    {"type": "rampDown", "intensity_start": 75, "intensity_end": 55, "duration_seconds": 240}]}),
                "19′ · 10′ warm-up ramp 60→80 % threshold HR · lap ~5′ @ 70–75 % threshold HR · 4′ ramp 75→55 % threshold HR",
            ),
            (
                "distance run, pace",
                json!({"primaryIntensityMetric": "percentOfThresholdPace", "steps": [
                    {"distance_meters": 2000, "intensity_min": 70, "intensity_max": 80, "intensityClass": "warmUp"},
                    {"type": "repetition", "reps": 6, "steps": [
                        {"distance_meters": 400, "intensity_min": 105, "intensity_max": 110},
                        {"distance_meters": 200, "intensity_min": 60, "intensity_max": 70}]},
                    {"distance_meters": 1500, "intensityClass": "coolDown"}]}),
                "7.1 km · 2 km warm-up 70–80 % threshold pace · 6×(400 m @ 105–110 % threshold pace / 200 m @ 60–70 %) · 1.5 km cool-down",
            ),
            (
                "just over an hour",
                json!({"steps": [{"duration_seconds": 3960, "intensity_min": 65, "intensity_max": 75}]}),
                "1h06 · 1h06 @ 65–75 % FTP",
            ),
        ];
        for (name, input, want) in cases {
            let s = compile_value(&input).expect(name);
            assert_eq!(summary(&s), want, "{name}");
        }
    }
}
