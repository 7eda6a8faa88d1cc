//! Read retries, and writes that are never retried once they may have reached the server.

use super::*;

#[test]
fn a_get_is_retried_after_a_503_with_backoff() {
    let h = with_data(|_, n| {
        if n == 0 {
            status(503)
        } else {
            ok(json!({"n": n}))
        }
    });
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!({"n": 1})
    );
    assert_eq!(h.count(Method::Get, "/x"), 2);
    assert_eq!(h.elapsed(), secs(0.5), "first back-off is 0.5 s");
}

#[test]
fn a_get_honours_retry_after() {
    let h = with_data(|_, n| match n {
        0 => Ok(HttpResponse::new(503, "").with_header("Retry-After", "3")),
        1 => status(502),
        _ => ok(json!("done")),
    });
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!("done")
    );
    let t = h.data_times();
    assert_eq!(t.len(), 3);
    assert_eq!(
        (t[1] - t[0]).to_std().unwrap(),
        secs(3.0),
        "Retry-After: 3 beats 0.5 s"
    );
    assert_eq!(
        (t[2] - t[1]).to_std().unwrap(),
        secs(1.0),
        "then the 1 s back-off"
    );
    assert_eq!(h.elapsed(), secs(4.0));
}

#[test]
fn a_short_retry_after_does_not_shorten_the_backoff() {
    let h = with_data(|_, n| match n {
        0 => Ok(HttpResponse::new(429, "").with_header("Retry-After", "0")),
        _ => ok(json!(1)),
    });
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    assert_eq!(h.elapsed(), secs(0.5));
}

#[test]
fn four_429s_are_rate_limited_after_three_retries() {
    let h = with_data(|_, _| Ok(HttpResponse::new(429, "").with_header("Retry-After", "2")));
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert_eq!(
        err,
        TpError::RateLimited {
            retry_after: Some(2)
        }
    );
    assert!(err.to_string().contains("Wait 2 seconds"), "{err}");
    assert_eq!(h.count(Method::Get, "/x"), 4, "1 try + 3 retries");
    assert_eq!(
        h.elapsed(),
        secs(2.0 + 2.0 + 2.0),
        "max(Retry-After, 0.5/1/2 s)"
    );
}

#[test]
fn a_retry_after_beyond_the_cap_fails_fast_with_the_servers_figure() {
    let h = with_data(|_, _| Ok(HttpResponse::new(429, "").with_header("Retry-After", "120")));
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert_eq!(
        err,
        TpError::RateLimited {
            retry_after: Some(120)
        }
    );
    assert!(err.to_string().contains("Wait 120 seconds"), "{err}");
    assert_eq!(h.count(Method::Get, "/x"), 1);
    assert_eq!(h.elapsed(), Duration::ZERO);
}

#[test]
fn retries_stop_at_the_total_wait_budget() {
    // 60 s + 60 s would exceed the 60 s budget: one retry only.
    let h = with_data(|_, _| Ok(HttpResponse::new(503, "").with_header("Retry-After", "60")));
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert!(
        matches!(err, TpError::Status { status: 503, .. }),
        "{err:?}"
    );
    assert_eq!(h.count(Method::Get, "/x"), 2);
    assert_eq!(h.elapsed(), secs(60.0));
}

#[test]
fn persistent_5xx_on_a_get_says_trainingpeaks_had_a_problem() {
    let h = with_data(|_, _| status(500));
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert_eq!(
        err,
        TpError::Status {
            status: 500,
            method: Method::Get,
            path: "/x".into(),
            body: "oops".into()
        }
    );
    assert!(
        err.to_string().contains("TrainingPeaks had a problem"),
        "{err}"
    );
    assert_eq!(h.count(Method::Get, "/x"), 4);
    assert_eq!(h.elapsed(), secs(3.5), "0.5 + 1 + 2 s");
}

#[test]
fn permanent_statuses_are_not_retried() {
    for code in [400, 403, 404, 409, 501] {
        let h = with_data(move |_, _| status(code));
        assert!(block_on(h.client.get_json(Api::Tp, "/x")).is_err());
        assert_eq!(h.count(Method::Get, "/x"), 1, "{code}");
        assert_eq!(h.elapsed(), Duration::ZERO, "{code}");
    }
}

