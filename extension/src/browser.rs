//! The browser-only exports: tools run against TrainingPeaks with the browser's own session.
//!
//! The transport is `fetch` with `credentials: "include"` (through gloo-net, which binds the
//! global `fetch`, so it works in Chrome's service worker and in Firefox's event page alike).
//! The browser attaches the `Production_tpAuth` cookie itself; the client in core exchanges it
//! for a Bearer token, caches it, and retries once on a 401. The token is mirrored into
//! `chrome.storage.session` by background.js through [`session_snapshot`] and
//! [`restore_session`], so a restarted service worker does not need a fresh exchange.
//!
//! Every request is bounded: it is aborted after [`REQUEST_TIMEOUT_MS`], and when the call it
//! belongs to is cancelled (the `AbortSignal` passed to [`call_tool`]). Redirects are not
//! followed: with `redirect: "manual"` the browser hides where a redirect points, and following
//! it could send the request (body and cookies) to a host outside the extension's host
//! permissions, so any redirect is refused with an error.

use std::cell::{Cell, OnceCell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::future::{Either, select};
use paceline_core::clock::Clock;
use paceline_core::http::{
    BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError,
};
use paceline_core::intervals::IcuError;
use paceline_core::tools::platform::{self, Service};
use paceline_core::tools::{self, ToolContext, ToolError};
use paceline_core::trainingpeaks::{CallOptions, DEFAULT_CALL_DEADLINE, TpClient, TpError};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use crate::intervals::SessionCheck;
use crate::js_error;

/// How long one request (answer and body) may take before it is aborted.
const REQUEST_TIMEOUT_MS: u32 = 30_000;

thread_local! {
    /// The abort signal of the call whose future is being polled (see [`WithSignal`]).
    static CALL_SIGNAL: RefCell<Option<AbortSignal>> = const { RefCell::new(None) };
    /// The per-request timeout in force ([`REQUEST_TIMEOUT_MS`]; tests shorten it).
    static TIMEOUT_MS: Cell<u32> = const { Cell::new(REQUEST_TIMEOUT_MS) };
}

/// Polls a call's future with its abort signal in [`CALL_SIGNAL`], so every request the call
/// makes (however deep in core, and concurrent ones too) picks it up when it starts. The module
/// is single-threaded and a request's future starts inside its call's poll, so the signal seen
/// is always the right one, without threading it through core.
struct WithSignal<F> {
    signal: Option<AbortSignal>,
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for WithSignal<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let outer = CALL_SIGNAL.with(|s| s.replace(this.signal.clone()));
        let out = this.inner.as_mut().poll(cx);
        CALL_SIGNAL.with(|s| *s.borrow_mut() = outer);
        out
    }
}

/// Why a fetch failed: the per-request timeout, the call's cancellation, or the network.
fn fetch_failure(
    timeout: &AbortSignal,
    call: Option<&AbortSignal>,
    error: impl std::fmt::Display,
) -> TransportError {
    if call.is_some_and(AbortSignal::aborted) {
        TransportError::Io("the call was cancelled while the request was in flight".into())
    } else if timeout.aborted() {
        TransportError::Timeout
    } else {
        // A fetch that rejects may or may not have reached the server (the browser does not
        // say), so it is reported as `Io`: never retried for writes.
        TransportError::Io(error.to_string())
    }
}

/// `fetch` with the browser's cookies (also used for Intervals.icu, see `intervals.rs`).
pub(crate) struct FetchTransport;

impl Transport for FetchTransport {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            // Read on the first poll, which happens inside the call's `WithSignal`.
            let call = CALL_SIGNAL.with(|s| s.borrow().clone());
            if call.as_ref().is_some_and(AbortSignal::aborted) {
                return Err(TransportError::Connect(
                    "the call was cancelled before the request was sent".into(),
                ));
            }
            let timeout = AbortSignal::timeout_with_u32(TIMEOUT_MS.with(Cell::get));
            let signal = match &call {
                Some(c) => AbortSignal::any(&js_sys::Array::of2(c, &timeout)),
                None => timeout.clone(),
            };
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
            let mut builder = builder
                .credentials(web_sys::RequestCredentials::Include)
                .redirect(web_sys::RequestRedirect::Manual)
                .abort_signal(Some(&signal));
            for (k, v) in &request.headers {
                builder = builder.header(k, v);
            }
            let req = match request.body {
                Some(body) => builder.body(String::from_utf8_lossy(&body).into_owned()),
                None => builder.build(),
            }
            .map_err(|e| TransportError::Connect(e.to_string()))?;
            let resp = req
                .send()
                .await
                .map_err(|e| fetch_failure(&timeout, call.as_ref(), e))?;
            if resp.type_() == web_sys::ResponseType::Opaqueredirect {
                // The server did answer, so for a write the outcome is unknown (`Io`).
                return Err(TransportError::Io(format!(
                    "{} answered with a redirect, which Paceline refuses to follow: the browser \
                     does not say where it points, and it could lead off TrainingPeaks' or \
                     Intervals.icu's own hosts",
                    origin_and_path(&request.url)
                )));
            }
            let status = resp.status();
            let headers = resp
                .headers()
                .entries()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect();
            let body = resp
                .binary()
                .await
                .map_err(|e| fetch_failure(&timeout, call.as_ref(), e))?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

/// The URL without its query (which may hold ids or dates, not secrets, but is noise).
fn origin_and_path(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// Time from the JS clock; sleeping through `setTimeout`.
pub(crate) struct JsClock;

impl Clock for JsClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        let ms = js_sys::Date::now() as i64;
        chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }

