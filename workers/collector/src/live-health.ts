/**
 * What the live feed reports in `/v1/health`, per venue and per stream (one WebSocket
 * connection, or the venue's REST requests). Counters only grow; `connected`, `lag` and the
 * book states are current values. Pure.
 */
import type { CanonicalEvent, LiquidationSampling } from "@liqflow/engine/domain/events.js";
import { countReason } from "@liqflow/engine/replay/source.js";
import type { BatcherStats } from "./batcher.js";
import type { DepthSyncCounters } from "./depth-sync.js";

/** recv − event time, ms: how late events reach the collector (plus any clock skew). */
export interface LagStats {
  lastMs: number | null;
  /** Exponentially weighted mean (α = 0.05). */
  avgMs: number | null;
  maxMs: number | null;
}

export interface LiveStreamHealth {
  kind: "ws" | "rest";
  url: string;
  /** Topics subscribed on this connection (0 for REST). */
  topics: number;
  connected: boolean;
  connectedSinceMs: number | null;
  /** Connections established after the first one. */
  reconnects: number;
  /** Times an open connection went down (closed by the venue, error, or recycled). */
  disconnects: number;
  /** Connection attempts that failed (refused, timed out, upgrade rejected). */
  connectFailures: number;
  /** Times a silent topic made the connection be recycled, and the topics that were silent. */
  stale: number;
  staleTopics: Record<string, number>;
  /** Connections recycled because the engine's book of a symbol on them stayed unsynced (venues that push snapshots on subscribe). */
  bookResubscribes: number;
  /** Frames received (WebSocket) or responses read (REST). */
  messages: number;
  /** Control frames: subscribe acknowledgements, pongs. */
  control: number;
  events: Record<string, number>;
  ignored: Record<string, number>;
  rejected: Record<string, number>;
  /** Events already seen (re-sent by the venue) and not forwarded, by kind. */
  duplicates: Record<string, number>;
  /**
   * Order book sync of the symbols whose depth this stream carries (summed), for venues whose
   * book the collector syncs against a REST snapshot (Binance); null for venues that push their
   * own snapshots (their book counters are the engine's, in `/v1/health` `engine.<symbol>.book`).
   */
  gaps: number | null;
  resyncs: number | null;
  snapshots: number | null;
  /** REST: requests sent and failures by reason. */
  requests: number;
  failures: Record<string, number>;
  lastMessageMs: number | null;
  lastEventTs: number | null;
  lag: LagStats;
  /** When the next connection attempt is due (epoch ms), null while connected. */
  nextAttemptMs: number | null;
  /** Why and when the connection last went down. */
  lastDisconnect: { reason: string; atMs: number } | null;
  /** The last connect failure (WebSocket) or request failure (REST). */
  lastError: string | null;
}

export interface BookSyncHealth extends DepthSyncCounters {
  synced: boolean;
  stream: string | null;
  lastSeq: number | null;
  buffered: number;
  snapshotInFlight: boolean;
  /** Times the engine reported this book unsynced while the collector thought it synced (a restarted object, a lost batch): resynced. */
  engineDesyncs: number;
}

export interface RawCaptureHealth {
  enabled: true;
  bucket: string;
  objects: number;
  /** Compressed bytes stored. */
  bytes: number;
  lines: number;
  pendingLines: number;
  lastKey: string | null;
  /** Frames that could not be written as one line (multi-line and not JSON). */
  skipped: number;
  errors: number;
  lastError: string | null;
}

/** Bars opening in `[fromMs, toMs)` (epoch ms, whole minutes). */
export interface MinuteSpan {
  fromMs: number;
  toMs: number;
}

/**
 * One backfill run of a venue (`backfill.ts`): the warm start (24 h of one-minute bars per
 * symbol, sent as history) or the refill of one gap (the minutes a connection down more than
 * 60 s missed, sent as ordinary late events).
 */
export interface BackfillRunHealth {
  kind: "start" | "gap";
  /**
   * `pending`: no request sent yet (waiting for a symbol's first event, or for the first trade
   * after the reconnect); `running`; `done`: every page answered and sent; `failed`: some page
   * could not be fetched or sent after its retries (the others were still sent).
   */
  state: "pending" | "running" | "done" | "failed";
  /** Symbols in the run, and those finished: every page sent, or some given up. */
  symbols: number;
  symbolsDone: number;
  symbolsFailed: number;
  /** The minutes asked for (the union over symbols), null before the first symbol is planned. */
  requested: MinuteSpan | null;
  /** The minutes the bars received cover: the oldest bar's open to the newest bar's open + 1 minute. */
  span: MinuteSpan | null;
  /** Pages planned (one request each when it succeeds at once), and pages given up. */
  pages: number;
  pagesFailed: number;
  /** HTTP requests sent, retries included, and the retries among them. */
  requests: number;
  retries: number;
  /** Closed bars received (within the span asked for), and the ones the SymbolObjects applied (not duplicates). */
  bars: number;
  accepted: number;
  /** Answers that held no bar, by reason (`kline-open`, `empty-batch`, …): not errors. */
  ignored: Record<string, number>;
  /** Failed attempts by reason (`HTTP 500`, `not JSON`, `venue error-response:10006`, `rejected: …`, `send failed`). */
  errors: Record<string, number>;
  lastError: string | null;
  /** For a gap: the stream that was down, for how long (wall ms), and the minutes refilled (null until known). */
  gap: { stream: string; downMs: number; fromMs: number | null; toMs: number | null } | null;
  startedMs: number | null;
  finishedMs: number | null;
}

