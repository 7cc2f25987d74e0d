/**
 * Order-book sync of one live feed: which connection carries each symbol's book, when a book
 * must be rebuilt, and how the engine's view is reconciled with the collector's.
 *
 * Two kinds of venue:
 *
 * - **REST snapshots** (Binance USDⓈ-M: the spec has `depthSnapshotUrl`): each symbol's deltas
 *   run through a `DepthSync` (the domain's sequence rules, `depth-sync.ts`). Re-sent deltas are
 *   dropped; a (re)connect or a gap makes the book want a snapshot once a delta is buffered. The
 *   feed asks `takeSnapshotRequests` for the requests to send (at most `MAX_SNAPSHOTS_IN_FLIGHT`
 *   venue-wide, one per symbol per second, backing off per symbol after failures) and reports
 *   each answer with `snapshotDone`. A book the engine reports unsynced after a batch sent
 *   since the collector synced it diverged (a restarted object, a lost batch): it is resynced.
 * - **Pushed snapshots** (Bybit, OKX, Hyperliquid): a book the engine keeps reporting unsynced
 *   makes the connection carrying it resubscribe (`BookWatch`), which brings a new snapshot.
 *
 * It holds no price levels and sends nothing itself: the feed performs the requests and the
 * recycling it asks for. Time comes in as `nowMs`; the state outlives the feed's restarts.
 */
import type { BookEvent, Venue } from "@liqflow/engine/domain/events.js";
import { SYMBOLS } from "@liqflow/engine/domain/symbols.js";
import type { IngestBatch, IngestResult } from "@liqflow/engine/protocol/ingest.js";
import { Backoff, BOOK_SNAPSHOT_BACKOFF } from "./backoff.js";
import { BookWatch } from "./book-watch.js";
import { DepthSync } from "./depth-sync.js";
import type { BookSyncHealth } from "./live-health.js";

/** Snapshot requests in flight at once, venue-wide. */
export const MAX_SNAPSHOTS_IN_FLIGHT = 4;
/** Least spacing of two snapshot requests of one symbol, even when each one is unusable. */
export const SNAPSHOT_SPACING_MS = 1_000;

export interface LiveBooksOptions {
  venue: Venue;
  /** The venue's depth snapshot url (REST-snapshot venues); absent for venues that push their snapshots. */
  depthSnapshotUrl?(restUrl: string, instrument: string): string;
  /** The REST base snapshots are fetched from; none are fetched without one. */
  restBase?: string;
  /** Uniform in [0, 1), for the snapshot backoff's jitter; `Math.random` when absent. */
  random?: () => number;
}

/** What a book event left to do once it has its sequence number (`sequenced`). */
export interface BookReceipt {
  readonly symbol: string;
  readonly sync: DepthSync;
  readonly wasSynced: boolean;
}

/** One depth snapshot to fetch; report its answer with `snapshotDone`. */
export interface SnapshotRequest {
  symbol: string;
  url: string;
}

interface SnapshotGate {
  backoff: Backoff;
  notBeforeMs: number;
}

export class LiveBooks {
  /** True for a venue whose books are synced against REST snapshots. */
  readonly restSnapshots: boolean;
  private readonly depth = new Map<string, DepthSync>();
  /** Per symbol: the collector seq after which its depth sync became synced. */
  private readonly syncedSinceSeq = new Map<string, number>();
  private readonly engineDesyncs = new Map<string, number>();
  private readonly gates = new Map<string, SnapshotGate>();
  private inFlight = 0;
  /** Per symbol: the stream that last carried its book events. */
  private readonly streamOf = new Map<string, string>();
  /** Venues that push snapshots: books the engine keeps reporting unsynced make their connection resubscribe. */
  private readonly watch = new BookWatch();

  constructor(private readonly options: LiveBooksOptions) {
    this.restSnapshots = options.depthSnapshotUrl !== undefined;
  }

  /** The stream that last carried `symbol`'s book. */
  streamOfSymbol(symbol: string): string | undefined {
    return this.streamOf.get(symbol);
  }

  /**
   * A book event arrived on `stream`, before it gets its sequence number: `duplicate` (a delta
   * re-sent by the venue: drop it), a receipt to hand to `sequenced`, or null (nothing more to do).
   */
  receive(event: BookEvent, stream: string): BookReceipt | "duplicate" | null {
    if (!this.restSnapshots) {
      this.streamOf.set(event.symbol, stream);
      return null;
    }
    const sync = this.syncOf(event.symbol);
    const wasSynced = sync.isSynced;
    if (event.type === "delta") {
      if (sync.onDelta(event) === "duplicate") return "duplicate";
      this.streamOf.set(event.symbol, stream);
    } else {
      sync.onSnapshot(event);
    }
    return { symbol: event.symbol, sync, wasSynced };
  }

  /** The event of `receipt` goes to the engine as `seq`. True when its book now wants a snapshot. */
  sequenced(receipt: BookReceipt, seq: number): boolean {
    if (!receipt.wasSynced && receipt.sync.isSynced) this.syncedSinceSeq.set(receipt.symbol, seq);
    return receipt.sync.wantsSnapshot();
  }

