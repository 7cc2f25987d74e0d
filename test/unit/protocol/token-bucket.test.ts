import { describe, expect, it } from "vitest";
import { fullBucket, take, waitMs } from "../../../src/protocol/token-bucket.js";

describe("token bucket", () => {
  it("spends a full burst at once, then refuses until tokens come back at perS", () => {
    const b = fullBucket(3, 1_000);
    expect([take(b, 3, 2, 1_000), take(b, 3, 2, 1_000), take(b, 3, 2, 1_000), take(b, 3, 2, 1_000)]).toEqual([true, true, true, false]);
    // 2 tokens/s: one token every 500 ms
    expect(take(b, 3, 2, 1_499)).toBe(false);
    expect(b.tokens).toBeCloseTo(0.998, 9);
    expect(take(b, 3, 2, 1_500)).toBe(true);
    expect(b).toEqual({ tokens: 0, atMs: 1_500 });
  });

  it("never holds more than the burst, however long it was idle", () => {
    const b = fullBucket(5, 0);
    take(b, 5, 10, 0, 5);
    expect(take(b, 5, 10, 3_600_000)).toBe(true);
    expect(b.tokens).toBe(4);
  });

  it("spends a cost of several tokens all or nothing", () => {
    const b = fullBucket(250, 0);
    expect(take(b, 250, 25, 0, 200)).toBe(true);
    expect(take(b, 250, 25, 0, 51)).toBe(false);
    expect(b.tokens).toBe(50); // a refused take spends nothing
    expect(take(b, 250, 25, 40, 51)).toBe(true); // 40 ms at 25/s = 1 token
    expect(b.tokens).toBeCloseTo(0, 9);
  });

  it("refills nothing when the clock steps back", () => {
    const b = { tokens: 1.5, atMs: 10_000 };
    expect(take(b, 10, 5, 9_000)).toBe(true);
    expect(b).toEqual({ tokens: 0.5, atMs: 9_000 });
  });

  it("says how long until the next token, rounded up to the millisecond", () => {
    const b = { tokens: 0.25, atMs: 0 };
    // 0.75 token missing at 5/s = 150 ms; after 100 ms, 0.25 missing = 50 ms
    expect(waitMs(b, 10, 5, 0)).toBe(150);
    expect(waitMs(b, 10, 5, 100)).toBe(50);
    expect(waitMs(b, 10, 5, 150)).toBe(0);
    expect(waitMs({ tokens: 0, atMs: 0 }, 10, 3, 0)).toBe(334); // 333.33… → 334
    expect(waitMs(b, 10, 5, 0, 3)).toBe(550);
    expect(b).toEqual({ tokens: 0.25, atMs: 0 }); // reading spends nothing
  });
});
