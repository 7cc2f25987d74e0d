import { describe, expect, it } from "vitest";
import { TradeSizes } from "../../../../src/domain/inputs/trade-sizes.js";

const OPTIONS = { edgesUsd: [1_000, 10_000, 100_000, 1_000_000], percentile: 0.99, minTrades: 100, historyMs: 3_600_000 };

describe("TradeSizes", () => {
  it("counts trades and notional per size bucket and aggressor side", () => {
    const t = new TradeSizes(10_000, 360, OPTIONS);
    t.add(1_000, 500, true);
    t.add(2_000, 5_000, false);
    t.add(3_000, 20_000_000, true);
    const v = t.view(10_000, 60_000);
    expect(v.buckets.map((b) => [b.minUsd, b.maxUsd, b.buyCount, b.buyUsd, b.sellCount, b.sellUsd])).toEqual([
      [0, 1_000, 1, 500, 0, 0],
      [1_000, 10_000, 0, 0, 1, 5_000],
      [10_000, 100_000, 0, 0, 0, 0],
      [100_000, 1_000_000, 0, 0, 0, 0],
      [1_000_000, Infinity, 1, 20_000_000, 0, 0],
    ]);
    expect(v.large).toMatchObject({ thresholdUsd: null, since: null, complete: false, buyCount: 0 });
  });

  it("sets the large-print threshold at the 99th percentile bin once the hour holds enough trades, then classifies new prints", () => {
    const t = new TradeSizes(10_000, 360, OPTIONS);
    // 99 trades of 100 USD and one of 50 000: the top 1 % is the 50 000 print, whose bin starts at 10^(37/8)
    for (let i = 0; i < 99; i++) t.add(1_000 + i, 100, i % 2 === 0);
    t.add(5_000, 50_000, false);
    t.refresh(10_000);
    const edge = 10 ** (Math.floor(Math.log10(50_000) * 8) / 8);
    // the window [0, 10 000) was read before any threshold existed: its prints are not classified
    expect(t.view(10_000, 10_000).large).toMatchObject({ thresholdUsd: edge, historyTrades: 100, since: 10_000, complete: false });
    expect(edge).toBeLessThanOrEqual(50_000);
    // prints from now on are classified: a 60 000 buy is large, a 1 000 sell is not
    t.add(11_000, 60_000, true);
    t.add(12_000, 1_000, false);
    t.refresh(20_000);
    const v = t.view(20_000, 10_000);
    expect(v.large).toMatchObject({ buyCount: 1, buyUsd: 60_000, sellCount: 0, complete: true });
    // the 1m window starts before the threshold existed: not complete
    expect(t.view(20_000, 60_000).large.complete).toBe(false);
  });

  it("forgets the hour: with no trades for an hour the threshold is gone and must be earned again", () => {
    const t = new TradeSizes(10_000, 360, OPTIONS);
    for (let i = 0; i < 100; i++) t.add(1_000 + i, 100, true);
    t.refresh(10_000);
    expect(t.view(10_000, 10_000).large.thresholdUsd).not.toBeNull();
    t.refresh(3_700_000);
    expect(t.view(3_700_000, 10_000).large).toMatchObject({ thresholdUsd: null, since: null, historyTrades: 0 });
  });

  it("restores exactly from its JSON", () => {
    const t = new TradeSizes(10_000, 360, OPTIONS);
    for (let i = 0; i < 150; i++) t.add(1_000 + i * 100, 100 + i * 10, i % 3 === 0);
    t.refresh(20_000);
    t.add(21_000, 5_000, true);
    const r = TradeSizes.fromJSON(JSON.parse(JSON.stringify(t.toJSON())), 10_000, 360, OPTIONS);
    expect(r.toJSON()).toEqual(t.toJSON());
    r.refresh(30_000);
    t.refresh(30_000);
    expect(r.view(30_000, 60_000)).toEqual(t.view(30_000, 60_000));
  });
});