#[test]
fn transport_errors_on_a_get_are_retried() {
    let errors = [
        TransportError::Connect("refused".into()),
        TransportError::Timeout,
        TransportError::Io("reset".into()),
    ];
    for e in errors {
        let first = e.clone();
        let h = with_data(move |_, n| {
            if n == 0 {
                Err(first.clone())
            } else {
                ok(json!(1))
            }
        });
        assert_eq!(
            block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
            json!(1),
            "{e}"
        );
        assert_eq!(h.count(Method::Get, "/x"), 2, "{e}");
        assert_eq!(h.elapsed(), secs(0.5), "{e}");

        let always = e.clone();
        let h = with_data(move |_, _| Err(always.clone()));
        let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
        assert_eq!(err, TpError::Transport(e.clone()));
        assert!(err.to_string().contains("could not be reached"), "{err}");
        assert_eq!(h.count(Method::Get, "/x"), 4, "{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// Writes are never retried once they may have reached the server

#[test]
fn a_failed_write_is_never_retried() {
    let failures: Vec<(&str, Reply)> = vec![
        ("503", status(503)),
        ("500", status(500)),
        (
            "503 with Retry-After",
            Ok(HttpResponse::new(503, "").with_header("Retry-After", "1")),
        ),
        ("timeout", Err(TransportError::Timeout)),
        ("io", Err(TransportError::Io("connection reset".into()))),
    ];
    for method in [Method::Post, Method::Put, Method::Delete] {
        for (name, reply) in &failures {
            let reply = reply.clone();
            let h = with_data(move |_, _| reply.clone());
            let body = json!({"title": "Intervals"});
            let err =
                block_on(h.client.request_json(method, Api::Tp, "/x", Some(&body))).unwrap_err();
            let TpError::WriteOutcomeUnknown {
                method: m,
                path,
                reason,
            } = &err
            else {
                panic!("{method} {name}: {err:?}")
            };
            assert_eq!((*m, path.as_str()), (method, "/x"), "{method} {name}");
            assert!(!reason.is_empty());
            let text = err.to_string();
            assert!(text.contains("may or may not have been applied"), "{text}");
            assert!(text.contains("before retrying"), "{text}");
            assert_eq!(
                h.count(method, "/x"),
                1,
                "{method} {name}: exactly one request"
            );
            assert_eq!(h.elapsed(), Duration::ZERO, "{method} {name}: no back-off");
        }
    }
}

#[test]
fn send_itself_refuses_to_hand_back_a_5xx_write() {
    // Endpoint code that inspects `send`'s response cannot mistake a 5xx write for a clean
    // failure.
    let h = with_data(|_, _| status(502));
    let err = block_on(h.client.send(Method::Put, Api::Tp, "/x", None)).unwrap_err();
    assert!(
        matches!(err, TpError::WriteOutcomeUnknown { .. }),
        "{err:?}"
    );
    // A 4xx write is handed back for the caller to interpret.
    let h = with_data(|_, _| status(404));
    let resp = block_on(h.client.send(Method::Delete, Api::Tp, "/x", None)).unwrap();
    assert_eq!(resp.status, 404);
}

#[test]
fn a_write_whose_connection_failed_before_sending_is_retried_once() {
    let h = with_data(|_, n| {
        if n == 0 {
            Err(TransportError::Connect("refused".into()))
        } else {
            ok(json!({"id": 1}))
        }
    });
    let got = block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&json!({}))),
    );
    assert_eq!(got.unwrap(), json!({"id": 1}));
    assert_eq!(h.count(Method::Post, "/x"), 2);
    assert_eq!(h.elapsed(), secs(0.5));

    let h = with_data(|_, _| Err(TransportError::Connect("refused".into())));
    let err = block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&json!({}))),
    )
    .unwrap_err();
    assert_eq!(
        err,
        TpError::Transport(TransportError::Connect("refused".into()))
    );
    assert_eq!(h.count(Method::Post, "/x"), 2, "one retry only");
}

#[test]
fn a_rate_limited_write_is_not_retried() {
    let h = with_data(|_, _| Ok(HttpResponse::new(429, "").with_header("Retry-After", "5")));
    let err = block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&json!({}))),
    )
    .unwrap_err();
    assert_eq!(
        err,
        TpError::RateLimited {
            retry_after: Some(5)
        }
    );
    assert_eq!(h.count(Method::Post, "/x"), 1);
    assert_eq!(h.elapsed(), Duration::ZERO);
}
