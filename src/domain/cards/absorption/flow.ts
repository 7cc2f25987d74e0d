/**
 * `absorption.flow`: taker aggression that the price did not follow in the window. Heavy net
 * selling while price holds or rises means resting bids absorbed it (bullish); heavy net buying
 * while price holds or falls means resting offers absorbed it (bearish).
 *
 * Trade `side` is the aggressor. A limit order that keeps taking market orders without giving
 * ground is the classic tape-reading footprint of a large passive buyer or seller; the
 * permanent-impact literature (Kyle 1985; Bouchaud et al. 2004, "Fluctuations and response in
 * financial markets") expects net aggression to move price, so aggression that does not is
 * information about the passive side. The mapping from it to a direction is a judgment, not
 * calibrated.
 *
 * - d = (buyUsd − sellUsd) / (buyUsd + sellUsd) of the window's taker notional, all venues
 * - e = (close − open) / (high − low) of the window's trades, 0 when high = low
 * - x = −d · (1 − e · sgn d) / 2 (src/domain/cards/absorption/absorbed.ts): the share of the
 *   pressure absorbed, signed against it
 * - score = tanh(z(x)), center 0, prior σ 0.15 (1m), 0.1 (5m), 0.06 (1h): longer windows net
 *   out more of their flow
 * - confidence = min(1, trades / tradeFullConfidenceCount)
 * - value = x · (buyUsd + sellUsd) = −(buyUsd − sellUsd) · (1 − e · sgn d) / 2: the net taker
 *   notional absorbed, USD (+ = selling absorbed)
 * - a window without trades (the feed alive) is a measured zero: nothing pressed, nothing
 *   absorbed (confidence 0, value 0)
 */
import { directional, imbalance, support, type CardDefinition, prints, sideUnknown, unavailable } from "../card.js";
import { absorbedShare, rangeProgress } from "./absorbed.js";

export const absorptionFlow: CardDefinition = {
  id: "absorption.flow",
  category: "absorption",
  formula:
    "x = −d · (1 − e·sgn d) / 2, d = (buyUsd − sellUsd)/(buyUsd + sellUsd) of the window's taker notional, e = (close − open)/(high − low); score = tanh(z(x)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = x · (buyUsd + sellUsd)",
  units: "USD (net taker notional absorbed; + = selling absorbed)",
  differs:
    "Net aggression weighted by how little the price followed it: flow.cvd follows the aggression whatever price did, momentum.return follows price whatever the flow; absorption.minutes counts minutes instead of netting the window.",
  scale: { center: 0, prior: { "1m": 0.15, "5m": 0.1, "1h": 0.06 } },
  feeds: ["trade"],
  compute({ window: w, params }, self) {
    const blind = sideUnknown(w);
    if (blind !== null) return unavailable(blind);
    const trades = prints(w);
    if (trades === 0 || w.open === null || w.high === null || w.low === null || w.close === null) return directional(self, 0, 0, 0);
    const x = absorbedShare(imbalance(w.buyNotionalUsd, w.sellNotionalUsd), rangeProgress(w.open, w.high, w.low, w.close));
    return directional(self, x, support(trades, params.tradeFullConfidenceCount), x * (w.buyNotionalUsd + w.sellNotionalUsd));
  },
};
