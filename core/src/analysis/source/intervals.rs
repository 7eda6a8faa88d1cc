//! An Intervals.icu activity's data: its streams and intervals endpoints (API spec §2.2),
//! put on a 1 Hz grid.

use serde_json::Value;

use super::{
    ActivityCache, ActivityData, CacheKey, DeviceSummary, Origin, Segment, SourceError,
    SourcePlatform, cached, offer,
};
use crate::analysis::Streams;
use crate::intervals::IcuClient;
use crate::intervals::activities::{Activity, Stream};
use crate::wire::{float_of, trimmed_text};

/// The stream types asked for: what [`Streams`] holds, plus `time` to place samples.
pub const STREAM_TYPES: [&str; 7] = [
    "time",
    "watts",
    "heartrate",
    "cadence",
    "velocity_smooth",
    "altitude",
    "distance",
];

/// The longest activity put on the grid (7 days, as for FIT files): a corrupt `time` value
/// must not ask for gigabytes of empty seconds.
const MAX_GRID_SECONDS: f64 = 7.0 * 24.0 * 3600.0;

/// Fetches the data of activity `id` (its record `activity` already read by the caller): the
/// streams and the intervals, two requests, unless the cache has them. The id is the caller's,
/// not the record's, so an odd `id` in the answer cannot send the next requests elsewhere.
///
/// # Errors
/// [`SourceError::Icu`] for a failed request.
pub async fn fetch(
    client: &IcuClient,
    id: &str,
    activity: &Activity,
    cache: Option<&dyn ActivityCache>,
) -> Result<ActivityData, SourceError> {
    let id = id.trim().to_string();
    let key = CacheKey {
        platform: SourcePlatform::Intervals,
        athlete: activity
            .rest
            .get("icu_athlete_id")
            .and_then(Value::as_str)
            .unwrap_or("0")
            .to_string(),
        activity: id.clone(),
        file_id: None,
    };
    if let Some(hit) = cached(cache, &key).await {
        return Ok(hit);
    }
    let streams = client.activity_streams(&id, &STREAM_TYPES).await?;
    let intervals = client.activity_intervals(&id).await?;
    let (grid, index_to_second) = to_grid(&streams);
    let n = grid.len();
    let segments = intervals
        .icu_intervals
        .get()
        .map(|list| {
            list.iter()
                .filter_map(|iv| {
                    let s = usize::try_from(iv.start_index.val()?).ok()?;
                    let e = usize::try_from(iv.end_index.val()?).ok()?;
                    let s = index_to_second(s)?;
                    let e = index_to_second(e).unwrap_or(n.saturating_sub(1));
                    (s <= e && e < n).then(|| Segment {
                        label: trimmed_text(&iv.label)
                            .or_else(|| trimmed_text(&iv.kind))
                            .unwrap_or_else(|| "Interval".into()),
                        start_index: s,
                        end_index: e,
                        distance_m: iv.distance.val(),
                        avg_power_w: iv.average_watts.val(),
                        avg_heart_rate_bpm: iv.average_heartrate.val(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let num = |k: &str| activity.rest.get(k).and_then(float_of);
    let summary = DeviceSummary {
        sport: trimmed_text(&activity.sport),
        elapsed_s: activity.elapsed_time.val().map(|v| v as f64),
        moving_s: activity.moving_time.val().map(|v| v as f64),
        distance_m: activity.distance.val(),
        avg_power_w: activity.icu_average_watts.val(),
        normalized_power_w: activity.icu_weighted_avg_watts.val(),
        avg_heart_rate_bpm: activity.average_heartrate.val(),
        max_heart_rate_bpm: activity.max_heartrate.val(),
        tss: activity.icu_training_load.val(),
        // Intervals.icu writes intensity as a percentage (85.2).
        intensity_factor: activity.icu_intensity.val().map(|v| v / 100.0),
        calories_kcal: activity.calories.val(),
        ftp_w: activity.icu_ftp.val(),
        lthr_bpm: num("lthr"),
        device: activity
            .rest
            .get("device_name")
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    let mut notes = Vec::new();
    if grid.is_empty() {
        notes.push("Intervals.icu has no streams for this activity (a manual entry?).".into());
    }
    let mut data = ActivityData {
        key,
        origin: if grid.is_empty() {
            Origin::RecordOnly
        } else {
            Origin::PlatformStreams
        },
        file_name: None,
        start: activity.start_date.get().map(|s| s.as_str().to_string()),
        streams: grid.streams,
        segments,
        summary,
        notes,
        curves: None,
    };
    offer(cache, &mut data).await;
    Ok(data)
}

/// The streams on a 1 Hz grid, and the map from a stream sample index to its second.
struct Grid {
    streams: Streams,
}

impl Grid {
    fn len(&self) -> usize {
        self.streams.len()
    }
    fn is_empty(&self) -> bool {
        self.streams.is_empty()
    }
}

/// Places the samples by the `time` stream (seconds from the start; a second without a sample
/// is a gap); without `time`, sample i is second i.
fn to_grid(streams: &[Stream]) -> (Grid, impl Fn(usize) -> Option<usize> + use<>) {
    let find = |k: &str| {
        streams
            .iter()
            .find(|s| s.kind.get().map(String::as_str) == Some(k))
            .map(Stream::samples)
            .unwrap_or_default()
    };
    let time = find("time");
    let longest = streams.iter().map(|s| s.samples().len()).max().unwrap_or(0);
    let t0 = time.iter().flatten().copied().next().unwrap_or(0.0);
    let seconds: Vec<Option<usize>> = (0..longest)
        .map(|i| match time.get(i) {
            _ if time.is_empty() => Some(i),
            Some(Some(t)) if (t - t0) >= 0.0 && (t - t0) <= MAX_GRID_SECONDS => {
                Some((t - t0).round() as usize)
            }
            _ => None,
        })
        .collect();
    let n = seconds.iter().flatten().max().map_or(0, |m| m + 1);
    let place = |k: &str| -> Vec<Option<f64>> {
        let v = find(k);
        if !v.iter().any(Option::is_some) {
            return Vec::new();
        }
        let mut out = vec![None; n];
        for (i, x) in v.into_iter().enumerate() {
            if let Some(Some(s)) = seconds.get(i) {
                out[*s] = x;
            }
        }
        out
    };
    let grid = Grid {
        streams: Streams {
            sample_rate_s: 1.0,
            power_w: place("watts"),
            heart_rate_bpm: place("heartrate"),
            cadence_rpm: place("cadence"),
            speed_mps: place("velocity_smooth"),
            altitude_m: place("altitude"),
            distance_m: place("distance"),
        },
    };
    let map = move |i: usize| seconds.get(i).copied().flatten();
    (grid, map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stream(kind: &str, data: Value) -> Stream {
        serde_json::from_value(json!({"type": kind, "data": data})).unwrap_or_default()
    }

    #[test]
    fn samples_are_placed_by_their_time_and_missing_seconds_are_gaps() {
        let s = [
            stream("time", json!([100, 101, 103])),
            stream("watts", json!([200, null, 300])),
            stream("heartrate", json!([null, null, null])),
        ];
        let (g, map) = to_grid(&s);
        assert_eq!(
            g.streams.power_w,
            vec![Some(200.0), None, None, Some(300.0)]
        );
        assert!(
            g.streams.heart_rate_bpm.is_empty(),
            "all-null channel left out"
        );
        assert_eq!((map(0), map(2), map(9)), (Some(0), Some(3), None));
    }

    #[test]
    fn without_time_a_sample_is_a_second() {
        let (g, map) = to_grid(&[stream("watts", json!([1, 2]))]);
        assert_eq!(g.streams.power_w, vec![Some(1.0), Some(2.0)]);
        assert_eq!(map(1), Some(1));
    }
}
