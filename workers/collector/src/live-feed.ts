/**
 * The live feed of one venue, held by the CollectorObject named `live:<venue>` (glue).
 *
 * - Connections: the venue's topics for the configured symbols, sharded by
 *   `maxTopicsPerConnection` and routed by endpoint (`shard-plan.ts`), one `VenueSocket` each
 *   (keepalive, stale recycling, reconnect with backoff, resubscribe on every open).
 * - Frames are parsed as recording lines (so a capture replays through the same path), mapped
 *   by the venue's mapper, de-duplicated by content (`stream-seq.ts`), and for venues whose book
 *   is synced against a REST snapshot, checked against the depth chain (`depth-sync.ts`):
 *   snapshots are fetched after a (re)connect once a delta is buffered, and again on a gap.
 * - REST polls (open interest, insurance funds) are spread over their period (`rest-schedule.ts`,
 *   `rest-poll.ts`); insurance polls run every `INSURANCE_POLL_SECONDS` (default 60).
 * - Maintenance-margin tiers (Bybit per instrument, OKX per family; src/exchanges/brackets-live.ts)
 *   are fetched at start (spread over a minute) and every `BRACKETS_POLL_SECONDS` (default 3600),
 *   and handed to each symbol's SymbolObject (`setBrackets`). A failure is counted on the REST
 *   stream (`brackets: …`) and retried at the next period; the table in force stays meanwhile.
 *   OKX caps are priced at the last trade or mark price the feed saw for the symbol, so an OKX
 *   request waits until there is one.
 * - Events go to the SymbolObjects in per-symbol batches (≤ 100 ms or ≤ 500 events, one RPC
 *   per batch, in order, retried a bounded number of times) under the source `<venue>:live`,
 *   whose sequence numbers survive restarts (`SeqAllocator`).
 * - Warm start and gap refill of one-minute bars (`backfill.ts`): at start each symbol's live
 *   batches are held until the last 24 h of its bars are sent as history under `<venue>:backfill`
 *   (own persisted sequence); a connection back after more than 60 s down refills the minutes
 *   its symbols missed whole.
 * - Optional raw capture of every frame and REST response to R2 (`raw-capture.ts`).
 */
import type { CanonicalEvent, Venue } from "../../../src/domain/events.js";
import { SYMBOLS } from "../../../src/domain/symbols.js";
import type { BracketTable } from "../../../src/domain/liquidation/brackets.js";
import { liveBracketSource, type LiveBracketSource } from "../../../src/exchanges/brackets-live.js";
import { tryGetConnectionSpec, type LiveConnectionSpec } from "../../../src/exchanges/connections.js";
import { parseRecordingLine } from "../../../src/exchanges/recording.js";
import { getMapper } from "../../../src/exchanges/registry.js";
import type { ExchangeMapper, MapResult } from "../../../src/exchanges/types.js";
import type { IngestBatch, IngestResult } from "../../../src/protocol/ingest.js";
import { Backoff } from "./backoff.js";
import { BACKFILL_PACING, VenueBackfill } from "./backfill.js";
import { BookWatch } from "./book-watch.js";
import { MAX_BATCH_EVENTS, MAX_BATCH_WAIT_MS, SymbolBatcher } from "./batcher.js";
import { DepthSync } from "./depth-sync.js";
import type { LiveConfig } from "./live-config.js";
import {
  countEvent,
  countInto,
  liquidationCoverage,
  newStreamHealth,
  type BookSyncHealth,
  type LiveStreamHealth,
  type LiveVenueHealth,
  type RawCaptureHealth,
} from "./live-health.js";
import { frameLine, gzipLines, RawChunker, restLine, type RawChunk } from "./raw-capture.js";
import { BRACKETS_POLL_NAME, dueRequests, fetchAndMap, fetchBrackets, planBracketPolls, planPolls, type PlannedPoll } from "./rest-poll.js";
import type { PollSchedule } from "./rest-schedule.js";
import { planShards } from "./shard-plan.js";
import { EventDedupe, SeqAllocator, type DedupeWatermarks } from "./stream-seq.js";
import { VenueSocket } from "./venue-socket.js";

