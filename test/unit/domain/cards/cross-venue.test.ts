import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/cross-venue/index.js";
import { xvFlowDispersion } from "../../../../src/domain/cards/cross-venue/flow-dispersion.js";
import { xvFlowDivergence } from "../../../../src/domain/cards/cross-venue/flow-divergence.js";
import { xvLead } from "../../../../src/domain/cards/cross-venue/lead.js";
import { xvLeadStability } from "../../../../src/domain/cards/cross-venue/lead-stability.js";
import { xvLiquidationVenue } from "../../../../src/domain/cards/cross-venue/liquidation-venue.js";
import { xvLoneExtreme } from "../../../../src/domain/cards/cross-venue/lone-extreme.js";
import { xvPriceDispersion } from "../../../../src/domain/cards/cross-venue/price-dispersion.js";
import { xvSync } from "../../../../src/domain/cards/cross-venue/sync.js";
import { xvVolumeShift } from "../../../../src/domain/cards/cross-venue/volume-shift.js";
import type { CardDefinition } from "../../../../src/domain/cards/registry.js";
import type { BarEvent, CanonicalEvent, TradeEvent, Venue } from "../../../../src/domain/events.js";
import { TIMEFRAMES, type CardValue, type Timeframe } from "../../../../src/protocol/snapshot.js";
import { cardOf, engineFor, expectUnavailable, expectValue, firstScore, liq, mark, S, snapshotAt, trade, valuesAt } from "./helpers.js";

// ── helpers of this file ──

/** Every second closes at once (no grace), lags 1…5 s, a venue is stale after 60 s: the input's test settings. */
const LEAD = { config: { inputs: { venueLead: { maxLag: 5, graceMs: 0, staleS: 60 } } } };

/** Where in its second each venue trades (ms), so that merged tapes are in a fixed order. */
const OFFSET: Record<Venue, number> = { binance: 400, bybit: 500, okx: 600, hyperliquid: 700 };

/** One trade of qty 1 a second on `venue` for seconds [from, to), at `price(s)`, taker side `side(s)`. */
function tape(venue: Venue, from: number, to: number, price: (s: number) => number, side: (s: number) => "buy" | "sell" = () => "buy"): TradeEvent[] {
  const out: TradeEvent[] = [];
  for (let s = from; s < to; s++) out.push(trade(s * 1_000 + OFFSET[venue], side(s), 1, price(s), venue));
  return out;
}

/** Events of several venues in event-time order (the engine closes a second once a later one arrives). */
function merged(...lists: readonly CanonicalEvent[][]): CanonicalEvent[] {
  return lists.flat().sort((a, b) => a.ts - b.ts);
}

/** A closed one-minute bar; without a taker split unless given. */
function bar(openTs: number, venue: Venue, o: Partial<BarEvent> = {}): BarEvent {
  return {
    venue,
    symbol: S,
    kind: "bar",
    openTs,
    ts: openTs + 59_999,
    open: 100,
    high: 100,
    low: 100,
    close: 100,
    volumeBase: 2,
    volumeQuote: 200,
    takerBuyBase: null,
    takerBuyQuote: null,
    trades: 2,
    closed: true,
    ...o,
  };
}

function leadValuesAt(card: CardDefinition, events: readonly CanonicalEvent[], at: number): Record<Timeframe, CardValue> {
  return valuesAt(card, events, at, engineFor(card, LEAD));
}

/** The input's standard error of a lead on n seconds at maxLag 5, and the lead cards' confidence min(1, t / 2). */
function leadConfidence(lead: number, seconds: number): number {
  return Math.min(1, lead / Math.sqrt(2 / (5 * seconds)) / 2);
}

/**
 * Script A: binance and bybit trade every second of [0, 30). Binance steps 100 → 100.01 at second
 * 10, bybit follows at 11; binance steps again to 100.03 at second 29, which bybit has not followed
 * by the boundary at 30 000. One-second returns: binance g1 at 10 and g2 at 29, bybit g1 at 11.
 */
