//! The MCP clients whose configuration `paceline install --client` writes and `doctor` checks.
//!
//! Each client keeps a JSON file with a map of servers; ours is the entry `paceline`. The file is
//! merged, never replaced: every other key is kept, the old file is backed up first, and the new
//! one keeps the old one's permissions (a config holding a cookie in `env` is often 0600).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use serde_json::{Value, json};

use super::files::{write_atomic, write_private};

/// The name of our entry in every client's server map.
pub const ENTRY: &str = "paceline";

/// An MCP client whose configuration we can edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Client {
    /// Claude Desktop (`claude_desktop_config.json`).
    Claude,
    /// Claude Code, user scope (`~/.claude.json`).
    ClaudeCode,
    /// Cursor, global (`~/.cursor/mcp.json`).
    Cursor,
    /// VS Code, user profile (`Code/User/mcp.json`).
    Vscode,
}

impl Client {
    /// Every client, in the order `doctor` reports them.
    pub const EACH: [Client; 4] = [
        Client::Claude,
        Client::ClaudeCode,
        Client::Cursor,
        Client::Vscode,
    ];

    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            Client::Claude => "Claude Desktop",
            Client::ClaudeCode => "Claude Code",
            Client::Cursor => "Cursor",
            Client::Vscode => "VS Code",
        }
    }

    /// The value `--client` takes for it.
    pub fn arg(self) -> &'static str {
        match self {
            Client::Claude => "claude",
            Client::ClaudeCode => "claude-code",
            Client::Cursor => "cursor",
            Client::Vscode => "vscode",
        }
    }

    /// The configuration file, under `home` (and `%APPDATA%` on Windows).
    pub fn config_path(self, home: &Path) -> PathBuf {
        let app_support = || {
            if cfg!(target_os = "macos") {
                home.join("Library/Application Support")
            } else if cfg!(windows) {
                std::env::var_os("APPDATA")
                    .filter(|d| !d.is_empty())
                    .map(PathBuf::from)
                    .unwrap_or_else(|| home.join("AppData/Roaming"))
            } else {
                home.join(".config")
            }
        };
        match self {
            Client::Claude => app_support().join("Claude/claude_desktop_config.json"),
            Client::ClaudeCode => home.join(".claude.json"),
            Client::Cursor => home.join(".cursor/mcp.json"),
            Client::Vscode => app_support().join("Code/User/mcp.json"),
        }
    }

    /// The key of the server map: VS Code calls it `servers`, the others `mcpServers`.
    pub fn servers_key(self) -> &'static str {
        match self {
            Client::Vscode => "servers",
            _ => "mcpServers",
        }
    }

    /// Our entry for this client: start `paceline mcp` over stdio. Claude Code and VS Code
    /// want the transport named.
    pub fn entry(self, exe: &Path) -> Value {
        let command = exe.to_string_lossy();
        match self {
            Client::Claude | Client::Cursor => json!({"command": command, "args": ["mcp"]}),
            Client::ClaudeCode | Client::Vscode => {
                json!({"type": "stdio", "command": command, "args": ["mcp"]})
            }
        }
    }

    /// What to do after the file changed.
    pub fn next_step(self) -> &'static str {
        match self {
            Client::Claude => "restart Claude Desktop to pick it up",
            Client::ClaudeCode => "start a new `claude` session; `/mcp` lists it",
            Client::Cursor => "Cursor picks it up in Settings → MCP (toggle it on if asked)",
            Client::Vscode => "VS Code lists it under MCP: List Servers; start it there once",
        }
    }
}

/// What a client's configuration says about Paceline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Configured {
    /// No configuration file.
    NoFile,
    /// A file without our entry.
    NoEntry,
    /// Our entry, starting this command.
    Command(String),
    /// A file we cannot read as a JSON object (the reason).
    Unreadable(String),
}

/// Reads what `client`'s configuration at `path` says about Paceline.
pub fn configured(client: Client, path: &Path) -> Configured {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Configured::NoFile,
        Err(e) => return Configured::Unreadable(e.to_string()),
    };
    let config: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => return Configured::Unreadable(format!("not valid JSON ({e})")),
    };
    match config
        .get(client.servers_key())
        .and_then(|s| s.get(ENTRY))
        .and_then(|e| e.get("command"))
        .and_then(Value::as_str)
    {
        Some(c) => Configured::Command(c.to_string()),
        None => Configured::NoEntry,
    }
}

