import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/regime/index.js";
import { regimeEfficiency } from "../../../../src/domain/cards/regime/efficiency.js";
import { regimeTrendStrength } from "../../../../src/domain/cards/regime/trend-strength.js";
import { regimeChoppiness } from "../../../../src/domain/cards/regime/choppiness.js";
import { regimeVarianceRatio } from "../../../../src/domain/cards/regime/variance-ratio.js";
import { regimeAutocorrelation } from "../../../../src/domain/cards/regime/autocorrelation.js";
import { regimeHurst } from "../../../../src/domain/cards/regime/hurst.js";
import { regimeVolatility } from "../../../../src/domain/cards/regime/volatility.js";
import type { BarEvent } from "../../../../src/domain/events.js";
import { expectUnavailable, expectValue, mark, S, valuesAt } from "./helpers.js";

/** One log-price unit of the walks below: a step of k moves the close by k · 0.1 %. */
const U = 0.001;

/** A closed Binance bar of minute `m` (10 trades, 1 000 USD, half bought by takers). */
function bar(m: number, o: { open: number; high: number; low: number; close: number }, trades = 10): BarEvent {
  const usd = 1_000;
  return {
    venue: "binance",
    symbol: S,
    kind: "bar",
    openTs: m * 60_000,
    ts: m * 60_000 + 59_999,
    ...o,
    volumeBase: usd / o.close,
    volumeQuote: usd,
    takerBuyBase: usd / o.close / 2,
    takerBuyQuote: usd / 2,
    trades,
    closed: true,
  };
}

/**
 * Minute 0 closes at 100, minute k (1 … steps.length) at 100 · e^(U · (steps[0] + … + steps[k − 1])),
 * each bar opening at the previous close: minute k's return is U · steps[k − 1].
 */
function walk(steps: readonly number[]): BarEvent[] {
  const out: BarEvent[] = [];
  let level = 0;
  const px = (l: number) => 100 * Math.exp(U * l);
  out.push(bar(0, { open: 100, high: 100, low: 100, close: 100 }));
  steps.forEach((s, k) => {
    const open = px(level);
    level += s;
    const close = px(level);
    out.push(bar(k + 1, { open, high: Math.max(open, close), low: Math.min(open, close), close }));
  });
  return out;
}

/** The boundary right after the last bar of `bars`. */
const after = (bars: readonly BarEvent[]) => bars[bars.length - 1].openTs + 60_000;

const repeat = (pattern: readonly number[], times: number) => Array.from({ length: times }, () => pattern).flat();

describe("regime cards", () => {
  it("registers seven stress cards with the regime prefix", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "regime.efficiency",
      "regime.trend-strength",
      "regime.choppiness",
      "regime.variance-ratio",
      "regime.autocorrelation",
      "regime.hurst",
      "regime.volatility",
    ]);
    for (const c of CARDS) expect(c.kind, c.id).toBe("stress");
  });

  it("are each unavailable without a trade feed", () => {
    for (const card of CARDS) expectUnavailable(valuesAt(card, [mark(1_000)], 10_000)["5m"], "no trade feed");
  });

  it("warm up for their span: 15, 30 and 60 minutes of bars (the day beyond it for regime.volatility)", () => {
    const bars = walk(repeat([1, -1], 5)); // 11 minutes
    for (const card of CARDS.filter((c) => c.id !== "regime.volatility")) {
      const v = valuesAt(card, bars, after(bars));
      expectUnavailable(v["1m"], "warming up: 11 of 15 minutes of bars");
      expectUnavailable(v["5m"], "warming up: 11 of 30 minutes of bars");
      expectUnavailable(v["1h"], "warming up: 11 of 60 minutes of bars");
    }
    const v = valuesAt(regimeVolatility, bars, after(bars));
    expectUnavailable(v["1m"], "warming up: 11 of 75 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 11 of 120 minutes of bars");
  });

  it("read a span that traded at one price as a measured zero: confidence 0, x at the center", () => {
    const flat = walk(new Array(60).fill(0));
    const at = after(flat);
    expectValue(valuesAt(regimeEfficiency, flat, at)["5m"], { score: 0, strength: 0, confidence: 0, value: 0 });
    expectValue(valuesAt(regimeVarianceRatio, flat, at)["5m"], { strength: 0, confidence: 0, value: 1 });
    expectValue(valuesAt(regimeAutocorrelation, flat, at)["5m"], { strength: 0, confidence: 0, value: 0 });
    expectValue(valuesAt(regimeHurst, flat, at)["5m"], { strength: 0, confidence: 0, value: 0.5 });
    expectValue(valuesAt(regimeChoppiness, flat, at)["5m"], { strength: 0, confidence: 0, value: 50 });
    expectValue(valuesAt(regimeTrendStrength, flat, at)["5m"], { strength: 0, confidence: 0, value: 0 });
  });

  it("read minutes without trades after the first as a measured zero too", () => {
    // one bar at minute 0, then 60 quiet minutes: covered, but nothing traded
    const v = valuesAt(regimeEfficiency, walk([]), 61 * 60_000);
    expectValue(v["1h"], { strength: 0, confidence: 0, value: 0 });
  });
});

