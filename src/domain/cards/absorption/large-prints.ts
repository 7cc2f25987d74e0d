/**
 * `absorption.large-prints`: large aggressive prints the price did not follow. Large taker buys
 * (at or above the symbol's adaptive 99th-percentile print, `input.sizes.large`) that leave price
 * flat or lower were absorbed by a larger passive seller (bearish); large sells absorbed are
 * bullish.
 *
 * Large prints are the flow most likely to be informed (Easley & O'Hara 1987, "Price, trade size,
 * and information in securities markets"); when even they fail to move price, the resting side is
 * the stronger hand. Reading it as a direction is a judgment, not calibrated.
 *
 * - d = (largeBuyUsd − largeSellUsd) / (largeBuyUsd + largeSellUsd) of the window's large prints
 * - e = (close − open) / (high − low) of the window's trades, 0 when high = low
 * - x = −d · (1 − e · sgn d) / 2 (src/domain/cards/absorption/absorbed.ts)
 * - score = tanh(z(x)), center 0, prior σ 0.3 (a few large prints make a lopsided d)
 * - confidence = min(1, large prints / 10); value = x · (largeBuyUsd + largeSellUsd): large
 *   notional absorbed, USD (+ = large selling absorbed)
 * - unavailable (`largeWarmingUp`, shared with smart-money) while the large-print threshold does not exist or has not held over the whole
 *   window (its large prints would be undercounted); a window without large prints is a
 *   measured zero (confidence 0, value 0)
 */
import { largeWarmingUp } from "../large-prints.js";
import { directional, imbalance, support, unavailable, type CardDefinition } from "../card.js";
import { absorbedShare, rangeProgress } from "./absorbed.js";

/** Large prints in the window at which the card reaches confidence 1. */
const LARGE_FULL_CONFIDENCE_COUNT = 10;

export const absorptionLargePrints: CardDefinition = {
  id: "absorption.large-prints",
  category: "absorption",
  formula:
    "x = −d · (1 − e·sgn d) / 2, d = (largeBuyUsd − largeSellUsd)/(largeBuyUsd + largeSellUsd) of the window's large prints, e = (close − open)/(high − low) of its trades; " +
    "score = tanh(z(x)); confidence = min(1, large prints / 10); value = x · (largeBuyUsd + largeSellUsd)",
  units: "USD (large-print notional absorbed; + = large selling absorbed)",
  differs:
    "Large prints that failed to move price, signed against them: smart-money cards follow the large prints' direction, absorption.flow reads all sizes together.",
  scale: { center: 0, prior: 0.3 },
  singleTrades: true,
  feeds: ["trade"],
  compute(input, self) {
    const warming = largeWarmingUp(input);
    if (warming !== null) return warming;
    const { window: w, sizes } = input;
    const large = sizes.large;
    const count = large.buyCount + large.sellCount;
    if (count === 0 || w.open === null || w.high === null || w.low === null || w.close === null) return directional(self, 0, 0, 0);
    const x = absorbedShare(imbalance(large.buyUsd, large.sellUsd), rangeProgress(w.open, w.high, w.low, w.close));
    return directional(self, x, support(count, LARGE_FULL_CONFIDENCE_COUNT), x * (large.buyUsd + large.sellUsd));
  },
};
