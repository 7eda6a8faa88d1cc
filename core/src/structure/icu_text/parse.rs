//! Text → friendly structure JSON (the rules are in the parent module's docs).

use super::token::{Qual, Tok, Unit, classify};
use super::{BlockSource, Options, Parsed, Section, Sport, TextError};
use crate::structure::{IntensityClass, IntensityMetric};
use crate::zones::{COGGAN_UPPER_PERCENTS, Zone, is_open_hr, is_open_power, is_open_speed};
use serde_json::{Map, Value};

/// The top of Coggan's zone 5 (VO2max), % FTP: the repo's table leaves zone 5 open, but a
/// target needs a finite top.
const COGGAN_Z5_TOP: f64 = 120.0;

/// Parses Intervals.icu workout text into the friendly structure JSON.
///
/// Errors name the 1-based line and column and what was expected there.
pub fn parse(text: &str, opts: &Options) -> Result<Parsed, TextError> {
    let mut p = Parser {
        opts,
        metric: None,
        length_kind: None,
        blocks: Vec::new(),
        sources: Vec::new(),
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut description = Vec::new();
    let mut sections = Vec::new();
    let mut i = 0;
    while let Some(&raw) = lines.get(i) {
        let line_no = i + 1;
        let t = raw.trim();
        if t.is_empty() {
            i += 1;
            continue;
        }
        if is_step(raw) {
            // Steps with no header: each is a top-level block of its own.
            while let Some(&l) = lines.get(i).filter(|l| is_step(l)) {
                let s = p.step(i + 1, l, IntensityClass::Active)?;
                p.push_block(s.obj, i + 1, Vec::new());
                i += 1;
            }
            continue;
        }
        if t.starts_with('-') && t[1..].starts_with(|c: char| c.is_ascii_digit()) {
            // `-10m 50%` reads as a note on Intervals.icu, so the step would vanish.
            return Err(TextError {
                line: line_no,
                col: col_of(raw, raw.len() - raw.trim_start().len()),
                message: "a step starts with a dash and a space, e.g. \"- 10m 50%\"".into(),
            });
        }
        let (title, reps) = header(t, raw, line_no)?;
        let followed_by_step = lines.get(i + 1).is_some_and(|l| is_step(l));
        if reps.is_some() && !followed_by_step && title.is_empty() {
            return Err(TextError {
                line: line_no,
                col: col_of(raw, raw.len() - raw.trim_start().len()),
                message: format!(
                    "\"{t}\" starts a repeat, but the next line is not a step; put its steps \
                     (lines starting with \"- \") right below it"
                ),
            });
        }
        if !followed_by_step {
            description.push(t.to_owned());
            i += 1;
            continue;
        }
        let class = section_class(&title);
        sections.push(Section {
            line: line_no,
            title: title.clone(),
            reps,
        });
        i += 1;
        let first = i;
        let mut inner = Vec::new();
        let mut inner_lines = Vec::new();
        while let Some(&l) = lines.get(i).filter(|l| is_step(l)) {
            let s = p.step(i + 1, l, class)?;
            if reps.is_some() {
                if let Some(col) = s.ramp_col {
                    return Err(TextError {
                        line: i + 1,
                        col,
                        message: "a ramp cannot go inside a repeat: TrainingPeaks stores a ramp \
                                  as a block of its own and one level of blocks; put the ramp \
                                  before or after the repeat"
                            .into(),
                    });
                }
                inner.push(Value::Object(s.obj));
                inner_lines.push(i + 1);
            } else {
                p.push_block(s.obj, i + 1, Vec::new());
            }
            i += 1;
        }
        if let Some(n) = reps {
            // An indented repeat right below a repeat's steps would be nested.
            if let Some(&l) = lines.get(i)
                && l.starts_with([' ', '\t'])
                && header(l.trim(), l, i + 1)?.1.is_some()
            {
                return Err(TextError {
                    line: i + 1,
                    col: col_of(l, l.len() - l.trim_start().len()),
                    message: format!(
                        "nested repeats are not supported: TrainingPeaks stores one level of \
                         repetition (and Intervals.icu none deeper); write the inner steps out, \
                         or leave a blank line and un-indent to start a new repeat after the one \
                         on line {first}"
                    ),
                });
            }
            let mut obj = Map::with_capacity(4);
            obj.insert("type".into(), "repetition".into());
            if !title.is_empty() {
                obj.insert("name".into(), title.into());
            }
            obj.insert("reps".into(), n.into());
            obj.insert("steps".into(), Value::Array(inner));
            p.push_block(obj, line_no, inner_lines);
        }
    }
    if p.blocks.is_empty() {
        return Err(TextError {
            line: lines.len().max(1),
            col: 1,
            message: "no steps found; write each step on a line starting with \"- \", e.g. \
                      \"- 10m 50-65%\""
                .into(),
        });
    }
    let metric = p
        .metric
        .map(|(m, _, _)| m)
        .or(opts.default_metric)
        .unwrap_or(IntensityMetric::PercentOfFtp);
    let mut root = Map::new();
    root.insert("primaryIntensityMetric".into(), metric_name(metric).into());
    root.insert("steps".into(), Value::Array(p.blocks));
    Ok(Parsed {
        structure: Value::Object(root),
        description,
        sections,
        sources: p.sources,
    })
}

fn metric_name(m: IntensityMetric) -> &'static str {
    match m {
        IntensityMetric::PercentOfFtp => "percentOfFtp",
        IntensityMetric::PercentOfThresholdHr => "percentOfThresholdHr",
        IntensityMetric::PercentOfThresholdPace => "percentOfThresholdPace",
    }
}

