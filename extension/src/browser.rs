//! The browser-only exports: tools run against TrainingPeaks with the browser's own session.
//!
//! The transport is `fetch` with `credentials: "include"` (through gloo-net, which binds the
//! global `fetch`, so it works in Chrome's service worker and in Firefox's event page alike).
//! The browser attaches the `Production_tpAuth` cookie itself; the client in core exchanges it
//! for a Bearer token, caches it, and retries once on a 401. The token is mirrored into
//! `chrome.storage.session` by background.js through [`session_snapshot`] and
//! [`restore_session`], so a restarted service worker does not need a fresh exchange.

use std::cell::OnceCell;
use std::sync::Arc;
use std::time::Duration;

use paceline_core::clock::Clock;
use paceline_core::http::{
    BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError,
};
use paceline_core::tools::{self, ToolContext, ToolError};
use paceline_core::trainingpeaks::{TpClient, TpError};
use wasm_bindgen::prelude::*;

use crate::js_error;

/// `fetch` with the browser's cookies.
struct FetchTransport;

impl Transport for FetchTransport {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let builder = match request.method {
                Method::Get => gloo_net::http::RequestBuilder::new(&request.url)
                    .method(gloo_net::http::Method::GET),
                Method::Post => gloo_net::http::RequestBuilder::new(&request.url)
                    .method(gloo_net::http::Method::POST),
                Method::Put => gloo_net::http::RequestBuilder::new(&request.url)
                    .method(gloo_net::http::Method::PUT),
                Method::Delete => gloo_net::http::RequestBuilder::new(&request.url)
                    .method(gloo_net::http::Method::DELETE),
            };
            let mut builder = builder.credentials(web_sys::RequestCredentials::Include);
            for (k, v) in &request.headers {
                builder = builder.header(k, v);
            }
            let req = match request.body {
                Some(body) => builder.body(String::from_utf8_lossy(&body).into_owned()),
                None => builder.build(),
            }
            .map_err(|e| TransportError::Connect(e.to_string()))?;
            // A fetch that rejects may or may not have reached the server (the browser does
            // not say), so it is reported as `Io`: never retried for writes.
            let resp = req
                .send()
                .await
                .map_err(|e| TransportError::Io(e.to_string()))?;
            let status = resp.status();
            let headers = resp
                .headers()
                .entries()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect();
            let body = resp
                .binary()
                .await
                .map_err(|e| TransportError::Io(e.to_string()))?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

/// Time from the JS clock; sleeping through `setTimeout`.
struct JsClock;

impl Clock for JsClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        let ms = js_sys::Date::now() as i64;
        chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }

    fn today(&self) -> chrono::NaiveDate {
        // The athlete's calendar is in their local time zone, which the browser knows.
        let d = js_sys::Date::new_0();
        chrono::NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
            .unwrap_or_else(|| self.now().date_naive())
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(gloo_timers::future::sleep(duration))
    }
}

thread_local! {
    static CONTEXT: OnceCell<ToolContext> = const { OnceCell::new() };
}

// The wasm module is single-threaded: core's `Arc`s need no `Send`/`Sync` here.
#[allow(clippy::arc_with_non_send_sync)]
fn context() -> ToolContext {
    CONTEXT.with(|c| {
        c.get_or_init(|| {
            ToolContext::new(Arc::new(TpClient::new(
                Arc::new(FetchTransport),
                Arc::new(JsClock),
            )))
        })
        .clone()
    })
}

fn tool_error(e: ToolError) -> JsValue {
    let code = match &e {
        ToolError::Api(TpError::NotLoggedIn) => "not_logged_in",
        e if e.is_invalid_params() => "invalid_params",
        _ => "tool_failed",
    };
    let path = match &e {
        ToolError::InvalidArgs { field, .. } => Some(field.as_str()),
        _ => None,
    };
    js_error(code, &e.to_string(), path)
}

/// Runs one catalogue tool; resolves to `{"text", "structured"}` as JSON text.
#[wasm_bindgen(js_name = callTool)]
pub async fn call_tool(name: String, args: String) -> Result<String, JsValue> {
    let args: serde_json::Value = serde_json::from_str(&args).map_err(|e| {
        js_error(
            "invalid_params",
            &format!("arguments: not valid JSON: {e}"),
            Some("arguments"),
        )
    })?;
    let ctx = context();
    let out = tools::call(&ctx, &name, args).await.map_err(tool_error)?;
    Ok(serde_json::json!({"text": out.text, "structured": out.structured}).to_string())
}

/// The cached token and user, as JSON text for `chrome.storage.session`.
#[wasm_bindgen(js_name = sessionSnapshot)]
pub fn session_snapshot() -> String {
    context().client.session_snapshot().to_string()
}

/// Restores what [`session_snapshot`] saved (ignored if malformed or expired).
#[wasm_bindgen(js_name = restoreSession)]
pub fn restore_session(snapshot: &str) {
    if let Ok(v) = serde_json::from_str(snapshot) {
        context().client.restore_session(&v);
    }
}

/// Checks the TrainingPeaks session: `{"loggedIn", "user", "athleteId"}` as JSON text.
#[wasm_bindgen(js_name = sessionStatus)]
pub async fn session_status() -> Result<String, JsValue> {
    let ctx = context();
    let status = match ctx.client.user().await {
        Ok(user) => serde_json::json!({
            "loggedIn": true,
            "user": user.get("fullName").and_then(|v| v.as_str()).unwrap_or_default(),
            "athleteId": user.get("userId"),
        }),
        Err(TpError::NotLoggedIn) => serde_json::json!({"loggedIn": false}),
        Err(e) => return Err(js_error("tool_failed", &e.to_string(), None)),
    };
    Ok(status.to_string())
}

/// What the confirmation window shows for a call, as JSON text: `{"title", "destructive",
/// "arguments": [{"name", "value"}], "target", "targetError"}` (see
/// `paceline_core::tools::confirm`). The arguments are the parsed ones in the tool's schema
/// order, and the target is read from TrainingPeaks first, all sanitised for display. Rejects
/// (`invalid_params`) arguments the call itself would reject, so no window opens for them.
#[wasm_bindgen(js_name = describeCall)]
pub async fn describe_call(name: String, args: String) -> Result<String, JsValue> {
    let args: serde_json::Value = serde_json::from_str(&args).map_err(|e| {
        js_error(
            "invalid_params",
            &format!("arguments: not valid JSON: {e}"),
            Some("arguments"),
        )
    })?;
    let ctx = context();
    let d = tools::confirm::describe_call(&ctx, &name, &args)
        .await
        .map_err(tool_error)?;
    Ok(serde_json::json!({
        "title": d.title,
        "destructive": d.destructive,
        "arguments": d.arguments,
        "target": d.target,
        "targetError": d.target_error,
    })
    .to_string())
}
