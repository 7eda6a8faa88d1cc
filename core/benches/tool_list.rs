//! What the tool list costs a model, per platform and toolset, against the issue-12 target. Run
//! with `cargo bench -p paceline-core --bench tool_list` (also part of `cargo xtask bench`).
//!
//! The figure is the compact JSON of what a client puts in front of the model for each listed
//! tool: name, title, description and input schema (output schemas and annotations are sent too
//! but are not part of the prompt). Target: the default `tools/list` no larger than the reference
//! TrainingPeaks server's whole list, 37 KB. Tokens are estimated as bytes / 4.
#![allow(clippy::print_stdout, missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic is the failure report

use paceline_core::tools::platform::{Platform, describe};
use paceline_core::tools::toolsets::{Toolset, Toolsets};
use serde_json::json;

const TARGET_BYTES: usize = 37 * 1024;

fn main() {
    println!(
        "tools/list as the model sees it (name, title, description, input schema; compact JSON)"
    );
    for platform in Platform::EACH {
        for set in Toolset::EACH {
            let sets = Toolsets::parse(set.as_str()).unwrap();
            let tools = sets.select(platform);
            if tools.is_empty() {
                continue;
            }
            let bytes: usize = tools
                .iter()
                .map(|l| {
                    let d = describe(l);
                    let seen = json!({"name": d["name"], "title": d["title"],
                        "description": d["description"], "inputSchema": d["inputSchema"]});
                    serde_json::to_vec(&seen).unwrap().len()
                })
                .sum();
            let target = if set == Toolset::Default {
                format!(
                    "  target ≤ {TARGET_BYTES} B: {}",
                    if bytes <= TARGET_BYTES { "ok" } else { "OVER" }
                )
            } else {
                String::new()
            };
            println!(
                "  --platform {:<13} --toolsets {:<9} {:>3} tools {:>7} B  ~{:>6} tokens{target}",
                platform.as_str(),
                set.as_str(),
                tools.len(),
                bytes,
                bytes / 4
            );
        }
    }
}
