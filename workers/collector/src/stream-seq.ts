/**
 * Per-stream sequencing for the live feed, so that nothing reaches the engine twice:
 *
 * - `SeqAllocator`: the sequence numbers of one source (`binance:live`), strictly increasing
 *   for the life of the source, across object restarts. Blocks of numbers are reserved by
 *   persisting a ceiling before any number of the block is used (a Durable Object's output
 *   gate holds the batches that carry them until that write is durable); a restart resumes
 *   at the persisted ceiling, skipping the unused rest of the block. The SymbolObject drops
 *   any event at or below the last sequence it applied from the source, so a batch retried
 *   after an RPC that did reach the object is applied once.
 * - `RecentKeys` and `eventKey`: events re-sent by a venue (overlapping frames after a
 *   reconnect) get new sequence numbers, so they are recognised by content instead: a trade by
 *   its id, a liquidation, mark or open interest by its time and values. Bounded per symbol.
 *
 * Pure.
 */
import type { CanonicalEvent } from "@liqflow/engine/domain/events.js";

/** Sequence numbers reserved per storage write. */
export const SEQ_BLOCK = 100_000;

export class SeqAllocator {
  private nextSeq: number;
  private ceiling: number;

  /** `persistedCeiling`: the last ceiling persisted by a previous life of the source (null for none). */
  constructor(persistedCeiling: number | null, private readonly block = SEQ_BLOCK) {
    if (!Number.isInteger(block) || block < 1) throw new Error(`SeqAllocator: block must be an integer >= 1 (got ${block})`);
    if (persistedCeiling !== null && (!Number.isSafeInteger(persistedCeiling) || persistedCeiling < 0)) {
      throw new Error(`SeqAllocator: persisted ceiling must be a non-negative integer (got ${persistedCeiling})`);
    }
    this.nextSeq = persistedCeiling ?? 0;
    this.ceiling = this.nextSeq;
  }

  /**
   * The next sequence number, and the new ceiling to persist when this number opens a block
   * (persist it before the number leaves the object).
   */
  next(): { seq: number; persistCeiling?: number } {
    const seq = this.nextSeq++;
    if (seq < this.ceiling) return { seq };
    this.ceiling = seq + this.block;
    return { seq, persistCeiling: this.ceiling };
  }

  /** The next number that would be handed out. */
  get peek(): number {
    return this.nextSeq;
  }
}

/** A bounded set of recently seen keys: the oldest key is forgotten once `capacity` are held. */
export class RecentKeys {
  private readonly ring: (string | undefined)[];
  private readonly set = new Set<string>();
  private at = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`RecentKeys: capacity must be an integer >= 1 (got ${capacity})`);
    this.ring = new Array(capacity);
  }

  /** True the first time `key` is seen (within the last `capacity` keys); remembers it. */
  firstSeen(key: string): boolean {
    if (this.set.has(key)) return false;
    const evicted = this.ring[this.at];
    if (evicted !== undefined) this.set.delete(evicted);
    this.ring[this.at] = key;
    this.at = (this.at + 1) % this.capacity;
    this.set.add(key);
    return true;
  }

  get size(): number {
    return this.set.size;
  }
}

/**
 * What makes an event the same event when a venue sends it twice, or null where sequence
 * numbers decide (book events: the depth sync and the engine's book drop stale deltas).
 */
export function eventKey(e: CanonicalEvent): string | null {
  switch (e.kind) {
    case "trade":
      return e.tradeId;
    case "liquidation":
      return `${e.ts}|${e.side}|${e.price}|${e.qty}`;
    case "mark":
      return `${e.ts}|${e.markPrice}|${e.indexPrice ?? ""}|${e.fundingRate ?? ""}|${e.nextFundingTs ?? ""}`;
    case "oi":
      return `${e.ts}|${e.oiBase}|${e.oiUsd ?? ""}`;
    case "quote":
      return `${e.ts}|${e.bidPrice}|${e.bidQty}|${e.askPrice}|${e.askQty}`;
    case "insurance":
      // A poll answers the same update again until the venue publishes a new one: same key.
      return `${e.ts}|${e.poolId}|${e.balanceUsd}`;
    case "bar":
      // A closed bar is final: its open time says which minute it is (a forming one is sent again as it grows).
      return e.closed ? `${e.ts}|closed` : `${e.ts}|${e.close}|${e.volumeBase}`;
    case "book":
      return null;
  }
}

/** Keys remembered per symbol and kind: trades come fastest, so they get the longest memory. */
const CAPACITY: Record<CanonicalEvent["kind"], number> = { trade: 4096, liquidation: 512, mark: 256, oi: 64, quote: 1024, book: 1, insurance: 16, bar: 1_500 };

/** Keys remembered at the newest event time of a bucket, for the persisted watermark. */
const WATERMARK_KEYS = 64;

/** The newest event time seen per `symbol|kind`, and the keys seen at that time. */
export type DedupeWatermarks = Record<string, { ts: number; keys: string[] }>;

/**
 * Duplicate detection by content over every symbol and kind of one venue.
 *
 * In memory, the last keys per symbol and kind (`RecentKeys`). Across a restart of the
 * collector the memory is gone, so `watermarks()` (persisted before each batch leaves the
 * object) are `restore`d: for a while after the restart, an event older than the newest one
 * sent before it, or as old with a key seen at that time, is a duplicate (a venue that sends
 * recent trades again on subscribe). Only then: a late event in normal operation is never
 * judged by time.
 */
export class EventDedupe {
  private readonly recent = new Map<string, RecentKeys>();
  private readonly newest = new Map<string, { ts: number; keys: string[] }>();
  private restored = new Map<string, { ts: number; keys: Set<string> }>();
  private restoredUntilMs = 0;
  /** True when `watermarks()` changed since it was last read. */
  dirty = false;

  /** True when `e` was already seen (recently) and must not be forwarded. */
  isDuplicate(e: CanonicalEvent, nowMs = 0): boolean {
    const key = eventKey(e);
    if (key === null) return false;
    const bucket = `${e.symbol}|${e.kind}`;
    if (nowMs < this.restoredUntilMs) {
      const w = this.restored.get(bucket);
      if (w !== undefined && (e.ts < w.ts || (e.ts === w.ts && w.keys.has(key)))) return true;
    }
    let keys = this.recent.get(bucket);
    if (!keys) this.recent.set(bucket, (keys = new RecentKeys(CAPACITY[e.kind])));
    if (!keys.firstSeen(key)) return true;
    const n = this.newest.get(bucket);
    if (n === undefined || e.ts > n.ts) this.newest.set(bucket, { ts: e.ts, keys: [key] });
    else if (e.ts === n.ts && n.keys.length < WATERMARK_KEYS) n.keys.push(key);
    this.dirty = true;
    return false;
  }

  /** What to persist: the newest event time and its keys per bucket. Clears `dirty`. */
  watermarks(): DedupeWatermarks {
    this.dirty = false;
    const out: DedupeWatermarks = {};
    for (const [bucket, n] of this.newest) out[bucket] = { ts: n.ts, keys: [...n.keys] };
    return out;
  }

  /** Restores the watermarks of a previous life, applied until `untilMs`. */
  restore(saved: DedupeWatermarks, untilMs: number): void {
    this.restored = new Map(Object.entries(saved).map(([bucket, w]) => [bucket, { ts: w.ts, keys: new Set(w.keys) }]));
    this.restoredUntilMs = untilMs;
    for (const [bucket, w] of Object.entries(saved)) this.newest.set(bucket, { ts: w.ts, keys: [...w.keys] });
  }
}
