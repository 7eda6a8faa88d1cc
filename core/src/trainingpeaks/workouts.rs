//! Workout endpoints (spec §4, §5): the type catalogue, calendar workouts (list, get, create,
//! full-object update, delete), comments, and the private note.
//!
//! Workouts are handled as raw JSON objects wherever they are written back, because a PUT
//! replaces the whole object: any field we did not model would otherwise be lost. Reads that
//! only display data decode into the tolerant typed view [`Workout`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Api, MAX_RANGE_DAYS, TpClient, TpError, from_value, status_error};
use crate::http::Method;

/// `(workoutSubTypeId, name)`.
pub type SubtypeEntry = (i64, &'static str);

/// The sport and subtype catalogue (spec §4 table): `(workoutTypeValueId, name, subtypes)`.
/// Served by the sandbox and used to check that a subtype belongs to its sport (ISS#81: a
/// subtype id written as a type id silently changes the sport).
pub const WORKOUT_TYPE_TABLE: &[(i64, &str, &[SubtypeEntry])] = &[
    (1, "Swim", &[(1, "Open Water Swim"), (2, "Pool Swim")]),
    (
        2,
        "Bike",
        &[
            (3, "Road"),
            (4, "Gravel"),
            (5, "Track"),
            (6, "Indoor"),
            (7, "Cyclocross"),
            (8, "E-Bike"),
            (9, "Hand Cycling"),
            (47, "Time Trial"),
            (49, "Virtual Bike"),
        ],
    ),
    (
        3,
        "Run",
        &[
            (10, "Road"),
            (11, "Track"),
            (12, "Trail"),
            (13, "Indoor"),
            (50, "Virtual"),
        ],
    ),
    (4, "Brick", &[]),
    (5, "Crosstrain", &[]),
    (6, "Race", &[]),
    (7, "Day Off", &[]),
    (
        8,
        "Mountain Bike",
        &[
            (14, "XC"),
            (15, "Enduro"),
            (16, "Downhill"),
            (17, "Short Track"),
            (18, "Fat Bike"),
            (19, "E-MTB"),
        ],
    ),
    (9, "Strength", &[]),
    (10, "Custom", &[]),
    (
        11,
        "XC-Ski",
        &[
            (26, "Classic"),
            (27, "Skate"),
            (28, "Alpine"),
            (29, "Ski Touring"),
            (30, "Ski Mountaineering"),
            (31, "Biathlon"),
            (32, "Roller Skiing"),
            (33, "Nordic Combined"),
            (34, "Split Boarding"),
            (46, "Cross Country Ski"),
        ],
    ),
    (12, "Rowing", &[(39, "Indoor"), (51, "Virtual")]),
    (
        13,
        "Walk",
        &[
            (41, "Hike"),
            (42, "Treadmill Walk"),
            (43, "Mountaineering"),
            (44, "Hunting"),
        ],
    ),
    (
        29,
        "Strength+",
        &[
            (20, "Mobility"),
            (21, "Functional Fitness"),
            (22, "Yoga"),
            (23, "Rock Climbing"),
            (24, "Hybrid Strength"),
            (25, "Stretching"),
        ],
    ),
    (
        100,
        "Other",
        &[
            (45, "Speed Skating"),
            (48, "Equestrian"),
            (38, "Kayak"),
            (37, "Sailing"),
            (35, "Canoe"),
            (36, "SUP"),
            (40, "Surfing"),
        ],
    ),
];

/// The subtypes allowed for a sport (empty for an unknown sport).
pub fn subtypes_of(type_id: i64) -> &'static [(i64, &'static str)] {
    WORKOUT_TYPE_TABLE
        .iter()
        .find(|(id, _, _)| *id == type_id)
        .map_or(&[], |(_, _, subs)| subs)
}

/// One entry of `GET /fitness/v6/workouttypes` (spec §4).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkoutType {
    /// The `workoutTypeValueId`.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Subtypes (`workoutSubTypeId`).
    #[serde(default)]
    pub sub_types: Vec<WorkoutSubType>,
}

/// A workout subtype.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct WorkoutSubType {
    /// The `workoutSubTypeId`.
    pub id: i64,
    /// Display name.
    pub name: String,
}

