/**
 * The `cascade` cards: estimated liquidation fuel near price against what would absorb it.
 * Scripted events with explicit timestamps; every expected figure is worked out in a comment.
 *
 * Level model in these tests (src/domain/liquidation/levels.ts): flat brackets (mmr 0.4 %, no cum),
 * open interest rising by 10 in the minute [0, 60 s) at a VWAP of P₀ makes one cohort at 60 s whose
 * level at leverage L sits at P₀(1 ∓ 1/L)/(1 ∓ 0.004) (long / short) with notional
 * 10 · 2 · ½ (side) · weight(L) · LP, halving every 24 h.
 */
import { describe, expect, it } from "vitest";
import type { CanonicalEvent, Level } from "../../../../src/domain/events.js";
import type { SymbolEngineOptions } from "../../../../src/domain/engine.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import type { CardValue, Timeframe } from "../../../../src/protocol/snapshot.js";
import { DEFAULT_REGISTRY } from "../../../../src/domain/cards/registry.js";
import { cascadeRiskUp } from "../../../../src/domain/cards/cascade/risk-up.js";
import { cascadeRiskDown } from "../../../../src/domain/cards/cascade/risk-down.js";
import { cascadeTriggerDistance } from "../../../../src/domain/cards/cascade/trigger-distance.js";
import { cascadeConvexity } from "../../../../src/domain/cards/cascade/convexity.js";
import { cascadeCushionPull } from "../../../../src/domain/cards/cascade/cushion-pull.js";
import { cascadeInProgress } from "../../../../src/domain/cards/cascade/in-progress.js";
import { cascadeApproach } from "../../../../src/domain/cards/cascade/approach.js";
import { bookDelta, bookSnapshot, cardOf, engineFor, expectUnavailable, expectValue, firstScore, liq, oi, snapshotAt, trade, valuesAt } from "./helpers.js";
import { flatBrackets } from "../liquidation/helpers.js";

const decay = (ageMs: number) => 0.5 ** (ageMs / 86_400_000);

function at(card: CardDefinition, events: readonly CanonicalEvent[], ts: number, options: Omit<SymbolEngineOptions, "registry"> = TWO_TIERS): Record<Timeframe, CardValue> {
  return valuesAt(card, events, ts, engineFor(card, options));
}

// ── Two tiers (100x and 50x, half each) around P₀ = 100: four levels of notional 5 · LP ──
const TWO_TIERS = { config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 0.5 }, { leverage: 50, weight: 0.5 }], brackets: flatBrackets(0.004) } } };
const LONG100 = (100 * 0.99) / 0.996; // 99.3976 (−0.60 %)
const LONG50 = (100 * 0.98) / 0.996; // 98.3936 (−1.61 %)
const SHORT100 = (100 * 1.01) / 1.004; // 100.5976 (+0.60 %)
const SHORT50 = (100 * 1.02) / 1.004; // 101.5936 (+1.59 %)
/** A level's notional read at 70 s (the cohort is 10 s old). */
const usd = (lp: number) => 5 * lp * decay(10_000);
/** The cohort: taker sells of 1 at 100 (VWAP 100), open interest 1,000 → 1,010 in [0, 60 s), closed by the 61 s update. */
const COHORT: CanonicalEvent[] = [trade(1_000, "sell", 1, 100), oi(1_000, 1_000), trade(30_000, "sell", 1, 100), oi(30_000, 1_010), oi(61_000, 1_010)];
const BIDS: Level[] = [[99.9, 1], [99.6, 2], [99.35, 4], [99, 6], [98.1, 5], [97, 10]];
const ASKS: Level[] = [[100.1, 1], [100.4, 2], [101, 3], [101.8, 5], [103, 10]];
/** Binance book at 61 s, mid 100, held to ±3 %. */
const BOOK = bookSnapshot(61_000, 1, BIDS, ASKS);
const MID = (99.9 + 100.1) / 2;
const REACH = Math.min(((103 - MID) / MID) * 100, ((MID - 97) / MID) * 100);

describe("cascade cards in the registry", () => {
  it("ships seven cascade cards in output order", () => {
    expect(DEFAULT_REGISTRY.cards.filter((c) => c.category === "cascade").map((c) => c.id)).toEqual([
      "cascade.risk-up",
      "cascade.risk-down",
      "cascade.trigger-distance",
      "cascade.convexity",
      "cascade.cushion-pull",
      "cascade.in-progress",
      "cascade.approach",
    ]);
  });
});