/** A venue's backfill in `/v1/health`. */
export interface LiveBackfillHealth {
  /** Source name of the backfill batches at the SymbolObjects (`<venue>:backfill`). */
  source: string;
  /** Requests in flight at most, and the least spacing between two request starts. */
  pacing: { concurrency: number; paceMs: number };
  /** The warm start of this feed's life. */
  start: BackfillRunHealth;
  /** Gap refills run so far, and the last one. */
  gaps: number;
  lastGap: BackfillRunHealth | null;
  /** Symbols whose live events were released before their warm start was sent, and why (a bound of the hold). */
  releasedEarly: Record<string, string>;
  /** Live events held right now, waiting for their symbol's warm start. */
  held: number;
}

export interface LiveVenueHealth {
  mode: "live";
  venue: string;
  status: "starting" | "running" | "unavailable" | "stopped";
  /** Why the venue is unavailable or stopped. */
  reason: string | null;
  /** Source name of this venue's batches at the SymbolObjects. */
  source: string | null;
  /** How complete the venue's liquidation stream is, from its connection spec. */
  liquidations: LiquidationSampling | "no public liquidation stream" | null;
  symbols: string[];
  streams: Record<string, LiveStreamHealth>;
  books: Record<string, BookSyncHealth>;
  batches: (BatcherStats & { queued: number; inFlight: number }) | null;
  /** The next sequence number of `source`. */
  nextSeq: number | null;
  rawCapture: RawCaptureHealth | { enabled: false };
  /** The warm start and gap refills of one-minute bars; null before the feed starts. */
  backfill: LiveBackfillHealth | null;
  error: string | null;
}

/** Health of a venue feed that is not running (not started, or no connection spec): nothing counted yet. */
export function idleVenueHealth(venue: string, status: LiveVenueHealth["status"], reason: string): LiveVenueHealth {
  return {
    mode: "live",
    venue,
    status,
    reason,
    source: null,
    liquidations: null,
    symbols: [],
    streams: {},
    books: {},
    batches: null,
    nextSeq: null,
    rawCapture: { enabled: false },
    backfill: null,
    error: null,
  };
}

export function newStreamHealth(kind: "ws" | "rest", url: string, topics: number): LiveStreamHealth {
  return {
    kind,
    url,
    topics,
    connected: false,
    connectedSinceMs: null,
    reconnects: 0,
    disconnects: 0,
    connectFailures: 0,
    stale: 0,
    staleTopics: {},
    bookResubscribes: 0,
    messages: 0,
    control: 0,
    events: {},
    ignored: {},
    rejected: {},
    duplicates: {},
    gaps: 0,
    resyncs: 0,
    snapshots: 0,
    requests: 0,
    failures: {},
    lastMessageMs: null,
    lastEventTs: null,
    lag: { lastMs: null, avgMs: null, maxMs: null },
    nextAttemptMs: null,
    lastDisconnect: null,
    lastError: null,
  };
}

const LAG_ALPHA = 0.05;

/** Counts one forwarded event and its lag. */
export function countEvent(s: LiveStreamHealth, e: CanonicalEvent, recvMs: number): void {
  s.events[e.kind] = (s.events[e.kind] ?? 0) + 1;
  if (s.lastEventTs === null || e.ts > s.lastEventTs) s.lastEventTs = e.ts;
  const lag = recvMs - e.ts;
  s.lag.lastMs = lag;
  s.lag.avgMs = s.lag.avgMs === null ? lag : s.lag.avgMs + LAG_ALPHA * (lag - s.lag.avgMs);
  if (s.lag.maxMs === null || lag > s.lag.maxMs) s.lag.maxMs = lag;
}

/** Counts a reason in a bounded counter map (see `countReason`). */
export function countInto(counters: Record<string, number>, reason: string): void {
  countReason(counters, reason);
}

/** A connection's name and counters, as the health assembly reads them. */
export interface NamedStream {
  readonly name: string;
  readonly stats: LiveStreamHealth;
}

/**
 * A venue's `streams` in `/v1/health`: each connection (copied), then its REST stream when the
 * venue uses REST (`rest`, its url the REST base). When the feed syncs books against REST
 * snapshots (`booksTracked`), each book's gaps, resyncs and snapshots are summed onto the
 * connection that carries it; otherwise those counters are null (the engine's are the truth).
 */
export function streamsHealth(
  sockets: readonly NamedStream[],
  rest: (NamedStream & { url: string }) | null,
  booksTracked: boolean,
  books: Readonly<Record<string, BookSyncHealth>>,
): Record<string, LiveStreamHealth> {
  const streams: Record<string, LiveStreamHealth> = {};
  const tracked = booksTracked ? 0 : null;
  for (const s of sockets) streams[s.name] = { ...s.stats, gaps: tracked, resyncs: tracked, snapshots: tracked };
  if (rest !== null) streams[rest.name] = { ...rest.stats, url: rest.url, gaps: null, resyncs: null, snapshots: null };
  for (const book of Object.values(books)) {
    const s = book.stream === null ? undefined : streams[book.stream];
    if (!s) continue;
    s.gaps = (s.gaps ?? 0) + book.gaps;
    s.resyncs = (s.resyncs ?? 0) + book.resyncs;
    s.snapshots = (s.snapshots ?? 0) + book.snapshots;
  }
  return streams;
}

/** The venue's liquidation completeness as /v1/health states it. */
export function liquidationCoverage(sampling: LiquidationSampling | null): LiveVenueHealth["liquidations"] {
  return sampling === null ? "no public liquidation stream" : sampling;
}
