import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BiasOneResponseSchema } from "../../src/protocol/http.js";
import { symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000; // a multiple of 300 s, so every mode cadence aligns with it

async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await SELF.fetch(`https://liqflow.test${path}`);
  return { status: res.status, body: await res.json() };
}

describe("HTTP routes", () => {
  it("lists the 21 tracked symbols with null price and bias before any data", async () => {
    const { status, body } = await get("/v1/symbols");
    expect(status).toBe(200);
    expect(body.symbols).toHaveLength(21);
    expect(body.symbols[0]).toEqual({ symbol: "BTCUSDT", ts: null, price: null, bias: { scalp: null, day: null, swing: null } });
  });

  it("answers an unknown symbol with 404 and a JSON error", async () => {
    const { status, body } = await get("/v1/symbols/NOPEUSDT");
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: "unknown_symbol", message: expect.stringContaining("NOPEUSDT") } });
  });

  it("says 503 no_data, not an invented value, for a symbol whose feed delivered nothing yet", async () => {
    const { status, body } = await get("/v1/symbols/WIFUSDT/bias?mode=day");
    expect(status).toBe(503);
    expect(body.error.code).toBe("no_data");
  });

  it("validates query parameters with a 400 that names the field", async () => {
    const mode = await get("/v1/symbols/BTCUSDT/bias?mode=yolo");
    expect(mode.status).toBe(400);
    expect(mode.body.error).toMatchObject({ code: "bad_parameter", message: expect.stringMatching(/^mode: /) });
    const limit = await get("/v1/symbols/BTCUSDT/liquidations?limit=5000");
    expect(limit.status).toBe(400);
    expect(limit.body.error.message).toMatch(/^limit: /);
    const since = await get("/v1/symbols/BTCUSDT/liquidations?since=yesterday");
    expect(since.status).toBe(400);
    const extra = await get("/v1/symbols/BTCUSDT/liquidations?foo=1");
    expect(extra.status).toBe(400);
  });

  it("serves the bias of one mode after its cadence, and all modes without mode", async () => {
    const stub = symbolStub("BNBUSDT");
    const events = [trade("BNBUSDT", BASE + 1_000, 600, 5, "buy"), trade("BNBUSDT", BASE + 61_000, 601, 1, "sell")];
    await stub.ingest("BNBUSDT", { source: "s", events, seqs: [1, 2] });
    const day = await get("/v1/symbols/BNBUSDT/bias?mode=day");
    expect(day.status).toBe(200);
    expect(day.body).toMatchObject({ symbol: "BNBUSDT", mode: "day", ts: BASE + 60_000, timeframe: "5m", weightsVersion: null });
    expect(day.body.timeframes).toMatchObject({ "1m": { weight: 0.2 }, "5m": { weight: 0.6 }, "1h": { weight: 0.2 } });
    expect(BiasOneResponseSchema.parse(day.body)).toEqual(day.body);
    expect(day.body.score).toBeGreaterThan(0);
    const all = await get("/v1/symbols/bnbusdt/bias");
    expect(Object.keys(all.body.bias)).toEqual(["scalp", "day", "swing"]);
    const cards = await get("/v1/symbols/BNBUSDT/cards");
    expect(cards.body.cards.map((c: any) => c.id)).toContain("liq.imbalance");
  });

  it("reports engine counters and an unreachable collector honestly in /v1/health", async () => {
    const { status, body } = await get("/v1/health");
    expect(status).toBe(200);
    expect(Object.keys(body.engine)).toHaveLength(21);
    expect(body.collector).toMatchObject({ reachable: true, mode: "test" });
  });

  it("answers unknown API paths with a JSON 404 and serves the dashboard at /", async () => {
    expect((await get("/v1/nope")).status).toBe(404);
    const page = await SELF.fetch("https://liqflow.test/");
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>liqflow[^<]*<\/title>/);
  });
});
