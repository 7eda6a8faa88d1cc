//! The last pass over the built blocks: `begin`/`end` offsets, the workout totals and the
//! polyline.

use super::super::wire::{
    Block, IntensityMetric, LengthMetric, Step, Structure, Target, TargetOrRange,
};
use super::rounding::r3;
use super::{
    Builder, CompileResult, FieldPath, LengthKind, MAX_INSTANCES, MAX_METERS, MAX_SECONDS,
};

impl Builder {
    /// Computes `begin`/`end` and the polyline, and checks the workout totals.
    pub(super) fn finish(
        &self,
        mut blocks: Vec<Block>,
        metric: IntensityMetric,
        vis_unit: Option<&str>,
        p: &FieldPath<'_>,
    ) -> CompileResult<Structure> {
        let length_metric = match self.kind {
            Some(LengthKind::Distance) => LengthMetric::Distance,
            _ => LengthMetric::Duration,
        };
        let mut cursor = 0.0f64;
        let mut instances = 0usize;
        let mut max_y = 0.0f64;
        for b in &mut blocks {
            let mut inner = 0.0f64;
            for s in &b.steps {
                inner += s.length.value * s.length.unit.to_base();
                if let Some(top) = s.primary().and_then(Target::top)
                    && top > max_y
                {
                    max_y = top;
                }
            }
            let reps = b.repeats();
            instances = instances.saturating_add(b.steps.len().saturating_mul(reps as usize));
            b.begin = cursor;
            cursor += reps * inner;
            b.end = cursor;
        }
        let total = cursor;
        let (limit, what) = match length_metric {
            LengthMetric::Duration => (MAX_SECONDS, "24 h (86400 s)"),
            LengthMetric::Distance => (MAX_METERS, "1000 km"),
        };
        if total > limit {
            return p.err(format!(
                "the workout adds up to {total} {}, more than {what}; shorten it or split it into \
                 several workouts.",
                if length_metric == LengthMetric::Duration {
                    "s"
                } else {
                    "m"
                },
                total = crate::decimal::Shortest(total)
            ));
        }
        if instances > MAX_INSTANCES {
            return p.err(format!(
                "the workout expands to {instances} intervals once repetitions are counted; at \
                 most {MAX_INSTANCES} are supported."
            ));
        }
        let polyline = polyline(&blocks, total, max_y, instances);
        let vis = match length_metric {
            LengthMetric::Distance => Some(vis_unit.unwrap_or("meter").to_owned()),
            LengthMetric::Duration => vis_unit.map(str::to_owned),
        };
        Ok(Structure {
            structure: blocks,
            polyline,
            primary_length_metric: length_metric,
            primary_intensity_metric: metric,
            primary_intensity_target_or_range: TargetOrRange::Range,
            visualization_distance_unit: vis,
        })
    }
}

/// The reference polyline: `[0,0]`, then per step instance `[x0,y]`, `[x1,y]`, `[x1,0]`.
fn polyline(blocks: &[Block], total: f64, max_y: f64, instances: usize) -> Vec<[f64; 2]> {
    if total <= 0.0 || max_y <= 0.0 {
        return Vec::new();
    }
    /// A step's length in base units and its height: computed once per block, not once per
    /// repetition (repetitions are most of the instances).
    fn shape(s: &Step, max_y: f64) -> (f64, f64) {
        let len = s.length.value * s.length.unit.to_base();
        let y = s
            .primary()
            .and_then(Target::top)
            .map_or(0.0, |t| r3(t / max_y));
        (len, y)
    }
    let mut points = Vec::with_capacity(1 + 3 * instances);
    points.push([0.0, 0.0]);
    let mut cursor = 0.0f64;
    // Each instance starts where the previous one ended: the same cursor gives the same x.
    let mut x0 = 0.0f64;
    let mut emit = |points: &mut Vec<[f64; 2]>, (len, y): (f64, f64)| {
        cursor += len;
        let x1 = r3(cursor / total);
        points.extend_from_slice(&[[x0, y], [x1, y], [x1, 0.0]]);
        x0 = x1;
    };
    let mut scratch = [(0.0f64, 0.0f64); 8];
    for b in blocks {
        let reps = b.repeats() as usize;
        match scratch.get_mut(..b.steps.len()) {
            Some(shapes) if reps > 1 => {
                for (slot, s) in shapes.iter_mut().zip(&b.steps) {
                    *slot = shape(s, max_y);
                }
                for _ in 0..reps {
                    for &sh in shapes.iter() {
                        emit(&mut points, sh);
                    }
                }
            }
            _ => {
                for _ in 0..reps {
                    for s in &b.steps {
                        emit(&mut points, shape(s, max_y));
                    }
                }
            }
        }
    }
    points
}
