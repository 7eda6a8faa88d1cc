//! The `paceline mcp` side of the relay: sends one tool call to a bridge and waits for the
//! answer. A connection per call keeps bridge selection fresh (a browser restarted between two
//! calls is found again) and costs a few microseconds on a Unix socket.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::framing::{self, MAX_FROM_BROWSER, MAX_TO_BROWSER};
use crate::ipc;
use crate::protocol::{BridgeStatus, ErrorBody, ErrorCode, Message, ToolResult};
use crate::rendezvous::{self, BridgeInfo};

/// The message for "no browser", worded as what to do.
pub const NO_BROWSER: &str = "No browser is connected to Paceline. Open Chrome (or Firefox) with the Paceline extension \
installed and log in to TrainingPeaks, then retry. If it is open, run `paceline doctor`.";

/// How long a call waits for the extension to reconnect when its browser is still running
/// but the bridge is gone (the worker was stopped; its alarm restarts it within 30 s).
pub const RECONNECT_WAIT: Duration = Duration::from_secs(40);

/// The answer when the bridge stays silent past the deadline: the call was sent, so it may
/// have run; a change must be checked, never blindly retried.
fn timed_out(after: Duration) -> String {
    format!(
        "The browser bridge did not answer within {} s, so the call's outcome is unknown. If it \
         was a change, check TrainingPeaks before retrying.",
        after.as_secs()
    )
}

/// Finds bridges and relays calls to them.
#[derive(Debug, Clone)]
pub struct Relay {
    dir: PathBuf,
    wanted: Option<String>,
    timeout: Duration,
    reconnect_wait: Duration,
}

