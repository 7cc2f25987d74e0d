import { runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import forceOrderLong from "../../data/recorded/binance/fixtures/forceorder-long.txt?raw";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import { liquidation, normalized, symbolStub, trade } from "./helpers.js";

const BASE = 1_700_000_000_000; // a multiple of 10 s

describe("SymbolObject ingest", () => {
  it("stores a real recorded forceOrder liquidation as a row and lists it", async () => {
    const events = normalized(forceOrderLong);
    expect(events).toHaveLength(1);
    const stub = symbolStub("BTCUSDT");
    const result = await stub.ingest("BTCUSDT", { source: "test", events, seqs: [1] });
    expect(result).toEqual({ accepted: 1, duplicates: 0, rejected: 0, cycles: 0, durableSeq: -1 });
    const res = await SELF.fetch("https://liqflow.test/v1/symbols/BTCUSDT/liquidations");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.stored).toBe(1);
    expect(body.liquidations).toEqual([
      { ts: 1737996820677, venue: "binance", side: "long", price: 99634.4, qty: 1.138, notionalUsd: 99634.4 * 1.138, sampling: "sampled-1s" },
    ]);
  });

  it("drops events it has already applied when a batch is re-sent, and stores no duplicate row", async () => {
    const stub = symbolStub("ETHUSDT");
    const events = [liquidation("ETHUSDT", BASE + 1_000, "short", 2000, 1), liquidation("ETHUSDT", BASE + 2_000, "long", 2001, 2)];
    expect(await stub.ingest("ETHUSDT", { source: "s", events, seqs: [10, 11] })).toMatchObject({ accepted: 2, duplicates: 0 });
    // A retry that overlaps: 11 was applied, 12 is new.
    const retry = [events[1], liquidation("ETHUSDT", BASE + 3_000, "long", 2002, 3)];
    expect(await stub.ingest("ETHUSDT", { source: "s", events: retry, seqs: [11, 12] })).toMatchObject({ accepted: 1, duplicates: 1 });
    const { stored, liquidations } = await stub.liquidations(undefined, 10);
    expect(stored).toBe(3);
    expect(liquidations.map((l) => l.ts)).toEqual([BASE + 3_000, BASE + 2_000, BASE + 1_000]);
    expect(liquidations.map((l) => l.side)).toEqual(["long", "long", "short"]);
    const since = await stub.liquidations(BASE + 2_000, 10);
    expect(since.liquidations.map((l) => l.ts)).toEqual([BASE + 3_000, BASE + 2_000]);
  });

  it("rejects events of another symbol without applying them", async () => {
    const stub = symbolStub("SOLUSDT");
    const result = await stub.ingest("SOLUSDT", { source: "s", events: [trade("BTCUSDT", BASE, 1, 1, "buy")], seqs: [1] });
    expect(result).toMatchObject({ accepted: 0, rejected: 1 });
    expect((await stub.health()).rejected).toBe(1);
  });

  it("computes a cycle at each 10 s event-time boundary and serves it over HTTP", async () => {
    const stub = symbolStub("XRPUSDT");
    const events = [
      trade("XRPUSDT", BASE + 1_000, 0.5, 100, "buy"),
      trade("XRPUSDT", BASE + 2_000, 0.51, 300, "buy"),
      trade("XRPUSDT", BASE + 3_000, 0.5, 100, "sell"),
      trade("XRPUSDT", BASE + 11_000, 0.52, 1, "buy"),
    ];
    const result = await stub.ingest("XRPUSDT", { source: "s", events, seqs: [1, 2, 3, 4] });
    expect(result.cycles).toBe(1);
    const snapshot = await (await SELF.fetch("https://liqflow.test/v1/symbols/XRPUSDT")).json<any>();
    expect(snapshot.ts).toBe(BASE + 10_000);
    expect(snapshot.price).toBe(0.5);
    const cvd = snapshot.cards.find((c: any) => c.id === "flow.cvd");
    // buy 400 − sell 100 = 300 base units; score (400 − 100) / 500 = 0.6.
    expect(cvd.timeframes["1m"].value).toBe(300);
    expect(cvd.timeframes["1m"].score).toBeCloseTo(0.6, 12);
    const liq = snapshot.cards.find((c: any) => c.id === "liq.imbalance");
    expect(liq.timeframes["1m"]).toMatchObject({ available: false, reason: "no liquidation feed", value: null });
  });

  it("advances a quiet symbol's cycles with the collector's watermark", async () => {
    const stub = symbolStub("DOGEUSDT");
    await stub.ingest("DOGEUSDT", { source: "s", events: [trade("DOGEUSDT", BASE + 1_000, 0.1, 10, "buy")], seqs: [1] });
    expect(await stub.snapshot()).toBeNull();
    const result = await stub.ingest("DOGEUSDT", { source: "s", events: [], seqs: [], watermarkTs: BASE + 30_000 });
    expect(result.cycles).toBe(3);
    expect((await stub.snapshot())?.ts).toBe(BASE + 30_000);
  });

  it("advances event time by the wall-clock silence when its alarm finds the feed quiet", async () => {
    const stub = symbolStub("ADAUSDT");
    await stub.ingest("ADAUSDT", { source: "s", events: [trade("ADAUSDT", BASE + 1_000, 0.3, 10, "buy")], seqs: [1] });
    await runInDurableObject(stub, async (instance: SymbolObject) => {
      // Pretend the last batch came 45 s of wall time ago.
      (instance as unknown as { lastIngestWallMs: number }).lastIngestWallMs = Date.now() - 45_000;
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const ts = (await stub.snapshot())?.ts ?? 0;
    expect(ts).toBeGreaterThanOrEqual(BASE + 40_000);
    expect(ts).toBeLessThanOrEqual(BASE + 50_000);
  });

  it("checkpoints the engine and the applied sequence together once per cycle", async () => {
    const stub = symbolStub("LINKUSDT");
    await stub.ingest("LINKUSDT", {
      source: "s",
      events: [trade("LINKUSDT", BASE + 1_000, 15, 2, "sell"), trade("LINKUSDT", BASE + 12_000, 15.1, 1, "buy")],
      seqs: [7, 8],
    });
    const saved = await runInDurableObject(stub, async (_instance, state) => {
      const row = state.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'").one();
      return JSON.parse(row.value);
    });
    expect(saved.symbol).toBe("LINKUSDT");
    expect(saved.sources.s.lastSeq).toBe(8);
    expect(saved.engine).toBeDefined();
  });
});
