/**
 * `liq.cluster-proximity`: realized liquidation clusters near the price, read as support and
 * resistance. A cluster is where forced orders were absorbed (peaks of the realized price
 * profile of the last 24 h, see `clusters.ts`); one just below the price is a level where
 * the market already flushed and bid (support, bullish), one just above where it squeezed and
 * sold off (resistance, bearish).
 *
 * - band b = proximityBandPct[timeframe] (defaults 0.5 %, 1 %, 2 %); P = last trade
 * - for each cluster peak at distance d % ≤ b: weight = notional · (1 − d / b)
 * - W_below, W_above = summed weights of the clusters below / above P
 * - score = (W_below − W_above) / (W_below + W_above), 0 without clusters in the band
 * - strength = |score|; value = W_below − W_above (USD, proximity-weighted)
 * - confidence = min(1, liquidations in those clusters / liqFullConfidenceCount)
 *
 * Measured (realized liquidations), with the sampling caveat of the venues that fed them.
 */
import { available, unavailable, type CardDefinition } from "./card.js";

export const liqClusterProximity: CardDefinition = {
  id: "liq.cluster-proximity",
  category: "liquidation",
  description:
    "Realized liquidation clusters within ±proximityBandPct[timeframe] of price as support (below) and resistance (above): " +
    "weight = notional · (1 − distance / band); score = (W_below − W_above) / (W_below + W_above); strength = |score|; " +
    "value = W_below − W_above in USD; confidence = min(1, liquidations in those clusters / liqFullConfidenceCount).",
  feeds: ["liquidation", "trade"],
  compute({ liq, params }, timeframe) {
    const p = liq.price;
    if (p === null) return unavailable("no trade price yet");
    const band = params.proximityBandPct[timeframe];
    let below = 0;
    let above = 0;
    let count = 0;
    for (const c of liq.realizedClusters()) {
      const d = (Math.abs(c.pricePeak - p) / p) * 100;
      if (d > band) continue;
      const w = c.notionalUsd * (1 - d / band);
      if (c.pricePeak < p) below += w;
      else above += w;
      count += c.count;
    }
    const total = below + above;
    const score = total > 0 ? (below - above) / total : 0;
    return available(score, Math.abs(score), count / params.liqFullConfidenceCount, below - above);
  },
};
