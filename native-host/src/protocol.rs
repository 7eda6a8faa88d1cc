//! Messages between `paceline mcp`, the bridge, and the extension (summarised in `native-host/PROTOCOL.md`).
//!
//! Every message is a JSON object with a `type`. Message types and error codes are
//! append-only: peers match on them, so one is never renamed or reused. The bridge and the extension
//! ignore a message type they do not know, so a new type that only *adds* information (like
//! [`Message::ConfirmationPending`]) needs no [`VERSION`] bump.
//!
//! # Deadlines
//! The bridge gives every call a deadline (`PACELINE_CALL_TIMEOUT_SECS`, 60 s by default). Time
//! a person spends on the extension's confirmation window does not count: the extension sends
//! [`Message::ConfirmationPending`] when it opens the window and [`Message::ConfirmationDone`]
//! when the person has answered (or the window timed out or was closed); the bridge stops the
//! call's clock in between, for at most [`MAX_CONFIRMATION_PAUSE_SECS`]. The relay's own
//! timeout leaves room for that pause.
//!
//! # Outcome of a call that got no answer
//! A call that timed out, was cancelled, or lost its browser may still have run in the
//! extension. For a tool that is not read-only the error says its outcome is unknown and asks
//! to check TrainingPeaks before retrying; only a read says "retry".
//!
//! # Cancellation
//! [`Message::Cancel`] tells the extension to abandon a call: if it has not sent anything to
//! TrainingPeaks yet, it sends nothing (a pending confirmation window counts as "no"); requests
//! in flight are aborted. The extension sends no result for a cancelled call.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The protocol version, sent in every hello. Bumped only for incompatible changes.
pub const VERSION: u32 = 1;

/// The longest a confirmation may stop a call's clock (the extension's own window times out
/// after 45 s; this bounds a misbehaving extension).
pub const MAX_CONFIRMATION_PAUSE_SECS: u64 = 120;

/// A message on the native-messaging port or the relay socket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
    /// First message each way: who is there and which protocol they speak.
    Hello(Hello),
    /// Run one catalogue tool.
    Call {
        /// Request id, unique per connection.
        id: u64,
        /// The tool name.
        tool: String,
        /// The tool arguments (already validated by the sender).
        args: Value,
    },
    /// Abandon a call (the MCP client cancelled it, or it timed out).
    Cancel {
        /// The id of the call.
        id: u64,
    },
    /// The answer to a call.
    Result(Reply),
    /// Ask for the bridge's and the extension's state (used by `paceline doctor`).
    Status {
        /// Request id.
        id: u64,
    },
    /// The answer to a status request.
    StatusReply {
        /// Request id.
        id: u64,
        /// The state.
        status: Box<BridgeStatus>,
    },
    /// Keep-alive from the bridge (every 20 s) so the service worker / event page stays up.
    Ping,
    /// Answer to a ping.
    Pong,
    /// Extension → bridge: the call now waits for a person to answer the confirmation window;
    /// its deadline stops until [`Message::ConfirmationDone`] (see the module docs).
    ConfirmationPending {
        /// The id of the call.
        id: u64,
    },
    /// Extension → bridge: the confirmation window was answered, closed, or timed out; the
    /// call's deadline runs again.
    ConfirmationDone {
        /// The id of the call.
        id: u64,
    },
}

/// A hello.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hello {
    /// Protocol version.
    pub version: u32,
    /// Who sends it: `bridge`, `mcp`, or `extension`.
    pub role: String,
    /// The sender's version (crate or extension version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software: Option<String>,
    /// Extension only: the browser (`chrome`, `firefox`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    /// Extension only: TrainingPeaks session state, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    /// Extension only: which Intervals.icu credential works, if checked yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intervals: Option<IntervalsStatus>,
}

/// What the extension found when it last checked Intervals.icu (never the key itself).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntervalsStatus {
    /// `session` (the browser's intervals.icu login), `api_key` (the key entered in the
    /// extension's popup) or `none`.
    pub method: String,
    /// The athlete the credential acts for (`i…`), when one works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub athlete: Option<String>,
    /// Their name, when Intervals.icu said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What the extension knows about the TrainingPeaks session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// Whether the last token exchange succeeded.
    pub logged_in: bool,
    /// The signed-in person's name, when logged in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The athlete id, when logged in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub athlete_id: Option<i64>,
}

/// The answer to a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// The call's id.
    pub id: u64,
    /// Whether the tool succeeded.
    pub ok: bool,
    /// On success: `{text, structured}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ToolResult>,
    /// On failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

impl Reply {
    /// A failure reply.
    pub fn err(id: u64, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            id,
            ok: false,
            result: None,
            error: Some(ErrorBody {
                code,
                message: message.into(),
            }),
        }
    }
}

