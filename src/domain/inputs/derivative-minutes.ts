/**
 * Open interest and funding per minute over the bar ring's day, for the history a chart draws
 * under the candles (`/candles`: each candle's open interest and funding).
 *
 * Per minute, as the inputs stood after the minute's newest update (by event time):
 * - `oiUsd`, `oiBase`: summed open interest, USD and base units, over the venues whose value is
 *   current (not older than the open-interest hold limit: `OiHistory`), and `oiVenues`, how many;
 * - `funding8h`: the mean over venues with a current rate of their 8-hour-equivalent funding rate
 *   (`FundingTracker`), and `fundingVenues`, how many.
 *
 * Honesty: a minute without an update holds nothing (null in JSON and in the API), never the
 * previous minute's value carried forward; the venue counts say what each figure is made of.
 * An update older than the minute's newest is ignored (the newest holds), so the result does not
 * depend on arrival order within a minute.
 *
 * Persistence: like the bar ring, a Durable Object saves the minutes as rows apart from the
 * checkpoint (`dirtyFrom()`, `rows()`). Cost: O(venues) per update; memory: 1,441 × 8 doubles.
 */
import { BucketRing, type BucketRingState } from "./bucket-ring.js";

export const MINUTE_MS = 60_000;

/** Field offsets of one minute. */
export const DERIVATIVE_FIELD = {
  oiUsd: 0,
  oiBase: 1,
  oiVenues: 2,
  /** Event time of the update the open-interest fields hold (NaN: none). */
  oiTs: 3,
  funding8h: 4,
  fundingVenues: 5,
  /** Event time of the update the funding fields hold (NaN: none). */
  fundingTs: 6,
} as const;
const F = DERIVATIVE_FIELD;
const FIELDS = 7;
const EMPTY = [Number.NaN, Number.NaN, 0, Number.NaN, Number.NaN, 0, Number.NaN];

/** Open interest summed over the venues current at an update (null when none is). */
export interface OiSum {
  usd: number | null;
  base: number | null;
  venues: number;
}

export class DerivativeMinutes {
  private ring: BucketRing;
  private dirty = Number.POSITIVE_INFINITY;

  /** `minutes`: complete minutes held besides the one forming (the bar ring's length). */
  constructor(readonly minutes: number) {
    this.ring = new BucketRing(MINUTE_MS, minutes + 1, FIELDS, EMPTY);
  }

  /** Summed open interest after an update at `ts`. False when older than the ring or than the minute's newest update. */
  onOi(ts: number, sum: OiSum): boolean {
    const o = this.slotFor(ts, F.oiTs);
    if (o < 0) return false;
    const d = this.ring.data;
    d[o + F.oiUsd] = sum.usd ?? Number.NaN;
    d[o + F.oiBase] = sum.base ?? Number.NaN;
    d[o + F.oiVenues] = sum.venues;
    d[o + F.oiTs] = ts;
    this.touch(ts);
    return true;
  }

  /** The venues' current 8-hour-equivalent rates after a funding update at `ts` (null: not current). */
  onFunding(ts: number, rates8h: readonly (number | null)[]): boolean {
    const o = this.slotFor(ts, F.fundingTs);
    if (o < 0) return false;
    let sum = 0;
    let n = 0;
    for (const r of rates8h) {
      if (r === null) continue;
      sum += r;
      n++;
    }
    const d = this.ring.data;
    d[o + F.funding8h] = n > 0 ? sum / n : Number.NaN;
    d[o + F.fundingVenues] = n;
    d[o + F.fundingTs] = ts;
    this.touch(ts);
    return true;
  }

  advance(ts: number): void {
    this.ring.advance(ts);
  }

  /** Oldest minute id changed since the last `markSaved()` (Infinity: none). */
  dirtyFrom(): number {
    return this.dirty;
  }

  markSaved(): void {
    this.dirty = Number.POSITIVE_INFINITY;
  }

  /** Held minute ids are `head − minutes … head`. */
  get headMinute(): number {
    return this.ring.head;
  }

  /** The held minutes with id ≥ `fromMinute` that hold an update, `[id, ...fields]` (NaN as null). */
  rows(fromMinute = 0): (number | null)[][] {
    return this.ring.toJSON().buckets.filter((b) => (b[0] as number) >= fromMinute);
  }

  toJSON(): BucketRingState {
    return this.ring.toJSON();
  }

  static fromJSON(state: BucketRingState): DerivativeMinutes {
    const m = new DerivativeMinutes(state.size - 1);
    m.ring = BucketRing.fromJSON(state, EMPTY);
    return m;
  }

  /** Rows saved apart (`rows()`) back into a ring of `minutes`. */
  static fromRows(minutes: number, rows: readonly (readonly (number | null)[])[], head: number): DerivativeMinutes {
    return DerivativeMinutes.fromJSON({ bucketMs: MINUTE_MS, size: minutes + 1, fields: FIELDS, head, buckets: rows.map((r) => [...r]) });
  }

  /** The minute's slot for an update at `ts` stamped in field `tsField`; -1 when too old. */
  private slotFor(ts: number, tsField: number): number {
    const o = this.ring.slot(ts);
    if (o < 0) return -1;
    const held = this.ring.data[o + tsField];
    return !Number.isNaN(held) && ts < held ? -1 : o;
  }

  private touch(ts: number): void {
    const k = Math.floor(ts / MINUTE_MS);
    if (k < this.dirty) this.dirty = k;
  }
}
