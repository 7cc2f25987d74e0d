import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/exhaustion/index.js";
import { exhaustionVolumeClimax } from "../../../../src/domain/cards/exhaustion/volume-climax.js";
import { exhaustionTakerClimax } from "../../../../src/domain/cards/exhaustion/taker-climax.js";
import { exhaustionLiquidationSpike } from "../../../../src/domain/cards/exhaustion/liquidation-spike.js";
import { exhaustionBlowOff } from "../../../../src/domain/cards/exhaustion/blow-off.js";
import { exhaustionGap } from "../../../../src/domain/cards/exhaustion/gap.js";
import { exhaustionFailingMomentum } from "../../../../src/domain/cards/exhaustion/failing-momentum.js";
import { exhaustionRangeContraction } from "../../../../src/domain/cards/exhaustion/range-contraction.js";
import type { BarEvent, CanonicalEvent } from "../../../../src/domain/events.js";
import type { CardValue } from "../../../../src/protocol/snapshot.js";
import { expectUnavailable, expectValue as expectExact, firstScore, liq, mark, S, valuesAt } from "./helpers.js";

/** One log-price unit: a level of l is the price 100 · e^(0.001 · l). */
const U = 0.001;
const px = (level: number) => 100 * Math.exp(U * level);

interface MinuteSpec {
  /** Taker notional of the minute, USD (default 1 000). */
  usd?: number;
  /** Taker buy share of it (default 0.5); null: a bar without a taker split. */
  buy?: number | null;
  trades?: number;
  /** High and low as levels (default: the open and the close). */
  high?: number;
  low?: number;
}

/**
 * Minute 0 at level 0, minute k (1 … steps.length) at level steps[0] + … + steps[k − 1], each bar
 * opening at the previous close: minute k's return is U · steps[k − 1]. `spec[k]` overrides minute k.
 */
function day(steps: readonly number[], spec: Readonly<Record<number, MinuteSpec>> = {}): BarEvent[] {
  const out: BarEvent[] = [];
  let level = 0;
  for (let m = 0; m <= steps.length; m++) {
    const open = level;
    if (m > 0) level += steps[m - 1];
    const o = spec[m] ?? {};
    const usd = o.usd ?? 1_000;
    const buy = o.buy === undefined ? 0.5 : o.buy;
    const close = px(level);
    out.push({
      venue: "binance",
      symbol: S,
      kind: "bar",
      openTs: m * 60_000,
      ts: m * 60_000 + 59_999,
      open: px(open),
      high: px(o.high ?? Math.max(open, level)),
      low: px(o.low ?? Math.min(open, level)),
      close,
      volumeBase: usd / close,
      volumeQuote: usd,
      takerBuyBase: buy === null ? null : (usd / close) * buy,
      takerBuyQuote: buy === null ? null : usd * buy,
      trades: o.trades ?? 10,
      closed: true,
    });
  }
  return out;
}

/**
 * `expectValue` with `value` compared to 12 significant digits rather than 12 decimals: values here are
 * a few σ built from logs of prices, whose rounding reaches 1e-13 on a value of 5.
 */
function expectValue(v: CardValue, expected: Parameters<typeof expectExact>[1]): void {
  const { value, ...rest } = expected;
  expectExact(v, rest);
  if (value !== undefined) expect(Math.abs((v.value ?? Number.NaN) - value)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(value)));
}

/** The boundary right after the last bar. */
const after = (bars: readonly BarEvent[]) => bars[bars.length - 1].openTs + 60_000;

const repeat = (pattern: readonly number[], times: number) => Array.from({ length: times }, () => pattern).flat();

/** Sixty quiet minutes: +1, −1, … (levels 1, 0, 1, …, 0). */
const QUIET = repeat([1, -1], 30);

/** Sample σ of minute returns with steps `steps`, in U (the day's σ the cards read). */
function sigmaOf(steps: readonly number[]): number {
  const n = steps.length;
  const sum = steps.reduce((a, b) => a + b, 0);
  const sumSq = steps.reduce((a, b) => a + b * b, 0);
  return Math.sqrt((sumSq - (sum * sum) / n) / (n - 1));
}

/**
 * A rise into a climax: the quiet hour, then five minutes of +2 (minutes 61–65); minute 65 trades
 * 5 000 USD, 90 % bought by takers. 66 minutes of bars: 1m and 5m are warm, 1h is not.
 * Day σ: 65 returns, Σ = 10, Σ s² = 80: σ² = (80 − 100/65) / 64 = 255/208 (U²).
 */
