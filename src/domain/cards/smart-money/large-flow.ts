/**
 * `smart-money.large-flow`: which way the symbol's large prints lean in the window.
 *
 * A print is large when its notional is at or above the symbol's adaptive 99th percentile of
 * trade notionals over the last hour (src/domain/inputs/trade-sizes.ts), so "large" means the
 * same on BTC and on a small alt. Trade `side` is the aggressor: large taker buying is bullish.
 * Large trades carry more information per trade than small ones in the classic microstructure
 * models (Easley & O'Hara 1987, "Price, trade size, and information in securities markets");
 * in crypto perpetuals that is a judgment, not calibrated.
 *
 * - x = (largeBuyUsd − largeSellUsd) / (largeBuyUsd + largeSellUsd), 0 without large prints
 * - score = tanh(z(x)), center 0, prior σ 0.5 (1m), 0.4 (5m), 0.25 (1h): few prints, wide spread
 * - confidence = min(1, large prints / largeFullConfidenceCount); value = largeBuyUsd − largeSellUsd
 * - unavailable "warming up: large-print threshold …" until the threshold held over the whole
 *   window; a window without large prints is a measured 0 (confidence 0)
 */
import { directional, imbalance, support, type CardDefinition } from "../card.js";
import { largeWarmingUp } from "../large-prints.js";

export const smartMoneyLargeFlow: CardDefinition = {
  id: "smart-money.large-flow",
  category: "smart-money",
  formula:
    "x = (largeBuyUsd − largeSellUsd) / (largeBuyUsd + largeSellUsd), large = notional ≥ the adaptive 99th percentile of the last hour; score = tanh(z(x)); " +
    "confidence = min(1, large prints / largeFullConfidenceCount); value = largeBuyUsd − largeSellUsd",
  units: "USD (net large taker buying)",
  differs:
    "The lean of the symbol's own top 1 % of prints by size; flow.cvd weighs every print, smart-money.block-flow uses a fixed 100k USD cut that is routine on BTC and rare on small alts.",
  scale: { center: 0, prior: { "1m": 0.5, "5m": 0.4, "1h": 0.25 } },
  singleTrades: true,
  feeds: ["trade"],
  compute(input, self) {
    const warming = largeWarmingUp(input);
    if (warming !== null) return warming;
    const { large } = input.sizes;
    const count = large.buyCount + large.sellCount;
    return directional(self, imbalance(large.buyUsd, large.sellUsd), support(count, input.params.largeFullConfidenceCount), large.buyUsd - large.sellUsd);
  },
};
