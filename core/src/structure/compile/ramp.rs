//! Friendly ramps, compiled to the staircase TrainingPeaks stores (rules in the module docs of
//! `structure`).

use super::super::input::{InStep, JsonRef, Tree};
use super::super::keys::Role;
use super::super::wire::{Block, BlockKind, Extra, Length, LengthUnit, Step, StepKind, Targets};
use super::fields::{
    INTENSITY_EXPECTED, class, flag, in_range, name, pair, present, primary_target, whole,
};
use super::rejected_keys::{misplaced, unknown_key};
use super::rounding::round2;
use super::{Builder, CompileResult, FieldPath, MAX_INTENSITY, RAMP_STEPS, block};
use crate::decimal::Shortest;

impl Builder {
    /// A friendly ramp → the staircase block (see the module docs for the rules).
    pub(super) fn friendly_ramp<T: Tree>(
        &mut self,
        s: &InStep<'_, T>,
        p: &FieldPath<'_>,
        kind: Option<BlockKind>,
    ) -> CompileResult<Block> {
        if let Some(k) = s.unknown {
            return unknown_key(p, k, Role::Ramp);
        }
        if s.length.is_some() || s.targets.is_some() || s.reps.is_some() {
            misplaced(s, p, Role::Ramp)?;
        }
        for (key, v) in [
            ("open_duration", &s.open_duration),
            ("openDuration", &s.open_duration_wire),
        ] {
            if flag(v, p, key)? {
                return p
                    .key(key)
                    .err("a ramp cannot be open-duration; use a plain step.");
            }
        }
        if s.steps.is_some() {
            return p.key("steps").err(
                "a ramp builds its own sub-steps; give intensity_start, intensity_end, a length \
                 and optionally steps_count instead of steps.",
            );
        }
        let has_start_end = s.intensity_start.is_some() || s.intensity_end.is_some();
        let has_min_max = s.intensity_min.is_some() || s.intensity_max.is_some();
        let (start, end) = if has_start_end {
            if has_min_max {
                return p.key("intensity_min").err(
                    "a ramp takes intensity_start and intensity_end; drop intensity_min/intensity_max.",
                );
            }
            let get = |key: &'static str, v: &Option<JsonRef<'_, T>>| -> CompileResult<f64> {
                let kp = p.key(key);
                match present(v) {
                    Some(v) => in_range(v, &kp, 0.0, true, MAX_INTENSITY, INTENSITY_EXPECTED),
                    None => kp.err("is missing: a ramp needs intensity_start and intensity_end."),
                }
            };
            (
                get("intensity_start", &s.intensity_start)?,
                get("intensity_end", &s.intensity_end)?,
            )
        } else {
            let Some((lo, hi)) = pair(
                &s.intensity_min,
                &s.intensity_max,
                p,
                ("intensity_min", "intensity_max"),
                0.0,
                MAX_INTENSITY,
                INTENSITY_EXPECTED,
            )?
            else {
                return p.key("intensity_start").err(
                    "is missing: a ramp needs intensity_start and intensity_end (% of threshold).",
                );
            };
            match kind {
                Some(BlockKind::RampDown) => (hi, lo),
                Some(_) => (lo, hi),
                None => {
                    return p.key("intensity_start").err(
                        "is missing: with \"type\": \"ramp\" give intensity_start and \
                         intensity_end so the direction is clear.",
                    );
                }
            }
        };
        if start == end {
            return p.key("intensity_end").err(format!(
                "equals intensity_start ({start}); a ramp needs different start and end \
                 intensities (use a plain step for a constant target).",
                start = Shortest(start)
            ));
        }
        let kind = match kind {
            None => {
                if start < end {
                    BlockKind::RampUp
                } else {
                    BlockKind::RampDown
                }
            }
            Some(BlockKind::RampUp) if start > end => {
                return p.key("intensity_start").err(format!(
                    "a rampUp must rise, but intensity_start ({start}) > intensity_end ({end}); \
                     swap them or use \"rampDown\".",
                    start = Shortest(start),
                    end = Shortest(end)
                ));
            }
            Some(BlockKind::RampDown) if start < end => {
                return p.key("intensity_start").err(format!(
                    "a rampDown must fall, but intensity_start ({start}) < intensity_end ({end}); \
                     swap them or use \"rampUp\".",
                    start = Shortest(start),
                    end = Shortest(end)
                ));
            }
            Some(k) => k,
        };
        let total = self.friendly_length(s, p, false)?;
        let n = match present(&s.steps_count) {
            Some(v) => whole(
                v,
                &p.key("steps_count"),
                RAMP_STEPS.0,
                RAMP_STEPS.1,
                "a whole number of ramp sub-steps from 2 to 30",
            )?,
            None => ((end - start).abs() / 5.0).round().clamp(2.0, 10.0),
        };
        // Whole totals stay whole per sub-step; the remainder goes one unit at a time to the
        // first sub-steps.
        let whole_total = total.value.fract() == 0.0;
        if whole_total && total.value < n {
            return p.key(length_key(total.unit)).err(format!(
                "{} is too short for {n} ramp sub-steps; give at least {n} or lower steps_count.",
                Shortest(total.value),
                n = Shortest(n)
            ));
        }
        let base = if whole_total {
            (total.value / n).floor()
        } else {
            total.value / n
        };
        let remainder = if whole_total {
            total.value - base * n
        } else {
            0.0
        };
        let cadence = self.cadence(s, p)?;
        let intensity_class = class(&s.intensity_class, p)?;
        let nm = name(&s.name, p)?;
        let count = n as usize;
        let delta = (end - start) / n;
        let mut steps = Vec::with_capacity(count);
        for i in 0..count {
            let a = round2(start + delta * i as f64);
            let b = if i + 1 == count {
                end
            } else {
                round2(start + delta * (i + 1) as f64)
            };
            let primary = primary_target(a.min(b), a.max(b));
            let targets = match &cadence {
                Some(c) => Targets::from([primary, c.clone()]),
                None => Targets::from(primary),
            };
            let extra_unit = if (i as f64) < remainder { 1.0 } else { 0.0 };
            steps.push(Step {
                name: nm.clone(),
                length: Length {
                    value: base + extra_unit,
                    unit: total.unit,
                },
                targets,
                intensity_class,
                open_duration: false,
                kind: Some(StepKind::Step),
                extra: Extra::default(),
            });
        }
        Ok(block(kind, 1.0, steps))
    }
}

fn length_key(unit: LengthUnit) -> &'static str {
    if unit == LengthUnit::Second {
        "duration_seconds"
    } else {
        "distance_meters"
    }
}
