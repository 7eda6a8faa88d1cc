//! `--direct` for Intervals.icu: the API key from the environment, sent as HTTP Basic
//! `API_KEY:<key>` to the configured Intervals.icu host only.
//!
//! The variables are the seed server's (`mvilanova/intervals-mcp-server`), so its users'
//! MCP configurations work unchanged:
//! - `API_KEY` (or `INTERVALS_API_KEY`): the personal key from intervals.icu Settings →
//!   Developer Settings. Required for the Intervals.icu tools; without it they fail with
//!   [`MISSING_HELP`].
//! - `ATHLETE_ID` (or `INTERVALS_ATHLETE_ID`): `i123` or `123`; optional, the key's own
//!   athlete (`0`) when unset.
//! - `INTERVALS_API_BASE_URL`: default `https://intervals.icu/api/v1`; `https://` required,
//!   plain `http://` accepted only for a loopback host (a local fake).
//!
//! When both a prefixed and an unprefixed name are set, the `INTERVALS_` one wins: it cannot
//! belong to another program. `PACELINE_EXTRA_CA_PEM` and `PACELINE_RESOLVE` apply as for
//! TrainingPeaks (see [`crate::direct`]).
//!
//! The key is held in core's `IcuSecret` (redacted `Debug`); this module never formats it,
//! and [`describe`] (for `paceline doctor`) reports which variables are set, never a value of
//! the key.

use std::sync::Arc;

use anyhow::Context;
use paceline_core::clock::Clock;
use paceline_core::http::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};
use paceline_core::intervals::{IcuAuth, IcuClient, IcuConfig, IcuError, IcuSecret};

use crate::direct::{REQUEST_TIMEOUT, http_client, parse_resolve, read_roots};

/// What an Intervals.icu tool says under `--direct` when no key is set.
pub const MISSING_HELP: &str = "Intervals.icu is not configured for --direct: set API_KEY (or \
    INTERVALS_API_KEY) to your personal API key from https://intervals.icu/settings (Developer \
    Settings), and optionally ATHLETE_ID (or INTERVALS_ATHLETE_ID, e.g. i12345; default: the \
    key's own athlete) and INTERVALS_API_BASE_URL (default https://intervals.icu/api/v1), then \
    restart paceline. Without copying a key: use the Paceline browser extension instead of \
    --direct.";

/// The variable names, most specific first.
const KEY_VARS: [&str; 2] = ["INTERVALS_API_KEY", "API_KEY"];
const ATHLETE_VARS: [&str; 2] = ["INTERVALS_ATHLETE_ID", "ATHLETE_ID"];
const BASE_VAR: &str = "INTERVALS_API_BASE_URL";

/// The Intervals.icu part of `--direct`, parsed and checked.
#[derive(Debug, Clone)]
pub struct IcuDirectConfig {
    /// The client configuration (base URL, key, athlete); its `Debug` redacts the key.
    pub config: IcuConfig,
    /// The variable the key came from.
    pub key_var: &'static str,
    /// The variable the athlete id came from, if any.
    pub athlete_var: Option<&'static str>,
    /// Whether `INTERVALS_API_BASE_URL` was set.
    pub base_set: bool,
}

/// The first of `names` that is set to something other than blanks, with its name.
fn first_set(
    lookup: &impl Fn(&str) -> Option<String>,
    names: [&'static str; 2],
) -> Option<(&'static str, String)> {
    names.into_iter().find_map(|n| {
        lookup(n)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .map(|v| (n, v))
    })
}

impl IcuDirectConfig {
    /// Reads the variables through `lookup`: `Ok(None)` when no key is set, an error naming
    /// the variable when one is set but unusable.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Option<Self>> {
        let Some((key_var, key)) = first_set(&lookup, KEY_VARS) else {
            return Ok(None);
        };
        let athlete = first_set(&lookup, ATHLETE_VARS);
        let base = lookup(BASE_VAR)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        let config = IcuConfig::new(
            base.as_deref(),
            IcuAuth::ApiKey(IcuSecret::new(key)),
            athlete.as_ref().map(|(_, v)| v.as_str()),
        )
        .map_err(|e| match e {
            // Name the variable the person set rather than the config field.
            IcuError::InvalidInput { field, message } => {
                let var = match field.as_str() {
                    "base_url" => BASE_VAR,
                    "athlete_id" => athlete.as_ref().map_or(ATHLETE_VARS[1], |(n, _)| *n),
                    _ => key_var,
                };
                anyhow::anyhow!("{var}: {message}")
            }
            other => anyhow::anyhow!("{other}"),
        })?;
        Ok(Some(Self {
            config,
            key_var,
            athlete_var: athlete.map(|(n, _)| n),
            base_set: base.is_some(),
        }))
    }

    /// The host the key is sent to (`intervals.icu`, or the configured one with its port).
    pub fn host(&self) -> &str {
        self.config
            .base_url
            .split_once("://")
            .map_or(self.config.base_url.as_str(), |(_, h)| h)
    }
}

