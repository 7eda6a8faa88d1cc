//! The fitness chart: CTL, ATL and TSB lines over daily TSS bars, today marked, days after today
//! drawn dashed as a projection.

use chrono::{Datelike, NaiveDate, Weekday};

use super::svg::{Doc, Esc, N, nice_step, thousands};
use super::{Chart, ChartError, ChartOptions, finite};

/// One day of the fitness chart, as the client's fitness rows give it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FitnessRow {
    /// The day (the athlete's local date).
    pub date: NaiveDate,
    /// Training stress of the day (completed, or planned on projected days).
    pub tss: f64,
    /// Chronic training load (fitness).
    pub ctl: f64,
    /// Acute training load (fatigue).
    pub atl: f64,
    /// Training stress balance (form).
    pub tsb: f64,
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %b").to_string()
}

/// Draws the fitness chart for `rows` (ascending, distinct dates), with `today` marked and rows
/// after it dashed. Errors name the row and field (unordered dates, numbers that are not finite,
/// negative TSS, no rows, more than 3660 rows).
pub fn fitness(
    rows: &[FitnessRow],
    today: NaiveDate,
    opts: &ChartOptions,
) -> Result<Chart, ChartError> {
    opts.check()?;
    let (first, last) = match (rows.first(), rows.last()) {
        (Some(f), Some(l)) => (f, l),
        _ => return Err(ChartError::new("rows", "there are no days to draw")),
    };
    if rows.len() > 3660 {
        return Err(ChartError::new(
            "rows",
            "at most 3660 days (ten years) per chart",
        ));
    }
    for (i, r) in rows.iter().enumerate() {
        for (name, v) in [
            ("tss", r.tss),
            ("ctl", r.ctl),
            ("atl", r.atl),
            ("tsb", r.tsb),
        ] {
            finite(|| format!("rows[{i}].{name}"), v)?;
        }
        if r.tss < 0.0 {
            return Err(ChartError::new(
                format!("rows[{i}].tss"),
                "TSS cannot be negative",
            ));
        }
        if i > 0 && rows.get(i - 1).is_some_and(|p| p.date >= r.date) {
            return Err(ChartError::new(
                format!("rows[{i}].date"),
                "dates must be ascending and distinct",
            ));
        }
    }
    let days = (last.date - first.date).num_days() as f64 + 1.0;
    let past: Vec<&FitnessRow> = rows.iter().filter(|r| r.date <= today).collect();
    let future: Vec<&FitnessRow> = rows.iter().filter(|r| r.date > today).collect();

    // Words.
    let mut desc = format!(
        "Fitness chart from {} to {}: CTL (fitness), ATL (fatigue) and TSB (form) lines over \
         daily TSS bars.",
        first.date, last.date
    );
    if let Some(now) = past.last() {
        let (peak_i, peak) = past.iter().enumerate().fold((0, f64::MIN), |acc, (i, r)| {
            if r.ctl > acc.1 { (i, r.ctl) } else { acc }
        });
        let peak_date = past.get(peak_i).map(|r| r.date).unwrap_or(now.date);
        let tss: f64 = past.iter().map(|r| r.tss).sum();
        desc.push_str(&format!(
            " On {} CTL {}, ATL {}, TSB {}. CTL went from {} to {} (peak {} on {}). {} TSS \
             over {} days.",
            now.date,
            N(now.ctl),
            N(now.atl),
            N(now.tsb),
            N(first.ctl),
            N(now.ctl),
            N(peak),
            peak_date,
            thousands(tss),
            past.len()
        ));
    } else {
        desc.push_str(" Every day is after today, so the whole chart is a projection.");
    }
    if let Some(end) = future.last() {
        desc.push_str(&format!(
            " Projected (dashed) to {}: CTL {}, ATL {}, TSB {}, from {} planned TSS.",
            end.date,
            N(end.ctl),
            N(end.atl),
            N(end.tsb),
            thousands(future.iter().map(|r| r.tss).sum())
        ));
    }
    let title = opts.title.clone().unwrap_or_else(|| "Fitness".into());

    let mut d = Doc::start(opts, &title, &desc);
    let pal = d.pal;
    let (left, right, top_m, bottom) = (40.0, 44.0, 40.0, 24.0);
    let pw = d.width - left - right;
    let ph = d.height - top_m - bottom;
    let base = top_m + ph;

    // Left scale (CTL, ATL, TSB), including zero.
    let lo = rows
        .iter()
        .map(|r| r.tsb.min(r.ctl).min(r.atl))
        .fold(0.0f64, f64::min);
    let hi = rows
        .iter()
        .map(|r| r.ctl.max(r.atl).max(r.tsb))
        .fold(10.0f64, f64::max);
    let step = nice_step(hi - lo, 5.0);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let py = |v: f64| base - (v - lo) / (hi - lo) * ph;
    // Right scale (TSS): bars reach at most about 60 % of the height, under the lines.
    let tss_max = rows.iter().map(|r| r.tss).fold(0.0f64, f64::max).max(50.0);
    let tss_step = nice_step(tss_max / 0.6, 4.0);
    let tss_top = (tss_max / 0.6 / tss_step).ceil() * tss_step;
    let pt = |v: f64| base - v / tss_top * ph;
    let slot = pw / days;
    let px = |date: NaiveDate| left + ((date - first.date).num_days() as f64 + 0.5) * slot;

    d.w(format_args!(
        "<text x=\"{}\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"{}\">{}</text>",
        N(left),
        pal.text,
        Esc(&title)
    ));

    // Grid with left labels; zero stronger.
    let mut grid = String::new();
    d.w(format_args!(
        "<g fill=\"{}\" text-anchor=\"end\">",
        pal.muted
    ));
    let mut v = lo;
    while v <= hi + step * 0.01 {
        let colour = if v.abs() < step * 0.01 {
            pal.axis
        } else {
            pal.grid
        };
        grid.push_str(&format!(
            "<path d=\"M{} {}H{}\" stroke=\"{colour}\"/>",
            N(left),
            N(py(v)),
            N(left + pw)
        ));
        d.w(format_args!(
            "<text x=\"{}\" y=\"{}\">{}</text>",
            N(left - 6.0),
            N(py(v) + 4.0),
            N(v)
        ));
        v += step;
    }
    d.out.push_str("</g>");
    d.out.push_str(&grid);
    // Right labels (TSS).
    d.w(format_args!("<g fill=\"{}\">", pal.muted));
    let mut v = 0.0;
    while v <= tss_top + 0.01 {
        d.w(format_args!(
            "<text x=\"{}\" y=\"{}\">{}</text>",
            N(left + pw + 6.0),
            N(pt(v) + 4.0),
            N(v)
        ));
        v += tss_step;
    }
    d.out.push_str("</g>");

    // TSS bars: completed solid, projected paler.
    let bw = (slot * 0.7).max(1.0);
    for (rows_part, opacity) in [(&past, ".55"), (&future, ".35")] {
        if rows_part.iter().all(|r| r.tss <= 0.0) {
            continue;
        }
        d.w(format_args!(
            "<g class=\"tss\" fill=\"{}\" fill-opacity=\"{opacity}\">",
            pal.series[5]
        ));
        for r in rows_part.iter().filter(|r| r.tss > 0.0) {
            d.w(format_args!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                N(px(r.date) - bw / 2.0),
                N(pt(r.tss)),
                N(bw),
                N(base - pt(r.tss))
            ));
        }
        d.out.push_str("</g>");
    }

    // Lines: the past solid, the projection dashed from today's point on.
    type Series = (&'static str, fn(&FitnessRow) -> f64);
    let series: [Series; 3] = [("ctl", |r| r.ctl), ("atl", |r| r.atl), ("tsb", |r| r.tsb)];
    for (k, (name, get)) in series.iter().enumerate() {
        let colour = pal.series[k];
        let path = |part: &[&FitnessRow]| {
            let mut p = String::new();
            for (i, r) in part.iter().enumerate() {
                p.push_str(&format!(
                    "{}{} {}",
                    if i == 0 { "M" } else { "L" },
                    N(px(r.date)),
                    N(py(get(r)))
                ));
            }
            p
        };
        if past.len() > 1 {
            d.w(format_args!(
                "<path class=\"{name}\" d=\"{}\" fill=\"none\" stroke=\"{colour}\" \
                 stroke-width=\"2\"/>",
                path(&past)
            ));
        }
        if !future.is_empty() {
            let mut part: Vec<&FitnessRow> = past.last().copied().into_iter().collect();
            part.extend(future.iter().copied());
            if part.len() > 1 {
                d.w(format_args!(
                    "<path class=\"{name} projected\" d=\"{}\" fill=\"none\" stroke=\"{colour}\" \
                     stroke-width=\"2\" stroke-dasharray=\"5 4\"/>",
                    path(&part)
                ));
            }
        }
    }

    // Today.
    if today >= first.date && today <= last.date {
        let x = px(today);
        d.w(format_args!(
            "<path class=\"today\" d=\"M{} {}V{}\" stroke=\"{}\" stroke-dasharray=\"2 3\"/>",
            N(x),
            N(top_m - 2.0),
            N(base),
            pal.text
        ));
        // Inside the plot, beside the line: above it the label would run into the legend.
        d.text(x - 4.0, top_m + 6.0, "end", pal.text, "Today");
    }

    // Date axis: about eight labels, on Mondays once they are a week or more apart.
    let n = days as i64;
    let every = [1i64, 2, 3, 7, 14, 28, 56, 91, 182, 364]
        .into_iter()
        // At most one label per ~60 px, and never more than eight.
        .find(|k| n / k <= ((pw / 60.0) as i64).clamp(2, 8))
        .unwrap_or(364);
    let mut date = first.date;
    if every >= 7 {
        while date.weekday() != Weekday::Mon {
            date = date.succ_opt().unwrap_or(date);
            if date == last.date {
                break;
            }
        }
    }
    d.w(format_args!(
        "<g fill=\"{}\" text-anchor=\"middle\">",
        pal.muted
    ));
    let mut last_x = f64::MIN;
    while date <= last.date {
        let x = px(date).clamp(left + 16.0, left + pw - 16.0);
        // A label pulled in from an edge must not sit on its neighbour.
        if x - last_x >= 48.0 {
            d.w(format_args!(
                "<text x=\"{}\" y=\"{}\">{}</text>",
                N(x),
                N(base + 16.0),
                day(date)
            ));
            last_x = x;
        }
        match date.checked_add_days(chrono::Days::new(every as u64)) {
            Some(next) => date = next,
            None => break,
        }
    }
    d.out.push_str("</g>");

    // Legend, top right.
    let items = [
        (pal.series[0], "CTL fitness"),
        (pal.series[1], "ATL fatigue"),
        (pal.series[2], "TSB form"),
    ];
    let mut x = d.width - right - 330.0;
    let fits = x >= super::svg::title_end(left, &title);
    for (colour, label) in items.into_iter().filter(|_| fits) {
        d.w(format_args!(
            "<path d=\"M{} 14h14\" stroke=\"{colour}\" stroke-width=\"3\"/>",
            N(x)
        ));
        d.text(x + 18.0, 18.0, "start", pal.muted, label);
        x += 90.0;
    }
    if fits {
        d.w(format_args!(
            "<rect x=\"{}\" y=\"8\" width=\"8\" height=\"11\" fill=\"{}\" fill-opacity=\".55\"/>",
            N(x),
            pal.series[5]
        ));
        d.text(x + 12.0, 18.0, "start", pal.muted, "TSS/day");
    }

    Ok(Chart {
        svg: d.finish(),
        title,
        description: desc,
        width: opts.width,
        height: opts.height,
    })
}
