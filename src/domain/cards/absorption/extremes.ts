/**
 * `absorption.extremes`: aggression at the window's high or low that the price then left behind.
 * Net selling in the minute that printed the window's low, with price since recovered toward the
 * high, is selling absorbed at the low (bullish: a defended low); net buying in the minute that
 * printed the high, with price since fallen back, is buying absorbed at the high (bearish: a
 * failed push to new highs).
 *
 * Trade `side` is the aggressor. The tape-reading pattern (heavy aggression into an extreme that
 * fails to extend it; Wyckoff's "test" of a high or low) is a judgment, not calibrated.
 *
 * - minutes: the window's last N complete one-minute bars (N = 1, 5, 60), traded ones only;
 *   H, L = highest high and lowest low, C = close of the last minute
 * - d_H, d_L = (buyUsd − sellUsd) / (buyUsd + sellUsd) of the (last) minute that printed H, L
 * - x = max(0, −d_L) · (C − L)/(H − L) − max(0, d_H) · (H − C)/(H − L); 0 when H = L
 * - score = tanh(z(x)), center 0, prior σ 0.3
 * - confidence = min(1, trades in the minutes that printed H and L / tradeFullConfidenceCount);
 *   value = x
 * - unavailable while fewer than N minutes of bars exist; no traded minute is a measured zero
 */
import { directional, imbalance, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes, barSideUnknown } from "../bar-window.js";

export const absorptionExtremes: CardDefinition = {
  id: "absorption.extremes",
  category: "absorption",
  formula:
    "x = max(0, −d_L)·(C − L)/(H − L) − max(0, d_H)·(H − C)/(H − L), H, L = window high and low over its minute bars, d_H, d_L = taker imbalance of the minute that printed each, C = last close; " +
    "score = tanh(z(x)); confidence = min(1, trades in those minutes / tradeFullConfidenceCount); value = x",
  units: "share (selling absorbed at the low − buying absorbed at the high)",
  differs:
    "Aggression at the window's extremes only, weighted by how far price has left them: absorption.flow and absorption.minutes read aggression wherever it happened.",
  scale: { center: 0, prior: 0.3 },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const blind = barSideUnknown(bars, bars.length - n, bars.length);
    if (blind !== null) return unavailable(blind);
    let iH = -1;
    let iL = -1;
    for (let i = bars.length - n; i < bars.length; i++) {
      if (bars.trades[i] === 0) continue;
      if (iH < 0 || bars.high[i] >= bars.high[iH]) iH = i;
      if (iL < 0 || bars.low[i] <= bars.low[iL]) iL = i;
    }
    if (iH < 0) return directional(self, 0, 0, 0);
    const high = bars.high[iH];
    const low = bars.low[iL];
    const close = bars.close[bars.length - 1];
    const trades = bars.trades[iH] + (iL === iH ? 0 : bars.trades[iL]);
    const range = high - low;
    const x =
      range > 0
        ? (Math.max(0, -imbalance(bars.buyUsd[iL], bars.sellUsd[iL])) * (close - low)) / range - (Math.max(0, imbalance(bars.buyUsd[iH], bars.sellUsd[iH])) * (high - close)) / range
        : 0;
    return directional(self, x, support(trades, params.tradeFullConfidenceCount), x);
  },
};
