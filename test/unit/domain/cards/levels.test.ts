/**
 * The `levels` cards: the estimated liquidation level map around the price. Scripted events with
 * explicit timestamps; every expected figure is worked out in a comment.
 *
 * Level model in these tests (src/domain/liquidation/levels.ts): flat brackets (mmr 0.4 %, no cum),
 * open interest rising by q in a minute at a VWAP of P₀ makes one cohort at the minute's end whose
 * level at leverage L sits at P₀(1 ∓ 1/L)/(1 ∓ 0.004) (long / short) with notional
 * q · 2 · ½ (side) · weight(L) · LP, halving every 24 h; a trade at or through a level sweeps it.
 */
import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../../../src/domain/events.js";
import type { SymbolEngineOptions } from "../../../../src/domain/engine.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import type { CardValue, Timeframe } from "../../../../src/protocol/snapshot.js";
import { DEFAULT_REGISTRY } from "../../../../src/domain/cards/registry.js";
import { levelsMagnet } from "../../../../src/domain/cards/levels/magnet.js";
import { levelsDistance } from "../../../../src/domain/cards/levels/distance.js";
import { levelsDensitySkew } from "../../../../src/domain/cards/levels/density-skew.js";
import { levelsClearance } from "../../../../src/domain/cards/levels/clearance.js";
import { levelsBuildUp } from "../../../../src/domain/cards/levels/build-up.js";
import { levelsSweepRate } from "../../../../src/domain/cards/levels/sweep-rate.js";
import { levelsExposure } from "../../../../src/domain/cards/levels/exposure.js";
import { cardOf, engineFor, expectUnavailable, expectValue, firstScore, oi, snapshotAt, trade, valuesAt } from "./helpers.js";
import { flatBrackets } from "../liquidation/helpers.js";

const decay = (ageMs: number) => 0.5 ** (ageMs / 86_400_000);

function at(card: CardDefinition, events: readonly CanonicalEvent[], ts: number, options: Omit<SymbolEngineOptions, "registry"> = TWO_TIERS): Record<Timeframe, CardValue> {
  return valuesAt(card, events, ts, engineFor(card, options));
}

/** Strength of a stress card on a fresh scale: tanh(max((x − center) / prior, 0)). */
const strengthOf = (x: number, prior: number, center = 0) => Math.tanh(Math.max((x - center) / prior, 0));

// ── Two tiers (100x and 50x, half each) around P₀ = 100: four levels of notional 5 · LP ──
const TWO_TIERS = { config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 0.5 }, { leverage: 50, weight: 0.5 }], brackets: flatBrackets(0.004) } } };
const LONG100 = (100 * 0.99) / 0.996; // 99.3976 (−0.60 %)
const LONG50 = (100 * 0.98) / 0.996; // 98.3936 (−1.61 %)
const SHORT100 = (100 * 1.01) / 1.004; // 100.5976 (+0.60 %)
const SHORT50 = (100 * 1.02) / 1.004; // 101.5936 (+1.59 %)
/** A level's notional read at 70 s (the cohort is 10 s old). */
const usd = (lp: number, ageMs = 10_000) => 5 * lp * decay(ageMs);
/** Taker sells of 1 at 100 (VWAP 100), open interest 1,000 → 1,010 in [0, 60 s), closed by the 61 s update: one cohort at 60 s. */
const COHORT: CanonicalEvent[] = [trade(1_000, "sell", 1, 100), oi(1_000, 1_000), trade(30_000, "sell", 1, 100), oi(30_000, 1_010), oi(61_000, 1_010)];

describe("levels cards in the registry", () => {
  it("ships seven levels cards in output order", () => {
    expect(DEFAULT_REGISTRY.cards.filter((c) => c.category === "levels").map((c) => c.id)).toEqual([
      "levels.magnet",
      "levels.distance",
      "levels.density-skew",
      "levels.clearance",
      "levels.build-up",
      "levels.sweep-rate",
      "levels.exposure",
    ]);
  });
});

