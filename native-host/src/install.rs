//! `paceline install` / `paceline uninstall`: registers the binary as the browsers'
//! native-messaging host, and optionally adds `paceline mcp` to MCP clients' configurations
//! (Claude Desktop, Claude Code, Cursor, VS Code; [`clients`]). Which browsers are here and where
//! each reads manifests (snaps, flatpaks, profiles named with `--profile-dir`) is [`browsers`].
//!
//! A native-messaging manifest tells a browser which binary to start for our host name and
//! which extensions may start it. Chromium-family browsers read per-user manifests from a
//! directory in their profile root and check `allowed_origins`; Firefox reads its own
//! directory and checks `allowed_extensions` (bridge facts §2.3–2.4). Windows keeps the
//! manifest in a file too (ours go in `%LOCALAPPDATA%\Paceline\NativeMessagingHosts\`), but
//! finds it through a registry key whose default value is the file's path; that code is
//! type-checked for Windows (`cargo clippy --target x86_64-pc-windows-gnu`) but never run
//! (module [`windows`]).

mod browsers;
mod clients;
mod files;
#[cfg(windows)]
pub(crate) mod windows;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use serde_json::{Value, json};

pub use browsers::{Location, System};
pub use clients::{Client, Configured};

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

    /// The manifest's file name. Firefox on Linux and macOS requires `<host name>.json`; on
    /// Windows every browser's manifest shares one directory (the registry names the file), and
    /// Firefox's differs from the Chromium ones, so each browser gets its own file.
    pub(crate) fn manifest_name(self, windows: bool) -> String {
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
    /// Which browser to register with. `all` (the default) registers with every browser found:
    /// started ones by their profile, not-yet-started ones by their program, snaps and flatpaks
    /// by their own folders.
    #[arg(long, value_enum, default_value = "all")]
    pub browser: Browser,
    /// A Chromium-family user-data directory outside the default place (as given to the
    /// browser's `--user-data-dir`); needs `--browser`. Repeatable.
    #[arg(long = "profile-dir", value_name = "DIR")]
    pub profile_dirs: Vec<PathBuf>,
    /// Also add `paceline mcp` to these MCP clients' configurations (a backup is kept):
    /// claude, claude-code, cursor, vscode. Repeatable or comma-separated.
    #[arg(long = "client", value_enum, value_delimiter = ',')]
    pub clients: Vec<Client>,
    /// More Chromium extension IDs allowed to start the host (e.g. a store-installed build).
    #[arg(long = "extension-id", value_name = "ID")]
    pub extension_ids: Vec<String>,
}

/// `paceline uninstall` arguments.
#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Which browser to unregister from (`all` by default: every place any browser reads).
    #[arg(long, value_enum, default_value = "all")]
    pub browser: Browser,
    /// A user-data directory given to `install --profile-dir`. Repeatable.
    #[arg(long = "profile-dir", value_name = "DIR")]
    pub profile_dirs: Vec<PathBuf>,
    /// Also remove Paceline from these MCP clients' configurations (a backup is kept).
    #[arg(long = "client", value_enum, value_delimiter = ',')]
    pub clients: Vec<Client>,
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

/// Every place any browser (or the named one) could read our manifest: what `doctor` and
/// `uninstall` look at.
pub fn every_location(browser: Browser, home: &Path) -> Vec<Location> {
    let sys = System::from_env(home.to_path_buf());
    let each = match browser {
        Browser::All => Browser::EACH.to_vec(),
        b => vec![b],
    };
    let mut out: Vec<Location> = Vec::new();
    for loc in each.into_iter().flat_map(|b| browsers::candidates(b, &sys)) {
        if !out.iter().any(|l| l.manifest_path() == loc.manifest_path()) {
            out.push(loc);
        }
    }
    out
}

/// The browsers found on this machine (for `doctor`).
pub fn browsers_present(home: &Path) -> Vec<Location> {
    browsers::present(Browser::All, &System::from_env(home.to_path_buf()))
}

/// What `client`'s configuration at `path` says about Paceline (for `doctor`).
pub fn configured_client(client: Client, path: &Path) -> Configured {
    clients::configured(client, path)
}

