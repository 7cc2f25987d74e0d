import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "../../../src/client/backoff.js";

describe("backoffDelayMs", () => {
  it("doubles the ceiling per attempt up to maxMs and draws the delay from its upper half", () => {
    const opts = { initialMs: 500, maxMs: 4_000, factor: 2 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, opts, () => 0))).toEqual([250, 500, 1_000, 2_000, 2_000, 2_000]);
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, opts, () => 1))).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    expect(backoffDelayMs(2, opts, () => 0.5)).toBe(1_500);
  });

  it("defaults to 500 ms doubling to 30 s", () => {
    expect(backoffDelayMs(0, {}, () => 1)).toBe(500);
    expect(backoffDelayMs(20, {}, () => 1)).toBe(30_000);
  });

  it("spreads clients that retry together", () => {
    const draws = new Set(Array.from({ length: 50 }, () => backoffDelayMs(3)));
    expect(draws.size).toBeGreaterThan(10);
    for (const d of draws) expect(d).toBeGreaterThanOrEqual(2_000);
  });

  it("rejects options that would retry in a tight loop", () => {
    expect(() => backoffDelayMs(0, { initialMs: 0 })).toThrow(/initialMs > 0/);
    expect(() => backoffDelayMs(0, { initialMs: 100, maxMs: 50 })).toThrow(/maxMs >= initialMs/);
    expect(() => backoffDelayMs(0, { factor: 0.5 })).toThrow(/factor >= 1/);
  });
});