fn metric_words(m: IntensityMetric) -> &'static str {
    match m {
        IntensityMetric::PercentOfFtp => "power (% of FTP)",
        IntensityMetric::PercentOfThresholdHr => "heart rate (% of threshold HR)",
        IntensityMetric::PercentOfThresholdPace => "pace (% of threshold pace)",
    }
}

/// A step line: `- ` (or a lone `-`) after optional indentation.
fn is_step(line: &str) -> bool {
    let t = line.trim_start();
    t == "-" || t.starts_with("- ") || t.starts_with("-\t")
}

/// A header's title and repeat count (`Main set 3x` → ("Main set", Some(3))).
fn header(t: &str, raw: &str, line: usize) -> Result<(String, Option<u32>), TextError> {
    let (title, last) = match t.rsplit_once(char::is_whitespace) {
        Some((a, b)) => (a.trim_end(), b),
        None => ("", t),
    };
    let Some(n) = last
        .strip_suffix(['x', 'X'])
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    else {
        return Ok((t.to_owned(), None));
    };
    let col = col_of(
        raw,
        raw.len() - last.len() - (raw.len() - raw.trim_end().len()),
    );
    match n.parse::<u32>() {
        Ok(n @ 1..=1000) => Ok((title.to_owned(), Some(n))),
        _ => Err(TextError {
            line,
            col,
            message: format!("expected a repeat count from 1x to 1000x, found \"{last}\""),
        }),
    }
}

fn section_class(title: &str) -> IntensityClass {
    let norm: String = title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if norm.starts_with("warmup") {
        IntensityClass::WarmUp
    } else if norm.starts_with("cooldown") {
        IntensityClass::CoolDown
    } else {
        IntensityClass::Active
    }
}

/// The whitespace-separated words of `line` from byte `from` on, with their byte offsets.
fn words(line: &str, from: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices().filter(|&(i, _)| i >= from) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.extend(line.get(s..i).map(|w| (s, w)));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.extend(line.get(s..).map(|w| (s, w)));
    }
    out
}

/// `95%LTHR` → `95%`, `LTHR` (the unit word may be written without a space).
fn split_percent((byte, w): (usize, &str)) -> impl Iterator<Item = (usize, &str)> {
    let at = w.find('%').filter(|&i| {
        i > 0 && w.len() > i + 1 && w[i + 1..].bytes().all(|b| b.is_ascii_alphabetic())
    });
    let (a, b) = match at {
        Some(i) => ((byte, &w[..=i]), Some((byte + i + 1, &w[i + 1..]))),
        None => ((byte, w), None),
    };
    std::iter::once(a).chain(b)
}

/// Sets a step's length, refusing a second one and lengths that are not positive.
fn set_length(
    length: &mut Option<(LenKind, f64, usize)>,
    kind: LenKind,
    v: f64,
    line: usize,
    col: usize,
    word: &str,
) -> Result<(), TextError> {
    let message = if let Some((_, _, c)) = length {
        format!(
            "this step already has a length (col {c}); give one duration or distance per step, \
             found \"{word}\""
        )
    } else if v <= 0.0 || !v.is_finite() {
        format!("a length must be more than 0, found \"{word}\"")
    } else {
        *length = Some((kind, v, col));
        return Ok(());
    };
    Err(TextError { line, col, message })
}

