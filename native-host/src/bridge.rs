//! The bridge role: `paceline` started by the browser through native messaging.
//!
//! The browser runs the binary with the caller's origin as argument (Chromium:
//! `chrome-extension://<id>/`; Firefox: the manifest path and the add-on id). The bridge then
//! speaks native messaging on stdin/stdout with the extension, and listens on a private Unix
//! socket (or pipe: see [`crate::ipc`]) for `paceline mcp` processes. Each relayed call gets a
//! bridge-unique id, a timeout (60 s by default, `PACELINE_CALL_TIMEOUT_SECS`) that stops while
//! the person answers a confirmation window (see [`crate::protocol`]), and is cancelled in the
//! extension if its caller goes away. A call that gets no answer is reported as "outcome
//! unknown" unless its tool is read-only. When the browser closes stdin, every pending call
//! fails, the socket is removed and the process exits.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use tokio::io::AsyncWrite;
use tokio::sync::{mpsc, oneshot};

use crate::framing::{self, FrameError, MAX_FROM_BROWSER, MAX_TO_BROWSER};
use crate::ipc;
use crate::protocol::{
    BridgeStatus, ErrorCode, Hello, MAX_CONFIRMATION_PAUSE_SECS, Message, Reply, VERSION,
};
use crate::rendezvous::{self, BridgeInfo};

/// How often the bridge pings the extension. An open port already keeps the MV3 worker alive;
/// the ping is cheap insurance (bridge facts §2.6).
const HEARTBEAT: Duration = Duration::from_secs(20);

/// Recognises a browser launch: returns the caller origin if argv looks like one.
pub fn origin_from_args(args: &[OsString]) -> Option<String> {
    let first = args.get(1)?.to_str()?;
    if first.starts_with("chrome-extension://") {
        return Some(first.to_string());
    }
    // Firefox: <manifest path> <add-on id>.
    let second = args.get(2)?.to_str()?;
    if first.ends_with(".json")
        && std::path::Path::new(first).is_absolute()
        && !second.starts_with('-')
    {
        return Some(second.to_string());
    }
    None
}

/// How long `paceline mcp` waits for the bridge's answer to one call: the bridge's own deadline
/// plus the longest confirmation pause plus a margin, so the bridge, which knows the call's
/// state, is always the one that answers.
pub fn relay_timeout() -> Duration {
    call_timeout().saturating_add(Duration::from_secs(MAX_CONFIRMATION_PAUSE_SECS + 5))
}

/// The default per-call timeout (`PACELINE_CALL_TIMEOUT_SECS`, checked: see
/// [`crate::timeout_env`]).
pub fn call_timeout() -> Duration {
    crate::timeout_env::from_env()
}

/// A call sent to the extension and not answered yet.
struct Pending {
    /// Where the answer goes.
    reply: oneshot::Sender<Reply>,
    /// `true` while the person looks at the confirmation window (the deadline stops).
    paused: tokio::sync::watch::Sender<bool>,
    /// What the tool is (decides how an unanswered call is worded).
    kind: Kind,
}

/// What an unanswered call's message needs to know about its tool.
#[derive(Debug, Clone, Copy)]
struct Kind {
    /// Whether the tool only reads.
    read_only: bool,
    /// The service it talks to, as the person knows it.
    service: &'static str,
}

/// What `tool` (a canonical name, as relayed) is. Unknown tools count as TrainingPeaks writes:
/// when in doubt, the caller is told to check before retrying.
fn kind_of(tool: &str) -> Kind {
    use paceline_core::tools::platform::{Service, find_canonical};
    match find_canonical(tool) {
        Some(l) => Kind {
            read_only: l.tool().annotations().read_only,
            service: match l.service() {
                Service::TrainingPeaks => "TrainingPeaks",
                Service::Intervals => "Intervals.icu",
            },
        },
        None => Kind {
            read_only: false,
            service: "TrainingPeaks",
        },
    }
}

/// What a call that got no answer says, worded by whether its tool changes anything: a read
/// is safe to retry, a write may have been applied.
fn unanswered(kind: Kind, what: &str) -> String {
    if kind.read_only {
        format!("{what} It only reads, so it is safe to retry.")
    } else {
        let service = kind.service;
        format!(
            "{what} The change may or may not have been applied in {service}: its outcome is \
             unknown. Check {service} before retrying."
        )
    }
}

