//! Workout libraries: `/exerciselibrary/...` and the schedule-from-library command.
//!
//! Collections: `libraries` (by `exerciseLibraryId`) and `library_items` (by
//! `exerciseLibraryItemId`), both in GET shape (item `structure` is a nested object).
//!
//! | Rule | Spec line |
//! |---|---|
//! | `GET /exerciselibrary/v2/libraries` lists own + default libraries with `exerciseLibraryId, libraryName, ownerId, ownerName, imageUrl, isDefaultContent` | api §9.2 (REF; T2I) |
//! | Items list at `GET /exerciselibrary/v2/libraries/{id}/items`; no single-item GET route | api §9.2 (REF; JM) |
//! | Unknown library or item id → 404 | api §12 "Unknown resource → 404" (JM) |
//! | Non-numeric id in a path → 400 | router (ASP.NET model binding) |
//! | Library create `POST /exerciselibrary/v1/libraries {libraryName}`; non-string or blank name → 400 | api §9.2 (REF; JM) |
//! | Rename `PUT /exerciselibrary/v1/libraries/{id}/name {value}`; non-string → 400 | api §9.2 (REF) |
//! | Library DELETE removes the folder and its items | api §9.2 (REF; JM) |
//! | Default (TrainingPeaks) libraries are read-only → 403 | api §12 "Permission → 403" (JM) |
//! | Item `structure` must be a nested object (or null); a JSON string → 400 | api §9.2 "Library structure quirks", §10.1 (REF; JM) |
//! | Item sport field is `workoutTypeId`; a missing one silently stores sport 0; unknown fields are dropped | api §4, §12 (JM `tools/library.py`) |
//! | Wrong JSON types on item fields (string where a number is expected…) → 400 | api §12 "unbindable body → 400" (REF; ISS#60) |
//! | Item PUT replaces the whole item: fields missing from the body are lost (clients must GET, merge, PUT) | api §9.2 "full item" (REF) |
//! | Move = PUT to the *source* library path with `exerciseLibraryId` = target; unknown target → 404 | api §9.2 (REF) |
//! | Item DELETE → 204 | api §9.2, §12 (REF) |
//! | `POST /fitness/v6/athletes/{aid}/commands/addworkoutfromlibraryitem {athleteId, exerciseLibraryItemId, workoutDateTime}` creates a planned workout with the template's sport, structure and planned values (REF's claimed behaviour) | api §9.2 (REF; MARS) |
//! | A path athlete id other than the signed-in athlete's → 403 | api §12 "Permission" (JM) |
//! | Durations in hours (`totalTimePlanned`) | api §3 (REF; JM) |

use serde_json::{Map, Value, json};

use crate::clock::Clock;
use crate::http::{HttpResponse, Method};

use super::router::{Ctx, Params, Route};
use super::{
    Answer, ApiError, SAMPLE_ATHLETE_ID, State, bad_request, forbidden, not_found, sample,
};

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::Get, "/exerciselibrary/v2/libraries", list_libraries),
        Route::new(
            Method::Get,
            "/exerciselibrary/v2/libraries/{lib}/items",
            list_items,
        ),
        Route::new(
            Method::Post,
            "/exerciselibrary/v1/libraries",
            create_library,
        ),
        Route::new(
            Method::Put,
            "/exerciselibrary/v1/libraries/{lib}/name",
            rename_library,
        ),
        Route::new(
            Method::Delete,
            "/exerciselibrary/v1/libraries/{lib}",
            delete_library,
        ),
        Route::new(
            Method::Post,
            "/exerciselibrary/v1/libraries/{lib}/items",
            create_item,
        ),
        Route::new(
            Method::Put,
            "/exerciselibrary/v1/libraries/{lib}/items/{item}",
            put_item,
        ),
        Route::new(
            Method::Delete,
            "/exerciselibrary/v1/libraries/{lib}/items/{item}",
            delete_item,
        ),
        Route::new(
            Method::Post,
            "/fitness/v6/athletes/{aid}/commands/addworkoutfromlibraryitem",
            add_from_library,
        ),
    ]
}

/// Seed library ids (fixed, so tests can name them).
pub(crate) const BIKE_LIBRARY_ID: i64 = 880_001;
/// "Run – Speed".
pub(crate) const RUN_LIBRARY_ID: i64 = 880_002;
/// "Strength".
pub(crate) const STRENGTH_LIBRARY_ID: i64 = 880_003;
/// TrainingPeaks' default library (read-only).
pub(crate) const DEFAULT_LIBRARY_ID: i64 = 880_100;
/// "2x20 Threshold" in the bike library.
pub(crate) const BIKE_2X20_ITEM_ID: i64 = 8_800_101;

