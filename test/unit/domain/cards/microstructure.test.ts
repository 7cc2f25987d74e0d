import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/microstructure/index.js";
import { microArrivalRate } from "../../../../src/domain/cards/microstructure/arrival-rate.js";
import { microRateAcceleration } from "../../../../src/domain/cards/microstructure/rate-acceleration.js";
import { microClustering } from "../../../../src/domain/cards/microstructure/clustering.js";
import { microTradeSize } from "../../../../src/domain/cards/microstructure/trade-size.js";
import { microKyleLambda } from "../../../../src/domain/cards/microstructure/kyle-lambda.js";
import { microImpactAsymmetry } from "../../../../src/domain/cards/microstructure/impact-asymmetry.js";
import { microRollSpread } from "../../../../src/domain/cards/microstructure/roll-spread.js";
import { microTickDirection } from "../../../../src/domain/cards/microstructure/tick-direction.js";
import type { TradeEvent } from "../../../../src/domain/events.js";
import { expectUnavailable, expectValue, firstScore, mark, trade, valuesAt } from "./helpers.js";

/** Event time of second `s` (may be fractional) of minute `m`. */
const at = (m: number, s: number) => m * 60_000 + s * 1_000;

/** `counts[m]` buys of `qty` at 100 in minute m, one every 0.1 s from its first second. */
function perMinute(counts: readonly number[], qty = 1): TradeEvent[] {
  const out: TradeEvent[] = [];
  counts.forEach((n, m) => {
    for (let k = 0; k < n; k++) out.push(trade(at(m, 1 + k * 0.1), "buy", qty, 100));
  });
  return out;
}

/**
 * A day of 60 minutes: minutes 0–58 one buy of 1 at 100 (100 USD); minute 59 31 trades of 2 at 100
 * (200 USD each, alternating sides). 90 trades, 12 100 USD: 1.5 trades per minute.
 */
const DAY: TradeEvent[] = [
  ...perMinute(new Array(59).fill(1)),
  ...Array.from({ length: 31 }, (_, k) => trade(at(59, 1 + k * 0.1), k % 2 === 0 ? "buy" : "sell", 2, 100)),
];

/**
 * Five minutes of net flow and closes (qty in thousands so λ is a small number):
 * m0 buy 2 000 000 USD at 100 (r = 0: the first minute counts from its own open);
 * m1 buy 1 010 000 at 101 (r1 = ln 1.01); m2 sell 2 000 000 at 100 (r2 = ln(100/101));
 * m3 sell 1 000 000 at 100 (r = 0); m4 buy 1 020 000 at 102 (r4 = ln 1.02).
 */
const FIVE: TradeEvent[] = [
  trade(at(0, 1), "buy", 20_000, 100),
  trade(at(1, 1), "buy", 10_000, 101),
  trade(at(2, 1), "sell", 20_000, 100),
  trade(at(3, 1), "sell", 10_000, 100),
  trade(at(4, 1), "buy", 10_000, 102),
];
const r = [0, Math.log(101 / 100), Math.log(100 / 101), 0, Math.log(102 / 100)];
const q = [2_000_000, 1_010_000, -2_000_000, -1_000_000, 1_020_000];

describe("microstructure cards", () => {
  it("registers eight cards with the micro prefix; six are stress cards", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "micro.arrival-rate",
      "micro.rate-acceleration",
      "micro.clustering",
      "micro.trade-size",
      "micro.kyle-lambda",
      "micro.impact-asymmetry",
      "micro.roll-spread",
      "micro.tick-direction",
    ]);
    expect(CARDS.filter((c) => c.kind !== "stress").map((c) => c.id)).toEqual(["micro.impact-asymmetry", "micro.tick-direction"]);
  });

  it("are each unavailable without a trade feed", () => {
    for (const card of CARDS) expectUnavailable(valuesAt(card, [mark(1_000)], 10_000)["5m"], "no trade feed");
  });
});

