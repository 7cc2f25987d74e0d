import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import type { IngestBatch, IngestResult } from "../../../src/protocol/ingest.js";
import { SymbolBatcher } from "../../../workers/collector/src/batcher.js";

function trade(symbol: string, ts: number): CanonicalEvent {
  return { venue: "binance", symbol, ts, kind: "trade", price: 1, qty: 1, side: "buy", tradeId: String(ts) };
}

/** A fake engine boundary: records batches, checkpoints every `durableEvery` events. */
function engine(durableEvery = Infinity) {
  const batches: Array<{ symbol: string; batch: IngestBatch }> = [];
  const state = new Map<string, { last: number; durable: number; sinceCheckpoint: number }>();
  const send = async (symbol: string, batch: IngestBatch): Promise<IngestResult> => {
    batches.push({ symbol, batch });
    const s = state.get(symbol) ?? { last: -1, durable: -1, sinceCheckpoint: 0 };
    for (const seq of batch.seqs) {
      s.last = seq;
      if (++s.sinceCheckpoint >= durableEvery) {
        s.durable = s.last;
        s.sinceCheckpoint = 0;
      }
    }
    state.set(symbol, s);
    return { accepted: batch.events.length, duplicates: 0, rejected: 0, cycles: 0, durableSeq: s.durable };
  };
  return { batches, send };
}

describe("SymbolBatcher", () => {
  it("sends a symbol's batch as soon as it holds the maximum number of events", async () => {
    const e = engine();
    const batcher = new SymbolBatcher("replay", e.send, 3, 100);
    expect(batcher.add(trade("BTCUSDT", 1), 1, 0)).toBeUndefined();
    expect(batcher.add(trade("BTCUSDT", 2), 2, 0)).toBeUndefined();
    await batcher.add(trade("BTCUSDT", 3), 3, 0);
    expect(e.batches).toHaveLength(1);
    expect(e.batches[0].batch.seqs).toEqual([1, 2, 3]);
    expect(batcher.queued).toBe(0);
  });

  it("sends a batch once its oldest event has waited the maximum wall time", async () => {
    const e = engine();
    const batcher = new SymbolBatcher("replay", e.send, 500, 100);
    batcher.add(trade("BTCUSDT", 1), 1, 1_000);
    batcher.add(trade("ETHUSDT", 1), 2, 1_050);
    await batcher.flush(1_099);
    expect(e.batches).toHaveLength(0);
    await batcher.flush(1_100);
    expect(e.batches.map((b) => b.symbol)).toEqual(["BTCUSDT"]);
    await batcher.flush(1_150);
    expect(e.batches.map((b) => b.symbol)).toEqual(["BTCUSDT", "ETHUSDT"]);
  });

  it("sends a watermark to quiet symbols with their pending events", async () => {
    const e = engine();
    const batcher = new SymbolBatcher("replay", e.send, 500, 100);
    batcher.add(trade("BTCUSDT", 5), 1, 0);
    await batcher.flush(10, { watermarkTs: 5, watermarkSymbols: ["BTCUSDT", "SOLUSDT"] });
    expect(e.batches).toEqual([
      { symbol: "BTCUSDT", batch: { source: "replay", events: [trade("BTCUSDT", 5)], seqs: [1], watermarkTs: 5 } },
      { symbol: "SOLUSDT", batch: { source: "replay", events: [], seqs: [], watermarkTs: 5 } },
    ]);
  });

  it("resumes from the oldest event an object acknowledged but has not checkpointed", async () => {
    const e = engine(2);
    const batcher = new SymbolBatcher("replay", e.send, 500, 0);
    expect(batcher.resumeSeq()).toBeNull();
    for (const [symbol, seq] of [["BTCUSDT", 10], ["ETHUSDT", 11], ["BTCUSDT", 12], ["ETHUSDT", 13], ["ETHUSDT", 14]] as const) {
      batcher.add(trade(symbol, seq), seq, 0);
      await batcher.flush(0, { force: true });
    }
    // BTCUSDT: 10, 12 sent, durable through 12. ETHUSDT: 11, 13 durable, 14 not yet.
    expect(batcher.resumeSeq()).toBe(14);
    // BTCUSDT's 15 is not durable and BTCUSDT is durable through 12: resume at 13 (ETHUSDT's
    // 13 and 14 are then re-sent and dropped by its object as already applied).
    batcher.add(trade("BTCUSDT", 15), 15, 0);
    await batcher.flush(0, { force: true });
    expect(batcher.resumeSeq()).toBe(13);
  });
});

