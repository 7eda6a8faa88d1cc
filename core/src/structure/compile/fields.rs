//! Reading one field: each reader accepts the valid values with a few inlined compares and
//! rejects everything else with an error naming the field and what would be valid.

use super::super::input::JsonRef;
use super::super::wire::{CADENCE_UNIT, Extra, IntensityClass, StepName, Target};
use super::{CompileResult, FieldPath};
use crate::decimal::Shortest;
use std::borrow::Cow;

pub(super) fn bad_metric<T, X>(p: &FieldPath<'_>, got: Option<JsonRef<'_, X>>) -> CompileResult<T> {
    p.key("primaryIntensityMetric").err(format!(
        "must be \"percentOfFtp\", \"percentOfThresholdHr\" or \"percentOfThresholdPace\", got {}.",
        got.map_or_else(|| "nothing".to_owned(), JsonRef::describe)
    ))
}

/// A present, non-null field value.
pub(super) fn present<'a, T>(v: &Option<JsonRef<'a, T>>) -> Option<JsonRef<'a, T>> {
    match *v {
        None | Some(JsonRef::Null) => None,
        Some(s) => Some(s),
    }
}

/// The error of [`in_range`] / [`whole`]: kept out of line so that the accepting path (every
/// number of every valid input) stays a few inlined compares.
#[cold]
#[inline(never)]
pub(super) fn number_err<T, X>(
    v: JsonRef<'_, X>,
    p: &FieldPath<'_>,
    expected: &str,
) -> CompileResult<T> {
    match v {
        JsonRef::Num(x) if x.is_finite() => {
            p.err(format!("must be {expected}, got {}.", Shortest(x)))
        }
        other => p.err(format!("must be {expected}, got {}.", other.describe())),
    }
}

#[inline]
pub(super) fn in_range<T>(
    v: JsonRef<'_, T>,
    p: &FieldPath<'_>,
    lo: f64,
    lo_inclusive: bool,
    hi: f64,
    expected: &str,
) -> CompileResult<f64> {
    if let JsonRef::Num(x) = v {
        // NaN fails every compare, infinities fail one bound (every `hi` here is finite).
        let ok_lo = if lo_inclusive { x >= lo } else { x > lo };
        if ok_lo && x <= hi && x.is_finite() {
            return Ok(x);
        }
    }
    number_err(v, p, expected)
}

#[inline]
pub(super) fn whole<T>(
    v: JsonRef<'_, T>,
    p: &FieldPath<'_>,
    lo: f64,
    hi: f64,
    expected: &str,
) -> CompileResult<f64> {
    if let JsonRef::Num(x) = v
        && x.is_finite()
        && x.fract() == 0.0
        && x >= lo
        && x <= hi
    {
        return Ok(x);
    }
    number_err(v, p, expected)
}

pub(super) fn name<T>(
    v: &Option<JsonRef<'_, T>>,
    p: &FieldPath<'_>,
) -> CompileResult<Option<StepName>> {
    match v {
        None | Some(JsonRef::Null) => Ok(None),
        Some(JsonRef::Str(s)) => Ok(Some(StepName::new(s))),
        Some(other) => p
            .key("name")
            .err(format!("must be a string, got {}.", other.describe())),
    }
}

pub(super) fn class<T>(
    v: &Option<JsonRef<'_, T>>,
    p: &FieldPath<'_>,
) -> CompileResult<IntensityClass> {
    match present(v) {
        None => Ok(IntensityClass::Active),
        // The exact wire spellings first (the common case), then the lenient parse.
        Some(JsonRef::Str("active")) => Ok(IntensityClass::Active),
        Some(JsonRef::Str("rest")) => Ok(IntensityClass::Rest),
        Some(JsonRef::Str("warmUp")) => Ok(IntensityClass::WarmUp),
        Some(JsonRef::Str("coolDown")) => Ok(IntensityClass::CoolDown),
        Some(JsonRef::Str(s)) => match IntensityClass::parse(s) {
            Some(c) => Ok(c),
            None => bad_class(p, JsonRef::<T>::Str(s)),
        },
        Some(other) => bad_class(p, other),
    }
}

