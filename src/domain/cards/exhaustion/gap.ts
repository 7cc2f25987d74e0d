/**
 * `exhaustion.gap`: an exhaustion gap: a jump late in a move, in its direction, that price then
 * failed to build on. Perpetuals trade around the clock, so a gap is a jump minute: a minute
 * return far beyond the day's σ. A jump that continues is a breakaway or runaway move; one that
 * stalls after a move already under way is the move's last spasm (Edwards and Magee, "Technical
 * Analysis of Stock Trends": the exhaustion gap). Faded; a judgment, not calibrated.
 *
 * - window: its last N complete minutes (5, 60); c_0 = the close before it; r_i = minute returns
 * - j = the window's minute with the largest |r_j| among those with a minute before them in the
 *   window and a minute after them (the earliest on ties); J = r_j
 * - it counts only as an exhaustion gap when the window moved the jump's way before it:
 *   sgn(J) · ln(c_{j−1} / c_0) > 0 (else x = 0: a jump against the move or opening it)
 * - follow-through f = sgn(J) · ln(c_end / c_j); stall = min(1, max(0, 1 − f / |J|)): 1 when price
 *   gained nothing more (or gave the jump back), 0 when it went on by another jump
 * - x = −sgn(J) · (|J| / σ_day) · stall
 * - score = tanh(z(x)), center 0, prior σ 0.95 (5m), 2.3 (1h): the root mean square of x on the shared
 *   month of AVAX, LINK and DOT minute bars (the 1m window is unavailable; its prior repeats the 5m one)
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount); value = x
 * - unavailable on the 1m window (a jump needs minutes before and after it in the window) and until
 *   N + 60 minutes of bars exist; a window without trades (or a day without a price change) is a
 *   measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { minuteStart, tooFewMinutes, windowMinutes } from "../bar-window.js";
import { logReturns } from "../price-series.js";
import { exhaustionWindow } from "./move.js";

export const exhaustionGap: CardDefinition = {
  id: "exhaustion.gap",
  category: "exhaustion",
  formula:
    "x = −sgn(J) · (|J|/σ_day) · stall, J = the window's largest minute return with a move its way before it, stall = clamp(1 − follow-through after J / |J|, 0, 1); " +
    "score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "day σ (stalled jump; + = after a downward jump)",
  differs:
    "A jump in the move's direction that price then failed to extend, faded: exhaustion.blow-off reads the final thrust before any stall, mean-reversion cards " +
    "the stretch from a mean, momentum and trend cards follow the move.",
  scale: { center: 0, prior: { "1m": 0.95, "5m": 0.95, "1h": 2.3 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const few = tooFewMinutes(windowMinutes(windowMs));
    if (few !== null) return unavailable(few);
    const w = exhaustionWindow(bars, windowMs);
    if (typeof w === "string") return unavailable(w);
    if (w.trades === 0 || w.sigma === 0) return directional(self, 0, 0, 0);
    const end = bars.length;
    const r = logReturns(bars);
    let j = -1;
    let jump = 0;
    for (let i = w.from + 1; i < end - 1; i++) {
      if (Math.abs(r[i]) > Math.abs(jump)) {
        jump = r[i];
        j = i;
      }
    }
    const s = Math.sign(jump);
    const before = j < 0 ? 0 : s * Math.log(minuteStart(bars, j) / minuteStart(bars, w.from));
    if (j < 0 || before <= 0) return directional(self, 0, support(w.trades, params.tradeFullConfidenceCount), 0);
    const follow = s * Math.log(bars.close[end - 1] / bars.close[j]);
    const stall = Math.min(1, Math.max(0, 1 - follow / Math.abs(jump)));
    const x = (-s * (Math.abs(jump) / w.sigma)) * stall;
    return directional(self, x, support(w.trades, params.tradeFullConfidenceCount), x);
  },
};
