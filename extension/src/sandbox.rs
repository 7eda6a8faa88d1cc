//! The tool catalogue against the in-memory TrainingPeaks emulator, in the page (feature
//! `sandbox`): the playground's "try the tools" pane. A separate module from the builder's
//! (`www/pkg-tools/`, loaded only when the pane opens), so the builder stays small. The
//! emulator is seeded once per page with the sample athlete on the browser's clock; nothing
//! leaves the page.

use std::cell::OnceCell;
use std::sync::Arc;

use paceline_core::sandbox::{Sandbox, SandboxTransport};
use paceline_core::tools::ToolContext;
use paceline_core::tools::platform;
use paceline_core::trainingpeaks::TpClient;
use wasm_bindgen::prelude::*;

use crate::browser::JsClock;
use crate::js_error;

thread_local! {
    static CONTEXT: OnceCell<ToolContext> = const { OnceCell::new() };
}

// The wasm module is single-threaded: core's `Arc`s need no `Send`/`Sync` here.
#[allow(clippy::arc_with_non_send_sync)]
fn context() -> ToolContext {
    CONTEXT.with(|c| {
        c.get_or_init(|| {
            let clock = Arc::new(JsClock);
            let sandbox = Arc::new(Sandbox::new(clock.clone()));
            // No request budget: the emulator is not TrainingPeaks' shared server.
            ToolContext::new(Arc::new(
                TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock)
                    .with_rate_limit(None),
            ))
        })
        .clone()
    })
}

/// Runs a TrainingPeaks tool (canonical name, arguments as JSON text) against the page's
/// emulator and returns `{text, structured}` as JSON text; errors are JS `Error`s with a `code`.
#[wasm_bindgen(js_name = sandboxCallTool)]
pub async fn sandbox_call_tool(name: String, args: String) -> Result<String, JsValue> {
    let args: serde_json::Value = serde_json::from_str(&args).map_err(|e| {
        js_error(
            "invalid_params",
            &format!("arguments: not valid JSON: {e}"),
            Some("arguments"),
        )
    })?;
    let out = platform::call_canonical(&context(), &name, args)
        .await
        .map_err(|e| {
            let code = if e.is_invalid_params() {
                "invalid_params"
            } else {
                "tool_failed"
            };
            js_error(code, &e.to_string(), None)
        })?;
    Ok(serde_json::json!({"text": out.text, "structured": out.structured}).to_string())
}
