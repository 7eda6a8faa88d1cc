//! A workout's profile: intensity over time (or distance), one shape per step as the athlete
//! rides it (repetitions unrolled), each coloured by its training zone.

use super::svg::{Doc, N, short_duration, thousands};
use super::{Chart, ChartError, ChartOptions, finite};
use crate::structure::{BlockKind, IntensityMetric, LengthMetric, LengthUnit, Structure, metrics};

/// How ramp blocks are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RampStyle {
    /// As the intended slope: each sub-step rises (or falls) across its band, so the ramp reads
    /// as one continuous line.
    #[default]
    Slope,
    /// As the staircase TrainingPeaks stores and a trainer in ERG mode follows.
    Staircase,
}

/// One step as drawn: position and targets in the workout's units.
struct Seg {
    start: f64,
    len: f64,
    lo: f64,
    hi: f64,
    /// For ramp sub-steps drawn as a slope: the target at the start and at the end.
    slope: Option<(f64, f64)>,
    open: bool,
}

/// Upper bounds of zones 1–6 (zone 7 above) in % of the threshold, per metric. Power: Coggan's
/// seven levels. Heart rate and pace: the usual threshold-based seven-zone split (Z5 divided
/// into a, b, c), pace read as % of threshold speed (higher is faster).
fn zone_bounds(metric: IntensityMetric) -> ([f64; 6], [&'static str; 7]) {
    match metric {
        IntensityMetric::PercentOfFtp => (
            [55.0, 75.0, 90.0, 105.0, 120.0, 150.0],
            ["Z1", "Z2", "Z3", "Z4", "Z5", "Z6", "Z7"],
        ),
        IntensityMetric::PercentOfThresholdHr => (
            [81.0, 90.0, 94.0, 100.0, 103.0, 106.0],
            ["Z1", "Z2", "Z3", "Z4", "Z5a", "Z5b", "Z5c"],
        ),
        IntensityMetric::PercentOfThresholdPace => (
            [78.0, 88.0, 95.0, 100.0, 103.0, 111.0],
            ["Z1", "Z2", "Z3", "Z4", "Z5a", "Z5b", "Z5c"],
        ),
    }
}

fn zone_of(bounds: &[f64; 6], pct: f64) -> usize {
    bounds.iter().take_while(|b| pct >= **b).count()
}

fn metric_name(m: IntensityMetric) -> &'static str {
    match m {
        IntensityMetric::PercentOfFtp => "% FTP",
        IntensityMetric::PercentOfThresholdHr => "% threshold HR",
        IntensityMetric::PercentOfThresholdPace => "% threshold pace",
    }
}

fn length_text(v: f64, distance: bool) -> String {
    if !distance {
        short_duration(v)
    } else if v >= 5000.0 {
        format!("{} km", N(v / 1000.0))
    } else {
        format!("{} m", thousands(v))
    }
}

fn range_text(lo: f64, hi: f64) -> String {
    if (hi - lo).abs() < 0.5 {
        format!("{}%", N(hi))
    } else {
        format!("{}–{}%", N(lo), N(hi))
    }
}

