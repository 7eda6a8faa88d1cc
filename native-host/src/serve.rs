//! `paceline serve --http [ADDR]`: MCP over streamable HTTP, for clients that do not start a
//! local process (ChatGPT through a tunnel, Claude Code's `--transport http`, the MCP Inspector).
//!
//! The same server as `paceline mcp` (catalogue, backends, safety switches): one
//! [`PacelineServer`] per MCP session, all sharing one backend, so every session sees the same
//! sandbox athlete or browser. rmcp's streamable-HTTP service speaks the protocol (sessions for
//! 2024-11-05 … 2025-11-25 clients, stateless requests for 2026-07-28 ones, SSE, the `Host` and
//! `Origin` checks); hyper carries the HTTP. What this module adds in front of rmcp:
//!
//! - the credential: `Authorization: Bearer <token>` at `/mcp`, or (`--secret-path`) the token
//!   as the last path segment, `/mcp/<token>`, for clients that cannot send headers; anything
//!   else is 401 (a missing or wrong bearer) or 404 (any other path, including `/mcp` when the
//!   secret path is in use, so the path's existence tells nothing);
//! - the allow-lists handed to rmcp: `Origin` must be a loopback origin (or one named with
//!   `--allow-origin`) when present, and `Host` a loopback name (or one named with
//!   `--allow-host`), against DNS rebinding;
//! - a non-loopback bind address only with `--allow-remote`, and a warning then.

mod token;

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, HeaderValue, WWW_AUTHENTICATE};
use hyper::{Request, Response, StatusCode};
use paceline_core::tools::Platform;
use paceline_core::tools::toolsets::Toolsets;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};

use crate::backend::{BackendArgs, PlatformArgs, Runner};
use crate::mcp::PacelineServer;
use crate::output;
use crate::safety::{SafetyArgs, WritePolicy};

/// Where `paceline serve` listens unless told otherwise (as `--http` reads it).
pub const DEFAULT_ADDR: &str = "127.0.0.1:8765";
/// [`DEFAULT_ADDR`] as an address (a unit test checks that the two agree).
const DEFAULT_SOCKET: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8765);

/// The MCP endpoint's path (and, with `--secret-path`, its parent).
const MCP_PATH: &str = "/mcp";

/// Exit code for flags that do not fit together or cannot be read.
const EXIT_USAGE: u8 = 2;

/// A response body: rmcp's type, so our own answers and rmcp's go through one service.
type Body = http_body_util::combinators::BoxBody<Bytes, Infallible>;

/// Arguments of `paceline serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Serve MCP over streamable HTTP at ADDR (an IP address and port, `localhost:PORT`, or a
    /// port alone): `http://ADDR/mcp`. The default, and the value of a bare `--http`, is
    /// 127.0.0.1:8765.
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = DEFAULT_ADDR,
          value_parser = parse_addr)]
    pub http: Option<SocketAddr>,
    /// The file holding the bearer token (made, readable by you only, if missing). Default: a
    /// file in your configuration directory (`paceline serve --show-token` prints its path).
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Print the bearer token on stdout (making it first if needed) and exit.
    #[arg(long)]
    pub show_token: bool,
    /// Serve at /mcp/<token> instead of /mcp, with no Authorization header needed: for clients
    /// that cannot send headers (ChatGPT connectors). The URL is then the secret.
    #[arg(long)]
    pub secret_path: bool,
    /// Also accept requests whose Origin header is this origin (e.g. https://chatgpt.com);
    /// requests from other non-loopback origins are refused. Repeatable.
    #[arg(long, value_name = "ORIGIN")]
    pub allow_origin: Vec<String>,
    /// Also accept requests whose Host header is this name (e.g. a tunnel's public hostname,
    /// which most tunnels pass on); by default only loopback names are. Repeatable.
    #[arg(long, value_name = "HOST")]
    pub allow_host: Vec<String>,
    /// Allow a non-loopback ADDR (reachable from other machines). The token is then all that
    /// protects your account: prefer a tunnel to a loopback address.
    #[arg(long)]
    pub allow_remote: bool,
    /// Which backend runs the tools.
    #[command(flatten)]
    pub backend: BackendArgs,
    /// What happens to tools that change TrainingPeaks or Intervals.icu.
    #[command(flatten)]
    pub safety: SafetyArgs,
    /// Which tools to publish.
    #[command(flatten)]
    pub platform: PlatformArgs,
}