pub(super) fn bad_class<T, X>(p: &FieldPath<'_>, got: JsonRef<'_, X>) -> CompileResult<T> {
    p.key("intensityClass").err(format!(
        "must be one of \"warmUp\", \"active\", \"rest\", \"coolDown\", \"other\" \
         (\"recovery\" is accepted as \"rest\"), got {}.",
        got.describe()
    ))
}

pub(super) fn flag<T>(
    v: &Option<JsonRef<'_, T>>,
    p: &FieldPath<'_>,
    key: &'static str,
) -> CompileResult<bool> {
    match present(v) {
        None => Ok(false),
        Some(JsonRef::Bool(b)) => Ok(b),
        Some(other) => p
            .key(key)
            .err(format!("must be true or false, got {}.", other.describe())),
    }
}

pub(super) fn type_name<'a, T>(
    v: &Option<JsonRef<'a, T>>,
    p: &FieldPath<'_>,
) -> CompileResult<Option<&'a str>> {
    match present(v) {
        None => Ok(None),
        Some(JsonRef::Str(s)) => Ok(Some(s)),
        Some(other) => p
            .key("type")
            .err(format!("must be a string, got {}.", other.describe())),
    }
}

/// Reads an optional `(min, max)` pair: both or neither, each in range, min ≤ max.
///
/// Every step reads two pairs, so the accepting path is a few inlined compares; anything else
/// goes to [`pair_checked`], which finds and reports the problem.
#[inline]
pub(super) fn pair<T>(
    min: &Option<JsonRef<'_, T>>,
    max: &Option<JsonRef<'_, T>>,
    p: &FieldPath<'_>,
    keys: (&'static str, &'static str),
    lo: f64,
    hi: f64,
    expected: &str,
) -> CompileResult<Option<(f64, f64)>> {
    match (present(min), present(max)) {
        (None, None) => return Ok(None),
        // Finite bounds reject NaN and infinities, as `in_range` does.
        (Some(JsonRef::Num(a)), Some(JsonRef::Num(b))) if a >= lo && b <= hi && a <= b => {
            return Ok(Some((a, b)));
        }
        _ => {}
    }
    pair_checked(min, max, p, keys, lo, hi, expected)
}

#[cold]
#[inline(never)]
pub(super) fn pair_checked<T>(
    min: &Option<JsonRef<'_, T>>,
    max: &Option<JsonRef<'_, T>>,
    p: &FieldPath<'_>,
    keys: (&'static str, &'static str),
    lo: f64,
    hi: f64,
    expected: &str,
) -> CompileResult<Option<(f64, f64)>> {
    match (present(min), present(max)) {
        (None, None) => Ok(None),
        (Some(_), None) => p.key(keys.1).err(format!(
            "is missing: give both {} and {} (the same value twice for a single target).",
            keys.0, keys.1
        )),
        (None, Some(_)) => p.key(keys.0).err(format!(
            "is missing: give both {} and {} (the same value twice for a single target).",
            keys.0, keys.1
        )),
        (Some(a), Some(b)) => {
            let a = in_range(a, &p.key(keys.0), lo, true, hi, expected)?;
            let b = in_range(b, &p.key(keys.1), lo, true, hi, expected)?;
            if a > b {
                return p.key(keys.0).err(format!(
                    "{} ({}) is greater than {} ({}); the minimum must not exceed the maximum.",
                    keys.0,
                    Shortest(a),
                    keys.1,
                    Shortest(b)
                ));
            }
            Ok(Some((a, b)))
        }
    }
}

pub(super) const INTENSITY_EXPECTED: &str = "a percentage of threshold from 0 to 1000";
pub(super) const CADENCE_EXPECTED: &str = "a cadence from 1 to 250 rpm";

pub(super) fn primary_target(min: f64, max: f64) -> Target {
    Target {
        min_value: Some(min),
        max_value: Some(max),
        unit: None,
        extra: Extra::default(),
    }
}

pub(super) fn cadence_target(min: f64, max: f64) -> Target {
    Target {
        min_value: Some(min),
        max_value: Some(max),
        unit: Some(Cow::Borrowed(CADENCE_UNIT)),
        extra: Extra::default(),
    }
}
