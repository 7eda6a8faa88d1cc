//! `render_chart`: a chart of the athlete's training, drawn as SVG by [`crate::chart`] (issue
//! 11, "Charts in the assistant").
//!
//! The tool returns the SVG and its description; it never rasterises (core has no IO and runs
//! in the extension's wasm too). `paceline mcp` turns the SVG into a PNG `image` content on the
//! way out, whichever backend ran the tool, and moves the SVG out of the structured result so
//! a model is never handed SVG source to read.

use chrono::{Datelike, Duration, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::shared::args::{AthleteId, Date, DateRange};
use super::shared::structure_arg::{Compiled, StructureArg};
use super::shared::workout_args::check_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::analysis::models::cp2;
use crate::chart::{
    self, Chart, ChartError, ChartOptions, CpModel, CurvePoint, FitnessRow, PowerCurve, RampStyle,
    SportAmount, Theme, WeekDay, WeekMetric,
};
use crate::structure::{self, Structure};
use crate::trainingpeaks::fitness::PeakSport;

/// The tool.
pub struct RenderChart;

/// The `ui://` resource (an MCP App) that shows this tool's charts interactively.
pub const UI_RESOURCE: &str = "ui://paceline/chart.html";

/// What to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// CTL/ATL/TSB over daily TSS, `start_date`–`end_date` (default: the last 90 days).
    Fitness,
    /// Best bike power by duration (5 s–90 min), `start_date`–`end_date` (default: the last
    /// 90 days), with a critical-power fit.
    PowerCurve,
    /// Planned against completed per day, Monday–Sunday of `week_of` (default: this week).
    Week,
    /// A workout's profile: `workout_id`, or an inline `structure`.
    Workout,
}

impl ChartKind {
    fn name(self) -> &'static str {
        match self {
            ChartKind::Fitness => "fitness",
            ChartKind::PowerCurve => "power_curve",
            ChartKind::Week => "week",
            ChartKind::Workout => "workout",
        }
    }
}

/// Light or dark colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChartTheme {
    /// Dark text on white (default).
    #[default]
    Light,
    /// Light text on near-black.
    Dark,
}

/// What the week's bars measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChartWeekMetric {
    /// Training stress score (default).
    #[default]
    Tss,
    /// Hours.
    Hours,
}

/// A `structure` argument compiled for drawing (errors name `structure.<path>`).
#[derive(Debug)]
pub(crate) struct ChartStructure(Structure);

impl Compiled for ChartStructure {
    fn compile(v: &Value) -> Result<Self, ToolError> {
        structure::compile_value(v)
            .map(ChartStructure)
            .map_err(|e| ToolError::invalid(structure_field(&e.path), e.message))
    }
}

fn structure_field(path: &str) -> String {
    if path.is_empty() || path == "(root)" {
        "structure".to_string()
    } else {
        format!("structure.{path}")
    }
}

/// Arguments of `render_chart`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RenderChartArgs {
    /// What to draw: `fitness`, `power_curve`, `week` or `workout`.
    pub kind: ChartKind,
    /// fitness / power_curve: first day, YYYY-MM-DD (default: 89 days before `end_date`).
    #[serde(default)]
    pub start_date: Option<Date>,
    /// fitness / power_curve: last day, YYYY-MM-DD (default: today).
    #[serde(default)]
    pub end_date: Option<Date>,
    /// power_curve: also draw the period of the same length just before, for comparison.
    #[serde(default)]
    pub compare_previous: bool,
    /// week: any day of the Monday–Sunday week, YYYY-MM-DD (default: today).
    #[serde(default)]
    pub week_of: Option<Date>,
    /// week: `tss` (default) or `hours`.
    #[serde(default)]
    pub metric: Option<ChartWeekMetric>,
    /// workout: the workout's id (from `get_workouts`); or give `structure` instead.
    #[serde(default)]
    pub workout_id: Option<i64>,
    /// workout: a structure to draw without saving it, in the format of `create_workout`'s
    /// `structure` (friendly or wire JSON); or give `workout_id` instead.
    #[serde(default)]
    pub structure: Option<StructureArg<ChartStructure>>,
    /// `light` (default) or `dark`.
    #[serde(default)]
    pub theme: ChartTheme,
    /// Width in pixels, 400–1200 (default 800).
    #[serde(default)]
    pub width: Option<u32>,
    /// Height in pixels, 200–600 (default 300).
    #[serde(default)]
    pub height: Option<u32>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `render_chart`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RenderChartOutput {
    /// The kind drawn.
    pub kind: ChartKind,
    /// The chart's title.
    pub title: String,
    /// What the chart shows, in words (the same as the SVG's `<desc>`).
    pub description: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The theme drawn.
    pub theme: ChartTheme,
    /// The SVG document. `paceline mcp` sends a PNG image instead and moves the SVG into the
    /// result's `_meta` (for the interactive chart), so it is absent from its results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub svg: Option<String>,
}