/** An engine boundary that applies like a SymbolObject (drops seq <= last) and fails chosen calls, before or after applying. */
function flakyEngine(failures: Array<"before" | "after" | "ok">) {
  let last = -1;
  const applied: number[] = [];
  let call = 0;
  const send = async (_symbol: string, batch: IngestBatch): Promise<IngestResult> => {
    const mode = failures[call++] ?? "ok";
    if (mode === "before") throw new Error("RPC failed before reaching the object");
    let accepted = 0;
    let duplicates = 0;
    for (const seq of batch.seqs) {
      if (seq <= last) duplicates++;
      else {
        last = seq;
        applied.push(seq);
        accepted++;
      }
    }
    if (mode === "after") throw new Error("RPC applied, then the reply was lost");
    return { accepted, duplicates, rejected: 0, cycles: 0, durableSeq: -1 };
  };
  return { send, applied, calls: () => call };
}

function retry(attempts: number, log: string[] = []) {
  return {
    attempts,
    delayMs: (attempt: number) => 100 * 2 ** (attempt - 2),
    sleep: async (ms: number) => void log.push(`sleep ${ms}`),
    onDropped: (symbol: string, batch: IngestBatch) => void log.push(`dropped ${symbol} ${batch.seqs.join(",")}`),
  };
}

