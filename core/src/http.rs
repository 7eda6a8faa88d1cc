//! HTTP as plain values, and the [`Transport`] seam every request goes through.
//!
//! Core never opens a socket. The browser extension implements [`Transport`] with `fetch`
//! (`credentials: "include"`, so the browser adds the TrainingPeaks cookie itself), the native
//! host with an HTTPS client, the sandbox with an in-memory emulator, and tests with closures.

pub(crate) mod base64;
pub(crate) mod journal;
pub mod rate;
pub mod retry;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed future. On native targets it is `Send`, so the multi-threaded MCP server can drive
/// core futures; on wasm32 it is not, because browser `fetch` futures never are.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A boxed future. On native targets it is `Send`, so the multi-threaded MCP server can drive
/// core futures; on wasm32 it is not, because browser `fetch` futures never are.
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// `Send + Sync` on native targets, nothing on wasm32 (see [`BoxFuture`]).
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSendSync: Send + Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + Sync + ?Sized> MaybeSendSync for T {}
/// `Send + Sync` on native targets, nothing on wasm32 (see [`BoxFuture`]).
#[cfg(target_arch = "wasm32")]
pub trait MaybeSendSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSendSync for T {}

/// `Send` on native targets, nothing on wasm32: the bound of a future core returns unboxed
/// (see [`BoxFuture`]).
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}
/// `Send` on native targets, nothing on wasm32: the bound of a future core returns unboxed
/// (see [`BoxFuture`]).
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// An HTTP method. Only the ones TrainingPeaks uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Whether repeating the request cannot change server state. Only these are ever retried.
    pub fn is_safe(self) -> bool {
        matches!(self, Method::Get)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL, e.g. `https://tpapi.trainingpeaks.com/users/v3/user`.
    pub url: String,
    /// Header names (lower-case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    /// A request with no headers and no body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Adds a header (the name is stored lower-case).
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Sets a JSON body and the matching `content-type`.
    pub fn json_body(mut self, body: &serde_json::Value) -> Self {
        self.body = Some(body.to_string().into_bytes());
        self.header("content-type", "application/json")
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The URL's path and query, without scheme and host.
    pub fn path_and_query(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        rest.find('/').map_or("/", |i| &rest[i..])
    }

    /// The URL's host (without port).
    pub fn host(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or("");
        authority.split(':').next().unwrap_or("")
    }
}

/// One HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lower-case) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with a status and a body, no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        let mut r = Self::new(status, body.to_string());
        r.headers
            .push(("content-type".into(), "application/json".into()));
        r
    }

    /// Adds a header (the name is stored lower-case).
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as (lossy) UTF-8 text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A request that never produced an HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The connection failed before the request was sent: safe to retry.
    #[error("could not connect: {0}")]
    Connect(String),
    /// The request may have reached the server (timeout, reset mid-way). A write that fails
    /// this way must not be retried: it may already have been applied.
    #[error("request failed after it may have been sent: {0}")]
    Io(String),
    /// The request timed out.
    #[error("request timed out")]
    Timeout,
}

/// Sends HTTP requests. Implemented outside core (fetch, native HTTPS, sandbox, test closures).
pub trait Transport: MaybeSendSync {
    /// Sends one request and returns the response, whatever its status.
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

/// A [`Transport`] made from a closure, for tests that assert on the exact request.
pub struct FnTransport<F>(pub F);

impl<F> Transport for FnTransport<F>
where
    F: Fn(HttpRequest) -> Result<HttpResponse, TransportError> + MaybeSendSync,
{
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        let result = (self.0)(request);
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_parts() {
        let r = HttpRequest::new(
            Method::Get,
            "https://tpapi.trainingpeaks.com:443/users/v3/user?x=1",
        );
        assert_eq!(r.host(), "tpapi.trainingpeaks.com");
        assert_eq!(r.path_and_query(), "/users/v3/user?x=1");
        let r = HttpRequest::new(Method::Get, "https://h");
        assert_eq!(r.path_and_query(), "/");
    }

    #[test]
    fn headers_are_case_insensitive() {
        let r = HttpRequest::new(Method::Get, "https://h/").header("Authorization", "Bearer x");
        assert_eq!(r.header_value("authorization"), Some("Bearer x"));
        assert_eq!(r.headers[0].0, "authorization");
    }
}
