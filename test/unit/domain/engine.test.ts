import { describe, expect, it } from "vitest";
import { CardRegistry } from "../../../src/domain/cards/registry.js";
import { flowCvd } from "../../../src/domain/cards/order-flow/cvd.js";
import { momentumReturn } from "../../../src/domain/cards/momentum/return.js";
import { SymbolEngine } from "../../../src/domain/engine.js";
import { DEFAULT_ENGINE_CONFIG, EngineConfigError, parseEngineConfig } from "../../../src/domain/config.js";
import type { CanonicalEvent, Level, Venue } from "../../../src/domain/events.js";
import { SymbolSnapshotSchema, type SymbolSnapshot } from "../../../src/protocol/snapshot.js";

const S = "BTCUSDT";

const trade = (ts: number, side: "buy" | "sell", qty = 1, price = 100, symbol = S): CanonicalEvent => ({
  venue: "binance",
  symbol,
  ts,
  kind: "trade",
  price,
  qty,
  side,
  tradeId: `t${ts}`,
});

const liq = (ts: number, side: "long" | "short", notionalUsd: number, venue: Venue = "binance"): CanonicalEvent => ({
  venue,
  symbol: S,
  ts,
  kind: "liquidation",
  side,
  price: 100,
  qty: notionalUsd / 100,
  notionalUsd,
  sampling: "sampled-1s",
});

const bookEv = (venue: Venue, ts: number, type: "snapshot" | "delta", seq: number, bids: Level[], asks: Level[], prevSeq?: number): CanonicalEvent => {
  const ev: CanonicalEvent = { venue, symbol: S, ts, kind: "book", type, seq, bids, asks };
  if (type === "delta") {
    ev.firstSeq = seq;
    if (prevSeq !== undefined) ev.prevSeq = prevSeq;
  }
  return ev;
};

const flow = (s: SymbolSnapshot | undefined, tf: "1m" | "5m" | "1h" = "1m") => s?.cards.find((c) => c.id === "flow.cvd")?.timeframes[tf];

/**
 * A deterministic mixed stream (LCG, no Math.random): trades, liquidations on two venues,
 * book snapshot and chained deltas with an occasional gap and resnapshot, marks with
 * funding, quotes, OI, late and foreign-symbol events, and one two-day jump.
 */
function mixedStream(n: number, seed = 7): CanonicalEvent[] {
  let x = seed >>> 0;
  const rnd = () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
  const out: CanonicalEvent[] = [];
  let ts = 1_700_000_000_000;
  let price = 30_000;
  let seq = 1_000;
  let needSnapshot = true;
  const levels = (side: 1 | -1): Level[] =>
    Array.from({ length: 3 }, (_, i) => [Math.round((price + side * (i + 1) * 0.5 + side * rnd()) * 10) / 10, Math.round(rnd() * 50) / 10]);
  for (let i = 0; i < n; i++) {
    ts += Math.floor(rnd() * 300);
    if (i === Math.floor(n * 0.7)) ts += 2 * 86_400_000;
    price = Math.round((price + (rnd() - 0.5) * 20) * 10) / 10;
    const r = rnd();
    if (needSnapshot && r < 0.3) {
      out.push(bookEv("binance", ts, "snapshot", seq, [...levels(-1), [price - 5, 10]], [...levels(1), [price + 5, 10]]));
      needSnapshot = false;
    } else if (r < 0.5) {
      out.push(trade(ts, rnd() < 0.5 ? "buy" : "sell", Math.round(rnd() * 1000) / 1000 + 0.001, price));
    } else if (r < 0.58) {
      const notional = Math.round(rnd() * 50_000) + 10;
      out.push(liq(ts, rnd() < 0.5 ? "long" : "short", notional, rnd() < 0.5 ? "binance" : "bybit"));
    } else if (r < 0.78) {
      const skip = rnd() < 0.03 ? 5 : 0;
      if (skip > 0) needSnapshot = true;
      out.push(bookEv("binance", ts, "delta", seq + 1 + skip, levels(-1), levels(1), seq + skip));
      seq += 1 + skip;
    } else if (r < 0.84) {
      out.push({ venue: "binance", symbol: S, ts, kind: "mark", markPrice: price, indexPrice: price - 1, fundingRate: Math.round((rnd() - 0.3) * 100) / 100_000, nextFundingTs: 1_700_006_400_000 });
    } else if (r < 0.9) {
      out.push({ venue: "bybit", symbol: S, ts, kind: "quote", bidPrice: price - 0.1, bidQty: 1, askPrice: price + 0.1, askQty: 2 });
    } else if (r < 0.93) {
      out.push({ venue: "okx", symbol: S, ts, kind: "oi", oiBase: 1000 + i, oiUsd: (1000 + i) * price });
    } else if (r < 0.97) {
      out.push(trade(Math.max(0, ts - Math.floor(rnd() * 5_000_000)), "sell", 0.5, price)); // late, some beyond the hour
    } else {
      out.push(trade(ts, "buy", 1, price, "ETHUSDT"));
    }
  }
  return out;
}

