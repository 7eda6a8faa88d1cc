//! The power curve: best average power against duration on a logarithmic duration axis, one or
//! two curves (say this season against last), optionally the critical-power model.

use super::svg::{Doc, Esc, N, nice_step, short_duration};
use super::{Chart, ChartError, ChartOptions, finite};

/// Best average power held for a duration.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurvePoint {
    /// Duration in seconds (≥ 1).
    pub seconds: f64,
    /// Best average power over that duration, in watts.
    pub watts: f64,
}

/// One curve with its legend label (e.g. "Last 90 days").
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PowerCurve {
    /// Shown in the legend and the description.
    pub label: String,
    /// Points in ascending duration.
    pub points: Vec<CurvePoint>,
}

/// The two-parameter critical-power model, P(t) = CP + W′ / t.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CpModel {
    /// Critical power in watts.
    pub cp_watts: f64,
    /// Work capacity above CP, in joules.
    pub w_prime_joules: f64,
}

/// Durations labelled on the axis and named in the description.
const TICKS: [f64; 14] = [
    1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0, 7200.0, 10800.0,
    18000.0,
];
const KEY: [f64; 6] = [5.0, 60.0, 300.0, 1200.0, 3600.0, 7200.0];

/// Power at `t` seconds read off a curve (interpolated in log time), if `t` is within it.
fn at(points: &[CurvePoint], t: f64) -> Option<f64> {
    let i = points.iter().position(|p| p.seconds >= t)?;
    let b = points.get(i)?;
    if b.seconds == t {
        return Some(b.watts);
    }
    let a = points.get(i.checked_sub(1)?)?;
    let f = (t.ln() - a.seconds.ln()) / (b.seconds.ln() - a.seconds.ln());
    Some(a.watts + f * (b.watts - a.watts))
}