/// One seeded step: (name, seconds, min %, max %, intensity class).
type S = (&'static str, f64, f64, f64, &'static str);

/// A seeded block: a single step or a repetition.
enum B {
    Step(S),
    Rep(u32, Vec<S>),
}

/// Builds a wire structure (begin/end in seconds, REF-style polyline) and its planned
/// (hours, IF, TSS) by the §10.6 formula.
fn wire(metric: &str, blocks: &[B]) -> (Value, f64, f64, f64) {
    let step_json = |s: &S, in_rep: bool| {
        let mut m = Map::new();
        m.insert("name".into(), json!(s.0));
        m.insert("length".into(), json!({"value": s.1, "unit": "second"}));
        m.insert(
            "targets".into(),
            json!([{"minValue": s.2, "maxValue": s.3}]),
        );
        m.insert("intensityClass".into(), json!(s.4));
        m.insert("openDuration".into(), json!(false));
        if in_rep {
            m.insert("type".into(), json!("step"));
        }
        Value::Object(m)
    };
    let mut out = Vec::new();
    let mut instances: Vec<&S> = Vec::new();
    let mut cursor = 0.0;
    for b in blocks {
        let (kind, reps, steps): (&str, u32, Vec<&S>) = match b {
            B::Step(s) => ("step", 1, vec![s]),
            B::Rep(n, ss) => ("repetition", *n, ss.iter().collect()),
        };
        let sum: f64 = steps.iter().map(|s| s.1).sum();
        let end = cursor + f64::from(reps) * sum;
        out.push(json!({
            "type": kind,
            "length": {"value": reps, "unit": "repetition"},
            "steps": steps.iter().map(|s| step_json(s, kind == "repetition")).collect::<Vec<_>>(),
            "begin": cursor,
            "end": end,
        }));
        for _ in 0..reps {
            instances.extend(steps.iter().copied());
        }
        cursor = end;
    }
    let total = cursor;
    let top = instances.iter().map(|s| s.3).fold(0.0, f64::max);
    let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
    let mut poly = vec![json!([0, 0])];
    let mut x = 0.0;
    for s in &instances {
        let y = if top > 0.0 { r3(s.3 / top) } else { 0.0 };
        let x1 = x + s.1;
        poly.push(json!([r3(x / total), y]));
        poly.push(json!([r3(x1 / total), y]));
        poly.push(json!([r3(x1 / total), 0]));
        x = x1;
    }
    let weighted: f64 = instances
        .iter()
        .map(|s| s.1 * ((s.2 + s.3) / 2.0).powi(4))
        .sum();
    let ifp = (weighted / total).powf(0.25).round() / 100.0;
    let tss = (total * ifp * ifp * 100.0 / 3600.0 * 10.0).round() / 10.0;
    let structure = json!({
        "structure": out,
        "polyline": poly,
        "primaryLengthMetric": "duration",
        "primaryIntensityMetric": metric,
        "primaryIntensityTargetOrRange": "range",
        "visualizationDistanceUnit": null,
    });
    (structure, total / 3600.0, ifp, tss)
}

#[allow(clippy::too_many_arguments)]
fn item(
    lib: i64,
    id: i64,
    name: &str,
    sport: i64,
    subtype: Option<i64>,
    description: &str,
    metric: &str,
    blocks: &[B],
) -> Value {
    let (structure, hours, ifp, tss) = wire(metric, blocks);
    json!({
        "exerciseLibraryId": lib,
        "exerciseLibraryItemId": id,
        "exerciseLibraryItemType": "WorkoutTemplate",
        "itemName": name,
        "workoutTypeId": sport,
        "workoutSubTypeId": subtype,
        "totalTimePlanned": hours,
        "tssPlanned": tss,
        "ifPlanned": ifp,
        "distancePlanned": null,
        "velocityPlanned": null,
        "energyPlanned": null,
        "elevationGainPlanned": null,
        "caloriesPlanned": null,
        "description": description,
        "coachComments": null,
        "structure": structure,
        "fromLegacy": false,
        "exerciseId": null,
    })
}