describe("micro.arrival-rate", () => {
  it("compares the window's trades with the day's rate: 1m x = ln((31 + 1) / (1.5 + 1))", () => {
    const v = valuesAt(microArrivalRate, DAY, 3_600_000);
    // 1m: minute 59, n = 31, n̄ = 90 / 60 · 1 = 1.5; confidence 1.5 / 100; value 31 / 1.5
    expectValue(v["1m"], { score: 0, strength: Math.tanh(Math.log(32 / 2.5) / 0.7), confidence: 0.015, value: 31 / 1.5 });
    // 5m: minutes 55–59, n = 4 + 31 = 35, n̄ = 7.5
    expectValue(v["5m"], { score: 0, strength: Math.tanh(Math.log(36 / 8.5) / 0.55), confidence: 0.075, value: 35 / 7.5 });
    // 1h: the window is the day: n = n̄ = 90, x = 0
    expectValue(v["1h"], { score: 0, strength: 0, confidence: 0.9, value: 1 });
  });

  it("gives no strength to a quiet window, and warms up for 60 minutes", () => {
    const v = valuesAt(microArrivalRate, DAY, 3_660_000);
    // 1m window [3 600 000, 3 660 000) has no trade: x = ln(1 / (n̄ + 1)) < 0; n̄ = 90 / 61
    expectValue(v["1m"], { strength: 0, confidence: 90 / 61 / 100, value: 0 });
    expectUnavailable(valuesAt(microArrivalRate, DAY.slice(0, 1), 60_000)["1m"], "warming up: 1 of 60 minutes of bars");
  });
});

describe("micro.trade-size", () => {
  it("compares the window's mean print with the day's: 1m x = ln(200 / (12 100 / 90))", () => {
    const v = valuesAt(microTradeSize, DAY, 3_600_000);
    const day = 12_100 / 90;
    expectValue(v["1m"], { score: 0, strength: Math.tanh(Math.log(200 / day) / 0.5), confidence: 0.31, value: 200 });
    // 5m: (4 · 100 + 31 · 200) / 35 = 6 600 / 35
    expectValue(v["5m"], { score: 0, strength: Math.tanh(Math.log(6_600 / 35 / day) / 0.4), confidence: 0.35, value: 6_600 / 35 });
    expectValue(v["1h"], { strength: 0, confidence: 0.9, value: day });
  });

  it("gives no strength to smaller-than-usual prints; unavailable without trades in the window or before 60 minutes", () => {
    // minute 59 prints 31 trades of 50 USD: the day holds 5 900 + 1 550 = 7 450 USD in 90 trades
    const small = [...DAY.slice(0, 59), ...Array.from({ length: 31 }, (_, k) => trade(at(59, 1 + k * 0.1), "sell", 0.5, 100))];
    const v = valuesAt(microTradeSize, small, 3_600_000);
    expect(50 / (7_450 / 90)).toBeLessThan(1);
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0.31, value: 50 });
    expectUnavailable(valuesAt(microTradeSize, DAY, 3_660_000)["1m"], "no trades in the window");
    expectUnavailable(valuesAt(microTradeSize, DAY.slice(0, 1), 60_000)["1m"], "warming up: 1 of 60 minutes of bars");
  });
});

describe("micro.rate-acceleration", () => {
  it("compares the last N minutes' trades with the N before: 1m x = ln((5 + 1) / (2 + 1))", () => {
    const v = valuesAt(microRateAcceleration, perMinute([2, 5]), 120_000);
    expectValue(v["1m"], { score: 0, strength: Math.tanh(Math.log(2) / 0.6), confidence: 0.07, value: Math.log(2) });
    expectUnavailable(v["5m"], "warming up: 2 of 10 minutes of bars");
  });

  it("reads 5m from minutes 5–9 against 0–4: x = ln((15 + 1) / (5 + 1))", () => {
    const v = valuesAt(microRateAcceleration, perMinute([1, 1, 1, 1, 1, 3, 3, 3, 3, 3]), 600_000);
    expectValue(v["5m"], { score: 0, strength: Math.tanh(Math.log(16 / 6) / 0.45), confidence: 0.2, value: Math.log(16 / 6) });
  });

  it("gives no strength to a slowing rate, and warms up", () => {
    const v = valuesAt(microRateAcceleration, perMinute([5, 2]), 120_000);
    expectValue(v["1m"], { strength: 0, confidence: 0.07, value: Math.log(3 / 6) });
    expectUnavailable(valuesAt(microRateAcceleration, perMinute([5]), 60_000)["1m"], "warming up: 1 of 2 minutes of bars");
  });
});

