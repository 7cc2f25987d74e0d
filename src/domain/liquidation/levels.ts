/**
 * Estimated liquidation levels of one symbol: where positions opened since the engine began
 * watching open interest would be liquidated.
 *
 * Model (docs/liquidation-model.md has the reasoning and the defaults' sources):
 * 1. Open interest is watched per venue in buckets of `bucketMs` (1 min). When a bucket
 *    closes, ΔOI = OI at its last observation − OI at the previous close. ΔOI > 0 opens a
 *    *cohort*: ΔOI base units at the VWAP of the symbol's trades between the two closes
 *    (every venue's trades; the last trade price when there were none).
 * 2. Every new contract has a long and a short holder: a cohort places ΔOI of hypothetical
 *    long positions and ΔOI of short ones. With `takerSkew` k > 0 the 2·ΔOI is split
 *    long : short = (1 + k·imb) : (1 − k·imb), imb = (takerBuy − takerSell)/(takerBuy + takerSell)
 *    of the same trades (k = 0, the default, keeps 1 : 1).
 * 3. Each side is spread over leverage tiers L with weights w_L; each (side, L) is one level
 *    at the liquidation price of `brackets.ts` for a position of `positionNotionalUsd` under
 *    the venue's bracket table (a tier above the table's maximum leverage is placed at it).
 * 4. Level notional (USD at the liquidation price) = qty·2·share_side·w_L·LP·0.5^(age/halfLife).
 * 5. A trade at or through a level (price ≤ LP for longs, ≥ LP for shorts) removes it: a
 *    sweep, counted with its notional at that moment. A bucket with ΔOI < 0 scales every
 *    cohort of that venue by OI_now/OI_before (positions closed pro rata). Cohorts older than
 *    `maxAgeMs` are dropped; beyond `maxCohorts` the oldest is dropped (counted).
 *
 * Cost: O(1) per OI event (plus one bucket close, O(cohorts of the venue) when OI fell, or
 * O(tiers · log levels) to insert a cohort); O(1) amortised per trade (VWAP bucket, and the
 * two sorted level lists are only popped by sweeps). Per cycle: O(cohorts) for age eviction
 * and O(levels) to build the view the cards read.
 * Memory: at most `maxCohorts` cohorts × (2·tiers + 8) doubles, two sorted lists of at most
 * 2·maxCohorts·tiers refs, 64 VWAP buckets, the sweep ring (`sweepBuckets` × 4 doubles) and
 * 50 recent sweeps. At the defaults (4,096 cohorts, 6 tiers) about 1.3 MB per symbol.
 */
import { VENUES, type OiEvent, type Venue } from "../events.js";
import { LevelView } from "./level-view.js";
import { bracketFor, maxLeverage, resolveTable, liquidationPrice, type BracketTable } from "./brackets.js";

export interface LeverageTier {
  leverage: number;
  weight: number;
}

export interface LevelsOptions {
  symbol: string;
  bucketMs: number;
  tiers: readonly LeverageTier[];
  positionNotionalUsd: number;
  takerSkew: number;
  halfLifeMs: number;
  maxAgeMs: number;
  maxCohorts: number;
  bracketOverrides: readonly BracketTable[];
  /** Sweep history buckets (the engine's cycle) and how many (longest timeframe / cycle). */
  sweepBucketMs: number;
  sweepBuckets: number;
}

interface VenueOi {
  lastOi: number;
  lastTs: number;
  closedOi: number;
  closedBucket: number;
  openBucket: number;
  firstTs: number;
}

interface Cohort {
  seq: number;
  venue: number;
  ts: number;
  entry: number;
  qty: number;
  longShare: number;
  /** Bit 2·tier + side (0 long, 1 short) set while that level is alive; 0 once the cohort is dropped. */
  alive: number;
  /** Liquidation price per level index 2·tier + side; NaN when not liquidatable. */
  lp: Float64Array;
  /** Scratch for `view`: qty · 2 · decay / Σ weights at the view's ts. */
  factor: number;
}

/** One level in a sorted list: its price, its cohort and its index 2·tier + side there. */
interface LevelRef {
  lp: number;
  cohort: Cohort;
  level: number;
}

/** Total order of levels: by price, then cohort sequence, then level index. */
function compareRefs(a: LevelRef, b: LevelRef): number {
  return a.lp - b.lp || a.cohort.seq - b.cohort.seq || a.level - b.level;
}

