import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { applyMergePatch } from "../../src/protocol/merge-patch.js";
import { liquidation, openStream, symbolStub, trade } from "./helpers.js";

const BASE = 1_699_999_800_000;
const get = async (path: string) => {
  const res = await SELF.fetch(`https://liqflow.test${path}`);
  return { status: res.status, body: await res.json<any>() };
};

describe("liquidation map routes", () => {
  it("serves the realized heatmap as sparse cells with axes, summing notional per side exactly", async () => {
    const stub = symbolStub("BCHUSDT");
    await stub.ingest("BCHUSDT", {
      source: "s",
      events: [
        trade("BCHUSDT", BASE + 1_000, 400, 1, "buy"),
        liquidation("BCHUSDT", BASE + 2_000, "long", 400, 2),
        liquidation("BCHUSDT", BASE + 3_000, "long", 400.1, 1),
        liquidation("BCHUSDT", BASE + 65_000, "short", 404, 0.5),
        trade("BCHUSDT", BASE + 71_000, 401, 1, "sell"),
      ],
      seqs: [1, 2, 3, 4, 5],
    });
    const { status, body } = await get("/v1/symbols/BCHUSDT/heatmap?window=1h&timeBin=1m&priceBin=10bps");
    expect(status).toBe(200);
    expect(body).toMatchObject({ symbol: "BCHUSDT", kind: "realized-heatmap", measured: true, sampling: "sampled-1s" });
    expect(body.time.binMs).toBe(60_000);
    expect(body.totals.long).toEqual({ count: 2, qty: 3, notionalUsd: 800 + 400.1 });
    expect(body.totals.short).toEqual({ count: 1, qty: 0.5, notionalUsd: 202 });
    const cellSum = body.cells.reduce((a: number, c: number[]) => a + c[2] + c[3], 0);
    expect(cellSum).toBeCloseTo(800 + 400.1 + 202, 9);
    expect(body.cells.reduce((a: number, c: number[]) => a + c[4], 0)).toBe(3);
    const tick = await get("/v1/symbols/BCHUSDT/heatmap?priceBin=5");
    expect(tick.body.price).toMatchObject({ mode: "tick", binWidth: 5 });
  });

  it("answers a bad heatmap query with 400 naming the field", async () => {
    const tooLong = await get("/v1/symbols/BCHUSDT/heatmap?window=48h");
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toBe("heatmap: window must be <= 24h (got 48h)");
    const garbage = await get("/v1/symbols/BCHUSDT/heatmap?timeBin=soon");
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.message).toMatch(/^timeBin: /);
    expect((await get("/v1/symbols/NOPEUSDT/heatmap")).status).toBe(404);
  });

  it("says the estimated levels are unavailable without an open-interest feed instead of inventing them", async () => {
    const { status, body } = await get("/v1/symbols/BCHUSDT/levels");
    expect(status).toBe(200);
    expect(body).toMatchObject({ available: false, reason: expect.stringMatching(/open-interest/) });
  });

  it("estimates levels once open interest grows, labelled estimated", async () => {
    const stub = symbolStub("WIFUSDT");
    const oi = (ts: number, oiBase: number) => ({ venue: "binance" as const, symbol: "WIFUSDT", ts, kind: "oi" as const, oiBase });
    await stub.ingest("WIFUSDT", {
      source: "s",
      events: [trade("WIFUSDT", BASE + 1_000, 2, 100, "buy"), oi(BASE + 2_000, 1_000_000), trade("WIFUSDT", BASE + 61_000, 2, 100, "buy"), oi(BASE + 62_000, 1_100_000), trade("WIFUSDT", BASE + 125_000, 2, 1, "sell")],
      seqs: [1, 2, 3, 4, 5],
    });
    const { body } = await get("/v1/symbols/WIFUSDT/levels");
    expect(body.available).toBe(true);
    expect(body.estimated).toBe(true);
    const cascade = await get("/v1/symbols/WIFUSDT/cascade");
    expect(cascade.status).toBe(200);
    const clusters = await get("/v1/symbols/WIFUSDT/clusters?limit=3");
    expect(clusters.status).toBe(200);
    expect((await get("/v1/symbols/WIFUSDT/clusters?limit=0")).status).toBe(400);
  });
});

