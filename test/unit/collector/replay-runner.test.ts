/**
 * The replay loop (`ReplayRunner`) on a real sparse recording, with a virtual clock and model
 * SymbolObjects: what it sends (sequences, loop shift, heartbeat watermarks) and which position
 * it saves (never past an event its SymbolObject has not acknowledged and made durable).
 */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import type { IngestBatch, IngestResult } from "../../../src/protocol/ingest.js";
import { SYMBOLS } from "../../../src/domain/symbols.js";
import { HOUR_MS, SEQ_PER_LOOP, type ReplayPosition } from "../../../src/replay/timeline.js";
import { readLines } from "../../../src/replay/lines.js";
import { newStreamStats, recordingEvents } from "../../../src/replay/source.js";
import { ReplayRunner, type SavedReplay } from "../../../workers/collector/src/replay-runner.js";
import { ModelSymbolObject, newDurable, type ModelDurable } from "./model-symbol-object.js";

/** Binance liquidations of 2025-12-27 14:34 to 2025-12-28 20:43 (147 of tracked symbols). */
async function sparseInput(): Promise<CanonicalEvent[]> {
  const path = fileURLToPath(new URL("../../../data/recorded/binance/forceorder_20251227-20251228.jsonl.gz", import.meta.url));
  const out: CanonicalEvent[] = [];
  const body = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>;
  for await (const e of recordingEvents(readLines(body), "binance", newStreamStats())) out.push(e);
  return out;
}

interface Sent {
  wallMs: number;
  symbol: string;
  batch: IngestBatch;
}

/** A runner over `input` with a virtual clock, model SymbolObjects and a log of what it did. */
function stack(
  input: readonly CanonicalEvent[],
  speed: number,
  send?: (symbol: string, batch: IngestBatch, apply: () => IngestResult) => Promise<IngestResult>,
  startTs?: number,
) {
  let clockMs = 1_700_000_000_000;
  const sent: Sent[] = [];
  const saves: SavedReplay[] = [];
  const durables = new Map<string, ModelDurable>();
  const objects = new Map<string, ModelSymbolObject>();
  /** Index of the last event the runner read. */
  let read = -1;
  const pacingWaits: Array<{ waitingFor: number; position: ReplayPosition; saved: ReplayPosition }> = [];
  const object = (symbol: string) => {
    let o = objects.get(symbol);
    if (o === undefined) {
      let d = durables.get(symbol);
      if (d === undefined) durables.set(symbol, (d = newDurable()));
      objects.set(symbol, (o = new ModelSymbolObject(symbol, d)));
    }
    return o;
  };
  const runner: ReplayRunner = new ReplayRunner(
    { position: { loop: 0, index: 0 }, span: null },
    {
      async *events() {
        read = -1;
        for (const e of input) {
          read++;
          yield e;
        }
      },
      send: async (symbol, batch) => {
        sent.push({ wallMs: clockMs, symbol, batch });
        const apply = () => object(symbol).ingest(symbol, batch);
        return send ? send(symbol, batch, apply) : apply();
      },
      save: async (saved) => void saves.push(structuredClone(saved)),
      now: () => clockMs,
      sleep: async (ms) => {
        if (ms > 0) pacingWaits.push({ waitingFor: read, position: runner.position, saved: runner.saved.position });
        clockMs += ms;
      },
    },
    { speed, symbols: SYMBOLS.symbols, startTs },
  );
  return { runner, sent, saves, objects, durables, pacingWaits };
}

/** Every event sent in a non-empty batch, by sequence. */
function eventsBySeq(sent: readonly Sent[]): Map<number, CanonicalEvent> {
  const out = new Map<number, CanonicalEvent>();
  for (const { batch } of sent) batch.seqs.forEach((seq, i) => out.set(seq, batch.events[i]));
  return out;
}

