import { describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../src/domain/engine.js";
import type { BarEvent, CanonicalEvent, Venue } from "../../../src/domain/events.js";
import { CardRegistry } from "../../../src/domain/cards/registry.js";
import { flowCvd } from "../../../src/domain/cards/order-flow/cvd.js";
import { flowCountImbalance } from "../../../src/domain/cards/order-flow/count-imbalance.js";
import { momentumReturn } from "../../../src/domain/cards/momentum/return.js";
import { smartMoneyLargeFlow } from "../../../src/domain/cards/smart-money/large-flow.js";
import { cardOf, S, trade } from "./cards/helpers.js";

const REGISTRY = new CardRegistry([flowCvd, flowCountImbalance, momentumReturn]);
const engine = () => new SymbolEngine(S, { registry: REGISTRY, config: { cards: { scaleAdapt: false } } });

function bar(openTs: number, o: Partial<BarEvent> = {}, venue: Venue = "binance"): BarEvent {
  return {
    venue,
    symbol: S,
    kind: "bar",
    openTs,
    ts: openTs + 59_999,
    open: 100,
    high: 102,
    low: 100,
    close: 102,
    volumeBase: 4,
    volumeQuote: 403,
    takerBuyBase: 3,
    takerBuyQuote: 302,
    trades: 3,
    closed: true,
    ...o,
  };
}

/** The minute [0, 60 000) as three trades: buy 2 @ 100, sell 1 @ 101, buy 1 @ 102; as a bar: the same figures. */
const TRADES: CanonicalEvent[] = [trade(1_000, "buy", 2, 100), trade(30_000, "sell", 1, 101), trade(50_000, "buy", 1, 102)];

function at(e: SymbolEngine, events: readonly CanonicalEvent[], ts: number) {
  e.ingest(events);
  e.advanceTo(ts);
  return e.latest()!;
}

describe("bars in the engine", () => {
  it("feed the same window sums as the trades they summarise: cards read the same either way", () => {
    const fromTrades = at(engine(), TRADES, 60_000);
    const fromBar = at(engine(), [bar(0)], 60_000);
    for (const id of ["flow.cvd", "momentum.return"]) expect(cardOf(fromBar, id).timeframes["1m"], id).toEqual(cardOf(fromTrades, id).timeframes["1m"]);
    // x = (3 − 1) / 4 = 0.5, value 3 − 1 = 2; confidence 3 prints / 100
    expect(cardOf(fromBar, "flow.cvd").timeframes["1m"]).toMatchObject({ available: true, value: 2, confidence: 0.03 });
    expect(cardOf(fromBar, "momentum.return").timeframes["1m"].value).toBeCloseTo(Math.log(102 / 100), 15);
    expect(fromBar.price).toBe(102);
  });

  it("are not read before their minute is over: a bar's event time is its last millisecond", () => {
    const e = engine();
    // the bar of [60 000, 120 000) arrives at 119 999: the boundaries at 60 000 … 110 000 must not see it
    const snaps = [...e.ingest([bar(0), bar(60_000, { close: 104, high: 104 })]), ...e.advanceTo(120_000)];
    expect(snaps.map((s) => s.ts)).toEqual([60_000, 70_000, 80_000, 90_000, 100_000, 110_000, 120_000]);
    expect(snaps.map((s) => s.price)).toEqual([102, 102, 102, 102, 102, 102, 104]);
  });

  it("count a venue's minute once: a bar for a minute its trades filled is skipped", () => {
    const e = engine();
    const s = at(e, [...TRADES, bar(0)], 60_000);
    expect(cardOf(s, "flow.cvd").timeframes["1m"].value).toBe(2);
    expect(e.counters()).toMatchObject({ trade: 3, bar: 1, "bar-skipped": 1, "trade-in-bar": 0 });
  });

  it("count a venue's minute once: trades for a minute its bar filled stay out of the windows but set the price", () => {
    const e = engine();
    const s = at(e, [bar(0), trade(59_999, "sell", 50, 99)], 60_000);
    expect(cardOf(s, "flow.cvd").timeframes["1m"].value).toBe(2);
    expect(s.price).toBe(99);
    expect(e.counters()).toMatchObject({ trade: 1, bar: 1, "bar-skipped": 0, "trade-in-bar": 1 });
  });

  it("take another venue's bar for a minute one venue traded: the rule is per venue", () => {
    const e = engine();
    const s = at(e, [...TRADES, bar(0, {}, "bybit")], 60_000);
    // binance trades (3 − 1) plus bybit's bar (3 − 1)
    expect(cardOf(s, "flow.cvd").timeframes["1m"].value).toBe(4);
    expect(e.counters()["bar-skipped"]).toBe(0);
  });

  it("skip a bar still forming", () => {
    const e = engine();
    const s = at(e, [trade(500, "buy", 1, 100), bar(0, { closed: false })], 60_000);
    expect(cardOf(s, "flow.cvd").timeframes["1m"].value).toBe(1);
    expect(e.counters()["bar-skipped"]).toBe(1);
  });

  it("say the taker side is unknown when a venue's bars have no taker split, and still read price", () => {
    const s = at(engine(), [bar(0, { takerBuyBase: null, takerBuyQuote: null, trades: null })], 60_000);
    expect(cardOf(s, "flow.cvd").timeframes["1m"]).toMatchObject({ available: false, reason: "taker side unknown for part of the window (bars without a taker split)" });
    expect(cardOf(s, "momentum.return").timeframes["1m"]).toMatchObject({ available: true });
    const counted = at(engine(), [bar(0, { takerBuyBase: null, takerBuyQuote: null })], 60_000);
    expect(cardOf(counted, "flow.count-imbalance").timeframes["1m"].reason).toMatch(/^print sides unknown/);
  });

  it("value a candle without quote volume at its typical price (an estimate), and restore across a checkpoint", () => {
    const e = engine();
    e.ingest([bar(0, { volumeQuote: null })]);
    e.advanceTo(60_000);
    const state = JSON.parse(JSON.stringify(e.toJSON()));
    const w = state.inputs.windows.venues.binance.window.buckets[0];
    // buyNotional = takerBuyQuote 302; sellNotional = 4 · (102 + 100 + 102) / 3 − 302
    expect(w[1 + 2]).toBe(302);
    expect(w[1 + 3]).toBeCloseTo((4 * 304) / 3 - 302, 12);
    const restored = SymbolEngine.fromJSON(state, { registry: REGISTRY });
    restored.ingest([bar(60_000, { takerBuyBase: 1 })]);
    e.ingest([bar(60_000, { takerBuyBase: 1 })]);
    expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(e.toJSON()));
    // the minute-sources rule survives the checkpoint: the same bar again is skipped
    restored.ingest([bar(60_000)]);
    expect(restored.counters()["bar-skipped"]).toBe(1);
  });

  it("satisfy the trade feed of cards that read sums, not of cards that read single trades", () => {
    const e = new SymbolEngine(S, { registry: new CardRegistry([flowCvd, smartMoneyLargeFlow]) });
    const s = at(e, [bar(0)], 60_000);
    expect(cardOf(s, "flow.cvd").timeframes["1m"].available).toBe(true);
    expect(cardOf(s, "smart-money.large-flow").timeframes["1m"]).toMatchObject({ available: false, reason: "no single trades: this symbol's trades arrive as one-minute bars only" });
  });
});

