import { beforeAll, describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../src/domain/engine.js";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import { recordingLines } from "../exchanges/helpers.js";

const S = "BTCUSDT";

/**
 * The real Binance BTCUSDT recording (trades, depth and book tickers, about 6 minutes) with, so that
 * every card input has data: a second venue's trades (every 7th Binance trade repeated on Bybit,
 * 1 bp higher), marks with funding and index on Binance and Hyperliquid (hourly), and open interest
 * on two venues once a second. Synthetic beside real: this file tests determinism, not signals.
 */
let events: CanonicalEvent[] = [];
beforeAll(async () => {
  const mapper = getMapper("binance");
  const base = (await recordingLines("hftbacktest_btcusdt_20240808.gz")).flatMap((l) => normalizeLine(mapper, l, { instrument: S }).events);
  let next = -1;
  let k = 0;
  for (const ev of base) {
    if (next < 0) next = ev.ts;
    while (ev.ts >= next) {
      k++;
      events.push({ venue: "binance", symbol: S, ts: next, kind: "mark", markPrice: 61_000 + (k % 13), indexPrice: 61_000, fundingRate: 0.0001 + (k % 5) * 0.00001, nextFundingTs: 1723190400000 });
      events.push({ venue: "hyperliquid", symbol: S, ts: next, kind: "mark", markPrice: 61_002, indexPrice: 61_000, fundingRate: 0.0000125 * (1 + (k % 3)) });
      events.push({ venue: "bybit", symbol: S, ts: next, kind: "oi", oiBase: 50_000 + k * 3 });
      events.push({ venue: "binance", symbol: S, ts: next, kind: "oi", oiBase: 80_000 + (k % 11) });
      next += 1_000;
    }
    events.push(ev);
    if (ev.kind === "trade" && ++k % 7 === 0) events.push({ ...ev, venue: "bybit", price: ev.price * 1.0001, tradeId: `b${ev.tradeId}` });
  }
});

function run(batch: number, engine = new SymbolEngine(S), from = 0, to = events.length): { engine: SymbolEngine; out: string[] } {
  const out: string[] = [];
  for (let i = from; i < to; i += batch) for (const s of engine.ingest(events.slice(i, Math.min(to, i + batch)))) out.push(JSON.stringify(s));
  return { engine, out };
}

describe("SymbolEngine determinism with every card input fed", () => {
  it("gives byte-identical snapshots and state in batches of 1, 997 or all events", () => {
    const whole = run(events.length);
    expect(whole.out.length).toBeGreaterThan(30);
    const state = JSON.stringify(whole.engine.toJSON());
    for (const batch of [1, 997]) {
      const r = run(batch);
      expect(r.out).toEqual(whole.out);
      expect(JSON.stringify(r.engine.toJSON())).toBe(state);
    }
  });

  it("survives a checkpoint mid-stream byte for byte, with the one-minute bars saved apart as rows", () => {
    const whole = run(500);
    const half = Math.floor(events.length / 2);
    const first = run(500, new SymbolEngine(S), 0, half);
    const rows = first.engine.barRows(0);
    const saved = JSON.parse(JSON.stringify(first.engine.toJSON({ bars: false, realizedRecords: true })));
    expect(saved.inputs.bars).toBeUndefined();
    const restored = SymbolEngine.fromJSON(saved, { barRows: JSON.parse(JSON.stringify(rows)) });
    const rest = run(500, restored, half);
    expect([...first.out, ...rest.out]).toEqual(whole.out);
    expect(JSON.stringify(rest.engine.toJSON())).toBe(JSON.stringify(whole.engine.toJSON()));
  });

  it("feeds the inputs it was given: two venues' windows, funding and premium on two venues, OI on two, tops and bars", () => {
    const { engine, out } = run(events.length);
    const last = JSON.parse(out.at(-1) as string);
    expect(last.cards.length).toBe(engine.availableCards().cards);
    const state = engine.toJSON();
    // hyperliquid has a window for its funding samples only
    expect(Object.keys(state.inputs!.windows.venues)).toEqual(["binance", "bybit", "hyperliquid"]);
    expect(Object.keys(state.inputs!.funding.venues)).toEqual(["binance", "hyperliquid"]);
    expect(state.inputs!.funding.venues.hyperliquid).toMatchObject({ intervalMs: 3_600_000, intervalSource: "default" });
    expect(Object.keys(state.inputs!.premium.venues)).toEqual(["binance", "hyperliquid"]);
    expect(Object.keys(state.inputs!.oi.venues)).toEqual(["binance", "bybit"]);
    expect(Object.keys(state.inputs!.top.venues)).toEqual(["binance"]);
    expect(state.inputs!.bars!.buckets.length).toBeGreaterThanOrEqual(6);
  });
});