const TICK_MS = 1_000;
const CONNECT_SPACING_MS = 400;
const SEQ_KEY = "live:seq";
const BACKFILL_SEQ_KEY = "backfill:seq";
const DEDUPE_KEY = "live:dedupe";
/** After a restart, events older than the last ones sent before it are duplicates for this long. */
const RESTORED_DEDUPE_MS = 60_000;
const REST_TIMEOUT_MS = 15_000;
/** An OKX tier request waits this long for a first price of its symbol before looking again. */
const BRACKETS_PRICE_WAIT_MS = 10_000;
/** Snapshot requests in flight at once, venue-wide. */
const MAX_SNAPSHOTS_IN_FLIGHT = 4;
/** Bounded in-order retries of a failed batch RPC: 5 attempts over ~3 s. */
const BATCH_ATTEMPTS = 5;

export interface LiveFeedContext {
  storage: DurableObjectStorage;
  send(symbol: string, batch: IngestBatch): Promise<IngestResult>;
  /** Hands tables fetched live to the symbol's engine (`SymbolObject.setBrackets`). */
  setBrackets(symbol: string, tables: BracketTable[]): Promise<{ applied: string[]; rejected: string[] }>;
  rawBucket: R2Bucket | null;
}

interface SymbolRef {
  symbol: string;
  instrument: string;
}