function runInBatches(engine: SymbolEngine, events: readonly CanonicalEvent[], batch = 97): SymbolSnapshot[] {
  const out: SymbolSnapshot[] = [];
  for (let i = 0; i < events.length; i += batch) out.push(...engine.ingest(events.slice(i, i + batch)));
  return out;
}

describe("SymbolEngine cycles", () => {
  it("emits snapshots at 10000 and 20000 for events at t=1000..25000, each covering ts < boundary", () => {
    const engine = new SymbolEngine(S);
    const events = [];
    for (let t = 1_000; t <= 25_000; t += 1_000) events.push(trade(t, "buy", 1, t / 100));
    const snaps = engine.ingest(events);

    expect(snaps.map((s) => s.ts)).toEqual([10_000, 20_000]);
    expect(snaps[0]).toMatchObject({ symbol: S, price: 90, events: { trade: 9 } });
    // all buys: x = 1 against flow.cvd's 1m prior σ of 0.3 on a fresh engine
    expect(flow(snaps[0])).toEqual({ available: true, score: Math.tanh(1 / 0.3), strength: Math.tanh(1 / 0.3), confidence: 0.09, value: 9 });
    expect(snaps[1]).toMatchObject({ price: 190, events: { trade: 19 } });
    expect(flow(snaps[1])?.value).toBe(19);
    expect(engine.latest()).toBe(snaps[1]);
    expect(engine.nextBoundaryTs).toBe(30_000);
  });

  it("emits nothing before the first event and starts at the next multiple after it", () => {
    const engine = new SymbolEngine(S);
    expect(engine.advanceTo(1_000_000)).toEqual([]);
    expect(engine.latest()).toBeNull();
    expect(engine.ingest([trade(10_000, "buy")])).toEqual([]);
    expect(engine.nextBoundaryTs).toBe(20_000);
    expect(engine.advanceTo(19_999)).toEqual([]);
    expect(engine.advanceTo(20_000).map((s) => s.ts)).toEqual([20_000]);
  });

  it("puts an event exactly on a boundary into the next cycle", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([trade(5_000, "buy", 1)]);
    const [at10] = engine.ingest([trade(10_000, "sell", 2)]);
    expect(flow(at10)?.value).toBe(1);
    const [at20] = engine.advanceTo(20_000);
    expect(flow(at20)?.value).toBe(-1);
  });

  it("after a jump emits five minutes of consecutive boundaries, then only the last boundary before the new event", () => {
    const engine = new SymbolEngine(S, { registry: new CardRegistry([flowCvd, momentumReturn]) });
    engine.ingest([trade(1_000, "buy")]);
    const tenDays = 10 * 86_400_000;
    const snaps = engine.ingest([trade(1_000 + tenDays, "sell")]);

    expect(snaps).toHaveLength(32);
    expect(snaps[0].ts).toBe(10_000);
    expect(snaps[30].ts).toBe(310_000);
    expect(snaps[31].ts).toBe(tenDays);
    for (let i = 1; i <= 30; i++) expect(snaps[i].ts - snaps[i - 1].ts).toBe(10_000);
    // the 1m window rolled off in full, the 1h window still held the trade, and at the jump target it is empty
    expect(flow(snaps[30], "1m")).toMatchObject({ value: 0, confidence: 0 });
    expect(flow(snaps[30], "1h")).toMatchObject({ value: 1 });
    expect(flow(snaps[31], "1h")).toMatchObject({ value: 0, confidence: 0 });
    expect(engine.nextBoundaryTs).toBe(tenDays + 10_000);
    expect(flow(engine.advanceTo(tenDays + 10_000)[0])?.value).toBe(-1);
  });

  it("emits every boundary of a gap up to catchUpMs, and follows a configured catch-up", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([trade(1_000, "buy")]);
    expect(engine.advanceTo(300_000).map((s) => s.ts)).toEqual(Array.from({ length: 30 }, (_, i) => (i + 1) * 10_000));
    const hour = new SymbolEngine(S, { config: { catchUpMs: 3_600_000 } });
    hour.ingest([trade(1_000, "buy")]);
    expect(hour.advanceTo(1_800_000)).toHaveLength(180);
    expect(() => new SymbolEngine(S, { config: { catchUpMs: 15_000 } })).toThrow("catchUpMs must be a multiple of cycleMs (10000) (got 15000)");
  });

  it("follows a configured cycle length", () => {
    const engine = new SymbolEngine(S, { config: { cycleMs: 5_000, biasCadenceMs: { scalp: 15_000 } } });
    const snaps = engine.ingest([trade(1_000, "buy"), trade(16_000, "sell")]);
    expect(snaps.map((s) => s.ts)).toEqual([5_000, 10_000, 15_000]);
    expect(snaps.map((s) => s.bias.scalp?.ts ?? null)).toEqual([5_000, 5_000, 15_000]);
  });
});

