//! The drift test: every read tool against sandbox responses perturbed the way a live,
//! undocumented API drifts (issue 8 §1). Each tool runs under every [`Drift`] kind and many
//! seeds; it must succeed, and under the lossless kinds (numeric strings, integral floats,
//! unknown fields) its structured output must mean what the clean run's does. The survival
//! rate is printed (`cargo test -p paceline-core --features sandbox drift -- --nocapture`) and
//! must stay at or above [`TARGET`].

use std::sync::Arc;

use chrono::NaiveDate;
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::sandbox::drift::{Drift, DriftTransport, TARGET, Tally, read_calls};
use paceline_core::sandbox::{Sandbox, SandboxTransport};
use paceline_core::tools::{self, ToolContext, ToolOutput};
use paceline_core::trainingpeaks::TpClient;
use serde_json::Value;

/// Seeds per kind.
const SEEDS: u64 = 8;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn context(drift: Option<(Drift, u64)>) -> (ToolContext, Arc<Sandbox>) {
    let clock = Arc::new(ManualClock::at_date(today()));
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let browser: Arc<dyn paceline_core::http::Transport> =
        Arc::new(SandboxTransport::new(sandbox.clone()));
    let transport: Arc<dyn paceline_core::http::Transport> = match drift {
        Some((kind, seed)) => Arc::new(DriftTransport::new(browser, kind, seed)),
        None => browser,
    };
    let client = TpClient::new(transport, clock).with_rate_limit(None);
    (ToolContext::new(Arc::new(client)), sandbox)
}

fn run(ctx: &ToolContext, name: &str, args: &Value) -> Result<ToolOutput, String> {
    block_on(tools::call(ctx, name, args.clone())).map_err(|e| e.to_string())
}

#[test]
// The survival report is the point of this test: it is read by people and by the note.
#[allow(clippy::print_stderr)]
fn read_tools_survive_drift() {
    let (clean_ctx, clean_sandbox) = context(None);
    let calls = read_calls(&clean_sandbox);
    let clean: Vec<ToolOutput> = calls
        .iter()
        .map(|(name, args)| {
            run(&clean_ctx, name, args).unwrap_or_else(|e| panic!("clean {name}({args}): {e}"))
        })
        .collect();

    // The catalogue's every read tool that talks to TrainingPeaks is covered.
    for tool in tools::CATALOG {
        let a = tool.annotations();
        if a.read_only && tool.name() != "validate_workout_structure" {
            assert!(
                calls.iter().any(|(n, _)| *n == tool.name()),
                "the drift test does not cover {}",
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
    eprint!("{}", tally.report(""));
    let rate = tally.rate();
    let failures = tally.failures();
    assert!(
        rate >= TARGET,
        "drift survival {:.1} % is below the {:.0} % target ({} failures; first: {:?})",
        rate * 100.0,
        TARGET * 100.0,
        failures.len(),
        failures.first()
    );
}