describe("cascade.risk-up and cascade.risk-down", () => {
  // one tier of 100x: a cohort of 10 BTC at 100,000 (created at 60 s) and a book with mid 100,000
  const ONE_TIER = { config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 1 }], brackets: flatBrackets(0.004) } } };
  const LP_LONG = (100_000 * 0.99) / 0.996;
  const LP_SHORT = (100_000 * 1.01) / 1.004;
  const cohort: CanonicalEvent[] = [trade(1_000, "buy", 1, 100_000), oi(1_000, 1_000), trade(30_000, "buy", 1, 100_000), oi(30_000, 1_010), oi(61_000, 1_010)];
  const book = bookSnapshot(61_000, 1, [[99_900, 2], [99_500, 3]], [[100_100, 1], [100_800, 4]]);

  it("score level notional in the band over book depth, up bullish and down bearish", () => {
    const s = snapshotAt(engineFor([cascadeRiskUp, cascadeRiskDown], ONE_TIER), [...cohort, book], 70_000);
    const up = cardOf(s, "cascade.risk-up");
    const down = cardOf(s, "cascade.risk-down");
    // 1m band 0.5 %: the levels 0.6 % away are outside → ratio 0; 1 cohort of 30
    expectValue(up.timeframes["1m"], { score: 0, strength: 0, confidence: 1 / 30, value: 0 });
    // 5m band 1 %: short level 10 · LP_SHORT (decayed 10 s) over 100,100 · 1 + 100,800 · 4 = 503,300 of asks
    const ratioUp = (10 * LP_SHORT * decay(10_000)) / 503_300;
    expectValue(up.timeframes["5m"], { score: firstScore(ratioUp, 1), strength: firstScore(ratioUp, 1), confidence: 1 / 30, value: ratioUp });
    // long level over 99,900 · 2 + 99,500 · 3 = 498,300 of bids; x = −ratio
    const ratioDown = (10 * LP_LONG * decay(10_000)) / 498_300;
    expectValue(down.timeframes["5m"], { score: firstScore(-ratioDown, 1), strength: firstScore(ratioDown, 1), confidence: 1 / 30, value: ratioDown });
    expect(up.state).toBe("bullish");
    expect(down.state).toBe("bearish");
  });

  it("are unavailable without open interest, without a book feed, and while no book is synced", () => {
    expectUnavailable(at(cascadeRiskUp, [trade(1_000, "buy", 1), book], 70_000)["1m"], "no oi feed");
    expectUnavailable(at(cascadeRiskDown, cohort, 70_000, ONE_TIER)["1h"], "no book feed");
    // a delta without a snapshot: the feed delivered, the book is not synced
    expectUnavailable(at(cascadeRiskUp, [...cohort, bookDelta(61_000, 5, [[99_900, 1]], [])], 70_000, ONE_TIER)["5m"], "book not synced");
  });

  it("are unavailable with an empty book side, and when the band holds levels but no depth", () => {
    expectUnavailable(at(cascadeRiskUp, [...cohort, bookSnapshot(61_000, 1, [[99_900, 2]], [])], 70_000, ONE_TIER)["5m"], "book side empty");
    // a spread of ±1.2 % around mid 100,000: the short level at +0.6 % has nothing to absorb it in the 5m band
    const far = bookSnapshot(61_000, 1, [[98_800, 2]], [[101_200, 1]]);
    expectUnavailable(at(cascadeRiskUp, [...cohort, far], 70_000, ONE_TIER)["5m"], "no resting depth in the band");
  });
});

