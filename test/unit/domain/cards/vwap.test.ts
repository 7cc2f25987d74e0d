import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/vwap/index.js";
import { vwapDistance } from "../../../../src/domain/cards/vwap/distance.js";
import { vwapSlope } from "../../../../src/domain/cards/vwap/slope.js";
import { vwapVolumeAbove } from "../../../../src/domain/cards/vwap/volume-above.js";
import { vwapSessionBand } from "../../../../src/domain/cards/vwap/session-band.js";
import { vwapReclaim } from "../../../../src/domain/cards/vwap/reclaim.js";
import { vwapAcceptance } from "../../../../src/domain/cards/vwap/acceptance.js";
import { vwapAnchored } from "../../../../src/domain/cards/vwap/anchored.js";
import type { CardDefinition } from "../../../../src/domain/cards/registry.js";
import type { TradeEvent } from "../../../../src/domain/events.js";
import { TIMEFRAMES, type Timeframe } from "../../../../src/protocol/snapshot.js";
import { expectUnavailable, expectValue, firstScore, mark, trade, valuesAt } from "./helpers.js";

// ── helpers of this file ──

const MIN = 60_000;

/** One trade per minute: `spec[k]` = [qty, price] in minute `from + k` (second 1), null for a quiet minute. */
function prints(spec: readonly ([number, number] | null)[], from = 0): TradeEvent[] {
  const out: TradeEvent[] = [];
  spec.forEach((s, k) => {
    if (s !== null) out.push(trade((from + k) * MIN + 1_000, "buy", s[0], s[1]));
  });
  return out;
}

/** The prior σ of `card` on `tf`. */
function prior(card: CardDefinition, tf: Timeframe): number {
  return typeof card.scale.prior === "number" ? card.scale.prior : card.scale.prior[tf];
}

/** VWAP of [qty, price] prints. */
function vwapOf(spec: readonly [number, number][]): number {
  return spec.reduce((s, [q, p]) => s + q * p, 0) / spec.reduce((s, [q]) => s + q, 0);
}

/**
 * Five minutes: 1 @ 100, 3 @ 102, 2 @ 101, 1 @ 99, 1 @ 98 (close 98). VWAP = 805 / 8 = 100.625.
 */
const FIVE: [number, number][] = [
  [1, 100],
  [3, 102],
  [2, 101],
  [1, 99],
  [1, 98],
];

describe("vwap cards", () => {
  it("are registered in output order", () => {
    expect(CARDS.map((c) => c.id)).toEqual(["vwap.distance", "vwap.slope", "vwap.volume-above", "vwap.session-band", "vwap.reclaim", "vwap.acceptance", "vwap.anchored"]);
  });

  it.each(CARDS.map((c) => [c.id, c] as const))("%s is unavailable without a trade feed", (_, card) => {
    const v = valuesAt(card, [mark(1_000)], 10_000);
    for (const tf of TIMEFRAMES) expectUnavailable(v[tf], "no trade feed");
  });
});

