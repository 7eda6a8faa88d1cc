//! What the Intervals.icu tools share: the client accessor, the `athlete_id` argument, dry runs
//! ([`plan`]), date defaults and small formatting helpers.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::clock::ManualClock;
use crate::http::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use crate::intervals::{IcuClient, IcuError, normalize_athlete_id};
use crate::tools::shared::args::Date;
use crate::tools::{ToolContext, ToolError};

/// The Intervals.icu client of a context, or an error saying how to connect one.
pub(crate) fn icu(ctx: &ToolContext) -> Result<&IcuClient, ToolError> {
    ctx.icu.as_deref().ok_or_else(|| {
        ToolError::Failed(
            "Intervals.icu is not connected, so this Intervals.icu tool cannot run. Log in to \
             intervals.icu in the browser with the Paceline extension installed (or enter an \
             Intervals.icu API key in the Paceline popup), or run `paceline mcp --direct` with \
             API_KEY set to the key from intervals.icu Settings → Developer Settings."
                .into(),
        )
    })
}

/// Today in the client's clock.
pub(crate) fn today(icu: &IcuClient) -> NaiveDate {
    icu.clock().today()
}

/// `date`, or `today + offset_days` when absent.
pub(crate) fn day_or(date: Option<Date>, icu: &IcuClient, offset_days: i64) -> NaiveDate {
    date.map(|d| d.0)
        .unwrap_or_else(|| today(icu) + chrono::Duration::days(offset_days))
}

/// Checks that `end` is not before `start`, naming `end_field`.
pub(crate) fn check_order(
    start: NaiveDate,
    end: NaiveDate,
    end_field: &str,
) -> Result<(), ToolError> {
    if end < start {
        return Err(ToolError::invalid(
            end_field,
            format!(
                "{end} is before the start date {start}; the end date must be on or after the start"
            ),
        ));
    }
    Ok(())
}

/// Checks an id that goes into a path (activity ids such as `i12345`), naming the field.
pub(crate) fn check_path_id(field: &str, raw: &str) -> Result<(), ToolError> {
    crate::intervals::path_id(field, raw)
        .map(drop)
        .map_err(ToolError::Icu)
}

/// Checks a positive numeric id, naming the field.
pub(crate) fn check_positive(field: &str, id: i64) -> Result<(), ToolError> {
    if id <= 0 {
        return Err(ToolError::invalid(
            field,
            format!("{id} is not an id; it must be a positive number"),
        ));
    }
    Ok(())
}

/// The optional `athlete_id` of every Intervals.icu tool: `i123`, `123` (string or number), or
/// `0` for the credential's own athlete; absent means the configured athlete (else `0`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IcuAthleteId(pub Option<String>);

impl IcuAthleteId {
    /// The id as given, for the client (which normalises it).
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// Checks the id's form, naming `athlete_id`.
    pub fn check(&self) -> Result<(), ToolError> {
        match &self.0 {
            Some(s) => normalize_athlete_id(s).map(drop).map_err(ToolError::Icu),
            None => Ok(()),
        }
    }
}

impl<'de> Deserialize<'de> for IcuAthleteId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IcuAthleteId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an athlete id such as \"i12345\" or 12345 (0 means yourself)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(IcuAthleteId(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                if v < 0 {
                    return Err(E::custom(format!(
                        "{v} is not an athlete id; use e.g. i12345, or 0 for yourself"
                    )));
                }
                Ok(IcuAthleteId(Some(v.to_string())))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                normalize_athlete_id(v).map_err(|e| match e {
                    IcuError::InvalidInput { message, .. } => E::custom(message),
                    other => E::custom(other.to_string()),
                })?;
                Ok(IcuAthleteId(Some(v.trim().to_string())))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(IcuAthleteId(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(IcuAthleteId(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for IcuAthleteId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl JsonSchema for IcuAthleteId {
    fn schema_name() -> Cow<'static, str> {
        "IcuAthleteId".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Intervals.icu athlete id (i12345 or 12345), for coaches acting on \
                one of their athletes; 0 or omitted means yourself (or the configured athlete).",
            "type": ["string", "integer", "null"]
        })
    }
}

/// One HTTP request as a write tool sends it: what `dry_run: true` returns.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PlannedRequest {
    /// `POST`, `PUT` or `DELETE`.
    pub method: String,
    /// The path and query under the configured host, e.g. `/api/v1/athlete/0/events/5`.
    pub path: String,
    /// The JSON body, if the request has one.
    pub body: Option<Value>,
}

