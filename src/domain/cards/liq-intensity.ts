/**
 * `liq.intensity`: liquidation notional in the window against its own recent history, signed
 * by which side is being liquidated. A burst far above the usual rate marks forced flow that
 * moves price (liquidated shorts are forced buys: bullish; longs: bearish).
 *
 * - x = long + short liquidation notional in the window, n = window minutes
 * - μ, σ = mean and standard deviation of the 1-minute notional over the last
 *   min(24 h, time since the first liquidation) of complete minutes (empty minutes count 0)
 * - z = (x/n − μ) / (σ/√n)  (0 when σ = 0)
 * - strength = clamp(z / intensityFullZ, 0, 1) (only above-usual intensity is a signal)
 * - score = strength · (shortUsd − longUsd) / (shortUsd + longUsd) of the window
 * - value = z
 * - confidence = min(1, history minutes / intensityFullHistoryMinutes), 0 when σ = 0
 *
 * Measured; on a sampled venue (Binance, OKX: one liquidation per second) both the window
 * and the history are samples, so z compares like with like.
 */
import { available, clamp, imbalance, type CardDefinition } from "./card.js";

export const liqIntensity: CardDefinition = {
  id: "liq.intensity",
  category: "liquidation",
  description:
    "Liquidation notional vs its own 24 h history of 1-minute bins: z = (x/n − μ) / (σ/√n); strength = clamp(z / intensityFullZ, 0, 1); " +
    "score = strength · (shortUsd − longUsd) / (shortUsd + longUsd); value = z; confidence = min(1, history minutes / intensityFullHistoryMinutes).",
  feeds: ["liquidation"],
  compute({ liq, window: w, windowMs, params }) {
    const stats = liq.minuteStats();
    const x = w.longLiqNotionalUsd + w.shortLiqNotionalUsd;
    const n = windowMs / 60_000;
    if (stats.minutes === 0 || stats.stdev === 0) return available(0, 0, 0, 0);
    const z = (x / n - stats.mean) / (stats.stdev / Math.sqrt(n));
    const strength = clamp(z / params.intensityFullZ, 0, 1);
    const score = strength * imbalance(w.shortLiqNotionalUsd, w.longLiqNotionalUsd);
    return available(score, strength, stats.minutes / params.intensityFullHistoryMinutes, z);
  },
};
