//! Sandbox device files: workout details listing the file, and the raw file data route, as
//! TrainingPeaks serves them (spec §5.4 `/details`, §5.5 `rawfiledata`).
//!
//! # Rules enforced
//!
//! | Rule | Spec line |
//! |---|---|
//! | `GET .../workouts/{wid}/details` → `{workoutId, workoutDeviceFileInfos:[{fileId, fileSystemId, fileName, dateUploaded}], attachmentFileInfos:[...]}` | api §5.4 row 1 (JM; RGW `files.ts`; T2I) |
//! | `GET .../workouts/{wid}/rawfiledata/{fileId}` → the bytes, gzip when `fileName` ends `.gz`, `Content-Disposition` with the file name | api §5.5 row 2 (JM; RGW) |
//! | Unknown workout, or a file id that is not the workout's → 404; another athlete → 403 | api §12 (JM) |
//!
//! Which workouts have a file: a completed one whose record carries device metrics (an average
//! heart rate, which TrainingPeaks computes from a file), with a duration. Every seeded
//! completed session qualifies; a manual entry of only time and distance does not, like a real
//! manual entry. The file is generated on request from the workout record
//! ([`synth::activity`]), deterministic, and not kept: a year of files would be ~10 MB of
//! memory for bytes that take a few milliseconds to make again.

use std::io::Write;

use serde_json::{Value, json};

use crate::fit::encode::encode;
use crate::http::{HttpResponse, Method};

use super::router::{Ctx, Params, Route};
use super::workouts::{athlete, owned};
use super::{Answer, ApiError, State, not_found};

pub mod synth;

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(
            Method::Get,
            "/fitness/v6/athletes/{aid}/workouts/{wid}/details",
            details,
        ),
        Route::new(
            Method::Get,
            "/fitness/v6/athletes/{aid}/workouts/{wid}/rawfiledata/{fid}",
            raw_file,
        ),
    ]
}

/// The device file id of a workout (ids of their own on the server; here derived so no state
/// is needed).
pub fn file_id(workout_id: i64) -> i64 {
    workout_id.saturating_mul(100).saturating_add(7)
}

/// Whether the workout record has a generated device file.
pub fn has_file(w: &Value) -> bool {
    w.get("completed") == Some(&json!(true))
        && w.get("totalTime")
            .and_then(Value::as_f64)
            .is_some_and(|h| h * 3600.0 >= 60.0)
        && w.get("heartRateAverage").is_some_and(Value::is_number)
}

/// The file name TrainingPeaks would show: day, sport and id, gzipped FIT.
fn file_name(w: &Value, wid: i64) -> String {
    let day = w
        .get("workoutDay")
        .and_then(Value::as_str)
        .and_then(|d| d.get(..10))
        .unwrap_or("unknown");
    format!("{day}-{wid}.fit.gz")
}

fn details(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let (wid, w) = owned(st, aid, p)?;
    let files: Vec<Value> = if has_file(w) {
        let uploaded = w
            .get("startTime")
            .and_then(Value::as_str)
            .map_or(Value::Null, |s| json!(s));
        vec![json!({
            "fileId": file_id(wid),
            "fileSystemId": file_id(wid) + 1,
            "fileName": file_name(w, wid),
            "dateUploaded": uploaded,
        })]
    } else {
        Vec::new()
    };
    Ok(HttpResponse::json(
        200,
        &json!({
            "workoutId": wid,
            "workoutDeviceFileInfos": files,
            "attachmentFileInfos": [],
        }),
    ))
}

fn raw_file(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let (wid, w) = owned(st, aid, p)?;
    let fid = p.id("fid")?;
    if !has_file(w) || fid != file_id(wid) {
        return Err(not_found(&format!("File {fid} of workout {wid}")));
    }
    let activity = synth::activity(w).ok_or_else(|| not_found(&format!("File {fid}")))?;
    let fit = encode(&activity);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&fit)
        .map_err(|e| ApiError::message(500, e.to_string()))?;
    let body = gz
        .finish()
        .map_err(|e| ApiError::message(500, e.to_string()))?;
    Ok(HttpResponse::new(200, body)
        .with_header("content-type", "application/octet-stream")
        .with_header(
            "content-disposition",
            format!("attachment; filename=\"{}\"", file_name(w, wid)),
        ))
}
