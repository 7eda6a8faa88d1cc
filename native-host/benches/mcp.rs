//! Performance figures for `paceline mcp --sandbox` (issue 3, "Performance"):
//!
//! - (a) process start → `initialize` answered: the release binary is spawned `STARTS` times and
//!   the time from `spawn()` to reading the `initialize` response line is measured (target
//!   < 30 ms median);
//! - (b) median latency of `get_workouts` over 365 days through MCP, client to client (target
//!   < 2 ms). Two figures: (b1) the server alone, with a hand-written request line and the response line
//!   read back unparsed (server work + pipe); (b2) through rmcp's client, which adds the
//!   client's decoding of the ~175 kB result (rmcp decodes messages through `untagged` enums,
//!   buffering the whole message first; that alone takes several ms for a result this size);
//! - (c) the server's resident memory (`VmRSS`) after 1 000 tool calls (target < 30 MB).
//!
//! Run: `cargo bench -p paceline-host --bench mcp` (builds the binary in the bench profile, which
//! inherits release). Prints the figures; exits non-zero only if the bench itself cannot run.
//! `PACELINE_BENCH_BIN=/path/to/paceline` measures another build (to compare before/after).
#![allow(clippy::print_stdout)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use serde_json::{Value, json};

const BUILT_BIN: &str = env!("CARGO_BIN_EXE_paceline");
const STARTS: usize = 50;
const LATENCY_CALLS: usize = 500;
const RSS_CALLS: usize = 1000;

/// The binary under test: this build's, unless `PACELINE_BENCH_BIN` names another.
fn bin() -> String {
    std::env::var("PACELINE_BENCH_BIN").unwrap_or_else(|_| BUILT_BIN.to_string())
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; a name filter as first free argument is ignored.
    println!("paceline mcp --sandbox benchmarks ({})", bin());
    startup()?;
    raw_latency()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(latency_and_rss())
}

/// (a) Spawn → `initialize` response, with a hand-written request so no client library time
/// is counted.
fn startup() -> anyhow::Result<()> {
    let init = initialize_request(1);
    let mut times = Vec::with_capacity(STARTS);
    for i in 0..=STARTS {
        let t0 = Instant::now();
        let (mut child, mut stdin, mut stdout) = spawn_sandbox_server()?;
        writeln!(stdin, "{init}")?;
        stdin.flush()?;
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        let elapsed = t0.elapsed();
        anyhow::ensure!(
            line.contains("\"serverInfo\""),
            "not an initialize result: {line}"
        );
        drop(stdin); // EOF: the server exits.
        child.wait()?;
        if i > 0 {
            // The first start warms the page cache; it is not what a person sees twice.
            times.push(elapsed);
        }
    }
    report(
        "(a) start → initialize answered",
        &mut times,
        Duration::from_millis(30),
    );
    Ok(())
}

/// `paceline mcp --sandbox` with piped stdin/stdout (stderr discarded).
fn spawn_sandbox_server() -> anyhow::Result<(
    std::process::Child,
    std::process::ChildStdin,
    BufReader<std::process::ChildStdout>,
)> {
    let mut child = Command::new(bin())
        .args(["mcp", "--sandbox"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdin = child
        .stdin
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdin"))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    Ok((child, stdin, BufReader::new(stdout)))
}

/// The MCP `initialize` request line, with JSON-RPC id `id`.
fn initialize_request(id: u64) -> String {
    json!({
        "jsonrpc": "2.0", "id": id, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "paceline-bench", "version": "0"}}
    })
    .to_string()
}