const CLIMB = [...QUIET, 2, 2, 2, 2, 2];
const CLIMAX = day(CLIMB, { 65: { usd: 5_000, buy: 0.9 } });
const SIGMA = Math.sqrt(255 / 208);
const M5 = 10 / (SIGMA * Math.sqrt(5)); // the 5m window's move in day σ
const M1 = 2 / SIGMA; // the 1m window (minute 65)

describe("exhaustion cards", () => {
  it("registers seven directional cards with the exhaustion prefix", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "exhaustion.volume-climax",
      "exhaustion.taker-climax",
      "exhaustion.liquidation-spike",
      "exhaustion.blow-off",
      "exhaustion.gap",
      "exhaustion.failing-momentum",
      "exhaustion.range-contraction",
    ]);
    for (const c of CARDS) expect(c.kind ?? "directional", c.id).toBe("directional");
  });

  it("are each unavailable without a trade feed", () => {
    for (const card of CARDS) expectUnavailable(valuesAt(card, [mark(1_000)], 10_000)["5m"], "no trade feed");
  });

  it("warm up until the day reaches an hour beyond the window: 61, 65 and 120 minutes", () => {
    const bars = day(QUIET.slice(0, 29)); // 30 minutes
    for (const card of CARDS.filter((c) => c.id !== "exhaustion.liquidation-spike")) {
      const v = valuesAt(card, bars, after(bars));
      if (card.id !== "exhaustion.gap" && card.id !== "exhaustion.failing-momentum" && card.id !== "exhaustion.range-contraction") {
        expectUnavailable(v["1m"], "warming up: 30 of 61 minutes of bars");
      }
      expectUnavailable(v["5m"], "warming up: 30 of 65 minutes of bars");
      expectUnavailable(v["1h"], "warming up: 30 of 120 minutes of bars");
    }
  });

  it("need halves or a minute on each side of a jump: unavailable on the one-bar 1m window", () => {
    for (const card of [exhaustionGap, exhaustionFailingMomentum, exhaustionRangeContraction]) {
      expectUnavailable(valuesAt(card, CLIMAX, after(CLIMAX))["1m"], "the window holds 1 minute bar: the statistic needs at least 5");
    }
  });

  it("read a window without trades as a measured zero", () => {
    const bars = day(QUIET); // 61 minutes, then five quiet minutes before the boundary
    for (const card of CARDS.filter((c) => c.id !== "exhaustion.liquidation-spike")) {
      expectValue(valuesAt(card, bars, 66 * 60_000)["5m"], { score: 0, confidence: 0, value: 0 });
    }
  });
});

describe("exhaustion.volume-climax", () => {
  it("fades a rise that ends in a minute of 33/7 times the day's mean volume", () => {
    const v = valuesAt(exhaustionVolumeClimax, CLIMAX, after(CLIMAX));
    // day: 66 minutes, 65 · 1 000 + 5 000 = 70 000 USD; heaviest 5 000: v = 5 000 / (70 000 / 66) = 33/7
    // 5m: x = −m · ln v with m = 10 U / (σ √5); 50 trades
    const x5 = -M5 * Math.log(33 / 7);
    expectValue(v["5m"], { score: firstScore(x5, 1.7), confidence: 0.5, value: x5 });
    const x1 = -M1 * Math.log(33 / 7);
    expectValue(v["1m"], { score: firstScore(x1, 1.1), confidence: 0.1, value: x1 });
    expect(v["5m"].score).toBeLessThan(0);
    expectUnavailable(v["1h"], "warming up: 66 of 120 minutes of bars");
  });

  it("leans bullish after a fall that ends in a climax", () => {
    const bars = day([...QUIET, -2, -2, -2, -2, -2], { 65: { usd: 5_000 } });
    const x5 = M5 * Math.log(33 / 7);
    expectValue(valuesAt(exhaustionVolumeClimax, bars, after(bars))["5m"], { score: firstScore(x5, 1.7), value: x5 });
    expect(x5).toBeGreaterThan(0);
  });

  it("reads nothing when no minute of the window is heavier than the day's mean", () => {
    const bars = day(CLIMB);
    // every minute 1 000 USD: v = 1, ln v = 0
    expectValue(valuesAt(exhaustionVolumeClimax, bars, after(bars))["5m"], { score: 0, confidence: 0.5, value: 0 });
    // a heavy minute earlier in the day (34 000 USD): the day's mean is 99 000 / 66 = 1 500, v = 2/3 < 1
    const light = day(CLIMB, { 30: { usd: 34_000 } });
    expectValue(valuesAt(exhaustionVolumeClimax, light, after(light))["5m"], { score: 0, confidence: 0.5, value: 0 });
  });
});

