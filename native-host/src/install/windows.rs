//! Windows: each browser finds the manifest through `HKCU\<key>\<host name>`, whose default
//! value is the manifest's path. Type-checked for Windows; never run there.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{Browser, HOST_NAME};
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
