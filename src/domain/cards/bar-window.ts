/**
 * What the cards that read one-minute bars share (order-flow, absorption, microstructure, ...): the window's minutes in
 * `input.bars`, how much bar history is real, one minute's return and range, and the day's
 * baseline (trades, notional and minute ranges over every complete minute since the first
 * traded one, at most the bar ring's 24 h).
 *
 * A card's "window minutes" are the last `windowMs / 60 000` complete minutes before the
 * boundary (1 for 1m, 5 for 5m, 60 for 1h): bars hold complete minutes only, so they end at the
 * minute boundary at or before the cycle, up to 50 s before the 10 s-aligned window does.
 *
 * Cost: O(window minutes) per call, except `dayBaseline`: O(bars) once per boundary (cached per
 * `BarSeries`, which the bar ring builds once per boundary and the three timeframes share).
 */
import { MINUTE_MS, type BarSeries } from "../inputs/bar-ring.js";

/**
 * Floor of one minute's range, bps: a traded minute whose prints were all at one price still
 * moved by up to a tick. 0.1 bp is below the tick of every listed perpetual (a judgment).
 */
export const MIN_MINUTE_RANGE_BPS = 0.1;

/** Fewest minutes of bar history before a card compares a window with the day. */
export const MIN_BASELINE_MINUTES = 60;

/** Fewest minutes a regression or dispersion across minutes reads (the 1m window holds one). */
export const MIN_REGRESSION_MINUTES = 5;

/** Minutes with trades at which a regression across minutes reaches confidence 1. */
export const REGRESSION_FULL_MINUTES = 30;

/** Minutes in the window (1, 5, 60 at the default timeframes). */
export function windowMinutes(windowMs: number): number {
  return Math.round(windowMs / MINUTE_MS);
}

/** Complete minutes from the first traded minute to the end of the series (0 before any trade). */
export function coveredMinutes(bars: BarSeries): number {
  if (bars.firstDataTs === null) return 0;
  return Math.round((bars.t0 + bars.length * MINUTE_MS - bars.firstDataTs) / MINUTE_MS);
}

/** The unavailable reason while fewer than `needed` minutes of bars are real, else null. */
export function warmingUp(bars: BarSeries, needed: number): string | null {
  const covered = coveredMinutes(bars);
  return covered >= needed ? null : `warming up: ${covered} of ${needed} minutes of bars`;
}

/** The reason a card needing `MIN_REGRESSION_MINUTES` cannot read a window of `minutes`, else null. */
export function tooFewMinutes(minutes: number): string | null {
  return minutes >= MIN_REGRESSION_MINUTES ? null : `the window holds ${minutes} minute bar${minutes === 1 ? "" : "s"}: the statistic needs at least ${MIN_REGRESSION_MINUTES}`;
}

/** The price minute `i` started from: the close of the minute before, its own open when that minute has no price. */
export function minuteStart(bars: BarSeries, i: number): number {
  const prev = i > 0 ? bars.close[i - 1] : Number.NaN;
  return Number.isNaN(prev) ? bars.open[i] : prev;
}

/** Log return of minute `i`, close to close (from its own open when the minute before has no price). */
export function minuteReturn(bars: BarSeries, i: number): number {
  return Math.log(bars.close[i] / minuteStart(bars, i));
}

/** Range of traded minute `i`, bps of log price, at least `MIN_MINUTE_RANGE_BPS`. */
export function minuteRangeBps(bars: BarSeries, i: number): number {
  return Math.max(Math.log(bars.high[i] / bars.low[i]) * 10_000, MIN_MINUTE_RANGE_BPS);
}

/**
 * Why a card reading the taker split of minutes `[from, to)` of `bars` cannot: one of them holds
 * volume of unknown side (a bar of a venue without a taker split). Null when every side is known.
 */
export function barSideUnknown(bars: BarSeries, from: number, to: number): string | null {
  for (let i = Math.max(0, from); i < Math.min(bars.length, to); i++) {
    if (bars.unsidedQty[i] > 0) return "taker side unknown for some of the window's minutes (bars without a taker split)";
  }
  return null;
}

/** The day of bars: complete minutes since the first traded one and what they held. */
export interface DayBaseline {
  /** Minutes counted (empty minutes after the first trade included: quiet minutes are real). */
  readonly minutes: number;
  readonly trades: number;
  /** Traded notional (taker buy + sell, and volume of unknown side from bars), USD. */
  readonly usd: number;
  /** Sum of traded minutes' ranges (`minuteRangeBps`), bps. */
  readonly rangeBps: number;
}

const baselines = new WeakMap<BarSeries, DayBaseline>();

/** The day's baseline of `bars`, computed once per bar series. */
export function dayBaseline(bars: BarSeries): DayBaseline {
  let b = baselines.get(bars);
  if (b === undefined) {
    const minutes = coveredMinutes(bars);
    let trades = 0;
    let usd = 0;
    let rangeBps = 0;
    for (let i = bars.length - minutes; i < bars.length; i++) {
      const minuteUsd = bars.buyUsd[i] + bars.sellUsd[i] + bars.unsidedUsd[i];
      if (bars.trades[i] === 0 && minuteUsd === 0) continue;
      trades += bars.trades[i];
      usd += minuteUsd;
      rangeBps += minuteRangeBps(bars, i);
    }
    b = { minutes, trades, usd, rangeBps };
    baselines.set(bars, b);
  }
  return b;
}
