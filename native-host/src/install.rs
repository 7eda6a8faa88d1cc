//! `paceline install` / `paceline uninstall`: registers the binary as the browsers'
//! native-messaging host, and optionally adds `paceline mcp` to Claude Desktop.
//!
//! A native-messaging manifest tells a browser which binary to start for our host name and
//! which extensions may start it. Chromium-family browsers read per-user manifests from a
//! directory in their profile root and check `allowed_origins`; Firefox reads its own
//! directory and checks `allowed_extensions` (bridge facts §2.3–2.4). Windows keeps the
//! manifest in a file too (ours go in `%LOCALAPPDATA%\Paceline\NativeMessagingHosts\`), but
//! finds it through a registry key whose default value is the file's path; that code is
//! type-checked for Windows (`cargo clippy --target x86_64-pc-windows-gnu`) but never run
//! (see the module `windows` below).

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
        if cfg!(windows) {
            return self.windows_dirs(
                &app_data(home, "LOCALAPPDATA", "Local"),
                &app_data(home, "APPDATA", "Roaming"),
            );
        }
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

    /// Windows: the profile root under `%LOCALAPPDATA%` (Firefox: `%APPDATA%`), and our own
    /// manifest directory, which the registry key points into (browsers do not scan it).
    fn windows_dirs(self, local: &Path, roaming: &Path) -> Option<(PathBuf, PathBuf)> {
        let under =
            |base: &Path, parts: &[&str]| parts.iter().fold(base.to_path_buf(), |p, c| p.join(c));
        let root = match self {
            Browser::Chrome => under(local, &["Google", "Chrome", "User Data"]),
            Browser::Chromium => under(local, &["Chromium", "User Data"]),
            Browser::Edge => under(local, &["Microsoft", "Edge", "User Data"]),
            Browser::Brave => under(local, &["BraveSoftware", "Brave-Browser", "User Data"]),
            Browser::Firefox => under(roaming, &["Mozilla", "Firefox"]),
            Browser::All => return None,
        };
        Some((root, under(local, &["Paceline", "NativeMessagingHosts"])))
    }

    /// Where this browser's manifest for our host goes.
    pub fn manifest_path(self, home: &Path) -> Option<PathBuf> {
        self.dirs(home)
            .map(|(_, dir)| dir.join(self.manifest_name(cfg!(windows))))
    }

    /// The manifest's file name. Firefox on Linux and macOS requires `<host name>.json`; on
    /// Windows every browser's manifest shares one directory (the registry names the file), and
    /// Firefox's differs from the Chromium ones, so each browser gets its own file.
    fn manifest_name(self, windows: bool) -> String {
        if windows {
            format!("{HOST_NAME}.{}.json", self.label().to_lowercase())
        } else {
            format!("{HOST_NAME}.json")
        }
    }
}

/// A per-user Windows folder: the environment's value, else its default under the profile.
fn app_data(home: &Path, var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join("AppData").join(default))
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

/// The user's home directory (`%USERPROFILE%` on Windows, where `HOME` is usually unset).
pub fn home() -> Result<PathBuf> {
    let var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    std::env::var_os(var)
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .with_context(|| format!("{var} is not set"))
}

