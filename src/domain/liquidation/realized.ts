/**
 * Realized liquidations of one symbol: every liquidation of the last 24 h kept raw, binned
 * on query into the heatmap, plus the running aggregates the cards read every cycle.
 *
 * Why raw and not pre-binned: the heatmap's price bin is relative to a reference price that
 * moves (10 bps of the last price) or an absolute tick chosen per request, and its time bin
 * is chosen per request too; binning the raw records on query is exact for every choice, and
 * a query is not on the hot path (O(held)). Records live in a ring of typed arrays (columns
 * ts, price, qty, notional, flags), arrival order; the oldest leave when older than
 * `retentionMs` than the newest event (checked every cycle) or when the ring is full
 * (counted in `evictedEarly`, and the heatmap says from when it is complete).
 *
 * Aggregates kept incrementally, O(1) per liquidation and per eviction:
 * - totals per venue and side since start (every liquidation ever, never evicted);
 * - the cluster profile: notional, count and per-venue count per log-price bin of
 *   `profileBinBps` (bin k covers [e^{k·s}, e^{(k+1)·s}), s = ln(1 + bps/10⁴)) over the held
 *   records, so clusters cost O(bins), not O(records);
 * - one-minute notional bins of the last 24 h (intensity history).
 *
 * Memory per symbol: at most capacity × 33 bytes for the ring (1.65 MB at the default
 * 50,000; allocated on demand, doubling from 256 rows), the
 * profile (≤ one entry per held record, 8 doubles each; typically a few hundred bins), and
 * 1,440 × 5 doubles (58 KB) of minute bins. Fixed at construction except the profile.
 */
import { VENUES, type LiquidationEvent, type Venue } from "../events.js";
import type {
  FigureSampling,
  HeatmapCell,
  LiquidationHeatmap,
  RealizedCluster,
  SamplingCorrection,
  SideSums,
  VenueSums,
} from "../../protocol/liquidation.js";
import { findClusters } from "./clusters.js";
import { combineSampling, emptySums } from "./sampling.js";

export interface RealizedOptions {
  retentionMs: number;
  capacity: number;
  profileBinBps: number;
  smoothingBins: number;
  /** Fewest complete-venue liquidations in the overlap for a correction factor. */
  correctionMinEvents: number;
}

/** A normalized heatmap request (see `parseHeatmapQuery`). */
export interface HeatmapRequest {
  windowMs: number;
  timeBinMs: number;
  priceBin: { mode: "bps"; bps: number } | { mode: "tick"; tick: number };
  /** Only these venues, in `VENUES` order; null: every venue. */
  venues: readonly Venue[] | null;
}

export interface RealizedState {
  /**
   * Oldest first: `[ts, price, qty, notionalUsd, flags]` columns. Empty when `external` is
   * set: the records were saved apart (see `toJSON`) and come back through `fromJSON`.
   */
  ts: number[];
  price: number[];
  qty: number[];
  notionalUsd: number[];
  flags: number[];
  evictedEarly: number;
  newestTs: number;
  firstTs: number;
  /** Per venue (VENUES order) × side (long, short) × [count, qty, notional]. */
  totals: number[];
  /** Per venue: 0 unseen, 1 complete, 2 sampled-1s (last seen). */
  venueSampling: number[];
  /** `[binIndex, ...PROFILE_FIELDS values]` in insertion order. */
  profile: number[][];
  /** `[minuteId, longUsd, shortUsd, count]` for non-empty minutes. */
  minutes: number[][];
  /** Records ever added (the global index of the next one); absent in older states. */
  appended?: number;
  /** The held records' global indexes `[from, to)` when they are saved apart from this state. */
  external?: { from: number; to: number };
}

/** One realized liquidation as cards read it (`side` = the liquidated position). */
export interface LiquidationRecord {
  ts: number;
  price: number;
  qty: number;
  notionalUsd: number;
  side: "long" | "short";
  venue: Venue;
  /** From a venue publishing at most one liquidation per symbol per second. */
  sampled: boolean;
}

