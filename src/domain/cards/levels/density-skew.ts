/**
 * `levels.density-skew`: how much estimated liquidation notional lies above the price against
 * below it, within a range. Short levels above are forced buys waiting for a rise, long levels
 * below forced sells waiting for a fall; the side holding more is the one a move can feed on.
 *
 * - r = magnetRangePct[timeframe] (1 %, 2 %, 5 %: the range levels.magnet searches); P = last trade
 * - S = estimated short-level notional in (P, P·(1 + r/100)], L = long-level notional in [P·(1 − r/100), P)
 * - x = (S − L) / (S + L); score = tanh(z(x)), center 0, prior σ 0.5; value = S − L (USD)
 * - confidence = min(1, OI cohorts / levelFullConfidenceCohorts); 0 without levels in range (x = 0)
 * - unavailable before the first trade
 *
 * Why: liquidation levels are resting market orders in waiting; price is drawn to where resting
 * orders pay for a move (a judgment, not calibrated; the levels are estimated, see
 * docs/liquidation-model.md). Cost: four binary searches.
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { fuelNear, levelMap } from "./level-map.js";

export const levelsDensitySkew: CardDefinition = {
  id: "levels.density-skew",
  category: "levels",
  formula:
    "x = (S − L) / (S + L), S = estimated short levels above and L = long levels below the price within magnetRangePct[tf]; score = tanh(z(x)); " +
    "confidence = min(1, cohorts / levelFullConfidenceCohorts); value = S − L",
  units: "USD (estimated short levels above − long levels below)",
  differs:
    "The amount of estimated fuel on each side of the whole range; levels.magnet reads only the nearest large cluster weighed by distance, levels.distance how far the levels sit, cascade.* the fuel against depth.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["oi", "trade"],
  compute({ liq, params, timeframe }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    const { up, down } = fuelNear(map.view, map.price, params.magnetRangePct[timeframe]);
    const total = up + down;
    if (total === 0) return directional(self, 0, 0, 0);
    return directional(self, (up - down) / total, support(liq.cohorts, params.levelFullConfidenceCohorts), up - down);
  },
};
