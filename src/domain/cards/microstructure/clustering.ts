/**
 * `micro.clustering` (stress): how bursty the window's trading is, minute by minute, beyond what
 * random (Poisson) arrivals would give. Trades cluster in time: arrivals excite further arrivals
 * (Hawkes processes; Filimonov & Sornette 2012, Bacry, Mastromatteo & Muzy 2015), and strong
 * clustering marks a market driven by its own reactions (stops, liquidations, algos chasing)
 * rather than by a steady flow. It has no side.
 *
 * - minutes: the window's last N complete one-minute bars (N = 5, 60); n_m = trades per minute,
 *   μ = mean, v = population variance of n_m
 * - x = (v − μ) / μ²: the squared coefficient of variation of the arrival rate net of Poisson
 *   noise (v = μ for a steady Poisson flow, so x = 0; bursts give x > 0)
 * - strength = tanh(max(z(x), 0)), center rolling (starts at 0.2, a judgment), prior σ 0.4 (5m),
 *   0.3 (1h); score 0
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = x
 * - unavailable on the 1m window (one minute has no dispersion) and while fewer than N minutes of
 *   bars exist; a window without trades is a measured zero
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { tooFewMinutes, warmingUp, windowMinutes } from "../bar-window.js";

export const microClustering: CardDefinition = {
  id: "micro.clustering",
  kind: "stress",
  category: "microstructure",
  formula:
    "x = (v − μ)/μ², μ, v = mean and population variance of trades per minute over the window's minute bars (Poisson arrivals give 0); strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "squared coefficient of variation of the trade rate, net of Poisson noise",
  differs:
    "How unevenly trades arrive inside the window, whatever its total: micro.arrival-rate reads the total against the day, micro.rate-acceleration its trend from one span to the next.",
  scale: { center: "rolling", priorCenter: 0.2, prior: { "1m": 0.4, "5m": 0.4, "1h": 0.3 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, n);
    if (few !== null) return unavailable(few);
    let sum = 0;
    let squares = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      sum += bars.trades[i];
      squares += bars.trades[i] * bars.trades[i];
    }
    if (sum === 0) return stress(self, 0, 0, 0);
    const mean = sum / n;
    const variance = squares / n - mean * mean;
    const x = (variance - mean) / (mean * mean);
    return stress(self, x, support(sum, params.tradeFullConfidenceCount), x);
  },
};
