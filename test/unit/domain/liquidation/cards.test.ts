import { describe, expect, it } from "vitest";
import { SymbolEngine, type SymbolEngineOptions } from "../../../../src/domain/engine.js";
import type { CanonicalEvent } from "../../../../src/domain/events.js";
import type { CardValue, SymbolSnapshot } from "../../../../src/protocol/snapshot.js";
import { S, book, flatBrackets, liq, oi, trade } from "./helpers.js";

const LP_LONG = (100_000 * 0.99) / 0.996;
const LP_SHORT = (100_000 * 1.01) / 1.004;
const decay = (ageMs: number) => Math.pow(0.5, ageMs / 86_400_000);

function cardAt(snapshot: SymbolSnapshot | null, id: string) {
  const c = snapshot?.cards.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no card ${id}`);
  return c;
}

function snapshotAt(engine: SymbolEngine, events: CanonicalEvent[], at: number): SymbolSnapshot {
  engine.ingest(events);
  engine.advanceTo(at);
  const s = engine.latest();
  if (s === null || s.ts !== at) throw new Error(`no snapshot at ${at}`);
  return s;
}

const OPTIONS: SymbolEngineOptions = {
  config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 1 }], brackets: flatBrackets(0.004) }, cards: { cascadeFullRatio: 4 } },
};

/** A cohort of 10 BTC at 100,000 (created at 60 s) and a book with mid 100,000. */
const COHORT: CanonicalEvent[] = [
  trade(1_000, 100_000),
  oi(1_000, 1_000),
  trade(30_000, 100_000),
  oi(30_000, 1_010),
  oi(61_000, 1_010),
  book(61_000, [[99_900, 2], [99_500, 3]], [[100_100, 1], [100_800, 4]]),
];

const near = (v: CardValue, expected: { score: number; strength: number; confidence: number; value: number }) => {
  expect(v.available).toBe(true);
  expect(v.score).toBeCloseTo(expected.score, 12);
  expect(v.strength).toBeCloseTo(expected.strength, 12);
  expect(v.confidence).toBeCloseTo(expected.confidence, 12);
  expect(v.value as number).toBeCloseTo(expected.value, 9);
};

describe("liq.cascade-risk-up and liq.cascade-risk-down", () => {
  it("score level notional in the band over book depth, up bullish and down bearish", () => {
    const s = snapshotAt(new SymbolEngine(S, OPTIONS), COHORT, 70_000);
    const up = cardAt(s, "liq.cascade-risk-up");
    const down = cardAt(s, "liq.cascade-risk-down");
    // 1m band 0.5 %: the levels 0.6 % away are outside → ratio 0
    expect(up.timeframes["1m"]).toEqual({ available: true, score: 0, strength: 0, confidence: 1 / 30, value: 0 });
    // 5m band 1 %: short levels 10·LP_SHORT (decayed 10 s) over 503,300 of asks; full at ratio 4
    const ratioUp = (10 * LP_SHORT * decay(10_000)) / 503_300;
    near(up.timeframes["5m"], { score: ratioUp / 4, strength: ratioUp / 4, confidence: 1 / 30, value: ratioUp });
    const ratioDown = (10 * LP_LONG * decay(10_000)) / 498_300;
    near(down.timeframes["5m"], { score: -ratioDown / 4, strength: ratioDown / 4, confidence: 1 / 30, value: ratioDown });
    expect(up.state).toBe("bullish");
    expect(down.state).toBe("bearish");
  });

  it("are unavailable without open interest, and without a synced book", () => {
    const noOi = snapshotAt(new SymbolEngine(S), [trade(1_000, 100), book(1_000, [[99, 1]], [[101, 1]])], 10_000);
    expect(cardAt(noOi, "liq.cascade-risk-up").timeframes["1m"]).toMatchObject({ available: false, reason: "no oi feed", value: null });
    const noBook = snapshotAt(new SymbolEngine(S, OPTIONS), COHORT.slice(0, 5), 70_000);
    expect(cardAt(noBook, "liq.cascade-risk-down").timeframes["1h"]).toMatchObject({ available: false, reason: "no book feed" });
  });
});

describe("liq.magnet", () => {
  it("leans toward the cluster with the larger notional per unit of distance", () => {
    const s = snapshotAt(new SymbolEngine(S, OPTIONS), COHORT, 70_000);
    // 10 bps bins of 100,000: the short level in [100,500, 100,600) (centre +0.55 %), the long in [99,300, 99,400) (−0.65 %)
    const up = (10 * LP_SHORT * decay(10_000)) / 0.55;
    const down = (10 * LP_LONG * decay(10_000)) / 0.65;
    const v = cardAt(s, "liq.magnet").timeframes["1m"];
    near(v, { score: (up - down) / (up + down), strength: (up - down) / (up + down), confidence: 1 / 30, value: 0.55 });
  });
});

describe("liq.sweep", () => {
  it("reads levels just taken like liquidations: a swept long level is a forced sell", () => {
    const engine = new SymbolEngine(S, OPTIONS);
    const before = snapshotAt(engine, COHORT, 70_000);
    expect(cardAt(before, "liq.sweep").timeframes["1m"]).toEqual({ available: true, score: 0, strength: 0, confidence: 0, value: 0 });
    const s = snapshotAt(engine, [trade(75_000, 99_000)], 80_000);
    const swept = 10 * LP_LONG * decay(15_000);
    expect(cardAt(s, "liq.sweep").timeframes["1m"]).toEqual({ available: true, score: -1, strength: 1, confidence: 0.1, value: -swept });
    expect(cardAt(s, "liq.sweep").transition).toBe("emerging");
    // two minutes later the 1m window no longer holds it, the 5m still does
    const later = snapshotAt(engine, [trade(190_000, 99_000)], 200_000);
    expect(cardAt(later, "liq.sweep").timeframes["1m"]).toMatchObject({ score: 0, value: 0 });
    expect(cardAt(later, "liq.sweep").timeframes["5m"]).toMatchObject({ score: -1, value: -swept });
  });
});

describe("liq.distance", () => {
  it("compares how close each side's levels sit to the price", () => {
    const s = snapshotAt(new SymbolEngine(S, OPTIONS), COHORT, 70_000);
    const dLong = 1 - LP_LONG / 100_000;
    const dShort = LP_SHORT / 100_000 - 1;
    near(cardAt(s, "liq.distance").timeframes["1m"], {
      score: (dLong - dShort) / (dLong + dShort),
      strength: Math.abs(dLong - dShort) / (dLong + dShort),
      confidence: 1 / 30,
      value: (dLong - dShort) * 100,
    });
    // once the long level is swept only shorts remain in range: longs count as at the range edge (2 %)
    const after = snapshotAt(new SymbolEngine(S, OPTIONS), [...COHORT, trade(75_000, 99_390), trade(76_000, 99_500)], 80_000);
    const dS = LP_SHORT / 99_500 - 1;
    near(cardAt(after, "liq.distance").timeframes["1m"], { score: (0.02 - dS) / (0.02 + dS), strength: (0.02 - dS) / (0.02 + dS), confidence: 1 / 30, value: (0.02 - dS) * 100 });
  });
});

describe("liq.cluster-proximity", () => {
  it("reads realized clusters below the price as support and above as resistance, weighted by closeness", () => {
    const engine = new SymbolEngine(S);
    const s = snapshotAt(engine, [trade(1_000, 100_000), liq(2_000, "long", 99_800, 5_000), liq(3_000, "short", 101_500, 6_000), trade(4_000, 100_000)], 10_000);
    const peaks = engine.clusters().clusters.map((c) => c.pricePeak);
    const [below, above] = [peaks.find((p) => p < 100_000) as number, peaks.find((p) => p > 100_000) as number];
    const dBelow = ((100_000 - below) / 100_000) * 100;
    const dAbove = ((above - 100_000) / 100_000) * 100;
    const c = cardAt(s, "liq.cluster-proximity");
    // 1m (±0.5 %) and 5m (±1 %) see only the long cluster 0.2 % below: support
    expect(c.timeframes["1m"]).toMatchObject({ available: true, score: 1, confidence: 0.1 });
    expect(c.timeframes["5m"].value).toBeCloseTo(5_000 * (1 - dBelow / 1), 6);
    // 1h (±2 %) also sees the short cluster 1.5 % above
    const wB = 5_000 * (1 - dBelow / 2);
    const wA = 6_000 * (1 - dAbove / 2);
    near(c.timeframes["1h"], { score: (wB - wA) / (wB + wA), strength: Math.abs(wB - wA) / (wB + wA), confidence: 0.2, value: wB - wA });
  });
});

describe("liq.intensity", () => {
  it("is the z-score of the window's liquidation notional against 1-minute history, signed by side", () => {
    const engine = new SymbolEngine(S);
    const evs: CanonicalEvent[] = [];
    // even minutes 0..58: one long liquidation of 200 USD; minute 60: ten shorts of 100 USD
    for (let m = 0; m < 60; m += 2) evs.push(liq(m * 60_000 + 30_000, "long", 100, 200));
    for (let i = 0; i < 10; i++) evs.push(liq(3_600_000 + 1_000 + i * 1_000, "short", 100, 100));
    const s = snapshotAt(engine, evs, 3_660_000);
    // history: the 61 complete minutes [0, 61): 30 × 200 + 1 × 1,000, the rest 0
    const n = 61;
    const mean = (30 * 200 + 1_000) / n;
    const sd = Math.sqrt((30 * 200 ** 2 + 1_000 ** 2) / n - mean * mean);
    const z = (1_000 - mean) / sd;
    const strength = Math.min(1, z / 3);
    near(cardAt(s, "liq.intensity").timeframes["1m"], { score: strength, strength, confidence: 61 / 240, value: z });
    // the 5m window averages the burst over 5 minutes: z = (x/5 − μ)/(σ/√5)
    const z5 = ((200 * 2 + 1_000) / 5 - mean) / (sd / Math.sqrt(5));
    const w5 = Math.min(1, Math.max(0, z5 / 3));
    near(cardAt(s, "liq.intensity").timeframes["5m"], { score: (w5 * (1_000 - 400)) / 1_400, strength: w5, confidence: 61 / 240, value: z5 });
  });
});

describe("liq.insurance-fund", () => {
  const fund = (venue: "bybit" | "binance" | "okx", ts: number, balanceUsd: number, poolId = `${venue}-pool`): CanonicalEvent => ({
    kind: "insurance",
    venue,
    symbol: S,
    ts,
    balanceUsd,
    asset: "USDT",
    poolId,
    shared: true,
  });
  const value = (v: CardValue) => ({ ...v, value: v.value === null ? null : Math.round(v.value * 1e6) / 1e6, strength: Math.round(v.strength * 1e9) / 1e9 });

  it("is unavailable with its reason when no venue sent a balance (replay: no recording holds one)", () => {
    const s = snapshotAt(new SymbolEngine(S), [liq(1_000, "long", 100, 100)], 10_000);
    const c = cardAt(s, "liq.insurance-fund");
    for (const tf of ["1m", "5m", "1h"] as const) {
      expect(c.timeframes[tf]).toEqual({
        available: false,
        score: 0,
        strength: 0,
        confidence: 0,
        value: null,
        reason: "no insurance-fund data received (polled live from bybit, okx, binance; hyperliquid publishes none)",
      });
    }
    expect(c.state).toBe("neutral");
  });

  it("measures a falling fund as stress in strength and value, never as a direction", () => {
    // Bybit: 1,000,000 at 60 s and 120 s, then 995,000 at 180 s (−0.5 %).
    const s = snapshotAt(new SymbolEngine(S), [trade(1_000, 100), fund("bybit", 60_000, 1_000_000), fund("bybit", 120_000, 1_000_000), fund("bybit", 180_000, 995_000)], 200_000);
    const c = cardAt(s, "liq.insurance-fund");
    // 1m: from 140 s, interpolated between 120 s and 180 s: 1,000,000 − 5,000 · 20/60.
    const from1m = 1_000_000 - (5_000 * 20) / 60;
    expect(value(c.timeframes["1m"])).toEqual(value({ available: true, score: 0, strength: ((995_000 - from1m) / from1m / -0.01), confidence: 0, value: 995_000 - from1m }));
    // 5m and 1h start before the first update: the change counts from it, −5,000 of 1,000,000 = −0.5 % → strength 0.5.
    expect(c.timeframes["5m"]).toEqual({ available: true, score: 0, strength: 0.5, confidence: 0, value: -5_000 });
    expect(c.timeframes["1h"]).toEqual({ available: true, score: 0, strength: 0.5, confidence: 0, value: -5_000 });
    expect(c.state).toBe("neutral");
    expect(s.events).toMatchObject({ insurance: 3 });
  });

  it("sums the venues in USD and relates the change to all their funds", () => {
    const s = snapshotAt(
      new SymbolEngine(S),
      [trade(1_000, 100), fund("bybit", 60_000, 1_000_000), fund("binance", 100_000, 3_000_000), fund("bybit", 180_000, 995_000)],
      200_000,
    );
    // −5,000 over 4,000,000 = −0.125 %.
    expect(cardAt(s, "liq.insurance-fund").timeframes["5m"]).toEqual({ available: true, score: 0, strength: 0.125, confidence: 0, value: -5_000 });
  });

  it("counts a rising fund as no stress", () => {
    const s = snapshotAt(new SymbolEngine(S), [trade(1_000, 100), fund("okx", 60_000, 1_000_000), fund("okx", 120_000, 1_020_000)], 130_000);
    expect(cardAt(s, "liq.insurance-fund").timeframes["5m"]).toEqual({ available: true, score: 0, strength: 0, confidence: 0, value: 20_000 });
  });

  it("leaves out a venue whose newest balance is over 26 h old, and says so when none is left", () => {
    const engine = new SymbolEngine(S);
    const s = snapshotAt(engine, [trade(1_000, 100), fund("bybit", 1_000, 1_000_000), trade(27 * 3_600_000, 100)], 27 * 3_600_000 + 10_000);
    expect(cardAt(s, "liq.insurance-fund").timeframes["1h"]).toEqual({
      available: false,
      score: 0,
      strength: 0,
      confidence: 0,
      value: null,
      reason: "insurance-fund data stale: newest update bybit 27.0 h old (over 26 h)",
    });
  });

  it("restarts a venue's history when its pool is regrouped (balances of two pools do not compare)", () => {
    const s = snapshotAt(
      new SymbolEngine(S),
      [trade(1_000, 100), fund("bybit", 60_000, 1_000_000, "USDT:3:aaaa"), fund("bybit", 120_000, 20_000, "USDT:1:bbbb"), fund("bybit", 180_000, 19_000, "USDT:1:bbbb")],
      200_000,
    );
    // Only the new pool: 20,000 → 19,000 = −5 % → full strength.
    expect(cardAt(s, "liq.insurance-fund").timeframes["5m"]).toEqual({ available: true, score: 0, strength: 1, confidence: 0, value: -1_000 });
  });
});

