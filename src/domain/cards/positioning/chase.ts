/**
 * `positioning.chase`: open interest built right after a price move. Positions opened after a
 * move has happened chase it at worse prices; late builds of this kind tend to mark the
 * exhaustion of the move (late longs after a rise are the fuel of the next pullback), so the card
 * fades the earlier move in proportion to the leverage that chased it. A judgment, not calibrated.
 *
 * - r₋₁ = 100 · ln(P(ts − W) / P(ts − 2W)): the move of the window before this one, W = window,
 *   P(t) = close of the last complete one-minute bar ending at or before t (bars: 24 h)
 * - d = 100 · ΔOI / OI_start over this window (base, matched venues, open-interest/oi-measures.ts)
 * - x = −r₋₁ · max(0, d) (open interest falling is no chase: 0)
 * - score = tanh(z(x)), center 0, prior σ 0.005 (1m), 0.03 (5m), 0.5 (1h) %·% (σ_r · σ_d / 2)
 * - confidence = OI confidence; value = x
 * - unavailable while the bars do not reach two windows back ("warming up"), when open interest
 *   is stale or unknown at the window start
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import type { BarSeries } from "../../inputs/bar-ring.js";
import { oiChange } from "../open-interest/oi-measures.js";

const MINUTE_MS = 60_000;

/** Close of the last complete minute ending at or before `t`; null when the bars do not reach it or no trade came before. */
function closeAt(bars: BarSeries, t: number): number | null {
  const i = Math.floor(t / MINUTE_MS) - bars.t0 / MINUTE_MS - 1;
  if (i < 0 || i >= bars.length) return null;
  const p = bars.close[i];
  return Number.isFinite(p) && p > 0 ? p : null;
}

export const positioningChase: CardDefinition = {
  id: "positioning.chase",
  category: "positioning",
  formula:
    "x = −r₋₁ · max(0, d), r₋₁ = 100 · ln(P(ts − W)/P(ts − 2W)) from one-minute closes, d = ΔOI % over this window (base, matched venues); score = tanh(z(x)) (contrarian); " +
    "confidence = OI confidence; value = x",
  units: "% · % (earlier move × OI growth, sign flipped)",
  differs:
    "Open interest arriving after the move, not with it: oi.quadrant reads the OI change with the same window's price move (continuation), mean-reversion cards fade a move whether or not leverage chased it.",
  scale: { center: 0, prior: { "1m": 0.005, "5m": 0.03, "1h": 0.5 } },
  feeds: ["oi", "trade"],
  compute(input, self) {
    const c = oiChange(input);
    if (typeof c === "string") return unavailable(c);
    const bars = input.bars;
    const p1 = closeAt(bars, input.ts - input.windowMs);
    const p2 = closeAt(bars, input.ts - 2 * input.windowMs);
    if (p1 === null || p2 === null) return unavailable(`warming up: no one-minute close ${(2 * input.windowMs) / MINUTE_MS} minutes back`);
    const x = -100 * Math.log(p1 / p2) * Math.max(0, 100 * c.change);
    return directional(self, x, c.confidence);
  },
};
