//! A fake TrainingPeaks over real HTTPS on loopback, serving the in-memory sandbox.
//!
//! # Hosts, certificates, routing
//! At start the fake generates a throw-away test CA ("Paceline Test CA", ECDSA P-256) and a
//! server certificate signed by it, valid for the three TrainingPeaks hostnames in
//! [`FAKE_HOSTS`] plus `localhost` and the IP `127.0.0.1`. It listens on `127.0.0.1` only.
//! Clients reach it either
//! - by name, mapping the real hostnames to `127.0.0.1:<port>` (Chromium's
//!   `--host-resolver-rules`, see [`FakeTp::host_resolver_rules`]; `paceline --direct`'s
//!   `PACELINE_RESOLVE`; reqwest's `resolve()`), which keeps SNI and the `Host` header real, or
//! - by IP, `https://127.0.0.1:<port>` ([`FakeTp::base_url`]); the certificate's IP SAN covers it,
//!   and the request is then treated as a TrainingPeaks API request.
//!
//! Requests are routed by the `Host` header (one certificate covers every name, so SNI only
//! needs to be one of them; it is recorded in [`FakeRequest::sni`] for diagnosis):
//! - `app.trainingpeaks.com`: `GET /login` sets the `Production_tpAuth` cookie (persistent for
//!   30 days, like a remembered login, so it survives a browser restart) and logs the
//!   sample session in, `GET /logout` clears it and logs the session out, `GET /` is a page,
//!   `GET /hostile` a page whose CSS and DOM try to hide or cover elements it did not make.
//! - `tpapi.trainingpeaks.com`, `api.peakswaresb.com`, `localhost`, `127.0.0.1`: `OPTIONS`
//!   answers CORS preflights; `GET`/`POST`/`PUT`/`DELETE` go to [`Sandbox::handle`].
//! - `intervals.icu` ([`ICU_HOST`]): `GET /login` sets the emulator's session cookie
//!   (`icu_session`), `GET /logout` clears it; `OPTIONS` answers preflights; everything else
//!   goes to the Intervals.icu emulator ([`IcuSandbox::handle`], see [`FakeTp::icu`]).
//! - any other host: 421 Misdirected Request.
//!
//! # CORS
//! The real CORS policy of tpapi / Peaksware for a `chrome-extension://` origin is unknown
//! (shared spec `trainingpeaks-api.md` §2.3 and its open questions). The fake is permissive
//! so the extension can be tested either way: it echoes any `Origin` in
//! `Access-Control-Allow-Origin` with `Access-Control-Allow-Credentials: true`, and preflights
//! allow `GET, POST, PUT, DELETE` with headers `authorization, content-type, accept`. With
//! `host_permissions` a Chromium extension sends no `Origin` at all (browser e2e recipe §6),
//! in which case no CORS headers are added.
//!
//! # Robustness
//! Each connection is its own task (requests are served concurrently); a failed TLS handshake,
//! a malformed request or a client that disappears only ends that connection. Bodies over
//! 16 MiB get 413. [`FakeTp::inject`] makes the next matching request hang, drop the
//! connection, or answer a given status, to test client error handling.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Write};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{Datelike, Utc};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use paceline_core::http::{HttpRequest, Method};
use paceline_core::sandbox::drift::{self, Drift};
use paceline_core::sandbox::intervals::{ICU_SESSION_COOKIE, IcuSandbox, SAMPLE_ICU_SESSION};
use paceline_core::sandbox::{AUTH_COOKIE, Recorded, SAMPLE_COOKIE, Sandbox};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::SystemClock;

/// The TrainingPeaks hostnames the fake's certificate is valid for, and answers as.
pub const FAKE_HOSTS: [&str; 3] = [
    "tpapi.trainingpeaks.com",
    "api.peakswaresb.com",
    "app.trainingpeaks.com",
];

/// The Intervals.icu host the fake also answers as (its certificate covers it too).
pub const ICU_HOST: &str = "intervals.icu";

