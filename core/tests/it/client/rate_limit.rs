//! The client-side rate limit, and the request budget shared fairly between calls, reported, and bounded by each call's deadline.

use super::*;

/// The most requests inside any half-open window `[t, t + per)` starting at a request.
fn busiest_window(times: &[DateTime<Utc>], per: Duration) -> usize {
    let per = chrono::Duration::from_std(per).unwrap();
    times
        .iter()
        .map(|t| times.iter().filter(|u| **u >= *t && **u < *t + per).count())
        .max()
        .unwrap_or(0)
}

#[test]
fn ten_gets_do_not_sleep() {
    let h = with_data(|_, _| ok(json!(1)));
    for _ in 0..10 {
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    }
    assert_eq!(h.elapsed(), Duration::ZERO);
}

#[test]
fn two_hundred_gets_stay_within_the_limit() {
    let h = with_data(|_, _| ok(json!(1)));
    assert_eq!(h.client.rate_limit(), Some(RateLimit::TRAININGPEAKS));
    for _ in 0..200 {
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    }
    let t = h.data_times();
    assert_eq!(t.len(), 200);
    assert!(busiest_window(&t, Duration::from_secs(60)) <= 90);
    assert_eq!(t[89], h.start, "the first 90 go at once");
    assert!(
        t[90] - t[0] >= chrono::Duration::seconds(60),
        "the 91st waits for the window"
    );
    assert!(
        h.elapsed() >= Duration::from_secs(120),
        "200 requests need three windows"
    );
    assert!(
        h.elapsed() <= Duration::from_secs(121),
        "but no more waiting than needed"
    );
    assert_eq!(
        h.exchanges(),
        1,
        "the token exchange is not throttled or repeated"
    );
}

#[test]
fn a_custom_rate_limit_spaces_requests_exactly() {
    let mut h = with_data(|_, _| ok(json!(1)));
    let limit = RateLimit {
        max_requests: 2,
        per: Duration::from_secs(10),
    };
    h.client = h.client.with_rate_limit(Some(limit));
    for _ in 0..5 {
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    }
    let offsets: Vec<i64> = h
        .data_times()
        .iter()
        .map(|t| (*t - h.start).num_seconds())
        .collect();
    assert_eq!(offsets, [0, 0, 10, 10, 20]);
}

#[test]
fn the_rate_limit_can_be_disabled_for_the_sandbox() {
    let mut h = with_data(|_, _| ok(json!(1)));
    h.client = h.client.with_rate_limit(None);
    assert_eq!(h.client.rate_limit(), None);
    for _ in 0..200 {
        block_on(h.client.get_json(Api::Tp, "/x")).unwrap();
    }
    assert_eq!(h.elapsed(), Duration::ZERO);
}

#[test]
fn retries_count_against_the_rate_limit() {
    let mut h = with_data(|_, n| {
        if n % 2 == 0 {
            status(503)
        } else {
            ok(json!(1))
        }
    });
    h.client = h.client.with_rate_limit(Some(RateLimit {
        max_requests: 3,
        per: Duration::from_secs(60),
    }));
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap(); // 503, retry → 2 requests
    block_on(h.client.get_json(Api::Tp, "/x")).unwrap(); // 3rd request now, 4th waits
    let t = h.data_times();
    assert_eq!(t.len(), 4);
    assert!(busiest_window(&t, Duration::from_secs(60)) <= 3);
    assert!(t[3] - t[0] >= chrono::Duration::seconds(60));
}

/// A clock whose `sleep` really waits until the test moves time on, so concurrent calls
/// interleave as they would in production (the [`ManualClock`] jumps at every sleep, which
/// serialises them).
struct SteppedClock {
    now: Mutex<DateTime<Utc>>,
    sleepers: Mutex<Vec<(DateTime<Utc>, std::task::Waker)>>,
}

