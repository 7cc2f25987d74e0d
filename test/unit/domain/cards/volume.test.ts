import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/volume/index.js";
import { volumeRelative } from "../../../../src/domain/cards/volume/relative.js";
import { volumeSeasonal } from "../../../../src/domain/cards/volume/seasonal.js";
import { volumeAcceleration } from "../../../../src/domain/cards/volume/acceleration.js";
import { volumeClimax } from "../../../../src/domain/cards/volume/climax.js";
import { volumeDryUp } from "../../../../src/domain/cards/volume/dry-up.js";
import { volumeHeavyReturn } from "../../../../src/domain/cards/volume/heavy-return.js";
import { volumeMoneyFlow } from "../../../../src/domain/cards/volume/money-flow.js";
import type { BarEvent } from "../../../../src/domain/events.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import { engineFor, expectUnavailable, expectValue, firstScore, mark, S, trade, valuesAt } from "./helpers.js";

const MIN = 60_000;

/**
 * An engine cycling once a minute (the replay's cadence for bars), for sequences of a day of bars:
 * bars only change at minute boundaries, so the 10 s boundaries in between add time, not cases.
 */
const minuteEngine = (card: CardDefinition) => engineFor(card, { config: { cycleMs: MIN, biasCadenceMs: { scalp: MIN, day: 5 * MIN, swing: 5 * MIN }, catchUpMs: 5 * MIN } });

/**
 * A closed one-minute bar of minute `m` trading `usd` (no taker split) in `trades` prints, with
 * `[open, high, low, close]` (all at 100 by default).
 */
function bar(m: number, usd: number, ohlc: readonly [number, number, number, number] = [100, 100, 100, 100], trades = 10): BarEvent {
  const [open, high, low, close] = ohlc;
  return { venue: "binance", symbol: S, kind: "bar", openTs: m * MIN, ts: m * MIN + 59_999, open, high, low, close, volumeBase: usd / close, volumeQuote: usd, takerBuyBase: null, takerBuyQuote: null, trades, closed: true };
}

/** One bar per minute from minute `from`, trading `usds[k]` in minute `from + k` (no bar where it is 0). */
function volumes(from: number, usds: readonly number[]): BarEvent[] {
  return usds.flatMap((usd, k) => (usd > 0 ? [bar(from + k, usd)] : []));
}

/** A bar of minute `m` at one price `close` trading `usd`. */
const closeAt = (m: number, close: number, usd: number) => bar(m, usd, [close, close, close, close]);

describe("volume cards", () => {
  it("registers seven cards with the volume prefix; heavy-return and money-flow are directional", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "volume.relative",
      "volume.seasonal",
      "volume.acceleration",
      "volume.climax",
      "volume.dry-up",
      "volume.heavy-return",
      "volume.money-flow",
    ]);
    expect(CARDS.filter((c) => c.kind !== "stress").map((c) => c.id)).toEqual(["volume.heavy-return", "volume.money-flow"]);
  });

  it("are each unavailable without a trade feed", () => {
    for (const card of CARDS) expectUnavailable(valuesAt(card, [mark(1_000)], 10_000)["5m"], "no trade feed");
  });

  it("count taker-split trades in USD like bars", () => {
    // minute 0: buy 2 at 100 and sell 1 at 101 = 301 USD; minute 1: one buy of 1 at 100 = 100 USD
    const events = [trade(1_000, "buy", 2, 100), trade(30_000, "sell", 1, 101), trade(61_000, "buy", 1, 100)];
    const v = valuesAt(volumeAcceleration, events, 2 * MIN);
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 1, value: 100 - 301 });
  });
});

describe("volume.relative", () => {
  /** 59 minutes of 1 000 USD, then 7 900 USD: the day holds 66 900 USD, 1 115 per minute. */
  const DAY = [...volumes(0, new Array(59).fill(1_000)), bar(59, 7_900)];

  it("compares the window's notional with the day's per minute: 1m ρ = 7 900 / 1 115", () => {
    const v = valuesAt(volumeRelative, DAY, 60 * MIN);
    const rho1 = 7_900 / 1_115;
    // x = ln((ρ + 0.1) / 1.1); prior σ 0.9 (1m); confidence 60 minutes / 240
    expectValue(v["1m"], { score: 0, strength: Math.tanh(Math.log((rho1 + 0.1) / 1.1) / 0.9), confidence: 0.25, value: rho1 });
    // 5m: (4 · 1 000 + 7 900) / (5 · 1 115)
    const rho5 = 11_900 / 5_575;
    expectValue(v["5m"], { score: 0, strength: Math.tanh(Math.log((rho5 + 0.1) / 1.1) / 0.7), confidence: 0.25, value: rho5 });
    // 1h: the window is the day: ρ = 1, x = 0
    expectValue(v["1h"], { score: 0, strength: 0, confidence: 0.25, value: 1 });
  });

  it("reads an empty window as x = ln(0.1 / 1.1), no strength; warms up for 60 minutes", () => {
    const v = valuesAt(volumeRelative, DAY, 61 * MIN);
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 61 / 240, value: 0 });
    expectUnavailable(valuesAt(volumeRelative, DAY.slice(0, 59), 59 * MIN)["1m"], "warming up: 59 of 60 minutes of bars");
  });

  it("is unavailable when the held bars priced minutes but traded no volume", () => {
    // 60 bars of 0 USD and no trades (a venue's empty candles): prices, but nothing to compare with
    const empty = Array.from({ length: 60 }, (_, m) => bar(m, 0, undefined, 0));
    expectUnavailable(valuesAt(volumeRelative, empty, 60 * MIN)["5m"], "no traded volume in the held bars");
  });
});

