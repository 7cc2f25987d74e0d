/**
 * Per-symbol batching towards the engine: a symbol's batch is sent when it holds
 * `maxEvents` events or when its oldest event has waited `maxWaitMs` of wall time, whichever
 * comes first. One RPC per batch; batches of one symbol are sent strictly in order (the next
 * waits for the previous to be acknowledged), different symbols in parallel.
 *
 * Failures: without a retry policy (the replay feed) a failed batch rejects its promise, and so
 * does every later batch of that symbol, without being sent: the object must not apply events
 * after a gap (it would then drop the missing ones as already applied when they are re-sent).
 * The feed restarts from its persisted position with a new batcher. With a retry policy (the
 * live feed, whose data cannot be read again) a failed RPC is retried up to `attempts` times
 * before the next batch of that symbol goes; a batch that still fails is dropped, counted, and
 * reported to `onDropped`. Retrying is safe: the object drops events at or below the last
 * sequence it applied.
 *
 * Acknowledgement: `lowestUnackedSeq` is the first sequence whose object has not acknowledged it
 * (pending, in flight, or failed) and `resumeSeq` the first one an object acknowledged but has
 * not made durable; a producer that restarts from the lower of the two (and of the next sequence
 * it has not added yet) loses nothing (`replay-runner.ts`).
 *
 * Holding: a held symbol's events stay pending, whatever their number or age, until it is
 * released; then they leave in batches of at most `maxEvents`, in order. The live feed holds a
 * symbol's live events while its warm start's history is being sent (`backfill.ts`, which bounds
 * the hold).
 */
import type { CanonicalEvent } from "@liqflow/engine/domain/events.js";
import type { IngestBatch, IngestResult } from "@liqflow/engine/protocol/ingest.js";

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
  /** Failed RPCs (each attempt). */
  failures: number;
  lastError: string | null;
  /** Attempts after a failure (retry policy only). */
  retries: number;
  /** Batches given up after every attempt failed, and the events they held (retry policy only). */
  droppedBatches: number;
  droppedEvents: number;
  /** Batches an object refused because it restarted from an older checkpoint (`IngestResult.gap`). */
  gaps: number;
}

/** Counters at zero. */
export function newBatcherStats(): BatcherStats {
  return { batches: 0, events: 0, duplicates: 0, failures: 0, lastError: null, retries: 0, droppedBatches: 0, droppedEvents: 0, gaps: 0 };
}

/** Bounded retries of a failed batch, in order (see the module comment). */
export interface RetryPolicy {
  /** Attempts per batch in all, >= 1. */
  attempts: number;
  /** Wait before attempt `attempt` (2, 3, …). */
  delayMs(attempt: number): number;
  sleep(ms: number): Promise<void>;
  /** A batch was given up. */
  onDropped?(symbol: string, batch: IngestBatch, error: unknown): void;
  /** A batch was acknowledged. */
  onAcked?(symbol: string, batch: IngestBatch, result: IngestResult): void;
}

export class SymbolBatcher {
  private readonly pending = new Map<string, Pending>();
  /** Per symbol: the last sequence acknowledged, and the last one the object made durable. */
  private readonly acked = new Map<string, { sentSeq: number; durableSeq: number }>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Batches handed to `dispatch` and not acknowledged (a failed one stays: it was not applied). */
  private readonly unackedBatches = new Set<IngestBatch>();
  /** Symbols with a failed batch (no retry policy): their later batches are not sent. */
  private readonly failed = new Set<string>();
  private readonly held = new Set<string>();
  private unacked = 0;
  readonly stats: BatcherStats = newBatcherStats();

  constructor(
    private readonly source: string,
    private readonly send: SendBatch,
    private readonly maxEvents = MAX_BATCH_EVENTS,
    private readonly maxWaitMs = MAX_BATCH_WAIT_MS,
    private readonly retry?: RetryPolicy,
  ) {
    if (retry !== undefined && (!Number.isInteger(retry.attempts) || retry.attempts < 1)) {
      throw new Error(`SymbolBatcher: retry.attempts must be an integer >= 1 (got ${retry.attempts})`);
    }
  }

  /** Adds one event; returns a promise when this add made a batch full and sent it. */
  add(event: CanonicalEvent, seq: number, nowMs: number): Promise<void> | undefined {
    let p = this.pending.get(event.symbol);
    if (!p) this.pending.set(event.symbol, (p = { events: [], seqs: [], firstWallMs: nowMs }));
    p.events.push(event);
    p.seqs.push(seq);
    if (p.events.length >= this.maxEvents && !this.held.has(event.symbol)) return this.sendSymbol(event.symbol);
    return undefined;
  }

  /** Keeps `symbol`'s events pending (not sent, not flushed) until `release`. */
  hold(symbol: string): void {
    this.held.add(symbol);
  }