/// The web-app host that serves `/login` and `/logout`.
const APP_HOST: &str = "app.trainingpeaks.com";
/// Loopback names also in the certificate, treated as API hosts.
const LOOPBACK_NAMES: [&str; 2] = ["localhost", "127.0.0.1"];
/// Largest request body accepted.
const MAX_BODY: usize = 16 * 1024 * 1024;
/// A TLS handshake that takes longer than this is abandoned.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What an injected fault does to the next matching request (see [`FakeTp::inject`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Read the request, then never answer (the client's timeout fires).
    Hang,
    /// Read the request, then close the connection without a response (the request reached
    /// the server: a client must not assume it was not applied).
    Close,
    /// Answer this status with a small JSON body instead of asking the sandbox.
    Status(u16),
    /// Answer normally, but only after this long (a slow server; a client that gives up
    /// meanwhile drops the connection).
    Delay(Duration),
    /// Answer `302 Found` pointing off TrainingPeaks, at `https://localhost:<port>/redirected`
    /// (the fake itself under a host outside the extension's host permissions; requests that
    /// follow it are logged with host `localhost`).
    RedirectOffHost,
}

/// One request the fake received, on any host, with all its headers (for browser tests that
/// assert on cookies, `Origin`, `Sec-Fetch-*`…). The sandbox's own log ([`FakeTp::requests`])
/// only has the API requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeRequest {
    /// The method as sent (`GET`, `OPTIONS`…).
    pub method: String,
    /// The `Host` header without the port, lower-case.
    pub host: String,
    /// The TLS SNI name the client sent, if any (none when connecting by IP).
    pub sni: Option<String>,
    /// Path and query.
    pub path: String,
    /// Header names (lower-case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body as (lossy) UTF-8.
    pub body: String,
    /// The status answered; `None` if the connection was dropped or left hanging by a [`Fault`].
    pub status: Option<u16>,
}

impl FakeRequest {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request as one JSON object (the `--log` file of the `fake-tp` binary has one per
    /// line). Repeated headers are joined with `, ` (`; ` for `cookie`).
    pub fn to_json(&self) -> Value {
        let mut headers: BTreeMap<&str, String> = BTreeMap::new();
        for (k, v) in &self.headers {
            headers
                .entry(k.as_str())
                .and_modify(|e| {
                    e.push_str(if k == "cookie" { "; " } else { ", " });
                    e.push_str(v);
                })
                .or_insert_with(|| v.clone());
        }
        json!({
            "method": self.method,
            "host": self.host,
            "sni": self.sni,
            "path": self.path,
            "headers": headers,
            "body": self.body,
            "status": self.status,
        })
    }
}

/// Options for [`FakeTp`]; start with [`FakeTp::builder`].
#[derive(Debug, Default)]
pub struct FakeTpBuilder {
    port: u16,
    sandbox: Option<Arc<Sandbox>>,
    log_path: Option<PathBuf>,
}

impl FakeTpBuilder {
    /// Listen on this port instead of a free one (`0`). Firefox cannot remap ports, so its
    /// e2e needs 443 (browser e2e recipe §8).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Serve this sandbox (e.g. one on a `ManualClock`) instead of a fresh one on the
    /// system clock.
    pub fn sandbox(mut self, sandbox: Arc<Sandbox>) -> Self {
        self.sandbox = Some(sandbox);
        self
    }

    /// Also append every request as one JSON line ([`FakeRequest::to_json`]) to this file.
    pub fn log_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.log_path = Some(path.into());
        self
    }

