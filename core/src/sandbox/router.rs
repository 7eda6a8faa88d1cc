//! Path-pattern routing for the sandbox: `/fitness/v6/athletes/{aid}/workouts/{id}`.

use std::collections::BTreeMap;

use crate::clock::Clock;
use crate::http::{HttpRequest, Method};

use super::{Answer, ApiError, State, bad_request};

/// What a handler gets besides the state: the request and the clock.
pub struct Ctx<'a> {
    /// The request.
    pub req: &'a HttpRequest,
    /// The sandbox clock.
    pub clock: &'a dyn Clock,
}

impl Ctx<'_> {
    /// The request body as JSON, or a 400 naming the problem.
    pub fn json_body(&self) -> Result<serde_json::Value, ApiError> {
        let body = self.req.body.as_deref().unwrap_or_default();
        serde_json::from_slice(body)
            .map_err(|e| bad_request(&format!("The request body is not valid JSON: {e}")))
    }
}

/// Path parameters (`{name}` segments) and query parameters.
#[derive(Debug, Default, Clone)]
pub struct Params {
    /// `{name}` → segment.
    pub path: BTreeMap<&'static str, String>,
    /// Query string pairs (not percent-decoded beyond `%20`/`+`).
    pub query: BTreeMap<String, String>,
}

impl Params {
    /// A path parameter as a string.
    pub fn str(&self, name: &str) -> &str {
        self.path.get(name).map_or("", String::as_str)
    }

    /// A path parameter as an integer id, or a 400 as TrainingPeaks gives for a non-numeric id.
    pub fn id(&self, name: &str) -> Result<i64, ApiError> {
        self.str(name).parse().map_err(|_| {
            bad_request(&format!(
                "The value '{}' is not valid for {name}.",
                self.str(name)
            ))
        })
    }

    /// A path parameter as a `YYYY-MM-DD` date, or a 400.
    pub fn date(&self, name: &str) -> Result<chrono::NaiveDate, ApiError> {
        let s = self.str(name);
        let d = s.get(..10).unwrap_or(s);
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| bad_request(&format!("The value '{s}' is not valid for {name}.")))
    }
}

/// A handler: mutates state, answers (an `Err` is the error response TrainingPeaks sends).
pub type Handler = fn(&mut State, &Ctx<'_>, &Params) -> Answer;

/// One route.
pub struct Route {
    pub(super) method: Method,
    segments: Vec<Segment>,
    pub(super) auth: bool,
    pub(super) handler: Handler,
}

enum Segment {
    Lit(&'static str),
    Param(&'static str),
}

impl Route {
    /// A route that needs a valid Bearer token.
    pub fn new(method: Method, pattern: &'static str, handler: Handler) -> Self {
        let segments = pattern
            .trim_matches('/')
            .split('/')
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Param(name),
                    None => Segment::Lit(s),
                },
            )
            .collect();
        Self {
            method,
            segments,
            auth: true,
            handler,
        }
    }

    /// A route that needs no token (the token exchange itself).
    pub fn public(method: Method, pattern: &'static str, handler: Handler) -> Self {
        Self {
            auth: false,
            ..Self::new(method, pattern, handler)
        }
    }

    /// How many segments are literals (route specificity).
    pub(super) fn literal_count(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Lit(_)))
            .count()
    }

    pub(super) fn matches(&self, path: &str) -> Option<Params> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut params = Params::default();
        for (seg, part) in self.segments.iter().zip(parts) {
            match seg {
                Segment::Lit(l) if l.eq_ignore_ascii_case(part) => {}
                Segment::Lit(_) => return None,
                Segment::Param(name) => {
                    params.path.insert(name, part.to_string());
                }
            }
        }
        Some(params)
    }
}

pub(super) fn parse_query(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                k.to_string(),
                v.replace('+', " ")
                    .replace("%20", " ")
                    .replace("%3A", ":")
                    .replace("%3a", ":"),
            )
        })
        .collect()
}