/// Waits for a call's answer within `timeout`, not counting the time the call is paused (the
/// person looks at a confirmation window). Pauses together may stop the clock for at most
/// `max_pause`, so a misbehaving extension cannot hold a call forever. `Err(())` is a timeout;
/// `Ok(None)` means the answer's sender was dropped (the call ended elsewhere).
async fn wait_for_reply(
    mut reply: oneshot::Receiver<Reply>,
    mut paused: tokio::sync::watch::Receiver<bool>,
    timeout: Duration,
    max_pause: Duration,
) -> Result<Option<Reply>, ()> {
    let mut remaining = timeout;
    let mut pause_left = max_pause;
    let mut watching = true;
    loop {
        // The clock runs unless a confirmation is open and the pause budget is not used up.
        let counting = !*paused.borrow_and_update() || pause_left.is_zero();
        let budget = if counting { remaining } else { pause_left };
        let started = tokio::time::Instant::now();
        let expired = tokio::select! {
            r = &mut reply => return Ok(r.ok()),
            changed = paused.changed(), if watching => {
                // The sender goes with the pending entry; after that only the answer counts.
                watching = changed.is_ok();
                false
            }
            () = tokio::time::sleep(budget) => true,
        };
        let spent = started.elapsed();
        if counting {
            remaining = remaining.saturating_sub(spent);
            if expired || remaining.is_zero() {
                return Err(());
            }
        } else {
            pause_left = if expired {
                tracing::warn!(
                    "confirmations paused a call for {max_pause:?}; its deadline runs again"
                );
                Duration::ZERO
            } else {
                pause_left.saturating_sub(spent)
            };
        }
    }
}

struct Shared {
    origin: String,
    started_at: i64,
    next_id: AtomicU64,
    pending: Mutex<HashMap<u64, Pending>>,
    to_browser: mpsc::UnboundedSender<Message>,
    extension: Mutex<Option<Hello>>,
}

impl Shared {
    fn pending(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Pending>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn status(&self) -> BridgeStatus {
        BridgeStatus {
            pid: std::process::id(),
            started_at: self.started_at,
            origin: self.origin.clone(),
            extension: self
                .extension
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
            in_flight: self.pending().len(),
        }
    }
}

/// Runs the bridge until the browser closes stdin.
pub async fn run(origin: String) -> Result<()> {
    let stdin = tokio::io::stdin();
    let stdout = tokio::io::stdout();
    let browser_pid = rendezvous::parent_pid();
    serve(
        origin,
        stdin,
        stdout,
        rendezvous::dir()?,
        call_timeout(),
        browser_pid,
    )
    .await
}

/// Limits on the relay socket, so one local process cannot exhaust the bridge.
#[derive(Debug, Clone, Copy)]
pub struct RelayLimits {
    /// Connections served at once. Further ones wait in the socket's backlog (their calls are
    /// answered once a slot frees) instead of being dropped: a dropped call would come back
    /// as "outcome unknown" although it never ran.
    pub max_clients: usize,
    /// A connection with no call in flight that sends nothing for this long is closed.
    pub idle: Duration,
}

impl Default for RelayLimits {
    fn default() -> Self {
        // `paceline mcp` opens one connection per call and sends at once, so a connection
        // idle for 30 s is a stuck or hostile client; 64 concurrent calls is well beyond what
        // TrainingPeaks' ~90 requests a minute can serve.
        Self {
            max_clients: 64,
            idle: Duration::from_secs(30),
        }
    }
}

/// The bridge over any byte streams (tests drive it with in-memory pipes). `browser_pid` is
/// the browser process that started it, if known (for the lost-port marker).
pub async fn serve<R, W>(
    origin: String,
    from_browser: R,
    to_browser: W,
    dir: PathBuf,
    timeout: Duration,
    browser_pid: Option<u32>,
) -> Result<()>
where
    R: tokio::io::AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    serve_with_limits(
        origin,
        from_browser,
        to_browser,
        dir,
        timeout,
        browser_pid,
        RelayLimits::default(),
    )
    .await
}

