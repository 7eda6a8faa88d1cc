//! `/users/v3/token` (cookie → Bearer) and `/users/v3/user` (identity).

use serde_json::{Value, json};

use crate::clock::Clock;
use crate::http::{HttpResponse, Method};

use super::router::{Ctx, Params, Route};
use super::{AUTH_COOKIE, Answer, ApiError, SAMPLE_ATHLETE_ID, State, TOKEN_LIFETIME_SECS, sample};

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::public(Method::Get, "/users/v3/token", token),
        Route::new(Method::Get, "/users/v3/user", user),
    ]
}

/// Seeds the sample athlete's identity.
pub(super) fn seed(state: &mut State, _clock: &dyn Clock) {
    state.docs.insert(
        "user".into(),
        json!({
            "userId": SAMPLE_ATHLETE_ID,
            "personId": SAMPLE_ATHLETE_ID,
            "firstName": sample::FIRST_NAME,
            "lastName": sample::LAST_NAME,
            "fullName": sample::FULL_NAME,
            "email": sample::EMAIL,
            "userName": sample::USER_NAME,
            "timeZone": sample::TIME_ZONE,
            "units": sample::UNITS,
            "dateFormat": "yyyy-mm-dd",
            "gender": sample::GENDER,
            "birthday": sample::birthday().map(|b| format!("{b}T00:00:00")),
            "userType": 4,
            "isAthlete": true,
            "settings": { "account": { "isPremium": true } },
            "athletes": [{
                "athleteId": SAMPLE_ATHLETE_ID,
                "firstName": sample::FIRST_NAME,
                "lastName": sample::LAST_NAME,
                "email": sample::EMAIL,
                "coachedBy": null,
                "userType": 4,
                "athleteType": 1
            }]
        }),
    );
}

fn cookie_value(ctx: &Ctx<'_>) -> Option<String> {
    let header = ctx.req.header_value("cookie")?;
    header.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == AUTH_COOKIE).then(|| v.to_string())
    })
}

fn token(st: &mut State, ctx: &Ctx<'_>, _: &Params) -> Answer {
    // Spec §2.2: the cookie is the credential; a missing or logged-out cookie is a 401.
    let denied = || ApiError::message(401, "Authorization has been denied for this request.");
    let cookie = cookie_value(ctx).ok_or_else(denied)?;
    if !st.sessions.contains(&cookie) {
        return Err(denied());
    }
    let now = ctx.clock.now();
    let access = format!("sbx-{}-{}", now.timestamp_micros(), st.new_id());
    let expires = now.timestamp() + TOKEN_LIFETIME_SECS;
    st.tokens.insert(access.clone(), expires);
    let expires_iso = chrono::DateTime::from_timestamp(expires, 0)
        .unwrap_or(now)
        .to_rfc3339();
    Ok(HttpResponse::json(
        200,
        &json!({
            "success": true,
            "token": {
                "access_token": access,
                "token_type": "bearer",
                "expires_in": TOKEN_LIFETIME_SECS,
                "expires": expires_iso,
                "scope": null
            }
        }),
    ))
}

fn user(st: &mut State, _: &Ctx<'_>, _: &Params) -> Answer {
    let user = st.docs.get("user").cloned().unwrap_or(Value::Null);
    Ok(HttpResponse::json(
        200,
        &json!({
            "user": user,
            "accountStatus": { "status": "active", "lockedOut": false, "isAthlete": true,
                "isCoachedAthlete": false, "isCoach": false, "isPremium": true, "pastDue": false }
        }),
    ))
}
