/**
 * `trend.failed-breakout`: a window that traded beyond the range of the span before it and closed
 * back inside: the excursion that was rejected, in units of that range, bullish for a failed break
 * of the low and bearish for a failed break of the high.
 *
 * A break that does not hold traps the traders who acted on it (stops run, breakout buyers long
 * above the old high) and their exit pushes price back through the range: Wyckoff's "spring" below
 * support and "upthrust" above resistance. A judgment, not calibrated.
 *
 * - N = window minutes (1, 5, 60); S = trendSpanMinutes[tf]; H, L = high and low of the S complete
 *   minute bars before the window's N; R = ln(H / L) (≥ 0.1 bp); H_w, L_w = the window's high and
 *   low; C = last close
 * - up = ln(H_w / H) / R if H_w > H and C ≤ H, else 0; down = ln(L / L_w) / R if L_w < L and C ≥ L, else 0
 * - x = down − up
 * - score = tanh(z(x)), center 0, prior σ 0.035 (1m), 0.05 (5m), 0.12 (1h) (0.036, 0.050, 0.120
 *   measured on five alts in 2026-02; x is 0 on 74–92 % of windows)
 * - confidence = traded minutes / (S + N); value = 10⁴ · x · R (bps of rejected excursion, + below)
 * - unavailable while fewer than S + N minutes of bars exist
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes } from "../bar-window.js";
import { priorRange } from "./prior-range.js";

export const trendFailedBreakout: CardDefinition = {
  id: "trend.failed-breakout",
  category: "trend",
  formula:
    "x = down − up, up = ln(H_w/H)/R if the window's high H_w > H and C ≤ H, down = ln(L/L_w)/R if L_w < L and C ≥ L; H, L, R = ln(H/L) of the S = trendSpanMinutes[tf] minute bars before the window's; " +
    "score = tanh(z(x)); confidence = traded minutes / (S + N); value = rejected bps",
  units: "bps of rejected excursion beyond the prior range (+ below its low)",
  differs:
    "Price structure alone: the break beyond the prior range that closed back inside (trend.breakout reads the break that held); absorption.extremes reads the taker flow at the window's extremes, exhaustion cards a climax after an extended move.",
  scale: { center: 0, prior: { "1m": 0.035, "5m": 0.05, "1h": 0.12 } },
  feeds: ["trade"],
  compute({ bars, windowMs, timeframe, params }, self) {
    const n = windowMinutes(windowMs);
    const span = params.trendSpanMinutes[timeframe];
    const cold = warmingUp(bars, span + n);
    if (cold !== null) return unavailable(cold);
    const p = priorRange(bars, n, span);
    const up = p.windowHigh > p.high && p.close <= p.high ? Math.log(p.windowHigh / p.high) : 0;
    const down = p.windowLow < p.low && p.close >= p.low ? Math.log(p.low / p.windowLow) : 0;
    return directional(self, (down - up) / p.logRange, p.coverage, (down - up) * 1e4);
  },
};
