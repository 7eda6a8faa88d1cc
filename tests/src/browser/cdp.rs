//! A minimal Chrome DevTools Protocol client over the browser's WebSocket endpoint: commands
//! with ids, flattened target sessions, and the few helpers the suite needs (evaluate in a
//! target, open and close targets). Events are not needed and are dropped.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

use super::{HarnessError, Result};

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<std::result::Result<Value, String>>>>>;

/// How long one protocol command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// A connection to the browser target (`ws://127.0.0.1:<port>/devtools/browser/<id>`).
#[derive(Debug)]
pub struct Cdp {
    out: mpsc::UnboundedSender<Message>,
    pending: Pending,
    next: AtomicU64,
}

/// Information about one target (page, service worker…), from `Target.getTargets`.
#[derive(Debug, Clone)]
pub struct TargetInfo {
    /// The target id.
    pub id: String,
    /// `page`, `service_worker`, `background_page`…
    pub kind: String,
    /// Its URL.
    pub url: String,
}

impl Cdp {
    /// Connects to a browser endpoint. The reader and writer run as tasks on the current
    /// tokio runtime; they end when the browser closes the socket.
    pub async fn connect(ws_url: &str) -> Result<Self> {
        let (ws, _) = tokio_tungstenite::connect_async(ws_url)
            .await
            .map_err(|e| HarnessError::Protocol(format!("connecting to {ws_url}: {e}")))?;
        let (mut sink, mut stream) = ws.split();
        let (out, mut rx) = mpsc::unbounded_channel::<Message>();
        tokio::spawn(async move {
            while let Some(m) = rx.recv().await {
                if sink.send(m).await.is_err() {
                    break;
                }
            }
        });
        let pending: Pending = Arc::default();
        let readers = Arc::clone(&pending);
        tokio::spawn(async move {
            while let Some(Ok(msg)) = stream.next().await {
                let Message::Text(text) = msg else { continue };
                let Ok(v) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                let Some(id) = v.get("id").and_then(Value::as_u64) else {
                    continue; // an event
                };
                let reply = match v.get("error") {
                    Some(e) => Err(e.to_string()),
                    None => Ok(v.get("result").cloned().unwrap_or(Value::Null)),
                };
                if let Some(tx) = lock(&readers).remove(&id) {
                    let _ = tx.send(reply);
                }
            }
            // The browser went away: fail whatever is still waiting.
            lock(&readers).clear();
        });
        Ok(Self {
            out,
            pending,
            next: AtomicU64::new(1),
        })
    }

    /// Sends one command (to the browser, or to a flattened target session) and waits for
    /// its result.
    pub async fn call(&self, method: &str, params: Value, session: Option<&str>) -> Result<Value> {
        self.call_within(COMMAND_TIMEOUT, method, params, session)
            .await
    }

    /// [`Cdp::call`] with its own time bound.
    pub async fn call_within(
        &self,
        timeout: Duration,
        method: &str,
        params: Value,
        session: Option<&str>,
    ) -> Result<Value> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let (tx, rx) = oneshot::channel();
        lock(&self.pending).insert(id, tx);
        self.out
            .send(Message::text(msg.to_string()))
            .map_err(|_| HarnessError::Protocol(format!("{method}: the browser is gone")))?;
        match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(Ok(v))) => Ok(v),
            Ok(Ok(Err(e))) => Err(HarnessError::Protocol(format!("{method}: {e}"))),
            Ok(Err(_)) => Err(HarnessError::Protocol(format!(
                "{method}: the browser closed the connection"
            ))),
            Err(_) => {
                lock(&self.pending).remove(&id);
                Err(HarnessError::Timeout {
                    after: timeout,
                    what: format!("the answer to {method}"),
                })
            }
        }
    }

    /// Every target the browser knows about.
    pub async fn targets(&self) -> Result<Vec<TargetInfo>> {
        let r = self.call("Target.getTargets", json!({}), None).await?;
        Ok(r["targetInfos"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|t| TargetInfo {
                id: t["targetId"].as_str().unwrap_or_default().to_string(),
                kind: t["type"].as_str().unwrap_or_default().to_string(),
                url: t["url"].as_str().unwrap_or_default().to_string(),
            })
            .collect())
    }

    /// Attaches to a target with a flattened session and returns the session id.
    pub async fn attach(&self, target_id: &str) -> Result<String> {
        let r = self
            .call(
                "Target.attachToTarget",
                json!({ "targetId": target_id, "flatten": true }),
                None,
            )
            .await?;
        r["sessionId"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| HarnessError::Protocol(format!("attachToTarget gave {r}")))
    }

    /// Evaluates `expression` in a session (awaiting a promise) and returns its value as JSON.
    /// A thrown exception is an error carrying its description.
    pub async fn evaluate(&self, session: &str, expression: &str) -> Result<Value> {
        self.evaluate_within(COMMAND_TIMEOUT, session, expression)
            .await
    }

    /// [`Cdp::evaluate`] with its own time bound.
    pub async fn evaluate_within(
        &self,
        timeout: Duration,
        session: &str,
        expression: &str,
    ) -> Result<Value> {
        let r = self
            .call_within(
                timeout,
                "Runtime.evaluate",
                json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
                Some(session),
            )
            .await?;
        if let Some(ex) = r.get("exceptionDetails") {
            let text = ex["exception"]["description"]
                .as_str()
                .or_else(|| ex["text"].as_str())
                .unwrap_or("exception");
            return Err(HarnessError::Protocol(format!(
                "evaluating `{expression}`: {text}"
            )));
        }
        Ok(r["result"]["value"].clone())
    }

    /// Opens a new page (tab) at `url` and returns its target id.
    pub async fn open_page(&self, url: &str) -> Result<String> {
        let r = self
            .call("Target.createTarget", json!({ "url": url }), None)
            .await?;
        r["targetId"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| HarnessError::Protocol(format!("createTarget gave {r}")))
    }

    /// Closes a target. For an extension service worker this stops the worker, as Chrome
    /// does when it decides a worker is idle.
    pub async fn close_target(&self, target_id: &str) -> Result<()> {
        self.call("Target.closeTarget", json!({ "targetId": target_id }), None)
            .await
            .map(|_| ())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
