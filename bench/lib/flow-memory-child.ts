/**
 * Child process of `flow-memory.ts` (run as `node --expose-gc --import tsx …`): what one
 * SymbolObject's engine holds on the heap while a recording flows through it. Prints one JSON
 * line (`EngineHeapResult`) on stdout.
 *
 * The recording is streamed from its file through the collector's normalizer (`openRecordings`,
 * the `replay` command's reader), in batches of 500 events as the collector's batcher sends them,
 * into a `SymbolEngine` built as a SymbolObject builds it (default config, every card). After an
 * ingest that closed a cycle, at most every 30 s of event time, `gc()` runs twice and `heapUsed`
 * is read (and once more at the end); the baseline is the same
 * reading before the engine was built, so the figures are what the engine retains (the reader's
 * buffers are transient). With `--loops n` the recording is played n times, each pass shifted in
 * event time by the replay's own loop shift (the span rounded up to whole hours,
 * src/replay/timeline.ts), as the stack's replay loops it: that is a SymbolObject after n loops of
 * the replay, n × the recording's flow, not an hour of recorded market.
 *
 *   node --expose-gc --import tsx bench/lib/flow-memory-child.ts FILE [--loops n] [--max-events n]
 */
import { SymbolEngine } from "../../src/domain/engine.js";
import type { CanonicalEvent } from "../../src/domain/events.js";
import { loopShiftMs, shiftEvent } from "../../src/replay/timeline.js";
import { openRecordings } from "../../scripts/lib/engine-run.js";
import { MAX_BATCH_EVENTS } from "../../workers/collector/src/batcher.js";

/** What the child reports. Heap figures are bytes above the baseline. */
export interface EngineHeapResult {
  file: string;
  symbol: string;
  loops: number;
  events: number;
  /** Event time of the first and last event of the first pass (unshifted), ms. */
  firstTs: number;
  lastTs: number;
  cycles: number;
  samples: number;
  baselineBytes: number;
  peakBytes: number;
  /** Event time (shifted) of the sample that held the peak. */
  peakAtTs: number;
  endBytes: number;
  /** The two map values a SymbolObject keeps to patch from (heatmap, levels at default queries), retained beside the engine. */
  publishedMapsBytes: number;
  /** The same two values as JSON, characters. */
  publishedMapsChars: number;
  /** The engine checkpoint row written to SQLite each cycle (`toJSON` without realized records, bars or learning), characters of JSON. */
  checkpointChars: number;
}

/** Event time between heap samples (each sample is two full collections). */
const SAMPLE_EVERY_MS = 30_000;

declare const gc: (() => void) | undefined;

function retainedHeap(): number {
  if (typeof gc !== "function") throw new Error("flow-memory-child: run with node --expose-gc");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function args(): { file: string; loops: number; maxEvents: number } {
  const argv = process.argv.slice(2);
  const opt = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!(v > 0) || !Number.isInteger(v)) throw new Error(`--${name} must be a positive integer (got ${argv[i + 1]})`);
    return v;
  };
  const file = argv.find((a, i) => !a.startsWith("--") && (i === 0 || !argv[i - 1].startsWith("--")));
  if (file === undefined) throw new Error("usage: flow-memory-child.ts FILE [--loops n] [--max-events n]");
  return { file, loops: opt("loops", 1), maxEvents: opt("max-events", Number.MAX_SAFE_INTEGER) };
}

async function main(): Promise<EngineHeapResult> {
  const { file, loops, maxEvents } = args();
  const baselineBytes = retainedHeap();
  let engine: SymbolEngine | null = null;
  let events = 0;
  let cycles = 0;
  let samples = 0;
  let peakBytes = 0;
  let peakAtTs = 0;
  let endBytes = 0;
  let firstTs: number | null = null;
  let lastTs = 0;
  let lastSampleTs = -Infinity;

  const sample = (ts: number) => {
    const bytes = retainedHeap() - baselineBytes;
    samples++;
    endBytes = bytes;
    if (bytes > peakBytes) {
      peakBytes = bytes;
      peakAtTs = ts;
    }
  };
  const ingest = (batch: CanonicalEvent[]) => {
    engine ??= new SymbolEngine(batch[0].symbol);
    const closed = engine.ingest(batch).length;
    cycles += closed;
    const ts = batch[batch.length - 1].ts;
    if (closed > 0 && ts >= lastSampleTs + SAMPLE_EVERY_MS) {
      lastSampleTs = ts;
      sample(ts);
    }
  };

  for (let loop = 0; loop < loops && events < maxEvents; loop++) {
    const shift = loop === 0 ? 0 : loop * loopShiftMs({ firstTs: firstTs ?? 0, lastTs });
    const { sources } = await openRecordings([file], undefined);
    let batch: CanonicalEvent[] = [];
    for await (const event of sources[0]) {
      if (loop === 0) {
        firstTs ??= event.ts;
        lastTs = event.ts;
      }
      batch.push(shiftEvent(event, shift));
      events++;
      if (batch.length === MAX_BATCH_EVENTS) {
        ingest(batch);
        batch = [];
      }
      if (events >= maxEvents) break;
    }
    if (batch.length > 0) ingest(batch);
  }
  if (engine === null || firstTs === null) throw new Error(`${file}: no event`);
  const e: SymbolEngine = engine;
  sample(lastTs);
  const held = [e.heatmap(), e.levels()];
  const publishedMapsBytes = retainedHeap() - baselineBytes - endBytes;
  const publishedMapsChars = JSON.stringify(held).length;
  const checkpointChars = JSON.stringify(e.toJSON({ realizedRecords: false, bars: false, learning: false })).length;
  return { file, symbol: e.symbol, loops, events, firstTs, lastTs, cycles, samples, baselineBytes, peakBytes, peakAtTs, endBytes, publishedMapsBytes, publishedMapsChars, checkpointChars };
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