/// [`serve`] with the relay socket's limits given.
pub async fn serve_with_limits<R, W>(
    origin: String,
    mut from_browser: R,
    to_browser: W,
    dir: PathBuf,
    timeout: Duration,
    browser_pid: Option<u32>,
    limits: RelayLimits,
) -> Result<()>
where
    R: tokio::io::AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    rendezvous::ensure_private_dir(&dir)?;
    let pid = std::process::id();
    let socket = ipc::endpoint(&dir, pid);
    let mut listener = ipc::Listener::bind(&socket)?;
    let info = BridgeInfo {
        pid,
        started_at: rendezvous::unix_now(),
        origin: origin.clone(),
        socket: socket.clone(),
        browser_pid,
    };
    // Announce first, then clear the lost-port marker: a relay looking in between would
    // otherwise find neither and fail at once with "no browser" (seen in e2e scenario 7 when
    // the reconnect alarm fired just as the call was made).
    write_info(&dir, &info)?;
    if let Some(b) = info.browser_pid {
        rendezvous::clear_lost(&dir, b);
    }
    let _cleanup = Cleanup(dir.clone(), info.clone());
    tracing::info!(socket = %socket.display(), %origin, "bridge listening");

    let (tx, rx) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        origin,
        started_at: info.started_at,
        next_id: AtomicU64::new(1),
        pending: Mutex::new(HashMap::new()),
        to_browser: tx,
        extension: Mutex::new(None),
    });
    let writer = tokio::spawn(write_to_browser(rx, to_browser, shared.clone()));
    let shared_timeout = timeout;
    let _ = shared.to_browser.send(Message::Hello(Hello {
        version: VERSION,
        role: "bridge".into(),
        software: Some(env!("CARGO_PKG_VERSION").into()),
        ..Hello::default()
    }));
    let heartbeat = {
        let shared = shared.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(HEARTBEAT);
            tick.tick().await;
            loop {
                tick.tick().await;
                if shared.to_browser.send(Message::Ping).is_err() {
                    break;
                }
            }
        })
    };

    // Messages from the browser are read by their own task and handed over a channel:
    // `read_message` is not cancel-safe (a frame read half-way when another `select!` branch
    // wins would be lost, and the stream with it), while a channel receive is.
    let (from_tx, mut from_rx) = mpsc::unbounded_channel();
    let reader = tokio::spawn(async move {
        loop {
            let msg =
                framing::read_message::<Message, _>(&mut from_browser, MAX_FROM_BROWSER).await;
            let fatal = !matches!(msg, Ok(_) | Err(FrameError::BadJson(_)));
            if from_tx.send(msg).is_err() || fatal {
                break;
            }
        }
    });
    let mut terminate = Terminate::new();
    // Client connections, and the signal that ends them when the bridge shuts down.
    let mut clients = tokio::task::JoinSet::new();
    let (closing_tx, closing_rx) = tokio::sync::watch::channel(false);

    loop {
        tokio::select! {
            msg = from_rx.recv() => {
                match msg {
                    Some(Ok(m)) => from_extension(&shared, m),
                    Some(Err(FrameError::BadJson(e))) => tracing::warn!("ignoring a malformed message from the extension: {e}"),
                    Some(Err(FrameError::Closed)) | None => {
                        tracing::info!("browser closed the port");
                        record_lost(&dir, &info);
                        break;
                    }
                    Some(Err(e)) => { tracing::warn!("native messaging failed: {e}"); break; }
                }
            }
            () = terminate.recv() => {
                // Browsers may signal their hosts instead of (or before) closing the pipes.
                tracing::info!("asked to exit (SIGTERM)");
                record_lost(&dir, &info);
                break;
            }
            // At the cap, connections are not accepted (they wait in the backlog) until one
            // of the served ones ends.
            conn = listener.accept(), if clients.len() < limits.max_clients => {
                match conn {
                    // The seam refuses (and logs) other users' connections.
                    Ok(stream) => {
                        clients.spawn(serve_client(stream, shared.clone(), shared_timeout, limits.idle, closing_rx.clone()));
                        if clients.len() == limits.max_clients {
                            tracing::warn!("{} relay connections open: further ones wait", limits.max_clients);
                        }
                    }
                    Err(e) => tracing::warn!("accept failed: {e}"),
                }
            }
            Some(_) = clients.join_next(), if !clients.is_empty() => {}
        }
    }

    reader.abort();
    heartbeat.abort();
    // Fail every pending call: the browser is gone and nothing will answer.
    let pending: Vec<(u64, Pending)> = shared.pending().drain().collect();
    for (id, p) in pending {
        let message = if p.kind.read_only {
            "The browser closed the connection while the call was running. It only reads, so \
             reopen the browser and retry."
                .to_string()
        } else {
            unanswered(
                p.kind,
                "The browser closed the connection while the call was running.",
            )
        };
        let _ = p.reply.send(Reply::err(id, ErrorCode::NoBrowser, message));
    }
    // Let each client connection write those answers before the process exits (exiting at
    // once would drop them and leave `paceline mcp` with only "connection lost").
    let _ = closing_tx.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while clients.join_next().await.is_some() {}
    })
    .await;
    writer.abort();
    Ok(())
}

/// Leaves the lost-port marker, so `paceline mcp` can tell a restarting extension from a
/// closed browser (see `rendezvous`).
fn record_lost(dir: &std::path::Path, info: &BridgeInfo) {
    if let Some(browser_pid) = info.browser_pid {
        let lost = rendezvous::Lost {
            browser_pid,
            origin: info.origin.clone(),
            lost_at: rendezvous::unix_now(),
        };
        if let Err(e) = rendezvous::write_lost(dir, &lost) {
            tracing::warn!("could not record the lost port: {e}");
        }
    }
}

