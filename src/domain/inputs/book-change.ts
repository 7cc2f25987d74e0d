/**
 * Depth added and removed near the price, per side, per window, from the venues' book deltas.
 *
 * For every level a delta changes on a synced book, the change in resting size `Δq = q_new −
 * q_old` (base units) is valued at the level's price (USD) and, when the level lies within
 * ±`bandsPct[i]` % of the venue's mid just before the delta, added to that band's `added`
 * (Δq > 0) or `removed` (Δq < 0) for its side. Snapshots (a resync replaces the book) and the
 * buffered deltas replayed after one are not changes and are not counted. `removed` includes
 * fills: a taker buy that lifts the ask shows as ask depth removed; a card that wants
 * cancellations alone subtracts the window's taker volume of that side (trades execute at the top
 * of the book, inside every band).
 *
 * Cost: O(1) per changed level; memory: one ring of `4 · bands` doubles per 10 s bucket.
 */
import { BucketRing, type BucketRingState } from "./bucket-ring.js";

/** What a book reports for each level a delta changes. */
export interface LevelChangeListener {
  levelChanged(isBid: boolean, price: number, deltaQty: number): void;
}

/** One band's depth changes in a window, USD. */
export interface BandChange {
  readonly bandPct: number;
  readonly bidAddedUsd: number;
  readonly bidRemovedUsd: number;
  readonly askAddedUsd: number;
  readonly askRemovedUsd: number;
}

export interface BookChangeState {
  ring: BucketRingState;
}

export class BookChange implements LevelChangeListener {
  private ring: BucketRing;
  private offset = -1;
  /** Per band, the bid and ask price limits around the mid of the delta being applied. */
  private readonly bidLimit: Float64Array;
  private readonly askLimit: Float64Array;

  constructor(
    bucketMs: number,
    size: number,
    readonly bandsPct: readonly number[],
  ) {
    this.ring = new BucketRing(bucketMs, size, 4 * bandsPct.length);
    this.bidLimit = new Float64Array(bandsPct.length);
    this.askLimit = new Float64Array(bandsPct.length);
  }

  /** Called before a delta is applied: its time and the venue's mid then (null: nothing counted). */
  begin(ts: number, mid: number | null): LevelChangeListener | undefined {
    if (mid === null || !(mid > 0)) return undefined;
    const o = this.ring.slot(ts);
    if (o < 0) return undefined;
    this.offset = o;
    for (let i = 0; i < this.bandsPct.length; i++) {
      this.bidLimit[i] = mid * (1 - this.bandsPct[i] / 100);
      this.askLimit[i] = mid * (1 + this.bandsPct[i] / 100);
    }
    return this;
  }

  levelChanged(isBid: boolean, price: number, deltaQty: number): void {
    if (deltaQty === 0) return;
    const d = this.ring.data;
    const f = (isBid ? 0 : 2) + (deltaQty > 0 ? 0 : 1);
    const usd = Math.abs(deltaQty) * price;
    for (let i = 0; i < this.bandsPct.length; i++) {
      if (price >= this.bidLimit[i] && price <= this.askLimit[i]) d[this.offset + i * 4 + f] += usd;
    }
  }

  view(ts: number, windowMs: number): BandChange[] {
    const acc = new Float64Array(this.ring.fields);
    this.ring.sumInto(ts, windowMs, acc);
    return this.bandsPct.map((bandPct, i) => ({
      bandPct,
      bidAddedUsd: acc[i * 4],
      bidRemovedUsd: acc[i * 4 + 1],
      askAddedUsd: acc[i * 4 + 2],
      askRemovedUsd: acc[i * 4 + 3],
    }));
  }

  advance(ts: number): void {
    this.ring.advance(ts);
  }

  toJSON(): BookChangeState {
    return { ring: this.ring.toJSON() };
  }

  static fromJSON(state: BookChangeState, bucketMs: number, size: number, bandsPct: readonly number[]): BookChange {
    const c = new BookChange(bucketMs, size, bandsPct);
    if (state.ring.fields === c.ring.fields) c.ring = BucketRing.fromJSON(state.ring);
    return c;
  }
}
