/**
 * What the `vwap.*` cards that read spans longer than their window share: running sums of the bar
 * series (volume, notional, squared price deviation, trades, traded minutes), so the VWAP, the
 * volume-weighted dispersion and the activity of any span `[a, b)` cost O(1), and the sessions the
 * session VWAP resets at.
 *
 * A minute's price is its own VWAP p = usd / qty; the span's volume-weighted dispersion of price
 * is σ² = Σ q·(p − VWAP)² / Σ q, kept as Σ q·(p − ref)² about a reference price (the series' last
 * close) so the prefix sums do not lose the digits of a small dispersion on a large price.
 *
 * A session of S minutes is the block of S minutes aligned to 00:00 UTC (the UTC day at 1 440) that
 * holds a given minute; the session VWAP "at minute i" is the VWAP from the session's first minute
 * through i. Cost: O(bars) once per bar series (cached: the three timeframes and every card share
 * it), then O(1) per span. Memory: 5 × 1 441 doubles per series.
 */
import { MINUTE_MS, type BarSeries } from "../../inputs/bar-ring.js";
import { lastClose, traded } from "../mean-reversion/span.js";

/** Running sums over minutes `[0, i)` at index i (length = bars + 1). */
export interface BarSums {
  readonly qty: Float64Array;
  readonly usd: Float64Array;
  /** Σ q·(p − ref)², p = the minute's VWAP. */
  readonly dev2: Float64Array;
  readonly trades: Float64Array;
  readonly traded: Float64Array;
  readonly ref: number;
}

const sumsCache = new WeakMap<BarSeries, BarSums>();

/** The running sums of `bars`, computed once per series. */
export function barSums(bars: BarSeries): BarSums {
  let s = sumsCache.get(bars);
  if (s === undefined) {
    const n = bars.length;
    const ref = n > 0 && Number.isFinite(lastClose(bars)) ? lastClose(bars) : 0;
    const qty = new Float64Array(n + 1);
    const usd = new Float64Array(n + 1);
    const dev2 = new Float64Array(n + 1);
    const trades = new Float64Array(n + 1);
    const tradedSum = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const q = bars.buyQty[i] + bars.sellQty[i] + bars.unsidedQty[i];
      const u = bars.buyUsd[i] + bars.sellUsd[i] + bars.unsidedUsd[i];
      const d = u - ref * q;
      qty[i + 1] = qty[i] + q;
      usd[i + 1] = usd[i] + u;
      dev2[i + 1] = dev2[i] + (q > 0 ? (d * d) / q : 0);
      trades[i + 1] = trades[i] + bars.trades[i];
      tradedSum[i + 1] = tradedSum[i] + (traded(bars, i) ? 1 : 0);
    }
    s = { qty, usd, dev2, trades, traded: tradedSum, ref };
    sumsCache.set(bars, s);
  }
  return s;
}

/** VWAP of minutes `[a, b)` (NaN without volume) and its volume. */
export function spanVwap(s: BarSums, a: number, b: number): { vwap: number; qty: number } {
  const qty = s.qty[b] - s.qty[a];
  return { vwap: qty > 0 ? (s.usd[b] - s.usd[a]) / qty : Number.NaN, qty };
}

/** Volume-weighted standard deviation of the minutes' VWAPs around the VWAP of `[a, b)`, NaN without volume. */
export function spanSigma(s: BarSums, a: number, b: number): number {
  const qty = s.qty[b] - s.qty[a];
  if (!(qty > 0)) return Number.NaN;
  const m = (s.usd[b] - s.usd[a]) / qty - s.ref;
  return Math.sqrt(Math.max(0, (s.dev2[b] - s.dev2[a]) / qty - m * m));
}

/** Trades in minutes `[a, b)`. */
export function spanTrades(s: BarSums, a: number, b: number): number {
  return s.trades[b] - s.trades[a];
}

/** Minutes of `[a, b)` that traded. */
export function spanTraded(s: BarSums, a: number, b: number): number {
  return s.traded[b] - s.traded[a];
}

/** Index of the first minute of the `sessionMinutes` session holding minute `i` (negative when the series does not reach back to it). */
export function sessionStart(bars: BarSeries, i: number, sessionMinutes: number): number {
  const t = bars.t0 + i * MINUTE_MS;
  const sessionMs = sessionMinutes * MINUTE_MS;
  return Math.round((Math.floor(t / sessionMs) * sessionMs - bars.t0) / MINUTE_MS);
}

/** "HH:MM UTC" of minute index `i`'s open. */
export function utcTime(bars: BarSeries, i: number): string {
  return `${new Date(bars.t0 + i * MINUTE_MS).toISOString().slice(11, 16)} UTC`;
}

/**
 * Side of minute `i`'s close against the session VWAP through `i`: +1 above, −1 below, 0 on it or
 * when the session has no volume yet. The session must lie in the series (`sessionStart` ≥ 0).
 */
export function sessionSide(bars: BarSeries, s: BarSums, i: number, sessionMinutes: number): -1 | 0 | 1 {
  const { vwap } = spanVwap(s, sessionStart(bars, i, sessionMinutes), i + 1);
  const c = bars.close[i];
  return c > vwap ? 1 : c < vwap ? -1 : 0;
}