describe("SymbolEngine events", () => {
  it("counts and ignores events for another symbol", () => {
    const engine = new SymbolEngine(S);
    const snaps = engine.ingest([trade(1_000, "buy", 1, 100, "ETHUSDT"), trade(2_000, "buy"), trade(25_000, "sell", 1, 100, "ETHUSDT"), trade(12_000, "sell", 3)]);
    expect(snaps.map((s) => s.ts)).toEqual([10_000]);
    const zero = { book: 0, quote: 0, mark: 0, oi: 0, liquidation: 0, insurance: 0, bar: 0, "too-late": 0, "bar-skipped": 0, "trade-in-bar": 0 };
    expect(snaps[0].events).toEqual({ ...zero, trade: 1, "wrong-symbol": 2 });
    expect(engine.counters()).toEqual({ ...zero, trade: 2, "wrong-symbol": 2 });
  });

  it("puts late events inside the hour into their bucket and counts older ones too-late, still in the totals", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([trade(4_000_000, "buy", 1)]);
    engine.ingest([trade(3_990_000, "sell", 2)]); // earlier bucket of the same cycle
    engine.ingest([trade(3_000_000, "sell", 4)]); // 1000 s late: inside the hour ring
    engine.ingest([trade(100_000, "sell", 8), liq(100_000, "long", 5_000)]); // older than the hour
    const [s] = engine.advanceTo(4_010_000);

    expect(flow(s, "1h")).toMatchObject({ value: 1 - 2 - 4 });
    expect(flow(s, "5m")).toMatchObject({ value: 1 - 2 });
    expect(s.events).toMatchObject({ trade: 4, liquidation: 1, "too-late": 2 });
    expect(s.liquidations.long).toEqual({ count: 1, qty: 50, notionalUsd: 5_000 });
    expect(s.cards.find((c) => c.id === "liq.imbalance")?.timeframes["1h"]).toMatchObject({ available: true, value: 0, confidence: 0 });
    expect(s.price).toBe(100);
  });

  it("applies maxLateMs as the late tolerance", () => {
    const engine = new SymbolEngine(S, { config: { maxLateMs: 60_000 } });
    engine.ingest([trade(200_000, "buy", 1), trade(139_999, "sell", 2), trade(140_000, "sell", 4)]);
    const [s] = engine.advanceTo(210_000);
    expect(s.events["too-late"]).toBe(1);
    expect(flow(s, "5m")?.value).toBe(1 - 4);
  });

  it("keeps the last trade price and the mark by event time, not arrival", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([
      trade(5_000, "buy", 1, 101),
      trade(3_000, "buy", 1, 99),
      { venue: "bybit", symbol: S, ts: 1_000, kind: "mark", markPrice: 50 },
      { venue: "binance", symbol: S, ts: 2_000, kind: "mark", markPrice: 100.5, indexPrice: 100.4, fundingRate: 0.0001, nextFundingTs: 28_800_000 },
      { venue: "binance", symbol: S, ts: 1_500, kind: "mark", markPrice: 90 },
    ]);
    const [s] = engine.advanceTo(10_000);
    expect(s.price).toBe(101);
    expect(s.mark).toEqual({ markPrice: 100.5, indexPrice: 100.4, fundingRate: 0.0001, nextFundingTs: 28_800_000 });
  });

  it("counts every liquidation in the totals and keeps a bounded ring of the newest", () => {
    const engine = new SymbolEngine(S, { config: { recentLiquidations: 3 } });
    engine.ingest([liq(1_000, "long", 1_000), liq(2_000, "short", 3_000, "bybit"), liq(3_000, "long", 500), liq(4_000, "long", 700, "okx"), liq(5_000, "short", 200)]);
    expect(engine.liquidationTotals()).toEqual({
      long: { count: 3, qty: 22, notionalUsd: 2_200 },
      short: { count: 2, qty: 32, notionalUsd: 3_200 },
    });
    expect(engine.recentLiquidations(10).map((l) => [l.ts, l.venue, l.side, l.notionalUsd])).toEqual([
      [5_000, "binance", "short", 200],
      [4_000, "okx", "long", 700],
      [3_000, "binance", "long", 500],
    ]);
    expect(engine.recentLiquidations(2).map((l) => l.ts)).toEqual([5_000, 4_000]);
    expect(engine.toJSON().recentLiquidations.map((l) => l.ts)).toEqual([3_000, 4_000, 5_000]);
  });

  it("summarises the primary synced book, counts its gaps and falls back to the last quote when unsynced", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([
      { venue: "okx", symbol: S, ts: 500, kind: "quote", bidPrice: 98.9, bidQty: 1, askPrice: 101.1, askQty: 1 },
      bookEv("bybit", 1_000, "snapshot", 50, [[98.5, 1]], [[101.5, 1]]),
      bookEv("binance", 1_000, "snapshot", 10, [[99, 1], [98, 2]], [[101, 1]]),
      bookEv("binance", 2_000, "delta", 11, [[99.5, 1]], [], 10),
    ]);
    const [synced] = engine.advanceTo(10_000);
    expect(synced.book).toEqual({ synced: true, bestBid: 99.5, bestAsk: 101, bidLevels: 3, askLevels: 1, gaps: 0, resyncs: 0 });

    engine.ingest([bookEv("binance", 11_000, "delta", 15, [[99.6, 1]], [], 14)]);
    const [bybitNow] = engine.advanceTo(20_000);
    expect(bybitNow.book).toEqual({ synced: true, bestBid: 98.5, bestAsk: 101.5, bidLevels: 1, askLevels: 1, gaps: 1, resyncs: 0 });

    engine.ingest([bookEv("bybit", 21_000, "delta", 60, [[98.6, 1]], [], 55)]);
    const [none] = engine.advanceTo(30_000);
    expect(none.book).toEqual({ synced: false, bestBid: 98.9, bestAsk: 101.1, bidLevels: 0, askLevels: 0, gaps: 2, resyncs: 0 });
    expect(none.cards.find((c) => c.id === "orderbook.imbalance")?.timeframes["1m"]).toMatchObject({ available: false, reason: "book not synced" });

    engine.ingest([bookEv("binance", 31_000, "snapshot", 20, [[99, 1]], [[100, 1]])]);
    const [back] = engine.advanceTo(40_000);
    expect(back.book).toMatchObject({ synced: true, bestBid: 99, bestAsk: 100, gaps: 2, resyncs: 1 });
    expect(engine.bookCounters().binance).toMatchObject({ gaps: 1, resyncs: 1, snapshots: 2, applied: 1 });
  });

  it("emits snapshots that match the wire schema", () => {
    const snaps = runInBatches(new SymbolEngine(S), mixedStream(3_000));
    expect(snaps.length).toBeGreaterThan(50);
    for (const s of snaps) SymbolSnapshotSchema.parse(s);
  });
});