/// Reads `--http`: `IP:PORT`, `[IPv6]:PORT`, `localhost:PORT`, or `PORT` (on 127.0.0.1).
fn parse_addr(text: &str) -> Result<SocketAddr, String> {
    let text = text.trim();
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let port = text
        .strip_prefix("localhost:")
        .unwrap_or(text)
        .parse::<u16>()
        .map_err(|_| {
            format!("`{text}` is not an address: give IP:PORT (e.g. {DEFAULT_ADDR}) or a port")
        })?;
    Ok(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
}

/// Runs `paceline serve`.
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let token_path = match &args.token_file {
        Some(p) => p.clone(),
        None => token::default_path().context("finding the configuration directory")?,
    };
    if args.show_token {
        let (token, made) = token::load_or_create(&token_path)?;
        if made {
            output::stderr_line(&format!("made a new token in {}", token_path.display()));
        }
        return output::finish(output::stdout_line(&token), ExitCode::SUCCESS);
    }
    let settings = match Settings::from_args(&args) {
        Ok(s) => s,
        Err(m) => {
            output::stderr_line(&format!("error: {m}"));
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let (token, made) = token::load_or_create(&token_path)?;
    if made {
        output::stderr_line(&format!(
            "made a new bearer token in {} (`paceline serve --show-token` prints it)",
            token_path.display()
        ));
    }
    let runner = match args.backend.runner_or_report(settings.platform) {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    // Several sessions at once, and calls that may render charts: a small pool rather than
    // `paceline mcp`'s single thread.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = rt.block_on(serve(settings, runner, token, token_path));
    rt.shutdown_timeout(Duration::from_secs(1));
    result?;
    Ok(ExitCode::SUCCESS)
}

/// The checked flags.
struct Settings {
    addr: SocketAddr,
    secret_path: bool,
    allowed_origins: Vec<String>,
    /// `None`: any `Host` (`--allow-remote` without `--allow-host`).
    allowed_hosts: Option<Vec<String>>,
    policy: WritePolicy,
    platform: Platform,
    toolsets: Toolsets,
}

impl Settings {
    fn from_args(a: &ServeArgs) -> Result<Self, String> {
        let platform = a.platform.platform().map_err(|e| format!("{e:#}"))?;
        let toolsets = a.platform.toolsets().map_err(|e| format!("{e:#}"))?;
        let policy = a.safety.policy(a.backend.backend())?;
        let addr = a.http.unwrap_or(DEFAULT_SOCKET);
        if !addr.ip().is_loopback() && !a.allow_remote {
            return Err(format!(
                "--http {addr} is reachable from other machines; add --allow-remote if that is \
                 what you want (a tunnel to {DEFAULT_ADDR} is safer)"
            ));
        }
        let mut allowed_origins = loopback_origins();
        for o in &a.allow_origin {
            allowed_origins.push(normalise_origin(o)?);
        }
        let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "::1"].map(String::from).into();
        for h in &a.allow_host {
            let h = h.trim();
            if h.is_empty() || h.contains(['/', ' ']) {
                return Err(format!(
                    "--allow-host `{h}`: give a host name such as abc.trycloudflare.com"
                ));
            }
            hosts.push(h.to_string());
        }
        let allowed_hosts = if a.allow_remote && a.allow_host.is_empty() {
            None
        } else {
            Some(hosts)
        };
        Ok(Self {
            addr,
            secret_path: a.secret_path,
            allowed_origins,
            allowed_hosts,
            policy,
            platform,
            toolsets,
        })
    }
}

/// Browser origins on this machine, any port (a page served from localhost is as trusted as
/// the person's own tools: the MCP Inspector runs there).
fn loopback_origins() -> Vec<String> {
    let mut out = Vec::new();
    for scheme in ["http", "https"] {
        for host in ["localhost", "127.0.0.1", "[::1]"] {
            out.push(format!("{scheme}://{host}:*"));
        }
    }
    out
}

/// An `--allow-origin` value as rmcp's allow-list wants it: scheme, host and an explicit port
/// (the scheme's default when none is given, `:*` for any).
fn normalise_origin(text: &str) -> Result<String, String> {
    let text = text.trim().trim_end_matches('/');
    let bad = || {
        format!(
            "--allow-origin `{text}`: give an origin such as https://chatgpt.com or \
             http://localhost:6274 (scheme, host, optional port or :*)"
        )
    };
    let (base, any_port) = match text.strip_suffix(":*") {
        Some(base) => (base, true),
        None => (text, false),
    };
    let uri: hyper::Uri = base.parse().map_err(|_| bad())?;
    let scheme = uri.scheme_str().ok_or_else(bad)?.to_ascii_lowercase();
    let authority = uri.authority().ok_or_else(bad)?;
    let path_ok = matches!(uri.path(), "" | "/") && uri.query().is_none();
    if !matches!(scheme.as_str(), "http" | "https") || !path_ok {
        return Err(bad());
    }
    let host = authority.host();
    Ok(match (any_port, authority.port_u16()) {
        (true, None) => format!("{scheme}://{host}:*"),
        (true, Some(_)) => return Err(bad()),
        (false, Some(port)) => format!("{scheme}://{host}:{port}"),
        (false, None) if scheme == "https" => format!("{scheme}://{host}:443"),
        (false, None) => format!("{scheme}://{host}:80"),
    })
}

/// What a request may reach, decided from its path and credential before rmcp sees it.
#[derive(Debug, PartialEq, Eq)]
enum Access {
    /// The MCP endpoint, credential accepted.
    Mcp,
    /// The MCP endpoint, with no bearer token or a wrong one.
    Unauthorized { wrong: bool },
    /// Anything else.
    NotFound,
}

fn access(path: &str, authorization: Option<&HeaderValue>, token: &str, secret: bool) -> Access {
    if secret {
        // `/mcp/<token>`; the plain `/mcp` is then unknown, like every other path.
        return match path
            .strip_prefix(MCP_PATH)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            Some(given) if token::same_secret(given.as_bytes(), token.as_bytes()) => Access::Mcp,
            _ => Access::NotFound,
        };
    }
    if path != MCP_PATH {
        return Access::NotFound;
    }
    let Some(value) = authorization else {
        return Access::Unauthorized { wrong: false };
    };
    let given = value.to_str().ok().and_then(|v| {
        let (scheme, rest) = v.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
    });
    match given {
        Some(t) if token::same_secret(t.as_bytes(), token.as_bytes()) => Access::Mcp,
        _ => Access::Unauthorized { wrong: true },
    }
}

/// A short plain-text answer.
fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())).boxed());
    *response.status_mut() = status;
    response
}

