//! Where each browser looks for native-messaging manifests, and which browsers this machine has.
//!
//! A browser counts as present when its profile directory exists (it has been started), when its
//! program is installed (on `PATH`, an app bundle on macOS, a snap or a flatpak), or when the
//! person names its profile directory. A browser that is installed but has never been started has
//! no profile yet; its manifest directory is created so that the browser finds the manifest the
//! first time it starts (Chromium keeps an existing `NativeMessagingHosts` folder when it creates
//! the rest of its profile, and Firefox's folder is outside the profile).
//!
//! On Linux a browser can be installed three ways, each reading its own folder:
//! - natively (`~/.config/chromium/NativeMessagingHosts`, `~/.mozilla/native-messaging-hosts`);
//! - as a snap: Chromium reads `~/snap/chromium/common/chromium/NativeMessagingHosts`; Firefox
//!   asks the desktop's WebExtensions portal, which reads the native folder, so the native folder
//!   is written for it too (bridge facts §2);
//! - as a flatpak: each app reads its folder under `~/.var/app/<app id>/`, and starts the host
//!   inside its sandbox, so the sandbox must be allowed to see the binary (see [`Location::caveat`]).

use std::path::{Path, PathBuf};

use super::Browser;

/// How a browser was installed, which decides where it reads manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// A regular package or installer.
    Native,
    /// An Ubuntu snap.
    Snap,
    /// A flatpak app.
    Flatpak,
    /// A user-data directory the person named with `--profile-dir`.
    ProfileDir,
}

/// One place a browser reads our manifest from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The browser.
    pub browser: Browser,
    /// How it is installed.
    pub flavour: Flavour,
    /// The browser's user-data (profile) directory: it exists once the browser has been started.
    pub root: PathBuf,
    /// The directory holding the manifest.
    pub dir: PathBuf,
    /// Why we think this browser is here (for the report and `doctor`).
    pub found_by: String,
}

impl Location {
    /// The manifest file.
    pub fn manifest_path(&self) -> PathBuf {
        self.dir.join(self.browser.manifest_name(cfg!(windows)))
    }

    /// A display name such as "Chromium (snap)".
    pub fn label(&self) -> String {
        match self.flavour {
            Flavour::Native => self.browser.label().to_string(),
            Flavour::Snap => format!("{} (snap)", self.browser.label()),
            Flavour::Flatpak => format!("{} (flatpak)", self.browser.label()),
            Flavour::ProfileDir => format!("{} ({})", self.browser.label(), self.root.display()),
        }
    }

    /// Whether the browser has created its profile (been started at least once).
    pub fn started(&self) -> bool {
        self.root.is_dir()
    }

    /// What else the person must do for this kind of install, if anything.
    pub fn caveat(&self, exe: &Path) -> Option<String> {
        match (self.flavour, self.browser) {
            (Flavour::Flatpak, _) => {
                let app = flatpak_app(self.browser).unwrap_or("the app");
                let dir = exe.parent().unwrap_or(exe);
                Some(format!(
                    "a flatpak browser starts Paceline inside its sandbox: let it see the binary with `flatpak override --user --filesystem={}:ro {app}`",
                    dir.display()
                ))
            }
            (Flavour::Snap, Browser::Firefox) => Some(
                "snap Firefox reaches Paceline through the desktop's WebExtensions portal (xdg-desktop-portal 1.17 or newer); Firefox asks once for permission".into(),
            ),
            _ => None,
        }
    }
}

/// What the machine looks like: the home directory, the `PATH` and the root that `/snap` and the
/// system flatpak folder hang from. Taken from the environment in the binary and built by hand in
/// tests.
#[derive(Debug, Clone)]
pub struct System {
    /// The user's home directory.
    pub home: PathBuf,
    /// The `PATH` entries.
    pub path: Vec<PathBuf>,
    /// `/` normally.
    pub root: PathBuf,
}

impl System {
    /// The running machine.
    pub fn from_env(home: PathBuf) -> System {
        System {
            home,
            path: std::env::var_os("PATH")
                .map(|p| std::env::split_paths(&p).collect())
                .unwrap_or_default(),
            root: PathBuf::from("/"),
        }
    }

    fn on_path(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|n| {
            self.path
                .iter()
                .map(|d| d.join(n))
                .find(|p| p.is_file())
                .map(|p| format!("{} is installed", p.display()))
        })
    }
}

/// Every place `browser` could read its manifest from on this kind of system, whether or not it is
/// installed there, native first. Empty for [`Browser::All`].
pub fn candidates(browser: Browser, sys: &System) -> Vec<Location> {
    let Some((root, dir)) = browser.dirs(&sys.home) else {
        return Vec::new();
    };
    let mut out = vec![Location {
        browser,
        flavour: Flavour::Native,
        root,
        dir,
        found_by: String::new(),
    }];
    if cfg!(target_os = "linux") {
        out.extend(linux_sandboxed(browser, &sys.home));
    }
    out
}