export interface SweepRecord {
  ts: number;
  venue: Venue;
  side: "long" | "short";
  leverage: number;
  price: number;
  notionalUsd: number;
}

export interface SweptSums {
  longCount: number;
  longUsd: number;
  shortCount: number;
  shortUsd: number;
}

export interface LevelsState {
  venues: (VenueOi | null)[];
  /** `[seq, venue, ts, entry, qty, longShare, alive]`, creation order. */
  cohorts: number[][];
  nextSeq: number;
  evicted: number;
  staleOi: number;
  firstOiTs: number;
  lastPrice: number | null;
  /** `[bucketId, pxQty, qty, buyQty, sellQty]`. */
  vwap: number[][];
  swept: SweptSums;
  recentSweeps: SweepRecord[];
  /** `[bucketId, longCount, longUsd, shortCount, shortUsd]`. */
  sweepBuckets: number[][];
  /** Bracket tables fetched live per venue (`setLiveTables`); absent in checkpoints written before them. */
  liveTables?: BracketTable[];
}

const NV = VENUES.length;
const VWAP_BUCKETS = 64;
const VWAP_FIELDS = 4;
const RECENT_SWEEPS = 50;
const SWEEP_FIELDS = 4;
/** Two levels per tier must fit the 31 usable bits of a cohort's `alive` mask. */
export const MAX_TIERS = 15;
/** A tier mask with every tier's bit set. */
const ALL_TIERS = (1 << MAX_TIERS) - 1;


export class EstimatedLevels {
  private readonly venues: (VenueOi | null)[] = new Array(NV).fill(null);
  private cohorts: Cohort[] = [];
  private nextSeq = 0;
  private evicted = 0;
  private staleOi = 0;
  private firstOiTs = -1;
  private lastPrice: number | null = null;
  /** Sorted level lists, the level a trade reaches first at the end: longs ascending, shorts descending by price. */
  private longs: LevelRef[] = [];
  private shorts: LevelRef[] = [];
  private stale = 0;
  private readonly tierWeights: Float64Array;
  /** Bumped on every change of the level set (new cohort, drop, OI scaling, sweep). */
  private version = 0;
  private cachedView: { version: number; refTs: number; view: LevelView } | null = null;
  private readonly vwapIds = new Float64Array(VWAP_BUCKETS).fill(-1);
  private readonly vwapData = new Float64Array(VWAP_BUCKETS * VWAP_FIELDS);
  private readonly swept: SweptSums = { longCount: 0, longUsd: 0, shortCount: 0, shortUsd: 0 };
  private recent: SweepRecord[] = [];
  private readonly sweepIds: Float64Array;
  private readonly sweepData: Float64Array;
  /** Per venue index: per level index, [leverage, mmr, cum] (NaN leverage = no table yet). */
  private readonly tierParams: (Float64Array | null)[] = new Array(NV).fill(null);
  private readonly tables: (BracketTable | null)[] = new Array(NV).fill(null);
  /** Per venue index: the table the venue published, fetched live (below config overrides in precedence). */
  private readonly live: (BracketTable | null)[] = new Array(NV).fill(null);
  private readonly weightSum: number;

  constructor(readonly options: LevelsOptions) {
    if (options.tiers.length < 1 || options.tiers.length > MAX_TIERS) throw new Error(`EstimatedLevels: tiers must hold 1..${MAX_TIERS} entries (got ${options.tiers.length})`);
    this.weightSum = options.tiers.reduce((s, t) => s + t.weight, 0);
    this.tierWeights = Float64Array.from(options.tiers.map((t) => t.weight));
    this.sweepIds = new Float64Array(options.sweepBuckets).fill(-1);
    this.sweepData = new Float64Array(options.sweepBuckets * SWEEP_FIELDS);
  }

  /** True once any venue delivered open interest. */
  get hasOi(): boolean {
    return this.firstOiTs >= 0;
  }

  get cohortCount(): number {
    return this.cohorts.length;
  }