/// The shared state of every connection.
struct App {
    mcp: StreamableHttpService<PacelineServer, LocalSessionManager>,
    token: String,
    secret_path: bool,
}

impl App {
    async fn route(&self, request: Request<Incoming>, peer: SocketAddr) -> Response<Body> {
        let authorization = request.headers().get(AUTHORIZATION);
        match access(
            request.uri().path(),
            authorization,
            &self.token,
            self.secret_path,
        ) {
            Access::Mcp => self.mcp.handle(request).await,
            Access::NotFound => plain(StatusCode::NOT_FOUND, "not found\n"),
            Access::Unauthorized { wrong } => {
                tracing::warn!(%peer, wrong, "refused a request without the bearer token");
                let mut r = plain(
                    StatusCode::UNAUTHORIZED,
                    "send `Authorization: Bearer <token>`; `paceline serve --show-token` prints \
                     the token\n",
                );
                let challenge = if wrong {
                    "Bearer realm=\"paceline\", error=\"invalid_token\""
                } else {
                    "Bearer realm=\"paceline\""
                };
                r.headers_mut()
                    .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
                r
            }
        }
    }
}

/// Serves until Ctrl-C (or SIGTERM on Unix).
async fn serve(
    settings: Settings,
    runner: Runner,
    token: String,
    token_path: PathBuf,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .with_context(|| format!("listening on {}", settings.addr))?;
    let local = listener.local_addr()?;
    let mut config = StreamableHttpServerConfig::default()
        .with_allowed_origins(settings.allowed_origins.clone())
        .enforce_origin_validation();
    config = match &settings.allowed_hosts {
        Some(hosts) => config.with_allowed_hosts(hosts.clone()),
        None => config.disable_allowed_hosts(),
    };
    // Cancelled on shutdown: rmcp then ends every session.
    let stop = config.cancellation_token.clone();
    let (policy, platform, toolsets) = (
        settings.policy,
        settings.platform,
        settings.toolsets.clone(),
    );
    let mcp = StreamableHttpService::new(
        move || {
            Ok(PacelineServer::new(
                runner.clone(),
                policy,
                platform,
                toolsets.clone(),
            ))
        },
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let app = Arc::new(App {
        mcp,
        token,
        secret_path: settings.secret_path,
    });
    announce(&settings, local, &token_path);

    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let app = app.clone();
                async move { Ok::<_, Infallible>(app.route(request, peer).await) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            let served = hyper::server::conn::http1::Builder::new()
                // A client that never finishes its headers does not hold a task forever.
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(30))
                .serve_connection(io, service)
                .await;
            if let Err(e) = served {
                tracing::debug!(%peer, "HTTP connection ended: {e}");
            }
        });
    }
    stop.cancel();
    Ok(())
}