const g1 = Math.log(100.01 / 100);
const g2 = Math.log(100.03 / 100.01);
function scriptA(binanceSide: (s: number) => "buy" | "sell" = () => "buy", bybitSide: (s: number) => "buy" | "sell" = () => "buy", shift = 0): TradeEvent[] {
  const at = (s: number) => s - shift;
  return merged(
    tape("binance", shift, shift + 30, (s) => (at(s) < 10 ? 100 : at(s) < 29 ? 100.01 : 100.03), (s) => binanceSide(at(s))),
    tape("bybit", shift, shift + 30, (s) => (at(s) < 11 ? 100 : 100.01), (s) => bybitSide(at(s))),
  ) as TradeEvent[];
}
// A = Σ r_binance(s − L) · r_bybit(s) = g1² (lag 1); B = 0; lead = g1² / (5 · √((g1² + g2²) · g1²)),
// on 29 seconds each (second 0 has no price before it)
const LEAD_A = (g1 * g1) / (5 * Math.sqrt((g1 * g1 + g2 * g2) * g1 * g1));
const CONF_A = leadConfidence(LEAD_A, 29);

describe("cross-venue cards", () => {
  it("are registered in output order", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "xv.price-dispersion",
      "xv.lone-extreme",
      "xv.lead",
      "xv.lead-stability",
      "xv.sync",
      "xv.flow-divergence",
      "xv.flow-dispersion",
      "xv.volume-shift",
      "xv.liquidation-venue",
    ]);
  });

  it.each(CARDS.map((c) => [c.id, c] as const))("%s is unavailable without a trade feed", (_id, card) => {
    const v = valuesAt(card, [mark(1_000)], 10_000);
    for (const tf of TIMEFRAMES) expectUnavailable(v[tf], "no trade feed");
  });

  it.each([xvPriceDispersion, xvLoneExtreme, xvLead, xvLeadStability, xvSync, xvFlowDivergence, xvFlowDispersion, xvVolumeShift].map((c) => [c.id, c] as const))(
    "%s is unavailable while one venue alone delivers trades",
    (_id, card) => {
      const v = leadValuesAt(card, tape("binance", 0, 30, (s) => (s < 10 ? 100 : 100.01)), 30_000);
      expectUnavailable(v["1m"], "fewer than two venues deliver trades");
      expectUnavailable(v["5m"], "fewer than two venues deliver trades");
    },
  );

  it.each([xvLead, xvLeadStability, xvSync, xvFlowDivergence].map((c) => [c.id, c] as const))(
    "%s reads seconds, which one-minute bars do not carry",
    (_id, card) => {
      const v = leadValuesAt(card, [bar(0, "binance", { close: 100.01 }), bar(0, "bybit")], 60_000);
      expectUnavailable(v["1m"], "no single trades: this symbol's trades arrive as one-minute bars only");
    },
  );

  it.each([xvLead, xvLeadStability, xvFlowDivergence].map((c) => [c.id, c] as const))("%s has no leader when the venues move in the same second", (_id, card) => {
    const events = merged(tape("binance", 0, 30, (s) => (s < 10 ? 100 : 100.01)), tape("bybit", 0, 30, (s) => (s < 10 ? 100 : 100.01)));
    // A = B = 0: no lagged product, one same-second product
    expectUnavailable(leadValuesAt(card, events, 30_000)["1m"], "no venue leads in the window (lagged correlations equal both ways)");
  });

  it.each([xvLead, xvLeadStability, xvSync, xvFlowDivergence].map((c) => [c.id, c] as const))("%s needs two venues that moved", (_id, card) => {
    const flat = merged(tape("binance", 0, 30, () => 100), tape("bybit", 0, 30, () => 100));
    // both venues have 29 seconds of zero returns: every pair's lead and sync are null
    expectUnavailable(leadValuesAt(card, flat, 30_000)["1m"], "no two venues both moved in the window");
    // the 1h window reads complete minutes: none yet at 30 s
    expectUnavailable(leadValuesAt(card, scriptA(), 30_000)["1h"], "fewer than two venues have one-second returns in the window (1h: complete minutes)");
  });
});

