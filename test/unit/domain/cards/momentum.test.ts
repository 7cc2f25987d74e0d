import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/momentum/index.js";
import { momentumReturn } from "../../../../src/domain/cards/momentum/return.js";
import { momentumTStat } from "../../../../src/domain/cards/momentum/t-stat.js";
import { momentumLongReturn } from "../../../../src/domain/cards/momentum/long-return.js";
import { momentumAcceleration } from "../../../../src/domain/cards/momentum/acceleration.js";
import { momentumAgreement } from "../../../../src/domain/cards/momentum/agreement.js";
import { momentumJumps } from "../../../../src/domain/cards/momentum/jumps.js";
import { momentumSeasonal } from "../../../../src/domain/cards/momentum/seasonal.js";
import type { TradeEvent } from "../../../../src/domain/events.js";
import { expectUnavailable, expectValue, firstScore, mark, trade, valuesAt } from "./helpers.js";

describe("momentum.return", () => {
  it("is ln(close / open) of the window against the 1m prior of 0.1 %", () => {
    // 1m window [0, 60 000): first trade 100 at 1 000, last 100.2 at 50 000
    const v = valuesAt(momentumReturn, [trade(1_000, "buy", 1, 100), trade(20_000, "sell", 1, 99.9), trade(50_000, "buy", 1, 100.2)], 60_000);
    const x = Math.log(100.2 / 100);
    expectValue(v["1m"], { score: firstScore(x, 0.001), strength: firstScore(x, 0.001), confidence: 0.03, value: x });
    expectValue(v["1h"], { score: firstScore(x, 0.01), value: x });
  });

  it("leans bearish on a falling window", () => {
    const v = valuesAt(momentumReturn, [trade(1_000, "buy", 1, 100), trade(2_000, "sell", 1, 99.8)], 10_000);
    expectValue(v["5m"], { score: firstScore(Math.log(0.998), 0.0025) });
  });

  it("is unavailable on a window without trades, and without a trade feed", () => {
    const v = valuesAt(momentumReturn, [trade(1_000, "buy", 1, 100), trade(125_000, "sell", 1, 101)], 190_000);
    expectUnavailable(v["1m"], "no trades in the window");
    const none = valuesAt(momentumReturn, [{ venue: "binance", symbol: "BTCUSDT", ts: 1_000, kind: "mark", markPrice: 100 }], 10_000);
    expectUnavailable(none["1h"], "no trade feed");
  });
});

// ── helpers of this file ──

const MIN = 60_000;

/** One buy of 1 per minute at second 1 of minute m, at `prices[m]`. */
function closes(prices: readonly number[]): TradeEvent[] {
  return prices.map((p, m) => trade(m * MIN + 1_000, "buy", 1, p));
}

/** `k` buys of 1 in minute m (seconds 1, 2, …), the last at `price`, the others at `price` too. */
function busy(m: number, k: number, price: number): TradeEvent[] {
  return Array.from({ length: k }, (_, j) => trade(m * MIN + 1_000 * (j + 1), "buy", 1, price));
}

/**
 * Closes 100·e^(a·s_m), s_0 = 0 and s_m = s_{m−1} + steps[m − 1]: one trade per minute, so minute m's
 * log return is a·steps[m − 1] exactly (to rounding).
 */
function walk(steps: readonly number[], a = 0.001, p0 = 100): number[] {
  const out = [p0];
  let s = 0;
  for (const d of steps) {
    s += d;
    out.push(p0 * Math.exp(a * s));
  }
  return out;
}

/** `n` steps alternating +1, −1 (starting with `first`). */
function alternate(n: number, first = 1): number[] {
  return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? first : -first));
}

const neg = (xs: readonly number[]) => xs.map((x) => -x);

describe("momentum cards", () => {
  it("register seven cards in output order, momentum.return first", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "momentum.return",
      "momentum.t-stat",
      "momentum.long-return",
      "momentum.acceleration",
      "momentum.agreement",
      "momentum.jumps",
      "momentum.seasonal",
    ]);
    expect(CARDS.every((c) => (c.kind ?? "directional") === "directional")).toBe(true);
  });

  it.each(CARDS.map((c) => [c.id, c] as const))("%s is unavailable without a trade feed", (_, card) => {
    expectUnavailable(valuesAt(card, [mark(1_000)], 10_000)["5m"], "no trade feed");
  });
});

