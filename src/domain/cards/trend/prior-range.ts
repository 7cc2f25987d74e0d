/**
 * The range a window breaks out of, shared by `trend.breakout` and `trend.failed-breakout`: the
 * high and low of the S = trendSpanMinutes[tf] complete minutes before the window's N minutes, the
 * window's own high and low, and the last close.
 */
import type { BarSeries } from "../../inputs/bar-ring.js";
import { MIN_MINUTE_RANGE_BPS } from "../bar-window.js";
import { spanStats, tradedMinutes } from "./span.js";

export interface PriorRange {
  /** High and low of the S minutes before the window. */
  readonly high: number;
  readonly low: number;
  /** ln(high / low), at least `MIN_MINUTE_RANGE_BPS` (a range that never moved is still a tick wide). */
  readonly logRange: number;
  /** High and low of the window's minutes, and its last close. */
  readonly windowHigh: number;
  readonly windowLow: number;
  readonly close: number;
  /** Traded minutes over the span and the window / (S + N). */
  readonly coverage: number;
}

/** The prior range of a window of `n` minutes with a span of `span` minutes; the bars must hold `span + n` minutes. */
export function priorRange(bars: BarSeries, n: number, span: number): PriorRange {
  const end = bars.length;
  const before = spanStats(bars, end - n - span, end - n);
  const win = spanStats(bars, end - n, end);
  return {
    high: before.high,
    low: before.low,
    logRange: Math.max(Math.log(before.high / before.low), MIN_MINUTE_RANGE_BPS / 1e4),
    windowHigh: win.high,
    windowLow: win.low,
    close: bars.close[end - 1],
    coverage: tradedMinutes(bars, end - n - span, end) / (span + n),
  };
}
