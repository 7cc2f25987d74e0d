/**
 * `smart-money.icebergs`: which side hides a large resting order, read from runs of prints at
 * one price.
 *
 * A run is `inputs.printRunMin` (4) or more consecutive prints of one venue on the same aggressor
 * side at the same price (src/domain/inputs/print-runs.ts). For the takers to keep printing at one
 * price, the level they hit must keep coming back: an iceberg being refilled or a large resting
 * order being worked. The large player is then the PASSIVE side: a run of taker sells into one
 * bid is a hidden buyer absorbing them (bullish), a run of taker buys into one ask a hidden seller
 * (bearish). Iceberg orders are the instrument of patient large traders (Frey & Sandås 2017, "The
 * impact of iceberg orders in limit order books"); which way they predict price here is a
 * judgment, not calibrated.
 *
 * - x = (sellRunUsd − buyRunUsd) / (sellRunUsd + buyRunUsd): USD of the prints in runs by
 *   aggressor side, signed for the passive side; 0 without runs
 * - score = tanh(z(x)), center 0, prior σ 0.5
 * - confidence = min(1, runs / runFullConfidenceCount); value = sellRunUsd − buyRunUsd (USD
 *   absorbed by hidden bids, net)
 * - a window without runs is a measured 0 (confidence 0)
 */
import { directional, imbalance, support, type CardDefinition } from "../card.js";

export const smartMoneyIcebergs: CardDefinition = {
  id: "smart-money.icebergs",
  category: "smart-money",
  formula:
    "x = (sellRunUsd − buyRunUsd) / (sellRunUsd + buyRunUsd) over prints in runs of ≥ printRunMin at one price and side (the passive side refilled); score = tanh(z(x)); " +
    "confidence = min(1, runs / runFullConfidenceCount); value = sellRunUsd − buyRunUsd",
  units: "USD (net taker selling absorbed at one price)",
  differs:
    "Reads the hidden passive side from prints repeating at one price, so it leans against the takers of the runs; absorption cards read taker flow that fails to move price over the whole window, flow cards the takers themselves.",
  scale: { center: 0, prior: 0.5 },
  singleTrades: true,
  feeds: ["trade"],
  compute({ runs, params }, self) {
    return directional(self, imbalance(runs.sellUsd, runs.buyUsd), support(runs.buyRuns + runs.sellRuns, params.runFullConfidenceCount), runs.sellUsd - runs.buyUsd);
  },
};
