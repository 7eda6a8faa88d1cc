//! Equipment: bikes and shoes (spec §8.2).
//!
//! | Rule the sandbox enforces | Spec line |
//! |---|---|
//! | GET returns the full array of items (retired ones too) | api §8.2 GET row (REF, MARS) |
//! | PUT takes the **full** array and replaces the stored one: an item left out is deleted | api §8.2 PUT row "update/add/delete all via the same PUT" (REF) |
//! | A new item has `equipmentId: null`; the server assigns the id; the response is the new array | api §8.2 PUT row (REF) |
//! | An `equipmentId` that is not null and not an existing item is 400 (ids are server-assigned) | api §8.2 PUT row (ids server-assigned); §12 body-binding 400s |
//! | `type` must be 1 (bike) or 2 (shoe); `name` a non-empty string (400) | api §8.2 item fields (REF, MARS) |
//! | Distances (`startingDistance`, `actualDistance`, `maxDistance`) are **metres**, numbers ≥ 0 or null (400 otherwise); `maxDistance` null/0 = no limit | api §3 "Equipment distances" (REF) |
//! | `actualDistance` is the server's (logged from workouts): a PUT cannot change it | api §8.2 (2014 `actualdistance` endpoint, MARS) — the server owns it |
//! | A path athlete id other than the signed-in athlete's is 403 | api §12 (JM) |

use chrono::Duration;
use serde_json::{Value, json};

use crate::clock::Clock;
use crate::http::{HttpResponse, Method};

use super::router::{Ctx, Params, Route};
use super::settings::own_athlete;
use super::{Answer, SAMPLE_ATHLETE_ID, State, bad_request};

const COLLECTION: &str = "equipment";

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::Get, "/fitness/v1/athletes/{aid}/equipment", get_all),
        Route::new(Method::Put, "/fitness/v1/athletes/{aid}/equipment", put_all),
    ]
}

/// Seeds two bikes and three pairs of shoes (one retired), distances in metres.
pub(super) fn seed(state: &mut State, clock: &dyn Clock) {
    let today = clock.today();
    let day = |days_ago: i64| format!("{}T00:00:00", today - Duration::days(days_ago));
    #[allow(clippy::type_complexity)]
    let items: [(
        i64,
        &str,
        &str,
        &str,
        i64,
        f64,
        f64,
        Option<f64>,
        bool,
        Option<i64>,
        Option<&str>,
        f64,
        &str,
    ); 5] = [
        (
            1,
            "Road bike",
            "Canyon",
            "Ultimate CF SL 8",
            980,
            1_200_000.0,
            8_234_500.0,
            None,
            true,
            None,
            Some("DT Swiss ARC 1400 DICUT 50"),
            172.5,
            "Race and long rides",
        ),
        (
            1,
            "Turbo bike",
            "Trek",
            "Domane AL 2",
            1650,
            0.0,
            3_104_200.0,
            None,
            false,
            None,
            Some("Trainer-specific rear tyre"),
            170.0,
            "Lives on the smart trainer",
        ),
        (
            2,
            "Daily trainers",
            "Nike",
            "Pegasus 40",
            210,
            0.0,
            612_300.0,
            Some(800_000.0),
            true,
            None,
            None,
            172.5,
            "",
        ),
        (
            2,
            "Race shoes",
            "Saucony",
            "Endorphin Speed 3",
            150,
            0.0,
            243_800.0,
            Some(600_000.0),
            false,
            None,
            None,
            172.5,
            "Tempo days and races",
        ),
        (
            2,
            "Old trainers",
            "Hoka",
            "Clifton 8",
            720,
            25_000.0,
            812_000.0,
            Some(800_000.0),
            false,
            Some(205),
            None,
            172.5,
            "",
        ),
    ];
    for (
        ty,
        name,
        brand,
        model,
        bought,
        start,
        actual,
        max,
        default,
        retired,
        wheels,
        crank,
        notes,
    ) in items
    {
        let id = state.new_id();
        state.collection(COLLECTION).insert(
            id,
            json!({
                "equipmentId": id,
                "name": name,
                "notes": if notes.is_empty() { Value::Null } else { json!(notes) },
                "brand": brand,
                "model": model,
                "dateOfPurchase": day(bought),
                "athleteId": SAMPLE_ATHLETE_ID,
                "retired": retired.is_some(),
                "retiredDate": retired.map_or(String::new(), day),
                "isDefault": default,
                "startingDistance": start,
                "actualDistance": actual,
                "crankLengthMillimeters": crank,
                "wheels": wheels,
                "maxDistance": max,
                "type": ty,
            }),
        );
    }
}

fn get_all(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    own_athlete(p)?;
    let items: Vec<Value> = st.collection(COLLECTION).values().cloned().collect();
    Ok(HttpResponse::json(200, &Value::Array(items)))
}

fn put_all(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = own_athlete(p)?;
    let body = ctx.json_body()?;
    let Some(items) = body.as_array() else {
        return Err(bad_request(
            "The request body must be the full array of equipment.",
        ));
    };
    let mut next = std::collections::BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let existing_id = match item.get("equipmentId") {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_i64() {
                Some(id) if st.collection(COLLECTION).contains_key(&id) => Some(id),
                _ => {
                    return Err(bad_request(&format!(
                        "Item {i}: equipmentId {v} does not exist; new items have equipmentId null"
                    )));
                }
            },
        };
        if let Err(msg) = check_item(item) {
            return Err(bad_request(&format!("Item {i}: {msg}")));
        }
        let id = match existing_id {
            Some(id) => id,
            None => st.new_id(),
        };
        // The server owns the logged distance; a PUT cannot change it.
        let actual = st
            .collection(COLLECTION)
            .get(&id)
            .and_then(|old| old.get("actualDistance").cloned())
            .unwrap_or(json!(0));
        let mut stored = item.clone();
        if let Some(o) = stored.as_object_mut() {
            o.insert("equipmentId".into(), json!(id));
            o.insert("athleteId".into(), json!(aid));
            o.insert("actualDistance".into(), actual);
        }
        next.insert(id, stored);
    }
    *st.collection(COLLECTION) = next;
    let items: Vec<Value> = st.collection(COLLECTION).values().cloned().collect();
    Ok(HttpResponse::json(200, &Value::Array(items)))
}

fn check_item(item: &Value) -> Result<(), String> {
    let obj = item.as_object().ok_or("must be an object")?;
    match obj.get("type").and_then(Value::as_i64) {
        Some(1 | 2) => {}
        _ => return Err("type must be 1 (bike) or 2 (shoe)".into()),
    }
    if obj
        .get("name")
        .and_then(Value::as_str)
        .is_none_or(|n| n.trim().is_empty())
    {
        return Err("name must be a non-empty string".into());
    }
    for key in ["startingDistance", "maxDistance", "crankLengthMillimeters"] {
        match obj.get(key) {
            None | Some(Value::Null) => {}
            Some(v) if v.as_f64().is_some_and(|x| x >= 0.0) => {}
            Some(v) => {
                return Err(format!(
                    "{key} must be a number ≥ 0 (metres for distances) or null, got {v}"
                ));
            }
        }
    }
    for key in ["retired", "isDefault"] {
        if let Some(v) = obj.get(key)
            && !(v.is_null() || v.is_boolean())
        {
            return Err(format!("{key} must be true or false"));
        }
    }
    Ok(())
}
