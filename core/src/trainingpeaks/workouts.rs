//! Workout endpoints (spec §4, §5): the type catalogue, calendar workouts (list, get, create,
//! full-object update, delete), comments, and the private note.
//!
//! Every response is read into a tolerant wire struct ([`Workout`], [`WorkoutType`],
//! [`WorkoutComment`]) whose fields are [`Field`]s: a field that drifts reads as unknown, and only
//! a workout's id is vital. Writes are exact: a PUT sends back the GET's own object with only
//! the changed keys replaced, so every field keeps the value and the JSON type the server gave.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Api, MAX_RANGE_DAYS, TpClient, TpError, from_value, status_error};
use crate::http::Method;
pub(crate) use crate::wire::text;
use crate::wire::{Day, Field, LenientList, MissingField, Rest, Stamp};

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

/// One entry of `GET /fitness/v6/workouttypes` (spec §4). Only `id` is vital: a type without
/// one is not listed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkoutType {
    /// The `workoutTypeValueId`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// Display name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Subtypes (`workoutSubTypeId`); odd entries are dropped.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub sub_types: Field<Vec<WorkoutSubType>>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// A workout subtype.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkoutSubType {
    /// The `workoutSubTypeId` (vital: a subtype without one is not listed).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// Display name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(WorkoutType, WorkoutSubType);

impl WorkoutType {
    /// The subtypes that have an id.
    pub fn subtypes(&self) -> impl Iterator<Item = &WorkoutSubType> {
        self.sub_types
            .get()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|s| s.id.is_present())
    }
}

/// A calendar workout as the server sends it (spec §5.2). Every field is a [`Field`] because
/// planned and completed workouts fill different subsets and any of them may drift; only
/// `workoutId` is vital ([`Workout::id`]). Durations are hours, distances metres, energy kJ.
///
/// Writes do not go through this struct: a full-object PUT sends back the GET's object itself
/// with only the changed keys replaced ([`TpClient::workout_raw`], [`TpClient::put_workout`]),
/// so every field keeps exactly the value *and* JSON type the server gave (a struct round trip
/// would turn a `60` of a float field into `60.0`). `rest` keeps what this view does not model,
/// so the struct round-trips too.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Workout {
    /// Workout id (vital).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_id: Field<i64>,
    /// Owning athlete.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athlete_id: Field<i64>,
    /// The day (`YYYY-MM-DDT00:00:00` on the wire).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_day: Field<Day>,
    /// Title.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub title: Field<String>,
    /// Sport (`workoutTypeValueId`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_type_value_id: Field<i64>,
    /// Subtype (`workoutSubTypeId`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_sub_type_id: Field<i64>,
    /// 1-based position within the day.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub order_on_day: Field<i64>,
    /// Whether it has been done.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub completed: Field<bool>,
    /// Soft-deleted (RGW filters these out of lists).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub is_deleted: Field<bool>,
    /// Actual duration, hours.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub total_time: Field<f64>,
    /// Planned duration, hours.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub total_time_planned: Field<f64>,
    /// Actual distance, metres.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance: Field<f64>,
    /// Planned distance, metres.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance_planned: Field<f64>,
    /// Actual TSS.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub tss_actual: Field<f64>,
    /// Planned TSS.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub tss_planned: Field<f64>,
    /// Actual intensity factor.
    #[serde(rename = "if", skip_serializing_if = "Field::is_absent")]
    pub if_actual: Field<f64>,
    /// Planned intensity factor.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub if_planned: Field<f64>,
    /// Actual energy, kJ.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub energy: Field<f64>,
    /// Planned energy, kJ.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub energy_planned: Field<f64>,
    /// Average heart rate, bpm.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub heart_rate_average: Field<f64>,
    /// Maximum heart rate, bpm.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub heart_rate_maximum: Field<f64>,
    /// Average power, W.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub power_average: Field<f64>,
    /// Maximum power, W.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub power_maximum: Field<f64>,
    /// Normalized power, W.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub normalized_power_actual: Field<f64>,
    /// Description.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// Coach's comments.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub coach_comments: Field<String>,
    /// Athlete's comments.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athlete_comments: Field<String>,
    /// Comma-separated tags.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub user_tags: Field<String>,
    /// Feeling 0–10.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub feeling: Field<f64>,
    /// RPE 1–10.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub rpe: Field<f64>,
    /// Interval structure (an object on GET, a JSON string in older data), kept verbatim; read
    /// it with [`Workout::structure`].
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub structure: Field<Value>,
    /// Whether the caller has a private note on it.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub has_private_workout_note_for_caller: Field<bool>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(Workout);

impl Workout {
    /// The typed view of a raw workout object (never fails: every field is read leniently,
    /// and a non-object reads as an empty workout).
    pub fn from_raw(raw: &Value) -> Self {
        crate::wire::read(raw).unwrap_or_default()
    }