fn plain_item(
    lib: i64,
    id: i64,
    name: &str,
    sport: i64,
    hours: f64,
    tss: f64,
    description: &str,
) -> Value {
    json!({
        "exerciseLibraryId": lib, "exerciseLibraryItemId": id, "exerciseLibraryItemType": "WorkoutTemplate",
        "itemName": name, "workoutTypeId": sport, "workoutSubTypeId": null, "totalTimePlanned": hours,
        "tssPlanned": tss, "ifPlanned": null, "distancePlanned": null, "velocityPlanned": null,
        "energyPlanned": null, "elevationGainPlanned": null, "caloriesPlanned": null,
        "description": description, "coachComments": null, "structure": null, "fromLegacy": false, "exerciseId": null,
    })
}

/// Seeds three personal libraries and one TrainingPeaks default library.
pub(super) fn seed(state: &mut State, _clock: &dyn Clock) {
    let owner = |id: i64, name: &str, default: bool| {
        json!({
            "exerciseLibraryId": id,
            "libraryName": name,
            "ownerId": if default { json!(1) } else { json!(SAMPLE_ATHLETE_ID) },
            "ownerName": if default { "TrainingPeaks" } else { sample::FULL_NAME },
            "imageUrl": null,
            "isDefaultContent": default,
        })
    };
    let libs = [
        owner(BIKE_LIBRARY_ID, "Bike – Threshold", false),
        owner(RUN_LIBRARY_ID, "Run – Speed", false),
        owner(STRENGTH_LIBRARY_ID, "Strength", false),
        owner(DEFAULT_LIBRARY_ID, "TrainingPeaks Essentials", true),
    ];
    for l in libs {
        let id = l["exerciseLibraryId"].as_i64().unwrap_or_default();
        state.collection("libraries").insert(id, l);
    }
    let ftp = "percentOfFtp";
    let pace = "percentOfThresholdPace";
    let items = vec![
        item(
            BIKE_LIBRARY_ID,
            BIKE_2X20_ITEM_ID,
            "2x20 Threshold",
            2,
            Some(6),
            "Classic threshold builder: two 20-minute blocks at 95–100% FTP with 5 minutes easy between.",
            ftp,
            &[
                B::Step(("Warm up", 900.0, 50.0, 65.0, "warmUp")),
                B::Rep(
                    2,
                    vec![
                        ("Threshold", 1200.0, 95.0, 100.0, "active"),
                        ("Recover", 300.0, 50.0, 55.0, "rest"),
                    ],
                ),
                B::Step(("Cool down", 600.0, 45.0, 55.0, "coolDown")),
            ],
        ),
        item(
            BIKE_LIBRARY_ID,
            8_800_102,
            "Sweet Spot 3x15",
            2,
            None,
            "Three 15-minute sweet-spot efforts at 88–93% FTP; stay seated, cadence 85–95.",
            ftp,
            &[
                B::Step(("Warm up", 900.0, 50.0, 65.0, "warmUp")),
                B::Rep(
                    3,
                    vec![
                        ("Sweet spot", 900.0, 88.0, 93.0, "active"),
                        ("Easy", 300.0, 50.0, 55.0, "rest"),
                    ],
                ),
                B::Step(("Cool down", 600.0, 45.0, 55.0, "coolDown")),
            ],
        ),
        item(
            BIKE_LIBRARY_ID,
            8_800_103,
            "VO2max 5x4",
            2,
            Some(6),
            "Five 4-minute VO2max intervals at 110–120% FTP with equal recovery.",
            ftp,
            &[
                B::Step(("Warm up", 900.0, 50.0, 70.0, "warmUp")),
                B::Rep(
                    5,
                    vec![
                        ("VO2max", 240.0, 110.0, 120.0, "active"),
                        ("Recover", 240.0, 45.0, 55.0, "rest"),
                    ],
                ),
                B::Step(("Cool down", 600.0, 45.0, 55.0, "coolDown")),
            ],
        ),
        item(
            RUN_LIBRARY_ID,
            8_800_201,
            "6x3min @ 5k pace",
            3,
            Some(11),
            "Track session: six 3-minute reps at 5k pace (105–110% threshold pace), 2 minutes jog.",
            pace,
            &[
                B::Step(("Warm up jog", 900.0, 70.0, 80.0, "warmUp")),
                B::Rep(
                    6,
                    vec![
                        ("5k pace", 180.0, 105.0, 110.0, "active"),
                        ("Jog", 120.0, 60.0, 70.0, "rest"),
                    ],
                ),
                B::Step(("Cool down jog", 600.0, 65.0, 75.0, "coolDown")),
            ],
        ),
        item(
            RUN_LIBRARY_ID,
            8_800_202,
            "Tempo + Strides",
            3,
            Some(10),
            "20 minutes comfortably hard, then 6 relaxed strides.",
            pace,
            &[
                B::Step(("Warm up jog", 900.0, 70.0, 80.0, "warmUp")),
                B::Step(("Tempo", 1200.0, 88.0, 92.0, "active")),
                B::Rep(
                    6,
                    vec![
                        ("Stride", 20.0, 115.0, 125.0, "active"),
                        ("Walk", 40.0, 50.0, 60.0, "rest"),
                    ],
                ),
                B::Step(("Cool down jog", 600.0, 65.0, 75.0, "coolDown")),
            ],
        ),
        plain_item(
            STRENGTH_LIBRARY_ID,
            8_800_301,
            "Lower Body Strength",
            9,
            0.75,
            35.0,
            "Goblet squat 3x10, Romanian deadlift 3x8, walking lunge 3x10/side, calf raise 3x15, plank 3x45s.",
        ),
        plain_item(
            STRENGTH_LIBRARY_ID,
            8_800_302,
            "Core & Mobility",
            9,
            0.5,
            20.0,
            "Dead bug 3x10, side plank 3x30s/side, glute bridge 3x15, hip 90/90 flow 5 min.",
        ),
        item(
            DEFAULT_LIBRARY_ID,
            8_810_001,
            "Recovery Spin 45'",
            2,
            None,
            "Easy spin in zone 1 to promote recovery.",
            ftp,
            &[B::Step(("Easy", 2700.0, 45.0, 55.0, "active"))],
        ),
    ];
    for it in items {
        let id = it["exerciseLibraryItemId"].as_i64().unwrap_or_default();
        state.collection("library_items").insert(id, it);
    }
}