/// Sets (`Some`) or removes (`None`) our entry in `client`'s configuration at `path`, keeping
/// everything else. Backs the old file up first; returns the backup's path, if one was made.
///
/// A file that is not a JSON object (VS Code allows comments in `mcp.json`, which a JSON
/// rewrite would lose) is refused, untouched, with the entry to add by hand.
pub fn merge(client: Client, path: &Path, entry: Option<Value>) -> Result<Option<PathBuf>> {
    let key = client.servers_key();
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    let by_hand = || {
        entry.as_ref().map_or_else(String::new, |e| {
            format!(
                "; or add this to its \"{key}\" by hand: \"{ENTRY}\": {}",
                serde_json::to_string(e).unwrap_or_default()
            )
        })
    };
    let (mut config, backup) = match std::fs::read(path) {
        Ok(bytes) => {
            let config: Value = serde_json::from_slice(&bytes).with_context(|| {
                format!(
                    "{} is not valid JSON (comments are not supported); fix or move it, then retry{}",
                    path.display(),
                    by_hand()
                )
            })?;
            if !config.is_object() {
                bail!(
                    "{} does not hold a JSON object; fix or move it, then retry{}",
                    path.display(),
                    by_hand()
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
        .entry(key)
        .or_insert_with(|| json!({}));
    let Some(servers) = servers.as_object_mut() else {
        bail!("`{key}` in {} is not an object", path.display())
    };
    match entry {
        Some(e) => {
            servers.insert(ENTRY.into(), e);
        }
        None => {
            servers.remove(ENTRY);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claude_config_merge_keeps_other_servers_and_backs_up() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("claude_desktop_config.json");
        std::fs::write(
            &cfg,
            r#"{"mcpServers":{"other":{"command":"x"}},"theme":"dark"}"#,
        )
        .unwrap();
        let entry = Client::Claude.entry(Path::new("/bin/paceline"));
        let backup = merge(Client::Claude, &cfg, Some(entry)).unwrap().unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(&cfg).unwrap()).unwrap();
        assert_eq!(v["mcpServers"]["other"]["command"], "x");
        assert_eq!(
            v["mcpServers"]["paceline"],
            json!({"command": "/bin/paceline", "args": ["mcp"]})
        );
        assert_eq!(v["theme"], "dark");
        assert!(std::fs::read_to_string(backup).unwrap().contains("other"));
        assert_eq!(
            configured(Client::Claude, &cfg),
            Configured::Command("/bin/paceline".into())
        );
        merge(Client::Claude, &cfg, None).unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(&cfg).unwrap()).unwrap();
        assert!(v["mcpServers"].get("paceline").is_none());
        assert_eq!(v["mcpServers"]["other"]["command"], "x");
        assert_eq!(configured(Client::Claude, &cfg), Configured::NoEntry);
    }

    #[test]
    fn each_client_gets_its_own_key_and_entry() {
        let dir = tempfile::tempdir().unwrap();
        let exe = Path::new("/opt/paceline");
        for c in Client::EACH {
            let path = dir.path().join(format!("{}.json", c.arg()));
            assert_eq!(configured(c, &path), Configured::NoFile);
            merge(c, &path, Some(c.entry(exe))).unwrap();
            let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let e = &v[c.servers_key()]["paceline"];
            assert_eq!(e["command"], "/opt/paceline", "{c:?}");
            assert_eq!(e["args"], json!(["mcp"]), "{c:?}");
            let typed = matches!(c, Client::ClaudeCode | Client::Vscode);
            assert_eq!(e.get("type").is_some(), typed, "{c:?}: {e}");
        }
        let home = Path::new("/home/u");
        assert_eq!(
            Client::ClaudeCode.config_path(home),
            Path::new("/home/u/.claude.json")
        );
        assert_eq!(
            Client::Cursor.config_path(home),
            Path::new("/home/u/.cursor/mcp.json")
        );
        assert!(
            Client::Vscode
                .config_path(home)
                .ends_with("Code/User/mcp.json")
        );
        assert_eq!(Client::Vscode.servers_key(), "servers");
    }

    #[cfg(unix)]
    #[test]
    fn a_config_keeps_its_mode_and_so_does_the_backup() {
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
            let entry = Client::Claude.entry(Path::new("/bin/paceline"));
            let backup = merge(Client::Claude, &cfg, Some(entry)).unwrap().unwrap();
            assert_eq!(mode(&cfg), original, "the rewritten config");
            assert_eq!(mode(&backup), original, "the backup");
        }
        // A config that did not exist is created owner-only.
        let fresh = dir.path().join("new/claude_desktop_config.json");
        merge(Client::Claude, &fresh, Some(json!({}))).unwrap();
        assert_eq!(mode(&fresh), 0o600);
    }

    #[test]
    fn refuses_to_overwrite_a_broken_or_commented_config() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("mcp.json");
        let jsonc = "{\n  // my servers\n  \"servers\": {}\n}";
        std::fs::write(&cfg, jsonc).unwrap();
        let err = merge(
            Client::Vscode,
            &cfg,
            Some(Client::Vscode.entry(Path::new("/p"))),
        )
        .unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("not valid JSON"), "{msg}");
        assert!(msg.contains(r#""paceline": {"type":"stdio""#), "{msg}");
        assert_eq!(std::fs::read_to_string(&cfg).unwrap(), jsonc);
        assert!(matches!(
            configured(Client::Vscode, &cfg),
            Configured::Unreadable(_)
        ));
    }
}
