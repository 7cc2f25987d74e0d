import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/divergence/index.js";
import { divergenceCvd } from "../../../../src/domain/cards/divergence/cvd.js";
import { divergenceHidden } from "../../../../src/domain/cards/divergence/hidden.js";
import { divergenceLiquidations } from "../../../../src/domain/cards/divergence/liquidations.js";
import { divergenceMomentum } from "../../../../src/domain/cards/divergence/momentum.js";
import { divergenceOi } from "../../../../src/domain/cards/divergence/oi.js";
import { divergenceTimeframes } from "../../../../src/domain/cards/divergence/timeframes.js";
import { divergencePremium } from "../../../../src/domain/cards/divergence/premium.js";
import { divergenceVolume } from "../../../../src/domain/cards/divergence/volume.js";
import { swingOf } from "../../../../src/domain/cards/divergence/swing.js";
import type { BarSeries } from "../../../../src/domain/inputs/bar-ring.js";
import type { BarEvent, CanonicalEvent, TradeEvent, Venue } from "../../../../src/domain/events.js";
import { expectUnavailable, expectValue, firstScore, liq, mark, oi, S, trade, valuesAt } from "./helpers.js";

const MIN = 60_000;

/** One trade per minute from minute `first`: at second 1 of minute `first + k`, `sides[k]` (buy by default) of `qty[k]` (1 by default) at `prices[k]`. */
function tape(prices: readonly number[], o: { first?: number; sides?: readonly ("buy" | "sell")[]; qty?: readonly number[]; venue?: Venue } = {}): TradeEvent[] {
  const first = o.first ?? 0;
  return prices.map((p, k) => trade((first + k) * MIN + 1_000, o.sides?.[k] ?? "buy", o.qty?.[k] ?? 1, p, o.venue ?? "binance"));
}

/** A closed bar of minute `m` at one price, `usd` traded, with no taker split (Bybit, OKX, Hyperliquid candles). */
function unsidedBar(m: number, price: number, usd: number, venue: Venue = "bybit"): BarEvent {
  return {
    venue,
    symbol: S,
    kind: "bar",
    openTs: m * MIN,
    ts: m * MIN + 59_999,
    open: price,
    high: price,
    low: price,
    close: price,
    volumeBase: usd / price,
    volumeQuote: usd,
    takerBuyBase: null,
    takerBuyQuote: null,
    trades: 1,
    closed: true,
  };
}

/** Prices 100 · 1.01^level: every step between neighbouring levels is the same log return ±ln 1.01. */
const level = (k: number) => 100 * 1.01 ** k;

// Ten minutes whose later half closes at a higher high (103 > 102) and not at a lower low (101 > 100).
// A = minutes 0–4 (high 102 at minute 2, low 100 at minute 4, the later of two), B = 5–9 (high 103 at 7, low 101 at 9).
const RISE = [100, 101, 102, 101, 100, 101, 102, 103, 102, 101];
// Its mirror: a lower low (97 < 98) and no higher high. A: low 98 at minute 2, high 100 at minute 4; B: low 97 at 7, high 99 at 9.
const FALL = [100, 99, 98, 99, 100, 99, 98, 97, 98, 99];

