//! `paceline doctor`: checks each step of the set-up and says what is wrong and how to fix it.

use std::fmt::Write as _;

use anyhow::Result;
use serde_json::Value;

use crate::install::{Browser, Client, Configured, HOST_NAME, every_location, home, this_exe};
use crate::protocol::ErrorCode;
use crate::relay::Relay;

/// One finding.
struct Check {
    ok: bool,
    what: String,
    fix: Option<String>,
}

/// Runs every check; returns whether all passed.
pub async fn run() -> Result<bool> {
    let mut checks = Vec::new();
    let home = home()?;
    let exe = this_exe()?;

    // 1. Native-messaging manifests: every place a browser reads one, and the browsers found.
    let found = crate::install::browsers_present(&home);
    let mut any_manifest = false;
    let mut missing: Vec<String> = Vec::new();
    // Browsers that are here but were not registered: fine while another one is (a person may
    // use Paceline in one browser only), a failure when none is.
    let mut unregistered: Vec<String> = Vec::new();
    for loc in every_location(Browser::All, &home) {
        let path = loc.manifest_path();
        let Ok(bytes) = std::fs::read(&path) else {
            if let Some(f) = found.iter().find(|f| f.manifest_path() == path) {
                unregistered.push(format!("{} ({})", f.label(), f.found_by));
            } else {
                missing.push(loc.label());
            }
            continue;
        };
        any_manifest = true;
        let m: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let points_here = m
            .get("path")
            .and_then(Value::as_str)
            .map(std::path::Path::new)
            .is_some_and(|p| p == exe);
        let named = m.get("name").and_then(Value::as_str) == Some(HOST_NAME);
        checks.push(if points_here && named {
            Check {
                ok: true,
                what: format!("{} manifest: {}", loc.label(), path.display()),
                fix: None,
            }
        } else {
            Check {
                ok: false,
                what: format!(
                    "{} manifest at {} points at {}",
                    loc.label(),
                    path.display(),
                    m.get("path").and_then(Value::as_str).unwrap_or("nothing")
                ),
                fix: Some(format!(
                    "run `{} install --browser {}` to point it at this binary",
                    exe.display(),
                    loc.browser.label().to_lowercase()
                )),
            }
        });
        if let Some(c) = loc.caveat(&exe) {
            checks.push(Check {
                ok: true,
                what: format!("{}: {c}", loc.label()),
                fix: None,
            });
        }
        #[cfg(windows)]
        checks.extend(registry_check(loc.browser, &path, &exe));
    }
    if !any_manifest {
        let here = if unregistered.is_empty() {
            String::new()
        } else {
            format!("; found: {}", unregistered.join(", "))
        };
        checks.push(Check {
            ok: false,
            what: format!("no browser knows about Paceline (no native-messaging manifest){here}"),
            fix: Some(format!("run `{} install`", exe.display())),
        });
    } else if !unregistered.is_empty() {
        checks.push(Check {
            ok: true,
            what: format!(
                "also here, without Paceline (run `{} install` if you use them): {}",
                exe.display(),
                unregistered.join(", ")
            ),
            fix: None,
        });
    }
    if !missing.is_empty() {
        checks.push(Check {
            ok: true,
            what: format!(
                "not found (no manifest, not installed): {}",
                missing.join(", ")
            ),
            fix: None,
        });
    }

    // 1b. MCP clients: which configurations start Paceline, and which start another copy.
    checks.extend(client_checks(&home, &exe));

    // 2. Bridges, 3. extension, 4. TrainingPeaks session.
    let relay = Relay::from_env()?;
    if let Err(e) = relay.check_dir() {
        checks.push(Check {
            ok: false,
            what: e,
            fix: Some("make the directory private to you (the message says how)".into()),
        });
    }
    let statuses = relay.statuses().await;
    if statuses.is_empty() {
        checks.push(Check {
            ok: false,
            what: "no browser bridge is running".into(),
            fix: Some("open Chrome (or Firefox) with the Paceline extension loaded; the browser starts the bridge by itself".into()),
        });
    }
    for (i, (info, status)) in statuses.iter().enumerate() {
        let chosen = if i == 0 {
            " (used by `paceline mcp`)"
        } else {
            ""
        };
        checks.push(Check {
            ok: true,
            what: format!("bridge pid {} for {}{chosen}", info.pid, info.origin),
            fix: None,
        });
        match status.as_ref().and_then(|s| s.extension.as_ref()) {
            None => checks.push(Check {
                ok: false,
                what: format!("bridge pid {}: the extension has not said hello", info.pid),
                fix: Some("reload the Paceline extension (chrome://extensions)".into()),
            }),
            Some(h) => {
                checks.push(Check {
                    ok: true,
                    what: format!(
                        "extension {} connected ({}, protocol {})",
                        h.software.as_deref().unwrap_or("?"),
                        h.browser.as_deref().unwrap_or("?"),
                        h.version
                    ),
                    fix: None,
                });
                match &h.session {
                    Some(s) if s.logged_in => checks.push(Check { ok: true, what: format!("logged in to TrainingPeaks as {}", s.user.as_deref().unwrap_or("?")), fix: None }),
                    Some(_) => checks.push(Check { ok: false, what: "not logged in to TrainingPeaks".into(), fix: Some("log in at https://app.trainingpeaks.com in that browser".into()) }),
                    // Not reported yet: the live check below answers for the bridge in use.
                    None if i > 0 => checks.push(Check { ok: true, what: "TrainingPeaks session not checked yet (it is checked on the first tool call)".into(), fix: None }),
                    None => {}
                }
                checks.extend(h.intervals.as_ref().map(intervals_check));
            }
        }
    }

    if !statuses.is_empty() {
        checks.push(session_check(&relay).await);
    }

    // 5. Intervals.icu for `--direct` (the variables only; the browser's Intervals.icu
    // connection is the extension's to report). Not configuring it is fine.
    checks.push(
        match crate::icu_direct::describe(|name| std::env::var(name).ok()) {
            Ok(what) => Check {
                ok: true,
                what,
                fix: None,
            },
            Err(what) => Check {
                ok: false,
                what,
                fix: Some(
                    "correct that variable (see `paceline mcp --help` and the README, \
                     \"Intervals.icu\"), or unset it if you do not use --direct"
                        .into(),
                ),
            },
        },
    );

    let mut out = String::new();
    for c in &checks {
        let _ = writeln!(out, "{} {}", if c.ok { "✓" } else { "✗" }, c.what);
        if let Some(f) = &c.fix {
            let _ = writeln!(out, "    fix: {f}");
        }
    }
    let all_ok = checks.iter().all(|c| c.ok);
    let _ = write!(
        out,
        "{}",
        if all_ok {
            "All good."
        } else {
            "Some checks failed; see the fixes above."
        }
    );
    crate::output::finish(crate::output::stdout_line(&out), ())?;
    Ok(all_ok)
}