/// 1-based character column of byte offset `byte` in `line`.
fn col_of(line: &str, byte: usize) -> usize {
    line.get(..byte).map_or(1, |s| s.chars().count() + 1)
}

fn class_name(c: IntensityClass) -> &'static str {
    match c {
        IntensityClass::WarmUp => "warmUp",
        IntensityClass::Active => "active",
        IntensityClass::Rest => "rest",
        IntensityClass::CoolDown => "coolDown",
        IntensityClass::Other => "other",
    }
}

/// Whole numbers as JSON integers (so the friendly JSON reads as people write it).
fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[derive(Clone, Copy, PartialEq)]
enum LenKind {
    Time,
    Distance,
}

struct Parser<'o> {
    opts: &'o Options,
    /// The workout's metric and where it was decided (line, col).
    metric: Option<(IntensityMetric, usize, usize)>,
    length_kind: Option<(LenKind, usize, usize)>,
    blocks: Vec<Value>,
    sources: Vec<BlockSource>,
}

struct StepOut {
    obj: Map<String, Value>,
    ramp_col: Option<usize>,
}

/// A target as written, in % of its metric's threshold, in the order written.
struct Target {
    metric: IntensityMetric,
    a: f64,
    b: f64,
}

impl Parser<'_> {
    fn push_block(&mut self, obj: Map<String, Value>, line: usize, inner: Vec<usize>) {
        self.blocks.push(Value::Object(obj));
        self.sources.push(BlockSource { line, inner });
    }

    fn step(
        &mut self,
        line: usize,
        raw: &str,
        class: IntensityClass,
    ) -> Result<StepOut, TextError> {
        let err = |col: usize, message: String| TextError { line, col, message };
        // Words after the dash (byte offset, text), numbers joined to a unit that follows.
        let dash = raw.len() - raw.trim_start().len();
        let mut toks: Vec<(usize, &str, Tok)> = Vec::new();
        for (byte, w) in words(raw, dash + 1).into_iter().flat_map(split_percent) {
            let tok = classify(w);
            if let Tok::UnitWord(unit) = tok
                && let Some(last) = toks.last_mut()
                && let Tok::Num(x) = last.2
            {
                last.1 = raw.get(last.0..byte + w.len()).unwrap_or(last.1);
                last.2 = Tok::Range { unit, a: x, b: x };
                continue;
            }
            toks.push((byte, w, tok));
        }

        let ascii = raw.is_ascii();
        let mut name: Vec<&str> = Vec::new();
        let mut length: Option<(LenKind, f64, usize)> = None;
        let mut target: Option<(Target, usize, &str)> = None;
        let mut cadence: Option<(f64, f64)> = None;
        let mut ramp_col = None;
        let mut free = false;
        let mut lap = false;
        let mut explicit_class = None;
        let mut i = 0;
        while let Some((byte, word, tok)) = toks.get(i) {
            let col = if ascii { byte + 1 } else { col_of(raw, *byte) };
            let word = *word;
            let next = toks.get(i + 1).map(|t| &t.2);
            let qual = match next {
                Some(Tok::Qual(q)) => Some(*q),
                _ => None,
            };
            let mut found: Option<Target> = None;
            match tok {
                Tok::Time(s) => set_length(&mut length, LenKind::Time, *s, line, col, word)?,
                Tok::Dist(m) => set_length(
                    &mut length,
                    LenKind::Distance,
                    (*m * 1000.0).round() / 1000.0,
                    line,
                    col,
                    word,
                )?,
                Tok::Clock(s) if qual == Some(Qual::Pace) => {
                    found = Some(self.pace(*s, *s, None, col, line)?);
                    i += 1;
                }
                Tok::Clock(s) => set_length(&mut length, LenKind::Time, *s, line, col, word)?,
                Tok::Pace { a, b, per } => {
                    found = Some(self.pace(*a, *b, *per, col, line)?);
                    if qual == Some(Qual::Pace) {
                        i += 1;
                    }
                }
                Tok::Range { unit, a, b } => match unit {
                    Unit::Rpm => {
                        if cadence.is_some() {
                            return Err(err(
                                col,
                                format!("this step already has a cadence, found \"{word}\""),
                            ));
                        }
                        cadence = Some((a.min(*b), a.max(*b)));
                    }
                    Unit::Pct | Unit::Zone | Unit::Watt | Unit::Bpm => {
                        let used_qual = matches!(
                            (unit, qual),
                            (Unit::Pct, Some(_))
                                | (Unit::Zone, Some(Qual::Hr | Qual::Lthr | Qual::Pace))
                        );
                        found = Some(self.target(*unit, *a, *b, qual, col, line)?);
                        if used_qual {
                            i += 1;
                        }
                    }
                },
                Tok::Ramp => ramp_col = Some(col),
                Tok::FreeRide => free = true,
                Tok::Press if matches!(next, Some(Tok::Lap)) => {
                    lap = true;
                    i += 1;
                }
                Tok::Lap if matches!(next, Some(Tok::Press)) => {
                    lap = true;
                    i += 1;
                }
                Tok::Intensity(c) => explicit_class = Some(*c),
                Tok::Bad(why) if !why.is_empty() => {
                    return Err(err(col, format!("\"{word}\": {why}")));
                }
                Tok::Bad(_) => {
                    let expected = if length.is_none() {
                        "a duration like 10m or 30s (or a distance like 2km)"
                    } else {
                        "a target like 75%, 220w, Z2, 95% LTHR, 5:00/km Pace or a cadence like \
                         90rpm"
                    };
                    return Err(err(col, format!("expected {expected}, found \"{word}\"")));
                }
                Tok::Num(_)
                | Tok::UnitWord(_)
                | Tok::Qual(_)
                | Tok::Press
                | Tok::Lap
                | Tok::Word => name.push(word),
            }
            if let Some(t) = found {
                if let Some((_, c, _)) = &target {
                    return Err(err(
                        col,
                        format!(
                            "this step already has a target (col {c}); give one target per \
                             step, found \"{word}\""
                        ),
                    ));
                }
                self.check_metric(t.metric, line, col)?;
                target = Some((t, col, word));
            }
            i += 1;
        }

        let end_col = col_of(raw, raw.trim_end().len());
        let Some((kind, value, len_col)) = length else {
            return Err(err(
                end_col,
                "this step has no duration or distance; add one like 10m, 30s or 2km \
                 (Intervals.icu would drop the step)"
                    .into(),
            ));
        };
        match self.length_kind {
            Some((k, l, c)) if k != kind => {
                let (this, other) = match kind {
                    LenKind::Time => ("time", "distance"),
                    LenKind::Distance => ("distance", "time"),
                };
                return Err(err(
                    len_col,
                    format!(
                        "this step is measured in {this} but the workout is measured in {other} \
                         (line {l}, col {c}); TrainingPeaks keeps one length metric per workout"
                    ),
                ));
            }
            Some(_) => {}
            None => self.length_kind = Some((kind, line, len_col)),
        }
        if free && let Some((_, c, w)) = &target {
            return Err(err(
                *c,
                format!("freeride means no target; drop \"{w}\" or \"freeride\""),
            ));
        }

        let mut obj = Map::with_capacity(8);
        if !name.is_empty() {
            obj.insert("name".into(), name.join(" ").into());
        }
        if let Some(rc) = ramp_col {
            let Some((t, c, w)) = &target else {
                return Err(err(
                    rc,
                    "a ramp needs a target range to ramp over, e.g. \"ramp 50-75%\"".into(),
                ));
            };
            if t.a == t.b {
                return Err(err(
                    *c,
                    format!(
                        "a ramp needs different start and end values, e.g. 50-75%, found \"{w}\""
                    ),
                ));
            }
            if lap {
                return Err(err(
                    rc,
                    "a ramp cannot end on the lap button; use a plain step for Press lap".into(),
                ));
            }
            obj.insert("type".into(), "ramp".into());
            obj.insert("intensity_start".into(), num(t.a));
            obj.insert("intensity_end".into(), num(t.b));
        }
        let key = match kind {
            LenKind::Time => "duration_seconds",
            LenKind::Distance => "distance_meters",
        };
        obj.insert(key.into(), num(value));
        if ramp_col.is_none()
            && let Some((t, _, _)) = &target
        {
            obj.insert("intensity_min".into(), num(t.a.min(t.b)));
            obj.insert("intensity_max".into(), num(t.a.max(t.b)));
        }
        if let Some((lo, hi)) = cadence {
            obj.insert("cadence_min".into(), num(lo));
            obj.insert("cadence_max".into(), num(hi));
        }
        obj.insert(
            "intensityClass".into(),
            class_name(explicit_class.unwrap_or(class)).into(),
        );
        if lap {
            obj.insert("open_duration".into(), true.into());
        }
        Ok(StepOut { obj, ramp_col })
    }

    fn check_metric(
        &mut self,
        m: IntensityMetric,
        line: usize,
        col: usize,
    ) -> Result<(), TextError> {
        match self.metric {
            None => {
                self.metric = Some((m, line, col));
                Ok(())
            }
            Some((have, _, _)) if have == m => Ok(()),
            Some((have, l, c)) => Err(TextError {
                line,
                col,
                message: format!(
                    "this target is {} but the workout's targets are {} (line {l}, col {c}); \
                     TrainingPeaks keeps one intensity metric per workout",
                    metric_words(m),
                    metric_words(have)
                ),
            }),
        }
    }

    fn missing(&self, line: usize, col: usize, what: &str, field: &str) -> TextError {
        TextError {
            line,
            col,
            message: format!("{what} needs the athlete's {field}, which was not given"),
        }
    }

    /// A % / watts / bpm / zone target → % of its metric.
    fn target(
        &self,
        unit: Unit,
        a: f64,
        b: f64,
        qual: Option<Qual>,
        col: usize,
        line: usize,
    ) -> Result<Target, TextError> {
        use IntensityMetric::*;
        let o = self.opts;
        let both = |metric, f: &dyn Fn(f64) -> f64| Target {
            metric,
            a: round2(f(a)),
            b: round2(f(b)),
        };
        Ok(match (unit, qual) {
            (Unit::Pct, Some(Qual::Mmp)) => {
                return Err(TextError {
                    line,
                    col,
                    message: "% MMP targets depend on Intervals.icu's power model, which \
                              TrainingPeaks has no target for; write % of FTP, e.g. 90%"
                        .into(),
                });
            }
            (Unit::Pct, Some(Qual::Lthr)) => both(PercentOfThresholdHr, &|x| x),
            (Unit::Pct, Some(Qual::Pace)) => both(PercentOfThresholdPace, &|x| x),
            (Unit::Pct, Some(Qual::Hr)) => {
                let max = o
                    .max_hr_bpm
                    .ok_or_else(|| self.missing(line, col, "% HR (of max HR)", "max_hr_bpm"))?;
                let lthr = self.lthr(line, col, "% HR (of max HR)")?;
                both(PercentOfThresholdHr, &|x| x * max / lthr)
            }
            (Unit::Pct, None) => both(o.default_metric.unwrap_or(PercentOfFtp), &|x| x),
            (Unit::Watt, _) => {
                let ftp = o
                    .ftp_watts
                    .filter(|f| *f > 0.0)
                    .ok_or_else(|| self.missing(line, col, "a target in watts", "ftp_watts"))?;
                both(PercentOfFtp, &|x| x / ftp * 100.0)
            }
            (Unit::Bpm, _) => {
                let lthr = self.lthr(line, col, "a target in bpm")?;
                both(PercentOfThresholdHr, &|x| x / lthr * 100.0)
            }
            (Unit::Zone, q) => self.zone(a, b, q, col, line)?,
            (Unit::Rpm, _) => {
                return Err(TextError {
                    line,
                    col,
                    message: "a cadence is not an intensity target".into(),
                });
            }
        })
    }

    fn lthr(&self, line: usize, col: usize, what: &str) -> Result<f64, TextError> {
        self.opts
            .lthr_bpm
            .filter(|v| *v > 0.0)
            .ok_or_else(|| self.missing(line, col, what, "lthr_bpm (threshold heart rate)"))
    }

    fn threshold_speed(&self, line: usize, col: usize, what: &str) -> Result<f64, TextError> {
        self.opts
            .threshold_speed_mps
            .filter(|v| *v > 0.0)
            .ok_or_else(|| self.missing(line, col, what, "threshold_speed_mps (threshold pace)"))
    }

    /// Absolute pace (seconds per `per` metres) → % of threshold pace (as a speed).
    fn pace(
        &self,
        a: f64,
        b: f64,
        per: Option<f64>,
        col: usize,
        line: usize,
    ) -> Result<Target, TextError> {
        let thr = self.threshold_speed(line, col, "an absolute pace")?;
        let per = per.unwrap_or(match self.opts.sport {
            Sport::Swim => 100.0,
            _ => 1000.0,
        });
        if a <= 0.0 || b <= 0.0 {
            return Err(TextError {
                line,
                col,
                message: "a pace must be more than 0:00".into(),
            });
        }
        Ok(Target {
            metric: IntensityMetric::PercentOfThresholdPace,
            a: round2(per / a / thr * 100.0),
            b: round2(per / b / thr * 100.0),
        })
    }

    /// `Z2`, `Z2-Z3` (power), `Z2 HR`, `Z2 Pace` → % of the metric's threshold.
    fn zone(
        &self,
        a: f64,
        b: f64,
        qual: Option<Qual>,
        col: usize,
        line: usize,
    ) -> Result<Target, TextError> {
        let o = self.opts;
        let (metric, zones, what): (IntensityMetric, Vec<(f64, f64)>, &str) = match qual {
            Some(Qual::Hr | Qual::Lthr) => {
                if o.hr_zones.is_empty() {
                    return Err(self.missing(line, col, "a heart-rate zone", "hr_zones"));
                }
                let lthr = self.lthr(line, col, "a heart-rate zone")?;
                let pct = |z: &Zone| {
                    let top = if is_open_hr(z.maximum) {
                        o.max_hr_bpm.unwrap_or(z.minimum)
                    } else {
                        z.maximum
                    };
                    (z.minimum / lthr * 100.0, top / lthr * 100.0)
                };
                (
                    IntensityMetric::PercentOfThresholdHr,
                    o.hr_zones.iter().map(pct).collect(),
                    "heart-rate",
                )
            }
            Some(Qual::Pace) => {
                if o.speed_zones.is_empty() {
                    return Err(self.missing(line, col, "a pace zone", "speed_zones"));
                }
                let thr = self.threshold_speed(line, col, "a pace zone")?;
                let pct = |z: &Zone| {
                    let top = if is_open_speed(z.maximum, thr) {
                        z.minimum
                    } else {
                        z.maximum
                    };
                    (z.minimum / thr * 100.0, top / thr * 100.0)
                };
                (
                    IntensityMetric::PercentOfThresholdPace,
                    o.speed_zones.iter().map(pct).collect(),
                    "pace",
                )
            }
            _ if o.power_zones.is_empty() => {
                let mut zones = Vec::with_capacity(5);
                let mut lo = 0.0;
                for up in COGGAN_UPPER_PERCENTS {
                    zones.push((lo, up));
                    lo = up + 1.0;
                }
                zones.push((lo, COGGAN_Z5_TOP));
                (IntensityMetric::PercentOfFtp, zones, "power")
            }
            _ => {
                let ftp = o
                    .ftp_watts
                    .filter(|f| *f > 0.0)
                    .ok_or_else(|| self.missing(line, col, "a power zone", "ftp_watts"))?;
                let pct = |z: &Zone| {
                    let top = if is_open_power(z.maximum) {
                        z.minimum
                    } else {
                        z.maximum
                    };
                    (z.minimum / ftp * 100.0, top / ftp * 100.0)
                };
                (
                    IntensityMetric::PercentOfFtp,
                    o.power_zones.iter().map(pct).collect(),
                    "power",
                )
            }
        };
        let get = |n: f64| {
            (n >= 1.0)
                .then(|| zones.get(n as usize - 1).copied())
                .flatten()
                .ok_or_else(|| TextError {
                    line,
                    col,
                    message: format!(
                        "Z{n} is not one of the {} {what} zones (Z1–Z{})",
                        zones.len(),
                        zones.len(),
                        n = crate::decimal::Shortest(n)
                    ),
                })
        };
        let (za, zb) = (get(a)?, get(b)?);
        let (lo, hi) = if a <= b { (za.0, zb.1) } else { (zb.0, za.1) };
        Ok(Target {
            metric,
            a: round2(lo),
            b: round2(hi),
        })
    }
}
