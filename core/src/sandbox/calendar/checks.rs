//! Checks and date formats shared by the calendar routes.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::sandbox::router::{Ctx, Params};
use crate::sandbox::{ApiError, SAMPLE_ATHLETE_ID, State, bad_request, forbidden};

/// A date as the calendar stores it: `YYYY-MM-DDT00:00:00`.
pub(super) fn midnight(d: NaiveDate) -> String {
    format!("{}T00:00:00", d.format("%Y-%m-%d"))
}

/// A local date-time `YYYY-MM-DDTHH:MM:00`, as seeded notes and comments carry.
pub(super) fn stamp(d: NaiveDate, hh: u32, mm: u32) -> String {
    format!("{}T{hh:02}:{mm:02}:00", d.format("%Y-%m-%d"))
}

/// The athlete in the path: 400 if not a number, 403 if not the signed-in athlete.
pub(super) fn athlete(st: &State, p: &Params) -> Result<i64, ApiError> {
    let aid = p.id("aid")?;
    let own = st
        .docs
        .get("user")
        .and_then(|u| u.get("userId"))
        .and_then(Value::as_i64)
        .unwrap_or(SAMPLE_ATHLETE_ID);
    if aid != own {
        return Err(forbidden("You do not have access to this athlete."));
    }
    Ok(aid)
}

/// The body as a JSON object, or a 400.
pub(super) fn body_object(ctx: &Ctx<'_>) -> Result<Map<String, Value>, ApiError> {
    match ctx.json_body()? {
        Value::Object(m) => Ok(m),
        _ => Err(bad_request("The request body must be a JSON object.")),
    }
}

/// A date field (`YYYY-MM-DD` or `YYYY-MM-DDT…`), or a 400 naming it.
pub(super) fn date_field(m: &Map<String, Value>, key: &str) -> Result<NaiveDate, ApiError> {
    m.get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.get(..10))
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or_else(|| bad_request(&format!("The {key} field is required and must be a date.")))
}

/// A stored object's date field (the first ten characters), if it parses.
pub(super) fn stored_date(v: &Value, key: &str) -> Option<NaiveDate> {
    let s = v.get(key)?.as_str()?;
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// Checks that `key`, when present and not null, satisfies `ok`.
pub(super) fn typed(
    m: &Map<String, Value>,
    key: &str,
    ok: fn(&Value) -> bool,
    what: &str,
) -> Result<(), ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(v) if ok(v) => Ok(()),
        Some(v) => Err(bad_request(&format!(
            "Error converting value {v} to type '{what}'. Path '{key}'."
        ))),
    }
}

/// A 400 unless `key` is a non-blank string.
pub(super) fn required_string(m: &Map<String, Value>, key: &str) -> Result<(), ApiError> {
    match m.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(()),
        _ => Err(bad_request(&format!("The {key} field is required."))),
    }
}

/// A 400 unless the body's `key` is the path's athlete (TrainingPeaks' wording).
pub(super) fn id_matches(m: &Map<String, Value>, key: &str, aid: i64) -> Result<(), ApiError> {
    if m.get(key).and_then(Value::as_i64) != Some(aid) {
        return Err(bad_request(
            "AthleteId of request url and AthleteId in body of request do not match",
        ));
    }
    Ok(())
}

/// The sandbox clock's now, `YYYY-MM-DDTHH:MM:SS` (UTC).
pub(super) fn now_stamp(ctx: &Ctx<'_>) -> String {
    ctx.clock.now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// The path's `{start}`/`{end}` dates, or a 400 (bad date, or end before start).
pub(super) fn range(p: &Params) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let (start, end) = (p.date("start")?, p.date("end")?);
    if end < start {
        return Err(bad_request(
            "The end date must be on or after the start date.",
        ));
    }
    Ok((start, end))
}