describe("regime.efficiency", () => {
  it("reads a walk of +2, +2, −1 steps as 60 % efficient: x = 0.6 · √n against a random walk's 1", () => {
    const bars = walk(repeat([2, 2, -1], 20)); // 61 minutes; every span holds whole periods
    const v = valuesAt(regimeEfficiency, bars, after(bars));
    // 1m: n = 15 (five periods): |Σ r| = 5 · 3 U, Σ |r| = 5 · 5 U, ER = 0.6; 15 traded minutes / 30
    expectValue(v["1m"], { score: 0, strength: Math.tanh((0.6 * Math.sqrt(15) - 1) / 0.75), confidence: 0.5, value: 0.6 });
    expectValue(v["5m"], { score: 0, strength: Math.tanh((0.6 * Math.sqrt(30) - 1) / 0.75), confidence: 1, value: 0.6 });
    expectValue(v["1h"], { score: 0, strength: Math.tanh((0.6 * Math.sqrt(60) - 1) / 0.75), confidence: 1, value: 0.6 });
  });

  it("gives a back-and-forth walk no strength: ER = 1/15 on 1m, 0 on 5m", () => {
    const bars = walk(repeat([1, -1], 30)); // steps +1, −1, … (61 minutes)
    const v = valuesAt(regimeEfficiency, bars, after(bars));
    // 1m: the last 15 steps start with −1: eight −1 and seven +1, |Σ| = 1, Σ|r| = 15; x = 1/√15 < 1
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0.5, value: 1 / 15 });
    // 5m: fifteen of each: a measured ranging span, confidence 1
    expectValue(v["5m"], { score: 0, strength: 0, confidence: 1, value: 0 });
  });
});

describe("regime.trend-strength", () => {
  /** Integer prices, each bar one unit wide (low L, high L + 1): L rises by one for three minutes and falls by one the fourth. */
  function stairs(minutes: number): BarEvent[] {
    const out: BarEvent[] = [];
    let low = 1_000;
    for (let m = 0; m < minutes; m++) {
      if (m > 0) low += (m - 1) % 4 === 3 ? -1 : 1;
      out.push(bar(m, { open: low, high: low + 1, low, close: low + 1 }));
    }
    return out;
  }

  it("averages DX over runs of ⌈n/4⌉ movements: three up-moves for one down-move give DX = (3 − 1)/4 = 0.5", () => {
    const bars = stairs(61); // the move into minute k is down when (k − 1) mod 4 = 3
    const v = valuesAt(regimeTrendStrength, bars, after(bars));
    // 1m: n = 15, p = 4: every run of four moves holds 3 up (DM⁺ = 1) and 1 down (DM⁻ = 1): ADX = 0.5, x = 0.5 · √4 = 1 < 1.25
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0.5, value: 50 });
    // 5m: n = 30, p = 8: 6 up, 2 down in every run: ADX = 0.5, x = 0.5 · √8
    expectValue(v["5m"], { score: 0, strength: Math.tanh((0.5 * Math.sqrt(8) - 1.25) / 0.37), confidence: 1, value: 50 });
    // 1h: n = 60 (minutes 1–60), p = 15; the 45 runs start at the moves into minutes 2 … 46. A run of 15 moves
    // holds three periods and three more moves: 12 up 3 down (DX 9/15) when it starts at a period's first
    // move (into minute k with (k − 1) mod 4 = 0: 11 runs), else 11 up 4 down (DX 7/15: 34 runs)
    const adx = (11 * 9 + 34 * 7) / 15 / 45;
    expectValue(v["1h"], { score: 0, strength: Math.tanh((adx * Math.sqrt(15) - 1.25) / 0.4), confidence: 1, value: 100 * adx });
  });

  it("reads minutes that each extend the range upward as DX = 1 in every run", () => {
    const bars = Array.from({ length: 61 }, (_, m) => bar(m, { open: 1_000 + m, high: 1_001 + m, low: 1_000 + m, close: 1_001 + m }));
    const v = valuesAt(regimeTrendStrength, bars, after(bars));
    expectValue(v["1m"], { strength: Math.tanh((2 - 1.25) / 0.3), confidence: 0.5, value: 100 });
    expectValue(v["1h"], { strength: Math.tanh((Math.sqrt(15) - 1.25) / 0.4), confidence: 1, value: 100 });
  });
});

