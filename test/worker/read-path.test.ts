import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import { liquidation, symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000;
const url = (path: string) => `https://liqflow.test${path}`;

describe("edge cache", () => {
  it("serves a repeated read from the cache without touching the object", async () => {
    const stub = symbolStub("TRXUSDT");
    await stub.ingest("TRXUSDT", { source: "s", events: [trade("TRXUSDT", BASE + 1_000, 0.1, 5, "buy"), trade("TRXUSDT", BASE + 11_000, 0.1, 1, "sell")], seqs: [1, 2] });
    const first = await SELF.fetch(url("/v1/symbols/TRXUSDT/cards"));
    expect(first.status).toBe(200);
    expect(first.headers.get("X-Liqflow-Cache")).toBe("miss");
    const body = await first.text();
    // The object moves on by a cycle; a cached read must not see it.
    await stub.ingest("TRXUSDT", { source: "s", events: [trade("TRXUSDT", BASE + 21_000, 0.1, 1, "sell")], seqs: [3] });
    const calls = await runInDurableObject(stub, async (instance: SymbolObject) => (await instance.snapshot())?.ts);
    expect(calls).toBe(BASE + 20_000);
    const second = await SELF.fetch(url("/v1/symbols/TRXUSDT/cards"));
    expect(second.headers.get("X-Liqflow-Cache")).toBe("hit");
    expect(await second.text()).toBe(body);
  });

  it("answers If-None-Match with 304 and no body, and sets strong ETag, Cache-Control, Vary and CORS", async () => {
    const first = await SELF.fetch(url("/v1/symbols"));
    const etag = first.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=5");
    expect(first.headers.get("Vary")).toBe("Accept-Encoding");
    expect(first.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const again = await SELF.fetch(url("/v1/symbols"), { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("ETag")).toBe(etag);
    const other = await SELF.fetch(url("/v1/symbols"), { headers: { "If-None-Match": '"0000"' } });
    expect(other.status).toBe(200);
  });

  it("never caches errors or health", async () => {
    const a = await SELF.fetch(url("/v1/symbols/NOPEUSDT"));
    expect(a.status).toBe(404);
    expect(a.headers.get("ETag")).toBeNull();
    const h = await SELF.fetch(url("/v1/health"));
    expect(h.headers.get("Cache-Control")).toBe("no-store");
  });

  it("shares one cache entry for the same query in a different parameter order", async () => {
    const stub = symbolStub("LTCUSDT");
    await stub.ingest("LTCUSDT", { source: "s", events: [liquidation("LTCUSDT", BASE + 1_000, "long", 80, 2)], seqs: [1] });
    const a = await SELF.fetch(url("/v1/symbols/LTCUSDT/liquidations?since=0&limit=5"));
    expect(a.headers.get("X-Liqflow-Cache")).toBe("miss");
    const b = await SELF.fetch(url("/v1/symbols/LTCUSDT/liquidations?limit=5&since=0"));
    expect(b.headers.get("X-Liqflow-Cache")).toBe("hit");
  });
});

describe("batch bias and market", () => {
  it("reads one mode's bias for several symbols at once, null where there is none yet", async () => {
    const stub = symbolStub("DOTUSDT");
    await stub.ingest("DOTUSDT", { source: "s", events: [trade("DOTUSDT", BASE + 1_000, 5, 10, "buy"), trade("DOTUSDT", BASE + 11_000, 5.1, 1, "buy")], seqs: [1, 2] });
    const res = await SELF.fetch(url("/v1/bias?symbols=dotusdt,SUIUSDT&mode=day"));
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.mode).toBe("day");
    expect(body.biases.map((b: any) => b.symbol)).toEqual(["DOTUSDT", "SUIUSDT"]);
    expect(body.biases[0].bias).toMatchObject({ mode: "day", ts: BASE + 10_000 });
    expect(body.biases[1]).toEqual({ symbol: "SUIUSDT", bias: null, price: null });
  });

  it("rejects a batch with an unknown symbol, no symbols, or no mode", async () => {
    expect((await SELF.fetch(url("/v1/bias?symbols=BTCUSDT,NOPE&mode=day"))).status).toBe(404);
    expect((await SELF.fetch(url("/v1/bias?symbols=&mode=day"))).status).toBe(400);
    expect((await SELF.fetch(url("/v1/bias?symbols=BTCUSDT"))).status).toBe(400);
  });

  it("aggregates liquidations across symbols by venue and side over 1h/4h/24h from the objects' reports", async () => {
    const near = symbolStub("NEARUSDT");
    const apt = symbolStub("APTUSDT");
    await near.ingest("NEARUSDT", {
      source: "s",
      events: [liquidation("NEARUSDT", BASE + 1_000, "long", 5, 100), liquidation("NEARUSDT", BASE + 2_000, "short", 5, 40), trade("NEARUSDT", BASE + 11_000, 5, 1, "buy")],
      seqs: [1, 2, 3],
    });
    await apt.ingest("APTUSDT", {
      source: "s",
      events: [liquidation("APTUSDT", BASE + 3_000, "long", 10, 30), trade("APTUSDT", BASE + 12_000, 10, 1, "sell")],
      seqs: [1, 2],
    });
    const coordinator = env.COORDINATOR.get(env.COORDINATOR.idFromName("coordinator"));
    // Reports go out after the ingest returns (fire-and-forget): wait for both to land.
    let market = await coordinator.market();
    for (let i = 0; i < 100 && (market.liquidations[0].byVenue.binance?.long.count ?? 0) < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      market = await coordinator.market();
    }
    const h1 = market.liquidations.find((w) => w.window === "1h")!;
    expect(h1.byVenue.binance).toEqual({ long: { count: 2, notionalUsd: 800 }, short: { count: 1, notionalUsd: 200 }, sampling: "sampled-1s" });
    // Binance samples (one per second): the total is labelled, and split by how venues publish
    expect(h1.total).toEqual({ long: { count: 2, notionalUsd: 800 }, short: { count: 1, notionalUsd: 200 }, sampling: "sampled" });
    expect(h1.bySampling).toEqual({ complete: { long: { count: 0, notionalUsd: 0 }, short: { count: 0, notionalUsd: 0 } }, sampled: { long: { count: 2, notionalUsd: 800 }, short: { count: 1, notionalUsd: 200 } } });
    expect(market.largest.map((l) => [l.symbol, l.notionalUsd])).toEqual([["NEARUSDT", 500], ["APTUSDT", 300], ["NEARUSDT", 200]]);
    const day = market.breadth.day;
    expect(day.long + day.short + day.neutral + day.none).toBe(21);
    expect(day.none).toBeLessThanOrEqual(19);
    const res = await SELF.fetch(url("/v1/market"));
    expect(res.status).toBe(200);
  });
});

describe("OpenAPI", () => {
  it("documents every route with the zod-derived schemas", async () => {
    const res = await SELF.fetch(url("/openapi.json"));
    expect(res.status).toBe(200);
    const doc = await res.json<any>();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/symbols", "/v1/symbols/{symbol}", "/v1/symbols/{symbol}/bias", "/v1/bias", "/v1/market", "/v1/stream"]),
    );
    const bias = doc.paths["/v1/symbols/{symbol}/bias"].get;
    expect(bias.parameters.find((p: any) => p.name === "mode").schema.enum).toEqual(["scalp", "day", "swing"]);
    const limit = doc.paths["/v1/symbols/{symbol}/liquidations"].get.parameters.find((p: any) => p.name === "limit");
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 1000 });
    expect(doc.paths["/v1/symbols/{symbol}"].get.responses[404].content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
    const zones = doc.paths["/v1/symbols/{symbol}/zones"].get;
    expect(Object.keys(zones.responses).sort()).toEqual(["200", "304", "400", "404", "429", "503"]);
    expect(JSON.stringify(zones.responses[200])).toContain("trapReasons");
    const docs = await SELF.fetch(url("/docs/"));
    expect(await docs.text()).toContain("/openapi.json");
  });
});
