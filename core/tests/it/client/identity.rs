//! The logged-in identity follows the cookie.

use super::*;

/// A browser whose cookie belongs to `who` (1 or 2, switchable): the token exchange hands out
/// `tok-<who>-<n>`, the user endpoint answers for the token's owner, and the performance-data
/// report answers only for the token owner's own athlete (403 otherwise). Tokens of a user who
/// is no longer the cookie's are refused (401) when `revoke` is set.
struct Browser {
    who: Arc<Mutex<i64>>,
    revoke: bool,
}

fn token_owner(req: &HttpRequest) -> Option<i64> {
    bearer(req)?
        .strip_prefix("Bearer tok-")?
        .split('-')
        .next()?
        .parse()
        .ok()
}

fn browser_harness(b: Browser) -> Harness {
    let Browser { who, revoke } = b;
    harness(move |req, n| {
        let now = *who.lock().unwrap();
        let path = req.path_and_query();
        if path == TOKEN {
            return ok(
                json!({"success": true, "token": {"access_token": format!("tok-{now}-{n}"),
                "expires_in": 3600}}),
            );
        }
        let owner = token_owner(req).expect("a data call carries a token");
        if revoke && owner != now {
            return status(401);
        }
        if path == USER {
            return ok(json!({"user": {"userId": owner, "firstName": format!("User {owner}")}}));
        }
        let athlete: i64 = path
            .strip_prefix("/fitness/v1/athletes/")
            .and_then(|r| r.split('/').next())
            .and_then(|a| a.parse().ok())
            .expect("an athlete-scoped path");
        if athlete != owner {
            return status(403);
        }
        ok(pmc_row())
    })
}

fn pmc_paths(log: &Log) -> Vec<(String, String)> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|(r, _)| r.path_and_query().contains("/reporting/performancedata/"))
        .map(|(r, _)| {
            (
                r.path_and_query().to_string(),
                bearer(r).unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_new_token_for_another_person_brings_their_athlete_id() {
    // The old token stays valid (TrainingPeaks may not revoke it); it just expires.
    let who = Arc::new(Mutex::new(1));
    let h = browser_harness(Browser {
        who: who.clone(),
        revoke: false,
    });
    let (ctx, log, clock) = into_ctx(h);
    let call = || {
        block_on(paceline_core::tools::call(
            &ctx,
            "get_fitness_metrics",
            fitness_args(),
        ))
    };
    call().expect("first call as user 1");
    *who.lock().unwrap() = 2;
    clock.advance(Duration::from_secs(3600));
    call().expect("second call as user 2");
    let sent = pmc_paths(&log);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].0.contains("/athletes/1/") && sent[0].1.starts_with("Bearer tok-1-"));
    assert!(
        sent[1].0.contains("/athletes/2/") && sent[1].1.starts_with("Bearer tok-2-"),
        "the second call uses the new athlete id with the new token: {sent:?}"
    );
    assert_eq!(block_on(ctx.client.athlete_id(None)).unwrap(), 2);
}

#[test]
fn a_401_after_a_switch_is_not_resent_for_the_previous_person() {
    let who = Arc::new(Mutex::new(1));
    let h = browser_harness(Browser {
        who: who.clone(),
        revoke: true,
    });
    let (ctx, log, _) = into_ctx(h);
    let call = || {
        block_on(paceline_core::tools::call(
            &ctx,
            "get_fitness_metrics",
            fitness_args(),
        ))
    };
    call().expect("first call as user 1");
    *who.lock().unwrap() = 2;
    let err = call().unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("changed during this call") && text.contains("from user 1 to user 2"),
        "{text}"
    );
    call().expect("the next call acts as user 2");
    let sent = pmc_paths(&log);
    assert_eq!(
        sent.iter()
            .filter(|(p, t)| p.contains("/athletes/1/") && t.starts_with("Bearer tok-2-"))
            .count(),
        0,
        "user 1's request never went out with user 2's token: {sent:?}"
    );
    assert!(sent.last().unwrap().0.contains("/athletes/2/"), "{sent:?}");
    assert_eq!(block_on(ctx.client.user()).unwrap().user_id.val(), Some(2));
}

#[test]
fn not_logged_in_at_the_token_endpoint_forgets_the_user() {
    for (name, refusal) in [
        ("401", status(401)),
        ("403", status(403)),
        ("success false", ok(json!({"success": false}))),
    ] {
        let logged_in = Arc::new(Mutex::new(true));
        let l = logged_in.clone();
        let h = harness(move |req, n| match req.path_and_query() {
            TOKEN if *l.lock().unwrap() => token(n),
            TOKEN => refusal.clone(),
            USER => ok(athlete_user()),
            _ => status(401),
        });
        assert_eq!(block_on(h.client.athlete_id(None)).unwrap(), 1234, "{name}");
        assert!(h.client.session_snapshot()["user"].is_object(), "{name}");
        *logged_in.lock().unwrap() = false;
        // The old token is refused; the re-exchange says "not logged in".
        let err = block_on(h.client.get_json(Api::Tp, "/x")).unwrap_err();
        assert_eq!(err, TpError::NotLoggedIn, "{name}");
        assert_eq!(
            h.client.session_snapshot(),
            json!({"token": null, "user": null}),
            "{name}: token and user forgotten"
        );
        assert_eq!(
            block_on(h.client.athlete_id(None)),
            Err(TpError::NotLoggedIn),
            "{name}: no stale athlete id"
        );
    }
}

#[test]
fn check_session_notices_a_logout_and_a_switch_at_once() {
    let who = Arc::new(Mutex::new(1));
    let h = browser_harness(Browser {
        who: who.clone(),
        revoke: false,
    });
    assert_eq!(
        block_on(h.client.check_session()).unwrap().user_id.val(),
        Some(1)
    );
    *who.lock().unwrap() = 2;
    // The cached user and token are still user 1's, and still valid...
    assert_eq!(block_on(h.client.user()).unwrap().user_id.val(), Some(1));
    // ...but a status check asks the cookie.
    assert_eq!(
        block_on(h.client.check_session()).unwrap().user_id.val(),
        Some(2)
    );
    assert_eq!(block_on(h.client.athlete_id(None)).unwrap(), 2);
}