fn library<'a>(st: &'a mut State, p: &Params) -> Result<(i64, &'a Value), ApiError> {
    let id = p.id("lib")?;
    let lib = st
        .collection("libraries")
        .get(&id)
        .ok_or_else(|| not_found(&format!("Library {id}")))?;
    Ok((id, lib))
}

fn writable_library(st: &mut State, p: &Params) -> Result<i64, ApiError> {
    let (id, lib) = library(st, p)?;
    if lib.get("isDefaultContent").and_then(Value::as_bool) == Some(true) {
        return Err(forbidden("Default content libraries cannot be modified."));
    }
    Ok(id)
}

fn list_libraries(st: &mut State, _: &Ctx<'_>, _: &Params) -> Answer {
    let libs: Vec<Value> = st.collection("libraries").values().cloned().collect();
    Ok(HttpResponse::json(200, &Value::Array(libs)))
}

fn list_items(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let (id, _) = library(st, p)?;
    let items: Vec<Value> = st
        .collection("library_items")
        .values()
        .filter(|i| i.get("exerciseLibraryId").and_then(Value::as_i64) == Some(id))
        .cloned()
        .collect();
    Ok(HttpResponse::json(200, &Value::Array(items)))
}

fn create_library(st: &mut State, ctx: &Ctx<'_>, _: &Params) -> Answer {
    let body = ctx.json_body()?;
    let Some(name) = body
        .get("libraryName")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
    else {
        return Err(bad_request(
            "libraryName is required and must be a non-empty string.",
        ));
    };
    let id = st.new_id();
    let lib = json!({
        "exerciseLibraryId": id, "libraryName": name, "ownerId": SAMPLE_ATHLETE_ID,
        "ownerName": sample::FULL_NAME, "imageUrl": null, "isDefaultContent": false,
    });
    st.collection("libraries").insert(id, lib.clone());
    Ok(HttpResponse::json(200, &lib))
}

fn rename_library(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let id = writable_library(st, p)?;
    let body = ctx.json_body()?;
    let Some(name) = body
        .get("value")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
    else {
        return Err(bad_request(
            "value is required and must be a non-empty string.",
        ));
    };
    let Some(lib) = st.collection("libraries").get_mut(&id) else {
        return Err(not_found(&format!("Library {id}")));
    };
    lib["libraryName"] = json!(name);
    Ok(HttpResponse::json(200, &lib.clone()))
}

fn delete_library(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let id = writable_library(st, p)?;
    st.collection("libraries").remove(&id);
    st.collection("library_items")
        .retain(|_, i| i.get("exerciseLibraryId").and_then(Value::as_i64) != Some(id));
    Ok(HttpResponse::new(204, Vec::new()))
}

