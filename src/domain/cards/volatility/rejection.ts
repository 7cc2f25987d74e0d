/**
 * `vol.rejection`: which side of the minutes' ranges was rejected. A minute that traded well below
 * where it started and where it closed (a long lower shadow) tried lower prices and found them
 * refused; a long upper shadow is the same at the top. Summed over the window's minutes, lower
 * shadows outweighing upper ones is demand below the price: bullish. The reading of shadows is
 * candlestick practice (Nison 1991) and the close-location logic of Chaikin's accumulation line;
 * on one-minute bars of crypto perpetuals it is a judgment, not calibrated.
 *
 * Each minute is its path from the previous close O (high H and low L widened to include it,
 * close C), so the shadows do not depend on where the minute's first print fell.
 *
 * - per minute: lower = ln(min(O, C) / L), upper = ln(H / max(O, C)), range = ln(H / L)
 * - x = Σ (lower − upper) / Σ range over the window's last N complete minute bars (N = 1, 5, 60),
 *   in [−1, 1]; the minutes' own moves (O to C) count in the range, not in the shadows
 * - score = tanh(z(x)), center 0, prior σ 0.38 (1m), 0.17 (5m), 0.06 (1h): the RMS of x on the month
 *   of AVAX and LINK one-minute bars
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than N minutes of bars exist; a window whose price never moved is a
 *   measured 0 with confidence 0
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { minuteStart, warmingUp, windowMinutes } from "../bar-window.js";

export const volRejection: CardDefinition = {
  id: "vol.rejection",
  category: "volatility",
  formula:
    "x = Σ (lower − upper shadow) / Σ range over the window's minutes, lower = ln(min(O, C)/L), upper = ln(H/max(O, C)), range = ln(H/L), O = previous close; " +
    "score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "share of the minutes' ranges (lower − upper shadows)",
  differs:
    "The part of each minute's range that was traded and given back, by side, ignoring the minutes' own moves: vol.semivariance reads the moves that stayed, " +
    "mr.williams-r where the close sits in the span's range, absorption.extremes taker flow at the window's high and low, volume.money-flow the closes weighted by volume.",
  scale: { center: 0, prior: { "1m": 0.38, "5m": 0.17, "1h": 0.06 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    let net = 0;
    let range = 0;
    let trades = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      const open = minuteStart(bars, i);
      const close = bars.close[i];
      const high = Math.max(bars.high[i], open);
      const low = Math.min(bars.low[i], open);
      net += Math.log(Math.min(open, close) / low) - Math.log(high / Math.max(open, close));
      range += Math.log(high / low);
      trades += bars.trades[i];
    }
    if (range === 0) return directional(self, 0, 0, 0);
    const x = net / range;
    return directional(self, x, support(trades, params.tradeFullConfidenceCount), x);
  },
};