    /// Generates the certificates, binds `127.0.0.1:<port>` and starts serving on a
    /// background thread with its own tokio runtime (so it works from sync and async tests
    /// alike, and a test blocking on a child process does not stall it).
    pub fn start(self) -> io::Result<FakeTp> {
        let certs = Certs::generate().map_err(io::Error::other)?;
        let tls = server_config(&certs).map_err(io::Error::other)?;
        let sandbox = self
            .sandbox
            .unwrap_or_else(|| Arc::new(Sandbox::new(Arc::new(SystemClock))));
        let log_file = match &self.log_path {
            Some(p) => Some(Mutex::new(
                File::options().create(true).append(true).open(p)?,
            )),
            None => None,
        };
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, self.port))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            sandbox,
            icu: std::sync::OnceLock::new(),
            log: Mutex::new(Vec::new()),
            log_file,
            faults: Mutex::new(Vec::new()),
            drift: Mutex::new(None),
            port,
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fake-tp")
            .enable_all()
            .build()?;
        let (stop_tx, stop_rx) = oneshot::channel();
        let acceptor = TlsAcceptor::from(Arc::new(tls));
        let served = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("fake-tp-accept".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match TcpListener::from_std(listener) {
                        Ok(listener) => serve(listener, acceptor, served, stop_rx).await,
                        Err(e) => tracing::error!("fake-tp: cannot register the listener: {e}"),
                    }
                });
                // Open connections (keep-alive, hung requests) are abandoned here.
                runtime.shutdown_timeout(Duration::from_millis(200));
            })?;
        Ok(FakeTp {
            port,
            ca_pem: certs.ca_pem,
            shared,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

/// The running fake. Stops (and frees its port) when dropped.
pub struct FakeTp {
    port: u16,
    ca_pem: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FakeTp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeTp")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl FakeTp {
    /// Starts a fake on a free port serving a fresh sandbox on the system clock.
    ///
    /// # Panics
    /// If it cannot start (no loopback, out of file descriptors): this is test support, and
    /// a test cannot proceed without it. Use [`FakeTp::builder`] to handle the error.
    #[allow(clippy::expect_used)]
    pub fn start() -> FakeTp {
        Self::builder()
            .start()
            .expect("the HTTPS fake TrainingPeaks could not start")
    }

    /// Options: port, sandbox, log file.
    pub fn builder() -> FakeTpBuilder {
        FakeTpBuilder::default()
    }

    /// The port it listens on (on `127.0.0.1`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `https://127.0.0.1:<port>`: a base URL that needs no name mapping (the certificate has
    /// an IP SAN). Requests to it are API requests whose recorded host is `127.0.0.1`.
    pub fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// `https://<host>:<port>`, for a client that maps `host` to `127.0.0.1` itself.
    pub fn url_for(&self, host: &str) -> String {
        format!("https://{host}:{}", self.port)
    }

    /// Chromium's `--host-resolver-rules` value mapping the three hostnames and [`ICU_HOST`]
    /// to the fake.
    pub fn host_resolver_rules(&self) -> String {
        FAKE_HOSTS
            .iter()
            .chain(std::iter::once(&ICU_HOST))
            .map(|h| format!("MAP {h} 127.0.0.1:{}", self.port))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The test CA certificate (PEM). Trust it to talk to the fake.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// Writes the CA certificate to `<dir>/paceline-test-ca.pem` and returns the path.
    pub fn write_ca_pem(&self, dir: &Path) -> io::Result<PathBuf> {
        let path = dir.join("paceline-test-ca.pem");
        std::fs::write(&path, &self.ca_pem)?;
        Ok(path)
    }

    /// The environment that points `paceline --direct` at this fake with `cookie` as the
    /// session cookie: API bases on the real hostnames, mapped to loopback, and the test CA
    /// (already written to `ca_file`, see [`FakeTp::write_ca_pem`]) trusted; the activity cache
    /// off.
    pub fn direct_env(&self, cookie: &str, ca_file: &Path) -> Vec<(String, String)> {
        let [tp, pw, _] = FAKE_HOSTS;
        vec![
            ("TP_AUTH_COOKIE".into(), cookie.into()),
            ("PACELINE_TP_API_BASE".into(), self.url_for(tp)),
            ("PACELINE_PEAKSWARE_API_BASE".into(), self.url_for(pw)),
            (
                "PACELINE_EXTRA_CA_PEM".into(),
                ca_file.display().to_string(),
            ),
            (
                "PACELINE_RESOLVE".into(),
                format!("{tp}=127.0.0.1,{pw}=127.0.0.1"),
            ),
            // The process inherits the test's HOME: the fake's sample rides must not land in
            // the developer's own activity cache.
            ("PACELINE_NO_CACHE".into(), "1".into()),
        ]
    }

    /// The sandbox it serves.
    pub fn sandbox(&self) -> Arc<Sandbox> {
        Arc::clone(&self.shared.sandbox)
    }

    /// The Intervals.icu emulator served as [`ICU_HOST`] (its request log says how each
    /// request authenticated; [`IcuSandbox::set_session_mode`] makes it refuse the session).
    pub fn icu(&self) -> Arc<IcuSandbox> {
        self.shared.icu()
    }

    /// The API requests the sandbox answered (method, host, path, JSON body, status).
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.sandbox.requests()
    }

    /// Every request the fake received, with headers: API calls, preflights, `/login`…
    pub fn raw_requests(&self) -> Vec<FakeRequest> {
        lock(&self.shared.log).clone()
    }

    /// Forgets both request logs.
    pub fn clear_requests(&self) {
        self.shared.sandbox.clear_requests();
        lock(&self.shared.log).clear();
    }

    /// Makes every later successful JSON answer of the API hosts drift the way a live,
    /// undocumented API does (`paceline_core::sandbox::drift`, the same perturbations as
    /// core's drift test), or stops it with `None`.
    pub fn set_drift(&self, drift: Option<(Drift, u64)>) {
        *lock(&self.shared.drift) = drift;
    }

    /// Makes the next request whose path (with query) contains `path_contains` fail with
    /// `fault`. Faults are used once each, in the order injected.
    pub fn inject(&self, path_contains: &str, fault: Fault) {
        lock(&self.shared.faults).push((path_contains.to_string(), fault));
    }
}

impl Drop for FakeTp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The receiver is gone only if the server already stopped: nothing to do.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panic on the server thread has already been reported by the panic hook.
            let _ = thread.join();
        }
    }
}

