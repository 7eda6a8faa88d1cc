//! A TrainingPeaks workout's data: `/details` → device file id → `rawfiledata` → FIT decode
//! (spec §5.4, §5.5), or the workout record alone for a manual entry.

use super::{
    ActivityCache, ActivityData, CacheKey, DeviceSummary, Origin, Segment, SourceError,
    SourcePlatform, cached, offer,
};
use crate::analysis::Streams;
use crate::fit;
use crate::trainingpeaks::TpClient;
use crate::trainingpeaks::workouts::{Workout, text};

/// Fetches the data of `workout` (its record, already read by the caller, who needs it for
/// the planned figures anyway): one `/details` request, then the device file unless the cache
/// has it. Two requests at most.
///
/// A workout with no device file gives [`Origin::RecordOnly`] data built from the record, with
/// a note; a file that does not decode is an error ([`SourceError::Fit`]), not silently
/// degraded, since the figures would then be wrong without saying so.
///
/// # Errors
/// [`SourceError::Tp`] for a failed request, [`SourceError::Fit`] for an unreadable file.
pub async fn fetch(
    client: &TpClient,
    athlete_id: i64,
    workout: &Workout,
    cache: Option<&dyn ActivityCache>,
) -> Result<ActivityData, SourceError> {
    let workout_id = workout.workout_id.val().unwrap_or_default();
    let details = client.workout_details(athlete_id, workout_id).await?;
    let mut key = CacheKey {
        platform: SourcePlatform::TrainingPeaks,
        athlete: athlete_id.to_string(),
        activity: workout_id.to_string(),
        file_id: None,
    };
    let files: Vec<_> = details
        .device_files
        .iter()
        .filter(|f| f.file_id.val().is_some())
        .collect();
    let Some(info) = files.first() else {
        let mut data = record_only(key, workout);
        if !details.device_files.is_empty() {
            // Listed, but with no id to fetch them by: not a manual entry, so say what it is.
            data.notes = vec![format!(
                "TrainingPeaks lists {} device file(s) for this workout but none with a readable \
                 fileId, so only the workout record's figures are available.",
                details.device_files.len()
            )];
        }
        return Ok(data);
    };
    let file_id = info.file_id.val().unwrap_or_default();
    key.file_id = Some(file_id.to_string());
    if let Some(hit) = cached(cache, &key).await {
        return Ok(hit);
    }
    let file = client
        .workout_device_file(athlete_id, workout_id, file_id)
        .await?;
    let file_name = file.file_name.clone().or_else(|| info.name());
    let activity = fit::decode(&file.bytes).map_err(|error| SourceError::Fit {
        file: file_name.clone().unwrap_or_else(|| file_id.to_string()),
        error,
    })?;
    let mut data = from_fit(key, &activity);
    data.file_name = file_name;
    if files.len() > 1 {
        data.notes.push(format!(
            "The workout has {} device files; the first one uploaded was analysed.",
            files.len()
        ));
    }
    offer(cache, &mut data).await;
    Ok(data)
}

/// The streams, laps and session summary of a decoded file.
pub fn from_fit(key: CacheKey, a: &fit::Activity) -> ActivityData {
    let ch = |f: fn(&fit::Sample) -> Option<f64>| -> Vec<Option<f64>> {
        let v: Vec<Option<f64>> = a.samples.iter().map(f).collect();
        // A channel the device never recorded is left out, as `Streams` expects.
        if v.iter().any(Option::is_some) {
            v
        } else {
            Vec::new()
        }
    };
    let streams = Streams {
        sample_rate_s: 1.0,
        power_w: ch(|s| s.power_w),
        heart_rate_bpm: ch(|s| s.heart_rate_bpm),
        cadence_rpm: ch(|s| s.cadence_rpm),
        speed_mps: ch(|s| s.speed_mps),
        altitude_m: ch(|s| s.altitude_m),
        distance_m: ch(|s| s.distance_m),
    };
    let n = a.samples.len();
    let mut segments = Vec::with_capacity(a.laps.len());
    let mut next = 0usize;
    for (i, lap) in a.laps.iter().enumerate() {
        // A lap starts at its own start time when it has one, else where the last one ended;
        // it lasts its elapsed time (pauses included, as the grid does).
        let start = lap
            .start
            .map(|t| (t - a.start).num_seconds().max(0) as usize)
            .unwrap_or(next);
        let len = lap
            .elapsed_s
            .or(lap.timer_s)
            .map_or(0, |s| s.round().max(1.0) as usize);
        if start >= n || len == 0 {
            continue;
        }
        let end = (start + len - 1).min(n - 1);
        next = end + 1;
        segments.push(Segment {
            label: format!("Lap {}", i + 1),
            start_index: start,
            end_index: end,
            distance_m: lap.distance_m,
            avg_power_w: lap.avg_power_w,
            avg_heart_rate_bpm: lap.avg_heart_rate_bpm,
        });
    }
    let s = a.session.clone().unwrap_or_default();
    let device = a
        .devices
        .iter()
        .find(|d| d.device_index.as_deref() == Some("creator") || d.product_name.is_some())
        .and_then(fit::DeviceInfo::label);
    let summary = DeviceSummary {
        sport: s.sport.clone(),
        elapsed_s: s.elapsed_s,
        moving_s: s.timer_s,
        distance_m: s.distance_m,
        avg_power_w: s.avg_power_w,
        normalized_power_w: s.normalized_power_w,
        avg_heart_rate_bpm: s.avg_heart_rate_bpm,
        max_heart_rate_bpm: s.max_heart_rate_bpm,
        tss: s.tss,
        intensity_factor: s.intensity_factor,
        calories_kcal: s.calories_kcal,
        ftp_w: s.threshold_power_w,
        lthr_bpm: None,
        device,
    };
    let mut notes = Vec::new();
    if a.session.is_none() {
        notes.push("The device file has no session summary.".into());
    }
    ActivityData {
        key,
        origin: Origin::DeviceFile,
        file_name: None,
        start: Some(a.start.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        streams,
        segments,
        summary,
        notes,
        curves: None,
    }
}

/// The record's own figures, for a workout without a device file.
fn record_only(key: CacheKey, w: &Workout) -> ActivityData {
    let hours = |h: Option<f64>| h.map(|h| (h * 3600.0).round());
    let summary = DeviceSummary {
        sport: w.workout_type_value_id.val().map(|t| t.to_string()),
        elapsed_s: hours(w.total_time.val()),
        moving_s: hours(w.total_time.val()),
        distance_m: w.distance.val(),
        avg_power_w: w.power_average.val(),
        normalized_power_w: w.normalized_power_actual.val(),
        avg_heart_rate_bpm: w.heart_rate_average.val(),
        max_heart_rate_bpm: w.heart_rate_maximum.val(),
        tss: w.tss_actual.val(),
        intensity_factor: w.if_actual.val(),
        calories_kcal: w.rest.get("calories").and_then(serde_json::Value::as_f64),
        ftp_w: None,
        lthr_bpm: None,
        device: None,
    };
    let title = text(&w.title).unwrap_or_else(|| "The workout".into());
    ActivityData {
        key,
        origin: Origin::RecordOnly,
        file_name: None,
        start: w
            .rest
            .get("startTime")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string),
        streams: Streams {
            sample_rate_s: 1.0,
            ..Streams::default()
        },
        segments: Vec::new(),
        summary,
        notes: vec![format!(
            "{title} has no device file (a manual entry): only the figures on the workout \
             record are available — no streams, laps, zones, mean-max or decoupling."
        )],
        curves: None,
    }
}
