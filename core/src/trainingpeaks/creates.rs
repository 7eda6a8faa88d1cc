//! The duplicate guard for creates: an identical create sent again within
//! [`DUPLICATE_WINDOW`] returns what the first one created instead of creating it twice.
//!
//! Why: a model that does not see an answer (a timeout, a lost connection, a client that
//! retries) calls `create_workout` again, and TrainingPeaks happily stores two identical
//! workouts. The guard lives in the client so every create tool gets it from one place: tool
//! calls whose annotations say "create" (not read-only, not destructive, not idempotent) run
//! with it on ([`super::TpClient::guarding_creates`]), and it covers their POSTs.
//!
//! A journal keyed by host + path + canonical body (object keys sorted) remembers, for ten
//! minutes by the injected clock, each create and what came of it:
//! - **created** → an identical create returns the stored answer, and the call's text says so;
//! - **outcome unknown** (timed out, 5xx, still in flight) → it is never re-sent blindly. For
//!   a workout the client first looks on the server for one with the same day, title and sport
//!   and returns that; if there is none it sends the create again (it was not applied). For
//!   anything else it refuses with [`TpError::DuplicateOutcomeUnknown`], asking the person
//!   to check first;
//! - **failed cleanly** (a 4xx, not logged in, never sent) → forgotten, so a retry goes out.

use serde_json::Value;

pub use crate::http::journal::DUPLICATE_WINDOW;
use crate::http::journal::{Outcome, ago, canonical, created_id, noun_of};

use super::{Api, Safety, TpClient, TpError, lock};
use crate::http::Method;

/// For a workout create (`POST /fitness/v6/athletes/{aid}/workouts`): the athlete, the day
/// (`YYYY-MM-DD`), title and sport id to look for on the server.
pub(crate) fn workout_identity(
    path: &str,
    body: &Value,
) -> Option<(String, String, String, Value)> {
    let rest = path.strip_prefix("/fitness/v6/athletes/")?;
    let athlete = rest.strip_suffix("/workouts")?;
    if athlete.is_empty() || !athlete.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let day = body.get("workoutDay")?.as_str()?.get(..10)?.to_string();
    let title = body.get("title")?.as_str()?.to_string();
    let sport = body.get("workoutTypeValueId")?.clone();
    Some((athlete.to_string(), day, title, sport))
}

impl TpClient {
    /// A create through the duplicate guard (`trainingpeaks/creates.rs`).
    pub(super) async fn create_once(
        &self,
        api: Api,
        path: &str,
        body: &Value,
    ) -> Result<Value, TpError> {
        let key = format!("{}{path} {}", self.bases.base(api), canonical(body));
        let noun = noun_of(path);
        let now = self.clock.now();
        match self.creates.lookup(&key, now) {
            Some((at, Outcome::Created(v))) => {
                let id = created_id(&noun, &v)
                    .map(|id| format!(" (id {id})"))
                    .unwrap_or_default();
                self.notice(format!(
                    "An identical {noun} was created {}{id}; returned it instead of creating a \
                     duplicate.",
                    ago(at, now)
                ));
                return Ok(v);
            }
            Some((at, Outcome::Unknown)) => {
                // Never re-sent blindly: look for what the earlier attempt may have made.
                let Some(identity) = workout_identity(path, body) else {
                    let window = chrono::Duration::from_std(DUPLICATE_WINDOW).unwrap_or_default();
                    // Whole minutes, rounded up, so "retry in N min" is never too early.
                    let left = at.checked_add_signed(window).map_or(0, |end| {
                        (end.signed_duration_since(now).num_seconds() + 59) / 60
                    });
                    return Err(TpError::DuplicateOutcomeUnknown {
                        what: noun,
                        sent: ago(at, now),
                        minutes_left: left.max(1),
                    });
                };
                if let Some(found) = self.find_workout_like(api, identity).await? {
                    let id = created_id(&noun, &found)
                        .map(|id| format!(" (id {id})"))
                        .unwrap_or_default();
                    self.notice(format!(
                        "An identical {noun} was sent {} and its outcome was unknown; it is on \
                         TrainingPeaks{id}, so it was returned instead of creating a duplicate.",
                        ago(at, now)
                    ));
                    self.creates
                        .settle(&key, at, Some(Outcome::Created(found.clone())));
                    return Ok(found);
                }
                // Not there: the earlier attempt was not applied; send it now.
            }
            None => {}
        }
        self.creates.begin(&key, now);
        let result = self
            .request_json_plain(Method::Post, api, path, Some(body), Safety::Write)
            .await;
        let outcome = match &result {
            Ok(v) => Some(Outcome::Created(v.clone())),
            // It may have been applied: remembered, so a retry looks before sending.
            Err(TpError::WriteOutcomeUnknown { .. }) => Some(Outcome::Unknown),
            // Refused or never sent: nothing was created.
            Err(_) => None,
        };
        self.creates.settle(&key, now, outcome);
        result
    }

    /// A workout on `day` with this title and sport, if TrainingPeaks has one.
    async fn find_workout_like(
        &self,
        api: Api,
        (athlete, day, title, sport): (String, String, String, Value),
    ) -> Result<Option<Value>, TpError> {
        let path = format!("/fitness/v6/athletes/{athlete}/workouts/{day}/{day}");
        let list = self
            .request_json_plain(Method::Get, api, &path, None, Safety::Read)
            .await?;
        let found = list.as_array().and_then(|items| {
            items.iter().find(|w| {
                w.get("title").and_then(Value::as_str) == Some(title.as_str())
                    && w.get("workoutTypeValueId") == Some(&sport)
                    && w.get("workoutDay")
                        .and_then(Value::as_str)
                        .is_some_and(|d| d.starts_with(day.as_str()))
            })
        });
        Ok(found.cloned())
    }

    fn notice(&self, line: String) {
        lock(&self.scope.notices).push(line);
    }
}
