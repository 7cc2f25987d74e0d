/**
 * `levels.clearance`: how much of each side's nearby estimated fuel price has already swept in the
 * window. A side whose levels near the price were mostly taken has been flushed: the forced orders
 * that could extend the move that way are spent. Longs cleared below lean bullish, shorts cleared
 * above bearish.
 *
 * - r = magnetRangePct[timeframe]; P = last trade
 * - c_long = swept long notional in the window / (that + long levels still within [P·(1 − r/100), P));
 *   c_short likewise with short levels above; 0 for a side with neither
 * - x = c_long − c_short; score = tanh(z(x)), center 0, prior σ 0.3; value = x
 * - confidence = min(1, levels swept in the window / liqFullConfidenceCount); a window without sweeps
 *   is a measured zero (confidence 0)
 * - unavailable before the first trade
 *
 * Why: after a flush the side that was liquidated has fewer leveraged positions left to force out,
 * and price tends to retrace (a judgment, not calibrated). Swept notional is valued at the sweep,
 * remaining levels now; both are estimated (docs/liquidation-model.md).
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { fuelNear, levelMap } from "./level-map.js";

function cleared(swept: number, remaining: number): number {
  return swept > 0 ? swept / (swept + remaining) : 0;
}

export const levelsClearance: CardDefinition = {
  id: "levels.clearance",
  category: "levels",
  formula:
    "x = c_long − c_short, c = notional swept in the window / (swept + estimated levels still within magnetRangePct[tf] on that side); score = tanh(z(x)); " +
    "confidence = min(1, levels swept / liqFullConfidenceCount); value = x",
  units: "fraction of nearby levels cleared (long − short)",
  differs:
    "What share of a side's nearby fuel is already spent (cleared longs lean bullish); liq.sweep reads the swept notional as the pressure it made (swept longs bearish), levels.density-skew what remains.",
  scale: { center: 0, prior: 0.3 },
  feeds: ["oi", "trade"],
  compute({ liq, windowMs, params, timeframe }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    const s = liq.sweptIn(windowMs);
    const { up, down } = fuelNear(map.view, map.price, params.magnetRangePct[timeframe]);
    const x = cleared(s.longUsd, down) - cleared(s.shortUsd, up);
    return directional(self, x, support(s.longCount + s.shortCount, params.liqFullConfidenceCount));
  },
};
