/**
 * `micro.rate-acceleration` (stress): trades in the window's minutes against the same number of
 * minutes just before. Self-exciting trade arrivals (Hawkes processes; Bacry, Mastromatteo & Muzy
 * 2015) build up before they peak: a rate that is climbing is activity arriving now, where
 * `micro.arrival-rate` says how busy the window is against the whole day. It has no side.
 *
 * - minutes: the window's last N complete one-minute bars (N = 1, 5, 60)
 * - n₁ = trades in those N minutes, n₀ = trades in the N minutes before
 * - x = ln((n₁ + 1) / (n₀ + 1)) (one pseudo-trade each side: a step from 0 to 1 is no surge)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.6 (1m), 0.45 (5m), 0.3 (1h); score 0
 * - confidence = min(1, (n₁ + n₀) / tradeFullConfidenceCount); value = x
 * - unavailable while fewer than 2N minutes of bars exist; two quiet spans are a measured zero
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes } from "../bar-window.js";

export const microRateAcceleration: CardDefinition = {
  id: "micro.rate-acceleration",
  kind: "stress",
  category: "microstructure",
  formula:
    "x = ln((n₁ + 1)/(n₀ + 1)), n₁ = trades in the window's N minute bars, n₀ = trades in the N minutes before; strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, (n₁ + n₀) / tradeFullConfidenceCount); value = x",
  units: "log ratio of trade counts",
  differs:
    "The change of the trade rate against the span just before: micro.arrival-rate compares with the whole day, so a burst that has lasted an hour is high there and flat here.",
  scale: { center: 0, prior: { "1m": 0.6, "5m": 0.45, "1h": 0.3 } },
  feeds: ["trade"],
  compute({ bars, windowMs, params }, self) {
    const n = windowMinutes(windowMs);
    const cold = warmingUp(bars, 2 * n);
    if (cold !== null) return unavailable(cold);
    let now = 0;
    let before = 0;
    for (let i = bars.length - 2 * n; i < bars.length - n; i++) before += bars.trades[i];
    for (let i = bars.length - n; i < bars.length; i++) now += bars.trades[i];
    const x = Math.log((now + 1) / (before + 1));
    return stress(self, x, support(now + before, params.tradeFullConfidenceCount), x);
  },
};