/// A successful tool result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolResult {
    /// Text for the model.
    pub text: String,
    /// Structured JSON.
    pub structured: Value,
}

/// A failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable code.
    pub code: ErrorCode,
    /// A message a person can act on.
    pub message: String,
}

/// Error codes. Append-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The TrainingPeaks session is missing or expired.
    NotLoggedIn,
    /// Bad tool name or arguments.
    InvalidParams,
    /// The tool ran and failed.
    ToolFailed,
    /// Refused: the extension is in read-only mode.
    ReadOnly,
    /// Refused: the person declined (or did not confirm) a destructive action.
    Denied,
    /// No answer in time.
    Timeout,
    /// The call was cancelled.
    Cancelled,
    /// No browser with the extension is connected.
    NoBrowser,
    /// A message was too large to relay.
    TooLarge,
    /// Something unexpected inside Paceline.
    Internal,
    /// A code this version does not know (a newer peer).
    #[serde(other)]
    Unknown,
}

/// The bridge's view of itself and its extension, for `paceline doctor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BridgeStatus {
    /// The bridge's process id.
    pub pid: u32,
    /// Unix time the bridge started.
    pub started_at: i64,
    /// The origin the browser started it with (`chrome-extension://…/` or the Firefox add-on id).
    pub origin: String,
    /// The extension's hello, once received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Hello>,
    /// Calls in flight.
    pub in_flight: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_shapes() {
        let cases = [
            (
                "call",
                Message::Call {
                    id: 3,
                    tool: "get_workout".into(),
                    args: json!({"workout_id": 9}),
                },
                json!({"type": "call", "id": 3, "tool": "get_workout", "args": {"workout_id": 9}}),
            ),
            (
                "ok result",
                Message::Result(Reply {
                    id: 3,
                    ok: true,
                    result: Some(ToolResult {
                        text: "t".into(),
                        structured: json!({}),
                    }),
                    error: None,
                }),
                json!({"type": "result", "id": 3, "ok": true, "result": {"text": "t", "structured": {}}}),
            ),
            (
                "error result",
                Message::Result(Reply::err(4, ErrorCode::NotLoggedIn, "log in")),
                json!({"type": "result", "id": 4, "ok": false, "error": {"code": "not_logged_in", "message": "log in"}}),
            ),
            (
                "hello",
                Message::Hello(Hello {
                    version: 1,
                    role: "bridge".into(),
                    ..Hello::default()
                }),
                json!({"type": "hello", "version": 1, "role": "bridge"}),
            ),
            (
                "cancel",
                Message::Cancel { id: 5 },
                json!({"type": "cancel", "id": 5}),
            ),
            ("ping", Message::Ping, json!({"type": "ping"})),
            (
                "confirmation pending",
                Message::ConfirmationPending { id: 6 },
                json!({"type": "confirmation_pending", "id": 6}),
            ),
            (
                "confirmation done",
                Message::ConfirmationDone { id: 6 },
                json!({"type": "confirmation_done", "id": 6}),
            ),
        ];
        for (name, msg, wire) in cases {
            assert_eq!(serde_json::to_value(&msg).unwrap(), wire, "{name}");
            assert_eq!(
                serde_json::from_value::<Message>(wire).unwrap(),
                msg,
                "{name}"
            );
        }
    }

    #[test]
    fn unknown_error_codes_are_tolerated() {
        let m: Message = serde_json::from_value(json!({"type": "result", "id": 1, "ok": false, "error": {"code": "from_the_future", "message": "x"}})).unwrap();
        let Message::Result(r) = m else {
            panic!("not a result")
        };
        assert_eq!(r.error.unwrap().code, ErrorCode::Unknown);
    }

    #[test]
    fn extension_hello_carries_the_intervals_status() {
        let m: Message = serde_json::from_value(json!({
            "type": "hello", "version": 1, "role": "extension",
            "intervals": {"method": "api_key", "athlete": "i184512", "name": "Alex Rivera"}
        }))
        .expect("parses");
        let Message::Hello(h) = m else {
            panic!("not a hello: {m:?}");
        };
        assert_eq!(
            h.intervals,
            Some(IntervalsStatus {
                method: "api_key".into(),
                athlete: Some("i184512".into()),
                name: Some("Alex Rivera".into()),
            })
        );
        // An extension without Intervals.icu support, or one that has not checked yet.
        let m: Message =
            serde_json::from_value(json!({"type": "hello", "version": 1, "role": "extension"}))
                .expect("parses");
        assert!(matches!(
            m,
            Message::Hello(Hello {
                intervals: None,
                ..
            })
        ));
    }
}
