//! Where tool calls go: the browser extension (the default, through the relay socket), the
//! in-process sandbox, or TrainingPeaks and Intervals.icu directly; and which catalogue is
//! published (`--platform`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::clock::SystemClock;
use crate::protocol::{ErrorBody, ErrorCode};
use crate::relay::Relay;
use clap::Args;
use paceline_core::analysis::source::ActivityCache;
use paceline_core::analysis::source::memory::MemoryCache;
use paceline_core::clock::Clock;
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, TransportError};
use paceline_core::intervals::{IcuClient, IcuConfig};
use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
use paceline_core::sandbox::{Sandbox, SandboxTransport};
use paceline_core::tools::platform::{Listed, Service};
use paceline_core::tools::toolsets::Toolsets;
use paceline_core::tools::{CheckedCall, Platform, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::{CallOptions, DEFAULT_CALL_DEADLINE, RateWait, TpClient};

/// The backend flags shared by `paceline mcp` and `paceline call`.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct BackendArgs {
    /// Use the built-in sandbox: a sample athlete in memory, no account needed.
    #[arg(long, conflicts_with = "direct")]
    pub sandbox: bool,
    /// Call the services directly: TrainingPeaks with the session cookie in `TP_AUTH_COOKIE`,
    /// Intervals.icu with the API key in `API_KEY` (and `ATHLETE_ID`, `INTERVALS_API_BASE_URL`).
    #[arg(long)]
    pub direct: bool,
    /// Do not keep completed activities' data between calls (also `PACELINE_NO_CACHE=1`).
    /// By default `--direct` keeps it in the user's cache directory and `--sandbox` in memory;
    /// the browser extension has its own cache.
    #[arg(long)]
    pub no_cache: bool,
}

/// The `--platform` and `--toolsets` flags shared by `paceline mcp`, `paceline tools` and
/// `paceline call`.
#[derive(Debug, Clone, Default, Args)]
pub struct PlatformArgs {
    /// Which tools to publish: `trainingpeaks` (the default), `intervals` (Intervals.icu under
    /// the names of the Intervals.icu MCP server its users know) or `all` (both; the
    /// Intervals.icu tools prefixed `icu_`). Also read from PACELINE_PLATFORM.
    #[arg(long, value_name = "trainingpeaks|intervals|all", value_parser = Platform::parse)]
    pub platform: Option<Platform>,
    /// Which tools `tools/list` shows: `default` (what most people need, at most 30 tools; the
    /// seed server's 20 under `--platform intervals`), or any of workouts, calendar, fitness,
    /// settings, library, strength, analysis, intervals, `all`, comma-separated. Tools left out
    /// of the list can still be called by name. Also read from PACELINE_TOOLSETS.
    #[arg(long, value_name = "default|all|workouts,…", value_parser = Toolsets::parse)]
    pub toolsets: Option<Toolsets>,
}

impl PlatformArgs {
    /// The platform: the flag, else `PACELINE_PLATFORM`, else TrainingPeaks. An unreadable
    /// `PACELINE_PLATFORM` is an error naming it (silently publishing another catalogue than the
    /// one asked for would be worse).
    pub fn platform(&self) -> anyhow::Result<Platform> {
        self.platform_with(|name| std::env::var(name).ok())
    }

    /// The toolsets: the flag, else `PACELINE_TOOLSETS`, else `default`. An unreadable
    /// `PACELINE_TOOLSETS` is an error naming it.
    pub fn toolsets(&self) -> anyhow::Result<Toolsets> {
        self.toolsets_with(|name| std::env::var(name).ok())
    }

