//! `--direct` mode: native HTTPS to TrainingPeaks with the cookie from `TP_AUTH_COOKIE`.
//!
//! This is the reference server's setup, for people without a browser: they paste the value
//! of their `Production_tpAuth` cookie into `TP_AUTH_COOKIE`, and [`DirectTransport`] sends it
//! with every request to the TrainingPeaks API host. Core's `TpClient` then exchanges it for
//! a Bearer token exactly as in the browser.
//!
//! Environment:
//! - `TP_AUTH_COOKIE` (required): the cookie value, or `Production_tpAuth=<value>`, or a whole
//!   copied `Cookie:` header containing it.
//! - `PACELINE_TP_API_BASE`, `PACELINE_PEAKSWARE_API_BASE`: base URLs (default the real
//!   hosts). Must be `https://`: the cookie is a long-lived credential and is marked `Secure`.
//! - `PACELINE_EXTRA_CA_PEM`: a PEM file whose certificates are trusted as roots *in addition
//!   to* the system's (for the HTTPS fake's test CA).
//! - `PACELINE_RESOLVE`: `host=ip[,host=ip…]`, pins those hostnames to those addresses (like
//!   curl's `--resolve`; the port still comes from the URL). Tests use it to reach the fake
//!   under the real hostnames, so SNI, certificate names and `Host` stay realistic:
//!   `PACELINE_TP_API_BASE=https://tpapi.trainingpeaks.com:<port>` +
//!   `PACELINE_RESOLVE=tpapi.trainingpeaks.com=127.0.0.1`. Without it, a base of
//!   `https://127.0.0.1:<port>` also works against the fake (its certificate has that IP).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use paceline_core::http::{
    BoxFuture, HttpRequest, HttpResponse, Method, Transport, TransportError,
};
use paceline_core::sandbox::AUTH_COOKIE;
use paceline_core::trainingpeaks::ApiBases;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// How to get the cookie, for error messages (missing cookie here; "not logged in" in the
/// callers of `--direct`).
pub const COOKIE_HELP: &str = "Log in at https://app.trainingpeaks.com in a browser, open the developer tools \
     (Application/Storage → Cookies → https://app.trainingpeaks.com), copy the value of the \
     `Production_tpAuth` cookie and set it as TP_AUTH_COOKIE. The cookie lasts a few weeks and \
     dies when you log out. Without copying cookies: use the Paceline browser extension instead \
     of --direct.";

/// Total time for one request, connect to last body byte.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Time to establish a connection (TCP + TLS). Shorter than the total, so that an
/// unreachable host is reported as a connect failure (retryable), not a timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds the direct-mode transport and base URLs from the environment:
/// `TP_AUTH_COOKIE` (required), `PACELINE_TP_API_BASE`, `PACELINE_PEAKSWARE_API_BASE`,
/// `PACELINE_EXTRA_CA_PEM` (a PEM file of extra trusted roots, for tests).
pub fn transport_from_env() -> anyhow::Result<(Arc<dyn Transport>, ApiBases)> {
    let config = DirectConfig::from_lookup(|name| std::env::var(name).ok())?;
    let bases = config.bases.clone();
    Ok((Arc::new(DirectTransport::new(config)?), bases))
}

/// Everything `--direct` needs, parsed and validated (see the module docs for the variables).
#[derive(Clone)]
pub struct DirectConfig {
    /// The `Production_tpAuth` value (without the name).
    pub cookie: String,
    /// Where the two APIs are.
    pub bases: ApiBases,
    /// Extra trusted root certificates (DER).
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// Hostname → address pins.
    pub resolve: Vec<(String, IpAddr)>,
    /// Total per-request timeout.
    pub timeout: Duration,
}

impl std::fmt::Debug for DirectConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the credential.
        f.debug_struct("DirectConfig")
            .field("cookie", &"<redacted>")
            .field("bases", &self.bases)
            .field("extra_roots", &self.extra_roots.len())
            .field("resolve", &self.resolve)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl DirectConfig {
    /// Reads the configuration through `lookup` (the process environment in
    /// [`transport_from_env`]; a map in tests, which cannot safely mutate the environment).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let var = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let raw_cookie = var("TP_AUTH_COOKIE")
            .with_context(|| format!("--direct needs your TrainingPeaks session cookie in TP_AUTH_COOKIE, and it is not set. {COOKIE_HELP}"))?;
        let cookie = parse_cookie(&raw_cookie)?;

        let defaults = ApiBases::default();
        let bases = ApiBases {
            tp: parse_base(
                "PACELINE_TP_API_BASE",
                var("PACELINE_TP_API_BASE"),
                defaults.tp,
            )?,
            peaksware: parse_base(
                "PACELINE_PEAKSWARE_API_BASE",
                var("PACELINE_PEAKSWARE_API_BASE"),
                defaults.peaksware,
            )?,
        };

        let extra_roots = match var("PACELINE_EXTRA_CA_PEM") {
            Some(path) => read_roots(&path)?,
            None => Vec::new(),
        };
        let resolve = match var("PACELINE_RESOLVE") {
            Some(spec) => parse_resolve(&spec)?,
            None => Vec::new(),
        };
        Ok(Self {
            cookie,
            bases,
            extra_roots,
            resolve,
            timeout: REQUEST_TIMEOUT,
        })
    }
}

