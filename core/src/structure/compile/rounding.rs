//! Rounding as the reference does it, without a libm call per value.

pub(super) fn round2(x: f64) -> f64 {
    round(x * 100.0) / 100.0
}

/// Rounds like the reference's `Math.round(n * 1000) / 1000` (identical for non-negative values).
pub(super) fn r3(x: f64) -> f64 {
    round(x * 1000.0) / 1000.0
}

/// Exactly `f64::round` (half away from zero), without the libm call that `round` becomes on
/// targets without SSE4.1: the polyline rounds hundreds of values per compile.
#[inline]
pub(super) fn round(y: f64) -> f64 {
    // From 2^52 on every f64 is whole (infinities too), and NaN stays NaN: nothing to round.
    if y.is_nan() || y.abs() >= 4_503_599_627_370_496.0 {
        return y.round();
    }
    // `as i64` truncates toward zero; copysign keeps the sign of a zero result (round(-0.3) is
    // -0.0). `y - t` is exact: it is the fractional bits of `y`.
    let t = (y as i64 as f64).copysign(y);
    let d = y - t;
    if d >= 0.5 {
        t + 1.0
    } else if d <= -0.5 {
        t - 1.0
    } else {
        t
    }
}
