//! Friendly steps: their length and targets, and the dispatch of a friendly block by its type.

use super::super::input::{InStep, JsonRef, Tree};
use super::super::keys::Role;
use super::super::wire::{
    Block, BlockKind, Extra, Length, LengthUnit, Step, StepKind, Target, Targets,
};
use super::fields::{
    CADENCE_EXPECTED, INTENSITY_EXPECTED, cadence_target, class, flag, in_range, name, pair,
    present, primary_target, type_name,
};
use super::rejected_keys::{misplaced, unknown_key, wire_key_in_friendly};
use super::{
    Builder, CADENCE_RANGE, CompileResult, FieldPath, LengthKind, MAX_INTENSITY, MAX_METERS,
    MAX_SECONDS, block,
};

impl Builder {
    /// Reads a friendly `duration_seconds` / `distance_meters` length.
    pub(super) fn friendly_length<T: Tree>(
        &mut self,
        s: &InStep<'_, T>,
        p: &FieldPath<'_>,
        open: bool,
    ) -> CompileResult<Length> {
        match (present(&s.duration_seconds), present(&s.distance_meters)) {
            (Some(_), Some(_)) => p
                .key("distance_meters")
                .err("give either duration_seconds or distance_meters, not both."),
            (Some(v), None) => {
                let dp = p.key("duration_seconds");
                let x = in_range(
                    v,
                    &dp,
                    0.0,
                    false,
                    MAX_SECONDS,
                    "a number of seconds greater than 0 and at most 86400 (24 h)",
                )?;
                self.use_kind(LengthKind::Time, &dp)?;
                Ok(Length {
                    value: x,
                    unit: LengthUnit::Second,
                })
            }
            (None, Some(v)) => {
                let dp = p.key("distance_meters");
                let x = in_range(
                    v,
                    &dp,
                    0.0,
                    false,
                    MAX_METERS,
                    "a number of metres greater than 0 and at most 1000000 (1000 km)",
                )?;
                self.use_kind(LengthKind::Distance, &dp)?;
                Ok(Length {
                    value: x,
                    unit: LengthUnit::Meter,
                })
            }
            (None, None) => {
                let why = if open {
                    "an open-duration step still needs duration_seconds (or distance_meters) as \
                     its planned estimate"
                } else {
                    "has no valid duration_seconds: every step needs duration_seconds > 0 \
                     (or distance_meters > 0)"
                };
                match &s.duration_seconds {
                    Some(JsonRef::Null) => {
                        p.key("duration_seconds").err(format!("is null; {why}."))
                    }
                    _ => p.key("duration_seconds").err(format!("is missing; {why}.")),
                }
            }
        }
    }

    fn friendly_targets<T: Tree>(
        &self,
        s: &InStep<'_, T>,
        p: &FieldPath<'_>,
    ) -> CompileResult<Targets> {
        let primary = pair(
            &s.intensity_min,
            &s.intensity_max,
            p,
            ("intensity_min", "intensity_max"),
            0.0,
            MAX_INTENSITY,
            INTENSITY_EXPECTED,
        )?;
        let cadence = self.cadence(s, p)?;
        Ok(
            match (primary.map(|(a, b)| primary_target(a, b)), cadence) {
                (Some(p), Some(c)) => Targets::from([p, c]),
                (Some(t), None) | (None, Some(t)) => Targets::from(t),
                (None, None) => Targets::new(),
            },
        )
    }

    pub(super) fn cadence<T: Tree>(
        &self,
        s: &InStep<'_, T>,
        p: &FieldPath<'_>,
    ) -> CompileResult<Option<Target>> {
        Ok(pair(
            &s.cadence_min,
            &s.cadence_max,
            p,
            ("cadence_min", "cadence_max"),
            CADENCE_RANGE.0,
            CADENCE_RANGE.1,
            CADENCE_EXPECTED,
        )?
        .map(|(a, b)| cadence_target(a, b)))
    }

    /// A friendly single step (top-level or inside a repetition), appended to `out` (built in
    /// place: a `Step` is a few hundred bytes, so returning it by value costs copies).
    pub(super) fn friendly_step<T: Tree>(
        &mut self,
        s: &InStep<'_, T>,
        p: &FieldPath<'_>,
        inner: bool,
        out: &mut Vec<Step>,
    ) -> CompileResult<()> {
        if let Some(k) = s.unknown {
            return unknown_key(p, k, Role::Step);
        }
        if s.length.is_some()
            || s.targets.is_some()
            || s.intensity_start.is_some()
            || s.intensity_end.is_some()
            || s.steps_count.is_some()
        {
            misplaced(s, p, Role::Step)?;
        }
        let open = flag(&s.open_duration, p, "open_duration")?
            || flag(&s.open_duration_wire, p, "openDuration")?;
        let length = self.friendly_length(s, p, open)?;
        let targets = self.friendly_targets(s, p)?;
        let intensity_class = class(&s.intensity_class, p)?;
        let name = name(&s.name, p)?;
        out.push(Step {
            name,
            length,
            targets,
            intensity_class,
            open_duration: open,
            kind: inner.then_some(StepKind::Step),
            extra: Extra::default(),
        });
        Ok(())
    }

    pub(super) fn friendly_block<T: Tree>(
        &mut self,
        s: &InStep<'_, T>,
        p: &FieldPath<'_>,
    ) -> CompileResult<Block> {
        if let Some(got) = &s.not_object {
            return p.err(format!(
                "each step must be an object, got {}.",
                got.kind_name()
            ));
        }
        // A wire block among friendly steps: say so before its type is read as friendly.
        if s.length.is_some() || s.targets.is_some() {
            let role = if s.steps.is_some() {
                Role::Repetition
            } else {
                Role::Step
            };
            let key = if s.length.is_some() {
                "length"
            } else {
                "targets"
            };
            return wire_key_in_friendly(p, key, role);
        }
        let ty = type_name(&s.kind, p)?;
        let kind = match ty {
            Some(t) if t.eq_ignore_ascii_case("step") => {
                if s.steps.is_some() || s.reps.is_some() {
                    return p.key("type").err(
                        "a \"step\" cannot contain steps or reps; use \"type\": \"repetition\".",
                    );
                }
                BlockKind::Step
            }
            Some(t) if t.eq_ignore_ascii_case("repetition") => BlockKind::Repetition,
            Some(t) if t.eq_ignore_ascii_case("rampUp") => BlockKind::RampUp,
            Some(t) if t.eq_ignore_ascii_case("rampDown") => BlockKind::RampDown,
            Some(t) if t.eq_ignore_ascii_case("ramp") => {
                return self.friendly_ramp(s, p, None);
            }
            Some(t) => {
                return p.key("type").err(format!(
                    "must be \"step\", \"repetition\", \"rampUp\", \"rampDown\" or \"ramp\", got \"{t}\"."
                ));
            }
            None if s.steps.is_some() || s.reps.is_some() => BlockKind::Repetition,
            None if s.intensity_start.is_some() || s.intensity_end.is_some() => {
                return self.friendly_ramp(s, p, None);
            }
            None => BlockKind::Step,
        };
        match kind {
            BlockKind::Step => {
                let mut steps = Vec::with_capacity(1);
                self.friendly_step(s, p, false, &mut steps)?;
                Ok(block(BlockKind::Step, 1.0, steps))
            }
            BlockKind::Repetition => self.friendly_repetition(s, p),
            k => self.friendly_ramp(s, p, Some(k)),
        }
    }
}
