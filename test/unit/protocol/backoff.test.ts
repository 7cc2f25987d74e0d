import { describe, expect, it } from "vitest";
import { Backoff, backoffCeilingMs, checkBackoff, jitteredDelayMs, type BackoffCurve } from "../../../src/protocol/backoff.js";

const EQUAL: BackoffCurve = { initialMs: 500, maxMs: 4_000, factor: 2, jitter: "equal" };
const FULL: BackoffCurve = { ...EQUAL, jitter: "full" };

describe("backoff rule", () => {
  it("grows the ceiling by factor per attempt up to maxMs", () => {
    expect([0, 1, 2, 3, 4, 50, 5_000].map((a) => backoffCeilingMs(a, EQUAL))).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
    expect([0, 1, 2].map((a) => backoffCeilingMs(a, { ...EQUAL, factor: 1.5 }))).toEqual([500, 750, 1_125]);
    expect(backoffCeilingMs(-3, EQUAL)).toBe(500);
  });

  it("draws equal jitter in [cap/2, cap], rounded", () => {
    expect([0, 1, 2, 3].map((a) => jitteredDelayMs(a, EQUAL, () => 0))).toEqual([250, 500, 1_000, 2_000]);
    expect([0, 1, 2, 3].map((a) => jitteredDelayMs(a, EQUAL, () => 1))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(jitteredDelayMs(0, EQUAL, () => 0.333)).toBe(333); // 250 + 83.25
  });

  it("draws full jitter in [0, cap), floored", () => {
    expect([0, 1, 2, 3].map((a) => jitteredDelayMs(a, FULL, () => 0))).toEqual([0, 0, 0, 0]);
    expect([0, 1, 2, 3].map((a) => jitteredDelayMs(a, FULL, () => 0.999999))).toEqual([499, 999, 1_999, 3_999]);
    expect(jitteredDelayMs(1, FULL, () => 0.5)).toBe(500);
  });

  it("rejects curves that would retry in a tight loop, naming the bounds", () => {
    expect(() => checkBackoff({ ...EQUAL, initialMs: 0 })).toThrow(/initialMs > 0/);
    expect(() => checkBackoff({ ...EQUAL, maxMs: 100 })).toThrow(/maxMs >= initialMs/);
    expect(() => checkBackoff({ ...EQUAL, factor: 0.5 })).toThrow(/factor >= 1/);
    expect(() => checkBackoff({ ...EQUAL, jitter: "none" as never })).toThrow(/jitter/);
    expect(() => new Backoff({ ...EQUAL, healthyAfterMs: Number.NaN })).toThrow(/healthyAfterMs/);
  });
});

describe("Backoff (attempt counter)", () => {
  it("numbers attempts from 0 and grows the delay with each failure", () => {
    const b = new Backoff({ ...EQUAL, healthyAfterMs: 10_000 }, () => 1);
    expect([b.next(0), b.next(5), b.next(9)]).toEqual([
      { attempt: 0, delayMs: 500 },
      { attempt: 1, delayMs: 1_000 },
      { attempt: 2, delayMs: 2_000 },
    ]);
    expect(b.attempts).toBe(3);
    expect(b.ceilingMs()).toBe(4_000);
  });

  it("starts over when the connection that just ended had been up healthyAfterMs, not before", () => {
    const b = new Backoff({ ...EQUAL, healthyAfterMs: 10_000 }, () => 1);
    b.next(0);
    b.next(0);
    b.connected(1_000);
    expect(b.next(10_999)).toEqual({ attempt: 2, delayMs: 2_000 }); // up 9.999 s
    b.connected(20_000);
    expect(b.next(30_000)).toEqual({ attempt: 0, delayMs: 500 }); // up 10 s
    // the healthy mark is used once: a failure to connect after it counts on
    expect(b.next(31_000)).toEqual({ attempt: 1, delayMs: 1_000 });
  });

  it("starts over on reset", () => {
    const b = new Backoff({ ...FULL, healthyAfterMs: 0 }, () => 0.5);
    b.next(0);
    b.next(0);
    b.reset();
    expect(b.next(0)).toEqual({ attempt: 0, delayMs: 250 });
    expect(b.nextDelayMs(0)).toBe(500);
  });
});
