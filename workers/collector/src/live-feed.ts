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
 *
 * This class is the glue. Its parts: `live-frames.ts` (reading a frame), `live-books.ts` (book
 * sync), `live-rest.ts` (REST stream and polls), `live-brackets.ts` (tier polls),
 * `live-capture.ts` (raw capture), `backfill.ts`, `venue-socket.ts`, and the health assembly in
 * `live-health.ts`. What lives as long as the feed (the batcher, the dedupe, the books, the REST
 * counters) is built with it; what needs the venue's mapper, the stored sequence or the symbols
 * is built at each start as one `LiveRun`, so no part is ever "maybe there".
 */
import type { CanonicalEvent, Venue } from "@liqflow/engine/domain/events.js";
import { SYMBOLS } from "@liqflow/engine/domain/symbols.js";
import type { BracketTable } from "@liqflow/engine/domain/liquidation/brackets.js";
import { liveBracketSource, type LiveBracketSource } from "@liqflow/engine/exchanges/brackets-live.js";
import type { LiveConnectionSpec } from "@liqflow/engine/exchanges/connection-spec.js";
import { tryGetConnectionSpec } from "@liqflow/engine/exchanges/connections.js";
import { getMapper } from "@liqflow/engine/exchanges/registry.js";
import type { ExchangeMapper } from "@liqflow/engine/exchanges/types.js";
import type { IngestBatch, IngestResult } from "@liqflow/engine/protocol/ingest.js";
import { BACKFILL_PACING, VenueBackfill, type BackfillSymbol } from "./backfill.js";
import { MAX_BATCH_EVENTS, MAX_BATCH_WAIT_MS, SymbolBatcher } from "./batcher.js";
import { LiveBooks, type BookReceipt } from "./live-books.js";
import { LiveBrackets } from "./live-brackets.js";
import { LiveCapture } from "./live-capture.js";
import type { LiveConfig } from "./live-config.js";
import { readFrame } from "./live-frames.js";
import { countEvent, liquidationCoverage, streamsHealth, type LiveStreamHealth, type LiveVenueHealth } from "./live-health.js";
import { LiveRest, RestStream } from "./live-rest.js";
import { frameLine, restLine } from "./raw-capture.js";
import { planBracketPolls, planPolls } from "./rest-poll.js";
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
/** Bounded in-order retries of a failed batch RPC: 5 attempts over ~3 s. */
const BATCH_ATTEMPTS = 5;

/** What the CollectorObject gives its live feed: storage, the engine's RPCs, the capture bucket. */
export interface LiveFeedContext {
  storage: DurableObjectStorage;
  send(symbol: string, batch: IngestBatch): Promise<IngestResult>;
  /** Hands tables fetched live to the symbol's engine (`SymbolObject.setBrackets`). */
  setBrackets(symbol: string, tables: BracketTable[]): Promise<{ applied: string[]; rejected: string[] }>;
  rawBucket: R2Bucket | null;
}

/** What one start of the feed built: every part that needs the mapper, the stored sequence or the symbols. */
interface LiveRun {
  readonly spec: LiveConnectionSpec;
  readonly mapper: ExchangeMapper;
  readonly seq: SeqAllocator;
  readonly refs: readonly BackfillSymbol[];
  /** Emptied by `stop`. */
  sockets: VenueSocket[];
  readonly rest: LiveRest;
  readonly brackets: LiveBrackets | null;
  readonly capture: LiveCapture | null;
  readonly backfill: VenueBackfill;
  tickTimer: ReturnType<typeof setInterval> | null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The live feed of one venue: `start`, `stop`, `health`. */
export class LiveFeed {
  readonly source: string;
  private status: LiveVenueHealth["status"] = "stopped";
  private reason: string | null = null;
  private error: string | null = null;
  private readonly spec: LiveConnectionSpec | undefined;
  private readonly bracketSource: LiveBracketSource | undefined;
  private readonly restBase: string | undefined;
  private readonly dedupe = new EventDedupe();
  private readonly books: LiveBooks;
  private readonly restStream: RestStream;
  /** Per symbol: the last trade or mark price seen (unified units, USD), for OKX's tier caps. */
  private readonly lastPrice = new Map<string, number>();
  private readonly batcher: SymbolBatcher;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** The parts of the current (or last) start; null before the first. */
  private run: LiveRun | null = null;