/// SIGTERM as a future (never resolves where there is no such signal, or if the handler
/// cannot be installed).
struct Terminate {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Terminate {
    fn new() -> Self {
        Self {
            #[cfg(unix)]
            signal: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok(),
        }
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        if let Some(s) = self.signal.as_mut() {
            s.recv().await;
            return;
        }
        std::future::pending::<()>().await
    }
}

fn from_extension(shared: &Shared, msg: Message) {
    match msg {
        Message::Result(reply) => {
            if let Some(p) = shared.pending().remove(&reply.id) {
                let _ = p.reply.send(reply);
            }
        }
        Message::ConfirmationPending { id } | Message::ConfirmationDone { id } => {
            let pause = matches!(msg, Message::ConfirmationPending { .. });
            if let Some(p) = shared.pending().get(&id) {
                p.paused.send_replace(pause);
            }
        }
        Message::Hello(h) => {
            tracing::info!(browser = ?h.browser, session = ?h.session, "extension said hello");
            *shared.extension.lock().unwrap_or_else(|e| e.into_inner()) = Some(h);
        }
        Message::Ping => {
            let _ = shared.to_browser.send(Message::Pong);
        }
        Message::Pong => {}
        other => tracing::debug!("ignoring {other:?} from the extension"),
    }
}

async fn write_to_browser<W: AsyncWrite + Unpin>(
    mut rx: mpsc::UnboundedReceiver<Message>,
    mut out: W,
    shared: Arc<Shared>,
) {
    while let Some(msg) = rx.recv().await {
        match framing::write_message(&mut out, &msg, MAX_TO_BROWSER).await {
            Ok(()) => {}
            Err(FrameError::TooLarge { len, limit }) => {
                // Only a call can be this big; fail it instead of killing the port.
                if let Message::Call { id, .. } = msg
                    && let Some(p) = shared.pending().remove(&id)
                {
                    let _ = p.reply.send(Reply::err(
                        id,
                        ErrorCode::TooLarge,
                        format!(
                            "The arguments are {len} bytes; the browser accepts at most {limit}."
                        ),
                    ));
                }
            }
            Err(e) => {
                tracing::warn!("writing to the browser failed: {e}");
                break;
            }
        }
    }
}

/// One `paceline mcp` connection: calls, cancels and status requests, answered in any order.
async fn serve_client(
    stream: ipc::ServerStream,
    shared: Arc<Shared>,
    timeout: Duration,
    idle: Duration,
    mut closing: tokio::sync::watch::Receiver<bool>,
) {
    let (mut rd, wr) = tokio::io::split(stream);
    // Requests are read by their own task, as the browser's messages are: `read_message` is
    // not cancel-safe, and the loop below also waits on the idle check.
    let (req_tx, mut requests) = mpsc::unbounded_channel();
    let reader = tokio::spawn(async move {
        loop {
            let msg = framing::read_message::<Message, _>(&mut rd, MAX_TO_BROWSER).await;
            let fatal = !matches!(msg, Ok(_) | Err(FrameError::BadJson(_)));
            if req_tx.send(msg).is_err() || fatal {
                break;
            }
        }
    });
    let mut idle_check = tokio::time::interval((idle / 4).max(Duration::from_millis(10)));
    let mut last_busy = tokio::time::Instant::now();
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Message>();
    let writer = tokio::spawn(async move {
        let mut wr = wr;
        while let Some(m) = out_rx.recv().await {
            if framing::write_message(&mut wr, &m, MAX_FROM_BROWSER)
                .await
                .is_err()
            {
                break;
            }
        }
    });
    // Client id → bridge id, to cancel in the extension when the client goes away.
    let in_flight: Arc<Mutex<HashMap<u64, u64>>> = Arc::default();
    loop {
        let read = tokio::select! {
            r = requests.recv() => r,
            // The bridge is shutting down: stop reading (a half-read request is moot) and
            // let the answers already queued be written.
            _ = closing.wait_for(|c| *c) => break,
            _ = idle_check.tick() => {
                let busy = !in_flight.lock().unwrap_or_else(|e| e.into_inner()).is_empty();
                if busy {
                    last_busy = tokio::time::Instant::now();
                } else if last_busy.elapsed() >= idle {
                    tracing::info!("closing a relay connection idle for {idle:?}");
                    break;
                }
                continue;
            }
        };
        last_busy = tokio::time::Instant::now();
        let msg = match read {
            Some(Ok(m)) => m,
            Some(Err(FrameError::BadJson(e))) => {
                tracing::warn!("malformed relay message: {e}");
                continue;
            }
            Some(Err(_)) | None => break,
        };
        match msg {
            Message::Hello(_) => {
                let _ = out_tx.send(Message::Hello(Hello {
                    version: VERSION,
                    role: "bridge".into(),
                    software: Some(env!("CARGO_PKG_VERSION").into()),
                    ..Hello::default()
                }));
            }
            Message::Status { id } => {
                let _ = out_tx.send(Message::StatusReply {
                    id,
                    status: Box::new(shared.status()),
                });
            }
            Message::Call {
                id: client_id,
                tool,
                args,
            } => {
                let bid = shared.next_id.fetch_add(1, Ordering::Relaxed);
                let (tx, rx) = oneshot::channel();
                let (paused, paused_rx) = tokio::sync::watch::channel(false);
                let kind = kind_of(&tool);
                shared.pending().insert(
                    bid,
                    Pending {
                        reply: tx,
                        paused,
                        kind,
                    },
                );
                in_flight
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(client_id, bid);
                if shared
                    .to_browser
                    .send(Message::Call {
                        id: bid,
                        tool,
                        args,
                    })
                    .is_err()
                {
                    shared.pending().remove(&bid);
                }
                let (shared, out_tx, in_flight) =
                    (shared.clone(), out_tx.clone(), in_flight.clone());
                tokio::spawn(async move {
                    let max_pause = Duration::from_secs(MAX_CONFIRMATION_PAUSE_SECS);
                    let reply = match wait_for_reply(rx, paused_rx, timeout, max_pause).await {
                        Ok(Some(r)) => r,
                        Ok(None) => Reply::err(
                            bid,
                            ErrorCode::Cancelled,
                            unanswered(kind, "The call was cancelled."),
                        ),
                        Err(()) => {
                            shared.pending().remove(&bid);
                            let _ = shared.to_browser.send(Message::Cancel { id: bid });
                            Reply::err(
                                bid,
                                ErrorCode::Timeout,
                                unanswered(
                                    kind,
                                    &format!(
                                        "The browser did not answer within {} s (not counting time spent on a confirmation window); \
                                         check that it is responsive.",
                                        timeout.as_secs_f64()
                                    ),
                                ),
                            )
                        }
                    };
                    in_flight
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .remove(&client_id);
                    let _ = out_tx.send(Message::Result(Reply {
                        id: client_id,
                        ..reply
                    }));
                });
            }
            Message::Cancel { id } => {
                let bid = in_flight
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&id);
                if let Some(bid) = bid
                    && let Some(p) = shared.pending().remove(&bid)
                {
                    let _ = shared.to_browser.send(Message::Cancel { id: bid });
                    let _ = p.reply.send(Reply::err(
                        bid,
                        ErrorCode::Cancelled,
                        unanswered(p.kind, "The call was cancelled."),
                    ));
                }
            }
            other => tracing::debug!("ignoring {other:?} on the relay socket"),
        }
    }
    // The client went away: cancel what it left running.
    let left: Vec<u64> = in_flight
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .drain()
        .map(|(_, b)| b)
        .collect();
    for bid in left {
        if shared.pending().remove(&bid).is_some() {
            let _ = shared.to_browser.send(Message::Cancel { id: bid });
        }
    }
    reader.abort();
    drop(out_tx);
    let _ = writer.await;
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) -> Result<()> {
    use anyhow::Context as _;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("chmod {}", path.display()))
}

