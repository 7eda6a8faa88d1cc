//! Asking the person to confirm a write on MCP 2026-07-28, where the server may no longer send
//! requests to the client: the multi-round-trip request (MRTR, SEP-2322).
//!
//! The first `tools/call` is answered with `resultType: "input_required"`, carrying the
//! confirmation question as an `elicitation/create` input request and a `requestState`. The
//! client asks the person and calls the tool again with the answer (`inputResponses`) and the
//! state echoed back. The state comes back from the client, so it is not trusted: it is only a
//! random handle into a table kept here, in the server process, which holds the exact call that
//! was asked about (the name it was called by and its prepared arguments). An answer counts
//! only when
//!
//! - the handle is in the table (not forged, not from before a restart),
//! - it is younger than [`TTL`] and used for the first time (it is taken out on first use, so
//!   one "accept" cannot be replayed to run the write again),
//! - the retried call is the same call (same name, same arguments after preparation): an
//!   approval of "delete workout 1" cannot be spent on "delete workout 2".
//!
//! The table is process-wide, not per server, because over HTTP a 2026-07-28 client's requests
//! are stateless and may each meet a new `PacelineServer`. It holds at most [`MAX_PENDING`]
//! questions; the oldest goes first when it is full, so a client that asks and never answers
//! cannot grow it.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use rmcp::model::{
    ElicitRequest, ElicitRequestParams, ElicitResult, ElicitationAction, ElicitationSchema,
    InputRequest, InputRequests, InputRequiredResult, InputResponses,
};
use serde_json::Value;

/// How long a question stays answerable. A person may take a while to read it; an answer
/// after this is refused and the call must be made again.
pub const TTL: Duration = Duration::from_secs(10 * 60);

/// Most questions waiting at once.
pub const MAX_PENDING: usize = 256;

/// The key of the confirmation in `inputRequests` / `inputResponses`.
pub const KEY: &str = "confirm";

/// One question waiting for its answer.
struct Pending {
    /// The name the tool was called by.
    name: String,
    /// Its prepared arguments.
    args: Value,
    asked: Instant,
}

/// Questions waiting for their answers.
#[derive(Default)]
pub struct Questions(Mutex<HashMap<String, Pending>>);

/// The process's questions, shared by every server and session.
pub fn shared() -> &'static Questions {
    static SHARED: OnceLock<Questions> = OnceLock::new();
    SHARED.get_or_init(Questions::default)
}

/// A new random handle (128 bits, hex).
fn new_handle() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("the system's random source failed: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Questions {
    /// The `input_required` result that asks `question` about the call of `name` with `args`.
    /// Fails only when no random handle can be made.
    pub fn ask(
        &self,
        name: &str,
        args: &Value,
        question: String,
    ) -> Result<InputRequiredResult, String> {
        let handle = new_handle()?;
        let now = Instant::now();
        {
            // A poisoned lock only means another call panicked while holding it; the table itself
            // is still a consistent map.
            let mut table = self.0.lock().unwrap_or_else(|p| p.into_inner());
            table.retain(|_, p| now.duration_since(p.asked) < TTL);
            while table.len() >= MAX_PENDING {
                let oldest = table
                    .iter()
                    .min_by_key(|(_, p)| p.asked)
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(k) => table.remove(&k),
                    None => break,
                };
            }
            table.insert(
                handle.clone(),
                Pending {
                    name: name.to_string(),
                    args: args.clone(),
                    asked: now,
                },
            );
        }
        // No fields to fill in: the answer is the action (accept, decline, cancel).
        let params = ElicitRequestParams::FormElicitationParams {
            meta: None,
            message: question,
            requested_schema: ElicitationSchema::new(Default::default()),
        };
        let mut requests = InputRequests::new();
        requests.insert(
            KEY.to_string(),
            InputRequest::Elicitation(ElicitRequest::new(params)),
        );
        Ok(InputRequiredResult::new(Some(requests), Some(handle)))
    }
}

/// What the retried call brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The person accepted this very call: run it.
    Accepted,
    /// The person said no.
    Declined,
    /// The person closed the question without answering.
    Dismissed,
    /// The answer cannot be used; the text says why (for the refusal).
    Unusable(String),
}