/// Fields a library item has; anything else in a body is dropped, as the real binder does.
const ITEM_FIELDS: &[&str] = &[
    "exerciseLibraryId",
    "exerciseLibraryItemId",
    "exerciseLibraryItemType",
    "itemName",
    "workoutTypeId",
    "workoutSubTypeId",
    "totalTimePlanned",
    "tssPlanned",
    "ifPlanned",
    "distancePlanned",
    "velocityPlanned",
    "energyPlanned",
    "elevationGainPlanned",
    "caloriesPlanned",
    "description",
    "coachComments",
    "structure",
    "fromLegacy",
    "exerciseId",
];

/// Binds a body into a stored item: type checks (400), unknown fields dropped, missing ones
/// null (a PUT is a full replacement), sport 0 when `workoutTypeId` is missing.
fn bind_item(body: &Value) -> Result<Map<String, Value>, ApiError> {
    let Some(obj) = body.as_object() else {
        return Err(bad_request(
            "No library item sent: the body must be a JSON object.",
        ));
    };
    let num = [
        "totalTimePlanned",
        "tssPlanned",
        "ifPlanned",
        "distancePlanned",
        "velocityPlanned",
        "energyPlanned",
        "elevationGainPlanned",
        "caloriesPlanned",
    ];
    let int = [
        "exerciseLibraryId",
        "exerciseLibraryItemId",
        "workoutTypeId",
        "workoutSubTypeId",
        "exerciseId",
    ];
    let text = [
        "itemName",
        "description",
        "coachComments",
        "exerciseLibraryItemType",
    ];
    let mut out = Map::new();
    for &f in ITEM_FIELDS {
        let v = obj.get(f).cloned().unwrap_or(Value::Null);
        let ok = v.is_null()
            || (num.contains(&f) && v.is_number())
            || (int.contains(&f) && (v.is_i64() || v.is_u64()))
            || (text.contains(&f) && v.is_string())
            || (f == "structure" && v.is_object())
            || (f == "fromLegacy" && v.is_boolean());
        if !ok {
            let hint = if f == "structure" {
                " (library item structures are JSON objects, not strings)"
            } else {
                ""
            };
            return Err(bad_request(&format!(
                "The value {v} is not valid for {f}{hint}."
            )));
        }
        out.insert(f.to_string(), v);
    }
    if out.get("workoutTypeId").is_none_or(Value::is_null) {
        out.insert("workoutTypeId".into(), json!(0));
    }
    if out
        .get("exerciseLibraryItemType")
        .is_none_or(Value::is_null)
    {
        out.insert("exerciseLibraryItemType".into(), json!("WorkoutTemplate"));
    }
    if out
        .get("structure")
        .and_then(Value::as_object)
        .is_some_and(|s| !s.get("structure").is_some_and(Value::is_array))
    {
        return Err(bad_request(
            "structure.structure must be an array of blocks.",
        ));
    }
    Ok(out)
}

fn create_item(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let lib = writable_library(st, p)?;
    let body = ctx.json_body()?;
    let mut item = bind_item(&body)?;
    let id = st.new_id();
    item.insert("exerciseLibraryId".into(), json!(lib));
    item.insert("exerciseLibraryItemId".into(), json!(id));
    let item = Value::Object(item);
    st.collection("library_items").insert(id, item.clone());
    Ok(HttpResponse::json(200, &item))
}

fn existing_item(st: &mut State, lib: i64, p: &Params) -> Result<i64, ApiError> {
    let id = p.id("item")?;
    let found = st
        .collection("library_items")
        .get(&id)
        .is_some_and(|i| i.get("exerciseLibraryId").and_then(Value::as_i64) == Some(lib));
    if !found {
        return Err(not_found(&format!("Library item {id} in library {lib}")));
    }
    Ok(id)
}

fn put_item(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let lib = writable_library(st, p)?;
    let id = existing_item(st, lib, p)?;
    let body = ctx.json_body()?;
    let mut item = bind_item(&body)?;
    // Moving: the body's exerciseLibraryId names the target library.
    let target = item
        .get("exerciseLibraryId")
        .and_then(Value::as_i64)
        .unwrap_or(lib);
    if target != lib {
        match st.collection("libraries").get(&target) {
            None => return Err(not_found(&format!("Library {target}"))),
            Some(l) if l.get("isDefaultContent").and_then(Value::as_bool) == Some(true) => {
                return Err(forbidden("Default content libraries cannot be modified."));
            }
            Some(_) => {}
        }
    }
    item.insert("exerciseLibraryId".into(), json!(target));
    item.insert("exerciseLibraryItemId".into(), json!(id));
    let item = Value::Object(item);
    st.collection("library_items").insert(id, item.clone());
    Ok(HttpResponse::json(200, &item))
}