  /** Trade: VWAP bucket, last price, and sweeps of the levels it reaches. O(1) amortised. */
  onTrade(ts: number, price: number, qty: number, isBuy: boolean, newest: boolean): void {
    const k = Math.floor(ts / this.options.bucketMs);
    const slot = k % VWAP_BUCKETS;
    if (this.vwapIds[slot] <= k) {
      if (this.vwapIds[slot] !== k) {
        this.vwapIds[slot] = k;
        this.vwapData.fill(0, slot * VWAP_FIELDS, slot * VWAP_FIELDS + VWAP_FIELDS);
      }
      const o = slot * VWAP_FIELDS;
      this.vwapData[o] += price * qty;
      this.vwapData[o + 1] += qty;
      this.vwapData[o + (isBuy ? 2 : 3)] += qty;
    }
    if (!newest) return;
    this.lastPrice = price;
    const longs = this.longs;
    while (longs.length > 0 && longs[longs.length - 1].lp >= price) this.sweep(longs.pop() as LevelRef, ts);
    const shorts = this.shorts;
    while (shorts.length > 0 && shorts[shorts.length - 1].lp <= price) this.sweep(shorts.pop() as LevelRef, ts);
  }

  /** Open interest of one venue. Older than that venue's last observation: counted stale, ignored. */
  onOi(ev: OiEvent): void {
    const vi = VENUES.indexOf(ev.venue);
    const k = Math.floor(ev.ts / this.options.bucketMs);
    let st = this.venues[vi];
    if (st === null) {
      // The first observation is the baseline: OI already open has no known entry price.
      st = { lastOi: ev.oiBase, lastTs: ev.ts, closedOi: ev.oiBase, closedBucket: k - 1, openBucket: k, firstTs: ev.ts };
      this.venues[vi] = st;
      if (this.firstOiTs < 0 || ev.ts < this.firstOiTs) this.firstOiTs = ev.ts;
      return;
    }
    if (ev.ts < st.lastTs) {
      this.staleOi++;
      return;
    }
    if (k > st.openBucket && st.openBucket > st.closedBucket) this.close(vi, st);
    st.lastOi = ev.oiBase;
    st.lastTs = ev.ts;
    st.openBucket = k;
  }

  /** At a cycle boundary: closes finished OI buckets, drops cohorts past `maxAgeMs`. O(cohorts). */
  onCycle(ts: number): void {
    for (let vi = 0; vi < NV; vi++) {
      const st = this.venues[vi];
      if (st !== null && st.openBucket > st.closedBucket && ts >= (st.openBucket + 1) * this.options.bucketMs) this.close(vi, st);
    }
    const cutoff = ts - this.options.maxAgeMs;
    if (this.cohorts.length > 0 && this.cohorts.some((c) => c.ts < cutoff)) {
      this.cohorts = this.cohorts.filter((c) => {
        if (c.ts >= cutoff) return true;
        this.drop(c);
        return false;
      });
      this.compactIfStale();
    }
  }

  /**
   * The alive levels at `ts`, sorted by price. Notionals are computed at the reference time
   * T = floor(ts / halfLife)·halfLife and scaled by 0.5^((ts − T)/halfLife), so the result
   * depends only on the level set and `ts`; the view is rebuilt (O(cohorts + levels)) only
   * when the level set changed or T moved, else reused (O(1)).
   */
  view(ts: number): LevelView {
    const h = this.options.halfLifeMs;
    const refTs = Math.floor(ts / h) * h;
    const scale = Math.pow(0.5, (ts - refTs) / h);
    const cached = this.cachedView;
    if (cached !== null && cached.version === this.version && cached.refTs === refTs) return cached.view.withScale(scale);
    const view = this.buildView(refTs, ALL_TIERS);
    this.cachedView = { version: this.version, refTs, view };
    return view.withScale(scale);
  }

  /**
   * The alive levels of some leverage tiers only (indexes into `options.tiers`), as `view` computes
   * them: each level's notional is the same as in the full view, the other tiers' levels are left
   * out. Not cached (a read with a tier filter is an API request, not the cycle's view): O(cohorts + levels).
   */
  viewOfTiers(ts: number, tiers: readonly number[]): LevelView {
    const h = this.options.halfLifeMs;
    const refTs = Math.floor(ts / h) * h;
    let mask = 0;
    for (const t of tiers) mask |= 1 << t;
    return this.buildView(refTs, mask).withScale(Math.pow(0.5, (ts - refTs) / h));
  }