/// Says where the server is, on stderr (not logged, so it shows whatever `PACELINE_LOG` says),
/// without the token itself: stderr ends up in log files.
fn announce(settings: &Settings, local: SocketAddr, token_path: &std::path::Path) {
    let base = format!("http://{local}{MCP_PATH}");
    let how = if settings.secret_path {
        format!(
            "{base}/<token>, the token from {} (`paceline serve --show-token` prints it); {MCP_PATH} \
             itself answers 404",
            token_path.display()
        )
    } else {
        format!(
            "{base} with `Authorization: Bearer <token>`, the token from {} (`paceline serve \
             --show-token` prints it)",
            token_path.display()
        )
    };
    output::stderr_line(&format!("paceline: serving MCP at {how}"));
    if !local.ip().is_loopback() {
        output::stderr_line(
            "warning: --allow-remote: Paceline is reachable from other machines; anyone with \
             the token can use your account. Stop with Ctrl-C.",
        );
        if settings.allowed_hosts.is_none() {
            output::stderr_line(
                "warning: any Host header is accepted (no --allow-host given); the token is the \
                 only check.",
            );
        }
    }
}

/// Resolves on Ctrl-C, or SIGTERM on Unix (service managers stop servers that way).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!("cannot watch SIGTERM: {e}");
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn bearer(v: &str) -> HeaderValue {
        HeaderValue::from_str(v).unwrap()
    }

    #[test]
    fn the_plain_path_needs_the_bearer_token() {
        let ok = bearer(&format!("Bearer {TOKEN}"));
        assert_eq!(access("/mcp", Some(&ok), TOKEN, false), Access::Mcp);
        let lower = bearer(&format!("bearer {TOKEN}"));
        assert_eq!(access("/mcp", Some(&lower), TOKEN, false), Access::Mcp);
        assert_eq!(
            access("/mcp", None, TOKEN, false),
            Access::Unauthorized { wrong: false }
        );
        for wrong in ["Bearer nope", "Basic abc", TOKEN, "Bearer"] {
            assert_eq!(
                access("/mcp", Some(&bearer(wrong)), TOKEN, false),
                Access::Unauthorized { wrong: true },
                "{wrong}"
            );
        }
        for path in ["/", "/mcp/", "/mcpx", &format!("/mcp/{TOKEN}")] {
            assert_eq!(
                access(path, Some(&ok), TOKEN, false),
                Access::NotFound,
                "{path}"
            );
        }
    }

    #[test]
    fn the_secret_path_is_the_credential_and_hides_the_plain_one() {
        let secret = format!("/mcp/{TOKEN}");
        assert_eq!(access(&secret, None, TOKEN, true), Access::Mcp);
        let ok = bearer(&format!("Bearer {TOKEN}"));
        assert_eq!(access("/mcp", Some(&ok), TOKEN, true), Access::NotFound);
        let wrong = format!("/mcp/{}x", &TOKEN[..TOKEN.len() - 1]);
        assert_eq!(access(&wrong, None, TOKEN, true), Access::NotFound);
        assert_eq!(
            access(&format!("{secret}/"), None, TOKEN, true),
            Access::NotFound
        );
    }

    #[test]
    fn addresses_read_as_documented() {
        assert_eq!(parse_addr("127.0.0.1:9000").unwrap().port(), 9000);
        assert_eq!(
            parse_addr("localhost:9001").unwrap(),
            "127.0.0.1:9001".parse().unwrap()
        );
        assert_eq!(
            parse_addr("9002").unwrap(),
            "127.0.0.1:9002".parse().unwrap()
        );
        assert!(parse_addr("[::1]:9003").unwrap().ip().is_loopback());
        let e = parse_addr("example.com:80").unwrap_err();
        assert!(e.contains("example.com:80") && e.contains("IP:PORT"), "{e}");
    }

    #[test]
    fn origins_get_an_explicit_port() {
        assert_eq!(
            normalise_origin("https://chatgpt.com").unwrap(),
            "https://chatgpt.com:443"
        );
        assert_eq!(
            normalise_origin("http://example.test/").unwrap(),
            "http://example.test:80"
        );
        assert_eq!(
            normalise_origin("http://localhost:6274").unwrap(),
            "http://localhost:6274"
        );
        assert_eq!(
            normalise_origin("https://x.test:*").unwrap(),
            "https://x.test:*"
        );
        for bad in [
            "chatgpt.com",
            "ftp://x.test",
            "https://x.test/path",
            "https://x.test:1:*",
        ] {
            let e = normalise_origin(bad).unwrap_err();
            assert!(e.contains("--allow-origin"), "{bad}: {e}");
        }
    }

    fn args(extra: &[&str]) -> ServeArgs {
        use clap::Parser;
        #[derive(Parser)]
        struct Wrap {
            #[command(flatten)]
            serve: ServeArgs,
        }
        let mut argv = vec!["serve"];
        argv.extend_from_slice(extra);
        Wrap::try_parse_from(argv).unwrap().serve
    }

    #[test]
    fn a_non_loopback_address_needs_allow_remote() {
        let e = Settings::from_args(&args(&["--http", "0.0.0.0:8765", "--sandbox"]))
            .err()
            .unwrap();
        assert!(e.contains("--allow-remote"), "{e}");
        let s = Settings::from_args(&args(&[
            "--http",
            "0.0.0.0:8765",
            "--allow-remote",
            "--sandbox",
        ]))
        .unwrap();
        assert!(s.allowed_hosts.is_none());
        let s = Settings::from_args(&args(&["--sandbox"])).unwrap();
        assert_eq!(s.addr, DEFAULT_ADDR.parse().unwrap());
        let s = Settings::from_args(&args(&["--http", "--sandbox"])).unwrap();
        assert_eq!(s.addr, DEFAULT_ADDR.parse().unwrap());
        assert!(
            s.allowed_hosts
                .as_ref()
                .is_some_and(|h| h.iter().all(|h| h != "0.0.0.0"))
        );
    }

    #[test]
    fn allow_writes_with_the_browser_is_refused_as_in_mcp() {
        let e = Settings::from_args(&args(&["--allow-writes"]))
            .err()
            .unwrap();
        assert!(e.contains("--allow-writes"), "{e}");
    }
}
