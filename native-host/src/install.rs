//! `paceline install` / `paceline uninstall`: registers the binary as the browsers'
//! native-messaging host, and optionally adds `paceline mcp` to Claude Desktop.
//!
//! A native-messaging manifest tells a browser which binary to start for our host name and
//! which extensions may start it. Chromium-family browsers read per-user manifests from a
//! directory in their profile root and check `allowed_origins`; Firefox reads its own
//! directory and checks `allowed_extensions` (bridge facts §2.3–2.4). Windows keeps the
//! manifest in a file too, but finds it through a registry key; that path is compiled but has
//! not been run (see the module `windows` below).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use serde_json::{Value, json};

/// The native-messaging host name (reverse DNS, lower case).
pub const HOST_NAME: &str = "dev.paceline.host";
/// The development extension ID, pinned by the `key` in the root `manifest.json`.
pub const DEV_EXTENSION_ID: &str = "ldmgjianhngkmdonfaallcdjhibfejml";
/// The Firefox add-on id (`browser_specific_settings.gecko.id`).
pub const FIREFOX_ADDON_ID: &str = "paceline@paceline.dev";

/// A browser we can register with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Browser {
    /// Google Chrome.
    Chrome,
    /// Chromium.
    Chromium,
    /// Microsoft Edge.
    Edge,
    /// Brave.
    Brave,
    /// Mozilla Firefox.
    Firefox,
    /// Every browser above that is installed (its profile directory exists).
    All,
}

impl Browser {
    /// The concrete browsers.
    pub const EACH: [Browser; 5] = [
        Browser::Chrome,
        Browser::Chromium,
        Browser::Edge,
        Browser::Brave,
        Browser::Firefox,
    ];

    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            Browser::Chrome => "Chrome",
            Browser::Chromium => "Chromium",
            Browser::Edge => "Edge",
            Browser::Brave => "Brave",
            Browser::Firefox => "Firefox",
            Browser::All => "all browsers",
        }
    }

    /// The browser's per-user profile root (whose existence means "installed") and the
    /// directory it reads native-messaging manifests from, under `home`.
    pub fn dirs(self, home: &Path) -> Option<(PathBuf, PathBuf)> {
        let (root, nmh): (&str, &str) = if cfg!(target_os = "macos") {
            match self {
                Browser::Chrome => (
                    "Library/Application Support/Google/Chrome",
                    "NativeMessagingHosts",
                ),
                Browser::Chromium => (
                    "Library/Application Support/Chromium",
                    "NativeMessagingHosts",
                ),
                Browser::Edge => (
                    "Library/Application Support/Microsoft Edge",
                    "NativeMessagingHosts",
                ),
                Browser::Brave => (
                    "Library/Application Support/BraveSoftware/Brave-Browser",
                    "NativeMessagingHosts",
                ),
                Browser::Firefox => (
                    "Library/Application Support/Mozilla",
                    "NativeMessagingHosts",
                ),
                Browser::All => return None,
            }
        } else {
            match self {
                Browser::Chrome => (".config/google-chrome", "NativeMessagingHosts"),
                Browser::Chromium => (".config/chromium", "NativeMessagingHosts"),
                Browser::Edge => (".config/microsoft-edge", "NativeMessagingHosts"),
                Browser::Brave => (
                    ".config/BraveSoftware/Brave-Browser",
                    "NativeMessagingHosts",
                ),
                Browser::Firefox => (".mozilla", "native-messaging-hosts"),
                Browser::All => return None,
            }
        };
        let root = home.join(root);
        let dir = root.join(nmh);
        Some((root, dir))
    }

    /// Where this browser's manifest for our host goes.
    pub fn manifest_path(self, home: &Path) -> Option<PathBuf> {
        self.dirs(home)
            .map(|(_, dir)| dir.join(format!("{HOST_NAME}.json")))
    }
}

/// The manifest a browser reads.
pub fn manifest(browser: Browser, exe: &Path, extra_ids: &[String]) -> Value {
    let mut m = json!({
        "name": HOST_NAME,
        "description": "Paceline: lets your AI assistant use TrainingPeaks through this browser",
        "path": exe.to_string_lossy(),
        "type": "stdio",
    });
    if browser == Browser::Firefox {
        m["allowed_extensions"] = json!([FIREFOX_ADDON_ID]);
    } else {
        let mut origins = vec![format!("chrome-extension://{DEV_EXTENSION_ID}/")];
        origins.extend(
            extra_ids
                .iter()
                .map(|id| format!("chrome-extension://{id}/")),
        );
        m["allowed_origins"] = json!(origins);
    }
    m
}

/// `paceline install` arguments.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Which browser to register with. `all` (the default) registers with every installed one.
    #[arg(long, value_enum, default_value = "all")]
    pub browser: Browser,
    /// Also add `paceline mcp` to an MCP client's configuration (a backup is kept).
    #[arg(long, value_enum)]
    pub client: Option<Client>,
    /// More Chromium extension IDs allowed to start the host (e.g. a store-installed build).
    #[arg(long = "extension-id", value_name = "ID")]
    pub extension_ids: Vec<String>,
}

