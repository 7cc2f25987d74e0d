/**
 * What the `trend` and `momentum` cards read from a span of one-minute bars longer than their
 * window (the trend span `trendSpanMinutes[tf]`: 20, 60, 240 minutes), computed once per bar
 * series and span and shared by every card and timeframe that asks for it.
 *
 * Conventions as in `price-series.ts`: minute `i` of a series spans `[t0 + i·60 000, t0 + (i + 1)·60 000)`;
 * ranges `[from, to)` are minute indexes; minutes without a price (before the first trade) are
 * skipped; a quiet minute after it carries the last close (high = low = close), so it is real: no
 * trade, no move. A minute "traded" when it holds a trade or volume (bars of a venue may carry one
 * without the other), as in `dayBaseline`.
 *
 * Cost: `tradedMinutes` is O(1) after one O(bars) pass per series (like `daySigma`); `spanStats`
 * and `spanTrend` are O(span) the first time a series is asked for a span, then O(1): the bar ring
 * builds one series per minute, so a 240-minute span costs one scan per minute however many cards
 * and cycles read it. `spanTrend` takes its log prices from the cached minute returns
 * (`logReturns`), so it computes no logarithm of its own.
 */
import type { BarSeries } from "../../inputs/bar-ring.js";
import { minuteStart } from "../bar-window.js";
import { logReturns } from "../price-series.js";

/** The extremes and mean of a span of minutes. */
export interface SpanStats {
  /** Minutes with a price (the span's length once the bars cover it). */
  readonly priced: number;
  /** Highest high and lowest low of the priced minutes (NaN without one). */
  readonly high: number;
  readonly low: number;
  /** Minutes from the latest minute that printed `high` (`low`) to the span's last minute: 0 = its last minute. */
  readonly sinceHigh: number;
  readonly sinceLow: number;
  /** Mean close of the priced minutes. */
  readonly meanClose: number;
}

/** The least-squares line of ln(close) against the minute index over a span. */
export interface SpanTrend {
  /** Correlation of ln(close) with the minute index, in [−1, 1]; 0 when either is constant. */
  readonly rho: number;
  /** Slope of ln(close) per minute. */
  readonly slope: number;
}

const tradedCache = new WeakMap<BarSeries, Float64Array>();

/** Minutes that traded in `[from, to)`, O(1) from a prefix count built once per series. */
export function tradedMinutes(bars: BarSeries, from: number, to: number): number {
  let p = tradedCache.get(bars);
  if (p === undefined) {
    p = new Float64Array(bars.length + 1);
    for (let i = 0; i < bars.length; i++) {
      const traded = bars.trades[i] > 0 || bars.buyUsd[i] + bars.sellUsd[i] + bars.unsidedUsd[i] > 0;
      p[i + 1] = p[i] + (traded ? 1 : 0);
    }
    tradedCache.set(bars, p);
  }
  const a = Math.max(0, Math.min(bars.length, from));
  const b = Math.max(a, Math.min(bars.length, to));
  return p[b] - p[a];
}

/** Per series, results by span: `from · KEY_BASE + to` (series are at most 10 080 minutes long). */
const KEY_BASE = 1_000_000;
const statsCache = new WeakMap<BarSeries, Map<number, SpanStats>>();
const trendCache = new WeakMap<BarSeries, Map<number, SpanTrend>>();

function memo<T>(cache: WeakMap<BarSeries, Map<number, T>>, bars: BarSeries, from: number, to: number, compute: (a: number, b: number) => T): T {
  let bySpan = cache.get(bars);
  if (bySpan === undefined) {
    bySpan = new Map();
    cache.set(bars, bySpan);
  }
  const a = Math.max(0, from);
  const b = Math.min(bars.length, to);
  const key = a * KEY_BASE + b;
  let out = bySpan.get(key);
  if (out === undefined) {
    out = compute(a, b);
    bySpan.set(key, out);
  }
  return out;
}

/** Extremes and mean close of `[from, to)`, computed once per series and span. */
export function spanStats(bars: BarSeries, from: number, to: number): SpanStats {
  return memo(statsCache, bars, from, to, (a, b) => computeStats(bars, a, b));
}

/** The trend line of `[from, to)`, computed once per series and span. */
export function spanTrend(bars: BarSeries, from: number, to: number): SpanTrend {
  return memo(trendCache, bars, from, to, (a, b) => computeTrend(bars, a, b));
}

function computeStats(bars: BarSeries, from: number, to: number): SpanStats {
  let priced = 0;
  let high = Number.NaN;
  let low = Number.NaN;
  let highAt = -1;
  let lowAt = -1;
  let sumClose = 0;
  for (let i = from; i < to; i++) {
    const c = bars.close[i];
    if (Number.isNaN(c)) continue;
    priced++;
    sumClose += c;
    // ≥ and ≤: the latest minute at the extreme, the last time price was there
    if (!(bars.high[i] < high)) {
      high = bars.high[i];
      highAt = i;
    }
    if (!(bars.low[i] > low)) {
      low = bars.low[i];
      lowAt = i;
    }
  }
  if (priced === 0) return { priced, high, low, sinceHigh: Number.NaN, sinceLow: Number.NaN, meanClose: Number.NaN };
  return { priced, high, low, sinceHigh: to - 1 - highAt, sinceLow: to - 1 - lowAt, meanClose: sumClose / priced };
}

function computeTrend(bars: BarSeries, from: number, to: number): SpanTrend {
  const r = logReturns(bars);
  // y = ln(close / first priced close of the span), t = minutes from `from`: both small, so the
  // one-pass sums keep their precision
  let n = 0;
  let y = 0;
  let st = 0;
  let sy = 0;
  let stt = 0;
  let syy = 0;
  let sty = 0;
  for (let i = from; i < to; i++) {
    if (Number.isNaN(bars.close[i])) continue;
    if (n > 0) y += r[i];
    const t = i - from;
    n++;
    st += t;
    sy += y;
    stt += t * t;
    syy += y * y;
    sty += t * y;
  }
  if (n === 0) return { rho: 0, slope: 0 };
  const vt = stt - (st * st) / n;
  const vy = syy - (sy * sy) / n;
  const cov = sty - (st * sy) / n;
  return { rho: vt > 0 && vy > 0 ? cov / Math.sqrt(vt * vy) : 0, slope: vt > 0 ? cov / vt : 0 };
}

/** ln(close of the last minute / the price minute `from` started from): the return over `[from, bars.length)`. */
export function returnSince(bars: BarSeries, from: number): number {
  return Math.log(bars.close[bars.length - 1] / minuteStart(bars, from));
}
