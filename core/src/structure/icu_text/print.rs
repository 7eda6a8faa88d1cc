//! Wire structure → Intervals.icu text (what it cannot carry is listed in the parent module).

use super::token::{Tok, classify};
use crate::structure::wire::CADENCE_UNIT;
use crate::structure::{
    Block, BlockKind, CompileError, IntensityClass, IntensityMetric, LengthUnit, Step, Structure,
    Target,
};
use serde_json::Value;
use std::fmt::Write as _;

/// Writes a compiled structure as Intervals.icu text.
///
/// Leading warm-up steps go under a `Warmup` header and trailing cool-down steps under
/// `Cooldown`; each repetition is an `Nx` header with its steps; groups are separated by blank
/// lines. Targets are written as a percentage with the metric's word (`75%`, `95% LTHR`,
/// `80% Pace`), so the text reads the same whatever the reader's default metric.
pub fn print(s: &Structure) -> String {
    let suffix = match s.primary_intensity_metric {
        IntensityMetric::PercentOfFtp => "%",
        IntensityMetric::PercentOfThresholdHr => "% LTHR",
        IntensityMetric::PercentOfThresholdPace => "% Pace",
    };
    let blocks = &s.structure;
    let plain = |b: &&Block| b.kind != BlockKind::Repetition;
    let all = |c: IntensityClass| {
        move |b: &&Block| {
            plain(b) && !b.steps.is_empty() && b.steps.iter().all(|st| st.intensity_class == c)
        }
    };
    let wu = blocks
        .iter()
        .take_while(all(IntensityClass::WarmUp))
        .count();
    let rest = blocks.get(wu..).unwrap_or_default();
    let cd = rest
        .iter()
        .rev()
        .take_while(all(IntensityClass::CoolDown))
        .count();
    let (mid, cool) = rest.split_at(rest.len() - cd);

    let mut out = String::new();
    let p = Printer { suffix };
    if wu > 0 {
        out.push_str("Warmup\n");
        for b in blocks.iter().take(wu) {
            p.block(&mut out, b, IntensityClass::WarmUp);
        }
    }
    let mut i = 0;
    while let Some(b) = mid.get(i) {
        if !out.is_empty() {
            out.push('\n');
        }
        if b.kind == BlockKind::Repetition {
            let _ = writeln!(out, "{}x", fmt_num(b.length.value));
            for st in &b.steps {
                p.step(&mut out, st, IntensityClass::Active);
            }
            i += 1;
            continue;
        }
        while let Some(b) = mid.get(i).filter(|b| b.kind != BlockKind::Repetition) {
            p.block(&mut out, b, IntensityClass::Active);
            i += 1;
        }
    }
    if !cool.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("Cooldown\n");
        for b in cool {
            p.block(&mut out, b, IntensityClass::CoolDown);
        }
    }
    out
}

/// Compiles a structure in any format [`compile_value`](crate::structure::compile_value)
/// accepts (a TrainingPeaks wire structure as stored, or friendly JSON) and writes it as text.
pub fn print_value(v: &Value) -> Result<String, CompileError> {
    crate::structure::compile_value(v).map(|s| print(&s))
}