/// The longest range a fitness chart covers (the chart's own limit is 3660 days).
const FITNESS_MAX_DAYS: i64 = 3650;
/// The longest range of a power curve (TrainingPeaks' all-time window).
const CURVE_MAX_DAYS: i64 = 3650;
/// The default range: the last 90 days.
const DEFAULT_DAYS: i64 = 89;

/// Bike power record types and their durations in seconds, shortest first.
const POWER_RECORDS: [(&str, f64); 7] = [
    ("power5sec", 5.0),
    ("power1min", 60.0),
    ("power5min", 300.0),
    ("power10min", 600.0),
    ("power20min", 1200.0),
    ("power60min", 3600.0),
    ("power90min", 5400.0),
];

impl TypedTool for RenderChart {
    type Args = RenderChartArgs;
    type Output = RenderChartOutput;
    const NAME: &'static str = "render_chart";
    const DESCRIPTION: &'static str = "Draw a chart to show the person (returned as a PNG image plus a text \
        description of what it shows; call it only when a picture helps). kind: `fitness` (CTL/ATL/TSB over \
        daily TSS, start_date–end_date, default the last 90 days), `power_curve` (best bike power 5 s–90 min \
        over start_date–end_date with a critical-power fit; compare_previous adds the period before), `week` \
        (planned vs completed TSS or hours per day and sport, week_of), `workout` (a workout's profile by zone: \
        workout_id, or an unsaved `structure` as in create_workout). Options: theme light|dark, width 400–1200, \
        height 200–600. Dates YYYY-MM-DD. Arguments that do not belong to the kind are refused.";
    const ANNOTATIONS: Annotations = Annotations::read("Render a chart");
    const UI_RESOURCE: Option<&'static str> = Some(UI_RESOURCE);

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        // An argument another kind uses is a mistake (a week_of on a fitness chart would be
        // ignored), so it is named rather than dropped.
        let given: [(&str, bool, &[ChartKind]); 7] = [
            (
                "start_date",
                args.start_date.is_some(),
                &[ChartKind::Fitness, ChartKind::PowerCurve],
            ),
            (
                "end_date",
                args.end_date.is_some(),
                &[ChartKind::Fitness, ChartKind::PowerCurve],
            ),
            (
                "compare_previous",
                args.compare_previous,
                &[ChartKind::PowerCurve],
            ),
            ("week_of", args.week_of.is_some(), &[ChartKind::Week]),
            ("metric", args.metric.is_some(), &[ChartKind::Week]),
            (
                "workout_id",
                args.workout_id.is_some(),
                &[ChartKind::Workout],
            ),
            ("structure", args.structure.is_some(), &[ChartKind::Workout]),
        ];
        for (field, set, kinds) in given {
            if set && !kinds.contains(&args.kind) {
                let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
                return Err(ToolError::invalid(
                    field,
                    format!(
                        "only for kind {}, not {}",
                        names.join(" or "),
                        args.kind.name()
                    ),
                ));
            }
        }
        if let (Some(s), Some(e)) = (args.start_date, args.end_date) {
            let max = match args.kind {
                ChartKind::PowerCurve => CURVE_MAX_DAYS,
                _ => FITNESS_MAX_DAYS,
            };
            DateRange::new(s, e)?.at_most(max, "ten years")?;
        }
        if let Some(w) = args.width
            && !(400..=1200).contains(&w)
        {
            return Err(ToolError::invalid(
                "width",
                format!("{w} is out of range: 400–1200 pixels"),
            ));
        }
        if let Some(h) = args.height
            && !(200..=600).contains(&h)
        {
            return Err(ToolError::invalid(
                "height",
                format!("{h} is out of range: 200–600 pixels"),
            ));
        }
        if args.kind == ChartKind::Workout {
            match (&args.workout_id, &args.structure) {
                (Some(_), Some(_)) => {
                    return Err(ToolError::invalid(
                        "structure",
                        "give workout_id or structure, not both",
                    ));
                }
                (None, None) => {
                    return Err(ToolError::invalid(
                        "workout_id",
                        "kind workout needs workout_id (a saved workout) or structure (an unsaved one)",
                    ));
                }
                (Some(id), None) => check_id(*id, "workout_id")?,
                (None, Some(s)) => drop(s.compiled()?),
            }
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let opts = ChartOptions {
            theme: match args.theme {
                ChartTheme::Light => Theme::Light,
                ChartTheme::Dark => Theme::Dark,
            },
            width: args.width.unwrap_or(800),
            height: args.height.unwrap_or(300),
            title: None,
        };
        let today = ctx.clock().today();
        let range = || {
            let end = args.end_date.map_or(today, |d| d.0);
            let start = args
                .start_date
                .map_or(end - Duration::days(DEFAULT_DAYS), |d| d.0);
            if end < start {
                // Only an omitted start can land after a given end: the default start
                // follows the end, so this is a given start after today's default end.
                return Err(ToolError::invalid(
                    "end_date",
                    format!(
                        "the start date {start} is after the end date {end} (today by default)"
                    ),
                ));
            }
            Ok((start, end))
        };
        let chart = match args.kind {
            ChartKind::Fitness => {
                let (start, end) = range()?;
                fitness(ctx, args.athlete_id, start, end, today, &opts).await?
            }
            ChartKind::PowerCurve => {
                let (start, end) = range()?;
                power(
                    ctx,
                    args.athlete_id,
                    start,
                    end,
                    args.compare_previous,
                    &opts,
                )
                .await?
            }
            ChartKind::Week => {
                let day = args.week_of.map_or(today, |d| d.0);
                let metric = match args.metric.unwrap_or_default() {
                    ChartWeekMetric::Tss => WeekMetric::Tss,
                    ChartWeekMetric::Hours => WeekMetric::Hours,
                };
                week(ctx, args.athlete_id, day, metric, &opts).await?
            }
            ChartKind::Workout => match (&args.structure, args.workout_id) {
                (Some(s), _) => {
                    let s = s.compiled()?;
                    chart::workout_profile(&s.0, RampStyle::Slope, &opts)
                        .map_err(|e| drawing(e, "structure"))?
                }
                (None, Some(id)) => workout(ctx, args.athlete_id, id, &opts).await?,
                (None, None) => {
                    return Err(ToolError::invalid(
                        "workout_id",
                        "kind workout needs workout_id or structure",
                    ));
                }
            },
        };
        let text = format!("{}\n{}", chart.title, chart.description);
        Ok((
            text,
            RenderChartOutput {
                kind: args.kind,
                title: chart.title,
                description: chart.description,
                width: chart.width,
                height: chart.height,
                theme: args.theme,
                svg: Some(chart.svg),
            },
        ))
    }
}

