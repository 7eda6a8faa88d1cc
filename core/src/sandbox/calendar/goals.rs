//! Goal lists: the season's written goals.
//!
//! | Rule | Spec line |
//! |---|---|
//! | Goal list POST body `activityType: "GOAL_LIST"`, `goals[]` of written goals; DELETE → 204 | api §9.5 (REF), §12 "Empty success bodies" |

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use crate::http::{HttpResponse, Method};
use crate::sandbox::router::{Ctx, Params, Route};
use crate::sandbox::{
    Answer, SAMPLE_A_RACE, SAMPLE_A_RACE_WEEKS_AHEAD, SAMPLE_ATHLETE_ID, State, bad_request,
    not_found,
};

use super::checks::{athlete, body_object, date_field, id_matches, required_string};

const GOAL_LISTS: &str = "goal_lists";

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(
            Method::Post,
            "/fitness/v1/athletes/{aid}/goallists",
            create_goal_list,
        ),
        Route::new(
            Method::Delete,
            "/fitness/v1/athletes/{aid}/goallists/{id}",
            delete_goal_list,
        ),
    ]
}

/// Seeds one goal list for the season that ends with the A race.
pub(super) fn seed(state: &mut State, today: NaiveDate) {
    let at = |days: i64| today + Duration::days(days);
    let race_day = at(SAMPLE_A_RACE_WEEKS_AHEAD * 7);
    let id = state.new_id();
    let goals = [
        format!("Sub-5:15 at {SAMPLE_A_RACE}"),
        "Swim three times a week through the winter".to_string(),
        "Reach CTL 95 by race week".to_string(),
    ];
    let goal_items: Vec<Value> = goals
        .iter()
        .enumerate()
        .map(|(i, g)| {
            json!({"id": id * 10 + i as i64, "athleteId": SAMPLE_ATHLETE_ID, "goalListId": id, "type": "Written",
                   "activityType": "GOAL", "sortOrder": i, "stringValue": g, "value": {"value": g, "label": ""},
                   "complete": false})
        })
        .collect();
    state.collection(GOAL_LISTS).insert(
        id,
        json!({
            "id": id,
            "athleteId": SAMPLE_ATHLETE_ID,
            "title": format!("{} season goals", race_day.format("%Y")),
            "activityType": "GOAL_LIST",
            "activityDate": at(-60).format("%Y-%m-%d").to_string(),
            "achieveBy": race_day.format("%Y-%m-%d").to_string(),
            "goals": goal_items,
        }),
    );
}

fn create_goal_list(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let mut m = body_object(ctx)?;
    id_matches(&m, "athleteId", aid)?;
    required_string(&m, "title")?;
    if m.get("activityType").and_then(Value::as_str) != Some("GOAL_LIST") {
        return Err(bad_request("The activityType field must be GOAL_LIST."));
    }
    for key in ["activityDate", "achieveBy"] {
        date_field(&m, key)?;
    }
    let Some(goals) = m.get("goals").and_then(Value::as_array).cloned() else {
        return Err(bad_request(
            "The goals field is required and must be a list.",
        ));
    };
    let id = st.new_id();
    let mut saved = Vec::with_capacity(goals.len());
    for g in goals {
        let Value::Object(mut gm) = g else {
            return Err(bad_request("Each goal must be an object."));
        };
        if gm.get("stringValue").and_then(Value::as_str).is_none() {
            return Err(bad_request("Each written goal needs a stringValue."));
        }
        gm.insert("id".into(), json!(st.new_id()));
        gm.insert("goalListId".into(), json!(id));
        gm.insert("changed".into(), json!(false));
        saved.push(Value::Object(gm));
    }
    m.insert("id".into(), json!(id));
    m.insert("goals".into(), Value::Array(saved));
    let obj = Value::Object(m);
    st.collection(GOAL_LISTS).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn delete_goal_list(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    athlete(st, p)?;
    let id = p.id("id")?;
    match st.collection(GOAL_LISTS).remove(&id) {
        Some(_) => Ok(HttpResponse::new(204, Vec::new())),
        None => Err(not_found(&format!("Goal list {id}"))),
    }
}
