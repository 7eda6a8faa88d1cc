//! `paceline structure compile|metrics|summary`: the structure compiler from a shell.

use std::process::ExitCode;

use clap::Subcommand;

/// Structure subcommands. Each reads one structure (any accepted format) on stdin.
#[derive(Debug, Subcommand)]
pub enum StructureCommand {
    /// Print the TrainingPeaks wire structure as JSON.
    Compile,
}

/// Runs a structure subcommand.
pub fn run(cmd: StructureCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        StructureCommand::Compile => anyhow::bail!("not implemented yet"),
    }
}