/// A read-only typed view of a calendar workout (spec §5.2). Every field is optional because
/// planned and completed workouts fill different subsets; unknown fields are ignored.
/// Durations are hours, distances metres, energy kJ.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Workout {
    /// Workout id.
    pub workout_id: i64,
    /// Owning athlete.
    pub athlete_id: Option<i64>,
    /// `YYYY-MM-DDT00:00:00`.
    pub workout_day: String,
    /// Title.
    pub title: Option<String>,
    /// Sport (`workoutTypeValueId`).
    pub workout_type_value_id: Option<i64>,
    /// Subtype (`workoutSubTypeId`).
    pub workout_sub_type_id: Option<i64>,
    /// 1-based position within the day.
    pub order_on_day: Option<i64>,
    /// Whether it has been done.
    pub completed: Option<bool>,
    /// Soft-deleted (RGW filters these out of lists).
    pub is_deleted: Option<bool>,
    /// Actual duration, hours.
    pub total_time: Option<f64>,
    /// Planned duration, hours.
    pub total_time_planned: Option<f64>,
    /// Actual distance, metres.
    pub distance: Option<f64>,
    /// Planned distance, metres.
    pub distance_planned: Option<f64>,
    /// Actual TSS.
    pub tss_actual: Option<f64>,
    /// Planned TSS.
    pub tss_planned: Option<f64>,
    /// Actual intensity factor.
    #[serde(rename = "if")]
    pub if_actual: Option<f64>,
    /// Planned intensity factor.
    pub if_planned: Option<f64>,
    /// Actual energy, kJ.
    pub energy: Option<f64>,
    /// Planned energy, kJ.
    pub energy_planned: Option<f64>,
    /// Average heart rate, bpm.
    pub heart_rate_average: Option<f64>,
    /// Maximum heart rate, bpm.
    pub heart_rate_maximum: Option<f64>,
    /// Average power, W.
    pub power_average: Option<f64>,
    /// Maximum power, W.
    pub power_maximum: Option<f64>,
    /// Normalized power, W.
    pub normalized_power_actual: Option<f64>,
    /// Description.
    pub description: Option<String>,
    /// Coach's comments.
    pub coach_comments: Option<String>,
    /// Athlete's comments.
    pub athlete_comments: Option<String>,
    /// Comma-separated tags.
    pub user_tags: Option<String>,
    /// Feeling 0–10.
    pub feeling: Option<f64>,
    /// RPE 1–10.
    pub rpe: Option<f64>,
    /// Interval structure (an object on GET).
    pub structure: Option<Value>,
    /// Whether the caller has a private note on it.
    pub has_private_workout_note_for_caller: Option<bool>,
}

impl Workout {
    /// The calendar date (`workoutDay` without its time part).
    pub fn date(&self) -> Option<NaiveDate> {
        let d = self.workout_day.get(..10)?;
        NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()
    }

    /// Whether the workout has been done: `completed`, else the presence of an actual duration.
    pub fn is_completed(&self) -> bool {
        self.completed
            .unwrap_or(self.total_time.is_some_and(|t| t > 0.0))
    }
}

/// A comment on a workout (`/fitness/v2/.../comments`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkoutComment {
    /// Comment id.
    pub id: i64,
    /// The text.
    pub comment: String,
    /// When it was written (ISO).
    pub date_created: Option<String>,
    /// Workout id.
    pub workout_id: Option<i64>,
    /// Author's person id.
    pub commenter_person_id: Option<i64>,
    /// Author's display name.
    pub commenter_name: Option<String>,
    /// Whether the author is a coach.
    pub is_coach: Option<bool>,
}

/// Formats a date as `workoutDay` is returned (`YYYY-MM-DDT00:00:00`).
///
/// Spec §3: responses use `...T00:00:00`; REF posts a bare date, JM/EX post the midnight form;
/// both are accepted. We send the response form so a GET-merge-PUT round-trip is unchanged.
pub fn workout_day(date: NaiveDate) -> String {
    format!("{}T00:00:00", date.format("%Y-%m-%d"))
}

