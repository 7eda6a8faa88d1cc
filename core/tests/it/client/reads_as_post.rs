//! Reads sent as POST (the performance-data report): retried like GETs, worded as reads.

use super::*;

const PMC: &str = "/fitness/v1/athletes/1234/reporting/performancedata/2026-02-01/2026-02-28";

/// A harness whose user is athlete 1234 and whose performance-data POST answers `pmc(n)`.
fn with_pmc(pmc: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Harness {
    harness(move |req, n| match req.path_and_query() {
        TOKEN => token(n),
        USER => ok(athlete_user()),
        PMC => pmc(n),
        other => panic!("unexpected request {} {other}", req.method),
    })
}

fn posts(log: &Log, path: &str) -> usize {
    let log = log.lock().unwrap();
    log.iter()
        .filter(|(r, _)| r.method == Method::Post && r.path_and_query() == path)
        .count()
}

#[test]
fn a_read_sent_as_post_is_retried_after_a_503() {
    let cases: Vec<(&str, Reply)> = vec![
        ("503", status(503)),
        ("429", status(429)),
        ("timeout", Err(TransportError::Timeout)),
        ("io", Err(TransportError::Io("reset".into()))),
    ];
    for (name, first) in cases {
        let h = with_pmc(move |n| if n == 0 { first.clone() } else { ok(pmc_row()) });
        let (ctx, log, _) = into_ctx(h);
        let out = block_on(paceline_core::tools::call(
            &ctx,
            "get_fitness_metrics",
            fitness_args(),
        ))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(out.structured["latest"]["ctl"], 40.0, "{name}");
        assert_eq!(posts(&log, PMC), 2, "{name}: one failure, one retry");
    }
}

#[test]
fn a_read_sent_as_post_that_keeps_failing_is_worded_as_a_read() {
    for tool in ["get_fitness_metrics", "get_weekly_summary"] {
        let h = harness(|req, n| match req.path_and_query() {
            TOKEN => token(n),
            USER => ok(athlete_user()),
            p if p.contains("/reporting/performancedata/") => status(503),
            // get_weekly_summary's workout list.
            _ => ok(json!([])),
        });
        let (ctx, log, _) = into_ctx(h);
        let args = if tool == "get_weekly_summary" {
            json!({"week_of": "2026-02-25"})
        } else {
            fitness_args()
        };
        let err = block_on(paceline_core::tools::call(&ctx, tool, args)).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("HTTP 503"), "{tool}: {text}");
        assert!(
            text.contains("TrainingPeaks had a problem"),
            "{tool}: {text}"
        );
        assert!(!text.contains("may or may not"), "{tool}: {text}");
        assert!(!text.contains("applied"), "{tool}: {text}");
        let sent = log
            .lock()
            .unwrap()
            .iter()
            .filter(|(r, _)| r.path_and_query().contains("/reporting/performancedata/"))
            .count();
        assert_eq!(
            sent,
            1 + paceline_core::trainingpeaks::MAX_READ_RETRIES as usize,
            "{tool}: retried like a GET"
        );
    }
}

#[test]
fn request_json_read_keeps_post_and_body() {
    let h = with_data(|_, n| if n == 0 { status(502) } else { ok(json!([])) });
    let body = json!({"atlConstant": 7});
    let v = block_on(
        h.client
            .request_json_read(Method::Post, Api::Tp, "/x", Some(&body)),
    )
    .unwrap();
    assert_eq!(v, json!([]));
    let sent = h.requests(Method::Post, "/x");
    assert_eq!(sent.len(), 2);
    for r in sent {
        let b: Value = serde_json::from_slice(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(b, body, "the retry sends the same body");
    }
    // The same POST as a write is not retried.
    let h = with_data(|_, _| status(502));
    let err = block_on(
        h.client
            .request_json(Method::Post, Api::Tp, "/x", Some(&body)),
    )
    .unwrap_err();
    assert!(
        matches!(err, TpError::WriteOutcomeUnknown { .. }),
        "{err:?}"
    );
    assert_eq!(h.count(Method::Post, "/x"), 1);
}
