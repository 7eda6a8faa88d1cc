//! What the library tools share: structure compilation for templates, the item output shape
//! and its text, the create body, and small argument checks.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Value, json};

use super::args::Sport;
use crate::structure;
use crate::tools::ToolError;
use crate::trainingpeaks::{LibraryItem, TpError};

/// A structure argument compiled to the wire object, with the metrics derived from it.
#[derive(Debug, Clone)]
pub(crate) struct CompiledStructure {
    /// The wire structure (an object: library items store it un-stringified, spec §10.1).
    pub(crate) wire: Value,
    /// Planned duration (hours), TSS and IF from the structure, when it has any length.
    pub(crate) total_hours: Option<f64>,
    /// Planned TSS.
    pub(crate) tss: Option<f64>,
    /// Planned IF.
    pub(crate) intensity_factor: Option<f64>,
    /// Planned distance in metres, for distance-based structures.
    pub(crate) distance_m: Option<f64>,
}

/// Compiles a `structure` argument (object, or a string holding JSON). Errors name the path
/// inside the argument, e.g. `structure.steps[1].duration_seconds`.
pub(crate) fn compile_structure(v: &Value) -> Result<CompiledStructure, ToolError> {
    let s = structure::compile_value(v).map_err(|e| {
        let field = if e.path.is_empty() || e.path == "(root)" || e.path == "structure" {
            "structure".to_string()
        } else if e.path.starts_with("structure.") || e.path.starts_with("structure[") {
            e.path.clone()
        } else {
            format!("structure.{}", e.path)
        };
        ToolError::invalid(
            field,
            format!(
                "{}. Write structures as {{\"primaryIntensityMetric\":\"percentOfFtp\",\"steps\":[{{\"name\":\"Warm up\",\
                 \"duration_seconds\":600,\"intensity_min\":50,\"intensity_max\":65,\"intensityClass\":\"warmUp\"}},\
                 {{\"type\":\"repetition\",\"reps\":4,\"steps\":[...]}}]}}",
                e.message.trim_end_matches('.')
            ),
        )
    })?;
    let m = structure::metrics(&s, None);
    Ok(CompiledStructure {
        wire: s.to_value(),
        total_hours: m.as_ref().map(|m| m.total_hours),
        tss: m.as_ref().map(|m| m.tss_planned),
        intensity_factor: m.as_ref().map(|m| m.if_planned),
        distance_m: structure::planned_distance_meters(&s),
    })
}

/// A readable one-line summary of a stored (wire) structure, read leniently (a structure that
/// drifted is summarised as far as it can be; see `structure::stored_summary`).
pub(crate) fn structure_summary(wire: &Value) -> Option<String> {
    structure::stored_summary(wire)
}

/// Formats hours as `1h 05m` / `45m`, rounding to whole minutes once (never `1h 60m`).
pub(crate) fn fmt_hours(hours: f64) -> String {
    let total = (hours * 60.0).round().max(0.0) as i64;
    let (h, m) = (total / 60, total % 60);
    if h == 0 {
        format!("{m}m")
    } else {
        format!("{h}h {m:02}m")
    }
}

/// The sub-sports TrainingPeaks lists for a sport (spec §4).
pub(crate) fn subtypes(sport: Sport) -> &'static [i64] {
    match sport {
        Sport::Swim => &[1, 2],
        Sport::Bike => &[3, 4, 5, 6, 7, 8, 9, 47, 49],
        Sport::Run => &[10, 11, 12, 13, 50],
        Sport::Mtb => &[14, 15, 16, 17, 18, 19],
        Sport::Ski => &[26, 27, 28, 29, 30, 31, 32, 33, 34, 46],
        Sport::Rowing => &[39, 51],
        Sport::Walk => &[41, 42, 43, 44],
        Sport::StrengthPlus => &[20, 21, 22, 23, 24, 25],
        Sport::Other => &[35, 36, 37, 38, 40, 45, 48],
        _ => &[],
    }
}

