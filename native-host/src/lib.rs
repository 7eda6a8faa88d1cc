//! `paceline`: the MCP server, the browser's native-messaging bridge, and a command line for
//! the workout-structure compiler. Logs go to stderr only: stdout belongs to MCP and to native
//! messaging.
//!
//! The binary (`src/main.rs`) only reads its arguments and calls [`init`], then [`run_bridge`]
//! or [`run`]. Everything else lives in this library so that the end-to-end suite (`tests/`) can
//! use the host's own transport ([`direct`]) and clock ([`clock`]) instead of compiling its
//! source files in.
#![deny(clippy::print_stdout)]

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod activity_cache;
mod analyze;
mod backend;
mod bridge;
mod call;
pub mod clock;
pub mod direct;
mod doctor;
mod framing;
pub mod icu_direct;
mod install;
mod ipc;
mod mcp;
mod output;
mod panic_hook;
mod protocol;
pub mod raster;
mod relay;
mod rendezvous;
mod safety;
mod serve;
mod stdio_guard;
mod structure;
mod timeout_env;
mod tools_cmd;

/// Paceline: your TrainingPeaks calendar, for AI assistants, through your own browser session.
#[derive(Debug, Parser)]
#[command(name = "paceline", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compile, measure and summarise workout structures (reads JSON on stdin).
    #[command(subcommand)]
    Structure(structure::StructureCommand),
    /// Serve MCP on stdin/stdout (for Claude Desktop, Cursor, the MCP Inspector…).
    Mcp {
        /// Which backend runs the tools.
        #[command(flatten)]
        backend: backend::BackendArgs,
        /// What happens to tools that change TrainingPeaks.
        #[command(flatten)]
        safety: safety::SafetyArgs,
        /// Which tools to publish.
        #[command(flatten)]
        platform: backend::PlatformArgs,
    },
    /// Serve MCP over streamable HTTP (ChatGPT through a tunnel, Claude Code, the Inspector…).
    Serve(serve::ServeArgs),
    /// List the tools.
    Tools(tools_cmd::ToolsArgs),
    /// Run one tool and print its result.
    Call(call::CallArgs),
    /// Register Paceline with your browsers (native messaging) and, optionally, Claude Desktop.
    Install(install::InstallArgs),
    /// Undo `paceline install`.
    Uninstall(install::UninstallArgs),
    /// Check each step of the set-up and say how to fix what is wrong.
    Doctor,
    /// Analyse an activity (NP, TSS, mean-max, W′bal, zones…) or fit CP; JSON in, JSON out.
    #[command(subcommand)]
    Analyze(analyze::AnalyzeCommand),
}

/// Process-wide set-up, before anything can fail: the panic hook (a panic is reported on stderr
/// without a backtrace dump into an MCP client's log) and logging to stderr.
pub fn init() {
    panic_hook::install();
    init_logging();
}

/// The extension origin when the browser started us as its native-messaging host (Chrome passes
/// the extension's origin, Firefox a manifest path and an add-on id): that is the bridge role,
/// not a subcommand, so it is recognised before the command line is parsed.
pub fn bridge_origin(args: &[OsString]) -> Option<String> {
    bridge::origin_from_args(args)
}

/// Runs one subcommand; errors are logged and turn into a failure exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Structure(cmd) => structure::run(cmd),
        Command::Mcp {
            backend,
            safety,
            platform,
        } => mcp::run(backend, safety, platform.platform(), platform.toolsets()),
        Command::Serve(args) => serve::run(args),
        Command::Tools(args) => return plain("tools", tools_cmd::run(args)),
        Command::Call(args) => call::run(args),
        // Commands a person types: a failure is one plain sentence, not a log line.
        Command::Install(args) => {
            return plain(
                "install",
                install::install(&args).map(|()| ExitCode::SUCCESS),
            );
        }
        Command::Uninstall(args) => {
            return plain(
                "uninstall",
                install::uninstall(&args).map(|()| ExitCode::SUCCESS),
            );
        }
        Command::Doctor => return plain("doctor", doctor()),
        Command::Analyze(cmd) => analyze::run(cmd),
    };
    exit(result)
}

/// Runs the native-messaging bridge for the extension at `origin` until the browser hangs up.
pub fn run_bridge(origin: String) -> ExitCode {
    exit(bridge(origin))
}

fn bridge(origin: String) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(bridge::run(origin))?;
    Ok(ExitCode::SUCCESS)
}

fn doctor() -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let ok = rt.block_on(doctor::run())?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn exit(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Ends a command a person typed: an error is printed as `paceline <command>: <what>` on stderr
/// (no timestamp or level), since nobody reads these through a log.
fn plain(command: &str, result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            output::stderr_line(&format!("paceline {command}: {e:#}"));
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
        // Colour only for a person at a terminal: MCP clients capture stderr into log files.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
}