    fn toolsets_with(&self, lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Toolsets> {
        if let Some(t) = &self.toolsets {
            return Ok(t.clone());
        }
        match lookup("PACELINE_TOOLSETS").filter(|v| !v.trim().is_empty()) {
            Some(v) => Toolsets::parse(&v).map_err(|e| anyhow::anyhow!("PACELINE_TOOLSETS: {e}")),
            None => Ok(Toolsets::default()),
        }
    }

    fn platform_with(&self, lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Platform> {
        if let Some(p) = self.platform {
            return Ok(p);
        }
        match lookup("PACELINE_PLATFORM").filter(|v| !v.trim().is_empty()) {
            Some(v) => Platform::parse(&v).map_err(|e| anyhow::anyhow!("PACELINE_PLATFORM: {e}")),
            None => Ok(Platform::default()),
        }
    }
}

/// Where one call goes: the name the extension knows it by (the canonical name, see
/// `PROTOCOL.md`) and the service it talks to.
#[derive(Debug, Clone, Copy)]
pub struct Route<'a> {
    /// The canonical (`--platform all`) name, relayed to the extension.
    pub canonical: &'a str,
    /// The service the tool talks to.
    pub service: Service,
}

impl<'a> Route<'a> {
    /// The route of a published tool.
    pub fn of(listed: &'a Listed) -> Self {
        Self {
            canonical: listed.canonical(),
            service: listed.service(),
        }
    }
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
    /// `route` says under which name the extension knows the tool.
    pub async fn run(
        &self,
        route: Route<'_>,
        call: CheckedCall<'_>,
        options: CallOptions,
    ) -> Result<ToolOutput, ToolError> {
        match self {
            Runner::Local(lazy) => {
                let local = lazy.get().await.map_err(ToolError::Failed)?;
                // A copy between the platforms talks to TrainingPeaks and reads Intervals.icu
                // (or the reverse): it needs the Intervals.icu client too.
                let uses_icu = route.service == Service::Intervals
                    || paceline_core::tools::platform::find_canonical(route.canonical)
                        .is_some_and(|l| l.uses(Service::Intervals));
                if uses_icu && local.ctx.icu.is_none() {
                    return Err(ToolError::Failed(local.icu_missing.to_string()));
                }
                let ctx = local.ctx.for_call(options);
                call.run(&ctx).await
            }
            Runner::Browser(relay) => relay
                .call(route.canonical, call.into_args())
                .await
                .map(|r| ToolOutput {
                    text: r.text,
                    structured: r.structured,
                })
                .map_err(from_browser),
        }
    }
}

/// Where a call's progress (waits for the request budget, steps of a long call) is passed on,
/// as one line each (besides the log).
pub type WaitForward = Box<dyn Fn(String) + Send + Sync>;

/// Logs a call's waits and steps and passes them on (see [`call_options`]).
struct CallObserver {
    tool: &'static str,
    forward: Option<WaitForward>,
}

impl paceline_core::trainingpeaks::WaitObserver for CallObserver {
    fn waiting(&self, w: &RateWait) {
        // A wait is rare and explains a slow answer: logged at the default level.
        tracing::warn!(tool = self.tool, "{}", w.describe());
        if let Some(f) = &self.forward {
            f(w.describe());
        }
    }

