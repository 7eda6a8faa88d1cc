//! Drives real browsers with the Paceline extension loaded, for the end-to-end suite and the
//! bridge benchmark.
//!
//! The whole stack is real except the far end: a browser (Debian's Chromium, or Firefox ESR)
//! loads the extension unpacked from the repository root, starts the `paceline` binary as its
//! native-messaging host (the bridge role), and the extension's wasm calls [`FakeTp`] over
//! HTTPS. Only the name resolution (`--host-resolver-rules`, Firefox's `localDomains`) and the
//! trust store (the fake's test CA in an NSS db) are arranged for the test.
//!
//! Each [`Profile`] is a private directory tree: `home/` (the browser's `HOME`, with the NSS
//! db), `profile/` (the user-data-dir, with the native-messaging manifest), `run/` (the
//! rendezvous directory shared by the bridge and `paceline mcp` via `PACELINE_RUNTIME_DIR`)
//! and log files. Browsers are launched in their own process group and killed with it on drop,
//! so a failing test never leaves a browser or a bridge behind.
//!
//! The browsers are controlled over their own debugging protocols on loopback: the Chrome
//! DevTools Protocol ([`cdp`]) and WebDriver BiDi for Firefox ([`firefox`]).

pub mod cdp;
pub mod chromium;
pub mod firefox;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::FakeTp;

/// The extension ID pinned by the `key` in the repository's `manifest.json`.
pub const EXTENSION_ID: &str = "ldmgjianhngkmdonfaallcdjhibfejml";
/// The Firefox add-on id (`browser_specific_settings.gecko.id`).
pub const GECKO_ID: &str = "paceline@paceline.dev";
/// The native-messaging host name the extension connects to.
pub const HOST_NAME: &str = "dev.paceline.host";

/// Why the harness could not do something. Test support: the messages say what to install or
/// run, since they are read by a developer whose test just failed.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// A program or file the suite needs is missing.
    #[error("{what} is missing ({hint})")]
    Missing {
        /// What is missing.
        what: String,
        /// How to get it.
        hint: String,
    },
    /// A file or process operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The browser's debugging protocol answered with an error or something unexpected.
    #[error("browser protocol: {0}")]
    Protocol(String),
    /// Waiting for something took too long.
    #[error("timed out after {after:?} waiting for {what}")]
    Timeout {
        /// How long it waited.
        after: Duration,
        /// What it waited for.
        what: String,
    },
}

/// Result with [`HarnessError`].
pub type Result<T> = std::result::Result<T, HarnessError>;

pub(crate) fn io_err(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> HarnessError {
    let what = what.into();
    move |source| HarnessError::Io { what, source }
}

/// The extension directory loaded unpacked: `$PACELINE_EXTENSION_DIR` (e.g. `dist/chrome`
/// to test a package), else the repository root (`manifest.json`).
pub fn extension_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("PACELINE_EXTENSION_DIR") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Checks the extension's wasm has been built (`cargo xtask wasm`); the browser cannot run
/// the extension without it.
pub fn check_extension_built() -> Result<()> {
    let wasm = extension_dir().join("extension/pkg/paceline_extension_bg.wasm");
    if wasm.exists() {
        Ok(())
    } else {
        Err(HarnessError::Missing {
            what: wasm.display().to_string(),
            hint: "run `cargo xtask wasm` (or `cargo xtask test`, which builds it first)".into(),
        })
    }
}

/// The `paceline` binary: `$PACELINE_BIN`, else the one beside the running test or bench
/// binary (`target/<profile>/`), built first if it is not there.
pub fn paceline_binary() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("PACELINE_BIN") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().map_err(io_err("locating the test binary"))?;
    let name = format!("paceline{}", std::env::consts::EXE_SUFFIX);
    // target/debug/deps/<test>-<hash> or target/<profile>/<bin>.
    let candidates: Vec<PathBuf> = exe
        .ancestors()
        .skip(1)
        .take(2)
        .map(|d| d.join(&name))
        .collect();
    if let Some(found) = candidates.iter().find(|p| p.exists()) {
        return Ok(found.clone());
    }
    // `cargo test --workspace` (what `cargo xtask test` runs) builds it with the same
    // features; a nested build is only the fallback for `cargo test -p paceline-e2e` on a fresh
    // target directory.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            "paceline-host",
            "--bin",
            "paceline",
        ])
        .current_dir(extension_dir())
        .status()
        .map_err(io_err("running cargo build -p paceline-host"))?;
    let built = candidates.into_iter().find(|p| p.exists());
    match (status.success(), built) {
        (true, Some(p)) => Ok(p),
        _ => Err(HarnessError::Missing {
            what: "the paceline binary".into(),
            hint: "run `cargo build -p paceline-host`".into(),
        }),
    }
}

