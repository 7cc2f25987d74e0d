/**
 * `liq.cluster-proximity`: realized liquidation clusters near the price, read as support and
 * resistance. A cluster is where forced orders were absorbed (peaks of the realized price profile
 * of the last 24 h, see `clusters.ts`); one just below the price is a level where the market
 * already flushed and bid (support, bullish), one just above where it squeezed and sold off
 * (resistance, bearish).
 *
 * - band b = proximityBandPct[timeframe] (0.5 %, 1 %, 2 %); P = last trade
 * - each cluster peak at distance d % ≤ b weighs notional · (1 − d / b); W_below, W_above summed
 * - x = (W_below − W_above) / (W_below + W_above), 0 without clusters in the band; score = tanh(z(x)), prior σ 0.5
 * - confidence = min(1, liquidations in those clusters / liqFullConfidenceCount); value = W_below − W_above (USD)
 *
 * Measured (realized liquidations), with the sampling caveat of the venues that fed them.
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";

export const liqClusterProximity: CardDefinition = {
  id: "liq.cluster-proximity",
  category: "liquidation",
  formula:
    "x = (W_below − W_above) / (W_below + W_above), W = Σ notional · (1 − d/b) of realized 24 h liquidation clusters within b = proximityBandPct[tf] % of price; " +
    "score = tanh(z(x)); confidence = min(1, liquidations in them / liqFullConfidenceCount); value = W_below − W_above",
  units: "USD (proximity-weighted)",
  differs: "Where past forced flow printed relative to price now (support below, resistance above); the other liquidation cards read the window's flow, not its location.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["liquidation", "trade"],
  compute({ liq, params, timeframe }, self) {
    const p = liq.price;
    if (p === null) return unavailable(liq.priceReason ?? "no trade price yet");
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
    return directional(self, total > 0 ? (below - above) / total : 0, support(count, params.liqFullConfidenceCount), below - above);
  },
};
