/**
 * `absorption.liquidations`: forced flow that did not move price. A liquidated long is a forced
 * market sell; when the window's long liquidations land and price holds or rises, resting bids
 * took the forced selling without giving ground (bullish: the flush found buyers). Liquidated
 * shorts absorbed by offers are bearish.
 *
 * Liquidation `side` is the liquidated position. Forced orders are price-insensitive by
 * construction, so the book's answer to them shows the passive side's strength more cleanly
 * than voluntary flow does; reading "absorbed" as a direction is a judgment, not calibrated.
 *
 * - d = (shortUsd − longUsd) / (shortUsd + longUsd) of the window's liquidations (forced buying
 *   share), all venues
 * - e = (close − open) / (high − low) of the window's trades, 0 when high = low
 * - x = −d · (1 − e · sgn d) / 2 (src/domain/cards/absorption/absorbed.ts)
 * - score = tanh(z(x)), center 0, prior σ 0.3 (liquidation windows are often one-sided)
 * - confidence = min(1, liquidations / liqFullConfidenceCount)
 * - value = x · (shortUsd + longUsd): forced notional absorbed, USD (+ = forced selling
 *   absorbed), labelled `sampled` when a venue in the window publishes at most one liquidation
 *   per second
 * - a window without liquidations (the feed alive) is a measured zero (confidence 0, value 0);
 *   unavailable when the window had liquidations but no trade (its price response is unknown)
 */
import { directional, imbalance, liquidationSampling, support, unavailable, type CardDefinition } from "../card.js";
import { absorbedShare, rangeProgress } from "./absorbed.js";

export const absorptionLiquidations: CardDefinition = {
  id: "absorption.liquidations",
  category: "absorption",
  formula:
    "x = −d · (1 − e·sgn d) / 2, d = (shortUsd − longUsd)/(shortUsd + longUsd) of the window's liquidations, e = (close − open)/(high − low) of its trades; score = tanh(z(x)); " +
    "confidence = min(1, liquidations / liqFullConfidenceCount); value = x · (shortUsd + longUsd)",
  units: "USD (forced notional absorbed; + = forced selling absorbed)",
  differs:
    "The forced flow's failure to move price, signed against it: liq.imbalance and liq.intensity follow the forced flow, absorption.flow reads voluntary taker flow.",
  scale: { center: 0, prior: 0.3 },
  feeds: ["liquidation", "trade"],
  compute({ window: w, venues, params }, self) {
    const count = w.longLiqCount + w.shortLiqCount;
    if (count === 0) return directional(self, 0, 0, 0);
    if (w.open === null || w.high === null || w.low === null || w.close === null) return unavailable("liquidations but no trade in the window: their price response is unknown");
    const x = absorbedShare(imbalance(w.shortLiqNotionalUsd, w.longLiqNotionalUsd), rangeProgress(w.open, w.high, w.low, w.close));
    return directional(self, x, support(count, params.liqFullConfidenceCount), x * (w.shortLiqNotionalUsd + w.longLiqNotionalUsd), liquidationSampling(venues));
  },
};
