//! Where bridges listen, and how `paceline mcp` finds one.
//!
//! Each bridge (one per browser profile running the extension) listens on its own endpoint
//! (see [`crate::ipc`]) and writes `bridge-<pid>.json` in a per-user directory with its start
//! time, origin and endpoint. On Unix the endpoint is the socket `bridge-<pid>.sock` beside
//! that file; the directory is `$XDG_RUNTIME_DIR/paceline/` when that is set (it is per-user
//! and 0700 by definition), else `~/.local/state/paceline/run/` — never `$TMPDIR`, which other
//! users can write to. We create it 0700, refuse it if another user owns it or others can
//! enter it, make each socket 0600, and check the peer's uid on every accept. On Windows the
//! endpoint is a named pipe (its name goes in the `socket` field) and the directory is
//! `%LOCALAPPDATA%\Paceline\run`, private through the ACL it inherits from the user's profile.
//!
//! Choosing between several bridges is deterministic: `PACELINE_BRIDGE` (a pid or a socket
//! path) wins; otherwise the live bridge that started **most recently**, ties broken by the
//! higher pid. The newest browser window a person opened is the one they expect to act.
//!
//! When the browser closes a bridge's port, the bridge leaves `lost-<browser pid>.json`
//! behind ([`Lost`]). The port closes both when the browser quits and when it stops the
//! extension's service worker (which the extension's alarm restarts within 30 s, and which
//! then starts a new bridge). `paceline mcp` tells the two apart by whether that browser
//! process is still running: if it is, a call waits for the extension to reconnect instead
//! of failing at once.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// What a bridge writes beside its socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BridgeInfo {
    /// The bridge's pid.
    pub pid: u32,
    /// Unix time (seconds) it started.
    pub started_at: i64,
    /// The caller origin the browser gave it.
    pub origin: String,
    /// The endpoint: a socket path on Unix, a pipe name (`\\.\pipe\…`) on Windows.
    pub socket: PathBuf,
    /// The browser process that started the bridge (its parent), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_pid: Option<u32>,
}

/// A bridge whose browser port closed (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lost {
    /// The browser process the bridge belonged to.
    pub browser_pid: u32,
    /// The extension origin.
    pub origin: String,
    /// Unix time (seconds) the port closed.
    pub lost_at: i64,
}

/// Unix time in seconds, the clock of [`BridgeInfo::started_at`] and [`Lost::lost_at`].
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// How long a [`Lost`] marker is believed: longer than the extension's 30 s reconnect alarm
/// plus a worker start, short enough that a reused pid is unlikely to be mistaken for it.
pub const LOST_GRACE_SECS: i64 = 120;

fn lost_path(dir: &Path, browser_pid: u32) -> PathBuf {
    dir.join(format!("lost-{browser_pid}.json"))
}

/// Records that a bridge of `browser_pid` lost its port (written atomically).
pub fn write_lost(dir: &Path, lost: &Lost) -> Result<()> {
    let path = lost_path(dir, lost.browser_pid);
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec(lost)?)?;
    std::fs::rename(&tmp, &path)?;
    Ok(())
}

/// Forgets the marker of `browser_pid` (a bridge of that browser is running again).
pub fn clear_lost(dir: &Path, browser_pid: u32) {
    let _ = std::fs::remove_file(lost_path(dir, browser_pid));
}

/// Browsers that lost their bridge recently and are still running: their extension is
/// expected to reconnect. Markers of browsers that have exited, or older than
/// [`LOST_GRACE_SECS`], are removed on the way.
pub fn reconnecting(dir: &Path, now: i64) -> Vec<Lost> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        let is_lost = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("lost-") && n.ends_with(".json"));
        if !is_lost {
            continue;
        }
        let lost = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Lost>(&b).ok());
        match lost {
            Some(l) if now - l.lost_at <= LOST_GRACE_SECS && process_alive(l.browser_pid) => {
                out.push(l)
            }
            _ => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    out
}

/// Whether a process is running (a zombie, exited but not yet reaped, counts as gone).
#[cfg(target_os = "linux")]
pub fn process_alive(pid: u32) -> bool {
    // /proc/<pid>/stat is "pid (comm) S ...": the state follows the last ')'.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().to_string())
        })
        .and_then(|rest| rest.chars().next())
        .is_some_and(|state| !matches!(state, 'Z' | 'X'))
}

