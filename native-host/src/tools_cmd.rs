//! `paceline tools [--json]`: the tool catalogue from a shell.

use std::process::ExitCode;

use clap::Args;
use paceline_core::tools::toolsets::Toolsets;
use paceline_core::tools::{Annotations, Platform};

use crate::backend::PlatformArgs;

use crate::output;

/// Arguments of `paceline tools`.
#[derive(Debug, Clone, Args)]
pub struct ToolsArgs {
    /// Print the MCP `tools/list` JSON (names, schemas, annotations) instead of one line per tool.
    #[arg(long)]
    pub json: bool,
    /// Which catalogue to list.
    #[command(flatten)]
    pub platform: PlatformArgs,
}

/// Runs `paceline tools`.
pub fn run(args: ToolsArgs) -> anyhow::Result<ExitCode> {
    let platform = args.platform.platform()?;
    let toolsets = args.platform.toolsets()?;
    let text = if args.json {
        crate::mcp::catalog_json(platform, &toolsets)?
    } else {
        listing(platform, &toolsets)
    };
    output::finish(output::stdout_line(&text), ExitCode::SUCCESS)
}

/// One line per tool: `name — title — flags`, under the platform's public names.
fn listing(platform: Platform, toolsets: &Toolsets) -> String {
    let tools = toolsets.select(platform);
    if tools.is_empty() {
        return format!(
            "(no tools: --platform {platform} has none in --toolsets {})",
            toolsets.to_flag()
        );
    }
    let lines: Vec<String> = tools
        .iter()
        .map(|t| {
            let a = t.tool().annotations();
            format!("{} — {} — {}", t.name(), a.title, flags(a))
        })
        .collect();
    lines.join("\n")
}

/// The safety flags a person cares about before letting an assistant call a tool.
fn flags(a: Annotations) -> String {
    if a.read_only {
        return "read-only".to_string();
    }
    let mut f = vec!["writes"];
    if a.destructive {
        f.push("destructive");
    }
    if a.idempotent {
        f.push("idempotent");
    }
    f.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_labels() {
        let cases = [
            ("read", Annotations::read("t"), "read-only"),
            ("create", Annotations::create("t"), "writes"),
            (
                "update",
                Annotations::update("t"),
                "writes, destructive, idempotent",
            ),
        ];
        for (name, a, want) in cases {
            assert_eq!(flags(a), want, "{name}");
        }
    }
}
