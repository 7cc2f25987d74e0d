import { describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../../src/domain/engine.js";
import { S, liq, trade } from "./helpers.js";

describe("sampling correction (complete venue resampled at 1 per second)", () => {
  it("measures what the 1 s rule hides on the complete venue and shows it beside the measured sums", () => {
    const engine = new SymbolEngine(S, { config: { liquidation: { correctionMinEvents: 4 } } });
    engine.ingest([
      trade(0, 100),
      // Bybit (complete): second 10: 3 liquidations, second 11: 1, second 12: 2
      liq(10_100, "long", 100, 100, "bybit"),
      liq(10_500, "long", 100, 200, "bybit"),
      liq(10_900, "short", 100, 300, "bybit"), // last of second 10 → kept
      liq(11_200, "long", 100, 50, "bybit"), // kept
      liq(12_000, "short", 100, 10, "bybit"),
      liq(12_700, "long", 100, 40, "bybit"), // kept
      // Binance (sampled-1s) over the same seconds
      liq(10_300, "long", 100, 1_000),
      liq(11_400, "short", 100, 500),
      liq(12_500, "long", 100, 250),
      trade(13_000, 100),
    ]);
    const hm = engine.heatmap({ windowMs: 60_000, timeBinMs: 60_000 });
    // measured totals are untouched by the correction
    expect(hm.totals.long).toMatchObject({ count: 6, notionalUsd: 100 + 200 + 50 + 40 + 1_000 + 250 });
    expect(hm.totals.short).toMatchObject({ count: 3, notionalUsd: 300 + 10 + 500 });
    expect(hm.sampling).toBe("mixed");
    const c = hm.correction;
    expect(c.available).toBe(true);
    if (!c.available) return;
    expect(c).toMatchObject({
      estimated: true,
      method: "complete-venue-resampled-1s",
      completeVenues: ["bybit"],
      sampledVenues: ["binance"],
      overlapFromTs: 10_300,
      overlapToTs: 12_500,
      completeEvents: 4,
      keptEvents: 3,
    });
    // the overlap [10.3 s, 12.5 s] leaves out Bybit's 10.1 s and 12.7 s: 4 events in 3 busy seconds,
    // kept the last of each (10.9, 11.2, 12.0)
    expect(c.countFactor).toBeCloseTo(4 / 3, 12);
    expect(c.notionalFactor).toBeCloseTo((200 + 300 + 50 + 10) / (300 + 50 + 10), 12);
    // long: 200, 50 of which 50 kept → 250/50; short: 300, 10 all kept
    expect(c.perSide.long).toEqual({ countFactor: 2, notionalFactor: 5 });
    expect(c.perSide.short).toEqual({ countFactor: 1, notionalFactor: 1 });
    expect(c.estimatedSampled).toEqual([{ venue: "binance", long: { count: 4, notionalUsd: 6_250 }, short: { count: 1, notionalUsd: 500 } }]);
  });

  it("is unavailable, with the reason, without an overlap or with too few complete-venue events", () => {
    const onlySampled = new SymbolEngine(S);
    onlySampled.ingest([liq(1_000, "long", 100, 10)]);
    expect(onlySampled.heatmap().correction).toEqual({ available: false, reason: "no complete venue and sampled venue both delivered liquidations in the window" });

    const apart = new SymbolEngine(S);
    apart.ingest([liq(1_000, "long", 100, 10, "bybit"), liq(5_000, "long", 100, 10)]);
    expect(apart.heatmap().correction).toEqual({ available: false, reason: "the complete and sampled venues' liquidations do not overlap in time" });

    const few = new SymbolEngine(S);
    few.ingest([liq(1_000, "long", 100, 10), liq(2_000, "long", 100, 10, "bybit"), liq(3_000, "long", 100, 10)]);
    expect(few.heatmap().correction).toEqual({ available: false, reason: "only 1 complete-venue liquidations overlap the sampled venues (need at least 20)" });
  });
});