describe("SymbolEngine state", () => {
  it("restored from JSON mid-stream gives identical subsequent snapshots", () => {
    const events = mixedStream(6_000);
    const whole = new SymbolEngine(S);
    const all = runInBatches(whole, events);

    const cut = 2_345; // inside a cycle, not on a batch edge
    const first = new SymbolEngine(S);
    const before = runInBatches(first, events.slice(0, cut));
    const saved = JSON.stringify(first.toJSON());
    const restored = SymbolEngine.fromJSON(JSON.parse(saved));
    expect(JSON.stringify(restored.toJSON())).toBe(saved);
    const after = runInBatches(restored, events.slice(cut));

    expect(after.length).toBeGreaterThan(50);
    expect(JSON.stringify([...before, ...after])).toBe(JSON.stringify(all));
    expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(whole.toJSON()));
    expect(restored.liquidationTotals()).toEqual(whole.liquidationTotals());
  });

  it("is deterministic: the same events give byte-identical snapshots, whatever the batching", () => {
    const events = mixedStream(4_000, 99);
    const a = JSON.stringify(runInBatches(new SymbolEngine(S), events, 1));
    const b = JSON.stringify(runInBatches(new SymbolEngine(S), events, 500));
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThan(10_000);
  });

  it("rejects a state of another version", () => {
    const state = { ...new SymbolEngine(S).toJSON(), version: 2 as unknown as 1 };
    expect(() => SymbolEngine.fromJSON(state)).toThrow("state version must be 1 (got 2)");
  });
});