/// Checks that `subtype` belongs to `sport` (writing a wrong id silently changes the sport,
/// ISS#81).
pub(crate) fn check_subtype(sport: Sport, subtype: i64) -> Result<(), ToolError> {
    let ok = subtypes(sport);
    if ok.contains(&subtype) {
        return Ok(());
    }
    let valid = if ok.is_empty() {
        format!("{} has no sub-sports; omit subtype_id", sport.label())
    } else {
        format!(
            "valid ids for {}: {:?} (see get_workout_types)",
            sport.label(),
            ok
        )
    };
    Err(ToolError::invalid(
        "subtype_id",
        format!("{subtype} is not a sub-sport of {}; {valid}", sport.label()),
    ))
}

/// Checks an id argument is positive.
pub(crate) fn check_id(field: &str, id: i64) -> Result<(), ToolError> {
    if id <= 0 {
        return Err(ToolError::invalid(
            field,
            format!("{id} is not a TrainingPeaks id; ids are positive integers"),
        ));
    }
    Ok(())
}

/// Checks a name is not blank.
pub(crate) fn check_name(field: &str, name: &str) -> Result<(), ToolError> {
    if name.trim().is_empty() {
        return Err(ToolError::invalid(field, "must not be empty"));
    }
    Ok(())
}

/// Checks the optional planned numbers shared by create/update item.
pub(crate) fn check_planned(
    duration_hours: Option<f64>,
    tss: Option<f64>,
    if_value: Option<f64>,
    distance: Option<f64>,
) -> Result<(), ToolError> {
    if let Some(h) = duration_hours.filter(|h| !(*h > 0.0 && *h <= 24.0)) {
        return Err(ToolError::invalid(
            "duration_hours",
            format!("{h} is out of range; give hours in (0, 24], e.g. 1.5 for 90 minutes"),
        ));
    }
    if let Some(t) = tss.filter(|t| !(0.0..=1000.0).contains(t)) {
        return Err(ToolError::invalid(
            "tss",
            format!("{t} is out of range; TSS is 0–1000"),
        ));
    }
    if let Some(i) = if_value.filter(|i| !(*i > 0.0 && *i <= 2.0)) {
        return Err(ToolError::invalid(
            "if_value",
            format!("{i} is out of range; IF is a fraction of threshold, e.g. 0.85 (0–2)"),
        ));
    }
    if let Some(d) = distance.filter(|d| d.is_nan() || *d <= 0.0) {
        return Err(ToolError::invalid(
            "distance_planned",
            format!("{d} is not a positive distance in metres"),
        ));
    }
    Ok(())
}

/// One library item as tools return it. Durations in hours, distance in metres, energy kJ.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LibraryItemOut {
    /// The library holding the item.
    pub library_id: i64,
    /// The item (template) id.
    pub item_id: i64,
    /// The template's name.
    pub name: String,
    /// Sport name, e.g. "Bike".
    pub sport: Option<String>,
    /// TrainingPeaks sport id (`workoutTypeId`).
    pub sport_id: Option<i64>,
    /// Sub-sport id (`workoutSubTypeId`).
    pub subtype_id: Option<i64>,
    /// Planned duration in hours (e.g. 1.25).
    pub duration_planned_hours: Option<f64>,
    /// Planned duration formatted, e.g. "1h 15m".
    pub duration_planned: Option<String>,
    /// Planned TSS.
    pub tss_planned: Option<f64>,
    /// Planned intensity factor (fraction of threshold).
    pub if_planned: Option<f64>,
    /// Planned distance, metres.
    pub distance_planned_m: Option<f64>,
    /// Planned energy, kJ.
    pub energy_planned_kj: Option<f64>,
    /// Description.
    pub description: Option<String>,
    /// Coach comments.
    pub coach_comments: Option<String>,
    /// Whether the template has an interval structure.
    pub has_structure: bool,
    /// A one-line summary of the structure.
    pub structure_summary: Option<String>,
    /// The wire structure (only on single-item results).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<Value>,
}

