//! Scenario 24: the extension's activity cache (IndexedDB, `extension/js/activity-cache.js`).
//! A power curve over three completed workouts downloads their device files once; the same
//! curve again, and an analysis of one of those workouts, send no `rawfiledata` request to the
//! fake, and give the same figures.

use serde_json::json;

use super::{Stack, scenario};

/// The device-file downloads in the fake's log since the last clear.
fn files(s: &Stack) -> usize {
    let n = s
        .api_log()
        .iter()
        .filter(|(_, p, _)| p.contains("/rawfiledata/"))
        .count();
    s.fake.clear_requests();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s24_the_extension_caches_device_files_in_indexeddb() {
    scenario("s24_activity_cache", || async {
        let Some(s) = Stack::start("s24", true).await else {
            return;
        };
        let end = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
        let start = end - chrono::Duration::days(40);
        let args = json!({"start_date": start.to_string(), "end_date": end.to_string(), "max_workouts": 3});
        s.fake.clear_requests();
        let first = s.ok("get_power_curve", args.clone()).await;
        assert_eq!(first["workouts_used"], json!(3), "{first}");
        assert_eq!(files(&s), 3, "the first curve downloads each file");

        let second = s.ok("get_power_curve", args).await;
        assert_eq!(files(&s), 0, "the second curve reads IndexedDB");
        assert_eq!(first, second);

        let wid: i64 = first["points"][0]["workout_id"]
            .as_str()
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("a workout behind the curve: {first}"));
        let a = s
            .ok("get_activity_analysis", json!({"workout_id": wid}))
            .await;
        assert_eq!(a["source"], json!("device_file"), "{a}");
        assert_eq!(files(&s), 0, "the analysis reads IndexedDB too");
        // Only the device file is cached: the workout and its details are still read.
        s.ok("get_activity_analysis", json!({"workout_id": wid}))
            .await;
        assert!(
            s.api_log().iter().any(|(_, p, _)| p.ends_with("/details")),
            "{:?}",
            s.api_log()
        );
        s.finish().await;
    })
    .await;
}