/// `paceline uninstall` arguments.
#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Which browser to unregister from (`all` by default).
    #[arg(long, value_enum, default_value = "all")]
    pub browser: Browser,
    /// Also remove Paceline from an MCP client's configuration (a backup is kept).
    #[arg(long, value_enum)]
    pub client: Option<Client>,
}

/// An MCP client whose configuration we can edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Client {
    /// Claude Desktop (`claude_desktop_config.json`).
    Claude,
}

/// The user's home directory.
pub fn home() -> Result<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .context("HOME is not set")
}

/// This binary's absolute path, as browsers and MCP clients must be given it.
pub fn this_exe() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("finding this program's path")?;
    Ok(exe.canonicalize().unwrap_or(exe))
}

fn targets(browser: Browser, home: &Path) -> Vec<Browser> {
    match browser {
        Browser::All => Browser::EACH
            .into_iter()
            .filter(|b| b.dirs(home).is_some_and(|(root, _)| root.is_dir()))
            .collect(),
        b => vec![b],
    }
}

/// The MCP client configuration entry for Paceline.
pub fn mcp_entry(exe: &Path) -> Value {
    json!({"command": exe.to_string_lossy(), "args": ["mcp"]})
}

/// Runs `paceline install`.
pub fn install(args: &InstallArgs) -> Result<()> {
    let home = home()?;
    let exe = this_exe()?;
    for id in &args.extension_ids {
        if id.len() != 32 || !id.bytes().all(|b| (b'a'..=b'p').contains(&b)) {
            bail!("--extension-id {id:?} is not a Chromium extension ID (32 letters a–p)");
        }
    }
    let browsers = targets(args.browser, &home);
    if browsers.is_empty() {
        bail!(
            "no supported browser profile found under {}; name one with --browser chrome|chromium|edge|brave|firefox",
            home.display()
        );
    }
    let mut report = String::new();
    for b in browsers {
        let Some(path) = b.manifest_path(&home) else {
            continue;
        };
        let dir = path.parent().context("manifest path has no parent")?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let body = serde_json::to_string_pretty(&manifest(b, &exe, &args.extension_ids))?;
        write_atomic(&path, body.as_bytes())?;
        report.push_str(&format!("✓ {}: {}\n", b.label(), path.display()));
    }
    #[cfg(windows)]
    windows::register(&home, &exe)?;
    report.push_str(&format!(
        "\nAdd Paceline to your MCP client (Claude Desktop, Cursor…):\n{}\n",
        serde_json::to_string_pretty(&json!({"mcpServers": {"paceline": mcp_entry(&exe)}}))?
    ));
    if let Some(Client::Claude) = args.client {
        let cfg = claude_config_path(&home);
        let backup = merge_mcp_config(&cfg, Some(mcp_entry(&exe)))?;
        report.push_str(&format!("\n✓ Claude Desktop: added \"paceline\" to {}{}\n  Restart Claude Desktop to pick it up.\n", cfg.display(), backup_note(&backup)));
    }
    report.push_str(
        "\nNext: load the extension, log in to TrainingPeaks, then run `paceline doctor`.",
    );
    crate::output::finish(crate::output::stdout_line(&report), ())
}

