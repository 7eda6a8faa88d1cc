//! Availability: days the athlete cannot train, or can train only some sports.
//!
//! | Rule | Spec line |
//! |---|---|
//! | Availability body must carry `personId` equal to the URL's athlete, else 400 "AthleteId of request url and AthleteId in body of request do not match" | api §9.4 POST row, §12 (JM, live) |
//! | Availability `type` is 1 (unavailable) or 2 (limited); `limitedAvailability` is always false in responses | api §9.4 POST row (REF; JM) |
//! | Availability PUT `.../availability/{id}` replaces the entry; unknown id → 404 | api §9.4 PUT row (REF) |
//! | `GET .../availability/{start}/{end}` returns entries overlapping the range | api §9.4 GET row (REF; JM) |

use chrono::{Duration, NaiveDate};
use serde_json::{Map, Value, json};

use crate::http::{HttpResponse, Method};
use crate::sandbox::router::{Ctx, Params, Route};
use crate::sandbox::{Answer, ApiError, SAMPLE_ATHLETE_ID, State, bad_request, not_found};

use super::checks::{
    athlete, body_object, date_field, id_matches, midnight, range, stored_date, typed,
};

const AVAILABILITY: &str = "availability";

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(
            Method::Get,
            "/fitness/v1/athletes/{aid}/availability/{start}/{end}",
            list_availability,
        ),
        Route::new(
            Method::Post,
            "/fitness/v1/athletes/{aid}/availability",
            create_availability,
        ),
        Route::new(
            Method::Put,
            "/fitness/v1/athletes/{aid}/availability/{id}",
            update_availability,
        ),
        Route::new(
            Method::Delete,
            "/fitness/v1/athletes/{aid}/availability/{id}",
            delete_availability,
        ),
    ]
}

/// Seeds four entries around `today`: a past holiday, a sick day, a travel week with only
/// running and strength possible, and a work day.
pub(super) fn seed(state: &mut State, today: NaiveDate) {
    let at = |days: i64| today + Duration::days(days);
    // (first day, last day, type, sports still possible, reason, details), days from today.
    type SeedAvailability = (i64, i64, i64, &'static [i64], &'static str, &'static str);
    let availability: [SeedAvailability; 4] = [
        (-40, -36, 1, &[], "Other", "Family holiday, no bike."),
        (-5, -5, 1, &[], "Illness", "Head cold: full rest day."),
        (
            14,
            20,
            2,
            &[3, 9],
            "Travel",
            "Conference in Lisbon: hotel gym and running only.",
        ),
        (45, 45, 1, &[], "Work", "All-day offsite."),
    ];
    for (from, to, kind, sports, reason, description) in availability {
        let id = state.new_id();
        state.collection(AVAILABILITY).insert(
            id,
            json!({
                "id": id,
                "personId": SAMPLE_ATHLETE_ID,
                "startDate": midnight(at(from)),
                "endDate": midnight(at(to)),
                "limitedAvailability": false,
                "reason": reason,
                "availableSportTypes": sports,
                "description": description,
                "type": kind,
            }),
        );
    }
}

fn check_availability(m: &mut Map<String, Value>, aid: i64) -> Result<(), ApiError> {
    id_matches(m, "personId", aid)?;
    let start = date_field(m, "startDate")?;
    let end = date_field(m, "endDate")?;
    if end < start {
        return Err(bad_request(
            "The endDate must be on or after the startDate.",
        ));
    }
    m.insert("startDate".into(), json!(midnight(start)));
    m.insert("endDate".into(), json!(midnight(end)));
    match m.get("type").and_then(Value::as_i64) {
        Some(1 | 2) => {}
        _ => {
            return Err(bad_request(
                "The type field must be 1 (unavailable) or 2 (limited).",
            ));
        }
    }
    typed(
        m,
        "availableSportTypes",
        |v| v.as_array().is_some_and(|a| a.iter().all(Value::is_i64)),
        "List<Int32>",
    )?;
    typed(m, "reason", Value::is_string, "String")?;
    typed(m, "description", Value::is_string, "String")?;
    typed(m, "limitedAvailability", Value::is_boolean, "Boolean")?;
    // Spec §9.4: `limitedAvailability` is always false in responses; `type` is the flag.
    m.insert("limitedAvailability".into(), json!(false));
    m.entry("availableSportTypes".to_string())
        .or_insert(json!([]));
    Ok(())
}

fn list_availability(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    athlete(st, p)?;
    let (start, end) = range(p)?;
    let mut list: Vec<Value> = st
        .collection(AVAILABILITY)
        .values()
        .filter(|a| {
            let (Some(s), Some(e)) = (stored_date(a, "startDate"), stored_date(a, "endDate"))
            else {
                return false;
            };
            s <= end && e >= start
        })
        .cloned()
        .collect();
    list.sort_by_key(|a| {
        (
            stored_date(a, "startDate"),
            a.get("id").and_then(Value::as_i64),
        )
    });
    Ok(HttpResponse::json(200, &Value::Array(list)))
}

fn create_availability(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let mut m = body_object(ctx)?;
    check_availability(&mut m, aid)?;
    let id = st.new_id();
    m.insert("id".into(), json!(id));
    let obj = Value::Object(m);
    st.collection(AVAILABILITY).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn update_availability(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let id = p.id("id")?;
    if !st.collection(AVAILABILITY).contains_key(&id) {
        return Err(not_found(&format!("Availability {id}")));
    }
    let mut m = body_object(ctx)?;
    if m.get("id").is_some_and(|v| v.as_i64() != Some(id)) {
        return Err(bad_request(
            "The id in the body does not match the id in the url.",
        ));
    }
    check_availability(&mut m, aid)?;
    m.insert("id".into(), json!(id));
    let obj = Value::Object(m);
    st.collection(AVAILABILITY).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn delete_availability(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    athlete(st, p)?;
    let id = p.id("id")?;
    match st.collection(AVAILABILITY).remove(&id) {
        Some(_) => Ok(HttpResponse::new(200, Vec::new())),
        None => Err(not_found(&format!("Availability {id}"))),
    }
}