describe("exhaustion.taker-climax", () => {
  it("fades a rise whose last minute was bought 90 % against the day's 37/70", () => {
    const v = valuesAt(exhaustionTakerClimax, CLIMAX, after(CLIMAX));
    // day: buys 65 · 500 + 4 500 = 37 000 of 70 000 USD; tail (minute 65): 0.9; surge = 0.9 − 37/70 = 13/35
    expectValue(v["5m"], { score: firstScore(-M5 * (13 / 35), 0.17), confidence: 0.1, value: 13 / 35 });
    expectValue(v["1m"], { score: firstScore(-M1 * (13 / 35), 0.22), confidence: 0.1, value: 13 / 35 });
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("leans bullish on a selling climax after a fall", () => {
    const bars = day([...QUIET, -2, -2, -2, -2, -2], { 65: { usd: 5_000, buy: 0.1 } });
    // day buys 65 · 500 + 500 = 33 000 of 70 000; surge = 0.1 − 33/70 = −13/35; x = −m · (13/35) with m < 0
    const v = valuesAt(exhaustionTakerClimax, bars, after(bars))["5m"];
    expectValue(v, { score: firstScore(M5 * (13 / 35), 0.17), value: -13 / 35 });
    expect(v.score).toBeGreaterThan(0);
  });

  it("reads nothing when the takers lean with the move less than usual", () => {
    const bars = day(CLIMB, { 65: { usd: 5_000, buy: 0.3 } });
    // surge = 0.3 − (32 500 + 1 500) / 70 000 = 0.3 − 17/35 < 0: no climax
    expectValue(valuesAt(exhaustionTakerClimax, bars, after(bars))["5m"], { score: 0, confidence: 0.1, value: 0.3 - 17 / 35 });
  });

  it("is unavailable when a tail minute has no taker split", () => {
    const bars = day(CLIMB, { 65: { buy: null } });
    expectUnavailable(valuesAt(exhaustionTakerClimax, bars, after(bars))["5m"], "taker side unknown for some of the window's minutes (bars without a taker split)");
  });
});

describe("exhaustion.liquidation-spike", () => {
  /** The climb's bars with liquidations: 1 000 USD of longs in minute 0 (the history's start), and in minute 65 `window`. */
  function withLiquidations(bars: readonly BarEvent[], window: readonly { side: "long" | "short"; usd: number }[], firstMinute = 0): CanonicalEvent[] {
    const events: CanonicalEvent[] = [...bars, liq(firstMinute * 60_000 + 30_000, "long", 1_000)];
    window.forEach((l, k) => events.push(liq(65 * 60_000 + 30_000 + k, l.side, l.usd)));
    return events.sort((a, b) => a.ts - b.ts);
  }

  it("fades a rise whose shorts are flushed at 11 times the usual rate (5m), 55 times (1m)", () => {
    const bars = day(CLIMB);
    const events = withLiquidations(bars, [
      { side: "short", usd: 4_000 },
      { side: "long", usd: 1_000 },
    ]);
    const v = valuesAt(exhaustionLiquidationSpike, events, after(bars));
    // history: minutes 0–65 (66), 6 000 USD: 1 000/11 per minute. Window: 5 000 USD, shorts (the losing side
    // of a rise) 4 000: w = 0.8. 5m: s = (5 000 / 5) / (1 000/11) = 11; 1m: s = 5 000 / (1 000/11) = 55
    const x5 = -M5 * 0.8 * Math.log(11);
    expectValue(v["5m"], { score: firstScore(x5, 1.5), confidence: 0.2, value: x5, sampling: "sampled" });
    const x1 = -M1 * 0.8 * Math.log(55);
    expectValue(v["1m"], { score: firstScore(x1, 1.5), confidence: 0.2, value: x1, sampling: "sampled" });
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("leans bullish when longs are flushed after a fall", () => {
    const bars = day([...QUIET, -2, -2, -2, -2, -2]);
    const v = valuesAt(exhaustionLiquidationSpike, withLiquidations(bars, [{ side: "long", usd: 5_000 }]), after(bars))["5m"];
    // w = 1: x = −(−M5) · 1 · ln 11
    expectValue(v, { score: firstScore(M5 * Math.log(11), 1.5), confidence: 0.1, value: M5 * Math.log(11) });
    expect(v.score).toBeGreaterThan(0);
  });

  it("reads a window without liquidations as a measured zero", () => {
    const bars = day(CLIMB);
    expectValue(valuesAt(exhaustionLiquidationSpike, withLiquidations(bars, []), after(bars))["5m"], { score: 0, confidence: 0, value: 0 });
  });

  it("warms up its liquidation history for 60 minutes, and needs a liquidation feed", () => {
    const bars = day(CLIMB);
    const v = valuesAt(exhaustionLiquidationSpike, withLiquidations(bars, [{ side: "short", usd: 1_000 }], 30), after(bars));
    // the first liquidation in minute 30: minutes 30–65 of history
    expectUnavailable(v["5m"], "warming up: 36 of 60 minutes of liquidation history");
    expectUnavailable(valuesAt(exhaustionLiquidationSpike, bars, after(bars))["5m"], "no liquidation feed");
  });
});

describe("exhaustion.blow-off", () => {
  it("fades a rise whose last minute is 2/3 of the day's steepest: x = −(2/3) · 2 U / σ", () => {
    // window minutes 61–65: +3, +1, +1, +1, +2; day σ² = (76 − 64/65) / 64 (U²)
    const steps = [...QUIET, 3, 1, 1, 1, 2];
    const bars = day(steps);
    const sigma = sigmaOf(steps);
    expect(sigma * sigma).toBeCloseTo((76 - 64 / 65) / 64, 12);
    const x = (-(2 / 3) * 2) / sigma;
    const v = valuesAt(exhaustionBlowOff, bars, after(bars));
    expectValue(v["5m"], { score: firstScore(x, 0.45), confidence: 0.5, value: x });
    // 1m: the window is minute 65 itself (r* = 2 U, the same ρ)
    expectValue(v["1m"], { score: firstScore(x, 0.5), confidence: 0.1, value: x });
  });

  it("reads the day's steepest minute at the end as ρ = 1, and leans bullish after a fall", () => {
    const v = valuesAt(exhaustionBlowOff, CLIMAX, after(CLIMAX));
    expectValue(v["5m"], { score: firstScore(-2 / SIGMA, 0.45), value: -2 / SIGMA });
    const fall = day([...QUIET, -2, -2, -2, -2, -2]);
    const w = valuesAt(exhaustionBlowOff, fall, after(fall))["5m"];
    expectValue(w, { score: firstScore(2 / SIGMA, 0.45), value: 2 / SIGMA });
    expect(w.score).toBeGreaterThan(0);
  });

  it("reads nothing when the tail moved against the window", () => {
    const bars = day([...QUIET, 3, 1, 1, 1, -1]);
    expectValue(valuesAt(exhaustionBlowOff, bars, after(bars))["5m"], { score: 0, confidence: 0.5, value: 0 });
  });
});

describe("exhaustion.gap", () => {
  it("fades a +4 U jump after a +1 U minute that gained one more unit: stall = 1 − 1/4", () => {
    // window minutes 61–65: +1, +4, 0, +1, 0: J = minute 62; before it +1 U; after it +1 U
    const steps = [...QUIET, 1, 4, 0, 1, 0];
    const bars = day(steps);
    const x = -(4 / sigmaOf(steps)) * 0.75;
    const v = valuesAt(exhaustionGap, bars, after(bars))["5m"];
    expectValue(v, { score: firstScore(x, 0.95), confidence: 0.5, value: x });
    expect(v.score).toBeLessThan(0);
  });

  it("leans bullish on a downward jump that stalled, and reads a reversal as a full stall", () => {
    const steps = [...QUIET, -1, -4, 0, 2, 0];
    const bars = day(steps);
    // follow-through −(+2) U: 1 + 2/4 > 1, capped at 1
    const x = 4 / sigmaOf(steps);
    expectValue(valuesAt(exhaustionGap, bars, after(bars))["5m"], { score: firstScore(x, 0.95), value: x });
  });

  it("reads nothing for a jump that opens the move or one that carries on", () => {
    const opening = day([...QUIET, 0, 4, 0, 1, 0]);
    expectValue(valuesAt(exhaustionGap, opening, after(opening))["5m"], { score: 0, confidence: 0.5, value: 0 });
    const runaway = day([...QUIET, 1, 4, 2, 2, 1]); // follow-through 5 U ≥ 4 U: stall 0
    expectValue(valuesAt(exhaustionGap, runaway, after(runaway))["5m"], { score: 0, confidence: 0.5, value: 0 });
  });
});

describe("exhaustion.failing-momentum", () => {
  it("fades a new high of the day made on a slowing push: r₁ = 5 U, r₂ = 1 U", () => {
    // window minutes 61–65: +3, +2, 0, +1, 0 (levels 3, 5, 5, 6, 6): minute 65 ties the day's high at 6
    const steps = [...QUIET, 3, 2, 0, 1, 0];
    const bars = day(steps);
    const x = -(5 - 1) / (sigmaOf(steps) * Math.SQRT2); // h = 2
    const v = valuesAt(exhaustionFailingMomentum, bars, after(bars))["5m"];
    expectValue(v, { score: firstScore(x, 0.53), confidence: 0.5, value: x });
    expect(v.score).toBeLessThan(0);
  });

  it("leans bullish on a new low made on a slowing fall", () => {
    const steps = [...QUIET, -3, -2, 0, -1, 0];
    const bars = day(steps);
    const x = 4 / (sigmaOf(steps) * Math.SQRT2);
    expectValue(valuesAt(exhaustionFailingMomentum, bars, after(bars))["5m"], { score: firstScore(x, 0.53), value: x });
  });

  it("reads nothing on a push that accelerates into the high", () => {
    const bars = day([...QUIET, 1, 0, 2, 3, 0]); // levels 1, 1, 3, 6, 6: r₁ = 1 U, r₂ = 3 U
    expectValue(valuesAt(exhaustionFailingMomentum, bars, after(bars))["5m"], { score: 0, confidence: 0.5, value: 0 });
  });

  it("reads nothing once price has left a high it printed in the window's earlier half", () => {
    const bars = day([...QUIET, 3, 2, -1, -1, -1]); // levels 3, 5, 4, 3, 2: the high (minute 62) is not recent
    expectValue(valuesAt(exhaustionFailingMomentum, bars, after(bars))["5m"], { score: 0, confidence: 0.5, value: 0 });
  });

  it("compares the two half hours on 1h: +30 U then +15 U into the day's high", () => {
    // minutes 61–90: +1 each; minutes 91–120: +1, 0, +1, 0, …; 121 minutes of bars
    const steps = [...QUIET, ...new Array(30).fill(1), ...repeat([1, 0], 15)];
    const bars = day(steps);
    const v = valuesAt(exhaustionFailingMomentum, bars, after(bars));
    // 120 returns, Σ = 45, Σ s² = 105
    const sigma = sigmaOf(steps);
    expect(sigma * sigma).toBeCloseTo((105 - (45 * 45) / 120) / 119, 12);
    const x = -(30 - 15) / (sigma * Math.sqrt(30));
    expectValue(v["1h"], { score: firstScore(x, 0.72), confidence: 1, value: x });
    // 5m (minutes 116–120: 0, +1, 0, +1, 0): r₁ = r₂ = 1 U: no slowdown
    expectValue(v["5m"], { score: 0, confidence: 0.5, value: 0 });
  });
});

describe("exhaustion.range-contraction", () => {
  /** Minutes 61–65 climb to the day's high (levels 3, 5, 5, 6, 6) with ranges of 30, 20, 0, 10 and 5 bps. */
  const steps = [...QUIET, 3, 2, 0, 1, 0];
  const spec = { 63: { high: 5.5, low: 5 }, 65: { high: 6, low: 5.5 } };

  it("fades ranges shrinking from 25 to 7.5 bps as price makes the day's high", () => {
    const bars = day(steps, spec);
    // earlier half (61, 62): 30 and 20 bps; recent half (64, 65): 10 and 5 bps; minute 63 is neither
    const shrink = Math.log(25 / 7.5);
    const v = valuesAt(exhaustionRangeContraction, bars, after(bars))["5m"];
    expectValue(v, { score: firstScore(-shrink, 0.1), confidence: 0.5, value: shrink });
    expect(v.score).toBeLessThan(0);
  });

  it("leans bullish at the day's low", () => {
    const bars = day(steps.map((s) => -s), { 63: { high: -5, low: -5.5 }, 65: { high: -5.5, low: -6 } });
    const shrink = Math.log(25 / 7.5);
    expectValue(valuesAt(exhaustionRangeContraction, bars, after(bars))["5m"], { score: firstScore(shrink, 0.1), value: shrink });
  });

  it("reads nothing away from the extremes: the day's high was printed earlier", () => {
    const bars = day(steps, { ...spec, 30: { high: 20 } });
    // the window left the day's low (level 0) in its first minute: its recent half holds neither extreme
    expectValue(valuesAt(exhaustionRangeContraction, bars, after(bars))["5m"], { score: 0, confidence: 0.5, value: Math.log(25 / 7.5) });
  });
});