/// Whether a process is running.
#[cfg(all(unix, not(target_os = "linux")))]
pub fn process_alive(pid: u32) -> bool {
    rustix::process::Pid::from_raw(pid as i32)
        .is_some_and(|p| rustix::process::test_kill_process(p).is_ok())
}

/// Whether a process is running (not determined on this platform: assume not, so a call
/// fails at once rather than waiting).
#[cfg(not(unix))]
pub fn process_alive(_pid: u32) -> bool {
    false
}

/// The parent of this process: for a bridge, the browser that started it.
#[cfg(unix)]
pub fn parent_pid() -> Option<u32> {
    rustix::process::getppid().map(|p| p.as_raw_nonzero().get() as u32)
}

/// The parent of this process (not determined on this platform).
#[cfg(not(unix))]
pub fn parent_pid() -> Option<u32> {
    None
}

/// The per-user rendezvous directory (not created).
#[cfg(unix)]
pub fn dir() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("PACELINE_RUNTIME_DIR") {
        return Ok(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d).join("paceline"));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .context("neither XDG_RUNTIME_DIR nor HOME is set")?;
    Ok(PathBuf::from(home).join(".local/state/paceline/run"))
}

/// The per-user rendezvous directory (not created): `%LOCALAPPDATA%\Paceline\run`.
#[cfg(windows)]
pub fn dir() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("PACELINE_RUNTIME_DIR") {
        return Ok(PathBuf::from(d));
    }
    let local = std::env::var_os("LOCALAPPDATA")
        .filter(|d| !d.is_empty())
        .context("LOCALAPPDATA is not set")?;
    Ok(PathBuf::from(local).join("Paceline").join("run"))
}

/// Creates the directory if needed. Windows has no mode bits: a directory under
/// `%LOCALAPPDATA%` inherits the profile's ACL (the user, SYSTEM and administrators). We do not
/// rewrite that ACL; the pipes themselves admit only the user (see [`crate::ipc`]).
#[cfg(windows)]
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        bail!("{} is not a directory", dir.display());
    }
    Ok(())
}

/// Creates the directory 0700 if needed and checks nobody else can use it.
#[cfg(unix)]
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        bail!("{} is not a directory", dir.display());
    }
    if meta.uid() != current_uid() {
        bail!(
            "{} belongs to another user (uid {}); refusing to use it",
            dir.display(),
            meta.uid()
        );
    }
    if meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The effective uid of this process.
#[cfg(unix)]
pub fn current_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Checks, for a relay, that the directory is private to this user before anything announced
/// in it is trusted. `Ok(false)`: it does not exist (no bridge has ever run). Unlike
/// [`ensure_private_dir`] (the bridge's side) it never creates or repairs anything: a relay
/// that finds the directory open refuses it and says how to fix it.
#[cfg(unix)]
pub fn check_private_dir(dir: &Path) -> Result<bool> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    if !meta.is_dir() {
        bail!(
            "the Paceline runtime directory {} is not a directory (a symlink or a file); \
             refusing to use the bridges announced in it. Remove it; the browser's bridge \
             recreates it.",
            dir.display()
        );
    }
    if meta.uid() != current_uid() {
        bail!(
            "the Paceline runtime directory {} belongs to another user (uid {}); refusing to use \
             the bridges announced in it. Remove it; the browser's bridge recreates it.",
            dir.display(),
            meta.uid()
        );
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        bail!(
            "the Paceline runtime directory {} is open to other users (mode {mode:o}), so the \
             bridges announced in it cannot be trusted; refusing to use them. Run `chmod 700 {}`.",
            dir.display(),
            dir.display()
        );
    }
    Ok(true)
}

/// Checks, for a relay, that the directory exists (Windows: it inherits the profile's
/// per-user ACL, and the pipes check their peers; see [`ensure_private_dir`]).
#[cfg(windows)]
pub fn check_private_dir(dir: &Path) -> Result<bool> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => Ok(true),
        Ok(_) => bail!("{} is not a directory", dir.display()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e).with_context(|| format!("reading {}", dir.display())),
    }
}