describe("volume.seasonal", () => {
  /**
   * Minutes 0–1 440 (a day and a minute): 1 000 USD each, except minute 1 (500) and minute 1 440
   * (3 000). At 1 441 minutes the bars hold minutes 1–1 440; the window ends at minute 1 441, so
   * the span 24 h before it starts at minute 1.
   */
  const usds = new Array(1_441).fill(1_000);
  usds[1] = 500;
  usds[1_440] = 3_000;
  const DAYS = volumes(0, usds);
  // the held day (minutes 1–1 440): 1 438 · 1 000 + 500 + 3 000 = 1 441 500 USD over 1 440 minutes
  const perMinute = 1_441_500 / 1_440;

  it("compares the window with the same span a day earlier, then a quiet window with the next span", () => {
    const engine = minuteEngine(volumeSeasonal);
    const v = valuesAt(volumeSeasonal, DAYS, 1_441 * MIN, engine);
    // 1m: minute 1 440 (3 000) against minute 1 (500); p = 0.1 · 1 · per minute
    const p1 = 0.1 * perMinute;
    const r1 = (3_000 + p1) / (500 + p1);
    // prior σ 1.05 (1m); confidence 1 / 30
    expectValue(v["1m"], { score: 0, strength: Math.tanh(Math.log(r1) / 1.05), confidence: 1 / 30, value: r1 });
    // 5m: minutes 1 436–1 440 (7 000) against minutes 1–5 (4 500)
    const p5 = 0.5 * perMinute;
    const r5 = (7_000 + p5) / (4_500 + p5);
    expectValue(v["5m"], { score: 0, strength: Math.tanh(Math.log(r5) / 0.85), confidence: 5 / 30, value: r5 });
    // 1h: minutes 1 381–1 440 (62 000) against minutes 1–60 (59 500)
    const p60 = 6 * perMinute;
    const r60 = (62_000 + p60) / (59_500 + p60);
    expectValue(v["1h"], { score: 0, strength: Math.tanh(Math.log(r60) / 0.65), confidence: 1, value: r60 });

    // at 1 442 minutes the 1m window (minute 1 441) has no trade; a day earlier (minute 2) traded 1 000;
    // the held day is minutes 2–1 441: 1 438 · 1 000 (minutes 2–1 439) + 3 000 = 1 441 000 USD over 1 440 minutes
    const quiet = valuesAt(volumeSeasonal, [], 1_442 * MIN, engine);
    const p = (0.1 * 1_441_000) / 1_440;
    expectValue(quiet["1m"], { score: 0, strength: 0, confidence: 1 / 30, value: p / (1_000 + p) });
  }, 30_000);

  it("warms up for a day, and is unavailable when the day traded no volume", () => {
    expectUnavailable(valuesAt(volumeSeasonal, DAYS.slice(0, 100), 100 * MIN)["1h"], "warming up: 100 of 1440 minutes of bars");
    const empty = Array.from({ length: 1_440 }, (_, m) => bar(m, 0, undefined, 0));
    expectUnavailable(valuesAt(volumeSeasonal, empty, 1_440 * MIN, minuteEngine(volumeSeasonal))["1h"], "no traded volume in the held bars");
  }, 30_000);
});

