//! Token exchange and cache, 401 handling, and token lifetimes from any server figure.

use super::*;

#[test]
fn first_call_exchanges_and_later_calls_reuse_the_token() {
    let h = with_data(|_, _| ok(json!({"a": 1})));
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!({"a": 1})
    );
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!({"a": 1})
    );
    assert_eq!(block_on(h.client.access_token()).unwrap(), "tok-0");
    assert_eq!(h.exchanges(), 1);
    assert_eq!(h.count(Method::Get, "/x"), 2);
    assert_eq!(h.elapsed(), Duration::ZERO, "nothing slept");
}

#[test]
fn headers_on_token_and_data_calls() {
    let h = with_data(|_, _| ok(json!({"ok": true})));
    let body = json!({"workoutDay": "2026-03-02", "totalTimePlanned": 1.5});
    block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&body)),
    )
    .unwrap();
    block_on(h.client.get_json(Api::Peaksware, "/x")).unwrap();

    let tok = &h.requests(Method::Get, TOKEN)[0];
    assert_eq!(tok.url, "https://tpapi.trainingpeaks.com/users/v3/token");
    assert_eq!(
        bearer(tok),
        None,
        "no Authorization header on the token call (spec §2.2)"
    );
    assert_eq!(tok.header_value("accept"), Some("application/json"));
    assert_eq!(tok.body, None);

    let post = &h.requests(Method::Post, "/x")[0];
    assert_eq!(post.url, "https://tpapi.trainingpeaks.com/x");
    assert_eq!(bearer(post), Some("Bearer tok-0"));
    assert_eq!(post.header_value("accept"), Some("application/json"));
    assert_eq!(post.header_value("content-type"), Some("application/json"));
    let sent: Value = serde_json::from_slice(post.body.as_deref().unwrap()).unwrap();
    assert_eq!(sent, body);

    let get = &h.requests(Method::Get, "/x")[0];
    assert_eq!(get.url, "https://api.peakswaresb.com/x", "Peaksware host");
    assert_eq!(
        bearer(get),
        Some("Bearer tok-0"),
        "same token on both hosts"
    );
    assert_eq!(
        get.header_value("content-type"),
        None,
        "no body, no content-type"
    );
    assert_eq!(get.body, None);
}

#[test]
fn token_is_re_exchanged_when_less_than_60_s_remain() {
    // (seconds advanced after the first call, expected exchanges after the second call)
    let cases = [(0, 1), (3539, 1), (3540, 2), (3541, 2), (7200, 2)];
    for (advance, want) in cases {
        let h = with_data(|_, _| ok(json!(1)));
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
        h.clock.advance(Duration::from_secs(advance));
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
        assert_eq!(h.exchanges(), want, "after {advance} s");
        let last = h.requests(Method::Get, "/x").pop().unwrap();
        assert_eq!(
            bearer(&last),
            Some(format!("Bearer tok-{}", want - 1).as_str()),
            "{advance}"
        );
    }
}

#[test]
fn missing_expires_in_is_taken_as_an_hour() {
    let h = harness(|req, _| match req.path_and_query() {
        TOKEN => ok(json!({"success": true, "token": {"access_token": "t"}})),
        _ => ok(json!(1)),
    });
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    h.clock.advance(Duration::from_secs(3539));
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    assert_eq!(h.exchanges(), 1);
}

#[test]
fn a_401_on_a_data_call_re_exchanges_once_and_retries_once() {
    let h = with_data(|_, n| {
        if n == 0 {
            status(401)
        } else {
            ok(json!({"v": n}))
        }
    });
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!({"v": 1})
    );
    assert_eq!(h.exchanges(), 2);
    let calls = h.requests(Method::Get, "/x");
    assert_eq!(calls.len(), 2);
    assert_eq!(bearer(&calls[0]), Some("Bearer tok-0"));
    assert_eq!(
        bearer(&calls[1]),
        Some("Bearer tok-1"),
        "the retry uses the new token"
    );
    assert_eq!(h.elapsed(), Duration::ZERO, "a 401 retry does not back off");
}

