/**
 * `levels.distance` (was `liq.distance`): distance to liquidation, a margin-ratio proxy. The
 * closer the estimated positions of one side sit to their liquidation prices, the thinner their
 * margin and the more fragile that side; longs close to liquidation lean bearish, shorts close
 * lean bullish.
 *
 * - levels within ±distanceRangePct[timeframe] of P (2 %, 5 %, 10 %)
 * - d_long = notional-weighted mean (P − LP)/P of long levels below P, d_short = mean (LP − P)/P of
 *   short levels above P; a side without levels in range counts as at the range edge
 * - x = (d_long − d_short) / (d_long + d_short); score = tanh(z(x)), prior σ 0.5
 * - value = (d_long − d_short) · 100 (percentage points)
 * - confidence = min(1, open-interest cohorts / levelFullConfidenceCohorts); 0 without levels in range
 *
 * Estimated: the levels come from the open-interest model of docs/liquidation-model.md.
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { nextDown, nextUp } from "../../liquidation/cascade.js";

export const levelsDistance: CardDefinition = {
  id: "levels.distance",
  category: "levels",
  formula:
    "x = (d_long − d_short) / (d_long + d_short), d = notional-weighted mean |P − LP| / P of estimated levels within distanceRangePct[tf] per side; " +
    "score = tanh(z(x)); confidence = min(1, OI cohorts / levelFullConfidenceCohorts); value = (d_long − d_short) in percentage points",
  units: "percentage points",
  differs: "How thin the margin of each side is on average; levels.magnet reads only the nearest large cluster.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["oi", "trade"],
  compute({ liq, params, timeframe }, self) {
    const view = liq.levels();
    if (view === null || liq.price === null) return unavailable(liq.levelsReason ?? "no open-interest feed");
    const p = liq.price;
    const r = params.distanceRangePct[timeframe] / 100;
    const below = nextDown(p);
    const above = nextUp(p);
    const longUsd = view.sumUsd("long", p * (1 - r), below);
    const shortUsd = view.sumUsd("short", above, p * (1 + r));
    if (longUsd === 0 && shortUsd === 0) return directional(self, 0, 0, 0);
    const dLong = longUsd > 0 ? 1 - view.sumUsdPx("long", p * (1 - r), below) / (p * longUsd) : r;
    const dShort = shortUsd > 0 ? view.sumUsdPx("short", above, p * (1 + r)) / (p * shortUsd) - 1 : r;
    const total = dLong + dShort;
    return directional(self, total > 0 ? (dLong - dShort) / total : 0, support(liq.cohorts, params.levelFullConfidenceCohorts), (dLong - dShort) * 100);
  },
};
