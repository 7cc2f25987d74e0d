/**
 * Lead and lag between venues from one-second returns of their trade prices.
 *
 * Each second `s` (event time) closes once the clock passes `(s + 1) s + graceMs` (late trades of a
 * venue with a slower feed still land in their second). At the close every venue that traded in
 * the last `staleS` seconds has a price for `s`: its last trade in `s`, or the price it held (a
 * quiet second is a zero return); its one-second return is `r_v(s) = ln(p_v(s) / p_v(s − 1))`.
 * For every pair of venues `(a, b)` in `VENUES` order and lags `L = 1 … maxLag` seconds:
 *
 *   A_ab = Σ_s Σ_L r_a(s − L) · r_b(s)     (a moved first, b followed)
 *   B_ab = Σ_s Σ_L r_b(s − L) · r_a(s)     (b moved first, a followed)
 *   C_ab = Σ_s r_a(s) · r_b(s)             (same second)
 *
 * and per venue `Σ r_v²` and the seconds with a return. A window's view reads, per pair,
 *
 *   lead_ab = (A_ab − B_ab) / (maxLag · √(Σr_a² · Σr_b²))     (> 0: a leads b)
 *   sync_ab = C_ab / √(Σr_a² · Σr_b²)                          (same-second correlation)
 *
 * i.e. the mean over lags of the lagged correlation one way minus the other way, with returns
 * taken as zero-mean (one-second returns are: their mean is orders of magnitude below their σ).
 *
 * Windows. 1m and 5m read ten-second buckets (a ring of 5 minutes and one bucket): the window of
 * the boundary exactly, less its last `graceMs` (those seconds close after it and are read by the
 * next boundary's window). 1h reads one-minute buckets: the last 60 minutes whose seconds have all
 * closed, like the bar cards read complete minutes. A timeframe longer than 5 minutes and shorter than an hour reads minutes too.
 *
 * One-minute bars carry no seconds: a symbol whose trades come only as bars has no lead-lag.
 * Cost: O(venues² · maxLag) per closed second (≈ 60 multiply-adds for four venues), O(1) per
 * trade; a view is O(buckets read · 26). Memory: 26 doubles per bucket, 92 buckets (19 KB).
 */
import { VENUES, type Venue } from "../events.js";
import { BucketRing, type BucketRingState } from "./bucket-ring.js";

const V = VENUES.length;
const PAIRS: ReadonlyArray<readonly [number, number]> = (() => {
  const out: [number, number][] = [];
  for (let a = 0; a < V; a++) for (let b = a + 1; b < V; b++) out.push([a, b]);
  return out;
})();
/** Per venue: seconds with a return, Σr². Per pair: A, B, C. */
const FIELDS = 2 * V + 3 * PAIRS.length;
const FINE_MS = 10_000;
const FINE_SPAN_MS = 300_000;
const COARSE_MS = 60_000;
const COARSE_SPAN_MS = 3_600_000;

export interface VenueLeadParams {
  /** Lags read, seconds (1 … maxLag). */
  readonly maxLag: number;
  /** A second closes this long after its end, ms. */
  readonly graceMs: number;
  /** A venue without a trade for this long has no price (no returns), seconds. */
  readonly staleS: number;
}

export interface VenueLeadVenue {
  readonly venue: Venue;
  /** Seconds of the window with a one-second return. */
  readonly seconds: number;
  /** Σ r² / seconds (one-second return variance, zero-mean). */
  readonly variance: number;
}

export interface VenueLeadPair {
  /** `a` before `b` in `VENUES` order. */
  readonly a: Venue;
  readonly b: Venue;
  /** Seconds both venues had a return (the smaller of the two counts). */
  readonly seconds: number;
  /** > 0: `a` leads `b` (see the module comment); null when either venue did not move. */
  readonly lead: number | null;
  /** Same-second correlation of the two venues' returns; null when either did not move. */
  readonly sync: number | null;
}

export interface VenueLeadView {
  /** Lags read, seconds. */
  readonly maxLag: number;
  /** Venues with a return in the window, `VENUES` order. */
  readonly venues: readonly VenueLeadVenue[];
  /** Pairs of those venues. */
  readonly pairs: readonly VenueLeadPair[];
}

export interface VenueLeadState {
  fine: BucketRingState;
  coarse: BucketRingState;
  /** Newest closed second (−1 before any). */
  closed: number;
  /** Per venue (VENUES order): price of the last closed second, its last trade's second, then the open seconds `[second, price]`. */
  venues: Array<{ price: number | null; lastTradeS: number; open: [number, number][]; returns: (number | null)[] } | null>;
}

