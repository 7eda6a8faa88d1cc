//! `--direct` against the HTTPS fake: the host library's native transport
//! (`paceline_host::direct`) driving core's `TpClient` over real TLS, and the `paceline` binary
//! itself.
//!
//! The transport is configured through the same variables a user sets, passed as a map
//! (tests cannot safely mutate the process environment). The fake is reached under the real
//! hostnames: `PACELINE_TP_API_BASE=https://tpapi.trainingpeaks.com:<port>` plus
//! `PACELINE_RESOLVE=tpapi.trainingpeaks.com=127.0.0.1,…`, so SNI, the certificate name check
//! and the `Host` header are the real ones.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

#[allow(dead_code)]
#[path = "support/https.rs"]
mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use paceline_core::http::{HttpRequest, Method, Transport, TransportError};
use paceline_core::sandbox::{SAMPLE_ATHLETE_ID, SAMPLE_COOKIE};
use paceline_core::trainingpeaks::{Api, TpClient, TpError};
use paceline_e2e::{FakeTp, Fault, SystemClock};
use paceline_host::direct::{DirectConfig, DirectTransport};
use serde_json::json;

const TP: &str = "tpapi.trainingpeaks.com";
const PW: &str = "api.peakswaresb.com";

/// The variables a `--direct` user would set to reach `fake` under the real hostnames.
fn env_for(fake: &FakeTp, cookie: &str) -> HashMap<String, String> {
    HashMap::from([
        ("TP_AUTH_COOKIE".to_string(), cookie.to_string()),
        ("PACELINE_TP_API_BASE".to_string(), fake.url_for(TP)),
        ("PACELINE_PEAKSWARE_API_BASE".to_string(), fake.url_for(PW)),
        (
            "PACELINE_EXTRA_CA_PEM".to_string(),
            support::ca_file(fake).display().to_string(),
        ),
        (
            "PACELINE_RESOLVE".to_string(),
            format!("{TP}=127.0.0.1,{PW}=127.0.0.1"),
        ),
    ])
}

fn config(env: &HashMap<String, String>) -> DirectConfig {
    DirectConfig::from_lookup(|k| env.get(k).cloned()).unwrap()
}

fn client_for(config: DirectConfig) -> TpClient {
    let bases = config.bases.clone();
    let transport: Arc<dyn Transport> = Arc::new(DirectTransport::new(config).unwrap());
    TpClient::with_bases(transport, Arc::new(SystemClock), bases)
}

/// (method, host, path, status) of what the sandbox answered.
fn sandbox_log(fake: &FakeTp) -> Vec<(Method, String, String, u16)> {
    fake.requests()
        .into_iter()
        .map(|r| (r.method, r.host, r.path, r.status))
        .collect()
}