/// The pid in a discovery file's name, `bridge-<pid>.json`.
fn pid_of_info_file(name: &str) -> Option<u32> {
    let digits = name.strip_prefix("bridge-")?.strip_suffix(".json")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Reads one discovery file, or says why it is not believed. Only a regular file (not a
/// symlink) of this user, named for its own pid, announcing exactly the endpoint a bridge
/// with that pid binds (`<dir>/bridge-<pid>.sock` on Unix) is: anything else could point a
/// relay at another process's socket, or make its clean-up delete a file elsewhere.
fn read_info(dir: &Path, path: &Path, pid: u32) -> std::result::Result<BridgeInfo, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != current_uid() {
            return Err(format!("owned by another user (uid {})", meta.uid()));
        }
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let info: BridgeInfo = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    if info.pid != pid {
        return Err(format!("it announces pid {}, not {pid}", info.pid));
    }
    let want = crate::ipc::endpoint(dir, pid);
    if info.socket != want {
        return Err(format!(
            "it announces the endpoint {}, not {}",
            info.socket.display(),
            want.display()
        ));
    }
    Ok(info)
}

/// Lists the bridges that have announced themselves, newest first (see module docs). Files
/// that do not pass [`read_info`]'s checks are skipped (and logged).
pub fn list(dir: &Path) -> Vec<BridgeInfo> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<BridgeInfo> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let pid = pid_of_info_file(e.file_name().to_str()?)?;
            let path = e.path();
            read_info(dir, &path, pid)
                .map_err(|why| tracing::warn!("ignoring {}: {why}", path.display()))
                .ok()
        })
        .collect();
    found.sort_by(|a, b| b.started_at.cmp(&a.started_at).then(b.pid.cmp(&a.pid)));
    found
}

/// Applies `PACELINE_BRIDGE` (a pid or a socket path) to a list from [`list`].
pub fn select(mut bridges: Vec<BridgeInfo>, wanted: Option<&str>) -> Vec<BridgeInfo> {
    if let Some(w) = wanted.filter(|w| !w.is_empty()) {
        bridges.retain(|b| b.pid.to_string() == w || b.socket == Path::new(w));
    }
    bridges
}

/// Where the bridge with this pid writes its [`BridgeInfo`].
pub fn info_path(dir: &Path, pid: u32) -> PathBuf {
    dir.join(format!("bridge-{pid}.json"))
}

