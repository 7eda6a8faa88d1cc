//! The HTTPS fake itself: certificates, hosts, login/logout cookie, CORS, robustness, and the
//! standalone `fake-tp` binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

#[allow(dead_code)]
#[path = "support/https.rs"]
mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use paceline_core::sandbox::{SAMPLE_ATHLETE_ID, SAMPLE_COOKIE};
use paceline_e2e::FakeTp;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TP: &str = "tpapi.trainingpeaks.com";
const APP: &str = "app.trainingpeaks.com";
const PW: &str = "api.peakswaresb.com";

fn cookie_header() -> String {
    format!("Production_tpAuth={SAMPLE_COOKIE}")
}

#[tokio::test]
async fn certificate_is_valid_for_every_name() {
    let fake = FakeTp::start();
    let client = support::https_client(&fake);
    // By name (SNI + name check) for each host, and by IP via the 127.0.0.1 SAN.
    let urls = [
        format!("{}/users/v3/token", fake.url_for(TP)),
        format!("{}/users/v3/token", fake.url_for(PW)),
        format!("{}/login", fake.url_for(APP)),
        format!("{}/users/v3/token", fake.base_url()),
    ];
    for url in urls {
        let r = client.get(&url).send().await;
        assert!(r.is_ok(), "{url}: {r:?}");
    }
    let hosts: Vec<_> = fake
        .raw_requests()
        .into_iter()
        .map(|r| (r.host, r.sni))
        .collect();
    assert_eq!(
        hosts,
        [
            (TP.to_string(), Some(TP.to_string())),
            (PW.to_string(), Some(PW.to_string())),
            (APP.to_string(), Some(APP.to_string())),
            ("127.0.0.1".to_string(), None),
        ]
    );
    assert!(fake.ca_pem().starts_with("-----BEGIN CERTIFICATE-----"));
}

