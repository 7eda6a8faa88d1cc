//! The Intervals.icu drift test (issue 9, "a drift test as in the trust issue"): every read
//! tool of `tools::intervals::CATALOG` against `IcuSandbox` responses perturbed the way a
//! live API drifts (ids as numbers or strings, integral floats, numeric strings, nulls,
//! missing fields, unknown fields and enum values), under every [`Drift`] kind and 8 seeds.
//! Each call must succeed, and under the lossless kinds its structured output must mean what
//! the clean run's does. The survival rate is printed beside [`TARGET`]
//! (`cargo test -p paceline-core --features sandbox --test it icu_drift -- --nocapture`).

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{
    BoxFuture, FnTransport, HttpRequest, HttpResponse, Transport, TransportError,
};
use paceline_core::intervals::{IcuClient, IcuConfig};
use paceline_core::sandbox::drift::intervals::{INTERVALS, dry_run_calls, read_calls};
use paceline_core::sandbox::drift::{Drift, DriftTransport, TARGET, Tally};
use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
use paceline_core::tools::intervals::{CATALOG, find};
use paceline_core::tools::{ToolContext, ToolOutput};
use paceline_core::trainingpeaks::TpClient;
use serde_json::Value;

/// Seeds per kind.
const SEEDS: u64 = 8;

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ))
}

/// Records every response body that passes through it, so the test can prove the drift
/// reached the client (a drift that changes nothing would pass everything).
struct Spy {
    inner: Arc<dyn Transport>,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Transport for Spy {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let resp = self.inner.send(request).await?;
            self.bodies.lock().unwrap().push(resp.body.clone());
            Ok(resp)
        })
    }
}