#[test]
fn a_second_401_is_not_logged_in_with_no_third_attempt() {
    // Two 401s, then the session works again (the person logged back in).
    let h = with_data(|_, n| if n < 2 { status(401) } else { ok(json!(1)) });
    let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
    assert_eq!(err, TpError::NotLoggedIn);
    assert!(
        err.to_string()
            .contains("Log in at https://app.trainingpeaks.com"),
        "{err}"
    );
    assert_eq!(h.count(Method::Get, "/x"), 2);
    assert_eq!(h.exchanges(), 2);
    // The rejected token is forgotten: the next call starts with a fresh exchange.
    assert_eq!(
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap(),
        json!(1)
    );
    assert_eq!(h.exchanges(), 3);
    assert_eq!(h.count(Method::Get, "/x"), 3);
}

#[test]
fn a_401_on_a_write_is_resent_once() {
    // Safe: the server refused the request before acting on it.
    let h = with_data(|_, n| {
        if n == 0 {
            status(401)
        } else {
            ok(json!({"workoutId": 9}))
        }
    });
    let body = json!({"title": "x"});
    let got = block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&body)),
    )
    .unwrap();
    assert_eq!(got, json!({"workoutId": 9}));
    assert_eq!(h.count(Method::Post, "/x"), 2);
}

#[test]
fn token_exchange_failures() {
    // (name, the token endpoint's answer, expected error)
    let cases: Vec<(&str, Reply, TpError)> = vec![
        ("401", status(401), TpError::NotLoggedIn),
        ("403", status(403), TpError::NotLoggedIn),
        (
            "success false",
            ok(json!({"success": false})),
            TpError::NotLoggedIn,
        ),
        (
            "no token",
            ok(json!({"success": true})),
            TpError::Decode {
                path: TOKEN.into(),
                message: "missing `token`".into(),
            },
        ),
        (
            "empty access_token",
            ok(json!({"success": true, "token": {"access_token": ""}})),
            TpError::Decode {
                path: TOKEN.into(),
                message: "missing `token.access_token`".into(),
            },
        ),
    ];
    for (name, reply, want) in cases {
        let reply = Arc::new(reply);
        let h = harness(move |req, _| match req.path_and_query() {
            TOKEN => (*reply).clone(),
            _ => ok(json!(1)),
        });
        let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
        assert_eq!(err, want, "{name}");
        assert_eq!(
            h.count(Method::Get, "/x"),
            0,
            "{name}: no data call without a token"
        );
        assert_eq!(h.exchanges(), 1, "{name}: a refusal is not retried");
    }
}

#[test]
fn token_exchange_is_retried_on_server_trouble() {
    // It is a GET: safe to repeat.
    let h = harness(|req, n| match req.path_and_query() {
        TOKEN if n < 2 => status(503),
        TOKEN => token(n),
        _ => ok(json!(1)),
    });
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    assert_eq!(h.exchanges(), 3);
    assert_eq!(h.elapsed(), secs(1.5));
}

#[test]
fn any_expires_in_gives_a_bounded_token_lifetime() {
    // (expires_in as the server sent it, lifetime in seconds we keep the token for)
    let cases = [
        ("1e30", json!(1e30), 86_400),
        ("u64::MAX", json!(u64::MAX), 86_400),
        ("i64::MIN", json!(i64::MIN), 0),
        ("-5", json!(-5), 0),
        ("-1e300", json!(-1e300), 0),
        ("abc", json!("abc"), 3600),
        ("numeric string", json!(" 7200 "), 7200),
        ("string 1e30", json!("1e30"), 86_400),
        ("fraction", json!(1.9), 1),
        ("null", Value::Null, 3600),
        ("object", json!({"s": 1}), 3600),
        ("two days", json!(172_800), 86_400),
    ];
    for (name, expires_in, lifetime) in cases {
        let e = expires_in.clone();
        let h = harness(move |req, n| match req.path_and_query() {
            TOKEN => ok(
                json!({"success": true, "token": {"access_token": format!("t{n}"),
                "expires_in": e.clone()}}),
            ),
            _ => ok(json!(1)),
        });
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expires_at = h.client.session_snapshot()["token"]["expiresAt"].as_i64();
        assert_eq!(
            expires_at,
            Some(h.start.timestamp() + lifetime),
            "{name}: {expires_in}"
        );
        // A second call works too (with a fresh exchange when the lifetime is too short).
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = if lifetime > 60 { 1 } else { 2 };
        assert_eq!(h.exchanges(), want, "{name}");
    }
}