fn delete_item(st: &mut State, _: &Ctx<'_>, p: &Params) -> Answer {
    let lib = writable_library(st, p)?;
    let id = existing_item(st, lib, p)?;
    st.collection("library_items").remove(&id);
    Ok(HttpResponse::new(204, Vec::new()))
}

/// REF's command: a planned workout from a template, stored in `workouts` in GET shape.
fn add_from_library(st: &mut State, ctx: &Ctx<'_>, p: &Params) -> Answer {
    let aid = p.id("aid")?;
    let body = ctx.json_body()?;
    if aid != SAMPLE_ATHLETE_ID {
        return Err(forbidden("Authorization has been denied for this request."));
    }
    if body
        .get("athleteId")
        .and_then(Value::as_i64)
        .is_some_and(|b| b != aid)
    {
        return Err(bad_request(
            "AthleteId of request url and AthleteId in body of request do not match.",
        ));
    }
    let Some(item_id) = body.get("exerciseLibraryItemId").and_then(Value::as_i64) else {
        return Err(bad_request(
            "exerciseLibraryItemId is required and must be an integer.",
        ));
    };
    let day = body
        .get("workoutDateTime")
        .and_then(Value::as_str)
        .unwrap_or("");
    let Ok(date) = chrono::NaiveDate::parse_from_str(day.get(..10).unwrap_or(day), "%Y-%m-%d")
    else {
        return Err(bad_request(&format!(
            "The value '{day}' is not valid for workoutDateTime."
        )));
    };
    let Some(item) = st.collection("library_items").get(&item_id).cloned() else {
        return Err(not_found(&format!("Library item {item_id}")));
    };
    let id = st.new_id();
    let g = |k: &str| item.get(k).cloned().unwrap_or(Value::Null);
    let workout = json!({
        "workoutId": id,
        "athleteId": aid,
        "workoutDay": format!("{}T00:00:00", date.format("%Y-%m-%d")),
        "title": g("itemName"),
        "workoutTypeValueId": g("workoutTypeId"),
        "workoutSubTypeId": g("workoutSubTypeId"),
        "orderOnDay": 1,
        "startTimePlanned": null,
        "completed": false,
        "isHidden": false,
        "isLocked": false,
        "description": g("description"),
        "coachComments": g("coachComments"),
        "athleteComments": null,
        "totalTimePlanned": g("totalTimePlanned"),
        "distancePlanned": g("distancePlanned"),
        "tssPlanned": g("tssPlanned"),
        "ifPlanned": g("ifPlanned"),
        "energyPlanned": g("energyPlanned"),
        "velocityPlanned": g("velocityPlanned"),
        "structure": g("structure"),
        "userTags": "",
        "workoutComments": [],
        "lastModifiedDate": ctx.clock.now().format("%Y-%m-%dT%H:%M:%S").to_string(),
    });
    st.collection("workouts").insert(id, workout.clone());
    Ok(HttpResponse::json(200, &workout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_structure_metrics() {
        let (s, hours, ifp, tss) = wire(
            "percentOfFtp",
            &[
                B::Step(("Warm up", 900.0, 50.0, 65.0, "warmUp")),
                B::Rep(
                    2,
                    vec![
                        ("T", 1200.0, 95.0, 100.0, "active"),
                        ("R", 300.0, 50.0, 55.0, "rest"),
                    ],
                ),
            ],
        );
        assert_eq!(s["structure"][1]["end"], json!(3900.0));
        assert!((hours - 3900.0 / 3600.0).abs() < 1e-9);
        assert!(ifp > 0.8 && ifp < 0.95, "{ifp}");
        assert!(tss > 60.0 && tss < 90.0, "{tss}");
        assert_eq!(s["polyline"][0], json!([0, 0]));
    }

    #[test]
    fn bind_rejects_string_structure_and_drops_unknown_fields() {
        assert_eq!(
            bind_item(&json!({"itemName": "x", "structure": "{}"}))
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(bind_item(&json!({"itemName": 5})).unwrap_err().status, 400);
        assert_eq!(bind_item(&json!([])).unwrap_err().status, 400);
        let b = bind_item(&json!({"itemName": "x", "workoutTypeValueId": 2, "tags": "a"})).unwrap();
        assert_eq!(b["workoutTypeId"], 0);
        assert!(!b.contains_key("tags") && !b.contains_key("workoutTypeValueId"));
        assert!(b["description"].is_null());
    }
}
