//! Intervals.icu from the browser: which credential to use, and the status the popup and
//! `paceline doctor` show.
//!
//! The logged-in intervals.icu session comes first: a request with `credentials: "include"`
//! and no `Authorization` header (the browser attaches its own cookie). Whether `/api/v1`
//! accepts that cookie is not verified against the live service (shared spec
//! `intervals-icu.md` §3.3), so when it is refused (401/403) and the person has entered an API
//! key in the popup, the key is used instead, as HTTP Basic `API_KEY:<key>`.
//!
//! For the popup's status check the key comes in from background.js, which reads it from
//! `chrome.storage.local`; for a tool call background.js hands over a function that reads it,
//! and `browser::call_context` calls it only once the session has been refused, so a call
//! that the session serves never reads the key. It is not kept here. [`paceline_core::intervals::IcuClient`] only ever attaches it to
//! the configured host (`https://intervals.icu`), and no message built here contains it
//! (`IcuError` never does, and the status holds only the method and the athlete).

use std::sync::Arc;

use paceline_core::intervals::athlete::IcuStatus;
use paceline_core::intervals::{IcuAuth, IcuClient, IcuConfig, IcuError, IcuSecret};
use wasm_bindgen::prelude::*;

use crate::browser::{FetchTransport, JsClock};

/// A client on the real host with `auth`, over `fetch` with the browser's cookies.
// The wasm module is single-threaded: core's `Arc`s need no `Send`/`Sync` here.
#[allow(clippy::arc_with_non_send_sync)]
fn client(auth: IcuAuth) -> Result<IcuClient, IcuError> {
    let config = IcuConfig::new(None, auth, None)?;
    Ok(IcuClient::new(
        Arc::new(FetchTransport),
        Arc::new(JsClock),
        config,
    ))
}

/// Whether an error means "this credential was refused" (so the next one is worth trying),
/// as opposed to the service being unreachable or broken.
fn refused(e: &IcuError) -> bool {
    matches!(
        e,
        IcuError::NotAuthenticated { .. } | IcuError::Forbidden { .. }
    )
}

/// What the session check found: a client that works, or the session's refusal (worth
/// trying the key after).
pub(crate) enum SessionCheck {
    /// The browser's session works: the client and the status it reported.
    Works(Box<(IcuClient, IcuStatus)>),
    /// The session was refused (401/403); the error says so.
    Refused(IcuError),
}

/// Tries the browser's session. An error that is not a refusal (the service unreachable or
/// broken) is returned as is: a key would not help.
pub(crate) async fn try_session() -> Result<SessionCheck, IcuError> {
    let session = client(IcuAuth::Session)?;
    match session.status().await {
        Ok(status) => Ok(SessionCheck::Works(Box::new((session, status)))),
        Err(e) if refused(&e) => Ok(SessionCheck::Refused(e)),
        Err(e) => Err(e),
    }
}

/// The client for `key` (Basic `API_KEY:<key>`), checked with one status request.
pub(crate) async fn with_key(key: &str) -> Result<(IcuClient, IcuStatus), IcuError> {
    let keyed = client(IcuAuth::ApiKey(IcuSecret::new(key)))?;
    let status = keyed.status().await?;
    Ok((keyed, status))
}

/// A key worth trying: trimmed, not empty.
pub(crate) fn usable(key: Option<&str>) -> Option<&str> {
    key.map(str::trim).filter(|k| !k.is_empty())
}

/// The client that works, and the status it reported: the session first, then the key (if
/// any) when the session is refused. The error is the last credential's.
pub(crate) async fn resolve(api_key: Option<&str>) -> Result<(IcuClient, IcuStatus), IcuError> {
    let session_error = match try_session().await? {
        SessionCheck::Works(found) => return Ok(*found),
        SessionCheck::Refused(e) => e,
    };
    match usable(api_key) {
        None => Err(session_error),
        Some(key) => with_key(key).await,
    }
}

/// Checks Intervals.icu now and says which credential works and for whom, as JSON text:
/// `{"method": "session"|"api_key"|"none", "athleteId", "name", "keySet", "error"}`. `method`
/// is `none` when neither works; `error` then says why and what to do (it never holds the
/// key). `api_key` is the key stored in the extension, if the person entered one.
#[wasm_bindgen(js_name = intervalsStatus)]
pub async fn intervals_status(api_key: Option<String>) -> String {
    let key_set = api_key.as_deref().is_some_and(|k| !k.trim().is_empty());
    let out = match resolve(api_key.as_deref()).await {
        Ok((_, s)) => serde_json::json!({
            "method": s.auth,
            "athleteId": s.athlete_id,
            "name": s.name,
            "keySet": key_set,
        }),
        // The core's messages already say how to log in or where to get a key.
        Err(e) => serde_json::json!({
            "method": "none",
            "keySet": key_set,
            "error": e.to_string(),
        }),
    };
    out.to_string()
}