/// Accepts `value`, `Production_tpAuth=value`, or a whole `Cookie` header (`a=b; Production_tpAuth=value`).
fn parse_cookie(raw: &str) -> anyhow::Result<String> {
    let raw = raw
        .strip_prefix("Cookie:")
        .or_else(|| raw.strip_prefix("cookie:"))
        .unwrap_or(raw)
        .trim();
    let value = if raw.contains('=') {
        raw.split(';')
            .find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name.trim() == AUTH_COOKIE).then(|| value.trim())
            })
            .with_context(|| {
                format!("TP_AUTH_COOKIE looks like `name=value` pairs but has no `{AUTH_COOKIE}` cookie. {COOKIE_HELP}")
            })?
    } else {
        raw
    };
    // Copying from a cookie table sometimes brings the quotes along.
    let value = value.trim_matches('"');
    if value.is_empty() {
        bail!("TP_AUTH_COOKIE has an empty `{AUTH_COOKIE}` value. {COOKIE_HELP}");
    }
    // RFC 6265 cookie-octets: no controls, whitespace, quote, comma, semicolon or backslash.
    if let Some(bad) = value
        .chars()
        .find(|c| !c.is_ascii_graphic() || matches!(c, '"' | ',' | ';' | '\\'))
    {
        bail!(
            "TP_AUTH_COOKIE contains {bad:?}, which cannot be in a cookie value: copy only the value of `{AUTH_COOKIE}`. {COOKIE_HELP}"
        );
    }
    Ok(value.to_string())
}

fn parse_base(name: &str, value: Option<String>, default: String) -> anyhow::Result<String> {
    let Some(value) = value else {
        return Ok(default);
    };
    let url = reqwest::Url::parse(&value)
        .with_context(|| format!("{name} is not a valid URL: {value:?}"))?;
    if url.scheme() != "https" {
        bail!(
            "{name} must be an https:// URL (the session cookie is never sent in clear), got {value:?}"
        );
    }
    if url.host_str().is_none() {
        bail!("{name} has no host: {value:?}");
    }
    if url.query().is_some() || url.fragment().is_some() {
        bail!("{name} must be a base URL without query or fragment, got {value:?}");
    }
    Ok(value.trim_end_matches('/').to_string())
}

pub(crate) fn read_roots(path: &str) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let pem = std::fs::read(path)
        .with_context(|| format!("PACELINE_EXTRA_CA_PEM: cannot read {path:?}"))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("PACELINE_EXTRA_CA_PEM: {path:?} is not valid PEM"))?;
    if certs.is_empty() {
        bail!("PACELINE_EXTRA_CA_PEM: {path:?} contains no `BEGIN CERTIFICATE` block");
    }
    Ok(certs)
}

pub(crate) fn parse_resolve(spec: &str) -> anyhow::Result<Vec<(String, IpAddr)>> {
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|entry| {
            let (host, ip) = entry
                .split_once('=')
                .with_context(|| format!("PACELINE_RESOLVE: expected `host=ip`, got {entry:?}"))?;
            let ip: IpAddr = ip
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse()
                .with_context(|| {
                    format!("PACELINE_RESOLVE: {ip:?} is not an IP address (in {entry:?})")
                })?;
            let host = host.trim().to_ascii_lowercase();
            if host.is_empty() {
                bail!("PACELINE_RESOLVE: empty host name in {entry:?}");
            }
            Ok((host, ip))
        })
        .collect()
}

/// The reqwest client of the direct transports: system roots plus `extra_roots`, redirects off,
/// timeouts set, `resolve` pins applied; `https_only` unless the caller checks schemes itself
/// (Intervals.icu accepts plain http to a loopback fake).
pub(crate) fn http_client(
    extra_roots: Vec<CertificateDer<'static>>,
    resolve: &[(String, IpAddr)],
    timeout: Duration,
    https_only: bool,
) -> anyhow::Result<reqwest::Client> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier =
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider.clone())
            .context(
                "cannot load trusted root certificates (system store plus PACELINE_EXTRA_CA_PEM)",
            )?;
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS setup")?
        .dangerous() // Not dangerous: a full platform/WebPKI verifier, only with extra roots.
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .https_only(https_only)
        // A redirect from the API means something is wrong (e.g. a login page); following
        // it would turn a POST into a GET and could carry the request (and its credential)
        // elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT.min(timeout))
        .user_agent(concat!("paceline/", env!("CARGO_PKG_VERSION")));
    for (host, ip) in resolve {
        // Port 0: the URL's port is used.
        builder = builder.resolve(host, SocketAddr::new(*ip, 0));
    }
    builder.build().context("cannot build the HTTPS client")
}

