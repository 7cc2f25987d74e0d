/**
 * The engine's half of the market context: the summary it reports each cycle (hand-checked from
 * scripted trades and OI) and the context its cards read at the next boundaries, unavailable with
 * a reason before any answer and once it is more than two cycles old.
 */
import { describe, expect, it } from "vitest";
import { unavailable, directional, type CardDefinition } from "../../../../src/domain/cards/card.js";
import { MarketMemory, type MarketContext } from "../../../../src/domain/market/memory.js";
import { SymbolEngine } from "../../../../src/domain/engine.js";
import { cardOf, engineFor, oi, S, snapshotAt, trade } from "../cards/helpers.js";

const probe: CardDefinition = {
  id: "mkt.probe",
  category: "market-context",
  formula: "x = breadth up share of the 1h windows (test probe)",
  units: "share",
  differs: "test only",
  scale: { center: 0, prior: { "1m": 1, "5m": 1, "1h": 1 } },
  feeds: ["trade"],
  compute({ market }, self) {
    if (!market.available) return unavailable(market.reason);
    return directional(self, market.context.breadth["1h"].up, 1);
  },
};

function context(ts: number, up: number): MarketContext {
  const m = new MarketMemory(10_000, 0.1);
  m.report({
    symbol: S, ts, price: 100,
    returns: { "1m": null, "5m": null, "1h": up > 0 ? 0.01 : -0.01 },
    volumeUsd: { "1m": 0, "5m": 0, "1h": 0 }, takerDeltaUsd: { "1m": 0, "5m": 0, "1h": 0 },
    oiChangePct: { "1m": null, "5m": null, "1h": null }, funding8h: null,
    liquidations: { longUsd: 0, shortUsd: 0, sampling: null }, bias: { scalp: null, day: null, swing: null },
  });
  const c = m.context(S, ts);
  if (c === null) throw new Error("no context");
  return c;
}

describe("engine: market context for the cards", () => {
  it("unavailable before the Coordinator answers, read while fresh, stale after two cycles", () => {
    const e = engineFor(probe);
    let s = snapshotAt(e, [trade(1_000, "buy", 1, 100)], 10_000);
    expect(cardOf(s, "mkt.probe").timeframes["1m"]).toEqual(unavailable("no market context yet: the Coordinator has not answered"));
    e.setMarketContext(context(10_000, 1));
    s = snapshotAt(e, [trade(11_000, "buy", 1, 100)], 20_000);
    // breadth up = 1 → tanh(1 / 1)
    expect(cardOf(s, "mkt.probe").timeframes["1h"].score).toBeCloseTo(Math.tanh(1), 12);
    s = snapshotAt(e, [], 30_000);
    expect(cardOf(s, "mkt.probe").timeframes["1h"].available).toBe(true);
    s = snapshotAt(e, [], 40_000);
    expect(cardOf(s, "mkt.probe").timeframes["1m"]).toEqual(unavailable("market context stale: 30 s old (more than two cycles)"));
  });

  it("an older answer does not replace a newer one, and the context survives a checkpoint", () => {
    const e = engineFor(probe);
    snapshotAt(e, [trade(1_000, "buy", 1, 100)], 10_000);
    e.setMarketContext(context(10_000, 1));
    e.setMarketContext(context(0, -1));
    const back = SymbolEngine.fromJSON(JSON.parse(JSON.stringify(e.toJSON())), { registry: undefined });
    const a = snapshotAt(e, [], 20_000);
    expect(cardOf(a, "mkt.probe").timeframes["1h"].value).toBe(1);
    expect(back.toJSON().market?.ts).toBe(10_000);
  });
});

describe("engine: the cycle summary", () => {
  it("returns, volume, taker delta and OI change per window (hand-checked)", () => {
    const e = engineFor(probe);
    // 1m window [10 s, 70 s): trades at 100, 101 (a sell of 2) and 102; OI 1,000 before it, 1,100 in it.
    const events = [
      oi(1_000, 1_000, "binance", 100_000),
      trade(12_000, "buy", 1, 100),
      trade(13_000, "sell", 2, 101),
      trade(69_000, "buy", 1, 102),
      oi(65_000, 1_100, "binance", 110_000),
    ];
    snapshotAt(e, events, 70_000);
    const s = e.summary();
    expect(s?.symbol).toBe(S);
    expect(s?.ts).toBe(70_000);
    expect(s?.price).toBe(102);
    expect(s?.returns["1m"]).toBeCloseTo(Math.log(102 / 100), 12);
    // 100 + 202 + 102 USD traded; taker delta 100 + 102 − 202 = 0.
    expect(s?.volumeUsd["1m"]).toBeCloseTo(404, 9);
    expect(s?.takerDeltaUsd["1m"]).toBeCloseTo(0, 9);
    // (1,100 − 1,000) / 1,000 = 10 %; the 1h window starts before any OI was known.
    expect(s?.oiChangePct["1m"]).toBeCloseTo(10, 9);
    expect(s?.oiChangePct["1h"]).toBeNull();
    expect(s?.funding8h).toBeNull();
    expect(s?.liquidations).toEqual({ longUsd: 0, shortUsd: 0, sampling: null });
    // Every mode gets a bias at the first cycle: 0 with the probe card unavailable.
    expect(s?.bias).toEqual({ scalp: 0, day: 0, swing: 0 });
  });
});