    fn utc_offset(&self, at: chrono::DateTime<chrono::Utc>) -> chrono::FixedOffset {
        // "Today" is reckoned in the browser's time zone (core's rule, `paceline_core::clock`).
        // `getTimezoneOffset` is minutes *behind* UTC at that instant (UTC+2 gives -120).
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
            at.timestamp_millis() as f64
        ));
        let east_seconds = -(d.get_timezone_offset() * 60.0) as i32;
        chrono::FixedOffset::east_opt(east_seconds)
            .unwrap_or_else(|| chrono::Offset::fix(&chrono::Utc))
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

/// The context for one call of the tool `name` (a canonical name): the TrainingPeaks client
/// bounded by the call deadline, and for an Intervals.icu tool the Intervals.icu client whose
/// credential works: the browser's session, else the key that `icu_key` (background.js's
/// reader of `chrome.storage.local`) gives. The reader is called only after the session was
/// refused, so a call the session serves never reads the key. The Intervals.icu client is made
/// per call, so a key removed in the popup is not used again.
// The wasm module is single-threaded: core's `Arc`s need no `Send`/`Sync` here.
#[allow(clippy::arc_with_non_send_sync)]
async fn call_context(
    name: &str,
    icu_key: Option<&js_sys::Function>,
) -> Result<ToolContext, JsValue> {
    // One view of the client per call: the request budget is shared fairly between concurrent
    // calls, and a call that cannot finish within the deadline (under the bridge's 60 s) says
    // so at once instead of being timed out by the bridge.
    let ctx = crate::activity_store::with_cache(context().for_call(CallOptions {
        deadline: Some(DEFAULT_CALL_DEADLINE),
        observer: None,
    }));
    // Intervals.icu tools, and the copies between the platforms, which use both clients.
    if !platform::find_canonical(name).is_some_and(|l| l.uses(Service::Intervals)) {
        return Ok(ctx);
    }
    let icu = match crate::intervals::try_session().await.map_err(icu_error)? {
        SessionCheck::Works(found) => found.0,
        SessionCheck::Refused(session_error) => {
            let key = match icu_key {
                Some(reader) => read_key(reader).await?,
                None => None,
            };
            match crate::intervals::usable(key.as_deref()) {
                None => return Err(icu_error(session_error)),
                Some(key) => crate::intervals::with_key(key).await.map_err(icu_error)?.0,
            }
        }
    };
    // The same deadline for its waits (request budget, retries) as the TrainingPeaks client.
    let icu = icu.for_call(CallOptions {
        deadline: Some(DEFAULT_CALL_DEADLINE),
        observer: None,
    });
    Ok(ctx.with_icu(Arc::new(icu)))
}

/// An Intervals.icu credential error for JS: a refusal is `not_logged_in` (its message says how
/// to connect). `IcuError` messages never hold the key.
fn icu_error(e: IcuError) -> JsValue {
    let code = if matches!(
        e,
        IcuError::NotAuthenticated { .. } | IcuError::Forbidden { .. }
    ) {
        "not_logged_in"
    } else {
        "tool_failed"
    };
    js_error(code, &e.to_string(), None)
}

/// Calls background.js's key reader (a function resolving to the stored key or null).
async fn read_key(reader: &js_sys::Function) -> Result<Option<String>, JsValue> {
    let failed = |e: JsValue| {
        // The reader's error comes from `chrome.storage`, never from the key itself.
        let why = e.dyn_ref::<js_sys::Error>().map_or_else(
            || "unknown error".to_string(),
            |e| String::from(e.message()),
        );
        js_error(
            "tool_failed",
            &format!(
                "Paceline could not read the Intervals.icu API key stored in the extension: {why}"
            ),
            None,
        )
    };
    let out = reader.call0(&JsValue::NULL).map_err(failed)?;
    let key = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&out))
        .await
        .map_err(failed)?;
    Ok(key.as_string())
}