/// A chart that could not be drawn from the data. Errors about sizes name the argument; the
/// others are about the data TrainingPeaks returned (or the structure given), so they fail the
/// call with the chart's own path in the message.
fn drawing(e: ChartError, what: &str) -> ToolError {
    match e.field.as_str() {
        "width" | "height" => ToolError::invalid(e.field, e.message),
        _ if what == "structure" => ToolError::invalid("structure", e.to_string()),
        _ => ToolError::Failed(format!("could not draw the {what} chart: {e}")),
    }
}

async fn fitness(
    ctx: &ToolContext,
    athlete: AthleteId,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
    opts: &ChartOptions,
) -> Result<Chart, ToolError> {
    let aid = athlete.resolve(ctx).await?;
    let rows = ctx.client.performance_data(aid, start, end).await?;
    let mut days: Vec<FitnessRow> = rows
        .iter()
        .filter_map(|r| {
            let date = r.workout_day.get()?.date();
            let (ctl, atl) = (r.ctl.val()?, r.atl.val()?);
            Some(FitnessRow {
                date,
                tss: r.tss_actual.val().unwrap_or(0.0).max(0.0),
                ctl,
                atl,
                tsb: r.tsb.val().unwrap_or(ctl - atl),
            })
        })
        .filter(|r| [r.tss, r.ctl, r.atl, r.tsb].iter().all(|v| v.is_finite()))
        .collect();
    days.sort_by_key(|r| r.date);
    days.dedup_by_key(|r| r.date);
    if days.is_empty() {
        return Err(ToolError::Failed(format!(
            "no fitness data between {start} and {end}; nothing to draw"
        )));
    }
    let mut opts = opts.clone();
    opts.title = Some(format!("Fitness, {}", span(start, end)));
    chart::fitness(&days, today, &opts).map_err(|e| drawing(e, "fitness"))
}