/** One saved record: `[ts, price, qty, notionalUsd, flags]`. */
export type RealizedRow = [number, number, number, number, number];

const LONG = 1;
const SAMPLED = 2;
const VENUE_SHIFT = 2;
const NV = VENUES.length;
const VENUE_INDEX = new Map<Venue, number>(VENUES.map((v, i) => [v, i]));
/** Profile fields: longUsd, shortUsd, longCount, shortCount, then one count per venue. */
const P_LONG = 0;
const P_SHORT = 1;
const P_LONG_COUNT = 2;
const P_SHORT_COUNT = 3;
const P_VENUE = 4;
const PROFILE_FIELDS = 4 + NV;
const MINUTE_MS = 60_000;
const HISTORY_MINUTES = 1_440;

/** One held record, as `forEachHeld` hands it over: `venue` is the index in `VENUES`. */
export type HeldRecordVisitor = (ts: number, price: number, qty: number, usd: number, isLong: boolean, venue: number, sampled: boolean) => void;

/** First allocation of the ring; it doubles on demand up to `capacity`. */
const INITIAL_ROWS = 256;

export class RealizedStore {
  private tsCol: Float64Array;
  private priceCol: Float64Array;
  private qtyCol: Float64Array;
  private usdCol: Float64Array;
  private flagCol: Uint8Array;
  /** Allocated rows (≤ capacity): the ring's modulus. */
  private rows: number;
  private start = 0;
  private size = 0;
  private evicted = 0;
  /** Records ever added: the held ones have global indexes `[appended − size, appended)`. */
  private appended = 0;
  private newest = -1;
  private first = -1;
  private readonly totals = new Float64Array(NV * 2 * 3);
  private readonly venueSampling = new Uint8Array(NV);
  private profile = new Map<number, Float64Array>();
  private readonly logStep: number;
  private readonly minuteIds = new Float64Array(HISTORY_MINUTES).fill(-1);
  /** Per minute slot: longUsd, shortUsd, count. */
  private readonly minuteData = new Float64Array(HISTORY_MINUTES * 3);

  constructor(readonly options: RealizedOptions) {
    const n = Math.min(INITIAL_ROWS, options.capacity);
    this.rows = n;
    this.tsCol = new Float64Array(n);
    this.priceCol = new Float64Array(n);
    this.qtyCol = new Float64Array(n);
    this.usdCol = new Float64Array(n);
    this.flagCol = new Uint8Array(n);
    this.logStep = Math.log1p(options.profileBinBps / 10_000);
  }

  /** Doubles the allocation (≤ capacity), re-laying the ring oldest first. O(size), amortised O(1). */
  private grow(): void {
    const n = Math.min(this.rows * 2, this.options.capacity);
    const order = (col: Float64Array | Uint8Array, next: Float64Array | Uint8Array) => {
      for (let k = 0; k < this.size; k++) next[k] = col[(this.start + k) % this.rows];
      return next;
    };
    this.tsCol = order(this.tsCol, new Float64Array(n)) as Float64Array;
    this.priceCol = order(this.priceCol, new Float64Array(n)) as Float64Array;
    this.qtyCol = order(this.qtyCol, new Float64Array(n)) as Float64Array;
    this.usdCol = order(this.usdCol, new Float64Array(n)) as Float64Array;
    this.flagCol = order(this.flagCol, new Uint8Array(n)) as Uint8Array;
    this.start = 0;
    this.rows = n;
  }

  /** Records held. */
  get held(): number {
    return this.size;
  }

  /** Ts of the first liquidation ever recorded, -1 before any. */
  get firstTs(): number {
    return this.first;
  }

