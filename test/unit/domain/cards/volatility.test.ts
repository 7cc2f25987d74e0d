import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/volatility/index.js";
import { volRealized } from "../../../../src/domain/cards/volatility/realized.js";
import { volRange } from "../../../../src/domain/cards/volatility/range.js";
import { volTermStructure } from "../../../../src/domain/cards/volatility/term-structure.js";
import { volOfVol } from "../../../../src/domain/cards/volatility/of-vol.js";
import { volJumpShare } from "../../../../src/domain/cards/volatility/jump-share.js";
import { volSemivariance } from "../../../../src/domain/cards/volatility/semivariance.js";
import { volSeasonal } from "../../../../src/domain/cards/volatility/seasonal.js";
import { volRejection } from "../../../../src/domain/cards/volatility/rejection.js";
import type { BarEvent } from "../../../../src/domain/events.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import { engineFor, expectUnavailable, expectValue, firstScore, mark, S, trade, valuesAt } from "./helpers.js";

const MIN = 60_000;

/**
 * An engine cycling once a minute (the replay's cadence for bars), for sequences of a day of bars:
 * bars only change at minute boundaries, so the 10 s boundaries in between add time, not cases.
 */
const minuteEngine = (card: CardDefinition) => engineFor(card, { config: { cycleMs: MIN, biasCadenceMs: { scalp: MIN, day: 5 * MIN, swing: 5 * MIN }, catchUpMs: 5 * MIN } });
/** Garman–Klass weight of the squared open-to-close return. */
const K = 2 * Math.LN2 - 1;

/**
 * A closed one-minute bar of minute `m` ([m·60 000, m·60 000 + 59 999]) with `[open, high, low, close]`,
 * `usd` of volume without a taker split and `trades` prints.
 */
function bar(m: number, [open, high, low, close]: readonly [number, number, number, number], usd = 1_000, trades = 10): BarEvent {
  return { venue: "binance", symbol: S, kind: "bar", openTs: m * MIN, ts: m * MIN + 59_999, open, high, low, close, volumeBase: usd / close, volumeQuote: usd, takerBuyBase: null, takerBuyQuote: null, trades, closed: true };
}

/** Bars at minutes `from`, `from + 1`, ... */
function run(from: number, ohlcs: readonly (readonly [number, number, number, number])[], trades = 10): BarEvent[] {
  return ohlcs.map((o, k) => bar(from + k, o, 1_000, trades));
}

/** A minute that closes where it opened at `price`, trading between `low` and `high`. */
const still = (price: number, high: number, low: number) => [price, high, low, price] as const;
/** A minute with every print at `price`. */
const at = (price: number) => [price, price, price, price] as const;

describe("volatility cards", () => {
  it("registers eight cards with the vol prefix; all but semivariance and rejection are stress cards", () => {
    expect(CARDS.map((c) => c.id)).toEqual(["vol.realized", "vol.range", "vol.term-structure", "vol.seasonal", "vol.of-vol", "vol.jump-share", "vol.semivariance", "vol.rejection"]);
    expect(CARDS.filter((c) => c.kind !== "stress").map((c) => c.id)).toEqual(["vol.semivariance", "vol.rejection"]);
  });

  it("are each unavailable without a trade feed", () => {
    for (const card of CARDS) expectUnavailable(valuesAt(card, [mark(1_000)], 10_000)["5m"], "no trade feed");
  });

  it("read bars built from trades like closed bars", () => {
    // minute 0: trades at 100, 101, 99.5, 100.5 → O 100, H 101, L 99.5, C 100.5
    const trades = [trade(1_000, "buy", 1, 100), trade(20_000, "buy", 1, 101), trade(30_000, "sell", 1, 99.5), trade(50_000, "buy", 1, 100.5)];
    const v = valuesAt(volRealized, trades, MIN);
    const gk = 0.5 * Math.log(101 / 99.5) ** 2 - K * Math.log(100.5 / 100) ** 2;
    // 4 trades: confidence 4 / 100
    expectValue(v["1m"], { score: 0, confidence: 0.04, value: 10_000 * Math.sqrt(gk) });
  });
});

