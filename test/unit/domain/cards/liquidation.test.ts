/**
 * The `liquidation` cards: realized forced liquidations (`liq.*`). Scripted events with explicit
 * timestamps; every expected figure is worked out in a comment from the events.
 */
import { describe, expect, it } from "vitest";
import type { CanonicalEvent, Venue } from "../../../../src/domain/events.js";
import type { SymbolEngineOptions } from "../../../../src/domain/engine.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import type { CardValue, Timeframe } from "../../../../src/protocol/snapshot.js";
import { DEFAULT_REGISTRY } from "../../../../src/domain/cards/registry.js";
import { liqImbalance } from "../../../../src/domain/cards/liquidation/imbalance.js";
import { liqIntensity } from "../../../../src/domain/cards/liquidation/intensity.js";
import { liqAcceleration } from "../../../../src/domain/cards/liquidation/acceleration.js";
import { liqLargestShare } from "../../../../src/domain/cards/liquidation/largest-share.js";
import { liqStreak } from "../../../../src/domain/cards/liquidation/streak.js";
import { liqSweep } from "../../../../src/domain/cards/liquidation/sweep.js";
import { liqClusterProximity } from "../../../../src/domain/cards/liquidation/cluster-proximity.js";
import { liqInsuranceFund, NO_INSURANCE_DATA } from "../../../../src/domain/cards/liquidation/insurance-fund.js";
import { cardOf, engineFor, expectUnavailable, expectValue, firstScore, liq, oi, snapshotAt, trade, valuesAt } from "./helpers.js";
import { flatBrackets, liq as liqAt, trade as tradeAt } from "../liquidation/helpers.js";

/** The card's values at boundary `at` after `events` on a fresh engine (`engineFor` freezes the scale at the prior: score = firstScore). */
function firstCycle(card: CardDefinition, events: readonly CanonicalEvent[], at: number, options: Omit<SymbolEngineOptions, "registry"> = {}): Record<Timeframe, CardValue> {
  return valuesAt(card, events, at, engineFor(card, options));
}

describe("liquidation cards in the registry", () => {
  it("ships eight liquidation cards in output order", () => {
    expect(DEFAULT_REGISTRY.cards.filter((c) => c.category === "liquidation").map((c) => c.id)).toEqual([
      "liq.imbalance",
      "liq.intensity",
      "liq.acceleration",
      "liq.largest-share",
      "liq.streak",
      "liq.sweep",
      "liq.cluster-proximity",
      "liq.insurance-fund",
    ]);
  });
});

describe("liq.imbalance", () => {
  it("scores (shortUsd − longUsd) / total against its prior of 0.5: liquidated shorts are forced buys", () => {
    const v = firstCycle(liqImbalance, [liq(1_000, "short", 300), liq(2_000, "long", 100, 100, "bybit")], 10_000);
    // (300 − 100) / 400 = 0.5; 2 of 10 liquidations; binance is sampled (one per second)
    expectValue(v["1m"], { score: firstScore(0.5, 0.5), strength: firstScore(0.5, 0.5), confidence: 0.2, value: 200, sampling: "sampled" });
  });

  it("labels a window fed only by venues that publish every liquidation `complete`", () => {
    const v = firstCycle(liqImbalance, [liq(1_000, "long", 100, 100, "bybit")], 10_000);
    expectValue(v["5m"], { score: firstScore(-1, 0.5), confidence: 0.1, value: -100, sampling: "complete" });
  });

  it("is unavailable without a liquidation feed", () => {
    expectUnavailable(firstCycle(liqImbalance, [trade(1_000, "buy", 1)], 10_000)["1m"], "no liquidation feed");
  });
});