    /// The workout's id, or an error naming `workoutId` and what was seen.
    pub fn id(&self) -> Result<i64, MissingField> {
        self.workout_id.require("workout", "workoutId")
    }

    /// The calendar date (`workoutDay` without its time part).
    pub fn date(&self) -> Option<NaiveDate> {
        self.workout_day.get().map(Day::date)
    }

    /// Whether the workout has been done: `completed`, else the presence of an actual duration.
    pub fn is_completed(&self) -> bool {
        self.completed
            .val()
            .unwrap_or(self.total_time.val().is_some_and(|t| t > 0.0))
    }

    /// The interval structure as an object, if there is one (a JSON string holding one is
    /// parsed; anything else reads as none).
    pub fn structure(&self) -> Option<Value> {
        match self.structure.get()? {
            Value::String(s) => serde_json::from_str::<Value>(s)
                .ok()
                .filter(Value::is_object),
            v if v.is_object() => Some(v.clone()),
            _ => None,
        }
    }
}

/// A comment on a workout (`/fitness/v2/.../comments`). Only `id` is vital: a comment without
/// one cannot be deleted or told apart, so it is not listed.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkoutComment {
    /// Comment id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// The text.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub comment: Field<String>,
    /// When it was written.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub date_created: Field<Stamp>,
    /// Workout id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_id: Field<i64>,
    /// Author's person id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub commenter_person_id: Field<i64>,
    /// Author's display name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub commenter_name: Field<String>,
    /// Author's first name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub first_name: Field<String>,
    /// Author's last name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub last_name: Field<String>,
    /// Whether the author is a coach.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub is_coach: Field<bool>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(WorkoutComment);