/// Finds a program on `PATH` or at one of the given absolute paths.
pub(crate) fn find_program(names: &[&str], hint: &str) -> Result<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        let p = Path::new(name);
        if p.is_absolute() {
            if p.exists() {
                return Ok(p.to_path_buf());
            }
            continue;
        }
        for dir in std::env::split_paths(&path) {
            let c = dir.join(name);
            if c.exists() {
                return Ok(c);
            }
        }
    }
    Err(HarnessError::Missing {
        what: names.join(" or "),
        hint: hint.into(),
    })
}

/// A private directory tree for one browser profile (see the module docs). It survives
/// browser restarts, like a person's profile does; it is deleted on drop unless
/// `PACELINE_E2E_KEEP` is set (for diagnosis).
#[derive(Debug)]
pub struct Profile {
    root: PathBuf,
    extra_env: Vec<(String, String)>,
}

impl Profile {
    /// Creates the tree under `parent` with the fake's CA trusted in an NSS db under `home/`
    /// (Chromium reads `$HOME/.pki/nssdb`; Firefox gets its own copy in its profile).
    pub fn create(parent: &Path, name: &str, fake: &FakeTp) -> Result<Self> {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let root = parent.join(format!(
            "{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let profile = Profile {
            root,
            extra_env: Vec::new(),
        };
        for d in ["home/.pki/nssdb", "profile", "run"] {
            std::fs::create_dir_all(profile.root.join(d)).map_err(io_err(format!(
                "creating {}",
                profile.root.join(d).display()
            )))?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(profile.run_dir(), std::fs::Permissions::from_mode(0o700))
                .map_err(io_err("chmod run dir"))?;
        }
        let ca = fake
            .write_ca_pem(&profile.root)
            .map_err(io_err("writing the test CA"))?;
        trust_ca(&profile.home().join(".pki/nssdb"), &ca)?;
        Ok(profile)
    }

    /// The root of the tree.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The browser's `HOME`.
    pub fn home(&self) -> PathBuf {
        self.root.join("home")
    }

    /// The browser's profile (Chromium's user-data-dir, Firefox's `--profile`).
    pub fn profile_dir(&self) -> PathBuf {
        self.root.join("profile")
    }

    /// The rendezvous directory (`PACELINE_RUNTIME_DIR`) for the bridge and `paceline mcp`.
    pub fn run_dir(&self) -> PathBuf {
        self.root.join("run")
    }

    /// The test CA's PEM file.
    pub fn ca_file(&self) -> PathBuf {
        self.root.join("paceline-test-ca.pem")
    }

    /// Adds a variable to [`Profile::env`] (e.g. `PACELINE_CALL_TIMEOUT_SECS` for a scenario
    /// about deadlines); set it before starting the browser and `paceline mcp`.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.extra_env.push((key.into(), value.into()));
    }

