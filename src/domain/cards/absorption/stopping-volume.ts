/**
 * `absorption.stopping-volume`: the window's heaviest minute, and whether its aggression moved
 * price. Wyckoff's "stopping volume": a climactic bar of heavy selling that closes off its low
 * shows demand absorbing supply (bullish); heavy buying that closes off its high shows supply
 * absorbing demand (bearish).
 *
 * Trade `side` is the aggressor. Climactic volume that fails to extend the move is a classic
 * reversal sign of tape reading (Wyckoff; see also Karpoff 1987 on volume and price change); the
 * direction is a judgment, not calibrated.
 *
 * - minutes: the window's last N complete one-minute bars (N = 1, 5, 60)
 * - m* = the minute with the most taker notional (buyUsd + sellUsd; the earliest on ties)
 * - d = (buyUsd − sellUsd) / (buyUsd + sellUsd) of m*; e = (close − o) / (max(high, o) − min(low, o))
 *   of m*, o = the close of the minute before (m*'s own open when that minute has no price), 0
 *   when the span is flat: the minute's move counts from where the previous one left price, so a
 *   one-print minute still has a direction
 * - x = −d · (1 − e · sgn d) / 2 (src/domain/cards/absorption/absorbed.ts)
 * - score = tanh(z(x)), center 0, prior σ 0.25
 * - confidence = min(1, trades in m* / tradeFullConfidenceCount); value = x · notional of m*:
 *   USD absorbed in the heaviest minute (+ = selling absorbed)
 * - unavailable while fewer than N minutes of bars exist; no traded minute is a measured zero
 */
import { directional, imbalance, support, unavailable, type CardDefinition } from "../card.js";
import { minuteStart, warmingUp, windowMinutes, barSideUnknown } from "../bar-window.js";
import { absorbedShare, rangeProgress } from "./absorbed.js";

export const absorptionStoppingVolume: CardDefinition = {
  id: "absorption.stopping-volume",
  category: "absorption",
  formula:
    "x = −d · (1 − e·sgn d) / 2 of the window's heaviest minute bar m*, d = (buyUsd − sellUsd)/(buyUsd + sellUsd), e = (close − o)/(max(high, o) − min(low, o)) of m*, o = previous close; score = tanh(z(x)); " +
    "confidence = min(1, trades in m* / tradeFullConfidenceCount); value = x · notional of m*",
  units: "USD (absorbed in the heaviest minute; + = selling absorbed)",
  differs:
    "Only the climactic minute, where a passive side shows itself most: absorption.flow nets the window, absorption.extremes reads the minutes that printed the high and low, not the heaviest.",
  scale: { center: 0, prior: 0.25 },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const blind = barSideUnknown(bars, bars.length - n, bars.length);
    if (blind !== null) return unavailable(blind);
    let m = -1;
    let heaviest = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      const usd = bars.buyUsd[i] + bars.sellUsd[i];
      if (bars.trades[i] > 0 && usd > heaviest) {
        heaviest = usd;
        m = i;
      }
    }
    if (m < 0) return directional(self, 0, 0, 0);
    const o = minuteStart(bars, m);
    const e = rangeProgress(o, Math.max(bars.high[m], o), Math.min(bars.low[m], o), bars.close[m]);
    const x = absorbedShare(imbalance(bars.buyUsd[m], bars.sellUsd[m]), e);
    return directional(self, x, support(bars.trades[m], params.tradeFullConfidenceCount), x * heaviest);
  },
};