/// Builds the output view of an item. `library_id` stands in when the item does not say
/// which library holds it; the item id is vital (an error naming it).
pub(crate) fn item_out(
    it: &LibraryItem,
    library_id: i64,
    with_structure: bool,
) -> Result<LibraryItemOut, ToolError> {
    let item_id = it
        .exercise_library_item_id
        .require("library item", "exerciseLibraryItemId")
        .map_err(TpError::from)?;
    let structure = it.structure().cloned();
    let sport_id = it.workout_type_id.val();
    let hours = it.total_time_planned.val();
    Ok(LibraryItemOut {
        library_id: it.exercise_library_id.val().unwrap_or(library_id),
        item_id,
        name: it.name().unwrap_or_else(|| "Untitled".into()),
        sport: sport_id.map(|id| {
            Sport::from_type_id(id).map_or(format!("Sport({id})"), |s| s.label().to_string())
        }),
        sport_id,
        subtype_id: it.workout_sub_type_id.val(),
        duration_planned_hours: hours,
        duration_planned: hours.filter(|h| *h > 0.0).map(fmt_hours),
        tss_planned: it.tss_planned.val(),
        if_planned: it.if_planned.val(),
        distance_planned_m: it.distance_planned.val(),
        energy_planned_kj: it.energy_planned.val(),
        description: it.description(),
        coach_comments: it.coach_comments(),
        has_structure: structure.is_some(),
        structure_summary: structure.as_ref().and_then(structure_summary),
        structure: if with_structure { structure } else { None },
    })
}

/// `ID: n  [Sport] name` then the planned figures and a short description.
pub(crate) fn item_text(o: &LibraryItemOut) -> String {
    let mut s = format!(
        "ID: {}  [{}] {}",
        o.item_id,
        o.sport.as_deref().unwrap_or("?"),
        o.name
    );
    let mut parts = Vec::new();
    if let Some(d) = &o.duration_planned {
        parts.push(format!("Duration: {d}"));
    }
    if let Some(t) = o.tss_planned {
        parts.push(format!("TSS: {t:.0}"));
    }
    if let Some(i) = o.if_planned {
        parts.push(format!("IF: {i:.2}"));
    }
    if let Some(d) = o.distance_planned_m {
        parts.push(format!("Distance: {:.1} km", d / 1000.0));
    }
    if !parts.is_empty() {
        s.push_str("\n  ");
        s.push_str(&parts.join("  "));
    }
    if let Some(sum) = &o.structure_summary {
        s.push_str(&format!("\n  Structure: {sum}"));
    }
    if let Some(d) = &o.description {
        let short: String = d.chars().take(120).collect();
        let ell = if d.chars().count() > 120 { "…" } else { "" };
        s.push_str(&format!("\n  {short}{ell}"));
    }
    s
}

/// The planned fields of a template: explicit values win; otherwise derived from the
/// structure (unlike the reference, which stores none of them for library items).
pub(crate) fn planned_fields(
    compiled: Option<&CompiledStructure>,
    duration_hours: Option<f64>,
    tss: Option<f64>,
    if_value: Option<f64>,
) -> (Option<f64>, Option<f64>, Option<f64>) {
    (
        duration_hours.or_else(|| compiled.and_then(|c| c.total_hours)),
        tss.or_else(|| compiled.and_then(|c| c.tss)),
        if_value.or_else(|| compiled.and_then(|c| c.intensity_factor)),
    )
}

/// The create body of spec §9.2 (REF's shape), plus `workoutSubTypeId` and `coachComments`
/// when given. `structure` is left out when there is none (issue 8 §2: REF never sends
/// `"structure": null`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_item_body(
    library_id: i64,
    name: &str,
    sport: Sport,
    subtype_id: Option<i64>,
    total_time_planned: Option<f64>,
    tss_planned: Option<f64>,
    if_planned: Option<f64>,
    distance_planned: Option<f64>,
    description: Option<&str>,
    coach_comments: Option<&str>,
    structure: Option<&Value>,
) -> Value {
    let mut body = json!({
        "exerciseId": null,
        "exerciseLibraryId": library_id,
        "distancePlanned": distance_planned,
        "velocityPlanned": null,
        "energyPlanned": null,
        "exerciseLibraryItemType": "WorkoutTemplate",
        "workoutTypeId": sport.type_id(),
        "itemName": name,
        "tssPlanned": tss_planned,
        "ifPlanned": if_planned,
        "totalTimePlanned": total_time_planned,
        "description": description,
    });
    if let Some(o) = body.as_object_mut() {
        if let Some(s) = structure {
            o.insert("structure".into(), s.clone());
        }
        if let Some(st) = subtype_id {
            o.insert("workoutSubTypeId".into(), json!(st));
        }
        if let Some(c) = coach_comments {
            o.insert("coachComments".into(), json!(c));
        }
    }
    body
}

