//! The activity cache through the analysis tools: with a cache in the context, a second
//! analysis of the same activities downloads no device file (TrainingPeaks) and no streams
//! (Intervals.icu), and gives the same answer; without one, everything is fetched again. The
//! emulators' request logs are the counting far end.

use std::sync::Arc;

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::analysis::source::memory::MemoryCache;
use paceline_core::clock::ManualClock;
use paceline_core::intervals::{IcuClient, IcuConfig};
use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
use paceline_core::sandbox::{Sandbox, SandboxTransport};
use paceline_core::tools::{self, ToolContext, ToolOutput};
use paceline_core::trainingpeaks::TpClient;
use serde_json::{Value, json};

struct Env {
    tp: Arc<Sandbox>,
    icu: Arc<IcuSandbox>,
    ctx: ToolContext,
    cache: Option<Arc<MemoryCache>>,
}

fn env(cached: bool) -> Env {
    let clock = Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ));
    let tp = Arc::new(Sandbox::new(clock.clone()));
    let client = TpClient::new(Arc::new(SandboxTransport::new(tp.clone())), clock.clone());
    let icu = Arc::new(IcuSandbox::new(clock.clone()));
    let icu_client = IcuClient::new(
        Arc::new(IcuSandboxTransport::new(icu.clone())),
        clock,
        IcuConfig::default(),
    );
    let mut ctx = ToolContext::new(Arc::new(client)).with_icu(Arc::new(icu_client));
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