/// Draws one or two power curves (up to 2000 points each) and the optional CP model line.
/// Errors name the curve and point that cannot be drawn.
pub fn power_curve(
    curves: &[PowerCurve],
    cp: Option<&CpModel>,
    opts: &ChartOptions,
) -> Result<Chart, ChartError> {
    opts.check()?;
    if curves.is_empty() || curves.len() > 2 {
        return Err(ChartError::new("curves", "give one or two curves"));
    }
    for (ci, c) in curves.iter().enumerate() {
        if c.points.is_empty() || c.points.len() > 2000 {
            return Err(ChartError::new(
                format!("curves[{ci}].points"),
                "a curve needs 1–2000 points",
            ));
        }
        for (pi, p) in c.points.iter().enumerate() {
            let f = |n: &str| format!("curves[{ci}].points[{pi}].{n}");
            finite(|| f("seconds"), p.seconds)?;
            finite(|| f("watts"), p.watts)?;
            if !(1.0..=86400.0).contains(&p.seconds) {
                return Err(ChartError::new(f("seconds"), "must be 1–86400"));
            }
            if !(0.0..=5000.0).contains(&p.watts) {
                return Err(ChartError::new(f("watts"), "must be 0–5000"));
            }
            if pi > 0 && c.points.get(pi - 1).is_some_and(|q| q.seconds >= p.seconds) {
                return Err(ChartError::new(f("seconds"), "durations must be ascending"));
            }
        }
    }
    if let Some(m) = cp {
        finite(|| "cp.cp_watts".into(), m.cp_watts)?;
        finite(|| "cp.w_prime_joules".into(), m.w_prime_joules)?;
        if !(1.0..=2000.0).contains(&m.cp_watts) {
            return Err(ChartError::new("cp.cp_watts", "must be 1–2000 W"));
        }
        if !(0.0..=200_000.0).contains(&m.w_prime_joules) {
            return Err(ChartError::new("cp.w_prime_joules", "must be 0–200000 J"));
        }
    }

    // Words.
    let mut desc = String::from("Power curve (best average power by duration, log scale).");
    for c in curves {
        let best: Vec<String> = KEY
            .iter()
            .filter_map(|t| {
                at(&c.points, *t).map(|w| format!("{} {} W", short_duration(*t), N(w.round())))
            })
            .collect();
        desc.push_str(&format!(" {}: {}.", c.label, best.join(", ")));
    }
    if let Some(m) = cp {
        desc.push_str(&format!(
            " CP model (dashed): CP {} W, W′ {} kJ.",
            N(m.cp_watts.round()),
            N(m.w_prime_joules / 1000.0)
        ));
    }
    let title = opts.title.clone().unwrap_or_else(|| "Power curve".into());

    let mut d = Doc::start(opts, &title, &desc);
    let pal = d.pal;
    let (left, right, top_m, bottom) = (58.0, 16.0, 40.0, 24.0);
    let pw = d.width - left - right;
    let ph = d.height - top_m - bottom;
    let base = top_m + ph;
    let t_max = curves
        .iter()
        .filter_map(|c| c.points.last().map(|p| p.seconds))
        .fold(3600.0f64, f64::max);
    let t_max = TICKS
        .into_iter()
        .find(|t| *t >= t_max)
        .unwrap_or(86400.0)
        .min(86400.0);
    // The axis starts at the labelled duration at or below the shortest point: a curve that
    // starts at 5 s (TrainingPeaks' shortest record) used to leave the first fifth of the
    // plot, 1–5 s, empty.
    let t_first = curves
        .iter()
        .filter_map(|c| c.points.first().map(|p| p.seconds))
        .fold(f64::MAX, f64::min);
    let t_min = TICKS
        .into_iter()
        .rev()
        .find(|t| *t <= t_first && *t < t_max)
        .unwrap_or(1.0);
    let w_max = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.watts))
        .fold(100.0f64, f64::max);
    let step = nice_step(w_max, 5.0);
    let w_top = (w_max * 1.05 / step).ceil() * step;
    let px = |t: f64| left + (t.ln() - t_min.ln()) / (t_max.ln() - t_min.ln()) * pw;
    let py = |w: f64| base - w / w_top * ph;

    d.w(format_args!(
        "<text x=\"{}\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"{}\">{}</text>",
        N(left),
        pal.text,
        Esc(&title)
    ));

    // Grid: watts horizontally, the labelled durations vertically.
    let mut grid = String::new();
    d.w(format_args!(
        "<g fill=\"{}\" text-anchor=\"end\">",
        pal.muted
    ));
    let mut w = 0.0;
    while w <= w_top + 0.01 {
        grid.push_str(&format!("M{} {}H{}", N(left), N(py(w)), N(left + pw)));
        d.w(format_args!(
            "<text x=\"{}\" y=\"{}\">{} W</text>",
            N(left - 6.0),
            N(py(w) + 4.0),
            N(w)
        ));
        w += step;
    }
    d.out.push_str("</g>");
    d.w(format_args!(
        "<g fill=\"{}\" text-anchor=\"middle\">",
        pal.muted
    ));
    let mut last_x = f64::MIN;
    for t in TICKS.iter().filter(|t| **t >= t_min && **t <= t_max) {
        grid.push_str(&format!("M{} {}V{}", N(px(*t)), N(top_m), N(base)));
        let x = px(*t).clamp(left + 8.0, left + pw - 10.0);
        // Labels that would touch the previous one are skipped (the grid line stays).
        if x - last_x >= 30.0 {
            d.w(format_args!(
                "<text x=\"{}\" y=\"{}\">{}</text>",
                N(x),
                N(base + 16.0),
                short_duration(*t)
            ));
            last_x = x;
        }
    }
    d.out.push_str("</g>");
    d.w(format_args!("<path d=\"{grid}\" stroke=\"{}\"/>", pal.grid));

    // CP model, from where it enters the plot.
    if let Some(m) = cp {
        let t0 = if w_top > m.cp_watts {
            (m.w_prime_joules / (w_top - m.cp_watts)).max(t_min)
        } else {
            t_max
        };
        let mut p = String::new();
        let n = 60;
        for i in 0..=n {
            let t = (t0.ln() + (t_max.ln() - t0.ln()) * f64::from(i) / f64::from(n)).exp();
            p.push_str(&format!(
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                N(px(t)),
                N(py(m.cp_watts + m.w_prime_joules / t))
            ));
        }
        d.w(format_args!(
            "<path class=\"cp\" d=\"{p}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" \
             stroke-dasharray=\"6 4\"/>",
            pal.series[6]
        ));
    }

    // Curves.
    for (ci, c) in curves.iter().enumerate() {
        let colour = pal.series[if ci == 0 { 0 } else { 2 }];
        let mut p = String::new();
        for (i, pt) in c.points.iter().enumerate() {
            p.push_str(&format!(
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                N(px(pt.seconds)),
                N(py(pt.watts))
            ));
        }
        d.w(format_args!(
            "<path class=\"curve\" d=\"{p}\" fill=\"none\" stroke=\"{colour}\" \
             stroke-width=\"2.5\" stroke-linejoin=\"round\"/>"
        ));
    }

    // Legend, top right.
    let mut x = d.width - right;
    let mut items: Vec<(&str, String, bool)> = curves
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                pal.series[if i == 0 { 0 } else { 2 }],
                c.label.clone(),
                false,
            )
        })
        .collect();
    if let Some(m) = cp {
        items.push((
            pal.series[6],
            format!("CP {} W", N(m.cp_watts.round())),
            true,
        ));
    }
    let needed: f64 = items
        .iter()
        .map(|(_, l, _)| 38.0 + super::svg::text_width(l))
        .sum();
    if d.width - right - needed < super::svg::title_end(left, &title) {
        items.clear();
    }
    for (colour, label, dashed) in items.iter().rev() {
        // Roughly 6.5 px per character at 12 px: enough to keep items apart without measuring.
        x -= 26.0 + label.chars().count() as f64 * 6.5;
        d.w(format_args!(
            "<path d=\"M{} 14h16\" stroke=\"{colour}\" stroke-width=\"3\"{}/>",
            N(x),
            if *dashed {
                " stroke-dasharray=\"4 3\""
            } else {
                ""
            }
        ));
        d.text(x + 20.0, 18.0, "start", pal.muted, label);
        x -= 12.0;
    }

    Ok(Chart {
        svg: d.finish(),
        title,
        description: desc,
        width: opts.width,
        height: opts.height,
    })
}
