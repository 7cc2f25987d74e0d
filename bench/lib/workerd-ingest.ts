/**
 * Ingest into one SymbolObject on workerd against a bare Durable Object that parses the same
 * batches, in the same workerd (bench/workerd/index.js).
 *
 * Input: the canonical events of the BTCUSDT recording, in batches as the collector's batcher
 * sends them (`{ source, events, seqs, afterSeq }`, seqs counting from 1), serialized once here
 * and kept in the baseline Worker's isolate (PUT /sets/:id), so no HTTP body is in the timing.
 * One run (POST /ingest) sends every batch of a set, each after the previous one's answer, to a
 * FRESH object (`newUniqueId`), so every round does the same work from the same empty state:
 *   - engine: the batch in the form the collector sends it (`onTheWire`: events as JSON text, made
 *     before the run's clock starts), to the SymbolObject's real `ingest` RPC: parse, sequence
 *     check, liquidation rows, all cards, a checkpoint to SQLite per
 *     10 s cycle, the publish and the Coordinator report; persistence on;
 *   - bare: the same JSON text handed to `BareIngest.parse`, which parses it and answers its length;
 *   - bare RPC (for the notes): the batch parsed in the Worker and handed to `BareIngest.count` as
 *     an object: what the RPC's structured clone of the events costs (why the collector sends text).
 * Rounds interleave the three (order rotated each round); events/s from the run's wall time
 * measured here, and the workerd process's CPU time per run beside it.
 */
import { getMapper, normalizeLine } from "../../src/exchanges/registry.js";
import type { CanonicalEvent } from "../../src/domain/events.js";
import { median } from "./interleave.js";
import { BINANCE_RECORDINGS, readRecordingLines } from "./recordings.js";
import { BENCH_ROUTE_HEADER, type WorkerdStack } from "./workerd-stack.js";

/** One batch size: how many events of the recording (a prefix) it sends per run. */
export interface IngestCase {
  batch: number;
  events: number;
}

export interface IngestFigures {
  batch: number;
  events: number;
  batches: number;
  rounds: number;
  /** Median events/s of the runs, wall time. */
  engineEventsPerS: number;
  bareEventsPerS: number;
  /** Median over rounds of engine events/s ÷ bare events/s (each pair ran back to back). */
  share: number;
  /** Median CPU µs per event of the workerd process during the runs. */
  engineCpuUsPerEvent: number;
  bareCpuUsPerEvent: number;
  /** The object-RPC floor: parse in the Worker + structured clone to a DO that counts. */
  bareRpcEventsPerS: number;
  bareRpcCpuUsPerEvent: number;
  /** Runs timed again after a connection reset. */
  resets: number;
}

interface RunAnswer {
  events: number;
  accepted: number;
  ms: number;
}

/** The recording's canonical events, in order, as the collector emits them. */
export function recordingEvents(): { symbol: string; events: CanonicalEvent[] } {
  const { file, instrument } = BINANCE_RECORDINGS[0];
  const mapper = getMapper("binance");
  return { symbol: instrument, events: readRecordingLines(file).flatMap((l) => normalizeLine(mapper, l, { instrument }).events) };
}

/** `events` cut into batches of `size` as the collector's batcher sends them, one JSON text each. */
export function batchTexts(events: readonly CanonicalEvent[], size: number): string[] {
  const texts: string[] = [];
  for (let i = 0; i < events.length; i += size) {
    const slice = events.slice(i, i + size);
    const seqs = slice.map((_, k) => i + k + 1);
    texts.push(JSON.stringify(i === 0 ? { source: "bench", events: slice, seqs } : { source: "bench", events: slice, seqs, afterSeq: i }));
  }
  return texts;
}

/** Whether `fetch` failed because the connection was reset. */
function isReset(err: unknown): boolean {
  return ((err as { cause?: NodeJS.ErrnoException }).cause ?? {}).code === "ECONNRESET";
}

async function post(url: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(url, { ...init, headers: { ...BENCH_ROUTE_HEADER, ...(init.headers as Record<string, string> | undefined) } });
  const body = await res.text();
  if (!res.ok) throw new Error(`${init.method} ${url}: ${res.status} ${body.slice(0, 300)}`);
  return JSON.parse(body);
}

/** Runs every case: loads its batches, then `rounds` interleaved engine / bare / bare-RPC runs after one untimed warm-up of each. */
export async function runIngestRows(stack: WorkerdStack, cases: readonly IngestCase[], rounds: number): Promise<IngestFigures[]> {
  const { symbol, events } = recordingEvents();
  const out: IngestFigures[] = [];
  for (const c of cases) {
    const prefix = events.slice(0, Math.min(c.events, events.length));
    const texts = batchTexts(prefix, c.batch);
    const set = `b${c.batch}`;
    await post(`${stack.direct}/sets/${set}`, { method: "PUT", body: texts.join("\n") });
    // A connection reset before the answer: the run is timed again once, on a new connection
    // (every run starts a fresh object, so a repeated run does the same work).
    let resets = 0;
    const runOnce = async (target: "engine" | "bare" | "bare-rpc") => {
      try {
        return await timeRun(target);
      } catch (err) {
        if (!isReset(err)) throw err;
        resets++;
        process.stderr.write(`workerd rows: ingest ${target}, batch ${c.batch}: connection reset, run again\n`);
        return timeRun(target);
      }
    };
    const timeRun = async (target: "engine" | "bare" | "bare-rpc") => {
      const cpu = stack.workerdCpuMs();
      const t = performance.now();
      const answer = (await post(`${stack.direct}/ingest?target=${target}&set=${set}&symbol=${symbol}`, { method: "POST" })) as RunAnswer;
      const wallMs = performance.now() - t;
      const cpuMs = stack.workerdCpuMs() - cpu;
      // A figure over events the object refused would flatter it: every event must be applied.
      if (answer.events !== prefix.length || answer.accepted !== prefix.length) {
        throw new Error(`ingest ${target}, batch ${c.batch}: ${answer.accepted}/${answer.events} of ${prefix.length} events accepted`);
      }
      return { eventsPerS: (prefix.length / wallMs) * 1000, cpuUsPerEvent: (cpuMs * 1000) / prefix.length };
    };
    const targets = ["engine", "bare", "bare-rpc"] as const;
    const samples = targets.map(() => [] as Array<{ eventsPerS: number; cpuUsPerEvent: number }>);
    for (const target of targets) await runOnce(target);
    for (let r = 0; r < rounds; r++) {
      for (let j = 0; j < targets.length; j++) {
        const k = (j + r) % targets.length;
        samples[k].push(await runOnce(targets[k]));
      }
    }
    const [engine, bare, bareRpc] = samples;
    out.push({
      batch: c.batch,
      events: prefix.length,
      batches: texts.length,
      rounds,
      engineEventsPerS: median(engine.map((s) => s.eventsPerS)),
      bareEventsPerS: median(bare.map((s) => s.eventsPerS)),
      share: median(engine.map((s, i) => s.eventsPerS / bare[i].eventsPerS)),
      engineCpuUsPerEvent: median(engine.map((s) => s.cpuUsPerEvent)),
      bareCpuUsPerEvent: median(bare.map((s) => s.cpuUsPerEvent)),
      bareRpcEventsPerS: median(bareRpc.map((s) => s.eventsPerS)),
      bareRpcCpuUsPerEvent: median(bareRpc.map((s) => s.cpuUsPerEvent)),
      resets,
    });
  }
  return out;
}
