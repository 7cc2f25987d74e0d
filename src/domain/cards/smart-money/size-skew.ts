/**
 * `smart-money.size-skew`: whether the buyers or the sellers trade in bigger tickets.
 *
 * Trade `side` is the aggressor. The mean taker buy against the mean taker sell, in USD: when the
 * buy side's prints are larger, the larger (better capitalised, more often informed: Easley &
 * O'Hara 1987) traders are the buyers, whatever the count of prints on each side. Bullish when
 * buyers are bigger. A judgment, not calibrated.
 *
 * - meanBuy = buyUsd / buyCount, meanSell = sellUsd / sellCount over the window, all venues
 * - x = ln(meanBuy / meanSell); 0 when either side has no print (confidence 0)
 * - score = tanh(z(x)), center 0, prior σ 0.5 (1m), 0.35 (5m), 0.2 (1h)
 * - confidence = min(1, prints of the thinner side / tradeFullConfidenceCount); value = x
 * - a window without trades is a measured 0 (confidence 0)
 *
 * With the USD volume imbalance Q (`flow.cvd` reads it in base units) and the print imbalance C
 * (`flow.count-imbalance`), x = 2·(atanh Q − atanh C): the part of the volume lean that the count
 * of prints does not explain.
 */
import { directional, support, type CardDefinition } from "../card.js";

export const smartMoneySizeSkew: CardDefinition = {
  id: "smart-money.size-skew",
  category: "smart-money",
  formula:
    "x = ln(mean taker buy USD / mean taker sell USD) over the window's prints; score = tanh(z(x)); " +
    "confidence = min(1, prints of the thinner side / tradeFullConfidenceCount); value = x",
  units: "ln(mean buy size / mean sell size)",
  differs:
    "Which side trades in bigger tickets across all prints, with no size cut: smart-money.large-flow reads only the top 1 %, flow.cvd and flow.count-imbalance read volume and print counts, whose gap this is.",
  scale: { center: 0, prior: { "1m": 0.5, "5m": 0.35, "1h": 0.2 } },
  feeds: ["trade"],
  compute({ window: w, params }, self) {
    if (w.buyCount === 0 || w.sellCount === 0) return directional(self, 0, 0);
    const x = Math.log(w.buyNotionalUsd / w.buyCount / (w.sellNotionalUsd / w.sellCount));
    return directional(self, x, support(Math.min(w.buyCount, w.sellCount), params.tradeFullConfidenceCount), x);
  },
};