describe("regime.choppiness", () => {
  it("reads minutes that all trade the same one-unit range as CI = 100 (Σ TR = n, HH − LL = 1)", () => {
    const bars = Array.from({ length: 61 }, (_, m) => bar(m, { open: 1_000, high: 1_001, low: 1_000, close: m % 2 === 0 ? 1_000 : 1_001 }));
    const v = valuesAt(regimeChoppiness, bars, after(bars));
    expectValue(v["1m"], { score: 0, strength: Math.tanh(50 / 11), confidence: 0.5, value: 100 });
    expectValue(v["5m"], { score: 0, strength: Math.tanh(50 / 9), confidence: 1, value: 100 });
    expectValue(v["1h"], { score: 0, strength: Math.tanh(50 / 7.5), confidence: 1, value: 100 });
  });

  it("reads a staircase rising one level every other minute as trending: CI = 100 · log10(n / levels) / log10(n)", () => {
    // minute m: low 1 000 + ⌊m/2⌋, high one more, closing at the high: every true range is 1
    const bars = Array.from({ length: 61 }, (_, m) => {
      const low = 1_000 + Math.floor(m / 2);
      return bar(m, { open: low, high: low + 1, low, close: low + 1 });
    });
    const v = valuesAt(regimeChoppiness, bars, after(bars));
    // 1m: minutes 46–60 hold lows 1 023 … 1 030: HH − LL = 1 031 − 1 023 = 8
    const ci1m = (100 * Math.log10(15 / 8)) / Math.log10(15);
    expectValue(v["1m"], { strength: 0, confidence: 0.5, value: ci1m });
    // 5m: minutes 31–60, lows 1 015 … 1 030: HH − LL = 16; 1h: minutes 1–60, lows 1 000 … 1 030: 31
    expectValue(v["5m"], { strength: 0, confidence: 1, value: (100 * Math.log10(30 / 16)) / Math.log10(30) });
    expectValue(v["1h"], { strength: 0, confidence: 1, value: (100 * Math.log10(60 / 31)) / Math.log10(60) });
  });
});

/**
 * A quiet span then a run: 25 minutes at 100 (return 0), then five steps of +1 (31 minutes). The
 * 1m span (15) holds returns [0 × 10, U × 5], the 5m span (30) [0 × 25, U × 5]; 1h is warming up.
 */
const RUN = walk([...new Array(25).fill(0), 1, 1, 1, 1, 1]);
const RUN_AT = after(RUN);

describe("regime.choppiness true range", () => {
  it("counts the gap from the previous close: bars one unit wide stepping up two units give TR = 2", () => {
    // minute m: low 1 000 + 2m, high one more, closing at the high; each minute opens a unit above the last close
    const bars = Array.from({ length: 61 }, (_, m) => bar(m, { open: 1_000 + 2 * m, high: 1_001 + 2 * m, low: 1_000 + 2 * m, close: 1_001 + 2 * m }));
    // 1m: Σ TR = 15 · 2 = 30; HH − LL = (1 001 + 2 · 60) − (1 000 + 2 · 46) = 29
    expectValue(valuesAt(regimeChoppiness, bars, after(bars))["1m"], { strength: 0, confidence: 0.5, value: (100 * Math.log10(30 / 29)) / Math.log10(15) });
  });
});