/// What [`print()`] would leave out of `s`, one sentence per kind of loss, with the block
/// (1-based, as a person counts) it happens in: ramp sub-steps, names with words that read as
/// syntax, targets other than the primary one and cadence, keys the model does not know.
/// Empty when the text carries the whole structure.
pub fn print_losses(s: &Structure) -> Vec<String> {
    let mut out = Vec::new();
    let unknown = |extra: &crate::structure::Extra, out: &mut Vec<String>, at: &str| {
        if !extra.0.is_empty() {
            let keys: Vec<&str> = extra.0.iter().map(|(k, _)| k.as_str()).collect();
            out.push(format!("{at}: fields {} are not carried", keys.join(", ")));
        }
    };
    for (i, b) in s.structure.iter().enumerate() {
        let at = format!("block {}", i + 1);
        if matches!(b.kind, BlockKind::RampUp | BlockKind::RampDown) && b.steps.len() > 1 {
            out.push(format!(
                "{at}: a ramp of {} sub-steps becomes one continuous ramp (Intervals.icu \
                 splits it its own way)",
                b.steps.len()
            ));
        }
        unknown(&b.extra, &mut out, &at);
        for st in &b.steps {
            if let Some(n) = &st.name {
                let kept = safe_name(n);
                if kept != n.split_whitespace().collect::<Vec<_>>().join(" ") {
                    out.push(format!(
                        "{at}: the step name {:?} is written {kept:?} (words that read as \
                         workout syntax are left out)",
                        &**n
                    ));
                }
            }
            let other = st
                .targets
                .iter()
                .filter(|t| t.unit.is_some() && t.unit.as_deref() != Some(CADENCE_UNIT))
                .filter_map(|t| t.unit.as_deref())
                .collect::<Vec<_>>();
            if !other.is_empty() {
                out.push(format!(
                    "{at}: secondary targets ({}) are not carried; only the main target and \
                     cadence are",
                    other.join(", ")
                ));
            }
            unknown(&st.extra, &mut out, &at);
        }
    }
    out.dedup();
    out
}

struct Printer {
    suffix: &'static str,
}

impl Printer {
    fn block(&self, out: &mut String, b: &Block, default: IntensityClass) {
        if matches!(b.kind, BlockKind::RampUp | BlockKind::RampDown) && self.ramp(out, b, default) {
            return;
        }
        for st in &b.steps {
            self.step(out, st, default);
        }
    }

    /// A staircase as one `ramp a-b` step; false (nothing written) when it is not a clean
    /// ramp (mixed units, missing targets, no change), so its steps are written one by one.
    fn ramp(&self, out: &mut String, b: &Block, default: IntensityClass) -> bool {
        let (Some(first), Some(last)) = (b.steps.first(), b.steps.last()) else {
            return false;
        };
        let unit = first.length.unit;
        if b.steps.iter().any(|s| s.length.unit != unit) {
            return false;
        }
        let (fp, lp) = match (first.primary(), last.primary()) {
            (Some(a), Some(b)) => (a, b),
            _ => return false,
        };
        let low = |t: &Target| t.min_value.or(t.max_value);
        let (start, end) = match b.kind {
            BlockKind::RampUp => (low(fp), lp.top()),
            _ => (fp.top(), low(lp)),
        };
        let (Some(start), Some(end)) = (start, end) else {
            return false;
        };
        if start == end {
            return false;
        }
        let total: f64 = b.steps.iter().map(|s| s.length.value).sum();
        out.push_str("- ");
        self.name(out, first);
        out.push_str(&length(total, unit));
        let _ = write!(
            out,
            " ramp {}-{}{}",
            fmt_num(start),
            fmt_num(end),
            self.suffix
        );
        self.tail(out, first, default);
        true
    }

    fn step(&self, out: &mut String, st: &Step, default: IntensityClass) {
        out.push_str("- ");
        self.name(out, st);
        out.push_str(&length(st.length.value, st.length.unit));
        if let Some(t) = st.primary() {
            let range = match (t.min_value, t.max_value) {
                (Some(a), Some(b)) if a != b => format!("{}-{}", fmt_num(a), fmt_num(b)),
                (Some(a), _) | (None, Some(a)) => fmt_num(a),
                (None, None) => String::new(),
            };
            if !range.is_empty() {
                let _ = write!(out, " {range}{}", self.suffix);
            }
        }
        if st.open_duration {
            out.push_str(" Press lap");
        }
        self.tail(out, st, default);
    }

