import { describe, expect, it } from "vitest";
import { PollSchedule } from "../../../workers/collector/src/rest-schedule.js";

describe("REST poll schedule", () => {
  it("spreads instruments evenly over the period, then repeats each every period", () => {
    const s = new PollSchedule(["BTCUSDT", "ETHUSDT", "SOLUSDT"], 30_000, 1_000);
    expect(s.due(1_000)).toEqual(["BTCUSDT"]);
    expect(s.due(10_999)).toEqual([]);
    expect(s.due(11_000)).toEqual(["ETHUSDT"]);
    expect(s.due(21_000)).toEqual(["SOLUSDT"]);
    expect(s.due(30_999)).toEqual([]);
    expect(s.due(31_000)).toEqual(["BTCUSDT"]);
    expect(s.nextDueMs("BTCUSDT")).toBe(61_000);
  });

  it("polls a late instrument once, then continues from now rather than catching up", () => {
    const s = new PollSchedule(["BTCUSDT"], 30_000, 0);
    expect(s.due(0)).toEqual(["BTCUSDT"]);
    expect(s.due(100_000)).toEqual(["BTCUSDT"]); // due at 30 s, 60 s, 90 s: one request
    expect(s.due(100_001)).toEqual([]);
    expect(s.nextDueMs("BTCUSDT")).toBe(130_000);
  });
});