  constructor(
    readonly venue: Venue,
    private readonly config: LiveConfig,
    private readonly ctx: LiveFeedContext,
  ) {
    this.source = `${venue}:live`;
    this.spec = tryGetConnectionSpec(venue);
    this.bracketSource = liveBracketSource(venue);
    this.restBase = config.urls[venue]?.rest ?? this.spec?.restUrl ?? undefined;
    this.restStream = new RestStream(this.restBase ?? "");
    this.books = new LiveBooks({
      venue,
      ...(this.spec?.depthSnapshotUrl && { depthSnapshotUrl: this.spec.depthSnapshotUrl }),
      ...(this.restBase !== undefined && { restBase: this.restBase }),
    });
    this.batcher = new SymbolBatcher(this.source, ctx.send, MAX_BATCH_EVENTS, MAX_BATCH_WAIT_MS, {
      attempts: BATCH_ATTEMPTS,
      delayMs: (attempt) => 100 * 2 ** (attempt - 2),
      sleep,
      onAcked: (symbol, batch, result) => this.reconcileBook(symbol, batch, result),
      onDropped: (symbol, batch) => this.books.lostBatch(symbol, batch),
    });
  }

  get running(): boolean {
    return this.status === "running" || this.status === "starting";
  }

  /** Starts the connections if they are not running. Idempotent. */
  async start(): Promise<void> {
    if (this.running) return;
    const spec = this.spec;
    if (spec === undefined) {
      this.status = "unavailable";
      this.reason = `no live connection spec for ${this.venue} yet (src/exchanges/connections.ts)`;
      return;
    }
    let mapper: ExchangeMapper;
    try {
      mapper = getMapper(this.venue);
    } catch (err) {
      this.status = "unavailable";
      this.reason = `no mapper for ${this.venue}: ${String(err)}`;
      return;
    }
    this.status = "starting";
    this.reason = null;
    this.error = null;
    try {
      const run = (this.run = await this.build(spec, mapper));
      // Connections open a little apart (OKX allows 3 connection requests per second per IP).
      run.sockets.forEach((s, i) => (i === 0 ? s.connect() : setTimeout(() => s.connect(), i * CONNECT_SPACING_MS)));
      run.tickTimer = setInterval(() => this.tick(run), TICK_MS);
      this.status = "running";
    } catch (err) {
      this.status = "stopped";
      this.error = String(err instanceof Error ? (err.stack ?? err.message) : err);
      console.error(`live feed ${this.venue} failed to start:`, this.error);
    }
  }

  /** Closes every connection (for a mode change); the feed can be started again. */
  stop(reason: string): void {
    const run = this.run;
    if (run !== null) {
      run.backfill.stop();
      for (const s of run.sockets) s.stop();
      run.sockets = [];
      if (run.tickTimer !== null) clearInterval(run.tickTimer);
      run.tickTimer = null;
    }
    this.status = "stopped";
    this.reason = reason;
  }

