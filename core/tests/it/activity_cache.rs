//! The activity cache through the analysis tools: with a cache in the context, a second
//! analysis of the same activities downloads no device file (TrainingPeaks) and no streams
//! (Intervals.icu), and gives the same answer; without one, everything is fetched again. The
//! emulators' request logs are the counting far end.

use std::sync::{Arc, Mutex};

use futures_executor::block_on;
use paceline_core::analysis::meanmax::{SeasonCurve, mean_max};
use paceline_core::analysis::source::memory::MemoryCache;
use paceline_core::analysis::source::{ActivityCache, ActivityData, CacheKey};
use paceline_core::http::BoxFuture;
use paceline_core::sandbox::Sandbox;
use paceline_core::sandbox::intervals::IcuSandbox;
use paceline_core::tools::{self, ToolContext, ToolOutput};
use serde_json::{Value, json};

use crate::sandboxes::{self, Sandboxes};

struct Env {
    tp: Arc<Sandbox>,
    icu: Arc<IcuSandbox>,
    ctx: ToolContext,
    cache: Option<Arc<MemoryCache>>,
}

fn env(cached: bool) -> Env {
    let Sandboxes { tp, icu, mut ctx } = sandboxes::both(true);
    let cache = cached.then(|| Arc::new(MemoryCache::default()));
    if let Some(c) = &cache {
        ctx = ctx.with_activity_cache(c.clone());
    }
    Env {
        tp,
        icu,
        ctx,
        cache,
    }
}

impl Env {
    fn ok(&self, name: &str, args: Value) -> ToolOutput {
        let tool = tools::platform::find_canonical(name).expect("in the catalogue");
        // A context per call, as the hosts make: the cache must survive `for_call`.
        let ctx = self.ctx.for_call(Default::default());
        block_on(tool.tool().call(&ctx, args)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// How many TrainingPeaks device files were downloaded since the last clear.
    fn tp_files(&self) -> usize {
        let n = self
            .tp
            .requests()
            .iter()
            .filter(|r| r.path.contains("/rawfiledata/"))
            .count();
        self.tp.clear_requests();
        n
    }

    /// How many Intervals.icu stream requests went out since the last clear.
    fn icu_streams(&self) -> usize {
        let n = self
            .icu
            .requests()
            .iter()
            .filter(|r| r.path.contains("/streams"))
            .count();
        self.icu.clear_requests();
        n
    }
}

const CURVE: fn() -> Value =
    || json!({"start_date": "2026-10-01", "end_date": "2026-11-20", "max_workouts": 4});

#[test]
fn a_second_power_curve_and_analysis_download_no_device_file() {
    let env = env(true);
    env.tp.clear_requests();
    let first = env.ok("get_power_curve", CURVE());
    assert_eq!(env.tp_files(), 4, "the first curve downloads each file");
    assert_eq!(env.cache.as_ref().unwrap().usage().0, 4, "all four kept");

    let second = env.ok("get_power_curve", CURVE());
    assert_eq!(env.tp_files(), 0, "the second curve downloads nothing");
    assert_eq!(
        first.structured, second.structured,
        "same answer from the cache"
    );

    // A single-activity analysis of one of them finds it cached too, as does the next one.
    let wid: i64 = first.structured["points"][0]["workout_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let a = env.ok("get_activity_analysis", json!({"workout_id": wid}));
    assert_eq!(
        env.tp_files(),
        0,
        "analysis served from the curve's entries"
    );
    let b = env.ok("get_activity_analysis", json!({"workout_id": wid}));
    assert_eq!(env.tp_files(), 0);
    assert_eq!(a.structured, b.structured);
    assert_eq!(a.structured["source"], json!("device_file"));
}

#[test]
fn without_a_cache_every_call_downloads_again() {
    let env = env(false);
    env.tp.clear_requests();
    env.ok("get_power_curve", CURVE());
    assert_eq!(env.tp_files(), 4);
    env.ok("get_power_curve", CURVE());
    assert_eq!(env.tp_files(), 4);
}

#[test]
fn a_second_intervals_analysis_requests_no_streams() {
    for cached in [true, false] {
        let env = env(cached);
        let list = env.ok(
            "icu_get_activities",
            json!({"start_date": "2026-10-24", "end_date": "2026-11-20", "limit": 50}),
        );
        let id = list.structured["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["average_watts"].is_number() || a["icu_average_watts"].is_number())
            .and_then(|a| a["id"].as_str())
            .expect("a ride with power")
            .to_string();
        env.icu.clear_requests();
        let a = env.ok("icu_get_activity_analysis", json!({"activity_id": id}));
        assert_eq!(env.icu_streams(), 1, "cached={cached}");
        let b = env.ok("icu_get_activity_analysis", json!({"activity_id": id}));
        assert_eq!(env.icu_streams(), usize::from(!cached), "cached={cached}");
        assert_eq!(a.structured, b.structured);
    }
}

/// How [`Spy`] hands its hits back.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Hits {
    /// As stored.
    AsStored,
    /// Without curves: what an entry written before curves were cached decodes to.
    WithoutCurves,
    /// With every cached power-curve value doubled: shows whether the tool used them.
    PowerCurveDoubled,
}

/// A [`MemoryCache`] that records what is put in it and can alter what it hands back.
#[derive(Debug)]
struct Spy {
    inner: MemoryCache,
    hits: Mutex<Hits>,
    puts: Mutex<Vec<ActivityData>>,
}

impl Spy {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            inner: MemoryCache::default(),
            hits: Mutex::new(Hits::AsStored),
            puts: Mutex::new(Vec::new()),
        })
    }
    fn hits(&self, h: Hits) {
        *self.hits.lock().unwrap() = h;
    }
    fn take_puts(&self) -> Vec<ActivityData> {
        std::mem::take(&mut *self.puts.lock().unwrap())
    }
}