class VenueSeconds {
  /** Price held at the newest closed second; NaN before any or once stale. */
  price = Number.NaN;
  lastTradeS = -Infinity;
  /** Last trade price of each open second. */
  open = new Map<number, number>();
  /** Returns of the last `maxLag + 1` closed seconds, newest at `head`; NaN where none. */
  returns: Float64Array;
  head = 0;
  constructor(size: number) {
    this.returns = new Float64Array(size).fill(Number.NaN);
  }
  /** The return `lag` seconds before the newest closed one. */
  back(lag: number): number {
    const n = this.returns.length;
    return this.returns[(this.head - lag + n * 2) % n];
  }
}

export class VenueLead {
  private fine = new BucketRing(FINE_MS, FINE_SPAN_MS / FINE_MS + 1, FIELDS);
  private coarse = new BucketRing(COARSE_MS, COARSE_SPAN_MS / COARSE_MS + 1, FIELDS);
  private closed = -1;
  private venues: (VenueSeconds | undefined)[] = new Array(V).fill(undefined);
  /** Trades whose second had already closed (left out). */
  late = 0;

  constructor(readonly params: VenueLeadParams) {}

  onTrade(venue: Venue, ts: number, price: number): void {
    this.closeThrough(ts);
    const s = Math.floor(ts / 1000);
    if (s <= this.closed) {
      this.late++;
      return;
    }
    const i = VENUES.indexOf(venue);
    let v = this.venues[i];
    if (v === undefined) this.venues[i] = v = new VenueSeconds(this.params.maxLag + 1);
    v.open.set(s, price);
    if (s > v.lastTradeS) v.lastTradeS = s;
  }

  /** Closes every second that ends `graceMs` or more before `ts`. */
  closeThrough(ts: number): void {
    const last = Math.floor((ts - this.params.graceMs) / 1000) - 1;
    if (last <= this.closed) return;
    if (this.closed < 0) {
      // First close: nothing before the first open second has a return.
      let first = Infinity;
      for (const v of this.venues) if (v !== undefined) for (const s of v.open.keys()) first = Math.min(first, s);
      if (first === Infinity) return;
      this.closed = first - 1;
    }
    // A long gap: seconds with no venue open and none fresh are skipped in one step.
    for (let s = this.closed + 1; s <= last; s++) {
      if (!this.anyAlive(s)) {
        const next = this.nextOpen();
        if (next === null || next > last) {
          this.resetReturns();
          this.closed = last;
          return;
        }
        this.resetReturns();
        s = next;
      }
      this.closeSecond(s);
    }
  }

  view(ts: number, windowMs: number): VenueLeadView {
    const sums = new Float64Array(FIELDS);
    if (windowMs <= FINE_SPAN_MS) this.fine.sumInto(ts, windowMs, sums);
    else {
      // Complete minutes of the window: those whose seconds have all closed.
      const end = Math.floor((ts - this.params.graceMs) / COARSE_MS) * COARSE_MS;
      this.coarse.sumInto(end, Math.min(windowMs, COARSE_SPAN_MS), sums);
    }
    const venues: VenueLeadVenue[] = [];
    for (let i = 0; i < V; i++) {
      const n = sums[2 * i];
      if (n <= 0) continue;
      venues.push({ venue: VENUES[i], seconds: n, variance: sums[2 * i + 1] / n });
    }
    const pairs: VenueLeadPair[] = [];
    PAIRS.forEach(([a, b], p) => {
      if (sums[2 * a] <= 0 || sums[2 * b] <= 0) return;
      const o = 2 * V + 3 * p;
      const norm = Math.sqrt(sums[2 * a + 1] * sums[2 * b + 1]);
      pairs.push({
        a: VENUES[a],
        b: VENUES[b],
        seconds: Math.min(sums[2 * a], sums[2 * b]),
        lead: norm > 0 ? (sums[o] - sums[o + 1]) / (this.params.maxLag * norm) : null,
        sync: norm > 0 ? sums[o + 2] / norm : null,
      });
    });
    return { maxLag: this.params.maxLag, venues, pairs };
  }

  advance(ts: number): void {
    this.fine.advance(ts);
    this.coarse.advance(ts);
  }