describe("SymbolBatcher holds (live feed, during a symbol's warm start)", () => {
  it("keeps a held symbol's events past the size and age limits, others flowing; on release they leave in order, in batches of the maximum", async () => {
    const e = engine();
    const batcher = new SymbolBatcher("binance:live", e.send, 3, 100);
    batcher.hold("BTCUSDT");
    for (let i = 1; i <= 7; i++) expect(batcher.add(trade("BTCUSDT", i), i, 0)).toBeUndefined();
    await batcher.add(trade("ETHUSDT", 1), 8, 0);
    await batcher.add(trade("ETHUSDT", 2), 9, 0);
    await batcher.add(trade("ETHUSDT", 3), 10, 0);
    await batcher.flush(1_000, { force: true });
    expect(e.batches.map((b) => b.symbol)).toEqual(["ETHUSDT"]);
    expect(batcher.isHeld("BTCUSDT")).toBe(true);
    expect(batcher.queued).toBe(7);
    await batcher.release("BTCUSDT");
    expect(e.batches.filter((b) => b.symbol === "BTCUSDT").map((b) => b.batch.seqs)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(batcher.isHeld("BTCUSDT")).toBe(false);
    expect(batcher.queued).toBe(0);
    // Released: back to the limits.
    await batcher.add(trade("BTCUSDT", 8), 11, 0);
    await batcher.add(trade("BTCUSDT", 9), 12, 0);
    await batcher.add(trade("BTCUSDT", 10), 13, 0);
    expect(e.batches.at(-1)!.batch.seqs).toEqual([11, 12, 13]);
    // Releasing twice, or a symbol never held, sends nothing.
    await batcher.release("BTCUSDT");
    await batcher.release("SOLUSDT");
    expect(e.batches).toHaveLength(5);
  });
});

describe("SymbolBatcher with retries (live feed)", () => {
  it("retries a failed batch before sending the next one of its symbol, and applies each event once", async () => {
    const e = flakyEngine(["after", "before", "ok", "ok"]);
    const log: string[] = [];
    const batcher = new SymbolBatcher("binance:live", e.send, 2, 100, retry(5, log));
    const first = batcher.add(trade("BTCUSDT", 1), 1, 0);
    batcher.add(trade("BTCUSDT", 2), 2, 0);
    expect(batcher.add(trade("BTCUSDT", 3), 3, 0)).toBeUndefined();
    await Promise.all([first, batcher.flush(0, { force: true })]);
    // batch [1,2]: applied but the reply lost; retried: rejected before reaching; retried: duplicates. Then [3].
    expect(e.applied).toEqual([1, 2, 3]);
    expect(log).toEqual(["sleep 100", "sleep 200"]);
    // acknowledged counts: the retry that got through found 1 and 2 applied already (duplicates)
    expect(batcher.stats).toMatchObject({ batches: 2, events: 1, duplicates: 2, failures: 2, retries: 2, droppedBatches: 0, droppedEvents: 0 });
    expect(batcher.batchesInFlight).toBe(0);
  });

  it("gives a batch up after its attempts, counts it, and goes on with the next in order", async () => {
    const e = flakyEngine(["before", "before", "before", "ok"]);
    const log: string[] = [];
    const batcher = new SymbolBatcher("binance:live", e.send, 500, 100, retry(3, log));
    batcher.add(trade("BTCUSDT", 1), 1, 0);
    const a = batcher.flush(0, { force: true });
    batcher.add(trade("BTCUSDT", 2), 2, 0);
    const b = batcher.flush(0, { force: true });
    await expect(Promise.all([a, b])).resolves.toBeDefined();
    expect(e.applied).toEqual([2]);
    expect(log).toEqual(["sleep 100", "sleep 200", "dropped BTCUSDT 1"]);
    expect(batcher.stats).toMatchObject({ failures: 3, retries: 2, droppedBatches: 1, droppedEvents: 1, batches: 1 });
  });

  it("without a retry policy (replay) a failure rejects, as before", async () => {
    const e = flakyEngine(["before"]);
    const batcher = new SymbolBatcher("replay", e.send, 500, 100);
    batcher.add(trade("BTCUSDT", 1), 1, 0);
    await expect(batcher.flush(0, { force: true })).rejects.toThrow(/RPC failed/);
    expect(batcher.stats.failures).toBe(1);
  });
});

describe("SymbolBatcher acknowledgement (what a restarting producer must send again)", () => {
  it("reports the lowest sequence no object acknowledged: pending, in flight, then none", async () => {
    const e = engine();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const send = async (symbol: string, batch: IngestBatch) => {
      if (symbol === "ETHUSDT") await gate;
      return e.send(symbol, batch);
    };
    const batcher = new SymbolBatcher("replay", send, 500, 100);
    expect(batcher.lowestUnackedSeq()).toBeNull();
    batcher.add(trade("ETHUSDT", 1), 7, 0);
    batcher.add(trade("BTCUSDT", 2), 8, 0);
    expect(batcher.lowestUnackedSeq()).toBe(7);
    const flushed = batcher.flush(0, { force: true });
    batcher.add(trade("BTCUSDT", 3), 9, 0);
    // ETHUSDT's 7 is in flight (queued counts only what is not sent yet); BTCUSDT's 8 was acknowledged.
    await Promise.resolve();
    expect(batcher.queued).toBe(1);
    expect(batcher.lowestUnackedSeq()).toBe(7);
    release();
    await flushed;
    expect(batcher.lowestUnackedSeq()).toBe(9);
    await batcher.flush(0, { force: true });
    expect(batcher.lowestUnackedSeq()).toBeNull();
  });

  it("without a retry policy, sends no later batch of a symbol after one failed, and keeps the failed one unacknowledged", async () => {
    const e = flakyEngine(["before"]);
    const batcher = new SymbolBatcher("replay", e.send, 500, 100);
    batcher.add(trade("BTCUSDT", 1), 1, 0);
    const first = batcher.flush(0, { force: true });
    batcher.add(trade("BTCUSDT", 2), 2, 0);
    const second = batcher.flush(0, { force: true });
    await expect(first).rejects.toThrow(/RPC failed/);
    await expect(second).rejects.toThrow(/not sent: an earlier batch of BTCUSDT failed/);
    // Had 2 been applied, the object would drop 1 as already seen when the feed re-sends it.
    expect(e.applied).toEqual([]);
    expect(e.calls()).toBe(1);
    expect(batcher.lowestUnackedSeq()).toBe(1);
    expect(batcher.stats.failures).toBe(1);
  });

  it("with a retry policy, a batch given up no longer holds the lowest unacknowledged sequence", async () => {
    const e = flakyEngine(["before", "before"]);
    const batcher = new SymbolBatcher("binance:live", e.send, 500, 100, retry(2));
    batcher.add(trade("BTCUSDT", 1), 1, 0);
    await batcher.flush(0, { force: true });
    expect(batcher.stats.droppedBatches).toBe(1);
    expect(batcher.lowestUnackedSeq()).toBeNull();
  });
});
