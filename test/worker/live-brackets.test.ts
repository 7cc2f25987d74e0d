/**
 * Bracket tables fetched live reach the engine through `SymbolObject.setBrackets` (the RPC the
 * collector calls in live mode), show in `/v1/symbols/:symbol/levels` and survive a checkpoint.
 */
import { runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import type { CanonicalEvent } from "../../src/domain/events.js";
import { parseBybitRiskLimit } from "../../src/exchanges/brackets-live.js";
import recorded from "../../data/recorded/bybit/fixtures/recorded-testnet-risk-limit-btcusdt.json";
import { symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000;
const S = "BTCUSDT";
const get = async (path: string) => {
  const res = await SELF.fetch(`https://liqflow.test${path}`);
  return { status: res.status, body: await res.json<any>() };
};
const oi = (ts: number, oiBase: number): CanonicalEvent => ({ venue: "bybit", symbol: S, ts, kind: "oi", oiBase });

function liveTable() {
  const out = parseBybitRiskLimit(recorded, { fetchedAtMs: Date.UTC(2026, 11, 1), endpoint: "/v5/market/risk-limit?category=linear&symbol=BTCUSDT" });
  if ("rejected" in out) throw new Error(out.rejected);
  return out.tables[0];
}

describe("live bracket tables through the SymbolObject", () => {
  it("installs a fetched table, re-prices the venue's levels and names the table in /levels", async () => {
    const stub = symbolStub(S);
    await stub.ingest(S, {
      source: "s",
      events: [trade(S, BASE + 1_000, 100_000, 1, "buy"), oi(BASE + 1_000, 1_000), trade(S, BASE + 30_000, 100_000, 1, "sell"), oi(BASE + 30_000, 1_010), oi(BASE + 61_000, 1_010)],
      seqs: [1, 2, 3, 4, 5],
    });
    const before = await get(`/v1/symbols/${S}/levels?range=4`);
    expect(before.status).toBe(200);
    expect(before.body.model.brackets).toEqual([expect.objectContaining({ venue: "bybit", tableId: "bybit:BTCUSDT:2026-11", assumed: false })]);

    const table = liveTable();
    expect(await stub.setBrackets(S, [table])).toEqual({ applied: ["bybit:BTCUSDT:live:2026-12-01T00:00:00.000Z"], rejected: [], repriced: ["bybit"] });
    const after = await get(`/v1/symbols/${S}/levels?range=5`);
    expect(after.status).toBe(200);
    expect(after.body.model.brackets).toEqual([
      { venue: "bybit", tableId: "bybit:BTCUSDT:live:2026-12-01T00:00:00.000Z", source: table.source, asOf: "2026-12-01T00:00:00.000Z", assumed: false },
    ]);
    expect(after.body.model.brackets[0].source).toMatch(/^fetched live from Bybit GET \/v5\/market\/risk-limit\?category=linear&symbol=BTCUSDT/);
    // tier 1 of the live table (0.33 %) is below the shipped 0.5 %: every long level moves down, so
    // the long notional (USD at the liquidation price) falls and the same cohort stays placed
    expect(after.body.totals.cohorts).toBe(1);
    expect(after.body.totals.longUsd).toBeLessThan(before.body.totals.longUsd);

    // checkpointed at once: the stored engine state carries the live table
    const stored = await runInDurableObject(stub, async (_instance: SymbolObject, state) => {
      const row = state.storage.sql.exec<{ value: string }>(`SELECT value FROM kv WHERE key = 'state'`).one();
      return JSON.parse(row.value).engine.liquidationMaps.levels.liveTables;
    });
    expect(stored).toEqual([table]);
  });

  it("refuses a malformed table with a reason naming the field and keeps the one in force", async () => {
    const stub = symbolStub(S);
    const table = liveTable();
    const out = await stub.setBrackets(S, [{ ...table, id: "bybit:BTCUSDT:bad", brackets: [{ ...table.brackets[0], maxLeverage: 0 }] }]);
    expect(out).toEqual({ applied: [], rejected: ["tables.0: brackets.0.maxLeverage must be in [1, 1000] (got 0)"], repriced: [] });
    expect(await stub.setBrackets(S, "nope")).toEqual({ applied: [], rejected: ["tables must be an array"], repriced: [] });
    expect(await stub.setBrackets("ETHUSDT", [table])).toEqual({ applied: [], rejected: ['symbol must be BTCUSDT (got "ETHUSDT")'], repriced: [] });
    const levels = await get(`/v1/symbols/${S}/levels?range=6`);
    expect(levels.body.model.brackets[0].tableId).toBe("bybit:BTCUSDT:live:2026-12-01T00:00:00.000Z");
  });
});
