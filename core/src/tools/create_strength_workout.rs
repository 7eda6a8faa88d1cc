//! `create_strength_workout`: a structured strength workout on `api.peakswaresb.com`
//! (`POST /rx/activity/v1/workouts/save`, spec §11).

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};

use super::shared::args::{AthleteId, Date};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::{STRENGTH_PARAMS, strength_param};

/// The tool.
#[derive(Debug, Clone, Copy, Default)]
pub struct CreateStrengthWorkout;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateStrengthWorkoutArgs {
    /// The day, YYYY-MM-DD.
    pub date: Date,
    /// Title, e.g. "Lower body strength".
    pub title: String,
    /// The exercises in order; each becomes one block.
    pub exercises: Vec<StrengthExercise>,
    /// Optional instructions for the athlete.
    #[serde(default)]
    pub instructions: Option<String>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// The created workout.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreateStrengthWorkoutOutput {
    /// The strength workout id (a numeric string; use with `get_strength_workout_summary`).
    pub workout_id: String,
    /// The athlete.
    pub athlete_id: i64,
    /// The day, YYYY-MM-DD.
    pub date: String,
    /// Title.
    pub title: String,
    /// Number of exercises.
    pub exercise_count: usize,
    /// Number of sets in total.
    pub total_sets: usize,
    /// Per exercise.
    pub exercises: Vec<StrengthExerciseOut>,
}

impl TypedTool for CreateStrengthWorkout {
    type Args = CreateStrengthWorkoutArgs;
    type Output = CreateStrengthWorkoutOutput;
    const NAME: &'static str = "create_strength_workout";
    const DESCRIPTION: &'static str = "Create a structured strength workout (TrainingPeaks Strength builder) on a date \
        (YYYY-MM-DD). Each exercise needs its TrainingPeaks exercise-library id (numeric string, e.g. \"5178\"), a name \
        and sets_data: one object per set mapping parameter → value, e.g. [{\"Reps\":\"10\",\"WeightKg\":\"40\"}, \
        {\"Reps\":\"8\",\"WeightKg\":\"45\"}]. Parameters: Reps, RepsPerSide, WeightKg, WeightLb, WeightPerSideKg, \
        WeightPerSideLb, WeightPercentage, Duration (seconds), DistanceMeters, DistanceKm, DistanceFt, DistanceYd, \
        DistanceMiles, HeightCm, HeightM, HeightIn, HeightFt, RPE, Cals, Watts, VelocityMetersPerSec. Strength \
        workouts do not appear in get_workouts; read them back with get_strength_workout_summary.";
    const ANNOTATIONS: Annotations = Annotations::create("Create strength workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        if args.title.trim().is_empty() {
            return Err(ToolError::invalid("title", "must not be empty"));
        }
        check_exercises(&args.exercises).map(|_| ())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let seed = ctx.clock().now().timestamp_micros() as u64;
        let doc = strength_doc(&args, aid, seed)?;
        let saved = ctx.client.save_strength_workout(&doc).await?;
        let Some(workout_id) = saved.id.into_option().filter(|id| !id.trim().is_empty()) else {
            return Err(ToolError::Failed(
                "the strength workout was saved but no id came back; check the calendar before \
                 retrying (get_strength_workout_summary needs the id)"
                    .into(),
            ));
        };
        let checked = check_exercises(&args.exercises)?;
        let exercises: Vec<StrengthExerciseOut> = args
            .exercises
            .iter()
            .zip(&checked)
            .map(|(e, c)| StrengthExerciseOut {
                id: e.id.clone(),
                name: e.name.trim().to_string(),
                sets: c.sets.len(),
                example: c
                    .sets
                    .first()
                    .map(|s| fill(&summary_template(&c.params), s))
                    .unwrap_or_default(),
            })
            .collect();
        let total_sets = exercises.iter().map(|e| e.sets).sum();
        let mut text = format!(
            "Strength workout created: \"{}\" on {} (ID: {})\n{} exercise(s), {total_sets} set(s):",
            args.title.trim(),
            args.date,
            workout_id,
            exercises.len()
        );
        for e in &exercises {
            text.push_str(&format!(
                "\n• {} — {} set(s) (e.g. {})",
                e.name, e.sets, e.example
            ));
        }
        let out = CreateStrengthWorkoutOutput {
            workout_id,
            athlete_id: aid,
            date: args.date.to_string(),
            title: args.title.trim().to_string(),
            exercise_count: exercises.len(),
            total_sets,
            exercises,
        };
        Ok((text, out))
    }
}

