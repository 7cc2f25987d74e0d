import { runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import forceOrderLong from "../../data/recorded/binance/fixtures/forceorder-long.txt?raw";
import type { SymbolObject } from "../../src/objects/symbol-object.js";
import type { CanonicalEvent } from "../../src/domain/events.js";
import type { LiquidationHeatmap } from "../../src/protocol/liquidation.js";
import { liquidation, normalized, symbolStub, trade } from "./helpers.js";

const BASE = 1_700_000_000_000; // a multiple of 10 s

/**
 * The engine's state without the market context: the Coordinator's reply carrying it arrives after
 * the cycle's checkpoint (by design, it is not awaited), so a restore holds the previous reply's.
 */
function engineState(instance: SymbolObject): string {
  const { market: _market, ...rest } = (instance as any).engine.toJSON();
  return JSON.stringify(rest);
}

describe("SymbolObject ingest", () => {
  it("knows its symbol from its name before any event, and refuses a batch or brackets meant for another", async () => {
    const stub = symbolStub("NEARUSDT");
    expect((await stub.health()).symbol).toBe("NEARUSDT");
    const refused = await stub.ingest("BTCUSDT", { source: "s", events: [trade("BTCUSDT", BASE + 1_000, 1, 1, "buy")], seqs: [1] }).then(
      () => null,
      (err: unknown) => String(err),
    );
    expect(refused).toMatch(/holds NEARUSDT, not BTCUSDT/);
    expect((await stub.setBrackets("BTCUSDT", [])).rejected).toEqual(['symbol must be NEARUSDT (got "BTCUSDT")']);
    expect((await stub.health()).events).toEqual({});
  });

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
    // buy 400 − sell 100 = 300 base units; x = (400 − 100) / 500 = 0.6, score tanh(0.6 / 0.3) on a fresh symbol.
    expect(cvd.timeframes["1m"].value).toBe(300);
    expect(cvd.timeframes["1m"].score).toBeCloseTo(Math.tanh(2), 12);
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
  it("saves realized liquidations in chunks apart from the checkpoint, drops chunks whose records expired, and restores the same engine", async () => {
    const symbol = "BCHUSDT";
    const stub = symbolStub(symbol);
    const liqs = (from: number, n: number, t0: number) =>
      Array.from({ length: n }, (_, i) => liquidation(symbol, t0 + i * 10, i % 2 ? "long" : "short", 400 + (i % 17), 0.5 + (i % 3)));
    // 1,200 liquidations, then a trade past the cycle boundary: a checkpoint.
    const first = [...liqs(0, 1_200, BASE + 100), trade(symbol, BASE + 20_000, 401, 1, "buy")];
    await stub.ingest(symbol, { source: "s", events: first, seqs: first.map((_, i) => i + 1) });
    const look = () =>
      runInDurableObject(stub, async (instance: SymbolObject, state) => {
        const chunks = state.storage.sql.exec<{ chunk: number; first: number; n: number }>("SELECT chunk, first, json_array_length(rows) AS n FROM realized_chunks ORDER BY chunk").toArray();
        const saved = JSON.parse(state.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'").one().value);
        return { chunks, realized: saved.engine.liquidationMaps.realized, engine: engineState(instance) };
      });
    const one = await look();
    expect(one.chunks).toEqual([
      { chunk: 0, first: 0, n: 512 },
      { chunk: 1, first: 512, n: 512 },
      { chunk: 2, first: 1_024, n: 176 },
    ]);
    // The records are not in the checkpoint row, which names their range instead.
    expect(one.realized.ts).toEqual([]);
    expect(one.realized.external).toEqual({ from: 0, to: 1_200 });
    expect(JSON.parse(one.engine).liquidationMaps.realized.ts).toHaveLength(1_200);
    // A restart rebuilds exactly the engine that was checkpointed.
    const restored = await runInDurableObject(stub, async (instance: SymbolObject) => {
      (instance as any).restore();
      return engineState(instance);
    });
    expect(restored).toBe(one.engine);
    // 25 h later the first 1,200 have left the 24 h store: their chunks go; the open chunk is rewritten.
    const later = BASE + 25 * 3_600_000;
    const second = [...liqs(0, 300, later), trade(symbol, later + 20_000, 402, 1, "sell")];
    await stub.ingest(symbol, { source: "s", events: second, seqs: second.map((_, i) => 1_202 + i) });
    const two = await look();
    expect(two.chunks).toEqual([
      { chunk: 2, first: 1_200, n: 300 },
    ]);
    expect(two.realized.external).toEqual({ from: 1_200, to: 1_500 });
    const again = await runInDurableObject(stub, async (instance: SymbolObject) => {
      (instance as any).restore();
      return engineState(instance);
    });
    expect(again).toBe(two.engine);
    const heatmap = await stub.liquidationMap({ kind: "heatmap", query: { windowMs: 3_600_000 } });
    expect("value" in heatmap && (heatmap.value as LiquidationHeatmap).retention.held).toBe(300);
  });

  it("saves one-minute bars as rows apart from the checkpoint and restores the same engine; health counts the available cards", async () => {
    const symbol = "DOTUSDT";
    const stub = symbolStub(symbol);
    // trades in three minutes, then past a boundary: a checkpoint
    const first = [0, 30_000, 61_000, 125_000, 130_000].map((dt, i) => trade(symbol, BASE + dt, 4 + i / 100, 1 + i, i % 2 ? "sell" : "buy"));
    await stub.ingest(symbol, { source: "s", events: first, seqs: first.map((_, i) => i + 1) });
    const look = () =>
      runInDurableObject(stub, async (instance: SymbolObject, state) => {
        const rows = state.storage.sql.exec<{ minute: number; row: string }>("SELECT minute, row FROM bars ORDER BY minute").toArray();
        const saved = JSON.parse(state.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'").one().value);
        return { minutes: rows.map((r) => r.minute), rows: rows.map((r) => JSON.parse(r.row)), checkpointBars: saved.engine.inputs.bars, engine: engineState(instance) };
      });
    const one = await look();
    const m0 = Math.floor(BASE / 60_000);
    expect(one.minutes).toEqual([m0, m0 + 1, m0 + 2]);
    expect(one.checkpointBars).toBeUndefined();
    // a bar row is [minute, ...21 window fields]: trades in minute 0 were the buy of 1 and the sell of 2
    expect(one.rows[0].slice(0, 7)).toEqual([m0, 1, 2, 4, 4.01 * 2, 1, 1]);
    const restored = await runInDurableObject(stub, async (instance: SymbolObject) => {
      (instance as any).restore();
      return engineState(instance);
    });
    expect(restored).toBe(one.engine);
    const health = await stub.health();
    expect(health.cards).toEqual({ available: expect.any(Number), cards: JSON.parse(one.engine).cardMemory.length });
    expect(health.cards!.available).toBeGreaterThan(0);
  });

  it("keeps its pending predictions and its record across a restart; the outcomes its last report took come back queued, to be re-sent", async () => {
    const symbol = "LTCUSDT";
    const stub = symbolStub(symbol);
    const m0 = Math.floor(BASE / 60_000);
    // 80 one-minute bars of a zigzag: σ exists from the 61st minute, scalp predictions are scored 5 min on.
    const bars: CanonicalEvent[] = Array.from({ length: 80 }, (_, i) => {
      const close = 100 * Math.exp(0.002 * Math.sin(i / 3) + 0.0005 * (i % 4));
      return {
        venue: "binance", symbol, kind: "bar", ts: (m0 + i) * 60_000 + 59_999, openTs: (m0 + i) * 60_000,
        open: close, high: close * 1.001, low: close * 0.999, close, volumeBase: 10, volumeQuote: 10 * close, takerBuyBase: 5, takerBuyQuote: 5 * close, trades: 5, closed: true,
      } as CanonicalEvent;
    });
    for (let i = 0; i < bars.length; i += 10) {
      const chunk = bars.slice(i, i + 10);
      await stub.ingest(symbol, { source: "binance:bars", events: chunk, seqs: chunk.map((_, j) => i + j + 1) });
    }
    const state = await runInDurableObject(stub, async (instance: SymbolObject, st) => {
      const engine = (instance as any).engine;
      const before = JSON.stringify(engine.learningJSON());
      const counters = engine.learningRecord().counters();
      const rows = st.storage.sql.exec<{ key: string }>("SELECT key FROM kv WHERE key LIKE 'learning%' ORDER BY key").toArray().map((r) => r.key);
      // Each pending prediction is a row of its own; the book's row holds only their keys and exit prices.
      const predictionRows = st.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM predictions").one().n;
      const bookRow = JSON.parse(st.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'learning'").one().value);
      (instance as any).restore();
      return { before, after: JSON.stringify((instance as any).engine.learningJSON()), counters, rows, predictionRows, bookRow };
    });
    expect(state.rows).toEqual(["learning", "learning-stats"]);
    const pendingNow = JSON.parse(state.before).book.pending;
    expect(state.predictionRows).toBe(pendingNow.scalp.length + pendingNow.day.length + pendingNow.swing.length);
    expect(state.bookRow.book.pending.day[0].prediction).toBeUndefined();
    expect(state.bookRow.book.pending.day[0].key).toBe(`day:${pendingNow.day[0].prediction.ts}`);
    expect(state.counters.modes.scalp.scored).toBeGreaterThan(5);
    expect(state.counters.modes.day.added).toBeGreaterThan(10);
    // The restored book and record are the live ones: pending predictions survive. The outcomes the
    // last cycle's report took after its checkpoint come back queued: re-sent once, the Coordinator
    // drops them as duplicates (at least once, never lost: test/worker/learning.test.ts).
    const before = JSON.parse(state.before);
    const after = JSON.parse(state.after);
    expect(after.book).toEqual(before.book);
    expect(after.stats).toEqual(before.stats);
    expect(before.queued).toEqual([]);
    // ... which are the last batch's (its 10 minutes), nothing older
    const lastBatchStart = (m0 + 70) * 60_000;
    expect(after.queued.length).toBeGreaterThan(0);
    for (const o of after.queued) expect(o.dueTs).toBeGreaterThanOrEqual(lastBatchStart - 10_000);
    expect(after.book.pending.day.length).toBeGreaterThan(10);
    const stats = await stub.scorecardStats();
    expect(stats?.modes.scalp.bias).toBeDefined();
  });

  it("sets an unreadable checkpoint aside and starts fresh, instead of failing every request; its rows stay, re-sent events are not stored twice", async () => {
    const symbol = "OPUSDT";
    const stub = symbolStub(symbol);
    const first = [liquidation(symbol, BASE + 100, "long", 2, 1), trade(symbol, BASE + 20_000, 2, 1, "buy")];
    await stub.ingest(symbol, { source: "s", events: first, seqs: [1, 2] });
    const after = await runInDurableObject(stub, async (instance: SymbolObject, state) => {
      // A checkpoint this version cannot parse (a window bucket of an unknown layout).
      const saved = JSON.parse(state.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'").one().value);
      saved.engine.inputs.windows.venues.binance.window.buckets[0] = [1, 2, 3];
      state.storage.sql.exec("UPDATE kv SET value = ? WHERE key = 'state'", JSON.stringify(saved));
      (instance as any).restoreOrSetAside();
      const keys = state.storage.sql.exec<{ key: string }>("SELECT key FROM kv ORDER BY key").toArray().map((r) => r.key);
      return { keys, engine: (instance as any).engine ?? null };
    });
    expect(after.keys).toContain("state-unreadable");
    expect(after.keys).not.toContain("state");
    expect(after.engine).toBeNull();
    const health = await stub.health();
    expect(health.restoreError).toMatch(/a bucket must have 23 numbers \(got 3\)/);
    expect(health.liquidationsStored).toBe(1);
    // The collector re-sends what the fresh object has not acknowledged: served again, stored once.
    await stub.ingest(symbol, { source: "s", events: first, seqs: [1, 2] });
    expect((await stub.health()).liquidationsStored).toBe(1);
    expect((await stub.snapshot())?.symbol).toBe(symbol);
  });

  it("saves a history batch at once, though it computes no cycle: a restart keeps the day of bars", async () => {
    const symbol = "UNIUSDT";
    const stub = symbolStub(symbol);
    const m0 = Math.floor(BASE / 60_000);
    const bars: CanonicalEvent[] = Array.from({ length: 30 }, (_, i) => ({
      venue: "binance", symbol, kind: "bar", ts: (m0 + i) * 60_000 + 59_999, openTs: (m0 + i) * 60_000,
      open: 7, high: 7.1, low: 6.9, close: 7 + i / 100, volumeBase: 10, volumeQuote: 70, takerBuyBase: 6, takerBuyQuote: 42, trades: 5, closed: true,
    }));
    const result = await stub.ingest(symbol, { source: "binance:backfill", events: bars, seqs: bars.map((_, i) => i + 1), history: true });
    expect(result).toMatchObject({ accepted: 30, cycles: 0 });
    const restored = await runInDurableObject(stub, async (instance: SymbolObject, state) => {
      const rows = state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM bars").one().n;
      const before = engineState(instance);
      (instance as any).restore();
      return { rows, same: engineState(instance) === before, next: (instance as any).engine.nextBoundaryTs };
    });
    expect(restored).toEqual({ rows: 30, same: true, next: (m0 + 30) * 60_000 });
  });
});
