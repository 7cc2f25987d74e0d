/**
 * `smart-money.stealth`: which way the medium-size prints (1k to 100k USD) lean in the window.
 *
 * The stealth-trading hypothesis: informed traders split their orders into medium sizes, large
 * enough to matter and small enough to hide, and medium-size trades account for most of the
 * cumulative price change (Barclay & Warner 1993, "Stealth trading and volatility", Journal of
 * Financial Economics 34; Chakravarty 2001 traces it to institutions). Trade `side` is the
 * aggressor: medium-size taker buying is bullish. The USD cuts are the fixed size buckets, not
 * the papers' share counts: a judgment, not calibrated.
 *
 * - medium = the fixed size buckets from `edgesUsd[0]` to `edgesUsd[2]` (1k–10k and 10k–100k USD)
 * - x = (mediumBuyUsd − mediumSellUsd) / (mediumBuyUsd + mediumSellUsd), 0 without medium prints
 * - score = tanh(z(x)), center 0, prior σ 0.3 (1m), 0.2 (5m), 0.1 (1h), as `flow.cvd`
 * - confidence = min(1, medium prints / tradeFullConfidenceCount); value = mediumBuyUsd − mediumSellUsd
 * - a window without medium prints is a measured 0 (confidence 0)
 */
import { directional, imbalance, support, type CardDefinition } from "../card.js";

/** Fixed size buckets counted as medium: [1k, 10k) and [10k, 100k) USD by default. */
const FIRST_MEDIUM_BUCKET = 1;
const LAST_MEDIUM_BUCKET = 2;

export const smartMoneyStealth: CardDefinition = {
  id: "smart-money.stealth",
  category: "smart-money",
  formula:
    "x = (mediumBuyUsd − mediumSellUsd) / (mediumBuyUsd + mediumSellUsd), medium = prints of 1k to 100k USD; score = tanh(z(x)); " +
    "confidence = min(1, medium prints / tradeFullConfidenceCount); value = mediumBuyUsd − mediumSellUsd",
  units: "USD (net medium-size taker buying)",
  differs:
    "The middle of the size range, where split informed orders hide; smart-money.block-flow and large-flow read the largest prints, flow.count-imbalance is dominated by the smallest.",
  scale: { center: 0, prior: { "1m": 0.3, "5m": 0.2, "1h": 0.1 } },
  singleTrades: true,
  feeds: ["trade"],
  compute({ sizes, params }, self) {
    let buyUsd = 0;
    let sellUsd = 0;
    let count = 0;
    for (let b = FIRST_MEDIUM_BUCKET; b <= LAST_MEDIUM_BUCKET; b++) {
      const k = sizes.buckets[b];
      buyUsd += k.buyUsd;
      sellUsd += k.sellUsd;
      count += k.buyCount + k.sellCount;
    }
    return directional(self, imbalance(buyUsd, sellUsd), support(count, params.tradeFullConfidenceCount), buyUsd - sellUsd);
  },
};
