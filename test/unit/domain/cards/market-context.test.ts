/**
 * The `market-context` cards: each read from a market context set on the engine a cycle before the
 * boundary (as the Coordinator answers), hand-checked against the context's figures, with every
 * unavailable branch; two cases run the context through a real `MarketMemory`.
 */
import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/market-context/index.js";
import { mktBiasBreadth } from "../../../../src/domain/cards/market-context/bias-breadth.js";
import { mktBreadth } from "../../../../src/domain/cards/market-context/breadth.js";
import { mktBtcLead } from "../../../../src/domain/cards/market-context/btc-lead.js";
import { mktBtcTrend } from "../../../../src/domain/cards/market-context/btc-trend.js";
import { mktCorrelation } from "../../../../src/domain/cards/market-context/correlation.js";
import { mktDecoupling } from "../../../../src/domain/cards/market-context/decoupling.js";
import { mktDispersion } from "../../../../src/domain/cards/market-context/dispersion.js";
import { mktFlow } from "../../../../src/domain/cards/market-context/flow.js";
import { mktFundingRelative } from "../../../../src/domain/cards/market-context/funding-relative.js";
import { mktLiqSkew } from "../../../../src/domain/cards/market-context/liq-skew.js";
import { mktOiChange } from "../../../../src/domain/cards/market-context/oi-change.js";
import { mktRelativeBasket } from "../../../../src/domain/cards/market-context/relative-basket.js";
import { mktRelativeBtc } from "../../../../src/domain/cards/market-context/relative-btc.js";
import { mktRiskTone } from "../../../../src/domain/cards/market-context/risk-tone.js";
import { mktVolumeShare } from "../../../../src/domain/cards/market-context/volume-share.js";
import { CardRegistry, type CardDefinition } from "../../../../src/domain/cards/registry.js";
import { DEFAULT_ENGINE_CONFIG } from "../../../../src/domain/config.js";
import type { CanonicalEvent } from "../../../../src/domain/events.js";
import { MarketMemory, type MarketContext } from "../../../../src/domain/market/memory.js";
import type { CycleSummary } from "../../../../src/domain/market/summary.js";
import { TIMEFRAMES, type CardValue, type Timeframe } from "../../../../src/protocol/snapshot.js";
import { engineFor, expectUnavailable, expectValue, firstScore, liq, mark, trade, valuesAt } from "./helpers.js";

// ── helpers of this file ──

/** The context's boundary and the boundary the cards read it at (one cycle later). */
const CTX_TS = 10_000;
const AT = 20_000;

/** 40 taker buys of 1 @ 100 in [1 000, 4 900): every window at AT holds 40 trades (confidence 0.4 where trades count). */
const TRADES = Array.from({ length: 40 }, (_, i) => trade(1_000 + i * 100, "buy", 1));

const perTf = <T>(v: T): Record<Timeframe, T> => ({ "1m": v, "5m": v, "1h": v });

type Own = MarketContext["own"];

/**
 * A market context of a non-BTC symbol at CTX_TS: five symbols, BTC present, a beta of 1.5 over
 * 120 minutes; `over` replaces top-level fields, `own` fields of the symbol's place in it.
 */
function ctx(over: Partial<Omit<MarketContext, "own">> & { own?: Partial<Own> } = {}): MarketContext {
  const { own, ...rest } = over;
  return {
    ts: CTX_TS,
    symbols: 5,
    breadth: perTf({ up: 0.6, down: 0.2, n: 5 }),
    biasBreadth: { long: 0.4, short: 0.2, n: 5 },
    btc: { returns: { "1m": 0.001, "5m": 0.002, "1h": 0.005 }, lastMinute: 0.0006 },
    basketReturn: { "1m": 0.0005, "5m": 0.001, "1h": 0.004 },
    dispersion: { "1m": 0.001, "5m": 0.002, "1h": 0.006 },
    liquidations: { longUsd: 0, shortUsd: 0, skew: null, sampling: "none", symbols: 0 },
    flow: perTf(0.1),
    funding8h: { mean: 0.0001, n: 5 },
    oiChangePct: perTf(0.1),
    ...rest,
    own: {
      beta: 1.5,
      correlation: 0.8,
      betaMinutes: 120,
      relativeToBtc: { "1m": 0.0002, "5m": 0.001, "1h": 0.002 },
      relativeToBasket: { "1m": 0.0004, "5m": 0.0008, "1h": 0.001 },
      volumeShare: { "1m": 0.3, "5m": 0.1, "1h": 0.1 },
      ...own,
    },
  };
}

