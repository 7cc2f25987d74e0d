/**
 * `smart-money.large-persistence`: whether the large prints have kept leaning the same way
 * cycle after cycle.
 *
 * Large traders work orders over time; a lean of the large prints that holds at every cycle is a
 * position being built, one that flips from cycle to cycle is noise (or two large traders
 * disagreeing). Each cycle votes by the sign of its window's large-print net USD; the card keeps
 * that net as its `value`, so its own past values (`self.previous`) are the earlier votes. The
 * windows of consecutive cycles overlap (a 10 s step), so on 5m and 1h the votes agree unless the
 * lean turned within the last minute: there a vote below 1 marks a turn. A judgment, not calibrated.
 *
 * - large = prints at or above the adaptive 99th-percentile threshold (`input.sizes.large`)
 * - votes = sign(largeBuyUsd − largeSellUsd) of this window and of each previous cycle where the
 *   card was available (up to `historyCycles`, 6 by default: the last minute)
 * - x = Σ votes / number of votes, in [−1, 1]
 * - score = tanh(z(x)), center 0, prior σ 0.5
 * - confidence = min(votes / (historyCycles + 1), large prints now / largeFullConfidenceCount, 1)
 * - value = this window's largeBuyUsd − largeSellUsd (the next cycles' vote)
 * - unavailable "warming up: large-print threshold …" until the threshold held over the window;
 *   a window without large prints votes 0 and gives confidence 0 (no lean now to persist)
 */
import { directional, support, type CardDefinition } from "../card.js";
import { largeWarmingUp } from "../large-prints.js";

export const smartMoneyLargePersistence: CardDefinition = {
  id: "smart-money.large-persistence",
  category: "smart-money",
  formula:
    "x = mean of sign(largeBuyUsd − largeSellUsd) over this cycle and the previous available cycles (≤ historyCycles); score = tanh(z(x)); " +
    "confidence = min(votes / (historyCycles + 1), large prints / largeFullConfidenceCount, 1); value = largeBuyUsd − largeSellUsd now",
  units: "USD (net large taker buying this cycle)",
  differs:
    "How steadily the large prints' lean has held across recent cycles, by sign only; smart-money.large-flow reads this cycle's lean and its size, so one large burst moves it fully and this card by one vote.",
  history: true,
  scale: { center: 0, prior: 0.5 },
  singleTrades: true,
  feeds: ["trade"],
  compute(input, self) {
    const warming = largeWarmingUp(input);
    if (warming !== null) return warming;
    const { large } = input.sizes;
    const net = large.buyUsd - large.sellUsd;
    let votes = Math.sign(net);
    let n = 1;
    for (const v of self.previous) {
      if (v === null) continue;
      votes += Math.sign(v);
      n++;
    }
    const confidence = Math.min(support(n, input.params.historyCycles + 1), support(large.buyCount + large.sellCount, input.params.largeFullConfidenceCount));
    return directional(self, votes / n, confidence, net);
  },
};
