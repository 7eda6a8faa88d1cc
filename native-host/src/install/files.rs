//! Writing configuration files: never half-written, never readable by others even for a moment.

use std::path::Path;

use anyhow::{Context, Result};

/// Writes a file by renaming a complete temporary file over it: never half-written. The
/// file gets `permissions` (those of the file it replaces), or 0600 on Unix.
pub fn write_atomic(
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
pub fn write_private(
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