/// What `paceline doctor` says about the Intervals.icu part of `--direct`: one line per fact,
/// `Ok` when usable or simply not configured, `Err` with the reason when a variable is set
/// but unusable. Never shows the key.
pub fn describe(lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    match IcuDirectConfig::from_lookup(&lookup) {
        Ok(None) => Ok(format!(
            "Intervals.icu for --direct: not configured (API_KEY / INTERVALS_API_KEY not set; \
             only needed for `paceline mcp --direct --platform intervals|all`{})",
            first_set(&lookup, ATHLETE_VARS)
                .map(|(n, _)| format!("; {n} is set but unused without a key"))
                .unwrap_or_default()
        )),
        Ok(Some(c)) => {
            let athlete = match (&c.config.athlete_id, c.athlete_var) {
                (Some(id), Some(var)) => format!("athlete {id} (from {var})"),
                _ => "the key's own athlete (ATHLETE_ID not set)".to_string(),
            };
            let base = if c.base_set {
                format!("from {BASE_VAR}")
            } else {
                "the default".to_string()
            };
            Ok(format!(
                "Intervals.icu for --direct: API key set (from {}), {athlete}, sent only to {} \
                 ({base})",
                c.key_var,
                c.host()
            ))
        }
        Err(e) => Err(format!("Intervals.icu for --direct: {e:#}")),
    }
}

/// The Intervals.icu client of `--direct`, or `None` when no key is set.
pub fn client_from_lookup(
    lookup: impl Fn(&str) -> Option<String>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Option<IcuClient>> {
    let Some(config) = IcuDirectConfig::from_lookup(&lookup)? else {
        return Ok(None);
    };
    let var = |name: &str| {
        lookup(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let extra_roots = match var("PACELINE_EXTRA_CA_PEM") {
        Some(path) => read_roots(&path)?,
        None => Vec::new(),
    };
    let resolve = match var("PACELINE_RESOLVE") {
        Some(spec) => parse_resolve(&spec)?,
        None => Vec::new(),
    };
    let client = http_client(extra_roots, &resolve, REQUEST_TIMEOUT, false)
        .context("Intervals.icu for --direct")?;
    Ok(Some(IcuClient::new(
        Arc::new(IcuDirectTransport { client }),
        clock,
        config.config,
    )))
}

/// Native HTTP [`Transport`] for Intervals.icu. It adds no credential: core's `IcuClient` puts
/// the Basic header on requests to its configured host only, and this transport sends what it
/// is given, over https (or plain http to a loopback address, which `IcuConfig` allows for
/// local fakes), never following a redirect.
pub struct IcuDirectTransport {
    client: reqwest::Client,
}

impl std::fmt::Debug for IcuDirectTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IcuDirectTransport").finish_non_exhaustive()
    }
}

impl IcuDirectTransport {
    async fn send_request(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        // Anything rejected before the network is `Connect`: nothing was sent.
        let url = reqwest::Url::parse(&request.url)
            .map_err(|e| TransportError::Connect(format!("invalid URL {:?}: {e}", request.url)))?;
        let loopback = url.host_str().is_some_and(|h| {
            h.eq_ignore_ascii_case("localhost")
                || h.trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        });
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            _ => {
                return Err(TransportError::Connect(format!(
                    "refusing to send a request without https: {url}"
                )));
            }
        }
        crate::direct::send_with(&self.client, url, request, None).await
    }
}

