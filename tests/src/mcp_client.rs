//! An MCP client over a `paceline mcp` child process (rmcp's client, as Claude Desktop or the
//! MCP Inspector would run it), with the call results flattened for assertions.

use std::path::Path;
use std::process::Stdio;

use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ServiceError, ServiceExt};
use serde_json::Value;

use crate::browser::{HarnessError, Result, io_err};

/// A running `paceline mcp` and the client session with it. The child is killed on drop.
pub struct McpClient {
    service: RunningService<RoleClient, ()>,
}

impl std::fmt::Debug for McpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("McpClient").finish_non_exhaustive()
    }
}

/// What one `tools/call` returned.
#[derive(Debug, Clone)]
pub struct ToolOutcome {
    /// `isError`: the tool ran and failed (e.g. "not logged in").
    pub is_error: bool,
    /// The text content, joined.
    pub text: String,
    /// `structuredContent`, if any.
    pub structured: Option<Value>,
    /// Image contents as (MIME type, base64 data); only `render_chart` returns any.
    pub images: Vec<(String, String)>,
    /// The result's `_meta`, if any.
    pub meta: Option<Value>,
}

/// A `tools/call` refused at the protocol level (JSON-RPC error, e.g. invalid params).
#[derive(Debug, Clone)]
pub struct RpcError {
    /// The JSON-RPC error code.
    pub code: i32,
    /// Its message.
    pub message: String,
}

impl McpClient {
    /// Starts `paceline mcp <args>` with `env` added, its stderr appended to `log`, and
    /// completes the MCP `initialize` handshake.
    pub async fn start(
        paceline: &Path,
        args: &[&str],
        env: Vec<(String, String)>,
        log: &Path,
    ) -> Result<Self> {
        let stderr = std::fs::File::options()
            .create(true)
            .append(true)
            .open(log)
            .map_err(io_err(format!("opening {}", log.display())))?;
        let cmd = tokio::process::Command::new(paceline).configure(|c| {
            c.arg("mcp").args(args).envs(env);
        });
        let (transport, _) = TokioChildProcess::builder(cmd)
            .stderr(Stdio::from(stderr))
            .spawn()
            .map_err(io_err("starting paceline mcp"))?;
        let service = ()
            .serve(transport)
            .await
            .map_err(|e| HarnessError::Protocol(format!("MCP initialize: {e}")))?;
        Ok(Self { service })
    }

    /// Calls a tool. `Err` is a protocol-level refusal; a tool that ran and failed is
    /// `Ok` with `is_error`.
    pub async fn call(
        &self,
        tool: &str,
        args: Value,
    ) -> std::result::Result<ToolOutcome, RpcError> {
        let mut params = CallToolRequestParams::new(tool.to_string());
        if let Value::Object(map) = args {
            params = params.with_arguments(map);
        }
        match self.service.call_tool(params).await {
            Ok(r) => Ok(outcome(r)),
            Err(ServiceError::McpError(e)) => Err(RpcError {
                code: e.code.0,
                message: e.message.to_string(),
            }),
            Err(e) => Err(RpcError {
                code: 0,
                message: e.to_string(),
            }),
        }
    }

    /// The tool names `tools/list` gives.
    pub async fn tool_names(&self) -> Result<Vec<String>> {
        let tools = self
            .service
            .list_all_tools()
            .await
            .map_err(|e| HarnessError::Protocol(format!("tools/list: {e}")))?;
        Ok(tools.into_iter().map(|t| t.name.to_string()).collect())
    }

    /// Ends the session and waits for the child to exit.
    pub async fn stop(self) {
        let _ = self.service.cancel().await;
    }
}

fn outcome(r: CallToolResult) -> ToolOutcome {
    ToolOutcome {
        is_error: r.is_error.unwrap_or(false),
        text: r
            .content
            .iter()
            .filter_map(|c| c.as_text().map(|t| t.text.clone()))
            .collect::<Vec<_>>()
            .join("\n"),
        images: r
            .content
            .iter()
            .filter_map(|c| match c {
                rmcp::model::ContentBlock::Image(i) => Some((i.mime_type.clone(), i.data.clone())),
                _ => None,
            })
            .collect(),
        meta: r.meta.map(|m| Value::Object(m.0)),
        structured: r.structured_content,
    }
}