/// What each MCP client's configuration says about Paceline. A client without a configuration
/// file is simply not used here; one whose entry starts another binary is a failure, since that
/// client would run an old or moved copy.
fn client_checks(home: &std::path::Path, exe: &std::path::Path) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut absent = Vec::new();
    for c in Client::EACH {
        let path = c.config_path(home);
        let fix = || {
            Some(format!(
                "run `{} install --client {}`",
                exe.display(),
                c.arg()
            ))
        };
        match crate::install::configured_client(c, &path) {
            Configured::NoFile => absent.push(c.label()),
            Configured::NoEntry => checks.push(Check {
                ok: true,
                what: format!(
                    "{}: {} does not start Paceline (fine if you do not use it there)",
                    c.label(),
                    path.display()
                ),
                fix: None,
            }),
            Configured::Command(cmd) if std::path::Path::new(&cmd) == exe => checks.push(Check {
                ok: true,
                what: format!("{}: starts this binary ({})", c.label(), path.display()),
                fix: None,
            }),
            Configured::Command(cmd) => checks.push(Check {
                ok: false,
                what: format!(
                    "{}: {} starts {cmd}, not this binary",
                    c.label(),
                    path.display()
                ),
                fix: fix(),
            }),
            Configured::Unreadable(why) => checks.push(Check {
                ok: false,
                what: format!("{}: cannot read {}: {why}", c.label(), path.display()),
                fix: Some(format!(
                    "fix the file, then run `{} doctor` again",
                    exe.display()
                )),
            }),
        }
    }
    if !absent.is_empty() {
        checks.push(Check {
            ok: true,
            what: format!(
                "MCP clients with no configuration here: {}",
                absent.join(", ")
            ),
            fix: None,
        });
    }
    checks
}