describe("regime.variance-ratio", () => {
  it("reads a run after a pause as trending: VR(5) = 224/55 on 15 minutes", () => {
    const v = valuesAt(regimeVarianceRatio, RUN, RUN_AT);
    // 1m, in U: μ = 1/3; σ²_a = (10 · 1/9 + 5 · 4/9) / 14 = 5/21. Five-minute sums ending at minutes 5 … 15 of the
    // span: 0 (six of them), 1, 2, 3, 4, 5; Σ (sum − 5/3)² = (6 · 25 + 4 + 1 + 16 + 49 + 100) / 9 = 320/9;
    // m = 5 · 11 · (1 − 5/15) = 110/3; σ²_c = 32/33; VR = (32/33) / (5/21) = 224/55
    expectValue(v["1m"], { score: 0, strength: Math.tanh((224 / 55 - 1) / 0.57), confidence: 0.5, value: 224 / 55 });
    // 5m: μ = 1/6; σ²_a = (25 · 1/36 + 5 · 25/36) / 29 = 25/174; sums ending at 5 … 25 are 0 (21), then 1 … 5:
    // Σ (sum − 5/6)² = (21 · 25 + 1 + 49 + 169 + 361 + 625) / 36 = 1 730/36; m = 5 · 26 · 25/30 = 325/3
    const vr = (1_730 / 36 / (325 / 3)) / (25 / 174);
    expectValue(v["5m"], { score: 0, strength: Math.tanh((vr - 1) / 0.45), confidence: 1, value: vr });
    expectUnavailable(v["1h"], "warming up: 31 of 60 minutes of bars");
  });

  it("reads a walk that reverts within five minutes as VR < 1, with no strength", () => {
    const bars = walk(repeat([1, 1, 1, -1, -1, -1], 10)); // 61 minutes
    const v = valuesAt(regimeVarianceRatio, bars, after(bars));
    // 5m (30 steps, μ = 0): every five-minute sum leaves out one step of a six-step cycle summing to 0: ±1;
    // σ²_c = 26 / (5 · 26 · 25/30) = 6/25, σ²_a = 30/29: VR = (6/25) / (30/29) = 29/125
    expectValue(v["5m"], { strength: 0, confidence: 1, value: 29 / 125 });
  });
});

describe("regime.autocorrelation", () => {
  it("reads a run after a pause as persistent: ρ₁ = 23/30 on 15 minutes", () => {
    const v = valuesAt(regimeAutocorrelation, RUN, RUN_AT);
    // 1m, deviations from μ = 1/3: −1/3 (10), 2/3 (5); Σ d² = 10/3; lag-1 products: 9 · 1/9 − 2/9 + 4 · 4/9 = 23/9
    expectValue(v["1m"], { score: 0, strength: Math.tanh(23 / 30 / 0.27), confidence: 0.5, value: 23 / 30 });
    // 5m, μ = 1/6: Σ d² = 150/36; products 24 · 1/36 − 5/36 + 4 · 25/36 = 119/36
    expectValue(v["5m"], { score: 0, strength: Math.tanh(119 / 150 / 0.22), confidence: 1, value: 119 / 150 });
  });

  it("reads three up, three down as ρ₁ = 0.4 on 15 minutes and 11/30 on 30", () => {
    const bars = walk(repeat([1, 1, 1, -1, -1, -1], 10));
    const v = valuesAt(regimeAutocorrelation, bars, after(bars));
    // 1m: the last 15 steps are −1 ×3, +1 ×3, −1 ×3, +1 ×3, −1 ×3: μ = −0.2, deviations −0.8 and 1.2;
    // Σ d² = 9 · 0.64 + 6 · 1.44 = 14.4; products within runs 6 · 0.64 + 4 · 1.44, across runs 4 · (−0.96): 5.76
    expectValue(v["1m"], { strength: Math.tanh(0.4 / 0.27), confidence: 0.5, value: 0.4 });
    // 5m: μ = 0, Σ d² = 30; 29 products: four cycles of six (+1 +1 −1 +1 +1 −1 = 2) and 1 + 1 − 1 + 1 + 1 = 3: 11
    expectValue(v["5m"], { strength: Math.tanh(11 / 30 / 0.22), confidence: 1, value: 11 / 30 });
  });

  it("gives a bouncing walk no strength (the negative side is micro.roll-spread's)", () => {
    const bars = walk(repeat([1, -1], 30));
    // 5m: μ = 0, every product −1: ρ₁ = −29/30
    expectValue(valuesAt(regimeAutocorrelation, bars, after(bars))["5m"], { strength: 0, confidence: 1, value: -29 / 30 });
  });
});

