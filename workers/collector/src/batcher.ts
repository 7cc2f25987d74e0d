/**
 * Per-symbol batching towards the engine: a symbol's batch is sent when it holds
 * `maxEvents` events or when its oldest event has waited `maxWaitMs` of wall time, whichever
 * comes first. One RPC per batch; batches of one symbol are sent strictly in order (the next
 * waits for the previous to be acknowledged), different symbols in parallel.
 */
import type { CanonicalEvent } from "../../../src/domain/events.js";
import type { IngestBatch, IngestResult } from "../../../src/protocol/ingest.js";

export const MAX_BATCH_EVENTS = 500;
export const MAX_BATCH_WAIT_MS = 100;

export type SendBatch = (symbol: string, batch: IngestBatch) => Promise<IngestResult>;

interface Pending {
  events: CanonicalEvent[];
  seqs: number[];
  firstWallMs: number;
}

export interface BatcherStats {
  batches: number;
  events: number;
  duplicates: number;
  failures: number;
  lastError: string | null;
}

export class SymbolBatcher {
  private readonly pending = new Map<string, Pending>();
  /** Per symbol: the last sequence acknowledged, and the last one the object made durable. */
  private readonly acked = new Map<string, { sentSeq: number; durableSeq: number }>();
  private readonly inFlight = new Map<string, Promise<void>>();
  readonly stats: BatcherStats = { batches: 0, events: 0, duplicates: 0, failures: 0, lastError: null };

  constructor(
    private readonly source: string,
    private readonly send: SendBatch,
    private readonly maxEvents = MAX_BATCH_EVENTS,
    private readonly maxWaitMs = MAX_BATCH_WAIT_MS,
  ) {}

  /** Adds one event; returns a promise when this add made a batch full and sent it. */
  add(event: CanonicalEvent, seq: number, nowMs: number): Promise<void> | undefined {
    let p = this.pending.get(event.symbol);
    if (!p) this.pending.set(event.symbol, (p = { events: [], seqs: [], firstWallMs: nowMs }));
    p.events.push(event);
    p.seqs.push(seq);
    if (p.events.length >= this.maxEvents) return this.sendSymbol(event.symbol);
    return undefined;
  }

  /** Sends every batch that is due by age (or all of them with `force`), with an optional watermark. */
  async flush(nowMs: number, options: { force?: boolean; watermarkTs?: number; watermarkSymbols?: readonly string[] } = {}): Promise<void> {
    const sends: Promise<void>[] = [];
    const symbols = new Set<string>(this.pending.keys());
    for (const s of options.watermarkSymbols ?? []) symbols.add(s);
    for (const symbol of symbols) {
      const p = this.pending.get(symbol);
      const due = p !== undefined && (options.force || nowMs - p.firstWallMs >= this.maxWaitMs);
      const heartbeat = options.watermarkTs !== undefined && options.watermarkSymbols?.includes(symbol);
      if (due || heartbeat) sends.push(this.sendSymbol(symbol, heartbeat ? options.watermarkTs : undefined));
    }
    await Promise.all(sends);
  }

  /**
   * The first sequence a restarted producer must send again: the smallest `durableSeq + 1`
   * over symbols whose acknowledged events are not all durable yet, or null when every
   * acknowledged event is durable.
   */
  resumeSeq(): number | null {
    let min: number | null = null;
    for (const { sentSeq, durableSeq } of this.acked.values()) {
      if (durableSeq < sentSeq && (min === null || durableSeq + 1 < min)) min = durableSeq + 1;
    }
    return min;
  }

  /** Events added but not yet acknowledged. */
  get queued(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.events.length;
    return n;
  }

  private sendSymbol(symbol: string, watermarkTs?: number): Promise<void> {
    const p = this.pending.get(symbol);
    this.pending.delete(symbol);
    const batch: IngestBatch = { source: this.source, events: p?.events ?? [], seqs: p?.seqs ?? [], watermarkTs };
    const previous = this.inFlight.get(symbol) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        const result = await this.send(symbol, batch);
        const sentSeq = batch.seqs.length > 0 ? batch.seqs[batch.seqs.length - 1] : (this.acked.get(symbol)?.sentSeq ?? -1);
        this.acked.set(symbol, { sentSeq, durableSeq: result.durableSeq });
        this.stats.batches++;
        this.stats.events += result.accepted;
        this.stats.duplicates += result.duplicates;
      } catch (err) {
        // Failed batches are counted and surfaced in /v1/health. The replay feed resumes from
        // its persisted position, and the object's per-source sequence drops what it has seen.
        this.stats.failures++;
        this.stats.lastError = String(err);
        throw err;
      }
    });
    this.inFlight.set(symbol, next.catch(() => undefined));
    return next;
  }
}