/// The bodies the sandbox sent and the bodies the client received.
#[derive(Default, Clone)]
struct Seen {
    sent: Arc<Mutex<Vec<Vec<u8>>>>,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Seen {
    /// How many responses the drift changed, of how many.
    fn changed(&self) -> (usize, usize) {
        let sent = self.sent.lock().unwrap();
        let received = self.received.lock().unwrap();
        assert_eq!(sent.len(), received.len());
        let changed = sent.iter().zip(received.iter()).filter(|(a, b)| a != b);
        (changed.count(), sent.len())
    }
}

fn context(drift: Option<(Drift, u64)>) -> (ToolContext, Arc<IcuSandbox>, Seen) {
    let clock = clock();
    let sandbox = Arc::new(IcuSandbox::new(clock.clone()));
    let seen = Seen::default();
    let clean: Arc<dyn Transport> = Arc::new(Spy {
        inner: Arc::new(IcuSandboxTransport::new(sandbox.clone())),
        bodies: seen.sent.clone(),
    });
    let transport: Arc<dyn Transport> = match drift {
        Some((kind, seed)) => {
            Arc::new(DriftTransport::new(clean, kind, seed).with_profile(INTERVALS))
        }
        None => clean,
    };
    let transport: Arc<dyn Transport> = Arc::new(Spy {
        inner: transport,
        bodies: seen.received.clone(),
    });
    let icu = IcuClient::new(transport, clock.clone(), IcuConfig::default());
    // Intervals.icu tools must not touch TrainingPeaks.
    let no_tp = FnTransport(|req: HttpRequest| -> Result<HttpResponse, TransportError> {
        panic!("TrainingPeaks request: {} {}", req.method, req.url)
    });
    let tp = Arc::new(TpClient::new(Arc::new(no_tp), clock));
    (ToolContext::new(tp).with_icu(Arc::new(icu)), sandbox, seen)
}

fn run(ctx: &ToolContext, name: &str, args: &Value) -> Result<ToolOutput, String> {
    let tool = find(name).ok_or_else(|| format!("{name} is not in the catalogue"))?;
    block_on(tool.call(ctx, args.clone())).map_err(|e| e.to_string())
}

#[test]
// The survival report is the point of this test: it is read by people and by the note.
#[allow(clippy::print_stderr)]
fn icu_read_tools_survive_drift() {
    let (clean_ctx, clean_sandbox, _) = context(None);
    let calls = read_calls(&clean_sandbox);
    let clean: Vec<ToolOutput> = calls
        .iter()
        .map(|(name, args)| {
            run(&clean_ctx, name, args).unwrap_or_else(|e| panic!("clean {name}({args}): {e}"))
        })
        .collect();

    for tool in CATALOG {
        if tool.annotations().read_only {
            assert!(
                calls.iter().any(|(n, _)| *n == tool.name()),
                "the Intervals.icu drift test does not cover {}",
                tool.name()
            );
        }
    }

    let mut tally = Tally::default();
    for kind in Drift::ALL {
        let (mut changed, mut responses) = (0, 0);
        for seed in 0..SEEDS {
            let (ctx, _, seen) = context(Some((kind, seed)));
            for ((name, args), clean) in calls.iter().zip(&clean) {
                let got = run(&ctx, name, args);
                let got = got.as_ref().map(|o| &o.structured).map_err(String::as_str);
                tally.record(name, kind, seed, got, &clean.structured);
            }
            let (c, n) = seen.changed();
            changed += c;
            responses += n;
        }
        eprintln!(
            "{}: drift changed {changed} of {responses} responses",
            kind.name()
        );
        // Most responses must really have drifted, or the survival rate proves nothing.
        assert!(
            changed * 2 > responses,
            "{}: only {changed} of {responses} responses drifted",
            kind.name()
        );
    }
    eprint!("{}", tally.report(" (Intervals.icu)"));
    let rate = tally.rate();
    let failures = tally.failures();
    assert!(
        rate >= TARGET,
        "Intervals.icu drift survival {:.1} % is below the {:.0} % target ({} failures; first: {:?})",
        rate * 100.0,
        TARGET * 100.0,
        failures.len(),
        failures.first()
    );
}

#[test]
// As above: the report is read by people.
#[allow(clippy::print_stderr)]
fn icu_write_dry_runs_survive_drift_of_their_reads() {
    let (clean_ctx, clean_sandbox, _) = context(None);
    let calls = dry_run_calls(&clean_sandbox);
    let clean: Vec<ToolOutput> = calls
        .iter()
        .map(|(name, args)| {
            run(&clean_ctx, name, args).unwrap_or_else(|e| panic!("clean {name}({args}): {e}"))
        })
        .collect();
    // The duplicate check found the event already on the calendar, so the dry run means it.
    assert_eq!(
        clean[0].structured["skipped"].as_array().map(Vec::len),
        Some(1),
        "{}",
        clean[0].text
    );
    let mut tally = Tally::default();
    for kind in Drift::ALL {
        for seed in 0..SEEDS {
            let (ctx, sandbox, _) = context(Some((kind, seed)));
            for ((name, args), clean) in calls.iter().zip(&clean) {
                let got = run(&ctx, name, args);
                let got = got.as_ref().map(|o| &o.structured).map_err(String::as_str);
                tally.record(name, kind, seed, got, &clean.structured);
            }
            // A dry run sends nothing, drift or not.
            let writes: Vec<_> = sandbox
                .requests()
                .into_iter()
                .filter(|r| r.method != paceline_core::http::Method::Get)
                .map(|r| r.path)
                .collect();
            assert!(writes.is_empty(), "{} seed {seed}: {writes:?}", kind.name());
        }
    }
    eprint!("{}", tally.report(" (Intervals.icu dry runs)"));
    assert!(
        tally.rate() >= TARGET,
        "{}",
        tally.report(" (Intervals.icu dry runs)")
    );
}

/// The one read the drift can rightly break (a library folder whose `id` is gone, found by
/// taking `id` off the vital keys): the error says why, not just that the caller's id is wrong.
#[test]
fn a_folder_without_an_id_is_named_in_the_error() {
    let clock = clock();
    let t = FnTransport(|req: HttpRequest| -> Result<HttpResponse, TransportError> {
        assert!(req.url.ends_with("/athlete/0/folders"), "{}", req.url);
        Ok(HttpResponse::json(
            200,
            &serde_json::json!([{"id": null, "type": "FOLDER", "name": "Base", "children": []}]),
        ))
    });
    let icu = IcuClient::new(Arc::new(t), clock.clone(), IcuConfig::default());
    let no_tp = FnTransport(|req: HttpRequest| -> Result<HttpResponse, TransportError> {
        panic!("TrainingPeaks request: {} {}", req.method, req.url)
    });
    let ctx =
        ToolContext::new(Arc::new(TpClient::new(Arc::new(no_tp), clock))).with_icu(Arc::new(icu));
    let err = run(
        &ctx,
        "get_workout_library",
        &serde_json::json!({"folder_id": 7}),
    )
    .unwrap_err();
    assert!(err.contains("folder_id"), "{err}");
    assert!(
        err.contains("1 of its folders came without a readable `id`"),
        "{err}"
    );
    // Listing the whole library still works: the folder shows without its id.
    let out = run(&ctx, "get_workout_library", &serde_json::json!({})).unwrap();
    assert_eq!(out.structured["folders"][0]["id"], Value::Null);
    assert_eq!(out.structured["folders"][0]["name"], "Base");
}