interface SnapshotGate {
  backoff: Backoff;
  notBeforeMs: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class LiveFeed {
  readonly source: string;
  private status: LiveVenueHealth["status"] = "stopped";
  private reason: string | null = null;
  private error: string | null = null;
  private readonly spec: LiveConnectionSpec | undefined;
  private mapper: ExchangeMapper | null = null;
  private refs: SymbolRef[] = [];
  private sockets: VenueSocket[] = [];
  private readonly rest: LiveStreamHealth;
  private seq: SeqAllocator | null = null;
  private readonly dedupe = new EventDedupe();
  private readonly depth = new Map<string, DepthSync>();
  /** Per symbol: the collector seq after which its depth sync became synced. */
  private readonly syncedSinceSeq = new Map<string, number>();
  private readonly engineDesyncs = new Map<string, number>();
  private readonly snapshotGates = new Map<string, SnapshotGate>();
  private snapshotsInFlight = 0;
  /** Per symbol: the stream that last carried its book events. */
  private readonly bookStreamOf = new Map<string, string>();
  /** Venues that push snapshots: books the engine keeps reporting unsynced make their connection resubscribe. */
  private readonly bookWatch = new BookWatch();
  private polls: PlannedPoll[] = [];
  private readonly bracketSource: LiveBracketSource | undefined;
  private bracketSchedule: PollSchedule | null = null;
  /** Per symbol: the last trade or mark price seen (unified units, USD), for OKX's tier caps. */
  private readonly lastPrice = new Map<string, number>();
  private restPausedUntilMs = 0;
  private batcher: SymbolBatcher;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private raw: { chunker: RawChunker; stats: RawCaptureHealth; writing: Promise<void> } | null = null;
  private backfill: VenueBackfill | null = null;

  constructor(
    readonly venue: Venue,
    private readonly config: LiveConfig,
    private readonly ctx: LiveFeedContext,
  ) {
    this.source = `${venue}:live`;
    this.spec = tryGetConnectionSpec(venue);
    this.bracketSource = liveBracketSource(venue);
    this.rest = newStreamHealth("rest", this.restBase ?? "", 0);
    this.batcher = new SymbolBatcher(this.source, ctx.send, MAX_BATCH_EVENTS, MAX_BATCH_WAIT_MS, {
      attempts: BATCH_ATTEMPTS,
      delayMs: (attempt) => 100 * 2 ** (attempt - 2),
      sleep,
      onAcked: (symbol, batch, result) => this.reconcileBook(symbol, batch, result),
      onDropped: (symbol, batch) => this.lostBatch(symbol, batch),
    });
  }

  get running(): boolean {
    return this.status === "running" || this.status === "starting";
  }

  private get wsBase(): string | undefined {
    return this.config.urls[this.venue]?.ws ?? this.spec?.wsUrl;
  }

  private get restBase(): string | undefined {
    return this.config.urls[this.venue]?.rest ?? this.spec?.restUrl ?? undefined;
  }

  /** Starts the connections if they are not running. Idempotent. */
  async start(): Promise<void> {
    if (this.running) return;
    if (this.spec === undefined) {
      this.status = "unavailable";
      this.reason = `no live connection spec for ${this.venue} yet (src/exchanges/connections.ts)`;
      return;
    }
    try {
      this.mapper = getMapper(this.venue);
    } catch (err) {
      this.status = "unavailable";
      this.reason = `no mapper for ${this.venue}: ${String(err)}`;
      return;
    }
    this.status = "starting";
    this.reason = null;
    this.error = null;
    try {
      const ceiling = (await this.ctx.storage.get<number>(SEQ_KEY)) ?? null;
      this.seq = new SeqAllocator(ceiling);
      const watermarks = await this.ctx.storage.get<DedupeWatermarks>(DEDUPE_KEY);
      if (watermarks !== undefined) this.dedupe.restore(watermarks, Date.now() + RESTORED_DEDUPE_MS);
      this.refs = [];
      for (const symbol of this.config.symbols) {
        const instrument = SYMBOLS.instrument(this.venue, symbol);
        if (instrument === undefined) continue;
        this.refs.push({ symbol, instrument });
      }
      const backfill = (this.backfill = await this.newBackfill());
      const plans = planShards(this.spec, this.refs.map((r) => r.instrument), this.wsBase!);
      const hooks = {
        opened: (s: VenueSocket) => this.socketChanged(s),
        closed: (s: VenueSocket) => this.socketChanged(s),
        frame: (s: VenueSocket, text: string, recvMs: number) => this.onFrame(s, text, recvMs),
      };
      this.sockets = plans.map((p) => new VenueSocket(`${this.venue}:${p.key}`, p, this.spec!, hooks));
      const now = Date.now();
      const restBase = this.restBase;
      this.polls =
        restBase === undefined
          ? []
          : planPolls(this.spec, this.refs.map((r) => r.instrument), now, { insuranceEveryMs: this.config.insurancePollMs });
      this.bracketSchedule =
        restBase === undefined || this.bracketSource === undefined
          ? null
          : planBracketPolls(this.bracketSource, this.refs.map((r) => r.instrument), now, this.config.bracketsPollMs);
      if (this.config.rawCapture.enabled && this.ctx.rawBucket !== null) {
        this.raw = {
          chunker: new RawChunker({ venue: this.venue, maxChars: this.config.rawCapture.chunkChars, maxAgeMs: this.config.rawCapture.chunkMs }),
          stats: { enabled: true, bucket: "liqflow-raw", objects: 0, bytes: 0, lines: 0, pendingLines: 0, lastKey: null, skipped: 0, errors: 0, lastError: null },
          writing: Promise.resolve(),
        };
      }
      backfill.begin(now);
      // Connections open a little apart (OKX allows 3 connection requests per second per IP).
      this.sockets.forEach((s, i) => (i === 0 ? s.connect() : setTimeout(() => s.connect(), i * CONNECT_SPACING_MS)));
      this.tickTimer = setInterval(() => this.tick(), TICK_MS);
      this.status = "running";
    } catch (err) {
      this.status = "stopped";
      this.error = String(err instanceof Error ? (err.stack ?? err.message) : err);
      console.error(`live feed ${this.venue} failed to start:`, this.error);
    }
  }

  /** Closes every connection (for a mode change); the feed can be started again. */
  stop(reason: string): void {
    this.backfill?.stop();
    for (const s of this.sockets) s.stop();
    this.sockets = [];
    if (this.tickTimer !== null) clearInterval(this.tickTimer);
    this.tickTimer = null;
    this.status = "stopped";
    this.reason = reason;
  }

  // ---- frames and events -----------------------------------------------------------------

  private onFrame(socket: VenueSocket, text: string, recvMs: number): void {
    const stats = socket.stats;
    stats.messages++;
    stats.lastMessageMs = recvMs;
    this.capture(frameLine(recvMs, text), recvMs);
    const parsed = parseRecordingLine(text);
    if (parsed.type !== "message") {
      socket.touch(undefined, recvMs);
      // Some venues answer a keepalive with bare text (OKX: `pong`).
      if (this.spec!.isControl(text)) stats.control++;
      else if (parsed.type === "reject") countInto(stats.rejected, parsed.reason);
      else countInto(stats.ignored, parsed.reason);
      return;
    }
    socket.touch(this.spec!.topicOf?.(parsed.message, parsed.stream), recvMs);
    if (this.spec!.isControl(parsed.message)) {
      stats.control++;
      return;
    }
    let result: MapResult;
    try {
      result = this.mapper!.map(parsed.message, recvMs, parsed.stream === undefined ? undefined : { stream: parsed.stream });
    } catch (err) {
      // A mapper must not throw; if one does, the frame is rejected, never the socket loop.
      countInto(stats.rejected, `mapper threw: ${String(err)}`);
      return;
    }
    this.count(stats, result);
    for (const event of result.events) this.accept(stats, socket.name, event, recvMs);
  }

  private count(stats: LiveStreamHealth, result: MapResult): void {
    if (result.rejected !== undefined) countInto(stats.rejected, result.rejected);
    else if (result.ignored !== undefined) countInto(stats.ignored, result.ignored);
  }

  /** One mapped event: dedupe, depth chain, counters, sequence, batch. */
  private accept(stats: LiveStreamHealth, stream: string, event: CanonicalEvent, recvMs: number): void {
    if (this.dedupe.isDuplicate(event, recvMs)) {
      stats.duplicates[event.kind] = (stats.duplicates[event.kind] ?? 0) + 1;
      return;
    }
    let sync: DepthSync | undefined;
    let wasSynced = false;
    if (event.kind === "book") {
      if (this.spec!.depthSnapshotUrl !== undefined) {
        sync = this.depthSync(event.symbol);
        wasSynced = sync.isSynced;
        if (event.type === "delta") {
          if (sync.onDelta(event) === "duplicate") {
            stats.duplicates.book = (stats.duplicates.book ?? 0) + 1;
            return;
          }
          this.bookStreamOf.set(event.symbol, stream);
        } else {
          sync.onSnapshot(event);
        }
      } else {
        this.bookStreamOf.set(event.symbol, stream);
      }
    }
    this.backfill?.onEvent(stream, event, recvMs);
    countEvent(stats, event, recvMs);
    if (event.kind === "trade") this.lastPrice.set(event.symbol, event.price);
    else if (event.kind === "mark") this.lastPrice.set(event.symbol, event.markPrice);
    const { seq, persistCeiling } = this.seq!.next();
    // The output gate holds the batch carrying `seq` until this write is durable.
    if (persistCeiling !== undefined) void this.ctx.storage.put(SEQ_KEY, persistCeiling);
    if (sync !== undefined) {
      if (!wasSynced && sync.isSynced) this.syncedSinceSeq.set(event.symbol, seq);
      if (sync.wantsSnapshot()) queueMicrotask(() => this.fetchSnapshots());
    }
    const full = this.batcher.add(event, seq, Date.now());
    if (full) {
      this.persistDedupe();
      full.catch(() => undefined);
    } else this.scheduleFlush();
  }

  /**
   * Persists the dedupe watermarks before a batch leaves: the output gate holds the RPC until
   * the write is durable, so a restarted collector knows everything the engine may have.
   */
  private persistDedupe(): void {
    if (this.dedupe.dirty) void this.ctx.storage.put(DEDUPE_KEY, this.dedupe.watermarks());
  }

  private depthSync(symbol: string): DepthSync {
    let sync = this.depth.get(symbol);
    if (!sync) this.depth.set(symbol, (sync = new DepthSync()));
    return sync;
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.persistDedupe();
      this.batcher.flush(Date.now(), { force: true }).catch(() => undefined);
    }, MAX_BATCH_WAIT_MS);
  }

  /** A connection opened or went down: the books it carried must be rebuilt from a new snapshot. */
  private socketChanged(socket: VenueSocket): void {
    if (socket.isOpen) this.backfill?.onSocketOpened(socket.name, socket.stats);
    const symbols: string[] = [];
    for (const [symbol, stream] of this.bookStreamOf) {
      if (stream !== socket.name) continue;
      this.depth.get(symbol)?.invalidate();
      symbols.push(symbol);
    }
    this.bookWatch.reset(symbols);
  }

  // ---- engine feedback -------------------------------------------------------------------

  /**
   * The engine reports the books it holds unsynced after each batch. For a REST-snapshot venue,
   * a book the collector had synced before this batch's events means the two diverged (the
   * object restarted from an older checkpoint, or lost a batch): resync from a new snapshot.
   * For a venue that pushes its snapshots, a book unsynced for a while makes its connection
   * resubscribe, which brings a new snapshot.
   */
  private reconcileBook(symbol: string, batch: IngestBatch, result: IngestResult): void {
    const unsynced = result.unsyncedBooks?.includes(this.venue) ?? false;
    if (this.spec?.depthSnapshotUrl !== undefined) {
      const sync = this.depth.get(symbol);
      const since = this.syncedSinceSeq.get(symbol);
      const lastSeq = batch.seqs.length > 0 ? batch.seqs[batch.seqs.length - 1] : undefined;
      if (unsynced && sync?.isSynced && since !== undefined && lastSeq !== undefined && lastSeq >= since) {
        this.engineDesyncs.set(symbol, (this.engineDesyncs.get(symbol) ?? 0) + 1);
        sync.invalidate();
      }
      return;
    }
    const stream = this.bookStreamOf.get(symbol);
    const socket = this.sockets.find((s) => s.name === stream);
    if (socket === undefined || !socket.isOpen) return;
    if (!this.bookWatch.report(symbol, socket.name, unsynced, Date.now())) return;
    socket.stats.bookResubscribes++;
    socket.recycle(`book of ${symbol} unsynced at the engine`);
  }

  /** A batch was given up: the engine missed its events; a book it fed must be rebuilt. */
  private lostBatch(symbol: string, batch: IngestBatch): void {
    if (batch.events.some((e) => e.kind === "book")) this.depth.get(symbol)?.invalidate();
  }

  // ---- REST ------------------------------------------------------------------------------

  private tick(): void {
    const now = Date.now();
    for (const s of this.sockets) {
      s.checkStale(now);
      s.ensure(now);
    }
    this.fetchSnapshots();
    this.backfill?.tick(now);
    if (now >= this.restPausedUntilMs) {
      for (const { name, url } of dueRequests(this.polls, this.restBase!, now)) void this.restRequest(url, name);
      const brackets = this.bracketSchedule;
      if (brackets !== null) for (const target of brackets.due(now)) this.bracketRequest(brackets, target, now);
    }
    const raw = this.raw;
    if (raw !== null) {
      const chunk = raw.chunker.due(now);
      if (chunk !== null) this.store(chunk);
      raw.stats.pendingLines = raw.chunker.pending.lines;
    }
  }

  private fetchSnapshots(): void {
    const makeUrl = this.spec?.depthSnapshotUrl;
    const restBase = this.restBase;
    if (makeUrl === undefined || restBase === undefined) return;
    const now = Date.now();
    if (now < this.restPausedUntilMs) return;
    for (const [symbol, sync] of this.depth) {
      if (this.snapshotsInFlight >= MAX_SNAPSHOTS_IN_FLIGHT) return;
      if (!sync.wantsSnapshot()) continue;
      const gate = this.snapshotGate(symbol);
      if (now < gate.notBeforeMs) continue;
      const instrument = SYMBOLS.instrument(this.venue, symbol);
      if (instrument === undefined) continue;
      sync.inFlight = true;
      this.snapshotsInFlight++;
      // Never more than one snapshot per symbol per second, even when each one is unusable.
      gate.notBeforeMs = now + 1_000;
      void this.restRequest(makeUrl(restBase, instrument), "depth").then((ok) => {
        sync.inFlight = false;
        this.snapshotsInFlight--;
        if (ok) gate.backoff.connected(Date.now());
        else gate.notBeforeMs = Date.now() + gate.backoff.nextDelayMs(Date.now());
        if (sync.wantsSnapshot()) this.fetchSnapshots();
      });
    }
  }

  private snapshotGate(symbol: string): SnapshotGate {
    let gate = this.snapshotGates.get(symbol);
    if (!gate) this.snapshotGates.set(symbol, (gate = { backoff: new Backoff({ baseMs: 1_000, capMs: 30_000, healthyAfterMs: 0 }), notBeforeMs: 0 }));
    return gate;
  }

  /** GETs `url`, maps the response (the url gives the mapper the symbol or the endpoint) and accepts its events. True on success. */
  private async restRequest(url: string, name: string): Promise<boolean> {
    const stats = this.rest;
    stats.requests++;
    const out = await fetchAndMap(url, this.mapper!, { timeoutMs: REST_TIMEOUT_MS });
    if (out.kind === "failed") {
      if (out.pauseUntilMs !== undefined) this.pauseRest(out.pauseUntilMs);
      stats.connected = false;
      countInto(stats.failures, `${name}: ${out.error}`);
      stats.lastError = `${name}: ${out.error}`;
      return false;
    }
    stats.messages++;
    stats.lastMessageMs = out.recvMs;
    stats.connected = true;
    this.capture(restLine(url, out.recvMs, out.body), out.recvMs);
    if (out.kind === "not-json") {
      countInto(stats.rejected, `${name}: response is not JSON`);
      return false;
    }
    this.count(stats, out.result);
    for (const event of out.result.events) this.accept(stats, `${this.venue}:rest`, event, out.recvMs);
    return out.result.events.length > 0;
  }

  /** One target's tiers: fetched, parsed, handed to the engine; failures counted on the REST stream. */
  private bracketRequest(schedule: PollSchedule, target: string, now: number): void {
    const source = this.bracketSource!;
    if (source.needsReferencePrice) {
      const symbol = source.symbolOf(target);
      if (symbol === undefined || !this.lastPrice.has(symbol)) {
        schedule.retryAt(target, now + BRACKETS_PRICE_WAIT_MS);
        return;
      }
    }
    void this.fetchBracketTables(target);
  }

  private async fetchBracketTables(target: string): Promise<void> {
    const stats = this.rest;
    const source = this.bracketSource!;
    stats.requests++;
    const out = await fetchBrackets(source, this.restBase!, target, { timeoutMs: REST_TIMEOUT_MS, referencePriceUsd: (symbol) => this.lastPrice.get(symbol) });
    if (out.kind === "failed") {
      if (out.pauseUntilMs !== undefined) this.pauseRest(out.pauseUntilMs);
      stats.connected = false;
      countInto(stats.failures, `${BRACKETS_POLL_NAME}: ${out.error}`);
      stats.lastError = `${BRACKETS_POLL_NAME}: ${out.error}`;
      return;
    }
    stats.messages++;
    stats.lastMessageMs = out.recvMs;
    stats.connected = true;
    this.capture(restLine(source.url(this.restBase!, target), out.recvMs, out.body), out.recvMs);
    if (out.kind === "not-json") {
      countInto(stats.rejected, `${BRACKETS_POLL_NAME}: response is not JSON`);
      return;
    }
    const result = out.result;
    if ("rejected" in result) {
      countInto(stats.rejected, `${BRACKETS_POLL_NAME}: ${result.rejected}`);
      stats.lastError = `${BRACKETS_POLL_NAME} ${target}: ${result.rejected}`;
      return;
    }
    for (const reason of result.skipped) countInto(stats.ignored, `${BRACKETS_POLL_NAME}: ${reason}`);
    for (const table of result.tables) {
      try {
        const applied = await this.ctx.setBrackets(table.symbol, [table]);
        for (const reason of applied.rejected) countInto(stats.rejected, `${BRACKETS_POLL_NAME}: engine refused ${table.symbol}: ${reason}`);
      } catch (err) {
        countInto(stats.failures, `${BRACKETS_POLL_NAME}: setBrackets failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** HTTP 429/418: the feed's requests and the backfill's share the IP's budget, both wait. */
  private pauseRest(untilMs: number): void {
    this.restPausedUntilMs = Math.max(this.restPausedUntilMs, untilMs);
    this.backfill?.pauseUntil(untilMs);
  }

  /** The venue's backfill: its own source and persisted sequence, the live batches held through it. */
  private async newBackfill(): Promise<VenueBackfill> {
    const seq = new SeqAllocator((await this.ctx.storage.get<number>(BACKFILL_SEQ_KEY)) ?? null);
    return new VenueBackfill({
      venue: this.venue,
      symbols: this.refs,
      restUrl: this.restBase,
      pacing: BACKFILL_PACING[this.venue],
      fetch: (input, init) => fetch(input, init),
      now: Date.now,
      sleep,
      send: this.ctx.send,
      nextSeq: () => {
        const next = seq.next();
        // The output gate holds the batch carrying it until this write is durable.
        if (next.persistCeiling !== undefined) void this.ctx.storage.put(BACKFILL_SEQ_KEY, next.persistCeiling);
        return next.seq;
      },
      hold: (symbol) => this.batcher.hold(symbol),
      release: (symbol) => {
        this.persistDedupe();
        this.batcher.release(symbol).catch(() => undefined);
      },
      capture: (url, recvMs, body) => this.capture(restLine(url, recvMs, body), recvMs),
      onRateLimited: (untilMs) => (this.restPausedUntilMs = Math.max(this.restPausedUntilMs, untilMs)),
    });
  }

  // ---- raw capture -----------------------------------------------------------------------

  private capture(line: string | null, recvMs: number): void {
    const raw = this.raw;
    if (raw === null) return;
    if (line === null) {
      raw.stats.skipped++;
      return;
    }
    raw.stats.lines++;
    const chunk = raw.chunker.add(line, recvMs);
    if (chunk !== null) this.store(chunk);
  }

  /** Writes a chunk gzipped, after the previous one (so objects appear in order). */
  private store(chunk: RawChunk): void {
    const raw = this.raw;
    const bucket = this.ctx.rawBucket;
    if (raw === null || bucket === null) return;
    raw.writing = raw.writing.then(async () => {
      try {
        const bytes = await gzipLines(chunk.lines);
        await bucket.put(chunk.key, bytes, {
          httpMetadata: { contentType: "text/plain; charset=utf-8" },
          customMetadata: {
            venue: this.venue,
            lines: String(chunk.lines.length),
            firstRecvMs: String(chunk.firstRecvMs),
            lastRecvMs: String(chunk.lastRecvMs),
            format: "recording lines (npm run normalize)",
          },
        });
        raw.stats.objects++;
        raw.stats.bytes += bytes.length;
        raw.stats.lastKey = chunk.key;
      } catch (err) {
        raw.stats.errors++;
        raw.stats.lastError = String(err);
      }
    });
  }

  // ---- health ----------------------------------------------------------------------------

  health(): LiveVenueHealth {
    const streams: Record<string, LiveStreamHealth> = {};
    const tracked = this.spec?.depthSnapshotUrl !== undefined ? 0 : null;
    for (const s of this.sockets) streams[s.name] = { ...s.stats, gaps: tracked, resyncs: tracked, snapshots: tracked };
    const usesRest = this.spec?.depthSnapshotUrl !== undefined || (this.spec?.polls?.length ?? 0) > 0 || this.bracketSource !== undefined;
    if (usesRest) streams[`${this.venue}:rest`] = { ...this.rest, url: this.restBase ?? "", gaps: null, resyncs: null, snapshots: null };
    const books: Record<string, BookSyncHealth> = {};
    for (const [symbol, sync] of this.depth) {
      const stream = this.bookStreamOf.get(symbol) ?? null;
      books[symbol] = {
        ...sync.counters,
        synced: sync.isSynced,
        stream,
        lastSeq: sync.lastSeq,
        buffered: sync.bufferedDeltas,
        snapshotInFlight: sync.inFlight,
        engineDesyncs: this.engineDesyncs.get(symbol) ?? 0,
      };
      const s = stream === null ? undefined : streams[stream];
      if (s) {
        s.gaps = (s.gaps ?? 0) + sync.counters.gaps;
        s.resyncs = (s.resyncs ?? 0) + sync.counters.resyncs;
        s.snapshots = (s.snapshots ?? 0) + sync.counters.snapshots;
      }
    }
    return {
      mode: "live",
      venue: this.venue,
      status: this.status,
      reason: this.reason,
      source: this.spec === undefined ? null : this.source,
      liquidations: this.spec === undefined ? null : liquidationCoverage(this.spec.liquidationSampling),
      symbols: this.refs.map((r) => r.symbol),
      streams,
      books,
      batches: { ...this.batcher.stats, queued: this.batcher.queued, inFlight: this.batcher.batchesInFlight },
      nextSeq: this.seq?.peek ?? null,
      rawCapture: this.raw === null ? { enabled: false } : { ...this.raw.stats, pendingLines: this.raw.chunker.pending.lines },
      backfill: this.backfill?.health() ?? null,
      error: this.error,
    };
  }
}
