/**
 * `vwap.anchored`: the last close against the VWAP anchored at the most recent of the lookback's
 * high and low, in bps, faded: price far from the average cost of everyone who traded since the
 * last extreme leans back toward it.
 *
 * An anchored VWAP (Brian Shannon, "Maximum Trading Gains with Anchored VWAP", 2023) is the average
 * cost of every unit traded since an event. Anchored at a high, price above it means buyers since
 * the top are in profit; anchored at a low, price below it means sellers since the bottom are. Read
 * as a trend signal by its users; on the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars,
 * followed, its 5-minute rank IC was −0.006 (1m), −0.030 (5m), −0.024 (1h) (in sample): the
 * distance was given back, as the other price-against-VWAP cards revert. So it fades (a judgment
 * that out-of-sample evaluation must confirm).
 *
 * - L = vwapAnchorMinutes[tf] (60, 240, 1 440) complete minutes; the extreme = the later of the
 *   first minute printing the highest high and the first printing the lowest low (cached per bar
 *   series and L); AVWAP = VWAP from that minute through the last (src/domain/cards/vwap/session.ts)
 * - value = ln(C / AVWAP) in bps, C = the last close; x = −value; score = tanh(z(x)), center 0,
 *   prior σ 25 bps (1m), 50 bps (5m), 120 bps (1h): the RMS of x on the shared month, rounded
 * - confidence = min(1, trades since the extreme / tradeFullConfidenceCount)
 * - unavailable "warming up: k of L minutes of bars"; no volume since the extreme is a measured 0
 *   with confidence 0
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import type { BarSeries } from "../../inputs/bar-ring.js";
import { lastClose } from "../mean-reversion/span.js";
import { barSums, spanTrades, spanVwap } from "./session.js";

const extremesCache = new WeakMap<BarSeries, Map<number, number>>();

/** Index of the later of the first minute printing the highest high and the first printing the lowest low of the last `minutes`. */
export function lastExtreme(bars: BarSeries, minutes: number): number {
  let byMinutes = extremesCache.get(bars);
  if (byMinutes === undefined) {
    byMinutes = new Map();
    extremesCache.set(bars, byMinutes);
  }
  let e = byMinutes.get(minutes);
  if (e === undefined) {
    let hi = -1;
    let lo = -1;
    for (let i = Math.max(0, bars.length - minutes); i < bars.length; i++) {
      if (hi < 0 || bars.high[i] > bars.high[hi]) hi = i;
      if (lo < 0 || bars.low[i] < bars.low[lo]) lo = i;
    }
    e = Math.max(hi, lo);
    byMinutes.set(minutes, e);
  }
  return e;
}

export const vwapAnchored: CardDefinition = {
  id: "vwap.anchored",
  category: "vwap",
  formula:
    "x = −ln(C / AVWAP) in bps, AVWAP = VWAP since the later of the highest high and lowest low of the last vwapAnchorMinutes[tf] minute bars, C = last close; " +
    "score = tanh(z(x)) (contrarian); confidence = min(1, trades since the extreme / tradeFullConfidenceCount); value = ln(C / AVWAP) in bps",
  units: "bps (last close above the VWAP since the last extreme > 0)",
  differs:
    "A VWAP anchored at an event, the last extreme, rather than at a clock: vwap.distance uses a rolling span, vwap.session-band the session; mr.williams-r reads the close against " +
    "the extremes themselves rather than the average cost since one.",
  scale: { center: 0, prior: { "1m": 25, "5m": 50, "1h": 120 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const minutes = params.vwapAnchorMinutes[timeframe];
    const cold = warmingUp(bars, minutes);
    if (cold !== null) return unavailable(cold);
    const from = lastExtreme(bars, minutes);
    const sums = barSums(bars);
    const { vwap } = spanVwap(sums, from, bars.length);
    if (!(vwap > 0)) return directional(self, 0, 0, 0);
    const d = Math.log(lastClose(bars) / vwap) * 10_000;
    return directional(self, -d, support(spanTrades(sums, from, bars.length), params.tradeFullConfidenceCount), d);
  },
};