  /** Connection `stream` opened or went down: the books it carried must be rebuilt from a new snapshot. */
  streamChanged(stream: string): void {
    const symbols: string[] = [];
    for (const [symbol, carrier] of this.streamOf) {
      if (carrier !== stream) continue;
      this.depth.get(symbol)?.invalidate();
      symbols.push(symbol);
    }
    this.watch.reset(symbols);
  }

  /**
   * The engine acknowledged `batch` of `symbol` with the books it holds unsynced. REST-snapshot
   * venue: a book the collector had synced before this batch's events diverged, it is resynced
   * (null). Pushed snapshots: the stream that should resubscribe now, if any (`isOpen` tells
   * which streams are connected).
   */
  reconcile(symbol: string, batch: IngestBatch, result: IngestResult, nowMs: number, isOpen: (stream: string) => boolean): string | null {
    const unsynced = result.unsyncedBooks?.includes(this.options.venue) ?? false;
    if (this.restSnapshots) {
      const sync = this.depth.get(symbol);
      const since = this.syncedSinceSeq.get(symbol);
      const lastSeq = batch.seqs.length > 0 ? batch.seqs[batch.seqs.length - 1] : undefined;
      if (unsynced && sync?.isSynced && since !== undefined && lastSeq !== undefined && lastSeq >= since) {
        this.engineDesyncs.set(symbol, (this.engineDesyncs.get(symbol) ?? 0) + 1);
        sync.invalidate();
      }
      return null;
    }
    const stream = this.streamOf.get(symbol);
    if (stream === undefined || !isOpen(stream)) return null;
    return this.watch.report(symbol, stream, unsynced, nowMs) ? stream : null;
  }

  /** A batch was given up: the engine missed its events; a book it fed must be rebuilt. */
  lostBatch(symbol: string, batch: IngestBatch): void {
    if (batch.events.some((e) => e.kind === "book")) this.depth.get(symbol)?.invalidate();
  }

  /**
   * The snapshots to fetch now (the caller checked that REST is not paused), marked in flight:
   * books that want one, in the order they first appeared, within the venue-wide bound and each
   * symbol's spacing and backoff.
   */
  takeSnapshotRequests(nowMs: number): SnapshotRequest[] {
    const { depthSnapshotUrl, restBase, venue } = this.options;
    if (depthSnapshotUrl === undefined || restBase === undefined) return [];
    const out: SnapshotRequest[] = [];
    for (const [symbol, sync] of this.depth) {
      if (this.inFlight >= MAX_SNAPSHOTS_IN_FLIGHT) break;
      if (!sync.wantsSnapshot()) continue;
      const gate = this.gateOf(symbol);
      if (nowMs < gate.notBeforeMs) continue;
      const instrument = SYMBOLS.instrument(venue, symbol);
      if (instrument === undefined) continue;
      sync.inFlight = true;
      this.inFlight++;
      gate.notBeforeMs = nowMs + SNAPSHOT_SPACING_MS;
      out.push({ symbol, url: depthSnapshotUrl(restBase, instrument) });
    }
    return out;
  }

  /** The request for `symbol` ended at `nowMs`, `ok` when it gave a snapshot. True when the book still wants one. */
  snapshotDone(symbol: string, ok: boolean, nowMs: number): boolean {
    const sync = this.syncOf(symbol);
    const gate = this.gateOf(symbol);
    sync.inFlight = false;
    this.inFlight--;
    if (ok) gate.backoff.connected(nowMs);
    else gate.notBeforeMs = nowMs + gate.backoff.nextDelayMs(nowMs);
    return sync.wantsSnapshot();
  }

  /** Snapshot requests outstanding, venue-wide. */
  get snapshotsInFlight(): number {
    return this.inFlight;
  }

  /** Each REST-synced book as `/v1/health` `books` reports it, in the order the books appeared. */
  health(): Record<string, BookSyncHealth> {
    const books: Record<string, BookSyncHealth> = {};
    for (const [symbol, sync] of this.depth) {
      books[symbol] = {
        ...sync.counters,
        synced: sync.isSynced,
        stream: this.streamOf.get(symbol) ?? null,
        lastSeq: sync.lastSeq,
        buffered: sync.bufferedDeltas,
        snapshotInFlight: sync.inFlight,
        engineDesyncs: this.engineDesyncs.get(symbol) ?? 0,
      };
    }
    return books;
  }

  private syncOf(symbol: string): DepthSync {
    let sync = this.depth.get(symbol);
    if (!sync) this.depth.set(symbol, (sync = new DepthSync()));
    return sync;
  }

  private gateOf(symbol: string): SnapshotGate {
    let gate = this.gates.get(symbol);
    if (!gate) {
      const backoff = new Backoff(BOOK_SNAPSHOT_BACKOFF, this.options.random);
      this.gates.set(symbol, (gate = { backoff, notBeforeMs: 0 }));
    }
    return gate;
  }
}