    /// Cadence, class and the newline.
    fn tail(&self, out: &mut String, st: &Step, default: IntensityClass) {
        if let Some(c) = st.cadence() {
            match (c.min_value, c.max_value) {
                (Some(a), Some(b)) if a != b => {
                    let _ = write!(out, " {}-{}rpm", fmt_num(a), fmt_num(b));
                }
                (Some(a), _) | (None, Some(a)) => {
                    let _ = write!(out, " {}rpm", fmt_num(a));
                }
                (None, None) => {}
            }
        }
        if st.intensity_class != default {
            let word = match st.intensity_class {
                IntensityClass::WarmUp => "warmup",
                IntensityClass::Active => "active",
                IntensityClass::Rest => "rest",
                IntensityClass::CoolDown => "cooldown",
                IntensityClass::Other => "other",
            };
            let _ = write!(out, " intensity={word}");
        }
        out.push('\n');
    }

    fn name(&self, out: &mut String, st: &Step) {
        if let Some(n) = &st.name {
            let n = safe_name(n);
            if !n.is_empty() {
                out.push_str(&n);
                out.push(' ');
            }
        }
    }
}

/// The words of a name that read back as name words: words the parser would take as syntax
/// (`30s`, `Z2`, `ramp`, the unit of `90 rpm`, the second word of `press lap`) are left out.
pub(super) fn safe_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut keep: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while let Some(&w) = words.get(i) {
        let next = words.get(i + 1).map(|n| classify(n));
        match classify(w) {
            Tok::Word | Tok::Qual(_) | Tok::UnitWord(_) => keep.push(w),
            Tok::Num(_) => {
                keep.push(w);
                if matches!(next, Some(Tok::UnitWord(_))) {
                    i += 1;
                }
            }
            Tok::Press | Tok::Lap => {
                keep.push(w);
                if matches!(next, Some(Tok::Press | Tok::Lap)) {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    keep.join(" ")
}

fn length(v: f64, unit: LengthUnit) -> String {
    match unit {
        LengthUnit::Meter if v % 1000.0 == 0.0 => format!("{}km", fmt_num(v / 1000.0)),
        LengthUnit::Meter => format!("{}mtr", fmt_num(v)),
        LengthUnit::Mile => format!("{}mi", fmt_num(v)),
        LengthUnit::Second | LengthUnit::Repetition => duration(v),
    }
}

/// Seconds as `1h2m30s` (whole seconds) or `12.5s`.
fn duration(x: f64) -> String {
    if x.fract() != 0.0 || x <= 0.0 || x >= 1e9 {
        return format!("{}s", fmt_num(x));
    }
    let x = x as u64;
    let (h, m, s) = (x / 3600, x % 3600 / 60, x % 60);
    let mut out = String::new();
    for (v, u) in [(h, 'h'), (m, 'm'), (s, 's')] {
        if v > 0 {
            let _ = write!(out, "{v}{u}");
        }
    }
    out
}

/// A number with at most two decimals and no trailing zeros (`75`, `72.5`, `66.67`).
fn fmt_num(x: f64) -> String {
    crate::decimal::fixed(x, 2, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_lengths() {
        assert_eq!(fmt_num(75.0), "75");
        assert_eq!(fmt_num(72.5), "72.5");
        assert_eq!(fmt_num(66.666), "66.67");
        assert_eq!(duration(3750.0), "1h2m30s");
        assert_eq!(duration(90.0), "1m30s");
        assert_eq!(duration(3600.0), "1h");
        assert_eq!(duration(12.5), "12.5s");
        assert_eq!(length(2000.0, LengthUnit::Meter), "2km");
        assert_eq!(length(400.0, LengthUnit::Meter), "400mtr");
    }

    #[test]
    fn names_keep_only_name_words() {
        let cases = [
            ("Threshold", "Threshold"),
            ("VO2 Max", "VO2 Max"),
            ("30s sprint", "sprint"),
            ("Z2 endurance", "endurance"),
            ("spin 90 rpm", "spin 90"),
            ("press lap drill", "press drill"),
            ("Set 2", "Set 2"),
        ];
        for (name, want) in cases {
            assert_eq!(safe_name(name), want, "{name}");
        }
    }
}