describe("volume.acceleration", () => {
  it("compares the recent half with the earlier half: 1m the minute against the minute before", () => {
    const v = valuesAt(volumeAcceleration, volumes(0, [1_000, 3_000]), 2 * MIN);
    // x = (3 000 − 1 000) / 4 000; prior σ 0.37 (1m); both minutes traded: confidence 2 / 2
    expectValue(v["1m"], { score: 0, strength: Math.tanh(0.5 / 0.37), confidence: 1, value: 2_000 });
    expectUnavailable(v["5m"], "warming up: 2 of 4 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 2 of 60 minutes of bars");
  });

  it("reads 5m as its last two minutes against the two before", () => {
    // minute 0 is outside (h = 2 of 5); minutes 1–2: 1 000 + 0 (no trade), minutes 3–4: 2 000 + 5 000
    const v = valuesAt(volumeAcceleration, volumes(0, [9_999, 1_000, 0, 2_000, 5_000]), 5 * MIN);
    // x = (7 000 − 1 000) / 8 000; three of the four minutes traded
    expectValue(v["5m"], { score: 0, strength: Math.tanh(0.75 / 0.32), confidence: 0.75, value: 6_000 });
  });

  it("gives no strength to falling volume; two spans without volume are a measured 0", () => {
    expectValue(valuesAt(volumeAcceleration, volumes(0, [3_000, 1_000]), 2 * MIN)["1m"], { strength: 0, confidence: 1, value: -2_000 });
    expectValue(valuesAt(volumeAcceleration, volumes(0, [3_000, 1_000]), 4 * MIN)["1m"], { strength: 0, confidence: 0, value: 0 });
  });
});

/**
 * 60 minutes: 30 of 1 000 USD, 25 of 2 000, then 100, 700, 2 000, 2 000, 8 000. Sorted, the 30th
 * and 31st of the 60 are both 1 000: the day's median minute is 1 000 USD.
 */
const CLIMAX = volumes(0, [...new Array(30).fill(1_000), ...new Array(25).fill(2_000), 100, 700, 2_000, 2_000, 8_000]);

describe("volume.climax", () => {
  it("compares the window's heaviest minute with the day's median minute: x = ln(8 000 / 1 000)", () => {
    const v = valuesAt(volumeClimax, CLIMAX, 60 * MIN);
    // rolling center starts at 1.3, prior σ 1; confidence 60 minutes / 240
    expectValue(v["5m"], { score: 0, strength: Math.tanh((Math.log(8) - 1.3) / 1), confidence: 0.25, value: 8 });
    expectValue(v["1h"], { score: 0, strength: Math.tanh((Math.log(8) - 1.3) / 1), confidence: 0.25, value: 8 });
    expectUnavailable(v["1m"], "the window holds 1 minute bar: the statistic needs at least 5");
  });

  it("reads the median of an even count of minutes as the mean of the middle two", () => {
    // 30 minutes of 1 000 USD, 29 of 2 000, then 6 000: median (1 000 + 2 000) / 2 = 1 500
    const v = valuesAt(volumeClimax, volumes(0, [...new Array(30).fill(1_000), ...new Array(29).fill(2_000), 6_000]), 60 * MIN);
    expectValue(v["5m"], { score: 0, strength: Math.tanh((Math.log(4) - 1.3) / 1), confidence: 0.25, value: 4 });
  });

  it("gives no strength to an ordinary peak; a window without volume is a measured 0", () => {
    // an even day: the heaviest minute is the median one, x = 0 below the center 1.3
    expectValue(valuesAt(volumeClimax, volumes(0, new Array(60).fill(1_000)), 60 * MIN)["5m"], { score: 0, strength: 0, confidence: 0.25, value: 1 });
    // at 65 minutes the 5m window (minutes 60–64) has no trade
    expectValue(valuesAt(volumeClimax, CLIMAX, 65 * MIN)["5m"], { strength: 0, confidence: 0, value: 0 });
  });

  it("is unavailable when the day's median minute traded nothing, and while warming up", () => {
    // trades in minutes 0 and 59 only: 58 quiet minutes put the median at 0
    expectUnavailable(valuesAt(volumeClimax, [bar(0, 1_000), bar(59, 1_000)], 60 * MIN)["5m"], "the day's median minute traded nothing");
    expectUnavailable(valuesAt(volumeClimax, CLIMAX.slice(0, 10), 10 * MIN)["5m"], "warming up: 10 of 60 minutes of bars");
  });
});