/// Native HTTPS [`Transport`] (reqwest + rustls/ring) that adds the session cookie on the
/// TrainingPeaks API host.
///
/// The cookie goes only to the host of the TP API base (`tpapi.trainingpeaks.com`), where the
/// token exchange happens, and only over https. A browser would not send it to
/// `api.peakswaresb.com` either (the cookie's domain is `.trainingpeaks.com`); that host gets
/// the Bearer token only.
pub struct DirectTransport {
    client: reqwest::Client,
    cookie_header: String,
    cookie_host: String,
}

impl std::fmt::Debug for DirectTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectTransport")
            .field("cookie_host", &self.cookie_host)
            .finish_non_exhaustive()
    }
}

impl DirectTransport {
    /// Builds the HTTPS client: system roots plus `extra_roots`, redirects off, timeouts set.
    pub fn new(config: DirectConfig) -> anyhow::Result<Self> {
        let client = http_client(config.extra_roots, &config.resolve, config.timeout, true)?;
        let cookie_host = reqwest::Url::parse(&config.bases.tp)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .context("PACELINE_TP_API_BASE has no host")?;
        Ok(Self {
            client,
            cookie_header: format!("{AUTH_COOKIE}={}", config.cookie),
            cookie_host,
        })
    }

    async fn send_request(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        // Anything rejected before the network is reported as `Connect`: nothing was sent.
        let url = reqwest::Url::parse(&request.url)
            .map_err(|e| TransportError::Connect(format!("invalid URL {:?}: {e}", request.url)))?;
        if url.scheme() != "https" {
            return Err(TransportError::Connect(format!(
                "refusing to send a request without https: {url}"
            )));
        }
        let gets_cookie = url
            .host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case(&self.cookie_host));
        let cookie = gets_cookie.then_some(self.cookie_header.as_str());
        send_with(&self.client, url, request, cookie).await
    }
}

/// Sends `request` to `url` with `client` and reads the whole answer. Any `cookie` header of
/// the request is dropped (only the transport decides where a cookie goes) and `cookie` is
/// set instead when given.
pub(crate) async fn send_with(
    client: &reqwest::Client,
    url: reqwest::Url,
    request: HttpRequest,
    cookie: Option<&str>,
) -> Result<HttpResponse, TransportError> {
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    };
    let mut builder = client.request(method, url);
    for (name, value) in &request.headers {
        // Only the transport decides where the credential goes.
        if name.eq_ignore_ascii_case("cookie") {
            continue;
        }
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(cookie) = cookie {
        builder = builder.header(reqwest::header::COOKIE, cookie);
    }
    if let Some(body) = request.body {
        builder = builder.body(body);
    }
    let response = builder.send().await.map_err(map_error)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    // The server has answered, so the request was received: a failure reading the body is
    // `Io` (or `Timeout`), never `Connect`.
    let body = response.bytes().await.map_err(map_error)?.to_vec();
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

impl Transport for DirectTransport {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(self.send_request(request))
    }
}

/// Classifies a reqwest failure by whether the request may have reached the server.
///
/// - `is_connect()`: DNS, TCP or TLS failed (including the connect timeout), so no byte of the
///   request was sent → [`TransportError::Connect`], the only retryable kind.
/// - `is_timeout()` otherwise: the total timeout fired after connecting; the server may
///   have the request → [`TransportError::Timeout`].
/// - anything else (reset mid-request, connection closed before the response, bad response,
///   body read error) → [`TransportError::Io`].
///
/// hyper itself re-sends only requests it knows were never written to a pooled connection,
/// so a connection that dies after the write is never silently retried underneath us.
pub fn map_error(e: reqwest::Error) -> TransportError {
    if e.is_connect() {
        let mut message = error_chain(&e);
        if message.contains("certificate") {
            message.push_str(
                " (the server's certificate is not trusted; for a test server set PACELINE_EXTRA_CA_PEM to its CA)",
            );
        }
        TransportError::Connect(message)
    } else if e.is_timeout() {
        TransportError::Timeout
    } else {
        TransportError::Io(error_chain(&e))
    }
}