/// Normalises tags the way REF does: split on commas, trim, drop empties, re-join with ",".
pub fn normalize_tags(tags: &str) -> String {
    tags.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

fn not_found(err: TpError, what: String) -> TpError {
    match err {
        TpError::NotFound { method, path, .. } => TpError::NotFound { what, method, path },
        other => other,
    }
}

impl TpClient {
    /// `GET /fitness/v6/workouttypes`: the sport catalogue (not athlete-scoped).
    pub async fn workout_types(&self) -> Result<Vec<WorkoutType>, TpError> {
        self.get(Api::Tp, "/fitness/v6/workouttypes").await
    }

    /// Every workout (planned and completed) of `athlete` from `start` to `end` inclusive,
    /// sorted by day then `orderOnDay`. Ranges over 90 days are fetched as concurrent 90-day
    /// windows ([`TpClient::fetch_windows`]); soft-deleted items are dropped and duplicates (by id) removed.
    pub async fn workouts(
        &self,
        athlete: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Workout>, TpError> {
        let chunks = self
            .fetch_windows(start, end, MAX_RANGE_DAYS, |a, b| {
                self.workouts_window(athlete, a, b)
            })
            .await?;
        let mut all: Vec<Workout> = chunks
            .into_iter()
            .flatten()
            .filter(|w| w.is_deleted != Some(true))
            .collect();
        all.sort_by(|a, b| {
            (
                a.workout_day.get(..10),
                a.order_on_day.unwrap_or(i64::MAX),
                a.workout_id,
            )
                .cmp(&(
                    b.workout_day.get(..10),
                    b.order_on_day.unwrap_or(i64::MAX),
                    b.workout_id,
                ))
        });
        all.dedup_by_key(|w| w.workout_id);
        Ok(all)
    }

    /// One list request (at most 90 days). Decodes straight from bytes into the typed view:
    /// a year of workouts is a few hundred kB, and skipping the intermediate `Value` halves
    /// the work.
    async fn workouts_window(
        &self,
        athlete: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Workout>, TpError> {
        let path = format!(
            "/fitness/v6/athletes/{athlete}/workouts/{}/{}",
            start.format("%Y-%m-%d"),
            end.format("%Y-%m-%d")
        );
        let resp = self.send(Method::Get, Api::Tp, &path, None).await?;
        if !resp.is_success() {
            return Err(status_error(Method::Get, &path, &resp));
        }
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        // Check UTF-8 once for the whole body, then parse from `&str`: `from_slice` validates
        // every string token on its own, which was a tenth of the decode time.
        let text = std::str::from_utf8(&resp.body).map_err(|e| TpError::Decode {
            path: path.clone(),
            message: format!("the response is not UTF-8: {e}"),
        })?;
        serde_json::from_str(text).map_err(|e| TpError::Decode {
            path,
            message: e.to_string(),
        })
    }

    /// `GET /fitness/v6/athletes/{aid}/workouts/{id}` as the raw object (the basis of every
    /// merge-then-PUT). A 404 names the workout and athlete.
    pub async fn workout_raw(&self, athlete: i64, workout_id: i64) -> Result<Value, TpError> {
        let path = format!("/fitness/v6/athletes/{athlete}/workouts/{workout_id}");
        let v = self
            .get_json(Api::Tp, &path)
            .await
            .map_err(|e| not_found(e, format!("Workout {workout_id} for athlete {athlete}")))?;
        if !v.is_object() {
            return Err(TpError::Decode {
                path,
                message: "expected a workout object".into(),
            });
        }
        Ok(v)
    }

    /// The typed view of one workout.
    pub async fn workout(&self, athlete: i64, workout_id: i64) -> Result<Workout, TpError> {
        let path = format!("/fitness/v6/athletes/{athlete}/workouts/{workout_id}");
        from_value(self.workout_raw(athlete, workout_id).await?, &path)
    }

    /// `POST /fitness/v6/athletes/{aid}/workouts` with a complete create body (see
    /// [`create_body`]). Returns the created workout. Never retried (it is a write).
    pub async fn create_workout(&self, athlete: i64, body: &Value) -> Result<Value, TpError> {
        let path = format!("/fitness/v6/athletes/{athlete}/workouts");
        self.request_json(Method::Post, Api::Tp, &path, Some(body))
            .await
    }

    /// Updates a workout the only safe way (spec §5.1): GET the full object, overlay
    /// `changes`, re-serialise `structure` to a string if it is an object, set `athleteId`,
    /// and PUT the whole object back. Fields not in `changes` are sent unchanged.
    pub async fn update_workout(
        &self,
        athlete: i64,
        workout_id: i64,
        changes: Map<String, Value>,
    ) -> Result<Value, TpError> {
        let mut current = self.workout_raw(athlete, workout_id).await?;
        if let Value::Object(obj) = &mut current {
            obj.extend(changes);
        }
        self.put_workout(athlete, workout_id, current).await
    }

    /// PUTs a full workout object (from a GET, possibly modified), stringifying `structure`.
    pub async fn put_workout(
        &self,
        athlete: i64,
        workout_id: i64,
        mut full: Value,
    ) -> Result<Value, TpError> {
        if let Value::Object(obj) = &mut full {
            obj.insert("athleteId".into(), Value::from(athlete));
            obj.insert("workoutId".into(), Value::from(workout_id));
            stringify_structure(obj);
        }
        let path = format!("/fitness/v6/athletes/{athlete}/workouts/{workout_id}");
        let resp = self
            .request_json(Method::Put, Api::Tp, &path, Some(&full))
            .await
            .map_err(|e| not_found(e, format!("Workout {workout_id} for athlete {athlete}")))?;
        // The PUT answers with the updated workout; if a server ever answers with an empty
        // body, what we sent *is* the new state.
        Ok(if resp.is_object() { resp } else { full })
    }

    /// `DELETE /fitness/v6/athletes/{aid}/workouts/{id}`.
    pub async fn delete_workout(&self, athlete: i64, workout_id: i64) -> Result<(), TpError> {
        let path = format!("/fitness/v6/athletes/{athlete}/workouts/{workout_id}");
        self.request_json(Method::Delete, Api::Tp, &path, None)
            .await
            .map_err(|e| not_found(e, format!("Workout {workout_id} for athlete {athlete}")))?;
        Ok(())
    }

    /// `GET /fitness/v2/athletes/{aid}/workouts/{id}/comments`.
    pub async fn workout_comments(
        &self,
        athlete: i64,
        workout_id: i64,
    ) -> Result<Vec<WorkoutComment>, TpError> {
        let path = format!("/fitness/v2/athletes/{athlete}/workouts/{workout_id}/comments");
        let v = self
            .get_json(Api::Tp, &path)
            .await
            .map_err(|e| not_found(e, format!("Workout {workout_id} for athlete {athlete}")))?;
        comments_from(v, &path)
    }

    /// `POST .../comments` with `{"value": text}`; returns the whole thread.
    pub async fn add_workout_comment(
        &self,
        athlete: i64,
        workout_id: i64,
        text: &str,
    ) -> Result<Vec<WorkoutComment>, TpError> {
        let path = format!("/fitness/v2/athletes/{athlete}/workouts/{workout_id}/comments");
        let body = serde_json::json!({ "value": text });
        let v = self
            .request_json(Method::Post, Api::Tp, &path, Some(&body))
            .await
            .map_err(|e| not_found(e, format!("Workout {workout_id} for athlete {athlete}")))?;
        comments_from(v, &path)
    }

    /// `DELETE .../comments/{commentId}`.
    pub async fn delete_workout_comment(
        &self,
        athlete: i64,
        workout_id: i64,
        comment_id: i64,
    ) -> Result<(), TpError> {
        let path =
            format!("/fitness/v2/athletes/{athlete}/workouts/{workout_id}/comments/{comment_id}");
        self.request_json(Method::Delete, Api::Tp, &path, None)
            .await
            .map_err(|e| {
                not_found(
                    e,
                    format!("Comment {comment_id} on workout {workout_id} for athlete {athlete}"),
                )
            })?;
        Ok(())
    }

    /// `PUT /fitness/v6/workouts/{id}/privateWorkoutNote` with `{"note": text}` (no athlete in
    /// the path, spec §5.1; an empty string clears the note).
    pub async fn set_private_workout_note(
        &self,
        workout_id: i64,
        note: &str,
    ) -> Result<(), TpError> {
        let path = format!("/fitness/v6/workouts/{workout_id}/privateWorkoutNote");
        let body = serde_json::json!({ "note": note });
        self.request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await
            .map_err(|e| not_found(e, format!("Workout {workout_id}")))?;
        Ok(())
    }

    /// `POST /fitness/v1/athletes/{aid}/reporting/performancedata/{start}/{end}` with the
    /// default PMC constants (spec §6): daily `{workoutDay, tssActual, ctl, atl, tsb}` rows.
    /// Used by the weekly summary for end-of-week fitness.
    pub async fn weekly_performance_rows(
        &self,
        athlete: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Value>, TpError> {
        let path = format!(
            "/fitness/v1/athletes/{athlete}/reporting/performancedata/{}/{}",
            start.format("%Y-%m-%d"),
            end.format("%Y-%m-%d")
        );
        let body = serde_json::json!({"atlConstant": 7, "atlStart": 0, "ctlConstant": 42, "ctlStart": 0, "workoutTypes": []});
        match self
            .request_json_read(Method::Post, Api::Tp, &path, Some(&body))
            .await?
        {
            Value::Array(rows) => Ok(rows),
            Value::Null => Ok(Vec::new()),
            _ => Err(TpError::Decode {
                path,
                message: "expected an array of daily rows".into(),
            }),
        }
    }
}

/// Re-serialises an object `structure` to a JSON string: calendar workout writes carry the
/// structure double-serialised (spec §10.1), while GET returns it as an object.
pub fn stringify_structure(obj: &mut Map<String, Value>) {
    if let Some(s) = obj.get_mut("structure")
        && (s.is_object() || s.is_array())
    {
        *s = Value::String(s.to_string());
    }
}

fn comments_from(v: Value, path: &str) -> Result<Vec<WorkoutComment>, TpError> {
    match v {
        Value::Null => Ok(Vec::new()),
        v => from_value(v, path),
    }
}

/// The fields a new calendar workout is created with. Durations in hours, distance in metres.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewWorkout {
    /// The day.
    pub date: Option<NaiveDate>,
    /// `workoutTypeValueId`.
    pub type_id: i64,
    /// `workoutSubTypeId`.
    pub subtype_id: Option<i64>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Coach comments.
    pub coach_comments: Option<String>,
    /// Planned hours.
    pub total_time_planned: Option<f64>,
    /// Planned metres.
    pub distance_planned: Option<f64>,
    /// Planned TSS.
    pub tss_planned: Option<f64>,
    /// Planned IF.
    pub if_planned: Option<f64>,
    /// Planned kJ.
    pub energy_planned: Option<f64>,
    /// The compiled wire structure (an object; sent as a string).
    pub structure: Option<Value>,
    /// Tags, already normalised (comma string).
    pub user_tags: String,
}

/// The create body in REF's full shape (spec §5.3): every key present, `null` when unknown,
/// `workoutId: 0`, `structure` a JSON string, `userTags` a string. REF's claim that partial
/// bodies are rejected is disputed (CONFLICT in §5.3); sending the full shape is safe either way.
pub fn create_body(athlete: i64, w: &NewWorkout) -> Value {
    let day = w.date.map(workout_day);
    serde_json::json!({
        "athleteId": athlete,
        "workoutId": 0,
        "workoutDay": day,
        "workoutTypeValueId": w.type_id,
        "workoutSubTypeId": w.subtype_id,
        "title": w.title,
        "description": w.description,
        "coachComments": w.coach_comments,
        "athleteComments": null,
        "totalTimePlanned": w.total_time_planned,
        "distancePlanned": w.distance_planned,
        "tssPlanned": w.tss_planned,
        "ifPlanned": w.if_planned,
        "energyPlanned": w.energy_planned,
        "feeling": null,
        "rpe": null,
        "orderOnDay": null,
        "structure": w.structure.as_ref().map(|s| if s.is_string() { s.clone() } else { Value::String(s.to_string()) }),
        "userTags": w.user_tags,
        "workoutComments": [],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(normalize_tags(" a, b ,,c ,"), "a,b,c");
        assert_eq!(normalize_tags(""), "");
    }

    #[test]
    fn structure_is_stringified_once() {
        let mut m = Map::new();
        m.insert("structure".into(), serde_json::json!({"structure": []}));
        stringify_structure(&mut m);
        assert_eq!(m["structure"], Value::String("{\"structure\":[]}".into()));
        stringify_structure(&mut m);
        assert_eq!(m["structure"], Value::String("{\"structure\":[]}".into()));
    }

    #[test]
    fn workout_view_tolerates_nulls_and_extra_fields() {
        let w: Workout = serde_json::from_value(serde_json::json!({
            "workoutId": 7, "workoutDay": "2026-11-20T00:00:00", "title": null, "userTags": null,
            "totalTime": 1.5, "if": 0.8, "somethingNew": [1, 2]
        }))
        .unwrap();
        assert_eq!(w.workout_id, 7);
        assert_eq!(w.date(), Some(d("2026-11-20")));
        assert_eq!(w.if_actual, Some(0.8));
        assert!(w.is_completed());
    }
}
