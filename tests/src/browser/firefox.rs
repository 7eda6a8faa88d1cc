//! Firefox ESR, headless, with the same extension directory installed as a temporary add-on
//! over WebDriver BiDi (browser e2e recipe §8: no geckodriver, no web-ext).
//!
//! Firefox has no `--host-resolver-rules`: the profile's `network.dns.localDomains` maps the
//! TrainingPeaks hostnames to 127.0.0.1 but keeps the port, so the fake must listen on 443
//! (root, or `CAP_NET_BIND_SERVICE`). The test CA goes into the profile's own NSS db, and the
//! native-messaging manifest into `$HOME/.mozilla/native-messaging-hosts/`.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::cdp::Cdp;
use super::chromium::unique_log;
use super::{
    GECKO_ID, HOST_NAME, HarnessError, ProcessGroup, Profile, Result, extension_dir, find_program,
    io_err, trust_ca, try_wait_until,
};
use crate::FAKE_HOSTS;

/// How long Firefox may take to start and open its BiDi endpoint.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running headless Firefox with the extension installed. Killed with its process group
/// on drop.
#[derive(Debug)]
pub struct Firefox {
    process: ProcessGroup,
    bidi: Cdp,
    log: PathBuf,
    context: String,
}

impl Firefox {
    /// The Firefox executable: `$PACELINE_FIREFOX`, else `firefox-esr` or `firefox`.
    pub fn executable() -> Result<PathBuf> {
        if let Some(p) = std::env::var_os("PACELINE_FIREFOX") {
            return Ok(PathBuf::from(p));
        }
        find_program(
            &["firefox-esr", "firefox"],
            "apt-get install -y firefox-esr (`.ci/run` does this)",
        )
    }