/// The error and all its sources, `a: b: c` (reqwest's own message alone is vague).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !out.contains(&s_text) {
            out.push_str(": ");
            out.push_str(&s_text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_forms() {
        let ok = [
            ("bare", "abc123", "abc123"),
            ("named", "Production_tpAuth=abc123", "abc123"),
            (
                "header",
                "Cookie: x=1; Production_tpAuth=abc123; y=2",
                "abc123",
            ),
            ("spaces", "  Production_tpAuth = abc123 ", "abc123"),
            ("quoted", "\"abc123\"", "abc123"),
            ("base64ish", "AbC+/09-_.~%3D", "AbC+/09-_.~%3D"),
        ];
        for (name, input, want) in ok {
            assert_eq!(
                parse_cookie(input).map_err(|e| e.to_string()).as_deref(),
                Ok(want),
                "{name}"
            );
        }
        let bad = [
            ("other cookies only", "a=1; b=2", "no `Production_tpAuth`"),
            ("empty value", "Production_tpAuth=", "empty"),
            ("space inside", "abc 123", "cannot be in a cookie"),
            ("newline", "abc\n123", "cannot be in a cookie"),
        ];
        for (name, input, want) in bad {
            let err = parse_cookie(input)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(want), "{name}: {err}");
            assert!(err.contains("TP_AUTH_COOKIE"), "{name}: {err}");
        }
    }

    #[test]
    fn config_from_lookup() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let missing = DirectConfig::from_lookup(env(&[]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            missing.contains("TP_AUTH_COOKIE") && missing.contains("Production_tpAuth"),
            "{missing}"
        );
        let blank = DirectConfig::from_lookup(env(&[("TP_AUTH_COOKIE", "  ")]))
            .err()
            .map(|e| e.to_string());
        assert!(blank.unwrap_or_default().contains("not set"));

        let c =
            DirectConfig::from_lookup(env(&[("TP_AUTH_COOKIE", "v")])).map_err(|e| e.to_string());
        let c = c
            .as_ref()
            .map(|c| (c.bases.clone(), c.timeout, c.resolve.len()));
        assert_eq!(c, Ok((ApiBases::default(), REQUEST_TIMEOUT, 0)));

        let c = DirectConfig::from_lookup(env(&[
            ("TP_AUTH_COOKIE", "v"),
            (
                "PACELINE_TP_API_BASE",
                "https://tpapi.trainingpeaks.com:4443/",
            ),
            ("PACELINE_PEAKSWARE_API_BASE", "https://127.0.0.1:4443"),
            (
                "PACELINE_RESOLVE",
                "TPAPI.trainingpeaks.com=127.0.0.1, api.peakswaresb.com=[::1]",
            ),
        ]))
        .map_err(|e| e.to_string());
        let c = c.as_ref().map(|c| {
            (
                c.bases.tp.as_str(),
                c.bases.peaksware.as_str(),
                c.resolve.clone(),
            )
        });
        assert_eq!(
            c,
            Ok((
                "https://tpapi.trainingpeaks.com:4443",
                "https://127.0.0.1:4443",
                vec![
                    (
                        "tpapi.trainingpeaks.com".to_string(),
                        IpAddr::from([127, 0, 0, 1])
                    ),
                    (
                        "api.peakswaresb.com".to_string(),
                        "::1".parse().unwrap_or(IpAddr::from([0; 16]))
                    ),
                ]
            ))
        );

        type Vars = &'static [(&'static str, &'static str)];
        let bad: [(&str, Vars, &str); 5] = [
            (
                "http base",
                &[
                    ("TP_AUTH_COOKIE", "v"),
                    ("PACELINE_TP_API_BASE", "http://x"),
                ],
                "must be an https://",
            ),
            (
                "junk base",
                &[
                    ("TP_AUTH_COOKIE", "v"),
                    ("PACELINE_PEAKSWARE_API_BASE", "nope"),
                ],
                "PACELINE_PEAKSWARE_API_BASE is not a valid URL",
            ),
            (
                "resolve no =",
                &[("TP_AUTH_COOKIE", "v"), ("PACELINE_RESOLVE", "host")],
                "expected `host=ip`",
            ),
            (
                "resolve bad ip",
                &[("TP_AUTH_COOKIE", "v"), ("PACELINE_RESOLVE", "h=1.2.3")],
                "not an IP address",
            ),
            (
                "missing ca",
                &[
                    ("TP_AUTH_COOKIE", "v"),
                    ("PACELINE_EXTRA_CA_PEM", "/nonexistent/ca.pem"),
                ],
                "cannot read",
            ),
        ];
        for (name, vars, want) in bad {
            let err = DirectConfig::from_lookup(env(vars))
                .err()
                .map(|e| format!("{e:#}"))
                .unwrap_or_default();
            assert!(err.contains(want), "{name}: {err}");
        }
    }
}