/// Windows has no mode bits: the file inherits the rendezvous directory's per-user ACL.
#[cfg(windows)]
fn set_mode(_path: &std::path::Path, _mode: u32) -> Result<()> {
    Ok(())
}

fn write_info(dir: &std::path::Path, info: &BridgeInfo) -> Result<()> {
    let path = rendezvous::info_path(dir, info.pid);
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec(info)?)?;
    set_mode(&tmp, 0o600)?;
    std::fs::rename(&tmp, &path)?;
    Ok(())
}

/// Removes the socket and info file when the bridge ends, however it ends.
struct Cleanup(PathBuf, BridgeInfo);

impl Drop for Cleanup {
    fn drop(&mut self) {
        rendezvous::remove(&self.0, &self.1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relay::Relay;
    use serde_json::json;
    use tokio::io::DuplexStream;

    /// A fake extension on the other end of the native-messaging pipes.
    struct FakeExtension {
        from_host: DuplexStream,
        to_host: DuplexStream,
    }

    impl FakeExtension {
        async fn recv(&mut self) -> Message {
            loop {
                let m: Message = framing::read_message(&mut self.from_host, MAX_TO_BROWSER)
                    .await
                    .unwrap();
                if !matches!(m, Message::Hello(_) | Message::Ping) {
                    return m;
                }
            }
        }
        async fn send(&mut self, m: &Message) {
            framing::write_message(&mut self.to_host, m, MAX_FROM_BROWSER)
                .await
                .unwrap();
        }
    }

    async fn start(
        timeout: Duration,
    ) -> (
        tempfile::TempDir,
        Relay,
        FakeExtension,
        tokio::task::JoinHandle<Result<()>>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run");
        let (ext, bridge) = start_in(&path, timeout, None).await;
        (dir, Relay::new(path), ext, bridge)
    }

    /// Starts a bridge in `path` for a browser with pid `browser_pid`; returns the fake
    /// extension on its other end once it has announced itself.
    async fn start_in(
        path: &std::path::Path,
        timeout: Duration,
        browser_pid: Option<u32>,
    ) -> (FakeExtension, tokio::task::JoinHandle<Result<()>>) {
        start_limited(path, timeout, browser_pid, RelayLimits::default()).await
    }

    /// [`start_in`] with the relay socket's limits given.
    async fn start_limited(
        path: &std::path::Path,
        timeout: Duration,
        browser_pid: Option<u32>,
        limits: RelayLimits,
    ) -> (FakeExtension, tokio::task::JoinHandle<Result<()>>) {
        let before: Vec<u32> = rendezvous::list(path).iter().map(|b| b.pid).collect();
        let (host_out, ext_in) = tokio::io::duplex(1 << 16);
        let (ext_out, host_in) = tokio::io::duplex(1 << 16);
        let bridge = tokio::spawn(serve_with_limits(
            "chrome-extension://test/".into(),
            host_in,
            host_out,
            path.to_path_buf(),
            timeout,
            browser_pid,
            limits,
        ));
        for _ in 0..200 {
            if rendezvous::list(path).len() > before.len() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        (
            FakeExtension {
                from_host: ext_in,
                to_host: ext_out,
            },
            bridge,
        )
    }

    fn ok(id: u64, text: &str) -> Message {
        Message::Result(Reply {
            id,
            ok: true,
            result: Some(crate::protocol::ToolResult {
                text: text.into(),
                structured: json!({"t": text}),
            }),
            error: None,
        })
    }

    #[tokio::test]
    async fn an_idle_connection_is_closed_and_the_cap_makes_others_wait() {
        use tokio::io::AsyncReadExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run");
        let idle = Duration::from_millis(300);
        let limits = RelayLimits {
            max_clients: 1,
            idle,
        };
        let (_ext, _bridge) = start_limited(&path, Duration::from_secs(5), None, limits).await;
        let socket = ipc::endpoint(&path, std::process::id());
        // A connection that sends nothing takes the only slot.
        let mut silent = ipc::connect(&socket).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let t0 = tokio::time::Instant::now();
        // A status request waits in the backlog until the silent one is cut, then is answered.
        let statuses = Relay::new(path.clone()).statuses().await;
        let waited = t0.elapsed();
        assert_eq!(statuses.len(), 1);
        assert!(statuses[0].1.is_some(), "the waiting request was answered");
        assert!(
            waited >= idle / 2,
            "answered after {waited:?}: the cap of one connection was not applied"
        );
        let mut buf = [0u8; 1];
        let n = tokio::time::timeout(Duration::from_secs(2), silent.read(&mut buf))
            .await
            .expect("the bridge closed the idle connection")
            .unwrap_or(0);
        assert_eq!(n, 0, "the idle connection was closed");
    }

    #[tokio::test]
    async fn a_connection_waiting_for_its_call_is_not_idle() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run");
        let limits = RelayLimits {
            max_clients: 4,
            idle: Duration::from_millis(100),
        };
        let (mut ext, _bridge) = start_limited(&path, Duration::from_secs(5), None, limits).await;
        let relay = Relay::new(path);
        let call = tokio::spawn(async move { relay.call("get_workout", json!({})).await });
        let Message::Call { id, .. } = ext.recv().await else {
            panic!("expected a call")
        };
        // The extension takes six idle periods to answer.
        tokio::time::sleep(Duration::from_millis(600)).await;
        ext.send(&ok(id, "slow")).await;
        let r = call.await.unwrap().expect("the answer arrives");
        assert_eq!(r.text, "slow");
    }

    #[tokio::test]
    async fn relays_a_call_and_maps_ids() {
        let (_d, relay, mut ext, _b) = start(Duration::from_secs(5)).await;
        let call = tokio::spawn({
            let relay = relay.clone();
            async move { relay.call("get_workout", json!({"workout_id": 7})).await }
        });
        let Message::Call { id, tool, args } = ext.recv().await else {
            panic!("expected a call")
        };
        assert_eq!(
            (tool.as_str(), args),
            ("get_workout", json!({"workout_id": 7}))
        );
        ext.send(&ok(id, "done")).await;
        assert_eq!(call.await.unwrap().unwrap().text, "done");
    }

    #[tokio::test]
    async fn concurrent_calls_answered_out_of_order() {
        let (_d, relay, mut ext, _b) = start(Duration::from_secs(5)).await;
        let a = tokio::spawn({
            let r = relay.clone();
            async move { r.call("a", json!({})).await }
        });
        let b = tokio::spawn({
            let r = relay.clone();
            async move { r.call("b", json!({})).await }
        });
        let mut calls = Vec::new();
        for _ in 0..2 {
            let Message::Call { id, tool, .. } = ext.recv().await else {
                panic!()
            };
            calls.push((id, tool));
        }
        calls.reverse();
        for (id, tool) in &calls {
            ext.send(&ok(*id, tool)).await;
        }
        assert_eq!(a.await.unwrap().unwrap().text, "a");
        assert_eq!(b.await.unwrap().unwrap().text, "b");
    }

    #[tokio::test]
    async fn timeout_cancels_in_the_extension() {
        let (_d, relay, mut ext, _b) = start(Duration::from_millis(200)).await;
        let call = tokio::spawn({
            let r = relay.clone();
            async move { r.call("slow", json!({})).await }
        });
        let Message::Call { id, .. } = ext.recv().await else {
            panic!()
        };
        let err = call.await.unwrap().unwrap_err();
        assert_eq!(err.code, ErrorCode::Timeout);
        assert_eq!(ext.recv().await, Message::Cancel { id });
    }

    /// A write that got no answer may still run: the caller is told its outcome is unknown,
    /// never to just retry; a read is told to retry.
    #[tokio::test]
    async fn unanswered_calls_are_worded_by_whether_they_write() {
        let (_d, relay, mut ext, _b) = start(Duration::from_millis(200)).await;
        for (tool, args, unknown, service) in [
            (
                "delete_workout",
                json!({"workout_id": 1}),
                true,
                "TrainingPeaks",
            ),
            ("get_athlete_profile", json!({}), false, "TrainingPeaks"),
            // Relayed by canonical name: an Intervals.icu read is a read, its write names it.
            ("icu_get_events", json!({}), false, "Intervals.icu"),
            (
                "icu_delete_event",
                json!({"event_id": 1}),
                true,
                "Intervals.icu",
            ),
        ] {
            let call = tokio::spawn({
                let r = relay.clone();
                async move { r.call(tool, args).await }
            });
            let Message::Call { id, .. } = ext.recv().await else {
                panic!("expected a call")
            };
            let err = call.await.unwrap().unwrap_err();
            assert_eq!(err.code, ErrorCode::Timeout, "{tool}");
            assert_eq!(
                err.message.contains("outcome is unknown")
                    && err
                        .message
                        .contains(&format!("Check {service} before retrying")),
                unknown,
                "{tool}: {}",
                err.message
            );
            assert_eq!(
                err.message.contains("safe to retry"),
                !unknown,
                "{tool}: {}",
                err.message
            );
            assert_eq!(ext.recv().await, Message::Cancel { id });
        }
    }

    /// An MCP client that cancels a call drops its relay connection; the bridge passes the
    /// cancel on to the extension (which then sends nothing more for it).
    #[tokio::test]
    async fn a_caller_that_goes_away_cancels_in_the_extension() {
        let (_d, relay, mut ext, _b) = start(Duration::from_secs(30)).await;
        let call = tokio::spawn({
            let r = relay.clone();
            async move { r.call("delete_workout", json!({"workout_id": 1})).await }
        });
        let Message::Call { id, .. } = ext.recv().await else {
            panic!("expected a call")
        };
        call.abort();
        let got = tokio::time::timeout(Duration::from_secs(5), ext.recv())
            .await
            .expect("a cancel within 5 s, not at the 30 s deadline");
        assert_eq!(got, Message::Cancel { id });
    }

    /// The time a confirmation window is open does not count against the call's deadline.
    #[tokio::test]
    async fn confirmation_time_does_not_count_against_the_deadline() {
        let (_d, relay, mut ext, _b) = start(Duration::from_millis(300)).await;
        let call = tokio::spawn({
            let r = relay.clone();
            async move { r.call("delete_workout", json!({"workout_id": 1})).await }
        });
        let Message::Call { id, .. } = ext.recv().await else {
            panic!("expected a call")
        };
        ext.send(&Message::ConfirmationPending { id }).await;
        // Three deadlines long on the window...
        tokio::time::sleep(Duration::from_millis(900)).await;
        ext.send(&Message::ConfirmationDone { id }).await;
        // ...and part of one after it.
        tokio::time::sleep(Duration::from_millis(100)).await;
        ext.send(&ok(id, "deleted")).await;
        assert_eq!(call.await.unwrap().unwrap().text, "deleted");
    }

    /// The deadline keeps what was used before the pause: it is stopped, not restarted.
    #[tokio::test]
    async fn a_pause_stops_the_clock_without_resetting_it() {
        let (reply_tx, reply_rx) = oneshot::channel::<Reply>();
        let (paused, paused_rx) = tokio::sync::watch::channel(false);
        let started = tokio::time::Instant::now();
        let wait = tokio::spawn(wait_for_reply(
            reply_rx,
            paused_rx,
            Duration::from_millis(400),
            Duration::from_secs(60),
        ));
        tokio::time::sleep(Duration::from_millis(250)).await;
        paused.send_replace(true);
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(!wait.is_finished(), "paused: no timeout");
        paused.send_replace(false);
        // 150 ms were left when the pause began.
        assert_eq!(wait.await.unwrap(), Err(()));
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(890) && took < Duration::from_millis(1300),
            "{took:?}"
        );
        drop(reply_tx);
    }

    /// A pause that never ends (a misbehaving extension) is bounded.
    #[tokio::test]
    async fn an_endless_pause_is_bounded() {
        let (_reply_tx, reply_rx) = oneshot::channel::<Reply>();
        let (paused, paused_rx) = tokio::sync::watch::channel(false);
        paused.send_replace(true);
        let started = tokio::time::Instant::now();
        let out = wait_for_reply(
            reply_rx,
            paused_rx,
            Duration::from_millis(100),
            Duration::from_millis(300),
        )
        .await;
        assert_eq!(out, Err(()));
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(400) && took < Duration::from_millis(900),
            "{took:?}"
        );
    }

