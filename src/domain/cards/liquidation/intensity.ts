/**
 * `liq.intensity`: liquidation notional in the window against its own recent history, signed by
 * which side is being liquidated. A burst far above the usual rate marks forced flow that moves
 * price (liquidated shorts are forced buys: bullish; longs: bearish).
 *
 * - n = window minutes; μ, σ = mean and standard deviation of the 1-minute liquidation notional
 *   over the last min(24 h, time since the first liquidation) of complete minutes (empty minutes count 0)
 * - burst = max(0, (x/n − μ) / (σ/√n)), x = long + short notional in the window (only above-usual counts)
 * - x' = burst · (shortUsd − longUsd) / (shortUsd + longUsd); score = tanh(z(x')), prior σ 2
 * - confidence = min(1, history minutes / intensityFullHistoryMinutes), 0 when σ = 0; value = burst (a z-score)
 *
 * On a sampled venue (Binance, OKX: one liquidation per second) window and history are both
 * samples, so the burst compares like with like.
 */
import { directional, imbalance, liquidationSampling, support, type CardDefinition } from "../card.js";

export const liqIntensity: CardDefinition = {
  id: "liq.intensity",
  category: "liquidation",
  formula:
    "burst = max(0, (x/n − μ) / (σ/√n)), x = window liquidation notional, n = minutes, μ, σ of 1-minute notional over ≤ 24 h; " +
    "x' = burst · (shortUsd − longUsd)/(shortUsd + longUsd); score = tanh(z(x')); confidence = min(1, history minutes / intensityFullHistoryMinutes); value = burst",
  units: "z-score (burst above the usual liquidation rate)",
  differs: "How unusual the amount of forced flow is for this symbol, with the side as its sign; liq.imbalance weighs a trickle and a flood alike.",
  scale: { center: 0, prior: 2 },
  feeds: ["liquidation"],
  compute({ liq, window: w, venues, windowMs, params }, self) {
    const stats = liq.minuteStats();
    const x = w.longLiqNotionalUsd + w.shortLiqNotionalUsd;
    const n = windowMs / 60_000;
    if (stats.minutes === 0 || stats.stdev === 0) return directional(self, 0, 0, 0);
    const burst = Math.max(0, (x / n - stats.mean) / (stats.stdev / Math.sqrt(n)));
    const signed = burst * imbalance(w.shortLiqNotionalUsd, w.longLiqNotionalUsd);
    return directional(self, signed, support(stats.minutes, params.intensityFullHistoryMinutes), burst, liquidationSampling(venues));
  },
};