/// (b1) The server alone: `tools/call` request lines written by hand, response lines read back
/// without parsing (only checked for `"result"`), so the figure is the server's work plus the
/// pipe, with no client library's decoding in it.
fn raw_latency() -> anyhow::Result<()> {
    let (tool, args) = pick_tool();
    let (mut child, mut stdin, mut stdout) = spawn_sandbox_server()?;
    writeln!(stdin, "{}", initialize_request(0))?;
    let mut line = String::new();
    stdout.read_line(&mut line)?;
    writeln!(
        stdin,
        "{}",
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
    )?;
    let mut times = Vec::with_capacity(LATENCY_CALLS);
    let mut bytes = 0;
    for id in 1..=LATENCY_CALLS + 1 {
        let call = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
                          "params": {"name": tool, "arguments": args}})
        .to_string();
        line.clear();
        let t0 = Instant::now();
        writeln!(stdin, "{call}")?;
        stdin.flush()?;
        stdout.read_line(&mut line)?;
        let elapsed = t0.elapsed();
        anyhow::ensure!(
            line.contains("\"result\"") && !line.contains("\"isError\":true"),
            "{tool} failed: {}",
            line.get(..300).unwrap_or(&line)
        );
        bytes = line.len();
        if id > 1 {
            // The first call waits for the sandbox to finish seeding.
            times.push(elapsed);
        }
    }
    drop(stdin);
    child.wait()?;
    report(
        &format!("(b1) {tool} over 365 days, server + pipe ({bytes} bytes a response)"),
        &mut times,
        Duration::from_millis(2),
    );
    Ok(())
}

/// The tool for (b) and (c), and its arguments: `get_workouts` over the last 365 days.
fn pick_tool() -> (&'static str, Value) {
    let today = paceline_core::clock::Clock::today(&paceline_host::clock::SystemClock);
    let year_ago = today - chrono::Duration::days(364);
    (
        "get_workouts",
        json!({"start_date": year_ago.to_string(), "end_date": today.to_string()}),
    )
}

/// (b) and (c) over one long-lived server, driven by rmcp's client.
async fn latency_and_rss() -> anyhow::Result<()> {
    let (tool, args) = pick_tool();
    let cmd = tokio::process::Command::new(bin()).configure(|c| {
        c.args(["mcp", "--sandbox"]);
    });
    let (transport, _) = TokioChildProcess::builder(cmd)
        .stderr(Stdio::null())
        .spawn()?;
    let pid = transport
        .id()
        .ok_or_else(|| anyhow::anyhow!("no child pid"))?;
    let client = ().serve(transport).await?;
    let params = match &args {
        Value::Object(map) => CallToolRequestParams::new(tool).with_arguments(map.clone()),
        _ => CallToolRequestParams::new(tool),
    };
    let first = client.call_tool(params.clone()).await?;
    anyhow::ensure!(
        first.is_error != Some(true),
        "{tool} failed: {:?}",
        first.content
    );
    let rss_before = vm_rss_kib(pid)?;

    let mut times = Vec::with_capacity(LATENCY_CALLS);
    for _ in 0..LATENCY_CALLS {
        let t0 = Instant::now();
        let r = client.call_tool(params.clone()).await?;
        times.push(t0.elapsed());
        anyhow::ensure!(r.is_error != Some(true), "{tool} failed");
    }
    let label = format!("(b2) {tool} over 365 days, per call, through rmcp's client");
    println!("    tool arguments: {args}");
    report(&label, &mut times, Duration::from_millis(2));

    for _ in LATENCY_CALLS + 1..RSS_CALLS {
        client.call_tool(params.clone()).await?;
    }
    let rss = vm_rss_kib(pid)?;
    let verdict = if rss < 30 * 1024 { "ok" } else { "OVER TARGET" };
    println!(
        "(c) server VmRSS after {RSS_CALLS} calls of {tool}: {:.1} MiB (after the first call: {:.1} MiB; target < 30 MB) {verdict}",
        rss as f64 / 1024.0,
        rss_before as f64 / 1024.0
    );
    client.cancel().await?;
    Ok(())
}

fn vm_rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmRSS in /proc/{pid}/status"))
}

fn report(label: &str, times: &mut [Duration], target: Duration) {
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    let median = at(0.5);
    let verdict = if median < target { "ok" } else { "OVER TARGET" };
    println!(
        "{label}: median {:.3} ms (min {:.3}, p90 {:.3}, max {:.3}; n={}; target < {} ms) {verdict}",
        ms(median),
        ms(at(0.0)),
        ms(at(0.9)),
        ms(at(1.0)),
        times.len(),
        target.as_millis()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
