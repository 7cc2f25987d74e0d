import { runInDurableObject, SELF } from "cloudflare:test";
import type { CanonicalEvent } from "../../src/domain/events.js";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import { describe, expect, it } from "vitest";
import { liquidation, symbolStub, trade } from "./helpers.js";

/** 2023-11-14T22:10:00Z: a multiple of 5 minutes, not of an hour. */
const BASE = 1_699_999_800_000;
const M = 60_000;
const get = async (path: string) => {
  const res = await SELF.fetch(`https://liqflow.test${path}`);
  return { status: res.status, headers: res.headers, body: await res.json<any>() };
};

/** A candle's open interest and funding when none arrived in it. */
const NONE = { openInterestUsd: null, oiVenues: 0, funding8h: null, fundingVenues: 0 };

describe("GET /v1/symbols/:symbol/candles", () => {
  it("answers 503 no_data before the symbol's first bar", async () => {
    const { status, body } = await get("/v1/symbols/ARBUSDT/candles");
    expect(status).toBe(503);
    expect(body.error.code).toBe("no_data");
  });

  it("serves 1m and 5m candles from the bar ring, newest last, with liquidations per side, edge-cacheable for 5 s", async () => {
    await symbolStub("SUIUSDT").ingest("SUIUSDT", {
      source: "s",
      events: [
        trade("SUIUSDT", BASE + 1_000, 3.0, 10, "buy"),
        trade("SUIUSDT", BASE + 30_000, 3.2, 5, "sell"),
        trade("SUIUSDT", BASE + 61_000, 3.1, 2, "buy"),
        liquidation("SUIUSDT", BASE + 62_000, "long", 3.1, 100),
        liquidation("SUIUSDT", BASE + 63_000, "short", 3.1, 10),
        trade("SUIUSDT", BASE + 5 * M + 1_000, 2.9, 1, "sell"),
      ],
      seqs: [1, 2, 3, 4, 5, 6],
    });
    const one = await get("/v1/symbols/suiusdt/candles?tf=1m&limit=10");
    expect(one.status).toBe(200);
    expect(one.headers.get("Cache-Control")).toBe("public, max-age=5");
    expect(one.body).toMatchObject({ symbol: "SUIUSDT", tf: "1m", tfMs: M, headTs: BASE + 5 * M, lastTradeTs: BASE + 5 * M + 1_000 });
    expect(one.body.candles).toEqual([
      { ts: BASE, open: 3.0, high: 3.2, low: 3.0, close: 3.2, volume: 15, volumeUsd: 30 + 16, trades: 2, longLiqUsd: 0, shortLiqUsd: 0, ...NONE, complete: true },
      { ts: BASE + M, open: 3.1, high: 3.1, low: 3.1, close: 3.1, volume: 2, volumeUsd: 6.2, trades: 1, longLiqUsd: 310, shortLiqUsd: 31, ...NONE, complete: true },
      { ts: BASE + 5 * M, open: 2.9, high: 2.9, low: 2.9, close: 2.9, volume: 1, volumeUsd: 2.9, trades: 1, longLiqUsd: 0, shortLiqUsd: 0, ...NONE, complete: false },
    ]);
    const five = await get("/v1/symbols/SUIUSDT/candles?tf=5m");
    expect(five.body.candles.map((c: any) => [c.ts, c.open, c.high, c.low, c.close, c.volume, c.longLiqUsd, c.shortLiqUsd, c.complete])).toEqual([
      [BASE, 3.0, 3.2, 3.0, 3.1, 17, 310, 31, true],
      [BASE + 5 * M, 2.9, 2.9, 2.9, 2.9, 1, 0, 0, false],
    ]);
    const last = await get("/v1/symbols/SUIUSDT/candles?limit=1");
    expect(last.body.candles.map((c: any) => c.ts)).toEqual([BASE + 5 * M]);
  });

  it("gives each candle its open interest and funding (null where none arrived), saved as rows apart and restored", async () => {
    const symbol = "WIFUSDT";
    const stub = symbolStub(symbol);
    const oi = (ts: number, oiBase: number): CanonicalEvent => ({ venue: "binance", symbol, ts, kind: "oi", oiBase });
    const mark = (ts: number, fundingRate: number): CanonicalEvent => ({ venue: "binance", symbol, ts, kind: "mark", markPrice: 5, fundingRate });
    const events = [
      trade(symbol, BASE + 1_000, 5, 1, "buy"),
      oi(BASE + 2_000, 1_000), // valued at the venue's last trade: 1,000 × 5
      mark(BASE + 3_000, 0.0001), // Binance: 8 h funding by default, so the 8 h equivalent is the rate
      trade(symbol, BASE + M + 1_000, 5.5, 1, "sell"),
      trade(symbol, BASE + 2 * M + 1_000, 6, 1, "buy"),
      oi(BASE + 2 * M + 2_000, 1_200), // 1,200 × 6
      trade(symbol, BASE + 3 * M + 1_000, 6, 1, "buy"),
    ];
    await stub.ingest(symbol, { source: "s", events, seqs: events.map((_, i) => i + 1) });
    const expected = [
      [BASE, 5_000, 1, 0.0001, 1],
      [BASE + M, null, 0, null, 0], // nothing arrived in this minute: no value carried from the one before
      [BASE + 2 * M, 7_200, 1, null, 0],
      [BASE + 3 * M, null, 0, null, 0],
    ];
    const read = async () => (await get(`/v1/symbols/${symbol}/candles?tf=1m`)).body.candles.map((c: any) => [c.ts, c.openInterestUsd, c.oiVenues, c.funding8h, c.fundingVenues]);
    expect(await read()).toEqual(expected);
    const five = await get(`/v1/symbols/${symbol}/candles?tf=5m`);
    expect(five.body.candles.map((c: any) => [c.ts, c.openInterestUsd, c.funding8h])).toEqual([[BASE, 7_200, 0.0001]]);
    // Saved as rows of their own (not in the checkpoint), and read back by a restart.
    const saved = await runInDurableObject(stub, async (_instance: SymbolObject, state) => ({
      minutes: state.storage.sql.exec<{ minute: number }>("SELECT minute FROM derivative_minutes ORDER BY minute").toArray().map((r) => r.minute),
      inCheckpoint: JSON.parse(state.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'").one().value).engine.inputs.derivatives,
    }));
    expect(saved).toEqual({ minutes: [BASE / M, BASE / M + 2], inCheckpoint: undefined });
    const rows = await runInDurableObject(stub, async (instance: SymbolObject) => {
      (instance as any).restore();
      return (instance as any).engine.derivativeRows();
    });
    expect(rows.map((r: number[]) => r[0])).toEqual([BASE / M, BASE / M + 2]);
    expect(await read()).toEqual(expected);
  });

  it("answers 400 naming the parameter for a bad tf, a limit out of 1–1440, or a parameter it does not take", async () => {
    for (const [query, name] of [
      ["tf=2m", "tf"],
      ["tf=1d", "tf"],
      ["limit=0", "limit"],
      ["limit=1441", "limit"],
      ["limit=ten", "limit"],
      ["window=1h", "window"],
    ]) {
      const { status, body } = await get(`/v1/symbols/SUIUSDT/candles?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.code).toBe("bad_parameter");
      expect(body.error.message, query).toContain(name);
    }
    expect((await get("/v1/symbols/NOPEUSDT/candles")).status).toBe(404);
  });

  it("is in the OpenAPI document with its parameters, candle fields and errors", async () => {
    const { body } = await get("/openapi.json");
    const op = body.paths["/v1/symbols/{symbol}/candles"].get;
    const params = Object.fromEntries(op.parameters.map((p: any) => [p.name, p]));
    expect(params.tf.schema.enum).toEqual(["1m", "5m", "15m", "1h"]);
    expect(params.tf.required).toBe(false);
    expect(params.limit.schema).toMatchObject({ minimum: 1, maximum: 1440 });
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "304", "400", "404", "503"]));
    const candle = op.responses[200].content["application/json"].schema.properties.candles.items;
    expect(Object.keys(candle.properties)).toEqual(["ts", "open", "high", "low", "close", "volume", "volumeUsd", "trades", "longLiqUsd", "shortLiqUsd", "openInterestUsd", "oiVenues", "funding8h", "fundingVenues", "complete"]);
  });
});