describe("vol.realized", () => {
  // prices near 10 000 so a unit is about a basis point
  const FIVE = run(0, [
    [10_000, 10_010, 9_990, 10_000], // starts at its own open (no close before it)
    [10_000, 10_020, 10_000, 10_020], // starts at the previous close 10 000
    [10_020, 10_020, 10_010, 10_010],
    at(10_010),
    [10_015, 10_030, 10_015, 10_030], // opens 5 above the previous close: the path starts at 10 010
  ]);
  const v0 = 0.5 * Math.log(10_010 / 9_990) ** 2;
  const v1 = (0.5 - K) * Math.log(10_020 / 10_000) ** 2;
  const v2 = (0.5 - K) * Math.log(10_020 / 10_010) ** 2;
  const v4 = (0.5 - K) * Math.log(10_030 / 10_010) ** 2;

  it("is the Garman–Klass σ per minute on each minute's path from the previous close, bps", () => {
    const v = valuesAt(volRealized, FIVE, 5 * MIN);
    // 1m: minute 4 alone, H 10 030, L widened to the previous close 10 010, C/O = 10 030/10 010: x ≈ 6.7 bps
    const x1 = 10_000 * Math.sqrt(v4);
    // rolling center starts at 7 bps, prior σ 5 (1m); 10 trades / 100
    expectValue(v["1m"], { score: 0, strength: Math.tanh(Math.max(0, (x1 - 7) / 5)), confidence: 0.1, value: x1 });
    // 5m: the mean of the five minutes' variances (the flat minute 3 counts as 0): x ≈ 7.8 bps
    const x5 = 10_000 * Math.sqrt((v0 + v1 + v2 + 0 + v4) / 5);
    expect(x5).toBeGreaterThan(7);
    expectValue(v["5m"], { score: 0, strength: Math.tanh((x5 - 7) / 4.5), confidence: 0.5, value: x5 });
    expectUnavailable(v["1h"], "warming up: 5 of 60 minutes of bars");
  });

  it("reads a minute without trades as the 0.1 bp floor with confidence 0", () => {
    const v = valuesAt(volRealized, FIVE, 6 * MIN);
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0.1 });
  });
});

describe("vol.range", () => {
  /** 55 minutes between 100 and 101, then five minutes climbing 2 a minute: 102, 104, ..., 110. */
  const BREAKOUT = [
    ...run(0, new Array(55).fill(still(100.5, 101, 100)), 20),
    ...run(55, [[100.5, 102, 100.5, 102], [102, 104, 102, 104], [104, 106, 104, 106], [106, 108, 106, 108], [108, 110, 108, 110]], 20),
  ];
  const bp = (h: number, l: number) => 10_000 * Math.log(h / l);
  const climb = [bp(102, 100.5), bp(104, 102), bp(106, 104), bp(108, 106), bp(110, 108)];

  it("compares the window's high–low range with the day's spans of the same length", () => {
    const v = valuesAt(volRange, BREAKOUT, 60 * MIN);
    // 1m: minute 59's range against the mean of the day's 60 one-minute ranges
    const usual1 = (55 * bp(101, 100) + climb.reduce((a, b) => a + b)) / 60;
    const x1 = Math.log(bp(110, 108) / usual1);
    // confidence min(20 trades / 100, 60 spans / 24) = 0.2
    expectValue(v["1m"], { score: 0, strength: Math.tanh(Math.max(0, x1 / 0.7)), confidence: 0.2, value: bp(110, 108) });
    // 5m: 110 / 100.5 against 11 flat spans of ln(101/100) and itself
    const r5 = bp(110, 100.5);
    const x5 = Math.log(r5 / ((11 * bp(101, 100) + r5) / 12));
    // confidence min(100 trades / 100, 12 spans / 24) = 0.5
    expectValue(v["5m"], { score: 0, strength: Math.tanh(x5 / 0.6), confidence: 0.5, value: r5 });
    expectUnavailable(v["1h"], "warming up: 60 of 240 minutes of bars");
  });

  it("reads a compressed window as x < 0 and no strength", () => {
    // 55 minutes of 2-point ranges, then five minutes of 1-point ranges
    const quiet = [...run(0, new Array(55).fill(still(101, 102, 100)), 20), ...run(55, new Array(5).fill(still(101, 101.5, 100.5)), 20)];
    const v = valuesAt(volRange, quiet, 60 * MIN);
    const r5 = bp(101.5, 100.5);
    const x5 = Math.log(r5 / ((11 * bp(102, 100) + r5) / 12));
    expect(x5).toBeLessThan(0);
    expectValue(v["5m"], { score: 0, strength: 0, confidence: 0.5, value: r5 });
  });

  it("reads 1h against four hours of hourly spans once 240 minutes exist", () => {
    // four hours of minutes between 100 and 101; the last minute reaches 103
    const hours = [...run(0, new Array(239).fill(still(100.5, 101, 100)), 20), bar(239, [100.5, 103, 100, 100.5], 1_000, 20)];
    const v = valuesAt(volRange, hours, 240 * MIN, minuteEngine(volRange));
    const r = bp(103, 100);
    const x = Math.log(r / ((3 * bp(101, 100) + r) / 4));
    // confidence min(1 200 trades / 100, 4 spans / 24) = 1/6
    expectValue(v["1h"], { score: 0, strength: Math.tanh(x / 0.5), confidence: 4 / 24, value: r });
  });
});