impl Transport for IcuDirectTransport {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(self.send_request(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Vars = &'static [(&'static str, &'static str)];

    fn env(pairs: Vars) -> impl Fn(&str) -> Option<String> {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    const KEY: &str = "s3cr3t-key-value";

    #[test]
    fn reads_the_seed_servers_variables() {
        assert!(matches!(IcuDirectConfig::from_lookup(env(&[])), Ok(None)));
        let c = IcuDirectConfig::from_lookup(env(&[
            ("API_KEY", KEY),
            ("ATHLETE_ID", "123"),
            ("INTERVALS_API_BASE_URL", "https://intervals.icu/api/v1"),
        ]))
        .expect("valid")
        .expect("configured");
        assert_eq!(c.config.base_url, "https://intervals.icu");
        assert_eq!(c.config.athlete_id.as_deref(), Some("i123"));
        assert_eq!(c.config.auth, IcuAuth::ApiKey(IcuSecret::new(KEY)));
        assert_eq!((c.key_var, c.athlete_var), ("API_KEY", Some("ATHLETE_ID")));
        assert!(!format!("{c:?}").contains(KEY), "{c:?}");
        // The prefixed names win over the generic ones.
        let c = IcuDirectConfig::from_lookup(env(&[
            ("API_KEY", "other"),
            ("INTERVALS_API_KEY", KEY),
            ("INTERVALS_ATHLETE_ID", "i9"),
        ]))
        .expect("valid")
        .expect("configured");
        assert_eq!(c.config.auth, IcuAuth::ApiKey(IcuSecret::new(KEY)));
        assert_eq!(c.config.athlete_id.as_deref(), Some("i9"));
        assert_eq!(c.host(), "intervals.icu");
    }

    #[test]
    fn bad_values_name_their_variable_and_never_the_key() {
        let cases: [(&str, Vars, &str); 3] = [
            (
                "plain http",
                &[
                    ("API_KEY", KEY),
                    ("INTERVALS_API_BASE_URL", "http://example.com"),
                ],
                "INTERVALS_API_BASE_URL",
            ),
            (
                "athlete",
                &[("API_KEY", KEY), ("INTERVALS_ATHLETE_ID", "bob")],
                "INTERVALS_ATHLETE_ID",
            ),
            ("key with a space", &[("API_KEY", "a b")], "API_KEY"),
        ];
        for (name, vars, want) in cases {
            let err = IcuDirectConfig::from_lookup(env(vars))
                .err()
                .map(|e| format!("{e:#}"))
                .unwrap_or_default();
            assert!(err.starts_with(want), "{name}: {err}");
            assert!(!err.contains(KEY), "{name}: {err}");
            let doctor = describe(env(vars)).unwrap_err();
            assert!(doctor.contains(want), "{name}: {doctor}");
        }
        // Loopback over plain http is accepted, for local fakes.
        let c = IcuDirectConfig::from_lookup(env(&[
            ("API_KEY", KEY),
            ("INTERVALS_API_BASE_URL", "http://127.0.0.1:8080/api/v1"),
        ]));
        assert!(matches!(c, Ok(Some(_))));
    }

    #[test]
    fn doctor_says_which_variables_are_set_and_where_the_key_goes() {
        let none = describe(env(&[("ATHLETE_ID", "5")])).expect("not an error");
        assert!(none.contains("not configured"), "{none}");
        assert!(none.contains("ATHLETE_ID is set but unused"), "{none}");
        let set = describe(env(&[
            ("INTERVALS_API_KEY", KEY),
            ("ATHLETE_ID", "i5"),
            ("INTERVALS_API_BASE_URL", "https://intervals.example:8443"),
        ]))
        .expect("valid");
        assert!(!set.contains(KEY), "{set}");
        for want in [
            "from INTERVALS_API_KEY",
            "athlete i5 (from ATHLETE_ID)",
            "intervals.example:8443",
            "from INTERVALS_API_BASE_URL",
        ] {
            assert!(set.contains(want), "{want}: {set}");
        }
    }
}
