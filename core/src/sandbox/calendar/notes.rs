//! Calendar notes and their comment threads.
//!
//! | Rule | Spec line |
//! |---|---|
//! | Note create `POST .../calendarNote`; `athleteId` in the body must match the URL | api §9.3 POST row (REF) |
//! | Note PUT needs the full note incl. `createdDate` (missing → 400); unknown id → 404 | api §9.3 GET/PUT/DELETE row (REF; JM) |
//! | Note comment PUT takes PascalCase `Comment` (and `CalendarNoteCommentStreamId` to edit); a missing `Comment` → 400, unknown stream id → 404 | api §9.3 comment row (REF) |

use chrono::{Duration, NaiveDate};
use serde_json::{Map, Value, json};

use crate::http::{HttpResponse, Method};
use crate::sandbox::router::{Ctx, Params, Route};
use crate::sandbox::{Answer, ApiError, SAMPLE_ATHLETE_ID, State, bad_request, not_found, sample};

use super::checks::{
    athlete, body_object, date_field, id_matches, midnight, now_stamp, required_string, stamp,
    typed,
};

const NOTES: &str = "notes";
const COMMENTS: &str = "note_comments";

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(
            Method::Post,
            "/fitness/v1/athletes/{aid}/calendarNote",
            create_note,
        ),
        Route::new(
            Method::Get,
            "/fitness/v1/athletes/{aid}/calendarNote/{id}",
            get_note,
        ),
        Route::new(
            Method::Put,
            "/fitness/v1/athletes/{aid}/calendarNote/{id}",
            update_note,
        ),
        Route::new(
            Method::Delete,
            "/fitness/v1/athletes/{aid}/calendarNote/{id}",
            delete_note,
        ),
        Route::new(
            Method::Get,
            "/fitness/v1/athletes/{aid}/calendarNote/{id}/comments",
            note_comments,
        ),
        Route::new(
            Method::Put,
            "/fitness/v1/athletes/{aid}/calendarNote/{id}/comment",
            put_note_comment,
        ),
    ]
}

