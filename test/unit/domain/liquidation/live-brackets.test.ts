/**
 * Bracket tables fetched live (`SymbolEngine.setBracketTables`): precedence, re-pricing of the
 * cohorts of the venue, the table named in the levels' model, and the checkpoint round trip.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SymbolEngine, type SymbolEngineOptions } from "../../../../src/domain/engine.js";
import type { BracketTable } from "../../../../src/domain/liquidation/brackets.js";
import { parseBybitRiskLimit } from "../../../../src/exchanges/brackets-live.js";
import { venueData } from "../../exchanges/helpers.js";
import { S, flatBrackets, oi, trade } from "./helpers.js";
import { available, withCohort as withCohortOf } from "./helpers.js";

const DAY = 86_400_000;
const decay = (ageMs: number) => Math.pow(0.5, ageMs / DAY);
const ONE_TIER: SymbolEngineOptions = { config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 1 }], oiBucketMs: 60_000 } } };
/** 100× long / short under mmr m, cum 0, from 100,000: P·0.99/(1 − m), P·1.01/(1 + m). */
const lpLong = (m: number) => (100_000 * 0.99) / (1 - m);
const lpShort = (m: number) => (100_000 * 1.01) / (1 + m);

/** The recorded Bybit testnet answer: tier 1 is 300,000 USDT @ 0.33 %, 150×. */
function bybitLive(): BracketTable {
  const body: unknown = JSON.parse(readFileSync(venueData("bybit", "fixtures/recorded-testnet-risk-limit-btcusdt.json"), "utf8"));
  const out = parseBybitRiskLimit(body, { fetchedAtMs: Date.UTC(2026, 11, 1), endpoint: "/v5/market/risk-limit?category=linear&symbol=BTCUSDT" });
  if ("rejected" in out) throw new Error(out.rejected);
  return out.tables[0];
}


const withCohort = (options: SymbolEngineOptions = ONE_TIER) => withCohortOf(options);