  /** The view at reference time `refTs` of the tiers whose bit is set in `tierMask`. */
  private buildView(refTs: number, tierMask: number): LevelView {
    const h = this.options.halfLifeMs;
    for (const c of this.cohorts) c.factor = (c.qty * 2 * Math.pow(0.5, (refTs - c.ts) / h)) / this.weightSum;
    const w = this.tierWeights;
    const collect = (list: LevelRef[], ascending: boolean): [Float64Array, Float64Array] => {
      const n = list.length;
      const px = new Float64Array(n);
      const usd = new Float64Array(n);
      let m = 0;
      for (let j = 0; j < n; j++) {
        const ref = list[ascending ? j : n - 1 - j];
        const c = ref.cohort;
        if ((c.alive & (1 << ref.level)) === 0 || (tierMask & (1 << (ref.level >> 1))) === 0) continue;
        const share = (ref.level & 1) === 0 ? c.longShare : 1 - c.longShare;
        px[m] = ref.lp;
        usd[m] = c.factor * share * w[ref.level >> 1] * ref.lp;
        m++;
      }
      return [px.subarray(0, m), usd.subarray(0, m)];
    };
    const [longPx, longUsd] = collect(this.longs, true);
    const [shortPx, shortUsd] = collect(this.shorts, false);
    return new LevelView(longPx, longUsd, shortPx, shortUsd);
  }

  /** Swept sums of the sweep buckets covering `[endTs − windowMs, endTs)`. */
  sweptIn(endTs: number, windowMs: number): SweptSums {
    const out: SweptSums = { longCount: 0, longUsd: 0, shortCount: 0, shortUsd: 0 };
    const bms = this.options.sweepBucketMs;
    const size = this.options.sweepBuckets;
    const end = Math.floor(endTs / bms);
    const n = Math.min(Math.ceil(windowMs / bms), size);
    for (let k = end - n; k < end; k++) {
      if (k < 0) continue;
      const slot = k % size;
      if (this.sweepIds[slot] !== k) continue;
      const o = slot * SWEEP_FIELDS;
      out.longCount += this.sweepData[o];
      out.longUsd += this.sweepData[o + 1];
      out.shortCount += this.sweepData[o + 2];
      out.shortUsd += this.sweepData[o + 3];
    }
    return out;
  }

  /** Sweeps since start per side. */
  sweptTotals(): SweptSums {
    return { ...this.swept };
  }

  /** Newest sweeps first. */
  recentSweeps(): SweepRecord[] {
    return this.recent.slice().reverse();
  }

  /** Per venue with open interest: its last OI and the base quantity placed in cohorts now. */
  coverage(): { sinceTs: number; venues: { venue: Venue; oiBase: number; placedBase: number; placedShare: number }[]; cohortsEvicted: number } {
    const placed = new Array(NV).fill(0);
    for (const c of this.cohorts) placed[c.venue] += c.qty;
    const venues: { venue: Venue; oiBase: number; placedBase: number; placedShare: number }[] = [];
    for (let vi = 0; vi < NV; vi++) {
      const st = this.venues[vi];
      if (st === null) continue;
      venues.push({ venue: VENUES[vi], oiBase: st.lastOi, placedBase: placed[vi], placedShare: st.lastOi > 0 ? placed[vi] / st.lastOi : 0 });
    }
    return { sinceTs: this.firstOiTs, venues, cohortsEvicted: this.evicted };
  }

  /**
   * Installs tables fetched live from the venues (one per venue; for other symbols ignored). A
   * venue whose resolved table changes (`resolveTable`: config overrides still win) has its tier
   * parameters recomputed and, when they differ, every cohort of that venue re-priced: its
   * levels' prices are recomputed with the new (mmr, cum, leverage cap); a level the formula now
   * gives no price, or that lies at or through the last trade price (it would have been swept
   * already), is removed without counting as a sweep. Swept levels stay swept. The result is the
   * same as restoring a checkpoint with these tables (`fromJSON` prices cohorts with the tables in
   * force), so it is deterministic. Returns the venues whose level prices changed.
   */
  setLiveTables(tables: readonly BracketTable[]): Venue[] {
    const touched = new Set<number>();
    for (const t of tables) {
      const vi = VENUES.indexOf(t.venue as Venue);
      if (vi < 0 || t.symbol !== this.options.symbol) continue;
      this.live[vi] = t;
      touched.add(vi);
    }
    const repriced: Venue[] = [];
    for (const vi of touched) {
      const before = this.tierParams[vi];
      this.tables[vi] = null;
      this.tierParams[vi] = null;
      const after = this.params(vi);
      if (before !== null && before.every((x, i) => x === after[i])) continue;
      if (this.repriceVenue(vi)) repriced.push(VENUES[vi]);
    }
    return repriced;
  }

