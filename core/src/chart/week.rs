//! A week's planned against completed training: seven days, two bars a day (planned pale,
//! completed solid), each stacked by sport.

use chrono::NaiveDate;

use super::svg::{Doc, Esc, N, nice_step};
use super::{Chart, ChartError, ChartOptions, finite};

/// What the bars measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WeekMetric {
    /// Training stress score.
    #[default]
    Tss,
    /// Hours.
    Hours,
}

/// An amount for one sport.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SportAmount {
    /// The sport as TrainingPeaks names it (`Bike`, `Run`, `Swim`, `Strength`, …).
    pub sport: String,
    /// TSS or hours, per the chart's metric.
    pub value: f64,
}

/// One day of the week.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WeekDay {
    /// The day.
    pub date: NaiveDate,
    /// Planned amounts by sport.
    #[serde(default)]
    pub planned: Vec<SportAmount>,
    /// Completed amounts by sport.
    #[serde(default)]
    pub completed: Vec<SportAmount>,
}

/// The colour slot for a sport: the same sport always gets the same colour.
fn sport_slot(sport: &str) -> usize {
    match sport.to_ascii_lowercase().as_str() {
        "bike" | "cycling" | "ride" | "mtb" | "virtualride" => 0,
        "run" | "running" | "walk" | "hike" => 3,
        "swim" | "swimming" => 5,
        "strength" | "weighttraining" => 4,
        "xc-ski" | "rowing" | "row" => 2,
        _ => 6,
    }
}

fn amount(v: f64, metric: WeekMetric) -> String {
    match metric {
        WeekMetric::Tss => format!("{}", N(v.round())),
        WeekMetric::Hours => {
            let m = (v * 60.0).round() as i64;
            format!("{}:{:02}", m / 60, m % 60)
        }
    }
}