describe("regime.hurst", () => {
  /** Anis–Lloyd–Peters E[R/S]_n, with Γ(k) = (k − 1)! and Γ(k + ½) = (2k − 1)!! √π / 2^k. */
  function expectedRs(n: number): number {
    const gamma = (x: number) => {
      let g = Number.isInteger(x) ? 1 : Math.sqrt(Math.PI);
      for (let k = Number.isInteger(x) ? 1 : 0.5; k < x; k++) g *= k;
      return g;
    };
    let sum = 0;
    for (let i = 1; i < n; i++) sum += Math.sqrt((n - i) / i);
    return ((n - 0.5) / n) * (gamma((n - 1) / 2) / (Math.sqrt(Math.PI) * gamma(n / 2))) * sum;
  }

  it("reads a run after a pause as persistent: R/S = 5√2 on 15 minutes", () => {
    const v = valuesAt(regimeHurst, RUN, RUN_AT);
    // 1m: cumulative deviations fall by 1/3 ten times to −10/3, then climb back by 2/3: R = 10/3; S = √(10/3 / 15) = √2/3
    const h1 = 0.5 + Math.log((5 * Math.SQRT2) / expectedRs(15)) / Math.log(15);
    expectValue(v["1m"], { score: 0, strength: Math.tanh((h1 - 0.5) / 0.08), confidence: 0.5, value: h1 });
    // 5m: R = 25/6, S = √(150/36 / 30) = √5/6: R/S = 5√5
    const h5 = 0.5 + Math.log((5 * Math.sqrt(5)) / expectedRs(30)) / Math.log(30);
    expectValue(v["5m"], { score: 0, strength: Math.tanh((h5 - 0.5) / 0.07), confidence: 1, value: h5 });
    expect(h1).toBeGreaterThan(0.6);
  });

  it("gives a bouncing walk H < 0.5 and no strength: R/S = 1/1 = 1 on 30 minutes", () => {
    const bars = walk(repeat([1, -1], 30));
    // 5m: returns +1, −1, …: μ = 0, cumulative 1, 0, 1, …: R = 1, S = 1
    const h = 0.5 + Math.log(1 / expectedRs(30)) / Math.log(30);
    expectValue(valuesAt(regimeHurst, bars, after(bars))["5m"], { strength: 0, confidence: 1, value: h });
  });
});

describe("regime.volatility", () => {
  it("reads a span three times as volatile as its quiet hour against the day's σ", () => {
    // minutes 1–60: ±1 (Σ = 0, Σ s² = 60); minutes 61–75: ±3 fourteen times then 0 (Σ = 0, Σ s² = 126)
    const bars = walk([...repeat([1, -1], 30), ...repeat([3, -3], 7), 0]);
    const v = valuesAt(regimeVolatility, bars, after(bars));
    // 1m span = minutes 61–75: σ = √(126/14) U = 3U; day: 75 returns, σ = √(186/74) U
    const x = Math.log(3 / Math.sqrt(186 / 74));
    expectValue(v["1m"], { score: 0, strength: Math.tanh(x / 0.49), confidence: 0.5 });
    expect((v["1m"].value ?? 0) / 30).toBeCloseTo(1, 12); // 3 U = 30 bps (relative: the bps figure carries 1e-14 of rounding)
    expectUnavailable(v["5m"], "warming up: 76 of 90 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 76 of 120 minutes of bars");
  });

  it("gives a calm span no strength and a flat one confidence 0", () => {
    const calm = walk([...repeat([3, -3], 30), ...repeat([1, -1], 7), 0]);
    // 1m: σ = √(14/14) U = 1 U (10 bps) against a day of √((540 + 14)/74) U
    expectValue(valuesAt(regimeVolatility, calm, after(calm))["1m"], { strength: 0, confidence: 0.5, value: 10 });
    const flat = walk([...repeat([3, -3], 30), ...new Array(15).fill(0)]);
    expectValue(valuesAt(regimeVolatility, flat, after(flat))["1m"], { strength: 0, confidence: 0, value: 0 });
  });
});