struct Shared {
    sandbox: Arc<Sandbox>,
    /// The Intervals.icu emulator, made on first use (seeding it costs time most tests of
    /// TrainingPeaks need not spend).
    icu: std::sync::OnceLock<Arc<IcuSandbox>>,
    log: Mutex<Vec<FakeRequest>>,
    log_file: Option<Mutex<File>>,
    faults: Mutex<Vec<(String, Fault)>>,
    /// Drift applied to successful JSON answers of the API hosts ([`FakeTp::set_drift`]).
    drift: Mutex<Option<(Drift, u64)>>,
    port: u16,
}

impl Shared {
    fn icu(&self) -> Arc<IcuSandbox> {
        Arc::clone(
            self.icu
                .get_or_init(|| Arc::new(IcuSandbox::new(Arc::new(SystemClock)))),
        )
    }

    fn record(&self, entry: FakeRequest) {
        if let Some(file) = &self.log_file {
            let line = format!("{}\n", entry.to_json());
            if let Err(e) = lock(file).write_all(line.as_bytes()) {
                tracing::warn!("fake-tp: cannot write the request log: {e}");
            }
        }
        lock(&self.log).push(entry);
    }

    fn take_fault(&self, path: &str) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        let i = faults.iter().position(|(p, _)| path.contains(p.as_str()))?;
        Some(faults.remove(i).1)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock only means a panic elsewhere mid-push; the data is still usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The generated CA and server certificate.
struct Certs {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    server_der: CertificateDer<'static>,
    server_key: Vec<u8>,
}

impl Certs {
    fn generate() -> Result<Self, rcgen::Error> {
        // Certificate validity is in UTC (X.509), unlike the athlete's "today" (local zone).
        let today = Utc::now().date_naive();
        let ymd = |d: chrono::NaiveDate| {
            // `Datelike::month` is 1..=12 and `day` 1..=31, so the casts cannot truncate.
            rcgen::date_time_ymd(d.year(), d.month() as u8, d.day() as u8)
        };
        // Backdated a little for clock skew; short-lived, like a real leaf certificate.
        let not_before = ymd(today - chrono::Days::new(2));

        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::new(Vec::<String>::new())?;
        ca.distinguished_name
            .push(DnType::CommonName, "Paceline Test CA");
        ca.distinguished_name
            .push(DnType::OrganizationName, "Paceline tests (not a real CA)");
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        ca.not_before = not_before;
        ca.not_after = ymd(today + chrono::Days::new(365));
        let ca_cert = ca.self_signed(&ca_key)?;

        let names: Vec<String> = FAKE_HOSTS
            .iter()
            .chain(LOOPBACK_NAMES.iter())
            .chain(std::iter::once(&ICU_HOST))
            .map(|s| s.to_string())
            .collect();
        let mut server = CertificateParams::new(names)?;
        server
            .distinguished_name
            .push(DnType::CommonName, FAKE_HOSTS[0]);
        server.is_ca = IsCa::ExplicitNoCa;
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server.use_authority_key_identifier_extension = true;
        server.not_before = not_before;
        server.not_after = ymd(today + chrono::Days::new(90));
        let server_key = KeyPair::generate()?;
        let issuer = Issuer::new(ca, ca_key);
        let server_cert = server.signed_by(&server_key, &issuer)?;

        Ok(Self {
            ca_pem: ca_cert.pem(),
            ca_der: ca_cert.der().clone(),
            server_der: server_cert.der().clone(),
            server_key: server_key.serialize_der(),
        })
    }
}

fn server_config(certs: &Certs) -> Result<rustls::ServerConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certs.server_key.clone()));
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![certs.server_der.clone(), certs.ca_der.clone()], key)?;
    // HTTP/1.1 only: enough for reqwest and browsers, and keeps the fake simple.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => {
                    let acceptor = acceptor.clone();
                    let shared = Arc::clone(&shared);
                    tokio::spawn(serve_connection(tcp, acceptor, shared));
                }
                Err(e) => {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tracing::warn!("fake-tp: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
}

async fn serve_connection(tcp: tokio::net::TcpStream, acceptor: TlsAcceptor, shared: Arc<Shared>) {
    let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(e)) => {
            tracing::debug!("fake-tp: TLS handshake failed: {e}");
            return;
        }
        Err(_) => {
            tracing::debug!("fake-tp: TLS handshake timed out");
            return;
        }
    };
    let sni = tls.get_ref().1.server_name().map(str::to_string);
    let service =
        hyper::service::service_fn(move |req| handle(Arc::clone(&shared), sni.clone(), req));
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .serve_connection(TokioIo::new(tls), service);
    if let Err(e) = conn.await {
        tracing::debug!("fake-tp: connection ended: {e}");
    }
}