#[tokio::test]
async fn login_sets_the_session_cookie_and_logout_clears_it() {
    let fake = FakeTp::start();
    let client = support::https_client(&fake);
    let token_url = format!("{}/users/v3/token", fake.url_for(TP));
    let token_status = || async {
        client
            .get(&token_url)
            .header("cookie", cookie_header())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };

    let login = client
        .get(format!("{}/login", fake.url_for(APP)))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let set_cookie: Vec<_> = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert_eq!(
        set_cookie,
        [
            "Production_tpAuth=sandbox-session; Domain=.trainingpeaks.com; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=None"
        ]
    );
    assert!(
        login.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(login.text().await.unwrap().contains("logged in"));
    assert_eq!(token_status().await, 200);

    let logout = client
        .get(format!("{}/logout", fake.url_for(APP)))
        .header("cookie", cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 200);
    let cleared = logout.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cleared.starts_with("Production_tpAuth=; Domain=.trainingpeaks.com; Path=/; Max-Age=0"),
        "{cleared}"
    );
    assert_eq!(
        token_status().await,
        401,
        "the session is logged out in the sandbox"
    );

    client
        .get(format!("{}/login", fake.url_for(APP)))
        .send()
        .await
        .unwrap();
    assert_eq!(token_status().await, 200, "logging in again revives it");

    // The login pages are only on the app host; API paths are not served there.
    let r = client
        .get(format!("{}/users/v3/token", fake.url_for(APP)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Only API requests reach the sandbox log.
    let paths: Vec<_> = fake.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/users/v3/token"; 3]);
}

#[tokio::test]
async fn cors_preflight_and_credentialed_responses() {
    let fake = FakeTp::start();
    let client = support::https_client(&fake);
    let origin = "chrome-extension://knplfjjjceknpapdloicbhioljoofobn";
    let url = format!("{}/users/v3/user", fake.url_for(TP));

    let pre = client
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", origin)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), 204);
    let h = |name: &str| {
        pre.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(h("access-control-allow-origin").as_deref(), Some(origin));
    assert_eq!(
        h("access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(
        h("access-control-allow-methods").as_deref(),
        Some("GET, POST, PUT, DELETE")
    );
    assert_eq!(
        h("access-control-allow-headers").as_deref(),
        Some("authorization, content-type, accept")
    );
    assert!(
        fake.requests().is_empty(),
        "a preflight never reaches the sandbox"
    );

    let token = client
        .get(format!("{}/users/v3/token", fake.url_for(TP)))
        .header("origin", origin)
        .header("cookie", cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(token.headers()["access-control-allow-origin"], origin);
    assert_eq!(token.headers()["access-control-allow-credentials"], "true");
    let body: Value = serde_json::from_slice(&token.bytes().await.unwrap()).unwrap();
    let bearer = body["token"]["access_token"].as_str().unwrap().to_string();

    // No Origin (an extension with host_permissions sends none): no CORS headers.
    let user = client.get(&url).bearer_auth(&bearer).send().await.unwrap();
    assert_eq!(user.status(), 200);
    assert!(user.headers().get("access-control-allow-origin").is_none());
    let body: Value = serde_json::from_slice(&user.bytes().await.unwrap()).unwrap();
    assert_eq!(body["user"]["userId"], SAMPLE_ATHLETE_ID);
}

#[tokio::test]
async fn peaksware_workout_analysis_is_served_on_its_host() {
    let fake = FakeTp::start();
    let client = support::https_client(&fake);
    let token: Value = client
        .get(format!("{}/users/v3/token", fake.url_for(TP)))
        .header("cookie", cookie_header())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    let bearer = token["token"]["access_token"].as_str().unwrap().to_string();
    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(13);
    let list: Value = client
        .get(format!(
            "{}/fitness/v6/athletes/{SAMPLE_ATHLETE_ID}/workouts/{from}/{today}",
            fake.url_for(TP)
        ))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap();
    let wid = list
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["completed"] == Value::Bool(true) && w["heartRateAverage"].is_number())
        .and_then(|w| w["workoutId"].as_i64())
        .expect("a completed workout with a device file in the last two weeks");
    let post = |kind: &str, id: i64| {
        client
            .post(format!(
                "{}/workout-analysis/v2/analyze/{kind}",
                fake.url_for(PW)
            ))
            .bearer_auth(&bearer)
            .header("content-type", "application/json")
            .body(serde_json::json!({ "workoutId": id }).to_string())
            .send()
    };
    let json = |b: &[u8]| -> Value { serde_json::from_slice(b).unwrap() };
    let summary = json(&post("summary", wid).await.unwrap().bytes().await.unwrap());
    assert!(
        summary["data"]["TotalElapsedTime"]["value"]
            .as_f64()
            .unwrap()
            > 0.0,
        "{summary}"
    );
    let laps = json(&post("laps", wid).await.unwrap().bytes().await.unwrap());
    assert!(!laps["data"].as_array().unwrap().is_empty(), "{laps}");
    // Not analysable: 404 with an empty body, as Peaksware answers.
    let missing = post("charts", 1).await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.bytes().await.unwrap().is_empty());
    let hosts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/workout-analysis/"))
        .map(|r| (r.host, r.status))
        .collect();
    assert_eq!(
        hosts,
        [
            (PW.to_string(), 200),
            (PW.to_string(), 200),
            (PW.to_string(), 404)
        ]
    );
}

#[tokio::test]
async fn bad_requests_do_not_kill_the_server() {
    let fake = FakeTp::start();
    let addr = ("127.0.0.1", fake.port());

    // Plain text on the TLS port, then a client that connects and leaves.
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut buf)).await;
    drop(tokio::net::TcpStream::connect(addr).await.unwrap());

    let client = support::https_client(&fake);
    // Unknown Host header, unsupported method, malformed JSON body, unknown path.
    let r = client
        .get(format!("{}/users/v3/token", fake.base_url()))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 421);
    let r = client
        .request(
            reqwest::Method::PATCH,
            format!("{}/users/v3/user", fake.url_for(TP)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    let r = client
        .post(format!(
            "{}/fitness/v6/athletes/1/workouts",
            fake.url_for(TP)
        ))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());

    // Still serving.
    let r = client
        .get(format!("{}/users/v3/token", fake.url_for(TP)))
        .header("cookie", cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn dropping_the_fake_frees_the_port() {
    // A port below Linux's ephemeral range (32768+): the other tests bind port 0, so the kernel
    // never hands this one to them between the drop and the check (that race made this flaky).
    let port = (20_000u16..30_000)
        .find(|p| std::net::TcpListener::bind(("127.0.0.1", *p)).is_ok())
        .expect("a free port below the ephemeral range");
    let fake = FakeTp::builder()
        .port(port)
        .start()
        .expect("start on a fixed port");
    assert_eq!(fake.port(), port);
    drop(fake);
    let r = tokio::net::TcpStream::connect(("127.0.0.1", port)).await;
    assert!(r.is_err(), "still listening on {port}");
}

#[test]
fn fake_tp_binary_prints_its_address_and_stops_when_stdin_closes() {
    let dir = support::scratch_dir("fake-tp-bin");
    let log = dir.join("requests.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-tp"))
        .args([
            "--ca-dir",
            dir.to_str().unwrap(),
            "--log",
            log.to_str().unwrap(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap();
    let port = info["port"].as_u64().unwrap();
    let ca = std::fs::read_to_string(info["ca_pem_path"].as_str().unwrap()).unwrap();
    assert!(ca.contains("BEGIN CERTIFICATE"));
    assert_eq!(info["base_url"], format!("https://127.0.0.1:{port}"));
    assert!(
        info["host_resolver_rules"]
            .as_str()
            .unwrap()
            .contains(&format!("MAP {TP} 127.0.0.1:{port}"))
    );

    // A real request through it, trusting only the printed CA.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        let mut roots = rustls::RootCertStore::empty();
        for c in rustls::pki_types::pem::PemObject::pem_slice_iter(ca.as_bytes()) {
            roots.add(c.unwrap()).unwrap();
        }
        let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .resolve(APP, std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
            .build()
            .unwrap();
        client
            .get(format!("https://{APP}:{port}/login"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    assert_eq!(status, 200);
    let logged: Value = serde_json::from_str(
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (
            logged["host"].as_str(),
            logged["path"].as_str(),
            logged["status"].as_u64()
        ),
        (Some(APP), Some("/login"), Some(200))
    );

    // Closing stdin stops it.
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"ignored\n").unwrap();
    drop(stdin);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "fake-tp did not exit after stdin closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
}
