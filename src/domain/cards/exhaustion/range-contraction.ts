/**
 * `exhaustion.range-contraction`: price at the day's extreme while the minutes' ranges shrink. A
 * push to a new high whose recent minutes cover far less ground than its earlier ones is a move
 * losing participation at its extreme (fewer aggressors, thinner follow-through): the range
 * exhaustion of bar-chart reading, faded. Mirror at the day's low. The sign is a judgment, not
 * calibrated.
 *
 * - window: its last N complete minutes (5, 60); h = ⌊N/2⌋
 * - R₁, R₂ = mean range (ln(high/low) in bps, at least 0.1 bp: `minuteRangeBps`) of the traded
 *   minutes of the earlier and the recent h minutes (the middle minute of an odd N is in neither)
 * - a = +1 when the recent h minutes printed the day's high (ties count), −1 the day's low, the
 *   later of the two when both, 0 otherwise (exhaustion/move.ts): price is at the extreme now, so a
 *   window that left the low at its start and rallied is not "at the low"
 * - x = −a · max(0, ln(R₁ / R₂)): only shrinking ranges at an extreme read
 * - score = tanh(z(x)), center 0, prior σ 0.1: the root mean square of x on the shared month of AVAX,
 *   LINK and DOT minute bars (0.094 on 5m, 0.085 on 1h), where it is non-zero 3 % (5m) and 10 % (1h) of
 *   the time, so a reading usually saturates: it is an event more than a level
 * - confidence = min(1, trades in the window's minutes / tradeFullConfidenceCount); value = ln(R₁ / R₂)
 * - unavailable on the 1m window (one bar has no halves) and until N + 60 minutes of bars exist; a
 *   window with a half that never traded is a measured zero (confidence 0)
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { minuteRangeBps, tooFewMinutes, windowMinutes } from "../bar-window.js";
import type { BarSeries } from "../../inputs/bar-ring.js";
import { exhaustionWindow, extremeSide } from "./move.js";

export const exhaustionRangeContraction: CardDefinition = {
  id: "exhaustion.range-contraction",
  category: "exhaustion",
  formula:
    "x = −a · max(0, ln(R₁/R₂)), R₁, R₂ = mean minute range (bps) of the window's earlier and recent ⌊N/2⌋ minutes, a = +1 if the recent ⌊N/2⌋ minutes printed the day's high, −1 its low, else 0; " +
    "score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = ln(R₁/R₂)",
  units: "ln ratio of minute ranges (earlier / recent)",
  differs:
    "Shrinking minute ranges, read only at the day's extreme and against it: volatility cards read range compression anywhere and without a side, " +
    "exhaustion.failing-momentum the halves' returns rather than their ranges.",
  scale: { center: 0, prior: 0.1 },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const few = tooFewMinutes(windowMinutes(windowMs));
    if (few !== null) return unavailable(few);
    const w = exhaustionWindow(bars, windowMs);
    if (typeof w === "string") return unavailable(w);
    const h = Math.floor(w.n / 2);
    const early = meanRange(bars, w.from, w.from + h);
    const late = meanRange(bars, bars.length - h, bars.length);
    if (w.trades === 0 || Number.isNaN(early) || Number.isNaN(late)) return directional(self, 0, 0, 0);
    const shrink = Math.log(early / late);
    const x = -extremeSide(bars, bars.length - h) * Math.max(0, shrink);
    return directional(self, x, support(w.trades, params.tradeFullConfidenceCount), shrink);
  },
};

/** Mean `minuteRangeBps` of the traded minutes of `[from, to)`, NaN without one. */
function meanRange(bars: BarSeries, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    if (bars.trades[i] === 0) continue;
    sum += minuteRangeBps(bars, i);
    n++;
  }
  return n > 0 ? sum / n : Number.NaN;
}