/// Snap and flatpak locations (Linux).
fn linux_sandboxed(browser: Browser, home: &Path) -> Vec<Location> {
    let mut out = Vec::new();
    match browser {
        Browser::Chromium => {
            let root = home.join("snap/chromium/common/chromium");
            out.push(Location {
                browser,
                flavour: Flavour::Snap,
                dir: root.join("NativeMessagingHosts"),
                root,
                found_by: String::new(),
            });
        }
        Browser::Firefox => {
            // The portal reads the native folder; the snap's own profile marks it as started.
            out.push(Location {
                browser,
                flavour: Flavour::Snap,
                root: home.join("snap/firefox/common/.mozilla"),
                dir: home.join(".mozilla/native-messaging-hosts"),
                found_by: String::new(),
            });
        }
        _ => {}
    }
    if let Some(app) = flatpak_app(browser) {
        let base = home.join(".var/app").join(app);
        let (root, dir) = match browser {
            Browser::Firefox => (base.join(".mozilla"), "native-messaging-hosts"),
            Browser::Chrome => (base.join("config/google-chrome"), "NativeMessagingHosts"),
            Browser::Chromium => (base.join("config/chromium"), "NativeMessagingHosts"),
            Browser::Edge => (base.join("config/microsoft-edge"), "NativeMessagingHosts"),
            Browser::Brave => (
                base.join("config/BraveSoftware/Brave-Browser"),
                "NativeMessagingHosts",
            ),
            Browser::All => return out,
        };
        out.push(Location {
            browser,
            flavour: Flavour::Flatpak,
            dir: root.join(dir),
            root,
            found_by: String::new(),
        });
    }
    out
}

/// The flatpak application id of each browser (Flathub).
fn flatpak_app(browser: Browser) -> Option<&'static str> {
    Some(match browser {
        Browser::Chrome => "com.google.Chrome",
        Browser::Chromium => "org.chromium.Chromium",
        Browser::Edge => "com.microsoft.Edge",
        Browser::Brave => "com.brave.Browser",
        Browser::Firefox => "org.mozilla.firefox",
        Browser::All => return None,
    })
}

/// The programs that mean a browser is installed natively on Linux.
fn programs(browser: Browser) -> &'static [&'static str] {
    match browser {
        Browser::Chrome => &[
            "google-chrome",
            "google-chrome-stable",
            "google-chrome-beta",
            "google-chrome-unstable",
        ],
        Browser::Chromium => &["chromium", "chromium-browser"],
        Browser::Edge => &["microsoft-edge", "microsoft-edge-stable"],
        Browser::Brave => &["brave-browser", "brave"],
        Browser::Firefox => &["firefox", "firefox-esr"],
        Browser::All => &[],
    }
}

/// macOS application bundles.
fn app_bundle(browser: Browser) -> Option<&'static str> {
    Some(match browser {
        Browser::Chrome => "Google Chrome.app",
        Browser::Chromium => "Chromium.app",
        Browser::Edge => "Microsoft Edge.app",
        Browser::Brave => "Brave Browser.app",
        Browser::Firefox => "Firefox.app",
        Browser::All => return None,
    })
}

/// Why `loc` counts as present, or `None` when nothing says this browser is installed that way.
fn evidence(loc: &Location, sys: &System) -> Option<String> {
    if loc.started() {
        return Some(format!("its profile {} exists", loc.root.display()));
    }
    match loc.flavour {
        Flavour::ProfileDir => Some("named with --profile-dir".into()),
        Flavour::Native if cfg!(target_os = "macos") => {
            let bundle = app_bundle(loc.browser)?;
            [sys.root.join("Applications"), sys.home.join("Applications")]
                .into_iter()
                .map(|d| d.join(bundle))
                .find(|p| p.is_dir())
                .map(|p| format!("{} is installed", p.display()))
        }
        Flavour::Native => sys.on_path(programs(loc.browser)),
        Flavour::Snap => {
            let name = match loc.browser {
                Browser::Chromium => "chromium",
                Browser::Firefox => "firefox",
                _ => return None,
            };
            let p = sys.root.join("snap").join(name);
            p.is_dir()
                .then(|| format!("the snap {} is installed", p.display()))
        }
        Flavour::Flatpak => {
            let app = flatpak_app(loc.browser)?;
            [
                sys.root.join("var/lib/flatpak/app").join(app),
                sys.home.join(".local/share/flatpak/app").join(app),
            ]
            .into_iter()
            .find(|p| p.is_dir())
            .map(|_| format!("the flatpak {app} is installed"))
        }
    }
}

/// The locations of `browser` (or of every browser, for [`Browser::All`]) that are present on
/// this machine, each with the reason it counts.
pub fn present(browser: Browser, sys: &System) -> Vec<Location> {
    let each: Vec<Browser> = match browser {
        Browser::All => Browser::EACH.to_vec(),
        b => vec![b],
    };
    let mut out: Vec<Location> = Vec::new();
    for b in each {
        for mut loc in candidates(b, sys) {
            if let Some(why) = evidence(&loc, sys) {
                // Snap Firefox shares the native folder: write it once, keep both reasons.
                if let Some(same) = out.iter_mut().find(|l| l.dir == loc.dir) {
                    same.found_by = format!("{}; {why}", same.found_by);
                    continue;
                }
                loc.found_by = why;
                out.push(loc);
            }
        }
    }
    out
}