/** BTC's own place in the market, as the market memory states it (beta 1 over 0 minutes). */
const BTC_OWN: Partial<Own> = { beta: 1, correlation: 1, betaMinutes: 0, relativeToBtc: perTf(0) };

/** The card's values at `at` after `events`, with `context` (null: none) set on the engine first. */
function run(card: CardDefinition, context: MarketContext | null, events: readonly CanonicalEvent[] = TRADES, at = AT): Record<Timeframe, CardValue> {
  const engine = engineFor(card);
  if (context !== null) engine.setMarketContext(context);
  return valuesAt(card, events, at, engine);
}

/** Every feed a card of the family can ask for: trades, a liquidation, a mark with funding. */
const ALL_FEEDS: CanonicalEvent[] = [...TRADES, liq(5_000, "long", 100), mark(6_000, { fundingRate: 0.0001 })];

const NONE = "no market context yet: the Coordinator has not answered";
const STALE = "market context stale: 30 s old (more than two cycles)";

// ── the family ──

describe("market-context cards", () => {
  it("are registered in output order with distinct ids, all accepted by the registry", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "mkt.breadth",
      "mkt.btc-trend",
      "mkt.btc-lead",
      "mkt.risk-tone",
      "mkt.relative-btc",
      "mkt.relative-basket",
      "mkt.decoupling",
      "mkt.flow",
      "mkt.liq-skew",
      "mkt.funding-relative",
      "mkt.bias-breadth",
      "mkt.dispersion",
      "mkt.oi-change",
      "mkt.volume-share",
      "mkt.correlation",
    ]);
    expect(new CardRegistry(CARDS).cards).toHaveLength(15);
    expect(DEFAULT_ENGINE_CONFIG.cards.marketFullConfidenceSymbols).toBe(20);
    expect(DEFAULT_ENGINE_CONFIG.cards.betaFullConfidenceMinutes).toBe(240);
  });

  it.each(CARDS.map((c) => [c.id, c] as const))("%s is unavailable before the Coordinator answers", (_id, card) => {
    const v = run(card, null, ALL_FEEDS);
    for (const tf of TIMEFRAMES) expectUnavailable(v[tf], NONE);
  });

  it.each(CARDS.map((c) => [c.id, c] as const))("%s is unavailable on a context more than two cycles old", (_id, card) => {
    // context of 10 000 read at 40 000
    const v = run(card, ctx(), ALL_FEEDS, 40_000);
    for (const tf of TIMEFRAMES) expectUnavailable(v[tf], STALE);
  });
});

describe("mkt.breadth", () => {
  it("scores up − down shares over the symbols priced in the window, bullish when most rose", () => {
    const v = run(mktBreadth, ctx({ breadth: { "1m": { up: 0.6, down: 0.2, n: 5 }, "5m": { up: 0.6, down: 0.2, n: 5 }, "1h": { up: 0.25, down: 0.75, n: 4 } } }));
    // 1m: 0.6 − 0.2 = 0.4 against 0.5; confidence 5 / 20
    expectValue(v["1m"], { score: firstScore(0.4, 0.5), strength: firstScore(0.4, 0.5), confidence: 0.25, value: 0.4 });
    expect(v["1m"].score).toBeGreaterThan(0);
    // 1h: 0.25 − 0.75 = −0.5; 4 / 20
    expectValue(v["1h"], { score: firstScore(-0.5, 0.5), confidence: 0.2, value: -0.5 });
    expect(v["1h"].score).toBeLessThan(0);
  });

  it("is unavailable with fewer than 3 symbols priced in the window", () => {
    const v = run(mktBreadth, ctx({ breadth: perTf({ up: 1, down: 0, n: 2 }) }));
    expectUnavailable(v["5m"], "fewer than 3 symbols priced in the window (2)");
  });
});

