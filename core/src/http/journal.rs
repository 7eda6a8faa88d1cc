//! The journal behind both clients' duplicate guard for creates: what was created recently,
//! keyed by host + path + canonical body, for [`DUPLICATE_WINDOW`] by the injected clock. The
//! policy around it (what to return, what to refuse) is each client's: `trainingpeaks/creates.rs`
//! and `intervals.rs`.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

/// Locks `m`; a lock poisoned by a panic elsewhere is taken over.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// How long an identical create counts as a duplicate.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(10 * 60);

/// What came of a journaled create.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// Sent; the answer is not (yet) known.
    Unknown,
    /// Created; the server's answer.
    Created(Value),
}

#[derive(Debug, Clone)]
struct Entry {
    key: String,
    at: DateTime<Utc>,
    outcome: Outcome,
}

/// The journal of recent creates, shared by every view of one client.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    entries: Mutex<Vec<Entry>>,
}

impl Journal {
    /// The latest entry for `key` inside the window, with when it was sent.
    pub(crate) fn lookup(&self, key: &str, now: DateTime<Utc>) -> Option<(DateTime<Utc>, Outcome)> {
        let mut entries = lock(&self.entries);
        let window = chrono::Duration::from_std(DUPLICATE_WINDOW).unwrap_or_default();
        entries.retain(|e| now.signed_duration_since(e.at) < window && e.at <= now);
        entries
            .iter()
            .rev()
            .find(|e| e.key == key)
            .map(|e| (e.at, e.outcome.clone()))
    }

    /// Records a create about to be sent (outcome unknown until [`Journal::settle`]).
    pub(crate) fn begin(&self, key: &str, at: DateTime<Utc>) {
        lock(&self.entries).push(Entry {
            key: key.to_string(),
            at,
            outcome: Outcome::Unknown,
        });
    }

    /// Records what came of the create sent at `at`: `Some` outcome replaces it, `None` (a
    /// clean failure: nothing was created) forgets it.
    pub(crate) fn settle(&self, key: &str, at: DateTime<Utc>, outcome: Option<Outcome>) {
        let mut entries = lock(&self.entries);
        let found = entries.iter().position(|e| e.key == key && e.at == at);
        match (found, outcome) {
            (Some(i), Some(o)) => entries[i].outcome = o,
            (Some(i), None) => {
                entries.remove(i);
            }
            (None, Some(o)) => entries.push(Entry {
                key: key.to_string(),
                at,
                outcome: o,
            }),
            (None, None) => {}
        }
    }
}

/// A JSON text with object keys sorted at every level, so two bodies that differ only in key
/// order are the same create (the workspace's `serde_json` keeps insertion order).
pub(crate) fn canonical(v: &Value) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(
                    keys.into_iter()
                        .map(|k| (k.clone(), sorted(&map[k])))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(v).to_string()
}

/// What a create path makes, for messages: the last alphabetic segment, singular
/// (`/fitness/v6/athletes/1/workouts` → "workout").
pub(crate) fn noun_of(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.split('/')
        .rev()
        .find(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|s| {
            let s = s.to_ascii_lowercase();
            s.strip_suffix('s')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .unwrap_or(s)
        })
        .unwrap_or_else(|| "item".into())
}

/// The id in a create's answer: `<noun>Id` (any case), else `id`; a number or a string.
pub(crate) fn created_id(noun: &str, v: &Value) -> Option<String> {
    let map = v.as_object()?;
    let want = format!("{noun}id");
    let value = map
        .iter()
        .find(|(k, _)| k.to_ascii_lowercase() == want)
        .or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case("id")))
        .map(|(_, v)| v)?;
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// "3 min ago", "less than a minute ago".
pub(crate) fn ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match now.signed_duration_since(then).num_minutes() {
        m if m < 1 => "less than a minute ago".into(),
        m => format!("{m} min ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_ignores_key_order_only() {
        let a = json!({"b": 1, "a": {"y": [1, {"q": 1, "p": 2}], "x": null}});
        let b = json!({"a": {"x": null, "y": [1, {"p": 2, "q": 1}]}, "b": 1});
        assert_eq!(canonical(&a), canonical(&b));
        assert_ne!(
            canonical(&json!({"a": [1, 2]})),
            canonical(&json!({"a": [2, 1]}))
        );
    }

    #[test]
    fn nouns_and_ids() {
        assert_eq!(noun_of("/fitness/v6/athletes/1/workouts"), "workout");
        assert_eq!(noun_of("/fitness/v1/athletes/1/events"), "event");
        assert_eq!(noun_of("/x/123"), "x");
        assert_eq!(
            created_id("workout", &json!({"workoutId": 9, "id": 1})),
            Some("9".into())
        );
        assert_eq!(created_id("event", &json!({"id": "e7"})), Some("e7".into()));
        assert_eq!(created_id("event", &json!([1])), None);
    }

    #[test]
    fn journal_window_and_settling() {
        let t0 = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
            .unwrap()
            .to_utc();
        let j = Journal::default();
        j.begin("k", t0);
        assert_eq!(j.lookup("k", t0), Some((t0, Outcome::Unknown)));
        j.settle("k", t0, Some(Outcome::Created(json!({"id": 1}))));
        let at_9 = t0 + chrono::Duration::minutes(9);
        assert_eq!(
            j.lookup("k", at_9),
            Some((t0, Outcome::Created(json!({"id": 1}))))
        );
        assert_eq!(j.lookup("k", t0 + chrono::Duration::minutes(10)), None);
        j.begin("k2", t0);
        j.settle("k2", t0, None);
        assert_eq!(j.lookup("k2", t0), None, "a clean failure is forgotten");
    }
}