/// One exercise and its sets.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct StrengthExercise {
    /// TrainingPeaks exercise-library id, a numeric string, e.g. "5178".
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    /// Display name, e.g. "Goblet Squat".
    pub name: String,
    /// One object per set mapping parameter → value, e.g. `[{"Reps":"10","WeightKg":"40"},
    /// {"Reps":"8","WeightKg":"45"}]`. Parameters: Reps, RepsPerSide, WeightKg, WeightLb,
    /// WeightPerSideKg, WeightPerSideLb, WeightPercentage (% of 1RM), Duration (seconds),
    /// DistanceMeters, DistanceKm, DistanceFt, DistanceYd, DistanceMiles, HeightCm, HeightM,
    /// HeightIn, HeightFt, RPE (1–10), Cals, Watts, VelocityMetersPerSec. Values are numbers
    /// or numeric strings; Reps, RepsPerSide, Duration, RPE and Cals are whole numbers.
    pub sets_data: Vec<Map<String, Value>>,
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected a numeric string like \"5178\", got {other}"
        ))),
    }
}

/// One exercise as created.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StrengthExerciseOut {
    /// Exercise-library id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Number of sets.
    pub sets: usize,
    /// The first set, e.g. "10 Reps @ 40 kg".
    pub example: String,
}

/// Reads one set value as the string TrainingPeaks stores (`prescribedValue`).
fn set_value(field: &str, param: &str, v: &Value) -> Result<String, ToolError> {
    let Some(meta) = strength_param(param) else {
        let names: Vec<&str> = STRENGTH_PARAMS.iter().map(|p| p.name).collect();
        return Err(ToolError::invalid(
            field,
            format!(
                "unknown parameter `{param}`; use one of {}",
                names.join(", ")
            ),
        ));
    };
    let n = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite() && *n >= 0.0)
    .ok_or_else(|| {
        ToolError::invalid(
            field,
            format!("{v} is not a non-negative number (e.g. \"10\")"),
        )
    })?;
    if meta.integer {
        if n.fract() != 0.0 {
            return Err(ToolError::invalid(
                field,
                format!("{param} must be a whole number, got {n}"),
            ));
        }
        return Ok(format!("{}", n as i64));
    }
    Ok(match v {
        Value::String(s) => s.trim().to_string(),
        _ => format!("{n}"),
    })
}

/// A v4-shaped UUID. Core has no randomness (and must stay deterministic for tests), so ids
/// come from a SplitMix64 stream seeded with the clock; they only need to be unique within
/// the document (the server assigns its own ids on save).
struct Ids(u64);

impl Ids {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

/// `10 Reps @ 40 kg`-style set summary template (REF's rules; `WeightPercentage` shows `%`
/// rather than REF's `lb`).
fn summary_template(params: &[String]) -> String {
    let has = |p: &str| params.iter().any(|x| x == p);
    let mut parts = Vec::new();
    if has("Reps") {
        parts.push("{Reps} Reps".to_string());
    } else if has("RepsPerSide") {
        parts.push("{RepsPerSide} Reps/side".to_string());
    }
    if has("Duration") {
        parts.push("{Duration} sec".to_string());
    }
    if let Some(w) = params.iter().find(|p| p.starts_with("Weight")) {
        let unit = if w == "WeightPercentage" {
            "%"
        } else if w.ends_with("Kg") {
            "kg"
        } else {
            "lb"
        };
        parts.push(format!("@ {{{w}}} {unit}"));
    }
    if parts.is_empty() {
        params
            .iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        parts.join(" ")
    }
}

fn fill(template: &str, set: &[(String, String)]) -> String {
    set.iter().fold(template.to_string(), |t, (k, v)| {
        t.replace(&format!("{{{k}}}"), v)
    })
}

/// A validated exercise: parameter names (first-seen order) and per-set values.
struct Checked {
    params: Vec<String>,
    sets: Vec<Vec<(String, String)>>,
}

fn check_exercises(exercises: &[StrengthExercise]) -> Result<Vec<Checked>, ToolError> {
    if exercises.is_empty() {
        return Err(ToolError::invalid(
            "exercises",
            "give at least one exercise with its sets",
        ));
    }
    let mut out = Vec::new();
    for (i, ex) in exercises.iter().enumerate() {
        if ex.id.is_empty() || !ex.id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ToolError::invalid(
                format!("exercises[{i}].id"),
                format!(
                    "`{}` is not a TrainingPeaks exercise id; use the numeric library id, e.g. \"5178\"",
                    ex.id
                ),
            ));
        }
        if ex.name.trim().is_empty() {
            return Err(ToolError::invalid(
                format!("exercises[{i}].name"),
                "must not be empty",
            ));
        }
        if ex.sets_data.is_empty() {
            return Err(ToolError::invalid(
                format!("exercises[{i}].sets_data"),
                "give at least one set, e.g. [{\"Reps\":\"10\"}]",
            ));
        }
        let mut params: Vec<String> = Vec::new();
        let mut sets = Vec::new();
        for (j, set) in ex.sets_data.iter().enumerate() {
            if set.is_empty() {
                return Err(ToolError::invalid(
                    format!("exercises[{i}].sets_data[{j}]"),
                    "a set needs at least one parameter, e.g. {\"Reps\":\"10\"}",
                ));
            }
            let mut vals = Vec::new();
            for (k, v) in set {
                let s = set_value(&format!("exercises[{i}].sets_data[{j}].{k}"), k, v)?;
                if !params.contains(k) {
                    params.push(k.clone());
                }
                vals.push((k.clone(), s));
            }
            sets.push(vals);
        }
        out.push(Checked { params, sets });
    }
    Ok(out)
}