/// Seeds four notes around `today`, two of them with comments (the athlete's and the coach's).
pub(super) fn seed(state: &mut State, today: NaiveDate) {
    let at = |days: i64| today + Duration::days(days);
    type SeedComment = (bool, i64, u32, &'static str);
    let notes: [(i64, &str, &str, &[SeedComment]); 4] = [
        (
            -10,
            "Bike fit",
            "Saddle raised 4 mm, cleats moved back 2 mm. Knee felt better on the test ride.",
            &[(
                false,
                -10,
                18,
                "Nice. Keep the first two rides easy while you adapt to the new position.",
            )],
        ),
        (
            -3,
            "Coach check-in",
            "Build block 2 went well; weekday sleep is still short (about 6 h 20 min).",
            &[
                (
                    true,
                    -3,
                    20,
                    "Work deadline this week, should ease off after Friday.",
                ),
                (
                    false,
                    -2,
                    7,
                    "Understood. I moved Thursday's intervals to Saturday.",
                ),
            ],
        ),
        (
            2,
            "Packing list for the conference",
            "Running shoes, resistance band, HR strap.",
            &[],
        ),
        (
            30,
            "Race recce",
            "Drive the Lakeside bike course and swim the lake once.",
            &[],
        ),
    ];
    for (days, title, description, comments) in notes {
        let id = state.new_id();
        let date = at(days);
        let created = stamp(date.min(today) - Duration::days(1), 19, 30);
        state.collection(NOTES).insert(
            id,
            json!({
                "id": id,
                "athleteId": SAMPLE_ATHLETE_ID,
                "title": title,
                "noteDate": midnight(date),
                "description": description,
                "isHidden": false,
                "attachments": [],
                "createdDate": created,
                "modifiedDate": created,
                "ownerId": SAMPLE_ATHLETE_ID,
                "parentPlanNoteId": 0,
                "appliedPlanId": 0,
                "commentCount": comments.len(),
            }),
        );
        for (by_athlete, cdays, hour, text) in comments {
            let cid = state.new_id();
            let when = stamp(at(*cdays), *hour, 15);
            state
                .collection(COMMENTS)
                .insert(cid, comment_object(id, cid, *by_athlete, text, &when));
        }
    }
}

fn comment_object(note_id: i64, stream_id: i64, by_athlete: bool, text: &str, when: &str) -> Value {
    let (person, first, last) = if by_athlete {
        (SAMPLE_ATHLETE_ID, sample::FIRST_NAME, sample::LAST_NAME)
    } else {
        (
            sample::COACH_PERSON_ID,
            sample::COACH_FIRST_NAME,
            sample::COACH_LAST_NAME,
        )
    };
    json!({
        "calendarNoteId": note_id,
        "calendarNoteCommentStreamId": stream_id,
        "comment": text,
        "commenterPersonId": person,
        "createdDateTimeUtc": when,
        "updatedDateTimeUtc": when,
        "firstName": first,
        "lastName": last,
        "commenterPhotoUrl": null,
    })
}

fn check_note(m: &mut Map<String, Value>, aid: i64) -> Result<(), ApiError> {
    id_matches(m, "athleteId", aid)?;
    required_string(m, "title")?;
    let date = date_field(m, "noteDate")?;
    m.insert("noteDate".into(), json!(midnight(date)));
    typed(m, "description", Value::is_string, "String")?;
    typed(m, "isHidden", Value::is_boolean, "Boolean")?;
    typed(m, "attachments", Value::is_array, "List<Attachment>")?;
    Ok(())
}

fn with_comment_count(st: &mut State, mut note: Value, id: i64) -> Value {
    let count = st
        .collection(COMMENTS)
        .values()
        .filter(|c| c.get("calendarNoteId").and_then(Value::as_i64) == Some(id))
        .count();
    if let Value::Object(m) = &mut note {
        m.insert("commentCount".into(), json!(count));
    }
    note
}

fn create_note(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = athlete(st, p)?;
    let mut m = body_object(ctx)?;
    check_note(&mut m, aid)?;
    let id = st.new_id();
    let now = now_stamp(ctx);
    m.insert("id".into(), json!(id));
    m.insert("createdDate".into(), json!(now));
    m.insert("modifiedDate".into(), json!(now));
    m.insert("ownerId".into(), json!(aid));
    m.entry("description".to_string()).or_insert(json!(""));
    m.entry("isHidden".to_string()).or_insert(json!(false));
    m.entry("attachments".to_string()).or_insert(json!([]));
    m.entry("parentPlanNoteId".to_string()).or_insert(json!(0));
    m.entry("appliedPlanId".to_string()).or_insert(json!(0));
    m.insert("commentCount".into(), json!(0));
    let obj = Value::Object(m);
    st.collection(NOTES).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn note_id(st: &mut State, p: &Params) -> Result<i64, ApiError> {
    athlete(st, p)?;
    let id = p.id("id")?;
    if !st.collection(NOTES).contains_key(&id) {
        return Err(not_found(&format!("Calendar note {id}")));
    }
    Ok(id)
}

fn get_note(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let id = note_id(st, p)?;
    let note = st
        .collection(NOTES)
        .get(&id)
        .cloned()
        .unwrap_or(Value::Null);
    Ok(HttpResponse::json(200, &with_comment_count(st, note, id)))
}

fn update_note(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let id = note_id(st, p)?;
    let aid = athlete(st, p)?;
    let mut m = body_object(ctx)?;
    if m.get("id").is_some_and(|v| v.as_i64() != Some(id)) {
        return Err(bad_request(
            "The id in the body does not match the id in the url.",
        ));
    }
    // Spec §9.3: the PUT needs the whole note, `createdDate` included.
    if m.get("createdDate").and_then(Value::as_str).is_none() {
        return Err(bad_request("The createdDate field is required."));
    }
    check_note(&mut m, aid)?;
    m.insert("id".into(), json!(id));
    m.insert("modifiedDate".into(), json!(now_stamp(ctx)));
    let obj = with_comment_count(st, Value::Object(m), id);
    st.collection(NOTES).insert(id, obj.clone());
    Ok(HttpResponse::json(200, &obj))
}

fn delete_note(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let id = note_id(st, p)?;
    st.collection(NOTES).remove(&id);
    st.collection(COMMENTS)
        .retain(|_, c| c.get("calendarNoteId").and_then(Value::as_i64) != Some(id));
    Ok(HttpResponse::new(200, Vec::new()))
}

fn note_comments(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let id = note_id(st, p)?;
    let mut list: Vec<Value> = st
        .collection(COMMENTS)
        .values()
        .filter(|c| c.get("calendarNoteId").and_then(Value::as_i64) == Some(id))
        .cloned()
        .collect();
    list.sort_by_key(|c| {
        c.get("createdDateTimeUtc")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    Ok(HttpResponse::json(200, &Value::Array(list)))
}

fn put_note_comment(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let id = note_id(st, p)?;
    let m = body_object(ctx)?;
    // PascalCase `Comment` (spec §9.3).
    let Some(text) = m
        .get("Comment")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
    else {
        return Err(bad_request("The Comment field is required."));
    };
    let now = now_stamp(ctx);
    match m.get("CalendarNoteCommentStreamId") {
        None | Some(Value::Null) => {
            let cid = st.new_id();
            let c = comment_object(id, cid, true, text, &now);
            st.collection(COMMENTS).insert(cid, c.clone());
            Ok(HttpResponse::json(200, &c))
        }
        Some(v) => {
            let Some(cid) = v.as_i64() else {
                return Err(bad_request(
                    "Error converting value to type 'Int32'. Path 'CalendarNoteCommentStreamId'.",
                ));
            };
            let Some(c) = st
                .collection(COMMENTS)
                .get_mut(&cid)
                .filter(|c| c.get("calendarNoteId").and_then(Value::as_i64) == Some(id))
            else {
                return Err(not_found(&format!("Comment {cid}")));
            };
            if let Value::Object(cm) = c {
                cm.insert("comment".into(), json!(text));
                cm.insert("updatedDateTimeUtc".into(), json!(now));
            }
            let c = c.clone();
            Ok(HttpResponse::json(200, &c))
        }
    }
}
