/**
 * `xv.flow-dispersion` (stress): how much the venues' taker flows disagree, volume-weighted.
 *
 * On one contract the venues' takers lean the same way when the flow is market-wide. When one
 * venue's takers buy while another's sell, the flow is venue-local: arbitrageurs moving inventory
 * between venues (buying the cheap one, selling the dear one), a venue-specific squeeze or a large
 * participant working one venue. The merged imbalance (flow.cvd) nets them out and shows calm;
 * this card shows the disagreement, with no direction by itself. Trade `side` is the aggressor.
 * A judgment, not calibrated.
 *
 * - per venue with taker volume in the window: d_v = (buyUsd − sellUsd) / (buyUsd + sellUsd),
 *   w_v = its share of the window's taker notional over those venues; d̄ = Σ w_v · d_v
 * - x = Σ w_v · |d_v − d̄| (0 to 1); strength = tanh(max(z(x), 0)), center 0, prior σ 0.2 (1m),
 *   0.12 (5m), 0.06 (1h): longer windows net out more; score 0
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = x
 * - a window without trades is a measured 0 (confidence 0); unavailable below two venues
 *   delivering trades, when only one venue traded in the window, and when a venue's taker side is
 *   unknown (bars without a taker split)
 *
 * Cost: O(venues).
 */
import { imbalance, prints, sideUnknown, stress, support, unavailable, type CardDefinition } from "../card.js";
import { FEWER_THAN_TWO_TRADING, tradingVenues } from "./venues.js";

export const xvFlowDispersion: CardDefinition = {
  id: "xv.flow-dispersion",
  category: "cross-venue",
  kind: "stress",
  formula:
    "x = Σ_v w_v · |d_v − d̄|, d_v = (buyUsd − sellUsd) / (buyUsd + sellUsd) of venue v's taker notional in the window, w_v its share of the notional, d̄ = Σ w_v · d_v; strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "taker imbalance (volume-weighted mean absolute deviation, 0 to 1)",
  differs:
    "How far the venues' flows part, weighted by volume and with no side; flow.venue-breadth counts venues by the sign of their flow (a direction), flow.cvd nets the venues together, xv.flow-divergence signs the leader against the rest.",
  scale: { center: 0, prior: { "1m": 0.2, "5m": 0.12, "1h": 0.06 } },
  feeds: ["trade"],
  compute({ venues, window: w, params }, self) {
    if (tradingVenues(venues) < 2) return unavailable(FEWER_THAN_TWO_TRADING);
    let total = 0;
    let net = 0;
    let traded = 0;
    for (const v of venues) {
      const blind = sideUnknown(v.window);
      if (blind !== null) return unavailable(`${v.venue}: ${blind}`);
      const usd = v.window.buyNotionalUsd + v.window.sellNotionalUsd;
      if (usd === 0) continue;
      total += usd;
      net += v.window.buyNotionalUsd - v.window.sellNotionalUsd;
      traded++;
    }
    if (traded === 0) return stress(self, 0, 0);
    if (traded === 1) return unavailable("only one venue traded in the window");
    const mean = net / total;
    let x = 0;
    for (const v of venues) {
      const usd = v.window.buyNotionalUsd + v.window.sellNotionalUsd;
      if (usd > 0) x += (usd / total) * Math.abs(imbalance(v.window.buyNotionalUsd, v.window.sellNotionalUsd) - mean);
    }
    return stress(self, x, support(prints(w), params.tradeFullConfidenceCount));
  },
};