impl Relay {
    /// A relay over the per-user rendezvous directory, honouring `PACELINE_BRIDGE`.
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            dir: rendezvous::dir()?,
            wanted: std::env::var("PACELINE_BRIDGE").ok(),
            timeout: crate::bridge::relay_timeout(),
            reconnect_wait: RECONNECT_WAIT,
        })
    }

    /// A relay over a given directory (tests).
    #[cfg(test)]
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            wanted: None,
            timeout: crate::bridge::relay_timeout(),
            reconnect_wait: RECONNECT_WAIT,
        }
    }

    /// Sets how long a call waits for a restarting extension (tests; the test that uses it
    /// needs Linux's process table).
    #[cfg(all(test, target_os = "linux"))]
    pub fn with_reconnect_wait(mut self, wait: Duration) -> Self {
        self.reconnect_wait = wait;
        self
    }

    /// Whether the rendezvous directory can be trusted (see
    /// [`rendezvous::check_private_dir`]); the message says what is wrong and how to fix it.
    pub fn check_dir(&self) -> Result<(), String> {
        rendezvous::check_private_dir(&self.dir)
            .map(|_| ())
            .map_err(|e| format!("{e:#}"))
    }

    /// The live bridges, in preference order; stale entries are cleaned up on the way. None
    /// if the directory is not private (see [`Relay::check_dir`]).
    pub async fn bridges(&self) -> Vec<(BridgeInfo, ipc::ClientStream)> {
        let mut live = Vec::new();
        if let Err(e) = self.check_dir() {
            tracing::warn!("{e}");
            return live;
        }
        for info in rendezvous::select(rendezvous::list(&self.dir), self.wanted.as_deref()) {
            match ipc::connect(&info.socket).await {
                Ok(s) => live.push((info, s)),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound
                    ) =>
                {
                    rendezvous::remove(&self.dir, &info)
                }
                Err(e) => tracing::debug!("bridge {} unreachable: {e}", info.pid),
            }
        }
        live
    }

    /// The preferred live bridge; if there is none but a browser that lost its bridge is
    /// still running, waits up to the reconnect time for its extension to come back.
    async fn connect(&self) -> Result<ipc::ClientStream, ErrorBody> {
        self.check_dir().map_err(|message| ErrorBody {
            code: ErrorCode::NoBrowser,
            message,
        })?;
        if let Some((_, s)) = self.bridges().await.into_iter().next() {
            return Ok(s);
        }
        let no_browser = || ErrorBody {
            code: ErrorCode::NoBrowser,
            message: NO_BROWSER.into(),
        };
        if rendezvous::reconnecting(&self.dir, rendezvous::unix_now()).is_empty() {
            // A bridge that started between the listing above and this check has already
            // cleared its browser's marker: look once more before saying there is none.
            return self.recheck().await.ok_or_else(no_browser);
        }
        tracing::info!(
            "the browser is running but its extension is reconnecting; waiting up to {:?}",
            self.reconnect_wait
        );
        let deadline = tokio::time::Instant::now() + self.reconnect_wait;
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if let Some((_, s)) = self.bridges().await.into_iter().next() {
                return Ok(s);
            }
            if rendezvous::reconnecting(&self.dir, rendezvous::unix_now()).is_empty() {
                // The marker went: either the browser quit, or its new bridge cleared it
                // right after the listing above.
                return self.recheck().await.ok_or_else(no_browser);
            }
        }
        Err(ErrorBody {
            code: ErrorCode::NoBrowser,
            message: format!(
                "The browser is running, but the Paceline extension did not reconnect within {} s. \
                 Open the Paceline popup in the browser (or reload the extension) and retry; \
                 `paceline doctor` shows what is connected.",
                self.reconnect_wait.as_secs()
            ),
        })
    }

    /// The preferred live bridge, listed again.
    async fn recheck(&self) -> Option<ipc::ClientStream> {
        self.bridges().await.into_iter().next().map(|(_, s)| s)
    }

    /// Relays one tool call. The caller has already validated the arguments.
    pub async fn call(&self, tool: &str, args: Value) -> Result<ToolResult, ErrorBody> {
        let mut stream = self.connect().await?;
        let io = |e: framing::FrameError| ErrorBody {
            code: ErrorCode::NoBrowser,
            message: format!("Lost the connection to the browser bridge ({e}). {NO_BROWSER}"),
        };
        // Once the call has been sent, the browser may have run it: say so.
        let lost = |e: framing::FrameError| ErrorBody {
            code: ErrorCode::NoBrowser,
            message: format!(
                "Lost the connection to the browser while the call was running ({e}), so its outcome \
                 is unknown. If it was a change, check TrainingPeaks before retrying."
            ),
        };
        let msg = Message::Call {
            id: 1,
            tool: tool.to_string(),
            args,
        };
        match framing::encode(&msg, MAX_TO_BROWSER) {
            Ok(_) => {}
            Err(e) => {
                return Err(ErrorBody {
                    code: ErrorCode::TooLarge,
                    message: format!("The arguments are too large to send to the browser: {e}"),
                });
            }
        }
        framing::write_message(&mut stream, &msg, MAX_TO_BROWSER)
            .await
            .map_err(io)?;
        let reply = tokio::time::timeout(self.timeout, async {
            loop {
                match framing::read_message::<Message, _>(&mut stream, MAX_FROM_BROWSER).await {
                    Ok(Message::Result(r)) if r.id == 1 => return Ok(r),
                    Ok(_) => continue,
                    Err(e) => return Err(lost(e)),
                }
            }
        })
        .await
        .map_err(|_| ErrorBody {
            code: ErrorCode::Timeout,
            message: timed_out(self.timeout),
        })??;
        match (reply.ok, reply.result, reply.error) {
            (true, Some(r), _) => Ok(r),
            (_, _, Some(e)) => Err(e),
            _ => Err(ErrorBody {
                code: ErrorCode::Internal,
                message: "The browser sent an empty answer.".into(),
            }),
        }
    }

    /// Asks every live bridge for its status (for `paceline doctor`).
    pub async fn statuses(&self) -> Vec<(BridgeInfo, Option<BridgeStatus>)> {
        let mut out = Vec::new();
        for (info, mut s) in self.bridges().await {
            let status = async {
                framing::write_message(&mut s, &Message::Status { id: 1 }, MAX_TO_BROWSER)
                    .await
                    .ok()?;
                loop {
                    match framing::read_message::<Message, _>(&mut s, MAX_FROM_BROWSER)
                        .await
                        .ok()?
                    {
                        Message::StatusReply { status, .. } => return Some(*status),
                        _ => continue,
                    }
                }
            };
            out.push((
                info,
                tokio::time::timeout(Duration::from_secs(2), status)
                    .await
                    .ok()
                    .flatten(),
            ));
        }
        out
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use serde_json::json;

    fn bridge_info(pid: u32, socket: PathBuf) -> BridgeInfo {
        BridgeInfo {
            pid,
            started_at: rendezvous::unix_now(),
            origin: "chrome-extension://x/".into(),
            socket,
            browser_pid: None,
        }
    }

    #[tokio::test]
    async fn a_planted_file_cannot_point_the_relay_at_another_socket() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, elsewhere) = (tmp.path().join("run"), tmp.path().join("elsewhere"));
        rendezvous::ensure_private_dir(&dir).unwrap();
        std::fs::create_dir(&elsewhere).unwrap();
        // A live socket outside the directory, as a forger would run it.
        let forged = elsewhere.join("forged.sock");
        let listener = tokio::net::UnixListener::bind(&forged).unwrap();
        let pid = 4242;
        std::fs::write(
            rendezvous::info_path(&dir, pid),
            serde_json::to_vec(&bridge_info(pid, forged.clone())).unwrap(),
        )
        .unwrap();
        let relay = Relay::new(dir.clone());
        let err = relay
            .call("get_athlete_profile", json!({}))
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::NoBrowser, "{err:?}");
        let accepted = tokio::time::timeout(Duration::from_millis(100), listener.accept()).await;
        assert!(
            accepted.is_err(),
            "the relay connected to the forged socket"
        );
        assert!(forged.exists(), "a file outside the directory was removed");
    }

    #[tokio::test]
    async fn a_directory_open_to_others_is_refused_with_the_fix() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("run");
        rendezvous::ensure_private_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let err = Relay::new(dir)
            .call("get_athlete_profile", json!({}))
            .await
            .unwrap_err();
        assert!(
            err.message.contains("open to other users") && err.message.contains("chmod 700"),
            "{}",
            err.message
        );
    }

    #[tokio::test]
    async fn a_silent_bridge_gives_outcome_unknown_not_retry() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("run");
        rendezvous::ensure_private_dir(&dir).unwrap();
        // A bridge of this user that accepts the call and never answers.
        let pid = std::process::id();
        let socket = crate::ipc::endpoint(&dir, pid);
        let mut listener = crate::ipc::Listener::bind(&socket).unwrap();
        std::fs::write(
            rendezvous::info_path(&dir, pid),
            serde_json::to_vec(&bridge_info(pid, socket)).unwrap(),
        )
        .unwrap();
        let hold = tokio::spawn(async move {
            let s = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(5)).await;
            drop(s);
        });
        let mut relay = Relay::new(dir);
        relay.timeout = Duration::from_millis(200);
        let err = relay
            .call("delete_workout", json!({"workout_id": 1}))
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Timeout);
        assert!(
            err.message.contains("outcome is unknown")
                && err.message.contains("check TrainingPeaks before retrying"),
            "{}",
            err.message
        );
        hold.abort();
    }
}
