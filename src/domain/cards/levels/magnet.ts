/**
 * `levels.magnet` (was `liq.magnet`): pull of the nearest large estimated liquidation cluster on
 * each side. Price is often drawn toward resting liquidation clusters, whose forced orders supply
 * the liquidity a large move needs; a big cluster close above (shorts' levels) pulls up, one below
 * (longs') pulls down.
 *
 * - levels within ±magnetRangePct[timeframe] of P (1 %, 2 %, 5 %) binned by magnetBinBps of P; a
 *   magnet is the nearest bin (with its adjacent qualifying bins) whose notional is ≥ magnetMinShare
 *   of that side's notional in range (see `findMagnets`)
 * - pull = magnet notional / max(|distance %|, one bin)
 * - x = (pullUp − pullDown) / (pullUp + pullDown), 0 without magnets; score = tanh(z(x)), prior σ 0.5
 * - value = signed distance (%) to the stronger magnet (+ above), 0 without magnets
 * - confidence = min(1, open-interest cohorts / levelFullConfidenceCohorts)
 *
 * Estimated: the levels come from the open-interest model of docs/liquidation-model.md.
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { binLevels, findMagnets } from "../../liquidation/cascade.js";

export const levelsMagnet: CardDefinition = {
  id: "levels.magnet",
  category: "levels",
  formula:
    "x = (pullUp − pullDown) / (pullUp + pullDown), pull = notional / max(|distance %|, one bin) of the nearest large estimated level cluster each side within magnetRangePct[tf]; " +
    "score = tanh(z(x)); confidence = min(1, OI cohorts / levelFullConfidenceCohorts); value = signed distance % to the stronger magnet",
  units: "% of price (signed distance to the stronger magnet)",
  differs: "Which side's nearest large cluster pulls harder (size over distance); levels.distance reads the margin of the whole side, cascade.* the depth that would absorb it.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["oi", "trade"],
  compute({ liq, params, timeframe }, self) {
    const view = liq.levels();
    if (view === null || liq.price === null) return unavailable(liq.levelsReason ?? "no open-interest feed");
    const p = liq.price;
    const binned = binLevels(view, p, params.magnetRangePct[timeframe], params.magnetBinBps);
    const { up, down } = findMagnets(binned, p, params.magnetMinShare);
    const minDistance = params.magnetBinBps / 100;
    const pullUp = up === null ? 0 : up.notionalUsd / Math.max(Math.abs(up.distancePct), minDistance);
    const pullDown = down === null ? 0 : down.notionalUsd / Math.max(Math.abs(down.distancePct), minDistance);
    const total = pullUp + pullDown;
    const x = total > 0 ? (pullUp - pullDown) / total : 0;
    const value = total === 0 ? 0 : pullUp >= pullDown ? (up?.distancePct ?? 0) : (down?.distancePct ?? 0);
    return directional(self, x, support(liq.cohorts, params.levelFullConfidenceCohorts), value);
  },
};