impl fmt::Display for PlannedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if let Some(b) = &self.body {
            write!(f, " with body {b}")?;
        }
        Ok(())
    }
}

/// A transport that records the one request it gets and answers `204` without sending it.
struct Recorder(Arc<Mutex<Option<HttpRequest>>>);

impl Transport for Recorder {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(request);
        }
        // A success is never retried, so nothing waits and nothing else is sent.
        Box::pin(std::future::ready(Ok(HttpResponse {
            status: 204,
            headers: Vec::new(),
            body: Vec::new(),
        })))
    }
}

/// The request `write` would send, found by running it against a client over a [`Recorder`]
/// with the same configuration. Validation errors come back as they would for the real call;
/// nothing reaches Intervals.icu. The `authorization` header is not part of the result.
pub(crate) async fn plan<T, F, Fut>(icu: &IcuClient, write: F) -> Result<PlannedRequest, ToolError>
where
    F: FnOnce(IcuClient) -> Fut,
    Fut: Future<Output = Result<T, IcuError>>,
{
    let slot = Arc::new(Mutex::new(None));
    #[allow(clippy::arc_with_non_send_sync)] // wasm32: nothing is Send, single-threaded
    let recorder = Arc::new(Recorder(slot.clone()));
    let clock = Arc::new(ManualClock::new(icu.clock().now()));
    let offline = IcuClient::new(recorder, clock, icu.config().clone());
    let outcome = write(offline).await;
    let recorded = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
    match (recorded, outcome) {
        (Some(req), _) => Ok(planned(icu, &req)),
        (None, Err(e)) => Err(ToolError::Icu(e)),
        (None, Ok(_)) => Err(ToolError::Failed(
            "internal error: the write made no request to plan".into(),
        )),
    }
}

fn planned(icu: &IcuClient, req: &HttpRequest) -> PlannedRequest {
    let base = &icu.config().base_url;
    let path = req
        .url
        .strip_prefix(base.as_str())
        .unwrap_or(&req.url)
        .to_string();
    let body = req.body.as_deref().map(|b| {
        serde_json::from_slice(b)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(b).into_owned()))
    });
    PlannedRequest {
        method: req.method.to_string(),
        path,
        body,
    }
}

/// The text of a dry run.
pub(crate) fn dry_run_text(what: &str, req: &PlannedRequest) -> String {
    format!(
        "Dry run: nothing was sent. To {what}, Paceline would send {req}. Call again without \
         dry_run to do it."
    )
}

/// Seconds as `1h02m`, `45m`, `30s`.
pub(crate) fn hms(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s:02}s"),
        _ => format!("{h}h{m:02}m"),
    }
}

/// A number rounded to `places` decimals (for outputs: the API sends long floats).
pub(crate) fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// `label value` pieces joined with `, `, skipping absent values.
pub(crate) fn join_parts(parts: &[Option<String>]) -> String {
    parts
        .iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text cut to `max` characters, saying so.
pub(crate) fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max).collect();
    format!("{head}… (cut; {} characters in all)", s.chars().count())
}

/// The Intervals.icu workout text syntax, short, for the descriptions of tools that take a
/// workout (models rarely read resources): [`crate::structure::icu_text::CHEAT_SHEET`], the one
/// text, kept next to the parser.
pub const WORKOUT_TEXT_CHEAT_SHEET: &str = crate::structure::icu_text::CHEAT_SHEET;

/// An activity as the tools show it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ActivitySummary {
    /// Activity id (e.g. `i12345678`), for the other activity tools.
    pub id: Option<String>,
    /// Start, the athlete's local time (`start_date_local`).
    pub start_local: Option<String>,
    /// Sport (`Ride`, `Run`, …).
    pub sport: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Moving time, seconds.
    pub moving_time_s: Option<i64>,
    /// Distance, metres.
    pub distance_m: Option<f64>,
    /// Elevation gain, metres.
    pub elevation_gain_m: Option<f64>,
    /// Training load.
    pub training_load: Option<f64>,
    /// Intensity (percent of FTP).
    pub intensity: Option<f64>,
    /// Average power, watts.
    pub average_watts: Option<f64>,
    /// Weighted average (normalised) power, watts.
    pub weighted_average_watts: Option<f64>,
    /// Average heart rate, bpm.
    pub average_hr: Option<f64>,
    /// Maximum heart rate, bpm.
    pub max_hr: Option<f64>,
    /// Average cadence, rpm (spm for runs).
    pub average_cadence: Option<f64>,
    /// Calories, kcal.
    pub calories: Option<f64>,
    /// Perceived exertion, 1–10.
    pub rpe: Option<i64>,
    /// Feel, 1 (strong) – 5 (weak).
    pub feel: Option<i64>,
    /// Gear id.
    pub gear_id: Option<String>,
    /// Indoor trainer.
    pub trainer: Option<bool>,
    /// Fitness (CTL) after it.
    pub ctl: Option<f64>,
    /// Fatigue (ATL) after it.
    pub atl: Option<f64>,
}

