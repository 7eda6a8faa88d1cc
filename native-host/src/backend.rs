//! Where tool calls go: the browser extension (the default, through the relay socket), the
//! in-process sandbox, or TrainingPeaks directly.

use std::process::ExitCode;
use std::sync::Arc;

use crate::clock::SystemClock;
use crate::protocol::{ErrorBody, ErrorCode};
use crate::relay::Relay;
use clap::Args;
use paceline_core::clock::Clock;
use paceline_core::sandbox::{Sandbox, SandboxTransport};
use paceline_core::tools::{CheckedCall, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::{CallOptions, DEFAULT_CALL_DEADLINE, RateWait, TpClient};

/// The backend flags shared by `paceline mcp` and `paceline call`.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct BackendArgs {
    /// Use the built-in sandbox: a sample athlete in memory, no account needed.
    #[arg(long, conflicts_with = "direct")]
    pub sandbox: bool,
    /// Call TrainingPeaks directly with the session cookie in `TP_AUTH_COOKIE`.
    #[arg(long)]
    pub direct: bool,
}

/// The chosen backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// In-process sandbox.
    Sandbox,
    /// Native HTTPS to TrainingPeaks.
    Direct,
    /// The browser extension, through a bridge the browser started (the default).
    Browser,
}

/// Runs tools: in this process, or relayed to the extension in the browser.
#[derive(Debug, Clone)]
pub enum Runner {
    /// In this process (sandbox, direct); the context may still be being built.
    Local(LazyContext),
    /// In the browser extension, through the relay socket.
    Browser(Relay),
}

impl Runner {
    /// Runs a call whose arguments were checked
    /// ([`Tool::prepare`](paceline_core::tools::Tool::prepare)); they are not checked
    /// again. Callers prepare the call as soon as it arrives, so a bad argument is answered at
    /// once: before the sandbox finishes seeding, and without a trip to the browser. In this
    /// process the parsed arguments run as they are; the browser gets the
    /// arguments as sent (the extension checks them with the same code before running).
    pub async fn run(
        &self,
        call: CheckedCall<'_>,
        options: CallOptions,
    ) -> Result<ToolOutput, ToolError> {
        match self {
            Runner::Local(lazy) => {
                let ctx = lazy
                    .get()
                    .await
                    .map_err(ToolError::Failed)?
                    .for_call(options);
                call.run(&ctx).await
            }
            Runner::Browser(relay) => {
                let name = call.tool().name();
                relay
                    .call(name, call.into_args())
                    .await
                    .map(|r| ToolOutput {
                        text: r.text,
                        structured: r.structured,
                    })
                    .map_err(from_browser)
            }
        }
    }
}

/// Where a call's waits for the request budget are passed on (besides the log).
pub type WaitForward = Box<dyn Fn(&RateWait) + Send + Sync>;

/// The options of one in-process call: [`DEFAULT_CALL_DEADLINE`], and an observer that logs
/// every wait for TrainingPeaks' request budget to stderr and passes it on to `forward` (the
/// MCP server turns it into progress notifications).
pub fn call_options(tool: &'static str, forward: Option<WaitForward>) -> CallOptions {
    let observer = move |w: &RateWait| {
        // A wait is rare and explains a slow answer: logged at the default level.
        tracing::warn!(tool, "{}", w.describe());
        if let Some(f) = &forward {
            f(w);
        }
    };
    CallOptions {
        deadline: Some(DEFAULT_CALL_DEADLINE),
        observer: Some(Arc::new(observer)),
    }
}

/// Maps the extension's error to a tool error. Its messages are already written for a person
/// ("Log in to TrainingPeaks…", "read-only mode…"), so they pass through unchanged.
fn from_browser(e: ErrorBody) -> ToolError {
    match e.code {
        ErrorCode::InvalidParams => ToolError::invalid("arguments", e.message),
        _ => ToolError::Failed(e.message),
    }
}

impl BackendArgs {
    /// The backend these flags select.
    pub fn backend(self) -> Backend {
        match (self.sandbox, self.direct) {
            (true, _) => Backend::Sandbox,
            (false, true) => Backend::Direct,
            (false, false) => Backend::Browser,
        }
    }
}