describe("vol.term-structure", () => {
  // 45 minutes with a 0.1 % range, 14 with 0.2 %, the last with 0.5 %; every close at 100
  const va = 0.5 * Math.log(1.001) ** 2;
  const vb = 0.5 * Math.log(1.002) ** 2;
  const vc = 0.5 * Math.log(1.005) ** 2;
  const HOUR = [...run(0, new Array(45).fill(still(100, 100.1, 100))), ...run(45, new Array(14).fill(still(100, 100.2, 100))), bar(59, still(100, 100.5, 100))];

  it("compares the σ of the last 1, 5 and 15 minutes with the σ of the hour", () => {
    const v = valuesAt(volTermStructure, HOUR, 60 * MIN);
    const hour = Math.sqrt((45 * va + 14 * vb + vc) / 60);
    const r1 = Math.sqrt(vc) / hour;
    const r5 = Math.sqrt((4 * vb + vc) / 5) / hour;
    const r15 = Math.sqrt((14 * vb + vc) / 15) / hour;
    // confidence = trades in the short span / 100: 10, 50, 150
    expectValue(v["1m"], { score: 0, strength: Math.tanh(Math.log(r1) / 0.6), confidence: 0.1, value: r1 });
    expectValue(v["5m"], { score: 0, strength: Math.tanh(Math.log(r5) / 0.35), confidence: 0.5, value: r5 });
    expectValue(v["1h"], { score: 0, strength: Math.tanh(Math.log(r15) / 0.23), confidence: 1, value: r15 });
  });

  it("gives no strength when the last minutes are calmer than the hour, and warms up for 60 minutes", () => {
    const calming = [...run(0, new Array(55).fill(still(100, 100.5, 100))), ...run(55, new Array(5).fill(still(100, 100.1, 100)))];
    const v = valuesAt(volTermStructure, calming, 60 * MIN);
    const r5 = Math.sqrt(va) / Math.sqrt((55 * vc + 5 * va) / 60);
    expectValue(v["5m"], { strength: 0, confidence: 0.5, value: r5 });
    expectUnavailable(valuesAt(volTermStructure, HOUR.slice(0, 59), 59 * MIN)["1m"], "warming up: 59 of 60 minutes of bars");
  });
});