/// Where `install` writes: the named profile directories, else every browser found, else (for a
/// browser named with `--browser` that we did not find) its usual place.
fn install_locations(args: &InstallArgs, sys: &System) -> Result<Vec<Location>> {
    if !args.profile_dirs.is_empty() {
        return args
            .profile_dirs
            .iter()
            .map(|d| browsers::profile_dir(args.browser, d).map_err(anyhow::Error::msg))
            .collect();
    }
    let found = browsers::present(args.browser, sys);
    if !found.is_empty() || args.browser == Browser::All {
        return Ok(found);
    }
    // The person named a browser we found no trace of: trust them and use its usual place.
    Ok(browsers::candidates(args.browser, sys)
        .into_iter()
        .take(1)
        .map(|mut l| {
            l.found_by = "named with --browser".into();
            l
        })
        .collect())
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
    let sys = System::from_env(home.clone());
    let locations = install_locations(args, &sys)?;
    if locations.is_empty() {
        bail!(
            "no supported browser found (Chrome, Chromium, Edge, Brave or Firefox; natively, as a snap or as a flatpak): install one, or name yours with --browser chrome|chromium|edge|brave|firefox (and --profile-dir DIR if it uses a profile outside the usual place)"
        );
    }
    let mut report = String::new();
    for loc in &locations {
        let path = loc.manifest_path();
        // Before the folder is made: making it creates the profile root too.
        let started = loc.started();
        std::fs::create_dir_all(&loc.dir)
            .with_context(|| format!("creating {}", loc.dir.display()))?;
        let body = serde_json::to_string_pretty(&manifest(loc.browser, &exe, &args.extension_ids))?;
        // The browser reads it as this user; an existing manifest keeps its mode.
        let permissions = std::fs::metadata(&path).ok().map(|m| m.permissions());
        files::write_atomic(&path, body.as_bytes(), permissions.as_ref())?;
        report.push_str(&format!("✓ {}: {}\n", loc.label(), path.display()));
        if !started {
            report.push_str(&format!(
                "  {} has not been started yet ({}); the manifest is in place for when it is.\n",
                loc.label(),
                loc.found_by
            ));
        }
        if let Some(c) = loc.caveat(&exe) {
            report.push_str(&format!("  note: {c}\n"));
        }
        #[cfg(windows)]
        report.push_str(&format!(
            "  registry: {}\n",
            windows::register(loc.browser, &path)?
        ));
    }
    if args.clients.is_empty() {
        report.push_str(&format!(
            "\nAdd Paceline to your MCP client with `paceline install --client claude|claude-code|cursor|vscode`, or by hand:\n{}\n",
            serde_json::to_string_pretty(
                &json!({"mcpServers": {clients::ENTRY: Client::Claude.entry(&exe)}})
            )?
        ));
    }
    for c in &args.clients {
        let cfg = c.config_path(&home);
        let backup = clients::merge(*c, &cfg, Some(c.entry(&exe)))?;
        report.push_str(&format!(
            "\n✓ {}: added \"{}\" to {}{}\n  Next: {}.\n",
            c.label(),
            clients::ENTRY,
            cfg.display(),
            backup_note(&backup),
            c.next_step()
        ));
    }
    report.push_str(
        "\nNext: load the extension, log in to TrainingPeaks (or Intervals.icu), then run `paceline doctor`.",
    );
    crate::output::finish(crate::output::stdout_line(&report), ())
}

/// Runs `paceline uninstall`.
pub fn uninstall(args: &UninstallArgs) -> Result<()> {
    let home = home()?;
    let mut report = String::new();
    let mut locations = every_location(args.browser, &home);
    for d in &args.profile_dirs {
        locations.push(browsers::profile_dir(args.browser, d).map_err(anyhow::Error::msg)?);
    }
    for loc in locations {
        let path = loc.manifest_path();
        match std::fs::remove_file(&path) {
            Ok(()) => report.push_str(&format!("✓ removed {}\n", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
        }
        #[cfg(windows)]
        for key in windows::unregister(loc.browser, &path)? {
            report.push_str(&format!("✓ removed the registry key {key}\n"));
        }
    }
    for c in &args.clients {
        let cfg = c.config_path(&home);
        if cfg.exists() {
            let backup = clients::merge(*c, &cfg, None)?;
            report.push_str(&format!(
                "✓ removed \"{}\" from {}{}\n",
                clients::ENTRY,
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
}