/// The best power of each record type in `start..=end`, as curve points (missing durations
/// left out).
async fn best_powers(
    ctx: &ToolContext,
    aid: i64,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<CurvePoint>, ToolError> {
    let queries = POWER_RECORDS
        .iter()
        .map(|(kind, _)| ctx.client.peaks(aid, PeakSport::Bike, kind, start, end));
    let answers = futures_util::future::join_all(queries).await;
    let mut points = Vec::new();
    for ((_, seconds), answer) in POWER_RECORDS.iter().zip(answers) {
        let best = answer?
            .iter()
            .filter(|r| r.invalid.val() != Some(true))
            .filter_map(|r| r.value.val())
            .filter(|w| w.is_finite() && *w > 0.0 && *w <= 5000.0)
            .fold(None, |best: Option<f64>, w| {
                Some(best.map_or(w, |b| b.max(w)))
            });
        if let Some(watts) = best {
            points.push(CurvePoint {
                seconds: *seconds,
                watts,
            });
        }
    }
    Ok(points)
}

async fn power(
    ctx: &ToolContext,
    athlete: AthleteId,
    start: NaiveDate,
    end: NaiveDate,
    compare_previous: bool,
    opts: &ChartOptions,
) -> Result<Chart, ToolError> {
    let aid = athlete.resolve(ctx).await?;
    let points = best_powers(ctx, aid, start, end).await?;
    if points.is_empty() {
        return Err(ToolError::Failed(format!(
            "no bike power records between {start} and {end}; nothing to draw"
        )));
    }
    let label = span;
    let fit = cp2(&points
        .iter()
        .map(|p| (p.seconds, p.watts))
        .collect::<Vec<_>>());
    let mut curves = vec![PowerCurve {
        label: label(start, end),
        points,
    }];
    if compare_previous {
        let span = end - start;
        let prev_end = start - Duration::days(1);
        let prev_start = prev_end - span;
        let prev = best_powers(ctx, aid, prev_start, prev_end).await?;
        if !prev.is_empty() {
            curves.push(PowerCurve {
                label: label(prev_start, prev_end),
                points: prev,
            });
        }
    }
    let cp = fit.map(|f| CpModel {
        cp_watts: f.cp_w,
        w_prime_joules: f.w_prime_j,
    });
    chart::power_curve(&curves, cp.as_ref(), opts).map_err(|e| drawing(e, "power curve"))
}

fn short(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// A date range in words, the year said once when both ends share it.
fn span(start: NaiveDate, end: NaiveDate) -> String {
    if start.year() == end.year() {
        format!("{} – {}", start.format("%-d %b"), short(end))
    } else {
        format!("{} – {}", short(start), short(end))
    }
}

async fn week(
    ctx: &ToolContext,
    athlete: AthleteId,
    day: NaiveDate,
    metric: WeekMetric,
    opts: &ChartOptions,
) -> Result<Chart, ToolError> {
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let sunday = monday + Duration::days(6);
    let aid = athlete.resolve(ctx).await?;
    let workouts = ctx.client.workouts(aid, monday, sunday).await?;
    let mut days: Vec<WeekDay> = (0..7)
        .map(|i| WeekDay {
            date: monday + Duration::days(i),
            planned: Vec::new(),
            completed: Vec::new(),
        })
        .collect();
    for w in &workouts {
        let Some(date) = w.workout_day.get().map(|d| d.date()) else {
            continue;
        };
        let Some(slot) = days.iter_mut().find(|d| d.date == date) else {
            continue;
        };
        let sport = super::shared::workout_view::sport_name(w.workout_type_value_id.val());
        let (planned, completed) = match metric {
            WeekMetric::Tss => (w.tss_planned.val(), w.tss_actual.val()),
            WeekMetric::Hours => (w.total_time_planned.val(), w.total_time.val()),
        };
        add(&mut slot.planned, &sport, planned);
        add(&mut slot.completed, &sport, completed);
    }
    let mut opts = opts.clone();
    opts.title = Some(format!("Week of {}", short(monday)));
    chart::week(&days, metric, &opts).map_err(|e| drawing(e, "week"))
}

/// Adds a day's amount for a sport (nothing for a missing, non-finite or negative value).
fn add(list: &mut Vec<SportAmount>, sport: &str, v: Option<f64>) {
    let Some(v) = v.filter(|v| v.is_finite() && *v > 0.0) else {
        return;
    };
    match list.iter_mut().find(|a| a.sport == sport) {
        Some(a) => a.value = (a.value + v).min(10_000.0),
        None => list.push(SportAmount {
            sport: sport.to_string(),
            value: v.min(10_000.0),
        }),
    }
}

async fn workout(
    ctx: &ToolContext,
    athlete: AthleteId,
    id: i64,
    opts: &ChartOptions,
) -> Result<Chart, ToolError> {
    let aid = athlete.resolve(ctx).await?;
    let w = ctx.client.workout(aid, id).await?;
    let Some(stored) = w.structure() else {
        return Err(ToolError::Failed(format!(
            "workout {id} has no interval structure to draw (get_workout shows what it has)"
        )));
    };
    let mut stored = stored;
    numbers_from_strings(&mut stored);
    let s = structure::compile_value(&stored).map_err(|e| {
        ToolError::Failed(format!(
            "workout {id}'s stored structure could not be read at {}: {}",
            e.path, e.message
        ))
    })?;
    let mut opts = opts.clone();
    opts.title = w.title.get().map(|t| format!("{t} — profile"));
    chart::workout_profile(&s, RampStyle::Slope, &opts).map_err(|e| drawing(e, "workout"))
}

/// Keys of a stored structure that hold numbers.
const NUMERIC_KEYS: [&str; 5] = ["value", "minValue", "maxValue", "begin", "end"];

/// Turns the numbers a stored structure carries as strings (`"65"`) back into numbers, so that
/// the compiler, which is strict about what a person writes, reads a structure TrainingPeaks
/// (or a drifted API) serialised that way. Found by the drift test: every numeric-string
/// perturbation of a stored structure failed the workout chart.
fn numbers_from_strings(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                if let Value::String(s) = item
                    && NUMERIC_KEYS.contains(&k.as_str())
                    && let Some(n) = s
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite())
                        .and_then(serde_json::Number::from_f64)
                {
                    *item = Value::Number(n);
                } else {
                    numbers_from_strings(item);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(numbers_from_strings),
        _ => {}
    }
}