  /** Adds one liquidation: O(1) (plus one eviction when full). */
  add(ev: LiquidationEvent): void {
    if (this.size === this.rows && this.rows < this.options.capacity) this.grow();
    const cap = this.rows;
    if (this.size === cap) {
      const o = this.start;
      if (this.tsCol[o] >= Math.max(this.newest, ev.ts) - this.options.retentionMs) this.evicted++;
      this.unprofile(o);
      this.start = (this.start + 1) % cap;
      this.size--;
    }
    const vi = VENUE_INDEX.get(ev.venue) as number;
    const isLong = ev.side === "long";
    const flags = (isLong ? LONG : 0) | (ev.sampling === "sampled-1s" ? SAMPLED : 0) | (vi << VENUE_SHIFT);
    const o = (this.start + this.size) % cap;
    this.tsCol[o] = ev.ts;
    this.priceCol[o] = ev.price;
    this.qtyCol[o] = ev.qty;
    this.usdCol[o] = ev.notionalUsd;
    this.flagCol[o] = flags;
    this.size++;
    this.appended++;
    if (ev.ts > this.newest) this.newest = ev.ts;
    if (this.first < 0) this.first = ev.ts;
    const t = (vi * 2 + (isLong ? 0 : 1)) * 3;
    this.totals[t] += 1;
    this.totals[t + 1] += ev.qty;
    this.totals[t + 2] += ev.notionalUsd;
    this.venueSampling[vi] = ev.sampling === "sampled-1s" ? 2 : 1;
    this.profileAdd(o);
    this.minuteAdd(ev.ts, isLong, ev.notionalUsd);
  }

  /** Drops records older than `nowTs − retentionMs` from the head of the ring. O(dropped). */
  advance(nowTs: number): void {
    if (nowTs > this.newest) this.newest = nowTs;
    const cutoff = this.newest - this.options.retentionMs;
    const cap = this.rows;
    while (this.size > 0 && this.tsCol[this.start] < cutoff) {
      this.unprofile(this.start);
      this.start = (this.start + 1) % cap;
      this.size--;
    }
  }

  /** Cumulative sums per venue that ever sent a liquidation, VENUES order. */
  venueTotals(): VenueSums[] {
    const out: VenueSums[] = [];
    for (let vi = 0; vi < NV; vi++) {
      if (this.venueSampling[vi] === 0) continue;
      const side = (s: number): SideSums => {
        const t = (vi * 2 + s) * 3;
        return { count: this.totals[t], qty: this.totals[t + 1], notionalUsd: this.totals[t + 2] };
      };
      out.push({ venue: VENUES[vi], sampling: this.venueSampling[vi] === 2 ? "sampled-1s" : "complete", long: side(0), short: side(1) });
    }
    return out;
  }

  retention(): LiquidationHeatmap["retention"] {
    return {
      oldestTs: this.size > 0 ? this.oldestHeldTs() : null,
      retentionMs: this.options.retentionMs,
      capacity: this.options.capacity,
      held: this.size,
      evictedEarly: this.evicted,
    };
  }

  /**
   * The heatmap over `[toTs − windowMs, toTs)`, `toTs` = the end of the time bin holding the
   * newest event (`clockTs`, the engine's newest event time, or the newest liquidation). `referencePrice` sizes `bps` price bins (the last trade, else the newest
   * liquidation). O(held + cells·log cells).
   */
  /** Event time of the newest record or `advance` (-1 before any). */
  get newestTs(): number {
    return this.newest;
  }

  /**
   * Visits the held records with `fromTs <= ts < toTs`, oldest first (arrival order): what the
   * heatmap and the sampling correction (realized-heatmap.ts) are computed from. O(held).
   */
  forEachHeld(fromTs: number, toTs: number, visit: HeldRecordVisitor): void {
    const cap = this.rows;
    for (let k = 0; k < this.size; k++) {
      const o = (this.start + k) % cap;
      const ts = this.tsCol[o];
      if (ts < fromTs || ts >= toTs) continue;
      const f = this.flagCol[o];
      visit(ts, this.priceCol[o], this.qtyCol[o], this.usdCol[o], (f & LONG) !== 0, f >> VENUE_SHIFT, (f & SAMPLED) !== 0);
    }
  }

  /** Profile bin of a price. */
  binOf(price: number): number {
    return Math.floor(Math.log(price) / this.logStep);
  }

  /** Lower edge price of profile bin `k`. */
  binPrice(k: number): number {
    return Math.exp(k * this.logStep);
  }

