//! [`TpError`], what every client method fails with, and the helpers that turn a response into
//! one: status errors worded by [`Safety`], "not found" naming the resource, decode errors
//! naming the JSON path of the bad field.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Safety;
use crate::http::{HttpResponse, Method, TransportError};

/// Everything that can go wrong talking to TrainingPeaks. Every message says what happened and
/// what the person can do about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TpError {
    /// The TrainingPeaks session is missing or expired (cookie rejected at `/users/v3/token`,
    /// or a data call still 401 after one re-exchange). The person must log in again.
    #[error(
        "Not logged in to TrainingPeaks: the session is missing or has expired. Log in at \
         https://app.trainingpeaks.com in your browser, then retry."
    )]
    NotLoggedIn,
    /// The request never produced a response (reads: even after retrying; writes: the
    /// connection failed before anything was sent, so nothing was changed).
    #[error("TrainingPeaks could not be reached ({0}). Check the internet connection, then retry.")]
    Transport(#[from] TransportError),
    /// The server answered 404 for the thing asked for.
    #[error(
        "{what} was not found in TrainingPeaks (HTTP 404 from {method} {path}). Check that the \
         id or date is right and belongs to this athlete."
    )]
    NotFound {
        /// What was looked for, e.g. "workout 123".
        what: String,
        /// The method.
        method: Method,
        /// The path requested.
        path: String,
    },
    /// Too many requests: a read still limited after waiting and retrying, or a write the
    /// server refused (so it was not applied).
    #[error(
        "TrainingPeaks is rate-limiting requests (HTTP 429; it allows about 100 a minute). \
         Wait {}, then retry.",
        wait_phrase(*retry_after)
    )]
    RateLimited {
        /// Seconds the server asked us to wait, if it said.
        retry_after: Option<u64>,
    },
    /// Any other non-success status.
    #[error("{}", status_message(*status, *method, path, body))]
    Status {
        /// The status code.
        status: u16,
        /// The method.
        method: Method,
        /// The path requested.
        path: String,
        /// The response body (truncated).
        body: String,
    },
    /// A response that did not have the expected shape.
    #[error(
        "Unexpected response from TrainingPeaks {path}: {message}. TrainingPeaks may have \
         changed its API; please report this."
    )]
    Decode {
        /// The path requested.
        path: String,
        /// What did not fit, with the JSON path of the field.
        message: String,
    },
    /// A response lacked a field the tool cannot do without (or held something unreadable
    /// there). Fields a tool can do without never cause this: they read as unknown.
    #[error(
        "Unexpected response from TrainingPeaks: {0}. TrainingPeaks may have changed its API; \
         please report this."
    )]
    MissingField(#[from] crate::wire::MissingField),
    /// The caller's input was invalid; `field` names the offending argument.
    #[error("{field}: {message}")]
    InvalidInput {
        /// The argument or field name.
        field: String,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// The TrainingPeaks login changed hands during the call (a logout and a login as someone
    /// else): the request, made for the previous person, drew a 401 and was not sent again
    /// with the new person's token, so nothing was changed for either.
    #[error(
        "The TrainingPeaks login changed during this call (from user {previous} to user \
         {current}), so the request made for user {previous} was not sent again and nothing \
         was changed. Retry to act as the user now logged in."
    )]
    SessionChanged {
        /// The user the request was made for.
        previous: i64,
        /// The user now logged in.
        current: i64,
    },
    /// An identical create was sent minutes ago and its outcome is unknown; it was not sent
    /// again, because it may already have been applied and there is no way to look for it.
    #[error(
        "An identical {what} was sent {sent} and its outcome is unknown (it may have been \
         created). Nothing was sent now, so it is not created twice: check TrainingPeaks \
         first; if it is not there, retry in {minutes_left} min, or change the request."
    )]
    DuplicateOutcomeUnknown {
        /// What the create makes, e.g. "event".
        what: String,
        /// When the earlier attempt was sent, e.g. "3 min ago".
        sent: String,
        /// Minutes until the earlier attempt leaves the duplicate window.
        minutes_left: i64,
    },
    /// The call would have to wait for the client-side request budget past its deadline, so it
    /// was stopped before sending anything more (nothing was changed by the requests not sent).
    #[error(
        "This call still needs {requests} request(s) to TrainingPeaks, and the request budget \
         ({max_requests} per {per_secs} s, shared by all calls) would make it wait about \
         {wait_secs} s, past its deadline of {deadline_secs} s; it was stopped before sending \
         them. Ask for less at once (e.g. a shorter date range), or retry in a minute."
    )]
    BudgetExceeded {
        /// Requests of the call still waiting for the budget.
        requests: usize,
        /// How long the last of them would have waited, in seconds.
        wait_secs: u64,
        /// The call's deadline, in seconds.
        deadline_secs: u64,
        /// The budget: requests…
        max_requests: u32,
        /// …per this many seconds.
        per_secs: u64,
    },
    /// A write failed in a way that does not tell whether TrainingPeaks applied it (a 5xx, a
    /// timeout, or a connection lost after sending). It is never retried automatically: a
    /// blind retry could create a second workout.
    #[error(
        "{method} {path} failed ({reason}), and the change may or may not have been applied. \
         Check the calendar in TrainingPeaks (reload it) before retrying, so it is not applied \
         twice."
    )]
    WriteOutcomeUnknown {
        /// The write method.
        method: Method,
        /// The path requested.
        path: String,
        /// What went wrong, e.g. "HTTP 503: …" or "request timed out".
        reason: String,
    },
    /// A dry run tried to send something other than a GET: it was stopped before the
    /// transport (`TpClient::reading_only`), so nothing was changed.
    #[error(
        "This dry run tried to send {method} {path} to TrainingPeaks; it was stopped before \
         sending, so nothing was changed. A dry run should only read: this is a bug in the \
         tool, please report it. Without dry_run the call asks for confirmation as usual."
    )]
    DryRunWrite {
        /// The method refused.
        method: Method,
        /// The path it was for.
        path: String,
    },
}