impl super::structure_arg::Compiled for CompiledStructure {
    fn compile(v: &Value) -> Result<Self, ToolError> {
        compile_structure(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_format_rounds_once() {
        let cases = [
            ("zero", 0.0, "0m"),
            ("45 min", 0.75, "45m"),
            ("1h", 1.0, "1h 00m"),
            ("almost 2h", 1.999, "2h 00m"),
            ("1h05", 1.0 + 5.0 / 60.0, "1h 05m"),
        ];
        for (name, h, want) in cases {
            assert_eq!(fmt_hours(h), want, "{name}");
        }
    }

    #[test]
    fn subtype_checks() {
        assert!(check_subtype(Sport::Bike, 6).is_ok());
        let e = check_subtype(Sport::Bike, 2).unwrap_err();
        assert!(e.to_string().starts_with("subtype_id:"), "{e}");
        assert!(check_subtype(Sport::Brick, 1).is_err());
    }

    #[test]
    fn bad_structure_names_the_path() {
        let e = compile_structure(&json!({"steps": [{"name": "x", "duration_seconds": -5}]}))
            .unwrap_err();
        match e {
            ToolError::InvalidArgs { field, .. } => {
                assert_eq!(field, "structure.steps[0].duration_seconds")
            }
            other => panic!("{other:?}"),
        }
    }

    /// Issue 8 §2: no `"structure": null` when the template has none.
    #[test]
    fn create_body_leaves_out_a_missing_structure() {
        let args = |s: Option<&Value>| {
            new_item_body(
                12,
                "E",
                Sport::Bike,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                s,
            )
        };
        assert!(args(None).get("structure").is_none(), "{}", args(None));
        let st = json!({"structure": []});
        assert_eq!(args(Some(&st))["structure"], st);
    }

    #[test]
    fn item_view_needs_the_item_id_only() {
        let it: LibraryItem = serde_json::from_value(
            json!({"exerciseLibraryItemId": "5", "itemName": null, "workoutTypeId": 999, "structure": null}),
        )
        .unwrap();
        let o = item_out(&it, 12, true).unwrap();
        assert_eq!((o.library_id, o.item_id), (12, 5));
        assert_eq!(o.name, "Untitled");
        assert_eq!(o.sport.as_deref(), Some("Sport(999)"));
        assert!(!o.has_structure && o.structure.is_none());
        let e = item_out(&LibraryItem::default(), 12, false).unwrap_err();
        assert!(e.to_string().contains("`exerciseLibraryItemId`"), "{e}");
    }

    #[test]
    fn drifted_structure_still_summarises() {
        let c = compile_structure(&json!({"steps": [
            {"name": "Z2", "duration_seconds": 3600, "intensity_min": 70, "intensity_max": 80}
        ]}))
        .unwrap();
        let clean = structure_summary(&c.wire).unwrap();
        let drifted = numbers_to_strings(&c.wire);
        assert_ne!(drifted, c.wire);
        assert_eq!(structure_summary(&drifted).as_deref(), Some(clean.as_str()));
    }

    fn numbers_to_strings(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), numbers_to_strings(x)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(numbers_to_strings).collect()),
            Value::Number(n) => Value::String(n.to_string()),
            _ => v.clone(),
        }
    }

    #[test]
    fn structure_metrics_are_derived() {
        let c = compile_structure(&json!({"steps": [
            {"name": "Z2", "duration_seconds": 3600, "intensity_min": 70, "intensity_max": 80}
        ]}))
        .unwrap();
        assert_eq!(c.total_hours, Some(1.0));
        assert_eq!(c.intensity_factor, Some(0.75));
        assert_eq!(c.tss, Some(56.3));
        assert!(c.wire.get("structure").is_some_and(Value::is_array));
    }
}
