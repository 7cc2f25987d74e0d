/**
 * `smart-money.block-flow`: which way the block-size prints (100k USD and above) lean in the window.
 *
 * A fixed size instead of the symbol's own percentile: 100k USD is a ticket only an institution
 * or a whale sends in one print, whatever the symbol. On BTC it is close to the adaptive large
 * threshold; on a small alt it is far above it and rare, which is the point: a block there is
 * news. Trade `side` is the aggressor: block taker buying is bullish. A judgment, not calibrated.
 * Venues print a taker order once per price level it fills (Binance aggregates per price), so an
 * order that sweeps several levels may show as several smaller prints and be missed here.
 *
 * - blocks = the fixed size buckets from `inputs.tradeSizes.edgesUsd[2]` (100k USD) up
 * - x = (blockBuyUsd − blockSellUsd) / (blockBuyUsd + blockSellUsd), 0 without blocks
 * - score = tanh(z(x)), center 0, prior σ 0.5 (1m), 0.4 (5m), 0.25 (1h)
 * - confidence = min(1, block prints / largeFullConfidenceCount); value = blockBuyUsd − blockSellUsd
 * - no warm-up (a fixed cut); a window without block prints is a measured 0 (confidence 0)
 */
import { directional, imbalance, support, type CardDefinition } from "../card.js";

/** First fixed size bucket counted as a block (buckets cut at 1k, 10k, 100k, 1M USD by default). */
const FIRST_BLOCK_BUCKET = 3;

export const smartMoneyBlockFlow: CardDefinition = {
  id: "smart-money.block-flow",
  category: "smart-money",
  formula:
    "x = (blockBuyUsd − blockSellUsd) / (blockBuyUsd + blockSellUsd), block = a print of 100k USD or more (fixed); score = tanh(z(x)); " +
    "confidence = min(1, block prints / largeFullConfidenceCount); value = blockBuyUsd − blockSellUsd",
  units: "USD (net block taker buying)",
  differs:
    "A fixed 100k USD cut, the same capital on every symbol and no warm-up; smart-money.large-flow cuts at the symbol's own 99th percentile, so on small alts it reads far smaller prints.",
  scale: { center: 0, prior: { "1m": 0.5, "5m": 0.4, "1h": 0.25 } },
  singleTrades: true,
  feeds: ["trade"],
  compute({ sizes, params }, self) {
    let buyUsd = 0;
    let sellUsd = 0;
    let count = 0;
    for (let b = FIRST_BLOCK_BUCKET; b < sizes.buckets.length; b++) {
      const k = sizes.buckets[b];
      buyUsd += k.buyUsd;
      sellUsd += k.sellUsd;
      count += k.buyCount + k.sellCount;
    }
    return directional(self, imbalance(buyUsd, sellUsd), support(count, params.largeFullConfidenceCount), buyUsd - sellUsd);
  },
};
