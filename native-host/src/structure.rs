//! `paceline structure compile|metrics|summary`: the workout-structure compiler from a shell.
//!
//! Each subcommand reads one structure, in any accepted format (friendly, wire blocks, or a
//! full wire structure), as raw JSON text on stdin. Output goes to stdout; an invalid structure
//! exits with status 2 and prints the error, with its field path, on stderr.

use std::io::{Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use paceline_core::structure::{self, Structure};

/// Structure subcommands.
#[derive(Debug, Subcommand)]
pub enum StructureCommand {
    /// Print the TrainingPeaks wire structure as JSON.
    Compile {
        /// Pretty-print the JSON.
        #[arg(long)]
        pretty: bool,
    },
    /// Print the planned metrics as JSON: {"totalSeconds", "ifPlanned", "tssPlanned", "energyPlanned"}.
    Metrics {
        /// Functional threshold power in watts; enables `energyPlanned` (kJ).
        #[arg(long, value_name = "WATTS")]
        ftp: Option<f64>,
    },
    /// Print a readable one-line summary.
    Summary,
}

/// Exit status for input the compiler rejected (distinct from 1, an operational failure).
const EXIT_INVALID: u8 = 2;

/// Runs a structure subcommand.
pub fn run(cmd: StructureCommand) -> anyhow::Result<ExitCode> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading the structure from stdin")?;
    let compiled = match structure::compile(&input) {
        Ok(s) => s,
        Err(e) => {
            tracing::debug!(path = %e.path, "structure rejected");
            let mut err = std::io::stderr().lock();
            // If stderr is gone there is nobody to tell; the exit status still says it failed.
            let _ = writeln!(err, "error: invalid structure: {e}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
    };
    let out = render(&cmd, &compiled)?;
    crate::output::finish(crate::output::stdout_line(&out), ExitCode::SUCCESS)
}

fn render(cmd: &StructureCommand, s: &Structure) -> anyhow::Result<String> {
    Ok(match cmd {
        StructureCommand::Compile { pretty: false } => s.to_json(),
        StructureCommand::Compile { pretty: true } => serde_json::to_string_pretty(&s.to_value())?,
        StructureCommand::Metrics { ftp } => {
            if let Some(f) = ftp {
                anyhow::ensure!(
                    f.is_finite() && *f > 0.0 && *f <= 2000.0,
                    "--ftp must be between 1 and 2000 watts, got {f}"
                );
            }
            serde_json::to_string(&structure::metrics(s, *ftp))?
        }
        StructureCommand::Summary => structure::summary(s),
    })
}