impl WorkoutComment {
    /// The author: `commenterName`, else first and last name joined.
    pub fn author(&self) -> Option<String> {
        text(&self.commenter_name).or_else(|| {
            let n = [text(&self.first_name), text(&self.last_name)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            (!n.is_empty()).then_some(n)
        })
    }
}

/// The day as `workoutDay` is written (`YYYY-MM-DDT00:00:00`, [`Day::midnight`]).
///
/// Spec §3: responses use `...T00:00:00`; REF posts a bare date, JM/EX post the midnight form;
/// both are accepted. We send the response form so a GET-merge-PUT round-trip is unchanged.
pub fn workout_day(date: NaiveDate) -> Day {
    Day::midnight(date)
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
    ///
    /// Boxed: a [`Workout`] of `Field`s is about 2.4 kB (each `Field` can hold an unreadable
    /// `Value` inline), and moving a year of them through decode, filter and sort cost more
    /// than decoding them; boxed, `get_workouts` over a year stays within its budget
    /// (`get_workouts_year_latency`).
    pub async fn workouts(
        &self,
        athlete: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Box<Workout>>, TpError> {
        let chunks = self
            .fetch_windows(start, end, MAX_RANGE_DAYS, |a, b| {
                self.workouts_window(athlete, a, b)
            })
            .await?;
        // A workout without a readable id cannot be referred to (get_workout, update, …):
        // it is left out rather than shown with a made-up id.
        let mut all: Vec<Box<Workout>> = chunks
            .into_iter()
            .flatten()
            .filter(|w| w.workout_id.is_present() && w.is_deleted.val() != Some(true))
            .collect();
        // Unknown days and positions sort last.
        all.sort_by_key(|w| {
            (
                w.date().unwrap_or(NaiveDate::MAX),
                w.order_on_day.val().unwrap_or(i64::MAX),
                w.workout_id.val(),
            )
        });
        all.dedup_by_key(|w| w.workout_id.val());
        Ok(all)
    }

    /// One list request (at most 90 days). Decodes straight from the text into the typed view
    /// ([`LenientList`]): a year of workouts is a few hundred kB, and skipping the intermediate
    /// `Value` halves the work. Elements that are not objects are skipped.
    async fn workouts_window(
        &self,
        athlete: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Box<Workout>>, TpError> {
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
        serde_json::from_str::<LenientList<Box<Workout>>>(text)
            .map(|l| l.0)
            .map_err(|e| TpError::Decode {
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

    /// The typed view of one workout; its `workoutId` must be readable.
    pub async fn workout(&self, athlete: i64, workout_id: i64) -> Result<Workout, TpError> {
        let w = Workout::from_raw(&self.workout_raw(athlete, workout_id).await?);
        w.id()?;
        Ok(w)
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
    /// Used by the weekly summary for end-of-week fitness; rows are read as
    /// [`super::fitness::PmcDay`]s, those without a readable day left out.
    pub async fn weekly_performance_rows(
        &self,
        athlete: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<super::fitness::PmcDay>, TpError> {
        let path = format!(
            "/fitness/v1/athletes/{athlete}/reporting/performancedata/{}/{}",
            start.format("%Y-%m-%d"),
            end.format("%Y-%m-%d")
        );
        let body = serde_json::json!({"atlConstant": 7, "atlStart": 0, "ctlConstant": 42, "ctlStart": 0, "workoutTypes": []});
        let v = self
            .request_json_read(Method::Post, Api::Tp, &path, Some(&body))
            .await?;
        super::fitness::pmc_rows(v, &path)
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

/// A comment thread: odd entries and comments without a readable id are left out.
fn comments_from(v: Value, path: &str) -> Result<Vec<WorkoutComment>, TpError> {
    let LenientList(all) = from_value::<LenientList<WorkoutComment>>(v, path)?;
    Ok(all.into_iter().filter(|c| c.id.is_present()).collect())
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
    let day = w.date.map(Day::midnight);
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
    fn drifted_workout_reads_and_round_trips() {
        let raw = serde_json::json!({
            "workoutId": "7", "workoutDay": "2026-11-20T00:00:00Z", "title": null, "userTags": 5,
            "totalTime": "1.5", "if": 0.8, "orderOnDay": 2.0, "completed": "maybe",
            "tssPlanned": {"odd": 1}, "structure": "{\"structure\": []}", "somethingNew": [1, 2]
        });
        let w = Workout::from_raw(&raw);
        assert_eq!(w.id(), Ok(7));
        assert_eq!(w.date(), Some(d("2026-11-20")));
        assert_eq!(w.total_time.val(), Some(1.5));
        assert_eq!(w.if_actual.val(), Some(0.8));
        assert_eq!(w.order_on_day.val(), Some(2));
        assert_eq!(w.title, Field::Null);
        assert_eq!(w.user_tags.get().map(String::as_str), Some("5"));
        assert!(w.tss_planned.get().is_none());
        // `completed` unreadable: the actual duration decides.
        assert!(w.is_completed());
        assert_eq!(w.structure(), Some(serde_json::json!({"structure": []})));
        let back = serde_json::to_value(&w).unwrap();
        assert_eq!(back["somethingNew"], raw["somethingNew"]);
        assert_eq!(
            back["tssPlanned"], raw["tssPlanned"],
            "unreadable kept verbatim"
        );
        assert_eq!(back["workoutDay"], raw["workoutDay"], "day text kept");
    }

    #[test]
    fn a_workout_without_a_usable_id_names_the_field() {
        for raw in [
            serde_json::json!({"title": "x"}),
            serde_json::json!({"workoutId": "abc"}),
        ] {
            let e = Workout::from_raw(&raw).id().unwrap_err();
            assert!(e.to_string().contains("`workoutId`"), "{e}");
        }
        assert!(Workout::from_raw(&serde_json::json!([1])).id().is_err());
    }

    #[test]
    fn lists_skip_odd_elements() {
        let text =
            r#"[{"workoutId": 1}, 7, "x", null, [1, {"a": 2}], {"workoutId": "2", "title": "B"}]"#;
        let LenientList(ws) = serde_json::from_str::<LenientList<Workout>>(text).unwrap();
        let ids: Vec<_> = ws.iter().map(|w| w.workout_id.val()).collect();
        assert_eq!(ids, [Some(1), Some(2)]);
        let LenientList(none) = serde_json::from_str::<LenientList<Workout>>("null").unwrap();
        assert!(none.is_empty());
        assert!(serde_json::from_str::<LenientList<Workout>>(r#"{"a": 1}"#).is_err());
    }

    #[test]
    fn workout_types_and_comments_tolerate_drift() {
        let t: WorkoutType = serde_json::from_value(serde_json::json!({
            "id": "2", "name": "Bike", "subTypes": [{"id": 3.0, "name": "Road"}, {"name": "no id"}, 5],
            "zzNew": true
        }))
        .unwrap();
        assert_eq!(t.id.val(), Some(2));
        let subs: Vec<_> = t.subtypes().map(|s| s.id.val()).collect();
        assert_eq!(subs, [Some(3)]);
        assert_eq!(serde_json::to_value(&t).unwrap()["zzNew"], true);

        let v = serde_json::json!([
            {"id": "10", "comment": "Nice", "dateCreated": "2026-11-20T19:30:00.5Z",
             "firstName": "Jordan", "lastName": "Lee", "isCoach": "true"},
            {"comment": "no id"},
        ]);
        let cs = comments_from(v, "/c").unwrap();
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].id.val(), Some(10));
        assert_eq!(cs[0].author().as_deref(), Some("Jordan Lee"));
        assert_eq!(cs[0].is_coach.val(), Some(true));
        assert!(comments_from(Value::Null, "/c").unwrap().is_empty());
    }
}
