//! The Intervals.icu drift test (issue 9, "a drift test as in the trust issue"): every read
//! tool of `tools::intervals::CATALOG` against `IcuSandbox` responses perturbed the way a
//! live API drifts (ids as numbers or strings, integral floats, numeric strings, nulls,
//! missing fields, unknown fields and enum values), under every [`Drift`] kind and 8 seeds.
//! Each call must succeed, and under the lossless kinds its structured output must mean what
//! the clean run's does. The survival rate is printed beside [`TARGET`]
//! (`cargo test -p paceline-core --features sandbox --test it icu_drift -- --nocapture`).

use std::sync::Arc;

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Transport, TransportError};
use paceline_core::intervals::{IcuClient, IcuConfig};
use paceline_core::sandbox::drift::intervals::{INTERVALS, read_calls};
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

fn context(drift: Option<(Drift, u64)>) -> (ToolContext, Arc<IcuSandbox>) {
    let clock = clock();
    let sandbox = Arc::new(IcuSandbox::new(clock.clone()));
    let clean: Arc<dyn Transport> = Arc::new(IcuSandboxTransport::new(sandbox.clone()));
    let transport: Arc<dyn Transport> = match drift {
        Some((kind, seed)) => {
            Arc::new(DriftTransport::new(clean, kind, seed).with_profile(INTERVALS))
        }
        None => clean,
    };
    let icu = IcuClient::new(transport, clock.clone(), IcuConfig::default());
    // Intervals.icu tools must not touch TrainingPeaks.
    let no_tp = FnTransport(|req: HttpRequest| -> Result<HttpResponse, TransportError> {
        panic!("TrainingPeaks request: {} {}", req.method, req.url)
    });
    let tp = Arc::new(TpClient::new(Arc::new(no_tp), clock));
    (ToolContext::new(tp).with_icu(Arc::new(icu)), sandbox)
}

fn run(ctx: &ToolContext, name: &str, args: &Value) -> Result<ToolOutput, String> {
    let tool = find(name).ok_or_else(|| format!("{name} is not in the catalogue"))?;
    block_on(tool.call(ctx, args.clone())).map_err(|e| e.to_string())
}

#[test]
// The survival report is the point of this test: it is read by people and by the note.
#[allow(clippy::print_stderr)]
fn icu_read_tools_survive_drift() {
    let (clean_ctx, clean_sandbox) = context(None);
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
        for seed in 0..SEEDS {
            let (ctx, _) = context(Some((kind, seed)));
            for ((name, args), clean) in calls.iter().zip(&clean) {
                let got = run(&ctx, name, args);
                let got = got.as_ref().map(|o| &o.structured).map_err(String::as_str);
                tally.record(name, kind, seed, got, &clean.structured);
            }
        }
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