describe("mkt.btc-trend", () => {
  it("scores BTC's window return on 5m and 1h", () => {
    const v = run(mktBtcTrend, ctx({ btc: { returns: { "1m": 0.001, "5m": 0.002, "1h": -0.005 }, lastMinute: 0.0006 } }));
    expectValue(v["5m"], { score: firstScore(0.002, 0.0018), confidence: 1, value: 0.002 });
    expect(v["5m"].score).toBeGreaterThan(0);
    expectValue(v["1h"], { score: firstScore(-0.005, 0.006), confidence: 1, value: -0.005 });
    expectUnavailable(v["1m"], "BTC's last minute is read by mkt.btc-lead");
  });

  it("is unavailable for BTC itself, without BTC, and without a BTC trade in the window", () => {
    expectUnavailable(run(mktBtcTrend, ctx({ own: BTC_OWN }))["5m"], "the symbol is BTC: its trend is its own momentum");
    expectUnavailable(run(mktBtcTrend, ctx({ btc: null }))["1h"], "no BTC in the market context");
    expectUnavailable(run(mktBtcTrend, ctx({ btc: { returns: { "1m": 0.001, "5m": null, "1h": 0.005 }, lastMinute: null } }))["5m"], "no BTC trade in the window");
  });
});

describe("mkt.btc-lead", () => {
  it("scores β · BTC's last-minute return on 1m and 5m, confidence from the beta's minutes", () => {
    const v = run(mktBtcLead, ctx());
    // 1.5 · 0.0006 = 0.0009 against 0.001; 120 / 240 minutes
    for (const tf of ["1m", "5m"] as const) expectValue(v[tf], { score: firstScore(1.5 * 0.0006, 0.001), confidence: 0.5, value: 1.5 * 0.0006 });
    expect(v["1m"].score).toBeGreaterThan(0);
    expectUnavailable(v["1h"], "a one-minute lead plays out within minutes");
  });

  it("leans bearish after a BTC down-minute", () => {
    const v = run(mktBtcLead, ctx({ btc: { returns: perTf(0), lastMinute: -0.0004 }, own: { beta: 0.5, betaMinutes: 480 } }));
    // 0.5 · −0.0004 = −0.0002; 480 minutes: confidence capped at 1
    expectValue(v["1m"], { score: firstScore(-0.0002, 0.001), confidence: 1, value: -0.0002 });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("is unavailable for BTC, without BTC, without a last minute, and before a beta", () => {
    expectUnavailable(run(mktBtcLead, ctx({ own: BTC_OWN }))["1m"], "the symbol is BTC: its lead is its own last minute");
    expectUnavailable(run(mktBtcLead, ctx({ btc: null, own: { beta: null, correlation: null, betaMinutes: 0 } }))["1m"], "no BTC in the market context");
    expectUnavailable(run(mktBtcLead, ctx({ btc: { returns: perTf(0.001), lastMinute: null } }))["5m"], "no BTC return for the last minute yet");
    expectUnavailable(run(mktBtcLead, ctx({ own: { beta: null, correlation: null, betaMinutes: 42 } }))["1m"], "no beta to BTC yet (42 of 60 minutes)");
    expectUnavailable(run(mktBtcLead, ctx({ own: { beta: null, correlation: null, betaMinutes: 300 } }))["1m"], "no beta to BTC: minute returns over the day did not vary");
  });
});

describe("mkt.risk-tone", () => {
  const context = ctx({
    btc: { returns: { "1m": 0.0008, "5m": 0.0036, "1h": -0.003 }, lastMinute: null },
    breadth: { "1m": { up: 0.2, down: 0.6, n: 5 }, "5m": { up: 0.8, down: 0.2, n: 5 }, "1h": { up: 0.25, down: 0.75, n: 4 } },
  });

  it("takes the weaker of BTC's and breadth's readings when they agree, 0 when they split", () => {
    const v = run(mktRiskTone, context);
    // 5m: a = 0.0036 / 0.0018 = 2, b = (0.8 − 0.2) / 0.5 = 1.2 → x = 1.2 (risk-on); 5 / 20 symbols
    const x5 = Math.min(0.0036 / 0.0018, (0.8 - 0.2) / 0.5);
    expect(x5).toBeCloseTo(1.2, 12);
    expectValue(v["5m"], { score: firstScore(x5, 0.75), confidence: 0.25, value: x5 });
    expect(v["5m"].score).toBeGreaterThan(0);
    // 1h: a = −0.003 / 0.006 = −0.5, b = (0.25 − 0.75) / 0.5 = −1 → x = −0.5 (risk-off)
    expectValue(v["1h"], { score: firstScore(-0.5, 0.75), confidence: 0.2, value: -0.5 });
    expect(v["1h"].score).toBeLessThan(0);
    // 1m: BTC up (a = 1) while breadth is down (b = −0.8): rotation, not risk
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0.25, value: 0 });
  });

  it("is unavailable without BTC, without a BTC trade in the window, and with fewer than 3 symbols", () => {
    expectUnavailable(run(mktRiskTone, ctx({ btc: null }))["5m"], "no BTC in the market context");
    expectUnavailable(run(mktRiskTone, ctx({ btc: { returns: { "1m": null, "5m": 0.001, "1h": 0.001 }, lastMinute: null } }))["1m"], "no BTC trade in the window");
    expectUnavailable(run(mktRiskTone, ctx({ breadth: perTf({ up: 0.5, down: 0.5, n: 2 }) }))["1h"], "fewer than 3 symbols priced in the window (2)");
  });

  it("is read for BTC too: its own return against the crowd's", () => {
    const v = run(mktRiskTone, { ...context, own: { ...context.own, ...BTC_OWN } });
    expectValue(v["5m"], { score: firstScore(1.2, 0.75) });
  });
});

