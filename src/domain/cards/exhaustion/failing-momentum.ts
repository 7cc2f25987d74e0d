/**
 * `exhaustion.failing-momentum`: a new extreme of the day reached on a slowing push. When the
 * window's recent half prints the day's high but rose less than its earlier half (or gave some
 * back), buyers are still lifting price to new highs with less and less effect: the move is running
 * out of momentum at its extreme, the tape reader's "failing momentum at the highs" (a price-only
 * cousin of the oscillator divergence). Mirror at the day's low. The sign is a judgment, not
 * calibrated.
 *
 * - window: its last N complete minutes (5, 60); h = ⌊N/2⌋; c_0 = the close before the window
 * - r₁ = ln(close of minute h / c_0) (the earlier half), r₂ = ln(c_end / close h minutes before the
 *   end) (the recent half; the middle minute of an odd N is in neither)
 * - d = (r₁ − r₂) / (σ_day · √h): the slowdown in day-σ units
 * - a = +1 when the recent half printed the day's high (ties count), −1 the day's low, the later of
 *   the two when both, 0 otherwise (exhaustion/move.ts): price is making the extreme now, not at
 *   the window's start
 * - x = −max(0, d) at a high, +max(0, −d) at a low, 0 elsewhere: only a slowing push at the extreme
 *   reads; an accelerating one is momentum, not exhaustion
 * - score = tanh(z(x)), center 0, prior σ 0.53 (5m), 0.72 (1h): the root mean square of x on the shared
 *   month of AVAX, LINK and DOT minute bars, where it is non-zero 3 % (5m) and 12 % (1h) of the time
 *   (the 1m window is unavailable; its prior repeats the 5m one)
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount); value = x
 * - unavailable on the 1m window (one bar has no halves) and until N + 60 minutes of bars exist; a
 *   window without trades (or a day without a price change) is a measured zero
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { minuteStart, tooFewMinutes, windowMinutes } from "../bar-window.js";
import { exhaustionWindow, extremeSide } from "./move.js";

export const exhaustionFailingMomentum: CardDefinition = {
  id: "exhaustion.failing-momentum",
  category: "exhaustion",
  formula:
    "x = −a · max(0, a·(r₁ − r₂)) / (σ_day·√h), r₁, r₂ = log returns of the window's earlier and recent h = ⌊N/2⌋ minutes, a = +1 if the recent h minutes printed the day's high, −1 its low, else 0; " +
    "score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "day σ (slowdown at the extreme; + = at the low)",
  differs:
    "Returns of the window's two halves, read only when the recent half makes the day's extreme: momentum cards read the move or its acceleration anywhere, divergence cards " +
    "compare price with flow, open interest or an oscillator, exhaustion.range-contraction the minutes' ranges at the extreme rather than their returns.",
  scale: { center: 0, prior: { "1m": 0.53, "5m": 0.53, "1h": 0.72 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const few = tooFewMinutes(windowMinutes(windowMs));
    if (few !== null) return unavailable(few);
    const w = exhaustionWindow(bars, windowMs);
    if (typeof w === "string") return unavailable(w);
    if (w.trades === 0 || w.sigma === 0) return directional(self, 0, 0, 0);
    const h = Math.floor(w.n / 2);
    const end = bars.length;
    const r1 = Math.log(bars.close[w.from + h - 1] / minuteStart(bars, w.from));
    const r2 = Math.log(bars.close[end - 1] / bars.close[end - h - 1]);
    const d = (r1 - r2) / (w.sigma * Math.sqrt(h));
    const a = extremeSide(bars, end - h);
    const x = a > 0 ? -Math.max(0, d) : a < 0 ? Math.max(0, -d) : 0;
    return directional(self, x, support(w.trades, params.tradeFullConfidenceCount), x);
  },
};