  /** The live tables installed, one per venue at most. */
  liveTables(): BracketTable[] {
    return this.live.filter((t): t is BracketTable => t !== null);
  }

  /** The bracket tables in use, per venue with open interest. */
  tablesInUse(): { venue: Venue; table: BracketTable }[] {
    const out: { venue: Venue; table: BracketTable }[] = [];
    for (let vi = 0; vi < NV; vi++) if (this.venues[vi] !== null) out.push({ venue: VENUES[vi], table: this.table(vi) });
    return out;
  }

  get lastTradePrice(): number | null {
    return this.lastPrice;
  }

  toJSON(): LevelsState {
    const vwap: number[][] = [];
    for (let slot = 0; slot < VWAP_BUCKETS; slot++) {
      if (this.vwapIds[slot] < 0) continue;
      const o = slot * VWAP_FIELDS;
      vwap.push([this.vwapIds[slot], this.vwapData[o], this.vwapData[o + 1], this.vwapData[o + 2], this.vwapData[o + 3]]);
    }
    vwap.sort((a, b) => a[0] - b[0]);
    const sweepBuckets: number[][] = [];
    for (let slot = 0; slot < this.options.sweepBuckets; slot++) {
      if (this.sweepIds[slot] < 0) continue;
      const o = slot * SWEEP_FIELDS;
      sweepBuckets.push([this.sweepIds[slot], this.sweepData[o], this.sweepData[o + 1], this.sweepData[o + 2], this.sweepData[o + 3]]);
    }
    sweepBuckets.sort((a, b) => a[0] - b[0]);
    return {
      venues: this.venues.map((v) => (v === null ? null : { ...v })),
      cohorts: this.cohorts.map((c) => [c.seq, c.venue, c.ts, c.entry, c.qty, c.longShare, c.alive]),
      nextSeq: this.nextSeq,
      evicted: this.evicted,
      staleOi: this.staleOi,
      firstOiTs: this.firstOiTs,
      lastPrice: this.lastPrice,
      vwap,
      swept: { ...this.swept },
      recentSweeps: this.recent.map((r) => ({ ...r })),
      sweepBuckets,
      liveTables: this.liveTables(),
    };
  }

  /** Restores the state; level prices are recomputed from the cohorts with the same formula and tables. */
  static fromJSON(state: LevelsState, options: LevelsOptions): EstimatedLevels {
    const l = new EstimatedLevels(options);
    for (const t of state.liveTables ?? []) {
      const vi = VENUES.indexOf(t.venue as Venue);
      if (vi >= 0 && t.symbol === options.symbol) l.live[vi] = t;
    }
    state.venues.forEach((v, i) => {
      if (i < NV) l.venues[i] = v === null ? null : { ...v };
    });
    l.nextSeq = state.nextSeq;
    l.evicted = state.evicted;
    l.staleOi = state.staleOi;
    l.firstOiTs = state.firstOiTs;
    l.lastPrice = state.lastPrice;
    for (const [id, pxQty, qty, buy, sell] of state.vwap) {
      const slot = id % VWAP_BUCKETS;
      l.vwapIds[slot] = id;
      l.vwapData.set([pxQty, qty, buy, sell], slot * VWAP_FIELDS);
    }
    Object.assign(l.swept, state.swept);
    l.recent = state.recentSweeps.map((r) => ({ ...r }));
    for (const [id, ...rest] of state.sweepBuckets) {
      const slot = id % options.sweepBuckets;
      l.sweepIds[slot] = id;
      l.sweepData.set(rest.slice(0, SWEEP_FIELDS), slot * SWEEP_FIELDS);
    }
    for (const [seq, venue, ts, entry, qty, longShare, alive] of state.cohorts) {
      const c: Cohort = { seq, venue, ts, entry, qty, longShare, alive, lp: l.levelPrices(venue, entry), factor: 0 };
      l.cohorts.push(c);
    }
    l.rebuildLists();
    return l;
  }