  /** Builds one start's parts: sequence and dedupe restored, symbols resolved, sockets, polls, capture, backfill begun. */
  private async build(spec: LiveConnectionSpec, mapper: ExchangeMapper): Promise<LiveRun> {
    const ceiling = (await this.ctx.storage.get<number>(SEQ_KEY)) ?? null;
    const seq = new SeqAllocator(ceiling);
    const watermarks = await this.ctx.storage.get<DedupeWatermarks>(DEDUPE_KEY);
    if (watermarks !== undefined) this.dedupe.restore(watermarks, Date.now() + RESTORED_DEDUPE_MS);
    const refs: BackfillSymbol[] = [];
    for (const symbol of this.config.symbols) {
      const instrument = SYMBOLS.instrument(this.venue, symbol);
      if (instrument === undefined) continue;
      refs.push({ symbol, instrument });
    }
    const instruments = refs.map((r) => r.instrument);
    const capture =
      this.config.rawCapture.enabled && this.ctx.rawBucket !== null
        ? new LiveCapture(this.ctx.rawBucket, { venue: this.venue, chunkChars: this.config.rawCapture.chunkChars, chunkMs: this.config.rawCapture.chunkMs })
        : null;
    const captureLine = (line: string | null, recvMs: number) => capture?.add(line, recvMs);
    const backfill = await this.newBackfill(refs, captureLine);
    const now = Date.now();
    const restBase = this.restBase;
    const rest = new LiveRest({
      venue: this.venue,
      restBase,
      mapper,
      stream: this.restStream,
      polls: restBase === undefined ? [] : planPolls(spec, instruments, now, { insuranceEveryMs: this.config.insurancePollMs }),
      capture: captureLine,
      accept: (stats, stream, event, recvMs) => this.accept(run, stats, stream, event, recvMs),
      onPause: (untilMs) => backfill.pauseUntil(untilMs),
    });
    const source = this.bracketSource;
    const brackets =
      restBase === undefined || source === undefined
        ? null
        : new LiveBrackets({
            source,
            restBase,
            schedule: planBracketPolls(source, instruments, now, this.config.bracketsPollMs),
            stream: this.restStream,
            pause: (untilMs) => rest.pause(untilMs),
            capture: captureLine,
            setBrackets: this.ctx.setBrackets,
            priceOf: (symbol) => this.lastPrice.get(symbol),
          });
    const hooks = {
      opened: (s: VenueSocket) => this.socketChanged(run, s),
      closed: (s: VenueSocket) => this.socketChanged(run, s),
      frame: (s: VenueSocket, text: string, recvMs: number) => this.onFrame(run, s, text, recvMs),
    };
    const wsBase = this.config.urls[this.venue]?.ws ?? spec.wsUrl;
    const sockets = planShards(spec, instruments, wsBase).map((p) => new VenueSocket(`${this.venue}:${p.key}`, p, spec, hooks));
    const run: LiveRun = { spec, mapper, seq, refs, sockets, rest, brackets, capture, backfill, tickTimer: null };
    backfill.begin(now);
    return run;
  }

  // ---- frames and events -----------------------------------------------------------------

  /** A frame: captured, read (`live-frames.ts`), its topic kept alive, its events accepted. */
  private onFrame(run: LiveRun, socket: VenueSocket, text: string, recvMs: number): void {
    run.capture?.add(frameLine(recvMs, text), recvMs);
    const { topic, events } = readFrame(run.spec, run.mapper, socket.stats, text, recvMs);
    socket.touch(topic, recvMs);
    for (const event of events) this.accept(run, socket.stats, socket.name, event, recvMs);
  }

  /** One mapped event: dedupe, book sync, counters, sequence, batch. */
  private accept(run: LiveRun, stats: LiveStreamHealth, stream: string, event: CanonicalEvent, recvMs: number): void {
    if (this.dedupe.isDuplicate(event, recvMs)) {
      stats.duplicates[event.kind] = (stats.duplicates[event.kind] ?? 0) + 1;
      return;
    }
    let receipt: BookReceipt | null = null;
    if (event.kind === "book") {
      const received = this.books.receive(event, stream);
      if (received === "duplicate") {
        stats.duplicates.book = (stats.duplicates.book ?? 0) + 1;
        return;
      }
      receipt = received;
    }
    run.backfill.onEvent(stream, event, recvMs);
    countEvent(stats, event, recvMs);
    if (event.kind === "trade") this.lastPrice.set(event.symbol, event.price);
    else if (event.kind === "mark") this.lastPrice.set(event.symbol, event.markPrice);
    const { seq, persistCeiling } = run.seq.next();
    // The output gate holds the batch carrying `seq` until this write is durable.
    if (persistCeiling !== undefined) void this.ctx.storage.put(SEQ_KEY, persistCeiling);
    if (receipt !== null && this.books.sequenced(receipt, seq)) queueMicrotask(() => this.fetchSnapshots(run));
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

  private scheduleFlush(): void {
    if (this.flushTimer !== null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.persistDedupe();
      this.batcher.flush(Date.now(), { force: true }).catch(() => undefined);
    }, MAX_BATCH_WAIT_MS);
  }