describe("xv.price-dispersion", () => {
  it("compares the venues' last trades within 5 s of the newest, bps of their mean", () => {
    const events = [
      trade(50_000, "buy", 1, 99.98, "okx"), // 7 s before the newest: another moment, left out
      trade(55_000, "buy", 1, 100, "binance"),
      trade(57_000, "sell", 1, 100.05, "bybit"),
    ];
    const v = valuesAt(xvPriceDispersion, events, 60_000);
    const x = ((100.05 - 100) / ((100 + 100.05) / 2)) * 1e4; // 4.99875 bps
    // stress: score 0, strength against the prior center 2 bps and σ 2 bps; 2 of 3 delivering venues used
    expectValue(v["1m"], { score: 0, strength: firstScore(x, 2, 2), confidence: 2 / 3, value: x });
    expectValue(v["1h"], { score: 0, strength: firstScore(x, 2, 2), confidence: 2 / 3, value: x });
  });

  it("reads only last trades inside the window: a quiet minute has no price to compare", () => {
    const events = [trade(124_000, "buy", 1, 100, "bybit"), trade(125_000, "buy", 1, 100.03, "binance")];
    const v = valuesAt(xvPriceDispersion, events, 190_000);
    // 1m [130 000, 190 000): neither traded
    expectUnavailable(v["1m"], "fewer than two venues traded in the window within 5 s of each other");
    // 5m: both, 1 s apart: 0.03 / 100.015 ≈ 3 bps
    const x = ((100.03 - 100) / ((100.03 + 100) / 2)) * 1e4;
    expectValue(v["5m"], { score: 0, strength: firstScore(x, 2, 2), confidence: 1, value: x });
  });
});

