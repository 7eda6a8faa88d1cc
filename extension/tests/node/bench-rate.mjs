// Shared by the throughput benchmarks: how many calls of `call` run per second, as the median
// of five one-second runs after half a second of warm-up. `batch` calls go between clock reads,
// so reading the clock does not weigh on a call that takes microseconds.

/** Calls per second over `seconds`, `batch` calls between clock reads. */
function rate(call, batch, seconds) {
  let n = 0;
  const start = process.hrtime.bigint();
  const stop = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < stop) {
    for (let i = 0; i < batch; i++) call();
    n += batch;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

/** `{ median, min, max }` calls per second over five runs of a second, after a warm-up. */
export function medianRate(call, batch) {
  rate(call, batch, 0.5);
  const runs = [1, 2, 3, 4, 5].map(() => rate(call, batch, 1)).sort((a, b) => a - b);
  return { median: runs[2], min: runs[0], max: runs[4] };
}
