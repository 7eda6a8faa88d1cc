//! Errors a person can act on, and concurrency on a cold client.

use super::*;

#[test]
fn not_found_names_the_thing() {
    let h = with_data(|_, _| Ok(HttpResponse::new(404, "")));
    let path = "/fitness/v6/athletes/1/workouts/123";
    let err = block_on(h.client.get_json(Api::Tp, path)).unwrap_err();
    assert_eq!(
        err,
        TpError::NotFound {
            what: "workout 123".into(),
            method: Method::Get,
            path: path.into()
        }
    );
    let text = err.to_string();
    assert!(text.starts_with("workout 123 was not found"), "{text}");
    assert!(text.contains("Check that the id"), "{text}");
}

#[test]
fn typed_decode_errors_name_the_field() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct W {
        #[serde(rename = "totalTimePlanned")]
        hours: f64,
    }
    let h = with_data(|_, _| ok(json!([{"totalTimePlanned": 1.0}, {"totalTimePlanned": "1h"}])));
    let err = block_on(h.client.get::<Vec<W>>(Api::Tp, "/x")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("[1].totalTimePlanned"), "{text}");
    assert!(text.contains("/x"), "{text}");

    let h = with_data(|_, _| Ok(HttpResponse::new(200, "<html>login</html>")));
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert!(matches!(err, TpError::Decode { .. }), "{err:?}");
}

#[test]
fn empty_success_bodies_are_null() {
    let h = with_data(|_, _| Ok(HttpResponse::new(204, "")));
    let got = block_on(
        h.client
            .request_json(Method::Put, Api::Tp, "/x", Some(&json!({}))),
    );
    assert_eq!(got.unwrap(), Value::Null);
    let got: Option<u32> = block_on(h.client.request(Method::Delete, Api::Tp, "/x", None)).unwrap();
    assert_eq!(got, None);
}

#[test]
fn messages_say_what_to_do() {
    let cases: Vec<(TpError, &str)> = vec![
        (
            TpError::RateLimited { retry_after: None },
            "Wait about a minute",
        ),
        (
            TpError::Status {
                status: 502,
                method: Method::Get,
                path: "/p".into(),
                body: "".into(),
            },
            "TrainingPeaks had a problem (HTTP 502 from GET /p)",
        ),
        (
            TpError::Status {
                status: 403,
                method: Method::Get,
                path: "/p".into(),
                body: "".into(),
            },
            "refused access",
        ),
        (
            TpError::Status {
                status: 400,
                method: Method::Post,
                path: "/p".into(),
                body: "No workout sent".into(),
            },
            "Response: No workout sent",
        ),
        (
            TpError::Transport(TransportError::Timeout),
            "Check the internet connection",
        ),
    ];
    for (err, want) in cases {
        let text = err.to_string();
        assert!(text.contains(want), "{err:?}: {text}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn client_futures_are_send() {
    // The native MCP server drives these on a multi-threaded runtime.
    fn assert_send<T: Send>(_: &T) {}
    let h = with_data(|_, _| ok(json!(1)));
    let c = &h.client;
    assert_send(&c.send(Method::Get, Api::Tp, "/x", None));
    assert_send(&c.get::<Value>(Api::Tp, "/x"));
    assert_send(&c.athletes());
    assert_send(&c.athlete_id(None));
    assert_send(&c.fetch_windows(d("2026-01-01"), d("2026-02-01"), 90, |_, _| async { Ok(1) }));
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<TpClient>();
}

/// A transport whose responses are not ready on the first poll, so concurrent requests really
/// interleave under `block_on`.
struct Yielding {
    inner: FnTransport<Box<dyn Fn(HttpRequest) -> Reply + Send + Sync>>,
}

impl paceline_core::http::Transport for Yielding {
    fn send<'a>(&'a self, request: HttpRequest) -> paceline_core::http::BoxFuture<'a, Reply> {
        let inner = self.inner.send(request);
        Box::pin(async move {
            let mut yielded = false;
            std::future::poll_fn(|cx| {
                if yielded {
                    std::task::Poll::Ready(())
                } else {
                    yielded = true;
                    cx.waker().wake_by_ref();
                    std::task::Poll::Pending
                }
            })
            .await;
            inner.await
        })
    }
}

#[test]
fn concurrent_windows_on_a_cold_client_share_one_token_exchange_and_one_user_fetch() {
    let start = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .to_utc();
    let clock = Arc::new(ManualClock::new(start));
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let l = log.clone();
    let route: Box<dyn Fn(HttpRequest) -> Reply + Send + Sync> = Box::new(move |req| {
        let path = req.path_and_query().to_string();
        l.lock().unwrap().push(path.clone());
        match path.as_str() {
            TOKEN => token(0),
            USER => ok(athlete_user()),
            _ => ok(json!([path])),
        }
    });
    let client = TpClient::new(
        Arc::new(Yielding {
            inner: FnTransport(route),
        }),
        clock,
    );
    let c = &client;
    let got = block_on(
        c.fetch_windows(d("2025-01-01"), d("2025-12-31"), 90, |a, b| async move {
            let id = c.athlete_id(None).await?;
            c.get::<Vec<String>>(Api::Tp, &format!("/a/{id}/w/{a}/{b}"))
                .await
        }),
    )
    .unwrap();
    assert_eq!(got.len(), 5);
    assert_eq!(got[0], ["/a/1234/w/2025-01-01/2025-03-31"]);
    assert_eq!(got[4], ["/a/1234/w/2025-12-27/2025-12-31"]);
    let log = log.lock().unwrap();
    assert_eq!(log.iter().filter(|p| *p == TOKEN).count(), 1, "{log:?}");
    assert_eq!(log.iter().filter(|p| *p == USER).count(), 1, "{log:?}");
    assert_eq!(log.len(), 7);
}