describe("engine config", () => {
  it("defaults to a 10 s cycle, 1m/5m/1h windows and 30/60/300 s bias cadences", () => {
    const c = parseEngineConfig();
    expect(c).toEqual(DEFAULT_ENGINE_CONFIG);
    expect(c).toMatchObject({
      cycleMs: 10_000,
      timeframeMs: { "1m": 60_000, "5m": 300_000, "1h": 3_600_000 },
      biasCadenceMs: { scalp: 30_000, day: 60_000, swing: 300_000 },
      modeTimeframe: { scalp: "1m", day: "5m", swing: "1h" },
    });
  });

  it("merges nested partial overrides over the defaults", () => {
    const c = parseEngineConfig({ cards: { bookBandPct: { "1m": 0.2 } }, maxBookLevels: 500 });
    expect(c.cards.bookBandPct).toEqual({ "1m": 0.2, "5m": 0.25, "1h": 1 });
    expect(c.cards.liqFullConfidenceCount).toBe(10);
    expect(c.maxBookLevels).toBe(500);
  });

  it("names the field and its bound in errors", () => {
    expect(() => parseEngineConfig({ cycleMs: 5 })).toThrow("cycleMs must be >= 1000 (got 5)");
    expect(() => parseEngineConfig({ timeframeMs: { "5m": 305_000 } })).toThrow("timeframeMs.5m must be a multiple of cycleMs (10000) (got 305000)");
    expect(() => parseEngineConfig({ biasCadenceMs: { day: 65_000 } })).toThrow("biasCadenceMs.day must be a multiple of cycleMs (10000) (got 65000)");
    expect(() => parseEngineConfig({ maxLateMs: 7_200_000 })).toThrow("maxLateMs must be <= the longest timeframe (3600000) (got 7200000)");
    expect(() => parseEngineConfig({ neutralBand: 1 })).toThrow("neutralBand must be <= 0.99 (got 1)");
    expect(() => parseEngineConfig({ maxBookLevels: 2.5 })).toThrow("maxBookLevels must be an integer (got 2.5)");
    expect(() => parseEngineConfig({ modeTimeframe: { scalp: "2m" as never } })).toThrow("modeTimeframe.scalp");
    expect(() => parseEngineConfig({ windowMs: 1 } as never)).toThrow("windowMs is not a known field");
    expect(() => new SymbolEngine(S, { config: { cycleMs: 5 } })).toThrow(EngineConfigError);
  });
});

describe("SymbolEngine feed freshness", () => {
  const markEv = (ts: number, markPrice: number): CanonicalEvent => ({ venue: "binance", symbol: S, ts, kind: "mark", markPrice, fundingRate: 0.0001 });
  const ob = (s: SymbolSnapshot | undefined) => s?.cards.find((c) => c.id === "orderbook.imbalance")?.timeframes["1m"];

  it("stops using a book and a mark whose feed went silent longer than staleAfterMs of event time", () => {
    const engine = new SymbolEngine(S);
    const first = engine.ingest([
      bookEv("binance", 1_000, "snapshot", 10, [[99.9, 5]], [[100.1, 1]]),
      markEv(1_500, 100),
      trade(2_000, "buy"),
      trade(11_000, "buy"),
    ]);
    expect(first[0].book).toMatchObject({ synced: true, bestBid: 99.9, bestAsk: 100.1 });
    expect(first[0].mark?.markPrice).toBe(100);
    expect(ob(first[0])?.available).toBe(true);

    // Only trades for 2 minutes: the book (60 s) is stale, the mark (5 min) still fresh.
    const later = engine.ingest([trade(130_000, "sell")]).at(-1)!;
    expect(later.book).toMatchObject({ synced: false, bestBid: null, bestAsk: null });
    expect(ob(later)).toMatchObject({ available: false });
    expect(later.mark?.markPrice).toBe(100);

    // After 10 minutes the mark is stale too: no mark rather than a 10-minute-old one.
    const muchLater = engine.ingest([trade(700_000, "buy")]).at(-1)!;
    expect(muchLater.mark).toBeNull();

    // A fresh book event makes it count again.
    const fresh = engine.ingest([bookEv("binance", 705_000, "snapshot", 20, [[99, 2]], [[101, 2]]), trade(711_000, "buy")]).at(-1)!;
    expect(fresh.book).toMatchObject({ synced: true, bestBid: 99, bestAsk: 101 });
  });

  it("keeps the freshness clock across a checkpoint", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([bookEv("binance", 1_000, "snapshot", 10, [[99.9, 5]], [[100.1, 1]]), trade(2_000, "buy")]);
    const restored = SymbolEngine.fromJSON(JSON.parse(JSON.stringify(engine.toJSON())));
    expect(restored.ingest([trade(11_000, "buy")])[0].book.synced).toBe(true);
    expect(restored.ingest([trade(75_000, "buy")]).at(-1)!.book.synced).toBe(false);
  });
});

