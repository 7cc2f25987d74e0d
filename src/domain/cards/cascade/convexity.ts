/**
 * `cascade.convexity`: whether the estimated fuel per unit of resting depth grows or shrinks from
 * the near band to the ring beyond it, up against down. Growing fuel per depth means a move that
 * breaks through the first band meets relatively more forced orders and less cushion as it goes:
 * it accelerates.
 *
 * - b = cascadeBandPct[timeframe], P = last trade; up side (short levels above vs asks):
 *   R_in = levels in (P, P·(1 + b/100)] / ask notional within +b % of mid;
 *   R_ring = levels in (P·(1 + b/100), P·(1 + 2b/100)] / ask notional between +b % and +2b %;
 *   g_up = R_ring − R_in; the down side likewise with long levels below and bids
 * - x = g_up − g_down; score = tanh(z(x)), center 0, prior σ 1; value = x
 * - confidence = min(1, OI cohorts / levelFullConfidenceCohorts)
 * - unavailable before the first trade, while no book is synced or a side is empty, when the
 *   primary book does not reach ±2b % (depth beyond it is not held: see book-reach.ts), and when a
 *   band or ring holds levels but no depth (the ratio would be infinite)
 *
 * Why: the same fuel is far more dangerous when the book thins out behind the first band than
 * when it thickens; the shape, not the level, of the fuel/depth profile. A judgment, not
 * calibrated; the levels are estimated (docs/liquidation-model.md).
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { fuelNear, levelMap } from "../levels/level-map.js";
import { bookReachPct, pct } from "./book-reach.js";

/** Levels over depth; null when there are levels but no depth. */
function ratio(levelsUsd: number, depthUsd: number): number | null {
  if (depthUsd > 0) return levelsUsd / depthUsd;
  return levelsUsd > 0 ? null : 0;
}

export const cascadeConvexity: CardDefinition = {
  id: "cascade.convexity",
  category: "cascade",
  formula:
    "x = g_up − g_down, g = R(ring b..2b) − R(0..b), R = estimated levels beyond price / resting depth on that side, b = cascadeBandPct[tf]; score = tanh(z(x)); " +
    "confidence = min(1, cohorts / levelFullConfidenceCohorts); value = x",
  units: "ratio (levels / depth), ring minus near band, up − down",
  differs:
    "How the levels/depth ratio changes from the near band to the ring beyond it; cascade.risk-up/down read the ratio inside one band, cascade.trigger-distance where it first exceeds 1.",
  scale: { center: 0, prior: 1 },
  feeds: ["oi", "book", "trade"],
  compute({ liq, book, params, timeframe }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    if (!book.synced) return unavailable("book not synced");
    const reach = bookReachPct(book);
    const b = params.cascadeBandPct[timeframe];
    if (reach === null) return unavailable("book side empty");
    if (reach.ask < 2 * b || reach.bid < 2 * b) {
      return unavailable(`book reaches only +${pct(reach.ask)} % / −${pct(reach.bid)} % of mid, less than the ±${pct(2 * b)} % needed`);
    }
    const near = book.depthWithin(b);
    const wide = book.depthWithin(2 * b);
    if (near === null || wide === null) return unavailable("book side empty");
    const inner = fuelNear(map.view, map.price, b);
    const all = fuelNear(map.view, map.price, 2 * b);
    const upIn = ratio(inner.up, near.askNotionalUsd);
    const upRing = ratio(all.up - inner.up, wide.askNotionalUsd - near.askNotionalUsd);
    const downIn = ratio(inner.down, near.bidNotionalUsd);
    const downRing = ratio(all.down - inner.down, wide.bidNotionalUsd - near.bidNotionalUsd);
    if (upIn === null || upRing === null || downIn === null || downRing === null) return unavailable("no resting depth where levels lie (ratio infinite)");
    const x = upRing - upIn - (downRing - downIn);
    return directional(self, x, support(liq.cohorts, params.levelFullConfidenceCohorts));
  },
};