/// The error a service returns to make hyper drop the connection without answering.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

type Reply = Response<Full<Bytes>>;

async fn handle(
    shared: Arc<Shared>,
    sni: Option<String>,
    req: Request<Incoming>,
) -> Result<Reply, DropConnection> {
    let (parts, body) = req.into_parts();
    let method = parts.method.as_str().to_string();
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let host = parts
        .headers
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| parts.uri.authority().map(|a| a.as_str()))
        .map(strip_port)
        .unwrap_or_default();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut entry = FakeRequest {
        method,
        host,
        sni,
        path,
        headers,
        body: String::new(),
        status: None,
    };

    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            let reply = text(413, &format!("request body rejected: {e}"));
            entry.status = Some(413);
            shared.record(entry);
            return Ok(reply);
        }
    };
    entry.body = String::from_utf8_lossy(&body).into_owned();

    let reply = match shared.take_fault(&entry.path) {
        Some(Fault::Hang) => {
            shared.record(entry);
            // Never answers; hyper drops this future when the client goes away or on shutdown.
            return std::future::pending().await;
        }
        Some(Fault::Close) => {
            shared.record(entry);
            return Err(DropConnection);
        }
        Some(Fault::Status(status)) => json_reply(
            status,
            &json!({"message": format!("injected fault: HTTP {status}")}),
        ),
        Some(Fault::Delay(wait)) => {
            tokio::time::sleep(wait).await;
            route(&shared, &entry, body)
        }
        Some(Fault::RedirectOffHost) => {
            let mut reply = text(302, "moved");
            if let Ok(to) = hyper::header::HeaderValue::from_str(&format!(
                "https://localhost:{}/redirected",
                shared.port
            )) {
                reply.headers_mut().insert(hyper::header::LOCATION, to);
            }
            reply
        }
        None => route(&shared, &entry, body),
    };
    entry.status = Some(reply.status().as_u16());
    shared.record(entry);
    Ok(reply)
}

fn route(shared: &Shared, req: &FakeRequest, body: Bytes) -> Reply {
    let host = req.host.as_str();
    if host == APP_HOST {
        return app_page(shared, req);
    }
    if host == ICU_HOST {
        return icu_route(shared, req, body);
    }
    let is_api_host = FAKE_HOSTS.contains(&host) || LOOPBACK_NAMES.contains(&host);
    if !is_api_host {
        return text(
            421,
            &format!("the fake TrainingPeaks does not serve host {host:?}"),
        );
    }
    let origin = req.header("origin").map(str::to_string);
    let mut reply = if req.method == "OPTIONS" {
        preflight()
    } else {
        match sandbox_method(&req.method) {
            Some(method) => sandbox_reply(shared, req, method, body),
            None => json_reply(
                405,
                &json!({"message": "The requested resource does not support this http method."}),
            ),
        }
    };
    if let Some(origin) = origin {
        add_cors(&mut reply, &origin);
    }
    reply
}

fn sandbox_method(m: &str) -> Option<Method> {
    match m {
        "GET" => Some(Method::Get),
        "POST" => Some(Method::Post),
        "PUT" => Some(Method::Put),
        "DELETE" => Some(Method::Delete),
        _ => None,
    }
}

