//! The error a sandbox handler answers with, so handlers can end early with `?`.

use serde_json::{Value, json};

use crate::http::HttpResponse;

/// What a handler returns: the success response, or the error TrainingPeaks would send.
pub type Answer = Result<HttpResponse, ApiError>;

/// A request the emulator refuses: the status and body the real API answers with.
///
/// Handlers return [`Answer`] and stop at the first refusal with `?`; the router turns the
/// error into the response ([`From<ApiError> for HttpResponse`](HttpResponse)), so the bytes
/// on the wire are the same as if the handler had built the response itself.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the sandbox answers {status}")]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body, or `None` for an empty body (Peaksware's 404s have none, spec §12).
    pub body: Option<Value>,
}

impl ApiError {
    /// An error with a JSON body.
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
        }
    }

    /// An error with an empty body.
    pub fn empty(status: u16) -> Self {
        Self { status, body: None }
    }

    /// An error with TrainingPeaks' usual body, `{"message": …}`.
    pub fn message(status: u16, message: impl Into<String>) -> Self {
        Self::json(status, json!({"message": message.into()}))
    }
}

impl From<ApiError> for HttpResponse {
    fn from(e: ApiError) -> Self {
        match e.body {
            Some(body) => HttpResponse::json(e.status, &body),
            None => HttpResponse::new(e.status, Vec::new()),
        }
    }
}

/// A 400 with TrainingPeaks' error body shape.
pub fn bad_request(message: &str) -> ApiError {
    ApiError::message(400, message)
}

/// A 404 for an unknown id: `{"message": "{what} not found"}`.
pub fn not_found(what: &str) -> ApiError {
    ApiError::message(404, format!("{what} not found"))
}

/// A 403 with `message`.
pub fn forbidden(message: impl Into<String>) -> ApiError {
    ApiError::message(403, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_become_the_responses_the_handlers_used_to_build() {
        let r = HttpResponse::from(bad_request("The id field is required."));
        assert_eq!(r.status, 400);
        assert_eq!(r.text(), r#"{"message":"The id field is required."}"#);
        assert_eq!(r.header_value("content-type"), Some("application/json"));
        let r = HttpResponse::from(not_found("Event 7"));
        assert_eq!(
            (r.status, r.text()),
            (404, r#"{"message":"Event 7 not found"}"#.into())
        );
        let r = HttpResponse::from(ApiError::empty(404));
        assert_eq!((r.status, r.body.len()), (404, 0));
        assert!(r.headers.is_empty(), "an empty body has no content type");
    }
}