/// The extension's last Intervals.icu check (from its hello): which credential, for whom.
fn intervals_check(s: &crate::protocol::IntervalsStatus) -> Check {
    let who = match (&s.name, &s.athlete) {
        (Some(n), Some(a)) => format!("{n} (athlete {a})"),
        (None, Some(a)) => format!("athlete {a}"),
        (Some(n), None) => n.clone(),
        (None, None) => "?".into(),
    };
    match s.method.as_str() {
        "session" => Check { ok: true, what: format!("Intervals.icu: browser session, as {who}"), fix: None },
        "api_key" => Check { ok: true, what: format!("Intervals.icu: API key entered in the extension, as {who}"), fix: None },
        // Not a failure: Intervals.icu is optional, and a TrainingPeaks-only setup is fine.
        _ => Check {
            ok: true,
            what: "Intervals.icu not connected (optional): log in at https://intervals.icu in that browser, or enter your API key (intervals.icu Settings → Developer Settings) in the Paceline popup".into(),
            fix: None,
        },
    }
}

/// Windows: the browser finds the manifest only through its registry key.
/// Asks the extension of the bridge `paceline mcp` would use who is logged in, with a real
/// (read-only) tool call through the whole path: relay, bridge, extension, TrainingPeaks.
async fn session_check(relay: &Relay) -> Check {
    let call = relay.call("get_athlete_profile", serde_json::json!({}));
    match tokio::time::timeout(std::time::Duration::from_secs(20), call).await {
        Ok(Ok(r)) => {
            let s = &r.structured;
            let name = s.get("name").and_then(Value::as_str).unwrap_or("?");
            let athlete = s
                .get("athlete_id")
                .and_then(Value::as_i64)
                .map(|id| format!(" (athlete {id})"))
                .unwrap_or_default();
            Check {
                ok: true,
                what: format!("logged in to TrainingPeaks as {name}{athlete}"),
                fix: None,
            }
        }
        Ok(Err(e)) if e.code == ErrorCode::NotLoggedIn => Check {
            ok: false,
            what: "not logged in to TrainingPeaks in that browser".into(),
            fix: Some("log in at https://app.trainingpeaks.com in that browser, then retry".into()),
        },
        Ok(Err(e)) => Check {
            ok: false,
            what: format!("a test call through the extension failed: {}", e.message),
            fix: Some(
                "check the browser is responsive; the Paceline popup shows the last calls".into(),
            ),
        },
        Err(_) => Check {
            ok: false,
            what: "a test call through the extension got no answer in 20 s".into(),
            fix: Some("check the browser is responsive, or reload the Paceline extension".into()),
        },
    }
}

#[cfg(windows)]
fn registry_check(b: Browser, manifest: &std::path::Path, exe: &std::path::Path) -> Option<Check> {
    let (key, found) = crate::install::windows::registered(b)?;
    let fix = Some(format!(
        "run `{} install --browser {}` to set it",
        exe.display(),
        b.label().to_lowercase()
    ));
    Some(match found {
        Some(p) if p == manifest => Check {
            ok: true,
            what: format!("{} registry key {key} names the manifest", b.label()),
            fix: None,
        },
        Some(p) => Check {
            ok: false,
            what: format!("{} registry key {key} names {}", b.label(), p.display()),
            fix,
        },
        None => Check {
            ok: false,
            what: format!("{} registry key {key} is missing", b.label()),
            fix,
        },
    })
}