    /// The environment both the browser (hence the bridge it starts) and `paceline mcp` get.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("HOME".into(), self.home().display().to_string()),
            (
                "PACELINE_RUNTIME_DIR".into(),
                self.run_dir().display().to_string(),
            ),
            (
                "PACELINE_LOG".into(),
                std::env::var("PACELINE_LOG").unwrap_or_else(|_| "info".into()),
            ),
        ];
        env.extend(self.extra_env.iter().cloned());
        env
    }

    /// Waits until a bridge has announced itself in the rendezvous directory (its
    /// `bridge-<pid>.json`, which `paceline mcp` reads; the socket is bound a moment before it
    /// is written) and its socket accepts connections.
    pub async fn wait_for_bridge(&self, timeout: Duration) -> Result<()> {
        wait_until(timeout, "the paceline bridge to start", || {
            std::fs::read_dir(self.run_dir()).ok().and_then(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .filter_map(|p| std::fs::read(p).ok())
                    .filter_map(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                    .filter_map(|v| v["socket"].as_str().map(PathBuf::from))
                    .find(|sock| std::os::unix::net::UnixStream::connect(sock).is_ok())
                    .map(|_| ())
            })
        })
        .await
    }

    /// Whether any bridge socket accepts connections right now.
    pub async fn bridge_running(&self) -> bool {
        self.wait_for_bridge(Duration::ZERO).await.is_ok()
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        if std::env::var_os("PACELINE_E2E_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

/// NSS's `certutil` (libnss3-tools), used to trust the fake's CA.
pub fn find_certutil() -> Result<PathBuf> {
    find_program(
        &["certutil"],
        "apt-get install -y libnss3-tools (`.ci/run` does this)",
    )
}

/// Creates an NSS db in `db` trusting `ca` for TLS servers.
pub fn trust_ca(db: &Path, ca: &Path) -> Result<()> {
    let certutil = find_certutil()?;
    let db_arg = format!("sql:{}", db.display());
    let run = |args: &[&str]| -> Result<()> {
        let out = Command::new(&certutil)
            .args(args)
            .output()
            .map_err(io_err("running certutil"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(HarnessError::Protocol(format!(
                "certutil {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )))
        }
    };
    run(&["-d", &db_arg, "-N", "--empty-password"])?;
    run(&[
        "-d",
        &db_arg,
        "-A",
        "-t",
        "C,,",
        "-n",
        "paceline-test-ca",
        "-i",
        &ca.display().to_string(),
    ])
}

/// Polls `probe` every 50 ms until it returns `Some`, or fails after `timeout` (one probe is
/// always made, so a zero timeout is a single check).
pub async fn wait_until<T>(
    timeout: Duration,
    what: &str,
    mut probe: impl FnMut() -> Option<T>,
) -> Result<T> {
    wait_until_async(timeout, what, || std::future::ready(probe())).await
}

/// [`wait_until`] with an async probe (e.g. a protocol call), polled every 50 ms.
pub async fn wait_until_async<T, F, Fut>(timeout: Duration, what: &str, mut probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    try_wait_until(timeout, what, || {
        let fut = probe();
        async move { Ok(fut.await) }
    })
    .await
}

/// [`wait_until_async`] whose probe can fail: an error ends the wait at once (a browser that
/// stopped answering will not start again).
pub async fn try_wait_until<T, F, Fut>(timeout: Duration, what: &str, mut probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = probe().await? {
            return Ok(v);
        }
        if start.elapsed() >= timeout {
            return Err(HarnessError::Timeout {
                after: timeout,
                what: what.into(),
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A browser process started in its own process group; the whole group (renderers, the
/// bridge it started…) is killed when this is dropped.
#[derive(Debug)]
pub(crate) struct ProcessGroup(Option<std::process::Child>);

impl ProcessGroup {
    pub(crate) fn new(child: std::process::Child) -> Self {
        Self(Some(child))
    }

    /// The exit status, if it has exited.
    pub(crate) fn try_wait(&mut self) -> Option<std::process::ExitStatus> {
        self.0.as_mut().and_then(|c| c.try_wait().ok().flatten())
    }

    /// The process id (also the group id).
    pub(crate) fn id(&self) -> Option<u32> {
        self.0.as_ref().map(std::process::Child::id)
    }

    /// Waits up to `grace` for the group to exit by itself (after the browser was asked to
    /// close: the bridge answers pending calls on its way out), then kills what is left.
    pub(crate) async fn finish(&mut self, grace: Duration) {
        let start = Instant::now();
        while self.try_wait().is_none() && start.elapsed() < grace {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        #[cfg(unix)]
        if let Some(group) = self.id() {
            while group_alive(group) && start.elapsed() < grace + Duration::from_secs(5) {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        self.kill();
    }

    /// Kills the whole group now and reaps the process.
    pub(crate) fn kill(&mut self) {
        if let Some(mut c) = self.0.take() {
            #[cfg(unix)]
            kill_group(c.id(), rustix::process::Signal::KILL);
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Sends `signal` to a whole process group, ignoring "no such process".
#[cfg(unix)]
pub(crate) fn kill_group(pgid: u32, signal: rustix::process::Signal) {
    if let Some(pid) = rustix::process::Pid::from_raw(pgid as i32) {
        let _ = rustix::process::kill_process_group(pid, signal);
    }
}

/// Whether any process of a process group is still running.
#[cfg(unix)]
pub(crate) fn group_alive(pgid: u32) -> bool {
    rustix::process::Pid::from_raw(pgid as i32)
        .is_some_and(|pid| rustix::process::test_kill_process_group(pid).is_ok())
}