/// Draws a week (exactly seven consecutive days). Errors name the day and entry at fault.
pub fn week(
    days: &[WeekDay],
    metric: WeekMetric,
    opts: &ChartOptions,
) -> Result<Chart, ChartError> {
    opts.check()?;
    if days.len() != 7 {
        return Err(ChartError::new(
            "days",
            format!("a week has 7 days, got {}", days.len()),
        ));
    }
    let mut sports: Vec<String> = Vec::new();
    for (i, day) in days.iter().enumerate() {
        if i > 0
            && days
                .get(i - 1)
                .is_some_and(|p| p.date.succ_opt() != Some(day.date))
        {
            return Err(ChartError::new(
                format!("days[{i}].date"),
                "days must be consecutive",
            ));
        }
        for (part, list) in [("planned", &day.planned), ("completed", &day.completed)] {
            for (j, a) in list.iter().enumerate() {
                let v = finite(|| format!("days[{i}].{part}[{j}].value"), a.value)?;
                if !(0.0..=10_000.0).contains(&v) {
                    return Err(ChartError::new(
                        format!("days[{i}].{part}[{j}].value"),
                        "must be 0–10000",
                    ));
                }
                if !sports.iter().any(|s| s.eq_ignore_ascii_case(&a.sport)) {
                    sports.push(a.sport.clone());
                }
            }
        }
    }
    let sum = |l: &[SportAmount]| l.iter().map(|a| a.value).sum::<f64>();
    let planned: f64 = days.iter().map(|d| sum(&d.planned)).sum();
    let done: f64 = days.iter().map(|d| sum(&d.completed)).sum();
    let unit = match metric {
        WeekMetric::Tss => "TSS",
        WeekMetric::Hours => "hours",
    };

    // Words.
    let first = days.first().map(|d| d.date).unwrap_or_default();
    let mut desc = format!(
        "Week of {first}, planned against completed {unit} per day: planned {}, completed {}",
        amount(planned, metric),
        amount(done, metric)
    );
    if planned > 0.0 {
        desc.push_str(&format!(
            " ({}% of plan)",
            N((done / planned * 100.0).round())
        ));
    }
    desc.push('.');
    for day in days {
        let list = |l: &[SportAmount]| {
            if l.is_empty() {
                "none".to_string()
            } else {
                l.iter()
                    .map(|a| format!("{} {}", a.sport, amount(a.value, metric)))
                    .collect::<Vec<_>>()
                    .join(" + ")
            }
        };
        if day.planned.is_empty() && day.completed.is_empty() {
            desc.push_str(&format!(" {}: rest.", day.date.format("%a")));
        } else {
            desc.push_str(&format!(
                " {}: planned {}, completed {}.",
                day.date.format("%a"),
                list(&day.planned),
                list(&day.completed)
            ));
        }
    }
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Planned vs completed".into());

    let mut d = Doc::start(opts, &title, &desc);
    let pal = d.pal;
    let (left, right, top_m, bottom) = (44.0, 12.0, 40.0, 38.0);
    let pw = d.width - left - right;
    let ph = d.height - top_m - bottom;
    let base = top_m + ph;
    let vmax = days
        .iter()
        .map(|d| sum(&d.planned).max(sum(&d.completed)))
        .fold(0.0f64, f64::max)
        .max(match metric {
            WeekMetric::Tss => 50.0,
            WeekMetric::Hours => 1.0,
        });
    let step = nice_step(vmax, 4.0);
    let top = (vmax * 1.12 / step).ceil() * step;
    let py = |v: f64| base - v / top * ph;

    d.w(format_args!(
        "<text x=\"{}\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"{}\">{}</text>",
        N(left),
        pal.text,
        Esc(&title)
    ));
    let mut head = format!(
        "{} / {} {unit}",
        amount(done, metric),
        amount(planned, metric)
    );
    if planned > 0.0 {
        head.push_str(&format!(" · {}%", N((done / planned * 100.0).round())));
    }
    d.text(d.width - right, 18.0, "end", pal.muted, &head);

    let mut grid = String::new();
    d.w(format_args!(
        "<g fill=\"{}\" text-anchor=\"end\">",
        pal.muted
    ));
    let mut v = 0.0;
    while v <= top + step * 0.01 {
        grid.push_str(&format!("M{} {}H{}", N(left), N(py(v)), N(left + pw)));
        d.w(format_args!(
            "<text x=\"{}\" y=\"{}\">{}</text>",
            N(left - 6.0),
            N(py(v) + 4.0),
            amount(v, metric)
        ));
        v += step;
    }
    d.out.push_str("</g>");
    d.w(format_args!("<path d=\"{grid}\" stroke=\"{}\"/>", pal.grid));

    // Bars: per day, planned (left, pale with an outline) and completed (right, solid).
    let slot = pw / 7.0;
    let bw = (slot * 0.32).min(48.0);
    for (i, day) in days.iter().enumerate() {
        let cx = left + (i as f64 + 0.5) * slot;
        for (k, list) in [&day.planned, &day.completed].into_iter().enumerate() {
            let x = if k == 0 { cx - bw - 2.0 } else { cx + 2.0 };
            let mut y = base;
            let class = if k == 0 { "planned" } else { "completed" };
            d.w(format_args!("<g class=\"{class}\">"));
            for a in list.iter().filter(|a| a.value > 0.0) {
                let h = base - py(a.value);
                let colour = pal.series[sport_slot(&a.sport)];
                if k == 0 {
                    d.w(format_args!(
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\" \
                         fill-opacity=\".28\" stroke=\"{colour}\"/>",
                        N(x + 0.5),
                        N(y - h + 0.5),
                        N(bw - 1.0),
                        N((h - 1.0).max(0.5))
                    ));
                } else {
                    d.w(format_args!(
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>",
                        N(x),
                        N(y - h),
                        N(bw),
                        N(h)
                    ));
                }
                y -= h;
            }
            d.out.push_str("</g>");
            let total = sum(list);
            if total > 0.0 {
                d.text(
                    x + bw / 2.0,
                    y - 4.0,
                    "middle",
                    pal.muted,
                    &amount(total, metric),
                );
            }
        }
        if sum(&day.planned) <= 0.0 && sum(&day.completed) <= 0.0 {
            d.text(cx, base - 8.0, "middle", pal.muted, "rest");
        }
        d.text(
            cx,
            base + 16.0,
            "middle",
            pal.text,
            &day.date.format("%a").to_string(),
        );
        d.text(
            cx,
            base + 30.0,
            "middle",
            pal.muted,
            &day.date.format("%-d %b").to_string(),
        );
    }
    d.w(format_args!(
        "<path d=\"M{} {}H{}\" stroke=\"{}\"/>",
        N(left),
        N(base),
        N(left + pw),
        pal.axis
    ));

    // Legend: planned/completed, then sports.
    // After the title (bold 14 px is about 8.5 px a character; no text measuring here).
    let mut x = super::svg::title_end(left, &title) + 4.0;
    let room = d.width - right - super::svg::text_width(&head) - 12.0;
    let sports_width: f64 = sports
        .iter()
        .map(|s| 24.0 + super::svg::text_width(s))
        .sum();
    // Planned/completed first; the sports only when they fit as well.
    if x + 160.0 > room {
        return Ok(Chart {
            svg: d.finish(),
            title,
            description: desc,
            width: opts.width,
            height: opts.height,
        });
    }
    let sports = if x + 160.0 + sports_width <= room {
        sports
    } else {
        Vec::new()
    };
    d.w(format_args!(
        "<rect x=\"{}\" y=\"8.5\" width=\"10\" height=\"10\" fill=\"{c}\" fill-opacity=\".28\" \
         stroke=\"{c}\"/>",
        N(x),
        c = pal.series[6]
    ));
    d.text(x + 14.0, 18.0, "start", pal.muted, "planned");
    x += 70.0;
    d.w(format_args!(
        "<rect x=\"{}\" y=\"8\" width=\"11\" height=\"11\" fill=\"{}\"/>",
        N(x),
        pal.series[6]
    ));
    d.text(x + 14.0, 18.0, "start", pal.muted, "completed");
    x += 90.0;
    for s in &sports {
        d.w(format_args!(
            "<rect x=\"{}\" y=\"8\" width=\"11\" height=\"11\" fill=\"{}\"/>",
            N(x),
            pal.series[sport_slot(s)]
        ));
        d.text(x + 14.0, 18.0, "start", pal.muted, s);
        x += 24.0 + s.chars().count() as f64 * 6.5;
    }

    Ok(Chart {
        svg: d.finish(),
        title,
        description: desc,
        width: opts.width,
        height: opts.height,
    })
}
