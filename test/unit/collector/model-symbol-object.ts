/**
 * A model of `SymbolObject.ingest` (src/objects/symbol-object.ts) and its durability contract, for
 * the collector's crash tests. It keeps what the real object keeps and forgets what a `kill -9`
 * makes it forget:
 *
 * - per source, the last sequence applied: events at or below it are duplicates, dropped and
 *   counted (src/protocol/ingest.ts);
 * - every fresh liquidation is stored at once as a row keyed on (source, seq), inserted or
 *   ignored (`UNIQUE (source, seq)`): rows survive a crash, and a re-sent one is not stored twice;
 * - the engine state (here: the counters a real engine sums, and its cycle clock) and the source
 *   sequences are checkpointed together whenever a batch computed a cycle (10 s boundaries of
 *   event time, crossed by an event or by the batch's watermark, as `SymbolEngine` does), and the
 *   reply's `durableSeq` says how far the checkpoint reaches;
 * - one `ingest` commits atomically before its reply (workerd's output gate): a crash either
 *   loses the whole batch or none of it, and can lose the reply after the commit.
 *
 * After a crash the object restarts from the checkpoint: applied events after it are gone (the
 * counters and the last sequence go back), stored rows stay.
 */
import type { CanonicalEvent, LiquidationEvent } from "../../../src/domain/events.js";
import type { IngestBatch, IngestResult } from "../../../src/protocol/ingest.js";

/** `SymbolEngine`'s default cycle length. */
export const MODEL_CYCLE_MS = 10_000;

/** What an engine sums from the events it applied: exact, so a lost or doubled event shows. */
export interface ModelEngineState {
  nextBoundary: number | null;
  cycles: number;
  events: Record<string, number>;
  liquidations: number;
  notionalUsd: number;
  lastTs: number | null;
}

export interface ModelSourceState {
  lastSeq: number;
  durableSeq: number;
  batches: number;
  events: number;
  duplicates: number;
}

/** A liquidation row as the real table stores it. */
export interface ModelRow {
  ts: number;
  venue: string;
  side: string;
  price: number;
  qty: number;
  notionalUsd: number;
}

/** What survives a crash of one SymbolObject: its SQLite rows and its checkpoint row. */
export interface ModelDurable {
  checkpoint: { sources: Record<string, ModelSourceState>; engine: ModelEngineState } | null;
  /** Liquidation rows keyed `source:seq`. */
  rows: Map<string, ModelRow>;
}

export function newDurable(): ModelDurable {
  return { checkpoint: null, rows: new Map() };
}

function newEngine(): ModelEngineState {
  return { nextBoundary: null, cycles: 0, events: {}, liquidations: 0, notionalUsd: 0, lastTs: null };
}

/** One SymbolObject instance: lives until the next crash; its memory is restored from `durable`. */
export class ModelSymbolObject {
  readonly sources: Record<string, ModelSourceState>;
  readonly engine: ModelEngineState;
  /** Events handed to `ingest` in this instance's life (for the duplicate accounting). */
  delivered = 0;
  /** Inserts a row already present ignored (re-sent liquidations). */
  ignoredInserts = 0;
  /** The counters as restored, to account for what this life added. */
  readonly restored: { events: number; duplicates: number };

  constructor(
    readonly symbol: string,
    private readonly durable: ModelDurable,
  ) {
    const checkpoint = durable.checkpoint === null ? null : structuredClone(durable.checkpoint);
    this.sources = checkpoint?.sources ?? {};
    // The restored engine is exactly the checkpoint, so everything it applied is durable.
    for (const source of Object.values(this.sources)) source.durableSeq = source.lastSeq;
    this.engine = checkpoint?.engine ?? newEngine();
    this.restored = { events: this.totals().events, duplicates: this.totals().duplicates };
  }

  /** Applies one batch as `SymbolObject.ingest` does; commits rows and (on a cycle) the checkpoint. */
  ingest(symbol: string, batch: IngestBatch): IngestResult {
    const source = (this.sources[batch.source] ??= { lastSeq: -1, durableSeq: -1, batches: 0, events: 0, duplicates: 0 });
    if (batch.afterSeq !== undefined && batch.afterSeq > source.lastSeq) {
      return { accepted: 0, duplicates: 0, rejected: 0, cycles: 0, durableSeq: source.durableSeq, gap: { lastSeq: source.lastSeq } };
    }
    this.delivered += batch.events.length;
    const fresh: CanonicalEvent[] = [];
    let duplicates = 0;
    let rejected = 0;
    for (let i = 0; i < batch.events.length; i++) {
      const event = batch.events[i];
      const seq = batch.seqs[i];
      if (typeof seq !== "number" || event.symbol !== symbol) {
        rejected++;
        continue;
      }
      if (seq <= source.lastSeq) {
        duplicates++;
        continue;
      }
      source.lastSeq = seq;
      fresh.push(event);
      if (event.kind === "liquidation") this.storeRow(`${batch.source}:${seq}`, event);
    }
    source.batches++;
    source.events += fresh.length;
    source.duplicates += duplicates;
    let cycles = 0;
    for (const event of fresh) cycles += this.apply(event);
    if (batch.watermarkTs !== undefined) cycles += this.advanceTo(batch.watermarkTs);
    if (cycles > 0) this.checkpoint();
    return { accepted: fresh.length, duplicates, rejected, cycles, durableSeq: source.durableSeq };
  }

  /** Accepted and duplicate events over every source. */
  totals(): { events: number; duplicates: number } {
    let events = 0;
    let duplicates = 0;
    for (const s of Object.values(this.sources)) {
      events += s.events;
      duplicates += s.duplicates;
    }
    return { events, duplicates };
  }

  private storeRow(key: string, e: LiquidationEvent): void {
    if (this.durable.rows.has(key)) {
      this.ignoredInserts++;
      return;
    }
    this.durable.rows.set(key, { ts: e.ts, venue: e.venue, side: e.side, price: e.price, qty: e.qty, notionalUsd: e.notionalUsd });
  }

  /** `SymbolEngine.ingest` for one event: the cycles it completes first, then the event. */
  private apply(event: CanonicalEvent): number {
    const engine = this.engine;
    let cycles = 0;
    if (engine.nextBoundary === null) {
      if (event.kind !== "insurance") engine.nextBoundary = (Math.floor(event.ts / MODEL_CYCLE_MS) + 1) * MODEL_CYCLE_MS;
    } else if (event.ts >= engine.nextBoundary) cycles = this.emitThrough(event.ts);
    engine.events[event.kind] = (engine.events[event.kind] ?? 0) + 1;
    if (event.kind === "liquidation") {
      engine.liquidations++;
      engine.notionalUsd += event.notionalUsd;
    }
    engine.lastTs = Math.max(engine.lastTs ?? event.ts, event.ts);
    return cycles;
  }

  private advanceTo(ts: number): number {
    const next = this.engine.nextBoundary;
    return next !== null && ts >= next ? this.emitThrough(ts) : 0;
  }

  private emitThrough(ts: number): number {
    this.engine.cycles++;
    this.engine.nextBoundary = Math.floor(ts / MODEL_CYCLE_MS) * MODEL_CYCLE_MS + MODEL_CYCLE_MS;
    return 1;
  }

  private checkpoint(): void {
    for (const source of Object.values(this.sources)) source.durableSeq = source.lastSeq;
    this.durable.checkpoint = structuredClone({ sources: this.sources, engine: this.engine });
  }
}
