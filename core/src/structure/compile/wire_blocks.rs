//! Wire blocks, steps and targets: validated, unknown keys passed through.

use super::super::input::{InLength, InStep, InTarget, JsonRef, Tree};
use super::super::wire::{
    Block, BlockKind, CADENCE_UNIT, Extra, Length, LengthUnit, Step, StepKind, Target, Targets,
};
use super::fields::{
    CADENCE_EXPECTED, INTENSITY_EXPECTED, class, flag, in_range, name, present, type_name, whole,
};
use super::{
    Builder, CADENCE_RANGE, CompileResult, FieldPath, LengthKind, MAX_INTENSITY, MAX_METERS,
    MAX_REPS, MAX_SECONDS,
};
use std::borrow::Cow;

impl Builder {
    /// A wire block, validated and passed through.
    pub(super) fn wire_block<T: Tree>(
        &mut self,
        s: &InStep<'_, T>,
        p: &FieldPath<'_>,
    ) -> CompileResult<Block> {
        if let Some(got) = &s.not_object {
            return p.err(format!(
                "each block must be an object, got {}.",
                got.kind_name()
            ));
        }
        let ty = type_name(&s.kind, p)?;
        let sp = p.key("steps");
        let items = match &s.steps {
            Some(JsonRef::Arr(v)) if !v.is_empty() => v,
            _ => {
                return p.err(format!(
                    "{} has no steps array — each top-level block must contain at least one interval.",
                    ty.unwrap_or("block")
                ));
            }
        };
        let kind = match ty {
            Some("step") => BlockKind::Step,
            Some("repetition") => BlockKind::Repetition,
            Some("rampUp") => BlockKind::RampUp,
            Some("rampDown") => BlockKind::RampDown,
            None if items.len() == 1 => BlockKind::Step,
            None => {
                return p.key("type").err(
                    "is missing: use \"step\" (one step), \"repetition\", \"rampUp\" or \"rampDown\".",
                );
            }
            Some(t) => {
                return p.key("type").err(format!(
                    "must be \"step\", \"repetition\", \"rampUp\" or \"rampDown\", got \"{t}\"."
                ));
            }
        };
        if kind == BlockKind::Step && items.len() != 1 {
            return sp.err(format!(
                "a \"step\" block holds exactly one step, got {}; use a \"repetition\" block \
                 (length value 1) for several.",
                items.len()
            ));
        }
        let lp = p.key("length");
        let reps = match (s.length.map(InLength::of), kind) {
            (None, BlockKind::Repetition) => {
                return lp.err("is missing: a repetition block needs length {value: <reps>, unit: \"repetition\"}.");
            }
            (None, _) => 1.0,
            (Some(len), kind) => {
                if let Some(got) = &len.not_object {
                    return lp.err(format!(
                        "must be an object {{value, unit}}, got {}.",
                        got.kind_name()
                    ));
                }
                match present(&len.unit) {
                    None => {}
                    Some(JsonRef::Str("repetition")) => {}
                    Some(other) => {
                        return lp.key("unit").err(format!(
                            "a block's length unit must be \"repetition\", got {}.",
                            other.describe()
                        ));
                    }
                }
                let vp = lp.key("value");
                match (present(&len.value), kind) {
                    (Some(v), BlockKind::Repetition) => whole(
                        v,
                        &vp,
                        1.0,
                        MAX_REPS,
                        "a whole number of repetitions from 1 to 1000",
                    )?,
                    (None, BlockKind::Repetition) => {
                        return vp.err("is missing: give the number of repetitions (1 to 1000).");
                    }
                    (None, _) => 1.0,
                    (Some(v), _) => whole(
                        v,
                        &vp,
                        1.0,
                        1.0,
                        "1 for step and ramp blocks (use a repetition block to repeat)",
                    )?,
                }
            }
        };
        let multi = kind != BlockKind::Step;
        let mut steps = Vec::with_capacity(items.len());
        for (j, st) in items.iter().enumerate() {
            steps.push(self.wire_step(&InStep::of(st.read()), &sp.idx(j), multi)?);
        }
        Ok(Block {
            kind,
            length: Length {
                value: reps,
                unit: LengthUnit::Repetition,
            },
            steps,
            begin: 0.0,
            end: 0.0,
            extra: Extra(s.extra()),
        })
    }