/// Runs one catalogue tool by its canonical name (`tools::platform`: the TrainingPeaks tools
/// under their own names, the Intervals.icu ones prefixed `icu_`); resolves to `{"text",
/// "structured"}` as JSON text.
///
/// `signal` (optional) cancels the call: nothing more is sent once it fires, requests in flight
/// are aborted, and the call rejects at once with the code `cancelled`. `icu_key` is
/// background.js's reader of the Intervals.icu API key stored in the extension (a function
/// resolving to the key or null); it is called only when the browser's intervals.icu session
/// is refused, and the key is not kept.
#[wasm_bindgen(js_name = callTool)]
pub async fn call_tool(
    name: String,
    args: String,
    signal: Option<AbortSignal>,
    icu_key: Option<js_sys::Function>,
) -> Result<String, JsValue> {
    let cancelled = || js_error("cancelled", "The call was cancelled.", None);
    let args: serde_json::Value = serde_json::from_str(&args).map_err(|e| {
        js_error(
            "invalid_params",
            &format!("arguments: not valid JSON: {e}"),
            Some("arguments"),
        )
    })?;
    if signal.as_ref().is_some_and(AbortSignal::aborted) {
        return Err(cancelled());
    }
    let icu = platform::find_canonical(&name).is_some_and(|l| l.uses(Service::Intervals));
    let run = WithSignal {
        signal: signal.clone(),
        inner: Box::pin(async move {
            let ctx = call_context(&name, icu_key.as_ref()).await?;
            let call = platform::call_canonical(&ctx, &name, args);
            if !icu {
                return call.await.map_err(tool_error);
            }
            // The Intervals.icu client's deadline (from `for_call`) bounds its waits, not a
            // request in flight: the whole call is bounded here too, so the bridge never
            // times it out first. Requests in flight are not aborted by this (only by the
            // call's signal), so a write cut off here may have reached Intervals.icu.
            let deadline = gloo_timers::future::sleep(DEFAULT_CALL_DEADLINE);
            match select(Box::pin(call), Box::pin(deadline)).await {
                Either::Left((out, _)) => out.map_err(tool_error),
                Either::Right(_) => Err(js_error(
                    "tool_failed",
                    &format!(
                        "{name} did not finish within {} s. If it changes something, the \
                         outcome is unknown: check Intervals.icu before retrying.",
                        DEFAULT_CALL_DEADLINE.as_secs()
                    ),
                    None,
                )),
            }
        }),
    };
    let out = match signal {
        None => run.await,
        Some(signal) => match select(run, aborted(&signal)).await {
            Either::Left((out, _)) => out,
            // Dropping the call's future stops it where it waits (a retry back-off, the rate
            // limiter); its requests in flight are aborted by the same signal.
            Either::Right(_) => return Err(cancelled()),
        },
    };
    let out = out?;
    Ok(serde_json::json!({"text": out.text, "structured": out.structured}).to_string())
}

/// Resolves when `signal` fires.
fn aborted(signal: &AbortSignal) -> wasm_bindgen_futures::JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        // The signal belongs to this one call, so its `onabort` slot is free.
        signal.set_onabort(Some(&resolve));
    });
    wasm_bindgen_futures::JsFuture::from(promise)
}

/// A test hook (built only with the `test-hooks` feature, never shipped): sets the
/// per-request timeout, so the e2e suite need not wait 30 s to see one.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(js_name = __setRequestTimeoutMs)]
pub fn set_request_timeout_ms(ms: u32) {
    TIMEOUT_MS.with(|t| t.set(ms));
}

/// A test hook (built only with the `test-hooks` feature, never shipped): panics inside an
/// async task, as a real bug in a tool would, so the e2e suite can check that the extension
/// recovers from the trap.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(js_name = __testPanic)]
pub async fn test_panic() -> Result<(), JsValue> {
    gloo_timers::future::sleep(Duration::from_millis(1)).await;
    #[allow(clippy::panic)]
    {
        panic!("__testPanic was called");
    }
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

/// Checks the TrainingPeaks session: `{"loggedIn", "user", "athleteId"}` as JSON text. It asks
/// TrainingPeaks each time (a token exchange and the user) rather than answering from the
/// cache, so the popup and `paceline doctor` notice a logout or a login as someone else.
#[wasm_bindgen(js_name = sessionStatus)]
pub async fn session_status() -> Result<String, JsValue> {
    let ctx = context();
    let status = match ctx.client.check_session().await {
        Ok(user) => serde_json::json!({
            "loggedIn": true,
            "user": user.name(),
            "athleteId": user.user_id.val(),
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
///
/// For an Intervals.icu tool (`icu_…`) the target is read from Intervals.icu with the same
/// credential the call would use (`icu_key`: the key reader, as for [`call_tool`]); when no
/// credential works, the call is refused and no window opens.
#[wasm_bindgen(js_name = describeCall)]
pub async fn describe_call(
    name: String,
    args: String,
    icu_key: Option<js_sys::Function>,
) -> Result<String, JsValue> {
    let args: serde_json::Value = serde_json::from_str(&args).map_err(|e| {
        js_error(
            "invalid_params",
            &format!("arguments: not valid JSON: {e}"),
            Some("arguments"),
        )
    })?;
    // Arguments first, so bad ones are refused before anything is read.
    tools::confirm::describe_arguments(&name, &args).map_err(tool_error)?;
    // Without a working Intervals.icu credential the call would fail anyway: no window.
    let ctx = call_context(&name, icu_key.as_ref()).await?;
    let d = tools::confirm::describe_call(&ctx, &name, &args)
        .await
        .map_err(tool_error)?;
    Ok(serde_json::json!({
        "service": d.service,
        "title": d.title,
        "destructive": d.destructive,
        "arguments": d.arguments,
        "target": d.target,
        "targetError": d.target_error,
    })
    .to_string())
}