describe("divergence cards", () => {
  it("registers eight directional cards with the divergence prefix", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "divergence.cvd",
      "divergence.volume",
      "divergence.momentum",
      "divergence.hidden",
      "divergence.timeframes",
      "divergence.oi",
      "divergence.liquidations",
      "divergence.premium",
    ]);
    for (const c of CARDS) expect(c.kind ?? "directional", c.id).toBe("directional");
  });

  it("are each unavailable without a trade feed", () => {
    for (const card of CARDS) {
      const v = valuesAt(card, [mark(1_000, { indexPrice: 100 }), oi(1_000, 1_000), liq(2_000, "long", 1_000)], 10_000);
      expectUnavailable(v["1m"], "no trade feed");
    }
  });

  it("are each unavailable while the bars do not reach their lookback", () => {
    // 9 complete minutes: the 1m lookback needs 10 (the oscillator cards 10 + 14, timeframes 1 + 60, oi and premium 1 + 10)
    const events = [...tape([100, 100, 100, 100, 100, 100, 100, 100, 100]), oi(1_000, 1_000), liq(2_000, "long", 100), mark(3_000, { indexPrice: 100 })].sort((a, b) => a.ts - b.ts);
    const need: Record<string, number> = { "divergence.momentum": 24, "divergence.hidden": 24, "divergence.timeframes": 61, "divergence.oi": 11, "divergence.premium": 11 };
    for (const card of CARDS) {
      const v = valuesAt(card, events, 9 * MIN);
      expectUnavailable(v["1m"], `warming up: 9 of ${need[card.id] ?? 10} minutes of bars`);
    }
    expectUnavailable(valuesAt(divergenceCvd, events, 9 * MIN)["5m"], "warming up: 9 of 30 minutes of bars");
    expectUnavailable(valuesAt(divergenceCvd, events, 9 * MIN)["1h"], "warming up: 9 of 60 minutes of bars");
  });
});

describe("swing of the lookback", () => {
  it("splits the last N minutes in halves and takes each half's highest and lowest close, the latest on ties", () => {
    const close = Float64Array.from([50, ...RISE]);
    const s = swingOf({ length: close.length, close } as unknown as BarSeries, 10);
    // minute 0 (50) is outside the lookback; the lookback is indexes 1–10
    expect(s).toMatchObject({ from: 1, mid: 6, to: 11, hiA: 3, loA: 5, hiB: 8, loB: 10, higherHigh: true, lowerLow: false, higherLow: true, lowerHigh: false });
  });
});