/// Removes a stale bridge's files (its process is gone). The paths are computed from the pid
/// inside `dir`, never taken from the discovery file, so nothing outside `dir` is removed
/// whatever a file says.
pub fn remove(dir: &Path, info: &BridgeInfo) {
    crate::ipc::remove_endpoint(&crate::ipc::endpoint(dir, info.pid));
    let _ = std::fs::remove_file(info_path(dir, info.pid));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(dir: &Path, pid: u32, started_at: i64) -> BridgeInfo {
        BridgeInfo {
            pid,
            started_at,
            origin: "chrome-extension://x/".into(),
            socket: crate::ipc::endpoint(dir, pid),
            browser_pid: None,
        }
    }

    fn announce(dir: &Path, file: &str, i: &BridgeInfo) {
        std::fs::write(dir.join(file), serde_json::to_vec(i).unwrap()).unwrap();
    }

    #[test]
    fn planted_discovery_files_are_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, elsewhere) = (tmp.path().join("run"), tmp.path().join("elsewhere"));
        ensure_private_dir(&dir).unwrap();
        std::fs::create_dir(&elsewhere).unwrap();
        announce(&dir, "bridge-5.json", &info(&dir, 5, 100));
        // Another pid than its name says.
        announce(&dir, "bridge-6.json", &info(&dir, 60, 100));
        // A socket outside the directory, or another bridge's socket.
        let mut outside = info(&dir, 7, 100);
        outside.socket = elsewhere.join("bridge-7.sock");
        announce(&dir, "bridge-7.json", &outside);
        let mut other = info(&dir, 8, 100);
        other.socket = crate::ipc::endpoint(&dir, 5);
        announce(&dir, "bridge-8.json", &other);
        // Not a bridge-<pid>.json name.
        announce(&dir, "bridge-x9.json", &info(&dir, 9, 100));
        announce(&dir, "evil.json", &info(&dir, 10, 100));
        #[cfg(unix)]
        {
            // A symlink to a file elsewhere, however valid its content.
            announce(&elsewhere, "bridge-11.json", &info(&dir, 11, 100));
            std::os::unix::fs::symlink(
                elsewhere.join("bridge-11.json"),
                dir.join("bridge-11.json"),
            )
            .unwrap();
        }
        let pids: Vec<u32> = list(&dir).iter().map(|b| b.pid).collect();
        assert_eq!(pids, vec![5]);
    }

    #[test]
    fn removing_a_stale_bridge_never_touches_files_outside_the_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("run");
        ensure_private_dir(&dir).unwrap();
        let victim = tmp.path().join("precious.txt");
        std::fs::write(&victim, b"keep me").unwrap();
        // What a planted file would ask for: remove a file elsewhere.
        let mut planted = info(&dir, 12, 100);
        planted.socket = victim.clone();
        // A stale socket file (Windows pipes are not files).
        #[cfg(unix)]
        std::fs::write(crate::ipc::endpoint(&dir, 12), b"").unwrap();
        announce(&dir, "bridge-12.json", &planted);
        remove(&dir, &planted);
        assert!(victim.exists(), "a file outside the directory was removed");
        assert!(!info_path(&dir, 12).exists());
        #[cfg(unix)]
        assert!(!crate::ipc::endpoint(&dir, 12).exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_relay_refuses_a_directory_others_can_use() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("run");
        assert!(!check_private_dir(&dir).unwrap(), "missing is not an error");
        ensure_private_dir(&dir).unwrap();
        assert!(check_private_dir(&dir).unwrap());
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let err = check_private_dir(&dir).unwrap_err().to_string();
        assert!(
            err.contains("mode 755") && err.contains("chmod 700"),
            "{err}"
        );
        assert_eq!(
            std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o755,
            "the relay reports, it does not repair"
        );
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        let err = check_private_dir(&link).unwrap_err().to_string();
        assert!(err.contains("not a directory"), "{err}");
    }

    #[test]
    fn newest_first_and_override() {
        let dir = tempfile::tempdir().unwrap();
        for i in [
            info(dir.path(), 10, 100),
            info(dir.path(), 30, 300),
            info(dir.path(), 20, 300),
        ] {
            announce(dir.path(), &format!("bridge-{}.json", i.pid), &i);
        }
        std::fs::write(dir.path().join("junk.json"), b"{").unwrap();
        let pids: Vec<u32> = list(dir.path()).iter().map(|b| b.pid).collect();
        assert_eq!(pids, vec![30, 20, 10]);
        let chosen = select(list(dir.path()), Some("10"));
        assert_eq!(chosen.iter().map(|b| b.pid).collect::<Vec<_>>(), vec![10]);
        assert!(select(list(dir.path()), Some("99")).is_empty());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn lost_markers_only_count_while_the_browser_runs() {
        let dir = tempfile::tempdir().unwrap();
        let me = std::process::id();
        let lost = |pid: u32, at: i64| Lost {
            browser_pid: pid,
            origin: "chrome-extension://x/".into(),
            lost_at: at,
        };
        // This test process stands in for a running browser; a child that has exited and been
        // reaped for a closed one.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        write_lost(dir.path(), &lost(me, 1000)).unwrap();
        write_lost(dir.path(), &lost(gone, 1000)).unwrap();
        assert_eq!(reconnecting(dir.path(), 1010), vec![lost(me, 1000)]);
        assert!(
            !lost_path(dir.path(), gone).exists(),
            "a closed browser's marker is removed"
        );
        assert!(
            reconnecting(dir.path(), 1000 + LOST_GRACE_SECS + 1).is_empty(),
            "an old marker is not believed"
        );
        assert!(!lost_path(dir.path(), me).exists());
        write_lost(dir.path(), &lost(me, 1000)).unwrap();
        clear_lost(dir.path(), me);
        assert!(reconnecting(dir.path(), 1010).is_empty());
        assert!(process_alive(me));
        assert!(!process_alive(gone));
    }

    #[cfg(unix)]
    #[test]
    fn private_dir_is_0700() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("a/b");
        ensure_private_dir(&d).unwrap();
        assert_eq!(
            std::fs::metadata(&d).unwrap().permissions().mode() & 0o777,
            0o700
        );
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&d).unwrap();
        assert_eq!(
            std::fs::metadata(&d).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }
}
