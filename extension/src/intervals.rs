//! Intervals.icu from the browser: which credential to use, and the status the popup and
//! `paceline doctor` show.
//!
//! The logged-in intervals.icu session comes first: a request with `credentials: "include"`
//! and no `Authorization` header (the browser attaches its own cookie). Whether `/api/v1`
//! accepts that cookie is not verified against the live service (shared spec
//! `intervals-icu.md` §3.3), so when it is refused (401/403) and the person has entered an API
//! key in the popup, the key is used instead, as HTTP Basic `API_KEY:<key>`.
//!
//! The key comes in from background.js, which reads it from `chrome.storage.local` for each
//! call; it is not kept here. [`paceline_core::intervals::IcuClient`] only ever attaches it to
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

/// The client that works, and the status it reported: the session first, then the key (if
/// any) when the session is refused. The error is the last credential's.
pub(crate) async fn resolve(api_key: Option<&str>) -> Result<(IcuClient, IcuStatus), IcuError> {
    let session = client(IcuAuth::Session)?;
    let session_error = match session.status().await {
        Ok(status) => return Ok((session, status)),
        Err(e) if refused(&e) => e,
        Err(e) => return Err(e),
    };
    match api_key.map(str::trim).filter(|k| !k.is_empty()) {
        None => Err(session_error),
        Some(key) => {
            let keyed = client(IcuAuth::ApiKey(IcuSecret::new(key)))?;
            let status = keyed.status().await?;
            Ok((keyed, status))
        }
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