/// This binary's absolute path, as browsers and MCP clients must be given it.
pub fn this_exe() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("finding this program's path")?;
    // On Windows `canonicalize` yields a verbatim `\\?\C:\…` path; Chrome starts hosts through
    // `cmd.exe`, which is not known to accept those. `current_exe` is already absolute there.
    if cfg!(windows) {
        return Ok(exe);
    }
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
        // The browser reads it as this user; an existing manifest keeps its mode.
        let permissions = std::fs::metadata(&path).ok().map(|m| m.permissions());
        write_atomic(&path, body.as_bytes(), permissions.as_ref())?;
        report.push_str(&format!("✓ {}: {}\n", b.label(), path.display()));
        #[cfg(windows)]
        report.push_str(&format!("  registry: {}\n", windows::register(b, &path)?));
    }
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
        #[cfg(windows)]
        for key in windows::unregister(b, &path)? {
            report.push_str(&format!("✓ removed the registry key {key}\n"));
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
///
/// The rewritten file and the backup keep the original file's permissions (a config holding
/// a cookie in `env` is often 0600); a new file is created 0600 on Unix.
pub fn merge_mcp_config(path: &Path, entry: Option<Value>) -> Result<Option<PathBuf>> {
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
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
            write_private(&backup, &bytes, permissions.as_ref())
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
    write_atomic(
        path,
        serde_json::to_string_pretty(&config)?.as_bytes(),
        permissions.as_ref(),
    )?;
    Ok(backup)
}

/// Writes a file by renaming a complete temporary file over it: never half-written. The
/// file gets `permissions` (those of the file it replaces), or 0600 on Unix.
fn write_atomic(
    path: &Path,
    bytes: &[u8],
    permissions: Option<&std::fs::Permissions>,
) -> Result<()> {
    let tmp = path.with_extension("tmp-paceline");
    write_private(&tmp, bytes, permissions)
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))
}

/// Writes `bytes` to `path`, created owner-only (Unix) so its content is never readable by
/// others, even for a moment, then given `permissions` if any.
fn write_private(
    path: &Path,
    bytes: &[u8],
    permissions: Option<&std::fs::Permissions>,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    // A file left over from an interrupted run keeps its old mode: set it in every case.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let private = std::fs::Permissions::from_mode(0o600);
        file.set_permissions(permissions.cloned().unwrap_or(private))?;
    }
    #[cfg(not(unix))]
    if let Some(p) = permissions {
        file.set_permissions(p.clone())?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}

/// Windows: each browser finds the manifest through `HKCU\<key>\<host name>`, whose default
/// value is the manifest's path. Type-checked for Windows; never run there.
#[cfg(windows)]
pub(crate) mod windows {
    use super::*;
    use winreg::RegKey;
    use winreg::enums::HKEY_CURRENT_USER;

    const CHROME: &str = r"Software\Google\Chrome\NativeMessagingHosts";

    /// The key (under HKCU) a browser reads for our host name.
    pub fn key(b: Browser) -> Option<String> {
        let parent = match b {
            Browser::Chrome => CHROME,
            Browser::Chromium => r"Software\Chromium\NativeMessagingHosts",
            Browser::Edge => r"Software\Microsoft\Edge\NativeMessagingHosts",
            Browser::Brave => r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts",
            Browser::Firefox => r"Software\Mozilla\NativeMessagingHosts",
            Browser::All => return None,
        };
        Some(format!(r"{parent}\{HOST_NAME}"))
    }

    fn hkcu() -> RegKey {
        RegKey::predef(HKEY_CURRENT_USER)
    }

    /// The manifest path a key names, if the key exists.
    fn value(key: &str) -> Option<PathBuf> {
        hkcu()
            .open_subkey(key)
            .and_then(|k| k.get_value::<String, _>(""))
            .ok()
            .map(PathBuf::from)
    }

    fn set(key: &str, manifest: &Path) -> Result<()> {
        let (k, _) = hkcu()
            .create_subkey(key)
            .with_context(|| format!(r"creating HKCU\{key}"))?;
        k.set_value("", &manifest.to_string_lossy().into_owned())
            .with_context(|| format!(r"setting HKCU\{key}"))
    }

    /// Points the browser's key at its manifest; returns what was set, for the report.
    /// Brave is documented to read either its own key or Chrome's, so Brave also gets Chrome's
    /// key when Chrome has none (both hold the same Chromium manifest content).
    pub fn register(b: Browser, manifest: &Path) -> Result<String> {
        let Some(key) = key(b) else {
            return Ok(String::new());
        };
        set(&key, manifest)?;
        let mut done = format!(r"HKCU\{key}");
        if b == Browser::Brave {
            let chrome = format!(r"{CHROME}\{HOST_NAME}");
            if value(&chrome).is_none() {
                set(&chrome, manifest)?;
                done.push_str(&format!(r" and HKCU\{chrome}"));
            }
        }
        Ok(done)
    }