/// The summary of an activity.
pub(crate) fn activity_summary(a: &crate::intervals::activities::Activity) -> ActivitySummary {
    use crate::wire::trimmed_text;
    let r = |x: Option<f64>| x.map(|v| round(v, 1));
    ActivitySummary {
        id: trimmed_text(&a.id),
        start_local: a.start_date_local.get().map(|s| s.as_str().to_string()),
        sport: trimmed_text(&a.sport),
        name: trimmed_text(&a.name),
        moving_time_s: a.moving_time.val(),
        distance_m: r(a.distance.val()),
        elevation_gain_m: r(a.total_elevation_gain.val()),
        training_load: r(a.icu_training_load.val()),
        intensity: r(a.icu_intensity.val()),
        average_watts: r(a.icu_average_watts.val()),
        weighted_average_watts: r(a.icu_weighted_avg_watts.val()),
        average_hr: r(a.average_heartrate.val()),
        max_hr: r(a.max_heartrate.val()),
        average_cadence: r(a.average_cadence.val()),
        calories: r(a.calories.val()),
        rpe: a.icu_rpe.val(),
        feel: a.feel.val(),
        gear_id: a.gear.get().and_then(|g| trimmed_text(&g.id)),
        trainer: a.trainer.val(),
        ctl: r(a.icu_ctl.val()),
        atl: r(a.icu_atl.val()),
    }
}

/// One line describing an activity.
pub(crate) fn activity_line(a: &ActivitySummary) -> String {
    let day = a.start_local.as_deref().unwrap_or("?");
    let head = format!(
        "{} {} {} [{}]",
        day.replace('T', " "),
        a.sport.as_deref().unwrap_or("?"),
        a.name.as_deref().unwrap_or("(unnamed)"),
        a.id.as_deref().unwrap_or("no id")
    );
    let rest = join_parts(&[
        a.moving_time_s.map(hms),
        a.distance_m
            .filter(|d| *d > 0.0)
            .map(|d| format!("{:.1} km", d / 1000.0)),
        a.training_load.map(|l| format!("load {l:.0}")),
        a.average_watts.map(|w| format!("avg {w:.0} W")),
        a.weighted_average_watts.map(|w| format!("NP {w:.0} W")),
        a.average_hr.map(|h| format!("avg HR {h:.0}")),
        a.rpe.map(|r| format!("RPE {r}")),
    ]);
    if rest.is_empty() {
        head
    } else {
        format!("{head}: {rest}")
    }
}

/// A calendar event as the tools show it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EventSummary {
    /// Event id, for get_event_by_id, add_or_update_event (to update) and delete_event.
    pub id: Option<i64>,
    /// Start, local time (`start_date_local`; the seed read a `date` key the API never sends).
    pub start_local: Option<String>,
    /// Category: WORKOUT, NOTE, RACE_A/B/C, … (the seed guessed it from keys the API never
    /// sends).
    pub category: Option<String>,
    /// Sport (`type`).
    pub sport: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Description; for workouts the Intervals.icu workout text.
    pub description: Option<String>,
    /// Planned moving time, seconds.
    pub moving_time_s: Option<i64>,
    /// Planned distance, metres.
    pub distance_m: Option<f64>,
    /// Planned training load.
    pub training_load: Option<f64>,
    /// Indoor.
    pub indoor: Option<bool>,
    /// Whether it has a structured workout (`workout_doc` with steps).
    pub structured: bool,
    /// Your own id for it (`external_id`), used by add_events_bulk's upsert.
    pub external_id: Option<String>,
}