describe("ReplayRunner", () => {
  it("sends every event with sequence loop × SEQ_PER_LOOP + index; loop 1 is shifted by the span rounded up to whole hours (31 h)", async () => {
    const input = await sparseInput();
    const { runner, sent } = stack(input, 1_000);
    await runner.run({ loops: 2 });
    const bySeq = eventsBySeq(sent);
    expect(bySeq.size).toBe(2 * 147);
    // 2025-12-27T14:34:43.131Z to 2025-12-28T20:43:18.208Z is 30 h 8 min: the shift is 31 h.
    expect(runner.saved.span).toEqual({ firstTs: 1766846083131, lastTs: 1766954598208 });
    input.forEach((e, index) => {
      expect(bySeq.get(index)).toEqual(e);
      expect(bySeq.get(SEQ_PER_LOOP + index)).toEqual({ ...e, ts: e.ts + 31 * HOUR_MS });
    });
  });

  it("begins loop 0 at the manifest's start: earlier events are passed over in loop 0 and played, shifted, from loop 1 on", async () => {
    const input = await sparseInput();
    // Event 100 of the recording; equal timestamps before it would be played too (none here).
    const startTs = input[100].ts;
    expect(input[99].ts).toBeLessThan(startTs);
    const { runner, sent } = stack(input, 1_000, undefined, startTs);
    await runner.run({ loops: 1 });
    const loop0 = eventsBySeq(sent);
    expect([...loop0.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 47 }, (_, i) => 100 + i));
    // The span (and so the loop shift) is the whole recording's, passed-over events included.
    expect(runner.saved.span).toEqual({ firstTs: input[0].ts, lastTs: input[146].ts });
    expect(runner.position).toEqual({ loop: 1, index: 0 });
    await runner.run({ loops: 2 });
    const loop1 = [...eventsBySeq(sent).entries()].filter(([seq]) => seq >= SEQ_PER_LOOP);
    expect(loop1).toHaveLength(147);
    expect(loop1[0][1]).toEqual({ ...input[0], ts: input[0].ts + 31 * HOUR_MS });
  });

  it("sends every tracked symbol a watermark at the last event's time, once per second of wall time", async () => {
    const input = await sparseInput();
    const { runner, sent } = stack(input, 50);
    await runner.run({ loops: 1 });
    const heartbeats = new Map<number, Sent[]>();
    for (const s of sent) if (s.batch.watermarkTs !== undefined) heartbeats.set(s.wallMs, [...(heartbeats.get(s.wallMs) ?? []), s]);
    const walls = [...heartbeats.keys()];
    // 1,254 s of paced event time at 50x: about 25 s of wall time, a heartbeat each second.
    expect(walls.length).toBeGreaterThanOrEqual(20);
    for (let i = 1; i < walls.length; i++) expect(walls[i] - walls[i - 1]).toBeGreaterThanOrEqual(1_000);
    for (const group of heartbeats.values()) {
      expect(group.map((s) => s.symbol).sort()).toEqual([...SYMBOLS.symbols].sort());
      const watermark = group[0].batch.watermarkTs as number;
      expect(group.every((s) => s.batch.watermarkTs === watermark)).toBe(true);
      expect(input.some((e) => e.ts === watermark)).toBe(true);
    }
  });

  it("does not count an event while it waits for its pacing, nor save a position past it", async () => {
    const input = await sparseInput();
    const { runner, pacingWaits } = stack(input, 50);
    await runner.run({ loops: 1 });
    expect(pacingWaits.length).toBeGreaterThan(100);
    for (const w of pacingWaits) {
      // Event `waitingFor` is not handed to the batcher yet: `waitingFor` events are (0 … waitingFor - 1).
      expect(w.position).toEqual({ loop: 0, index: w.waitingFor });
      expect(w.saved.index).toBeLessThanOrEqual(w.waitingFor);
    }
  });

  it("keeps the saved position at the first event a SymbolObject acknowledged but has not made durable", async () => {
    const input = await sparseInput();
    const bch = input.flatMap((e, i) => (e.symbol === "BCHUSDT" ? [i] : []));
    // BCHUSDT's object checkpoints its first event and then never again (its checkpoints fail, say).
    const { runner, saves } = stack(input, 50, async (symbol, _batch, apply) => {
      const result = apply();
      return symbol === "BCHUSDT" ? { ...result, durableSeq: Math.min(result.durableSeq, bch[0]) } : result;
    });
    await runner.run({ loops: 1 });
    expect(bch.length).toBe(16);
    expect(runner.saved.position).toEqual({ loop: 0, index: bch[0] + 1 });
    expect(Math.max(...saves.map((s) => s.position.index))).toBe(bch[0] + 1);
  });

  it("after a batch fails, the next run resumes from the saved position and every event is applied once", async () => {
    const input = await sparseInput();
    let calls = 0;
    const { runner, objects } = stack(input, 50, async (symbol, _batch, apply) => {
      if (symbol === "SOLUSDT" && ++calls === 5) throw new Error("SymbolObject reset");
      return apply();
    });
    await expect(runner.run({ loops: 1 })).rejects.toThrow(/SymbolObject reset/);
    await runner.run({ loops: 1 });
    expect(runner.batches.failures).toBe(1);
    const counts = new Map<string, number>();
    for (const e of input) counts.set(e.symbol, (counts.get(e.symbol) ?? 0) + 1);
    for (const [symbol, n] of counts) expect(objects.get(symbol)?.sources.replay.events, symbol).toBe(n);
  });
});