describe("micro.clustering", () => {
  it("reads bursts beyond Poisson noise: counts 1, 1, 1, 1, 6 give μ = 2, v = 40/5 − 4 = 4, x = (4 − 2) / 4 = 0.5", () => {
    const v = valuesAt(microClustering, perMinute([1, 1, 1, 1, 6]), 300_000);
    // rolling center starts at 0.2, prior σ 0.4 on 5m; confidence 10 / 100
    expectValue(v["5m"], { score: 0, strength: Math.tanh((0.5 - 0.2) / 0.4), confidence: 0.1, value: 0.5 });
  });

  it("reads an even rate below Poisson as no stress: counts 2 × 5 give x = (0 − 2) / 4", () => {
    const v = valuesAt(microClustering, perMinute([2, 2, 2, 2, 2]), 300_000);
    expectValue(v["5m"], { strength: 0, confidence: 0.1, value: -0.5 });
  });

  it("is unavailable on 1m and while warming up, a measured zero for a window without trades", () => {
    const v = valuesAt(microClustering, perMinute([1, 1, 1, 1, 6]), 300_000);
    expectUnavailable(v["1m"], "the window holds 1 minute bar: the statistic needs at least 5");
    expectUnavailable(v["1h"], "warming up: 5 of 60 minutes of bars");
    expectValue(valuesAt(microClustering, perMinute([1, 1, 1, 1, 6]), 600_000)["5m"], { strength: 0, confidence: 0, value: 0 });
  });
});

describe("micro.kyle-lambda", () => {
  it("standardizes the regression of minute returns on net flow: x = Σ r·q / √(Σ r² · Σ q²)", () => {
    const v = valuesAt(microKyleLambda, FIVE, 300_000);
    let rq = 0;
    let rr = 0;
    let qq = 0;
    for (let i = 0; i < 5; i++) {
      rq += r[i] * q[i];
      rr += r[i] * r[i];
      qq += q[i] * q[i];
    }
    // = (1 010 000 · ln 1.01 + 2 000 000 · ln(101/100) + 1 020 000 · ln 1.02) / √(…); λ = Σ r·q / Σ q² in bps per 1 M USD
    const x = rq / Math.sqrt(rr * qq);
    expect(x).toBeGreaterThan(0.4);
    // rolling center starts at 0.4, prior σ 0.35 on 5m; confidence 5 traded minutes / 30
    expectValue(v["5m"], { score: 0, strength: Math.tanh((x - 0.4) / 0.35), confidence: 5 / 30, value: (rq / qq) * 1e10 });
    expectUnavailable(v["1m"], "the window holds 1 minute bar: the statistic needs at least 5");
    expectUnavailable(v["1h"], "warming up: 5 of 60 minutes of bars");
  });

  it("reads a price that never moved as no impact (x = 0), and minutes without flow as a measured zero", () => {
    const flat = valuesAt(microKyleLambda, perMinute([1, 1, 1, 1, 1]), 300_000);
    expectValue(flat["5m"], { strength: 0, confidence: 5 / 30, value: 0 });
    expectValue(valuesAt(microKyleLambda, FIVE, 600_000)["5m"], { strength: 0, confidence: 0, value: 0 });
  });
});

