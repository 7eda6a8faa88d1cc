// The extension module's `meanMax` export against a brute-force mean-max computed here, on a
// short ride-like stream with gaps, zeros and (below) negative and non-finite values.
// Run by `cargo xtask test` (wasm smoke) with PACELINE_WASM_PKG=extension/pkg.
import { test } from "node:test";
import assert from "node:assert/strict";
import { wasm } from "./load.mjs";
import { ride } from "./ride.mjs";

/** Every window of every length, summed directly: O(n²), fine for short streams. */
function bruteForce(samples) {
  // The documented policy: a gap (non-finite) and a negative value both count as zero.
  const x = Array.from(samples, (v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const n = x.length;
  const best = new Float64Array(n);
  for (let start = 0; start < n; start++) {
    let sum = 0;
    for (let len = 1; start + len <= n; len++) {
      sum += x[start + len - 1];
      best[len - 1] = Math.max(best[len - 1], sum / len);
    }
  }
  return best;
}

function assertClose(got, want) {
  assert.equal(got.length, want.length, "one point per duration");
  for (let k = 0; k < want.length; k++) {
    // The wasm sums exact integer thousandths; the brute force sums doubles.
    assert.ok(Math.abs(got[k] - want[k]) < 1e-6, `duration ${k + 1} s: wasm ${got[k]}, brute force ${want[k]}`);
  }
}

test("mean-max of 40 minutes of ride-like power equals the brute force at every duration", () => {
  const samples = ride(2400, 7);
  assert.ok(samples.some(Number.isNaN), "the stream has dropouts");
  assert.ok(samples.some((v) => v === 0), "and coasting zeros");
  const got = wasm.meanMax(samples);
  assert.ok(got instanceof Float64Array);
  // (No monotonicity check: the best mean is not non-increasing in duration in general, e.g.
  // [10, 0, 10] has 5 W over 2 s and 6.7 W over 3 s; the brute force is the reference.)
  assertClose(got, bruteForce(samples));
});

test("negative, infinite and fractional values follow the documented gap policy", () => {
  const samples = Float64Array.from([250.5, -40, Infinity, 300.25, NaN, 120.125, 0, 410, -Infinity, 95.75]);
  assertClose(wasm.meanMax(samples), bruteForce(samples));
  assert.equal(wasm.meanMax(samples)[0], 410);
});

test("an empty stream has an empty curve; a stream over 7 days at 1 Hz is refused by name", () => {
  assert.equal(wasm.meanMax(new Float64Array(0)).length, 0);
  assert.throws(
    () => wasm.meanMax(new Float64Array(7 * 24 * 3600 + 1)),
    (e) => e.code === "invalid_params" && e.path === "samples" && /7 days/.test(e.message),
  );
});