describe("cascade.trigger-distance", () => {
  it("finds the first step where estimated levels outweigh the depth: nearer above is bullish", () => {
    const v = at(cascadeTriggerDistance, [...COHORT, BOOK], 70_000);
    // 5m: steps of 0.1 % up to 1 %. Up: at 0.6 % the short level (≈ 503) meets 100.1 + 200.8 = 300.9 of asks: j = 6, p = 0.5.
    // Down: the long level (≈ 497) enters at 0.7 % against 99.9 + 199.2 + 397.4 = 696.5 of bids, 1,290.5 at 1 %: no trigger.
    // confidence: 1 cohort of 30 · min(1, reach 3 % / 1 %)
    expectValue(v["5m"], { score: firstScore(0.5, 0.5), strength: firstScore(0.5, 0.5), confidence: 1 / 30, value: 0.5 });
    // 1h: steps of 0.2 %: up at 0.6 % (j = 3, p = 0.8); down: 497 + 492 of levels by 1.8 % never reach 1,290.5 of bids
    expectValue(v["1h"], { score: firstScore(0.8, 0.5), confidence: 1 / 30, value: 0.8 });
    // 1m: no level within 0.5 %
    expectValue(v["1m"], { score: 0, confidence: 1 / 30, value: 0 });
  });

  it("reads a trigger below the price that comes first as bearish", () => {
    const book = bookSnapshot(61_000, 1, [[99.9, 1], [99.6, 2], [97, 10]], [[100.1, 1], [100.4, 2], [100.5, 20], [103, 10]]);
    const v = at(cascadeTriggerDistance, [...COHORT, book], 70_000);
    // 5m up: 2,010 more of asks at 100.5 keep the short level (≈ 503) below the depth; down: at 0.7 % the long level (≈ 497) ≥ 299.1 of bids: p = 0.4
    expectValue(v["5m"], { score: firstScore(-0.4, 0.5), confidence: 1 / 30, value: -0.4 });
  });

  it("searches only as far as the book reaches and lowers the confidence by the reach", () => {
    const book = bookSnapshot(61_000, 1, [[99.9, 1], [99.6, 2], [97, 10]], [[100.1, 1], [100.4, 2], [100.7, 1]]);
    const v = at(cascadeTriggerDistance, [...COHORT, book], 70_000);
    // 1h: asks reach +0.7 %: up searched to 0.6 % (trigger at j = 3, p = 0.8); down at 0.8 % (497 ≥ 299.1: j = 4, p = 0.7)
    const reach = ((100.7 - MID) / MID) * 100;
    expectValue(v["1h"], { score: firstScore(0.8 - 0.7, 0.5), confidence: (1 / 30) * (reach / 2), value: 0.8 - 0.7 });
    const short = bookSnapshot(61_000, 1, [[99.9, 1], [97, 10]], [[100.1, 1]]);
    expectUnavailable(at(cascadeTriggerDistance, [...COHORT, short], 70_000)["1h"], "book reaches only +0.1 % / −3 % of mid, less than the first step of 0.2 %");
  });

  it("is unavailable without a synced book or open interest", () => {
    expectUnavailable(at(cascadeTriggerDistance, [...COHORT, bookDelta(61_000, 5, [[99.9, 1]], [])], 70_000)["1m"], "book not synced");
    expectUnavailable(at(cascadeTriggerDistance, [trade(1_000, "buy", 1), BOOK], 70_000)["1m"], "no oi feed");
  });
});