describe("liquidation map channels", () => {
  it("streams SYMBOL:heatmap and SYMBOL:levels: a snapshot on subscribe, then a merge patch each cycle", async () => {
    const stub = symbolStub("TONUSDT");
    await stub.ingest("TONUSDT", {
      source: "s",
      events: [trade("TONUSDT", BASE + 1_000, 5, 10, "buy"), liquidation("TONUSDT", BASE + 2_000, "long", 5, 100), trade("TONUSDT", BASE + 11_000, 5, 1, "sell")],
      seqs: [1, 2, 3],
    });
    const { ws, messages, next } = await openStream();
    ws.send(JSON.stringify({ op: "subscribe", channels: ["TONUSDT:heatmap", "TONUSDT:levels"] }));
    await next(3);
    const heat = messages.find((m) => m.type === "snapshot" && m.channel === "TONUSDT:heatmap");
    expect(heat.data).toMatchObject({ kind: "realized-heatmap", totals: { long: { count: 1, notionalUsd: 500 } } });
    const levels = messages.find((m) => m.type === "snapshot" && m.channel === "TONUSDT:levels");
    expect(levels.data).toMatchObject({ available: false });
    await stub.ingest("TONUSDT", {
      source: "s",
      events: [liquidation("TONUSDT", BASE + 12_000, "short", 5.1, 10), trade("TONUSDT", BASE + 21_000, 5.1, 1, "buy")],
      seqs: [4, 5],
    });
    await next(5);
    const update = messages.find((m) => m.type === "update" && m.channel === "TONUSDT:heatmap");
    expect(update.seq).toBe(heat.seq + 1);
    expect(update.data).toBeUndefined();
    const next_ = applyMergePatch(heat.data, update.patch);
    expect(next_.totals.short).toEqual({ count: 1, qty: 10, notionalUsd: 51 });
    expect(next_.totals.long).toEqual(heat.data.totals.long);
    // Unchanged parts of the map are not re-sent.
    expect(update.patch.totals).toEqual({ short: { count: 1, qty: 10, notionalUsd: 51 } });
    ws.close();
  });
});

describe("a symbol without data", () => {
  it("answers 503 no_data on every map instead of empty maps stamped at epoch 0", async () => {
    for (const map of ["heatmap", "clusters", "levels", "cascade"]) {
      const res = await get(`/v1/symbols/SUIUSDT/${map}`);
      expect(res.status, map).toBe(503);
      expect(res.body.error.code, map).toBe("no_data");
      expect(res.body.error.message, map).toMatch(/^SUIUSDT: no event of this symbol has reached the engine yet/);
    }
  });
});

describe("support/resistance zones", () => {
  const S = "LTCUSDT";
  const book = (ts: number, seq: number) => ({
    venue: "binance" as const,
    symbol: S,
    ts,
    kind: "book" as const,
    type: "snapshot" as const,
    seq,
    // A 60-lot bid wall at 99.0 among 1-lot levels every 0.1; asks from 100.1 up.
    bids: Array.from({ length: 30 }, (_, i) => [Math.round((99.9 - i * 0.1) * 10) / 10, i === 9 ? 60 : 1] as [number, number]),
    asks: Array.from({ length: 30 }, (_, i) => [Math.round((100.1 + i * 0.1) * 10) / 10, 1] as [number, number]),
  });

  it("answers 503 before the symbol's first cycle, 400 for an unknown parameter and 404 for an unknown symbol", async () => {
    const early = await get("/v1/symbols/SUIUSDT/zones");
    expect(early.status).toBe(503);
    expect(early.body.error.code).toBe("no_data");
    expect((await get(`/v1/symbols/${S}/zones?window=1h`)).status).toBe(400);
    expect((await get("/v1/symbols/NOPEUSDT/zones")).status).toBe(404);
  });

  it("serves zones from the book, trades and maps at each cycle, and streams them on SYMBOL:zones", async () => {
    const stub = symbolStub(S);
    await stub.ingest(S, {
      source: "s",
      events: [book(BASE + 500, 1), trade(S, BASE + 1_000, 100, 2, "buy"), trade(S, BASE + 11_000, 100, 1, "sell")],
      seqs: [1, 2, 3],
    });
    const { status, body } = await get(`/v1/symbols/${S}/zones`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ symbol: S, kind: "zones", label: "estimated", ts: BASE + 10_000, price: 100 });
    expect(body.inputs).toEqual({ trades: "available", book: "available", levels: "unavailable", clusters: "unavailable" });
    const wall = body.zones.find((z: any) => z.sources.some((s: any) => s.kind === "bid-wall"));
    expect(wall).toMatchObject({ kind: "support", trap: false });
    expect(wall.low).toBeLessThanOrEqual(99);
    expect(wall.high).toBeGreaterThanOrEqual(99);
    // Trap checks without a level map stay null: nothing is invented.
    expect(wall.evidence.liqBeyondUsd).toBeNull();
    // Step 8: without a level map the liquidity component is unavailable (null), no sweep was seen (0).
    expect(wall.direction).toMatchObject({ liquidity: null, sweep: 0 });
    expect(wall.direction.confidence).toBeGreaterThanOrEqual(1 / 3);
    expect(Math.abs(wall.direction.score)).toBeLessThanOrEqual(1);

    const { ws, messages, next } = await openStream();
    ws.send(JSON.stringify({ op: "subscribe", channels: [`${S}:zones`] }));
    await next(2);
    expect(messages[0]).toEqual({ type: "subscribed", channels: [`${S}:zones`] });
    expect(messages[1]).toMatchObject({ type: "snapshot", channel: `${S}:zones`, data: { ts: BASE + 10_000 } });
    expect(messages[1].data.zones.map((z: any) => z.id)).toEqual(body.zones.map((z: any) => z.id));
    await stub.ingest(S, { source: "s", events: [trade(S, BASE + 21_000, 99.8, 1, "sell")], seqs: [4] });
    const update = (await next(3))[2];
    expect(update).toMatchObject({ type: "update", channel: `${S}:zones`, seq: messages[1].seq + 1, data: { ts: BASE + 20_000, price: 100 } });
    // The wall zone keeps its id from cycle to cycle.
    expect(update.data.zones.some((z: any) => z.id === wall.id)).toBe(true);
    ws.close();
  });
});
