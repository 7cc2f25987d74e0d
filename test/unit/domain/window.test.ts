import { describe, expect, it } from "vitest";
import { BUCKET_FIELDS, RollingWindow } from "../../../src/domain/window.js";

/** 10 s buckets, 1 h ring: the engine's defaults. */
const hourWindow = () => new RollingWindow(10_000, 360);

describe("RollingWindow", () => {
  it("sums the trades of the buckets inside [end − length, end)", () => {
    const w = hourWindow();
    w.addTrade(1_000, 100, 1, true);
    w.addTrade(5_000, 101, 2, false);
    w.addTrade(9_999, 99, 0.5, true);
    w.addTrade(15_000, 102, 3, true);

    const first = w.sum(10_000, 60_000);
    expect(first).toMatchObject({
      startTs: -50_000,
      endTs: 10_000,
      buyQty: 1.5,
      sellQty: 2,
      buyNotionalUsd: 100 + 49.5,
      sellNotionalUsd: 202,
      buyCount: 2,
      sellCount: 1,
      open: 100,
      high: 101,
      low: 99,
      close: 99,
    });
    const second = w.sum(20_000, 10_000);
    expect(second).toMatchObject({ buyQty: 3, sellQty: 0, buyCount: 1, open: 102, close: 102 });
    expect(w.sum(20_000, 20_000).buyQty).toBe(4.5);
  });

  it("sums liquidations per liquidated side", () => {
    const w = hourWindow();
    w.addLiquidation(1_000, true, 2, 1_000);
    w.addLiquidation(2_000, true, 1, 500);
    w.addLiquidation(3_000, false, 4, 3_000);
    const s = w.sum(10_000, 10_000);
    expect(s).toMatchObject({
      longLiqCount: 2,
      longLiqQty: 3,
      longLiqNotionalUsd: 1_500,
      shortLiqCount: 1,
      shortLiqQty: 4,
      shortLiqNotionalUsd: 3_000,
      open: null,
      close: null,
    });
  });

  it("puts a late event into its own earlier bucket", () => {
    const w = hourWindow();
    w.addTrade(35_000, 100, 1, true);
    expect(w.addTrade(12_000, 100, 2, false)).toBe(true);
    expect(w.sum(20_000, 10_000).sellQty).toBe(2);
    expect(w.sum(40_000, 10_000).sellQty).toBe(0);
  });

  it("refuses events older than the ring and leaves the window unchanged", () => {
    const w = new RollingWindow(10_000, 6);
    w.addTrade(70_000, 100, 1, true); // head bucket 7: the ring holds buckets 2..7
    expect(w.isTooOld(19_999)).toBe(true);
    expect(w.addTrade(19_999, 100, 5, true)).toBe(false);
    expect(w.addLiquidation(10_000, true, 1, 100)).toBe(false);
    expect(w.addTrade(20_000, 100, 2, true)).toBe(true);
    expect(w.sum(80_000, 60_000).buyQty).toBe(3);
  });

  it("advancing the head moves the too-old limit without events", () => {
    const w = new RollingWindow(10_000, 6);
    w.advance(100_000); // head bucket 10: ring holds 5..10
    expect(w.head).toBe(10);
    expect(w.addTrade(49_999, 100, 1, true)).toBe(false);
    expect(w.addTrade(50_000, 100, 1, true)).toBe(true);
    w.advance(20_000);
    expect(w.head).toBe(10);
  });

  it("reuses a slot for a newer bucket after an event-time jump and forgets the old one", () => {
    const w = hourWindow();
    w.addTrade(5_000, 100, 1, true); // bucket 0, slot 0
    w.addTrade(3_605_000, 200, 2, true); // bucket 360, slot 0 again
    expect(w.sum(3_610_000, 10_000)).toMatchObject({ buyQty: 2, open: 200 });
    expect(w.sum(10_000, 10_000)).toMatchObject({ buyQty: 0, open: null });
  });

  it("takes open and close by event time, ties by arrival", () => {
    const w = hourWindow();
    w.addTrade(5_000, 10, 1, true);
    w.addTrade(2_000, 9, 1, true);
    w.addTrade(7_000, 11, 1, true);
    w.addTrade(7_000, 12, 1, true);
    w.addTrade(2_000, 8.5, 1, true);
    expect(w.sum(10_000, 10_000)).toMatchObject({ open: 9, close: 12, high: 12, low: 8.5 });
    w.addTrade(12_000, 13, 1, false);
    expect(w.sum(20_000, 20_000)).toMatchObject({ open: 9, close: 13, high: 13, low: 8.5 });
  });

  it("restores identical sums and behaviour from its JSON form", () => {
    const w = hourWindow();
    w.addTrade(1_000, 100, 1, true);
    w.addLiquidation(11_000, false, 2, 200);
    w.addLiquidation(21_000, true, 1, 100);
    const state = JSON.parse(JSON.stringify(w.toJSON()));
    expect(state.buckets).toHaveLength(3);
    expect(state.buckets[0]).toHaveLength(BUCKET_FIELDS + 1);
    const r = RollingWindow.fromJSON(state);
    expect(r.head).toBe(w.head);
    expect(r.sum(30_000, 60_000)).toEqual(w.sum(30_000, 60_000));
    w.addTrade(25_000, 101, 3, false);
    r.addTrade(25_000, 101, 3, false);
    expect(r.sum(30_000, 60_000)).toEqual(w.sum(30_000, 60_000));
    expect(JSON.stringify(r.toJSON())).toBe(JSON.stringify(w.toJSON()));
  });

  it("reads a checkpoint written before bars (18 numbers a bucket): the same sums, then the same behaviour", () => {
    const w = hourWindow();
    w.addTrade(1_000, 100, 1, true);
    w.addLiquidation(11_000, false, 2, 200);
    w.addTrade(21_000, 99, 2, false);
    const state = JSON.parse(JSON.stringify(w.toJSON()));
    // the layout of then: [id, 18 values], no unsided volume, no priced flag
    const legacy = { ...state, buckets: state.buckets.map((b: number[]) => b.slice(0, 19)) };
    const r = RollingWindow.fromJSON(legacy);
    expect(r.sum(30_000, 60_000)).toEqual(w.sum(30_000, 60_000));
    // a liquidation-only bucket has no price; one with trades does
    w.addTrade(12_000, 98, 1, true);
    r.addTrade(12_000, 98, 1, true);
    expect(JSON.stringify(r.toJSON())).toBe(JSON.stringify(w.toJSON()));
    expect(() => RollingWindow.fromJSON({ ...state, buckets: [state.buckets[0].slice(0, 15)] })).toThrow("a bucket must have 23 numbers (got 15)");
  });

  it("rejects a non-integer bucket length or size", () => {
    expect(() => new RollingWindow(0, 10)).toThrow("bucketMs must be an integer >= 1 (got 0)");
    expect(() => new RollingWindow(10_000, 1.5)).toThrow("size must be an integer >= 1 (got 1.5)");
  });
});
