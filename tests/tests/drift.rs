//! The drift test replayed end to end: `paceline mcp --direct` (rmcp's client over stdio, the
//! production binary, the native HTTPS transport) against the HTTPS fake whose answers drift
//! with the same perturbations as core's drift test (`paceline_core::sandbox::drift`). Every
//! read tool, every drift kind, several seeds; a fresh `paceline mcp` per kind and seed, so the
//! signed-in user's record drifts too. The survival rate is printed and must reach the target.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

#[allow(dead_code)]
#[path = "support/https.rs"]
mod support;

use paceline_core::sandbox::SAMPLE_COOKIE;
use paceline_core::sandbox::drift::{Drift, TARGET, Tally, read_calls};
use paceline_e2e::FakeTp;
use paceline_e2e::mcp_client::McpClient;
use serde_json::Value;

/// Seeds per kind (core runs 8 in process; each seed here is a process start).
const SEEDS: u64 = 2;

const TP: &str = "tpapi.trainingpeaks.com";
const PW: &str = "api.peakswaresb.com";

fn env_for(fake: &FakeTp) -> Vec<(String, String)> {
    vec![
        ("TP_AUTH_COOKIE".into(), SAMPLE_COOKIE.into()),
        ("PACELINE_TP_API_BASE".into(), fake.url_for(TP)),
        ("PACELINE_PEAKSWARE_API_BASE".into(), fake.url_for(PW)),
        (
            "PACELINE_EXTRA_CA_PEM".into(),
            support::ca_file(fake).display().to_string(),
        ),
        (
            "PACELINE_RESOLVE".into(),
            format!("{TP}=127.0.0.1,{PW}=127.0.0.1"),
        ),
    ]
}

async fn run_all(
    fake: &FakeTp,
    calls: &[(&'static str, Value)],
    log: &std::path::Path,
) -> Vec<Result<Value, String>> {
    let bin = paceline_e2e::browser::paceline_binary().unwrap_or_else(|e| panic!("{e}"));
    let client = McpClient::start(&bin, &["--direct"], env_for(fake), log)
        .await
        .unwrap_or_else(|e| panic!("starting paceline mcp --direct: {e}"));
    let mut out = Vec::with_capacity(calls.len());
    for (name, args) in calls {
        out.push(match client.call(name, args.clone()).await {
            Ok(o) if !o.is_error => Ok(o.structured.unwrap_or(Value::Null)),
            Ok(o) => Err(o.text),
            Err(e) => Err(format!("JSON-RPC {}: {}", e.code, e.message)),
        });
    }
    client.stop().await;
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
// The survival report is the point of this test.
#[allow(clippy::print_stderr)]
async fn read_tools_survive_drift_through_paceline_mcp_direct() {
    let fake = FakeTp::start();
    let dir = support::scratch_dir("drift");
    let log = dir.join("mcp.log");
    let calls = read_calls(&fake.sandbox());

    let clean: Vec<Value> = run_all(&fake, &calls, &log)
        .await
        .into_iter()
        .zip(&calls)
        .map(|(r, (name, args))| r.unwrap_or_else(|e| panic!("clean {name}({args}): {e}")))
        .collect();

    let mut tally = Tally::default();
    for kind in Drift::ALL {
        for seed in 0..SEEDS {
            fake.set_drift(Some((kind, seed)));
            let results = run_all(&fake, &calls, &log).await;
            fake.set_drift(None);
            for ((got, (name, _)), clean) in results.iter().zip(&calls).zip(&clean) {
                let got = got.as_ref().map_err(String::as_str);
                tally.record(name, kind, seed, got, clean);
            }
        }
    }
    eprint!("{}", tally.report(" through paceline mcp --direct"));
    let failures = tally.failures();
    assert!(
        tally.rate() >= TARGET,
        "drift survival {:.1} % is below the target ({} failures; first: {:?})",
        tally.rate() * 100.0,
        failures.len(),
        failures.first()
    );
}
