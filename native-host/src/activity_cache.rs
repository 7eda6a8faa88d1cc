//! The on-disk [`ActivityCache`] of `--direct`: one file per completed activity in the user's
//! cache directory, private to the user, bounded in size.
//!
//! - Where: `$XDG_CACHE_HOME/paceline/activities`, else `~/.cache/paceline/activities`
//!   (macOS `~/Library/Caches/Paceline/activities`, Windows
//!   `%LOCALAPPDATA%\Paceline\cache\activities`); [`default_dir`].
//! - Privacy: the directory is created 0700 and an existing one that others can read is
//!   repaired (one owned by another user, or a symlink, is refused: no cache then), files are
//!   written 0600. Names come from [`CacheKey::storage_name`], which escapes every byte of the
//!   remote ids outside `[A-Za-z0-9-]`, so an id cannot reach outside the directory.
//! - Writes: to a temporary file in the same directory, renamed over the entry, so a reader
//!   (another `paceline` process) sees a whole entry or none.
//! - Size: after each write the entries are trimmed to the cap, least recently used first
//!   (the modification time, which a hit refreshes).
//! - Failures: an entry that does not decode (damage, an older format) is removed and read as a
//!   miss; any IO error is logged at debug level and the call goes on without the cache.
//!
//! The IO is synchronous inside the future: an entry is a few hundred kilobytes read or
//! written once per activity, less than the request it saves.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use anyhow::Context;
use paceline_core::analysis::cache_codec;
use paceline_core::analysis::source::{ActivityCache, ActivityData, CacheKey};
use paceline_core::http::BoxFuture;

/// The default size cap: 256 MiB, about a thousand four-hour rides.
pub const DEFAULT_CAP_BYTES: u64 = 256 << 20;

/// The ending of an entry's file name.
const ENTRY_SUFFIX: &str = ".plc";
/// The beginning of a temporary file's name (never an entry name: those start `tp.`/`icu.`).
const TEMP_PREFIX: &str = ".tmp-";
/// A temporary file older than this was left by a process that died mid-write.
const STALE_TEMP: Duration = Duration::from_secs(3600);