impl ActivityCache for Spy {
    fn get<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, Option<ActivityData>> {
        Box::pin(async move {
            let mut d = self.inner.get(key).await?;
            match *self.hits.lock().unwrap() {
                Hits::AsStored => {}
                Hits::WithoutCurves => d.curves = None,
                Hits::PowerCurveDoubled => {
                    if let Some(c) = d.curves.as_mut().and_then(|c| c.power_w.as_mut()) {
                        c.points.iter_mut().for_each(|p| p.value *= 2.0);
                    }
                }
            }
            Some(d)
        })
    }

    fn put<'a>(&'a self, data: &'a ActivityData) -> BoxFuture<'a, ()> {
        self.puts.lock().unwrap().push(data.clone());
        self.inner.put(data)
    }
}

/// The season curve computed the long way, from the streams of `fetched` (newest first, as
/// the tool reads them), as (duration, rounded value, activity, start) at the tool's durations.
fn curve_from_streams(
    fetched: &[ActivityData],
    channel: &str,
    places: i32,
) -> Vec<(u64, f64, String, u64)> {
    let mut season = SeasonCurve::default();
    for d in fetched {
        let ch = match channel {
            "power" => &d.streams.power_w,
            "heart_rate" => &d.streams.heart_rate_bpm,
            _ => &d.streams.speed_mps,
        };
        if ch.iter().any(Option::is_some) {
            season.add(&d.key.activity, "", &mean_max(ch, d.streams.dt()));
        }
    }
    let f = 10f64.powi(places);
    [
        1, 5, 10, 30, 60, 120, 180, 300, 600, 1200, 1800, 3600, 5400, 7200, 10800,
    ]
    .into_iter()
    .filter_map(|d| season.at(d))
    .map(|p| {
        let v = (p.value * f).round() / f;
        (
            u64::from(p.duration_s),
            v,
            p.activity_id.clone(),
            p.offset as u64,
        )
    })
    .collect()
}

fn curve_points(out: &ToolOutput, id_field: &str) -> Vec<(u64, f64, String, u64)> {
    out.structured["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["duration_s"].as_u64().unwrap(),
                p["value"].as_f64().unwrap(),
                p[id_field].as_str().unwrap().to_string(),
                p["start_s"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_power_curve_from_cached_curves_is_the_curve_of_the_streams_on_both_platforms() {
    let tp = json!({"start_date": "2026-10-01", "end_date": "2026-11-20", "max_workouts": 6});
    let icu = json!({"start_date": "2026-10-10", "end_date": "2026-11-20", "max_activities": 12});
    for (tool, args, id_field) in [
        ("get_power_curve", tp, "workout_id"),
        ("icu_get_power_curve", icu, "activity_id"),
    ] {
        for (channel, places) in [("power", 0), ("heart_rate", 0), ("speed", 2)] {
            let what = format!("{tool} {channel}");
            let mut env = env(false);
            let spy = Spy::new();
            env.ctx = env.ctx.clone().with_activity_cache(spy.clone());
            let mut args = args.clone();
            args["channel"] = json!(channel);

            // First call: everything fetched, its curves derived and cached.
            let first = env.ok(tool, args.clone());
            let fetched = spy.take_puts();
            assert!(fetched.len() >= 2, "{what}: {} fetched", fetched.len());
            assert!(fetched.iter().all(|d| d.curves.is_some()), "{what}");
            let expected = curve_from_streams(&fetched, channel, places);
            assert!(expected.len() >= 5, "{what}: {expected:?}");
            assert_eq!(curve_points(&first, id_field), expected, "{what}");

            // Second call: every activity a hit, its curve taken from the cache.
            let second = env.ok(tool, args.clone());
            assert!(spy.take_puts().is_empty(), "{what}: nothing refetched");
            assert_eq!(first.structured, second.structured, "{what}");

            // Entries from before curves were cached: derived on the read, written back, and
            // the same answer.
            spy.hits(Hits::WithoutCurves);
            let old = env.ok(tool, args.clone());
            assert_eq!(spy.take_puts().len(), fetched.len(), "{what}: rewritten");
            assert_eq!(first.structured, old.structured, "{what}");

            // The cached curve is what the answer is made of (so the equality above is not
            // the streams being used again).
            spy.hits(Hits::PowerCurveDoubled);
            let doubled = env.ok(tool, args.clone());
            let (a, b) = (
                &first.structured["points"][0],
                &doubled.structured["points"][0],
            );
            if channel == "power" {
                assert_eq!(
                    b["value"].as_f64().unwrap(),
                    2.0 * a["value"].as_f64().unwrap(),
                    "{what}"
                );
            } else {
                assert_eq!(a, b, "{what}");
            }
        }
    }
}
