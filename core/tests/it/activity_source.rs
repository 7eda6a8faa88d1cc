//! The activity data-source layer (`analysis::source`) against both emulators: a TrainingPeaks
//! workout's device file decoded onto the 1 Hz grid, a manual entry degrading to its record,
//! an Intervals.icu activity's streams and intervals, and a cache in front that saves the
//! expensive request.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::analysis::source::{
    self, ActivityCache, ActivityData, CacheKey, Origin, SourcePlatform,
};
use paceline_core::clock::ManualClock;
use paceline_core::http::BoxFuture;
use paceline_core::intervals::{IcuClient, IcuConfig};
use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
use paceline_core::sandbox::{SAMPLE_ATHLETE_ID, Sandbox, SandboxTransport};
use paceline_core::trainingpeaks::{Api, TpClient};
use serde_json::{Value, json};

const AID: i64 = SAMPLE_ATHLETE_ID;

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ))
}

fn tp() -> (Arc<Sandbox>, TpClient) {
    let clock = clock();
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let c = TpClient::new(Arc::new(SandboxTransport::new(sandbox.clone())), clock);
    (sandbox, c)
}

/// The first completed ride with power of the last four weeks.
fn a_ride(c: &TpClient) -> Value {
    let list = block_on(c.get_json(
        Api::Tp,
        &format!("/fitness/v6/athletes/{AID}/workouts/2026-10-24/2026-11-20"),
    ))
    .unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|w| w["completed"] == json!(true) && w["powerAverage"].is_number())
        .cloned()
        .expect("a completed ride with power")
}

/// A cache in memory that counts its traffic.
#[derive(Debug, Default)]
struct MemCache {
    items: Mutex<Vec<ActivityData>>,
    gets: Mutex<Vec<CacheKey>>,
}

impl ActivityCache for MemCache {
    fn get<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, Option<ActivityData>> {
        self.gets.lock().unwrap().push(key.clone());
        let hit = self
            .items
            .lock()
            .unwrap()
            .iter()
            .find(|d| &d.key == key)
            .cloned();
        Box::pin(async move { hit })
    }
    fn put<'a>(&'a self, data: &'a ActivityData) -> BoxFuture<'a, ()> {
        self.items.lock().unwrap().push(data.clone());
        Box::pin(async {})
    }
}

#[test]
fn source_tp_device_file_gives_streams_laps_and_summary_and_the_cache_saves_the_download() {
    let (sb, c) = tp();
    let raw = a_ride(&c);
    let wid = raw["workoutId"].as_i64().unwrap();
    let w = block_on(c.workout(AID, wid)).unwrap();
    let cache = MemCache::default();
    sb.clear_requests();
    let d = block_on(source::trainingpeaks::fetch(&c, AID, &w, Some(&cache))).unwrap();
    assert_eq!(d.origin, Origin::DeviceFile);
    assert_eq!(d.key.platform, SourcePlatform::TrainingPeaks);
    assert_eq!(d.key.activity, wid.to_string());
    let fid = d.key.file_id.clone().expect("a file id in the key");
    assert!(d.file_name.as_deref().unwrap().ends_with(".fit.gz"));
    let moving = (raw["totalTime"].as_f64().unwrap() * 3600.0).round();
    assert!(
        d.streams.duration_s() >= moving,
        "grid covers the moving time"
    );
    let p: Vec<f64> = d.streams.power_w.iter().flatten().copied().collect();
    let avg = p.iter().sum::<f64>() / p.len() as f64;
    let want = raw["powerAverage"].as_f64().unwrap();
    assert!((avg - want).abs() / want < 0.02, "power {avg} vs {want}");
    assert!(!d.segments.is_empty(), "laps");
    assert!(
        d.segments
            .windows(2)
            .all(|w| w[0].end_index < w[1].start_index)
    );
    assert_eq!(d.summary.moving_s, Some(moving));
    let paths: Vec<String> = sb.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[0].ends_with(&format!("/workouts/{wid}/details")));
    assert!(paths[1].ends_with(&format!("/rawfiledata/{fid}")));
    assert_eq!(cache.items.lock().unwrap().len(), 1, "offered to the cache");

    // Again: only `/details` goes out; the file comes from the cache.
    sb.clear_requests();
    let again = block_on(source::trainingpeaks::fetch(&c, AID, &w, Some(&cache))).unwrap();
    assert_eq!(again, d);
    let paths: Vec<String> = sb.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(paths[0].ends_with("/details"));
}