/// The cache directory for this user, from the environment read through `lookup`.
///
/// # Errors
/// When neither the XDG variable nor the home directory (or `LOCALAPPDATA`) is set.
pub fn default_dir(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<PathBuf> {
    let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    if cfg!(windows) {
        let base = var("LOCALAPPDATA").context("LOCALAPPDATA is not set")?;
        return Ok(PathBuf::from(base).join("Paceline/cache/activities"));
    }
    if let Some(xdg) = var("XDG_CACHE_HOME").filter(|v| Path::new(v).is_absolute()) {
        return Ok(PathBuf::from(xdg).join("paceline/activities"));
    }
    let home = PathBuf::from(var("HOME").context("neither XDG_CACHE_HOME nor HOME is set")?);
    Ok(if cfg!(target_os = "macos") {
        home.join("Library/Caches/Paceline/activities")
    } else {
        home.join(".cache/paceline/activities")
    })
}

/// One directory of cache entries.
#[derive(Debug)]
pub struct DiskCache {
    dir: PathBuf,
    cap_bytes: u64,
    /// Bytes this process believes the directory holds (recounted by every trim).
    estimate: AtomicU64,
    /// Makes this process's temporary names unique.
    counter: AtomicU64,
    /// One trim at a time in this process.
    trimming: Mutex<()>,
}

impl DiskCache {
    /// Opens (creating it private if needed) the cache in `dir`, capped at `cap_bytes`.
    ///
    /// # Errors
    /// When the directory cannot be created, is not a directory, or belongs to another user.
    pub fn open(dir: PathBuf, cap_bytes: u64) -> anyhow::Result<Self> {
        crate::rendezvous::ensure_private_dir(&dir)
            .with_context(|| format!("the activity cache {}", dir.display()))?;
        let cache = Self {
            dir,
            cap_bytes,
            estimate: AtomicU64::new(0),
            counter: AtomicU64::new(0),
            trimming: Mutex::new(()),
        };
        cache.trim();
        Ok(cache)
    }

    fn path_of(&self, key: &CacheKey) -> Option<PathBuf> {
        Some(
            self.dir
                .join(format!("{}{ENTRY_SUFFIX}", key.storage_name()?)),
        )
    }

    /// The entry for `key`, refreshing its time of use; a damaged or old-format one is removed.
    fn read(&self, key: &CacheKey) -> Option<ActivityData> {
        let path = self.path_of(key)?;
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::debug!("activity cache: {}: {e}", path.display());
                return None;
            }
        };
        // Only a plain file we could have written: never follow a link, never read past the cap.
        if !meta.is_file() || meta.len() > self.cap_bytes {
            self.remove(&path);
            return None;
        }
        let bytes = std::fs::read(&path)
            .map_err(|e| tracing::debug!("activity cache: reading {}: {e}", path.display()))
            .ok()?;
        let Some(data) = cache_codec::decode(&bytes).filter(|d| &d.key == key) else {
            tracing::debug!(
                "activity cache: {} is damaged or of another format; removed",
                path.display()
            );
            self.remove(&path);
            return None;
        };
        // The modification time is the time of last use, which the trim goes by.
        if let Err(e) = std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(SystemTime::now()))
        {
            tracing::debug!("activity cache: touching {}: {e}", path.display());
        }
        Some(data)
    }

    /// Writes `data`'s entry (temporary file, then rename) and trims if over the cap.
    fn write(&self, data: &ActivityData) -> std::io::Result<()> {
        let (Some(path), Some(bytes)) = (self.path_of(&data.key), cache_codec::encode(data)) else {
            return Ok(());
        };
        let size = bytes.len() as u64;
        if size > self.cap_bytes {
            return Ok(());
        }
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let temp = self
            .dir
            .join(format!("{TEMP_PREFIX}{}-{n}", std::process::id()));
        let written = write_private(&temp, &bytes).and_then(|()| std::fs::rename(&temp, &path));
        if written.is_err() {
            // Whatever was left of the temporary file is of no use.
            let _ = std::fs::remove_file(&temp);
            return written;
        }
        let total = self.estimate.fetch_add(size, Ordering::Relaxed) + size;
        if total > self.cap_bytes {
            self.trim();
        }
        Ok(())
    }

    /// Counts the entries and removes the least recently used ones until the total fits the
    /// cap; also removes temporary files left by a process that died while writing.
    fn trim(&self) {
        let Ok(_one) = self.trimming.lock() else {
            return;
        };
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) => {
                tracing::debug!("activity cache: listing {}: {e}", self.dir.display());
                return;
            }
        };
        let now = SystemTime::now();
        let mut found: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(meta) = entry.metadata() else { continue };
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            if name.starts_with(TEMP_PREFIX) {
                if now.duration_since(modified).unwrap_or_default() > STALE_TEMP {
                    self.remove(&entry.path());
                }
            } else if name.ends_with(ENTRY_SUFFIX) && meta.is_file() {
                found.push((modified, meta.len(), entry.path()));
            }
        }
        let mut total: u64 = found.iter().map(|(_, len, _)| len).sum();
        found.sort();
        for (_, len, path) in found {
            if total <= self.cap_bytes {
                break;
            }
            self.remove(&path);
            total -= len;
        }
        self.estimate.store(total, Ordering::Relaxed);
    }

    fn remove(&self, path: &Path) {
        if let Err(e) = std::fs::remove_file(path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::debug!("activity cache: removing {}: {e}", path.display());
        }
    }
}

/// Creates `path` (which must not exist) readable and writable by the user only, with `bytes`.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)
}

impl ActivityCache for DiskCache {
    fn get<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, Option<ActivityData>> {
        Box::pin(async move { self.read(key) })
    }

    fn put<'a>(&'a self, data: &'a ActivityData) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if let Err(e) = self.write(data) {
                tracing::debug!(
                    "activity cache: writing {} in {}: {e}",
                    data.key.activity,
                    self.dir.display()
                );
            }
        })
    }
}

#[cfg(test)]
mod tests;
