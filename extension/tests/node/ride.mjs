// A deterministic, ride-like power stream at 1 Hz: the same generator as the native benchmark
// (`core/benches/analysis.rs`, `ride`), so native and wasm figures are for the same data.
// Endurance riding around 190 W with surges, 5-minute intervals at 300 W every 40 minutes,
// coasting zeros and dropouts (NaN: a gap), because the mean-max pruning depends on the data.

const MASK = (1n << 64n) - 1n;

/** xorshift64*: deterministic noise in [0, 1), bit for bit as the Rust `Rng`. */
function rng(seed) {
  let s = BigInt(seed) | 1n;
  return () => {
    s ^= s >> 12n;
    s = (s ^ (s << 25n)) & MASK;
    s ^= s >> 27n;
    return Number(((s * 0x2545f4914f6cdd1dn) & MASK) >> 11n) / 2 ** 53;
  };
}

/** `seconds` samples of the ride for `seed`, gaps as NaN. */
export function ride(seconds, seed) {
  const next = rng(seed);
  const out = new Float64Array(seconds);
  let level = 190.0;
  for (let t = 0; t < seconds; t++) {
    if (next() < 0.002) {
      out[t] = NaN; // dropout
      continue;
    }
    level += (next() - 0.5) * 8.0 + (190.0 - level) * 0.01;
    const block = Math.floor(t / 600);
    const interval = block % 4 === 1 && t % 600 < 300;
    const base = interval ? 300.0 : level;
    const coasting = next() < 0.05;
    // Values are non-negative here, where Math.round and Rust's round agree.
    out[t] = coasting ? 0.0 : Math.round(Math.max(base + (next() - 0.5) * 60.0, 0.0));
  }
  return out;
}
