//! `fake-tp`: the HTTPS fake TrainingPeaks, standalone, for the browser e2e suite and demos.
//!
//! Prints one JSON line on stdout once it is listening:
//! `{"port":…, "ca_pem_path":…, "base_url":…, "host_resolver_rules":…, "hosts":[…], "log_path":…}`
//! and runs until stdin closes (unless `--ignore-stdin`), or SIGTERM / SIGINT.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use paceline_e2e::{FAKE_HOSTS, FakeTp};

/// A fake TrainingPeaks (the Paceline sandbox) over real HTTPS on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "fake-tp")]
struct Args {
    /// Port to listen on (0 = a free one; Firefox tests need 443).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Directory to write the test CA to (`paceline-test-ca.pem`); default: a fresh directory
    /// under the system temp dir.
    #[arg(long)]
    ca_dir: Option<PathBuf>,
    /// Append every request (with headers) as one JSON line to this file.
    #[arg(long)]
    log: Option<PathBuf>,
    /// Keep running when stdin closes (stop with SIGTERM/SIGINT only).
    #[arg(long)]
    ignore_stdin: bool,
}

fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PACELINE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let mut builder = FakeTp::builder().port(args.port);
    if let Some(log) = &args.log {
        builder = builder.log_file(log);
    }
    let fake = builder
        .start()
        .with_context(|| format!("cannot start the fake on 127.0.0.1:{}", args.port))?;
    let ca_dir = match args.ca_dir {
        Some(d) => d,
        None => std::env::temp_dir().join(format!("paceline-fake-tp-{}", std::process::id())),
    };
    std::fs::create_dir_all(&ca_dir)
        .with_context(|| format!("cannot create {}", ca_dir.display()))?;
    let ca_pem_path = fake
        .write_ca_pem(&ca_dir)
        .with_context(|| format!("cannot write the CA to {}", ca_dir.display()))?;
    let info = serde_json::json!({
        "port": fake.port(),
        "ca_pem_path": ca_pem_path,
        "base_url": fake.base_url(),
        "host_resolver_rules": fake.host_resolver_rules(),
        "hosts": FAKE_HOSTS,
        "log_path": args.log,
    });
    let mut out = std::io::stdout().lock();
    writeln!(out, "{info}").context("cannot write to stdout")?;
    out.flush().context("cannot write to stdout")?;
    drop(out);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(wait_for_stop(args.ignore_stdin))?;
    drop(fake);
    Ok(())
}

async fn wait_for_stop(ignore_stdin: bool) -> anyhow::Result<()> {
    use tokio::io::AsyncReadExt;
    use tokio::signal::unix::{SignalKind, signal};

    let mut term = signal(SignalKind::terminate()).context("cannot watch SIGTERM")?;
    let stdin_closed = async {
        if ignore_stdin {
            return std::future::pending::<()>().await;
        }
        let mut stdin = tokio::io::stdin();
        let mut buf = [0u8; 1024];
        // Anything written is ignored; EOF or an error means the parent is gone.
        while let Ok(n) = stdin.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    };
    tokio::select! {
        _ = stdin_closed => {}
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}