describe("a warm start's history (SymbolEngine.backfill)", () => {
  it("fills the windows and bars without computing the cycles it spans, then starts cycling after it", () => {
    const e = new SymbolEngine(S, { registry: REGISTRY });
    // 90 minutes of bars, then the first live trade at 90 min 5 s
    const history = Array.from({ length: 90 }, (_, i) => bar(i * 60_000));
    expect(e.backfill(history)).toEqual([]);
    expect(e.latest()).toBeNull();
    expect(e.nextBoundaryTs).toBe(90 * 60_000);
    const snaps = e.ingest([trade(90 * 60_000 + 5_000, "buy", 1, 102)]);
    expect(snaps.map((s) => s.ts)).toEqual([90 * 60_000]);
    // the first cycle's 1h window holds 60 minutes of bars: 60 · (3 − 1) = 120
    expect(cardOf(snaps[0], "flow.cvd").timeframes["1h"]).toMatchObject({ available: true, value: 120 });
  });

  it("history past the next boundary (a live engine, its collector restarted) skips the boundaries it spans", () => {
    const e = new SymbolEngine(S, { registry: REGISTRY });
    e.ingest([trade(1_000, "buy", 1, 100)]);
    expect(e.nextBoundaryTs).toBe(10_000);
    // both bars (ts 59 999 and 119 999) are after that boundary: applied, no cycle computed for 10 000 … 110 000
    expect(e.backfill([bar(0), bar(60_000)])).toEqual([]);
    expect(e.nextBoundaryTs).toBe(120_000);
    const snaps = e.ingest([trade(125_000, "buy", 1, 102)]);
    expect(snaps.map((s) => s.ts)).toEqual([120_000]);
    // the 1m window [60 000, 120 000) holds the second bar: 3 − 1 = 2
    expect(cardOf(snaps[0], "flow.cvd").timeframes["1m"]).toMatchObject({ available: true, value: 2 });
  });
});
