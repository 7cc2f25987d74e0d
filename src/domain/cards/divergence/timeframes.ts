/**
 * `divergence.timeframes`: the window's move against the longer trend before it. When the
 * window's minutes fall while the span before them rose, the short move is a pullback against
 * the trend, and the card leans with the trend (bullish); a bounce inside a downtrend leans
 * bearish. A window moving with the trend is not a divergence: 0.
 *
 * Short-horizon returns of these perpetuals revert while the trend over hours persists more
 * (docs/EVALUATION.md: 5-minute momentum has negative IC on the shared month); buying a pullback
 * in the direction of the longer trend is the practitioners' reading of the two together
 * (Elder's "triple screen", 1986). A judgment, not calibrated.
 *
 * - n = window minutes (1, 5, 60), L = divergenceTrendMinutes[tf] (60, 60, 240) minutes before them
 * - r_s = ln(close of the last minute / close n minutes earlier): the window's return on minute closes
 * - r_l = ln(close n minutes ago / price L minutes before that) (the first minute's open when no
 *   close precedes it): the trend before the window, not overlapping it
 * - x = sign(r_l) · 100 · √(|r_s| · |r_l|) when r_s and r_l have opposite signs, else 0 (%: the
 *   geometric mean of the pullback and the trend, large only when both are)
 * - score = tanh(z(x)), center 0, prior σ 0.2 % (1m), 0.3 % (5m), 0.7 % (1h)
 *   (the root mean square of x on the shared month of Binance bars, AVAX and LINK, 2026-02)
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than n + L minutes of bars exist; a flat window or trend is a
 *   measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { minuteStart, warmingUp, windowMinutes } from "../bar-window.js";
import { tradesIn } from "./swing.js";

export const divergenceTimeframes: CardDefinition = {
  id: "divergence.timeframes",
  category: "divergence",
  formula:
    "x = sign(r_l) · 100 · √(|r_s| · |r_l|) when r_s · r_l < 0 else 0, r_s = log return of the window's minute closes, r_l = log return of the divergenceTrendMinutes[tf] minutes before them; " +
    "score = tanh(z(x)) (leans with the longer trend); confidence = min(1, trades in the window / tradeFullConfidenceCount); value = x",
  units: "% (geometric mean of the pullback and the trend, signed as the trend)",
  differs:
    "The window's move only where it runs against the trend of the span before it, leaning with that trend: momentum.return follows the window's move (so the two often disagree), momentum.agreement counts the signs of nested horizons, momentum.acceleration compares adjacent spans, mean-reversion cards fade a stretch whatever the trend.",
  scale: { center: 0, prior: { "1m": 0.2, "5m": 0.3, "1h": 0.7 } },
  feeds: ["trade"],
  compute(input, self) {
    const { bars, params } = input;
    const n = windowMinutes(input.windowMs);
    const trend = params.divergenceTrendMinutes[input.timeframe];
    const cold = warmingUp(bars, n + trend);
    if (cold !== null) return unavailable(cold);
    const end = bars.length - 1;
    const pivot = bars.length - n - 1;
    const first = bars.length - n - trend;
    const rShort = Math.log(bars.close[end] / bars.close[pivot]);
    const rLong = Math.log(bars.close[pivot] / minuteStart(bars, first));
    const x = rShort * rLong < 0 ? Math.sign(rLong) * 100 * Math.sqrt(Math.abs(rShort) * Math.abs(rLong)) : 0;
    return directional(self, x, support(tradesIn(bars, bars.length - n, bars.length), params.tradeFullConfidenceCount));
  },
};