describe("xv.lone-extreme", () => {
  // binance 100, 99.90, 100.02; bybit 100, 99.98, 100.03; okx 100.01, 99.97, 100.00
  const events = [
    trade(1_000, "buy", 1, 100, "binance"),
    trade(1_500, "buy", 1, 100, "bybit"),
    trade(1_800, "buy", 1, 100.01, "okx"),
    trade(2_000, "sell", 1, 99.9, "binance"),
    trade(2_500, "sell", 1, 99.98, "bybit"),
    trade(2_800, "sell", 1, 99.97, "okx"),
    trade(3_000, "buy", 1, 100.02, "binance"),
    trade(3_500, "buy", 1, 100.03, "bybit"),
    trade(3_800, "buy", 1, 100, "okx"),
  ];

  it("reads the low only binance reached against the high only bybit reached: bullish", () => {
    const v = valuesAt(xvLoneExtreme, events, 10_000);
    // H₁ = 100.03 (bybit), H₂ = 100.02; L₁ = 99.90 (binance), L₂ = 99.97; mean last price (100.02 + 100.03 + 100) / 3
    const x = ((99.97 - 99.9 - (100.03 - 100.02)) / ((100.02 + 100.03 + 100) / 3)) * 1e4; // ≈ +6 bps
    expectValue(v["1m"], { score: firstScore(x, 2), confidence: 0.09, value: x });
    expectValue(v["1h"], { score: firstScore(x, 4), confidence: 0.09, value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads a high one venue printed alone as bearish", () => {
    const spike = [trade(1_000, "buy", 1, 99.99, "binance"), trade(1_500, "buy", 1, 99.99, "bybit"), trade(2_000, "buy", 1, 100.08, "binance"), trade(2_500, "buy", 1, 100.01, "bybit")];
    const v = valuesAt(xvLoneExtreme, spike, 10_000);
    // U = 100.08 − 100.01, D = 99.99 − 99.99 = 0; mean last (100.08 + 100.01) / 2
    const x = ((0 - (100.08 - 100.01)) / ((100.08 + 100.01) / 2)) * 1e4;
    expectValue(v["5m"], { score: firstScore(x, 3), confidence: 0.04, value: x });
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("is a measured 0 on a window without trades, unavailable when one venue alone traded in it", () => {
    const v = valuesAt(xvLoneExtreme, [...events, trade(125_000, "buy", 1, 100, "binance")], 190_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 }); // [130 000, 190 000) is empty
    const one = valuesAt(xvLoneExtreme, [...events, trade(125_000, "buy", 1, 100, "binance")], 130_000);
    expectUnavailable(one["1m"], "only one venue traded in the window"); // [70 000, 130 000): binance
  });
});

describe("xv.lead", () => {
  it("reads the move binance made that bybit has not followed yet: bullish, confidence from the lead's clarity", () => {
    const v = leadValuesAt(xvLead, scriptA(), 30_000);
    // binance: ln(100.03 / 100), bybit: ln(100.01 / 100) over the window; x = difference in bps ≈ +2
    const x = (Math.log(100.03 / 100) - Math.log(100.01 / 100)) * 1e4;
    // lead 0.0894 on 29 s: t = 0.0894 / √(2 / 145) = 0.761, confidence 0.381
    expect(CONF_A).toBeCloseTo(0.380_7, 3);
    expectValue(v["1m"], { score: firstScore(x, 3), confidence: CONF_A, value: x });
    expectValue(v["5m"], { score: firstScore(x, 3), confidence: CONF_A, value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads a fall on the leader as bearish", () => {
    const events = merged(
      tape("binance", 0, 30, (s) => (s < 10 ? 100 : s < 29 ? 99.99 : 99.97)),
      tape("bybit", 0, 30, (s) => (s < 11 ? 100 : 99.99)),
    );
    const h1 = Math.log(99.99 / 100);
    const h2 = Math.log(99.97 / 99.99);
    const lead = (h1 * h1) / (5 * Math.sqrt((h1 * h1 + h2 * h2) * h1 * h1));
    const x = (Math.log(99.97 / 100) - Math.log(99.99 / 100)) * 1e4;
    const v = leadValuesAt(xvLead, events, 30_000);
    expectValue(v["1m"], { score: firstScore(x, 3), confidence: leadConfidence(lead, 29), value: x });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("follows bybit when bybit moves first, against two followers", () => {
    // bybit steps to 100.01 at 10, binance and okx follow at 11; bybit steps to 100.02 at 29
    const events = merged(
      tape("binance", 0, 30, (s) => (s < 11 ? 100 : 100.01)),
      tape("bybit", 0, 30, (s) => (s < 10 ? 100 : s < 29 ? 100.01 : 100.02)),
      tape("okx", 0, 30, (s) => (s < 11 ? 100 : 100.01)),
    );
    const h2 = Math.log(100.02 / 100.01);
    // binance–bybit: A = 0, B = g1² → lead −g1² / (5 · √(g1² · (g1² + h2²))); bybit–okx: the same for bybit;
    // binance–okx: same second, lead 0. bybit's net lead = mean of its two pairs
    const lead = (g1 * g1) / (5 * Math.sqrt(g1 * g1 * (g1 * g1 + h2 * h2)));
    const x = (Math.log(100.02 / 100) - Math.log(100.01 / 100)) * 1e4;
    const v = leadValuesAt(xvLead, events, 30_000);
    expectValue(v["1m"], { score: firstScore(x, 3), confidence: leadConfidence(lead, 29), value: x });
  });
});

describe("xv.lead-stability", () => {
  // binance leads a step at 10/11 (g1); bybit leads a larger one at 32/33 (g3)
  const events = merged(
    tape("binance", 0, 40, (s) => (s < 10 ? 100 : s < 33 ? 100.01 : 100.05)),
    tape("bybit", 0, 40, (s) => (s < 11 ? 100 : s < 32 ? 100.01 : 100.05)),
  );
  const g3 = Math.log(100.05 / 100.01);

  it("keeps the leader as its value and reads how often it changed over the previous cycles", () => {
    const engine = engineFor(xvLeadStability, LEAD);
    const at = (ts: number, from: number) => cardOf(snapshotAt(engine, events.filter((e) => e.ts >= from && e.ts < ts), ts), "xv.lead-stability").timeframes;
    // 10 000: no venue moved yet
    expectUnavailable(at(10_000, 0)["1m"], "no two venues both moved in the window");
    // 20 000: binance leads (0.2 on 19 s); no previous leader: a measured 0 with confidence 0
    expectValue(at(20_000, 10_000)["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
    // 30 000: binance again; one previous cycle with a leader, the same: x = 0; confidence 1/6 · min(1, t / 2)
    expectValue(at(30_000, 20_000)["1m"], { score: 0, strength: 0, confidence: (1 / 6) * leadConfidence(0.2, 29), value: 0 });
    // 40 000: A = g1², B = g3² → bybit leads by (g3² − g1²) / (5 · (g1² + g3²)) on 39 s; both previous leaders differ: x = 2 / 2
    const v = at(40_000, 30_000);
    const lead = (g3 * g3 - g1 * g1) / (5 * (g1 * g1 + g3 * g3));
    expectValue(v["1m"], { score: 0, strength: firstScore(1, 0.3), confidence: (2 / 6) * leadConfidence(lead, 39), value: 1 });
    expectValue(v["5m"], { score: 0, strength: firstScore(1, 0.2), confidence: (2 / 6) * leadConfidence(lead, 39), value: 1 });
    expectUnavailable(v["1h"], "fewer than two venues have one-second returns in the window (1h: complete minutes)");
  });
});

describe("xv.sync", () => {
  // binance and bybit step to 100.01 together at second 10 (g1); binance steps to 100.03 at 20 and
  // bybit at 21 (g2); okx trades from second 15 at 100.01 and steps with binance at 20. Seconds 0–69.
  const events = merged(
    tape("binance", 0, 70, (s) => (s < 10 ? 100 : s < 20 ? 100.01 : 100.03)),
    tape("bybit", 0, 70, (s) => (s < 10 ? 100 : s < 21 ? 100.01 : 100.03)),
    tape("okx", 15, 70, (s) => (s < 20 ? 100.01 : 100.03)),
  );
  // same-second correlations: binance–bybit g1² / (g1² + g2²); binance–okx g2² / √((g1² + g2²) · g2²); bybit–okx 0
  const a = (g1 * g1) / (g1 * g1 + g2 * g2);
  const b = (g2 * g2) / Math.sqrt((g1 * g1 + g2 * g2) * g2 * g2);
  const x = (s1: number, s2: number) => 1 - (s1 * a + s2 * b + s2 * 0) / (s1 + 2 * s2);

  it("weighs each pair's same-second correlation by its seconds", () => {
    const v = leadValuesAt(xvSync, events, 70_000);
    // 1m [10 000, 70 000): binance and bybit 60 s, okx 54 (16…69); pairs 60, 54, 54; mean 56 of 300
    expectValue(v["1m"], { score: 0, strength: firstScore(x(60, 54), 0.2, 0.5), confidence: 56 / 300, value: x(60, 54) });
    // 5m: binance and bybit 69 s (1…69), okx 54
    expectValue(v["5m"], { score: 0, strength: firstScore(x(69, 54), 0.2, 0.5), confidence: 59 / 300, value: x(69, 54) });
    // 1h: minute 0 complete: 59 s, okx 44 (16…59)
    expectValue(v["1h"], { score: 0, strength: firstScore(x(59, 44), 0.2, 0.5), confidence: (59 + 88) / 3 / 300, value: x(59, 44) });
    expect(v["1m"].strength).toBeGreaterThan(0);
  });

  it("reads venues moving in the same second as fully synchronized: no stress", () => {
    const together = merged(tape("binance", 0, 30, (s) => (s < 10 ? 100 : 100.01)), tape("bybit", 0, 30, (s) => (s < 10 ? 100 : 100.01)));
    expectValue(leadValuesAt(xvSync, together, 30_000)["1m"], { score: 0, strength: 0, confidence: 29 / 300, value: 0 });
  });
});

describe("xv.flow-divergence", () => {
  // bybit: buys in seconds 0–9 at 100 (1 000 USD), sells in 10–29: 100 + 19 · 100.01 = 2 000.19 USD
  const bybitSide = (s: number) => (s < 10 ? "buy" : "sell") as "buy" | "sell";
  const restImbalance = (1_000 - 2_000.19) / 3_000.19;

  it("reads the leader's takers buying while the follower's sell as bullish", () => {
    const v = leadValuesAt(xvFlowDivergence, scriptA(() => "buy", bybitSide), 30_000);
    // binance (leader) buys only: d = 1; x = 1 − (−1 000.19 / 3 000.19); 60 trades
    const x = 1 - restImbalance;
    expectValue(v["1m"], { score: firstScore(x, 0.4), confidence: 0.6 * CONF_A, value: x });
    expectValue(v["5m"], { score: firstScore(x, 0.25), confidence: 0.6 * CONF_A, value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads the leader's takers selling as bearish, whatever the merged flow", () => {
    const v = leadValuesAt(xvFlowDivergence, scriptA(() => "sell", bybitSide), 30_000);
    const x = -1 - restImbalance;
    expectValue(v["1m"], { score: firstScore(x, 0.4), confidence: 0.6 * CONF_A, value: x });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("is unavailable when a venue's taker side is unknown", () => {
    // script A one minute later; okx's bar of minute 0 has no taker split
    const events = merged([bar(0, "okx")], scriptA(() => "buy", bybitSide, 60));
    expectUnavailable(leadValuesAt(xvFlowDivergence, events, 90_000)["1m"], "okx: taker side unknown for part of the window (bars without a taker split)");
  });
});

describe("xv.flow-dispersion", () => {
  it("weighs each venue's distance from the pooled imbalance by its volume", () => {
    const events = [
      trade(1_000, "buy", 3, 100, "binance"),
      trade(2_000, "sell", 1, 100, "binance"), // d = 0.5 on 400 USD
      trade(3_000, "sell", 2, 100, "bybit"), // d = −1 on 200
      trade(4_000, "buy", 1, 100, "okx"),
      trade(5_000, "sell", 1, 100, "okx"), // d = 0 on 200
    ];
    const v = valuesAt(xvFlowDispersion, events, 10_000);
    // d̄ = 0; x = 0.5 · 0.5 + 0.25 · 1 + 0.25 · 0 = 0.5; 5 trades
    expectValue(v["1m"], { score: 0, strength: firstScore(0.5, 0.2), confidence: 0.05, value: 0.5 });
    expectValue(v["1h"], { score: 0, strength: firstScore(0.5, 0.06), confidence: 0.05, value: 0.5 });
  });

  it("measures around the pooled imbalance, not around 0", () => {
    const v = valuesAt(xvFlowDispersion, [trade(1_000, "buy", 3, 100, "binance"), trade(2_000, "sell", 1, 100, "bybit")], 10_000);
    // d̄ = (300 − 100) / 400 = 0.5; x = 0.75 · |1 − 0.5| + 0.25 · |−1 − 0.5| = 0.75
    expectValue(v["5m"], { score: 0, strength: firstScore(0.75, 0.12), confidence: 0.02, value: 0.75 });
  });

  it("is a measured 0 on a window without trades, unavailable when one venue alone traded or a side is unknown", () => {
    const early = [trade(1_000, "buy", 1, 100, "binance"), trade(2_000, "sell", 1, 100, "bybit")];
    expectValue(valuesAt(xvFlowDispersion, [...early, trade(125_000, "buy", 1, 100, "binance")], 190_000)["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
    expectUnavailable(valuesAt(xvFlowDispersion, [...early, trade(125_000, "buy", 1, 100, "binance")], 130_000)["1m"], "only one venue traded in the window");
    expectUnavailable(valuesAt(xvFlowDispersion, [bar(0, "okx"), trade(60_500, "buy", 1, 100, "binance"), trade(61_000, "buy", 1, 100, "bybit")], 70_000)["5m"], "okx: taker side unknown");
  });
});

describe("xv.volume-shift", () => {
  // [0, 300 000): binance 3 trades of 100 USD, bybit 1; [300 000, 540 000): one each; [540 000, 600 000): binance 1, bybit 3
  const events = [
    trade(10_000, "buy", 1, 100, "binance"),
    trade(20_000, "buy", 1, 100, "binance"),
    trade(30_000, "sell", 1, 100, "binance"),
    trade(40_000, "sell", 1, 100, "bybit"),
    trade(400_000, "buy", 1, 100, "binance"),
    trade(410_000, "buy", 1, 100, "bybit"),
    trade(550_000, "buy", 1, 100, "binance"),
    trade(560_000, "buy", 1, 100, "bybit"),
    trade(570_000, "sell", 1, 100, "bybit"),
    trade(580_000, "sell", 1, 100, "bybit"),
  ];

  it("compares the window's venue shares with the rest of the next longer window", () => {
    const v = valuesAt(xvVolumeShift, events, 600_000);
    // 1m: shares (1/4, 3/4) against the four minutes before, (1/2, 1/2): 100 · ½ (1/4 + 1/4) = 25 %; trades 4 and 2
    expectValue(v["1m"], { score: 0, strength: firstScore(25, 10), confidence: 0.02, value: 25 });
    // 5m: (2/6, 4/6) against the rest of the hour, (3/4, 1/4): 50 · (5/12 + 5/12); trades 6 and 4
    const x5 = 50 * (Math.abs(2 / 6 - 3 / 4) + Math.abs(4 / 6 - 1 / 4));
    expectValue(v["5m"], { score: 0, strength: firstScore(x5, 5), confidence: 0.04, value: x5 });
    expectUnavailable(v["1h"], "no longer window than this one to compare the venues' shares with (venue windows are kept for one hour)");
  });

  it("is a measured 0 on a window without trades, unavailable when the reference has none", () => {
    expectValue(valuesAt(xvVolumeShift, events, 700_000)["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
    const v = valuesAt(xvVolumeShift, events.filter((e) => e.ts >= 540_000), 600_000);
    expectUnavailable(v["1m"], "no trades in the rest of the 5m window to compare with");
    expectUnavailable(v["5m"], "no trades in the rest of the 1h window to compare with");
  });

  it("reads bars, which carry their venue", () => {
    // minute 0: binance bar 200 USD, bybit bar 200 USD; minute 4: binance 200, bybit 600 (at 300 000 the 1m window is minute 4)
    const bars = [bar(0, "binance"), bar(0, "bybit"), bar(240_000, "binance"), bar(240_000, "bybit", { volumeBase: 6, volumeQuote: 600 })];
    const v = valuesAt(xvVolumeShift, bars, 300_000);
    // (1/4, 3/4) against (1/2, 1/2); 4 + 4 prints now (bar trade counts), 2 + 2 before
    expectValue(v["1m"], { score: 0, strength: firstScore(25, 10), confidence: 0.04, value: 25 });
  });
});

describe("xv.liquidation-venue", () => {
  it("compares the venues' shares of liquidations with their shares of volume, and labels the sample", () => {
    const events = [
      trade(1_000, "buy", 3, 100, "binance"), // 300 USD
      trade(2_000, "sell", 1, 100, "bybit"), // 100 USD
      liq(3_000, "long", 100, 100, "binance"),
      liq(4_000, "short", 300, 100, "bybit"),
      liq(5_000, "long", 500, 100, "okx"), // okx delivers no trades: left out
    ];
    const v = valuesAt(xvLiquidationVenue, events, 10_000);
    // L = (1/4, 3/4), V = (3/4, 1/4): ½ (1/2 + 1/2) = 0.5; 2 liquidations of 10; binance publishes a sample
    expectValue(v["1m"], { score: 0, strength: firstScore(0.5, 0.25, 0.3), confidence: 0.2, value: 0.5, sampling: "sampled" });
    expectValue(v["1h"], { score: 0, strength: firstScore(0.5, 0.25, 0.3), confidence: 0.2, value: 0.5, sampling: "sampled" });
  });

  it("is complete where both venues publish every liquidation, and 0 when liquidations follow volume", () => {
    const events = [trade(1_000, "buy", 1, 100, "bybit"), trade(2_000, "buy", 3, 100, "hyperliquid"), liq(3_000, "long", 50, 100, "bybit"), liq(4_000, "long", 150, 100, "hyperliquid")];
    const v = valuesAt(xvLiquidationVenue, events, 10_000);
    expectValue(v["5m"], { score: 0, strength: 0, confidence: 0.2, value: 0, sampling: "complete" });
  });

  it("is a measured 0 without liquidations in the window, unavailable when their venues traded nothing in it", () => {
    const early = [trade(1_000, "buy", 1, 100, "binance"), trade(2_000, "buy", 1, 100, "bybit"), liq(3_000, "long", 100, 100, "binance"), liq(4_000, "long", 100, 100, "bybit")];
    const quiet = valuesAt(xvLiquidationVenue, [...early, trade(125_000, "buy", 1, 100, "binance")], 190_000);
    expectValue(quiet["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
    expect(quiet["1m"].sampling).toBeUndefined();
    const forced = valuesAt(xvLiquidationVenue, [...early, liq(125_000, "short", 100, 100, "binance")], 130_000);
    expectUnavailable(forced["1m"], "the venues with liquidations traded nothing in the window");
  });

  it("is unavailable below two venues delivering both trades and liquidations, and without a liquidation feed", () => {
    const events = [trade(1_000, "buy", 1, 100, "binance"), trade(2_000, "buy", 1, 100, "bybit"), liq(3_000, "long", 100, 100, "binance")];
    expectUnavailable(valuesAt(xvLiquidationVenue, events, 10_000)["1m"], "fewer than two venues deliver both trades and liquidations");
    expectUnavailable(valuesAt(xvLiquidationVenue, events.slice(0, 2), 10_000)["1m"], "no liquidation feed");
  });
});