  /**
   * Realized clusters over every held record, largest notional first (ties: lower price),
   * at most `limit`. `withLastTs` adds each cluster's newest record ts (one O(held) pass);
   * without it `lastTs` is -1. O(bins·h + limit) otherwise.
   */
  clusters(limit: number, withLastTs = true): RealizedCluster[] {
    const bins = [...this.profile.keys()].sort((a, b) => a - b);
    const found = findClusters(
      bins.map((index) => {
        const d = this.profile.get(index) as Float64Array;
        return { index, mass: d[P_LONG] + d[P_SHORT] };
      }),
      this.options.smoothingBins,
    );
    const out: (RealizedCluster & { fromIndex: number; toIndex: number })[] = [];
    for (const c of found) {
      let longUsd = 0;
      let shortUsd = 0;
      let count = 0;
      const venueCounts = new Array(NV).fill(0);
      for (const index of bins) {
        if (index < c.fromIndex || index > c.toIndex) continue;
        const d = this.profile.get(index) as Float64Array;
        longUsd += d[P_LONG];
        shortUsd += d[P_SHORT];
        count += d[P_LONG_COUNT] + d[P_SHORT_COUNT];
        for (let v = 0; v < NV; v++) venueCounts[v] += d[P_VENUE + v];
      }
      const notionalUsd = longUsd + shortUsd;
      const venueIdx = venueCounts.map((n, i) => (n > 0 ? i : -1)).filter((i) => i >= 0);
      out.push({
        priceLow: this.binPrice(c.fromIndex),
        priceHigh: this.binPrice(c.toIndex + 1),
        pricePeak: Math.exp((c.peakIndex + 0.5) * this.logStep),
        side: longUsd >= 0.75 * notionalUsd ? "long" : shortUsd >= 0.75 * notionalUsd ? "short" : "mixed",
        longUsd,
        shortUsd,
        notionalUsd,
        count,
        venues: venueIdx.map((i) => VENUES[i]),
        sampling: combineSampling(venueIdx.map((i) => this.venueSampling[i])),
        lastTs: -1,
        fromIndex: c.fromIndex,
        toIndex: c.toIndex,
      });
    }
    out.sort((a, b) => b.notionalUsd - a.notionalUsd || a.pricePeak - b.pricePeak);
    const top = out.slice(0, limit);
    if (withLastTs && top.length > 0) {
      const cap = this.rows;
      for (let k = 0; k < this.size; k++) {
        const o = (this.start + k) % cap;
        const bin = this.binOf(this.priceCol[o]);
        for (const c of top) if (bin >= c.fromIndex && bin <= c.toIndex && this.tsCol[o] > c.lastTs) c.lastTs = this.tsCol[o];
      }
    }
    return top.map(({ fromIndex: _f, toIndex: _t, ...c }) => c);
  }

  /** Profile bins held (for the clusters response). */
  get profileBins(): number {
    return this.profile.size;
  }

  /** Overall sampling of every venue that ever sent a liquidation. */
  sampling(): FigureSampling {
    return combineSampling(this.venueSampling);
  }

