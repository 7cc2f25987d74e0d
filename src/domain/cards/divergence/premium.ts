/**
 * `divergence.premium`: a break the perpetual's premium did not follow, so spot led it. When the
 * window's minute closes break above the range of the span before them while the premium of mark
 * over index fell, the index rose further than the perpetual: spot buyers, not leveraged perp
 * demand, carried the break, and the perpetual is anchored to that index (funding pulls it back to
 * it). The card leans with the index's move (bullish); a break down with the premium rising, the
 * index falling further, is bearish. A break the premium followed (perp-led) or no break: 0.
 *
 * The perpetual's return over the window is the index's plus the premium's change, so the index's
 * return is recovered as r − Δp. Spot-led moves are the ones unlevered buyers make; leverage-led
 * moves are the ones that unwind when the leveraged side is squeezed (derivatives.perp-led flags
 * those). That a spot-led break continues is a practitioners' reading, a judgment, not calibrated.
 *
 * - window minutes: the last n complete minute bars (1, 5, 60); prior span: the N =
 *   divergenceMinutes[tf] minutes before them; up/down: the window's closes broke above/below
 *   every close of the prior span (swing.ts)
 * - r = 10⁴ · ln(last close / close before the window's minutes), bps; Δp = mean over venues known
 *   at both ends of (premium now − premium at the window start), bps (derivatives/premium-path.ts)
 * - i = r − Δp: the index's move, bps
 * - x = max(0, i) on a break up with Δp < 0, −max(0, −i) on a break down with Δp > 0, else 0
 * - score = tanh(z(x)), center 0, prior σ 5 bps (1m), 10 bps (5m), 30 bps (1h) (a judgment: about
 *   half the window's usual move, the share of windows that break and lead with spot)
 * - confidence = (venues known at both ends / venues with an index) · min(1, trades in the window's
 *   minutes / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than n + N minutes of bars exist, until a mark carried an index price,
 *   and when no venue knows its premium both now and at the window start
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes } from "../bar-window.js";
import { NO_INDEX_REASON, NO_PATH_REASON, premiumChange } from "../derivatives/premium-path.js";
import { breakOf, swingMinutes, tradesIn } from "./swing.js";

export const divergencePremium: CardDefinition = {
  id: "divergence.premium",
  category: "divergence",
  formula:
    "x = max(0, r − Δp) on a break up with Δp < 0, −max(0, Δp − r) on a break down with Δp > 0, else 0; break = the window's minute closes beyond every close of the divergenceMinutes[tf] minutes before, " +
    "r = window return (bps), Δp = premium change over the window (bps, mean over venues); score = tanh(z(x)) (leans with the index); confidence = venues known at both ends / venues with an index · min(1, trades / tradeFullConfidenceCount); value = x",
  units: "bps (the index's move in a break the premium went against)",
  differs:
    "Breaks led by spot, sized by the index's move: derivatives.premium-change follows the premium's change everywhere (so it leans against these breaks), derivatives.perp-led flags the opposite case, a perp-led move, as fragile stress, trend.breakout reads the break whoever led it.",
  scale: { center: 0, prior: { "1m": 5, "5m": 10, "1h": 30 } },
  feeds: ["mark", "trade"],
  compute(input, self) {
    const { bars, premium, params } = input;
    const n = windowMinutes(input.windowMs);
    const span = swingMinutes(input);
    const cold = warmingUp(bars, n + span);
    if (cold !== null) return unavailable(cold);
    if (premium.length === 0) return unavailable(NO_INDEX_REASON);
    const change = premiumChange(premium);
    if (change.venues === 0) return unavailable(NO_PATH_REASON);
    const b = breakOf(bars, n, span);
    const end = bars.length - 1;
    const index = 1e4 * Math.log(bars.close[end] / bars.close[end - n]) - change.bps;
    let x = 0;
    if (b.up && change.bps < 0) x += Math.max(0, index);
    if (b.down && change.bps > 0) x -= Math.max(0, -index);
    const confidence = (change.venues / premium.length) * support(tradesIn(bars, bars.length - n, bars.length), params.tradeFullConfidenceCount);
    return directional(self, x, confidence);
  },
};
