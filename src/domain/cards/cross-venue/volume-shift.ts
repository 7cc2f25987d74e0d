/**
 * `xv.volume-shift` (stress): how much of the trading moved between venues, this window against
 * the rest of the next longer one.
 *
 * Each venue's share of a symbol's volume is steady from hour to hour (depth, fees, its users).
 * When activity migrates (one venue suddenly trades much more of the symbol than it did), something
 * venue-specific is going on: a venue-local squeeze or liquidation run, a listing or a promotion,
 * a large participant working one venue, another venue's outage. The summed volume hides it; it
 * has no direction by itself. A judgment, not calibrated.
 *
 * - s_v = venue v's share of the window's traded notional (taker buys, sells and bars' volume of
 *   unknown side); r_v = its share in the reference: the next longer timeframe's window less this
 *   one (1m: the four minutes before it, 5m: the 55 minutes before it)
 * - x = 100 · ½ Σ_v |s_v − r_v| (% of the volume that changed venue); strength =
 *   tanh(max(z(x), 0)), center 0, prior σ 10 % (1m), 5 % (5m); score 0
 * - confidence = min(1, trades in the window / tradeFullConfidenceCount, trades in the reference /
 *   tradeFullConfidenceCount); value = x
 * - a window without trades is a measured 0 (confidence 0); unavailable below two venues delivering
 *   trades, on the longest timeframe (venue windows are kept for one hour: nothing longer to compare
 *   the hour with), and when the reference has no trades
 *
 * Bars carry their venue, so bar-fed symbols are read as well. Cost: O(venues²) (four at most).
 */
import { TIMEFRAMES, type Timeframe } from "../../vocabulary.js";
import { prints, stress, support, unavailable, type CardDefinition, type CardInput } from "../card.js";
import { FEWER_THAN_TWO_TRADING, tradingVenues, volumeUsd } from "./venues.js";

/** The timeframe with the shortest window longer than `input`'s; null on the longest. */
function nextLonger(input: CardInput): Timeframe | null {
  let best: Timeframe | null = null;
  for (const tf of TIMEFRAMES) {
    const ms = input.timeframes[tf].windowMs;
    if (ms > input.windowMs && (best === null || ms < input.timeframes[best].windowMs)) best = tf;
  }
  return best;
}

export const xvVolumeShift: CardDefinition = {
  id: "xv.volume-shift",
  category: "cross-venue",
  kind: "stress",
  formula:
    "x = 100 · ½ Σ_v |s_v − r_v|, s_v = venue v's share of the window's traded notional, r_v its share in the next longer window less this one; strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, trades in each of the two / tradeFullConfidenceCount); value = x",
  units: "% of traded notional that changed venue",
  differs:
    "Where the trading happens, not how much (volume.*) nor where positions sit (oi.venue-rotation reads open-interest shares); xv.flow-dispersion reads the venues' taker sides, not their volume.",
  scale: { center: 0, prior: { "1m": 10, "5m": 5, "1h": 5 } },
  feeds: ["trade"],
  compute(input, self) {
    const { venues, window: w, params } = input;
    if (tradingVenues(venues) < 2) return unavailable(FEWER_THAN_TWO_TRADING);
    const longerTf = nextLonger(input);
    if (longerTf === null) return unavailable("no longer window than this one to compare the venues' shares with (venue windows are kept for one hour)");
    const longer = input.timeframes[longerTf];
    let now = 0;
    let before = 0;
    for (const l of longer.venues) {
      const v = venues.find((x) => x.venue === l.venue);
      const usd = v === undefined ? 0 : volumeUsd(v.window);
      now += usd;
      before += Math.max(0, volumeUsd(l.window) - usd);
    }
    if (now === 0) return stress(self, 0, 0);
    if (before === 0) return unavailable(`no trades in the rest of the ${longerTf} window to compare with`);
    let moved = 0;
    for (const l of longer.venues) {
      const v = venues.find((x) => x.venue === l.venue);
      const usd = v === undefined ? 0 : volumeUsd(v.window);
      moved += Math.abs(usd / now - Math.max(0, volumeUsd(l.window) - usd) / before);
    }
    const confidence = Math.min(support(prints(w), params.tradeFullConfidenceCount), support(prints(longer.window) - prints(w), params.tradeFullConfidenceCount));
    return stress(self, 50 * moved, confidence);
  },
};
