/**
 * `trend.breakout`: how far the last close stands beyond the range of the span before the window,
 * in units of that range: 0 inside it.
 *
 * A close above the recent trading range is the trading-range break-out rule of Brock, Lakonishok
 * & LeBaron (1992) and the channel breakout of trend followers (Donchian): price accepted beyond
 * where sellers held it for the whole span. Measured in units of the prior range, a break out of a
 * tight range counts more than the same distance out of a wide one.
 *
 * - N = window minutes (1, 5, 60); S = trendSpanMinutes[tf]; H, L = high and low of the S complete
 *   minute bars before the window's N; R = ln(H / L) (≥ 0.1 bp); C = last close
 * - x = ln(C / H) / R if C > H, ln(C / L) / R if C < L, else 0
 * - score = tanh(z(x)), center 0, prior σ 0.07 (1m), 0.1 (5m), 0.25 (1h) (0.07, 0.10, 0.24 measured
 *   on five alts in 2026-02; x is 0 on 77–91 % of windows)
 * - confidence = traded minutes / (S + N); value = 10⁴ · x · R (bps beyond the range, signed)
 * - unavailable while fewer than S + N minutes of bars exist
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes } from "../bar-window.js";
import { priorRange } from "./prior-range.js";

export const trendBreakout: CardDefinition = {
  id: "trend.breakout",
  category: "trend",
  formula:
    "x = ln(C/H)/R if C > H, ln(C/L)/R if C < L, else 0; H, L = high, low of the S = trendSpanMinutes[tf] minute bars before the window's, R = ln(H/L), C = last close; score = tanh(z(x)); " +
    "confidence = traded minutes / (S + N); value = bps beyond the range",
  units: "bps beyond the prior range (+ above its high)",
  differs:
    "Structure: zero while price stays inside the range set before the window, however far it moved within it; momentum cards read any move, mr.williams-r where the close sits inside the recent range (to fade it), trend.failed-breakout the breaks that did not hold.",
  scale: { center: 0, prior: { "1m": 0.07, "5m": 0.1, "1h": 0.25 } },
  feeds: ["trade"],
  compute({ bars, windowMs, timeframe, params }, self) {
    const n = windowMinutes(windowMs);
    const span = params.trendSpanMinutes[timeframe];
    const cold = warmingUp(bars, span + n);
    if (cold !== null) return unavailable(cold);
    const p = priorRange(bars, n, span);
    const beyond = p.close > p.high ? Math.log(p.close / p.high) : p.close < p.low ? Math.log(p.close / p.low) : 0;
    return directional(self, beyond / p.logRange, p.coverage, beyond * 1e4);
  },
};