impl Clock for SteppedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap()
    }
    fn sleep(&self, d: Duration) -> paceline_core::http::BoxFuture<'_, ()> {
        let until = self.now() + chrono::Duration::from_std(d).unwrap();
        Box::pin(futures_util::future::poll_fn(move |cx| {
            if self.now() >= until {
                std::task::Poll::Ready(())
            } else {
                self.sleepers
                    .lock()
                    .unwrap()
                    .push((until, cx.waker().clone()));
                std::task::Poll::Pending
            }
        }))
    }
}

impl SteppedClock {
    /// Runs the pool until it stalls, then moves time to the earliest sleeper, until `done`.
    fn run(&self, pool: &mut futures_executor::LocalPool, done: impl Fn() -> bool) {
        for _ in 0..10_000 {
            pool.run_until_stalled();
            if done() {
                return;
            }
            let mut sleepers = self.sleepers.lock().unwrap();
            let next = sleepers
                .iter()
                .map(|(t, _)| *t)
                .min()
                .expect("stalled with no sleeper");
            *self.now.lock().unwrap() = next;
            let (due, rest): (Vec<_>, Vec<_>) = sleepers.drain(..).partition(|(t, _)| *t <= next);
            *sleepers = rest;
            drop(sleepers);
            due.into_iter().for_each(|(_, w)| w.wake());
        }
        panic!("did not finish");
    }
}

fn stepped(limit: RateLimit) -> (Arc<TpClient>, Arc<SteppedClock>, Log, DateTime<Utc>) {
    let start = DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .to_utc();
    let clock = Arc::new(SteppedClock {
        now: Mutex::new(start),
        sleepers: Mutex::default(),
    });
    let log: Log = Arc::default();
    let (c, l) = (clock.clone(), log.clone());
    let transport = FnTransport(move |req: HttpRequest| {
        l.lock().unwrap().push((req.clone(), c.now()));
        if req.path_and_query() == TOKEN {
            token(0)
        } else {
            ok(json!(1))
        }
    });
    let client = TpClient::new(Arc::new(transport), clock.clone()).with_rate_limit(Some(limit));
    (Arc::new(client), clock, log, start)
}

fn sent_at(log: &Log, start: DateTime<Utc>, prefix: &str) -> Vec<i64> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|(r, _)| r.path_and_query().starts_with(prefix))
        .map(|(_, t)| (*t - start).num_seconds())
        .collect()
}

#[test]
fn a_short_call_overtakes_a_long_one_waiting_for_the_budget() {
    use futures_util::task::LocalSpawnExt;
    let limit = RateLimit {
        max_requests: 3,
        per: Duration::from_secs(60),
    };
    let (client, clock, log, start) = stepped(limit);
    let mut pool = futures_executor::LocalPool::new();
    let done = Arc::new(Mutex::new(0));
    let long = client.for_call(CallOptions::default());
    let d = done.clone();
    pool.spawner()
        .spawn_local(async move {
            let gets = (0..9)
                .map(|i| long.get_json(Api::Tp, Box::leak(format!("/a/{i}").into_boxed_str())));
            for r in futures_util::future::join_all(gets).await {
                r.unwrap();
            }
            *d.lock().unwrap() += 1;
        })
        .unwrap();
    pool.run_until_stalled();
    assert_eq!(
        sent_at(&log, start, "/a/"),
        [0, 0, 0],
        "the budget is spent"
    );
    // A one-request call arrives while six of the long call's requests wait.
    let short = client.for_call(CallOptions::default());
    let d = done.clone();
    pool.spawner()
        .spawn_local(async move {
            short.get_json(Api::Tp, "/b").await.unwrap();
            *d.lock().unwrap() += 1;
        })
        .unwrap();
    clock.run(&mut pool, || *done.lock().unwrap() == 2);
    assert_eq!(
        sent_at(&log, start, "/b"),
        [60],
        "the short call gets the first freed slot"
    );
    assert_eq!(
        sent_at(&log, start, "/a/"),
        [0, 0, 0, 60, 60, 120, 120, 120, 180]
    );
    let all: Vec<_> = log.lock().unwrap().iter().map(|(_, t)| *t).collect();
    assert!(busiest_window(&all[1..], limit.per) <= 3, "budget kept");
}

