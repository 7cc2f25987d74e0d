/**
 * A ring of fixed-width time buckets, each holding `fields` doubles, keyed by bucket id
 * (`floor(ts / bucketMs)`). The building block of every per-window input: a write is O(1)
 * (a slot whose stored id is not the event's is reset lazily, so a jump in event time costs
 * nothing), a read sums the buckets of `[endTs − lengthMs, endTs)` in ascending id order
 * (reproducible float sums), O(buckets read · fields).
 *
 * Buckets `head − size + 1 … head` are kept; a write older than that is refused (returns -1)
 * so the caller can count it. Memory: `size · (fields + 1) · 8` bytes, fixed at construction.
 */
export interface BucketRingState {
  bucketMs: number;
  size: number;
  fields: number;
  head: number;
  /** Non-empty buckets, ascending id: `[id, ...fields]` (NaN written as null). */
  buckets: (number | null)[][];
}

export class BucketRing {
  private readonly ids: Float64Array;
  readonly data: Float64Array;
  private headBucket = -1;
  private readonly initial: Float64Array;

  /** `initial`: the value of each field in a new bucket (default 0; NaN allowed for "none"). */
  constructor(
    readonly bucketMs: number,
    readonly size: number,
    readonly fields: number,
    initial?: readonly number[],
  ) {
    if (!Number.isInteger(bucketMs) || bucketMs < 1) throw new Error(`BucketRing: bucketMs must be an integer >= 1 (got ${bucketMs})`);
    if (!Number.isInteger(size) || size < 1) throw new Error(`BucketRing: size must be an integer >= 1 (got ${size})`);
    if (!Number.isInteger(fields) || fields < 1) throw new Error(`BucketRing: fields must be an integer >= 1 (got ${fields})`);
    this.ids = new Float64Array(size).fill(-1);
    this.data = new Float64Array(size * fields);
    this.initial = new Float64Array(fields);
    if (initial !== undefined) {
      if (initial.length !== fields) throw new Error(`BucketRing: initial must have ${fields} values (got ${initial.length})`);
      this.initial.set(initial);
    }
  }

  get head(): number {
    return this.headBucket;
  }

  bucketOf(ts: number): number {
    return Math.floor(ts / this.bucketMs);
  }

  /** Moves the head to the bucket of `ts` if newer (older buckets then fall out of the ring). */
  advance(ts: number): void {
    const k = this.bucketOf(ts);
    if (k > this.headBucket) this.headBucket = k;
  }

  /** Offset in `data` of bucket `k`, created (zeroed) if needed; -1 when older than the ring. */
  slotOfBucket(k: number): number {
    if (k > this.headBucket) this.headBucket = k;
    else if (k <= this.headBucket - this.size) return -1;
    const slot = k % this.size;
    const o = slot * this.fields;
    if (this.ids[slot] !== k) {
      this.ids[slot] = k;
      this.data.set(this.initial, o);
    }
    return o;
  }

  /** Offset in `data` of the bucket of `ts` (see `slotOfBucket`). */
  slot(ts: number): number {
    return this.slotOfBucket(this.bucketOf(ts));
  }

  /** Offset of bucket `k` when the ring holds it, else -1 (never creates). */
  peek(k: number): number {
    if (k < 0 || k > this.headBucket || k <= this.headBucket - this.size) return -1;
    const slot = k % this.size;
    return this.ids[slot] === k ? slot * this.fields : -1;
  }

  /**
   * Adds the fields of the buckets of `[endTs − lengthMs, endTs)` into `out` (length `fields`),
   * oldest first; returns the number of buckets held in that range.
   */
  sumInto(endTs: number, lengthMs: number, out: Float64Array): number {
    const end = this.bucketOf(endTs);
    const n = Math.min(Math.ceil(lengthMs / this.bucketMs), this.size);
    const f = this.fields;
    const d = this.data;
    let held = 0;
    for (let k = end - n; k < end; k++) {
      const o = this.peek(k);
      if (o < 0) continue;
      held++;
      for (let i = 0; i < f; i++) out[i] += d[o + i];
    }
    return held;
  }

  toJSON(): BucketRingState {
    const buckets: (number | null)[][] = [];
    for (let k = Math.max(0, this.headBucket - this.size + 1); k <= this.headBucket; k++) {
      const o = this.peek(k);
      if (o < 0) continue;
      let any = false;
      const row: (number | null)[] = [k];
      for (let i = 0; i < this.fields; i++) {
        const x = this.data[o + i];
        row.push(Number.isNaN(x) ? null : x);
        if (!Object.is(x, this.initial[i]) && !(Number.isNaN(x) && Number.isNaN(this.initial[i]))) any = true;
      }
      if (any) buckets.push(row);
    }
    return { bucketMs: this.bucketMs, size: this.size, fields: this.fields, head: this.headBucket, buckets };
  }

  static fromJSON(state: BucketRingState, initial?: readonly number[]): BucketRing {
    const r = new BucketRing(state.bucketMs, state.size, state.fields, initial);
    r.headBucket = state.head;
    for (const row of state.buckets) {
      if (row.length !== state.fields + 1) throw new Error(`BucketRing.fromJSON: a bucket must have ${state.fields + 1} numbers (got ${row.length})`);
      const k = row[0] as number;
      const slot = k % r.size;
      r.ids[slot] = k;
      for (let i = 0; i < state.fields; i++) r.data[slot * state.fields + i] = row[1 + i] ?? Number.NaN;
    }
    return r;
  }
}