describe("mkt.relative-btc", () => {
  it("scores the symbol's return less BTC's, confidence from its own trades", () => {
    const v = run(mktRelativeBtc, ctx({ own: { relativeToBtc: { "1m": 0.0002, "5m": 0.003, "1h": -0.009 } } }));
    // 40 trades / 100
    expectValue(v["5m"], { score: firstScore(0.003, 0.002), confidence: 0.4, value: 0.003 });
    expect(v["5m"].score).toBeGreaterThan(0);
    expectValue(v["1h"], { score: firstScore(-0.009, 0.006), confidence: 0.4, value: -0.009 });
    expect(v["1h"].score).toBeLessThan(0);
  });

  it("is unavailable for BTC, without BTC, without a BTC trade or a trade of the symbol in the window", () => {
    expectUnavailable(run(mktRelativeBtc, ctx({ own: BTC_OWN }))["1m"], "the symbol is BTC: its return relative to BTC is 0");
    expectUnavailable(run(mktRelativeBtc, ctx({ btc: null }))["1m"], "no BTC in the market context");
    const noBtcTrade = ctx({ btc: { returns: { "1m": null, "5m": 0.002, "1h": 0.005 }, lastMinute: null }, own: { relativeToBtc: { "1m": null, "5m": 0.001, "1h": 0.002 } } });
    expectUnavailable(run(mktRelativeBtc, noBtcTrade)["1m"], "no BTC trade in the window");
    expectUnavailable(run(mktRelativeBtc, ctx({ own: { relativeToBtc: { "1m": null, "5m": 0.001, "1h": 0.002 } } }))["1m"], "no trade of the symbol in the window");
  });
});

describe("mkt.relative-basket", () => {
  it("scores the symbol's return less the basket's, confidence the lower of trades and symbols", () => {
    const v = run(mktRelativeBasket, ctx({ own: { relativeToBasket: { "1m": 0.0004, "5m": 0.0008, "1h": -0.002 } } }));
    // min(40 / 100, 5 / 20) = 0.25
    expectValue(v["1m"], { score: firstScore(0.0004, 0.0008), confidence: 0.25, value: 0.0004 });
    expect(v["1m"].score).toBeGreaterThan(0);
    expectValue(v["1h"], { score: firstScore(-0.002, 0.005), confidence: 0.25, value: -0.002 });
    // 10 trades: min(0.1, 0.25)
    const few = run(mktRelativeBasket, ctx(), TRADES.slice(0, 10));
    expectValue(few["5m"], { score: firstScore(0.0008, 0.0016), confidence: 0.1 });
  });

  it("needs no BTC, and is unavailable with fewer than 3 symbols or without a trade of the symbol", () => {
    expectValue(run(mktRelativeBasket, ctx({ btc: null }))["1m"], { value: 0.0004 });
    expectUnavailable(run(mktRelativeBasket, ctx({ breadth: perTf({ up: 0, down: 1, n: 2 }) }))["1m"], "fewer than 3 symbols priced in the window (2)");
    expectUnavailable(run(mktRelativeBasket, ctx({ own: { relativeToBasket: { "1m": null, "5m": 0.001, "1h": 0.001 } } }))["1m"], "no trade of the symbol in the window");
  });
});

