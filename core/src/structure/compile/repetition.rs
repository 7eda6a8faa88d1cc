//! Friendly repetitions: a count and one level of plain inner steps.

use super::super::input::{InStep, JsonRef, Tree};
use super::super::keys::Role;
use super::super::wire::{Block, BlockKind};
use super::fields::{present, type_name, whole};
use super::rejected_keys::{misplaced, unknown_key};
use super::{Builder, CompileResult, FieldPath, MAX_REPS, block};

impl Builder {
    pub(super) fn friendly_repetition<T: Tree>(
        &mut self,
        s: &InStep<'_, T>,
        p: &FieldPath<'_>,
    ) -> CompileResult<Block> {
        if let Some(k) = s.unknown {
            return unknown_key(p, k, Role::Repetition);
        }
        if s.length.is_some()
            || s.targets.is_some()
            || s.intensity_min.is_some()
            || s.intensity_max.is_some()
            || s.intensity_start.is_some()
            || s.intensity_end.is_some()
            || s.steps_count.is_some()
            || s.cadence_min.is_some()
            || s.cadence_max.is_some()
            || s.intensity_class.is_some()
            || s.open_duration.is_some()
            || s.open_duration_wire.is_some()
        {
            misplaced(s, p, Role::Repetition)?;
        }
        for (key, v) in [
            ("duration_seconds", &s.duration_seconds),
            ("distance_meters", &s.distance_meters),
        ] {
            if present(v).is_some() {
                return p.key(key).err(
                    "a repetition takes its length from its inner steps; move the length onto them.",
                );
            }
        }
        let reps = match present(&s.reps) {
            // No default: `{"steps": [...]}` without reps is far more often a misspelt count
            // than a deliberate single pass (no reference vector relies on a default).
            None => {
                return p.key("reps").err(
                    "is missing: a repetition needs \"reps\", the number of times its steps \
                     repeat (1–1000).",
                );
            }
            Some(v) => whole(
                v,
                &p.key("reps"),
                1.0,
                MAX_REPS,
                "a whole number of repetitions from 1 to 1000",
            )?,
        };
        let sp = p.key("steps");
        let inner = match &s.steps {
            Some(JsonRef::Arr(v)) if !v.is_empty() => v,
            Some(got) if !got.is_null() && !got.is_array() => {
                return sp.err(format!(
                    "must be an array of inner steps, got {}.",
                    got.kind_name()
                ));
            }
            _ => {
                return sp
                    .err("a repetition must have a steps array with at least one inner interval.");
            }
        };
        let mut steps = Vec::with_capacity(inner.len());
        for (j, st) in inner.iter().enumerate() {
            let st = &InStep::of(st.read());
            let ip = sp.idx(j);
            if let Some(got) = &st.not_object {
                return ip.err(format!(
                    "each inner step must be an object, got {}.",
                    got.kind_name()
                ));
            }
            let nested_type = match type_name(&st.kind, &ip)? {
                None => false,
                Some(t) if t.eq_ignore_ascii_case("step") => false,
                Some(_) => true,
            };
            if nested_type
                || st.steps.is_some()
                || st.reps.is_some()
                || st.intensity_start.is_some()
            {
                return ip.err(
                    "a repetition cannot contain another repetition or a ramp: TrainingPeaks \
                     stores one level of repetition. Flatten it (2×(3×A) → 6×A) or split it into \
                     consecutive blocks.",
                );
            }
            self.friendly_step(st, &ip, true, &mut steps)?;
        }
        Ok(block(BlockKind::Repetition, reps, steps))
    }
}