#[test]
fn source_tp_manual_entry_degrades_to_its_record_and_is_not_cached() {
    let (sb, c) = tp();
    let raw = a_ride(&c);
    let wid = raw["workoutId"].as_i64().unwrap();
    // A manual entry: TrainingPeaks computes average HR from a file, so without one it has none.
    sb.with_state(|st| {
        let w = st.collection("workouts").get_mut(&wid).unwrap();
        w.as_object_mut().unwrap().remove("heartRateAverage");
    });
    let w = block_on(c.workout(AID, wid)).unwrap();
    let cache = MemCache::default();
    let d = block_on(source::trainingpeaks::fetch(&c, AID, &w, Some(&cache))).unwrap();
    assert_eq!(d.origin, Origin::RecordOnly);
    assert!(d.streams.is_empty());
    assert_eq!(d.key.file_id, None);
    assert_eq!(d.summary.avg_power_w, raw["powerAverage"].as_f64());
    assert_eq!(
        d.summary.moving_s,
        Some((raw["totalTime"].as_f64().unwrap() * 3600.0).round())
    );
    assert!(d.notes[0].contains("no device file"), "{:?}", d.notes);
    assert!(
        cache.items.lock().unwrap().is_empty(),
        "a record is not cached"
    );
    assert!(cache.gets.lock().unwrap().is_empty(), "nothing to look up");
}

#[test]
fn source_icu_streams_and_intervals_on_the_grid() {
    let clock = clock();
    let sb = Arc::new(IcuSandbox::new(clock.clone()));
    let icu = IcuClient::new(
        Arc::new(IcuSandboxTransport::new(sb.clone())),
        clock,
        IcuConfig::default(),
    );
    let list = block_on(icu.activities(
        None,
        NaiveDate::from_ymd_opt(2026, 10, 24).unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        None,
    ))
    .unwrap();
    let a = list
        .iter()
        .find(|a| a.icu_average_watts.val().is_some())
        .expect("an activity with power");
    let cache = MemCache::default();
    let d = block_on(source::intervals::fetch(
        &icu,
        &a.id.get().cloned().unwrap(),
        a,
        Some(&cache),
    ))
    .unwrap();
    assert_eq!(d.origin, Origin::PlatformStreams);
    assert_eq!(d.key.platform, SourcePlatform::Intervals);
    let secs = a.moving_time.val().unwrap() as f64;
    assert!(
        (d.streams.duration_s() - secs).abs() <= 1.0,
        "{}",
        d.streams.duration_s()
    );
    let p: Vec<f64> = d.streams.power_w.iter().flatten().copied().collect();
    let avg = p.iter().sum::<f64>() / p.len() as f64;
    let want = a.icu_average_watts.val().unwrap();
    assert!((avg - want).abs() / want < 0.03, "power {avg} vs {want}");
    assert!(!d.segments.is_empty());
    assert!(d.segments.iter().all(|s| s.end_index < d.streams.len()));
    assert_eq!(d.summary.ftp_w, a.icu_ftp.val());
    // Served from the cache the second time: no request at all.
    let before = sb.requests().len();
    let again = block_on(source::intervals::fetch(
        &icu,
        &a.id.get().cloned().unwrap(),
        a,
        Some(&cache),
    ))
    .unwrap();
    assert_eq!(again, d);
    assert_eq!(sb.requests().len(), before);
}