describe("levels.magnet and levels.distance", () => {
  // one tier of 100x: a cohort of 10 BTC at 100,000 created at 60 s
  const ONE_TIER = { config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 1 }], brackets: flatBrackets(0.004) } } };
  const LP_LONG = (100_000 * 0.99) / 0.996;
  const LP_SHORT = (100_000 * 1.01) / 1.004;
  const cohort: CanonicalEvent[] = [trade(1_000, "buy", 1, 100_000), oi(1_000, 1_000), trade(30_000, "buy", 1, 100_000), oi(30_000, 1_010), oi(61_000, 1_010)];

  it("levels.magnet leans toward the cluster with the larger notional per unit of distance", () => {
    const v = at(levelsMagnet, cohort, 70_000, ONE_TIER);
    // 10 bps bins of 100,000: the short level in [100,500, 100,600) (centre +0.55 %), the long in [99,300, 99,400) (−0.65 %)
    const up = (10 * LP_SHORT * decay(10_000)) / 0.55;
    const down = (10 * LP_LONG * decay(10_000)) / 0.65;
    const x = (up - down) / (up + down);
    expectValue(v["1m"], { score: firstScore(x, 0.5), strength: firstScore(x, 0.5), confidence: 1 / 30, value: 0.55 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("levels.distance compares how close each side's levels sit to the price", () => {
    const v = at(levelsDistance, cohort, 70_000, ONE_TIER);
    const dLong = 1 - LP_LONG / 100_000;
    const dShort = LP_SHORT / 100_000 - 1;
    expectValue(v["1m"], { score: firstScore((dLong - dShort) / (dLong + dShort), 0.5), confidence: 1 / 30, value: (dLong - dShort) * 100 });
    // once the long level is swept only shorts remain in range: longs count as at the range edge (2 %)
    const after = at(levelsDistance, [...cohort, trade(75_000, "sell", 1, 99_390), trade(76_000, "buy", 1, 99_500)], 80_000, ONE_TIER);
    const dS = LP_SHORT / 99_500 - 1;
    expectValue(after["1m"], { score: firstScore((0.02 - dS) / (0.02 + dS), 0.5), confidence: 1 / 30, value: (0.02 - dS) * 100 });
    expect(after["1m"].score).toBeGreaterThan(0);
  });

  it("are unavailable without open interest, and measure no levels in range as a zero of confidence 0", () => {
    expectUnavailable(at(levelsMagnet, [trade(1_000, "buy", 1)], 10_000)["1m"], "no oi feed");
    // open interest seen (a baseline) but no cohort yet
    expectValue(at(levelsDistance, [trade(1_000, "buy", 1), oi(2_000, 1_000)], 10_000)["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("levels.density-skew", () => {
  it("compares estimated short levels above with long levels below within the range", () => {
    const v = at(levelsDensitySkew, COHORT, 70_000);
    // 1m (±1 %): the two 100x levels; 1 cohort of 30
    const x1 = (usd(SHORT100) - usd(LONG100)) / (usd(SHORT100) + usd(LONG100));
    expectValue(v["1m"], { score: firstScore(x1, 0.5), strength: firstScore(x1, 0.5), confidence: 1 / 30, value: usd(SHORT100) - usd(LONG100) });
    // 5m (±2 %): all four levels
    const s = usd(SHORT100) + usd(SHORT50);
    const l = usd(LONG100) + usd(LONG50);
    expectValue(v["5m"], { score: firstScore((s - l) / (s + l), 0.5), confidence: 1 / 30, value: s - l });
  });

  it("reads only short levels left above, after a flush through the long levels, as bullish", () => {
    // a trade at 98 at 65 s sweeps both long levels (99.40, 98.39)
    const v = at(levelsDensitySkew, [...COHORT, trade(65_000, "sell", 1, 98)], 70_000);
    // 1h (±5 % of 98): both short levels, no long: x = 1
    expectValue(v["1h"], { score: firstScore(1, 0.5), confidence: 1 / 30, value: usd(SHORT100) + usd(SHORT50) });
    // 1m (±1 % of 98): nothing in range: a measured zero
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without open interest", () => {
    expectUnavailable(at(levelsDensitySkew, [trade(1_000, "buy", 1)], 10_000)["5m"], "no oi feed");
  });
});

describe("levels.clearance and levels.sweep-rate", () => {
  // a trade at 99 at 65 s sweeps the 100x long level (99.3976): 5 · LP · decay(5 s) swept
  const swept = 5 * LONG100 * decay(5_000);
  const events = [...COHORT, trade(65_000, "sell", 1, 99)];

  it("levels.clearance: most of the nearby long fuel already swept leans bullish", () => {
    const v = at(levelsClearance, events, 70_000);
    // 1m (±1 % of 99): the 50x long level remains below, no short level above and none swept
    const x = swept / (swept + usd(LONG50));
    expectValue(v["1m"], { score: firstScore(x, 0.3), strength: firstScore(x, 0.3), confidence: 0.1, value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
    // 1h (±5 %): both short levels are in range but none was swept: c_short = 0, same x
    expectValue(v["1h"], { score: firstScore(x, 0.3), confidence: 0.1, value: x });
  });

  it("levels.clearance is a measured zero without sweeps", () => {
    expectValue(at(levelsClearance, COHORT, 70_000)["5m"], { score: 0, confidence: 0, value: 0 });
    expectUnavailable(at(levelsClearance, [trade(1_000, "buy", 1)], 10_000)["1m"], "no oi feed");
  });

  it("levels.sweep-rate: the share of the nearby map consumed in the window is stress without a side", () => {
    const v = at(levelsSweepRate, events, 70_000);
    // 5m (±2 % of 99): the 50x long and the 100x short remain
    const x5 = swept / (swept + usd(SHORT100) + usd(LONG50));
    expectValue(v["5m"], { score: 0, strength: strengthOf(x5, 0.05), confidence: 0.1, value: swept });
    // 1h (±5 %): the 50x long and both shorts remain
    const x1h = swept / (swept + usd(SHORT100) + usd(SHORT50) + usd(LONG50));
    expectValue(v["1h"], { score: 0, strength: strengthOf(x1h, 0.15), confidence: 0.1, value: swept });
    expect(cardOf(snapshotAt(engineFor(levelsSweepRate, TWO_TIERS), events, 70_000), "levels.sweep-rate").state).toBe("neutral");
    expectValue(at(levelsSweepRate, COHORT, 70_000)["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });
});

describe("levels.build-up", () => {
  const pair = LONG100 + SHORT100;
  /** A second cohort of 1 at 100 in [60 s, 120 s), closed at the 120 s cycle. */
  const more: CanonicalEvent[] = [oi(90_000, 1_011), trade(100_000, "sell", 1, 100)];

  it("is a confidence-0 zero while fewer than historyCycles previous values exist, publishing N to build them", () => {
    const v = at(levelsBuildUp, COHORT.slice(0, 4), 60_000);
    // the 60 s cycle is the sixth (10 s … 60 s): five previous values; N = both 100x levels, age 0
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 5 * pair });
  });

  it("reads the growth of the level notional near price over six cycles as stress", () => {
    const engine = engineFor(levelsBuildUp, TWO_TIERS);
    const v = cardOf(snapshotAt(engine, [...COHORT, ...more], 130_000), "levels.build-up").timeframes;
    // 1m (±1 %): N = the 100x pair of cohort 1 (age 70 s, 10 units) and cohort 2 (age 10 s, 1 unit);
    // N₀ = the value at 70 s, six cycles ago: cohort 1 alone at age 10 s
    const n = 5 * pair * decay(70_000) + 0.5 * pair * decay(10_000);
    const n0 = 5 * pair * decay(10_000);
    const x = (n - n0) / Math.max(n, n0);
    // two cohorts of 30
    expectValue(v["1m"], { score: 0, strength: strengthOf(x, 0.05), confidence: 2 / 30, value: n });
    // a trade at 99.3 sweeps both 100x long levels: at 140 s N (±1 % of 99.3: the 50x longs) is below N₀ (the value at 80 s): no stress
    const later = cardOf(snapshotAt(engine, [trade(135_000, "sell", 1, 99.3)], 140_000), "levels.build-up").timeframes;
    expectValue(later["1m"], { score: 0, strength: 0, confidence: 2 / 30, value: 5 * LONG50 * decay(80_000) + 0.5 * LONG50 * decay(20_000) });
  });

  it("is unavailable without open interest", () => {
    expectUnavailable(at(levelsBuildUp, [trade(1_000, "buy", 1)], 10_000)["1m"], "no oi feed");
  });
});

describe("levels.exposure", () => {
  // trades of 50: 100 at 1 s and 30 s (the cohort's VWAP), 100.2 at 62 s, 100 at 72 s
  const events: CanonicalEvent[] = [
    trade(1_000, "sell", 50, 100),
    oi(1_000, 1_000),
    trade(30_000, "sell", 50, 100),
    oi(30_000, 1_010),
    oi(61_000, 1_010),
    trade(62_000, "buy", 50, 100.2),
    trade(72_000, "sell", 50, 100),
  ];
  // 10 s closes over [0, 80 s): 100, –, –, 100, –, –, 100.2, 100 (a bucket without trades carries the close): 7 returns
  const r6 = Math.log(100.2 / 100);
  const r7 = Math.log(100 / 100.2);
  const sum = 0 + 0 + 0 + 0 + 0 + r6 + r7;
  const sumSq = 0 + 0 + 0 + 0 + 0 + r6 * r6 + r7 * r7;
  const mean = sum / 7;
  const sigma10s = Math.sqrt(Math.max(0, (sumSq - 7 * mean * mean) / 6));
  const sigmaOf = (windowMs: number) => sigma10s * Math.sqrt(3_600_000 / 10_000) * Math.sqrt(windowMs / 3_600_000);
  const age = 20_000; // the cohort is 20 s old at 80 s

  it("compares the level notional within one σ of the timeframe with the window's turnover: stress against the symbol's usual", () => {
    const v = at(levelsExposure, events, 80_000);
    // 5m: σ ≈ 0.63 %: the two 100x levels (±0.60 %); turnover 3 · 5,000 + 5,010; 4 trades, 1 cohort: confidence 1/30
    expect(sigmaOf(300_000)).toBeGreaterThan(Math.log(SHORT100 / 100));
    expect(sigmaOf(300_000)).toBeLessThan(Math.log(SHORT50 / 100));
    const e5 = usd(LONG100, age) + usd(SHORT100, age);
    const x5 = e5 / (5_010 + 15_000);
    expectValue(v["5m"], { score: 0, strength: strengthOf(x5, 0.03, 0.03), confidence: 1 / 30, value: e5 });
    // 1h: σ ≈ 2.2 %: all four levels
    const e1h = usd(LONG100, age) + usd(LONG50, age) + usd(SHORT100, age) + usd(SHORT50, age);
    expectValue(v["1h"], { score: 0, strength: strengthOf(e1h / 20_010, 0.03, 0.03), confidence: 1 / 30, value: e1h });
    // 1m: σ ≈ 0.28 %: no level that close: E = 0, below the usual: strength 0; 3 trades of 100
    expect(sigmaOf(60_000)).toBeLessThan(Math.log(SHORT100 / 100));
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0.03, value: 0 });
  });

  it("is unavailable until two 10 s returns exist, and a window without trades has confidence 0", () => {
    expectUnavailable(at(levelsExposure, [trade(61_000, "buy", 1, 100), oi(62_000, 1_000)], 70_000)["5m"], "warming up: 0 of 2 ten-second returns for volatility");
    const quiet = at(levelsExposure, events, 190_000);
    // 1m window [130 s, 190 s) holds no trade; the last one (72 s) is 118 s old: still current (limit 120 s)
    expect(quiet["1m"]).toMatchObject({ available: true, score: 0, strength: 0, confidence: 0 });
    expectUnavailable(at(levelsExposure, [trade(1_000, "buy", 1)], 10_000)["1h"], "no oi feed");
  });
});