    /// Prepares the profile (prefs, CA, and unless `host_installed` the native-messaging
    /// manifest for `paceline`), launches Firefox on it, opens a BiDi session and installs the
    /// extension from the repository root. The fake must be listening on 443.
    /// `host_installed` means `paceline install --browser firefox` already wrote the manifest
    /// under the profile's `HOME` (Firefox reads it there, unlike headless Chromium).
    pub async fn launch(profile: &Profile, paceline: &Path, host_installed: bool) -> Result<Self> {
        let exe = Self::executable()?;
        let dir = profile.profile_dir();
        write_prefs(&dir)?;
        if !dir.join("cert9.db").exists() {
            trust_ca(&dir, &profile.ca_file())?;
        }
        let nmh = profile.home().join(".mozilla/native-messaging-hosts");
        std::fs::create_dir_all(&nmh).map_err(io_err("creating native-messaging-hosts"))?;
        let manifest = json!({
            "name": HOST_NAME,
            "description": "Paceline (e2e)",
            "path": paceline,
            "type": "stdio",
            "allowed_extensions": [GECKO_ID],
        });
        if !host_installed {
            std::fs::write(nmh.join(format!("{HOST_NAME}.json")), manifest.to_string())
                .map_err(io_err("writing the native-messaging manifest"))?;
        }

        let log = unique_log(profile.root(), "firefox");
        let mut cmd = Command::new(&exe);
        cmd.args(["--headless", "--no-remote", "--profile"])
            .arg(&dir)
            .args(["--remote-debugging-port", "0", "about:blank"])
            .envs(profile.env())
            .env("MOZ_CRASHREPORTER_DISABLE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let mut child = cmd
            .spawn()
            .map_err(io_err(format!("starting {}", exe.display())))?;

        // Firefox prints "WebDriver BiDi listening on ws://127.0.0.1:<port>" on stderr; the
        // rest of stderr (including the bridge's log) is copied to the log file.
        let stderr = child.stderr.take();
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let log_path = log.clone();
        std::thread::spawn(move || {
            let Some(stderr) = stderr else { return };
            let Ok(mut file) = std::fs::File::create(&log_path) else {
                return;
            };
            for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
                let _ = writeln!(file, "{line}");
                if let Some(i) = line.find("ws://") {
                    let _ = tx.send(line[i..].trim().to_string());
                }
            }
        });
        let mut process = ProcessGroup::new(child);
        let deadline = Instant::now() + START_TIMEOUT;
        let ws = loop {
            if let Ok(url) = rx.try_recv() {
                break url;
            }
            if let Some(status) = process.try_wait() {
                return Err(HarnessError::Protocol(format!(
                    "firefox exited ({status}) before opening BiDi; see {}",
                    log.display()
                )));
            }
            if Instant::now() > deadline {
                return Err(HarnessError::Timeout {
                    after: START_TIMEOUT,
                    what: format!("firefox's BiDi endpoint (log: {})", log.display()),
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let bidi = Cdp::connect(&format!("{}/session", ws.trim_end_matches('/'))).await?;
        bidi.call("session.new", json!({ "capabilities": {} }), None)
            .await?;
        let installed = bidi
            .call(
                "webExtension.install",
                json!({ "extensionData": { "type": "path", "path": extension_dir() } }),
                None,
            )
            .await?;
        if installed["extension"] != GECKO_ID {
            return Err(HarnessError::Protocol(format!(
                "installed {installed}, expected {GECKO_ID}"
            )));
        }
        let tree = bidi
            .call("browsingContext.getTree", json!({}), None)
            .await?;
        let context = tree["contexts"][0]["context"]
            .as_str()
            .ok_or_else(|| HarnessError::Protocol(format!("no browsing context: {tree}")))?
            .to_string();
        Ok(Self {
            process,
            bidi,
            log,
            context,
        })
    }

    /// The browser's log (stderr, including the bridge's own log lines).
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// Logs in through the fake's login page and waits until the cookie is stored.
    pub async fn login(&self) -> Result<()> {
        self.bidi
            .call(
                "browsingContext.navigate",
                json!({
                    "context": self.context,
                    "url": "https://app.trainingpeaks.com/login",
                    "wait": "complete",
                }),
                None,
            )
            .await?;
        try_wait_until(Duration::from_secs(15), "the session cookie", || async {
            let r = self
                .bidi
                .call(
                    "storage.getCookies",
                    json!({ "filter": { "name": "Production_tpAuth" } }),
                    None,
                )
                .await?;
            Ok(r["cookies"]
                .as_array()
                .is_some_and(|c| !c.is_empty())
                .then_some(()))
        })
        .await
    }

    /// The BiDi connection, for anything the helpers here do not cover.
    pub fn bidi(&self) -> &Cdp {
        &self.bidi
    }

    /// Evaluates a script in the current page (for diagnosis).
    pub async fn eval_in_page(&self, expression: &str) -> Result<Value> {
        self.bidi
            .call(
                "script.evaluate",
                json!({
                    "expression": expression,
                    "target": { "context": self.context },
                    "awaitPromise": true,
                }),
                None,
            )
            .await
    }

    /// Closes the browser and waits for it (and the bridge it started) to exit; kills
    /// whatever is left after 15 s.
    pub async fn close(mut self) -> Result<()> {
        let _ = self
            .bidi
            .call_within(Duration::from_secs(5), "browser.close", json!({}), None)
            .await;
        self.process.finish(Duration::from_secs(15)).await;
        Ok(())
    }
}

/// The extension's moz-extension:// UUID in the test profiles (pinned in `user.js`).
pub const EXTENSION_UUID: &str = "6f1d2c4e-8a37-4b59-9e0a-3c5d7b1f2a64";

/// The profile's `user.js`: the TrainingPeaks names on loopback, no first-run or network
/// chatter, DNS-over-HTTPS off (it would bypass `localDomains`).
fn write_prefs(dir: &Path) -> Result<()> {
    let prefs = [
        (
            "network.dns.localDomains",
            format!("\"{},{}\"", FAKE_HOSTS.join(","), crate::fake_tp::ICU_HOST),
        ),
        // A fixed moz-extension:// UUID, so tests can open the extension's pages.
        (
            "extensions.webextensions.uuids",
            serde_json::to_string(&json!({ (GECKO_ID): EXTENSION_UUID }).to_string())
                .unwrap_or_default(),
        ),
        ("network.trr.mode", "5".into()),
        ("network.proxy.type", "0".into()),
        ("browser.shell.checkDefaultBrowser", "false".into()),
        (
            "browser.startup.homepage_override.mstone",
            "\"ignore\"".into(),
        ),
        ("datareporting.policy.dataSubmissionEnabled", "false".into()),
        ("datareporting.healthreport.uploadEnabled", "false".into()),
        ("toolkit.telemetry.enabled", "false".into()),
        ("app.update.enabled", "false".into()),
        ("app.normandy.enabled", "false".into()),
        ("extensions.update.enabled", "false".into()),
        ("browser.safebrowsing.malware.enabled", "false".into()),
        ("browser.safebrowsing.phishing.enabled", "false".into()),
        ("network.captive-portal-service.enabled", "false".into()),
        ("network.connectivity-service.enabled", "false".into()),
        ("browser.newtabpage.enabled", "false".into()),
    ];
    let text: String = prefs
        .iter()
        .map(|(k, v)| format!("user_pref(\"{k}\", {v});\n"))
        .collect();
    std::fs::write(dir.join("user.js"), text).map_err(io_err("writing user.js"))
}