    /// Deletes the browser's key (and Chrome's, for Brave, if it names Brave's manifest);
    /// returns the keys removed.
    pub fn unregister(b: Browser, manifest: &Path) -> Result<Vec<String>> {
        let mut removed = Vec::new();
        let mut keys: Vec<String> = key(b).into_iter().collect();
        let chrome = format!(r"{CHROME}\{HOST_NAME}");
        if b == Browser::Brave && value(&chrome).is_some_and(|p| p == manifest) {
            keys.push(chrome);
        }
        for key in keys {
            match hkcu().delete_subkey(&key) {
                Ok(()) => removed.push(format!(r"HKCU\{key}")),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!(r"deleting HKCU\{key}")),
            }
        }
        Ok(removed)
    }

    /// For `paceline doctor`: the key's display name and the manifest it names (if any).
    pub fn registered(b: Browser) -> Option<(String, Option<PathBuf>)> {
        let key = key(b)?;
        let found = value(&key);
        Some((format!(r"HKCU\{key}"), found))
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
    fn windows_manifest_locations() {
        let local = Path::new("/u/AppData/Local");
        let roaming = Path::new("/u/AppData/Roaming");
        let nmh = local.join("Paceline").join("NativeMessagingHosts");
        let cases = [
            (
                Browser::Chrome,
                "Google/Chrome/User Data",
                "dev.paceline.host.chrome.json",
            ),
            (
                Browser::Chromium,
                "Chromium/User Data",
                "dev.paceline.host.chromium.json",
            ),
            (
                Browser::Edge,
                "Microsoft/Edge/User Data",
                "dev.paceline.host.edge.json",
            ),
            (
                Browser::Brave,
                "BraveSoftware/Brave-Browser/User Data",
                "dev.paceline.host.brave.json",
            ),
            (
                Browser::Firefox,
                "Mozilla/Firefox",
                "dev.paceline.host.firefox.json",
            ),
        ];
        for (b, root, file) in cases {
            let (r, dir) = b.windows_dirs(local, roaming).unwrap();
            let base = if b == Browser::Firefox {
                roaming
            } else {
                local
            };
            assert_eq!(r, base.join(root), "{b:?} profile root");
            assert_eq!(dir, nmh, "{b:?} manifest dir");
            assert_eq!(b.manifest_name(true), file, "{b:?} manifest name");
            assert_eq!(
                b.manifest_name(false),
                "dev.paceline.host.json",
                "{b:?} unix name"
            );
        }
        assert!(Browser::All.windows_dirs(local, roaming).is_none());
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

    #[cfg(unix)]
    #[test]
    fn claude_config_keeps_its_mode_and_so_does_the_backup() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        for original in [0o600, 0o640] {
            let cfg = dir.path().join(format!("config-{original:o}.json"));
            std::fs::write(
                &cfg,
                r#"{"mcpServers":{"x":{"env":{"TP_AUTH_COOKIE":"s"}}}}"#,
            )
            .unwrap();
            std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(original)).unwrap();
            let backup = merge_mcp_config(&cfg, Some(mcp_entry(Path::new("/bin/paceline"))))
                .unwrap()
                .unwrap();
            assert_eq!(mode(&cfg), original, "the rewritten config");
            assert_eq!(mode(&backup), original, "the backup");
        }
        // A config that did not exist is created owner-only.
        let fresh = dir.path().join("new/claude_desktop_config.json");
        merge_mcp_config(&fresh, Some(json!({}))).unwrap();
        assert_eq!(mode(&fresh), 0o600);
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
