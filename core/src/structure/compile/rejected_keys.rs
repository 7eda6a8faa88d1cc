//! Keys a friendly object must not carry: unknown keys (with a did-you-mean), wire keys in a
//! friendly structure, and known keys that do not apply where they are.

use super::super::input::InStep;
use super::super::keys::{self, Role};
use super::{CompileResult, FieldPath};

/// An unknown key on a friendly object: an error at the key's own path (out of line: valid
/// input never comes here).
#[cold]
#[inline(never)]
pub(super) fn unknown_key<T>(p: &FieldPath<'_>, key: &str, role: Role) -> CompileResult<T> {
    p.field(key).err(keys::unknown_key_message(key, role))
}

/// The wire-format keys `length` and `targets` on a friendly object: the structure was detected
/// as friendly (some step uses a friendly key), so this object is read as friendly too.
#[cold]
#[inline(never)]
pub(super) fn wire_key_in_friendly<T>(
    p: &FieldPath<'_>,
    key: &'static str,
    role: Role,
) -> CompileResult<T> {
    let fix = match (role, key) {
        (Role::Repetition, "length") => "a repetition's count is \"reps\"",
        (Role::Repetition, _) => "targets go on each inner step as intensity_min and intensity_max",
        (_, "length") => "give the length as duration_seconds (or distance_meters)",
        _ => "give the target as intensity_min and intensity_max (and cadence_min and cadence_max)",
    };
    p.key(key).err(format!(
        "is a wire-format key, but this structure is in the friendly format (its steps use \
         duration_seconds, intensity_min, …); {fix}, and write every step in the same format."
    ))
}

/// Keys the friendly format knows but that do not apply to this kind of object. Reading them
/// would mean ignoring them, which silently changes the workout, so each one is an error.
#[cold]
#[inline(never)]
pub(super) fn misplaced<X>(s: &InStep<'_, X>, p: &FieldPath<'_>, role: Role) -> CompileResult<()> {
    const RAMP_KEY: &str = "belongs to a ramp; for a ramp use \"type\": \"rampUp\" or \
                            \"rampDown\" (outside any repetition), for a constant target use \
                            intensity_min and intensity_max.";
    const ON_INNER: &str = "does not apply to a repetition; put it on each of its inner steps \
                            (a repetition takes type, name, reps and steps).";
    let candidates: [(&'static str, bool, &str); 12] = [
        ("length", s.length.is_some(), ""),
        ("targets", s.targets.is_some(), ""),
        (
            "reps",
            role == Role::Ramp && s.reps.is_some(),
            "a ramp cannot repeat: TrainingPeaks stores one level of repetition and a repetition \
             holds plain steps only; remove reps and write the ramp again where it recurs.",
        ),
        (
            "intensity_start",
            role != Role::Ramp && s.intensity_start.is_some(),
            RAMP_KEY,
        ),
        (
            "intensity_end",
            role != Role::Ramp && s.intensity_end.is_some(),
            RAMP_KEY,
        ),
        (
            "steps_count",
            role != Role::Ramp && s.steps_count.is_some(),
            "belongs to a ramp (its number of sub-steps); remove it, or make this a ramp with \
             \"type\": \"rampUp\" or \"rampDown\".",
        ),
        (
            "intensity_min",
            role == Role::Repetition && s.intensity_min.is_some(),
            ON_INNER,
        ),
        (
            "intensity_max",
            role == Role::Repetition && s.intensity_max.is_some(),
            ON_INNER,
        ),
        (
            "cadence_min",
            role == Role::Repetition && s.cadence_min.is_some(),
            ON_INNER,
        ),
        (
            "cadence_max",
            role == Role::Repetition && s.cadence_max.is_some(),
            ON_INNER,
        ),
        (
            "intensityClass",
            role == Role::Repetition && s.intensity_class.is_some(),
            ON_INNER,
        ),
        (
            "open_duration",
            role == Role::Repetition
                && (s.open_duration.is_some() || s.open_duration_wire.is_some()),
            ON_INNER,
        ),
    ];
    for (key, present, message) in candidates {
        if present {
            return match key {
                "length" | "targets" => wire_key_in_friendly(p, key, role),
                _ => p.key(key).err(message),
            };
        }
    }
    Ok(())
}
