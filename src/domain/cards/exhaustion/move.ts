/**
 * What the exhaustion cards share: the window's move in units of the day's volatility, the
 * window's tail, and the day's extremes, computed once per bar series.
 *
 * Exhaustion is read on complete one-minute bars: the window's minutes are its last N = 1, 5, 60
 * complete minutes (bar-window.ts), the day is every held minute since the first trade (≤ 24 h,
 * the window included).
 *
 * - σ = the day's σ of minute close-to-close log returns (`daySigma`)
 * - the move m = ln(c_end / c_0) / (σ · √N), c_0 = the close before the window's first minute
 *   (`minuteStart`), c_end = its last close: the window's return in day-σ units, about N(0, 1)
 *   for a random walk whatever N, so "extended" means the same on every timeframe
 * - the tail: the window's last ⌈N/5⌉ minutes (1, 1, 12), where a climax sits
 * - every card needs N + 60 minutes of bars (`warming up: k of N + 60 minutes of bars`): the day
 *   must reach an hour beyond the window, or the window is the day
 * - minute returns are `logReturns` (price-series.ts, cached per series and shared with `daySigma`):
 *   the warm-up guarantees every window minute has a close before it
 *
 * Cost: O(N) per card; `dayExtremes` O(day) once per series (the bar ring builds one per minute).
 */
import type { BarSeries } from "../../inputs/bar-ring.js";
import { coveredMinutes, MIN_BASELINE_MINUTES, minuteStart, warmingUp, windowMinutes } from "../bar-window.js";
import { daySigma, logReturns } from "../price-series.js";

/** Share of the window in its tail: ⌈N · share⌉ minutes, at least one. */
export const TAIL_SHARE = 0.2;

/** The window an exhaustion card reads. */
export interface ExhaustionWindow {
  /** Minutes in the window. */
  readonly n: number;
  /** Index of its first minute (the window is `[from, bars.length)`). */
  readonly from: number;
  /** The day's σ of minute log returns (0 when price never moved). */
  readonly sigma: number;
  /** The window's log return, close before it to its last close. */
  readonly ret: number;
  /** ret / (σ · √n); 0 when σ is 0. */
  readonly move: number;
  /** Trades in the window's minutes. */
  readonly trades: number;
}

/** The window of `windowMs` on `bars`, or the warm-up reason. */
export function exhaustionWindow(bars: BarSeries, windowMs: number): ExhaustionWindow | string {
  const n = windowMinutes(windowMs);
  const cold = warmingUp(bars, n + MIN_BASELINE_MINUTES);
  if (cold !== null) return cold;
  const from = bars.length - n;
  const ret = Math.log(bars.close[bars.length - 1] / minuteStart(bars, from));
  const sigma = daySigma(bars).sigma;
  let trades = 0;
  for (let i = from; i < bars.length; i++) trades += bars.trades[i];
  return { n, from, sigma, ret, move: sigma > 0 ? ret / (sigma * Math.sqrt(n)) : 0, trades };
}

/** Minutes in the tail of an n-minute window. */
export function tailMinutes(n: number): number {
  return Math.max(1, Math.ceil(n * TAIL_SHARE));
}

/** The day's extremes and taker totals. */
export interface DayExtremes {
  /** Latest minute index printing the day's highest high / lowest low. */
  readonly highIndex: number;
  readonly lowIndex: number;
  /** Largest close-to-close minute log return up (≥ 0) and down (≤ 0) (`logReturns`, shared with `daySigma`). */
  readonly upMax: number;
  readonly downMax: number;
  /** Taker buy and sell notional of the day, USD (volume of unknown side left out). */
  readonly buyUsd: number;
  readonly sellUsd: number;
}

const extremes = new WeakMap<BarSeries, DayExtremes>();

/** The day's extremes of `bars`, computed once per series. */
export function dayExtremes(bars: BarSeries): DayExtremes {
  let e = extremes.get(bars);
  if (e === undefined) {
    let highIndex = -1;
    let lowIndex = -1;
    let upMax = 0;
    let downMax = 0;
    let buyUsd = 0;
    let sellUsd = 0;
    const r = logReturns(bars);
    for (let i = bars.length - coveredMinutes(bars); i < bars.length; i++) {
      if (highIndex < 0 || bars.high[i] >= bars.high[highIndex]) highIndex = i;
      if (lowIndex < 0 || bars.low[i] <= bars.low[lowIndex]) lowIndex = i;
      if (r[i] > upMax) upMax = r[i];
      if (r[i] < downMax) downMax = r[i];
      buyUsd += bars.buyUsd[i];
      sellUsd += bars.sellUsd[i];
    }
    e = { highIndex, lowIndex, upMax, downMax, buyUsd, sellUsd };
    extremes.set(bars, e);
  }
  return e;
}

/**
 * Where price stands against the day: +1 when the minutes `[from, end)` printed the day's high
 * (its latest print, ties included: a double top counts), −1 when they printed the day's low, the
 * later of the two when both; 0 when neither (or one minute printed both).
 */
export function extremeSide(bars: BarSeries, from: number): -1 | 0 | 1 {
  const { highIndex, lowIndex } = dayExtremes(bars);
  const high = highIndex >= from;
  const low = lowIndex >= from;
  if (high && (!low || highIndex > lowIndex)) return 1;
  if (low && (!high || lowIndex > highIndex)) return -1;
  return 0;
}
