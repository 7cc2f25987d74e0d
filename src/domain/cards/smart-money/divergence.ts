/**
 * `smart-money.divergence`: large prints leaning against the rest of the tape.
 *
 * When the symbol's large prints buy while everyone else sells, size is taking the other side of
 * the crowd: the classic "smart money against the crowd" reading, bullish; large selling into
 * crowd buying is bearish. When both lean the same way there is no divergence (x near 0): that
 * agreement is `flow.cvd`'s reading. A judgment, not calibrated.
 *
 * - large = prints at or above the adaptive 99th-percentile threshold (`input.sizes.large`);
 *   rest = every other print of the window (all size buckets minus the large prints)
 * - imb(s) = (buyUsd − sellUsd) / (buyUsd + sellUsd) of each
 * - x = (imb(large) − imb(rest)) / 2, in [−1, 1]; 0 when either has no print (no divergence to read)
 * - score = tanh(z(x)), center 0, prior σ 0.3 (1m), 0.22 (5m), 0.13 (1h): half the spread of the
 *   difference of two imbalances
 * - confidence = min(large prints / largeFullConfidenceCount, rest prints / tradeFullConfidenceCount, 1); value = x
 * - unavailable "warming up: large-print threshold …" until the threshold held over the window
 */
import { directional, imbalance, support, type CardDefinition } from "../card.js";
import { largeWarmingUp } from "../large-prints.js";

export const smartMoneyDivergence: CardDefinition = {
  id: "smart-money.divergence",
  category: "smart-money",
  formula:
    "x = (imb(large prints) − imb(all other prints)) / 2, imb = (buyUsd − sellUsd) / (buyUsd + sellUsd), large = adaptive 99th percentile; score = tanh(z(x)); " +
    "confidence = min(large / largeFullConfidenceCount, rest / tradeFullConfidenceCount, 1); value = x",
  units: "imbalance difference (large − rest) / 2",
  differs:
    "Large prints against the rest of the tape: 0 when both lean alike, so it only reads size taking the other side of the crowd; smart-money.large-flow reads the large prints alone, flow.cvd everything together.",
  scale: { center: 0, prior: { "1m": 0.3, "5m": 0.22, "1h": 0.13 } },
  singleTrades: true,
  feeds: ["trade"],
  compute(input, self) {
    const warming = largeWarmingUp(input);
    if (warming !== null) return warming;
    const { buckets, large } = input.sizes;
    let buyUsd = 0;
    let sellUsd = 0;
    let count = 0;
    for (const b of buckets) {
      buyUsd += b.buyUsd;
      sellUsd += b.sellUsd;
      count += b.buyCount + b.sellCount;
    }
    const largeCount = large.buyCount + large.sellCount;
    const restCount = count - largeCount;
    if (largeCount === 0 || restCount === 0) return directional(self, 0, 0);
    const x = (imbalance(large.buyUsd, large.sellUsd) - imbalance(buyUsd - large.buyUsd, sellUsd - large.sellUsd)) / 2;
    const confidence = Math.min(support(largeCount, input.params.largeFullConfidenceCount), support(restCount, input.params.tradeFullConfidenceCount));
    return directional(self, x, confidence, x);
  },
};