fn row(method: Method, host: &str, path: &str, status: u16) -> (Method, String, String, u16) {
    (method, host.to_string(), path.to_string(), status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tp_client_exchanges_the_cookie_then_sends_bearer() {
    let fake = FakeTp::start();
    let client = client_for(config(&env_for(&fake, SAMPLE_COOKIE)));

    let user = client.user().await.unwrap();
    assert_eq!(user.user_id.val(), Some(SAMPLE_ATHLETE_ID));
    assert_eq!(client.athlete_id(None).await.unwrap(), SAMPLE_ATHLETE_ID);
    // Peaksware: same Bearer, no cookie (the browser would not send a .trainingpeaks.com
    // cookie there either). The status depends on which sandbox routes exist, so only the
    // request is checked.
    client
        .send(Method::Get, Api::Peaksware, "/weather/v1/settings", None)
        .await
        .unwrap();

    let log = sandbox_log(&fake);
    assert_eq!(
        log[..2],
        [
            row(Method::Get, TP, "/users/v3/token", 200),
            row(Method::Get, TP, "/users/v3/user", 200)
        ]
    );
    assert_eq!(
        (log[2].0, log[2].1.as_str(), log[2].2.as_str()),
        (Method::Get, PW, "/weather/v1/settings")
    );
    assert_eq!(
        log.len(),
        3,
        "user() is cached, so exactly one /user call: {log:?}"
    );

    let raw = fake.raw_requests();
    let token = &raw[0];
    assert_eq!(token.path, "/users/v3/token");
    assert_eq!(
        token.header("cookie"),
        Some("Production_tpAuth=sandbox-session")
    );
    assert_eq!(
        token.header("authorization"),
        None,
        "the token exchange carries no Bearer"
    );
    assert_eq!(token.sni.as_deref(), Some(TP), "SNI is the real hostname");
    assert!(
        token.header("host").is_some_and(|h| h.starts_with(TP)),
        "{:?}",
        token.header("host")
    );

    let bearer = raw[1]
        .header("authorization")
        .unwrap_or_default()
        .to_string();
    assert!(bearer.starts_with("Bearer sbx-"), "{bearer}");
    assert_eq!(raw[1].header("accept"), Some("application/json"));
    assert_eq!(raw[2].host, PW);
    assert_eq!(raw[2].sni.as_deref(), Some(PW));
    assert_eq!(raw[2].header("authorization"), Some(bearer.as_str()));
    assert_eq!(
        raw[2].header("cookie"),
        None,
        "the session cookie never goes to api.peakswaresb.com"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ip_base_url_works_without_resolve() {
    // The other documented way in: the certificate's 127.0.0.1 SAN, no name mapping.
    let fake = FakeTp::start();
    let mut env = env_for(&fake, &format!("Production_tpAuth={SAMPLE_COOKIE}"));
    env.remove("PACELINE_RESOLVE");
    env.insert("PACELINE_TP_API_BASE".into(), fake.base_url());
    env.insert("PACELINE_PEAKSWARE_API_BASE".into(), fake.base_url());
    let client = client_for(config(&env));
    assert_eq!(client.athlete_id(None).await.unwrap(), SAMPLE_ATHLETE_ID);
    assert_eq!(
        sandbox_log(&fake),
        [
            row(Method::Get, "127.0.0.1", "/users/v3/token", 200),
            row(Method::Get, "127.0.0.1", "/users/v3/user", 200)
        ]
    );
    assert_eq!(
        fake.raw_requests()[0].sni,
        None,
        "no SNI when connecting by IP"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_or_logged_out_cookie_is_not_logged_in() {
    let fake = FakeTp::start();
    let cases = [
        ("wrong cookie", "not-a-session"),
        ("logged out", SAMPLE_COOKIE),
    ];
    for (name, cookie) in cases {
        if name == "logged out" {
            fake.sandbox().set_logged_in(SAMPLE_COOKIE, false);
        }
        fake.clear_requests();
        let client = client_for(config(&env_for(&fake, cookie)));
        let err = client.user().await.unwrap_err();
        assert_eq!(err, TpError::NotLoggedIn, "{name}");
        assert!(
            err.to_string()
                .contains("Log in at https://app.trainingpeaks.com"),
            "{name}: {err}"
        );
        assert_eq!(
            sandbox_log(&fake),
            [row(Method::Get, TP, "/users/v3/token", 401)],
            "{name}: no data call"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_token_is_refreshed_transparently() {
    let fake = FakeTp::start();
    let client = client_for(config(&env_for(&fake, SAMPLE_COOKIE)));
    client.get_json(Api::Tp, "/users/v3/user").await.unwrap();
    fake.sandbox().expire_tokens();
    let again = client.get_json(Api::Tp, "/users/v3/user").await.unwrap();
    assert_eq!(again["user"]["userId"], json!(SAMPLE_ATHLETE_ID));
    assert_eq!(
        sandbox_log(&fake),
        [
            row(Method::Get, TP, "/users/v3/token", 200),
            row(Method::Get, TP, "/users/v3/user", 200),
            row(Method::Get, TP, "/users/v3/user", 401),
            row(Method::Get, TP, "/users/v3/token", 200),
            row(Method::Get, TP, "/users/v3/user", 200),
        ]
    );
    let raw = fake.raw_requests();
    assert_ne!(
        raw[1].header("authorization"),
        raw[4].header("authorization"),
        "a new token was used"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_requests_while_one_hangs() {
    let fake = FakeTp::start();
    let client = Arc::new(client_for(config(&env_for(&fake, SAMPLE_COOKIE))));
    client.access_token().await.unwrap();

    // One request that never gets an answer must not block the others.
    fake.inject("hang-forever", Fault::Hang);
    let hung = {
        let client = Arc::clone(&client);
        tokio::spawn(async move {
            client
                .get_json(Api::Tp, "/users/v3/user?hang-forever")
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;

    let calls = (0..50).map(|_| client.get_json(Api::Tp, "/users/v3/user"));
    let results = tokio::time::timeout(
        Duration::from_secs(30),
        futures_util::future::join_all(calls),
    )
    .await
    .expect("50 concurrent requests did not finish in 30 s");
    let ok = results
        .iter()
        .filter(|r| {
            r.as_ref()
                .is_ok_and(|v| v["user"]["userId"] == json!(SAMPLE_ATHLETE_ID))
        })
        .count();
    assert_eq!(ok, 50, "{:?}", results.iter().find(|r| r.is_err()));
    let served = fake
        .requests()
        .iter()
        .filter(|r| r.path == "/users/v3/user" && r.status == 200)
        .count();
    assert_eq!(served, 50);
    assert!(!hung.is_finished(), "the hung request is still waiting");
    hung.abort();
}

/// A transport with a short timeout and the fake's CA, for the error-mapping cases.
fn transport(fake: &FakeTp, timeout: Duration) -> DirectTransport {
    let mut cfg = config(&env_for(fake, SAMPLE_COOKIE));
    cfg.timeout = timeout;
    DirectTransport::new(cfg).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transport_errors_say_whether_the_request_was_sent() {
    let fake = FakeTp::start();
    let t = transport(&fake, Duration::from_millis(800));
    let url = |path: &str| format!("{}{path}", fake.url_for(TP));
    let post = |path: &str| HttpRequest::new(Method::Post, url(path)).json_body(&json!({"x": 1}));

    // Connection refused: nothing was sent → Connect (retryable).
    let refused_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let r = t
        .send(HttpRequest::new(
            Method::Get,
            format!("https://127.0.0.1:{refused_port}/x"),
        ))
        .await;
    assert!(
        matches!(r, Err(TransportError::Connect(_))),
        "refused: {r:?}"
    );

    // Plain http is refused before the network.
    let r = t
        .send(HttpRequest::new(
            Method::Get,
            format!("http://127.0.0.1:{}/x", fake.port()),
        ))
        .await;
    assert!(
        matches!(&r, Err(TransportError::Connect(m)) if m.contains("https")),
        "http: {r:?}"
    );

    // Server read the POST and never answered → Timeout, not retried.
    fake.inject("/hang", Fault::Hang);
    let r = t.send(post("/hang")).await;
    assert_eq!(r, Err(TransportError::Timeout), "hang");

    // Server read the POST and dropped the connection → Io (may have been applied), not retried.
    fake.inject("/close", Fault::Close);
    let r = t.send(post("/close")).await;
    assert!(matches!(r, Err(TransportError::Io(_))), "close: {r:?}");

    let seen = |p: &str| fake.raw_requests().iter().filter(|r| r.path == p).count();
    assert_eq!(
        (seen("/hang"), seen("/close")),
        (1, 1),
        "each write reached the server exactly once"
    );
    assert_eq!(
        fake.raw_requests()
            .iter()
            .find(|r| r.path == "/close")
            .map(|r| r.body.as_str()),
        Some(r#"{"x":1}"#)
    );

    // Untrusted certificate: fails during the handshake → Connect, with a hint.
    let mut cfg = config(&env_for(&fake, SAMPLE_COOKIE));
    cfg.extra_roots.clear();
    let untrusting = DirectTransport::new(cfg).unwrap();
    let r = untrusting
        .send(HttpRequest::new(Method::Get, url("/users/v3/token")))
        .await;
    assert!(
        matches!(&r, Err(TransportError::Connect(m)) if m.contains("PACELINE_EXTRA_CA_PEM")),
        "untrusted: {r:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_that_dies_after_sending_is_not_retried_by_the_client() {
    let fake = FakeTp::start();
    let client = client_for(config(&env_for(&fake, SAMPLE_COOKIE)));
    client.access_token().await.unwrap();
    let path = format!("/fitness/v6/athletes/{SAMPLE_ATHLETE_ID}/workouts");
    fake.inject(&path, Fault::Close);
    let r = client
        .request_json(Method::Post, Api::Tp, &path, Some(&json!({"title": "x"})))
        .await;
    assert!(
        matches!(&r, Err(TpError::WriteOutcomeUnknown { method: Method::Post, reason, .. })
            if reason.contains("may have been sent")),
        "{r:?}"
    );
    assert_eq!(
        fake.raw_requests()
            .iter()
            .filter(|r| r.path == path)
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_that_dies_is_retried_and_succeeds() {
    // The same dropped connection on a GET is `Io`, which core retries (after 0.5 s).
    let fake = FakeTp::start();
    let client = client_for(config(&env_for(&fake, SAMPLE_COOKIE)));
    client.access_token().await.unwrap();
    fake.inject("/users/v3/user", Fault::Close);
    let v = client.get_json(Api::Tp, "/users/v3/user").await.unwrap();
    assert_eq!(v["user"]["userId"], json!(SAMPLE_ATHLETE_ID));
    let statuses: Vec<_> = fake
        .raw_requests()
        .iter()
        .filter(|r| r.path == "/users/v3/user")
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [None, Some(200)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn response_headers_and_status_pass_through() {
    let fake = FakeTp::start();
    let t = transport(&fake, Duration::from_secs(10));
    fake.inject("/teapot", Fault::Status(418));
    let r = t
        .send(HttpRequest::new(
            Method::Delete,
            format!("{}/teapot", fake.url_for(TP)),
        ))
        .await
        .unwrap();
    assert_eq!(r.status, 418);
    assert_eq!(r.header_value("content-type"), Some("application/json"));
    assert!(r.text().contains("418"), "{}", r.text());
    assert_eq!(fake.raw_requests()[0].method, "DELETE");
}

/// The `paceline` binary beside this test binary (built first if missing; see
/// [`paceline_e2e::browser::paceline_binary`]).
fn paceline_binary() -> std::path::PathBuf {
    paceline_e2e::browser::paceline_binary().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn paceline_call_direct_against_the_fake() {
    let fake = FakeTp::start();
    let bin = paceline_binary();
    let run = |cookie: &str| {
        let out = std::process::Command::new(&bin)
            .args(["call", "get_athlete_profile", "--args", "{}", "--direct"])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env_for(&fake, cookie))
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    let (ok, stdout, stderr) = run(SAMPLE_COOKIE);
    assert!(ok, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("Alex"), "{stdout}");
    let log = sandbox_log(&fake);
    assert_eq!(
        log.first(),
        Some(&row(Method::Get, TP, "/users/v3/token", 200)),
        "{log:?}"
    );
    assert!(log.iter().any(|r| r.2 == "/users/v3/user"), "{log:?}");
    assert_eq!(
        fake.raw_requests()[0].header("cookie"),
        Some("Production_tpAuth=sandbox-session")
    );

    let (ok, stdout, stderr) = run("expired-cookie");
    assert!(!ok, "a rejected cookie must fail: {stdout}");
    let all = format!("{stdout}{stderr}");
    assert!(all.to_lowercase().contains("not logged in"), "{all}");

    let out = std::process::Command::new(&bin)
        .args(["call", "get_athlete_profile", "--args", "{}", "--direct"])
        .env_clear()
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("TP_AUTH_COOKIE"),
        "missing cookie names the variable"
    );
}

/// `paceline mcp --direct` against the fake: a change is refused unless confirmed or allowed,
/// and a refused one sends nothing that changes anything (the switches of
/// `native-host/src/safety.rs`, through the real binary and real HTTPS).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_direct_changes_need_confirmation_or_allow_writes() {
    use paceline_e2e::mcp_client::McpClient;
    let fake = FakeTp::start();
    let bin = paceline_binary();
    // The servers' stderr, for a failure's post-mortem.
    let log =
        std::env::temp_dir().join(format!("paceline-direct-safety-{}.log", std::process::id()));
    let start = |flags: &'static [&'static str]| {
        let env: Vec<(String, String)> = env_for(&fake, SAMPLE_COOKIE).into_iter().collect();
        let (bin, log) = (bin.clone(), log.clone());
        async move {
            McpClient::start(&bin, flags, env, &log)
                .await
                .expect("paceline mcp --direct")
        }
    };
    let changes = |fake: &FakeTp| {
        sandbox_log(fake)
            .into_iter()
            .filter(|r| r.0 != Method::Get && r.2 != "/users/v3/token")
            .collect::<Vec<_>>()
    };
    let note = json!({"date": "2026-11-23", "title": "From the model"});

    for (flags, says) in [
        (&["--direct"][..], "--allow-writes"),
        (&["--direct", "--read-only"][..], "--read-only"),
    ] {
        let mcp = start(flags).await;
        let out = mcp
            .call("create_note", note.clone())
            .await
            .expect("a result");
        assert!(out.is_error, "{flags:?}: {}", out.text);
        assert!(out.text.contains(says), "{flags:?}: {}", out.text);
        // Reads still work.
        let profile = mcp
            .call("get_athlete_profile", json!({}))
            .await
            .expect("a result");
        assert!(!profile.is_error, "{flags:?}: {}", profile.text);
        mcp.stop().await;
        assert!(changes(&fake).is_empty(), "{flags:?}: {:?}", changes(&fake));
    }

    let mcp = start(&["--direct", "--allow-writes"]).await;
    let out = mcp.call("create_note", note).await.expect("a result");
    assert!(!out.is_error, "{}", out.text);
    mcp.stop().await;
    assert!(
        changes(&fake).iter().any(|r| r.0 == Method::Post),
        "{:?}",
        changes(&fake)
    );
}

/// A plain-HTTP Intervals.icu on 127.0.0.1 (which `IcuConfig` accepts for loopback): every
/// request goes to [`IcuSandbox::handle`], and its raw `Authorization` header is kept.
struct LoopbackIcu {
    base: String,
    sandbox: Arc<paceline_core::sandbox::intervals::IcuSandbox>,
    authorizations: Arc<std::sync::Mutex<Vec<Option<String>>>>,
    _runtime: tokio::runtime::Runtime,
}

impl LoopbackIcu {
    fn start() -> Self {
        use http_body_util::{BodyExt, Full};
        use hyper::body::Bytes;
        use paceline_core::sandbox::intervals::IcuSandbox;

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = Arc::new(IcuSandbox::new(Arc::new(SystemClock)));
        let authorizations = Arc::new(std::sync::Mutex::new(Vec::new()));
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (sb, auths, origin) = (sandbox.clone(), authorizations.clone(), base.clone());
        runtime.spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (sb, auths, origin) = (sb.clone(), auths.clone(), origin.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        move |req: hyper::Request<hyper::body::Incoming>| {
                            let (sb, auths, origin) = (sb.clone(), auths.clone(), origin.clone());
                            async move {
                                let method = match req.method().as_str() {
                                    "POST" => Method::Post,
                                    "PUT" => Method::Put,
                                    "DELETE" => Method::Delete,
                                    _ => Method::Get,
                                };
                                let url = format!("{origin}{}", req.uri());
                                let mut core = HttpRequest::new(method, url);
                                for (k, v) in req.headers() {
                                    core = core.header(k.as_str(), v.to_str().unwrap_or(""));
                                }
                                auths
                                    .lock()
                                    .unwrap()
                                    .push(core.header_value("authorization").map(str::to_string));
                                let body = req.into_body().collect().await?.to_bytes();
                                if !body.is_empty() {
                                    core.body = Some(body.to_vec());
                                }
                                let resp = sb.handle(&core);
                                let mut reply = hyper::Response::builder().status(resp.status);
                                for (k, v) in &resp.headers {
                                    reply = reply.header(k.as_str(), v.as_str());
                                }
                                Ok::<_, hyper::Error>(
                                    reply.body(Full::new(Bytes::from(resp.body))).unwrap(),
                                )
                            }
                        },
                    );
                    let io = hyper_util::rt::TokioIo::new(tcp);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        Self {
            base,
            sandbox,
            authorizations,
            _runtime: runtime,
        }
    }
}

/// `paceline call --direct --platform intervals` with the seed server's variables, against a
/// loopback Intervals.icu: the key goes out as Basic `API_KEY:<key>`, the configured athlete
/// is the one asked for, and the key appears nowhere in what the process prints, even with
/// every log on.
#[test]
fn paceline_call_direct_intervals_sends_basic_auth_and_never_prints_the_key() {
    use paceline_core::sandbox::intervals::{AuthMethod, SAMPLE_API_KEY, SAMPLE_ICU_ATHLETE_ID};
    let icu = LoopbackIcu::start();
    let bin = paceline_binary();
    let run = |tool: &str, args: &str, key: &str, base: &str| {
        let out = std::process::Command::new(&bin)
            .args([
                "call",
                tool,
                "--args",
                args,
                "--direct",
                "--platform",
                "intervals",
            ])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("API_KEY", key)
            .env("ATHLETE_ID", SAMPLE_ICU_ATHLETE_ID.trim_start_matches('i'))
            .env("INTERVALS_API_BASE_URL", base)
            // Everything the process can log, so a leak in any layer would show.
            .env("PACELINE_LOG", "trace")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let base = format!("{}/api/v1", icu.base);

    // No TP_AUTH_COOKIE: with --platform intervals TrainingPeaks is not needed.
    let (ok, stdout, stderr) = run("get_events", "{}", SAMPLE_API_KEY, &base);
    assert!(ok, "stdout: {stdout}\nstderr: {stderr}");
    assert!(!stdout.trim().is_empty());
    let (ok, stdout2, stderr2) = run("get_activities", r#"{"limit": 3}"#, SAMPLE_API_KEY, &base);
    assert!(ok, "stdout: {stdout2}\nstderr: {stderr2}");
    for text in [&stdout, &stderr, &stdout2, &stderr2] {
        assert!(
            !text.contains(SAMPLE_API_KEY),
            "the key was printed: {text}"
        );
    }
    let basic = "Basic QVBJX0tFWTpzYW5kYm94LWljdS1rZXktNWQxYzlh"; // base64("API_KEY:sandbox-icu-key-5d1c9a")
    assert!(
        !stderr.contains(basic) && !stderr2.contains(basic),
        "the header was logged"
    );
    let auths = icu.authorizations.lock().unwrap().clone();
    assert!(auths.len() >= 2, "{auths:?}");
    assert!(
        auths.iter().all(|a| a.as_deref() == Some(basic)),
        "{auths:?}"
    );
    let log = icu.sandbox.requests();
    assert!(log.iter().all(|r| r.auth == AuthMethod::ApiKey), "{log:?}");
    assert!(
        log.iter().any(|r| r
            .path
            .starts_with(&format!("/api/v1/athlete/{SAMPLE_ICU_ATHLETE_ID}/events"))),
        "{log:?}"
    );

    // A wrong key: the server's 401 is reported as such, still without the key.
    let wrong = "wrong-key-0000";
    let (ok, stdout, stderr) = run("get_events", "{}", wrong, &base);
    assert!(!ok, "{stdout}");
    assert!(
        !stdout.contains(wrong) && !stderr.contains(wrong),
        "{stderr}"
    );

    // Plain http to a host that is not loopback is refused before anything is sent.
    let (ok, _, stderr) = run("get_events", "{}", SAMPLE_API_KEY, "http://intervals.icu");
    assert!(!ok);
    assert!(stderr.contains("INTERVALS_API_BASE_URL"), "{stderr}");
    assert!(!stderr.contains(SAMPLE_API_KEY), "{stderr}");

    // Without a key, the call names the variables to set.
    let out = std::process::Command::new(&bin)
        .args(["call", "get_events", "--direct", "--platform", "intervals"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PACELINE_LOG", "off")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    for var in ["API_KEY", "ATHLETE_ID", "INTERVALS_API_BASE_URL"] {
        assert!(stderr.contains(var), "{var}: {stderr}");
    }
}

/// `paceline call --direct` keeps completed activities in `$XDG_CACHE_HOME/paceline/activities`
/// (0700, entries 0600): a second power curve over the same workouts, in a new process,
/// downloads no device file; with `--no-cache` every run downloads again and nothing is
/// written.
#[test]
fn paceline_call_direct_caches_device_files_on_disk_unless_told_not_to() {
    let fake = FakeTp::start();
    let bin = paceline_binary();
    let root = std::env::temp_dir().join(format!("paceline-direct-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let end = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    let start = end - chrono::Duration::days(40);
    let args =
        json!({"start_date": start.to_string(), "end_date": end.to_string(), "max_workouts": 3})
            .to_string();
    let run = |extra: &[&str]| {
        fake.clear_requests();
        let out = std::process::Command::new(&bin)
            .args([
                "call",
                "get_power_curve",
                "--args",
                &args,
                "--direct",
                "--json",
            ])
            .args(extra)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", root.join("home"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .envs(env_for(&fake, SAMPLE_COOKIE))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let files = sandbox_log(&fake)
            .iter()
            .filter(|r| r.2.contains("/rawfiledata/"))
            .count();
        (files, String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let dir = root.join("cache/paceline/activities");

    let (files, no_cache_out) = run(&["--no-cache"]);
    assert_eq!(files, 3, "three workouts, three files");
    assert_eq!(run(&["--no-cache"]).0, 3, "--no-cache downloads every time");
    assert!(!root.join("cache").exists(), "--no-cache writes nothing");

    let (files, first) = run(&[]);
    assert_eq!(files, 3);
    let entries: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(entries.len(), 3, "one entry per workout");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        for e in &entries {
            assert_eq!(mode(&e.path()), 0o600, "{:?}", e.file_name());
        }
    }
    let (files, second) = run(&[]);
    assert_eq!(files, 0, "the second run reads the cache");
    assert_eq!(first, second, "the same curve from the cache");
    assert_eq!(first, no_cache_out, "and the same as without a cache");
    let _ = std::fs::remove_dir_all(&root);
}

/// `paceline call get_activity_analysis --direct --platform intervals` on a run: the
/// production path (activity, streams, intervals, athlete with sport settings) over HTTP
/// against the emulator scores it by rTSS from its threshold pace, and asks for the athlete.
#[test]
fn paceline_call_direct_intervals_scores_a_run_without_power_by_rtss() {
    use paceline_core::sandbox::intervals::{SAMPLE_API_KEY, SAMPLE_ICU_ATHLETE_ID};
    let icu = LoopbackIcu::start();
    let run_id = icu
        .sandbox
        .with_state(|st| {
            st.activities
                .values()
                .filter(|r| r.json["type"] == serde_json::json!("Run"))
                .find_map(|r| r.json["id"].as_str().map(str::to_string))
        })
        .expect("the emulator has a run");
    let out = std::process::Command::new(paceline_binary())
        .args([
            "call",
            "get_activity_analysis",
            "--args",
            &format!(r#"{{"activity_id": "{run_id}"}}"#),
            "--json",
            "--direct",
            "--no-cache",
            "--platform",
            "intervals",
        ])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("API_KEY", SAMPLE_API_KEY)
        .env("ATHLETE_ID", SAMPLE_ICU_ATHLETE_ID.trim_start_matches('i'))
        .env("INTERVALS_API_BASE_URL", format!("{}/api/v1", icu.base))
        .env("PACELINE_LOG", "off")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    let load = &v["metrics"]["load"];
    assert_eq!(load["metric"], serde_json::json!("rTSS"), "{v}");
    assert!(load["score"].as_f64().is_some_and(|s| s > 0.0), "{load}");
    assert!(
        v["thresholds"]["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s
                .as_str()
                .is_some_and(|s| s.starts_with("threshold speed 3.922 m/s"))),
        "{v}"
    );
    assert!(
        icu.sandbox
            .requests()
            .iter()
            .any(|r| r.path == format!("/api/v1/athlete/{SAMPLE_ICU_ATHLETE_ID}")),
        "{:?}",
        icu.sandbox.requests()
    );
}
