//! A workout's comment thread and the caller's private note on it.

use serde_json::{Value, json};

use crate::http::HttpResponse;
use crate::sandbox::router::{Ctx, Params};
use crate::sandbox::{Answer, ApiError, State, bad_request, not_found};

use super::{COMMENTS, NOTES, WORKOUTS, athlete, owned};

/// The comments on workout `wid`, oldest first (the body every comment route answers with).
fn thread(st: &State, wid: i64) -> Value {
    let items: Vec<Value> = st
        .collections
        .get(COMMENTS)
        .map(|c| {
            c.values()
                .filter(|x| x.get("workoutId").and_then(Value::as_i64) == Some(wid))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    Value::Array(items)
}

pub(super) fn comments(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let (wid, _) = owned(st, athlete(st, p)?, p)?;
    Ok(HttpResponse::json(200, &thread(st, wid)))
}

pub(super) fn add_comment(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let (wid, _) = owned(st, athlete(st, p)?, p)?;
    let body = ctx.json_body()?;
    let Some(text) = body
        .get("value")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return Err(bad_request("`value` must be a non-empty string."));
    };
    let user = st.docs.get("user").cloned().unwrap_or(Value::Null);
    let id = st.new_id();
    let first = user.get("firstName").cloned().unwrap_or(Value::Null);
    let last = user.get("lastName").cloned().unwrap_or(Value::Null);
    let name = user.get("fullName").cloned().unwrap_or(Value::Null);
    let c = json!({
        "id": id, "comment": text, "dateCreated": ctx.clock.now().format("%Y-%m-%dT%H:%M:%S").to_string(),
        "workoutId": wid, "commenterPersonId": user.get("personId").cloned().unwrap_or(Value::Null),
        "firstName": first, "lastName": last, "commenterName": name, "commenterPhotoUrl": null, "isCoach": false
    });
    st.collection(COMMENTS).insert(id, c);
    Ok(HttpResponse::json(200, &thread(st, wid)))
}

pub(super) fn delete_comment(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let (wid, _) = owned(st, athlete(st, p)?, p)?;
    let cid = p.id("cid")?;
    let belongs = st
        .collections
        .get(COMMENTS)
        .and_then(|c| c.get(&cid))
        .is_some_and(|c| c.get("workoutId").and_then(Value::as_i64) == Some(wid));
    if !belongs {
        return Err(not_found(&format!("Comment {cid}")));
    }
    st.collection(COMMENTS).remove(&cid);
    Ok(HttpResponse::json(200, &thread(st, wid)))
}

/// The workout id of a private-note path if it exists (the path has no athlete, spec §5.1).
fn note_workout(st: &State, p: &Params) -> Result<i64, ApiError> {
    let wid = p.id("wid")?;
    if st
        .collections
        .get(WORKOUTS)
        .is_some_and(|c| c.contains_key(&wid))
    {
        Ok(wid)
    } else {
        Err(not_found(&format!("Workout {wid}")))
    }
}

pub(super) fn get_note(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let wid = note_workout(st, p)?;
    let note = st
        .collections
        .get(NOTES)
        .and_then(|n| n.get(&wid))
        .cloned()
        .unwrap_or_else(|| json!({"note": "", "dateTimeUpdatedUtc": null}));
    Ok(HttpResponse::json(200, &note))
}

pub(super) fn put_note(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let wid = note_workout(st, p)?;
    let body = ctx.json_body()?;
    let Some(note) = body.get("note").and_then(Value::as_str) else {
        return Err(bad_request("`note` must be a string."));
    };
    let now = ctx.clock.now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let has = !note.is_empty();
    if has {
        st.collection(NOTES)
            .insert(wid, json!({"note": note, "dateTimeUpdatedUtc": now}));
    } else {
        st.collection(NOTES).remove(&wid);
    }
    if let Some(Value::Object(w)) = st.collection(WORKOUTS).get_mut(&wid) {
        w.insert("hasPrivateWorkoutNoteForCaller".into(), json!(has));
    }
    Ok(HttpResponse::new(200, Vec::new()))
}