    #[tokio::test]
    async fn large_result_arrives_intact() {
        let (_d, relay, mut ext, _b) = start(Duration::from_secs(10)).await;
        let big = "w".repeat(6 << 20);
        let call = tokio::spawn({
            let r = relay.clone();
            async move { r.call("get_workouts", json!({})).await }
        });
        let Message::Call { id, .. } = ext.recv().await else {
            panic!()
        };
        ext.send(&ok(id, &big)).await;
        assert_eq!(call.await.unwrap().unwrap().text.len(), big.len());
    }

    #[tokio::test]
    async fn oversize_arguments_fail_alone() {
        let (_d, relay, mut ext, _b) = start(Duration::from_secs(5)).await;
        let err = relay
            .call(
                "create_workout",
                json!({"description": "x".repeat(2 << 20)}),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::TooLarge);
        // The port still works.
        let call = tokio::spawn({
            let r = relay.clone();
            async move { r.call("get_athlete_profile", json!({})).await }
        });
        let Message::Call { id, .. } = ext.recv().await else {
            panic!()
        };
        ext.send(&ok(id, "me")).await;
        assert_eq!(call.await.unwrap().unwrap().text, "me");
    }

    #[tokio::test]
    async fn browser_closing_fails_pending_calls_and_cleans_up() {
        // The browser process has exited by the time the relay looks (a reaped child).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("run");
        let (mut ext, bridge) = start_in(&path, Duration::from_secs(30), Some(gone)).await;
        let relay = Relay::new(path);
        let call = tokio::spawn({
            let r = relay.clone();
            async move { r.call("get_workouts", json!({})).await }
        });
        let _ = ext.recv().await;
        drop(ext);
        let err = tokio::time::timeout(Duration::from_secs(5), call)
            .await
            .unwrap()
            .unwrap()
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::NoBrowser);
        assert!(
            err.message
                .contains("closed the connection while the call was running"),
            "{}",
            err.message
        );
        tokio::time::timeout(Duration::from_secs(5), bridge)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert!(
            rendezvous::list(&d.path().join("run")).is_empty(),
            "socket info removed"
        );
        let err = relay.call("get_workouts", json!({})).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::NoBrowser);
        assert!(err.message.contains("Open Chrome"));
    }

    /// The worker stopped but the browser runs on: a call waits for the extension to
    /// reconnect (a new bridge), and says so if it does not in time.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_call_waits_while_the_extension_reconnects() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("run");
        let alive = Some(std::process::id()); // this process stands in for the browser
        let (ext, bridge) = start_in(&path, Duration::from_secs(30), alive).await;
        drop(ext); // the worker stops: the port closes
        bridge.await.unwrap().unwrap();
        assert!(rendezvous::list(&path).is_empty());

        let relay = Relay::new(path.clone()).with_reconnect_wait(Duration::from_secs(20));
        let call = tokio::spawn({
            let r = relay.clone();
            async move { r.call("get_workouts", json!({})).await }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!call.is_finished(), "waits instead of failing at once");
        let (mut ext, _bridge) = start_in(&path, Duration::from_secs(30), alive).await;
        let Message::Call { id, .. } = ext.recv().await else {
            panic!("expected the relayed call")
        };
        ext.send(&ok(id, "back")).await;
        let got = tokio::time::timeout(Duration::from_secs(5), call)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(got.text, "back");
        assert!(
            rendezvous::reconnecting(&path, rendezvous::unix_now()).is_empty(),
            "the new bridge cleared the marker"
        );

        // No reconnection within the wait: a message that says what to do.
        drop(ext);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let quick = Relay::new(path).with_reconnect_wait(Duration::from_millis(300));
        let err = quick.call("get_workouts", json!({})).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::NoBrowser);
        assert!(err.message.contains("did not reconnect"), "{}", err.message);
    }

    /// A relay connection accepted while a frame from the browser is half-read must not lose
    /// the frame (regression: the read was a `select!` branch and was cancelled by accept).
    #[tokio::test]
    async fn a_connection_during_a_half_read_frame_keeps_the_stream_in_sync() {
        use tokio::io::AsyncWriteExt;
        let (_d, relay, mut ext, _b) = start(Duration::from_secs(5)).await;
        let call = tokio::spawn({
            let r = relay.clone();
            async move { r.call("get_workouts", json!({})).await }
        });
        let Message::Call { id, .. } = ext.recv().await else {
            panic!("expected a call")
        };
        let frame = framing::encode(&ok(id, "intact"), MAX_FROM_BROWSER).unwrap();
        let (head, tail) = frame.split_at(7);
        ext.to_host.write_all(head).await.unwrap();
        ext.to_host.flush().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        // Another client connects while the bridge is mid-frame.
        assert_eq!(relay.statuses().await.len(), 1);
        ext.to_host.write_all(tail).await.unwrap();
        ext.to_host.flush().await.unwrap();
        let got = tokio::time::timeout(Duration::from_secs(5), call)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(got.text, "intact");
    }

    #[tokio::test]
    async fn status_reports_the_extension() {
        let (_d, relay, mut ext, _b) = start(Duration::from_secs(5)).await;
        ext.send(&Message::Hello(Hello {
            version: VERSION,
            role: "extension".into(),
            browser: Some("chrome".into()),
            ..Hello::default()
        }))
        .await;
        let mut found = None;
        for _ in 0..100 {
            let s = relay.statuses().await;
            if let Some((_, Some(st))) = s.into_iter().next()
                && st.extension.is_some()
            {
                found = Some(st);
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let st = found.expect("status with the extension's hello");
        assert_eq!(st.origin, "chrome-extension://test/");
        assert_eq!(st.extension.unwrap().browser.as_deref(), Some("chrome"));
    }

    #[test]
    fn recognises_browser_launches() {
        let a = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        let cases = [
            (
                "chrome",
                a(&["paceline", "chrome-extension://abc/"]),
                Some("chrome-extension://abc/"),
            ),
            (
                "chrome on windows",
                a(&["paceline", "chrome-extension://abc/", "--parent-window=0"]),
                Some("chrome-extension://abc/"),
            ),
            (
                "firefox",
                a(&[
                    "paceline",
                    "/home/u/.mozilla/native-messaging-hosts/dev.paceline.host.json",
                    "paceline@paceline.dev",
                ]),
                Some("paceline@paceline.dev"),
            ),
            ("subcommand", a(&["paceline", "mcp", "--sandbox"]), None),
            ("nothing", a(&["paceline"]), None),
        ];
        for (name, args, want) in cases {
            assert_eq!(origin_from_args(&args).as_deref(), want, "{name}");
        }
    }
}