/// A user-data directory named with `--profile-dir`: Chromium-family browsers read
/// `<dir>/NativeMessagingHosts`. Firefox has no per-profile folder, so it is refused with the
/// reason.
pub fn profile_dir(browser: Browser, dir: &Path) -> Result<Location, String> {
    if cfg!(windows) {
        return Err(
            "--profile-dir is not needed on Windows: every profile finds Paceline through the registry; install without it".into(),
        );
    }
    match browser {
        Browser::Firefox => Err(
            "--profile-dir: Firefox reads native-messaging manifests from one folder per user, not per profile; install without --profile-dir".into(),
        ),
        Browser::All => Err(
            "--profile-dir needs --browser chrome|chromium|edge|brave: say which browser uses that profile".into(),
        ),
        b => Ok(Location {
            browser: b,
            flavour: Flavour::ProfileDir,
            root: dir.to_path_buf(),
            dir: dir.join("NativeMessagingHosts"),
            found_by: "named with --profile-dir".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sys(dir: &Path) -> System {
        System {
            home: dir.join("home"),
            path: vec![dir.join("bin")],
            root: dir.join("root"),
        }
    }

    fn touch(p: &Path) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "").unwrap();
    }

    #[test]
    fn nothing_installed_means_nothing_present() {
        let t = tempfile::tempdir().unwrap();
        assert!(present(Browser::All, &sys(t.path())).is_empty());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_program_on_path_counts_before_its_first_start() {
        let t = tempfile::tempdir().unwrap();
        let s = sys(t.path());
        touch(&t.path().join("bin/chromium"));
        let found = present(Browser::All, &s);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].browser, Browser::Chromium);
        assert_eq!(found[0].flavour, Flavour::Native);
        assert!(!found[0].started());
        assert_eq!(
            found[0].dir,
            s.home.join(".config/chromium/NativeMessagingHosts")
        );
        assert!(found[0].found_by.contains("bin/chromium"), "{found:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn snaps_and_flatpaks_get_their_own_folders() {
        let t = tempfile::tempdir().unwrap();
        let s = sys(t.path());
        std::fs::create_dir_all(s.root.join("snap/chromium")).unwrap();
        std::fs::create_dir_all(s.home.join(".local/share/flatpak/app/org.mozilla.firefox"))
            .unwrap();
        std::fs::create_dir_all(s.root.join("var/lib/flatpak/app/com.brave.Browser")).unwrap();
        let found = present(Browser::All, &s);
        let dirs: Vec<(String, PathBuf)> =
            found.iter().map(|l| (l.label(), l.dir.clone())).collect();
        assert_eq!(
            dirs,
            vec![
                (
                    "Chromium (snap)".into(),
                    s.home.join("snap/chromium/common/chromium/NativeMessagingHosts")
                ),
                (
                    "Brave (flatpak)".into(),
                    s.home.join(
                        ".var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser/NativeMessagingHosts"
                    )
                ),
                (
                    "Firefox (flatpak)".into(),
                    s.home.join(".var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts")
                ),
            ]
        );
        let caveat = found[1].caveat(Path::new("/opt/p/paceline")).unwrap();
        assert!(
            caveat.contains("flatpak override --user --filesystem=/opt/p:ro com.brave.Browser"),
            "{caveat}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn snap_firefox_shares_the_native_folder_once() {
        let t = tempfile::tempdir().unwrap();
        let s = sys(t.path());
        touch(&t.path().join("bin/firefox"));
        std::fs::create_dir_all(s.root.join("snap/firefox")).unwrap();
        let found = present(Browser::Firefox, &s);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].dir, s.home.join(".mozilla/native-messaging-hosts"));
        assert!(
            found[0].found_by.contains("snap"),
            "{:?}",
            found[0].found_by
        );
    }

    #[test]
    fn a_started_browser_counts_by_its_profile() {
        let t = tempfile::tempdir().unwrap();
        let s = sys(t.path());
        let (root, _) = Browser::Edge.dirs(&s.home).unwrap();
        std::fs::create_dir_all(&root).unwrap();
        let found = present(Browser::All, &s);
        assert_eq!(found.len(), 1);
        assert!(found[0].started());
        assert!(found[0].found_by.contains("profile"));
    }

    #[cfg(not(windows))]
    #[test]
    fn profile_dirs_are_for_chromium_browsers() {
        let loc = profile_dir(Browser::Brave, Path::new("/data/brave-work")).unwrap();
        assert_eq!(
            loc.manifest_path(),
            Path::new("/data/brave-work/NativeMessagingHosts/dev.paceline.host.json")
        );
        assert!(
            profile_dir(Browser::Firefox, Path::new("/x"))
                .unwrap_err()
                .contains("Firefox")
        );
        assert!(
            profile_dir(Browser::All, Path::new("/x"))
                .unwrap_err()
                .contains("--browser")
        );
    }
}