fn wait_phrase(retry_after: Option<u64>) -> String {
    match retry_after {
        Some(1) => "1 second".into(),
        Some(s) if s > 0 => format!("{s} seconds"),
        _ => "about a minute".into(),
    }
}

fn status_message(status: u16, method: Method, path: &str, body: &str) -> String {
    let body = if body.trim().is_empty() {
        String::new()
    } else {
        format!(" Response: {body}")
    };
    match status {
        500..=599 => format!(
            "TrainingPeaks had a problem (HTTP {status} from {method} {path}). This is on \
             TrainingPeaks' side; try again in a few minutes.{body}"
        ),
        403 => format!(
            "TrainingPeaks refused access (HTTP 403 from {method} {path}). The account may not \
             have permission for this athlete or feature (e.g. a coach-only or premium \
             feature).{body}"
        ),
        400 | 409 | 422 => format!(
            "TrainingPeaks rejected the request as invalid (HTTP {status} from {method} {path}). \
             Check the values sent.{body}"
        ),
        _ => format!("HTTP {status} from {method} {path}.{body}"),
    }
}

/// Names the thing a path refers to, for "not found" messages: the last `<noun>/<id>` pair,
/// e.g. `/fitness/v6/athletes/1/workouts/123` → "workout 123".
fn describe_resource(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    for pair in segs.windows(2).rev() {
        if let [noun, id] = pair {
            let is_id = id.chars().all(|c| c.is_ascii_digit() || c == '-') && !id.is_empty();
            let is_noun = noun.chars().all(|c| c.is_ascii_alphabetic());
            if is_id && is_noun {
                let noun = noun.to_ascii_lowercase();
                let singular = noun
                    .strip_suffix('s')
                    .filter(|s| !s.is_empty())
                    .unwrap_or(&noun);
                return format!("{singular} {id}");
            }
        }
    }
    "The requested item".into()
}

impl From<crate::http::rate::BudgetExceeded> for TpError {
    fn from(b: crate::http::rate::BudgetExceeded) -> Self {
        TpError::BudgetExceeded {
            requests: b.requests,
            wait_secs: b.wait_secs,
            deadline_secs: b.deadline_secs,
            max_requests: b.max_requests,
            per_secs: b.per_secs,
        }
    }
}

/// Turns a non-success response into a [`TpError`]. A 5xx to a write becomes
/// [`TpError::WriteOutcomeUnknown`], because the server may have applied it before failing.
pub(crate) fn status_error(method: Method, path: &str, resp: &HttpResponse) -> TpError {
    status_error_as(method, path, resp, Safety::of(method))
}

/// [`status_error`] for a request whose [`Safety`] is stated: a 5xx to a read sent as POST is
/// a plain server error, not an unknown outcome.
pub(super) fn status_error_as(
    method: Method,
    path: &str,
    resp: &HttpResponse,
    safety: Safety,
) -> TpError {
    let mut body = resp.text();
    if body.len() > 500 {
        let cut = (0..=500)
            .rev()
            .find(|i| body.is_char_boundary(*i))
            .unwrap_or(0);
        body.truncate(cut);
        body.push('…');
    }
    match resp.status {
        401 => TpError::NotLoggedIn,
        404 => TpError::NotFound {
            what: describe_resource(path),
            method,
            path: path.to_string(),
        },
        429 => TpError::RateLimited {
            retry_after: resp
                .header_value("retry-after")
                .and_then(|v| v.trim().parse().ok()),
        },
        status @ 500..=599 if !safety.is_read() => TpError::WriteOutcomeUnknown {
            method,
            path: path.to_string(),
            reason: if body.trim().is_empty() {
                format!("HTTP {status} from TrainingPeaks")
            } else {
                format!("HTTP {status} from TrainingPeaks: {body}")
            },
        },
        status => TpError::Status {
            status,
            method,
            path: path.to_string(),
            body,
        },
    }
}

