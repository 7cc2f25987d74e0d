import { describe, expect, it } from "vitest";
import { StepSeries } from "../../../../src/domain/inputs/step-series.js";
import { BucketRing } from "../../../../src/domain/inputs/bucket-ring.js";

describe("StepSeries", () => {
  it("weighs a value by how long it held, not by how often it was repeated", () => {
    const s = new StepSeries(10_000, 400, 300_000);
    // 2 held 1 000..51 000 (50 s), repeated every second; then 8 from 51 000 to the boundary at 61 000 (10 s)
    for (let t = 1_000; t < 51_000; t += 1_000) s.set(t, 2);
    s.set(51_000, 8);
    const m = s.mean(61_000, 60_000);
    expect(m.coveredMs).toBe(60_000);
    expect(m.mean).toBeCloseTo((2 * 50 + 8 * 10) / 60, 12);
  });

  it("stops carrying a value maxHoldMs after its last update (unknown, not held)", () => {
    const s = new StepSeries(10_000, 400, 20_000);
    s.set(0, 5);
    // known 0..20 000 only
    expect(s.mean(60_000, 60_000)).toEqual({ mean: 5, coveredMs: 20_000 });
    expect(s.current(20_000)).toBe(5);
    expect(s.current(20_001)).toBeNull();
  });

  it("refuses an update older than the last one", () => {
    const s = new StepSeries(10_000, 400, 300_000);
    expect(s.set(5_000, 1)).toBe(true);
    expect(s.set(4_000, 9)).toBe(false);
    expect(s.latest()).toEqual({ ts: 5_000, value: 1 });
  });

  it("answers the value in force at a bucket boundary from the last update before it", () => {
    const s = new StepSeries(10_000, 400, 300_000);
    s.set(3_000, 1);
    s.set(14_000, 2);
    s.set(25_000, 3);
    expect(s.valueAt(10_000)).toBe(1);
    expect(s.valueAt(20_000)).toBe(2);
    expect(s.valueAt(40_000)).toBe(3);
    expect(s.valueAt(0)).toBeNull();
  });

  it("restores exactly from its JSON (NaN markers included)", () => {
    const s = new StepSeries(10_000, 400, 300_000);
    s.set(3_000, 1);
    s.set(34_000, 2.5);
    const r = StepSeries.fromJSON(JSON.parse(JSON.stringify(s.toJSON())), 300_000);
    expect(r.mean(60_000, 60_000)).toEqual(s.mean(60_000, 60_000));
    expect(r.valueAt(20_000)).toBe(1);
    expect(r.toJSON()).toEqual(s.toJSON());
  });
});

describe("BucketRing", () => {
  it("refuses writes older than its reach and sums a window oldest first", () => {
    const r = new BucketRing(10_000, 3, 1);
    r.data[r.slot(5_000)] += 1;
    r.data[r.slot(15_000)] += 2;
    r.data[r.slot(25_000)] += 4;
    expect(r.slot(-1)).toBe(-1);
    const acc = new Float64Array(1);
    expect(r.sumInto(30_000, 30_000, acc)).toBe(3);
    expect(acc[0]).toBe(7);
    r.data[r.slot(35_000)] += 8; // bucket 0 falls out
    const acc2 = new Float64Array(1);
    r.sumInto(40_000, 40_000, acc2);
    expect(acc2[0]).toBe(14);
    expect(r.slot(5_000)).toBe(-1);
  });
});
