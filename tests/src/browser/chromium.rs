//! Debian's Chromium, headless, with the extension loaded unpacked and the fake's hostnames
//! mapped to loopback (browser e2e recipe §5: `--headless=new`, `--no-sandbox` as root, the
//! native-messaging manifest in `<user-data-dir>/NativeMessagingHosts/`, the CA in
//! `$HOME/.pki/nssdb`, no certificate-error bypass).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::cdp::{Cdp, TargetInfo};
use super::{
    EXTENSION_ID, HOST_NAME, HarnessError, ProcessGroup, Profile, Result, extension_dir,
    find_program, io_err, try_wait_until,
};
use crate::FakeTp;

/// How long the browser may take to start and open its debugging endpoint.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running headless Chromium. Killed with its whole process group on drop.
#[derive(Debug)]
pub struct Chromium {
    process: ProcessGroup,
    cdp: Cdp,
    log: PathBuf,
}

impl Chromium {
    /// The Chromium executable: `$PACELINE_CHROMIUM`, else Debian's real binary (the
    /// `/usr/bin/chromium` wrapper adds flags of its own), else `chromium` on `PATH`.
    pub fn executable() -> Result<PathBuf> {
        if let Some(p) = std::env::var_os("PACELINE_CHROMIUM") {
            return Ok(PathBuf::from(p));
        }
        find_program(
            &["/usr/lib/chromium/chromium", "chromium", "chromium-browser"],
            "apt-get install -y chromium (`.ci/run` does this)",
        )
    }