  private table(vi: number): BracketTable {
    let t = this.tables[vi];
    if (t === null) {
      t = resolveTable(this.options.bracketOverrides, VENUES[vi], this.options.symbol, this.live[vi] === null ? [] : [this.live[vi] as BracketTable]);
      this.tables[vi] = t;
    }
    return t;
  }

  /** [leverage, mmr, cum] per tier for a venue (leverage capped at the table's maximum). */
  private params(vi: number): Float64Array {
    let p = this.tierParams[vi];
    if (p === null) {
      const table = this.table(vi);
      const cap = maxLeverage(table);
      const tiers = this.options.tiers;
      p = new Float64Array(tiers.length * 3);
      tiers.forEach((t, i) => {
        const lev = Math.min(t.leverage, cap);
        const br = bracketFor(table, this.options.positionNotionalUsd, lev);
        p![i * 3] = lev;
        p![i * 3 + 1] = br.mmr;
        p![i * 3 + 2] = br.cumUsd;
      });
      this.tierParams[vi] = p;
    }
    return p;
  }

  private levelPrices(vi: number, entry: number): Float64Array {
    const p = this.params(vi);
    const n = this.options.tiers.length;
    const lp = new Float64Array(2 * n);
    for (let t = 0; t < n; t++) {
      const lev = p[t * 3];
      const mmr = p[t * 3 + 1];
      const cum = p[t * 3 + 2];
      lp[2 * t] = liquidationPrice("long", entry, lev, mmr, cum, this.options.positionNotionalUsd) ?? NaN;
      lp[2 * t + 1] = liquidationPrice("short", entry, lev, mmr, cum, this.options.positionNotionalUsd) ?? NaN;
    }
    return lp;
  }

  private levelUsd(c: Cohort, level: number, ts: number): number {
    const tier = level >> 1;
    const share = (level & 1) === 0 ? c.longShare : 1 - c.longShare;
    const decay = Math.pow(0.5, Math.max(0, ts - c.ts) / this.options.halfLifeMs);
    return ((c.qty * 2 * share * this.options.tiers[tier].weight) / this.weightSum) * c.lp[level] * decay;
  }

  /** Closes a venue's open OI bucket: a cohort when OI rose, pro-rata scaling when it fell. */
  private close(vi: number, st: VenueOi): void {
    const delta = st.lastOi - st.closedOi;
    const endTs = (st.openBucket + 1) * this.options.bucketMs;
    if (delta > 0) {
      let pxQty = 0;
      let qty = 0;
      let buy = 0;
      let sell = 0;
      for (let k = Math.max(st.closedBucket + 1, st.openBucket - VWAP_BUCKETS + 1); k <= st.openBucket; k++) {
        const slot = k % VWAP_BUCKETS;
        if (this.vwapIds[slot] !== k) continue;
        const o = slot * VWAP_FIELDS;
        pxQty += this.vwapData[o];
        qty += this.vwapData[o + 1];
        buy += this.vwapData[o + 2];
        sell += this.vwapData[o + 3];
      }
      const entry = qty > 0 ? pxQty / qty : this.lastPrice;
      if (entry !== null && entry > 0) {
        const imb = buy + sell > 0 ? (buy - sell) / (buy + sell) : 0;
        this.addCohort(vi, endTs, entry, delta, 0.5 + 0.5 * this.options.takerSkew * imb);
      }
    } else if (delta < 0 && st.closedOi > 0) {
      const f = st.lastOi / st.closedOi;
      for (const c of this.cohorts) if (c.venue === vi) c.qty *= f;
      this.version++;
    }
    st.closedOi = st.lastOi;
    st.closedBucket = st.openBucket;
  }

  private addCohort(vi: number, ts: number, entry: number, qty: number, longShare: number): void {
    if (this.cohorts.length >= this.options.maxCohorts) {
      const oldest = this.cohorts.shift() as Cohort;
      this.drop(oldest);
      this.evicted++;
      this.compactIfStale();
    }
    const seq = this.nextSeq++;
    const lp = this.levelPrices(vi, entry);
    let alive = 0;
    const c: Cohort = { seq, venue: vi, ts, entry, qty, longShare, alive: 0, lp, factor: 0 };
    for (let level = 0; level < lp.length; level++) {
      if (Number.isNaN(lp[level]) || this.options.tiers[level >> 1].weight === 0) continue;
      c.alive |= 1 << level;
      const ref: LevelRef = { lp: lp[level], cohort: c, level };
      if ((level & 1) === 0) insertSorted(this.longs, ref, 1);
      else insertSorted(this.shorts, ref, -1);
    }
    this.cohorts.push(c);
    this.version++;
  }

