//! `paceline call TOOL --args JSON`: runs one tool from a shell.
//!
//! Exit codes: 0 success; 1 the tool ran and failed (message on stderr), or the backend could
//! not be set up; 2 the call itself was wrong (unknown tool, `--args` not JSON, or an argument
//! that fails validation; the message names the field). Arguments are validated before the
//! backend is built, so a typo is reported even with no backend available.

use std::process::ExitCode;

use clap::Args;
use paceline_core::tools::ToolError;
use serde_json::Value;

use crate::backend::{BackendArgs, PlatformArgs, Route};
use crate::output;

/// Exit code for a call that was rejected before running (unknown tool, bad arguments).
pub const EXIT_INVALID: u8 = 2;
/// Exit code for a tool that ran and failed.
pub const EXIT_FAILED: u8 = 1;

/// Arguments of `paceline call`.
#[derive(Debug, Clone, Args)]
pub struct CallArgs {
    /// The tool name (see `paceline tools`).
    pub tool: String,
    /// The tool's arguments as a JSON object, e.g. '{"start_date":"2026-11-01","end_date":"2026-11-21"}'.
    #[arg(long, default_value = "{}")]
    pub args: String,
    /// Print the structured result as JSON instead of the text.
    #[arg(long)]
    pub json: bool,
    /// Which backend runs the tool.
    #[command(flatten)]
    pub backend: BackendArgs,
    /// Which catalogue the tool name is looked up in.
    #[command(flatten)]
    pub platform: PlatformArgs,
}

/// Runs `paceline call`.
pub fn run(a: CallArgs) -> anyhow::Result<ExitCode> {
    let args: Value = match serde_json::from_str(&a.args) {
        Ok(v @ (Value::Object(_) | Value::Null)) => v,
        Ok(_) => {
            return Ok(invalid(
                "--args: must be a JSON object, e.g. '{\"workout_id\": 123}'",
            ));
        }
        Err(e) => return Ok(invalid(&format!("--args: not valid JSON ({e})"))),
    };
    let platform = match a.platform.platform() {
        Ok(p) => p,
        Err(e) => return Ok(invalid(&format!("{e:#}"))),
    };
    let Some(listed) = platform.find(&a.tool) else {
        let hint = match crate::mcp::published_elsewhere(&a.tool) {
            Some(p) => format!(" (it is in `--platform {p}`)"),
            None => String::new(),
        };
        return Ok(invalid(&format!(
            "unknown tool `{}`{hint}; run `paceline tools --platform {platform}` for the list",
            a.tool
        )));
    };
    let tool = listed.tool();
    let call = match tool.prepare(args) {
        Ok(call) => call,
        Err(e) => return Ok(failure(&e)),
    };
    let runner = match a.backend.runner_or_report(platform) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let options = crate::backend::call_options(tool.name(), None);
    match rt.block_on(runner.run(Route::of(listed), call, options)) {
        Ok(out) => {
            let text = if a.json {
                serde_json::to_string_pretty(&out.structured)?
            } else {
                out.text
            };
            output::finish(output::stdout_line(&text), ExitCode::SUCCESS)
        }
        Err(e) => Ok(failure(&e)),
    }
}

fn invalid(message: &str) -> ExitCode {
    output::stderr_line(message);
    ExitCode::from(EXIT_INVALID)
}

fn failure(e: &ToolError) -> ExitCode {
    if e.is_invalid_params() {
        invalid(&format!("invalid argument {e}"))
    } else {
        output::stderr_line(&e.to_string());
        ExitCode::from(EXIT_FAILED)
    }
}
