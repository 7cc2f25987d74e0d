/**
 * SymbolObject: one Durable Object per tracked symbol. Glue only: it holds a SymbolEngine,
 * applies ingest batches from the collector, stores every liquidation as a SQL row,
 * checkpoints the engine state once per cycle, and publishes what each cycle computed to
 * the stream relays. The SQL lives in `SymbolStorage` (symbol-storage.ts), the channel numbering
 * and delivery in `SymbolPublisher` (symbol-publisher.ts); this class decides when.
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
import { batchEvents, type IngestRequest, type IngestResult } from "../protocol/ingest.js";
import type { SymbolSnapshot } from "../protocol/snapshot.js";
import type { Zones } from "../protocol/zones.js";
import type { ChannelKind, ChannelUpdate, StoredLiquidation } from "../protocol/stream.js";
import { reportedBias, type CycleReport } from "./coordinator.js";
import type { OutcomeStatsState } from "../domain/learning/outcome-stats.js";
import { LiquidationQueryError } from "../domain/liquidation/query.js";
import {
  DAY_MS,
  liquidationPage,
  liquidationRetentionDays,
  PRUNE_BATCH_ROWS,
  type LiquidationPage,
} from "./liquidation-rows.js";
import type { LiquidationCursor } from "../protocol/liquidation-cursor.js";
import { SymbolPublisher } from "./symbol-publisher.js";
import { SymbolStorage } from "./symbol-storage.js";
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
  /** The symbol this object is for: its id's name (`idFromName(symbol)`), else the checkpoint's or the first call's. */
  private symbol = "";
  private sources: Record<string, SourceState> = {};
  private rejected = 0;
  private lastEventTs: number | null = null;
  private lastIngestWallMs = 0;
  /** When the alarm is set to fire (wall time), as this instance last set it; null: unknown. */
  private alarmAt: number | null = null;
  /** Liquidations stored since the last report to the Coordinator (bounded). */
  private unreported: CycleReport["liquidations"] = [];
  private restoreError: string | null = null;
  /** LIQUIDATION_RETENTION_DAYS, read once at start. */
  private readonly retentionDays: number;
  /** The object's SQLite tables (symbol-storage.ts). */
  private readonly storage: SymbolStorage;
  /** What goes to the stream relays, numbered per channel (symbol-publisher.ts). */
  private readonly publisher: SymbolPublisher;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // A bad value fails every call with the variable named, rather than keeping or pruning the wrong rows.
    this.retentionDays = liquidationRetentionDays((env as Env & { LIQUIDATION_RETENTION_DAYS?: string }).LIQUIDATION_RETENTION_DAYS);
    this.symbol = ctx.id.name ?? "";
    this.storage = new SymbolStorage(ctx.storage.sql);
    this.publisher = new SymbolPublisher({ storage: this.storage, relays: env.STREAM_RELAY, waitUntil: (p) => ctx.waitUntil(p) });
    ctx.blockConcurrencyWhile(async () => {
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
      this.storage.setAsideCheckpoint();
      this.restoreError = reason;
      this.engine = undefined as unknown as SymbolEngine;
      this.sources = {};
      this.rejected = 0;
      this.lastEventTs = null;
      this.publisher.restore(undefined);
    }
  }

  /** Loads the last checkpoint (engine, sequences, realized-record chunks) and the relays' interest. */
  private restore(): void {
    const saved = this.storage.readKv<PersistedState>("state");
    if (saved) {
      this.symbol = saved.symbol;
      this.engine = SymbolEngine.fromJSON(saved.engine, this.storage.readEngineParts(saved.engine));
      this.sources = saved.sources;
      // The restored engine is exactly the checkpoint, so everything it applied is durable.
      for (const source of Object.values(this.sources)) source.durableSeq = source.lastSeq;
      this.rejected = saved.rejected;
      this.lastEventTs = saved.lastEventTs;
    }
    // Sequences published after the checkpoint were saved apart: the channels resume after them.
    this.publisher.restore(saved?.channelSeq);
  }

  /** Event time before which rows are pruned: the newest event time less the retention; null before any event. */
  private retentionCutoffTs(): number | null {
    return this.lastEventTs === null ? null : this.lastEventTs - this.retentionDays * DAY_MS;
  }

  /** Deletes one batch (PRUNE_BATCH_ROWS) of rows older than the retention, oldest first. */
  private pruneExpiredRows(): void {
    const cutoffTs = this.retentionCutoffTs();
    if (cutoffTs === null) return;
    this.storage.pruneLiquidations(cutoffTs, PRUNE_BATCH_ROWS);
  }

  /** The engine is created on the first call, when the object learns which symbol it is. */
  /**
   * The engine, created on the first call. A call naming another symbol than the object's own is
   * misrouted: refused, rather than mixing two markets in one engine.
   */
  private engineFor(symbol: string): SymbolEngine {
    if (this.symbol !== "" && symbol !== this.symbol) throw new Error(`this object holds ${this.symbol}, not ${symbol}`);
    if (!this.engine) {
      this.symbol = symbol;
      this.engine = new SymbolEngine(symbol);
    }
    return this.engine;
  }

  /** Applies one batch from the collector. Events at or below the source's last sequence are duplicates. */
  async ingest(symbol: string, batch: IngestRequest): Promise<IngestResult> {
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
    const events = batchEvents(batch);
    if (typeof events === "string") {
      // Nothing of a batch whose events cannot be read is applied: every sequence it names is counted rejected.
      const rejected = Array.isArray(batch.seqs) ? batch.seqs.length : 0;
      this.rejected += rejected;
      console.warn(`${symbol}: refused a batch from ${batch.source}: ${events}`);
      return { accepted: 0, duplicates: 0, rejected, cycles: 0, durableSeq: source.durableSeq };
    }
    const fresh: CanonicalEvent[] = [];
    const freshSeqs: number[] = [];
    let duplicates = 0;
    let rejected = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
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
    if (liquidations.length > 0) updates.push(this.publisher.liquidationUpdate(this.symbol, liquidations, engine));
    if (snapshots.length > 0) {
      const latest = snapshots[snapshots.length - 1];
      updates.push(...this.publisher.cycleUpdates(this.symbol, latest, engine));
      this.pruneExpiredRows();
      this.checkpoint();
      this.reportQuietly(latest);
    } else if (batch.history === true && fresh.length > 0) {
      // History computes no cycle: saved now, or an eviction before the next cycle would lose it
      // (the collector does not send a day twice).
      this.checkpoint();
    }
    if (updates.length > 0) this.publisher.publish(updates);
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
    if (this.symbol !== "" && symbol !== this.symbol) return { applied: [], rejected: [`symbol must be ${this.symbol} (got ${JSON.stringify(symbol)})`], repriced: [] };
    const result = this.engineFor(symbol).setBracketTables(tables);
    if (result.applied.length > 0) this.checkpoint();
    return result;
  }

  private storeLiquidations(source: string, events: CanonicalEvent[], seqs: number[]): StoredLiquidation[] {
    const stored: StoredLiquidation[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (e.kind !== "liquidation") continue;
      this.storage.insertLiquidation(source, seqs[i], e);
      stored.push(toStored(e));
      if (this.unreported.length < MAX_UNREPORTED) this.unreported.push({ ...toStored(e), source, seq: seqs[i] });
    }
    return stored;
  }

  private checkpoint(): void {
    for (const source of Object.values(this.sources)) source.durableSeq = source.lastSeq;
    this.storage.saveEngineParts(this.engine);
    const state: PersistedState = {
      symbol: this.symbol,
      engine: this.engine.toJSON({ realizedRecords: false, bars: false, learning: false }),
      sources: this.sources,
      rejected: this.rejected,
      lastEventTs: this.lastEventTs,
      channelSeq: this.publisher.seqs,
    };
    this.storage.writeKv("state", state);
  }

  /** A relay shard states which channel kinds of this symbol its sockets want (empty: none). */
  async setRelayInterest(relay: string, kinds: ChannelKind[]): Promise<void> {
    this.publisher.setRelayInterest(relay, kinds);
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

  /** What a new subscriber of `channel` receives first (null: nothing yet). */
  async channelSnapshot(kind: ChannelKind): Promise<ChannelUpdate | null> {
    if (!this.engine) return null;
    return this.publisher.channelSnapshot(this.symbol, kind, this.engine, () => liquidationPage(this.ctx.storage.sql, { limit: 50 }).liquidations);
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
    return this.engine ? aggregateCandles(this.engine.barRows(), this.engine.barsHeadMinute(), tf, limit, this.engine.derivativeRows()) : null;
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
    return { ...liquidationPage(this.ctx.storage.sql, { sinceTs, after, limit }), stored: this.storage.liquidationsStored };
  }

  async health(): Promise<SymbolHealth> {
    const stored = this.storage.liquidationsStored;
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
      liquidationRetention: { days: this.retentionDays, cutoffTs: this.retentionCutoffTs(), pruned: this.storage.liquidationsPruned },
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
        this.publisher.publish(this.publisher.cycleUpdates(this.symbol, snapshots[snapshots.length - 1], this.engine));
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