impl Backend {
    /// A tool context for this backend, with the system clock.
    pub fn context(self) -> anyhow::Result<ToolContext> {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let client = match self {
            Backend::Sandbox => {
                let sandbox = Arc::new(Sandbox::new(clock.clone()));
                // The sandbox is not TrainingPeaks' shared budget: throttling it to 90 requests a
                // minute would only stall demos and benchmarks (a real 60 s wait per 90 calls).
                TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock).with_rate_limit(None)
            }
            Backend::Direct => {
                let (transport, bases) = crate::direct::transport_from_env()?;
                TpClient::with_bases(transport, clock, bases)
            }
            Backend::Browser => anyhow::bail!(
                "the browser backend runs tools in the extension, not in this process"
            ),
        };
        Ok(ToolContext::new(Arc::new(client)))
    }

    /// The runner for this backend. The sandbox is seeded on a background thread so the MCP
    /// server can answer `initialize` and `tools/list` at once (seeding a year of workouts
    /// takes tens of milliseconds). Configuration errors are still reported here, at start.
    pub fn runner(self) -> anyhow::Result<Runner> {
        Ok(match self {
            Backend::Browser => Runner::Browser(Relay::from_env()?),
            Backend::Sandbox => Runner::Local(LazyContext::spawn(move || self.context())),
            Backend::Direct => Runner::Local(LazyContext::ready(self.context()?)),
        })
    }

    /// [`Backend::runner`], or the reason on stderr and the exit code to end with. The
    /// message is written directly, not logged, so it shows whatever `PACELINE_LOG` says.
    pub fn runner_or_report(self) -> Result<Runner, ExitCode> {
        self.runner().map_err(|e| {
            crate::output::stderr_line(&format!("error: {e:#}"));
            ExitCode::FAILURE
        })
    }
}

/// A [`ToolContext`] that may still be being built on another thread.
#[derive(Debug, Clone)]
pub struct LazyContext {
    rx: tokio::sync::watch::Receiver<Option<Result<ToolContext, String>>>,
}

impl LazyContext {
    /// A context that is already built.
    pub fn ready(ctx: ToolContext) -> Self {
        let (_tx, rx) = tokio::sync::watch::channel(Some(Ok(ctx)));
        Self { rx }
    }

    /// Builds the context on a new thread; [`LazyContext::get`] waits for it.
    pub fn spawn(build: impl FnOnce() -> anyhow::Result<ToolContext> + Send + 'static) -> Self {
        let (tx, rx) = tokio::sync::watch::channel(None);
        std::thread::spawn(move || {
            let built = build().map_err(|e| format!("{e:#}"));
            // No receiver left means the server already exited; nothing to deliver.
            let _ = tx.send(Some(built));
        });
        Self { rx }
    }

    /// The context, once built. An error if building failed or the builder thread died.
    pub async fn get(&self) -> Result<ToolContext, String> {
        let mut rx = self.rx.clone();
        let built = rx
            .wait_for(Option::is_some)
            .await
            .map_err(|_| "the backend failed to start (its set-up thread stopped)".to_string())?;
        match &*built {
            Some(result) => result.clone(),
            None => Err("the backend is not ready".to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paceline_core::tools::Tool;
    use serde_json::Value;

    #[test]
    fn flags_select_backend() {
        let cases = [
            ("none", false, false, Backend::Browser),
            ("sandbox", true, false, Backend::Sandbox),
            ("direct", false, true, Backend::Direct),
        ];
        for (name, sandbox, direct, want) in cases {
            assert_eq!(BackendArgs { sandbox, direct }.backend(), want, "{name}");
        }
    }

    #[test]
    fn only_the_real_trainingpeaks_is_rate_limited() {
        let ctx = Backend::Sandbox.context().expect("sandbox context");
        assert_eq!(ctx.client.rate_limit(), None);
    }

    #[tokio::test]
    async fn lazy_context_waits_for_the_build_and_reports_failures() {
        let ok = LazyContext::spawn(|| Backend::Sandbox.context());
        assert!(ok.get().await.is_ok());
        assert!(
            ok.clone().get().await.is_ok(),
            "every clone sees the built context"
        );
        let failed = LazyContext::spawn(|| anyhow::bail!("no cookie"));
        assert_eq!(failed.get().await.err().as_deref(), Some("no cookie"));
        let died = LazyContext::spawn(|| panic!("boom"));
        assert!(
            died.get()
                .await
                .err()
                .unwrap_or_default()
                .contains("failed to start")
        );
    }

    /// What `paceline call` and the MCP server do with a call: prepare it, then run it.
    async fn call(runner: &Runner, tool: &dyn Tool, args: Value) -> Result<ToolOutput, ToolError> {
        runner
            .run(tool.prepare(args)?, call_options(tool.name(), None))
            .await
    }

    #[tokio::test]
    async fn browser_backend_without_a_browser_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let runner = Runner::Browser(Relay::new(dir.path().join("run")));
        let tool = paceline_core::tools::find("get_athlete_profile").unwrap();
        let err = call(&runner, tool, serde_json::json!({}))
            .await
            .unwrap_err();
        assert!(matches!(err, ToolError::Failed(_)), "{err:?}");
        assert!(err.to_string().contains("Open Chrome"), "{err}");
    }

    #[tokio::test]
    async fn relayed_calls_are_validated_locally_first() {
        let dir = tempfile::tempdir().unwrap();
        let runner = Runner::Browser(Relay::new(dir.path().join("run")));
        let tool = paceline_core::tools::find("get_workouts").unwrap();
        let args = serde_json::json!({"start_date": "2026-13-01", "end_date": "2026-12-01"});
        let err = call(&runner, tool, args).await.unwrap_err();
        assert!(err.is_invalid_params(), "{err:?}");
    }
}