    fn wire_step<T: Tree>(
        &mut self,
        s: &InStep<'_, T>,
        p: &FieldPath<'_>,
        _multi: bool,
    ) -> CompileResult<Step> {
        if let Some(got) = &s.not_object {
            return p.err(format!(
                "each step must be an object, got {}.",
                got.kind_name()
            ));
        }
        if s.steps.is_some() {
            return p.key("steps").err(
                "a step inside a block cannot hold steps: TrainingPeaks stores one level of \
                 repetition (no repetition inside a repetition).",
            );
        }
        let kind = match present(&s.kind) {
            None => None,
            Some(JsonRef::Str("step")) => Some(StepKind::Step),
            Some(other) => {
                return p.key("type").err(format!(
                    "a step's type must be \"step\" or absent, got {}.",
                    other.describe()
                ));
            }
        };
        let lp = p.key("length");
        let length = match s.length.map(InLength::of) {
            Some(InLength {
                not_object: None,
                value,
                unit,
                ..
            }) => {
                let unit = match present(&unit) {
                    Some(JsonRef::Str(u)) => match u {
                        "second" => LengthUnit::Second,
                        "meter" => LengthUnit::Meter,
                        "mile" => LengthUnit::Mile,
                        _ => return bad_unit(&lp, present(&unit)),
                    },
                    other => return bad_unit(&lp, other),
                };
                let vp = lp.key("value");
                let (max, expected) = match unit {
                    LengthUnit::Second => (
                        MAX_SECONDS,
                        "a positive number of seconds, at most 86400 (24 h)",
                    ),
                    LengthUnit::Mile => (
                        MAX_METERS / 1609.344,
                        "a positive number of miles, at most 621",
                    ),
                    _ => (
                        MAX_METERS,
                        "a positive number of metres, at most 1000000 (1000 km)",
                    ),
                };
                let v = match present(&value) {
                    Some(v) => in_range(v, &vp, 0.0, false, max, expected)?,
                    None => return vp.err(format!("is missing: must be {expected}.")),
                };
                let k = if unit == LengthUnit::Second {
                    LengthKind::Time
                } else {
                    LengthKind::Distance
                };
                self.use_kind(k, &lp)?;
                Length { value: v, unit }
            }
            _ => {
                return lp.err(
                    "is missing or not an object: each step needs length {value: > 0, unit: \
                     \"second\" | \"meter\" | \"mile\"} (length.value must be a positive number).",
                );
            }
        };
        let tp = p.key("targets");
        let targets = match &s.targets {
            None | Some(JsonRef::Null) => Targets::new(),
            Some(JsonRef::Arr(v)) if v.len() <= 2 => {
                let mut out = Targets::new();
                for (k, t) in v.iter().enumerate() {
                    out.push(wire_target(&InTarget::of(t.read()), &tp.idx(k))?);
                }
                out
            }
            Some(JsonRef::Arr(v)) => {
                let mut out = Vec::with_capacity(v.len());
                for (k, t) in v.iter().enumerate() {
                    out.push(wire_target(&InTarget::of(t.read()), &tp.idx(k))?);
                }
                Targets::from(out)
            }
            Some(got) => {
                return tp.err(format!(
                    "must be an array of targets, got {}.",
                    got.kind_name()
                ));
            }
        };
        let intensity_class = class(&s.intensity_class, p)?;
        let open = flag(&s.open_duration_wire, p, "openDuration")?;
        Ok(Step {
            name: name(&s.name, p)?,
            length,
            targets,
            intensity_class,
            open_duration: open,
            kind,
            extra: Extra(s.extra()),
        })
    }
}

fn bad_unit<T, X>(lp: &FieldPath<'_>, got: Option<JsonRef<'_, X>>) -> CompileResult<T> {
    lp.key("unit").err(format!(
        "must be \"second\", \"meter\" or \"mile\", got {}.",
        got.map_or_else(|| "nothing".to_owned(), JsonRef::describe)
    ))
}

fn wire_target<T: Tree>(t: &InTarget<'_, T>, p: &FieldPath<'_>) -> CompileResult<Target> {
    if let Some(got) = &t.not_object {
        return p.err(format!(
            "each target must be an object, got {}.",
            got.kind_name()
        ));
    }
    let unit: Option<Cow<'static, str>> = match present(&t.unit) {
        None => None,
        Some(JsonRef::Str(u)) if u == CADENCE_UNIT => Some(Cow::Borrowed(CADENCE_UNIT)),
        Some(JsonRef::Str(u)) => Some(Cow::Owned(u.to_string())),
        Some(other) => {
            return p
                .key("unit")
                .err(format!("must be a string, got {}.", other.describe()));
        }
    };
    let (lo, hi, expected) = match unit.as_deref() {
        None => (0.0, MAX_INTENSITY, INTENSITY_EXPECTED),
        Some(CADENCE_UNIT) => (CADENCE_RANGE.0, CADENCE_RANGE.1, CADENCE_EXPECTED),
        Some(_) => (0.0, f64::MAX, "a non-negative number"),
    };
    let read = |key: &'static str, v: &Option<JsonRef<'_, T>>| -> CompileResult<Option<f64>> {
        match present(v) {
            None => Ok(None),
            Some(v) => in_range(v, &p.key(key), lo, true, hi, expected).map(Some),
        }
    };
    let min = read("minValue", &t.min_value)?;
    let max = read("maxValue", &t.max_value)?;
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return p.key("minValue").err(format!(
            "minValue ({a}) is greater than maxValue ({b}); the minimum must not exceed the maximum.",
            a = crate::decimal::Shortest(a),
            b = crate::decimal::Shortest(b)
        ));
    }
    Ok(Target {
        min_value: min,
        max_value: max,
        unit,
        extra: Extra(t.extra()),
    })
}
