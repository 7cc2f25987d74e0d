/**
 * SymbolObject: one Durable Object per tracked symbol. Glue only: it holds a SymbolEngine,
 * applies ingest batches from the collector, stores every liquidation as a SQL row,
 * checkpoints the engine state once per cycle, and publishes what each cycle computed to
 * the stream relay.
 *
 * Durability contract: the engine checkpoint and the per-source sequence it has applied are
 * written together, so after a restart the collector's re-sent events are applied exactly
 * once. Liquidation rows are keyed on (source, seq) and inserted idempotently. What a source
 * applied is always a prefix of what it sent: a batch whose `afterSeq` this object has not
 * applied (it restarted alone, from an older checkpoint) is refused with `gap`.
 *
 * Retention: rows older than LIQUIDATION_RETENTION_DAYS (default 30) before the newest event
 * time are pruned, at most PRUNE_BATCH_ROWS per cycle and per alarm (src/objects/liquidation-rows.ts).
 * The realized heatmap's records (24 h) are saved in chunks that go once their records leave it.
 */
import { DurableObject } from "cloudflare:workers";
import { VENUES, type CanonicalEvent, type LiquidationEvent, type Venue } from "../domain/events.js";
import { SymbolEngine, type EngineState } from "../domain/engine.js";
import { aggregateCandles, type CandleSeries, type CandleTimeframe } from "../domain/candles.js";
import type { IngestBatch, IngestResult } from "../protocol/ingest.js";
import { MODES, type Mode, type SymbolSnapshot } from "../protocol/snapshot.js";
import type { Zones } from "../protocol/zones.js";
import type { ChannelKind, ChannelUpdate, StoredLiquidation } from "../protocol/stream.js";
import { reportedBias, type CycleReport } from "./coordinator.js";
import type { StreamRelay } from "./stream-relay.js";
import { OutcomeStats, type OutcomeStatsState } from "../domain/learning/outcome-stats.js";
import type { SymbolLearningState } from "../domain/learning/symbol-learning.js";
import type { PredictionBookState } from "../domain/learning/predictions.js";
import { LiquidationQueryError } from "../domain/liquidation/query.js";
import { mergePatchDiff } from "../protocol/merge-patch.js";
import type { RealizedRow } from "../domain/liquidation/realized.js";
import {
  DAY_MS,
  liquidationPage,
  liquidationRetentionDays,
  PRUNE_BATCH_ROWS,
  pruneLiquidationRows,
  type LiquidationPage,
} from "./liquidation-rows.js";
import type { LiquidationCursor } from "../protocol/liquidation-cursor.js";
import type {
  CascadeRisk,
  HeatmapQuery,
  LevelsQuery,
  LiquidationClusters,
  LiquidationHeatmap,
  LiquidationLevels,
} from "../protocol/liquidation.js";

export type LiquidationMapRequest =
  | { kind: "heatmap"; query: HeatmapQuery }
  | { kind: "clusters"; limit?: number }
  | { kind: "levels"; query: LevelsQuery }
  | { kind: "cascade" };
export type LiquidationMapValue = LiquidationHeatmap | LiquidationClusters | LiquidationLevels | CascadeRisk;

/** Drops keys whose value is undefined (a query parameter that was not given). */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Wall-clock silence after which the alarm advances event time on its own. */
const QUIET_AFTER_MS = 30_000;
const ALARM_EVERY_MS = 30_000;
/**
 * Wall-clock quiet after which the events acknowledged since the last cycle's checkpoint are
 * checkpointed by the alarm: before the runtime can evict the idle object and lose them (about
 * 10 s of inactivity in local workerd, 70–140 s on Cloudflare). A busy symbol checkpoints at each
 * cycle and never reaches it; a sparse one (liquidation-only spans) did, and lost its events.
 */
const IDLE_CHECKPOINT_MS = 3_000;
const MAX_UNREPORTED = 1_000;
/** Realized records per saved chunk (about 40 bytes of JSON each). */
const REALIZED_CHUNK = 512;

interface SourceState {
  lastSeq: number;
  /** lastSeq as of the last checkpoint. */
  durableSeq: number;
  batches: number;
  events: number;
  duplicates: number;
  lastBatchWallMs: number;
}

export interface SymbolHealth {
  symbol: string;
  events: Record<string, number>;
  lastEventTs: number | null;
  lastCycleTs: number | null;
  liquidationsStored: number;
  rejected: number;
  sources: Record<string, SourceState>;
  book: SymbolSnapshot["book"] | null;
  /** Cards available on at least one timeframe at the last cycle, of all cards; null before the engine exists. */
  cards: { available: number; cards: number } | null;
  /** Why the last checkpoint could not be read at start (it is kept aside as `state-unreadable`), if it could not. */
  restoreError?: string;
  /**
   * Rows are kept `days` of event time: those older than `cutoffTs` (newest event − retention;
   * null before any event) are pruned; `pruned` counts the rows deleted so far.
   */
  liquidationRetention: { days: number; cutoffTs: number | null; pruned: number };
}

