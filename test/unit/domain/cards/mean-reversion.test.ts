import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/mean-reversion/index.js";
import { mrZscore } from "../../../../src/domain/cards/mean-reversion/zscore.js";
import { mrWilliamsR } from "../../../../src/domain/cards/mean-reversion/williams-r.js";
import { mrRsi } from "../../../../src/domain/cards/mean-reversion/rsi.js";
import { mrStreak } from "../../../../src/domain/cards/mean-reversion/streak.js";
import { mrTrendResidual } from "../../../../src/domain/cards/mean-reversion/trend-residual.js";
import { mrOuPull } from "../../../../src/domain/cards/mean-reversion/ou-pull.js";
import { mrPercentile } from "../../../../src/domain/cards/mean-reversion/percentile.js";
import type { CardDefinition } from "../../../../src/domain/cards/registry.js";
import type { TradeEvent } from "../../../../src/domain/events.js";
import { TIMEFRAMES, type Timeframe } from "../../../../src/protocol/snapshot.js";
import { expectUnavailable, expectValue, firstScore, mark, trade, valuesAt } from "./helpers.js";

// ── helpers of this file ──

const MIN = 60_000;

/** One buy of 1 per minute at `prices[k]`, in minute `from + k` (second 1); null: a quiet minute. */
function closes(prices: readonly (number | null)[], from = 0): TradeEvent[] {
  const out: TradeEvent[] = [];
  prices.forEach((p, k) => {
    if (p !== null) out.push(trade((from + k) * MIN + 1_000, "buy", 1, p));
  });
  return out;
}

/** Trades of 1 in minute `m` at `prices`, one a second from second 1 (the first is the open, the last the close). */
function minute(m: number, prices: readonly number[]): TradeEvent[] {
  return prices.map((p, k) => trade(m * MIN + (k + 1) * 1_000, "buy", 1, p));
}

/** The prior σ of `card` on `tf`. */
function prior(card: CardDefinition, tf: Timeframe): number {
  return typeof card.scale.prior === "number" ? card.scale.prior : card.scale.prior[tf];
}

