import { describe, expect, it } from "vitest";
import { CardRegistry } from "../../../../src/domain/cards/registry.js";
import { SymbolEngine, type EngineState } from "../../../../src/domain/engine.js";
import type { CanonicalEvent, Level } from "../../../../src/domain/events.js";
import { CascadeRiskSchema, LiquidationClustersSchema, LiquidationHeatmapSchema, LiquidationLevelsSchema } from "../../../../src/protocol/liquidation.js";
import { SymbolSnapshotSchema, type SymbolSnapshot } from "../../../../src/protocol/snapshot.js";
import { S } from "./helpers.js";

/**
 * A deterministic stream (LCG) that exercises every map: a random-walk price with trades on
 * two venues, open interest rising and falling on Bybit and OKX, liquidations from a sampled
 * and a complete venue, a Binance book with deltas, and a jump of two days.
 */
function stream(n: number, seed = 11): CanonicalEvent[] {
  let x = seed >>> 0;
  const rnd = () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
  const out: CanonicalEvent[] = [];
  let ts = 1_700_000_000_000;
  let price = 60_000;
  let seq = 10;
  const oi = { bybit: 50_000, okx: 30_000 };
  const side = (dir: 1 | -1): Level[] => Array.from({ length: 5 }, (_, i) => [Math.round((price + dir * (i + 1) * 5) * 10) / 10, Math.round(rnd() * 40) / 10 + 0.1]);
  out.push({ venue: "binance", symbol: S, ts, kind: "book", type: "snapshot", seq, bids: side(-1), asks: side(1) });
  for (let i = 0; i < n; i++) {
    ts += Math.floor(rnd() * 400);
    if (i === Math.floor(n * 0.8)) ts += 2 * 86_400_000;
    price = Math.max(1_000, price * (1 + (rnd() - 0.5) * 0.002));
    const r = rnd();
    if (r < 0.5) {
      out.push({ venue: rnd() < 0.7 ? "binance" : "bybit", symbol: S, ts, kind: "trade", price: Math.round(price * 10) / 10, qty: Math.round(rnd() * 2_000) / 1_000 + 0.001, side: rnd() < 0.5 ? "buy" : "sell", tradeId: `t${i}` });
    } else if (r < 0.62) {
      const venue = rnd() < 0.5 ? "bybit" : "okx";
      oi[venue] = Math.max(1_000, oi[venue] + Math.round((rnd() - 0.4) * 200));
      out.push({ venue, symbol: S, ts, kind: "oi", oiBase: oi[venue] });
    } else if (r < 0.72) {
      const complete = rnd() < 0.5;
      const qty = Math.round(rnd() * 3_000) / 1_000 + 0.001;
      const p = Math.round(price * (1 + (rnd() - 0.5) * 0.004) * 10) / 10;
      out.push({ venue: complete ? "bybit" : "binance", symbol: S, ts, kind: "liquidation", side: rnd() < 0.5 ? "long" : "short", price: p, qty, notionalUsd: p * qty, sampling: complete ? "complete" : "sampled-1s" });
    } else if (r < 0.92) {
      out.push({ venue: "binance", symbol: S, ts, kind: "book", type: "delta", seq: seq + 1, firstSeq: seq + 1, prevSeq: seq, bids: side(-1), asks: side(1) });
      seq++;
    } else {
      out.push({ venue: "binance", symbol: S, ts, kind: "mark", markPrice: price, fundingRate: 0.0001 });
    }
  }
  return out;
}

function run(engine: SymbolEngine, events: readonly CanonicalEvent[], batch = 97): SymbolSnapshot[] {
  const out: SymbolSnapshot[] = [];
  for (let i = 0; i < events.length; i += batch) out.push(...engine.ingest(events.slice(i, i + batch)));
  return out;
}

const queries = (e: SymbolEngine) =>
  JSON.stringify([e.heatmap(), e.heatmap({ windowMs: 3_600_000, timeBinMs: 10_000, priceBinTick: 5 }), e.clusters(20), e.levels(), e.levels({ rangePct: 3, binBps: 5 }), e.cascade()]);

