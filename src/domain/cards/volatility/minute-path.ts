/**
 * What the volatility cards share: each minute bar read as a path from the close before it, its
 * Garman–Klass variance, a span's high–low range and the usual range of spans of one length over
 * the day.
 *
 * A minute's path starts at the previous close (`minuteStart`), not at its own first print: the
 * move into the minute is part of its variance (continuous trading has no overnight gap, but a
 * minute's first print may be a tick or more away from the last one). Its high and low are widened
 * to include that start, so the path stays inside [low, high].
 *
 * Cost: O(minutes read); a minute's Garman–Klass variance and range are computed once per bar
 * series (memos per `BarSeries`, which the bar ring builds once per minute and the three timeframes
 * share), so the cycles of a minute and the cards reading the same minutes add only sums.
 * `usualRange` is O(bars) once per bar series and span length. Memory: two arrays of the series'
 * length per series while it is current.
 */
import type { BarSeries } from "../../inputs/bar-ring.js";
import { coveredMinutes, minuteRangeBps, minuteStart, MIN_MINUTE_RANGE_BPS } from "../bar-window.js";
import { minuteUsd } from "../price-series.js";

/** Weight of the squared open-to-close return in the Garman–Klass estimator, 2 ln 2 − 1. */
export const GK_CLOSE_WEIGHT = 2 * Math.LN2 - 1;

/** The minute traded: a trade counted or volume (bars of some venues carry no trade count). */
export function tradedMinute(bars: BarSeries, i: number): boolean {
  return bars.trades[i] > 0 || minuteUsd(bars, i) > 0;
}

/**
 * Garman–Klass (1980) variance of minute `i` on its path from the previous close:
 * ½·ln(H/L)² − (2 ln 2 − 1)·ln(C/O)², in squared log return (≥ 0 since |ln(C/O)| ≤ ln(H/L)).
 */
export function gkVariance(bars: BarSeries, i: number): number {
  const open = minuteStart(bars, i);
  const u = Math.log(Math.max(bars.high[i], open) / Math.min(bars.low[i], open));
  const c = Math.log(bars.close[i] / open);
  return 0.5 * u * u - GK_CLOSE_WEIGHT * c * c;
}

/** Per bar series, each minute's Garman–Klass variance once computed (NaN: not yet). */
const gkMemo = new WeakMap<BarSeries, Float64Array>();

/**
 * Mean Garman–Klass variance per minute over `[from, to)` (quiet minutes count, as 0) and the trades
 * those minutes held. A minute's variance is computed once per bar series however many cards,
 * timeframes and cycles read it.
 */
export function gkSpan(bars: BarSeries, from: number, to: number): { variance: number; trades: number } {
  let memo = gkMemo.get(bars);
  if (memo === undefined) gkMemo.set(bars, (memo = new Float64Array(bars.length).fill(Number.NaN)));
  let sum = 0;
  let trades = 0;
  for (let i = from; i < to; i++) {
    let v = memo[i];
    if (Number.isNaN(v)) memo[i] = v = gkVariance(bars, i);
    sum += v;
    trades += bars.trades[i];
  }
  return { variance: sum / (to - from), trades };
}

/** σ of a one-minute return from a mean variance per minute, bps, at least `MIN_MINUTE_RANGE_BPS` (a tick-level floor). */
export function sigmaBps(variance: number): number {
  return Math.max(Math.sqrt(variance) * 10_000, MIN_MINUTE_RANGE_BPS);
}

/** Per bar series, each minute's `minuteRangeBps` once computed (NaN: not yet). */
const rangeMemo = new WeakMap<BarSeries, Float64Array>();

/**
 * Each minute's range (`minuteRangeBps`: 10⁴·ln(high/low), at least 0.1 bp), indexed like the bars,
 * filled at least over `[from, to)`: computed once per bar series however many passes read it.
 */
export function minuteRanges(bars: BarSeries, from: number, to: number): Float64Array {
  let memo = rangeMemo.get(bars);
  if (memo === undefined) rangeMemo.set(bars, (memo = new Float64Array(bars.length).fill(Number.NaN)));
  for (let i = from; i < to; i++) if (Number.isNaN(memo[i])) memo[i] = minuteRangeBps(bars, i);
  return memo;
}

/** High–low range of the minutes `[from, to)` (their own highs and lows), bps of log price. */
export function spanRangeBps(bars: BarSeries, from: number, to: number): number {
  let high = bars.high[from];
  let low = bars.low[from];
  for (let i = from + 1; i < to; i++) {
    if (bars.high[i] > high) high = bars.high[i];
    if (bars.low[i] < low) low = bars.low[i];
  }
  return Math.log(high / low) * 10_000;
}

/** The usual range of an `n`-minute span: the mean of the day's non-overlapping spans ending at the series' end. */
export interface UsualRange {
  /** Mean range, bps of log price. */
  readonly meanBps: number;
  /** Spans averaged (each wholly after the first traded minute). */
  readonly spans: number;
}

const usualRanges = new WeakMap<BarSeries, Map<number, UsualRange>>();

/**
 * Mean high–low range of the non-overlapping `n`-minute spans `[end − (k + 1)·n, end − k·n)` that lie
 * wholly within the minutes since the first traded one (≤ 24 h; the latest span is the window
 * itself). Quiet spans count with their range of 0. Computed once per bar series and `n`.
 */
export function usualRange(bars: BarSeries, n: number): UsualRange {
  let byLength = usualRanges.get(bars);
  if (byLength === undefined) usualRanges.set(bars, (byLength = new Map()));
  let u = byLength.get(n);
  if (u === undefined) {
    const start = bars.length - coveredMinutes(bars);
    let sum = 0;
    let spans = 0;
    for (let to = bars.length; to - n >= start; to -= n) {
      sum += spanRangeBps(bars, to - n, to);
      spans++;
    }
    u = { meanBps: spans > 0 ? sum / spans : Number.NaN, spans };
    byLength.set(n, u);
  }
  return u;
}
