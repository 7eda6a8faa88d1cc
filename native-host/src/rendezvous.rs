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

/// Lists the bridges that have announced themselves, newest first (see module docs).
pub fn list(dir: &Path) -> Vec<BridgeInfo> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<BridgeInfo> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .filter_map(|e| std::fs::read(e.path()).ok())
        .filter_map(|b| serde_json::from_slice::<BridgeInfo>(&b).ok())
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

/// Removes a stale bridge's files (its process is gone).
pub fn remove(dir: &Path, info: &BridgeInfo) {
    crate::ipc::remove_endpoint(&info.socket);
    let _ = std::fs::remove_file(info_path(dir, info.pid));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(pid: u32, started_at: i64) -> BridgeInfo {
        BridgeInfo {
            pid,
            started_at,
            origin: "chrome-extension://x/".into(),
            socket: PathBuf::from(format!("/r/bridge-{pid}.sock")),
        }
    }

    #[test]
    fn newest_first_and_override() {
        let dir = tempfile::tempdir().unwrap();
        for i in [info(10, 100), info(30, 300), info(20, 300)] {
            std::fs::write(
                dir.path().join(format!("bridge-{}.json", i.pid)),
                serde_json::to_vec(&i).unwrap(),
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("junk.json"), b"{").unwrap();
        let pids: Vec<u32> = list(dir.path()).iter().map(|b| b.pid).collect();
        assert_eq!(pids, vec![30, 20, 10]);
        let chosen = select(list(dir.path()), Some("10"));
        assert_eq!(chosen.iter().map(|b| b.pid).collect::<Vec<_>>(), vec![10]);
        assert!(select(list(dir.path()), Some("99")).is_empty());
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