  /**
   * Per-minute notional history for the intensity card: mean and stdev of the notional of
   * the complete minutes in `[endMinute − n, endMinute)`, endMinute = floor(endTs / 1 min),
   * n = min(1440, minutes since the first liquidation). Empty minutes count as 0. O(n).
   */
  minuteStats(endTs: number): { minutes: number; mean: number; stdev: number } {
    if (this.first < 0) return { minutes: 0, mean: 0, stdev: 0 };
    const end = Math.floor(endTs / MINUTE_MS);
    const n = Math.max(0, Math.min(HISTORY_MINUTES, end - Math.floor(this.first / MINUTE_MS)));
    if (n === 0) return { minutes: 0, mean: 0, stdev: 0 };
    let sum = 0;
    let sumSq = 0;
    for (let m = end - n; m < end; m++) {
      const slot = m % HISTORY_MINUTES;
      if (this.minuteIds[slot] !== m) continue;
      const x = this.minuteData[slot * 3] + this.minuteData[slot * 3 + 1];
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    const variance = Math.max(0, sumSq / n - mean * mean);
    return { minutes: n, mean, stdev: Math.sqrt(variance) };
  }

  /**
   * Records with `fromTs <= ts < toTs`, newest arrival first. Records arrive nearly in time order,
   * so the scan stops at the first record older than `fromTs − lateMs`. O(records scanned).
   */
  recordsBetween(fromTs: number, toTs: number, lateMs: number): LiquidationRecord[] {
    const out: LiquidationRecord[] = [];
    const cap = this.tsCol.length;
    for (let k = this.size - 1; k >= 0; k--) {
      const o = (this.start + k) % cap;
      const ts = this.tsCol[o];
      if (ts < fromTs - lateMs) break;
      if (ts < fromTs || ts >= toTs) continue;
      const f = this.flagCol[o];
      out.push({ ts, price: this.priceCol[o], qty: this.qtyCol[o], notionalUsd: this.usdCol[o], side: (f & LONG) !== 0 ? "long" : "short", venue: VENUES[f >> VENUE_SHIFT], sampled: (f & SAMPLED) !== 0 });
    }
    return out;
  }

  /** Global indexes `[from, to)` of the records held (oldest first). */
  heldRange(): { from: number; to: number } {
    return { from: this.appended - this.size, to: this.appended };
  }

  /** The held records with global indexes in `[from, to)`, oldest first. */
  rowsBetween(from: number, to: number): RealizedRow[] {
    const held = this.heldRange();
    const rows: RealizedRow[] = [];
    for (let i = Math.max(from, held.from); i < Math.min(to, held.to); i++) {
      const o = (this.start + (i - held.from)) % this.rows;
      rows.push([this.tsCol[o], this.priceCol[o], this.qtyCol[o], this.usdCol[o], this.flagCol[o]]);
    }
    return rows;
  }

  /**
   * The store as plain JSON. With `{ records: false }` the held records are left out (the
   * bulk of the state: up to `capacity` rows) and `external` names their global indexes, so
   * a caller can save them apart, in chunks written once (see SymbolObject's checkpoint).
   */
  toJSON(options: { records?: boolean } = {}): RealizedState {
    const cap = this.rows;
    const cols = { ts: [] as number[], price: [] as number[], qty: [] as number[], notionalUsd: [] as number[], flags: [] as number[] };
    for (let k = 0; options.records !== false && k < this.size; k++) {
      const o = (this.start + k) % cap;
      cols.ts.push(this.tsCol[o]);
      cols.price.push(this.priceCol[o]);
      cols.qty.push(this.qtyCol[o]);
      cols.notionalUsd.push(this.usdCol[o]);
      cols.flags.push(this.flagCol[o]);
    }
    const minutes: number[][] = [];
    const newestMinute = Math.floor(this.newest / MINUTE_MS);
    for (let m = newestMinute - HISTORY_MINUTES + 1; m <= newestMinute; m++) {
      if (m < 0) continue;
      const slot = m % HISTORY_MINUTES;
      if (this.minuteIds[slot] !== m) continue;
      minutes.push([m, this.minuteData[slot * 3], this.minuteData[slot * 3 + 1], this.minuteData[slot * 3 + 2]]);
    }
    return {
      ...cols,
      evictedEarly: this.evicted,
      newestTs: this.newest,
      firstTs: this.first,
      totals: [...this.totals],
      venueSampling: [...this.venueSampling],
      profile: [...this.profile.entries()].map(([k, d]) => [k, ...d]),
      minutes,
      appended: this.appended,
      ...(options.records === false ? { external: this.heldRange() } : {}),
    };
  }

  /**
   * Restores `toJSON()` output. A state saved with `{ records: false }` needs its records
   * back as `rows` (exactly the global indexes it names, oldest first).
   */
  static fromJSON(state: RealizedState, options: RealizedOptions, rows?: readonly RealizedRow[]): RealizedStore {
    const r = new RealizedStore(options);
    let column = (i: number): RealizedRow => [state.ts[i], state.price[i], state.qty[i], state.notionalUsd[i], state.flags[i]];
    let n = state.ts.length;
    if (state.external) {
      const expected = state.external.to - state.external.from;
      if (!rows || rows.length !== expected) {
        throw new Error(`RealizedStore.fromJSON: the state's ${expected} records were saved apart; ${rows?.length ?? 0} given`);
      }
      column = (i) => rows[i];
      n = expected;
    }
    const skip = Math.max(0, n - options.capacity);
    while (r.rows < n - skip) r.grow();
    for (let i = skip; i < n; i++) {
      const o = r.size;
      const [ts, price, qty, usd, flags] = column(i);
      r.tsCol[o] = ts;
      r.priceCol[o] = price;
      r.qtyCol[o] = qty;
      r.usdCol[o] = usd;
      r.flagCol[o] = flags;
      r.size++;
    }
    r.appended = state.appended ?? n;
    r.evicted = state.evictedEarly;
    r.newest = state.newestTs;
    r.first = state.firstTs;
    r.totals.set(state.totals.slice(0, r.totals.length));
    r.venueSampling.set(state.venueSampling.slice(0, NV));
    if (skip > 0) {
      // A smaller capacity than the saved one: rebuild the profile from what is held.
      for (let k = 0; k < r.size; k++) r.profileAdd(k);
    } else {
      r.profile = new Map(state.profile.map((row) => [row[0], Float64Array.from(row.slice(1, 1 + PROFILE_FIELDS))]));
    }
    for (const [m, longUsd, shortUsd, count] of state.minutes) {
      const slot = m % HISTORY_MINUTES;
      r.minuteIds[slot] = m;
      r.minuteData[slot * 3] = longUsd;
      r.minuteData[slot * 3 + 1] = shortUsd;
      r.minuteData[slot * 3 + 2] = count;
    }
    return r;
  }

  private oldestHeldTs(): number {
    let min = Infinity;
    const cap = this.rows;
    for (let k = 0; k < this.size; k++) {
      const ts = this.tsCol[(this.start + k) % cap];
      if (ts < min) min = ts;
    }
    return min;
  }

  private profileAdd(o: number): void {
    const k = this.binOf(this.priceCol[o]);
    let d = this.profile.get(k);
    if (d === undefined) {
      d = new Float64Array(PROFILE_FIELDS);
      this.profile.set(k, d);
    }
    const f = this.flagCol[o];
    const isLong = (f & LONG) !== 0;
    d[isLong ? P_LONG : P_SHORT] += this.usdCol[o];
    d[isLong ? P_LONG_COUNT : P_SHORT_COUNT] += 1;
    d[P_VENUE + (f >> VENUE_SHIFT)] += 1;
  }

  private unprofile(o: number): void {
    const k = this.binOf(this.priceCol[o]);
    const d = this.profile.get(k);
    if (d === undefined) return;
    const f = this.flagCol[o];
    const isLong = (f & LONG) !== 0;
    const usd = isLong ? P_LONG : P_SHORT;
    const cnt = isLong ? P_LONG_COUNT : P_SHORT_COUNT;
    d[cnt] -= 1;
    d[P_VENUE + (f >> VENUE_SHIFT)] -= 1;
    // A side whose last record left reads 0, not the float residue of add-then-subtract.
    d[usd] = d[cnt] > 0 ? d[usd] - this.usdCol[o] : 0;
    if (d[P_LONG_COUNT] + d[P_SHORT_COUNT] <= 0) this.profile.delete(k);
  }

  private minuteAdd(ts: number, isLong: boolean, usd: number): void {
    const m = Math.floor(ts / MINUTE_MS);
    const slot = m % HISTORY_MINUTES;
    const id = this.minuteIds[slot];
    if (id > m) return; // older than the 24 h ring
    if (id !== m) {
      this.minuteIds[slot] = m;
      this.minuteData.fill(0, slot * 3, slot * 3 + 3);
    }
    this.minuteData[slot * 3 + (isLong ? 0 : 1)] += usd;
    this.minuteData[slot * 3 + 2] += 1;
  }
}