  toJSON(): VenueLeadState {
    return {
      fine: this.fine.toJSON(),
      coarse: this.coarse.toJSON(),
      closed: this.closed,
      venues: this.venues.map((v) => {
        if (v === undefined) return null;
        const returns: (number | null)[] = [];
        for (let lag = 0; lag < v.returns.length; lag++) {
          const r = v.back(lag);
          returns.push(Number.isNaN(r) ? null : r);
        }
        return {
          price: Number.isNaN(v.price) ? null : v.price,
          lastTradeS: Number.isFinite(v.lastTradeS) ? v.lastTradeS : -1,
          open: [...v.open.entries()].sort((x, y) => x[0] - y[0]),
          returns,
        };
      }),
    };
  }

  static fromJSON(state: VenueLeadState, params: VenueLeadParams): VenueLead {
    const l = new VenueLead(params);
    l.fine = BucketRing.fromJSON(state.fine);
    l.coarse = BucketRing.fromJSON(state.coarse);
    l.closed = state.closed;
    state.venues.forEach((s, i) => {
      if (s === null || i >= V) return;
      const v = new VenueSeconds(params.maxLag + 1);
      v.price = s.price ?? Number.NaN;
      v.lastTradeS = s.lastTradeS < 0 ? -Infinity : s.lastTradeS;
      for (const [sec, p] of s.open) v.open.set(sec, p);
      // `returns` is newest first; the ring is written oldest first so the newest ends at `head`.
      const n = v.returns.length;
      const rs = s.returns.slice(0, n);
      for (let k = rs.length - 1; k >= 0; k--) {
        v.head = (v.head + 1) % n;
        v.returns[v.head] = rs[k] ?? Number.NaN;
      }
      l.venues[i] = v;
    });
    return l;
  }

  private anyAlive(s: number): boolean {
    for (const v of this.venues) {
      if (v === undefined) continue;
      if (v.open.has(s) || (!Number.isNaN(v.price) && s - v.lastTradeS <= this.params.staleS)) return true;
    }
    return false;
  }

  private nextOpen(): number | null {
    let next: number | null = null;
    for (const v of this.venues) if (v !== undefined) for (const s of v.open.keys()) if (next === null || s < next) next = s;
    return next;
  }

  private resetReturns(): void {
    for (const v of this.venues) {
      if (v === undefined) continue;
      v.returns.fill(Number.NaN);
      v.price = Number.NaN;
    }
  }

  private closeSecond(s: number): void {
    const { maxLag, staleS } = this.params;
    const now = new Float64Array(V).fill(Number.NaN);
    for (let i = 0; i < V; i++) {
      const v = this.venues[i];
      if (v === undefined) continue;
      const traded = v.open.get(s);
      if (traded !== undefined) v.open.delete(s);
      const prev = v.price;
      const price = traded ?? (s - v.lastTradeS <= staleS ? prev : Number.NaN);
      const r = prev > 0 && price > 0 ? Math.log(price / prev) : Number.NaN;
      v.price = price;
      v.head = (v.head + 1) % v.returns.length;
      v.returns[v.head] = r;
      now[i] = r;
    }
    this.closed = s;
    const ts = s * 1000;
    const fo = this.fine.slot(ts);
    const co = this.coarse.slot(ts);
    this.add(fo, co, now, maxLag);
  }

  private add(fo: number, co: number, now: Float64Array, maxLag: number): void {
    const fine = this.fine.data;
    const coarse = this.coarse.data;
    const put = (field: number, x: number) => {
      if (fo >= 0) fine[fo + field] += x;
      if (co >= 0) coarse[co + field] += x;
    };
    for (let i = 0; i < V; i++) {
      const r = now[i];
      if (Number.isNaN(r)) continue;
      put(2 * i, 1);
      put(2 * i + 1, r * r);
    }
    PAIRS.forEach(([a, b], p) => {
      const ra = now[a];
      const rb = now[b];
      const va = this.venues[a];
      const vb = this.venues[b];
      if (va === undefined || vb === undefined) return;
      let ab = 0;
      let ba = 0;
      for (let lag = 1; lag <= maxLag; lag++) {
        const pa = va.back(lag);
        const pb = vb.back(lag);
        if (!Number.isNaN(rb) && !Number.isNaN(pa)) ab += pa * rb;
        if (!Number.isNaN(ra) && !Number.isNaN(pb)) ba += pb * ra;
      }
      const o = 2 * V + 3 * p;
      put(o, ab);
      put(o + 1, ba);
      if (!Number.isNaN(ra) && !Number.isNaN(rb)) put(o + 2, ra * rb);
    });
  }
}