/// Decodes a response body, naming the JSON path of the first bad field.
pub(super) fn decode_body<T: DeserializeOwned>(
    resp: &HttpResponse,
    path: &str,
) -> Result<T, TpError> {
    let mut de = serde_json::Deserializer::from_slice(&resp.body);
    serde_path_to_error::deserialize(&mut de)
        .map_err(|e| path_error(e.path().to_string(), e.into_inner(), path))
}

/// Decodes a JSON value into `T`, naming the JSON path of the first bad field.
pub(crate) fn from_value<T: DeserializeOwned>(v: Value, path: &str) -> Result<T, TpError> {
    // Through `crate::decode`, like tool arguments and the lenient reads: one deserializer
    // for every typed decode, so one copy of each type's decoder in the wasm module (issue 12).
    crate::decode::from_value(&v).map_err(|e| path_error(e.path(), e.into_inner(), path))
}

fn path_error(at: String, inner: serde_json::Error, path: &str) -> TpError {
    let message = if at.is_empty() || at == "." {
        inner.to_string()
    } else {
        format!("at `{at}`: {inner}")
    };
    TpError::Decode {
        path: path.to_string(),
        message,
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn resource_names() {
        let cases = [
            ("/fitness/v6/athletes/1/workouts/123", "workout 123"),
            ("/fitness/v6/athletes/1/workouts/123/details", "workout 123"),
            ("/fitness/v1/athletes/1/events/focusevent", "athlete 1"),
            ("/users/v3/user", "The requested item"),
            ("/fitness/v1/athletes/7/notes/55?x=1", "note 55"),
        ];
        for (path, want) in cases {
            assert_eq!(describe_resource(path), want, "{path}");
        }
    }

    #[test]
    fn decode_errors_name_the_json_path() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Entry {
            #[serde(rename = "athleteId")]
            athlete_id: i64,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct User {
            athletes: Vec<Entry>,
        }
        let v = serde_json::json!({"athletes": [{"athleteId": 1}, {"athleteId": "x"}]});
        let err = from_value::<User>(v, "/users/v3/user").unwrap_err();
        let TpError::Decode { path, message } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(path, "/users/v3/user");
        assert!(message.contains("athletes[1].athleteId"), "{message}");
        assert!(err.to_string().contains("athletes[1].athleteId"), "{err}");

        let resp = HttpResponse::new(200, "{\"athletes\": [{}]}");
        let err = decode_body::<User>(&resp, "/p").unwrap_err();
        assert!(err.to_string().contains("athletes[0]"), "{err}");
        assert!(err.to_string().contains("athleteId"), "{err}");
    }

    #[test]
    fn status_errors_by_method() {
        let r503 = HttpResponse::new(503, "down");
        assert!(matches!(
            status_error(Method::Get, "/p", &r503),
            TpError::Status { status: 503, .. }
        ));
        for m in [Method::Post, Method::Put, Method::Delete] {
            let e = status_error(m, "/p", &r503);
            assert!(
                matches!(e, TpError::WriteOutcomeUnknown { .. }),
                "{m}: {e:?}"
            );
            assert!(
                e.to_string().contains("may or may not have been applied"),
                "{e}"
            );
        }
        let e = status_error(
            Method::Get,
            "/x",
            &HttpResponse::new(429, "").with_header("Retry-After", "12"),
        );
        assert_eq!(
            e,
            TpError::RateLimited {
                retry_after: Some(12)
            }
        );
        assert!(e.to_string().contains("Wait 12 seconds"), "{e}");
        let e = status_error(Method::Get, "/x", &HttpResponse::new(429, ""));
        assert!(e.to_string().contains("Wait about a minute"), "{e}");
    }

    #[test]
    fn long_bodies_are_truncated_on_a_char_boundary() {
        let body = "é".repeat(400); // 800 bytes
        let e = status_error(Method::Get, "/p", &HttpResponse::new(400, body));
        let TpError::Status { body, .. } = e else {
            panic!()
        };
        assert!(body.len() <= 504 && body.ends_with('…'), "{}", body.len());
    }
}