describe("SymbolEngine insurance balances", () => {
  const fund = (ts: number, balanceUsd: number, poolId = "USDT:3:aaaa", venue: Venue = "bybit"): CanonicalEvent => ({
    venue,
    symbol: S,
    ts,
    kind: "insurance",
    balanceUsd,
    asset: "USDT",
    poolId,
    shared: true,
  });

  it("does not start the symbol's cycles at an insurance balance's (possibly hours-old) update time", () => {
    const engine = new SymbolEngine(S);
    expect(engine.ingest([fund(1_000, 1_000_000)])).toEqual([]);
    expect(engine.nextBoundaryTs).toBeNull();
    engine.ingest([trade(7_200_000, "buy")]);
    expect(engine.nextBoundaryTs).toBe(7_210_000);
    expect(engine.counters()).toMatchObject({ insurance: 1, trade: 1 });
  });

  it("keeps one sample per newer update: a repeated or older update is counted but adds nothing", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([fund(60_000, 1_000_000), fund(60_000, 1_000_000), fund(30_000, 2_000_000), fund(120_000, 990_000)]);
    expect(engine.toJSON().insurance).toEqual({ bybit: { poolId: "USDT:3:aaaa", asset: "USDT", shared: true, samples: [[60_000, 1_000_000], [120_000, 990_000]] } });
    expect(engine.counters().insurance).toBe(4);
  });

  it("keeps the last hour of samples and the one before it, per venue", () => {
    const engine = new SymbolEngine(S);
    const events: CanonicalEvent[] = [];
    for (let m = 0; m <= 180; m++) events.push(fund(m * 60_000, 1_000_000 - m));
    engine.ingest(events);
    const samples = engine.toJSON().insurance!.bybit!.samples;
    // newest at 180 min; cutoff 120 min: samples from 120 min on (61), 120 min being the one at the cutoff.
    expect(samples.length).toBe(61);
    expect(samples[0]).toEqual([120 * 60_000, 1_000_000 - 120]);
    expect(samples.at(-1)).toEqual([180 * 60_000, 1_000_000 - 180]);
  });

  it("checkpoints its balances, and loads a checkpoint written before the insurance feed existed", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([trade(1_000, "buy"), fund(60_000, 1_000_000), fund(120_000, 995_000)]);
    const saved = JSON.stringify(engine.toJSON());
    const restored = SymbolEngine.fromJSON(JSON.parse(saved));
    expect(JSON.stringify(restored.toJSON())).toBe(saved);
    const a = engine.advanceTo(130_000).at(-1)!;
    const b = restored.advanceTo(130_000).at(-1)!;
    expect(b.cards.find((c) => c.id === "liq.insurance-fund")).toEqual(a.cards.find((c) => c.id === "liq.insurance-fund"));
    expect(b.cards.find((c) => c.id === "liq.insurance-fund")!.timeframes["5m"]).toMatchObject({ available: true, value: -5_000 });

    const legacy = JSON.parse(JSON.stringify(new SymbolEngine(S).toJSON()));
    delete legacy.insurance;
    delete legacy.feeds.insurance;
    delete legacy.counters.events.insurance;
    const old = SymbolEngine.fromJSON(legacy);
    expect(old.counters().insurance).toBe(0);
    expect(old.toJSON().insurance).toEqual({});
    old.ingest([trade(1_000, "buy")]);
    const [s] = old.advanceTo(10_000);
    expect(s.cards.find((c) => c.id === "liq.insurance-fund")!.timeframes["5m"]).toMatchObject({ available: false });
  });
});
