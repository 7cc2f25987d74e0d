/**
 * A value that holds between updates (a funding rate, a premium, a spread), integrated over
 * time into buckets so that a window's **time-weighted** mean is a sum of buckets, not an
 * average of messages: a venue that repeats the same rate every second and one that sends it
 * once a minute give the same mean.
 *
 * `set(ts, v)` closes the previous step: its value is integrated over `[lastTs, ts)` (split
 * across the buckets it spans, at most `maxHoldMs` long: a value not refreshed within
 * `maxHoldMs` is unknown after that, never carried forward). `mean(endTs, lengthMs)` adds the
 * open step up to `endTs`. Updates older than the last one are refused (the newest holds).
 *
 * Fields per bucket: Σ value·ms, ms covered, and the last value set in the bucket (NaN: none). Cost: O(1 + buckets spanned) per update, O(buckets in window) per read.
 */
import { BucketRing, type BucketRingState } from "./bucket-ring.js";

const INTEGRAL = 0;
const COVERED = 1;
/** The last value set in the bucket; NaN when none was (null in JSON). */
const LAST = 2;
const FIELDS = 3;
const EMPTY = [0, 0, Number.NaN];

export interface StepSeriesState {
  ring: BucketRingState;
  lastTs: number;
  lastValue: number | null;
}

export interface TimeWeighted {
  /** Time-weighted mean over the covered part of the window; null when nothing covered it. */
  mean: number | null;
  /** Milliseconds of the window with a known value. */
  coveredMs: number;
}

export class StepSeries {
  private ring: BucketRing;
  private lastTs = -1;
  private lastValue: number | null = null;

  constructor(
    bucketMs: number,
    size: number,
    readonly maxHoldMs: number,
  ) {
    this.ring = new BucketRing(bucketMs, size, FIELDS, EMPTY);
  }

  /**
   * Sets the value from `ts` on; false (nothing changed) when `ts` is older than the last update.
   * The same value again within half the hold limit continues the open step (no work: a venue that
   * repeats its rate every second, a quote stream whose sizes change but not its spread); the step
   * is renewed at least every half hold so it never goes stale while the value is being refreshed.
   */
  set(ts: number, value: number): boolean {
    if (ts < this.lastTs) return false;
    if (value === this.lastValue && ts - this.lastTs < this.maxHoldMs / 2) return true;
    if (this.lastValue !== null) this.integrate(this.lastTs, Math.min(ts, this.lastTs + this.maxHoldMs), this.lastValue);
    const o = this.ring.slot(ts);
    if (o >= 0) this.ring.data[o + LAST] = value;
    this.lastTs = ts;
    this.lastValue = value;
    return true;
  }

  /** The newest value and its time, null before any. */
  latest(): { ts: number; value: number } | null {
    return this.lastValue === null ? null : { ts: this.lastTs, value: this.lastValue };
  }

  /** The newest value if set within `maxHoldMs` before `nowTs`, else null. */
  current(nowTs: number): number | null {
    return this.lastValue !== null && nowTs - this.lastTs <= this.maxHoldMs ? this.lastValue : null;
  }

  /** Time-weighted mean over `[endTs − lengthMs, endTs)`, the open step included. */
  mean(endTs: number, lengthMs: number): TimeWeighted {
    const acc = new Float64Array(FIELDS);
    this.ring.sumInto(endTs, lengthMs, acc);
    let integral = acc[INTEGRAL];
    let covered = acc[COVERED];
    if (this.lastValue !== null) {
      const a = Math.max(this.lastTs, endTs - lengthMs);
      const b = Math.min(endTs, this.lastTs + this.maxHoldMs);
      if (b > a) {
        integral += this.lastValue * (b - a);
        covered += b - a;
      }
    }
    return { mean: covered > 0 ? integral / covered : null, coveredMs: covered };
  }

  /**
   * The value in force at bucket boundary `ts` (the last one set before it), null when none was
   * set within `maxHoldMs` before it or the ring no longer reaches back that far.
   */
  valueAt(ts: number): number | null {
    const bucketMs = this.ring.bucketMs;
    const last = this.ring.bucketOf(ts - 1);
    const reach = Math.ceil(this.maxHoldMs / bucketMs);
    for (let k = last; k >= last - reach; k--) {
      const o = this.ring.peek(k);
      if (o < 0 || Number.isNaN(this.ring.data[o + LAST])) continue;
      return ts - (k + 1) * bucketMs <= this.maxHoldMs ? this.ring.data[o + LAST] : null;
    }
    return null;
  }

  advance(ts: number): void {
    this.ring.advance(ts);
  }

  toJSON(): StepSeriesState {
    return { ring: this.ring.toJSON(), lastTs: this.lastTs, lastValue: this.lastValue };
  }

  static fromJSON(state: StepSeriesState, maxHoldMs: number): StepSeries {
    const s = new StepSeries(state.ring.bucketMs, state.ring.size, maxHoldMs);
    s.ring = BucketRing.fromJSON(state.ring, EMPTY);
    s.lastTs = state.lastTs;
    s.lastValue = state.lastValue;
    return s;
  }

  private integrate(from: number, to: number, value: number): void {
    const bucketMs = this.ring.bucketMs;
    for (let t = from; t < to; ) {
      const k = Math.floor(t / bucketMs);
      const end = Math.min(to, (k + 1) * bucketMs);
      const o = this.ring.slotOfBucket(k);
      if (o >= 0) {
        this.ring.data[o + INTEGRAL] += value * (end - t);
        this.ring.data[o + COVERED] += end - t;
      }
      t = end;
    }
  }
}