describe("divergence.cvd", () => {
  // RISE with these takers: CVD (buyUsd − sellUsd, cumulative) = 100, 201, 303 (high A), 202, 102, 203, 101, 204 (high B), 102, 1
  const sides = ["buy", "buy", "buy", "sell", "sell", "buy", "sell", "buy", "sell", "sell"] as const;
  const volume = 100 + 101 + 102 + 101 + 100 + 101 + 102 + 103 + 102 + 101; // 1 013 USD

  it("reads a higher high made while takers net sold as bearish: bear = 303 − 204 = 99 USD of 1 013", () => {
    const v = valuesAt(divergenceCvd, tape(RISE, { sides }), 10 * MIN);
    expectValue(v["1m"], { score: firstScore(-99 / volume, 0.05), strength: firstScore(99 / volume, 0.05), confidence: 0.1, value: -99 });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("reads a lower low made while takers net bought as bullish", () => {
    // FALL with mirrored takers: CVD = −100, −199, −297 (low A), −198, −98, −197, −99, −196 (low B), −98, 1
    const mirrored = ["sell", "sell", "sell", "buy", "buy", "sell", "buy", "sell", "buy", "buy"] as const;
    const v = valuesAt(divergenceCvd, tape(FALL, { sides: mirrored }), 10 * MIN);
    // bull = −196 − (−297) = 101; V = 100 + 99 + 98 + 99 + 100 + 99 + 98 + 97 + 98 + 99 = 987
    expectValue(v["1m"], { score: firstScore(101 / 987, 0.05), confidence: 0.1, value: 101 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads the 5m lookback of 30 minutes, and is a measured 0 where the new high was bought", () => {
    // minutes 0–29 buy 1 @ 100, except minute 10 @ 105 (high A), 25 @ 106 (high B), and 20, 21 selling 10 @ 100
    const prices = Array.from({ length: 30 }, (_, m) => (m === 10 ? 105 : m === 25 ? 106 : 100));
    const sides30 = prices.map((_, m) => (m === 20 || m === 21 ? "sell" : "buy"));
    const qty = prices.map((_, m) => (m === 20 || m === 21 ? 10 : 1));
    const v = valuesAt(divergenceCvd, tape(prices, { sides: sides30, qty }), 30 * MIN);
    // CVD(10) = 10 · 100 + 105 = 1 105; CVD(25) = 1 105 + 9 · 100 − 2 000 + 3 · 100 + 106 = 411; bear = 694
    // V = 26 · 100 + 105 + 106 + 2 000 = 4 811; 30 trades
    expectValue(v["5m"], { score: firstScore(-694 / 4_811, 0.035), confidence: 0.3, value: -694 });
    // 1m lookback = minutes 20–29: A closes all 100 (high at 24, CVD −1 700), B's high 106 at 25 (CVD −1 594): bought, no bear
    expectValue(v["1m"], { score: 0, confidence: 0.1, value: 0 });
  });

  it("is unavailable when a minute of the lookback has volume of unknown taker side", () => {
    const events = [...tape(RISE.slice(0, 9), { sides }), unsidedBar(9, 101, 101)];
    expectUnavailable(valuesAt(divergenceCvd, events, 10 * MIN)["1m"], "taker side unknown for some of the window's minutes");
  });
});

describe("divergence.volume", () => {
  it("reads a higher high on half the volume per minute as bearish: x = −ln(201.6 / 101.8)", () => {
    const v = valuesAt(divergenceVolume, tape(RISE, { qty: [2, 2, 2, 2, 2, 1, 1, 1, 1, 1] }), 10 * MIN);
    // V_A = 2 · (100 + 101 + 102 + 101 + 100) / 5 = 201.6 USD a minute; V_B = (101 + 102 + 103 + 102 + 101) / 5 = 101.8
    const x = -Math.log(201.6 / 101.8);
    expectValue(v["1m"], { score: firstScore(x, 0.35), confidence: 0.1, value: x });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("reads a lower low on shrinking volume as bullish, counting bars without a taker split", () => {
    // minutes 5–9 are bars of a venue without a taker split, each trading its close in USD
    const events = [...tape(FALL.slice(0, 5), { qty: [2, 2, 2, 2, 2] }), ...FALL.slice(5).map((p, k) => unsidedBar(5 + k, p, p))];
    const v = valuesAt(divergenceVolume, events, 10 * MIN);
    // V_A = 2 · (100 + 99 + 98 + 99 + 100) / 5 = 198.4; V_B = (99 + 98 + 97 + 98 + 99) / 5 = 98.2
    const x = Math.log(198.4 / 98.2);
    expectValue(v["1m"], { score: firstScore(x, 0.35), confidence: 0.1, value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is a measured 0 when the new high came on expanding volume", () => {
    const v = valuesAt(divergenceVolume, tape(RISE, { qty: [1, 1, 1, 1, 1, 2, 2, 2, 2, 2] }), 10 * MIN);
    expectValue(v["1m"], { score: 0, confidence: 0.1, value: 0 });
  });
});

describe("divergence.momentum and divergence.hidden", () => {
  // 24 minutes at levels 0, 1, …, 13 (a steady rise) then the lookback (minutes 14–23).
  const prefix = Array.from({ length: 14 }, (_, k) => k);

  it("momentum: a higher high on a weaker oscillator is bearish, x = −(1 − 5/7)", () => {
    // lookback levels: A 14, 15, 16 (high, minute 16), 15, 14; B 15, 16, 17 (higher high, minute 21), 16, 15
    const levels = [...prefix, 14, 15, 16, 15, 14, 15, 16, 17, 16, 15];
    const v = valuesAt(divergenceMomentum, tape(levels.map(level)), 24 * MIN);
    // M(16): the 14 steps into minute 16 are all up: 1. M(21): steps 8–16 up, 17, 18 down, 19–21 up: (12 − 2) / 14 = 5/7
    expectValue(v["1m"], { score: firstScore(-2 / 7, 0.08), confidence: 0.1, value: -2 / 7 });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 24 of 44 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 24 of 74 minutes of bars");
  });

  it("momentum: the mirror, a lower low on a stronger oscillator, is bullish", () => {
    const levels = [...prefix, 14, 15, 16, 15, 14, 15, 16, 17, 16, 15].map((k) => -k);
    const v = valuesAt(divergenceMomentum, tape(levels.map(level)), 24 * MIN);
    // M(low A) = −1, M(low B) = −5/7: bull = 2/7
    expectValue(v["1m"], { score: firstScore(2 / 7, 0.08), value: 2 / 7 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  // An uptrend whose pullback dipped hard: A 14, 13 (low, minute 15), 14, 15, 16 (high, 18); B 15, 14 (higher low, minute 20), 15, 16, 17 (higher high, 23)
  const uptrend = [...prefix, 14, 13, 14, 15, 16, 15, 14, 15, 16, 17];

  it("hidden: a higher low on a lower oscillator in an uptrend is bullish, where momentum reads the higher high as bearish", () => {
    const events = tape(uptrend.map(level));
    // M(15): steps 2–14 up, 15 down: 12/14. M(20): steps 7–14 up, 15 down, 16–18 up, 19, 20 down: (11 − 3)/14 = 8/14
    const hidden = valuesAt(divergenceHidden, events, 24 * MIN);
    expectValue(hidden["1m"], { score: firstScore(4 / 14, 0.075), confidence: 0.1, value: 4 / 14 });
    expect(hidden["1m"].score).toBeGreaterThan(0);
    // the same tape's highs: M(18) = (13 − 1)/14, M(23) = (11 − 3)/14: the regular divergence bear = 4/14
    expectValue(valuesAt(divergenceMomentum, events, 24 * MIN)["1m"], { value: -4 / 14 });
  });

  it("hidden: a lower high on a higher oscillator in a downtrend is bearish, and no trend structure reads 0", () => {
    const down = valuesAt(divergenceHidden, tape(uptrend.map((k) => level(-k))), 24 * MIN);
    // M(high A) = −12/14, M(high B) = −8/14: bear = 4/14
    expectValue(down["1m"], { score: firstScore(-4 / 14, 0.075), value: -4 / 14 });
    expect(down["1m"].score).toBeLessThan(0);
    // an expanding range (higher high and lower low) is no trend: 0
    const expanding = [...prefix, 14, 15, 16, 15, 14, 15, 16, 17, 16, 13];
    expectValue(valuesAt(divergenceHidden, tape(expanding.map(level)), 24 * MIN)["1m"], { score: 0, confidence: 0.1, value: 0 });
  });
});

describe("divergence.timeframes", () => {
  const pullback = (r: number) => 100 * Math.sqrt(Math.log(102 / r) * Math.log(1.02));

  it("reads a 1m dip after an hour's rise as bullish: x = 100 · √(ln(102/101.5) · ln(1.02))", () => {
    // minute 0 @ 100, quiet until minute 59 @ 102, minute 60 @ 101.5; the 1m window is minute 60, the trend minutes 0–59
    const v = valuesAt(divergenceTimeframes, tape([100], { first: 0 }).concat(tape([102], { first: 59 }), tape([101.5], { first: 60 })), 61 * MIN);
    expectValue(v["1m"], { score: firstScore(pullback(101.5), 0.2), confidence: 0.01, value: pullback(101.5) });
    expect(v["1m"].score).toBeGreaterThan(0);
    expectUnavailable(v["5m"], "warming up: 61 of 65 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 61 of 300 minutes of bars");
  });

  it("reads the 5m window against the hour before it", () => {
    // minute 0 @ 100, minute 59 @ 102, minute 64 @ 101.5 (60–63 quiet): 5m window = minutes 60–64, trend = 0–59;
    // 1m window = minute 64 against minutes 4–63 (100 → 102): the same x
    const v = valuesAt(divergenceTimeframes, [...tape([100]), ...tape([102], { first: 59 }), ...tape([101.5], { first: 64 })], 65 * MIN);
    expectValue(v["5m"], { score: firstScore(pullback(101.5), 0.3), confidence: 0.01, value: pullback(101.5) });
    expectValue(v["1m"], { score: firstScore(pullback(101.5), 0.2), value: pullback(101.5) });
  });

  it("reads a bounce in a downtrend as bearish and a move with the trend as 0", () => {
    const bounce = valuesAt(divergenceTimeframes, [...tape([100]), ...tape([98], { first: 59 }), ...tape([98.5], { first: 60 })], 61 * MIN);
    const x = -100 * Math.sqrt(Math.log(98.5 / 98) * Math.log(100 / 98));
    expectValue(bounce["1m"], { score: firstScore(x, 0.2), value: x });
    expect(bounce["1m"].score).toBeLessThan(0);
    const along = valuesAt(divergenceTimeframes, [...tape([100]), ...tape([102], { first: 59 }), ...tape([102.5], { first: 60 })], 61 * MIN);
    expectValue(along["1m"], { score: 0, confidence: 0.01, value: 0 });
  });
});

describe("divergence.oi", () => {
  /** Open interest of `base` at second 2 of each minute in `minutes`. */
  const oiAt = (minutes: readonly number[], base: number, venue: Venue = "binance") => minutes.map((m) => oi(m * MIN + 2_000, base, venue));
  const byTime = (events: CanonicalEvent[]) => events.sort((a, b) => a.ts - b.ts);
  // minutes 0–9 as RISE (closes 100 to 103), minute 10 the 1m window; open interest 1 000 from minute 0, then `last` in minute 10
  const breakout = (close10: number, last: number) => byTime([...tape([...RISE, close10]), ...oiAt([0], 1_000), ...oiAt([10], last)]);

  it("reads a break above the prior span on falling open interest (short covering) as bearish", () => {
    const v = valuesAt(divergenceOi, breakout(104, 999.5), 11 * MIN);
    // minute 10 closes at 104 above the prior 10 minutes' highest close 103; d = 100 · (999.5 − 1 000) / 1 000 = −0.05 %
    expectValue(v["1m"], { score: firstScore(-0.05, 0.05), confidence: 1, value: -0.05 });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 11 of 35 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 11 of 120 minutes of bars");
  });

  it("reads a break below the prior span on falling open interest (longs closing) as bullish", () => {
    const v = valuesAt(divergenceOi, byTime([...tape([...FALL, 96.5]), ...oiAt([0], 1_000), ...oiAt([10], 999.5)]), 11 * MIN);
    // 96.5 below the prior lowest close 97
    expectValue(v["1m"], { score: firstScore(0.05, 0.05), confidence: 1, value: 0.05 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is a measured 0 for a break on rising open interest and for falling open interest without a break", () => {
    expectValue(valuesAt(divergenceOi, breakout(104, 1_000.5), 11 * MIN)["1m"], { score: 0, confidence: 1, value: 0 });
    expectValue(valuesAt(divergenceOi, breakout(101, 999.5), 11 * MIN)["1m"], { score: 0, confidence: 1, value: 0 });
  });

  it("reads the 5m window against the 30 minutes before it", () => {
    // minutes 0–29 @ 100 but minute 15 @ 102; minutes 30–34 (the 5m window) 101, 101, 101, 103, 102
    const prices = [...Array.from({ length: 30 }, (_, m) => (m === 15 ? 102 : 100)), 101, 101, 101, 103, 102];
    const events = byTime([...tape(prices), ...oiAt([0, 10, 20, 29], 1_000), ...oiAt([33], 999)]);
    const v = valuesAt(divergenceOi, events, 35 * MIN);
    // 103 > 102: a break up; open interest 1 000 at the window start (minute 30), 999 now: d = −0.1 %
    expectValue(v["5m"], { score: firstScore(-0.1, 0.1), confidence: 1, value: -0.1 });
    // 1m: minute 34 (102) below the prior span's 103 (minute 33); no update within its window: confidence 0
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without open interest, when it is stale, or unknown at the window start", () => {
    expectUnavailable(valuesAt(divergenceOi, tape([...RISE, 104]), 11 * MIN)["1m"], "no oi feed");
    const flat = Array.from({ length: 35 }, () => 100);
    // one update at minute 0, 35 minutes before the boundary
    expectUnavailable(valuesAt(divergenceOi, byTime([...tape(flat), ...oiAt([0], 1_000)]), 35 * MIN)["5m"], "open interest stale");
    // the first update inside the 1m window
    expectUnavailable(valuesAt(divergenceOi, byTime([...tape([...RISE, 104]), ...oiAt([10], 1_000)]), 11 * MIN)["1m"], "no open interest known at the window start");
  });
});

describe("divergence.liquidations", () => {
  it("reads a higher high with fewer shorts liquidated than on the earlier leg as bearish, labelled sampled", () => {
    // RISE; shorts liquidated: 500 USD in minute 1 (A), 200 USD in minute 6 (B), on Binance (one a second at most)
    const events = [...tape(RISE), liq(1 * MIN + 2_000, "short", 500), liq(6 * MIN + 2_000, "short", 200)].sort((a, b) => a.ts - b.ts);
    const v = valuesAt(divergenceLiquidations, events, 10 * MIN);
    // bear = (500 − 200) / 700; value = −300 USD; 2 minutes with liquidations / 10
    expectValue(v["1m"], { score: firstScore(-3 / 7, 0.5), confidence: 0.2, value: -300, sampling: "sampled" });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("reads a lower low with no longs liquidated after an earlier flush as bullish, labelled complete on Bybit", () => {
    const events = [...tape(FALL), liq(2 * MIN + 2_000, "long", 400, 98, "bybit"), liq(2 * MIN + 3_000, "long", 200, 98, "bybit")].sort((a, b) => a.ts - b.ts);
    const v = valuesAt(divergenceLiquidations, events, 10 * MIN);
    // L_A = 600, L_B = 0: bull = 1; one minute with liquidations
    expectValue(v["1m"], { score: firstScore(1, 0.5), confidence: 0.1, value: 600, sampling: "complete" });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is a measured 0 when forced flow grew into the new extreme, or when the lookback had none", () => {
    const growing = [...tape(RISE), liq(1 * MIN + 2_000, "short", 200), liq(6 * MIN + 2_000, "short", 500)].sort((a, b) => a.ts - b.ts);
    expectValue(valuesAt(divergenceLiquidations, growing, 10 * MIN)["1m"], { score: 0, confidence: 0.2, value: 0 });
    // a liquidation in minute 0, before the lookback of minutes 1–10
    const quiet = [...tape([100, ...RISE]), liq(2_000, "long", 100)].sort((a, b) => a.ts - b.ts);
    expectValue(valuesAt(divergenceLiquidations, quiet, 11 * MIN)["1m"], { score: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without a liquidation feed", () => {
    expectUnavailable(valuesAt(divergenceLiquidations, tape(RISE), 10 * MIN)["5m"], "no liquidation feed");
  });
});

describe("divergence.premium", () => {
  /** The premium of a mark over its index, bps, as the engine computes it. */
  const bps = (markPrice: number, indexPrice: number) => ((markPrice - indexPrice) / indexPrice) * 1e4;
  const byTime = (events: CanonicalEvent[]) => events.sort((a, b) => a.ts - b.ts);

  it("reads a break up while the premium fell (spot led) as bullish, sized by the index's move", () => {
    // RISE then minute 10 @ 104, above the prior highest close 103; premium 101.1 over 101 at 590 000, 0 at 650 000
    const events = byTime([...tape([...RISE, 104]), mark(590_000, { markPrice: 101.1, indexPrice: 101 }), mark(650_000, { markPrice: 104, indexPrice: 104 })]);
    const v = valuesAt(divergencePremium, events, 11 * MIN);
    // r = 10⁴ · ln(104 / 101) from minute 9's close; Δp = 0 − bps(101.1, 101); index move r − Δp
    const x = 1e4 * Math.log(104 / 101) + bps(101.1, 101);
    expectValue(v["1m"], { score: firstScore(x, 5), confidence: 0.01, value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
    expectUnavailable(v["5m"], "warming up: 11 of 35 minutes of bars");
  });

  it("reads a break down while the premium rose as bearish", () => {
    const events = byTime([...tape([...FALL, 96.5]), mark(590_000, { markPrice: 98.9, indexPrice: 99 }), mark(650_000, { markPrice: 96.5, indexPrice: 96.5 })]);
    const v = valuesAt(divergencePremium, events, 11 * MIN);
    // 96.5 below the prior lowest close 97; Δp = 0 − bps(98.9, 99) > 0; index move = 10⁴ · ln(96.5 / 99) − Δp
    const x = 1e4 * Math.log(96.5 / 99) + bps(98.9, 99);
    expectValue(v["1m"], { score: firstScore(x, 5), confidence: 0.01, value: x });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("is a measured 0 on a perp-led break and without a break", () => {
    const perpLed = byTime([...tape([...RISE, 104]), mark(590_000, { markPrice: 101, indexPrice: 101 }), mark(650_000, { markPrice: 104.1, indexPrice: 104 })]);
    expectValue(valuesAt(divergencePremium, perpLed, 11 * MIN)["1m"], { score: 0, confidence: 0.01, value: 0 });
    const inside = byTime([...tape([...RISE, 102]), mark(590_000, { markPrice: 101.1, indexPrice: 101 }), mark(650_000, { markPrice: 102, indexPrice: 102 })]);
    expectValue(valuesAt(divergencePremium, inside, 11 * MIN)["1m"], { score: 0, confidence: 0.01, value: 0 });
  });

  it("reads the 5m window against the 30 minutes before it", () => {
    const prices = [...Array.from({ length: 30 }, (_, m) => (m === 15 ? 102 : 100)), 101, 101, 101, 103, 102];
    const events = byTime([...tape(prices), mark(29 * MIN + 50_000, { markPrice: 100.05, indexPrice: 100 }), mark(34 * MIN + 50_000, { markPrice: 102, indexPrice: 102 })]);
    const v = valuesAt(divergencePremium, events, 35 * MIN);
    // 5m: minutes 30–34 reach 103 above the prior 102; r = 10⁴ · ln(102 / 100); five trades in the window's minutes
    const x = 1e4 * Math.log(102 / 100) + bps(100.05, 100);
    expectValue(v["5m"], { score: firstScore(x, 10), confidence: 0.05, value: x });
    // 1m: minute 34 (102) stays below minute 33's 103: no break
    expectValue(v["1m"], { score: 0, confidence: 0.01, value: 0 });
  });

  it("is unavailable without marks, without an index, or without a premium at the window start", () => {
    expectUnavailable(valuesAt(divergencePremium, tape([...RISE, 104]), 11 * MIN)["1m"], "no mark feed");
    const noIndex = byTime([...tape([...RISE, 104]), mark(590_000, { markPrice: 101 })]);
    expectUnavailable(valuesAt(divergencePremium, noIndex, 11 * MIN)["1m"], "no index price in mark feed");
    const lateIndex = byTime([...tape([...RISE, 104]), mark(650_000, { markPrice: 104, indexPrice: 104 })]);
    expectUnavailable(valuesAt(divergencePremium, lateIndex, 11 * MIN)["1m"], "no venue has a premium both now and at the window start");
  });
});
