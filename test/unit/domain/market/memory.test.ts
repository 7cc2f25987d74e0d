import { describe, expect, it } from "vitest";
import { MarketMemory, MIN_BETA_MINUTES } from "../../../../src/domain/market/memory.js";
import type { CycleSummary } from "../../../../src/domain/market/summary.js";

const CYCLE = 10_000;
const MIN = 60_000;

function summary(symbol: string, ts: number, over: Partial<CycleSummary> = {}): CycleSummary {
  return {
    symbol,
    ts,
    price: 100,
    returns: { "1m": null, "5m": null, "1h": null },
    volumeUsd: { "1m": 0, "5m": 0, "1h": 0 },
    takerDeltaUsd: { "1m": 0, "5m": 0, "1h": 0 },
    oiChangePct: { "1m": null, "5m": null, "1h": null },
    funding8h: null,
    liquidations: { longUsd: 0, shortUsd: 0, sampling: null },
    bias: { scalp: null, day: null, swing: null },
    ...over,
  };
}

const r1h = (x: number) => ({ "1m": null, "5m": null, "1h": x });

describe("MarketMemory: the market across fresh symbols", () => {
  const T = 600 * MIN;
  function threeSymbols(): MarketMemory {
    const m = new MarketMemory(CYCLE, 0.1);
    m.report(summary("BTCUSDT", T, { returns: r1h(0.01), bias: { scalp: null, day: 0.5, swing: null }, liquidations: { longUsd: 300, shortUsd: 0, sampling: "complete" } }));
    m.report(summary("ETHUSDT", T, { returns: r1h(0.02), bias: { scalp: null, day: -0.4, swing: null }, liquidations: { longUsd: 0, shortUsd: 100, sampling: "sampled" } }));
    m.report(summary("SOLUSDT", T - CYCLE, { returns: r1h(-0.01), bias: { scalp: null, day: 0.05, swing: null } }));
    return m;
  }

  it("breadth, bias breadth, basket, dispersion and relative strength (hand-checked)", () => {
    const c = threeSymbols().context("ETHUSDT", T);
    expect(c).not.toBeNull();
    if (c === null) return;
    expect(c.symbols).toBe(3);
    // 1h returns +1 %, +2 %, −1 %: two up, one down.
    expect(c.breadth["1h"]).toEqual({ up: 2 / 3, down: 1 / 3, n: 3 });
    expect(c.breadth["1m"]).toEqual({ up: 0, down: 0, n: 0 });
    // Day bias 0.5 long, −0.4 short, 0.05 inside the band 0.1.
    expect(c.biasBreadth).toEqual({ long: 1 / 3, short: 1 / 3, n: 3 });
    // Basket mean 0.02/3; sample stdev of (0.01, 0.02, −0.01) = sqrt(4.6667e-4 / 2) = 0.015275.
    expect(c.basketReturn["1h"]).toBeCloseTo(0.0066667, 6);
    expect(c.dispersion["1h"]).toBeCloseTo(0.015275, 5);
    expect(c.dispersion["1m"]).toBeNull();
    expect(c.btc?.returns["1h"]).toBe(0.01);
    expect(c.own.relativeToBtc["1h"]).toBeCloseTo(0.01, 12);
    expect(c.own.relativeToBasket["1h"]).toBeCloseTo(0.0133333, 6);
    expect(c.own.relativeToBtc["5m"]).toBeNull();
  });

  it("market flow, mean funding and OI change, and the symbol's volume share (hand-checked)", () => {
    const m = new MarketMemory(CYCLE, 0.1);
    const vol = (x: number) => ({ "1m": x, "5m": x, "1h": x });
    m.report(summary("BTCUSDT", T, { volumeUsd: vol(300), takerDeltaUsd: vol(60), funding8h: 0.0001, oiChangePct: { "1m": 1, "5m": null, "1h": 2 } }));
    m.report(summary("ETHUSDT", T, { volumeUsd: vol(100), takerDeltaUsd: vol(-20), funding8h: 0.0003, oiChangePct: { "1m": -3, "5m": null, "1h": null } }));
    m.report(summary("SOLUSDT", T, { volumeUsd: vol(0), takerDeltaUsd: vol(0) }));
    const c = m.context("ETHUSDT", T);
    // (60 − 20) / (300 + 100 + 0)
    expect(c?.flow["1h"]).toBeCloseTo(0.1, 12);
    expect(c?.funding8h.mean).toBeCloseTo(0.0002, 15);
    expect(c?.funding8h.n).toBe(2);
    expect(c?.oiChangePct).toEqual({ "1m": -1, "5m": null, "1h": 2 });
    expect(c?.own.volumeShare["5m"]).toBeCloseTo(0.25, 12);
    expect(m.context("SOLUSDT", T)?.own.volumeShare["5m"]).toBe(0);
  });

  it("liquidation skew over the symbols, sampled as soon as one of them is", () => {
    const c = threeSymbols().context("BTCUSDT", T);
    // (300 − 100) / 400
    expect(c?.liquidations).toEqual({ longUsd: 300, shortUsd: 100, skew: 0.5, sampling: "sampled", symbols: 2 });
  });

  it("a summary older than two cycles leaves the market; a stale symbol gets no context", () => {
    const m = threeSymbols();
    m.report(summary("BTCUSDT", T + 3 * CYCLE, { returns: r1h(0.01) }));
    const c = m.context("BTCUSDT", T + 3 * CYCLE);
    expect(c?.symbols).toBe(1);
    expect(c?.dispersion["1h"]).toBeNull();
    expect(m.context("ETHUSDT", T + 3 * CYCLE)).toBeNull();
    expect(m.context("XRPUSDT", T)).toBeNull();
  });

  it("an older summary does not replace a newer one", () => {
    const m = threeSymbols();
    m.report(summary("ETHUSDT", T - 5 * CYCLE, { returns: r1h(-0.5) }));
    expect(m.context("ETHUSDT", T)?.own.relativeToBtc["1h"]).toBeCloseTo(0.01, 12);
  });
});