describe("micro.impact-asymmetry", () => {
  it("is bullish when buying minutes move price more per dollar than selling minutes", () => {
    const v = valuesAt(microImpactAsymmetry, FIVE, 300_000);
    // λ_buy = (0 + r1 + r4) / (2 000 000 + 1 010 000 + 1 020 000); λ_sell = (r2 + 0) / (−2 000 000 − 1 000 000)
    const up = (r[0] + r[1] + r[4]) / (q[0] + q[1] + q[4]);
    const down = (r[2] + r[3]) / (q[2] + q[3]);
    const x = (up - down) / (Math.abs(up) + Math.abs(down));
    expect(x).toBeGreaterThan(0);
    // confidence = min(3 buying, 2 selling minutes) / 15
    expectValue(v["5m"], { score: firstScore(x, 0.5), confidence: 2 / 15, value: x });
    expectUnavailable(v["1m"], "the window holds 1 minute bar");
  });

  it("is bearish in the mirror: selling minutes move price more per dollar", () => {
    const mirror = FIVE.map((t) => ({ ...t, side: t.side === "buy" ? ("sell" as const) : ("buy" as const), price: 10_000 / t.price }));
    const v = valuesAt(microImpactAsymmetry, mirror, 300_000);
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("is unavailable with one side only, and a measured zero without trades", () => {
    expectUnavailable(valuesAt(microImpactAsymmetry, perMinute([1, 1, 1, 1, 1]), 300_000)["5m"], "only net-buying minutes in the window: no selling impact to compare");
    expectValue(valuesAt(microImpactAsymmetry, FIVE, 600_000)["5m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("micro.roll-spread", () => {
  it("implies a spread from the bounce of minute returns: γ₁ = r1·r2 / 4, s = 2√(−γ₁)", () => {
    const v = valuesAt(microRollSpread, FIVE, 300_000);
    // returns 0, r1, r2, 0, r4: only the pair (r1, r2) is non-zero; γ₀ = (r1² + r2² + r4²) / 5
    const g1 = (r[1] * r[2]) / 4;
    const g0 = (r[1] * r[1] + r[2] * r[2] + r[4] * r[4]) / 5;
    const x = 2 * Math.sqrt(-g1 / g0);
    // rolling center starts at 0.5, prior σ 0.4 on 5m; value in bps; confidence 5 / 30
    expectValue(v["5m"], { score: 0, strength: Math.tanh(Math.max(0, (x - 0.5) / 0.4)), confidence: 5 / 30, value: 2 * Math.sqrt(-g1) * 10_000 });
    expectUnavailable(v["1m"], "the window holds 1 minute bar");
  });

  it("implies no spread when returns trend (positive serial covariance)", () => {
    const trend = [100, 101, 102, 103, 104].map((p, m) => trade(at(m, 1), "buy", 1, p));
    expectValue(valuesAt(microRollSpread, trend, 300_000)["5m"], { strength: 0, confidence: 5 / 30, value: 0 });
  });
});

describe("micro.tick-direction", () => {
  it("weights up- and down-minutes by their trades: 5m x = (3 − 1 + 4) / 10", () => {
    const events = [
      trade(at(0, 1), "buy", 1, 100),
      trade(at(0, 2), "sell", 1, 100), // m0: 100 → 100, sign 0, 2 trades
      trade(at(1, 1), "buy", 1, 100.5),
      trade(at(1, 2), "buy", 1, 101),
      trade(at(1, 3), "sell", 1, 101), // m1: up, 3 trades
      trade(at(2, 1), "sell", 1, 100.5), // m2: down, 1 trade
      trade(at(3, 1), "buy", 1, 101),
      trade(at(3, 2), "buy", 1, 101.5),
      trade(at(3, 3), "buy", 1, 102),
      trade(at(3, 4), "sell", 1, 102), // m3: up, 4 trades; m4: no trade
    ];
    const v = valuesAt(microTickDirection, events, 300_000);
    expectValue(v["5m"], { score: firstScore(0.6, 0.45), confidence: 0.1, value: 0.6 });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("reads one rising minute as +1 and one falling minute as −1 on 1m", () => {
    expectValue(valuesAt(microTickDirection, [trade(at(0, 1), "buy", 1, 100), trade(at(0, 2), "buy", 1, 101)], 60_000)["1m"], { score: firstScore(1, 0.8), confidence: 0.02, value: 1 });
    expectValue(valuesAt(microTickDirection, [trade(at(0, 1), "sell", 1, 101), trade(at(0, 2), "sell", 1, 100)], 60_000)["1m"], { score: firstScore(-1, 0.8), value: -1 });
  });

  it("is a measured zero for a minute without trades, and warms up", () => {
    const v = valuesAt(microTickDirection, [trade(at(0, 1), "buy", 1, 100)], 120_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
    expectUnavailable(v["5m"], "warming up: 2 of 5 minutes of bars");
  });
});