export class SymbolObject extends DurableObject<Env> {
  private engine!: SymbolEngine;
  private symbol = "";
  private sources: Record<string, SourceState> = {};
  private rejected = 0;
  private lastEventTs: number | null = null;
  private lastIngestWallMs = 0;
  /** When the alarm is set to fire (wall time), as this instance last set it; null: unknown. */
  private alarmAt: number | null = null;
  /**
   * The last sequence each channel published. Saved (kv `channel-seq`) before any update carrying
   * a new one leaves the object, so a restart from an older checkpoint never numbers an update
   * with a sequence a subscriber already has: the channels only move forward.
   */
  private channelSeq: Record<ChannelKind, number> = { cards: 0, bias: 0, liquidations: 0, heatmap: 0, levels: 0, zones: 0 };
  /** A sequence was taken since `channel-seq` was last saved. */
  private channelSeqDirty = false;
  /** Relay shards and the channel kinds they want from this symbol. */
  private relays: Record<string, ChannelKind[]> = {};
  /** The stub each relay is published to (see `relayStub`). */
  private relayStubs = new Map<string, DurableObjectStub<StreamRelay>>();
  /**
   * The map value each map channel last published (what its next patch is relative to).
   * Dropped when no relay wants the channel any more; never persisted: after a restart the
   * first update carries the full value.
   */
  private published: Partial<Record<MapKind, { seq: number; data: LiquidationHeatmap | LiquidationLevels }>> = {};
  /** Realized records with global index below this are saved in `realized_chunks`. */
  private savedRealizedTo = -1;
  /** Liquidations stored since the last report to the Coordinator (bounded). */
  private unreported: CycleReport["liquidations"] = [];
  private restoreError: string | null = null;
  /** Keys (`mode:ts`) of the pending predictions saved as rows. */
  private savedPredictions = new Set<string>();
  /** LIQUIDATION_RETENTION_DAYS, read once at start. */
  private readonly retentionDays: number;
  /** Rows in the liquidations table (counted at start, then kept by insert and prune): COUNT(*) reads every row. */
  private storedRows = 0;
  /** Rows the retention deleted, ever (saved in kv `liquidations-pruned` with each prune). */
  private prunedRows = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // A bad value fails every call with the variable named, rather than keeping or pruning the wrong rows.
    this.retentionDays = liquidationRetentionDays((env as Env & { LIQUIDATION_RETENTION_DAYS?: string }).LIQUIDATION_RETENTION_DAYS);
    ctx.blockConcurrencyWhile(async () => {
      this.migrate();
      this.loadLiquidationCounts();
      this.restoreOrSetAside();
      this.alarmAt = await ctx.storage.getAlarm();
      if (this.alarmAt === null) await this.setAlarm(Date.now() + ALARM_EVERY_MS);
    });
  }

  /**
   * Restores the checkpoint; one that cannot be read (written by a version whose state this one
   * cannot parse, or damaged) is kept aside under `state-unreadable` with the reason, logged, and
   * the object starts fresh, instead of failing every request for good. Its stored liquidation
   * rows stay, and re-sent events are deduplicated on (source, seq) as rows: none is stored twice.
   */
  private restoreOrSetAside(): void {
    try {
      this.restore();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      console.error(`SymbolObject: the checkpoint cannot be read, set aside as state-unreadable, starting fresh: ${reason}`);
      const sql = this.ctx.storage.sql;
      sql.exec(`INSERT OR REPLACE INTO kv (key, value) SELECT 'state-unreadable', value FROM kv WHERE key = 'state'`);
      sql.exec(`DELETE FROM kv WHERE key IN ('state', 'learning', 'learning-stats')`);
      sql.exec(`DELETE FROM predictions`);
      this.savedPredictions = new Set();
      this.restoreError = reason;
      this.engine = undefined as unknown as SymbolEngine;
      this.sources = {};
      this.rejected = 0;
      this.lastEventTs = null;
      this.relays = this.readKv<Record<string, ChannelKind[]>>("relays") ?? {};
    }
  }

  /** Loads the last checkpoint (engine, sequences, realized-record chunks) and the relays' interest. */
  private restore(): void {
    const saved = this.readKv<PersistedState>("state");
    if (saved) {
      this.symbol = saved.symbol;
      const external = saved.engine.liquidationMaps?.realized.external;
      const realizedRows = external ? this.readRealizedRows(external) : undefined;
      const barRows = saved.engine.inputs !== undefined && saved.engine.inputs.bars === undefined ? this.readBarRows() : undefined;
      this.engine = SymbolEngine.fromJSON(saved.engine, { realizedRows, barRows, learning: this.readLearning() });
      this.savedRealizedTo = external?.to ?? -1;
      this.sources = saved.sources;
      // The restored engine is exactly the checkpoint, so everything it applied is durable.
      for (const source of Object.values(this.sources)) source.durableSeq = source.lastSeq;
      this.rejected = saved.rejected;
      this.lastEventTs = saved.lastEventTs;
      this.channelSeq = { ...this.channelSeq, ...saved.channelSeq };
    }
    // Sequences published after the checkpoint were saved apart: the channels resume after them.
    const published = this.readKv<Partial<Record<ChannelKind, number>>>("channel-seq") ?? {};
    for (const kind of Object.keys(this.channelSeq) as ChannelKind[]) this.channelSeq[kind] = Math.max(this.channelSeq[kind], published[kind] ?? 0);
    this.relays = this.readKv<Record<string, ChannelKind[]>>("relays") ?? {};
  }

  private migrate(): void {
    const sql = this.ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS liquidations (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      source TEXT NOT NULL, seq INTEGER NOT NULL,
      ts INTEGER NOT NULL, venue TEXT NOT NULL, side TEXT NOT NULL,
      price REAL NOT NULL, qty REAL NOT NULL, notional_usd REAL NOT NULL, sampling TEXT NOT NULL,
      UNIQUE (source, seq))`);
    sql.exec(`CREATE INDEX IF NOT EXISTS liquidations_ts ON liquidations (ts)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS realized_chunks (chunk INTEGER PRIMARY KEY, first INTEGER NOT NULL, rows TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS bars (minute INTEGER PRIMARY KEY, row TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS predictions (key TEXT PRIMARY KEY, body TEXT NOT NULL)`);
  }

  /** Counts the stored rows once (O(rows), at start only) and reads the pruned total back. */
  private loadLiquidationCounts(): void {
    this.storedRows = this.ctx.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM liquidations`).one().n;
    this.prunedRows = this.readKv<number>("liquidations-pruned") ?? 0;
  }

  /** Event time before which rows are pruned: the newest event time less the retention; null before any event. */
  private retentionCutoffTs(): number | null {
    return this.lastEventTs === null ? null : this.lastEventTs - this.retentionDays * DAY_MS;
  }

  /**
   * Deletes up to PRUNE_BATCH_ROWS rows older than the retention, oldest first; the count and
   * the pruned total are written in the same turn, so they commit with the delete.
   */
  private pruneExpiredRows(): void {
    const cutoffTs = this.retentionCutoffTs();
    if (cutoffTs === null) return;
    const deleted = pruneLiquidationRows(this.ctx.storage.sql, cutoffTs, PRUNE_BATCH_ROWS);
    if (deleted === 0) return;
    this.storedRows -= deleted;
    this.prunedRows += deleted;
    this.writeKv("liquidations-pruned", this.prunedRows);
  }

  /**
   * The one-minute bars (up to 1,440 rows of 21 numbers) are saved apart from the checkpoint, one
   * row per minute: a cycle rewrites only the minutes that changed since the last save (usually
   * the one forming) and deletes the minutes the ring no longer holds. Runs in the same
   * synchronous turn as the checkpoint row, so both commit together.
   */
  private saveBars(): void {
    const from = this.engine.barsDirtyFrom();
    if (!Number.isFinite(from)) return;
    const sql = this.ctx.storage.sql;
    for (const row of this.engine.barRows(from)) sql.exec(`INSERT OR REPLACE INTO bars (minute, row) VALUES (?, ?)`, row[0], JSON.stringify(row));
    sql.exec(`DELETE FROM bars WHERE minute < ?`, this.engine.barsHeadMinute() - this.engine.config.inputs.barMinutes);
    this.engine.markBarsSaved();
  }

  private readBarRows(): number[][] {
    return this.ctx.storage.sql
      .exec<{ row: string }>(`SELECT row FROM bars ORDER BY minute`)
      .toArray()
      .map((r) => JSON.parse(r.row) as number[]);
  }

  /**
   * The realized liquidation records (up to 50,000 by default, the bulk of a busy symbol's
   * state) are saved apart from the checkpoint, in chunks of REALIZED_CHUNK global record
   * indexes: a chunk is rewritten only while records are still being added to it, and
   * deleted once every record in it has left the store. The checkpoint row stays small (a
   * SQLite row may not exceed 2 MB) and a cycle writes at most two chunks, not the whole store.
   * Runs in the same synchronous turn as the checkpoint row, so both commit together.
   */
  private saveRealizedChunks(): void {
    const { from, to } = this.engine.realizedRange();
    const sql = this.ctx.storage.sql;
    const firstUnsaved = Math.max(from, this.savedRealizedTo, 0);
    for (let c = Math.floor(firstUnsaved / REALIZED_CHUNK); firstUnsaved < to && c * REALIZED_CHUNK < to; c++) {
      const first = Math.max(from, c * REALIZED_CHUNK);
      const rows = this.engine.realizedRows(first, (c + 1) * REALIZED_CHUNK);
      sql.exec(`INSERT OR REPLACE INTO realized_chunks (chunk, first, rows) VALUES (?, ?, ?)`, c, first, JSON.stringify(rows));
    }
    // Chunks past `to` are left from a checkpoint set aside (its indexes restart at 0): never read again.
    sql.exec(`DELETE FROM realized_chunks WHERE chunk < ? OR chunk >= ?`, Math.floor(from / REALIZED_CHUNK), Math.ceil(to / REALIZED_CHUNK));
    this.savedRealizedTo = to;
  }

  /** The saved realized records with global indexes in `[from, to)`, oldest first. */
  private readRealizedRows(range: { from: number; to: number }): RealizedRow[] {
    const out: RealizedRow[] = [];
    const chunks = this.ctx.storage.sql
      .exec<{ first: number; rows: string }>(`SELECT first, rows FROM realized_chunks WHERE chunk >= ? ORDER BY chunk`, Math.floor(range.from / REALIZED_CHUNK))
      .toArray();
    for (const chunk of chunks) {
      const rows = JSON.parse(chunk.rows) as RealizedRow[];
      for (let j = 0; j < rows.length; j++) {
        const i = chunk.first + j;
        if (i >= range.from && i < range.to) out.push(rows[j]);
      }
    }
    return out;
  }

  /**
   * The learning state, saved apart from the checkpoint in two rows (pending predictions with the
   * outcomes not yet reported; this symbol's record) so neither grows the per-cycle row.
   */
  private readLearning(): SymbolLearningState | undefined {
    const saved = this.readKv<Omit<SymbolLearningState, "stats">>("learning");
    // The record is written once the first outcome is scored: before that it is empty.
    const stats = this.readKv<OutcomeStatsState>("learning-stats") ?? new OutcomeStats().toJSON();
    if (saved === undefined) return undefined;
    const rows = new Map(this.ctx.storage.sql.exec<{ key: string; body: string }>(`SELECT key, body FROM predictions`).toArray().map((r) => [r.key, r.body]));
    this.savedPredictions = new Set(rows.keys());
    const book = saved.book as PredictionBookState;
    const pending = {} as PredictionBookState["pending"];
    for (const mode of MODES) {
      pending[mode] = book.pending[mode].map((p) => {
        const { key, ...rest } = p as typeof p & { key?: string };
        if (key === undefined) return p; // saved whole, before predictions had rows
        const body = rows.get(key);
        if (body === undefined) throw new Error(`pending prediction ${key} has no row`);
        return { ...rest, prediction: JSON.parse(body) };
      });
    }
    return { ...saved, book: { ...book, pending }, stats };
  }

  /**
   * Saves what changed of the learning state, with the checkpoint (so a restore matches the
   * engine). A pending prediction (the bias, its categories and ≈ 100 cards: ≈ 4 KB) never changes
   * once made: it is written as a row once and deleted when it leaves the book, while the book's
   * row, rewritten every cycle a price moves it, holds only its small mutable part (due time, exit
   * price) and the row key. Written whole, the book was ≈ 500 KB a cycle per symbol.
   */
  private saveLearning(): void {
    const changed = this.engine.learningChanged;
    if (!changed.book && !changed.stats) return;
    const { stats, ...rest } = this.engine.learningJSON();
    if (changed.book) {
      const book = rest.book as PredictionBookState;
      const sql = this.ctx.storage.sql;
      const live = new Set<string>();
      const pending = {} as Record<Mode, unknown[]>;
      for (const mode of MODES) {
        pending[mode] = book.pending[mode].map(({ prediction, ...small }) => {
          const key = `${mode}:${prediction.ts}`;
          live.add(key);
          if (!this.savedPredictions.has(key)) {
            sql.exec(`INSERT OR REPLACE INTO predictions (key, body) VALUES (?, ?)`, key, JSON.stringify(prediction));
            this.savedPredictions.add(key);
          }
          return { ...small, key };
        });
      }
      for (const key of this.savedPredictions) {
        if (live.has(key)) continue;
        sql.exec(`DELETE FROM predictions WHERE key = ?`, key);
        this.savedPredictions.delete(key);
      }
      this.writeKv("learning", { ...rest, book: { ...book, pending } });
    }
    if (changed.stats) this.writeKv("learning-stats", stats);
    this.engine.markLearningSaved();
  }

  private readKv<T>(key: string): T | undefined {
    const row = this.ctx.storage.sql.exec<{ value: string }>(`SELECT value FROM kv WHERE key = ?`, key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  private writeKv(key: string, value: unknown): void {
    this.ctx.storage.sql.exec(`INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)`, key, JSON.stringify(value));
  }

  /** The engine is created on the first call, when the object learns which symbol it is. */
  private engineFor(symbol: string): SymbolEngine {
    if (!this.engine) {
      this.symbol = symbol;
      this.engine = new SymbolEngine(symbol);
    }
    return this.engine;
  }

  /** Applies one batch from the collector. Events at or below the source's last sequence are duplicates. */
  async ingest(symbol: string, batch: IngestBatch): Promise<IngestResult> {
    const engine = this.engineFor(symbol);
    const source = (this.sources[batch.source] ??= {
      lastSeq: -1,
      durableSeq: -1,
      batches: 0,
      events: 0,
      duplicates: 0,
      lastBatchWallMs: 0,
    });
    if (batch.afterSeq !== undefined && batch.afterSeq > source.lastSeq) {
      // Restarted from a checkpoint older than what the producer saw acknowledged: applying this
      // batch would skip the events in between for good (their re-sent copies would be dropped).
      return { accepted: 0, duplicates: 0, rejected: 0, cycles: 0, durableSeq: source.durableSeq, gap: { lastSeq: source.lastSeq } };
    }
    const fresh: CanonicalEvent[] = [];
    const freshSeqs: number[] = [];
    let duplicates = 0;
    let rejected = 0;
    for (let i = 0; i < batch.events.length; i++) {
      const event = batch.events[i];
      const seq = batch.seqs[i];
      if (typeof seq !== "number" || event?.symbol !== symbol) {
        rejected++;
        continue;
      }
      if (seq <= source.lastSeq) {
        duplicates++;
        continue;
      }
      source.lastSeq = seq;
      fresh.push(event);
      freshSeqs.push(seq);
    }
    source.batches++;
    source.events += fresh.length;
    source.duplicates += duplicates;
    source.lastBatchWallMs = Date.now();
    this.rejected += rejected;
    this.lastIngestWallMs = source.lastBatchWallMs;

    const liquidations = this.storeLiquidations(batch.source, fresh, freshSeqs);
    const snapshots = batch.history === true ? engine.backfill(fresh) : engine.ingest(fresh);
    if (fresh.length > 0) this.lastEventTs = Math.max(this.lastEventTs ?? 0, fresh[fresh.length - 1].ts);
    if (batch.watermarkTs !== undefined) snapshots.push(...engine.advanceTo(batch.watermarkTs));

    const updates: ChannelUpdate[] = [];
    if (liquidations.length > 0) updates.push(this.liquidationUpdate(liquidations));
    if (snapshots.length > 0) {
      const latest = snapshots[snapshots.length - 1];
      updates.push(...this.cycleUpdates(latest));
      this.pruneExpiredRows();
      this.checkpoint();
      this.reportQuietly(latest);
    } else if (batch.history === true && fresh.length > 0) {
      // History computes no cycle: saved now, or an eviction before the next cycle would lose it
      // (the collector does not send a day twice).
      this.checkpoint();
    }
    if (updates.length > 0) this.publishQuietly(updates);
    // Acknowledged but held only in memory: checkpointed by the alarm if the feed goes quiet.
    if (this.undurable()) await this.setAlarmBy(this.lastIngestWallMs + IDLE_CHECKPOINT_MS);
    const unsyncedBooks: Venue[] = [];
    for (const v of VENUES) if (engine.book(v)?.synced === false) unsyncedBooks.push(v);
    const result: IngestResult = { accepted: fresh.length, duplicates, rejected, cycles: snapshots.length, durableSeq: source.durableSeq };
    if (unsyncedBooks.length > 0) result.unsyncedBooks = unsyncedBooks;
    return result;
  }

  /**
   * Maintenance-margin tables a venue published, fetched live by the collector (Bybit, OKX). The
   * engine checks each (`SymbolEngine.setBracketTables`), installs the valid ones and re-prices the
   * levels of a venue whose tiers changed; the checkpoint is written at once so a restart keeps
   * them. Invalid tables are refused with a reason naming the field; the ones in force stay.
   */
  async setBrackets(symbol: string, tables: unknown): Promise<{ applied: string[]; rejected: string[]; repriced: Venue[] }> {
    if (!Array.isArray(tables)) return { applied: [], rejected: ["tables must be an array"], repriced: [] };
    if (this.engine && symbol !== this.symbol) return { applied: [], rejected: [`symbol must be ${this.symbol} (got ${JSON.stringify(symbol)})`], repriced: [] };
    const result = this.engineFor(symbol).setBracketTables(tables);
    if (result.applied.length > 0) this.checkpoint();
    return result;
  }

  private storeLiquidations(source: string, events: CanonicalEvent[], seqs: number[]): StoredLiquidation[] {
    const stored: StoredLiquidation[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (e.kind !== "liquidation") continue;
      // RETURNING says whether the row is new (a row re-sent after a restart is ignored): the count stays exact.
      this.storedRows += this.ctx.storage.sql.exec(
        `INSERT OR IGNORE INTO liquidations (source, seq, ts, venue, side, price, qty, notional_usd, sampling)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        source, seqs[i], e.ts, e.venue, e.side, e.price, e.qty, e.notionalUsd, e.sampling,
      ).toArray().length;
      stored.push(toStored(e));
      if (this.unreported.length < MAX_UNREPORTED) this.unreported.push({ ...toStored(e), source, seq: seqs[i] });
    }
    return stored;
  }

  private checkpoint(): void {
    for (const source of Object.values(this.sources)) source.durableSeq = source.lastSeq;
    this.saveRealizedChunks();
    this.saveBars();
    this.saveLearning();
    const state: PersistedState = {
      symbol: this.symbol,
      engine: this.engine.toJSON({ realizedRecords: false, bars: false, learning: false }),
      sources: this.sources,
      rejected: this.rejected,
      lastEventTs: this.lastEventTs,
      channelSeq: this.channelSeq,
    };
    this.writeKv("state", state);
  }

  private cycleUpdates(snapshot: SymbolSnapshot): ChannelUpdate[] {
    const updates: ChannelUpdate[] = [
      { channel: `${this.symbol}:cards`, seq: this.nextSeq("cards"), data: cardsView(snapshot) },
      { channel: `${this.symbol}:bias`, seq: this.nextSeq("bias"), data: biasView(snapshot) },
    ];
    // The maps cost a query each (~0.1–0.4 ms): computed only while a relay wants them.
    for (const kind of MAP_KINDS) {
      if (!this.wanted(kind)) continue;
      updates.push(this.mapUpdate(kind));
    }
    const zones = this.engine.zones();
    if (zones && this.wanted("zones")) updates.push({ channel: `${this.symbol}:zones`, seq: this.nextSeq("zones"), data: zones });
    return updates;
  }

  /**
   * A map channel's next update: the full value for the relays (they answer snapshots from
   * it) and, when RFC 7386 can express it, the merge patch from the previous value, which is
   * what the relays send to sockets that are up to date.
   */
  private mapUpdate(kind: MapKind): ChannelUpdate {
    const data = this.mapView(kind);
    const previous = this.published[kind];
    const seq = this.nextSeq(kind);
    this.published[kind] = { seq, data };
    const update: ChannelUpdate = { channel: `${this.symbol}:${kind}`, seq, data };
    const patch = previous && previous.seq === seq - 1 ? mergePatchDiff(previous.data, data) : undefined;
    if (patch) update.patch = patch;
    return update;
  }

  /** The next sequence of `kind`'s channel; saved before an update carrying it is sent (`saveChannelSeq`). */
  private nextSeq(kind: ChannelKind): number {
    this.channelSeqDirty = true;
    return ++this.channelSeq[kind];
  }

  /** Saves the channels' sequences if one was taken since the last save (one kv row). */
  private saveChannelSeq(): void {
    if (!this.channelSeqDirty) return;
    this.writeKv("channel-seq", this.channelSeq);
    this.channelSeqDirty = false;
  }

  private wanted(kind: ChannelKind): boolean {
    return Object.values(this.relays).some((kinds) => kinds.includes(kind));
  }

  private mapView(kind: "heatmap" | "levels"): LiquidationHeatmap | LiquidationLevels {
    return kind === "heatmap" ? this.engine.heatmap() : this.engine.levels();
  }

  private liquidationUpdate(liquidations: StoredLiquidation[]): ChannelUpdate {
    return {
      channel: `${this.symbol}:liquidations`,
      seq: this.nextSeq("liquidations"),
      data: { symbol: this.symbol, liquidations: [...liquidations].reverse(), totals: this.engine.liquidationTotals() },
    };
  }

  /**
   * Sends each update once to every relay shard that registered for its channel kind: the
   * cost here grows with the number of relays, not with the number of subscribers. A relay
   * failure never fails the ingest.
   */
  private publishQuietly(updates: ChannelUpdate[]): void {
    // Durable before it leaves (the output gate holds the RPCs until the write is).
    this.saveChannelSeq();
    for (const [relay, kinds] of Object.entries(this.relays)) {
      const wanted = updates.filter((u) => kinds.includes(u.channel.slice(u.channel.lastIndexOf(":") + 1) as ChannelKind));
      if (wanted.length === 0) continue;
      const stub = this.relayStub(relay);
      this.ctx.waitUntil(
        stub
          .publish(wanted)
          .catch(() => {
            // A stub that threw is broken for good (e.g. the relay was evicted while idle): once
            // more through a new one. A relay drops a sequence it already holds, should the first
            // call have arrived after all.
            if (this.relayStubs.get(relay) === stub) this.relayStubs.delete(relay);
            return this.relayStub(relay).publish(wanted);
          })
          .catch((err: unknown) => {
            this.relayStubs.delete(relay);
            console.warn(`publish to ${relay} failed`, String(err));
          }),
      );
    }
  }

  /**
   * One stub per relay, kept: calls through one stub reach the object in the order they were
   * made (E-order), calls through different stubs in no guaranteed order. A stub per publish let
   * a cycle's update overtake the one before it under load, which a subscriber saw as a gap.
   */
  private relayStub(relay: string) {
    let stub = this.relayStubs.get(relay);
    if (stub === undefined) {
      stub = this.env.STREAM_RELAY.get(this.env.STREAM_RELAY.idFromName(relay));
      this.relayStubs.set(relay, stub);
    }
    return stub;
  }

  /** A relay shard states which channel kinds of this symbol its sockets want (empty: none). */
  async setRelayInterest(relay: string, kinds: ChannelKind[]): Promise<void> {
    const before = this.relays[relay] ?? [];
    // A relay re-sending what is registered (a retry, a wake) costs no write.
    if (before.length === kinds.length && kinds.every((k) => before.includes(k))) return;
    if (kinds.length === 0) delete this.relays[relay];
    else this.relays[relay] = [...kinds];
    this.writeKv("relays", this.relays);
    for (const kind of MAP_KINDS) if (!this.wanted(kind)) delete this.published[kind];
  }

  /**
   * Once per cycle: the market-wide view lives in the Coordinator, which answers with the market
   * context the next cycles' cards read. A failed report's liquidations are retried with the next.
   */
  private reportQuietly(snapshot: SymbolSnapshot): void {
    const liquidations = this.unreported;
    this.unreported = [];
    const summary = this.engine?.summary() ?? undefined;
    // Taken after the cycle's checkpoint saved them: a crash before the reply re-sends them, and the Coordinator drops what it has.
    const outcomes = this.engine?.takeOutcomes() ?? [];
    const report: CycleReport = { symbol: this.symbol, ts: snapshot.ts, price: snapshot.price, bias: { scalp: reportedBias(snapshot.bias.scalp), day: reportedBias(snapshot.bias.day), swing: reportedBias(snapshot.bias.swing) }, liquidations, summary, outcomes };
    const coordinator = this.env.COORDINATOR.get(this.env.COORDINATOR.idFromName("coordinator"));
    this.ctx.waitUntil(
      coordinator.report(report).then(
        // The market context of this boundary: the cards read it from the next cycle on.
        (reply) => {
          this.engine?.setMarketContext(reply.context);
          // The learned weights: the bias reads them (and records their version) from the next recompute on.
          try {
            if (reply.weights !== null) this.engine?.setWeights(reply.weights.weights, reply.weights.version);
          } catch (err) {
            console.warn("coordinator weights refused", String(err));
          }
        },
        (err: unknown) => {
          this.unreported = [...liquidations, ...this.unreported].slice(0, MAX_UNREPORTED);
          this.engine?.requeueOutcomes(outcomes);
          console.warn("coordinator report failed", String(err));
        },
      ),
    );
  }

  /** What a new subscriber of `channel` receives first. */
  async channelSnapshot(kind: ChannelKind): Promise<ChannelUpdate | null> {
    if (!this.engine) return null;
    // The sequence a snapshot carries is durable before the snapshot leaves, like an update's.
    this.saveChannelSeq();
    const channel = `${this.symbol}:${kind}`;
    if (kind === "heatmap" || kind === "levels") {
      // The value the next patch applies to; when none was published yet, a new one (a new
      // seq) becomes that base, unless no relay wants the channel (a one-off read).
      const published = this.published[kind];
      if (published) return { channel, seq: published.seq, data: published.data };
      if (this.wanted(kind)) {
        // Every relay that wants the channel gets the new base, not only the one asking: a base
        // only one relay saw left the others a patch that did not apply to what they held.
        const update = this.mapUpdate(kind);
        this.publishQuietly([update]);
        return update;
      }
      return { channel, seq: this.channelSeq[kind], data: this.mapView(kind) };
    }
    if (kind === "liquidations") {
      return {
        channel,
        seq: this.channelSeq.liquidations,
        data: { symbol: this.symbol, liquidations: liquidationPage(this.ctx.storage.sql, { limit: 50 }).liquidations, totals: this.engine.liquidationTotals() },
      };
    }
    if (kind === "zones") {
      const zones = this.engine.zones();
      return zones ? { channel, seq: this.channelSeq.zones, data: zones } : null;
    }
    const latest = this.engine.latest();
    if (!latest) return null;
    return kind === "cards"
      ? { channel, seq: this.channelSeq.cards, data: cardsView(latest) }
      : { channel, seq: this.channelSeq.bias, data: biasView(latest) };
  }

  /** Support/resistance zones as of the last cycle (null before the first). */
  /** This symbol's running record of its predictions (per mode: the bias, each category, each card); null before its first event. */
  async scorecardStats(): Promise<OutcomeStatsState | null> {
    return this.engine ? this.engine.learningRecord().outcomeStats().toJSON() : null;
  }

  async zones(): Promise<Zones | null> {
    return this.engine?.zones() ?? null;
  }

  async snapshot(): Promise<SymbolSnapshot | null> {
    return this.engine?.latest() ?? null;
  }

  /** The newest `limit` candles of `tf` from the one-minute bar ring (src/domain/candles.ts); null before the first event. */
  async candles(tf: CandleTimeframe, limit: number): Promise<CandleSeries | null> {
    return this.engine ? aggregateCandles(this.engine.barRows(), this.engine.barsHeadMinute(), tf, limit) : null;
  }

  /**
   * A liquidation map query (heatmap, clusters, levels, cascade). A query the engine refuses
   * comes back as `{ error }` naming the field, so the route can answer 400 rather than 500; an
   * object that has applied no event has no map at all (`{ noData }`, a 503 like the other reads),
   * rather than empty maps stamped at epoch 0.
   */
  async liquidationMap(request: LiquidationMapRequest): Promise<{ value: LiquidationMapValue } | { error: string } | { noData: string }> {
    const engine = this.engine as SymbolEngine | undefined;
    if (!engine) return { noData: "no event of this symbol has reached the engine yet; its feed has not delivered data" };
    try {
      switch (request.kind) {
        case "heatmap":
          return { value: engine.heatmap(withoutUndefined(request.query)) };
        case "clusters":
          return { value: engine.clusters(request.limit) };
        case "levels":
          return { value: engine.levels(withoutUndefined(request.query)) };
        case "cascade":
          return { value: engine.cascade() };
      }
    } catch (err) {
      if (err instanceof LiquidationQueryError) return { error: err.message };
      throw err;
    }
  }

  /**
   * One page of the stored liquidations, newest first by (ts, row id): `ts >= sinceTs` when given,
   * strictly after `after` (the previous page's `next`) when given. `stored` counts every row held.
   */
  async liquidations(sinceTs: number | undefined, limit: number, after?: LiquidationCursor): Promise<LiquidationPage & { stored: number }> {
    return { ...liquidationPage(this.ctx.storage.sql, { sinceTs, after, limit }), stored: this.storedRows };
  }

  async health(): Promise<SymbolHealth> {
    const stored = this.storedRows;
    const latest = this.engine?.latest() ?? null;
    return {
      symbol: this.symbol,
      events: this.engine ? this.engine.counters() : {},
      lastEventTs: this.lastEventTs,
      lastCycleTs: latest?.ts ?? null,
      liquidationsStored: stored,
      rejected: this.rejected,
      sources: this.sources,
      book: latest?.book ?? null,
      cards: this.engine ? this.engine.availableCards() : null,
      ...(this.restoreError !== null ? { restoreError: this.restoreError } : {}),
      liquidationRetention: { days: this.retentionDays, cutoffTs: this.retentionCutoffTs(), pruned: this.prunedRows },
    };
  }

  /**
   * Quiet periods: with no batch (not even a watermark) for QUIET_AFTER_MS of wall time, the
   * feed is silent; event time is advanced by the silence so windows roll off rather than
   * freeze on stale numbers. Each alarm also prunes one batch of expired rows (a backlog drains
   * while the feed is quiet); the cutoff stays on event time, which the silence does not move.
   */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    this.pruneExpiredRows();
    const now = Date.now();
    if (this.engine && this.lastEventTs !== null && this.lastIngestWallMs > 0 && now - this.lastIngestWallMs >= QUIET_AFTER_MS) {
      const snapshots = this.engine.advanceTo(this.lastEventTs + (now - this.lastIngestWallMs));
      if (snapshots.length > 0) {
        this.publishQuietly(this.cycleUpdates(snapshots[snapshots.length - 1]));
        this.checkpoint();
      }
    }
    // Events acknowledged since the last checkpoint, and the feed quiet: saved before an eviction.
    const quietFor = now - this.lastIngestWallMs;
    if (this.engine && this.undurable() && quietFor >= IDLE_CHECKPOINT_MS) this.checkpoint();
    const next = this.undurable() ? this.lastIngestWallMs + IDLE_CHECKPOINT_MS : now + ALARM_EVERY_MS;
    await this.setAlarm(Math.max(next, now + 1));
  }

  /** Whether a source has events this object acknowledged that its last checkpoint does not hold. */
  private undurable(): boolean {
    for (const source of Object.values(this.sources)) if (source.lastSeq > source.durableSeq) return true;
    return false;
  }

  /** Moves the alarm earlier to `at` (wall ms) if it is set later; never later. */
  private async setAlarmBy(at: number): Promise<void> {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    await this.setAlarm(at);
  }

  private async setAlarm(at: number): Promise<void> {
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }
}

const MAP_KINDS = ["heatmap", "levels"] as const;
type MapKind = (typeof MAP_KINDS)[number];

interface PersistedState {
  symbol: string;
  engine: EngineState;
  sources: Record<string, SourceState>;
  rejected: number;
  lastEventTs: number | null;
  channelSeq: Record<ChannelKind, number>;
}

function toStored(e: LiquidationEvent): StoredLiquidation {
  return { ts: e.ts, venue: e.venue, side: e.side, price: e.price, qty: e.qty, notionalUsd: e.notionalUsd, sampling: e.sampling };
}

function cardsView(s: SymbolSnapshot) {
  return { symbol: s.symbol, ts: s.ts, price: s.price, cards: s.cards };
}

function biasView(s: SymbolSnapshot) {
  return { symbol: s.symbol, ts: s.ts, price: s.price, bias: s.bias };
}