describe("mkt.decoupling", () => {
  it("takes the beta-explained move out: a high-beta coin that only followed BTC reads 0", () => {
    const v = run(mktDecoupling, ctx({ own: { relativeToBtc: { "1m": -0.002, "5m": 0.001, "1h": 0.004 } }, btc: { returns: { "1m": 0.002, "5m": 0.002, "1h": 0.004 }, lastMinute: 0 } }));
    // 5m: r_S = 0.001 + 0.002 = 0.003 = 1.5 · 0.002: beats BTC (mkt.relative-btc > 0) but no residual
    expectValue(v["5m"], { score: 0, value: 0.001 + 0.002 - 1.5 * 0.002 });
    // 1h: r_S = 0.008, x = 0.008 − 1.5 · 0.004 = 0.002; confidence min(40 / 100, 120 / 240) = 0.4
    const x1h = 0.004 + 0.004 - 1.5 * 0.004;
    expect(x1h).toBeCloseTo(0.002, 15);
    expectValue(v["1h"], { score: firstScore(x1h, 0.005), confidence: 0.4, value: x1h });
    expect(v["1h"].score).toBeGreaterThan(0);
    // 1m: r_S = 0, x = −1.5 · 0.002 = −0.003 (the symbol stood still while BTC rose)
    const x1m = -0.002 + 0.002 - 1.5 * 0.002;
    expectValue(v["1m"], { score: firstScore(x1m, 0.0008), value: x1m });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("takes its confidence from the beta's minutes when fewer than the trades", () => {
    const v = run(mktDecoupling, ctx({ own: { betaMinutes: 60 } }));
    // min(0.4, 60 / 240)
    expectValue(v["1h"], { confidence: 0.25 });
  });

  it("is unavailable for BTC, without BTC, before a beta, and without a BTC or own trade in the window", () => {
    expectUnavailable(run(mktDecoupling, ctx({ own: BTC_OWN }))["1h"], "the symbol is BTC: it has no residual to itself");
    expectUnavailable(run(mktDecoupling, ctx({ btc: null }))["1h"], "no BTC in the market context");
    expectUnavailable(run(mktDecoupling, ctx({ own: { beta: null, correlation: null, betaMinutes: 59 } }))["1h"], "no beta to BTC yet (59 of 60 minutes)");
    expectUnavailable(run(mktDecoupling, ctx({ btc: { returns: { "1m": 0.001, "5m": 0.002, "1h": null }, lastMinute: null } }))["1h"], "no BTC trade in the window");
    expectUnavailable(run(mktDecoupling, ctx({ own: { relativeToBtc: { "1m": 0, "5m": 0, "1h": null } } }))["1h"], "no trade of the symbol in the window");
  });
});

describe("mkt.flow", () => {
  it("scores the market's net taker share", () => {
    const v = run(mktFlow, ctx({ flow: { "1m": 0.3, "5m": 0.1, "1h": -0.03 } }));
    expectValue(v["1m"], { score: firstScore(0.3, 0.2), confidence: 0.25, value: 0.3 });
    expect(v["1m"].score).toBeGreaterThan(0);
    expectValue(v["1h"], { score: firstScore(-0.03, 0.06), confidence: 0.25, value: -0.03 });
    expect(v["1h"].score).toBeLessThan(0);
  });

  it("is a measured 0 when the market traded nothing, unavailable with fewer than 3 symbols", () => {
    expectValue(run(mktFlow, ctx({ flow: perTf(null) }))["5m"], { score: 0, confidence: 0, value: 0 });
    expectUnavailable(run(mktFlow, ctx({ breadth: perTf({ up: 1, down: 0, n: 1 }) }))["5m"], "fewer than 3 symbols priced in the window (1)");
  });
});

describe("mkt.liq-skew", () => {
  it("reads the market's hour of liquidations on every timeframe, bearish when longs are liquidated, sampled", () => {
    const v = run(mktLiqSkew, ctx({ liquidations: { longUsd: 3_000, shortUsd: 1_000, skew: 0.5, sampling: "sampled", symbols: 4 } }), ALL_FEEDS);
    // (1 000 − 3 000) / 4 000 = −0.5; 4 / 20 symbols; net forced buying −2 000 USD
    for (const tf of TIMEFRAMES) expectValue(v[tf], { score: firstScore(-0.5, 0.5), confidence: 0.2, value: -2_000, sampling: "sampled" });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("is bullish on liquidated shorts, labelled complete when every venue counted was", () => {
    const v = run(mktLiqSkew, ctx({ liquidations: { longUsd: 200, shortUsd: 600, skew: -0.5, sampling: "complete", symbols: 2 } }), ALL_FEEDS);
    expectValue(v["5m"], { score: firstScore(0.5, 0.5), confidence: 0.1, value: 400, sampling: "complete" });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("is a measured 0 without liquidations in the market, unavailable without the liquidation feed", () => {
    const quiet = run(mktLiqSkew, ctx(), ALL_FEEDS);
    expectValue(quiet["1h"], { score: 0, confidence: 0, value: 0 });
    expect(quiet["1h"].sampling).toBeUndefined();
    expectUnavailable(run(mktLiqSkew, ctx())["1m"], "no liquidation feed for the symbol");
  });
});

describe("mkt.funding-relative", () => {
  it("reads the symbol's funding above the market's mean as crowding: bearish", () => {
    // own 0.03 % per 8 h (Binance, 8-hour default); market mean 0.01 % over 5 symbols
    const v = run(mktFundingRelative, ctx(), [...TRADES, mark(6_000, { fundingRate: 0.0003 })]);
    for (const tf of TIMEFRAMES) expectValue(v[tf], { score: firstScore(0.0001 - 0.0003, 0.0003), confidence: 0.25, value: 0.0003 - 0.0001 });
    expect(v["1h"].score).toBeLessThan(0);
  });

  it("averages the symbol's venues and leans bullish below the market", () => {
    const events = [...TRADES, mark(6_000, { fundingRate: 0.0001 }), mark(7_000, { fundingRate: -0.0001, venue: "bybit" })];
    const v = run(mktFundingRelative, ctx({ funding8h: { mean: 0.0004, n: 10 } }), events);
    // own (0.0001 − 0.0001) / 2 = 0; x = 0.0004 − 0; 10 / 20 symbols
    expectValue(v["5m"], { score: firstScore(0.0004, 0.0003), confidence: 0.5, value: -0.0004 });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("is unavailable without marks, without a funding rate, with a stale rate, and with fewer than 3 symbols with one", () => {
    expectUnavailable(run(mktFundingRelative, ctx())["1m"], "no mark feed");
    expectUnavailable(run(mktFundingRelative, ctx(), [...TRADES, mark(6_000)])["1m"], "no funding rate in mark feed");
    // the rate of 1 000 is older than 300 s at 410 000
    const stale = run(mktFundingRelative, ctx({ ts: 400_000 }), [mark(1_000, { fundingRate: 0.0001 }), trade(405_000, "buy", 1)], 410_000);
    expectUnavailable(stale["1m"], "no current funding rate for the symbol");
    expectUnavailable(run(mktFundingRelative, ctx({ funding8h: { mean: 0.0001, n: 2 } }), ALL_FEEDS)["1m"], "fewer than 3 symbols with a funding rate (2)");
  });
});

describe("mkt.bias-breadth", () => {
  it("scores long − short shares of the symbols' day bias, the same on every timeframe", () => {
    const v = run(mktBiasBreadth, ctx({ biasBreadth: { long: 0.6, short: 0.1, n: 10 } }));
    for (const tf of TIMEFRAMES) expectValue(v[tf], { score: firstScore(0.5, 0.4), confidence: 0.5, value: 0.5 });
    expect(v["5m"].score).toBeGreaterThan(0);
    const short = run(mktBiasBreadth, ctx({ biasBreadth: { long: 0, short: 0.75, n: 4 } }));
    expectValue(short["1h"], { score: firstScore(-0.75, 0.4), confidence: 0.2, value: -0.75 });
  });

  it("is unavailable with fewer than 3 symbols with a day bias", () => {
    expectUnavailable(run(mktBiasBreadth, ctx({ biasBreadth: { long: 1, short: 0, n: 2 } }))["1m"], "fewer than 3 symbols with a day bias (2)");
  });
});

describe("mkt.dispersion", () => {
  it("is stress above the usual dispersion per √minute, score 0", () => {
    const v = run(mktDispersion, ctx({ dispersion: { "1m": 0.0004, "5m": 0.004, "1h": 0.0062 } }));
    // 5m: 0.004 / √5 = 0.001789 per √minute, (0.001789 − 0.0008) / 0.0004 = 2.47
    const z5 = (0.004 / Math.sqrt(5) - 0.0008) / 0.0004;
    expectValue(v["5m"], { score: 0, strength: Math.tanh(z5), confidence: 0.25, value: 0.004 });
    // 1h: 0.0062 / √60 = 0.000800 per √minute: about the usual level
    expectValue(v["1h"], { score: 0, strength: Math.tanh(Math.max((0.0062 / Math.sqrt(60) - 0.0008) / 0.0004, 0)), value: 0.0062 });
    // 1m: 0.0004 below the usual 0.0008: no stress
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0.25, value: 0.0004 });
  });

  it("is unavailable with fewer than 3 symbols, and when the context states none", () => {
    expectUnavailable(run(mktDispersion, ctx({ breadth: perTf({ up: 0.5, down: 0.5, n: 2 }) }))["5m"], "fewer than 3 symbols priced in the window (2)");
    expectUnavailable(run(mktDispersion, ctx({ dispersion: perTf(null) }))["5m"], "no dispersion in the market context");
  });
});

describe("mkt.oi-change", () => {
  it("is stress on a market-wide build-up only, score 0", () => {
    const v = run(mktOiChange, ctx({ oiChangePct: { "1m": null, "5m": 0.3, "1h": -0.2 } }));
    // 5m: 0.3 % against 0.15 % → tanh(2); 5 / 20 symbols
    expectValue(v["5m"], { score: 0, strength: Math.tanh(0.3 / 0.15), confidence: 0.25, value: 0.3 });
    // 1h: open interest fell: no stress
    expectValue(v["1h"], { score: 0, strength: 0, confidence: 0.25, value: -0.2 });
    expectUnavailable(v["1m"], "no open-interest change known across the market in the window");
  });

  it("is unavailable with fewer than 3 symbols in the market", () => {
    expectUnavailable(run(mktOiChange, ctx({ symbols: 2 }))["5m"], "fewer than 3 symbols in the market (2)");
  });
});

describe("mkt.volume-share", () => {
  it("is stress when the symbol's share of market volume rises above its hour's share", () => {
    const v = run(mktVolumeShare, ctx());
    // 1m: 0.3 / 0.1 = 3, ln 3 against 0.5; 40 trades / 100
    expectValue(v["1m"], { score: 0, strength: Math.tanh(Math.log(0.3 / 0.1) / 0.5), confidence: 0.4, value: 0.3 / 0.1 });
    // 5m: the hour's share exactly: ln 1 = 0
    expectValue(v["5m"], { score: 0, strength: 0, confidence: 0.4, value: 1 });
    expectUnavailable(v["1h"], "the hour's share is the reference");
  });

  it("is a measured low when the symbol traded nothing in the window", () => {
    const v = run(mktVolumeShare, ctx({ own: { volumeShare: { "1m": 0, "5m": null, "1h": 0.1 } } }));
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
    expectValue(v["5m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });

  it("is unavailable with fewer than 3 symbols, or without the market's or the symbol's volume in the hour", () => {
    expectUnavailable(run(mktVolumeShare, ctx({ symbols: 1 }))["1m"], "fewer than 3 symbols in the market (1)");
    expectUnavailable(run(mktVolumeShare, ctx({ own: { volumeShare: perTf(null) } }))["1m"], "no traded volume in the market in the hour");
    expectUnavailable(run(mktVolumeShare, ctx({ own: { volumeShare: perTf(0) } }))["5m"], "no traded volume of the symbol in the hour");
  });
});

describe("mkt.correlation", () => {
  it("is stress when the symbol moves with BTC less than usual, the same on every timeframe", () => {
    const v = run(mktCorrelation, ctx({ own: { correlation: 0.4 } }));
    // x = 1 − 0.4 = 0.6 against the prior center 0.3 and σ 0.15: z = 2; 120 / 240 minutes
    for (const tf of TIMEFRAMES) expectValue(v[tf], { score: 0, strength: Math.tanh((1 - 0.4 - 0.3) / 0.15), confidence: 0.5, value: 0.4 });
    // tightly tied: no stress
    expectValue(run(mktCorrelation, ctx({ own: { correlation: 0.9 } }))["1h"], { strength: 0, value: 0.9 });
  });

  it("is unavailable for BTC, without BTC, and before 60 minute returns", () => {
    expectUnavailable(run(mktCorrelation, ctx({ own: BTC_OWN }))["1h"], "the symbol is BTC: its correlation to itself is 1");
    expectUnavailable(run(mktCorrelation, ctx({ btc: null }))["1h"], "no BTC in the market context");
    expectUnavailable(run(mktCorrelation, ctx({ own: { beta: null, correlation: null, betaMinutes: 30 } }))["1h"], "no correlation to BTC yet (30 of 60 minutes)");
  });
});

// ── through a real market memory ──

const MIN = 60_000;

function summary(symbol: string, ts: number, over: Partial<CycleSummary> = {}): CycleSummary {
  return {
    symbol,
    ts,
    price: 100,
    returns: perTf(null),
    volumeUsd: perTf(0),
    takerDeltaUsd: perTf(0),
    oiChangePct: perTf(null),
    funding8h: null,
    liquidations: { longUsd: 0, shortUsd: 0, sampling: null },
    bias: { scalp: null, day: null, swing: null },
    ...over,
  };
}

describe("market-context cards on a MarketMemory context", () => {
  it("breadth, relative-basket and dispersion from three symbols' summaries", () => {
    const m = new MarketMemory(10_000, 0.1);
    const r = (x: number) => ({ "1m": null, "5m": x, "1h": null });
    m.report(summary("AAAUSDT", CTX_TS, { returns: r(0.01) }));
    m.report(summary("BBBUSDT", CTX_TS, { returns: r(0.02) }));
    m.report(summary("CCCUSDT", CTX_TS, { returns: r(-0.01) }));
    const c = m.context("BBBUSDT", CTX_TS);
    if (c === null) throw new Error("no context");
    // two up, one down: (2 − 1) / 3; confidence 3 / 20
    expectValue(run(mktBreadth, c)["5m"], { score: firstScore(1 / 3, 0.5), confidence: 0.15, value: 1 / 3 });
    // basket (0.01 + 0.02 − 0.01) / 3; BBB 0.02 − 0.02 / 3 = 0.04 / 3; confidence min(0.4, 0.15)
    expectValue(run(mktRelativeBasket, c)["5m"], { score: firstScore(0.04 / 3, 0.0016), confidence: 0.15, value: 0.04 / 3 });
    // sample stdev of (0.01, 0.02, −0.01) around their mean 0.02 / 3: deviations 0.01 / 3, 0.04 / 3, −0.05 / 3,
    // √((1 + 16 + 25) · 1e-4 / 9 / 2) = √(7e-4 / 3) = 0.015275
    const d = Math.sqrt(7e-4 / 3);
    expectValue(run(mktDispersion, c)["5m"], { strength: Math.tanh((d / Math.sqrt(5) - 0.0008) / 0.0004), value: d });
    // no BTC among them
    expectUnavailable(run(mktRelativeBtc, c)["5m"], "no BTC in the market context");
    expectUnavailable(run(mktBtcLead, c)["5m"], "no BTC in the market context");
  });

  it("btc-lead from a beta the memory estimated: a coin moving twice BTC's minute returns has β = 2", () => {
    const m = new MarketMemory(MIN, 0.1);
    // 62 whole-minute boundaries; BTC cycles 100, 101, 102; the coin's log returns are twice BTC's
    const end = 62 * MIN;
    for (let k = 0; k < 62; k++) {
      const btc = 100 + (k % 3);
      m.report(summary("BTCUSDT", (k + 1) * MIN, { price: btc }));
      m.report(summary("COINUSDT", (k + 1) * MIN, { price: 100 * (btc / 100) ** 2 }));
    }
    const c = m.context("COINUSDT", end);
    if (c === null) throw new Error("no context");
    expect(c.own.betaMinutes).toBe(61);
    expect(c.own.beta).toBeCloseTo(2, 9);
    expect(c.own.correlation).toBeCloseTo(1, 9);
    // BTC's last minute: 100 → 101 (k = 60, 61)
    expect(c.btc?.lastMinute).toBeCloseTo(Math.log(101 / 100), 15);
    const engine = engineFor(mktBtcLead);
    engine.setMarketContext(c);
    const v = valuesAt(mktBtcLead, [trade(end - 5_000, "buy", 1)], end + 10_000, engine);
    // x = β · ln(1.01) ≈ 2 · 0.00995; confidence 61 / 240
    const x = (c.own.beta as number) * Math.log(101 / 100);
    expectValue(v["1m"], { score: firstScore(x, 0.001), confidence: 61 / 240, value: x });
    expect(x).toBeCloseTo(2 * Math.log(1.01), 9);
    // the memory's context of BTC itself is recognised as BTC's
    const own = m.context("BTCUSDT", end);
    if (own === null) throw new Error("no BTC context");
    const e2 = engineFor(mktBtcLead);
    e2.setMarketContext(own);
    expectUnavailable(valuesAt(mktBtcLead, [trade(end - 5_000, "buy", 1)], end + 10_000, e2)["1m"], "the symbol is BTC");
  });
});