describe("MarketMemory: beta and correlation to BTC from minute closes", () => {
  // BTC alternates ±0.1 % a minute; ETH moves twice as much the same way; SOL stays flat.
  function run(minutes: number): MarketMemory {
    const m = new MarketMemory(CYCLE, 0.1);
    let lnBtc = Math.log(100);
    for (let k = 1; k <= minutes + 1; k++) {
      const ts = k * MIN;
      m.report(summary("BTCUSDT", ts, { price: Math.exp(lnBtc) }));
      m.report(summary("ETHUSDT", ts, { price: Math.exp(2 * lnBtc - Math.log(200)) }));
      m.report(summary("SOLUSDT", ts, { price: 20 }));
      lnBtc += k % 2 === 0 ? 0.001 : -0.0015;
    }
    return m;
  }

  it("β = cov/var(BTC) = 2 and ρ = 1 for a symbol moving twice BTC; ρ null for a flat one", () => {
    const m = run(MIN_BETA_MINUTES + 5);
    const ts = (MIN_BETA_MINUTES + 6) * MIN;
    const eth = m.context("ETHUSDT", ts)?.own;
    expect(eth?.betaMinutes).toBe(MIN_BETA_MINUTES + 5);
    expect(eth?.beta).toBeCloseTo(2, 9);
    expect(eth?.correlation).toBeCloseTo(1, 9);
    const sol = m.context("SOLUSDT", ts)?.own;
    expect(sol?.beta).toBe(0);
    expect(sol?.correlation).toBeNull();
    expect(m.context("BTCUSDT", ts)?.own.beta).toBe(1);
    // BTC's last complete minute: the step taken after minute 65 (k = 65 is odd: −0.15 %).
    expect(m.context("ETHUSDT", ts)?.btc?.lastMinute).toBeCloseTo(-0.0015, 12);
  });

  it("no beta below the minimum of minutes", () => {
    const m = run(MIN_BETA_MINUTES - 2);
    const eth = m.context("ETHUSDT", (MIN_BETA_MINUTES - 1) * MIN)?.own;
    expect(eth?.beta).toBeNull();
    expect(eth?.betaMinutes).toBe(MIN_BETA_MINUTES - 2);
  });

  it("a JSON round trip keeps closes and summaries", () => {
    const m = run(MIN_BETA_MINUTES + 5);
    const ts = (MIN_BETA_MINUTES + 6) * MIN;
    const back = MarketMemory.fromJSON(JSON.parse(JSON.stringify(m.toJSON())), CYCLE, 0.1);
    expect(back.context("ETHUSDT", ts)).toEqual(m.context("ETHUSDT", ts));
    expect(back.overview()).toEqual(m.overview());
  });
});