/// Draws the profile of a compiled workout structure.
///
/// Every step is one shape inside `<g class="steps">` (a repetition's steps once per rep), its
/// width proportional to its length, its height the top of its target, its colour the zone of
/// its target's midpoint; the part between a range's minimum and maximum is paler. Repetitions
/// get a bracket with the rep count, open-duration steps a dashed outline and "open", and ramps
/// are drawn per `ramps`. Errors name the block or step that cannot be drawn (no steps, a length
/// that is not a positive finite number).
pub fn workout_profile(
    s: &Structure,
    ramps: RampStyle,
    opts: &ChartOptions,
) -> Result<Chart, ChartError> {
    opts.check()?;
    let distance = s.primary_length_metric == LengthMetric::Distance;
    let (bounds, zone_names) = zone_bounds(s.primary_intensity_metric);

    // Unroll the structure into drawn steps, remembering each repetition's extent.
    let mut segs: Vec<Seg> = Vec::new();
    let mut brackets: Vec<(f64, f64, f64, f64)> = Vec::new(); // start, end, reps, top
    let mut parts: Vec<String> = Vec::new();
    let mut pos = 0.0f64;
    for (bi, block) in s.structure.iter().enumerate() {
        let reps = block.repeats();
        if !(1.0..=1000.0).contains(&reps) {
            return Err(ChartError::new(
                format!("structure[{bi}].length.value"),
                "a repetition count must be 1–1000",
            ));
        }
        if block.steps.is_empty() {
            return Err(ChartError::new(
                format!("structure[{bi}].steps"),
                "a block needs at least one step",
            ));
        }
        let ramp = matches!(block.kind, BlockKind::RampUp | BlockKind::RampDown);
        let block_start = pos;
        let mut block_top = 0.0f64;
        let mut inner: Vec<String> = Vec::new();
        for rep in 0..(reps as usize) {
            for (si, step) in block.steps.iter().enumerate() {
                let field = || format!("structure[{bi}].steps[{si}]");
                let unit_ok = match step.length.unit {
                    LengthUnit::Second => !distance,
                    LengthUnit::Meter | LengthUnit::Mile => distance,
                    LengthUnit::Repetition => false,
                };
                if !unit_ok {
                    return Err(ChartError::new(
                        format!("{}.length.unit", field()),
                        if distance {
                            "a distance workout needs meter or mile lengths"
                        } else {
                            "a time workout needs second lengths"
                        },
                    ));
                }
                let len = finite(|| format!("{}.length.value", field()), step.length.value)?
                    * step.length.unit.to_base();
                if len <= 0.0 {
                    return Err(ChartError::new(
                        format!("{}.length.value", field()),
                        "a step's length must be positive",
                    ));
                }
                let (mut lo, mut hi) = match step.primary() {
                    Some(t) => {
                        let a = t.min_value.or(t.max_value).unwrap_or(0.0);
                        let b = t.max_value.or(t.min_value).unwrap_or(0.0);
                        (
                            finite(|| format!("{}.targets.minValue", field()), a)?,
                            finite(|| format!("{}.targets.maxValue", field()), b)?,
                        )
                    }
                    None => (0.0, 0.0),
                };
                if lo > hi {
                    std::mem::swap(&mut lo, &mut hi);
                }
                // Beyond 1000 % is not a target any compiler accepts; clamp rather than let one
                // typo flatten every other step.
                let (lo, hi) = (lo.clamp(0.0, 1000.0), hi.clamp(0.0, 1000.0));
                let slope = match (ramps, block.kind) {
                    (RampStyle::Slope, BlockKind::RampUp) => Some((lo, hi)),
                    (RampStyle::Slope, BlockKind::RampDown) => Some((hi, lo)),
                    _ => None,
                };
                if rep == 0 && !ramp {
                    let open = if step.open_duration { " open" } else { "" };
                    inner.push(format!(
                        "{}{open} {}",
                        length_text(len, distance),
                        range_text(lo, hi)
                    ));
                }
                block_top = block_top.max(hi);
                segs.push(Seg {
                    start: pos,
                    len,
                    lo,
                    hi,
                    slope,
                    open: step.open_duration,
                });
                pos += len;
            }
        }
        let block_len = pos - block_start;
        if ramp {
            let first = segs.get(segs.len() - block.steps.len());
            let last = segs.last();
            if let (Some(f), Some(l)) = (first, last) {
                let (a, b) = if block.kind == BlockKind::RampUp {
                    (f.lo, l.hi)
                } else {
                    (f.hi, l.lo)
                };
                parts.push(format!(
                    "ramp {} {}→{}%",
                    length_text(block_len, distance),
                    N(a),
                    N(b)
                ));
            }
        } else if block.kind == BlockKind::Repetition && reps > 1.0 {
            parts.push(format!("{}× ({})", N(reps), inner.join(", ")));
            brackets.push((block_start, pos, reps, block_top));
        } else {
            parts.append(&mut inner);
        }
    }
    if segs.is_empty() {
        return Err(ChartError::new("structure", "there are no steps to draw"));
    }
    let total = pos;
    let top = segs.iter().map(|g| g.hi).fold(0.0f64, f64::max);

    // Words first: the same text goes into <desc> and to the model.
    let mut in_zone = [0.0f64; 7];
    for g in &segs {
        if let Some(z) = in_zone.get_mut(zone_of(&bounds, (g.lo + g.hi) / 2.0)) {
            *z += g.len;
        }
    }
    let zones_text = in_zone
        .iter()
        .zip(zone_names)
        .filter(|(v, _)| **v > 0.0)
        .map(|(v, n)| format!("{n} {}", length_text(*v, distance)))
        .collect::<Vec<_>>()
        .join(", ");
    let planned = metrics(s, None);
    let load = match &planned {
        Some(m) if m.tss_planned > 0.0 => {
            format!(
                ", IF {}, TSS {}",
                crate::decimal::fixed(m.if_planned, 2, false),
                thousands(m.tss_planned)
            )
        }
        _ => String::new(),
    };
    let opens = segs.iter().filter(|g| g.open).count();
    let open_text = if opens > 0 {
        format!(
            " {opens} open step{} (ended with the lap button; the length is an estimate).",
            if opens == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Workout profile".into());
    let description = format!(
        "Workout profile by {}, {} in {} steps{load}, intensity in {}: {}. Highest target {}% \
         ({}). {} in zones: {}.{open_text}",
        if distance { "distance" } else { "time" },
        length_text(total, distance),
        segs.len(),
        metric_name(s.primary_intensity_metric),
        parts.join(", "),
        N(top),
        zone_names
            .get(zone_of(&bounds, top))
            .copied()
            .unwrap_or_default(),
        if distance { "Distance" } else { "Time" },
        zones_text,
    );

    // Layout.
    let mut d = Doc::start(opts, &title, &description);
    let pal = d.pal;
    let (left, right, top_m, bottom) = (46.0, 12.0, 40.0, 24.0);
    let pw = d.width - left - right;
    let ph = d.height - top_m - bottom;
    let base = top_m + ph;
    let ymax = ((top.max(100.0) * 1.1) / 25.0).ceil() * 25.0;
    let px = |v: f64| left + v / total * pw;
    let py = |v: f64| base - v / ymax * ph;

    // Header: title left, length and load right.
    d.w(format_args!(
        "<text x=\"{}\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"{}\">{}</text>",
        N(left),
        pal.text,
        super::svg::Esc(&title)
    ));
    let head = match &planned {
        Some(m) if m.tss_planned > 0.0 => format!(
            "{} · IF {} · TSS {}",
            length_text(total, distance),
            crate::decimal::fixed(m.if_planned, 2, false),
            thousands(m.tss_planned)
        ),
        _ => length_text(total, distance),
    };
    d.text(d.width - right, 18.0, "end", pal.muted, &head);

    // Grid and % labels; 100 % (the threshold) stronger.
    let step = if ymax <= 160.0 { 25.0 } else { 50.0 };
    d.w(format_args!(
        "<g fill=\"{}\" text-anchor=\"end\">",
        pal.muted
    ));
    let mut v = 0.0;
    let mut lines = String::new();
    while v <= ymax + 0.01 {
        let y = py(v);
        let colour = if (v - 100.0).abs() < 0.01 {
            pal.axis
        } else {
            pal.grid
        };
        lines.push_str(&format!(
            "<path d=\"M{} {}H{}\" stroke=\"{colour}\"/>",
            N(left),
            N(y),
            N(left + pw)
        ));
        d.w(format_args!(
            "<text x=\"{}\" y=\"{}\">{}%</text>",
            N(left - 6.0),
            N(y + 4.0),
            N(v)
        ));
        v += step;
    }
    d.out.push_str("</g>");
    d.out.push_str(&lines);

    // Steps.
    d.out.push_str("<g class=\"steps\">");
    for g in &segs {
        let x0 = px(g.start);
        let x1 = px(g.start + g.len);
        let colour = pal.zones[zone_of(&bounds, (g.lo + g.hi) / 2.0).min(6)];
        match g.slope {
            Some((a, b)) => d.w(format_args!(
                // The stroke in the fill colour closes the hairline seams anti-aliasing leaves
                // between neighbouring sub-steps of one slope.
                "<path d=\"M{} {}V{}L{} {}V{}Z\" fill=\"{colour}\" stroke=\"{colour}\" \
                 stroke-width=\".6\"/>",
                N(x0),
                N(base),
                N(py(a)),
                N(x1),
                N(py(b)),
                N(base)
            )),
            None => {
                // A hairline gap between neighbours so that equal steps stay countable.
                let w = if x1 - x0 > 2.0 {
                    x1 - x0 - 0.6
                } else {
                    x1 - x0
                };
                let h = (base - py(g.hi)).max(1.5);
                d.w(format_args!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>",
                    N(x0),
                    N(base - h),
                    N(w),
                    N(h)
                ));
            }
        }
    }
    d.out.push_str("</g>");

    // The band between a range's min and max, paler.
    let ranged: Vec<&Seg> = segs
        .iter()
        .filter(|g| g.slope.is_none() && g.hi - g.lo >= 0.5)
        .collect();
    if !ranged.is_empty() {
        d.w(format_args!(
            "<g fill=\"{}\" fill-opacity=\".4\">",
            pal.background
        ));
        for g in ranged {
            let x0 = px(g.start);
            let w = (px(g.start + g.len) - x0 - 0.6).max(0.5);
            d.w(format_args!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                N(x0),
                N(py(g.hi)),
                N(w),
                N(py(g.lo) - py(g.hi))
            ));
        }
        d.out.push_str("</g>");
    }

    // Open steps: dashed outline and a note.
    for g in segs.iter().filter(|g| g.open) {
        let x0 = px(g.start);
        let w = px(g.start + g.len) - x0;
        let y = py(g.hi).min(base - 14.0);
        d.w(format_args!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" \
             stroke-dasharray=\"4 3\"/>",
            N(x0 + 0.5),
            N(y),
            N((w - 1.6).max(0.5)),
            N(base - y),
            pal.text
        ));
        if w >= 30.0 {
            d.text(x0 + w / 2.0, y - 4.0, "middle", pal.text, "open");
        }
    }

    // Repetition brackets with the count.
    for (a, b, reps, t) in &brackets {
        let (x0, x1) = (px(*a) + 1.0, px(*b) - 1.6);
        let y = (py(*t) - 8.0).max(top_m - 6.0);
        d.w(format_args!(
            "<path d=\"M{} {}V{}H{}V{}\" fill=\"none\" stroke=\"{}\"/>",
            N(x0),
            N(y + 4.0),
            N(y),
            N(x1),
            N(y + 4.0),
            pal.muted
        ));
        d.text(
            (x0 + x1) / 2.0,
            y - 3.0,
            "middle",
            pal.text,
            &format!("{}×", N(*reps)),
        );
    }

    // Length axis.
    d.w(format_args!(
        "<path d=\"M{} {}H{}\" stroke=\"{}\"/>",
        N(left),
        N(base),
        N(left + pw),
        pal.axis
    ));
    let tick = if distance {
        super::svg::nice_step(total, 6.0)
    } else {
        [
            30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1200.0, 1800.0, 3600.0, 5400.0, 7200.0, 10800.0,
        ]
        .into_iter()
        .find(|s| total / s <= 8.0)
        .unwrap_or(3600.0 * (total / 3600.0 / 8.0).ceil())
    };
    d.w(format_args!(
        "<g fill=\"{}\" text-anchor=\"middle\">",
        pal.muted
    ));
    let mut t = 0.0;
    while t <= total + 0.001 {
        let label = if t == 0.0 {
            "0".to_string()
        } else {
            length_text(t, distance)
        };
        // Keep the last label inside the picture.
        let x = px(t).min(d.width - right - 14.0);
        d.w(format_args!(
            "<text x=\"{}\" y=\"{}\">{}</text>",
            N(x),
            N(base + 16.0),
            label
        ));
        t += tick;
    }
    d.out.push_str("</g>");

    // Zone legend (the zones present), top middle-right.
    let present: Vec<usize> = (0..7).filter(|i| in_zone[*i] > 0.0).collect();
    let mut x =
        d.width - right - super::svg::text_width(&head) - 20.0 - 36.0 * present.len() as f64;
    let present = if x >= super::svg::title_end(left, &title) {
        present
    } else {
        Vec::new()
    };
    for i in present {
        d.w(format_args!(
            "<rect x=\"{}\" y=\"9\" width=\"10\" height=\"10\" fill=\"{}\"/>",
            N(x),
            pal.zones[i]
        ));
        d.text(x + 13.0, 18.0, "start", pal.muted, zone_names[i]);
        x += 36.0;
    }

    Ok(Chart {
        svg: d.finish(),
        title,
        description,
        width: opts.width,
        height: opts.height,
    })
}
