// Reconnect delays to the native host. A port that closes before the host said hello (the
// host crashed at start, or is not installed) must not be retried every second forever: the
// delay doubles at each failed attempt and only a hello from the host resets it. Kept apart
// from background.js so Node can test it (extension/tests/node/backoff.test.mjs).

export const FIRST_DELAY_MS = 1000;
export const MAX_DELAY_MS = 30_000;

export class Backoff {
  constructor() {
    this.nextMs = FIRST_DELAY_MS;
  }

  /** The host answered (its hello arrived): the next failure starts over at one second. */
  reset() {
    this.nextMs = FIRST_DELAY_MS;
  }

  /**
   * The delay before the next attempt, given the last error. "Host not found" is a setup
   * problem (run `paceline install`): it is retried at the slowest rate at once.
   */
  next(hostError) {
    const missing = /not found/i.test(hostError ?? "");
    const delay = missing ? MAX_DELAY_MS : this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, MAX_DELAY_MS);
    return delay;
  }
}