/// The summary of an event.
pub(crate) fn event_summary(e: &crate::intervals::events::Event) -> EventSummary {
    use crate::wire::{text, trimmed_text};
    EventSummary {
        id: e.id.val(),
        start_local: e.start_date_local.get().map(|s| s.as_str().to_string()),
        category: trimmed_text(&e.category),
        sport: trimmed_text(&e.sport),
        name: trimmed_text(&e.name),
        description: text(&e.description).filter(|d| !d.trim().is_empty()),
        moving_time_s: e.moving_time.val(),
        distance_m: e.distance.val().map(|d| round(d, 1)),
        training_load: e.icu_training_load.val().map(|l| round(l, 1)),
        indoor: e.indoor.val(),
        structured: e
            .workout_doc
            .get()
            .and_then(|d| d.get("steps"))
            .and_then(Value::as_array)
            .is_some_and(|s| !s.is_empty()),
        external_id: trimmed_text(&e.external_id),
    }
}

/// One line describing an event.
pub(crate) fn event_line(e: &EventSummary) -> String {
    let head = format!(
        "{} {} {}{} [id {}]",
        e.start_local
            .as_deref()
            .map_or("?", |s| s.split('T').next().unwrap_or(s)),
        e.category.as_deref().unwrap_or("?"),
        e.sport
            .as_deref()
            .map_or(String::new(), |s| format!("{s} ")),
        e.name.as_deref().unwrap_or("(untitled)"),
        e.id.map_or("?".into(), |i| i.to_string())
    );
    let rest = join_parts(&[
        e.moving_time_s.filter(|t| *t > 0).map(hms),
        e.distance_m
            .filter(|d| *d > 0.0)
            .map(|d| format!("{:.1} km", d / 1000.0)),
        e.training_load.map(|l| format!("load {l:.0}")),
        e.structured.then(|| "structured".to_string()),
    ]);
    if rest.is_empty() {
        head
    } else {
        format!("{head}: {rest}")
    }
}

/// Result of a tool that creates or updates one event.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EventWriteOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent).
    pub request: PlannedRequest,
    /// Whether a new event was created (false: an existing one was updated).
    pub created: bool,
    /// The event as Intervals.icu stored it, with the duration and load it computed (not on a
    /// dry run).
    pub event: Option<EventSummary>,
}

/// Creates (`POST …/events?upsertOnUid=false`) or updates (`PUT …/events/{id}`) one event, or
/// plans it on a dry run.
pub(crate) async fn write_event(
    icu: &IcuClient,
    athlete: Option<&str>,
    event_id: Option<i64>,
    write: &crate::intervals::events::EventWrite,
    dry_run: bool,
    what: &str,
) -> Result<(String, EventWriteOutput), ToolError> {
    let request = plan(icu, |c| async move {
        match event_id {
            Some(id) => c.update_event(athlete, id, write).await,
            None => c.create_event(athlete, write).await,
        }
    })
    .await?;
    let created = event_id.is_none();
    if dry_run {
        let verb = if created { "create" } else { "update" };
        return Ok((
            dry_run_text(&format!("{verb} this {what}"), &request),
            EventWriteOutput {
                dry_run: true,
                request,
                created,
                event: None,
            },
        ));
    }
    let stored = match event_id {
        Some(id) => icu.update_event(athlete, id, write).await?,
        None => icu.create_event(athlete, write).await?,
    };
    let event = event_summary(&stored);
    let text = format!(
        "{} {what}: {}",
        if created { "Created" } else { "Updated" },
        event_line(&event)
    );
    Ok((
        text,
        EventWriteOutput {
            dry_run: false,
            request,
            created,
            event: Some(event),
        },
    ))
}

/// One best-effort curve, at the durations (or distances) asked for.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CurveView {
    /// Curve id as Intervals.icu names it (`s0`, `1y`, `r.2026-01-01.2026-03-31`…).
    pub id: Option<String>,
    /// Label (`This season`…).
    pub label: Option<String>,
    /// First day it covers.
    pub start_date: Option<String>,
    /// Last day it covers.
    pub end_date: Option<String>,
    /// The points: `x` is seconds (power, HR) or metres (pace); `value` watts, bpm or seconds.
    pub points: Vec<crate::intervals::curves::CurvePoint>,
}

/// Which curves to read, as the curve tools take them.
pub(crate) struct CurveRequest<'a> {
    pub athlete: Option<&'a str>,
    pub kind: crate::intervals::curves::CurveKind,
    pub sport: &'a str,
    pub xs: &'a [f64],
    pub this_season: bool,
    pub last_season: bool,
    pub range: Option<(NaiveDate, NaiveDate)>,
    pub filters: Option<Value>,
    pub per_kg: bool,
    /// Pace only: gradient-adjusted.
    pub gap: bool,
}