    fn step(&self, done: u64, total: u64, what: &str) {
        tracing::debug!(tool = self.tool, "{done} of {total} {what}");
        if let Some(f) = &self.forward {
            f(format!("{done} of {total} {what}"));
        }
    }
}

/// The options of one in-process call: [`DEFAULT_CALL_DEADLINE`], and an observer that logs
/// every wait for TrainingPeaks' request budget to stderr and passes waits and the steps of long
/// calls on to `forward` (the MCP server turns them into progress notifications).
pub fn call_options(tool: &'static str, forward: Option<WaitForward>) -> CallOptions {
    CallOptions {
        deadline: Some(DEFAULT_CALL_DEADLINE),
        observer: Some(Arc::new(CallObserver { tool, forward })),
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

/// A tool context built in this process, and what to say when an Intervals.icu tool is
/// called without an Intervals.icu client.
#[derive(Debug, Clone)]
pub struct LocalContext {
    /// The context the tools run with.
    pub ctx: ToolContext,
    /// The message for an Intervals.icu call when `ctx.icu` is `None`.
    pub icu_missing: &'static str,
}

/// Why an Intervals.icu tool cannot run when the platform does not publish any.
const ICU_NOT_PUBLISHED: &str = "Intervals.icu tools are not available with --platform \
    trainingpeaks; start paceline with --platform intervals or --platform all";

impl Backend {
    /// A tool context for this backend and platform, with the system clock and no activity
    /// cache.
    pub fn context(self, platform: Platform) -> anyhow::Result<LocalContext> {
        self.context_with(platform, |name| std::env::var(name).ok())
    }

    /// [`Backend::context`] with the activity cache `cache` chooses. A cache that cannot be
    /// opened is logged and left out: the tools work without it.
    pub fn context_cached(
        self,
        platform: Platform,
        cache: &CacheChoice,
    ) -> anyhow::Result<LocalContext> {
        let mut local = self.context(platform)?;
        if let Some(c) = cache.open() {
            local.ctx = local.ctx.with_activity_cache(c);
        }
        Ok(local)
    }

    /// [`Backend::context`] with the environment read through `lookup`.
    pub fn context_with(
        self,
        platform: Platform,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<LocalContext> {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let wants_icu = platform != Platform::TrainingPeaks;
        let wants_tp = platform != Platform::Intervals;
        let mut icu_missing = ICU_NOT_PUBLISHED;
        let (client, icu) = match self {
            Backend::Sandbox => {
                let sandbox = Arc::new(Sandbox::new(clock.clone()));
                // The sandbox is not TrainingPeaks' shared budget: throttling it to 90 requests a
                // minute would only stall demos and benchmarks (a real 60 s wait per 90 calls).
                let tp = TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock.clone())
                    .with_rate_limit(None);
                // The same sample athlete on the same clock, as if synced from the same watch;
                // seeded only when its tools are published (it reads a second TrainingPeaks
                // sandbox, tens of milliseconds).
                let icu = wants_icu.then(|| {
                    let emulator = Arc::new(IcuSandbox::new(clock.clone()));
                    IcuClient::new(
                        Arc::new(IcuSandboxTransport::new(emulator)),
                        clock.clone(),
                        IcuConfig::default(),
                    )
                    // As for TrainingPeaks: the emulator is nobody's shared budget.
                    .with_rate_limit(None)
                });
                (tp, icu)
            }
            Backend::Direct => {
                let tp = if wants_tp {
                    let config = crate::direct::DirectConfig::from_lookup(&lookup)?;
                    let bases = config.bases.clone();
                    let transport = Arc::new(crate::direct::DirectTransport::new(config)?);
                    TpClient::with_bases(transport, clock.clone(), bases)
                } else {
                    // `--platform intervals` publishes no TrainingPeaks tool, so none can
                    // reach this client; it exists because every context has one.
                    TpClient::new(Arc::new(FnTransport(not_configured)), clock.clone())
                };
                let icu = if wants_icu {
                    icu_missing = crate::icu_direct::MISSING_HELP;
                    let icu = crate::icu_direct::client_from_lookup(&lookup, clock.clone())?;
                    if icu.is_none() {
                        tracing::warn!("{}", crate::icu_direct::MISSING_HELP);
                    }
                    icu
                } else {
                    None
                };
                (tp, icu)
            }
            Backend::Browser => anyhow::bail!(
                "the browser backend runs tools in the extension, not in this process"
            ),
        };
        let mut ctx = ToolContext::new(Arc::new(client));
        if let Some(icu) = icu {
            ctx = ctx.with_icu(Arc::new(icu));
        }
        Ok(LocalContext { ctx, icu_missing })
    }

    /// The runner for this backend, with the activity cache `cache` chooses. The sandbox is
    /// seeded on a background thread so the MCP server can answer `initialize` and
    /// `tools/list` at once (seeding a year of workouts takes tens of milliseconds).
    /// Configuration errors are still reported here, at start.
    pub fn runner(self, platform: Platform, cache: CacheChoice) -> anyhow::Result<Runner> {
        Ok(match self {
            Backend::Browser => Runner::Browser(Relay::from_env()?),
            Backend::Sandbox => Runner::Local(LazyContext::spawn(move || {
                self.context_cached(platform, &cache)
            })),
            Backend::Direct => {
                Runner::Local(LazyContext::ready(self.context_cached(platform, &cache)?))
            }
        })
    }
}

/// Where completed activities' data is kept between calls in this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheChoice {
    /// Nowhere (`--no-cache`, `PACELINE_NO_CACHE=1`, or the browser backend, whose extension
    /// caches in IndexedDB itself).
    Off,
    /// In memory, for the sandbox: its sample data is remade at every start and must never
    /// land in the person's cache directory beside their real activities.
    Memory,
    /// In this directory ([`crate::activity_cache::DiskCache`]), for `--direct`.
    Disk(PathBuf),
}

impl CacheChoice {
    /// The cache, or `None` when off or when the directory cannot be used (logged: the tools
    /// then fetch every time, which is slower but never wrong).
    pub fn open(&self) -> Option<Arc<dyn ActivityCache>> {
        match self {
            CacheChoice::Off => None,
            CacheChoice::Memory => Some(Arc::new(MemoryCache::default())),
            CacheChoice::Disk(dir) => {
                match crate::activity_cache::DiskCache::open(
                    dir.clone(),
                    crate::activity_cache::DEFAULT_CAP_BYTES,
                ) {
                    Ok(c) => Some(Arc::new(c)),
                    Err(e) => {
                        tracing::debug!("running without the activity cache: {e:#}");
                        None
                    }
                }
            }
        }
    }
}

impl BackendArgs {
    /// Where this backend keeps activities: off with `--no-cache` or `PACELINE_NO_CACHE`
    /// (`1`/`true`/`yes`/`on`; `0`/`false`/`no`/`off` or empty leave it on), in memory for the
    /// sandbox, in the cache directory for `--direct`, off for the browser. An unreadable
    /// `PACELINE_NO_CACHE` is an error naming it; a missing home directory only turns the
    /// cache off.
    pub fn cache_choice(
        self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<CacheChoice> {
        let env_off = match lookup("PACELINE_NO_CACHE")
            .map(|v| v.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("" | "0" | "false" | "no" | "off") => false,
            Some("1" | "true" | "yes" | "on") => true,
            Some(other) => anyhow::bail!(
                "PACELINE_NO_CACHE: `{other}` is not one of 1, true, yes, on, 0, false, no, off"
            ),
        };
        if self.no_cache || env_off {
            return Ok(CacheChoice::Off);
        }
        Ok(match self.backend() {
            Backend::Browser => CacheChoice::Off,
            Backend::Sandbox => CacheChoice::Memory,
            Backend::Direct => match crate::activity_cache::default_dir(lookup) {
                Ok(dir) => CacheChoice::Disk(dir),
                Err(e) => {
                    tracing::debug!("running without the activity cache: {e:#}");
                    CacheChoice::Off
                }
            },
        })
    }

    /// The runner for these flags (backend and cache), or the reason on stderr and the exit
    /// code to end with. The message is written directly, not logged, so it shows whatever
    /// `PACELINE_LOG` says.
    pub fn runner_or_report(self, platform: Platform) -> Result<Runner, ExitCode> {
        let report = |e: anyhow::Error| {
            crate::output::stderr_line(&format!("error: {e:#}"));
            ExitCode::FAILURE
        };
        let cache = self
            .cache_choice(|name| std::env::var(name).ok())
            .map_err(report)?;
        self.backend().runner(platform, cache).map_err(report)
    }
}

/// The TrainingPeaks transport of `--direct --platform intervals`: never reached (no
/// TrainingPeaks tool is published), and it sends nothing if it were.
fn not_configured(_: HttpRequest) -> Result<HttpResponse, TransportError> {
    Err(TransportError::Connect(
        "TrainingPeaks is not configured: paceline runs with --platform intervals".into(),
    ))
}

/// A [`LocalContext`] that may still be being built on another thread.
#[derive(Debug, Clone)]
pub struct LazyContext {
    rx: tokio::sync::watch::Receiver<Option<Result<LocalContext, String>>>,
}

impl LazyContext {
    /// A context that is already built.
    pub fn ready(ctx: LocalContext) -> Self {
        let (_tx, rx) = tokio::sync::watch::channel(Some(Ok(ctx)));
        Self { rx }
    }

    /// Builds the context on a new thread; [`LazyContext::get`] waits for it.
    pub fn spawn(build: impl FnOnce() -> anyhow::Result<LocalContext> + Send + 'static) -> Self {
        let (tx, rx) = tokio::sync::watch::channel(None);
        std::thread::spawn(move || {
            let built = build().map_err(|e| format!("{e:#}"));
            // No receiver left means the server already exited; nothing to deliver.
            let _ = tx.send(Some(built));
        });
        Self { rx }
    }

    /// The context, once built. An error if building failed or the builder thread died.
    pub async fn get(&self) -> Result<LocalContext, String> {
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
            let args = BackendArgs {
                sandbox,
                direct,
                no_cache: false,
            };
            assert_eq!(args.backend(), want, "{name}");
        }
    }

    #[test]
    fn the_cache_is_off_with_the_flag_or_the_variable_and_never_on_disk_for_the_sandbox() {
        let args = |sandbox, direct, no_cache| BackendArgs {
            sandbox,
            direct,
            no_cache,
        };
        let env = |pairs: Vec<(&'static str, &'static str)>| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let home = || vec![("XDG_CACHE_HOME", "/c"), ("HOME", "/h")];
        let with = |extra: (&'static str, &'static str)| {
            let mut v = home();
            v.push(extra);
            v
        };
        let disk = CacheChoice::Disk(PathBuf::from("/c/paceline/activities"));
        let cases = [
            ("direct", args(false, true, false), home(), disk.clone()),
            (
                "sandbox",
                args(true, false, false),
                home(),
                CacheChoice::Memory,
            ),
            (
                "browser",
                args(false, false, false),
                home(),
                CacheChoice::Off,
            ),
            (
                "--no-cache",
                args(false, true, true),
                home(),
                CacheChoice::Off,
            ),
            (
                "--no-cache sandbox",
                args(true, false, true),
                home(),
                CacheChoice::Off,
            ),
            (
                "env 1",
                args(false, true, false),
                with(("PACELINE_NO_CACHE", "1")),
                CacheChoice::Off,
            ),
            (
                "env yes",
                args(true, false, false),
                with(("PACELINE_NO_CACHE", " Yes ")),
                CacheChoice::Off,
            ),
            (
                "env 0",
                args(false, true, false),
                with(("PACELINE_NO_CACHE", "0")),
                disk.clone(),
            ),
            (
                "env empty",
                args(false, true, false),
                with(("PACELINE_NO_CACHE", "")),
                disk,
            ),
            (
                "no home",
                args(false, true, false),
                vec![],
                CacheChoice::Off,
            ),
        ];
        for (name, a, vars, want) in cases {
            assert_eq!(a.cache_choice(env(vars)).unwrap(), want, "{name}");
        }
        let err = args(false, true, false)
            .cache_choice(env(with(("PACELINE_NO_CACHE", "maybe"))))
            .unwrap_err();
        assert!(err.to_string().contains("PACELINE_NO_CACHE"), "{err}");
    }

    #[test]
    fn the_chosen_cache_reaches_the_tools_context() {
        let off = Backend::Sandbox
            .context_cached(Platform::TrainingPeaks, &CacheChoice::Off)
            .unwrap();
        assert!(off.ctx.activity_cache.is_none());
        let memory = Backend::Sandbox
            .context_cached(Platform::TrainingPeaks, &CacheChoice::Memory)
            .unwrap();
        assert!(memory.ctx.activity_cache.is_some());
        // The call's own context keeps it.
        let call = memory.ctx.for_call(call_options("t", None));
        assert!(call.activity_cache.is_some());
        // A directory that cannot be used leaves the cache out instead of failing.
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let blocked = Backend::Sandbox
            .context_cached(
                Platform::TrainingPeaks,
                &CacheChoice::Disk(file.join("sub")),
            )
            .unwrap();
        assert!(blocked.ctx.activity_cache.is_none());
    }

    #[test]
    fn only_the_real_trainingpeaks_is_rate_limited() {
        let local = Backend::Sandbox
            .context(Platform::TrainingPeaks)
            .expect("sandbox context");
        assert_eq!(local.ctx.client.rate_limit(), None);
        // Only the platforms that publish Intervals.icu tools seed its emulator.
        assert!(local.ctx.icu.is_none());
        let all = Backend::Sandbox.context(Platform::All).expect("sandbox");
        assert!(all.ctx.icu.is_some());
    }

    #[test]
    fn platform_comes_from_the_flag_then_the_environment() {
        let env = |v: Option<&'static str>| move |_: &str| v.map(str::to_string);
        let cases = [
            ("default", None, None, Ok(Platform::TrainingPeaks)),
            ("env", None, Some("all"), Ok(Platform::All)),
            ("blank env", None, Some(" "), Ok(Platform::TrainingPeaks)),
            (
                "flag wins",
                Some(Platform::Intervals),
                Some("all"),
                Ok(Platform::Intervals),
            ),
            ("bad env", None, Some("strava"), Err("PACELINE_PLATFORM")),
        ];
        for (name, flag, var, want) in cases {
            let got = PlatformArgs {
                platform: flag,
                toolsets: None,
            }
            .platform_with(env(var))
            .map_err(|e| e.to_string());
            match want {
                Ok(p) => assert_eq!(got, Ok(p), "{name}"),
                Err(w) => assert!(got.unwrap_err().contains(w), "{name}"),
            }
        }
    }

    #[tokio::test]
    async fn direct_intervals_needs_no_trainingpeaks_cookie_and_names_its_variables() {
        let none = |_: &str| None;
        // TrainingPeaks still needs its cookie whenever its tools are published.
        let err = Backend::Direct
            .context_with(Platform::All, none)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("TP_AUTH_COOKIE"), "{err}");
        // Intervals.icu alone starts without any variable; its calls then say what to set.
        let local = Backend::Direct
            .context_with(Platform::Intervals, none)
            .expect("starts");
        assert!(local.ctx.icu.is_none());
        let runner = Runner::Local(LazyContext::ready(local));
        let listed = Platform::Intervals.find("get_events").expect("listed");
        let err = runner
            .run(
                Route::of(listed),
                listed.tool().prepare(serde_json::json!({})).expect("valid"),
                call_options("get_events", None),
            )
            .await
            .unwrap_err()
            .to_string();
        for var in ["API_KEY", "ATHLETE_ID", "INTERVALS_API_BASE_URL"] {
            assert!(err.contains(var), "{var}: {err}");
        }
    }

    #[tokio::test]
    async fn lazy_context_waits_for_the_build_and_reports_failures() {
        let ok = LazyContext::spawn(|| Backend::Sandbox.context(Platform::TrainingPeaks));
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
        let route = Route {
            canonical: tool.name(),
            service: Service::TrainingPeaks,
        };
        runner
            .run(route, tool.prepare(args)?, call_options(tool.name(), None))
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

    /// The browser runner relays the canonical (`--platform all`) name, whatever name the
    /// platform publishes: a fake bridge of this user records what it is asked to run.
    #[cfg(unix)]
    #[tokio::test]
    async fn the_browser_gets_the_canonical_name() {
        use crate::protocol::{Message, Reply, ToolResult};
        use crate::{framing, rendezvous};
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("run");
        rendezvous::ensure_private_dir(&dir).unwrap();
        let pid = std::process::id();
        let socket = crate::ipc::endpoint(&dir, pid);
        let mut listener = crate::ipc::Listener::bind(&socket).unwrap();
        let info = rendezvous::BridgeInfo {
            pid,
            started_at: rendezvous::unix_now(),
            origin: "chrome-extension://x/".into(),
            socket,
            browser_pid: None,
        };
        std::fs::write(
            rendezvous::info_path(&dir, pid),
            serde_json::to_vec(&info).unwrap(),
        )
        .unwrap();
        let bridge = tokio::spawn(async move {
            let mut seen = Vec::new();
            for _ in 0..3 {
                let mut s = listener.accept().await.unwrap();
                loop {
                    match framing::read_message::<Message, _>(&mut s, 1 << 20).await {
                        Ok(Message::Call { id, tool, .. }) => {
                            seen.push(tool);
                            let reply = Message::Result(Reply {
                                id,
                                ok: true,
                                result: Some(ToolResult {
                                    text: "ok".into(),
                                    structured: serde_json::json!({}),
                                }),
                                error: None,
                            });
                            framing::write_message(&mut s, &reply, 1 << 20)
                                .await
                                .unwrap();
                            break;
                        }
                        Ok(_) => continue,
                        Err(e) => panic!("bridge: {e}"),
                    }
                }
            }
            seen
        });
        let runner = Runner::Browser(Relay::new(dir));
        for (platform, name) in [
            (Platform::Intervals, "get_events"),
            (Platform::All, "icu_get_events"),
            (Platform::TrainingPeaks, "get_events"),
        ] {
            let listed = platform.find(name).expect("published");
            let call = listed.tool().prepare(serde_json::json!({})).expect("valid");
            let out = runner
                .run(Route::of(listed), call, call_options("t", None))
                .await
                .expect("relayed");
            assert_eq!(out.text, "ok");
        }
        let seen = bridge.await.unwrap();
        assert_eq!(seen, ["icu_get_events", "icu_get_events", "get_events"]);
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
