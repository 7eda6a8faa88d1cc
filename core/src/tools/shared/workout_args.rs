//! What the calendar workout tools (`create_workout`, `update_workout`,
//! `validate_workout_structure`) share: the `structure` argument compiled, and the checks of
//! title, sub-sport, planned numbers and ids. The other workout tools use the id check too.

use serde_json::Value;

use super::args::Sport;
use super::structure_arg::Compiled;
use crate::structure;
use crate::tools::ToolError;
use crate::trainingpeaks::workouts::subtypes_of;

/// A compiled structure argument: the wire object, its summary and planned metrics.
#[derive(Debug)]
pub(crate) struct CompiledStructure {
    pub(crate) wire: Value,
    pub(crate) summary: String,
    pub(crate) metrics: Option<structure::PlannedMetrics>,
    /// Planned metres, for distance-based structures.
    pub(crate) distance: Option<f64>,
}

/// Compiles a `structure` argument; errors name `structure.<path>`.
pub(crate) fn compile_structure(v: &Value) -> Result<CompiledStructure, ToolError> {
    let s = structure::compile_value(v).map_err(|e| {
        let field = if e.path.is_empty() || e.path == "(root)" {
            "structure".to_string()
        } else {
            format!("structure.{}", e.path)
        };
        ToolError::invalid(field, e.message)
    })?;
    Ok(CompiledStructure {
        wire: s.to_value(),
        summary: structure::summary(&s),
        metrics: structure::metrics(&s, None),
        distance: structure::planned_distance_meters(&s),
    })
}

/// Checks an optional number is finite and within `lo..=hi` (lo exclusive when `lo_open`).
pub(crate) fn check_num(
    v: Option<f64>,
    field: &str,
    lo: f64,
    lo_open: bool,
    hi: f64,
    what: &str,
) -> Result<(), ToolError> {
    if let Some(x) = v {
        let low_ok = if lo_open { x > lo } else { x >= lo };
        if !x.is_finite() || !low_ok || x > hi {
            return Err(ToolError::invalid(
                field,
                format!("{x} is out of range: {what}"),
            ));
        }
    }
    Ok(())
}

/// Checks a subtype belongs to the sport.
pub(crate) fn check_subtype(sport: Sport, subtype: Option<i64>) -> Result<(), ToolError> {
    if let Some(id) = subtype {
        let subs = subtypes_of(sport.type_id());
        if !subs.iter().any(|(s, _)| *s == id) {
            let valid = if subs.is_empty() {
                format!("{} has no subtypes; omit subtype_id", sport.label())
            } else {
                let list: Vec<String> = subs.iter().map(|(i, n)| format!("{i} {n}")).collect();
                format!("valid for {}: {}", sport.label(), list.join(", "))
            };
            return Err(ToolError::invalid(
                "subtype_id",
                format!("{id} is not a {} subtype; {valid}", sport.label()),
            ));
        }
    }
    Ok(())
}

/// Rejects a blank title.
pub(crate) fn check_title(title: &str) -> Result<(), ToolError> {
    if title.trim().is_empty() {
        return Err(ToolError::invalid(
            "title",
            "must not be empty, e.g. \"Endurance ride\"",
        ));
    }
    Ok(())
}

/// Rejects an id that cannot be a TrainingPeaks workout (or comment) id, naming `field`.
pub(crate) fn check_id(id: i64, field: &str) -> Result<(), ToolError> {
    if id <= 0 {
        return Err(ToolError::invalid(
            field,
            format!("{id} is not a TrainingPeaks id; ids are positive integers"),
        ));
    }
    Ok(())
}

impl Compiled for CompiledStructure {
    fn compile(v: &Value) -> Result<Self, ToolError> {
        compile_structure(v)
    }
}
