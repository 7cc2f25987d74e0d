/**
 * What the `mr.*` and `vwap.*` cards share about the minutes they read: the span of a timeframe,
 * the bar size of the oscillators, traded minutes and prints in a span, and the close they judge.
 *
 * "C", the close a card judges, is the close of the last complete minute: every statistic of the
 * family is read from the same complete one-minute bars, so it moves once a minute (the five other
 * boundaries of a minute see the same bars) and never mixes a forming minute with complete ones.
 *
 * Cost: O(span) per call.
 */
import type { BarSeries } from "../../inputs/bar-ring.js";
import type { Timeframe } from "../../vocabulary.js";

/**
 * Bar size, minutes, of the oscillators (`mr.rsi`, `mr.streak`) per timeframe: one-minute bars for
 * 1m, five-minute bars for 5m, fifteen-minute bars for 1h (hourly bars would need 15 hours of
 * history before a 14-bar RSI reads; a judgment).
 */
export const OSCILLATOR_BAR_MINUTES: Readonly<Record<Timeframe, number>> = { "1m": 1, "5m": 5, "1h": 15 };

/**
 * Minutes a regression across minutes reads (`mr.ou-pull`, `mr.trend-residual`) per timeframe: a
 * line or an AR(1) fitted on 5 points has 3 degrees of freedom, so 1m reads 15 minutes (a judgment).
 */
export const REGRESSION_SPAN_MINUTES: Readonly<Record<Timeframe, number>> = { "1m": 15, "5m": 30, "1h": 60 };

/**
 * Residual dispersion of log closes below which a fit is exact up to rounding (1e−12 = 1e−8 bps, far
 * below any tick): closes on a line or at one price, a measured 0 rather than a ratio of rounding errors.
 */
export const LOG_NOISE = 1e-12;

/** Close of the last complete minute (NaN before any price). */
export function lastClose(bars: BarSeries): number {
  return bars.length > 0 ? bars.close[bars.length - 1] : Number.NaN;
}

/** Whether minute `i` traded: a trade counted, or volume (a venue's bar may not say how many trades). */
export function traded(bars: BarSeries, i: number): boolean {
  return bars.trades[i] > 0 || bars.buyQty[i] + bars.sellQty[i] + bars.unsidedQty[i] > 0;
}

/** Minutes of `[from, to)` that traded. */
export function tradedMinutes(bars: BarSeries, from: number, to: number): number {
  let n = 0;
  for (let i = Math.max(0, from); i < Math.min(bars.length, to); i++) if (traded(bars, i)) n++;
  return n;
}

/** Trades (prints, sides known or not) in minutes `[from, to)`. */
export function tradesIn(bars: BarSeries, from: number, to: number): number {
  let n = 0;
  for (let i = Math.max(0, from); i < Math.min(bars.length, to); i++) n += bars.trades[i];
  return n;
}
