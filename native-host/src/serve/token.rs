//! The bearer token of `paceline serve`: where it is kept, how it is made, and how a request's
//! credential is compared with it.
//!
//! The token lives in a file only this user can read (0600 in a 0700 directory on Unix), made
//! on first use, so a client can be configured once and keeps working across restarts. A file
//! that others can read is refused rather than repaired: somebody else may already have read it.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Random bytes in a new token: 256 bits, written as 64 hex digits (safe in a header and in a
/// URL path alike).
const TOKEN_BYTES: usize = 32;

/// The shortest token accepted from a file the person wrote: shorter ones are guessable.
const MIN_TOKEN_CHARS: usize = 24;

/// The file's name in the configuration directory.
const FILE_NAME: &str = "http-token";

/// The default token file: `$XDG_CONFIG_HOME/paceline/http-token` (else
/// `~/.config/paceline/…`) on Linux and other Unix, `~/Library/Application Support/Paceline/…`
/// on macOS, `%APPDATA%\Paceline\…` on Windows.
pub fn default_path() -> Result<PathBuf> {
    default_path_with(|name| std::env::var_os(name).filter(|v| !v.is_empty()))
}

fn default_path_with(lookup: impl Fn(&str) -> Option<std::ffi::OsString>) -> Result<PathBuf> {
    let dir = if cfg!(windows) {
        PathBuf::from(lookup("APPDATA").context("APPDATA is not set")?).join("Paceline")
    } else if cfg!(target_os = "macos") {
        PathBuf::from(lookup("HOME").context("HOME is not set")?)
            .join("Library/Application Support/Paceline")
    } else if let Some(xdg) = lookup("XDG_CONFIG_HOME") {
        PathBuf::from(xdg).join("paceline")
    } else {
        PathBuf::from(lookup("HOME").context("HOME is not set")?).join(".config/paceline")
    };
    Ok(dir.join(FILE_NAME))
}

/// The token in `path`, made (and the file created, readable by this user only) if the file
/// does not exist yet. The flag is `true` when the token was just made.
pub fn load_or_create(path: &Path) -> Result<(String, bool)> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            check_private(path)?;
            Ok((parse(path, &text)?, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match create(path) {
            Ok(token) => Ok((token, true)),
            // Another `paceline serve` made it meanwhile: use theirs.
            Err(e) if is_already_exists(&e) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading the token file {}", path.display()))?;
                Ok((parse(path, &text)?, false))
            }
            Err(e) => Err(e),
        },
        Err(e) => Err(anyhow::Error::new(e))
            .with_context(|| format!("reading the token file {}", path.display())),
    }
}

fn is_already_exists(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::AlreadyExists)
}

/// The token a file holds: its first line, trimmed; it must be long enough and made of
/// characters that survive both an `Authorization` header and a URL path unencoded.
fn parse(path: &Path, text: &str) -> Result<String> {
    let token = text.lines().next().unwrap_or_default().trim();
    if token.len() < MIN_TOKEN_CHARS {
        bail!(
            "the token file {} holds a token of {} characters; it needs at least {MIN_TOKEN_CHARS} \
             (delete the file and a new one is made on the next start)",
            path.display(),
            token.len()
        );
    }
    if let Some(c) = token
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')))
    {
        bail!(
            "the token file {} holds the character {c:?}; a token may use only letters, digits \
             and - . _ ~ (it is also a URL path segment with --secret-path)",
            path.display()
        );
    }
    Ok(token.to_string())
}

/// A new random token as hex.
fn generate() -> Result<String> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("the system's random source failed: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Creates the token file (and its directory) with a new token; fails with `AlreadyExists` if
/// the file appeared meanwhile, so a token is never overwritten.
fn create(path: &Path) -> Result<String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)
            .with_context(|| format!("creating the directory {}", dir.display()))?;
    }
    let token = generate()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(anyhow::Error::new)?;
    writeln!(file, "{token}")
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing the token file {}", path.display()))?;
    Ok(token)
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Refuses a token file that others may read (Unix; on Windows the file inherits the user
/// profile's ACL).
fn check_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .with_context(|| format!("reading the mode of {}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            bail!(
                "the token file {} can be read by other users (mode {:o}); run `chmod 600 {}` \
                 (and consider deleting it, so a new token is made)",
                path.display(),
                mode & 0o777,
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Compares two secrets in time that depends only on their lengths, so a remote client cannot
/// find the token a character at a time from response times.
pub fn same_secret(given: &[u8], token: &[u8]) -> bool {
    if given.len() != token.len() {
        return false;
    }
    given
        .iter()
        .zip(token)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_is_64_hex_digits_and_differs_each_time() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn the_file_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/dir/http-token");
        let (made, new) = load_or_create(&path).unwrap();
        assert!(new);
        let (again, new) = load_or_create(&path).unwrap();
        assert!(!new);
        assert_eq!(made, again);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_refused_naming_chmod() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "a".repeat(40)).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = load_or_create(&path).unwrap_err().to_string();
        assert!(e.contains("chmod 600"), "{e}");
    }

    #[test]
    fn short_or_unsafe_tokens_are_refused_naming_the_file() {
        let path = Path::new("/x/token");
        let short = parse(path, "abc\n").unwrap_err().to_string();
        assert!(
            short.contains("/x/token") && short.contains("at least"),
            "{short}"
        );
        let slash = parse(path, &format!("{}/", "a".repeat(30)))
            .unwrap_err()
            .to_string();
        assert!(slash.contains("'/'"), "{slash}");
        assert_eq!(
            parse(path, &format!("  {}  \nrest", "k".repeat(30))).unwrap(),
            "k".repeat(30)
        );
    }

    #[test]
    fn default_path_follows_the_platform() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            }
        };
        if cfg!(all(unix, not(target_os = "macos"))) {
            let xdg = default_path_with(env(&[("XDG_CONFIG_HOME", "/c"), ("HOME", "/h")])).unwrap();
            assert_eq!(xdg, Path::new("/c/paceline/http-token"));
            let home = default_path_with(env(&[("HOME", "/h")])).unwrap();
            assert_eq!(home, Path::new("/h/.config/paceline/http-token"));
        }
        assert!(default_path_with(env(&[])).is_err());
    }

    #[test]
    fn secrets_compare_equal_only_when_identical() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abd", b"abc"));
        assert!(!same_secret(b"ab", b"abc"));
        assert!(!same_secret(b"", b"abc"));
    }
}
