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