describe("SymbolEngine with liquidation maps", () => {
  it("restored from JSON mid-stream gives byte-identical later snapshots and map queries", () => {
    const events = stream(12_000);
    const whole = new SymbolEngine(S);
    const all = run(whole, events);

    const cut = 5_431;
    const first = new SymbolEngine(S);
    const before = run(first, events.slice(0, cut));
    const saved = JSON.stringify(first.toJSON());
    const restored = SymbolEngine.fromJSON(JSON.parse(saved) as EngineState);
    expect(JSON.stringify(restored.toJSON())).toBe(saved);
    expect(queries(restored)).toBe(queries(first));
    const after = run(restored, events.slice(cut));

    expect(JSON.stringify([...before, ...after])).toBe(JSON.stringify(all));
    expect(queries(restored)).toBe(queries(whole));
    expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(whole.toJSON()));
  });

  it("is deterministic: byte-identical snapshots and maps whatever the batching", () => {
    const events = stream(8_000, 5);
    const a = new SymbolEngine(S);
    const b = new SymbolEngine(S);
    const sa = JSON.stringify(run(a, events, 1));
    const sb = JSON.stringify(run(b, events, 500));
    expect(sa).toBe(sb);
    expect(queries(a)).toBe(queries(b));
  });

  it("serves every map in its wire shape and keeps snapshots in theirs, with the liquidation cards live", () => {
    const engine = new SymbolEngine(S);
    const snaps = run(engine, stream(6_000, 3));
    for (const s of snaps) SymbolSnapshotSchema.parse(s);
    LiquidationHeatmapSchema.parse(engine.heatmap());
    LiquidationClustersSchema.parse(engine.clusters());
    const levels = LiquidationLevelsSchema.parse(engine.levels());
    const cascade = CascadeRiskSchema.parse(engine.cascade());
    expect(levels.available && cascade.available).toBe(true);
    const last = snaps.at(-1) as SymbolSnapshot;
    const mapCards = ["liq.imbalance", "liq.intensity", "liq.sweep", "liq.cluster-proximity", "cascade.risk-up", "cascade.risk-down", "levels.magnet", "levels.distance"];
    const live = last.cards.filter((c) => mapCards.includes(c.id) && c.timeframes["5m"].available).map((c) => c.id);
    expect(live).toEqual(mapCards);
    // the snapshot itself carries no map
    expect(Object.keys(last)).toEqual(["symbol", "ts", "eventTs", "price", "mark", "book", "cards", "bias", "liquidations", "events", "carried"]);
  });

  it("restores a checkpoint written before the maps existed, rebuilding the realized store from the recent ring", () => {
    const engine = new SymbolEngine(S);
    run(engine, stream(3_000, 9));
    const state = engine.toJSON();
    delete state.liquidationMaps;
    const restored = SymbolEngine.fromJSON(JSON.parse(JSON.stringify(state)) as EngineState);
    const held = restored.heatmap().retention.held;
    expect(held).toBe(Math.min(state.recentLiquidations.length, engine.heatmap().retention.held));
    expect(restored.levels()).toMatchObject({ available: false, reason: "no open-interest feed" });
  });

  it("keeps the level map bounded: cohorts capped however long open interest keeps rising", () => {
    // no cards: 6,000 cycles of the level model alone (the cards' cost is benched, not tested here)
    const engine = new SymbolEngine(S, { config: { liquidation: { maxLevelCohorts: 200 } }, registry: new CardRegistry([]) });
    const events: CanonicalEvent[] = [];
    for (let i = 0; i < 1_000; i++) {
      const ts = i * 60_000;
      events.push({ venue: "bybit", symbol: S, ts, kind: "trade", price: 60_000 + (i % 50), qty: 1, side: "buy", tradeId: `${i}` });
      events.push({ venue: "bybit", symbol: S, ts: ts + 1, kind: "oi", oiBase: 10_000 + i });
    }
    run(engine, events, 1_000);
    // 999 buckets closed with rising OI, 200 kept
    expect(engine.liquidationMapSizes().cohorts).toBe(200);
    const l = engine.levels();
    expect(l.available && l.totals.levels).toBeLessThanOrEqual(200 * 12);
  });
});
