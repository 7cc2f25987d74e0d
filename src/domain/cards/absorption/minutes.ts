/**
 * `absorption.minutes`: how many of the window's minutes saw the price move against their own
 * net aggression. A minute of net taker selling that closes up was absorbed by bids (bullish);
 * a minute of net buying that closes down was absorbed by offers (bearish). Counting minutes
 * rewards absorption that repeats over the window rather than one large netted print.
 *
 * Trade `side` is the aggressor. Aggression normally moves price with it (Kyle 1985); repeated
 * minutes where it does not mark a passive side that keeps taking it. A judgment, not calibrated.
 *
 * - minutes: the window's last N complete one-minute bars (N = 1, 5, 60), traded ones only
 * - per minute: q = buyUsd − sellUsd, r = close-to-close return (from its own open after a
 *   minute without price)
 * - x = (minutes with q < 0 and r > 0 − minutes with q > 0 and r < 0) / traded minutes
 * - score = tanh(z(x)), center 0, prior σ 0.5 (1m), 0.25 (5m), 0.08 (1h): a share of N minutes
 * - confidence = min(1, trades in those minutes / tradeFullConfidenceCount)
 * - value = selling-absorbed minutes − buying-absorbed minutes
 * - unavailable while fewer than N minutes of bars exist; no traded minute is a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { minuteStart, warmingUp, windowMinutes, barSideUnknown } from "../bar-window.js";

export const absorptionMinutes: CardDefinition = {
  id: "absorption.minutes",
  category: "absorption",
  formula:
    "x = (minutes with net taker selling and a close-to-close rise − minutes with net buying and a fall) / traded minutes, over the window's complete minute bars; score = tanh(z(x)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = the difference in minutes",
  units: "minutes (selling absorbed − buying absorbed)",
  differs:
    "How often aggression was absorbed minute by minute: absorption.flow nets the whole window into one figure, where one large print can hide many small absorptions or the reverse.",
  scale: { center: 0, prior: { "1m": 0.5, "5m": 0.25, "1h": 0.08 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const blind = barSideUnknown(bars, bars.length - n, bars.length);
    if (blind !== null) return unavailable(blind);
    let traded = 0;
    let trades = 0;
    let net = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      if (bars.trades[i] === 0) continue;
      traded++;
      trades += bars.trades[i];
      const q = bars.buyUsd[i] - bars.sellUsd[i];
      const r = bars.close[i] - minuteStart(bars, i);
      if (q < 0 && r > 0) net++;
      else if (q > 0 && r < 0) net--;
    }
    if (traded === 0) return directional(self, 0, 0, 0);
    return directional(self, net / traded, support(trades, params.tradeFullConfidenceCount), net);
  },
};
