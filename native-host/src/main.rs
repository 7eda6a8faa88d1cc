//! `paceline`: the MCP server, the browser's native-messaging bridge, and a command line for
//! the workout-structure compiler. Logs go to stderr only: stdout belongs to MCP and to native
//! messaging.
#![deny(clippy::print_stdout)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod direct;
mod structure;

/// Paceline: your TrainingPeaks calendar, for AI assistants, through your own browser session.
#[derive(Debug, Parser)]
#[command(name = "paceline", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile, measure and summarise workout structures (reads JSON on stdin).
    #[command(subcommand)]
    Structure(structure::StructureCommand),
}

fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Structure(cmd) => structure::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to stderr only, filtered by `PACELINE_LOG` (default `warn`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PACELINE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