/** OLS slope and intercept of y on x. */
function ols(x: readonly number[], y: readonly number[]): { a: number; b: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

describe("mean-reversion cards", () => {
  it("are registered in output order", () => {
    expect(CARDS.map((c) => c.id)).toEqual(["mr.zscore", "mr.williams-r", "mr.percentile", "mr.rsi", "mr.streak", "mr.trend-residual", "mr.ou-pull"]);
  });

  it.each(CARDS.map((c) => [c.id, c] as const))("%s is unavailable without a trade feed", (_, card) => {
    const v = valuesAt(card, [mark(1_000)], 10_000);
    for (const tf of TIMEFRAMES) expectUnavailable(v[tf], "no trade feed");
  });
});

describe("mr.zscore", () => {
  it("fades the last close's distance from the mean of the last 5 closes on 1m, in σ of those closes", () => {
    // closes 100 101 102 103 109 in minutes 0–4: mean 103, deviations −3 −2 −1 0 6, Σ² = 50, σ = √(50 / 4)
    const v = valuesAt(mrZscore, closes([100, 101, 102, 103, 109]), 5 * MIN);
    const z = 6 / Math.sqrt(12.5);
    expectValue(v["1m"], { score: firstScore(-z, prior(mrZscore, "1m")), strength: Math.abs(firstScore(-z, prior(mrZscore, "1m"))), confidence: 1, value: z });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 5 of 15 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 5 of 60 minutes of bars");
  });

  it("reads 15 minutes on 5m, carries quiet minutes' closes and leans bullish below the mean", () => {
    // minutes 0–9 at 110, 10 at 100, 11 at 98, 12–14 quiet (close 98 carried)
    const v = valuesAt(mrZscore, closes([...new Array(10).fill(110), 100, 98]), 15 * MIN);
    const c5 = [...new Array(10).fill(110), 100, 98, 98, 98, 98];
    const mean5 = 1_592 / 15;
    const sd5 = Math.sqrt(c5.reduce((s, c) => s + (c - mean5) ** 2, 0) / 14);
    // 12 of 15 minutes traded
    expectValue(v["5m"], { score: firstScore((mean5 - 98) / sd5, prior(mrZscore, "5m")), confidence: 0.8, value: (98 - mean5) / sd5 });
    expect(v["5m"].score).toBeGreaterThan(0);
    // 1m: minutes 10–14 = 100 98 98 98 98, mean 98.4, Σ² = 1.6² + 4 · 0.4² = 3.2, σ = √0.8; 2 of 5 traded
    const z1 = -0.4 / Math.sqrt(0.8);
    expectValue(v["1m"], { score: firstScore(-z1, prior(mrZscore, "1m")), confidence: 0.4, value: z1 });
  });

  it("is a measured 0 when the closes never moved", () => {
    const v = valuesAt(mrZscore, closes([100, 100, 100, 100, 100]), 5 * MIN);
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });
});

describe("mr.williams-r", () => {
  // m0 100 → 104, m1 103, m2 96 → 99, m3 100, m4 98: H 104, L 96, C 98
  const events = [...minute(0, [100, 104]), ...minute(1, [103]), ...minute(2, [96, 99]), ...minute(3, [100]), ...minute(4, [98])];

  it("fades the close's place in the range of the last 5 minutes: near the low leans bullish", () => {
    const v = valuesAt(mrWilliamsR, events, 5 * MIN);
    // x = (104 + 96 − 2 · 98) / (104 − 96) = 0.5; %R = −100 · (104 − 98) / 8 = −75; 5 of 5 minutes traded
    expectValue(v["1m"], { score: firstScore(0.5, prior(mrWilliamsR, "1m")), confidence: 1, value: -75 });
    expect(v["1m"].score).toBeGreaterThan(0);
    expectUnavailable(v["5m"], "warming up: 5 of 15 minutes of bars");
  });

  it("reads 15 minutes on 5m and leans bearish at the top of the range", () => {
    // minutes 0–4 as above, 5–13 quiet (98 carried), 14 at 103: H 104, L 96, C 103; 6 of 15 traded
    const v = valuesAt(mrWilliamsR, [...events, ...minute(14, [103])], 15 * MIN);
    expectValue(v["5m"], { score: firstScore((104 + 96 - 206) / 8, prior(mrWilliamsR, "5m")), confidence: 6 / 15, value: -12.5 });
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("is a measured 0 (mid-range) when the span never moved", () => {
    const v = valuesAt(mrWilliamsR, closes([100, 100, 100, 100, 100]), 5 * MIN);
    expectValue(v["1m"], { score: 0, confidence: 0, value: -50 });
  });
});

describe("mr.percentile", () => {
  // minute 0 at 100 and 1–29 quiet (100 carried), 30–49 at 102, 50–58 at 98, 59 at `last`: 31 of 60 minutes traded
  const hour = (last: number) => closes([100, ...new Array(29).fill(null), ...new Array(20).fill(102), ...new Array(9).fill(98), last]);

  it("ranks the last close among the hour's 59 earlier closes on 1m: above most of them leans bearish", () => {
    const v = valuesAt(mrPercentile, hour(101), 60 * MIN);
    // below 101: 30 closes at 100 and 9 at 98: p = 39 / 59
    expectValue(v["1m"], { score: firstScore(1 - 78 / 59, prior(mrPercentile, "1m")), confidence: 31 / 60, value: (100 * 39) / 59 });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 60 of 240 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 60 of 1440 minutes of bars");
  });

  it("counts closes equal to the last one half", () => {
    // last 100: 9 below, 30 equal: p = (9 + 15) / 59
    expectValue(valuesAt(mrPercentile, hour(100), 60 * MIN)["1m"], { score: firstScore(1 - 48 / 59, prior(mrPercentile, "1m")), value: (100 * 24) / 59 });
  });

  it("ranks among 240 closes on 5m: below all of them leans fully bullish", () => {
    const v = valuesAt(mrPercentile, closes([...Array.from({ length: 239 }, (_, m) => 100 + m / 10), 50]), 240 * MIN);
    expectValue(v["5m"], { score: firstScore(1, prior(mrPercentile, "5m")), confidence: 1, value: 0 });
    expect(v["5m"].score).toBeGreaterThan(0);
  });
});

describe("mr.rsi", () => {
  it("smooths 28 one-minute changes Wilder's way on 1m and fades an overbought tape", () => {
    // 29 closes: 100 → 110 (+1 × 10), → 106 (−1 × 4), 106 × 12 (12 zero changes), 108, 107
    const prices = [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 109, 108, 107, 106, ...new Array(12).fill(106), 108, 107];
    expect(prices).toHaveLength(29);
    const v = valuesAt(mrRsi, closes(prices), 29 * MIN);
    // seed over 14 changes: G = 10/14, L = 4/14; r = 13/14 per smoothing step
    // 12 zeros, then +2, then −1: G = G0·r^14 + (2/14)·r, L = L0·r^14 + 1/14
    const r = 13 / 14;
    const g = (10 / 14) * r ** 14 + (2 / 14) * r;
    const l = (4 / 14) * r ** 14 + 1 / 14;
    const rsi = (100 * g) / (g + l); // ≈ 69
    // 16 of the 28 changes moved
    expectValue(v["1m"], { score: firstScore((50 - rsi) / 50, prior(mrRsi, "1m")), confidence: 16 / 28, value: rsi });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 29 of 141 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 29 of 421 minutes of bars");
  });

  it("reads five-minute closes on 5m: a steady fall is RSI 0, fully oversold", () => {
    // 141 minutes falling 0.1 a minute: every five-minute change is −0.5
    const v = valuesAt(mrRsi, closes(Array.from({ length: 141 }, (_, m) => 200 - 0.1 * m)), 141 * MIN);
    expectValue(v["5m"], { score: firstScore(1, prior(mrRsi, "5m")), confidence: 1, value: 0 });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("is a measured 0 (RSI 50) when the closes never moved", () => {
    const v = valuesAt(mrRsi, closes(new Array(29).fill(100)), 29 * MIN);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 50 });
  });
});

describe("mr.streak", () => {
  it("counts the run of rising one-minute closes on 1m and fades it", () => {
    // minutes 0–8 at 100, 9 at 99, then 101 102 103 104 105: a run of 5 rises (the +2 counts as one)
    const v = valuesAt(mrStreak, closes([...new Array(9).fill(100), 99, 101, 102, 103, 104, 105]), 15 * MIN);
    // the last 14 changes: 8 zeros, one −1, five rises: 6 moved
    expectValue(v["1m"], { score: firstScore(-5, prior(mrStreak, "1m")), confidence: 6 / 14, value: 5 });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 15 of 71 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 15 of 211 minutes of bars");
  });

  it("reads five-minute closes on 5m: three falling five-minute bars lean bullish", () => {
    // 71 minutes at 100, except minutes 56–70 falling: closes at minutes 55, 60, 65, 70 = 100, 99, 98, 97
    const prices = Array.from({ length: 71 }, (_, m) => (m <= 55 ? 100 : 100 - Math.ceil((m - 55) / 5)));
    const v = valuesAt(mrStreak, closes(prices), 71 * MIN);
    // changes at five-minute steps: −1, −1, −1, then 11 zeros: run 3 of 14, 3 moved
    expectValue(v["5m"], { score: firstScore(3, prior(mrStreak, "5m")), confidence: 3 / 14, value: -3 });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("is 0 when the last bar did not move, whatever came before", () => {
    const v = valuesAt(mrStreak, closes([100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 113]), 15 * MIN);
    // 13 of the last 14 changes moved
    expectValue(v["1m"], { score: 0, confidence: 13 / 14, value: 0 });
  });
});

describe("mr.trend-residual", () => {
  // 14 minutes rising 1 a minute from 100, then a jump to 120 (the line would say about 114)
  const prices = [...Array.from({ length: 14 }, (_, m) => 100 + m), 120];

  it("fades the last close's residual from the line through 15 log closes on 1m", () => {
    const v = valuesAt(mrTrendResidual, closes(prices), 15 * MIN);
    const t = prices.map((_, i) => i);
    const y = prices.map((p) => Math.log(p / 120));
    const { a, b } = ols(t, y);
    const e = y.map((yi, i) => yi - a - b * i);
    const sigma = Math.sqrt(e.reduce((s, v) => s + v * v, 0) / 13);
    const last = e[14]; // ≈ +0.035 above the line
    expectValue(v["1m"], { score: firstScore(-last / sigma, prior(mrTrendResidual, "1m")), confidence: 1, value: last * 10_000 });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 15 of 30 minutes of bars");
  });

  it("reads 30 minutes on 5m: a close that fell below a rising line leans bullish", () => {
    // 29 minutes rising 0.5 a minute from 100, then a drop to 105 (the line would say about 114.5)
    const p30 = [...Array.from({ length: 29 }, (_, m) => 100 + m / 2), 105];
    const v = valuesAt(mrTrendResidual, closes(p30), 30 * MIN);
    const y = p30.map((p) => Math.log(p / 105));
    const { a, b } = ols(
      p30.map((_, i) => i),
      y,
    );
    const e = y.map((yi, i) => yi - a - b * i);
    const sigma = Math.sqrt(e.reduce((s, v) => s + v * v, 0) / 28);
    expectValue(v["5m"], { score: firstScore(-e[29] / sigma, prior(mrTrendResidual, "5m")), confidence: 1, value: e[29] * 10_000 });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("is a measured 0 when the closes never moved", () => {
    const v = valuesAt(mrTrendResidual, closes(new Array(15).fill(100)), 15 * MIN);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("mr.ou-pull", () => {
  /** Expected (x, E) of the AR(1) fit of Δ ln close on ln close, as the header states it. */
  function pull(p: readonly number[]): { x: number; e: number } {
    const y = p.map((c) => Math.log(c / p[p.length - 1]));
    const prev = y.slice(0, -1);
    const dy = y.slice(1).map((v, i) => v - y[i]);
    const { a, b } = ols(prev, dy);
    const res = dy.map((d, i) => d - a - b * prev[i]);
    const sigma = Math.sqrt(res.reduce((s, v) => s + v * v, 0) / (dy.length - 2));
    expect(b).toBeLessThan(0);
    return { x: a / sigma, e: a };
  }

  it("expects a pull back toward the fitted equilibrium on a choppy 15 minutes: a close above it leans bearish", () => {
    const prices = [100, 102, 100.5, 101.5, 99.5, 101, 100, 102.5, 100, 101, 99, 101.5, 100.5, 101, 103];
    const v = valuesAt(mrOuPull, closes(prices), 15 * MIN);
    const { x, e } = pull(prices);
    expectValue(v["1m"], { score: firstScore(x, prior(mrOuPull, "1m")), confidence: 1, value: e * 10_000 });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["1h"], "warming up: 15 of 60 minutes of bars");
  });

  it("expects a pull up after a close below the equilibrium", () => {
    const prices = [100, 102, 100.5, 101.5, 99.5, 101, 100, 102.5, 100, 101, 99, 101.5, 100.5, 101, 98];
    const { x } = pull(prices);
    const v = valuesAt(mrOuPull, closes(prices), 15 * MIN);
    expectValue(v["1m"], { score: firstScore(x, prior(mrOuPull, "1m")) });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("fits 30 minutes on 5m, with quiet minutes in the confidence", () => {
    // the choppy 15 minutes twice, the second time ending at 103; minutes 5 and 20 quiet (close carried)
    const chop = [100, 102, 100.5, 101.5, 99.5, 101, 100, 102.5, 100, 101, 99, 101.5, 100.5, 101];
    const prices = [...chop, 100, ...chop, 103];
    const quiet: (number | null)[] = prices.map((p, m) => (m === 5 || m === 20 ? null : p));
    const carried = prices.map((p, m) => (m === 5 || m === 20 ? prices[m - 1] : p));
    const v = valuesAt(mrOuPull, closes(quiet), 30 * MIN);
    const { x, e } = pull(carried);
    // 28 of 30 minutes traded
    expectValue(v["5m"], { score: firstScore(x, prior(mrOuPull, "5m")), confidence: 28 / 30, value: e * 10_000 });
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("is 0 with full confidence when the span does not revert (β ≥ 0), and a measured 0 on flat closes", () => {
    // accelerating rise: each step larger than the last, Δy grows with y
    const rising = [100, 100.1, 100.3, 100.6, 101, 101.5, 102.1, 102.8, 103.6, 104.5, 105.5, 106.6, 107.8, 109.1, 110.5];
    expectValue(valuesAt(mrOuPull, closes(rising), 15 * MIN)["1m"], { score: 0, confidence: 1, value: 0 });
    expectValue(valuesAt(mrOuPull, closes(new Array(15).fill(100)), 15 * MIN)["1m"], { score: 0, confidence: 0, value: 0 });
  });
});