fn sandbox_reply(shared: &Shared, req: &FakeRequest, method: Method, body: Bytes) -> Reply {
    let mut headers: Vec<(String, String)> = Vec::new();
    for (k, v) in &req.headers {
        // HTTP/2 may split `cookie` into several fields; the sandbox reads one.
        if k == "cookie"
            && let Some((_, existing)) = headers.iter_mut().find(|(n, _)| n == "cookie")
        {
            existing.push_str("; ");
            existing.push_str(v);
            continue;
        }
        headers.push((k.clone(), v.clone()));
    }
    let http_req = HttpRequest {
        method,
        url: format!("https://{}{}", req.host, req.path),
        headers,
        body: if body.is_empty() {
            None
        } else {
            Some(body.to_vec())
        },
    };
    let mut resp = shared.sandbox.handle(&http_req);
    if let Some((kind, seed)) = *lock(&shared.drift)
        && resp.is_success()
        && let Some(body) = drift::perturb_body(&resp.body, kind, seed, &req.path)
    {
        resp.body = body;
    }
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    for (k, v) in &resp.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    builder
        .body(Full::new(Bytes::from(resp.body)))
        .unwrap_or_else(|e| {
            text(
                500,
                &format!("the sandbox produced an invalid response: {e}"),
            )
        })
}

fn preflight() -> Reply {
    let mut reply = Response::new(Full::new(Bytes::new()));
    *reply.status_mut() = StatusCode::NO_CONTENT;
    let h = reply.headers_mut();
    h.insert(
        "access-control-allow-methods",
        hyper::header::HeaderValue::from_static("GET, POST, PUT, DELETE"),
    );
    h.insert(
        "access-control-allow-headers",
        hyper::header::HeaderValue::from_static("authorization, content-type, accept"),
    );
    h.insert(
        "access-control-max-age",
        hyper::header::HeaderValue::from_static("600"),
    );
    reply
}

fn add_cors(reply: &mut Reply, origin: &str) {
    let Ok(origin) = hyper::header::HeaderValue::from_str(origin) else {
        return;
    };
    let h = reply.headers_mut();
    h.insert("access-control-allow-origin", origin);
    h.insert(
        "access-control-allow-credentials",
        hyper::header::HeaderValue::from_static("true"),
    );
    h.append("vary", hyper::header::HeaderValue::from_static("Origin"));
}

fn app_page(shared: &Shared, req: &FakeRequest) -> Reply {
    let path = req.path.split('?').next().unwrap_or("/");
    match (req.method.as_str(), path) {
        ("GET", "/login") => {
            shared.sandbox.set_logged_in(SAMPLE_COOKIE, true);
            let cookie = format!(
                "{AUTH_COOKIE}={SAMPLE_COOKIE}; Domain=.trainingpeaks.com; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=None"
            );
            html(
                200,
                "Logged in",
                "You are logged in to the fake TrainingPeaks as the sample athlete Alex Rivera.",
            )
            .into_with_header("set-cookie", &cookie)
        }
        ("GET", "/logout") => {
            let session = request_cookie(req).unwrap_or_else(|| SAMPLE_COOKIE.to_string());
            shared.sandbox.set_logged_in(&session, false);
            let cookie = format!(
                "{AUTH_COOKIE}=; Domain=.trainingpeaks.com; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=None"
            );
            html(
                200,
                "Logged out",
                "You are logged out of the fake TrainingPeaks.",
            )
            .into_with_header("set-cookie", &cookie)
        }
        ("GET", "/") => html(
            200,
            "Fake TrainingPeaks",
            "This is Paceline's fake TrainingPeaks. <a href=\"/login\">Log in</a> · <a href=\"/logout\">Log out</a>",
        ),
        ("GET", "/hostile") => with_body(
            200,
            "text/html; charset=utf-8",
            HOSTILE_PAGE.as_bytes().to_vec(),
        ),
        _ => text(404, "not found on the fake app.trainingpeaks.com"),
    }
}

/// `app.trainingpeaks.com/hostile`: a page whose own CSS and DOM try every way a page can hide,
/// cover or restyle an element it did not make (global `!important` rules, a full-window cover
/// at the highest z-index, a clipped root, inherited text styles), so the
/// browser suite can check the in-page builder's button survives a TrainingPeaks redesign.
const HOSTILE_PAGE: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>Hostile page</title><style>
* { display: none !important; visibility: hidden !important; opacity: 0 !important;
    pointer-events: none !important; font-size: 1px !important; color: transparent !important; }
html { display: block !important; visibility: visible !important; opacity: 1 !important;
    overflow: hidden !important; }