describe("live bracket tables", () => {
  it("replace the shipped table, re-price the venue's cohorts exactly and show in the levels' model", () => {
    const engine = withCohort();
    expect(available(engine.levels()).totals.longUsd).toBeCloseTo(10 * lpLong(0.005) * decay(1_000), 6);
    const live = bybitLive();
    expect(engine.setBracketTables([live])).toEqual({ applied: [live.id], rejected: [], repriced: ["bybit"] });
    const l = available(engine.levels());
    expect(l.model.brackets).toEqual([{ venue: "bybit", tableId: "bybit:BTCUSDT:live:2026-12-01T00:00:00.000Z", source: live.source, asOf: "2026-12-01T00:00:00.000Z", assumed: false }]);
    expect(l.model.brackets[0].source).toMatch(/^fetched live from Bybit GET \/v5\/market\/risk-limit/);
    // 100000·0.99/0.9967 = 99,327.78 and 100000·1.01/1.0033 = 100,667.80
    expect(l.totals.longUsd).toBeCloseTo(10 * lpLong(0.0033) * decay(1_000), 6);
    expect(l.totals.shortUsd).toBeCloseTo(10 * lpShort(0.0033) * decay(1_000), 6);
    expect(l.sweeps.long.count + l.sweeps.short.count).toBe(0);
  });

  it("price cohorts created afterwards with the live table too", () => {
    const engine = withCohort();
    engine.setBracketTables([bybitLive()]);
    // 5 BTC more in [60 s, 120 s) at 100,000, closed at 121 s
    engine.ingest([trade(70_000, 100_000, 1), oi(70_000, 1_015), oi(121_000, 1_015)]);
    const l = available(engine.levels());
    expect(l.totals.cohorts).toBe(2);
    expect(l.totals.longUsd).toBeCloseTo(10 * lpLong(0.0033) * decay(121_000 - 60_000) + 5 * lpLong(0.0033) * decay(1_000), 6);
  });

  it("leave the levels alone when the tiers the model uses do not change", () => {
    const engine = withCohort();
    const live = bybitLive();
    engine.setBracketTables([live]);
    const before = JSON.stringify(engine.levels());
    const later = { ...live, id: "bybit:BTCUSDT:live:2026-12-01T01:00:00.000Z", asOf: "2026-12-01T01:00:00.000Z" };
    expect(engine.setBracketTables([later])).toEqual({ applied: [later.id], rejected: [], repriced: [] });
    const after = available(engine.levels());
    expect(after.model.brackets[0].tableId).toBe(later.id);
    expect(JSON.stringify({ ...after, model: null })).toBe(JSON.stringify({ ...JSON.parse(before), model: null }));
  });

  it("remove, without counting a sweep, a re-priced level the last trade already went through", () => {
    const engine = withCohort();
    engine.ingest([trade(62_000, 99_550, 1)]); // above the shipped long level (99,497.49)
    const steep: BracketTable = {
      id: "bybit:BTCUSDT:live:test",
      venue: "bybit",
      symbol: S,
      source: "fetched live (test)",
      asOf: "2026-12-01T00:00:00.000Z",
      assumed: false,
      brackets: [{ maxNotionalUsd: 1_000_000, maxLeverage: 100, mmr: 0.01, cumUsd: 0 }],
    };
    engine.setBracketTables([steep]);
    const l = available(engine.levels());
    // long at 100000·0.99/0.99 = 100,000 ≥ 99,550: gone; short at 100000·1.01/1.01 = 100,000: kept
    expect(l.totals.levels).toBe(1);
    expect(l.totals.longUsd).toBe(0);
    expect(l.totals.shortUsd).toBeCloseTo(10 * 100_000 * decay(62_000 - 60_000), 6);
    expect([l.sweeps.long.count, l.sweeps.short.count]).toEqual([0, 0]);
  });

  it("rank below a config override, which stays in force", () => {
    const engine = withCohort({ config: { liquidation: { leverageTiers: [{ leverage: 100, weight: 1 }], brackets: flatBrackets(0.004), oiBucketMs: 60_000 } } });
    const live = bybitLive();
    expect(engine.setBracketTables([live])).toEqual({ applied: [live.id], rejected: [], repriced: [] });
    expect(available(engine.levels()).model.brackets[0].tableId).toBe("flat-0.004");
    expect(engine.liveBracketTables()).toEqual([live]);
  });

  it("refuse a table for another symbol, a wildcard venue, an assumed table or a bad bracket, naming the field", () => {
    const engine = withCohort();
    const live = bybitLive();
    const out = engine.setBracketTables([
      { ...live, symbol: "ETHUSDT" },
      { ...live, venue: "*" },
      { ...live, assumed: true },
      { ...live, brackets: [{ ...live.brackets[0], mmr: 1.5 }] },
      "nonsense",
    ]);
    expect(out.applied).toEqual([]);
    expect(out.rejected).toEqual([
      'tables.0: symbol must be BTCUSDT (got "ETHUSDT")',
      'tables.1: venue must be one of binance, bybit, okx, hyperliquid (got "*")',
      "tables.2: assumed must be false for a table fetched from the venue",
      "tables.3: brackets.0.mmr must be > 0 and < 1 (got 1.5)",
      "tables.4: table must be an object",
    ]);
    expect(available(engine.levels()).model.brackets[0].tableId).toBe("bybit:BTCUSDT:2026-11");
  });

  it("round-trip through toJSON/fromJSON, and a checkpoint without them restores the shipped table", () => {
    const engine = withCohort();
    engine.setBracketTables([bybitLive()]);
    engine.ingest([trade(70_000, 100_000, 1), oi(70_000, 1_015), oi(121_000, 1_015)]);
    const state = JSON.parse(JSON.stringify(engine.toJSON()));
    const restored = SymbolEngine.fromJSON(state);
    expect(JSON.stringify(restored.levels())).toBe(JSON.stringify(engine.levels()));
    expect(restored.liveBracketTables()).toEqual(engine.liveBracketTables());
    expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(engine.toJSON()));
    // the same events afterwards give the same levels
    const more = [trade(130_000, 100_100, 1), oi(130_000, 1_020), oi(181_000, 1_020)];
    engine.ingest(more);
    restored.ingest(more);
    expect(JSON.stringify(restored.levels())).toBe(JSON.stringify(engine.levels()));

    delete state.liquidationMaps.levels.liveTables;
    const old = SymbolEngine.fromJSON(state);
    expect(old.liveBracketTables()).toEqual([]);
    expect(available(old.levels()).model.brackets[0].tableId).toBe("bybit:BTCUSDT:2026-11");
  });
});