describe("momentum.t-stat", () => {
  // minute 0 opens at 99.5 and closes at 100; closes 101, 100.5, 102, 103 after it
  const FIVE = [trade(1_000, "buy", 1, 99.5), trade(2_000, "buy", 1, 100), ...closes([0, 101, 100.5, 102, 103]).slice(1)];
  const r = [Math.log(100 / 99.5), Math.log(101 / 100), Math.log(100.5 / 101), Math.log(102 / 100.5), Math.log(103 / 102)];

  it("divides the window's summed minute returns by their root sum of squares: x = ln(103/99.5) / √Σr²", () => {
    const v = valuesAt(momentumTStat, FIVE, 5 * MIN);
    const sumSq = r.reduce((s, x) => s + x * x, 0);
    // the first minute returns from its own open (no close before it); Σr telescopes to ln(103 / 99.5)
    const x = Math.log(103 / 99.5) / Math.sqrt(sumSq);
    expect(x).toBeGreaterThan(1);
    // prior σ 1; confidence = 5 traded minutes / 30
    expectValue(v["5m"], { score: firstScore(x, 1), strength: firstScore(x, 1), confidence: 5 / 30, value: x });
  });

  it("is bearish on the mirrored path, the same size", () => {
    const mirror = FIVE.map((t) => ({ ...t, price: 10_000 / t.price }));
    const v = valuesAt(momentumTStat, mirror, 5 * MIN);
    const x = Math.log(103 / 99.5) / Math.sqrt(r.reduce((s, x) => s + x * x, 0));
    expectValue(v["5m"], { score: firstScore(-x, 1), value: -x });
  });

  it("is unavailable on 1m and while warming up, a measured zero over quiet minutes", () => {
    const v = valuesAt(momentumTStat, FIVE, 5 * MIN);
    expectUnavailable(v["1m"], "the window holds 1 minute bar: the statistic needs at least 5");
    expectUnavailable(v["1h"], "warming up: 5 of 60 minutes of bars");
    // minutes 5–9 carry the close of 103: no move, no trade
    expectValue(valuesAt(momentumTStat, FIVE, 10 * MIN)["5m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("momentum.long-return", () => {
  // 59 steps of ±a: minutes 1–38 alternate (s_38 = 0), 39 down (s_39 = −1), 40–50 up (s_50 = 10), 51–59 down (s_59 = 1):
  // 30 ups and 29 downs, so the day's σ = √((59a² − 59·(a/59)²) / 58) = a·√(60/59)
  const STEPS = [...alternate(38), -1, ...new Array(11).fill(1), ...new Array(9).fill(-1)];
  const DAY = closes(walk(STEPS));
  const sigma = Math.sqrt(60 / 59); // in units of a

  it("scales the trend span's return by the day's σ · √S: 1m R = 2a over 20 minutes, 5m R = a over 60", () => {
    const v = valuesAt(momentumLongReturn, DAY, 60 * MIN);
    // 1m: S = 20, R = ln(c59 / c39) = a·(1 − (−1)); x = 2 / (√(60/59) · √20)
    const x1 = 2 / (sigma * Math.sqrt(20));
    expectValue(v["1m"], { score: firstScore(x1, 1), confidence: 1, value: 2 * 0.001 });
    // 5m: S = 60 from the first minute's own open (100): R = a·s_59 = a; x = 1 / (√(60/59) · √60)
    const x5 = 1 / (sigma * Math.sqrt(60));
    expectValue(v["5m"], { score: firstScore(x5, 1), confidence: 1, value: 0.001 });
    expectUnavailable(v["1h"], "warming up: 60 of 240 minutes of bars");
  });

  it("is bearish on the mirrored walk", () => {
    const v = valuesAt(momentumLongReturn, closes(walk(neg(STEPS))), 60 * MIN);
    expectValue(v["1m"], { score: firstScore(-2 / (sigma * Math.sqrt(20)), 1), value: -2 * 0.001 });
  });

  it("waits for an hour of bars for the day's σ, and reads a day that never moved as a measured zero", () => {
    expectUnavailable(valuesAt(momentumLongReturn, DAY.slice(0, 50), 50 * MIN)["1m"], "warming up: 50 of 60 minutes of bars");
    const flat = valuesAt(momentumLongReturn, closes(new Array(60).fill(100)), 60 * MIN);
    expectValue(flat["1m"], { score: 0, confidence: 0, value: 0 });
  });

  it("counts quiet minutes of the span against its confidence", () => {
    // the walk's first 50 minutes, then 10 quiet minutes carrying c49 (s_49 = 9): 1m R = ln(c49 / c39) = 10a
    const v = valuesAt(momentumLongReturn, DAY.slice(0, 50), 60 * MIN);
    // 49 returns: minutes 1–38 (19 up, 19 down), 39 down, 40–49 up: 29 up, 20 down, plus 10 zeros from the quiet minutes
    const rs = [...STEPS.slice(0, 49), ...new Array(10).fill(0)];
    const mean = rs.reduce((s, x) => s + x, 0) / 59; // 9 / 59
    const sd = Math.sqrt(rs.reduce((s, x) => s + (x - mean) ** 2, 0) / 58);
    // confidence = 10 traded minutes (40–49) of the 20-minute span
    expectValue(v["1m"], { score: firstScore(10 / (sd * Math.sqrt(20)), 1), confidence: 0.5, value: 10 * 0.001 });
  });
});

describe("momentum.acceleration", () => {
  it("subtracts the previous N minutes' return from the window's: 1m x = ln(101.5/101) − ln(101/100)", () => {
    // three trades a minute: minute 0 at 100, minute 1 at 101, minute 2 at 101.5
    const v = valuesAt(momentumAcceleration, [...busy(0, 3, 100), ...busy(1, 3, 101), ...busy(2, 3, 101.5)], 3 * MIN);
    const x = Math.log(101.5 / 101) - Math.log(101 / 100);
    expect(x).toBeLessThan(0); // the rise slowed down: bearish
    // confidence = min(3, 3) trades / 100
    expectValue(v["1m"], { score: firstScore(x, 0.0014), confidence: 0.03, value: x });
    expectUnavailable(v["5m"], "warming up: 3 of 10 minutes of bars");
  });

  it("reads 5m from minutes 5–9 against 0–4, the earlier span from the first minute's open", () => {
    // minute 0 opens at 99 and closes at 100; closes 100 … 100 (0–4), then 100.2, 100.6, 101, 101.5, 102 (5–9)
    const ten = [trade(500, "sell", 1, 99), ...closes([100, 100, 100, 100, 100, 100.2, 100.6, 101, 101.5, 102])];
    const v = valuesAt(momentumAcceleration, ten, 10 * MIN);
    const x = Math.log(102 / 100) - Math.log(100 / 99);
    // confidence = min(5 trades of 5–9, 6 of 0–4) / 100
    expectValue(v["5m"], { score: firstScore(x, 0.0035), confidence: 0.05, value: x });
    expectUnavailable(v["1h"], "warming up: 10 of 120 minutes of bars");
  });

  it("is a measured zero over two quiet spans", () => {
    const v = valuesAt(momentumAcceleration, [...busy(0, 3, 100), ...busy(1, 3, 101)], 5 * MIN);
    // minutes 3 and 4 are quiet (close 101): R₁ = R₀ = 0, no trades
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("momentum.agreement", () => {
  // closes 100 + 0.1·m for m = 0 … 58, then 105 at minute 59 (down from 105.8)
  const PRICES = [...Array.from({ length: 59 }, (_, m) => 100 + 0.1 * m), 105];

  it("averages the signs of the window, span and three-span returns: 1m down, up, up = 1/3", () => {
    const v = valuesAt(momentumAgreement, closes(PRICES), 60 * MIN);
    // 1m: R_1 = ln(105 / 105.8) < 0, R_20 = ln(105 / 103.9) > 0, R_60 = ln(105 / 100) > 0: votes −1 + 1 + 1 = 1
    expectValue(v["1m"], { score: firstScore(1 / 3, 0.7), confidence: 1, value: 1 });
    expectUnavailable(v["5m"], "warming up: 60 of 180 minutes of bars");
  });

  it("is fully bearish when every horizon fell, and lets a horizon that did not move vote 0", () => {
    // closes 100, 99.9, …, 94.2 (minute 58), then 95: R_1 = ln(95 / 94.2) > 0, R_20 = ln(95 / 96.1) < 0, R_60 = ln(95 / 100) < 0
    const down = valuesAt(momentumAgreement, closes(PRICES.map((p) => 200 - p)), 60 * MIN);
    expectValue(down["1m"], { score: firstScore(-1 / 3, 0.7), value: -1 });
    const falling = valuesAt(momentumAgreement, closes(Array.from({ length: 60 }, (_, m) => 100 - 0.1 * m)), 60 * MIN);
    expectValue(falling["1m"], { score: firstScore(-1, 0.7), value: -3 });
    const flatLast = valuesAt(momentumAgreement, closes([...PRICES.slice(0, 59), PRICES[58]]), 60 * MIN);
    // the last minute closed where it started: R_1 = 0
    expectValue(flatLast["1m"], { score: firstScore(2 / 3, 0.7), value: 2 });
  });

  it("counts quiet minutes of the longest horizon against its confidence", () => {
    // trades in minutes 0–29 only: 30 of the 60 minutes traded, the close carries 102.9 from minute 29
    const v = valuesAt(momentumAgreement, closes(PRICES.slice(0, 30)), 60 * MIN);
    // R_1 = 0 and R_20 = 0 (the close has carried 102.9 since minute 29), R_60 = ln(102.9 / 100) > 0
    expectValue(v["1m"], { score: firstScore(1 / 3, 0.7), confidence: 0.5, value: 1 });
  });
});

describe("momentum.jumps", () => {
  // 58 alternating steps of ±a, then a jump of +20a at minute 59. Day σ over the 59 returns:
  // Σr² = 58a² + 400a², mean = 20a/59, σ² = (458 − 400/59)a² / 58 = 26 622 / 3 422 · a²
  const STEPS = [...alternate(58), 20];
  const sigma = Math.sqrt(26_622 / 3_422);

  it("sums the minutes beyond 4 day σ in day σ units: x = 20 / √(26 622 / 3 422)", () => {
    const v = valuesAt(momentumJumps, closes(walk(STEPS)), 60 * MIN);
    const x = 20 / sigma;
    expect(4 * sigma).toBeLessThan(20);
    // every window holds the jump and no other minute beyond 4σ; confidence = trades / 100
    expectValue(v["1m"], { score: firstScore(x, 0.45), confidence: 0.01, value: 20 * 0.001 });
    expectValue(v["5m"], { score: firstScore(x, 1), confidence: 0.05, value: 20 * 0.001 });
    expectValue(v["1h"], { score: firstScore(x, 3.6), confidence: 0.6, value: 20 * 0.001 });
  });

  it("is bearish for a jump down", () => {
    const v = valuesAt(momentumJumps, closes(walk(neg(STEPS))), 60 * MIN);
    expectValue(v["5m"], { score: firstScore(-20 / sigma, 1), value: -20 * 0.001 });
  });

  it("reads a window without a jump as 0, and waits for an hour of bars", () => {
    // minute 60 steps a further +a: its 1m window holds no jump
    const more = [...closes(walk(STEPS)), trade(60 * MIN + 1_000, "buy", 1, walk([...STEPS, 1])[60])];
    expectValue(valuesAt(momentumJumps, more, 61 * MIN)["1m"], { score: 0, confidence: 0.01, value: 0 });
    expectUnavailable(valuesAt(momentumJumps, closes(walk(STEPS.slice(0, 29))), 30 * MIN)["1m"], "warming up: 30 of 60 minutes of bars");
  });

  it("reads a day that never moved as a measured zero", () => {
    expectValue(valuesAt(momentumJumps, closes(new Array(60).fill(100)), 60 * MIN)["5m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("momentum.seasonal", () => {
  // minute 0 opens at 100 and closes at 101; closes 102, 103, 102, 104 in minutes 1–4; quiet until
  // minute 1 439, which trades at 103 (the engine jumps the quiet stretch: a gap costs 32 cycles).
  const DAY = [trade(500, "buy", 1, 100), ...closes([101, 102, 103, 102, 104]), trade(1_439 * MIN + 1_000, "sell", 1, 103)];
  // the 1 439 close-to-close returns of the day: five that moved, the rest 0; Σr telescopes to ln(103 / 101)
  const moved = [Math.log(102 / 101), Math.log(103 / 102), Math.log(102 / 103), Math.log(104 / 102), Math.log(103 / 104)];
  const mean = Math.log(103 / 101) / 1_439;
  const sigma = Math.sqrt((moved.reduce((s, r) => s + r * r, 0) - 1_439 * mean * mean) / 1_438);

  it("reads the N minutes that followed this clock time a day ago, in day σ · √N", () => {
    const v = valuesAt(momentumSeasonal, DAY, 1_440 * MIN);
    // 1m: minute 0 from its own open, R = ln(101/100); 5m: minutes 0–4, R = ln(104/100); 1h: minutes 0–59, the same
    // (quiet after minute 4); confidence = traded minutes of the span / N: 1, 5/5, 5/60
    const r1 = Math.log(101 / 100);
    const r5 = Math.log(104 / 100);
    expectValue(v["1m"], { score: firstScore(r1 / sigma, 1), confidence: 1, value: r1 });
    expectValue(v["5m"], { score: firstScore(r5 / (sigma * Math.sqrt(5)), 1), confidence: 1, value: r5 });
    expectValue(v["1h"], { score: firstScore(r5 / (sigma * Math.sqrt(60)), 1), confidence: 5 / 60, value: r5 });
  });

  it("is bearish when that span fell, and waits for a day of bars", () => {
    const mirror = DAY.map((t) => ({ ...t, price: 10_000 / t.price }));
    const r5 = -Math.log(104 / 100);
    expectValue(valuesAt(momentumSeasonal, mirror, 1_440 * MIN)["5m"], { score: firstScore(r5 / (sigma * Math.sqrt(5)), 1), value: r5 });
    expectUnavailable(valuesAt(momentumSeasonal, DAY.slice(0, 6), 60 * MIN)["1m"], "warming up: 60 of 1440 minutes of bars");
  });

  it("reads a day that never moved as a measured zero", () => {
    const flat = [trade(1_000, "buy", 1, 100), trade(1_439 * MIN + 1_000, "sell", 1, 100)];
    expectValue(valuesAt(momentumSeasonal, flat, 1_440 * MIN)["1h"], { score: 0, confidence: 0, value: 0 });
  });
});