describe("volume.dry-up", () => {
  it("counts the window's minutes under half the day's median minute", () => {
    const v = valuesAt(volumeDryUp, CLIMAX, 60 * MIN);
    // median 1 000: dry below 500: minute 55 (100) only; rolling center starts at 0.22
    expectValue(v["5m"], { score: 0, strength: 0, confidence: 0.25, value: 1 });
    expectValue(v["1h"], { score: 0, strength: 0, confidence: 0.25, value: 1 });
    expectUnavailable(v["1m"], "the window holds 1 minute bar: the statistic needs at least 5");
  });

  it("reads a window without trades as wholly dry", () => {
    // at 65 minutes minutes 60–64 are quiet: the day's 65 sorted minutes are 0 × 5, 100, 700, 1 000 × 30, ...: median (33rd) 1 000
    const v = valuesAt(volumeDryUp, CLIMAX, 65 * MIN);
    // 5m: 5 of 5 dry, x = 1; prior σ 0.28 (5m); confidence 65 / 240
    expectValue(v["5m"], { score: 0, strength: Math.tanh((1 - 0.22) / 0.28), confidence: 65 / 240, value: 5 });
    // 1h: minutes 5–64: minute 55 and minutes 60–64 dry: x = 6 / 60
    expectValue(v["1h"], { score: 0, strength: 0, confidence: 65 / 240, value: 6 });
  });

  it("is unavailable when the day's median minute traded nothing", () => {
    expectUnavailable(valuesAt(volumeDryUp, [bar(0, 1_000), bar(59, 1_000)], 60 * MIN)["1h"], "the day's median minute traded nothing");
  });
});

describe("volume.heavy-return", () => {
  /** Closes 10 000, 10 010, 10 005, 10 015, 10 010, 10 010: the rises came on 4 000 and 3 000 USD, the dips on 1 000. */
  const CLOSES = [10_000, 10_010, 10_005, 10_015, 10_010, 10_010];
  const USD = [1_000, 4_000, 1_000, 3_000, 1_000, 1_000];
  const r = [Math.log(10_010 / 10_000), Math.log(10_005 / 10_010), Math.log(10_015 / 10_005), Math.log(10_010 / 10_015), 0];

  it("is bullish when price rose on the heavy minutes: x = 10⁴ · (Σ r·V / Σ V − Σ r / 5)", () => {
    const v = valuesAt(volumeHeavyReturn, CLOSES.map((c, m) => closeAt(m, c, USD[m])), 6 * MIN);
    const V = USD.slice(1);
    const weighted = r.reduce((a, x, k) => a + x * V[k], 0) / 10_000;
    const x = 10_000 * (weighted - r.reduce((a, b) => a + b) / 5);
    expect(x).toBeGreaterThan(0);
    // prior σ 4.5 bps (5m); five traded minutes / 30
    expectValue(v["5m"], { score: firstScore(x, 4.5), confidence: 5 / 30, value: x });
    expectUnavailable(v["1m"], "the window holds 1 minute bar");
    expectUnavailable(v["1h"], "warming up: 6 of 60 minutes of bars");
  });

  it("is bearish when price fell on the heavy minutes; a window without volume is a measured 0", () => {
    const v = valuesAt(volumeHeavyReturn, CLOSES.map((c, m) => closeAt(m, 1e8 / c, USD[m])), 6 * MIN);
    expect(v["5m"].score).toBeLessThan(0);
    expectValue(valuesAt(volumeHeavyReturn, CLOSES.map((c, m) => closeAt(m, c, USD[m])), 11 * MIN)["5m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("volume.money-flow", () => {
  it("credits a minute's volume by where it closed in its range (1m): CLV = (2 · 101.5 − 102 − 100) / 2", () => {
    const v = valuesAt(volumeMoneyFlow, [bar(0, 1_000, [100, 102, 100, 101.5])], MIN);
    // prior σ 0.68 (1m); 10 trades / 100
    expectValue(v["1m"], { score: firstScore(0.5, 0.68), confidence: 0.1, value: 0.5 });
  });

  it("weighs the window's minutes by volume (5m): x = (0.5·1 000 − 1·3 000 + 0·500 + 0.5·2 000) / 6 500", () => {
    const events = [
      bar(0, 1_000, [100, 102, 100, 101.5]), // CLV 0.5
      bar(1, 3_000, [101.5, 102, 101, 101]), // closes at the low: −1
      bar(2, 500, [101, 101, 101, 101]), // no range: 0
      // minute 3: no trade
      bar(4, 2_000, [101, 103, 101, 102.5]), // (205 − 204) / 2 = 0.5
    ];
    const v = valuesAt(volumeMoneyFlow, events, 5 * MIN);
    const x = -1_500 / 6_500;
    // 40 trades / 100; bearish: the heavy minute closed at its low
    expectValue(v["5m"], { score: firstScore(x, 0.33), confidence: 0.4, value: x });
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("is a measured 0 over a window without volume, and warms up", () => {
    const one = [bar(0, 1_000, [100, 102, 100, 101.5])];
    expectValue(valuesAt(volumeMoneyFlow, one, 2 * MIN)["1m"], { score: 0, confidence: 0, value: 0 });
    expectUnavailable(valuesAt(volumeMoneyFlow, one, MIN)["5m"], "warming up: 1 of 5 minutes of bars");
  });
});