  /** Re-prices every cohort of a venue with its current tier parameters (see `setLiveTables`). True when any cohort changed. */
  private repriceVenue(vi: number): boolean {
    const last = this.lastPrice;
    let changed = false;
    for (const c of this.cohorts) {
      if (c.venue !== vi) continue;
      const lp = this.levelPrices(vi, c.entry);
      for (let level = 0; level < lp.length; level++) {
        if ((c.alive & (1 << level)) === 0) continue;
        const p = lp[level];
        const crossed = last !== null && ((level & 1) === 0 ? p >= last : p <= last);
        if (Number.isNaN(p) || crossed) c.alive &= ~(1 << level);
      }
      c.lp = lp;
      changed = true;
    }
    if (changed) {
      this.rebuildLists();
      this.version++;
    }
    return changed;
  }

  /** Forgets a cohort; its refs in the sorted lists become stale (skipped when reached). */
  private drop(c: Cohort): void {
    let n = 0;
    for (let a = c.alive; a !== 0; a &= a - 1) n++;
    this.stale += n;
    c.alive = 0;
    this.version++;
  }

  private compactIfStale(): void {
    if (this.stale > 1_024 && this.stale > this.longs.length + this.shorts.length - this.stale) this.rebuildLists();
  }

  private sweep(ref: LevelRef, ts: number): void {
    const c = ref.cohort;
    const level = ref.level;
    if ((c.alive & (1 << level)) === 0) {
      this.stale = Math.max(0, this.stale - 1);
      return;
    }
    c.alive &= ~(1 << level);
    this.version++;
    const usd = this.levelUsd(c, level, ts);
    const isLong = (level & 1) === 0;
    if (isLong) {
      this.swept.longCount++;
      this.swept.longUsd += usd;
    } else {
      this.swept.shortCount++;
      this.swept.shortUsd += usd;
    }
    const bms = this.options.sweepBucketMs;
    const k = Math.floor(ts / bms);
    const slot = k % this.options.sweepBuckets;
    if (this.sweepIds[slot] <= k) {
      if (this.sweepIds[slot] !== k) {
        this.sweepIds[slot] = k;
        this.sweepData.fill(0, slot * SWEEP_FIELDS, slot * SWEEP_FIELDS + SWEEP_FIELDS);
      }
      const o = slot * SWEEP_FIELDS + (isLong ? 0 : 2);
      this.sweepData[o] += 1;
      this.sweepData[o + 1] += usd;
    }
    this.recent.push({ ts, venue: VENUES[c.venue], side: isLong ? "long" : "short", leverage: this.params(c.venue)[(level >> 1) * 3], price: c.lp[level], notionalUsd: usd });
    if (this.recent.length > RECENT_SWEEPS) this.recent.shift();
  }

  /** Rebuilds the sorted lists from the alive levels (drops stale refs). Same order as incremental inserts. */
  private rebuildLists(): void {
    const longs: LevelRef[] = [];
    const shorts: LevelRef[] = [];
    for (const c of this.cohorts) {
      for (let level = 0; level < c.lp.length; level++) {
        if ((c.alive & (1 << level)) === 0) continue;
        ((level & 1) === 0 ? longs : shorts).push({ lp: c.lp[level], cohort: c, level });
      }
    }
    longs.sort(compareRefs);
    shorts.sort((a, b) => compareRefs(b, a));
    this.longs = longs;
    this.shorts = shorts;
    this.stale = 0;
  }
}

/**
 * Inserts `ref` keeping the list ordered by `compareRefs`, ascending (`dir` 1, longs) or
 * descending (−1, shorts), so the end of the list is the level a trade reaches first.
 */
function insertSorted(list: LevelRef[], ref: LevelRef, dir: 1 | -1): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dir * compareRefs(list[mid], ref) < 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, ref);
}