impl Questions {
    /// Reads the answer to an earlier question: `state` is the echoed `requestState`, `responses`
    /// the `inputResponses`, and `name`/`args` the call as it is made now. The question is used up
    /// whatever the outcome, so each answer counts once.
    pub fn redeem(
        &self,
        name: &str,
        args: &Value,
        state: &str,
        responses: Option<&InputResponses>,
    ) -> Answer {
        let pending = self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(state);
        let Some(pending) = pending else {
            return Answer::Unusable(
                "the answer refers to no question this server is waiting on (already used, \
             unknown, or from before a restart)"
                    .into(),
            );
        };
        if pending.asked.elapsed() >= TTL {
            return Answer::Unusable(format!(
                "the answer came more than {} minutes after the question",
                TTL.as_secs() / 60
            ));
        }
        if pending.name != name || &pending.args != args {
            return Answer::Unusable(
                "the answer was given for a different call (another tool or other arguments)"
                    .into(),
            );
        }
        let Some(response) = responses.and_then(|r| r.get(KEY)) else {
            return Answer::Unusable(format!(
                "the retried call carried no `{KEY}` input response"
            ));
        };
        match serde_json::from_value::<ElicitResult>(response.clone()) {
            Ok(r) => match r.action {
                ElicitationAction::Accept => Answer::Accepted,
                ElicitationAction::Decline => Answer::Declined,
                ElicitationAction::Cancel => Answer::Dismissed,
                // An action added by a later revision is not an acceptance.
                other => Answer::Unusable(format!("the answer's action {other:?} is not accept")),
            },
            Err(e) => Answer::Unusable(format!(
                "the `{KEY}` input response is not an elicitation result: {e}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn responses(action: &str) -> InputResponses {
        let mut r = InputResponses::new();
        r.insert(KEY.to_string(), json!({"action": action}));
        r
    }

    fn handle_of(r: &InputRequiredResult) -> String {
        r.request_state.clone().expect("a request state")
    }

    #[test]
    fn the_question_is_an_elicitation_under_the_key() {
        let q = Questions::default();
        let r = q
            .ask(
                "delete_workout",
                &json!({"workout_id": 1}),
                "Delete?".into(),
            )
            .expect("asked");
        let v = serde_json::to_value(&r).expect("json");
        assert_eq!(v["resultType"], "input_required", "{v}");
        assert_eq!(
            v["inputRequests"][KEY]["method"], "elicitation/create",
            "{v}"
        );
        assert_eq!(
            v["inputRequests"][KEY]["params"]["message"], "Delete?",
            "{v}"
        );
        assert_eq!(handle_of(&r).len(), 32);
    }

    #[test]
    fn an_answer_counts_once_and_only_for_its_call() {
        let q = Questions::default();
        let args = json!({"workout_id": 1});
        let h = handle_of(&q.ask("delete_workout", &args, "q".into()).expect("asked"));
        let accept = responses("accept");
        assert_eq!(
            q.redeem("delete_workout", &args, &h, Some(&accept)),
            Answer::Accepted
        );
        // Replayed: the handle is gone.
        assert!(matches!(
            q.redeem("delete_workout", &args, &h, Some(&accept)),
            Answer::Unusable(m) if m.contains("already used")
        ));
        // Spent on other arguments, or another tool: refused, and used up all the same.
        let h = handle_of(&q.ask("delete_workout", &args, "q".into()).expect("asked"));
        assert!(matches!(
            q.redeem("delete_workout", &json!({"workout_id": 2}), &h, Some(&accept)),
            Answer::Unusable(m) if m.contains("different call")
        ));
        assert!(matches!(
            q.redeem("delete_workout", &args, &h, Some(&accept)),
            Answer::Unusable(_)
        ));
        let h = handle_of(&q.ask("delete_workout", &args, "q".into()).expect("asked"));
        assert!(matches!(
            q.redeem("delete_note", &args, &h, Some(&accept)),
            Answer::Unusable(m) if m.contains("different call")
        ));
        // A forged handle.
        assert!(matches!(
            q.redeem("delete_workout", &args, "00", Some(&accept)),
            Answer::Unusable(_)
        ));
    }

    #[test]
    fn decline_cancel_and_missing_or_bad_answers() {
        let q = Questions::default();
        let args = json!({});
        for (action, want) in [("decline", Answer::Declined), ("cancel", Answer::Dismissed)] {
            let h = handle_of(&q.ask("create_note", &args, "q".into()).expect("asked"));
            assert_eq!(
                q.redeem("create_note", &args, &h, Some(&responses(action))),
                want
            );
        }
        let h = handle_of(&q.ask("create_note", &args, "q".into()).expect("asked"));
        assert!(matches!(
            q.redeem("create_note", &args, &h, None),
            Answer::Unusable(m) if m.contains("no `confirm`")
        ));
        let h = handle_of(&q.ask("create_note", &args, "q".into()).expect("asked"));
        assert!(matches!(
            q.redeem("create_note", &args, &h, Some(&responses("maybe"))),
            Answer::Unusable(m) if m.contains("not an elicitation result")
        ));
    }

    #[test]
    fn the_table_stays_bounded() {
        let q = Questions::default();
        let args = json!({"n": "bounded"});
        let first = handle_of(&q.ask("create_note", &args, "q".into()).expect("asked"));
        for _ in 0..MAX_PENDING {
            q.ask("create_note", &args, "q".into()).expect("asked");
        }
        assert_eq!(q.0.lock().expect("lock").len(), MAX_PENDING);
        assert!(matches!(
            q.redeem("create_note", &args, &first, Some(&responses("accept"))),
            Answer::Unusable(_)
        ));
    }
}