body { display: block !important; visibility: visible !important; opacity: 1 !important; }
paceline-overlay, paceline-overlay * { display: none !important; all: unset !important; }
button, section, div { z-index: -1 !important; }
</style></head><body>
<div id="cover" style="display:block !important; visibility:visible !important; opacity:1 !important; pointer-events:auto !important; position:fixed !important; inset:0 !important; z-index:2147483647 !important; background:rgba(200,40,40,.35) !important; font-size:24px !important; color:#000 !important">A page element covering the whole window</div>
</body></html>"#;

/// `intervals.icu`: the login/logout pages (the session cookie), else the emulator.
fn icu_route(shared: &Shared, req: &FakeRequest, body: Bytes) -> Reply {
    let path = req.path.split('?').next().unwrap_or("/");
    let cookie = |value: &str, max_age: &str| {
        format!(
            "{ICU_SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; Secure; HttpOnly; SameSite=None"
        )
    };
    match (req.method.as_str(), path) {
        ("GET", "/login") => {
            return html(
                200,
                "Logged in",
                "You are logged in to the fake Intervals.icu.",
            )
            .into_with_header("set-cookie", &cookie(SAMPLE_ICU_SESSION, "2592000"));
        }
        ("GET", "/logout") => {
            return html(
                200,
                "Logged out",
                "You are logged out of the fake Intervals.icu.",
            )
            .into_with_header("set-cookie", &cookie("", "0"));
        }
        ("OPTIONS", _) => {
            let mut reply = preflight();
            if let Some(origin) = req.header("origin") {
                add_cors(&mut reply, origin);
            }
            return reply;
        }
        _ => {}
    }
    let Some(method) = sandbox_method(&req.method) else {
        return json_reply(405, &json!({"status": 405, "error": "Method Not Allowed"}));
    };
    let http_req = HttpRequest {
        method,
        url: format!("https://{}{}", req.host, req.path),
        headers: req.headers.clone(),
        body: (!body.is_empty()).then(|| body.to_vec()),
    };
    let resp = shared.icu().handle(&http_req);
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    for (k, v) in &resp.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let mut reply = builder
        .body(Full::new(Bytes::from(resp.body)))
        .unwrap_or_else(|e| {
            text(
                500,
                &format!("the emulator produced an invalid response: {e}"),
            )
        });
    if let Some(origin) = req.header("origin") {
        add_cors(&mut reply, origin);
    }
    reply
}

/// The `Production_tpAuth` value from the request's `Cookie` headers.
fn request_cookie(req: &FakeRequest) -> Option<String> {
    req.headers
        .iter()
        .filter(|(k, _)| k == "cookie")
        .find_map(|(_, v)| {
            v.split(';').find_map(|c| {
                let (k, v) = c.trim().split_once('=')?;
                (k == AUTH_COOKIE).then(|| v.to_string())
            })
        })
}

trait WithHeader {
    fn into_with_header(self, name: &'static str, value: &str) -> Self;
}

impl WithHeader for Reply {
    fn into_with_header(mut self, name: &'static str, value: &str) -> Self {
        if let Ok(v) = hyper::header::HeaderValue::from_str(value) {
            self.headers_mut().append(name, v);
        }
        self
    }
}

fn html(status: u16, title: &str, body: &str) -> Reply {
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>"
    );
    with_body(status, "text/html; charset=utf-8", page.into_bytes())
}

fn text(status: u16, body: &str) -> Reply {
    with_body(
        status,
        "text/plain; charset=utf-8",
        body.as_bytes().to_vec(),
    )
}

fn json_reply(status: u16, body: &Value) -> Reply {
    with_body(status, "application/json", body.to_string().into_bytes())
}

fn with_body(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
    let mut reply = Response::new(Full::new(Bytes::from(body)));
    *reply.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    reply.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(content_type),
    );
    reply
}

/// `host:port` → `host`, `[::1]:port` → `::1`, lower-cased.
fn strip_port(authority: &str) -> String {
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    host.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_port_cases() {
        for (input, want) in [
            ("tpapi.trainingpeaks.com:4443", "tpapi.trainingpeaks.com"),
            ("TPAPI.trainingpeaks.com", "tpapi.trainingpeaks.com"),
            ("127.0.0.1:1", "127.0.0.1"),
            ("[::1]:443", "::1"),
            ("", ""),
        ] {
            assert_eq!(strip_port(input), want, "{input}");
        }
    }
}