    /// Writes the native-messaging manifest for `paceline` into the profile and launches the
    /// browser on it. `start_url` is opened in the first tab (e.g. the fake's login page).
    pub async fn launch(
        profile: &Profile,
        fake: &FakeTp,
        paceline: &Path,
        start_url: Option<&str>,
    ) -> Result<Self> {
        let exe = Self::executable()?;
        let udd = profile.profile_dir();
        let nmh = udd.join("NativeMessagingHosts");
        std::fs::create_dir_all(&nmh).map_err(io_err("creating NativeMessagingHosts"))?;
        let manifest = json!({
            "name": HOST_NAME,
            "description": "Paceline (e2e)",
            "path": paceline,
            "type": "stdio",
            "allowed_origins": [format!("chrome-extension://{EXTENSION_ID}/")],
        });
        std::fs::write(nmh.join(format!("{HOST_NAME}.json")), manifest.to_string())
            .map_err(io_err("writing the native-messaging manifest"))?;
        // A previous run's endpoint file would point at a dead port.
        let port_file = udd.join("DevToolsActivePort");
        let _ = std::fs::remove_file(&port_file);

        let ext = extension_dir();
        let log = unique_log(profile.root(), "chromium");
        let log_file = std::fs::File::create(&log).map_err(io_err("creating the browser log"))?;
        let mut cmd = Command::new(&exe);
        cmd.args([
            "--headless=new",
            "--no-sandbox",
            &format!("--user-data-dir={}", udd.display()),
            &format!("--load-extension={}", ext.display()),
            &format!("--disable-extensions-except={}", ext.display()),
            &format!("--host-resolver-rules={}", fake.host_resolver_rules()),
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(start_url.unwrap_or("about:blank"))
        .envs(profile.env())
        .stdin(Stdio::null())
        .stdout(
            log_file
                .try_clone()
                .map_err(io_err("cloning the log handle"))?,
        )
        .stderr(log_file);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let child = cmd
            .spawn()
            .map_err(io_err(format!("starting {}", exe.display())))?;
        let mut process = ProcessGroup::new(child);

        let deadline = Instant::now() + START_TIMEOUT;
        let endpoint = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break format!("ws://127.0.0.1:{port}{path}");
                }
            }
            if let Some(status) = process.try_wait() {
                return Err(HarnessError::Protocol(format!(
                    "chromium exited ({status}) before opening its debugging port; see {}",
                    log.display()
                )));
            }
            if Instant::now() > deadline {
                return Err(HarnessError::Timeout {
                    after: START_TIMEOUT,
                    what: format!("chromium's DevToolsActivePort (log: {})", log.display()),
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let cdp = Cdp::connect(&endpoint).await?;
        Ok(Self { process, cdp, log })
    }

    /// The browser's log (stderr, including the bridge's own log lines).
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// The protocol connection, for anything the helpers below do not cover.
    pub fn cdp(&self) -> &Cdp {
        &self.cdp
    }

    /// The extension's service worker, once it is running.
    pub async fn service_worker(&self, timeout: Duration) -> Result<TargetInfo> {
        let prefix = format!("chrome-extension://{EXTENSION_ID}/");
        self.wait_for_target(timeout, "the extension's service worker", |t| {
            t.kind == "service_worker" && t.url.starts_with(&prefix)
        })
        .await
    }

    /// Waits for a target matching `pred` (a page the extension opened, the worker…).
    pub async fn wait_for_target(
        &self,
        timeout: Duration,
        what: &str,
        pred: impl Fn(&TargetInfo) -> bool,
    ) -> Result<TargetInfo> {
        try_wait_until(timeout, what, || async {
            Ok(self.cdp.targets().await?.into_iter().find(&pred))
        })
        .await
    }

    /// Evaluates an expression in the extension's service worker.
    pub async fn eval_in_worker(&self, expression: &str) -> Result<Value> {
        let sw = self.service_worker(Duration::from_secs(10)).await?;
        let session = self.cdp.attach(&sw.id).await?;
        let v = self.cdp.evaluate(&session, expression).await;
        let _ = self
            .cdp
            .call(
                "Target.detachFromTarget",
                json!({ "sessionId": session }),
                None,
            )
            .await;
        v
    }

    /// Stops the extension's service worker, as Chrome does to an idle worker.
    pub async fn stop_service_worker(&self) -> Result<()> {
        let sw = self.service_worker(Duration::from_secs(10)).await?;
        self.cdp.close_target(&sw.id).await?;
        let prefix = format!("chrome-extension://{EXTENSION_ID}/");
        try_wait_until(
            Duration::from_secs(10),
            "the service worker to stop",
            || async {
                let running = self
                    .cdp
                    .targets()
                    .await?
                    .iter()
                    .any(|t| t.kind == "service_worker" && t.url.starts_with(&prefix));
                Ok((!running).then_some(()))
            },
        )
        .await
    }

    /// Opens a page and attaches to it; returns `(target id, session id)`.
    pub async fn open_page(&self, url: &str) -> Result<(String, String)> {
        let target = self.cdp.open_page(url).await?;
        let session = self.cdp.attach(&target).await?;
        Ok((target, session))
    }

    /// Opens one of the extension's pages, e.g. `extension/js/popup/popup.html`.
    pub async fn open_extension_page(&self, path: &str) -> Result<(String, String)> {
        self.open_page(&format!("chrome-extension://{EXTENSION_ID}/{path}"))
            .await
    }

    /// The TrainingPeaks session cookie, if the browser has one.
    pub async fn auth_cookie(&self) -> Result<Option<String>> {
        let r = self.cdp.call("Storage.getCookies", json!({}), None).await?;
        Ok(r["cookies"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .find(|c| c["name"] == "Production_tpAuth")
            .and_then(|c| c["value"].as_str().map(str::to_string)))
    }

    /// Logs in by visiting the fake's login page, as a person would, and waits until the
    /// browser has stored the session cookie.
    pub async fn login(&self) -> Result<()> {
        self.visit_and_wait("https://app.trainingpeaks.com/login", true)
            .await
    }

    /// Logs out through the fake's logout page and waits until the cookie is gone.
    pub async fn logout(&self) -> Result<()> {
        self.visit_and_wait("https://app.trainingpeaks.com/logout", false)
            .await
    }

    async fn visit_and_wait(&self, url: &str, want_cookie: bool) -> Result<()> {
        let target = self.cdp.open_page(url).await?;
        try_wait_until(
            Duration::from_secs(15),
            &format!("the session cookie after visiting {url}"),
            || async { Ok((self.auth_cookie().await?.is_some() == want_cookie).then_some(())) },
        )
        .await?;
        self.cdp.close_target(&target).await
    }

    /// Closes the browser the way a person does (all windows closed), then waits for it and
    /// the bridge it started to exit (the bridge answers pending calls on its way out); kills
    /// whatever is left after 10 s.
    pub async fn close(mut self) -> Result<()> {
        let _ = self
            .cdp
            .call_within(Duration::from_secs(5), "Browser.close", json!({}), None)
            .await;
        self.process.finish(Duration::from_secs(10)).await;
        Ok(())
    }
}

/// `<dir>/<stem>-<n>.log` that does not exist yet (one per launch of the same profile).
pub(crate) fn unique_log(dir: &Path, stem: &str) -> PathBuf {
    (1..)
        .map(|n| dir.join(format!("{stem}-{n}.log")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.log")))
}