/// Reads curves and keeps, for each `x` asked for, the point at it (or the nearest within 2%).
pub(crate) async fn read_curves(
    icu: &IcuClient,
    r: CurveRequest<'_>,
) -> Result<Vec<CurveView>, ToolError> {
    use crate::intervals::curves::CurveQuery;
    let mut specs: Vec<String> = Vec::new();
    if r.this_season {
        specs.push("s0".into());
    }
    if r.last_season {
        specs.push("s1".into());
    }
    if let Some((a, b)) = r.range {
        specs.push(CurveQuery::range(a, b)?);
    }
    if specs.is_empty() {
        specs.push("1y".into());
    }
    let mut q = CurveQuery::new(r.sport, &[]);
    q.curves = specs;
    q.filters = r.filters;
    q.gap = r.gap;
    let set = icu.curves(r.athlete, r.kind, &q).await?;
    let curves = set.list.get().map(|l| l.as_slice()).unwrap_or_default();
    Ok(curves
        .iter()
        .map(|c| {
            let all = c.points();
            let points =
                r.xs.iter()
                    .filter_map(|x| {
                        // The nearest point, if it is close (a mile is 1609.344 m): a curve
                        // that stops at 15 km has no answer for a marathon.
                        all.iter()
                            .min_by(|a, b| (a.x - x).abs().total_cmp(&(b.x - x).abs()))
                            .filter(|p| (p.x - x).abs() <= (x * 0.02).max(1.0))
                            .cloned()
                    })
                    .map(|mut p| {
                        p.value = p.value.map(|v| round(v, 1));
                        p.per_kg = if r.per_kg {
                            p.per_kg.map(|v| round(v, 2))
                        } else {
                            None
                        };
                        p
                    })
                    .collect::<Vec<_>>();
            let mut points = points;
            points.dedup_by(|a, b| a.x == b.x);
            CurveView {
                id: crate::wire::trimmed_text(&c.id),
                label: crate::wire::trimmed_text(&c.label),
                start_date: c.start_date_local.get().map(|d| d.date().to_string()),
                end_date: c.end_date_local.get().map(|d| d.date().to_string()),
                points,
            }
        })
        .collect())
}

/// The text of curves: a header per curve, one line per point.
pub(crate) fn curves_text(
    what: &str,
    curves: &[CurveView],
    point: impl Fn(&crate::intervals::curves::CurvePoint) -> String,
) -> String {
    if curves.iter().all(|c| c.points.is_empty()) {
        return format!("No {what} data for that period.");
    }
    let mut text = String::new();
    for c in curves {
        text.push_str(&format!(
            "{} ({} to {}):\n",
            c.label.as_deref().or(c.id.as_deref()).unwrap_or("curve"),
            c.start_date.as_deref().unwrap_or("?"),
            c.end_date.as_deref().unwrap_or("?")
        ));
        for p in &c.points {
            text.push_str(&format!("  {}\n", point(p)));
        }
    }
    text.trim_end().to_string()
}

/// Seconds as a duration label: `5s`, `5m`, `1h`, `1h30m`.
pub(crate) fn duration_label(secs: f64) -> String {
    let s = secs.round() as i64;
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m}m"),
    }
}

/// Checks the date pair of a curve tool (both or neither), naming the missing one.
pub(crate) fn curve_range(
    start: Option<Date>,
    end: Option<Date>,
) -> Result<Option<(NaiveDate, NaiveDate)>, ToolError> {
    match (start, end) {
        (Some(s), Some(e)) => {
            check_order(s.0, e.0, "end_date")?;
            Ok(Some((s.0, e.0)))
        }
        (None, None) => Ok(None),
        (Some(_), None) => Err(ToolError::invalid(
            "end_date",
            "give end_date with start_date (both or neither)",
        )),
        (None, Some(_)) => Err(ToolError::invalid(
            "start_date",
            "give start_date with end_date (both or neither)",
        )),
    }
}

/// The seed's indoor/outdoor filter as the API's activity filter list.
pub(crate) fn indoor_filter(v: Option<&str>) -> Result<Option<Value>, ToolError> {
    match v {
        None => Ok(None),
        Some("indoor") => Ok(Some(
            serde_json::json!([{"field_id": "indoor", "value": true, "id": 1}]),
        )),
        Some("outdoor") => Ok(Some(
            serde_json::json!([{"field_id": "indoor", "value": false, "id": 1}]),
        )),
        Some(o) => Err(ToolError::invalid(
            "indoor_outdoor",
            format!("{o:?}: use \"indoor\" or \"outdoor\", or omit for both"),
        )),
    }
}