describe("vwap.distance", () => {
  it("fades the last close's distance from the VWAP of the last 5 minutes on 1m: below it leans bullish", () => {
    const v = valuesAt(vwapDistance, prints(FIVE), 5 * MIN);
    const d = Math.log(98 / (805 / 8)) * 10_000; // ≈ −264 bps
    // 5 trades / 100
    expectValue(v["1m"], { score: firstScore(-d, prior(vwapDistance, "1m")), confidence: 0.05, value: d });
    expect(v["1m"].score).toBeGreaterThan(0);
    expectUnavailable(v["5m"], "warming up: 5 of 15 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 5 of 60 minutes of bars");
  });

  it("reads 15 minutes on 5m and leans bearish above the VWAP", () => {
    // minutes 0–4 as FIVE, 5–13 quiet, 14: 2 @ 104. VWAP = (805 + 208) / 10
    const v = valuesAt(vwapDistance, [...prints(FIVE), ...prints([[2, 104]], 14)], 15 * MIN);
    const d = Math.log(104 / (1_013 / 10)) * 10_000;
    expectValue(v["5m"], { score: firstScore(-d, prior(vwapDistance, "5m")), confidence: 0.06, value: d });
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("is a measured 0 on a span without volume", () => {
    // one trade in minute 0, then quiet: at 20 minutes the 1m span (minutes 15–19) has no volume
    const v = valuesAt(vwapDistance, prints([[1, 100]]), 20 * MIN);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("vwap.slope", () => {
  // minutes 0–2: 1 @ 100, 1 @ 101, 2 @ 102 (VWAP 405 / 4); 3–5: 1 @ 103, quiet, 3 @ 104 (VWAP 415 / 4)
  const events = prints([[1, 100], [1, 101], [2, 102], [1, 103], null, [3, 104]]);

  it("fades the VWAP of the last 3 minutes against the 3 before on 1m: a rising VWAP leans bearish", () => {
    const v = valuesAt(vwapSlope, events, 6 * MIN);
    const x = Math.log(415 / 4 / (405 / 4)) * 10_000;
    // 5 trades / 100
    expectValue(v["1m"], { score: firstScore(-x, prior(vwapSlope, "1m")), confidence: 0.05, value: x });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 6 of 16 minutes of bars");
  });

  it("is unavailable before six minutes of bars, and a measured 0 when a half had no volume", () => {
    expectUnavailable(valuesAt(vwapSlope, events, 5 * MIN)["1m"], "warming up: 5 of 6 minutes of bars");
    const v = valuesAt(vwapSlope, prints([[1, 100], [1, 101], [2, 102]]), 6 * MIN);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });

  it("reads a falling VWAP as bullish on 5m (8 minutes against the 8 before)", () => {
    // minutes 0–7: 1 @ 110 each; 8–15: 1 @ 105 each
    const v = valuesAt(vwapSlope, prints([...new Array(8).fill([1, 110]), ...new Array(8).fill([1, 105])]), 16 * MIN);
    const x = Math.log(105 / 110) * 10_000;
    expectValue(v["5m"], { score: firstScore(-x, prior(vwapSlope, "5m")), confidence: 0.16, value: x });
    expect(v["5m"].score).toBeGreaterThan(0);
  });
});

describe("vwap.volume-above", () => {
  it("nets the volume of minutes priced above the span's VWAP against those below on 1m", () => {
    // VWAP 100.625: above 3 @ 102 and 2 @ 101 (5), below 1 @ 100, 1 @ 99, 1 @ 98 (3): (5 − 3) / 8
    const v = valuesAt(vwapVolumeAbove, prints(FIVE), 5 * MIN);
    expectValue(v["1m"], { score: firstScore(0.25, prior(vwapVolumeAbove, "1m")), confidence: 1, value: 0.25 });
    expect(v["1m"].score).toBeGreaterThan(0);
    expectUnavailable(v["5m"], "warming up: 5 of 15 minutes of bars");
  });

  it("reads 15 minutes on 5m and leans bearish when the volume sat below", () => {
    // minutes 0–4 as FIVE, 5–13 quiet, 14: 8 @ 97. VWAP = (805 + 776) / 16 = 98.8125:
    // above 1 @ 100, 3 @ 102, 2 @ 101, 1 @ 99 (7), below 1 @ 98, 8 @ 97 (9); 6 of 15 minutes traded
    const v = valuesAt(vwapVolumeAbove, [...prints(FIVE), ...prints([[8, 97]], 14)], 15 * MIN);
    expectValue(v["5m"], { score: firstScore(-2 / 16, prior(vwapVolumeAbove, "5m")), confidence: 6 / 15, value: -2 / 16 });
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("is a measured 0 on a span without volume", () => {
    const v = valuesAt(vwapVolumeAbove, prints([[1, 100]]), 20 * MIN);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("vwap.session-band", () => {
  // the hour session from 01:00 UTC: minutes 60–64 at 1 @ 100, 1 @ 102, 2 @ 101, 1 @ 103, 1 @ 104
  const session: [number, number][] = [
    [1, 100],
    [1, 102],
    [2, 101],
    [1, 103],
    [1, 104],
  ];
  const events = prints(session, 60);

  it("fades the last close against the hour's VWAP in units of its volume-weighted σ on 1m: above it leans bearish", () => {
    const v = valuesAt(vwapSessionBand, events, 65 * MIN);
    const vw = vwapOf(session); // 611 / 6
    const sigma = Math.sqrt(session.reduce((s, [q, p]) => s + q * (p - vw) ** 2, 0) / 6);
    // 5 traded minutes / 30
    expectValue(v["1m"], { score: firstScore(-(104 - vw) / sigma, prior(vwapSessionBand, "1m")), confidence: 5 / 30, value: Math.log(104 / vw) * 10_000 });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("reads the 4-hour session from 00:00 UTC on 5m and the UTC day on 1h", () => {
    // minutes 0–59 at 1 @ 100 before the hour above: the 5m session holds all 65 minutes
    const day: [number, number][] = [...new Array(60).fill([1, 100]), ...session];
    const v = valuesAt(vwapSessionBand, [...prints(day.slice(0, 60)), ...events], 65 * MIN);
    const vw = vwapOf(day); // 6 611 / 66
    const sigma = Math.sqrt(day.reduce((s, [q, p]) => s + q * (p - vw) ** 2, 0) / 66);
    // 65 traded minutes: confidence capped at 1
    expectValue(v["5m"], { score: firstScore(-(104 - vw) / sigma, prior(vwapSessionBand, "5m")), confidence: 1, value: Math.log(104 / vw) * 10_000 });
    // the UTC day on 1h holds the same 65 minutes
    expectValue(v["1h"], { score: firstScore(-(104 - vw) / sigma, prior(vwapSessionBand, "1h")), confidence: 1, value: Math.log(104 / vw) * 10_000 });
  });

  it("is unavailable until the bars reach back to the session's start (4 hours on 5m, the UTC day on 1h)", () => {
    const v = valuesAt(vwapSessionBand, events, 65 * MIN);
    expectUnavailable(v["5m"], "warming up: 5 of 65 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 5 of 65 minutes of bars");
  });

  it("is unavailable while the session holds fewer than 5 minutes", () => {
    const v = valuesAt(vwapSessionBand, events.slice(0, 4), 64 * MIN);
    expectUnavailable(v["1m"], "the session since 01:00 UTC holds 4 of the 5 minutes its band needs");
  });

  it("reads a close below the session VWAP as bullish, and a session whose price never moved as a measured 0", () => {
    const below: [number, number][] = [...session.slice(0, 4), [1, 99]];
    const v = valuesAt(vwapSessionBand, prints(below, 60), 65 * MIN);
    const vw = vwapOf(below); // 606 / 6 = 101
    const sigma = Math.sqrt(below.reduce((s, [q, p]) => s + q * (p - vw) ** 2, 0) / 6);
    expectValue(v["1m"], { score: firstScore(-(99 - vw) / sigma, prior(vwapSessionBand, "1m")), value: Math.log(99 / vw) * 10_000 });
    expect(v["1m"].score).toBeGreaterThan(0);
    const flat = valuesAt(vwapSessionBand, prints(new Array(5).fill([1, 100]), 60), 65 * MIN);
    expectValue(flat["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

/**
 * Ten minutes from 00:00 UTC: 1 @ 100 × 4, 1 @ 98, then 99, 100, 101, 102, 103 (one each).
 * Session VWAP through each minute: m4 498/5 = 99.6 (close 98 below), m5 597/6 = 99.5 (99 below),
 * m6 697/7 (100 above), m7 798/8 (101 above), m8 900/9 = 100 (102 above), m9 1 003/10 (103 above).
 */
const TEN = prints([[1, 100], [1, 100], [1, 100], [1, 100], [1, 98], [1, 99], [1, 100], [1, 101], [1, 102], [1, 103]]);

describe("vwap.reclaim", () => {
  it("fades a close back above the hour's VWAP after one below it just before the span (a reclaim) on 1m", () => {
    const v = valuesAt(vwapReclaim, TEN, 10 * MIN);
    // s_before (minute 4) = −1, s_last (minute 9) = +1: a cross of (1 + 1) / 2, x = −1; 5 trades / 100
    expectValue(v["1m"], { score: firstScore(-1, prior(vwapReclaim, "1m")), confidence: 0.05, value: 1 });
    expect(v["1m"].score).toBeLessThan(0);
    // 5m reads 15 minutes and the one before
    expectUnavailable(v["5m"], "warming up: 10 of 16 minutes of bars");
  });

  it("fades a loss as bullish and reads no cross as 0", () => {
    // mirror: 100 × 4, 102, 101, 100, 99, 98, 97: VWAP m4 = 100.4 (102 above), m9 = 997 / 10 (97 below)
    const loss = prints([[1, 100], [1, 100], [1, 100], [1, 100], [1, 102], [1, 101], [1, 100], [1, 99], [1, 98], [1, 97]]);
    const v = valuesAt(vwapReclaim, loss, 10 * MIN);
    expectValue(v["1m"], { score: firstScore(1, prior(vwapReclaim, "1m")), value: -1 });
    expect(v["1m"].score).toBeGreaterThan(0);
    // at 9 minutes the span is minutes 4–8: the minute before (3) closed on the VWAP 100 (0), minute 8 at 98 below 900 / 9: −½
    expectValue(valuesAt(vwapReclaim, loss.slice(0, 9), 9 * MIN)["1m"], { score: firstScore(0.5, prior(vwapReclaim, "1m")), value: -0.5 });
    // no cross: TEN and two more minutes at 104, 105: the minute before the span (6) and the last (11) both closed above
    expectValue(valuesAt(vwapReclaim, [...TEN, ...prints([[1, 104], [1, 105]], 10)], 12 * MIN)["1m"], { score: 0, confidence: 0.05, value: 0 });
  });

  it("cuts the span at the session's start: the hour opens on its own VWAP", () => {
    // minutes 0–59 at 100, then 01:00 1 @ 100 and 01:01 1 @ 101 (VWAP 100.5, close above)
    const events = [...prints(new Array(60).fill([1, 100])), ...prints([[1, 100], [1, 101]], 60)];
    const v = valuesAt(vwapReclaim, events, 62 * MIN);
    // span = minutes 60–61, s_before = 0, s_last = +1: a cross of ½; 2 trades / 100
    expectValue(v["1m"], { score: firstScore(-0.5, prior(vwapReclaim, "1m")), confidence: 0.02, value: 0.5 });
  });

  it("reads 15 minutes against the 4-hour session on 5m", () => {
    // TEN, then minutes 10–15 at 104: the minute before the span (0) closed on the VWAP (0), minute 15 above: a cross of ½
    const v = valuesAt(vwapReclaim, [...TEN, ...prints(new Array(6).fill([1, 104]), 10)], 16 * MIN);
    // 15 trades / 100
    expectValue(v["5m"], { score: firstScore(-0.5, prior(vwapReclaim, "5m")), confidence: 0.15, value: 0.5 });
  });

  it("is unavailable with fewer than n + 1 minutes of bars", () => {
    expectUnavailable(valuesAt(vwapReclaim, TEN.slice(0, 5), 5 * MIN)["1m"], "warming up: 5 of 6 minutes of bars");
  });
});

describe("vwap.acceptance", () => {
  it("fades the span's closes above the hour's VWAP net of those below on 1m", () => {
    const v = valuesAt(vwapAcceptance, TEN, 10 * MIN);
    // minutes 5–9: below, above, above, above, above: (4 − 1) / 5; 5 of 5 traded
    expectValue(v["1m"], { score: firstScore(-0.6, prior(vwapAcceptance, "1m")), confidence: 1, value: 3 });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 10 of 15 minutes of bars");
  });

  it("reads 15 minutes against the 4-hour session on 5m, bullish below it", () => {
    // minutes 0–9 at 100, 10–14 at 98, 97, 96, 95, 94: each below the VWAP so far
    const events = prints([...new Array(10).fill([1, 100]), [1, 98], [1, 97], [1, 96], [1, 95], [1, 94]]);
    const v = valuesAt(vwapAcceptance, events, 15 * MIN);
    // minutes 0–9 close on the VWAP 100 (0), 10–14 below (−1 × 5): −5 / 15
    expectValue(v["5m"], { score: firstScore(5 / 15, prior(vwapAcceptance, "5m")), confidence: 1, value: -5 });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("cuts the span at the session's start, confidence counting the full span", () => {
    // 01:00 1 @ 100 (on its VWAP: 0), 01:01 1 @ 101 (above): 1 / 2; 2 traded of 5
    const events = [...prints(new Array(60).fill([1, 100])), ...prints([[1, 100], [1, 101]], 60)];
    expectValue(valuesAt(vwapAcceptance, events, 62 * MIN)["1m"], { score: firstScore(-0.5, prior(vwapAcceptance, "1m")), confidence: 0.4, value: 1 });
  });
});

describe("vwap.anchored", () => {
  // 60 minutes: 1 @ 100 except minute 20 at 110 (the high), minute 40 at 90 (the low, the later
  // extreme), minutes 41–58 at 95 and minute 59 2 @ 97
  const spec: [number, number][] = Array.from({ length: 60 }, (_, m) => (m === 20 ? [1, 110] : m === 40 ? [1, 90] : m > 40 && m < 59 ? [1, 95] : m === 59 ? [2, 97] : [1, 100]));

  it("fades the last close against the VWAP since the later of the hour's high and low on 1m", () => {
    const v = valuesAt(vwapAnchored, prints(spec), 60 * MIN);
    // AVWAP from minute 40: (90 + 18 · 95 + 2 · 97) / 21 = 1 994 / 21; 20 trades / 100
    const x = Math.log(97 / (1_994 / 21)) * 10_000;
    expectValue(v["1m"], { score: firstScore(-x, prior(vwapAnchored, "1m")), confidence: 0.2, value: x });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 60 of 240 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 60 of 1440 minutes of bars");
  });

  it("anchors at the high when it is the later extreme: below its VWAP leans bullish", () => {
    // the low at minute 20, the high at minute 40, then 18 minutes at 105 and 2 @ 103
    const high: [number, number][] = spec.map(([q, p], m) => (m === 20 ? [1, 90] : m === 40 ? [1, 110] : m > 40 && m < 59 ? [1, 105] : [q, m === 59 ? 103 : p]));
    const v = valuesAt(vwapAnchored, prints(high), 60 * MIN);
    const x = Math.log(103 / ((110 + 18 * 105 + 2 * 103) / 21)) * 10_000;
    expectValue(v["1m"], { score: firstScore(-x, prior(vwapAnchored, "1m")), value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("searches 240 minutes on 5m", () => {
    // 240 minutes at 1 @ 100, the low 90 at minute 100, the high 110 at minute 200, minutes 201–239 at 105
    const four: [number, number][] = Array.from({ length: 240 }, (_, m) => (m === 100 ? [1, 90] : m === 200 ? [1, 110] : m > 200 ? [1, 105] : [1, 100]));
    const v = valuesAt(vwapAnchored, prints(four), 240 * MIN);
    // AVWAP from minute 200 = (110 + 39 · 105) / 40; 40 trades / 100
    const x = Math.log(105 / ((110 + 39 * 105) / 40)) * 10_000;
    expectValue(v["5m"], { score: firstScore(-x, prior(vwapAnchored, "5m")), confidence: 0.4, value: x });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("takes the first minute of a tied extreme", () => {
    // 60 minutes at 100 except minute 30 at 101 and minute 50 at 101 again: the high is minute 30,
    // the low (100) is minute 0: AVWAP from minute 30 = (2 · 101 + 28 · 100) / 30
    const tied: [number, number][] = Array.from({ length: 60 }, (_, m) => (m === 30 || m === 50 ? [1, 101] : [1, 100]));
    const x = Math.log(100 / (3_002 / 30)) * 10_000;
    expectValue(valuesAt(vwapAnchored, prints(tied), 60 * MIN)["1m"], { value: x, confidence: 0.3 });
  });
});