describe("cascade.convexity", () => {
  const askNear1 = 100.1 * 1 + 100.4 * 2; // asks within +0.5 %
  const askWide1 = askNear1 + 101 * 3; // within +1 %
  const askWide5 = askWide1 + 101.8 * 5; // within +2 %
  const bidNear1 = 99.9 * 1 + 99.6 * 2; // bids within −0.5 %
  const bidWide1 = bidNear1 + 99.35 * 4 + 99 * 6; // within −1 %
  const bidWide5 = bidWide1 + 98.1 * 5; // within −2 %

  it("compares the levels/depth ratio of the ring beyond the band with the band's, up against down", () => {
    const v = at(cascadeConvexity, [...COHORT, BOOK], 70_000);
    // 1m (b = 0.5 %): nothing within 0.5 %, so R_in = 0 both sides; the ring 0.5..1 % holds one level each side
    const x1 = usd(SHORT100) / (askWide1 - askNear1) - usd(LONG100) / (bidWide1 - bidNear1);
    expectValue(v["1m"], { score: firstScore(x1, 1), strength: firstScore(Math.abs(x1), 1), confidence: 1 / 30, value: x1 });
    expect(x1).toBeGreaterThan(0);
    // 5m (b = 1 %): up: 100x level / asks within 1 %, ring: 50x level / asks 1..2 %; down likewise with bids
    const gUp = usd(SHORT50) / (askWide5 - askWide1) - usd(SHORT100) / askWide1;
    const gDown = usd(LONG50) / (bidWide5 - bidWide1) - usd(LONG100) / bidWide1;
    expectValue(v["5m"], { score: firstScore(gUp - gDown, 1), confidence: 1 / 30, value: gUp - gDown });
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("is unavailable where the book does not reach 2b, and where levels lie on no depth", () => {
    expectUnavailable(at(cascadeConvexity, [...COHORT, BOOK], 70_000)["1h"], "book reaches only +3 % / −3 % of mid, less than the ±4 % needed");
    // without the asks at 101.8 the 50x short level (+1.6 %) lies in a ring of the 5m band with no depth
    const holed = bookSnapshot(61_000, 1, BIDS, ASKS.filter(([p]) => p !== 101.8));
    expectUnavailable(at(cascadeConvexity, [...COHORT, holed], 70_000)["5m"], "no resting depth where levels lie (ratio infinite)");
    expectUnavailable(at(cascadeConvexity, COHORT, 70_000)["5m"], "no book feed");
  });
});

describe("cascade.cushion-pull", () => {
  const askNow = 100.1 * 1 + 101 * 3; // asks within +1 % after 100.4 is pulled
  const bidNow = 99.9 * 1 + 99.35 * 4 + 99 * 6; // bids within −1 % after 99.6 is pulled
  /** F/D − F/(D + pulled): the rise of the levels/depth ratio the withdrawal caused. */
  const rise = (fuel: number, depth: number, pulled: number) => fuel / depth - fuel / (depth + pulled);

  it("reads asks pulled in front of short levels as the rise of the upside cascade ratio: bullish", () => {
    // at 65 s the 2 asks at 100.4 are cancelled (200.8 USD removed within the 1 % band); no taker buy filled them
    const v = at(cascadeCushionPull, [...COHORT, BOOK, bookDelta(65_000, 2, [], [[100.4, 0]])], 70_000);
    // up: the 100x short level over 403.1 of asks now, against 403.1 + 200.8 before; down: nothing pulled, ΔR = 0
    const x = rise(usd(SHORT100), askNow, 200.8);
    expectValue(v["1m"], { score: firstScore(x, 0.1), strength: firstScore(x, 0.1), confidence: 1 / 30, value: x });
    expectValue(v["5m"], { score: firstScore(x, 0.1), value: x });
    expect(x).toBeGreaterThan(0);
  });

  it("reads bids pulled in front of long levels as bearish, and does not count taker fills as pulled", () => {
    const v = at(cascadeCushionPull, [...COHORT, BOOK, bookDelta(65_000, 2, [[99.6, 0]], [])], 70_000);
    // 1m: 199.2 removed, 100 of it the taker sell at 30 s: 99.2 pulled in front of the 100x long level
    const x = -rise(usd(LONG100), bidNow, 2 * 99.6 - 100);
    expectValue(v["1m"], { score: firstScore(x, 0.1), confidence: 1 / 30, value: x });
    // 5m: the two taker sells (200) cover the 199.2 removed: nothing pulled
    expectValue(v["5m"], { score: 0, confidence: 1 / 30, value: 0 });
  });

  it("is unavailable without a synced book, with an empty side, inside every band, with no depth under levels, and without open interest", () => {
    expectUnavailable(at(cascadeCushionPull, [...COHORT, bookDelta(61_000, 5, [[99.9, 1]], [])], 70_000)["1m"], "book not synced");
    expectUnavailable(at(cascadeCushionPull, [...COHORT, bookSnapshot(61_000, 1, BIDS, [])], 70_000)["1m"], "book side empty");
    const thin = bookSnapshot(61_000, 1, [[99.99, 1]], [[100.01, 1]]);
    expectUnavailable(at(cascadeCushionPull, [...COHORT, thin], 70_000)["1m"], "book reaches only +0.01 % / −0.01 % of mid, inside every book-change band");
    const gap = bookSnapshot(61_000, 1, [[98.9, 1], [97, 10]], [[101.1, 1], [103, 10]]);
    expectUnavailable(at(cascadeCushionPull, [...COHORT, gap], 70_000)["1m"], "no resting depth in the band");
    expectUnavailable(at(cascadeCushionPull, [trade(1_000, "buy", 1), BOOK], 70_000)["1m"], "no oi feed");
  });
});

describe("cascade.in-progress", () => {
  it("reads shorts being liquidated with short levels still ahead as a cascade up under way", () => {
    const v = at(cascadeInProgress, [...COHORT, liq(62_000, "short", 300), liq(64_000, "long", 100)], 70_000);
    // 5m band 1 %: Fu = the 100x short level, Fd = the 100x long level; Rs = 300, Rl = 100
    const fu = usd(SHORT100);
    const fd = usd(LONG100);
    const x = (Math.sqrt(300 * fu) - Math.sqrt(100 * fd)) / Math.sqrt(400 * (fu + fd));
    // confidence: min(2 liquidations / 10, 1 cohort / 30)
    expectValue(v["5m"], { score: firstScore(x, 0.5), strength: firstScore(x, 0.5), confidence: 1 / 30, value: Math.sqrt(300 * fu) - Math.sqrt(100 * fd), sampling: "sampled" });
    expect(v["5m"].score).toBeGreaterThan(0);
    // 1h band 2 %: both tiers each side
    const fu1h = usd(SHORT100) + usd(SHORT50);
    const fd1h = usd(LONG100) + usd(LONG50);
    expectValue(v["1h"], { score: firstScore((Math.sqrt(300 * fu1h) - Math.sqrt(100 * fd1h)) / Math.sqrt(400 * (fu1h + fd1h)), 0.5) });
    // 1m band 0.5 %: no fuel ahead on either side: no cascade (x = 0)
    expectValue(v["1m"], { score: 0, confidence: 1 / 30, value: 0 });
  });

  it("is a measured zero without liquidations in the window, and needs every feed", () => {
    const v = at(cascadeInProgress, [...COHORT, liq(5_000, "long", 100)], 70_000);
    // 1m [10 s, 70 s) holds none; 5m holds the long: x = −√(100 · Fd) / √(100 · (Fu + Fd))
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
    const fu = usd(SHORT100);
    const fd = usd(LONG100);
    expectValue(v["5m"], { score: firstScore(-Math.sqrt(100 * fd) / Math.sqrt(100 * (fu + fd)), 0.5), confidence: 1 / 30 });
    expectUnavailable(at(cascadeInProgress, COHORT, 70_000)["1m"], "no liquidation feed");
    expectUnavailable(at(cascadeInProgress, [trade(1_000, "buy", 1), liq(2_000, "long", 100)], 10_000)["1m"], "no oi feed");
  });
});

describe("cascade.approach", () => {
  it("keeps the window's move when it heads into the side with more fuel: up into short levels is bullish", () => {
    const v = at(cascadeApproach, [...COHORT, trade(65_000, "buy", 1, 100.1)], 70_000);
    const r = 10_000 * Math.log(100.1 / 100);
    // 1m: band 0.5 % of 100.1 holds only the short level (100.5976 ≤ 100.6005): f = 1, x = r; 2 trades of 100
    expectValue(v["1m"], { score: firstScore(r, 5), strength: firstScore(r, 5), confidence: 0.02, value: r });
    // 5m: band 1 % holds the 100x level each side: f = (Fu − Fd)/(Fu + Fd) > 0, x = r · f; min(3 trades / 100, 1/30)
    const f = (usd(SHORT100) - usd(LONG100)) / (usd(SHORT100) + usd(LONG100));
    expectValue(v["5m"], { score: firstScore(r * f, 10), confidence: 0.03, value: r * f });
  });

  it("signs a move down into long levels bearish, and is 0 for a move away from the fuller side", () => {
    const v = at(cascadeApproach, [...COHORT, trade(65_000, "sell", 1, 99.7)], 70_000);
    const r = 10_000 * Math.log(99.7 / 100);
    // 1m: band 0.5 % of 99.7 holds only the long level: f = −1, x = r · |f| = r < 0
    expectValue(v["1m"], { score: firstScore(r, 5), confidence: 0.02, value: r });
    // 5m: both 100x levels, the short one slightly fuller (f > 0) while price fell: x = 0
    expectValue(v["5m"], { score: 0, confidence: 0.03, value: 0 });
  });

  it("is a measured zero on a window without trades, and unavailable without open interest", () => {
    // 1m window [90 s, 150 s) holds no trade; the last one (30 s) is 120 s old: still current (limit 120 s)
    expectValue(at(cascadeApproach, COHORT, 150_000)["1m"], { score: 0, confidence: 0, value: 0 });
    expectUnavailable(at(cascadeApproach, [trade(1_000, "buy", 1)], 10_000)["1m"], "no oi feed");
  });
});
