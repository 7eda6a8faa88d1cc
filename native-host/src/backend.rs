//! Where tool calls go: the in-process sandbox, TrainingPeaks directly, or (next issue) the
//! browser extension.

use std::sync::Arc;

use std::process::ExitCode;

use clap::Args;
use paceline_core::clock::Clock;
use paceline_core::sandbox::{Sandbox, SandboxTransport};
use paceline_core::tools::ToolContext;
use paceline_core::trainingpeaks::TpClient;

use crate::clock::SystemClock;

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
    /// The browser extension (not available yet).
    Browser,
}

/// What a person sees when no backend flag is given: the browser bridge is the intended
/// default but lands in the next release, so say what works today.
pub const BRIDGE_NOT_AVAILABLE: &str = "the browser bridge is not available yet. Use `--sandbox` to try Paceline \
     on a built-in sample athlete (no account needed), or `--direct` with your TrainingPeaks session \
     cookie in TP_AUTH_COOKIE";

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
            Backend::Browser => anyhow::bail!("{BRIDGE_NOT_AVAILABLE}"),
        };
        Ok(ToolContext::new(Arc::new(client)))
    }

    /// Like [`Backend::context`], but the sandbox is seeded on a background thread so the MCP
    /// server can answer `initialize` and `tools/list` at once (seeding a year of workouts
    /// takes tens of milliseconds). Configuration errors are still reported here, at start.
    pub fn lazy_context(self) -> anyhow::Result<LazyContext> {
        match self {
            Backend::Sandbox => Ok(LazyContext::spawn(move || self.context())),
            _ => self.context().map(LazyContext::ready),
        }
    }

    /// [`Backend::context`], or the reason on stderr and the exit code to end with. The
    /// message is written directly, not logged, so it shows whatever `PACELINE_LOG` says.
    pub fn context_or_report(self) -> Result<ToolContext, ExitCode> {
        self.context().map_err(|e| {
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
        let ok = Backend::Sandbox.lazy_context().expect("sandbox");
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
        assert!(
            Backend::Browser.lazy_context().is_err(),
            "configuration errors are immediate"
        );
    }

    #[test]
    fn browser_backend_explains_itself() {
        let err = Backend::Browser
            .context()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("not available yet"), "{err}");
        assert!(
            err.contains("--sandbox") && err.contains("--direct"),
            "{err}"
        );
    }
}
