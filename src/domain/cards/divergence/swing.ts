/**
 * The price structure the `divergence` cards compare their drivers with.
 *
 * The swing (`divergence.cvd`, `volume`, `momentum`, `hidden`, `liquidations`): the last N complete
 * one-minute bars (`divergenceMinutes[tf]`: 10, 30, 60 at the defaults) split into an earlier half A
 * (the first ⌊N/2⌋ minutes) and a later half B (the rest), and in each half the minute whose close
 * is highest and the one whose close is lowest (the latest such minute on ties).
 *
 * - a **higher high**: B's highest close is strictly above A's: price made a new high in the later half
 * - a **lower low**: B's lowest close is strictly below A's
 * - a higher low / lower high: B's lowest (highest) close strictly above (below) A's
 *
 * Closes, not highs and lows: the drivers read at those minutes (cumulative delta, an oscillator of
 * minute returns) stand at the end of the minute, as the close does. A divergence card reads its
 * driver at A's and B's extremes, or over each half: a new high the driver does not confirm leans
 * bearish, a new low it does not confirm leans bullish (Murphy, "Technical Analysis of the
 * Financial Markets", 1999, ch. 10 on divergence). A lookback that made both a higher high and a
 * lower low (an expanding range) can carry both readings; the cards net them.
 *
 * The break (`divergence.oi`, `premium`, whose drivers are known only over the window): the
 * window's minutes closing beyond every close of the N minutes before them.
 *
 * Cost: O(N) per call, no allocation beyond the result.
 */
import type { BarSeries } from "../../inputs/bar-ring.js";
import type { CardInput } from "../card.js";
import type { Timeframe } from "../../vocabulary.js";

/** The two halves of the lookback and their extreme closes (minute indexes into the bar series). */
export interface Swing {
  /** First minute of the lookback, first minute of the later half, end (exclusive). */
  readonly from: number;
  readonly mid: number;
  readonly to: number;
  /** Minutes of the highest and the lowest close in the earlier (A) and later (B) half. */
  readonly hiA: number;
  readonly hiB: number;
  readonly loA: number;
  readonly loB: number;
  readonly higherHigh: boolean;
  readonly lowerLow: boolean;
  readonly higherLow: boolean;
  readonly lowerHigh: boolean;
}

/** The swing of the last `minutes` bars of `bars` (at least 2; the caller checks the bars reach that far). */
export function swingOf(bars: BarSeries, minutes: number): Swing {
  const to = bars.length;
  const from = to - minutes;
  const mid = from + Math.floor(minutes / 2);
  const c = bars.close;
  let hiA = from;
  let loA = from;
  for (let i = from + 1; i < mid; i++) {
    if (c[i] >= c[hiA]) hiA = i;
    if (c[i] <= c[loA]) loA = i;
  }
  let hiB = mid;
  let loB = mid;
  for (let i = mid + 1; i < to; i++) {
    if (c[i] >= c[hiB]) hiB = i;
    if (c[i] <= c[loB]) loB = i;
  }
  return {
    from,
    mid,
    to,
    hiA,
    hiB,
    loA,
    loB,
    higherHigh: c[hiB] > c[hiA],
    lowerLow: c[loB] < c[loA],
    higherLow: c[loB] > c[loA],
    lowerHigh: c[hiB] < c[hiA],
  };
}

/** Minutes of the swing lookback on this timeframe (`divergenceMinutes`). */
export function swingMinutes(input: CardInput): number {
  return input.params.divergenceMinutes[input.timeframe];
}

/** Trades in minutes `[from, to)` of `bars` (bar prints included). */
export function tradesIn(bars: BarSeries, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n += bars.trades[i];
  return n;
}

/** The timeframe with the longest window: the one whose window covers a swing lookback (at most its length). */
export function longestTimeframe(input: CardInput): Timeframe {
  let best = input.timeframe;
  for (const tf of Object.keys(input.timeframes) as Timeframe[]) if (input.timeframes[tf].windowMs > input.timeframes[best].windowMs) best = tf;
  return best;
}

/**
 * Whether the last `n` minutes' closes broke out of the range of the `span` minutes before them:
 * `up` when their highest close is strictly above every close of the span, `down` when their lowest
 * is strictly below (both on a window that swept both sides). The caller checks that the bars reach
 * `n + span` minutes back.
 */
export function breakOf(bars: BarSeries, n: number, span: number): { readonly up: boolean; readonly down: boolean } {
  const c = bars.close;
  const end = bars.length;
  let priorHi = c[end - n - span];
  let priorLo = priorHi;
  for (let i = end - n - span + 1; i < end - n; i++) {
    if (c[i] > priorHi) priorHi = c[i];
    if (c[i] < priorLo) priorLo = c[i];
  }
  let up = false;
  let down = false;
  for (let i = end - n; i < end; i++) {
    if (c[i] > priorHi) up = true;
    if (c[i] < priorLo) down = true;
  }
  return { up, down };
}
