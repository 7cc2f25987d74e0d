/**
 * `flow.voluntary`: the window's net taker flow with the forced flow of liquidations taken out.
 *
 * A venue closes a liquidated position with a market order, so its fills are in the trade tape as
 * taker prints: a liquidated long is a forced taker sell, a liquidated short a forced taker buy.
 * Taker flow therefore mixes traders' choices with margin calls. What remains after subtracting
 * the forced part is the flow traders chose; forced flow says where the pain is
 * (`liq.imbalance`), voluntary flow what the market wants. A judgment, not calibrated.
 *
 * - per venue v with trades in the window: net_v = (buyUsd_v − sellUsd_v) − (shortLiqUsd_v − longLiqUsd_v);
 *   venues without trades are left out (their liquidations are not in the tape read here)
 * - x = Σ net_v / Σ (buyUsd_v + sellUsd_v); it can leave [−1, 1] when reported liquidations
 *   exceed the taker volume they met (a venue's backstop, or bankruptcy-price notionals)
 * - score = tanh(z(x)), center 0, prior σ 0.3 (1m), 0.2 (5m), 0.1 (1h), as `flow.cvd`
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = Σ net_v (USD)
 * - labelled `sampled` when a counted venue with liquidations in the window publishes at most one liquidation per second:
 *   the forced part is then a lower bound and some forced flow stays in x
 * - needs both feeds: without a liquidation feed the split cannot be made (it would be
 *   `flow.cvd` in USD); a window without trades is a measured 0 (confidence 0)
 */
import { directional, liquidationSampling, prints, support, type CardDefinition, sideUnknown, unavailable } from "../card.js";

export const flowVoluntary: CardDefinition = {
  id: "flow.voluntary",
  category: "order-flow",
  formula:
    "x = Σ_v [(buyUsd − sellUsd) − (shortLiqUsd − longLiqUsd)] / Σ_v (buyUsd + sellUsd) over venues with trades in the window; score = tanh(z(x)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = net voluntary USD",
  units: "USD (net voluntary taker buying)",
  differs:
    "Taker flow minus the liquidation orders that executed in it: flow.cvd counts forced and chosen aggressors alike, liq.imbalance reads the forced side alone.",
  scale: { center: 0, prior: { "1m": 0.3, "5m": 0.2, "1h": 0.1 } },
  feeds: ["trade", "liquidation"],
  missingFeedReason: { liquidation: "no liquidation feed: forced flow cannot be taken out of taker flow" },
  compute({ venues, params }, self) {
    let net = 0;
    let volume = 0;
    let trades = 0;
    for (const { window: w } of venues) {
      const n = prints(w);
      if (n === 0) continue;
      const blind = sideUnknown(w);
      if (blind !== null) return unavailable(blind);
      trades += n;
      volume += w.buyNotionalUsd + w.sellNotionalUsd;
      net += w.buyNotionalUsd - w.sellNotionalUsd - (w.shortLiqNotionalUsd - w.longLiqNotionalUsd);
    }
    const counted = venues.filter((v) => prints(v.window) > 0);
    return directional(self, volume > 0 ? net / volume : 0, support(trades, params.tradeFullConfidenceCount), net, liquidationSampling(counted));
  },
};
