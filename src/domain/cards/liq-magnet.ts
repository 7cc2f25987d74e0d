/**
 * `liq.magnet`: pull of the nearest large estimated liquidation cluster on each side. Price is
 * often drawn toward resting liquidation clusters, whose forced orders supply the liquidity a
 * large move needs; a big cluster close above (shorts' levels) pulls up, one below (longs')
 * pulls down.
 *
 * - levels within ±magnetRangePct[timeframe] of P (defaults 1 %, 2 %, 5 %) binned by
 *   magnetBinBps of P; a magnet is the nearest bin (with its adjacent qualifying bins) whose
 *   notional is ≥ magnetMinShare of that side's notional in range (see `findMagnets`)
 * - pull = magnet notional / max(|distance %|, one bin)
 * - score = (pullUp − pullDown) / (pullUp + pullDown), 0 without magnets; strength = |score|
 * - value = signed distance (%) to the stronger magnet (+ above), 0 without magnets
 * - confidence = min(1, open-interest cohorts / levelFullConfidenceCohorts)
 *
 * Estimated: the levels come from the open-interest model of docs/liquidation-model.md.
 */
import { available, unavailable, type CardDefinition } from "./card.js";
import { binLevels, findMagnets } from "../liquidation/cascade.js";

export const liqMagnet: CardDefinition = {
  id: "liq.magnet",
  category: "liquidation",
  description:
    "Pull toward the nearest large estimated liquidation cluster within ±magnetRangePct[timeframe]: pull = notional / distance %; " +
    "score = (pullUp − pullDown) / (pullUp + pullDown); strength = |score|; value = signed distance % to the stronger magnet; " +
    "confidence = min(1, open-interest cohorts / levelFullConfidenceCohorts).",
  feeds: ["oi", "trade"],
  compute({ liq, params }, timeframe) {
    const view = liq.levels();
    if (view === null || liq.price === null) return unavailable(liq.price === null ? "no trade price yet" : "no open-interest feed");
    const p = liq.price;
    const binned = binLevels(view, p, params.magnetRangePct[timeframe], params.magnetBinBps);
    const { up, down } = findMagnets(binned, p, params.magnetMinShare);
    const minDistance = params.magnetBinBps / 100;
    const pullUp = up === null ? 0 : up.notionalUsd / Math.max(Math.abs(up.distancePct), minDistance);
    const pullDown = down === null ? 0 : down.notionalUsd / Math.max(Math.abs(down.distancePct), minDistance);
    const total = pullUp + pullDown;
    const score = total > 0 ? (pullUp - pullDown) / total : 0;
    const value = total === 0 ? 0 : pullUp >= pullDown ? (up?.distancePct ?? 0) : (down?.distancePct ?? 0);
    return available(score, Math.abs(score), liq.cohorts / params.levelFullConfidenceCohorts, value);
  },
};
