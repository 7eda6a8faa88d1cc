//! The activity analytics of `paceline_core::analysis` for JS: today only the exact mean-max
//! curve, which the issue-10 speed target is stated for "in wasm under Node"
//! (`extension/tests/node/bench.mjs` times it, `meanmax.test.mjs` checks it). The tools
//! already run the same code inside the module; this export makes it callable on its own.

use paceline_core::analysis::meanmax;
use wasm_bindgen::prelude::*;

use crate::js_error;

/// The longest stream accepted: 7 days of 1 Hz samples, the longest activity the FIT decoder
/// puts on a grid (`paceline_core::fit::MAX_GRID_SECONDS`). The curve is worst-case quadratic,
/// so an absurd length would stall the caller's thread rather than fail.
pub const MAX_SAMPLES: usize = 7 * 24 * 3600;

/// The exact mean-maximal curve of one evenly sampled channel (power, heart rate, speed):
/// element `k` of the result is the best mean over `k + 1` consecutive samples, for every
/// length from one sample to the whole stream (spec §2.7; `meanmax::mean_max`). `NaN` (or any
/// non-finite value) is a gap and counts as zero, negative values count as zero, as in the
/// native analysis. An empty stream gives an empty curve.
///
/// Throws an `Error` with `code: "invalid_params"` and `path: "samples"` for a stream longer
/// than [`MAX_SAMPLES`].
#[wasm_bindgen(js_name = meanMax)]
pub fn mean_max(samples: &[f64]) -> Result<Vec<f64>, JsValue> {
    if samples.len() > MAX_SAMPLES {
        return Err(js_error(
            "invalid_params",
            &format!(
                "samples: {} values, more than the {MAX_SAMPLES} (7 days at 1 Hz) accepted",
                samples.len()
            ),
            Some("samples"),
        ));
    }
    let channel: Vec<Option<f64>> = samples.iter().map(|&v| Some(v)).collect();
    // The sample interval only labels the curve; the values are per sample count.
    Ok(meanmax::mean_max(&channel, 1.0).values)
}