/// Runs `paceline uninstall`.
pub fn uninstall(args: &UninstallArgs) -> Result<()> {
    let home = home()?;
    let mut report = String::new();
    let browsers = match args.browser {
        Browser::All => Browser::EACH.to_vec(),
        b => vec![b],
    };
    for b in browsers {
        let Some(path) = b.manifest_path(&home) else {
            continue;
        };
        match std::fs::remove_file(&path) {
            Ok(()) => report.push_str(&format!("✓ removed {}\n", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
        }
    }
    if let Some(Client::Claude) = args.client {
        let cfg = claude_config_path(&home);
        if cfg.exists() {
            let backup = merge_mcp_config(&cfg, None)?;
            report.push_str(&format!(
                "✓ removed \"paceline\" from {}{}\n",
                cfg.display(),
                backup_note(&backup)
            ));
        }
    }
    if report.is_empty() {
        report.push_str("Nothing to remove: Paceline was not installed for that browser.");
    }
    crate::output::finish(crate::output::stdout_line(report.trim_end()), ())
}

fn backup_note(backup: &Option<PathBuf>) -> String {
    backup
        .as_ref()
        .map(|b| format!(" (backup: {})", b.display()))
        .unwrap_or_default()
}

/// Claude Desktop's configuration file.
pub fn claude_config_path(home: &Path) -> PathBuf {
    if cfg!(target_os = "macos") {
        home.join("Library/Application Support/Claude/claude_desktop_config.json")
    } else if cfg!(windows) {
        std::env::var_os("APPDATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join("AppData/Roaming"))
            .join("Claude/claude_desktop_config.json")
    } else {
        home.join(".config/Claude/claude_desktop_config.json")
    }
}

/// Sets (`Some`) or removes (`None`) `mcpServers.paceline` in an MCP client config, keeping
/// everything else. Backs the old file up first; returns the backup's path, if one was made.
pub fn merge_mcp_config(path: &Path, entry: Option<Value>) -> Result<Option<PathBuf>> {
    let (mut config, backup) = match std::fs::read(path) {
        Ok(bytes) => {
            let config: Value = serde_json::from_slice(&bytes).with_context(|| {
                format!(
                    "{} is not valid JSON; fix or move it, then retry",
                    path.display()
                )
            })?;
            if !config.is_object() {
                bail!(
                    "{} does not hold a JSON object; fix or move it, then retry",
                    path.display()
                );
            }
            let backup = path.with_extension(format!(
                "json.bak-{}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            ));
            std::fs::write(&backup, &bytes)
                .with_context(|| format!("writing the backup {}", backup.display()))?;
            (config, Some(backup))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (json!({}), None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let servers = config
        .as_object_mut()
        .context("config is an object")?
        .entry("mcpServers")
        .or_insert_with(|| json!({}));
    let Some(servers) = servers.as_object_mut() else {
        bail!("`mcpServers` in {} is not an object", path.display())
    };
    match entry {
        Some(e) => {
            servers.insert("paceline".into(), e);
        }
        None => {
            servers.remove("paceline");
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    write_atomic(path, serde_json::to_string_pretty(&config)?.as_bytes())?;
    Ok(backup)
}

/// Writes a file by renaming a complete temporary file over it: never half-written.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp-paceline");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))
}

/// Windows: the manifest is a file, found through `HKCU\Software\<vendor>\NativeMessagingHosts\<name>`.
/// Compiled for Windows targets; not exercised by tests on this project's Linux CI.
#[cfg(windows)]
mod windows {
    use super::*;

    const KEYS: [(&str, Browser); 5] = [
        (
            r"Software\Google\Chrome\NativeMessagingHosts",
            Browser::Chrome,
        ),
        (r"Software\Chromium\NativeMessagingHosts", Browser::Chromium),
        (
            r"Software\Microsoft\Edge\NativeMessagingHosts",
            Browser::Edge,
        ),
        (
            r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts",
            Browser::Brave,
        ),
        (r"Software\Mozilla\NativeMessagingHosts", Browser::Firefox),
    ];

    pub fn register(_home: &Path, exe: &Path) -> Result<()> {
        let dir = exe.parent().context("exe has no directory")?;
        for (key, browser) in KEYS {
            let file = dir.join(format!(
                "{HOST_NAME}.{}.json",
                browser.label().to_lowercase()
            ));
            std::fs::write(
                &file,
                serde_json::to_string_pretty(&manifest(browser, exe, &[]))?,
            )?;
            let hkcu = winreg::RegKey::predef(winreg::enums::HKEY_CURRENT_USER);
            let (k, _) = hkcu.create_subkey(format!(r"{key}\{HOST_NAME}"))?;
            k.set_value("", &file.to_string_lossy().to_string())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_per_browser() {
        let exe = Path::new("/opt/paceline/paceline");
        let chrome = manifest(
            Browser::Chrome,
            exe,
            &["abcdefghijklmnopabcdefghijklmnop".into()],
        );
        assert_eq!(chrome["name"], HOST_NAME);
        assert_eq!(chrome["type"], "stdio");
        assert_eq!(chrome["path"], "/opt/paceline/paceline");
        assert_eq!(
            chrome["allowed_origins"],
            json!([
                format!("chrome-extension://{DEV_EXTENSION_ID}/"),
                "chrome-extension://abcdefghijklmnopabcdefghijklmnop/"
            ])
        );
        assert!(chrome.get("allowed_extensions").is_none());
        let ff = manifest(Browser::Firefox, exe, &[]);
        assert_eq!(ff["allowed_extensions"], json!([FIREFOX_ADDON_ID]));
        assert!(ff.get("allowed_origins").is_none());
    }

    #[test]
    fn claude_config_merge_keeps_other_servers_and_backs_up() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("claude_desktop_config.json");
        std::fs::write(
            &cfg,
            r#"{"mcpServers":{"other":{"command":"x"}},"theme":"dark"}"#,
        )
        .unwrap();
        let backup = merge_mcp_config(&cfg, Some(mcp_entry(Path::new("/bin/paceline"))))
            .unwrap()
            .unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(&cfg).unwrap()).unwrap();
        assert_eq!(v["mcpServers"]["other"]["command"], "x");
        assert_eq!(
            v["mcpServers"]["paceline"],
            json!({"command": "/bin/paceline", "args": ["mcp"]})
        );
        assert_eq!(v["theme"], "dark");
        assert!(std::fs::read_to_string(backup).unwrap().contains("other"));
        merge_mcp_config(&cfg, None).unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(&cfg).unwrap()).unwrap();
        assert!(v["mcpServers"].get("paceline").is_none());
        assert_eq!(v["mcpServers"]["other"]["command"], "x");
    }

    #[test]
    fn refuses_to_overwrite_a_broken_config() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.json");
        std::fs::write(&cfg, "{not json").unwrap();
        let err = merge_mcp_config(&cfg, Some(json!({}))).unwrap_err();
        assert!(err.to_string().contains("not valid JSON"), "{err}");
        assert_eq!(std::fs::read_to_string(&cfg).unwrap(), "{not json");
    }
}