describe("vol.semivariance", () => {
  // closes 100, 101, 99, 99, 98, 98.5: the window (minutes 1–5) ends lower, its largest moves were down
  const CLOSES = [100, 101, 99, 99, 98, 98.5];
  const bars = (closes: readonly number[]) => closes.map((c, m) => bar(m, at(c)));

  it("is bullish when the down moves carried the variance (contrarian)", () => {
    const v = valuesAt(volSemivariance, bars(CLOSES), 6 * MIN);
    const down = Math.log(99 / 101) ** 2 + Math.log(98 / 99) ** 2;
    const up = Math.log(101 / 100) ** 2 + Math.log(98.5 / 98) ** 2;
    const x = (down - up) / (down + up);
    expect(x).toBeGreaterThan(0);
    // four minutes moved (minute 3 did not): confidence 4 / 30
    expectValue(v["5m"], { score: firstScore(x, 0.65), confidence: 4 / 30, value: x });
    expectUnavailable(v["1m"], "the window holds 1 minute bar: the statistic needs at least 5");
    expectUnavailable(v["1h"], "warming up: 6 of 60 minutes of bars");
  });

  it("is bearish in the mirror, when the up moves carried it", () => {
    const v = valuesAt(volSemivariance, bars(CLOSES.map((c) => 10_000 / c)), 6 * MIN);
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("is a measured 0 over a window whose price never moved", () => {
    expectValue(valuesAt(volSemivariance, bars(CLOSES), 11 * MIN)["5m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("vol.of-vol", () => {
  it("is the coefficient of variation of the traded minutes' ranges", () => {
    // ranges ln(100.1/100) × 3 and ln(100.5/100); minute 3 has no trade and is left out
    const events = [bar(0, still(100, 100.1, 100)), bar(1, still(100, 100.1, 100)), bar(2, still(100, 100.1, 100)), bar(4, still(100, 100.5, 100))];
    const v = valuesAt(volOfVol, events, 5 * MIN);
    const rs = [Math.log(1.001), Math.log(1.001), Math.log(1.001), Math.log(1.005)].map((r) => r * 10_000);
    const mean = rs.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(rs.reduce((a, r) => a + (r - mean) ** 2, 0) / 4);
    // rolling center starts at 0.45, prior σ 0.2 (5m); 4 traded minutes / 30
    expectValue(v["5m"], { score: 0, strength: Math.tanh((sd / mean - 0.45) / 0.2), confidence: 4 / 30, value: sd / mean });
    expectUnavailable(v["1m"], "the window holds 1 minute bar: the statistic needs at least 5");
    expectUnavailable(v["1h"], "warming up: 5 of 60 minutes of bars");
  });

  it("reads even minutes as 0 and fewer than two traded minutes as a measured 0 with confidence 0", () => {
    const even = run(0, new Array(5).fill(still(100, 100.2, 100)));
    expectValue(valuesAt(volOfVol, even, 5 * MIN)["5m"], { strength: 0, confidence: 5 / 30, value: 0 });
    expectValue(valuesAt(volOfVol, even, 9 * MIN)["5m"], { strength: 0, confidence: 0, value: 0 });
  });
});

describe("vol.jump-share", () => {
  it("reads one jump among small moves as the share of variance bipower variation does not explain", () => {
    // closes 100, 100.1, 100, 100.1, 100, 102: four small moves, then a 2 % jump
    const events = [100, 100.1, 100, 100.1, 100, 102].map((c, m) => bar(m, at(c)));
    const v = valuesAt(volJumpShare, events, 6 * MIN);
    const r = [Math.log(100.1 / 100), Math.log(100 / 100.1), Math.log(100.1 / 100), Math.log(100 / 100.1), Math.log(102 / 100)];
    const rv = r.reduce((a, x) => a + x * x, 0);
    let pairs = 0;
    for (let i = 1; i < 5; i++) pairs += Math.abs(r[i]) * Math.abs(r[i - 1]);
    // BV = (π/2) · 5/4 · Σ |r_i||r_i−1|
    const x = (rv - (Math.PI / 2) * (5 / 4) * pairs) / rv;
    expect(x).toBeGreaterThan(0.5);
    expectValue(v["5m"], { score: 0, strength: Math.tanh(x / 0.4), confidence: 5 / 30, value: x });
    expectUnavailable(v["1m"], "the window holds 1 minute bar");
  });

  it("reads moves of one size as 1 − π/2 (no jump, no strength); a still window is a measured 0", () => {
    const steady = [100, 101, 100, 101, 100, 101].map((c, m) => bar(m, at(c)));
    // |r| alike: RV = 5a², BV = (π/2)·(5/4)·4a²: x = 1 − π/2 (ln(101/100) and ln(100/101) share |a|)
    expectValue(valuesAt(volJumpShare, steady, 6 * MIN)["5m"], { strength: 0, confidence: 5 / 30, value: 1 - Math.PI / 2 });
    expectValue(valuesAt(volJumpShare, steady, 11 * MIN)["5m"], { strength: 0, confidence: 0, value: 0 });
  });
});

describe("vol.seasonal", () => {
  const va = 0.5 * Math.log(1.001) ** 2;
  const v3 = 0.5 * Math.log(1.003) ** 2;
  const vc = 0.5 * Math.log(1.005) ** 2;
  /**
   * A day of minutes closing at 100: ranges of 0.1 %, except the first hour (0.3 %) and its first
   * minute (0.5 %). At 1 440 minutes the bars hold minutes 0–1 439: minute 0 is the one that
   * followed this clock time a day ago.
   */
  const DAY = [bar(0, still(100, 100.5, 100)), ...run(1, new Array(59).fill(still(100, 100.3, 100))), ...run(60, new Array(1_380).fill(still(100, 100.1, 100)))];

  it("compares the minutes that followed this clock time yesterday with the window", () => {
    const v = valuesAt(volSeasonal, DAY, 1_440 * MIN, minuteEngine(volSeasonal));
    // 1m: minute 0 against minute 1 439; confidence min(10, 10) / 100
    const r1 = Math.sqrt(vc / va);
    expectValue(v["1m"], { score: 0, strength: Math.tanh(Math.log(r1) / 0.9), confidence: 0.1, value: r1 });
    // 5m: minutes 0–4 against 1 435–1 439
    const r5 = Math.sqrt((vc + 4 * v3) / 5 / va);
    expectValue(v["5m"], { score: 0, strength: Math.tanh(Math.log(r5) / 0.65), confidence: 0.5, value: r5 });
    // 1h: minutes 0–59 against 1 380–1 439
    const r60 = Math.sqrt((vc + 59 * v3) / 60 / va);
    expectValue(v["1h"], { score: 0, strength: Math.tanh(Math.log(r60) / 0.55), confidence: 1, value: r60 });
  }, 30_000);

  it("gives no strength when now is more volatile than what usually follows, and warms up for a day", () => {
    const hot = [...run(0, new Array(1_439).fill(still(100, 100.1, 100))), bar(1_439, still(100, 100.5, 100))];
    expectValue(valuesAt(volSeasonal, hot, 1_440 * MIN, minuteEngine(volSeasonal))["1m"], { strength: 0, confidence: 0.1, value: Math.sqrt(va / vc) });
    expectUnavailable(valuesAt(volSeasonal, DAY.slice(0, 100), 100 * MIN)["1h"], "warming up: 100 of 1440 minutes of bars");
  }, 30_000);
});

describe("vol.rejection", () => {
  it("is bullish when the minute traded far below where it started and closed (1m)", () => {
    // one minute: O 100, H 101, L 98, C 100.5: lower shadow ln(100/98), upper ln(101/100.5)
    const v = valuesAt(volRejection, [bar(0, [100, 101, 98, 100.5])], MIN);
    const x = (Math.log(100 / 98) - Math.log(101 / 100.5)) / Math.log(101 / 98);
    expect(x).toBeGreaterThan(0);
    // prior σ 0.38 (1m); 10 trades / 100
    expectValue(v["1m"], { score: firstScore(x, 0.38), confidence: 0.1, value: x });
  });

  it("sums shadows over the window on each minute's path from the previous close (5m)", () => {
    const events = [
      bar(0, [100, 101, 98, 100.5]),
      bar(1, [100.6, 101, 100, 100.2]), // starts at 100.5: lower ln(100.2/100), upper ln(101/100.5), range ln(101/100)
      bar(2, at(100.2)),
      // minute 3: no trade
      bar(4, [100.3, 100.9, 100.3, 100.9]), // starts at 100.2: L widened to 100.2, no shadows, range ln(100.9/100.2)
    ];
    const v = valuesAt(volRejection, events, 5 * MIN);
    const net = Math.log(100 / 98) - Math.log(101 / 100.5) + Math.log(100.2 / 100) - Math.log(101 / 100.5);
    const range = Math.log(101 / 98) + Math.log(101 / 100) + Math.log(100.9 / 100.2);
    // prior σ 0.17 (5m); 40 trades / 100
    expectValue(v["5m"], { score: firstScore(net / range, 0.17), confidence: 0.4, value: net / range });
    // 1m: minute 4 has no shadow: 0
    expectValue(v["1m"], { score: 0, confidence: 0.1, value: 0 });
  });

  it("is bearish for an upper shadow; a window whose price never moved is a measured 0; warms up", () => {
    expect(valuesAt(volRejection, [bar(0, [100, 102, 99.5, 99.8])], MIN)["1m"].score).toBeLessThan(0);
    expectValue(valuesAt(volRejection, [bar(0, [100, 101, 98, 100.5])], 2 * MIN)["1m"], { score: 0, confidence: 0, value: 0 });
    expectUnavailable(valuesAt(volRejection, [bar(0, [100, 101, 98, 100.5])], MIN)["5m"], "warming up: 1 of 5 minutes of bars");
  });
});