/// The save document of spec §11 in REF's shape: one `SingleExercise` block per exercise.
pub(crate) fn strength_doc(
    args: &CreateStrengthWorkoutArgs,
    athlete_id: i64,
    seed: u64,
) -> Result<Value, ToolError> {
    let checked = check_exercises(&args.exercises)?;
    let mut ids = Ids(seed);
    // Every name was checked against the table in `check_exercises`.
    let meta_json = |p: &str, id: String| strength_param(p).map(|m| m.to_wire(&id));
    let mut blocks = Vec::new();
    let mut total_sets = 0;
    for (ex, c) in args.exercises.iter().zip(&checked) {
        total_sets += c.sets.len();
        let sets: Vec<Value> = c
            .sets
            .iter()
            .map(|set| {
                let values: Vec<Value> = set
                    .iter()
                    .map(|(k, v)| {
                        let integer = strength_param(k).is_some_and(|m| m.integer);
                        json!({"id": ids.uuid(), "parameter": k, "inputFormat": if integer { "Integer" } else { "Decimal" },
                               "prescribedValue": v, "executedValue": null})
                    })
                    .collect();
                json!({"id": ids.uuid(), "isComplete": false, "setOrigin": "Prescribed", "parameterValues": values})
            })
            .collect();
        let exercise_params: Vec<Value> = c
            .params
            .iter()
            .filter_map(|p| meta_json(p, "0".into()))
            .collect();
        let prescription_params: Vec<Value> = c
            .params
            .iter()
            .filter_map(|p| meta_json(p, ids.uuid()))
            .collect();
        blocks.push(json!({
            "id": ids.uuid(),
            "blockType": "SingleExercise",
            "title": ex.name.trim(),
            "coachNotes": null,
            "isComplete": false,
            "compliancePercent": 0,
            "parameters": [],
            "prescriptions": [{
                "id": ids.uuid(),
                "exercise": {"id": ex.id, "title": ex.name.trim(), "videoUrl": null, "instructions": null,
                             "parameters": exercise_params, "canEdit": false},
                "parameters": prescription_params,
                "sets": sets,
                "coachNotes": null,
                "compliancePercent": 0,
                "setSummaryTemplate": summary_template(&c.params),
            }],
        }));
    }
    Ok(json!({
        "id": ids.uuid(),
        "workoutType": "StructuredStrength",
        "calendarId": athlete_id,
        "title": args.title.trim(),
        "instructions": args.instructions,
        "prescribedDate": args.date.to_string(),
        "prescribedStartTime": null,
        "startDateTime": null,
        "completedDateTime": null,
        "prescribedDurationInSeconds": null,
        "executedDurationInSeconds": null,
        // The reference sends null and lets the server place it (a 0 is not a valid position).
        "orderOnDay": null,
        "isLocked": false,
        "isHidden": false,
        "workoutSubTypeId": null,
        "rpe": null,
        "feel": null,
        "compliancePercent": 0,
        "lastUpdatedAt": null,
        "snapshot": {"totalBlocks": blocks.len(), "completedBlocks": 0, "totalSets": total_sets, "completedSets": 0,
                     "totalPrescriptions": blocks.len(), "completedPrescriptions": 0},
        "blocks": blocks,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: Value) -> CreateStrengthWorkoutArgs {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn summary_templates() {
        let s = |p: &[&str]| summary_template(&p.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        let cases = [
            (
                "reps and kg",
                s(&["Reps", "WeightKg"]),
                "{Reps} Reps @ {WeightKg} kg",
            ),
            (
                "per side lb",
                s(&["RepsPerSide", "WeightPerSideLb"]),
                "{RepsPerSide} Reps/side @ {WeightPerSideLb} lb",
            ),
            (
                "percent",
                s(&["Reps", "WeightPercentage"]),
                "{Reps} Reps @ {WeightPercentage} %",
            ),
            ("duration", s(&["Duration"]), "{Duration} sec"),
            ("other", s(&["Watts", "Cals"]), "{Watts} {Cals}"),
        ];
        for (name, got, want) in cases {
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn bad_sets_name_the_field() {
        let cases = [
            (
                "unknown param",
                json!([{"id": "1", "name": "A", "sets_data": [{"Bananas": "3"}]}]),
                "exercises[0].sets_data[0].Bananas",
            ),
            (
                "fractional reps",
                json!([{"id": "1", "name": "A", "sets_data": [{"Reps": 2.5}]}]),
                "exercises[0].sets_data[0].Reps",
            ),
            (
                "text value",
                json!([{"id": "1", "name": "A", "sets_data": [{"Reps": "8"}, {"WeightKg": "heavy"}]}]),
                "exercises[0].sets_data[1].WeightKg",
            ),
            (
                "bad id",
                json!([{"id": "abc", "name": "A", "sets_data": [{"Reps": "8"}]}]),
                "exercises[0].id",
            ),
            (
                "no sets",
                json!([{"id": "1", "name": "A", "sets_data": []}]),
                "exercises[0].sets_data",
            ),
            ("no exercises", json!([]), "exercises"),
        ];
        for (name, ex, field) in cases {
            let a = args(json!({"date": "2026-11-21", "title": "T", "exercises": ex}));
            match CreateStrengthWorkout::check(&a) {
                Err(ToolError::InvalidArgs { field: f, .. }) => assert_eq!(f, field, "{name}"),
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    #[test]
    fn doc_shape() {
        let a = args(json!({"date": "2026-11-23", "title": "Legs", "exercises": [
            {"id": 5178, "name": "Goblet Squat", "sets_data": [{"Reps": 10, "WeightKg": "24"}, {"Reps": "8", "WeightKg": 28}]}
        ]}));
        let d = strength_doc(&a, 42, 1).unwrap();
        assert_eq!(d["workoutType"], "StructuredStrength");
        assert_eq!(d["calendarId"], 42);
        assert_eq!(d["prescribedDate"], "2026-11-23");
        assert_eq!(d["snapshot"]["totalSets"], 2);
        let p = &d["blocks"][0]["prescriptions"][0];
        assert_eq!(p["exercise"]["id"], "5178");
        assert_eq!(p["setSummaryTemplate"], "{Reps} Reps @ {WeightKg} kg");
        assert_eq!(p["sets"][1]["parameterValues"][1]["prescribedValue"], "28");
        assert_eq!(p["sets"][0]["parameterValues"][0]["inputFormat"], "Integer");
        assert_eq!(p["sets"][0]["parameterValues"][1]["inputFormat"], "Decimal");
        let id = d["id"].as_str().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_ne!(d["id"], d["blocks"][0]["id"]);
    }

    /// Issue 8 §2: the parameter blocks and `orderOnDay` are what the reference sends (its
    /// table is the only request shape known to work live).
    #[test]
    fn parameter_blocks_match_the_reference_table() {
        let a = args(json!({"date": "2026-11-23", "title": "Mix", "exercises": [
            {"id": "1", "name": "Plank", "sets_data": [{"Duration": 30, "RPE": 6}]},
            {"id": "2", "name": "Sled", "sets_data": [{"DistanceMeters": 20, "VelocityMetersPerSec": "1.5", "WeightPercentage": 50}]}
        ]}));
        let d = strength_doc(&a, 42, 7).unwrap();
        assert_eq!(d["orderOnDay"], Value::Null);
        let params = |b: usize| d["blocks"][b]["prescriptions"][0]["parameters"].clone();
        let strip = |v: Value| -> Vec<Value> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let mut p = p.clone();
                    p.as_object_mut().unwrap().remove("id");
                    p
                })
                .collect()
        };
        assert_eq!(
            strip(params(0)),
            vec![
                json!({"parameter": "Duration", "title": "Duration (s)", "unit": {"title": "Seconds", "abbreviation": "s", "unit": "Seconds"}, "category": "Duration"}),
                json!({"parameter": "RPE", "title": "RPE", "unit": {"title": "RPE", "abbreviation": "", "unit": "RPE"}, "category": "Effort"}),
            ]
        );
        assert_eq!(
            strip(params(1)),
            vec![
                json!({"parameter": "DistanceMeters", "title": "Distance (m)", "unit": {"title": "Meters", "abbreviation": "m", "unit": "Meters"}, "category": "Distance"}),
                json!({"parameter": "VelocityMetersPerSec", "title": "Velocity (m/s)", "unit": {"title": "Meters per second", "abbreviation": "m/s", "unit": "MetersPerSecond"}, "category": "Velocity"}),
                json!({"parameter": "WeightPercentage", "title": "Weight %", "unit": {"title": "Percent", "abbreviation": "%", "unit": "Percent"}, "category": "Weight"}),
            ]
        );
        let ex = &d["blocks"][0]["prescriptions"][0]["exercise"]["parameters"];
        assert_eq!(ex[0]["id"], "0", "exercise-level parameters carry id \"0\"");
        assert_eq!(ex[0]["title"], "Duration (s)");
    }
}