  /** Ends a hold: the symbol's pending events leave now, in batches of at most `maxEvents`. */
  release(symbol: string): Promise<void> {
    if (!this.held.delete(symbol)) return Promise.resolve();
    const p = this.pending.get(symbol);
    if (p === undefined) return Promise.resolve();
    this.pending.delete(symbol);
    const sends: Promise<void>[] = [];
    for (let i = 0; i < p.events.length; i += this.maxEvents) {
      const batch: IngestBatch = { source: this.source, events: p.events.slice(i, i + this.maxEvents), seqs: p.seqs.slice(i, i + this.maxEvents) };
      sends.push(this.dispatch(symbol, batch));
    }
    return Promise.all(sends).then(() => undefined);
  }

  /** Whether `symbol` is held. */
  isHeld(symbol: string): boolean {
    return this.held.has(symbol);
  }

  /** Sends every batch that is due by age (or all of them with `force`), with an optional watermark. */
  async flush(nowMs: number, options: { force?: boolean; watermarkTs?: number; watermarkSymbols?: readonly string[] } = {}): Promise<void> {
    const sends: Promise<void>[] = [];
    const symbols = new Set<string>(this.pending.keys());
    for (const s of options.watermarkSymbols ?? []) symbols.add(s);
    for (const symbol of symbols) {
      if (this.held.has(symbol)) continue;
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

  /**
   * The smallest sequence added and not acknowledged by its object (pending, held, in flight,
   * or in a failed batch), or null when every added event is acknowledged.
   */
  lowestUnackedSeq(): number | null {
    let min: number | null = null;
    for (const p of this.pending.values()) if (p.seqs.length > 0 && (min === null || p.seqs[0] < min)) min = p.seqs[0];
    for (const b of this.unackedBatches) if (b.seqs.length > 0 && (min === null || b.seqs[0] < min)) min = b.seqs[0];
    return min;
  }

  /** Events added and not handed to `send` yet (pending or held); see `lowestUnackedSeq` for acknowledgement. */
  get queued(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.events.length;
    return n;
  }

  /** Batches handed to `send` (or waiting for an earlier batch of their symbol) and not settled yet. */
  get batchesInFlight(): number {
    return this.unacked;
  }

  private sendSymbol(symbol: string, watermarkTs?: number): Promise<void> {
    const p = this.pending.get(symbol);
    this.pending.delete(symbol);
    const batch: IngestBatch = { source: this.source, events: p?.events ?? [], seqs: p?.seqs ?? [], watermarkTs };
    return this.dispatch(symbol, batch);
  }

  /** Sends `batch` after the symbol's previous batches (see the module comment for failures). */
  private dispatch(symbol: string, batch: IngestBatch): Promise<void> {
    const previous = this.inFlight.get(symbol) ?? Promise.resolve();
    this.unacked++;
    this.unackedBatches.add(batch);
    const next = previous.then(async () => {
      if (this.failed.has(symbol)) throw new Error(`not sent: an earlier batch of ${symbol} failed`);
      // The object must hold the last event it acknowledged of this symbol (a batch given up does not count).
      const lastAcked = this.acked.get(symbol)?.sentSeq ?? -1;
      if (lastAcked >= 0) batch.afterSeq = lastAcked;
      const attempts = this.retry?.attempts ?? 1;
      for (let attempt = 1; ; attempt++) {
        try {
          let result = await this.send(symbol, batch);
          if (result.gap !== undefined) {
            this.stats.gaps++;
            const lost = `${symbol}'s object restarted from an older checkpoint: it holds seq ${result.gap.lastSeq}, ${batch.afterSeq} was acknowledged`;
            this.stats.lastError = lost;
            // The replay re-reads: fail, and restart from the saved position, which the object's checkpoint covers.
            if (this.retry === undefined) throw new Error(lost);
            // The live feed cannot: the events in between are lost; this batch goes on.
            result = await this.send(symbol, { ...batch, afterSeq: undefined });
          }
          this.unackedBatches.delete(batch);
          const sentSeq = batch.seqs.length > 0 ? batch.seqs[batch.seqs.length - 1] : (this.acked.get(symbol)?.sentSeq ?? -1);
          this.acked.set(symbol, { sentSeq, durableSeq: result.durableSeq });
          this.stats.batches++;
          this.stats.events += result.accepted;
          this.stats.duplicates += result.duplicates;
          this.retry?.onAcked?.(symbol, batch, result);
          return;
        } catch (err) {
          // Failed batches are counted and surfaced in /v1/health. The replay feed resumes from
          // its persisted position, and the object's per-source sequence drops what it has seen.
          this.stats.failures++;
          this.stats.lastError = String(err);
          if (this.retry === undefined) {
            this.failed.add(symbol);
            throw err;
          }
          if (attempt >= attempts) {
            this.unackedBatches.delete(batch);
            this.stats.droppedBatches++;
            this.stats.droppedEvents += batch.events.length;
            this.retry.onDropped?.(symbol, batch, err);
            return;
          }
          this.stats.retries++;
          await this.retry.sleep(this.retry.delayMs(attempt + 1));
        }
      }
    });
    const settled = next.then(
      () => void this.unacked--,
      () => void this.unacked--,
    );
    this.inFlight.set(symbol, settled);
    return next;
  }
}
