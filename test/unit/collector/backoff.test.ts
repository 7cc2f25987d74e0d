import { describe, expect, it } from "vitest";
import { Backoff, BOOK_SNAPSHOT_BACKOFF, RECONNECT_BACKOFF } from "../../../workers/collector/src/backoff.js";

/** A venue-socket Backoff whose "random" draw is always `r`, so delays are exact. */
function fixed(r: number) {
  return new Backoff(RECONNECT_BACKOFF, () => r);
}

describe("the collector's reconnect backoff (exponential, full jitter)", () => {
  it("doubles the ceiling per failure from 500 ms up to the 30 s cap", () => {
    const b = fixed(0.999999);
    const delays = Array.from({ length: 9 }, (_, i) => b.nextDelayMs(i * 100));
    // ceilings 500, 1000, 2000, 4000, 8000, 16000, 32000→30000, …; the draw is just under each
    expect(delays).toEqual([499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999]);
  });

  it("draws uniformly below the ceiling: a zero draw reconnects at once", () => {
    const b = fixed(0);
    expect([b.nextDelayMs(0), b.nextDelayMs(0), b.nextDelayMs(0)]).toEqual([0, 0, 0]);
    expect(b.attempts).toBe(3);
    const half = fixed(0.5);
    expect([half.nextDelayMs(0), half.nextDelayMs(0), half.nextDelayMs(0)]).toEqual([250, 500, 1000]);
  });

  it("starts over after a connection stayed up for the healthy period (60 s)", () => {
    const b = fixed(0.5);
    b.nextDelayMs(0);
    b.nextDelayMs(0);
    b.nextDelayMs(0);
    expect(b.ceilingMs()).toBe(4000);
    b.connected(10_000);
    expect(b.nextDelayMs(70_000)).toBe(250); // up 60 s: reset, first ceiling again
    expect(b.ceilingMs()).toBe(1000);
  });

  it("keeps backing off when connections drop before the healthy period", () => {
    const b = fixed(0.5);
    b.nextDelayMs(0);
    b.connected(1_000);
    expect(b.nextDelayMs(59_999)).toBe(500); // up 58.999 s: still the second ceiling
    b.connected(60_000);
    expect(b.nextDelayMs(61_000)).toBe(1000);
  });

  it("paces book snapshot retries from 1 s and starts over after any success", () => {
    const b = new Backoff(BOOK_SNAPSHOT_BACKOFF, () => 0.5);
    expect([b.nextDelayMs(0), b.nextDelayMs(1), b.nextDelayMs(2)]).toEqual([500, 1000, 2000]);
    b.connected(3);
    expect(b.nextDelayMs(3)).toBe(500); // healthyAfterMs 0: one good fetch is enough
  });

  it("rejects settings that cannot work, naming the field", () => {
    expect(() => new Backoff({ ...RECONNECT_BACKOFF, initialMs: 0 })).toThrow(/initialMs > 0/);
    expect(() => new Backoff({ ...RECONNECT_BACKOFF, initialMs: 10, maxMs: 5 })).toThrow(/maxMs >= initialMs/);
    expect(() => new Backoff({ ...RECONNECT_BACKOFF, healthyAfterMs: -1 })).toThrow(/healthyAfterMs/);
  });
});