  /** A connection opened or went down: the books it carried must be rebuilt from a new snapshot. */
  private socketChanged(run: LiveRun, socket: VenueSocket): void {
    if (socket.isOpen) run.backfill.onSocketOpened(socket.name, socket.stats);
    this.books.streamChanged(socket.name);
  }

  // ---- engine feedback -------------------------------------------------------------------

  /** The engine's books after a batch (`LiveBooks.reconcile`): a connection whose book stays unsynced resubscribes. */
  private reconcileBook(symbol: string, batch: IngestBatch, result: IngestResult): void {
    const sockets = this.run?.sockets ?? [];
    const isOpen = (stream: string) => sockets.some((s) => s.name === stream && s.isOpen);
    const stream = this.books.reconcile(symbol, batch, result, Date.now(), isOpen);
    const socket = stream === null ? undefined : sockets.find((s) => s.name === stream);
    if (socket === undefined) return;
    socket.stats.bookResubscribes++;
    socket.recycle(`book of ${symbol} unsynced at the engine`);
  }

  // ---- REST ------------------------------------------------------------------------------

  private tick(run: LiveRun): void {
    const now = Date.now();
    for (const s of run.sockets) {
      s.checkStale(now);
      s.ensure(now);
    }
    this.fetchSnapshots(run);
    run.backfill.tick(now);
    if (!run.rest.isPaused(now)) {
      void run.rest.poll(now);
      if (run.brackets !== null) void run.brackets.poll(now);
    }
    run.capture?.tick(now);
  }

  /** Sends the depth snapshots the books want (`LiveBooks.takeSnapshotRequests`); an answer may want another. */
  private fetchSnapshots(run: LiveRun): void {
    const now = Date.now();
    if (run.rest.isPaused(now)) return;
    for (const { symbol, url } of this.books.takeSnapshotRequests(now)) {
      void run.rest.request(url, "depth").then((ok) => {
        if (this.books.snapshotDone(symbol, ok, Date.now())) this.fetchSnapshots(run);
      });
    }
  }

  /** The venue's backfill: its own source and persisted sequence, the live batches held through it. */
  private async newBackfill(refs: readonly BackfillSymbol[], capture: (line: string | null, recvMs: number) => void): Promise<VenueBackfill> {
    const seq = new SeqAllocator((await this.ctx.storage.get<number>(BACKFILL_SEQ_KEY)) ?? null);
    return new VenueBackfill({
      venue: this.venue,
      symbols: refs,
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
      capture: (url, recvMs, body) => capture(restLine(url, recvMs, body), recvMs),
      onRateLimited: (untilMs) => this.restStream.pauseUntil(untilMs),
    });
  }

  // ---- health ----------------------------------------------------------------------------

  health(): LiveVenueHealth {
    const run = this.run;
    const spec = this.spec;
    const usesRest = spec?.depthSnapshotUrl !== undefined || (spec?.polls?.length ?? 0) > 0 || this.bracketSource !== undefined;
    const books = this.books.health();
    const rest = usesRest ? { name: `${this.venue}:rest`, stats: this.restStream.stats, url: this.restBase ?? "" } : null;
    return {
      mode: "live",
      venue: this.venue,
      status: this.status,
      reason: this.reason,
      source: spec === undefined ? null : this.source,
      liquidations: spec === undefined ? null : liquidationCoverage(spec.liquidationSampling),
      symbols: run?.refs.map((r) => r.symbol) ?? [],
      streams: streamsHealth(run?.sockets ?? [], rest, this.books.restSnapshots, books),
      books,
      batches: { ...this.batcher.stats, queued: this.batcher.queued, inFlight: this.batcher.batchesInFlight },
      nextSeq: run?.seq.peek ?? null,
      rawCapture: run?.capture?.health() ?? { enabled: false },
      backfill: run?.backfill.health() ?? null,
      error: this.error,
    };
  }
}