#[test]
fn a_call_that_cannot_finish_by_its_deadline_fails_at_once() {
    use futures_util::task::LocalSpawnExt;
    let limit = RateLimit {
        max_requests: 3,
        per: Duration::from_secs(60),
    };
    let (client, clock, log, start) = stepped(limit);
    let mut pool = futures_executor::LocalPool::new();
    let long = client.for_call(CallOptions::default());
    pool.spawner()
        .spawn_local(async move {
            let gets = (0..5)
                .map(|i| long.get_json(Api::Tp, Box::leak(format!("/a/{i}").into_boxed_str())));
            futures_util::future::join_all(gets).await;
        })
        .unwrap();
    pool.run_until_stalled();
    let hurried = client.for_call(CallOptions {
        deadline: Some(Duration::from_secs(30)),
        observer: None,
    });
    let gets =
        (0..2).map(|i| hurried.get_json(Api::Tp, Box::leak(format!("/b/{i}").into_boxed_str())));
    let result = pool.run_until(futures_util::future::try_join_all(gets));
    let err = result.unwrap_err();
    let TpError::BudgetExceeded {
        requests,
        wait_secs,
        deadline_secs,
        ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!((requests, wait_secs, deadline_secs), (2, 60, 30), "{err}");
    let text = err.to_string();
    for part in [
        "2 request(s)",
        "about 60 s",
        "deadline of 30 s",
        "3 per 60 s",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert_eq!(clock.now(), start, "failed without waiting");
    assert!(sent_at(&log, start, "/b/").is_empty(), "nothing sent");
    // The same call with a deadline it can meet just waits its turn.
    let patient = client.for_call(CallOptions {
        deadline: Some(Duration::from_secs(61)),
        observer: None,
    });
    let d = Arc::new(Mutex::new(false));
    let d2 = d.clone();
    pool.spawner()
        .spawn_local(async move {
            patient.get_json(Api::Tp, "/c").await.unwrap();
            *d2.lock().unwrap() = true;
        })
        .unwrap();
    clock.run(&mut pool, || *d.lock().unwrap());
    assert_eq!(sent_at(&log, start, "/c"), [60]);
}

#[test]
fn waits_are_reported_to_the_calls_observer() {
    let mut h = with_data(|_, _| ok(json!(1)));
    h.client = h.client.with_rate_limit(Some(RateLimit {
        max_requests: 2,
        per: Duration::from_secs(10),
    }));
    let seen: Arc<Mutex<Vec<RateWait>>> = Arc::default();
    let s = seen.clone();
    let observer: Arc<dyn WaitObserver> =
        Arc::new(move |w: &RateWait| s.lock().unwrap().push(w.clone()));
    let call = h.client.for_call(CallOptions {
        deadline: None,
        observer: Some(observer),
    });
    for _ in 0..3 {
        block_on(call.get_json(Api::Tp, "/x")).unwrap();
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].wait, Duration::from_secs(10));
    assert_eq!((seen[0].requests_waiting, seen[0].requests_sent), (1, 2));
    assert!(
        seen[0].describe().contains("waiting 10.0 s"),
        "{}",
        seen[0].describe()
    );
    assert_eq!(h.elapsed(), Duration::from_secs(10));
}

#[test]
fn retries_stop_short_of_the_deadline() {
    let h = with_data(|_, _| status(503));
    let call = h.client.for_call(CallOptions {
        deadline: Some(Duration::from_secs(1)),
        observer: None,
    });
    let err = block_on(call.get_json(Api::Tp, "/x")).unwrap_err();
    assert!(
        matches!(err, TpError::Status { status: 503, .. }),
        "{err:?}"
    );
    // 0.5 s back-off fits in 1 s, the next 1 s does not.
    assert_eq!(h.count(Method::Get, "/x"), 2);
    assert_eq!(h.elapsed(), secs(0.5));
}