describe("liq.intensity", () => {
  // even minutes 0..48: one long liquidation of 200 USD; minute 50: ten shorts of 100 USD
  const events: CanonicalEvent[] = [];
  for (let m = 0; m < 50; m += 2) events.push(liq(m * 60_000 + 30_000, "long", 200));
  for (let i = 0; i < 10; i++) events.push(liq(3_000_000 + 1_000 + i * 1_000, "short", 100));
  // history: the 51 complete minutes [0, 51) since the first liquidation: 25 × 200, 1 × 1,000, the rest 0
  const n = 51;
  const mean = (25 * 200 + 1_000) / n;
  const sd = Math.sqrt((25 * 200 ** 2 + 1_000 ** 2) / n - mean * mean);

  it("is the burst of the window's notional against the 1-minute history, signed by the side liquidated", () => {
    const v = firstCycle(liqIntensity, events, 3_060_000);
    // 1m: x = 1,000 in one minute, all shorts: burst = (1,000 − μ) / σ, imbalance +1
    const z1 = (1_000 - mean) / sd;
    expectValue(v["1m"], { score: firstScore(z1, 2), strength: firstScore(z1, 2), confidence: 51 / 240, value: z1, sampling: "sampled" });
    // 5m: minutes 46..50 hold 2 × 200 long and 1,000 short: burst = (1,400/5 − μ)/(σ/√5), signed by (1,000 − 400)/1,400
    const z5 = (1_400 / 5 - mean) / (sd / Math.sqrt(5));
    expectValue(v["5m"], { score: firstScore((z5 * 600) / 1_400, 2), confidence: 51 / 240, value: z5 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads a window below the usual rate as no burst (x = 0), and history without dispersion as confidence 0", () => {
    const v = firstCycle(liqIntensity, events, 3_060_000);
    // 1h: 60 minutes of 6,000 USD: 100/min is below μ = 117.6: burst = max(0, ...) = 0
    expectValue(v["1h"], { score: 0, strength: 0, confidence: 51 / 240, value: 0 });
    // a single liquidation: the one complete minute has no dispersion
    expectValue(firstCycle(liqIntensity, [liq(1_000, "long", 100)], 70_000)["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("liq.acceleration", () => {
  // 1m window [0, 60 000): earlier half [0, 30 000) long 300 and short 100; recent half [30 000, 60 000) short 200 and long 100
  const events = [liq(5_000, "long", 300), liq(20_000, "short", 100), liq(40_000, "short", 200), liq(50_000, "long", 100)];

  it("scores the change of net forced buying from the earlier half to the recent half over the window's notional", () => {
    const v = firstCycle(liqAcceleration, events, 60_000);
    // N_earlier = 100 − 300 = −200, N_recent = 200 − 100 = 100: x = (100 − (−200)) / 700 = 3/7; 4 of 10 liquidations
    expectValue(v["1m"], { score: firstScore(3 / 7, 0.5), strength: firstScore(3 / 7, 0.5), confidence: 0.4, value: 300, sampling: "sampled" });
    expect(v["1m"].score).toBeGreaterThan(0);
    // 5m [−240 000, 60 000): all four in the recent half [−90 000, 60 000): x = (300 − 400 − 0) / 700 = −1/7
    expectValue(v["5m"], { score: firstScore(-1 / 7, 0.5), confidence: 0.4, value: -100 });
  });

  it("reads forced selling that is speeding up as bearish", () => {
    const v = firstCycle(liqAcceleration, [liq(10_000, "long", 100), liq(45_000, "long", 400)], 60_000);
    // N_earlier = −100, N_recent = −400: x = (−400 + 100) / 500 = −0.6
    expectValue(v["1m"], { score: firstScore(-0.6, 0.5), confidence: 0.2, value: -300 });
  });

  it("is a measured zero (confidence 0) on a window without liquidations once the feed delivered", () => {
    const v = firstCycle(liqAcceleration, [liq(1_000, "short", 100), trade(80_000, "buy", 1)], 90_000);
    // 1m window [30 000, 90 000) holds none
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
    expect(v["1m"].sampling).toBeUndefined();
    expectUnavailable(firstCycle(liqAcceleration, [trade(1_000, "buy", 1)], 10_000)["5m"], "no liquidation feed");
  });
});

describe("liq.largest-share", () => {
  it("scores the largest liquidation's share of the window, signed by its side", () => {
    const v = firstCycle(liqLargestShare, [liq(62_000, "long", 100), liq(63_000, "short", 500), liq(64_000, "long", 200)], 70_000);
    // largest: the 500 USD short (a forced buy) of 800 in all: x = 0.625; 3 of 10 liquidations
    expectValue(v["1m"], { score: firstScore(0.625, 0.5), strength: firstScore(0.625, 0.5), confidence: 0.3, value: 500, sampling: "sampled" });
  });

  it("signs a dominant long liquidation bearish and keeps the newest of equal prints", () => {
    const bear = firstCycle(liqLargestShare, [liq(62_000, "short", 100), liq(63_000, "long", 900)], 70_000);
    // 900 / 1,000 = 0.9, a long: −0.9
    expectValue(bear["1m"], { score: firstScore(-0.9, 0.5), confidence: 0.2, value: -900 });
    const tie = firstCycle(liqLargestShare, [liq(62_000, "long", 300), liq(64_000, "short", 300)], 70_000);
    // two prints of 300: the newer (the short) is the largest: +300 / 600
    expectValue(tie["1m"], { score: firstScore(0.5, 0.5), value: 300 });
  });

  it("is a measured zero without liquidations in the window, unavailable without the feed", () => {
    expectValue(firstCycle(liqLargestShare, [liq(1_000, "short", 100)], 90_000)["1m"], { score: 0, confidence: 0, value: 0 });
    expectUnavailable(firstCycle(liqLargestShare, [trade(1_000, "buy", 1)], 10_000)["1h"], "no liquidation feed");
  });
});

describe("liq.streak", () => {
  // minute 0: long 500; 1: short 100; 2: none; 3: short 200 and long 50; 4: short 300
  const events = [
    liq(10_000, "long", 500),
    liq(70_000, "short", 100),
    liq(190_000, "short", 200),
    liq(200_000, "long", 50),
    liq(250_000, "short", 300),
  ];

  it("counts the minutes in a row led by liquidated shorts, skipping quiet minutes", () => {
    const v = firstCycle(liqStreak, events, 300_000);
    // from minute 4 back: 4 short, 3 short (200 > 50), 2 skipped, 1 short, 0 long ends it: +3 minutes
    // confidence: 5 minutes watched since the first liquidation / 10 (1m lookback), / 30 (5m), / 120 (1h)
    expectValue(v["1m"], { score: firstScore(3, 2), strength: firstScore(3, 2), confidence: 0.5, value: 3, sampling: "sampled" });
    expectValue(v["5m"], { score: firstScore(3, 4), confidence: 5 / 30, value: 3 });
    expectValue(v["1h"], { score: firstScore(3, 8), confidence: 5 / 120, value: 3 });
  });

  it("reads a run of liquidated longs as bearish", () => {
    const v = firstCycle(liqStreak, [liq(10_000, "long", 100), liq(70_000, "long", 100), liq(130_000, "short", 10), liq(135_000, "long", 20)], 180_000);
    // minutes 2 (long 20 > short 10), 1, 0: −3; 3 minutes watched of 10
    expectValue(v["1m"], { score: firstScore(-3, 2), confidence: 0.3, value: -3 });
  });

  it("gives 0 when the newest liquidation minute is a tie, and confidence 0 when the lookback holds none", () => {
    const tie = firstCycle(liqStreak, [liq(10_000, "short", 100), liq(70_000, "short", 50), liq(75_000, "long", 50)], 120_000);
    expectValue(tie["1m"], { score: 0, confidence: 0.2, value: 0 });
    // minute 0 only, read at minute 12: the 1m lookback (minutes 2..11) is empty, the 1h one holds it
    const old = firstCycle(liqStreak, [liq(10_000, "short", 100)], 720_000);
    expectValue(old["1m"], { score: 0, confidence: 0, value: 0 });
    expectValue(old["1h"], { score: firstScore(1, 8), confidence: 12 / 120, value: 1 });
  });

  it("is unavailable without a liquidation feed", () => {
    expectUnavailable(firstCycle(liqStreak, [trade(1_000, "buy", 1)], 10_000)["1m"], "no liquidation feed");
  });
});

describe("liq.sweep", () => {
  // one tier of 100x, flat brackets (mmr 0.4 %): a cohort of 10 BTC at 100,000 created at 60 s
  const OPTIONS = { config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 1 }], brackets: flatBrackets(0.004) } } };
  const LP_LONG = (100_000 * 0.99) / 0.996;
  const decay = (ageMs: number) => 0.5 ** (ageMs / 86_400_000);
  const COHORT = [tradeAt(1_000, 100_000), oi(1_000, 1_000, "bybit"), tradeAt(30_000, 100_000), oi(30_000, 1_010, "bybit"), oi(61_000, 1_010, "bybit")];

  it("reads levels just taken like liquidations: a swept long level is a forced sell", () => {
    const engine = engineFor(liqSweep, OPTIONS);
    const before = cardOf(snapshotAt(engine, COHORT, 70_000), "liq.sweep");
    expectValue(before.timeframes["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
    // a trade at 99,000 at 75 s crosses the long level at 99,397.6: 10 · LP · decay(15 s) swept
    const s = cardOf(snapshotAt(engine, [tradeAt(75_000, 99_000)], 80_000), "liq.sweep");
    const swept = 10 * LP_LONG * decay(15_000);
    // first sample: x = (0 − swept) / swept = −1; 1 of 10 levels
    expectValue(s.timeframes["1m"], { score: firstScore(-1, 0.5), strength: Math.tanh(2), confidence: 0.1, value: -swept });
    expect(s.transition).toBe("emerging");
    expect(s.state).toBe("bearish");
    // at 200 s the 1m window no longer holds it; the 5m one still does
    const later = cardOf(snapshotAt(engine, [tradeAt(190_000, 99_000)], 200_000), "liq.sweep");
    expectValue(later.timeframes["1m"], { score: 0, confidence: 0, value: 0 });
    expectValue(later.timeframes["5m"], { score: firstScore(-1, 0.5), confidence: 0.1, value: -swept });
  });

  it("is unavailable without open interest", () => {
    expectUnavailable(firstCycle(liqSweep, [tradeAt(1_000, 100)], 10_000)["1m"], "no oi feed");
  });
});

describe("liq.cluster-proximity", () => {
  it("reads realized clusters below the price as support and above as resistance, weighted by closeness", () => {
    const engine = engineFor(liqClusterProximity);
    const s = snapshotAt(engine, [tradeAt(1_000, 100_000), liqAt(2_000, "long", 99_800, 5_000), liqAt(3_000, "short", 101_500, 6_000), tradeAt(4_000, 100_000)], 10_000);
    const clusters = engine.clusters(10).clusters;
    const below = clusters.find((c) => c.pricePeak < 100_000)!;
    const above = clusters.find((c) => c.pricePeak > 100_000)!;
    const dBelow = ((100_000 - below.pricePeak) / 100_000) * 100;
    const dAbove = ((above.pricePeak - 100_000) / 100_000) * 100;
    const c = cardOf(s, "liq.cluster-proximity");
    // 1m (±0.5 %) and 5m (±1 %) see only the long cluster 0.2 % below: x = 1, support
    expectValue(c.timeframes["1m"], { score: firstScore(1, 0.5), confidence: 0.1, value: below.notionalUsd * (1 - dBelow / 0.5) });
    expectValue(c.timeframes["5m"], { score: firstScore(1, 0.5), confidence: 0.1, value: below.notionalUsd * (1 - dBelow / 1) });
    // 1h (±2 %) also sees the short cluster 1.5 % above
    const wB = below.notionalUsd * (1 - dBelow / 2);
    const wA = above.notionalUsd * (1 - dAbove / 2);
    expectValue(c.timeframes["1h"], { score: firstScore((wB - wA) / (wB + wA), 0.5), confidence: 0.2, value: wB - wA });
    expect(c.state).toBe("bullish");
  });

  it("needs the liquidation and trade feeds", () => {
    expectUnavailable(firstCycle(liqClusterProximity, [tradeAt(1_000, 100)], 10_000)["1m"], "no liquidation feed");
    expectUnavailable(firstCycle(liqClusterProximity, [liq(1_000, "long", 100)], 10_000)["1m"], "no trade feed");
  });
});

describe("liq.insurance-fund", () => {
  const fund = (venue: Venue, ts: number, balanceUsd: number, poolId = `${venue}-pool`): CanonicalEvent => ({
    kind: "insurance",
    venue,
    symbol: "BTCUSDT",
    ts,
    balanceUsd,
    asset: "USDT",
    poolId,
    shared: true,
  });
  /** Strength of a fall x (fraction) on a fresh engine: tanh(max(x / 0.005, 0)). */
  const strengthOf = (x: number) => Math.tanh(Math.max(x / 0.005, 0));

  it("is unavailable with its reason when no venue sent a balance (replay: no recording holds one)", () => {
    expect(NO_INSURANCE_DATA).toBe("no insurance-fund data received (polled live from bybit, okx, binance; hyperliquid publishes none)");
    const engine = engineFor(liqInsuranceFund);
    const c = cardOf(snapshotAt(engine, [liq(1_000, "long", 100)], 10_000), "liq.insurance-fund");
    for (const tf of ["1m", "5m", "1h"] as const) expectUnavailable(c.timeframes[tf], NO_INSURANCE_DATA);
    expect(c.state).toBe("neutral");
    expect(c.kind).toBe("stress");
  });

  it("measures a falling fund as stress in strength and value, never as a direction", () => {
    // Bybit: 1,000,000 at 60 s and 120 s, then 995,000 at 180 s (−0.5 %)
    const engine = engineFor(liqInsuranceFund);
    const s = snapshotAt(engine, [trade(1_000, "buy", 1), fund("bybit", 60_000, 1_000_000), fund("bybit", 120_000, 1_000_000), fund("bybit", 180_000, 995_000)], 200_000);
    const c = cardOf(s, "liq.insurance-fund");
    // 1m: from 140 s, interpolated between 120 s and 180 s: 1,000,000 − 5,000 · 20/60
    const from1m = 1_000_000 + (-5_000 * 20_000) / 60_000;
    const change1m = 995_000 - from1m;
    expectValue(c.timeframes["1m"], { score: 0, strength: strengthOf(-change1m / from1m), confidence: 1 / 3, value: change1m });
    // 5m and 1h start before the first update: the change counts from it, −5,000 of 1,000,000 = 0.5 % → tanh(1)
    expectValue(c.timeframes["5m"], { score: 0, strength: Math.tanh(1), confidence: 1 / 3, value: -5_000 });
    expectValue(c.timeframes["1h"], { score: 0, strength: Math.tanh(1), confidence: 1 / 3, value: -5_000 });
    expect(c.state).toBe("neutral");
    expect(s.events).toMatchObject({ insurance: 3 });
  });

  it("sums the venues in USD, relates the change to all their funds, and counts venues in the confidence", () => {
    const v = firstCycle(liqInsuranceFund, [trade(1_000, "buy", 1), fund("bybit", 60_000, 1_000_000), fund("binance", 100_000, 3_000_000), fund("bybit", 180_000, 995_000)], 200_000);
    // −5,000 over 4,000,000 = 0.125 %: tanh(0.25); two of three publishing venues
    expectValue(v["5m"], { score: 0, strength: Math.tanh(0.25), confidence: 2 / 3, value: -5_000 });
  });

  it("counts a rising fund as no stress", () => {
    const v = firstCycle(liqInsuranceFund, [trade(1_000, "buy", 1), fund("okx", 60_000, 1_000_000), fund("okx", 120_000, 1_020_000)], 130_000);
    expectValue(v["5m"], { score: 0, strength: 0, confidence: 1 / 3, value: 20_000 });
  });

  it("leaves out a venue whose newest balance is over 26 h old, and says so when none is left", () => {
    const engine = engineFor(liqInsuranceFund);
    const s = snapshotAt(engine, [tradeAt(1_000, 100), fund("bybit", 1_000, 1_000_000), tradeAt(27 * 3_600_000, 100)], 27 * 3_600_000 + 10_000);
    expectUnavailable(cardOf(s, "liq.insurance-fund").timeframes["1h"], "insurance-fund data stale: newest update bybit 27.0 h old (over 26 h)");
  });

  it("restarts a venue's history when its pool is regrouped (balances of two pools do not compare)", () => {
    const v = firstCycle(
      liqInsuranceFund,
      [trade(1_000, "buy", 1), fund("bybit", 60_000, 1_000_000, "USDT:3:aaaa"), fund("bybit", 120_000, 20_000, "USDT:1:bbbb"), fund("bybit", 180_000, 19_000, "USDT:1:bbbb")],
      200_000,
    );
    // only the new pool: 20,000 → 19,000 = 5 % → tanh(10)
    expectValue(v["5m"], { score: 0, strength: Math.tanh(10), confidence: 1 / 3, value: -1_000 });
  });
});
